// SPDX-License-Identifier: GPL-2.0
/*
 * nvctl nat: a tenant's NAT rules - source NAT of its VMs' connections
 * out, destination NAT of connections in, floating IPs - for what its
 * routes send to the uplink (nvctl uplink).
 */
#include <stddef.h>
#include <stdio.h>
#include <linux/netvirt.h>

#include "attr.h"
#include "command.h"
#include "fw.h"
#include "nvctl.h"
#include "output.h"
#include "utils.h"

/**
 * struct nat - the arguments of a nat command
 * @tenant: whose rules
 * @type: NETVIRT_NAT_*
 * @has_handle: a NAT_DEL request: @handle goes with @tenant
 * @handle: the rule to delete
 * @addr: the NAT address: SNAT's "to", DNAT's and FIP's ADDR
 * @src: SNAT: the prefix of the VMs it applies to; family 0: all
 * @ports: SNAT: the ports to translate to; @ports.lo 0: the default
 * @proto: DNAT: IPPROTO_TCP or IPPROTO_UDP
 * @port: DNAT: the port of @addr
 * @to: DNAT and FIP: the VM's address
 * @to_port: DNAT: the VM's port; 0: @port
 */
struct nat {
	char tenant[NAME_SIZE];
	uint32_t type;
	bool has_handle;
	uint32_t handle;
	struct ipaddr addr;
	struct ipaddr src;
	struct port_range ports;
	uint32_t proto;
	uint32_t port;
	struct ipaddr to;
	uint32_t to_port;
};

#define NAT_KW(name, type, field, flags) \
	{ name, type, offsetof(struct nat, field), flags }

static const struct keyword snat_keywords[] = {
	NAT_KW("src", ARG_PREFIX, src, 0),
	NAT_KW("to", ARG_ADDR, addr, KW_REQUIRED),
	NAT_KW("ports", ARG_NAT_PORTS, ports, 0),
};

/* What may follow DNAT's "to IP". */
static const struct keyword dnat_to_keywords[] = {
	NAT_KW("port", ARG_NAT_PORT, to_port, 0),
};

static const struct keyword del_keywords[] = {
	NAT_KW("handle", ARG_HANDLE, handle, KW_REQUIRED),
};

/* The handle in JSON only: the text line ends with it, see print_rule(). */
static const struct attr_spec nat_spec[NETVIRT_A_NAT_MAX + 1] = {
	[NETVIRT_A_NAT_TENANT] = { A_STR },
	[NETVIRT_A_NAT_HANDLE] = { A_UINT, "handle", NULL },
	[NETVIRT_A_NAT_TYPE] = { A_UINT },
	[NETVIRT_A_NAT_ADDR_IN] = { A_ADDR },
	[NETVIRT_A_NAT_ADDR_IN6] = { A_ADDR },
	[NETVIRT_A_NAT_SRC] = { A_NEST },
	[NETVIRT_A_NAT_PORT_LO] = { A_UINT },
	[NETVIRT_A_NAT_PORT_HI] = { A_UINT },
	[NETVIRT_A_NAT_PROTO] = { A_UINT },
	[NETVIRT_A_NAT_PORT] = { A_UINT },
	[NETVIRT_A_NAT_TO_IN] = { A_ADDR },
	[NETVIRT_A_NAT_TO_IN6] = { A_ADDR },
	[NETVIRT_A_NAT_TO_PORT] = { A_UINT },
	[NETVIRT_A_NAT_PACKETS] = { A_UINT },
	[NETVIRT_A_NAT_BYTES] = { A_UINT },
	[NETVIRT_A_NAT_EXHAUSTED] = { A_UINT },
	[NETVIRT_A_NAT_CONNS] = { A_UINT },
	[NETVIRT_A_NAT_PORTS_USED] = { A_UINT },
};

/* nat add answers with the new rule: only its handle is news. */
static const struct attr_spec handle_spec[NETVIRT_A_NAT_MAX + 1] = {
	[NETVIRT_A_NAT_HANDLE] = { A_UINT, "handle", "handle %llu" },
};

