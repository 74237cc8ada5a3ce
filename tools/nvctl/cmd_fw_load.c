// SPDX-License-Identifier: GPL-2.0
/*
 * nvctl fw load: the rules of a file, one `fw rule add` a line, sent in
 * one request so that the firewall takes all of them or none. A request
 * larger than the socket may send (an unprivileged user cannot raise its
 * send buffer past net.core.wmem_max) goes in parts, the requests of one
 * transaction (nl_call()), which the module publishes as one change.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libmnl/libmnl.h>
#include <linux/netvirt.h>

#include "command.h"
#include "fw.h"
#include "nvctl.h"
#include "utils.h"

/* Rules one `fw load` may send, and the words of one of its lines. */
#define LOAD_MAX_RULES	(1 << 20)
#define LOAD_MAX_WORDS	64
/* Request bytes per rule, at most: tenant, port group, addresses, ports. */
#define LOAD_RULE_BYTES	192

/**
 * struct load_rule - a rule of the file
 * @rule: the rule
 * @line: its line
 * @end: where its attributes end in the request
 * @bytes: how many bytes its attributes take
 */
struct load_rule {
	struct fw_rule rule;
	unsigned int line;
	uint32_t end;
	uint32_t bytes;
};

/**
 * struct load_part - the rules of the message being sent
 * @from: its first rule
 * @to: the rule after its last
 * @n: parts sent before it
 * @first: the first rule of each part, by part
 */
struct load_part {
	size_t from, to;
	unsigned int n;
	size_t *first;
};

/**
 * struct fw_load - the rules of a file, sent in one request or in parts
 * @file: its name in errors
 * @n: rules read
 * @size: rules allocated
 * @rules: the rules
 * @part: the part being sent
 */
struct fw_load {
	const char *file;
	size_t n, size;
	struct load_rule *rules;
	struct load_part *part;
};

/* The header, and the flags of a part, besides the rules. */
#define LOAD_PART_HEADER	64

static void fill_load(struct nlmsghdr *nlh, const void *req)
{
	const struct fw_load *l = req;
	size_t i;

	for (i = l->part->from; i < l->part->to; i++) {
		fill_rule_new(nlh, &l->rules[i].rule);
		l->rules[i].end = nlh->nlmsg_len;
	}
}

/*
 * The next part: as many rules as @room bytes hold, at least one. All of
 * them when they fit, so that one message, as ever, carries the load.
 */
static bool load_part(const void *req, size_t room)
{
	const struct fw_load *l = req;
	struct load_part *p = l->part;
	size_t bytes = LOAD_PART_HEADER;

	p->from = p->to;
	p->first[p->n++] = p->from;
	do {
		bytes += l->rules[p->to++].bytes;
	} while (p->to < l->n && bytes + l->rules[p->to].bytes <= room);
	return p->to < l->n;
}

/* How many bytes each rule's attributes take in a request. */
static int measure_rules(struct fw_load *l)
{
	char *buf = malloc(l->n * LOAD_RULE_BYTES + 4096);
	struct nlmsghdr *nlh;
	uint32_t start;
	size_t i;

	if (!buf) {
		error("no memory for the request");
		return EXIT_FAIL;
	}
	nlh = mnl_nlmsg_put_header(buf);
	for (i = 0; i < l->n; i++) {
		start = nlh->nlmsg_len;
		fill_rule_new(nlh, &l->rules[i].rule);
		l->rules[i].bytes = nlh->nlmsg_len - start;
	}
	free(buf);
	return EXIT_OK;
}

/*
 * The kernel refused the attribute at @off of part @part: errors name its
 * rule's line.
 */
static void locate_rule(const void *req, unsigned int part, uint32_t off)
{
	const struct fw_load *l = req;
	const struct load_part *p = l->part;
	size_t i, to;

	if (part >= p->n)
		return;
	to = part + 1 < p->n ? p->first[part + 1] : p->to;
	for (i = p->first[part]; i < to; i++)
		if (off < l->rules[i].end) {
			error_at(l->file, l->rules[i].line);
			return;
		}
}

