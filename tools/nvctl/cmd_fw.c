// SPDX-License-Identifier: GPL-2.0
/*
 * nvctl fw: a tenant's stateful firewall - its policy, its rules, the
 * address groups and port groups rules name.
 */
#include <errno.h>
#include <net/if.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/netvirt.h>

#include "attr.h"
#include "command.h"
#include "fw.h"
#include "nvctl.h"
#include "output.h"
#include "utils.h"

/* Prefixes or ports one command line may give a group. */
#define GROUP_ARGS_MAX	1024

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

/**
 * struct fw_rule - the arguments of a rule command
 * @tenant: whose firewall
 * @given: bits of enum rule_keyword: what the command line gave
 * @has_handle: a RULE_DEL request: @handle goes with @tenant
 * @handle: the rule to delete
 * @prio: evaluation order, lower first
 * @dir: NETVIRT_FW_DIR_*
 * @dev: the rule's port; "": every port of the tenant (or of @pgroup)
 * @ifindex: @dev resolved in this namespace
 * @pgroup: the port group whose ports the rule is for, or ""
 * @src: source prefix or group
 * @dst: destination prefix or group
 * @proto: IP protocol, or PROTO_ANY
 * @sport: source ports
 * @dport: destination ports
 * @icmp_type: ICMP or ICMPv6 type
 * @action: NETVIRT_FW_ALLOW, _DENY or _REJECT
 * @log: denials go to the monitor
 * @persist: the rule leaves established connections alone
 */
