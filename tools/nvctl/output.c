// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>
#include <jansson.h>

#include "output.h"

#define OUT_DEPTH 8

static bool json_mode;
/* Where text goes: standard output, or a capture (out_capture()). */
static FILE *text_out;
static json_t *stack[OUT_DEPTH];
static int depth = -1;

void out_init(bool json)
{
	json_mode = json;
	if (json) {
		json_decref(stack[0]);
		stack[0] = json_object();
		depth = 0;
	}
}

bool out_is_json(void)
{
	return json_mode;
}

/* Adds @val to the innermost object under @key, or appends to an array. */
static void add(const char *key, json_t *val)
{
	json_t *top = stack[depth];

	if (json_is_array(top))
		json_array_append_new(top, val);
	else
		json_object_set_new(top, key, val);
}

static void push(const char *key, json_t *val)
{
	if (!json_mode) {
		json_decref(val);
		return;
	}
	/* A list command's document is the array itself. */
	if (!key && depth == 0 && json_is_object(stack[0]) &&
	    !json_object_size(stack[0])) {
		json_decref(stack[0]);
		stack[0] = val;
		return;
	}
	if (depth + 1 >= OUT_DEPTH) {
		json_decref(val);
		return;
	}
	add(key, val);
	stack[++depth] = val;
}

void out_begin(const char *key)
{
	push(key, json_object());
}

void out_begin_array(const char *key)
{
	push(key, json_array());
}

void out_end(void)
{
	if (json_mode && depth > 0)
		depth--;
}

void out_str(const char *key, const char *fmt, const char *val)
{
	if (json_mode)
		add(key, json_string(val));
	else if (fmt)
		fprintf(text_out ?: stdout, fmt, val);
}

void out_uint(const char *key, const char *fmt, uint64_t val)
{
	if (json_mode)
		add(key, json_integer((json_int_t)val));
	else if (fmt)
		fprintf(text_out ?: stdout, fmt, (unsigned long long)val);
}

void out_bool(const char *key, const char *fmt, bool val)
{
	if (json_mode)
		add(key, json_boolean(val));
	else if (fmt && val)
		fputs(fmt, text_out ?: stdout);
}

void out_text(const char *fmt, ...)
{
	va_list ap;

	if (json_mode)
		return;
	va_start(ap, fmt);
	vfprintf(text_out ?: stdout, fmt, ap);
	va_end(ap);
}

int out_flush(void)
{
	int ret = 0;

	if (json_mode) {
		ret = json_dumpf(stack[0], stdout, JSON_COMPACT);
		putchar('\n');
		json_decref(stack[0]);
		stack[0] = json_object();
		depth = 0;
	}
	return fflush(text_out ?: stdout) || ret ? -1 : 0;
}

/*
 * Text output goes to @f from now on (NULL: standard output again), in
 * text mode whatever -j said: how save reads what show prints.
 */
void out_capture(FILE *f)
{
	static bool saved_json;

	if (f && !text_out) {
		saved_json = json_mode;
		json_mode = false;
	} else if (!f && text_out) {
		json_mode = saved_json;
	}
	text_out = f;
}
