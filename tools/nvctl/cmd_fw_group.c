// SPDX-License-Identifier: GPL-2.0
/*
 * nvctl fw group and fw pgroup: the address groups and the port groups
 * a tenant's rules name. Both kinds share one namespace of names and one
 * family of commands, GROUP_*: a group has prefixes, or ports.
 */
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netvirt.h>

#include "attr.h"
#include "command.h"
#include "fw.h"
#include "nvctl.h"
#include "output.h"
#include "utils.h"

/* Prefixes or ports one command line may give a group. */
#define GROUP_ARGS_MAX	1024

/**
 * struct fw_group - the arguments of a group or pgroup command
 * @tenant: whose group
 * @name: the group; "" for all of them (show)
 * @add: a GROUP_NEW request: @prefixes, or @devs, go with @name
 * @ports: a port group: its members are @devs, not @prefixes
 * @replace: the group may exist: its members are replaced
 * @n: how many prefixes, or ports
 * @prefixes: an address group's prefixes
 * @devs: a port group's ports, by name
 */
struct fw_group {
	char tenant[NAME_SIZE];
	char name[NAME_SIZE];
	bool add;
	bool ports;
	bool replace;
	unsigned int n;
	union {
		struct ipaddr prefixes[GROUP_ARGS_MAX];
		char devs[GROUP_ARGS_MAX][NAME_SIZE];
	};
};

/* Both kinds of group have the same table; the line starts by the kind. */
#define GROUP_SPEC(name_fmt) {						\
	[NETVIRT_A_FW_GROUP_TENANT] = { A_STR, "tenant", NULL },	\
	[NETVIRT_A_FW_GROUP_NAME] = { A_STR, "name", name_fmt },	\
	[NETVIRT_A_FW_GROUP_PREFIXES] = { A_NEST },			\
	[NETVIRT_A_FW_GROUP_RULES] = { A_UINT },			\
	[NETVIRT_A_FW_GROUP_PORTS] = { A_NEST },			\
}

static const struct attr_spec group_spec[NETVIRT_A_FW_GROUP_MAX + 1] =
	GROUP_SPEC("group %s");

static const struct attr_spec pgroup_spec[NETVIRT_A_FW_GROUP_MAX + 1] =
	GROUP_SPEC("pgroup %s");

/* "prefixes A B" in text, only when there is one; an array in JSON. */
static void print_group(const struct nlattr *const *tb)
{
	const struct nlattr *attr;
	bool first = true;

	out_begin_array("prefixes");
	if (tb[NETVIRT_A_FW_GROUP_PREFIXES]) {
		mnl_attr_for_each_nested(attr, tb[NETVIRT_A_FW_GROUP_PREFIXES]) {
			if (!attr_valid(attr, A_NEST))
				continue;
			out_text("%s", first ? " prefixes" : "");
			print_fw_addr(NULL, " %s", attr);
			first = false;
		}
	}
	out_end();
	print_opt_uint(tb[NETVIRT_A_FW_GROUP_RULES], "rules", " rules %llu");
}

/*
 * A member of a port group, " ports" before the first: the name the
 * module gave (@name), else as print_port() finds a port by its index.
 */
static void print_member(const char *name, uint32_t ifindex, bool *first)
{
	char buf[IF_NAMESIZE];

	out_text("%s", *first ? " ports" : "");
	*first = false;
	if (!name && if_indextoname(ifindex, buf))
		name = buf;
	if (name)
		out_str(NULL, " %s", name);
	else
		out_uint(NULL, " %llu", ifindex);
}

/*
 * "ports A B" in text, only when there is one; an array in JSON. The
 * module follows each IFINDEX with the port's IFNAME.
 */
static void print_pgroup(const struct nlattr *const *tb)
{
	const struct nlattr *attr;
	bool first = true, pending = false;
	uint32_t ifindex = 0;

	out_begin_array("ports");
	if (tb[NETVIRT_A_FW_GROUP_PORTS]) {
		mnl_attr_for_each_nested(attr, tb[NETVIRT_A_FW_GROUP_PORTS]) {
			switch (mnl_attr_get_type(attr)) {
			case NETVIRT_A_FW_GROUP_IFINDEX:
				if (!attr_valid(attr, A_IFINDEX))
					break;
				if (pending)
					print_member(NULL, ifindex, &first);
				ifindex = mnl_attr_get_u32(attr);
				pending = true;
				break;
			case NETVIRT_A_FW_GROUP_IFNAME:
				if (!attr_valid(attr, A_STR))
					break;
				print_member(mnl_attr_get_str(attr), 0, &first);
				pending = false;
				break;
			}
		}
		if (pending)
			print_member(NULL, ifindex, &first);
	}
	out_end();
	print_opt_uint(tb[NETVIRT_A_FW_GROUP_RULES], "rules", " rules %llu");
}