static struct load_rule *load_next(struct fw_load *l, const char *tenant,
				    unsigned int line)
{
	struct load_rule *r;

	if (l->n == l->size) {
		size_t size = l->size ? 2 * l->size : 1024;

		r = realloc(l->rules, size * sizeof(*r));
		if (!r)
			return NULL;
		l->rules = r;
		l->size = size;
	}
	r = &l->rules[l->n];
	*r = (struct load_rule){ .rule.proto = PROTO_ANY, .line = line };
	snprintf(r->rule.tenant, sizeof(r->rule.tenant), "%s", tenant);
	return r;
}

/*
 * One line of the file: the words of `fw rule add` after the tenant.
 * Errors name the line (see error_at()).
 */
static int load_line(struct fw_load *l, const char *tenant, char *line,
		     unsigned int lineno)
{
	char *words[LOAD_MAX_WORDS];
	struct args a = { .object = "fw" };
	struct load_rule *r;

	a.argc = split_words(line, words, LOAD_MAX_WORDS);
	a.argv = words;
	if (!a.argc || words[0][0] == '#')
		return EXIT_OK;
	if (a.argc < 0)
		return usage_error("too many words (%d at most)",
				   LOAD_MAX_WORDS);
	if (l->n == LOAD_MAX_RULES)
		return usage_error("more than %d rules", LOAD_MAX_RULES);
	r = load_next(l, tenant, lineno);
	if (!r) {
		error("no memory for the rules");
		return EXIT_FAIL;
	}
	if (parse_rule(&a, &r->rule))
		return EXIT_USAGE;
	l->n++;
	return EXIT_OK;
}

static int load_file(struct fw_load *l, const char *tenant, const char *file)
{
	FILE *f = strcmp(file, "-") ? fopen(file, "r") : stdin;
	unsigned int lineno = 0;
	size_t cap = 0;
	char *line = NULL;
	int ret = EXIT_OK;

	if (!f) {
		error("cannot open %s: %s", file, strerror(errno));
		return EXIT_FAIL;
	}
	while (ret == EXIT_OK && getline(&line, &cap, f) >= 0) {
		error_at(l->file, ++lineno);
		ret = load_line(l, tenant, line, lineno);
	}
	error_at(NULL, 0);
	free(line);
	if (f != stdin)
		fclose(f);
	if (ret == EXIT_OK && !l->n)
		return usage_error("%s has no rule", l->file);
	return ret;
}

/*
 * `fw load tenant T FILE`: every rule of FILE added in one request, or in
 * parts of one transaction, so in one change of the firewall, all or none.
 */
int fw_load(struct args *a)
{
	struct load_part part = {};
	struct fw_load l = { .part = &part };
	char tenant[NAME_SIZE];
	const char *file;
	int ret;

	if (parse_tenant(a, tenant))
		return EXIT_USAGE;
	file = args_pop(a);
	if (!file)
		return usage_error("missing FILE");
	if (is_help(file))
		return usage_help_misplaced(file, "fw");
	if (args_end(a))
		return EXIT_USAGE;
	l.file = strcmp(file, "-") ? file : "<stdin>";
	ret = load_file(&l, tenant, file);
	if (ret == EXIT_OK)
		ret = measure_rules(&l);
	/* At most a part a rule. */
	part.first = ret == EXIT_OK ? calloc(l.n, sizeof(*part.first)) : NULL;
	if (ret == EXIT_OK && !part.first) {
		error("no memory for the rules");
		ret = EXIT_FAIL;
	}
	if (ret == EXIT_OK) {
		struct nl_call call = {
			.cmd = NETVIRT_CMD_FW_RULE_NEW, .fill = fill_load,
			.req = &l, .what = "loading the rules",
			.size = l.n * LOAD_RULE_BYTES + 4096,
			.locate = locate_rule, .part = load_part,
		};

		ret = run_change(&call);
		error_at(NULL, 0);
	}
	free(part.first);
	free(l.rules);
	return ret;
}
