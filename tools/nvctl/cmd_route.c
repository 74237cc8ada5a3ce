// SPDX-License-Identifier: GPL-2.0
/* nvctl route: a tenant's routes, static ones and its ports' host routes. */
#include <linux/netvirt.h>

#include "attr.h"
#include "command.h"
#include "nvctl.h"
#include "output.h"
#include "utils.h"

/* Next hops one command line may give; the module has its own limit. */
#define ROUTE_MAX_HOPS	64

/* A next hop: a port, by name (@dev set), the uplink, or a host. */
struct hop {
	char dev[NAME_SIZE];
	bool uplink;
	struct ipaddr host;
};

/**
 * struct route - the arguments of a route command
 * @tenant: the tenant whose routes these are
 * @dst: the prefix; family 0 when not given (show)
 * @add: a ROUTE_NEW request: the type and next hops go with @dst
 * @blackhole: a blackhole route, without next hops
 * @n_hops: next hops of a unicast route, several for ECMP
 * @hops: the next hops
 */
struct route {
	char tenant[NAME_SIZE];
	struct ipaddr dst;
	bool add;
	bool blackhole;
	unsigned int n_hops;
	struct hop hops[ROUTE_MAX_HOPS];
};

static const char *const type_names[] = {
	[NETVIRT_ROUTE_UNICAST] = "unicast",
	[NETVIRT_ROUTE_BLACKHOLE] = "blackhole",
};

static const char *const origin_names[] = {
	[NETVIRT_ROUTE_STATIC] = "static",
	[NETVIRT_ROUTE_PORT] = "port",
};

static const struct attr_spec route_spec[NETVIRT_A_ROUTE_MAX + 1] = {
	[NETVIRT_A_ROUTE_TENANT] = { A_STR },
	[NETVIRT_A_ROUTE_DST_IN] = { A_ADDR },
	[NETVIRT_A_ROUTE_DST_IN6] = { A_ADDR },
	[NETVIRT_A_ROUTE_PLEN] = { A_UINT },
	[NETVIRT_A_ROUTE_TYPE] = { A_UINT },
	[NETVIRT_A_ROUTE_NEXTHOPS] = { A_NEST },
	[NETVIRT_A_ROUTE_ORIGIN] = { A_UINT },
};

static const struct attr_spec nexthop_spec[NETVIRT_A_NEXTHOP_MAX + 1] = {
	[NETVIRT_A_NEXTHOP_IFINDEX] = { A_UINT, "ifindex", NULL },
	[NETVIRT_A_NEXTHOP_IFNAME] = { A_STR, "dev", " dev %s" },
	[NETVIRT_A_NEXTHOP_HOST_IN] = { A_ADDR, "host", " host %s" },
	[NETVIRT_A_NEXTHOP_HOST_IN6] = { A_ADDR, "host", " host %s" },
	[NETVIRT_A_NEXTHOP_UPLINK] = { A_FLAG, "uplink", " uplink" },
};

static const char *name_of(const char *const *names, size_t n, uint64_t v)
{
	return v < n ? names[v] : "unknown";
}

static void print_dst(const struct nlattr *const *tb)
{
	const struct nlattr *attr = tb[NETVIRT_A_ROUTE_DST_IN] ?:
				    tb[NETVIRT_A_ROUTE_DST_IN6];
	struct ipaddr a;

	if (!attr || !attr_addr(attr, &a))
		return;
	if (tb[NETVIRT_A_ROUTE_PLEN])
		a.plen = attr_uint(tb[NETVIRT_A_ROUTE_PLEN]);
	print_addr("dst", "%s", &a, true);
}

/* As iproute2 does: "nexthop" before each one of an ECMP route. */
static void print_nexthops(const struct nlattr *nest)
{
	const struct nlattr *tb[NETVIRT_A_NEXTHOP_MAX + 1];
	const struct nlattr *attr;
	unsigned int n = 0;

	out_begin_array("nexthops");
	if (nest) {
		mnl_attr_for_each_nested(attr, nest)
			n++;
		mnl_attr_for_each_nested(attr, nest) {
			if (!attr_valid(attr, A_NEST))
				continue;
			attrs_parse(attr, nexthop_spec, NETVIRT_A_NEXTHOP_MAX, tb);
			out_begin(NULL);
			if (n > 1)
				out_text(" nexthop");
			attrs_print(tb, nexthop_spec, NETVIRT_A_NEXTHOP_MAX);
			out_end();
		}
	}
	out_end();
}