static struct reply_printer group_printer = {
	NETVIRT_A_FW_GROUP, group_spec, NETVIRT_A_FW_GROUP_MAX, print_group,
};

static struct reply_printer pgroup_printer = {
	NETVIRT_A_FW_GROUP, pgroup_spec, NETVIRT_A_FW_GROUP_MAX, print_pgroup,
};

/**
 * struct group_list - what group show and pgroup show print
 * @printer: prints a group of the kind listed
 * @other: PREFIXES or PORTS: a group that has it is of the other kind,
 *	and left out
 * @skipped: how many were left out
 */
struct group_list {
	struct reply_printer *printer;
	uint16_t other;
	unsigned int skipped;
};

static int group_list_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[NETVIRT_A_FW_GROUP_MAX + 1];
	struct group_list *l = data;

	if (!reply_parse(nlh, NETVIRT_A_FW_GROUP, l->printer->spec,
			 NETVIRT_A_FW_GROUP_MAX, tb) && tb[l->other]) {
		l->skipped++;
		return MNL_CB_OK;
	}
	return print_reply_cb(nlh, l->printer);
}

/* PREFIXES{PREFIX{...}...}, an address group's members; may be empty. */
static void put_group_prefixes(struct nlmsghdr *nlh, const struct fw_group *g)
{
	struct nlattr *prefixes, *prefix;
	unsigned int i;

	prefixes = mnl_attr_nest_start(nlh, NETVIRT_A_FW_GROUP_PREFIXES);
	for (i = 0; i < g->n; i++) {
		prefix = mnl_attr_nest_start(nlh, NETVIRT_A_FW_GROUP_PREFIX);
		put_prefix(nlh, &g->prefixes[i]);
		mnl_attr_nest_end(nlh, prefix);
	}
	mnl_attr_nest_end(nlh, prefixes);
}

/* PORTS{IFNAME...}, a port group's members; may be empty. */
static void put_group_ports(struct nlmsghdr *nlh, const struct fw_group *g)
{
	struct nlattr *ports;
	unsigned int i;

	ports = mnl_attr_nest_start(nlh, NETVIRT_A_FW_GROUP_PORTS);
	for (i = 0; i < g->n; i++)
		mnl_attr_put_strz(nlh, NETVIRT_A_FW_GROUP_IFNAME, g->devs[i]);
	mnl_attr_nest_end(nlh, ports);
}

static void fill_group(struct nlmsghdr *nlh, const void *req)
{
	const struct fw_group *g = req;
	struct nlattr *nest;

	nest = mnl_attr_nest_start(nlh, NETVIRT_A_FW_GROUP);
	mnl_attr_put_strz(nlh, NETVIRT_A_FW_GROUP_TENANT, g->tenant);
	if (g->name[0])
		mnl_attr_put_strz(nlh, NETVIRT_A_FW_GROUP_NAME, g->name);
	if (g->add && g->ports)
		put_group_ports(nlh, g);
	else if (g->add)
		put_group_prefixes(nlh, g);
	mnl_attr_nest_end(nlh, nest);
	if (g->replace)
		mnl_attr_put_u32(nlh, NETVIRT_A_FLAGS, NETVIRT_F_REPLACE);
}

/* "tenant NAME GROUP": every group command starts so; pgroup's too. */
static int parse_group_key(struct args *a, struct fw_group *g)
{
	if (parse_tenant(a, g->tenant) ||
	    args_value(a, g->ports ? ARG_PGROUP : ARG_GROUP, NULL, g->name))
		return EXIT_USAGE;
	return EXIT_OK;
}

static bool same_prefix(const struct ipaddr *x, const struct ipaddr *y)
{
	return x->family == y->family && x->plen == y->plen &&
	       !memcmp(x->bytes, y->bytes, x->family == AF_INET ? 4 : 16);
}

/* Whether the last of the group's prefixes is one of the others. */
static bool last_prefix_repeated(const struct fw_group *g)
{
	unsigned int i;

	for (i = 0; i + 1 < g->n; i++)
		if (same_prefix(&g->prefixes[i], &g->prefixes[g->n - 1]))
			return true;
	return false;
}

/* [ PREFIX ]... to the end of the line, each once. */
static int parse_prefixes(struct args *a, struct fw_group *g)
{
	const char *arg;

	while ((arg = args_peek(a))) {
		if (g->n == GROUP_ARGS_MAX)
			return usage_error("too many prefixes (%d at most)",
					   GROUP_ARGS_MAX);
		if (args_value(a, ARG_PREFIX, NULL, &g->prefixes[g->n]))
			return EXIT_USAGE;
		g->n++;
		if (last_prefix_repeated(g))
			return usage_error("prefix \"%s\" is given twice", arg);
	}
	return EXIT_OK;
}

