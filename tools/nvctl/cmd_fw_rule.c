// SPDX-License-Identifier: GPL-2.0
/*
 * nvctl fw rule: a tenant's firewall rules - add, del, and the rules of
 * fw show - and the printers a rule shares with the groups and the
 * events of nvctl monitor.
 */
#include <net/if.h>
#include <stddef.h>
#include <stdio.h>
#include <linux/netvirt.h>

#include "attr.h"
#include "command.h"
#include "fw.h"
#include "nvctl.h"
#include "output.h"
#include "utils.h"

/* The keywords of fw rule add, in the order of struct fw_rule's @given. */
enum rule_keyword {
	RK_PRIO,
	RK_DIR,
	RK_PORT,
	RK_PGROUP,
	RK_SRC,
	RK_DST,
	RK_PROTO,
	RK_SPORT,
	RK_DPORT,
	RK_ICMP_TYPE,
	RK_ACTION,
	RK_LOG,
	RK_PERSIST,
	N_RULE_KEYWORDS
};

#define RULE_KW(name, type, field, flags) \
	{ name, type, offsetof(struct fw_rule, field), flags }

static const struct keyword rule_keywords[N_RULE_KEYWORDS] = {
	[RK_PRIO] = RULE_KW("prio", ARG_PRIO, prio, 0),
	[RK_DIR] = RULE_KW("dir", ARG_DIR, dir, KW_REQUIRED),
	[RK_PORT] = RULE_KW("port", ARG_DEV, dev, 0),
	[RK_PGROUP] = RULE_KW("pgroup", ARG_PGROUP, pgroup, 0),
	[RK_SRC] = RULE_KW("src", ARG_FW_ADDR, src, 0),
	[RK_DST] = RULE_KW("dst", ARG_FW_ADDR, dst, 0),
	[RK_PROTO] = RULE_KW("proto", ARG_PROTO, proto, 0),
	[RK_SPORT] = RULE_KW("sport", ARG_PORTS, sport, 0),
	[RK_DPORT] = RULE_KW("dport", ARG_PORTS, dport, 0),
	[RK_ICMP_TYPE] = RULE_KW("icmp-type", ARG_ICMP_TYPE, icmp_type, 0),
	[RK_ACTION] = RULE_KW("action", ARG_ACTION, action, KW_REQUIRED),
	[RK_LOG] = RULE_KW("log", ARG_FLAG, log, 0),
	[RK_PERSIST] = RULE_KW("persist", ARG_FLAG, persist, 0),
};

static const struct keyword del_keywords[] = {
	RULE_KW("handle", ARG_HANDLE, handle, KW_REQUIRED),
};

/* A rule prints in the order of fw rule add; print_rule() does it all. */
static const struct attr_spec rule_spec[NETVIRT_A_FW_RULE_MAX + 1] = {
	[NETVIRT_A_FW_RULE_TENANT] = { A_STR },
	[NETVIRT_A_FW_RULE_HANDLE] = { A_UINT },
	[NETVIRT_A_FW_RULE_PRIO] = { A_UINT },
	[NETVIRT_A_FW_RULE_DIR] = { A_UINT },
	[NETVIRT_A_FW_RULE_IFINDEX] = { A_IFINDEX },
	[NETVIRT_A_FW_RULE_IFNAME] = { A_STR },
	[NETVIRT_A_FW_RULE_SRC] = { A_NEST },
	[NETVIRT_A_FW_RULE_DST] = { A_NEST },
	[NETVIRT_A_FW_RULE_PROTO] = { A_UINT },
	[NETVIRT_A_FW_RULE_SPORT_LO] = { A_UINT },
	[NETVIRT_A_FW_RULE_SPORT_HI] = { A_UINT },
	[NETVIRT_A_FW_RULE_DPORT_LO] = { A_UINT },
	[NETVIRT_A_FW_RULE_DPORT_HI] = { A_UINT },
	[NETVIRT_A_FW_RULE_ICMP_TYPE] = { A_UINT },
	[NETVIRT_A_FW_RULE_ACTION] = { A_UINT },
	[NETVIRT_A_FW_RULE_FLAGS] = { A_UINT },
	[NETVIRT_A_FW_RULE_PACKETS] = { A_UINT },
	[NETVIRT_A_FW_RULE_BYTES] = { A_UINT },
	[NETVIRT_A_FW_RULE_CONNS] = { A_UINT },
	[NETVIRT_A_FW_RULE_LAST_HIT] = { A_UINT },
	[NETVIRT_A_FW_RULE_PGROUP] = { A_STR },
};

