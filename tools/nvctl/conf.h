/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NVCTL_CONF_H
#define NVCTL_CONF_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "nvctl.h"
#include "parse.h"

/* The kinds of saved lines, in the order a configuration is built. */
enum conf_kind {
	CONF_HOST,	/* host set ... */
	CONF_UPLINK,	/* uplink set dev DEV */
	CONF_TENANT,	/* tenant add NAME ... */
	CONF_POLICY,	/* fw policy tenant T ... */
	CONF_GROUP,	/* fw group add tenant T NAME ... */
	CONF_PORT,	/* port add DEV tenant T ... */
	CONF_PGROUP,	/* fw pgroup add tenant T NAME ... */
	CONF_ROUTE,	/* route add tenant T PREFIX ... */
	CONF_RULE,	/* fw rule add tenant T ... */
	CONF_NAT,	/* nat add tenant T ... */
	CONF_KINDS
};

/**
 * struct conf_line - one line of a saved configuration
 * @text: the command line, without "nvctl", words single-spaced
 * @kind: what it configures
 * @tenant: its tenant; "" for the host's lines
 * @key: what names the object: a tenant, group, port or prefix; "" for
 *	the host, the uplink, a policy; the line itself for a rule
 * @handle: a rule's handle, for its removal; 0 when not known (a file)
 * @state: used by the plan: matched, changed
 */
struct conf_line {
	char *text;
	enum conf_kind kind;
	char tenant[NAME_SIZE];
	char key[64];
	uint32_t handle;
	int state;
};

/**
 * struct conf - a configuration as the lines that build it
 * @lines: in build order
 * @n: lines
 * @size: lines allocated
 * @gen: the generation it was read at (from the module), or 0
 */
struct conf {
	struct conf_line *lines;
	size_t n;
	size_t size;
	uint64_t gen;
};

int conf_read_module(struct nvctl *ctl, struct conf *c, const char *tenant);
int conf_read_file(struct conf *c, const char *file, const char *tenant);
bool conf_is_json(FILE *f);
int conf_json_lines(FILE *f, const char *file,
		    int (*fn)(void *arg, char *line, unsigned int n), void *arg);
int conf_plan(struct conf *cur, struct conf *want, FILE *plan, FILE *diff);
void conf_free(struct conf *c);

#endif