/* [ DEV ]... to the end of the line: ports by name, attached or not. */
static int parse_ports(struct args *a, struct fw_group *g)
{
	while (a->argc) {
		if (g->n == GROUP_ARGS_MAX)
			return usage_error("too many ports (%d at most)",
					   GROUP_ARGS_MAX);
		if (args_value(a, ARG_DEV, NULL, g->devs[g->n]))
			return EXIT_USAGE;
		g->n++;
	}
	return EXIT_OK;
}

/* GROUP_NEW; with @replace, for a group that may exist already. */
static int group_new(struct args *a, bool ports, bool replace)
{
	struct fw_group g = { .add = true, .ports = ports, .replace = replace };
	struct nl_call call = {
		.cmd = NETVIRT_CMD_FW_GROUP_NEW, .fill = fill_group, .req = &g,
		.what = replace ? "setting the group" : "adding the group",
	};
	int ret;

	if (parse_group_key(a, &g))
		return EXIT_USAGE;
	ret = ports ? parse_ports(a, &g) : parse_prefixes(a, &g);
	if (ret)
		return ret;
	return run_change(&call);
}

static int group_add(struct args *a)
{
	return group_new(a, false, false);
}

static int group_set(struct args *a)
{
	return group_new(a, false, true);
}

static int pgroup_add(struct args *a)
{
	return group_new(a, true, false);
}

static int pgroup_set(struct args *a)
{
	return group_new(a, true, true);
}

/* GROUP_DEL goes by the name, which both kinds share. */
static int group_del_kind(struct args *a, bool ports)
{
	struct fw_group g = { .ports = ports };
	struct nl_call call = {
		.cmd = NETVIRT_CMD_FW_GROUP_DEL, .fill = fill_group, .req = &g,
		.what = "deleting the group",
	};

	if (parse_group_key(a, &g) || args_end(a))
		return EXIT_USAGE;
	return run_change(&call);
}

static int group_del(struct args *a)
{
	return group_del_kind(a, false);
}

static int pgroup_del(struct args *a)
{
	return group_del_kind(a, true);
}

/*
 * One group (a doit), or the tenant's every group (a dump), of one kind:
 * a dump leaves the other kind's out; a doit that finds a group of the
 * other kind fails, saying so.
 */
static int group_show_kind(struct args *a, bool ports)
{
	struct fw_group g = { .ports = ports };
	struct group_list l = {
		.printer = ports ? &pgroup_printer : &group_printer,
		.other = ports ? NETVIRT_A_FW_GROUP_PREFIXES :
				 NETVIRT_A_FW_GROUP_PORTS,
	};
	struct nl_call call = {
		.cmd = NETVIRT_CMD_FW_GROUP_GET, .fill = fill_group, .req = &g,
		.cb = group_list_cb, .data = &l,
		.what = "listing the groups",
	};

	if (parse_tenant(a, g.tenant))
		return EXIT_USAGE;
	if (a->argc &&
	    args_value(a, ports ? ARG_PGROUP : ARG_GROUP, NULL, g.name))
		return EXIT_USAGE;
	if (args_end(a))
		return EXIT_USAGE;
	call.dump = !g.name[0];
	out_begin_array(NULL);
	if (nl_call(&call))
		return EXIT_FAIL;
	if (!call.dump && l.skipped) {
		error(ports ? "\"%s\" is an address group; try \"nvctl fw group show\"" :
			      "\"%s\" is a port group; try \"nvctl fw pgroup show\"",
		      g.name);
		return EXIT_FAIL;
	}
	return out_flush() ? EXIT_FAIL : EXIT_OK;
}

static int group_show(struct args *a)
{
	return group_show_kind(a, false);
}

static int pgroup_show(struct args *a)
{
	return group_show_kind(a, true);
}

static const struct command group_commands[] = {
	{ "add", group_add },
	{ "set", group_set },
	{ "del", group_del },
	{ "show", group_show },
};

static const struct command pgroup_commands[] = {
	{ "add", pgroup_add },
	{ "set", pgroup_set },
	{ "del", pgroup_del },
	{ "show", pgroup_show },
};

int fw_group(struct args *a)
{
	return run_command(a->argc, a->argv, "fw", group_commands,
			   ARRAY_SIZE(group_commands), NULL, usage_fw);
}

int fw_pgroup(struct args *a)
{
	return run_command(a->argc, a->argv, "fw", pgroup_commands,
			   ARRAY_SIZE(pgroup_commands), NULL, usage_fw);
}