/* fw rule add answers with the new rule: only its handle is news. */
static const struct attr_spec rule_handle_spec[NETVIRT_A_FW_RULE_MAX + 1] = {
	[NETVIRT_A_FW_RULE_HANDLE] = { A_UINT, "handle", "handle %llu" },
};

static const struct attr_spec fw_addr_spec[NETVIRT_A_FW_ADDR_MAX + 1] = {
	[NETVIRT_A_FW_ADDR_IN] = { A_ADDR },
	[NETVIRT_A_FW_ADDR_IN6] = { A_ADDR },
	[NETVIRT_A_FW_ADDR_PLEN] = { A_UINT },
	[NETVIRT_A_FW_ADDR_GROUP] = { A_STR },
};

/* An optional number: @key NULL prints it in text only. */
void print_opt_uint(const struct nlattr *attr, const char *key,
		    const char *fmt)
{
	if (!attr)
		return;
	if (key)
		out_uint(key, fmt, attr_uint(attr));
	else
		out_text(fmt, (unsigned long long)attr_uint(attr));
}

/* By name when nvctl knows it, else the number. */
void print_proto(const char *key, const char *fmt, const struct nlattr *attr)
{
	const char *name;
	char num[8];

	if (!attr)
		return;
	name = format_proto(attr_uint(attr));
	if (name) {
		out_str(key, fmt, name);
		return;
	}
	snprintf(num, sizeof(num), "%llu", (unsigned long long)attr_uint(attr));
	out_text(fmt, num);
	out_uint(key, NULL, attr_uint(attr));
}

/*
 * A port by the name the module gave, else by its name in this
 * namespace, else by its index (a device of another namespace).
 */
void print_port(const struct nlattr *ifname, const struct nlattr *ifindex)
{
	char name[IF_NAMESIZE];

	if (ifname) {
		out_str("port", " port %s", mnl_attr_get_str(ifname));
	} else if (ifindex) {
		if (if_indextoname(mnl_attr_get_u32(ifindex), name))
			out_str("port", " port %s", name);
		else
			out_uint("port", " port %llu",
				 mnl_attr_get_u32(ifindex));
	}
}

/* "80", or "1000-2000" for a range; a string in JSON either way. */
void print_ports(const char *key, const char *fmt,
		 const struct nlattr *lo, const struct nlattr *hi)
{
	uint64_t first, last;
	char buf[16];

	if (!lo)
		return;
	first = attr_uint(lo);
	last = hi ? attr_uint(hi) : first;
	if (first == last)
		snprintf(buf, sizeof(buf), "%llu", (unsigned long long)first);
	else
		snprintf(buf, sizeof(buf), "%llu-%llu",
			 (unsigned long long)first, (unsigned long long)last);
	out_str(key, fmt, buf);
}

/* A SRC, DST or PREFIX nest: "@group", or "addr/plen". */
void print_fw_addr(const char *key, const char *fmt,
		   const struct nlattr *nest)
{
	const struct nlattr *tb[NETVIRT_A_FW_ADDR_MAX + 1];
	const struct nlattr *addr;
	char group[NAME_SIZE + 1];
	struct ipaddr a;

	if (!nest)
		return;
	attrs_parse(nest, fw_addr_spec, NETVIRT_A_FW_ADDR_MAX, tb);
	if (tb[NETVIRT_A_FW_ADDR_GROUP]) {
		snprintf(group, sizeof(group), "@%s",
			 mnl_attr_get_str(tb[NETVIRT_A_FW_ADDR_GROUP]));
		out_str(key, fmt, group);
		return;
	}
	addr = tb[NETVIRT_A_FW_ADDR_IN] ?: tb[NETVIRT_A_FW_ADDR_IN6];
	if (!addr || !attr_addr(addr, &a))
		return;
	if (tb[NETVIRT_A_FW_ADDR_PLEN])
		a.plen = attr_uint(tb[NETVIRT_A_FW_ADDR_PLEN]);
	print_addr(key, fmt, &a, true);
}