static void print_nat_addr(const char *fmt, const struct nlattr *const *tb)
{
	print_addr_attr("addr", fmt, tb[NETVIRT_A_NAT_ADDR_IN],
			tb[NETVIRT_A_NAT_ADDR_IN6]);
}

static void print_to(const struct nlattr *const *tb)
{
	print_addr_attr("to", " to %s", tb[NETVIRT_A_NAT_TO_IN],
			tb[NETVIRT_A_NAT_TO_IN6]);
}

/* "src 10.0.0.0/24 to 203.0.113.5 ports 1024-65535" */
static void print_snat(const struct nlattr *const *tb)
{
	print_fw_addr("src", " src %s", tb[NETVIRT_A_NAT_SRC]);
	print_nat_addr(" to %s", tb);
	print_ports("ports", " ports %s", tb[NETVIRT_A_NAT_PORT_LO],
		    tb[NETVIRT_A_NAT_PORT_HI]);
}

/* "203.0.113.5 proto tcp port 80 to 10.0.0.5 port 8080" */
static void print_dnat(const struct nlattr *const *tb)
{
	print_nat_addr(" %s", tb);
	print_proto("proto", " proto %s", tb[NETVIRT_A_NAT_PROTO]);
	print_opt_uint(tb[NETVIRT_A_NAT_PORT], "port", " port %llu");
	print_to(tb);
	print_opt_uint(tb[NETVIRT_A_NAT_TO_PORT], "to_port", " port %llu");
}

/* "203.0.113.7 to 10.0.0.7" */
static void print_fip(const struct nlattr *const *tb)
{
	print_nat_addr(" %s", tb);
	print_to(tb);
}

/* A translation keeps the family: @x (@x_word) and @y (@y_word) share it. */
static int check_family(const char *x_word, const struct ipaddr *x,
			bool prefix, const char *y_word, const struct ipaddr *y)
{
	char bx[ADDR_STRLEN], by[ADDR_STRLEN];

	if (!x->family || !y->family || x->family == y->family)
		return EXIT_OK;
	return usage_error("%s %s and %s %s are of different address families",
			   x_word, format_addr(x, prefix, bx), y_word,
			   format_addr(y, false, by));
}

/* [ src PREFIX ] to ADDR [ ports LO-HI ], in any order */
static int parse_snat(struct args *a, struct nat *n)
{
	if (args_keywords(a, snat_keywords, ARRAY_SIZE(snat_keywords), n))
		return EXIT_USAGE;
	return check_family("src", &n->src, true, "to", &n->addr);
}

/* "to IP": where DNAT and FIP rules send, a VM's address. */
static int parse_to(struct args *a, struct nat *n, const char *type)
{
	if (args_expect(a, "to") || args_value(a, ARG_ADDR, "to", &n->to))
		return EXIT_USAGE;
	return check_family(type, &n->addr, false, "to", &n->to);
}

/* ADDR proto { tcp | udp } port PORT to IP [ port PORT ] */
static int parse_dnat(struct args *a, struct nat *n)
{
	if (args_value(a, ARG_ADDR, "dnat", &n->addr) ||
	    args_expect(a, "proto") ||
	    args_value(a, ARG_NAT_PROTO, "proto", &n->proto) ||
	    args_expect(a, "port") ||
	    args_value(a, ARG_NAT_PORT, "port", &n->port) ||
	    parse_to(a, n, "dnat"))
		return EXIT_USAGE;
	return args_keywords(a, dnat_to_keywords, ARRAY_SIZE(dnat_to_keywords),
			     n);
}

/* ADDR to IP */
static int parse_fip(struct args *a, struct nat *n)
{
	if (args_value(a, ARG_ADDR, "fip", &n->addr) ||
	    parse_to(a, n, "fip"))
		return EXIT_USAGE;
	return args_end(a);
}

/* The kinds of rules: their word on the line, parser and printer. */
struct nat_type {
	const char *name;
	int (*parse)(struct args *a, struct nat *n);
	void (*print)(const struct nlattr *const *tb);
};

static const struct nat_type types[] = {
	[NETVIRT_NAT_SNAT] = { "snat", parse_snat, print_snat },
	[NETVIRT_NAT_DNAT] = { "dnat", parse_dnat, print_dnat },
	[NETVIRT_NAT_FIP] = { "fip", parse_fip, print_fip },
};