struct fw_rule {
	char tenant[NAME_SIZE];
	uint32_t given;
	bool has_handle;
	uint32_t handle;
	uint32_t prio;
	uint32_t dir;
	char dev[NAME_SIZE];
	uint32_t ifindex;
	char pgroup[NAME_SIZE];
	struct fw_addr src;
	struct fw_addr dst;
	uint32_t proto;
	struct port_range sport;
	struct port_range dport;
	uint32_t icmp_type;
	uint32_t action;
	bool log;
	bool persist;
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

/**
 * struct fw_group - the arguments of a group or pgroup command
 * @tenant: whose group
 * @name: the group; "" for all of them (show)
 * @add: a GROUP_NEW request: @prefixes, or @ifindex, go with @name
 * @ports: a port group: its members are @ifindex, not @prefixes
 * @replace: the group may exist: its members are replaced
 * @n: how many prefixes, or ports
 * @prefixes: an address group's prefixes
 * @ifindex: a port group's ports, resolved in this namespace
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
		uint32_t ifindex[GROUP_ARGS_MAX];
	};
};

/**
 * struct fw_policy - the arguments of fw policy
 * @tenant: whose firewall
 * @policy: NETVIRT_FW_ALLOW or NETVIRT_FW_DENY: what no rule matches
 * @log: denials by the policy go to the monitor
 */
struct fw_policy {
	char tenant[NAME_SIZE];
	uint32_t policy;
	bool log;
};

static const struct keyword policy_keywords[] = {
	{ "log", ARG_FLAG, offsetof(struct fw_policy, log), 0 },
};

static const struct attr_spec fw_spec[NETVIRT_A_FW_MAX + 1] = {
	[NETVIRT_A_FW_TENANT] = { A_STR, "tenant", "tenant %s" },
	[NETVIRT_A_FW_POLICY] = { A_UINT },
	[NETVIRT_A_FW_FLAGS] = { A_UINT },
	[NETVIRT_A_FW_ZONE] = { A_UINT },
	[NETVIRT_A_FW_RULES] = { A_UINT },
	[NETVIRT_A_FW_GROUPS] = { A_UINT },
	[NETVIRT_A_FW_EPOCH] = { A_UINT },
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

/* Both kinds of group have the same table; the line starts by the kind. */
static const struct attr_spec group_spec[NETVIRT_A_FW_GROUP_MAX + 1] = {
	[NETVIRT_A_FW_GROUP_TENANT] = { A_STR, "tenant", NULL },
	[NETVIRT_A_FW_GROUP_NAME] = { A_STR, "name", "group %s" },
	[NETVIRT_A_FW_GROUP_PREFIXES] = { A_NEST },
	[NETVIRT_A_FW_GROUP_RULES] = { A_UINT },
	[NETVIRT_A_FW_GROUP_PORTS] = { A_NEST },
};

static const struct attr_spec pgroup_spec[NETVIRT_A_FW_GROUP_MAX + 1] = {
	[NETVIRT_A_FW_GROUP_TENANT] = { A_STR, "tenant", NULL },
	[NETVIRT_A_FW_GROUP_NAME] = { A_STR, "name", "pgroup %s" },
	[NETVIRT_A_FW_GROUP_PREFIXES] = { A_NEST },
	[NETVIRT_A_FW_GROUP_RULES] = { A_UINT },
	[NETVIRT_A_FW_GROUP_PORTS] = { A_NEST },
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
static void print_ports(const char *key, const char *fmt,
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
static void print_fw_addr(const char *key, const char *fmt,
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

/* "tenant blue policy deny [log] zone 1 epoch 3 rules 2 groups 1" */
static void print_fw(const struct nlattr *const *tb)
{
	const struct nlattr *flags = tb[NETVIRT_A_FW_FLAGS];

	if (tb[NETVIRT_A_FW_POLICY])
		out_str("policy", " policy %s",
			format_fw_action(attr_uint(tb[NETVIRT_A_FW_POLICY])));
	out_bool("log", " log",
		 flags && (attr_uint(flags) & NETVIRT_FW_F_LOG));
	print_opt_uint(tb[NETVIRT_A_FW_ZONE], "zone", " zone %llu");
	print_opt_uint(tb[NETVIRT_A_FW_EPOCH], "epoch", " epoch %llu");
	/* JSON has the rules themselves, and fw group show the groups. */
	print_opt_uint(tb[NETVIRT_A_FW_RULES], NULL, " rules %llu");
	print_opt_uint(tb[NETVIRT_A_FW_GROUPS], NULL, " groups %llu");
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

static struct reply_printer fw_printer = {
	NETVIRT_A_FW, fw_spec, NETVIRT_A_FW_MAX, print_fw,
};

static struct reply_printer rule_printer = {
	NETVIRT_A_FW_RULE, rule_spec, NETVIRT_A_FW_RULE_MAX, print_rule,
};

static struct reply_printer rule_handle_printer = {
	NETVIRT_A_FW_RULE, rule_handle_spec, NETVIRT_A_FW_RULE_MAX, NULL,
};

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

static void put_prefix(struct nlmsghdr *nlh, const struct ipaddr *p)
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
	if (r->ifindex)
		mnl_attr_put_u32(nlh, NETVIRT_A_FW_RULE_IFINDEX, r->ifindex);
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

static void fill_rule_new(struct nlmsghdr *nlh, const void *req)
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

/* PORTS{IFINDEX...}, a port group's members; may be empty. */
static void put_group_ports(struct nlmsghdr *nlh, const struct fw_group *g)
{
	struct nlattr *ports;
	unsigned int i;

	ports = mnl_attr_nest_start(nlh, NETVIRT_A_FW_GROUP_PORTS);
	for (i = 0; i < g->n; i++)
		mnl_attr_put_u32(nlh, NETVIRT_A_FW_GROUP_IFINDEX, g->ifindex[i]);
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

/* FW_SET sends the flags always: "policy deny" turns logging off. */
static void fill_policy(struct nlmsghdr *nlh, const void *req)
{
	const struct fw_policy *p = req;
	struct nlattr *nest;

	nest = mnl_attr_nest_start(nlh, NETVIRT_A_FW);
	mnl_attr_put_strz(nlh, NETVIRT_A_FW_TENANT, p->tenant);
	mnl_attr_put_u8(nlh, NETVIRT_A_FW_POLICY, p->policy);
	mnl_attr_put_u32(nlh, NETVIRT_A_FW_FLAGS, p->log ? NETVIRT_FW_F_LOG : 0);
	mnl_attr_nest_end(nlh, nest);
}

static void fill_fw_get(struct nlmsghdr *nlh, const void *req)
{
	const struct fw_rule *r = req;
	struct nlattr *nest;

	nest = mnl_attr_nest_start(nlh, NETVIRT_A_FW);
	mnl_attr_put_strz(nlh, NETVIRT_A_FW_TENANT, r->tenant);
	mnl_attr_nest_end(nlh, nest);
}

/* Every fw command starts with "tenant NAME". */
static int parse_tenant(struct args *a, char *tenant)
{
	if (args_expect(a, "tenant") ||
	    args_value(a, ARG_NAME, "tenant", tenant))
		return EXIT_USAGE;
	return EXIT_OK;
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

static int parse_rule_add(struct args *a, struct fw_rule *r)
{
	if (parse_tenant(a, r->tenant) ||
	    args_keywords_seen(a, rule_keywords, N_RULE_KEYWORDS, r, &r->given))
		return EXIT_USAGE;
	return check_rule(r);
}

static int rule_add(struct args *a)
{
	struct fw_rule r = { .proto = PROTO_ANY };
	struct nl_call call = {
		.cmd = NETVIRT_CMD_FW_RULE_NEW, .fill = fill_rule_new,
		.req = &r, .cb = print_reply_cb, .data = &rule_handle_printer,
		.what = "adding the rule",
	};

	if (parse_rule_add(a, &r))
		return EXIT_USAGE;
	if (r.dev[0] && resolve_dev(r.dev, &r.ifindex))
		return EXIT_FAIL;
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

/* Rules one `fw load` may send, and the words of one of its lines. */
#define LOAD_MAX_RULES	(1 << 20)
#define LOAD_MAX_WORDS	64
/* Request bytes per rule, at most: tenant, port group, addresses, ports. */
#define LOAD_RULE_BYTES	192

/**
 * struct fw_load - the rules of a file, sent in one request
 * @n: rules read
 * @size: rules allocated
 * @rules: the rules
 */
struct fw_load {
	size_t n, size;
	struct fw_rule *rules;
};

static void fill_load(struct nlmsghdr *nlh, const void *req)
{
	const struct fw_load *l = req;
	size_t i;

	for (i = 0; i < l->n; i++)
		fill_rule_new(nlh, &l->rules[i]);
}

/* Splits @line into words, in place; the number of words, -1: too many. */
static int split_words(char *line, char **words)
{
	char *save, *w;
	int n = 0;

	for (w = strtok_r(line, " \t\r\n", &save); w;
	     w = strtok_r(NULL, " \t\r\n", &save)) {
		if (n == LOAD_MAX_WORDS)
			return -1;
		words[n++] = w;
	}
	return n;
}

static struct fw_rule *load_next(struct fw_load *l, const char *tenant)
{
	struct fw_rule *r;

	if (l->n == l->size) {
		size_t size = l->size ? 2 * l->size : 1024;

		r = realloc(l->rules, size * sizeof(*r));
		if (!r)
			return NULL;
		l->rules = r;
		l->size = size;
	}
	r = &l->rules[l->n];
	*r = (struct fw_rule){ .proto = PROTO_ANY };
	snprintf(r->tenant, sizeof(r->tenant), "%s", tenant);
	return r;
}

/* One line of the file: the words of `fw rule add` after the tenant. */
static int load_line(struct fw_load *l, const char *tenant, char *line,
		     const char *file, unsigned int lineno)
{
	char *words[LOAD_MAX_WORDS];
	struct args a = { .object = "fw" };
	struct fw_rule *r;

	a.argc = split_words(line, words);
	a.argv = words;
	if (!a.argc || words[0][0] == '#')
		return EXIT_OK;
	if (a.argc < 0)
		return usage_error("%s:%u: too many words", file, lineno);
	if (l->n == LOAD_MAX_RULES)
		return usage_error("%s:%u: more than %d rules", file, lineno,
				   LOAD_MAX_RULES);
	r = load_next(l, tenant);
	if (!r) {
		error("no memory for the rules of %s", file);
		return EXIT_FAIL;
	}
	if (args_keywords_seen(&a, rule_keywords, N_RULE_KEYWORDS, r,
			       &r->given) || check_rule(r)) {
		fprintf(stderr, "%s:%u: in this rule\n", file, lineno);
		return EXIT_USAGE;
	}
	if (r->dev[0] && resolve_dev(r->dev, &r->ifindex))
		return EXIT_FAIL;
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
	while (ret == EXIT_OK && getline(&line, &cap, f) >= 0)
		ret = load_line(l, tenant, line, file, ++lineno);
	free(line);
	if (f != stdin)
		fclose(f);
	if (ret == EXIT_OK && !l->n)
		return usage_error("%s has no rule", file);
	return ret;
}

/*
 * `fw load tenant T FILE`: every rule of FILE added in one request, so in
 * one change of the firewall, all of them or none.
 */
static int fw_load(struct args *a)
{
	struct fw_load l = {};
	char tenant[NAME_SIZE];
	const char *file;
	int ret;

	if (parse_tenant(a, tenant))
		return EXIT_USAGE;
	file = args_pop(a);
	if (!file)
		return usage_error("missing FILE");
	if (args_end(a))
		return EXIT_USAGE;
	ret = load_file(&l, tenant, file);
	if (ret == EXIT_OK) {
		struct nl_call call = {
			.cmd = NETVIRT_CMD_FW_RULE_NEW, .fill = fill_load,
			.req = &l, .what = "loading the rules",
			.size = l.n * LOAD_RULE_BYTES + 4096,
		};

		ret = run_change(&call);
	}
	free(l.rules);
	return ret;
}

static const struct command rule_commands[] = {
	{ "add", rule_add },
	{ "del", rule_del },
};

static int fw_rule(struct args *a)
{
	return run_command(a->argc, a->argv, "fw", rule_commands,
			   ARRAY_SIZE(rule_commands), NULL, usage_fw);
}

/* The firewall's line (an object in JSON), then its rules. */
static int fw_show(struct args *a)
{
	struct fw_rule r = { 0 };
	struct nl_call fw = {
		.cmd = NETVIRT_CMD_FW_GET, .fill = fill_fw_get, .req = &r,
		.cb = print_reply_cb, .data = &fw_printer,
		.what = "reading the firewall",
	};
	struct nl_call rules = {
		.cmd = NETVIRT_CMD_FW_RULE_GET, .dump = true,
		.fill = fill_rule_key, .req = &r, .cb = print_reply_cb,
		.data = &rule_printer, .what = "listing the rules",
	};

	if (parse_tenant(a, r.tenant) || args_end(a))
		return EXIT_USAGE;
	if (nl_call(&fw))
		return EXIT_FAIL;
	out_begin_array("rules");
	if (nl_call(&rules))
		return EXIT_FAIL;
	out_end();
	return out_flush() ? EXIT_FAIL : EXIT_OK;
}

static int fw_policy(struct args *a)
{
	struct fw_policy p = { 0 };
	struct nl_call call = {
		.cmd = NETVIRT_CMD_FW_SET, .fill = fill_policy, .req = &p,
		.what = "setting the policy",
	};

	if (parse_tenant(a, p.tenant) ||
	    args_value(a, ARG_POLICY, NULL, &p.policy) ||
	    args_keywords(a, policy_keywords, ARRAY_SIZE(policy_keywords), &p))
		return EXIT_USAGE;
	return run_change(&call);
}

/* "tenant NAME GROUP": every group command starts so; pgroup's too. */
static int parse_group_key(struct args *a, struct fw_group *g)
{
	if (parse_tenant(a, g->tenant) ||
	    args_value(a, g->ports ? ARG_PGROUP : ARG_GROUP, NULL, g->name))
		return EXIT_USAGE;
	return EXIT_OK;
}

/* [ PREFIX ]... to the end of the line. */
static int parse_prefixes(struct args *a, struct fw_group *g)
{
	while (a->argc) {
		if (g->n == GROUP_ARGS_MAX)
			return usage_error("too many prefixes (%d at most)",
					   GROUP_ARGS_MAX);
		if (args_value(a, ARG_PREFIX, NULL, &g->prefixes[g->n]))
			return EXIT_USAGE;
		g->n++;
	}
	return EXIT_OK;
}

/*
 * [ DEV ]... to the end of the line: every name checked first, so that a
 * usage error is found before a device is looked up.
 */
static int parse_ports(struct args *a, struct fw_group *g)
{
	char **devs = a->argv, name[NAME_SIZE];
	unsigned int i;

	while (a->argc) {
		if (g->n == GROUP_ARGS_MAX)
			return usage_error("too many ports (%d at most)",
					   GROUP_ARGS_MAX);
		if (args_value(a, ARG_DEV, NULL, name))
			return EXIT_USAGE;
		g->n++;
	}
	for (i = 0; i < g->n; i++)
		if (resolve_dev(devs[i], &g->ifindex[i]))
			return EXIT_FAIL;
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

static int fw_group(struct args *a)
{
	return run_command(a->argc, a->argv, "fw", group_commands,
			   ARRAY_SIZE(group_commands), NULL, usage_fw);
}

static int fw_pgroup(struct args *a)
{
	return run_command(a->argc, a->argv, "fw", pgroup_commands,
			   ARRAY_SIZE(pgroup_commands), NULL, usage_fw);
}

static const struct command commands[] = {
	{ "rule", fw_rule },
	{ "group", fw_group },
	{ "pgroup", fw_pgroup },
	{ "policy", fw_policy },
	{ "show", fw_show },
	{ "load", fw_load },
};

void usage_fw(FILE *out)
{
	fprintf(out,
		"Usage: nvctl fw rule add tenant NAME [ prio PRIO ] dir DIR\n"
		"                         [ port DEV | pgroup PGROUP ] [ src ADDR ] [ dst ADDR ]\n"
		"                         [ proto PROTO ] [ sport PORTS ] [ dport PORTS ]\n"
		"                         [ icmp-type TYPE ] action ACTION [ log ] [ persist ]\n"
		"       nvctl fw rule del tenant NAME handle HANDLE\n"
		"       nvctl fw load tenant NAME { FILE | - }\n"
		"       nvctl fw show tenant NAME\n"
		"       nvctl fw policy tenant NAME { allow | deny } [ log ]\n"
		"       nvctl fw group { add | set } tenant NAME GROUP [ PREFIX ]...\n"
		"       nvctl fw group del tenant NAME GROUP\n"
		"       nvctl fw group show tenant NAME [ GROUP ]\n"
		"       nvctl fw pgroup { add | set } tenant NAME PGROUP [ DEV ]...\n"
		"       nvctl fw pgroup del tenant NAME PGROUP\n"
		"       nvctl fw pgroup show tenant NAME [ PGROUP ]\n"
		"PRIO := 0-4294967295, lower first; default %d\n"
		"DIR := { in | out }, to the VM or from it\n"
		"DEV := a port of the tenant; a rule without port or pgroup: every port\n"
		"ADDR := { PREFIX | @GROUP }\n"
		"PREFIX := { A.B.C.D[/LEN] | X:X::X:X[/LEN] }\n"
		"PROTO := { tcp | udp | icmp | icmpv6 | sctp | udplite | dccp | any | 0-255 }; default any\n"
		"PORTS := PORT[-PORT], 0-65535; with tcp, udp, sctp, udplite or dccp\n"
		"TYPE := 0-255; with icmp or icmpv6\n"
		"ACTION := { allow | deny | reject }\n"
		"log: denials go to nvctl monitor; persist: established connections stay\n"
		"GROUP := address group name, 1-15 characters\n"
		"PGROUP := port group name, 1-15 characters; groups of both kinds share names\n"
		"FILE := one rule a line, as after \"fw rule add tenant NAME\"; # comments\n",
		NETVIRT_FW_PRIO_DEFAULT);
}

int do_fw(struct nvctl *ctl, int argc, char **argv)
{
	(void)ctl;
	return run_command(argc, argv, "fw", commands, ARRAY_SIZE(commands),
			   NULL, usage_fw);
}