/* "packets 3 bytes 180 conns 1 last-hit 2.5s ago", on a line of its own. */
static void print_rule_counters(const struct nlattr *const *tb)
{
	const struct nlattr *hit = tb[NETVIRT_A_FW_RULE_LAST_HIT];
	uint64_t ms;

	if (!tb[NETVIRT_A_FW_RULE_PACKETS] && !tb[NETVIRT_A_FW_RULE_BYTES] &&
	    !tb[NETVIRT_A_FW_RULE_CONNS] && !hit)
		return;
	out_text("\n   ");
	print_opt_uint(tb[NETVIRT_A_FW_RULE_PACKETS], "packets", " packets %llu");
	print_opt_uint(tb[NETVIRT_A_FW_RULE_BYTES], "bytes", " bytes %llu");
	print_opt_uint(tb[NETVIRT_A_FW_RULE_CONNS], "conns", " conns %llu");
	if (!hit) {
		out_text(" last-hit never");
		return;
	}
	ms = attr_uint(hit);
	out_text(" last-hit %llu.%llus ago", (unsigned long long)ms / 1000,
		 (unsigned long long)ms % 1000 / 100);
	out_uint("last_hit_ms", NULL, ms);
}

/* As fw rule add takes it back, after the handle; counters below. */
static void print_rule(const struct nlattr *const *tb)
{
	const struct nlattr *flags = tb[NETVIRT_A_FW_RULE_FLAGS];
	uint64_t f = flags ? attr_uint(flags) : 0;

	print_opt_uint(tb[NETVIRT_A_FW_RULE_HANDLE], "handle", "handle %llu");
	print_opt_uint(tb[NETVIRT_A_FW_RULE_PRIO], "prio", " prio %llu");
	if (tb[NETVIRT_A_FW_RULE_DIR])
		out_str("dir", " dir %s",
			format_fw_dir(attr_uint(tb[NETVIRT_A_FW_RULE_DIR])));
	print_port(tb[NETVIRT_A_FW_RULE_IFNAME], tb[NETVIRT_A_FW_RULE_IFINDEX]);
	if (tb[NETVIRT_A_FW_RULE_PGROUP])
		out_str("pgroup", " pgroup %s",
			mnl_attr_get_str(tb[NETVIRT_A_FW_RULE_PGROUP]));
	print_fw_addr("src", " src %s", tb[NETVIRT_A_FW_RULE_SRC]);
	print_fw_addr("dst", " dst %s", tb[NETVIRT_A_FW_RULE_DST]);
	print_proto("proto", " proto %s", tb[NETVIRT_A_FW_RULE_PROTO]);
	print_ports("sport", " sport %s", tb[NETVIRT_A_FW_RULE_SPORT_LO],
		    tb[NETVIRT_A_FW_RULE_SPORT_HI]);
	print_ports("dport", " dport %s", tb[NETVIRT_A_FW_RULE_DPORT_LO],
		    tb[NETVIRT_A_FW_RULE_DPORT_HI]);
	print_opt_uint(tb[NETVIRT_A_FW_RULE_ICMP_TYPE], "icmp_type",
		       " icmp-type %llu");
	if (tb[NETVIRT_A_FW_RULE_ACTION])
		out_str("action", " action %s",
			format_fw_action(attr_uint(tb[NETVIRT_A_FW_RULE_ACTION])));
	out_bool("log", " log", f & NETVIRT_FW_F_LOG);
	out_bool("persist", " persist", f & NETVIRT_FW_F_PERSIST);
	print_rule_counters(tb);
}

static struct reply_printer rule_printer = {
	NETVIRT_A_FW_RULE, rule_spec, NETVIRT_A_FW_RULE_MAX, print_rule,
};