/* Text shows what is not the default: blackhole, proto port. */
static void print_route(const struct nlattr *const *tb)
{
	const struct nlattr *type = tb[NETVIRT_A_ROUTE_TYPE];
	const struct nlattr *origin = tb[NETVIRT_A_ROUTE_ORIGIN];
	uint64_t v;

	print_dst(tb);
	v = type ? attr_uint(type) : NETVIRT_ROUTE_UNICAST;
	out_str("type", v != NETVIRT_ROUTE_UNICAST ? " %s" : NULL,
		name_of(type_names, ARRAY_SIZE(type_names), v));
	print_nexthops(tb[NETVIRT_A_ROUTE_NEXTHOPS]);
	v = origin ? attr_uint(origin) : NETVIRT_ROUTE_STATIC;
	out_str("proto", v != NETVIRT_ROUTE_STATIC ? " proto %s" : NULL,
		name_of(origin_names, ARRAY_SIZE(origin_names), v));
}

static struct reply_printer route_printer = {
	NETVIRT_A_ROUTE, route_spec, NETVIRT_A_ROUTE_MAX, print_route,
};

static void fill_nexthops(struct nlmsghdr *nlh, const struct route *r)
{
	struct nlattr *hops, *hop;
	unsigned int i;

	hops = mnl_attr_nest_start(nlh, NETVIRT_A_ROUTE_NEXTHOPS);
	for (i = 0; i < r->n_hops; i++) {
		hop = mnl_attr_nest_start(nlh, NETVIRT_A_NEXTHOP);
		if (r->hops[i].dev[0])
			mnl_attr_put_strz(nlh, NETVIRT_A_NEXTHOP_IFNAME,
					  r->hops[i].dev);
		else if (r->hops[i].uplink)
			mnl_attr_put(nlh, NETVIRT_A_NEXTHOP_UPLINK, 0, NULL);
		else
			attr_put_addr(nlh, NETVIRT_A_NEXTHOP_HOST_IN,
				      NETVIRT_A_NEXTHOP_HOST_IN6,
				      &r->hops[i].host);
		mnl_attr_nest_end(nlh, hop);
	}
	mnl_attr_nest_end(nlh, hops);
}

static void fill(struct nlmsghdr *nlh, const void *req)
{
	const struct route *r = req;
	struct nlattr *nest;

	nest = mnl_attr_nest_start(nlh, NETVIRT_A_ROUTE);
	mnl_attr_put_strz(nlh, NETVIRT_A_ROUTE_TENANT, r->tenant);
	if (r->dst.family) {
		attr_put_addr(nlh, NETVIRT_A_ROUTE_DST_IN,
			      NETVIRT_A_ROUTE_DST_IN6, &r->dst);
		mnl_attr_put_u8(nlh, NETVIRT_A_ROUTE_PLEN, r->dst.plen);
	}
	if (r->add) {
		mnl_attr_put_u8(nlh, NETVIRT_A_ROUTE_TYPE,
				r->blackhole ? NETVIRT_ROUTE_BLACKHOLE :
					       NETVIRT_ROUTE_UNICAST);
		if (!r->blackhole)
			fill_nexthops(nlh, r);
	}
	mnl_attr_nest_end(nlh, nest);
}

/* "tenant NAME", then PREFIX when @prefix. */
static int parse_key(struct args *a, struct route *r, bool prefix)
{
	if (args_expect(a, "tenant") ||
	    args_value(a, ARG_NAME, "tenant", r->tenant))
		return EXIT_USAGE;
	if (prefix && args_value(a, ARG_PREFIX, NULL, &r->dst))
		return EXIT_USAGE;
	return EXIT_OK;
}

/* Words that start a next hop. */
static bool is_hop_word(const char *arg)
{
	return matches(arg, "dev") || matches(arg, "host") ||
	       matches(arg, "uplink");
}

/*
 * NH := { dev DEV | host ADDR | uplink }; @after is "nexthop", or NULL
 * first.
 */