_Static_assert(ARRAY_SIZE(types) == NETVIRT_NAT_TYPE_MAX + 1,
	       "a NAT type without a name");

/* "packets 3 bytes 180 exhausted 0 conns 1 ports-used 1", a line below. */
static void print_counters_line(const struct nlattr *const *tb, bool snat)
{
	if (!tb[NETVIRT_A_NAT_PACKETS] && !tb[NETVIRT_A_NAT_BYTES] &&
	    !tb[NETVIRT_A_NAT_EXHAUSTED] && !tb[NETVIRT_A_NAT_CONNS])
		return;
	out_text("\n   ");
	print_opt_uint(tb[NETVIRT_A_NAT_PACKETS], "packets", " packets %llu");
	print_opt_uint(tb[NETVIRT_A_NAT_BYTES], "bytes", " bytes %llu");
	print_opt_uint(tb[NETVIRT_A_NAT_EXHAUSTED], "exhausted",
		       " exhausted %llu");
	print_opt_uint(tb[NETVIRT_A_NAT_CONNS], "conns", " conns %llu");
	if (snat)
		print_opt_uint(tb[NETVIRT_A_NAT_PORTS_USED], "ports_used",
			       " ports-used %llu");
}

/*
 * As nat add takes it back after "tenant NAME", then the handle as nft
 * prints one, a comment to the shell; the counters on a line below.
 */
static void print_rule(const struct nlattr *const *tb)
{
	const struct nlattr *type = tb[NETVIRT_A_NAT_TYPE];
	uint64_t t = type ? attr_uint(type) : ARRAY_SIZE(types);
	const struct nat_type *kind = t < ARRAY_SIZE(types) ? &types[t] : NULL;

	out_str("type", "%s", kind ? kind->name : "unknown");
	if (kind)
		kind->print(tb);
	print_opt_uint(tb[NETVIRT_A_NAT_HANDLE], NULL, " # handle %llu");
	print_counters_line(tb, t == NETVIRT_NAT_SNAT);
}

static struct reply_printer rule_printer = {
	NETVIRT_A_NAT, nat_spec, NETVIRT_A_NAT_MAX, print_rule,
};

static struct reply_printer handle_printer = {
	NETVIRT_A_NAT, handle_spec, NETVIRT_A_NAT_MAX, NULL,
};

static void put_src(struct nlmsghdr *nlh, const struct ipaddr *src)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, NETVIRT_A_NAT_SRC);

	put_prefix(nlh, src);
	mnl_attr_nest_end(nlh, nest);
}

/* What the line gave, in the order of the attribute types. */
static void fill_new(struct nlmsghdr *nlh, const void *req)
{
	const struct nat *n = req;
	struct nlattr *nest;

	nest = mnl_attr_nest_start(nlh, NETVIRT_A_NAT);
	mnl_attr_put_strz(nlh, NETVIRT_A_NAT_TENANT, n->tenant);
	mnl_attr_put_u8(nlh, NETVIRT_A_NAT_TYPE, n->type);
	attr_put_addr(nlh, NETVIRT_A_NAT_ADDR_IN, NETVIRT_A_NAT_ADDR_IN6,
		      &n->addr);
	if (n->src.family)
		put_src(nlh, &n->src);
	if (n->ports.lo) {
		mnl_attr_put_u16(nlh, NETVIRT_A_NAT_PORT_LO, n->ports.lo);
		mnl_attr_put_u16(nlh, NETVIRT_A_NAT_PORT_HI, n->ports.hi);
	}
	if (n->type == NETVIRT_NAT_DNAT) {
		mnl_attr_put_u8(nlh, NETVIRT_A_NAT_PROTO, n->proto);
		mnl_attr_put_u16(nlh, NETVIRT_A_NAT_PORT, n->port);
	}
	if (n->to.family)
		attr_put_addr(nlh, NETVIRT_A_NAT_TO_IN, NETVIRT_A_NAT_TO_IN6,
			      &n->to);
	if (n->to_port)
		mnl_attr_put_u16(nlh, NETVIRT_A_NAT_TO_PORT, n->to_port);
	mnl_attr_nest_end(nlh, nest);
}