static struct reply_printer rule_handle_printer = {
	NETVIRT_A_FW_RULE, rule_handle_spec, NETVIRT_A_FW_RULE_MAX, NULL,
};

void put_prefix(struct nlmsghdr *nlh, const struct ipaddr *p)
{
	attr_put_addr(nlh, NETVIRT_A_FW_ADDR_IN, NETVIRT_A_FW_ADDR_IN6, p);
	mnl_attr_put_u8(nlh, NETVIRT_A_FW_ADDR_PLEN, p->plen);
}

static void put_fw_addr(struct nlmsghdr *nlh, uint16_t type,
			const struct fw_addr *fa)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, type);

	if (fa->group[0])
		mnl_attr_put_strz(nlh, NETVIRT_A_FW_ADDR_GROUP, fa->group);
	else
		put_prefix(nlh, &fa->prefix);
	mnl_attr_nest_end(nlh, nest);
}

static void put_ports(struct nlmsghdr *nlh, uint16_t lo_type, uint16_t hi_type,
		      const struct port_range *r)
{
	mnl_attr_put_u16(nlh, lo_type, r->lo);
	mnl_attr_put_u16(nlh, hi_type, r->hi);
}

static bool given(const struct fw_rule *r, enum rule_keyword kw)
{
	return r->given & (1u << kw);
}

/* What the line gave, in the order of the attribute types (but PGROUP). */
static void put_rule_match(struct nlmsghdr *nlh, const struct fw_rule *r)
{
	if (given(r, RK_PRIO))
		mnl_attr_put_u32(nlh, NETVIRT_A_FW_RULE_PRIO, r->prio);
	mnl_attr_put_u8(nlh, NETVIRT_A_FW_RULE_DIR, r->dir);
	if (r->dev[0])
		mnl_attr_put_strz(nlh, NETVIRT_A_FW_RULE_IFNAME, r->dev);
	if (given(r, RK_SRC))
		put_fw_addr(nlh, NETVIRT_A_FW_RULE_SRC, &r->src);
	if (given(r, RK_DST))
		put_fw_addr(nlh, NETVIRT_A_FW_RULE_DST, &r->dst);
	if (r->proto != PROTO_ANY)
		mnl_attr_put_u8(nlh, NETVIRT_A_FW_RULE_PROTO, r->proto);
	if (given(r, RK_SPORT))
		put_ports(nlh, NETVIRT_A_FW_RULE_SPORT_LO,
			  NETVIRT_A_FW_RULE_SPORT_HI, &r->sport);
	if (given(r, RK_DPORT))
		put_ports(nlh, NETVIRT_A_FW_RULE_DPORT_LO,
			  NETVIRT_A_FW_RULE_DPORT_HI, &r->dport);
	if (given(r, RK_ICMP_TYPE))
		mnl_attr_put_u8(nlh, NETVIRT_A_FW_RULE_ICMP_TYPE, r->icmp_type);
}

void fill_rule_new(struct nlmsghdr *nlh, const void *req)
{
	const struct fw_rule *r = req;
	uint32_t flags = (r->log ? NETVIRT_FW_F_LOG : 0) |
			 (r->persist ? NETVIRT_FW_F_PERSIST : 0);
	struct nlattr *nest;

	nest = mnl_attr_nest_start(nlh, NETVIRT_A_FW_RULE);
	mnl_attr_put_strz(nlh, NETVIRT_A_FW_RULE_TENANT, r->tenant);
	put_rule_match(nlh, r);
	mnl_attr_put_u8(nlh, NETVIRT_A_FW_RULE_ACTION, r->action);
	if (flags)
		mnl_attr_put_u32(nlh, NETVIRT_A_FW_RULE_FLAGS, flags);
	if (given(r, RK_PGROUP))
		mnl_attr_put_strz(nlh, NETVIRT_A_FW_RULE_PGROUP, r->pgroup);
	mnl_attr_nest_end(nlh, nest);
}