static int parse_hop(struct args *a, struct route *r, const char *after)
{
	const char *expect = after ? "dev DEV, host ADDR or uplink" :
				     "dev DEV, host ADDR, uplink or blackhole";
	const char *where = after ? " after \"nexthop\"" : "";
	const char *arg = args_pop(a);
	struct hop *h = &r->hops[r->n_hops];
	int ret;

	if (r->n_hops == ROUTE_MAX_HOPS)
		return usage_error("too many next hops (%d at most)",
				   ROUTE_MAX_HOPS);
	if (!arg)
		return usage_error("missing next hop%s: %s", where, expect);
	if (!is_hop_word(arg))
		return usage_error("unknown next hop \"%s\"%s: expected %s",
				   arg, where, expect);
	h->uplink = matches(arg, "uplink");
	if (matches(arg, "dev"))
		ret = args_value(a, ARG_DEV, arg, h->dev);
	else if (matches(arg, "host"))
		ret = args_value(a, ARG_ADDR, arg, &h->host);
	else
		ret = EXIT_OK;
	if (!ret)
		r->n_hops++;
	return ret;
}

static int parse_blackhole(struct args *a, struct route *r)
{
	const char *arg = args_peek(a);

	r->blackhole = true;
	if (matches(arg, "blackhole"))
		return usage_error("\"blackhole\" is given twice");
	if (matches(arg, "nexthop") || is_hop_word(arg))
		return usage_error("a blackhole route has no next hops");
	return args_end(a);
}

/*
 * { NH | blackhole } [ nexthop NH ]...; "nexthop" may introduce the first
 * NH too, as route show prints ECMP routes.
 */
static int parse_hops(struct args *a, struct route *r)
{
	const char *arg = args_peek(a);

	if (matches(arg, "blackhole")) {
		args_pop(a);
		return parse_blackhole(a, r);
	}
	if (!matches(arg, "nexthop") && parse_hop(a, r, NULL))
		return EXIT_USAGE;
	while ((arg = args_pop(a))) {
		if (is_hop_word(arg) || matches(arg, "blackhole"))
			return usage_error("\"%s\" after a next hop: give more next hops with \"nexthop\"",
					   arg);
		if (!matches(arg, "nexthop"))
			return args_unknown(a, arg);
		if (parse_hop(a, r, arg))
			return EXIT_USAGE;
	}
	return EXIT_OK;
}

static int route_add(struct args *a)
{
	struct route r = { .add = true };
	struct nl_call call = {
		.cmd = NETVIRT_CMD_ROUTE_NEW, .fill = fill, .req = &r,
		.what = "adding the route",
	};

	if (parse_key(a, &r, true) || parse_hops(a, &r))
		return EXIT_USAGE;
	return run_change(&call);
}

static int route_del(struct args *a)
{
	struct route r = { 0 };
	struct nl_call call = {
		.cmd = NETVIRT_CMD_ROUTE_DEL, .fill = fill, .req = &r,
		.what = "deleting the route",
	};

	if (parse_key(a, &r, true) || args_end(a))
		return EXIT_USAGE;
	return run_change(&call);
}

static int route_show(struct args *a)
{
	struct route r = { 0 };
	struct nl_call call = {
		.cmd = NETVIRT_CMD_ROUTE_GET, .dump = true, .fill = fill,
		.req = &r, .cb = print_reply_cb, .data = &route_printer,
		.what = "listing routes",
	};

	if (parse_key(a, &r, false) || args_end(a))
		return EXIT_USAGE;
	return run_list(&call, 1);
}

static const struct command commands[] = {
	{ "add", route_add },
	{ "del", route_del },
	{ "show", route_show },
};

void usage_route(FILE *out)
{
	fprintf(out,
		"Usage: nvctl route add tenant NAME PREFIX { NH | blackhole } [ nexthop NH ]...\n"
		"       nvctl route del tenant NAME PREFIX\n"
		"       nvctl route show tenant NAME\n"
		"PREFIX := { A.B.C.D[/LEN] | X:X::X:X[/LEN] }\n"
		"NH := { dev DEV | host ADDR | uplink }\n"
		"ADDR := { A.B.C.D | X:X::X:X }, an underlay address\n"
		"uplink: the host's uplink, where NAT rules translate (nvctl nat help)\n");
}

int do_route(struct nvctl *ctl, int argc, char **argv)
{
	(void)ctl;
	return run_command(argc, argv, "route", commands,
			   ARRAY_SIZE(commands), NULL, usage_route);
}