/* NAT_DEL: the tenant and the handle; NAT_GET: the tenant alone. */
static void fill_key(struct nlmsghdr *nlh, const void *req)
{
	const struct nat *n = req;
	struct nlattr *nest;

	nest = mnl_attr_nest_start(nlh, NETVIRT_A_NAT);
	mnl_attr_put_strz(nlh, NETVIRT_A_NAT_TENANT, n->tenant);
	if (n->has_handle)
		mnl_attr_put_u32(nlh, NETVIRT_A_NAT_HANDLE, n->handle);
	mnl_attr_nest_end(nlh, nest);
}

/* { snat ... | dnat ... | fip ... }, after "tenant NAME" */
static int parse_nat_rule(struct args *a, struct nat *n)
{
	const char *arg = args_pop(a);
	size_t i;

	for (i = 0; i < ARRAY_SIZE(types); i++) {
		if (matches(arg, types[i].name)) {
			n->type = i;
			return types[i].parse(a, n);
		}
	}
	if (!arg)
		return usage_error("missing NAT type: snat, dnat or fip");
	return usage_error("unknown NAT type \"%s\": expected snat, dnat or fip",
			   arg);
}

static int nat_add(struct args *a)
{
	struct nat n = { 0 };
	struct nl_call call = {
		.cmd = NETVIRT_CMD_NAT_NEW, .fill = fill_new, .req = &n,
		.cb = print_reply_cb, .data = &handle_printer,
		.what = "adding the NAT rule",
	};

	if (parse_tenant(a, n.tenant) || parse_nat_rule(a, &n))
		return EXIT_USAGE;
	return run_get(&call);
}

static int nat_del(struct args *a)
{
	struct nat n = { .has_handle = true };
	struct nl_call call = {
		.cmd = NETVIRT_CMD_NAT_DEL, .fill = fill_key, .req = &n,
		.what = "deleting the NAT rule",
	};

	if (parse_tenant(a, n.tenant) ||
	    args_keywords(a, del_keywords, ARRAY_SIZE(del_keywords), &n))
		return EXIT_USAGE;
	return run_change(&call);
}

static int nat_show(struct args *a)
{
	struct nat n = { 0 };
	struct nl_call call = {
		.cmd = NETVIRT_CMD_NAT_GET, .dump = true, .fill = fill_key,
		.req = &n, .cb = print_reply_cb, .data = &rule_printer,
		.what = "listing the NAT rules",
	};

	if (parse_tenant(a, n.tenant) || args_end(a))
		return EXIT_USAGE;
	return run_list(&call, 1);
}

static const struct command commands[] = {
	{ "add", nat_add },
	{ "del", nat_del },
	{ "show", nat_show },
};

void usage_nat(FILE *out)
{
	fprintf(out,
		"Usage: nvctl nat add tenant NAME RULE\n"
		"       nvctl nat del tenant NAME handle HANDLE\n"
		"       nvctl nat show tenant NAME\n"
		"RULE := { snat [ src PREFIX ] to ADDR [ ports PORT-PORT ] |\n"
		"          dnat ADDR proto { tcp | udp } port PORT to IP [ port PORT ] |\n"
		"          fip ADDR to IP }\n"
		"PREFIX := { A.B.C.D[/LEN] | X:X::X:X[/LEN] }, the VMs' sources; default all\n"
		"ADDR := { A.B.C.D | X:X::X:X }, the NAT address, on the uplink\n"
		"IP := the VM's address, of ADDR's family\n"
		"PORT := 1-65535; snat ports default %d-%d, dnat's second PORT the first\n"
		"nat add prints the new rule's handle; nat show prints each rule as\n"
		"nat add takes it, its handle, and its counters.\n",
		NETVIRT_NAT_PORT_LO, NETVIRT_NAT_PORT_HI);
}

int do_nat(struct nvctl *ctl, int argc, char **argv)
{
	(void)ctl;
	return run_command(argc, argv, "nat", commands, ARRAY_SIZE(commands),
			   NULL, usage_nat);
}
