// SPDX-License-Identifier: GPL-2.0
/*
 * jget PATH: one value of the JSON document on stdin, for the selftests.
 *
 * PATH is keys and array indexes joined by dots ("0.drops.fw-deny"); a
 * "*" takes every element of an array (or value of an object) in turn,
 * each result on a line of its own. Strings print bare; true, false and
 * null as True, False and None; arrays and objects as JSON with ", " and
 * ": " between items. A missing key or index fails (exit 1).
 *
 * Linked statically where it can be: the tests run it hundreds of times
 * in an emulated guest, where starting an interpreter costs seconds.
 */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int print_value(const json_t *v)
{
	char *s;

	switch (json_typeof(v)) {
	case JSON_STRING:
		puts(json_string_value(v));
		return 0;
	case JSON_TRUE:
		puts("True");
		return 0;
	case JSON_FALSE:
		puts("False");
		return 0;
	case JSON_NULL:
		puts("None");
		return 0;
	default:
		s = json_dumps(v, JSON_ENCODE_ANY | JSON_ENSURE_ASCII);
		if (!s)
			return 1;
		puts(s);
		free(s);
		return 0;
	}
}

/* The element of @v that one path component names, or NULL. */
static json_t *step(json_t *v, const char *key)
{
	unsigned long i;
	char *end;

	if (!json_is_array(v))
		return json_object_get(v, key);
	errno = 0;
	i = strtoul(key, &end, 10);
	if (!*key || *end || errno)
		return NULL;
	return json_array_get(v, i);
}

static int walk(json_t *v, char *path)
{
	char *rest = NULL, *dot;
	const char *key;
	size_t i;
	json_t *e;
	int ret = 0;

	if (!path)
		return print_value(v);
	dot = strchr(path, '.');
	if (dot) {
		*dot = '\0';
		rest = dot + 1;
	}
	if (strcmp(path, "*")) {
		e = step(v, path);
		if (!e) {
			fprintf(stderr, "jget: no \"%s\"\n", path);
			return 1;
		}
		return walk(e, rest);
	}
	/* Each element gets the rest of the path: copy it, walk() cuts it. */
	if (json_is_array(v)) {
		json_array_foreach(v, i, e) {
			char *copy = rest ? strdup(rest) : NULL;

			ret |= walk(e, copy);
			free(copy);
		}
	} else if (json_is_object(v)) {
		json_object_foreach(v, key, e) {
			char *copy = rest ? strdup(rest) : NULL;

			ret |= walk(e, copy);
			free(copy);
		}
	} else {
		fprintf(stderr, "jget: \"*\" of a scalar\n");
		return 1;
	}
	return ret;
}

int main(int argc, char **argv)
{
	json_error_t err;
	json_t *doc;
	int ret;

	if (argc != 2) {
		fprintf(stderr, "Usage: jget PATH < JSON\n");
		return 2;
	}
	doc = json_loadf(stdin, JSON_DECODE_ANY, &err);
	if (!doc) {
		fprintf(stderr, "jget: line %d: %s\n", err.line, err.text);
		return 1;
	}
	ret = walk(doc, argv[1]);
	json_decref(doc);
	return ret;
}