/* RULE_DEL: the tenant and the handle; RULE_GET: the tenant alone. */
static void fill_rule_key(struct nlmsghdr *nlh, const void *req)
{
	const struct fw_rule *r = req;
	struct nlattr *nest;

	nest = mnl_attr_nest_start(nlh, NETVIRT_A_FW_RULE);
	mnl_attr_put_strz(nlh, NETVIRT_A_FW_RULE_TENANT, r->tenant);
	if (r->has_handle)
		mnl_attr_put_u32(nlh, NETVIRT_A_FW_RULE_HANDLE, r->handle);
	mnl_attr_nest_end(nlh, nest);
}

static int check_ports(const struct fw_rule *r, enum rule_keyword kw)
{
	if (given(r, kw) && !proto_has_ports(r->proto))
		return usage_error("\"%s\" needs proto tcp, udp, sctp, udplite or dccp",
				   rule_keywords[kw].name);
	return EXIT_OK;
}

/* What the module would refuse anyway, said in the terms of the line. */
static int check_rule(const struct fw_rule *r)
{
	const struct ipaddr *src = &r->src.prefix, *dst = &r->dst.prefix;

	if (check_ports(r, RK_SPORT) || check_ports(r, RK_DPORT))
		return EXIT_USAGE;
	if (given(r, RK_ICMP_TYPE) && !proto_is_icmp(r->proto))
		return usage_error("\"icmp-type\" needs proto icmp or icmpv6");
	if (src->family && dst->family && src->family != dst->family)
		return usage_error("src and dst are of different address families");
	if (given(r, RK_PORT) && given(r, RK_PGROUP))
		return usage_error("\"port\" and \"pgroup\" are exclusive");
	return EXIT_OK;
}

/*
 * The words of fw rule add after "tenant NAME", as fw load reads them
 * too: EXIT_USAGE for a malformed rule. A port is sent by name: the
 * module knows its ports, attached or not.
 */
int parse_rule(struct args *a, struct fw_rule *r)
{
	if (args_keywords_seen(a, rule_keywords, N_RULE_KEYWORDS, r,
			       &r->given) || check_rule(r))
		return EXIT_USAGE;
	return EXIT_OK;
}

static int rule_add(struct args *a)
{
	struct fw_rule r = { .proto = PROTO_ANY };
	struct nl_call call = {
		.cmd = NETVIRT_CMD_FW_RULE_NEW, .fill = fill_rule_new,
		.req = &r, .cb = print_reply_cb, .data = &rule_handle_printer,
		.what = "adding the rule",
	};
	int ret;

	if (parse_tenant(a, r.tenant))
		return EXIT_USAGE;
	ret = parse_rule(a, &r);
	if (ret)
		return ret;
	return run_get(&call);
}

static int rule_del(struct args *a)
{
	struct fw_rule r = { .has_handle = true };
	struct nl_call call = {
		.cmd = NETVIRT_CMD_FW_RULE_DEL, .fill = fill_rule_key, .req = &r,
		.what = "deleting the rule",
	};

	if (parse_tenant(a, r.tenant) ||
	    args_keywords(a, del_keywords, ARRAY_SIZE(del_keywords), &r))
		return EXIT_USAGE;
	return run_change(&call);
}

static const struct command rule_commands[] = {
	{ "add", rule_add },
	{ "del", rule_del },
};

int fw_rule(struct args *a)
{
	return run_command(a->argc, a->argv, "fw", rule_commands,
			   ARRAY_SIZE(rule_commands), NULL, usage_fw);
}

/* The "rules" array of fw show: the tenant's rules, a line each. */
int show_rules(const char *tenant)
{
	struct fw_rule r = { 0 };
	struct nl_call call = {
		.cmd = NETVIRT_CMD_FW_RULE_GET, .dump = true,
		.fill = fill_rule_key, .req = &r, .cb = print_reply_cb,
		.data = &rule_printer, .what = "listing the rules",
	};

	snprintf(r.tenant, sizeof(r.tenant), "%s", tenant);
	out_begin_array("rules");
	if (nl_call(&call))
		return EXIT_FAIL;
	out_end();
	return EXIT_OK;
}
