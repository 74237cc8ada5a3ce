// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: nvctl's command line. The input, split on NUL bytes,
 * is the argument vector after "nvctl"; it goes through nvctl_main(),
 * the same path as the real binary, with every source of tools/nvctl but
 * main.c, nl.c and netns.c compiled in.
 *
 * The seam is the transport API of nl.h: this file implements it without
 * a socket. A request is built as nl.c builds it, in a buffer of nl.c's
 * size (so an overrun is one ASan sees), then checked: well-formed
 * attributes at every level, and strings the module would accept. The
 * commands' reply callbacks get one canned reply each, built as the
 * module builds them, so the printers run in text and JSON. -n NETNS
 * does not enter a namespace.
 *
 * tests/nvctl/msg_test.c fakes nl_call() alone, for commands it calls
 * directly; nvctl_main() also reaches nl_open()/nl_request() (version,
 * info) and netns_switch(), hence a fake of its own here.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/genetlink.h>
#include <linux/netvirt.h>

#include "nl.h"
#include "nvctl.h"
#include "utils.h"

#define MAX_ARGS	256
#define FAMILY		0x20

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char replies[NETVIRT_CMD_MAX + 1][1024];

/* A bug of nvctl's request building: make libFuzzer report it. */
#define require(cond) do { if (!(cond)) __builtin_trap(); } while (0)

/*
 * NUL-terminated strings the module limits: top-level nest, the nest
 * within it that holds the string (0: the top-level nest itself),
 * attribute, size. Attribute types are per nest: a nest's number means
 * nothing without its parent's.
 */
static const struct {
	uint16_t nest, sub, type;
	size_t max;
} strings[] = {
	{ NETVIRT_A_TENANT, 0, NETVIRT_A_TENANT_NAME, NETVIRT_NAME_MAXLEN + 1 },
	{ NETVIRT_A_PORT, 0, NETVIRT_A_PORT_IFNAME, 16 },
	{ NETVIRT_A_PORT, 0, NETVIRT_A_PORT_TENANT, NETVIRT_NAME_MAXLEN + 1 },
	{ NETVIRT_A_ROUTE, 0, NETVIRT_A_ROUTE_TENANT, NETVIRT_NAME_MAXLEN + 1 },
	{ NETVIRT_A_STATS, 0, NETVIRT_A_STATS_TENANT, NETVIRT_NAME_MAXLEN + 1 },
	{ NETVIRT_A_HOST, 0, NETVIRT_A_HOST_IFNAME, 16 },
	{ NETVIRT_A_FW, 0, NETVIRT_A_FW_TENANT, NETVIRT_NAME_MAXLEN + 1 },
	{ NETVIRT_A_FW_RULE, 0, NETVIRT_A_FW_RULE_TENANT,
	  NETVIRT_NAME_MAXLEN + 1 },
	{ NETVIRT_A_FW_RULE, NETVIRT_A_FW_RULE_SRC, NETVIRT_A_FW_ADDR_GROUP,
	  NETVIRT_NAME_MAXLEN + 1 },
	{ NETVIRT_A_FW_RULE, NETVIRT_A_FW_RULE_DST, NETVIRT_A_FW_ADDR_GROUP,
	  NETVIRT_NAME_MAXLEN + 1 },
	{ NETVIRT_A_FW_GROUP, 0, NETVIRT_A_FW_GROUP_TENANT,
	  NETVIRT_NAME_MAXLEN + 1 },
	{ NETVIRT_A_FW_GROUP, 0, NETVIRT_A_FW_GROUP_NAME,
	  NETVIRT_NAME_MAXLEN + 1 },
	{ NETVIRT_A_UPLINK, 0, NETVIRT_A_UPLINK_IFNAME, 16 },
	{ NETVIRT_A_NAT, 0, NETVIRT_A_NAT_TENANT, NETVIRT_NAME_MAXLEN + 1 },
};

/* @a, at @depth, in @sub (depth 2) of the top-level nest @nest. */
static void check_string(uint16_t nest, uint16_t sub, int depth,
			 const struct nlattr *a)
{
	size_t i, len = mnl_attr_get_payload_len(a);
	const char *s = mnl_attr_get_payload(a);

	for (i = 0; i < sizeof(strings) / sizeof(strings[0]); i++) {
		if (strings[i].nest != nest || depth != (strings[i].sub ? 2 : 1) ||
		    strings[i].sub != (depth == 2 ? sub : 0) ||
		    strings[i].type != mnl_attr_get_type(a))
			continue;
		require(len >= 2 && len <= strings[i].max);
		require(strnlen(s, len) == len - 1);
	}
}

/* Attributes at @depth; @top: the top-level nest, @parent: this one. */
static void check_attrs(const uint8_t *p, size_t len, uint16_t top,
			uint16_t parent, int depth)
{
	require(depth < 8);
	while (len) {
		const struct nlattr *a = (const void *)p;

		require(len >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN &&
			a->nla_len <= len);
		check_string(top, parent, depth, a);
		if (a->nla_type & NLA_F_NESTED)
			check_attrs(p + NLA_HDRLEN, a->nla_len - NLA_HDRLEN,
				    depth ? top : mnl_attr_get_type(a),
				    mnl_attr_get_type(a), depth + 1);
		if ((size_t)NLA_ALIGN(a->nla_len) >= len)
			break;
		len -= NLA_ALIGN(a->nla_len);
		p += NLA_ALIGN(a->nla_len);
	}
}

static void check_request(const struct nlmsghdr *nlh)
{
	require(nlh->nlmsg_len >= NLMSG_HDRLEN + GENL_HDRLEN &&
		nlh->nlmsg_len <= NL_BUFSIZE);
	check_attrs((const uint8_t *)nlh + NLMSG_HDRLEN + GENL_HDRLEN,
		    nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN, 0, 0, 0);
}

/* The canned reply to @cmd through @cb; data callbacks only. */
static int answer(uint8_t cmd, mnl_cb_t cb, void *data)
{
	const struct nlmsghdr *nlh = (const void *)replies[cmd];

	if (!cb || !nlh->nlmsg_len)
		return 0;
	return mnl_cb_run(nlh, nlh->nlmsg_len, 0, 0, cb, data) < 0 ? -EPROTO : 0;
}

struct nl *nl_txn;

int nl_open(struct nl *nl)
{
	memset(nl, 0, sizeof(*nl));
	nl->family = FAMILY;
	nl->buf = malloc(NL_BUFSIZE);
	return nl->buf ? 0 : -1;
}

void nl_close(struct nl *nl)
{
	free(nl->buf);
	nl->buf = NULL;
}

struct nlmsghdr *nl_msg(struct nl *nl, uint8_t cmd, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(nl->buf);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = nl->family;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++nl->seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = NETVIRT_GENL_VERSION;
	return nlh;
}

int nl_request(struct nl *nl, const struct nlmsghdr *nlh, mnl_cb_t cb,
	       void *data)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);

	nl->errmsg[0] = '\0';
	check_request(nlh);
	return genl->cmd <= NETVIRT_CMD_MAX ? answer(genl->cmd, cb, data) : 0;
}

int nl_dump(struct nl *nl, const struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	return nl_request(nl, nlh, cb, data);
}

int nl_report(struct nl *nl, int err, const char *what)
{
	if (nl->errmsg[0])
		error("%s", nl->errmsg);
	else
		error("%s: %s", what, strerror(-err));
	return err;
}

int nl_call(const struct nl_call *call)
{
	struct nlmsghdr *nlh;
	struct nl nl;
	int ret;

	if (nl_open(&nl))
		return -1;
	nlh = nl_msg(&nl, call->cmd, call->dump ? NLM_F_DUMP : NLM_F_ACK);
	if (call->fill)
		call->fill(nlh, call->req);
	ret = nl_request(&nl, nlh, call->cb, call->data);
	if (ret)
		nl_report(&nl, ret, call->what);
	nl_close(&nl);
	return ret ? -1 : 0;
}

int netns_switch(const char *name)
{
	return name[0] ? 0 : -1;
}

static struct nlmsghdr *reply(uint8_t cmd)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(replies[cmd]);
	struct genlmsghdr *genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));

	nlh->nlmsg_type = FAMILY;
	nlh->nlmsg_flags = NLM_F_MULTI;
	genl->cmd = cmd;
	genl->version = NETVIRT_GENL_VERSION;
	return nlh;
}

static void put_in(struct nlmsghdr *nlh, uint16_t type, int af,
		   const char *s)
{
	uint8_t a[16];

	inet_pton(af, s, a);
	mnl_attr_put(nlh, type, af == AF_INET ? 4 : 16, a);
}

static void build_info(void)
{
	struct nlmsghdr *nlh = reply(NETVIRT_CMD_INFO_GET);
	struct nlattr *nest;

	mnl_attr_put_strz(nlh, NETVIRT_A_VERSION, "0.0-fuzz");
	mnl_attr_put_u32(nlh, NETVIRT_A_API_VERSION, NETVIRT_API_VERSION);
	mnl_attr_put_u64(nlh, NETVIRT_A_FEATURES, NETVIRT_FEAT_ROUTING);
	mnl_attr_put_u64(nlh, NETVIRT_A_CONFIG_GEN, 42);
	nest = mnl_attr_nest_start(nlh, NETVIRT_A_COUNTS);
	mnl_attr_put_u32(nlh, NETVIRT_A_COUNT_TENANTS, 1);
	mnl_attr_put_u32(nlh, NETVIRT_A_COUNT_PORTS, 1);
	mnl_attr_put_u32(nlh, NETVIRT_A_COUNT_ROUTES, 2);
	mnl_attr_put_u32(nlh, NETVIRT_A_COUNT_RULES, 0);
	mnl_attr_nest_end(nlh, nest);
}

static void build_tenant(void)
{
	static const uint8_t mac[6] = { 0x02, 0x76, 0, 1, 0, 1 };
	struct nlmsghdr *nlh = reply(NETVIRT_CMD_TENANT_GET);
	struct nlattr *nest = mnl_attr_nest_start(nlh, NETVIRT_A_TENANT);

	mnl_attr_put_strz(nlh, NETVIRT_A_TENANT_NAME, "blue");
	mnl_attr_put_u16(nlh, NETVIRT_A_TENANT_ID, 1);
	mnl_attr_put_u32(nlh, NETVIRT_A_TENANT_VNI, 100);
	mnl_attr_put(nlh, NETVIRT_A_TENANT_ROUTER_MAC, sizeof(mac), mac);
	mnl_attr_put_u32(nlh, NETVIRT_A_TENANT_PORTS, 1);
	mnl_attr_put_u32(nlh, NETVIRT_A_TENANT_ROUTES, 2);
	mnl_attr_nest_end(nlh, nest);
}

static void build_port(void)
{
	static const uint8_t mac[6] = { 0x02, 0, 0, 0, 0, 1 };
	struct nlmsghdr *nlh = reply(NETVIRT_CMD_PORT_GET);
	struct nlattr *nest = mnl_attr_nest_start(nlh, NETVIRT_A_PORT), *addrs;

	mnl_attr_put_u32(nlh, NETVIRT_A_PORT_IFINDEX, 1);
	mnl_attr_put_strz(nlh, NETVIRT_A_PORT_IFNAME, "lo");
	mnl_attr_put_strz(nlh, NETVIRT_A_PORT_TENANT, "blue");
	mnl_attr_put(nlh, NETVIRT_A_PORT_MAC, sizeof(mac), mac);
	addrs = mnl_attr_nest_start(nlh, NETVIRT_A_PORT_ADDRS);
	put_in(nlh, NETVIRT_A_ADDR_IN, AF_INET, "10.0.0.1");
	put_in(nlh, NETVIRT_A_ADDR_IN6, AF_INET6, "fd00::1");
	mnl_attr_nest_end(nlh, addrs);
	mnl_attr_nest_end(nlh, nest);
}

static void build_route(void)
{
	struct nlmsghdr *nlh = reply(NETVIRT_CMD_ROUTE_GET);
	struct nlattr *nest = mnl_attr_nest_start(nlh, NETVIRT_A_ROUTE), *nhs,
		      *nh;

	mnl_attr_put_strz(nlh, NETVIRT_A_ROUTE_TENANT, "blue");
	put_in(nlh, NETVIRT_A_ROUTE_DST_IN, AF_INET, "10.1.0.0");
	mnl_attr_put_u8(nlh, NETVIRT_A_ROUTE_PLEN, 16);
	mnl_attr_put_u8(nlh, NETVIRT_A_ROUTE_TYPE, NETVIRT_ROUTE_UNICAST);
	mnl_attr_put_u8(nlh, NETVIRT_A_ROUTE_ORIGIN, NETVIRT_ROUTE_STATIC);
	nhs = mnl_attr_nest_start(nlh, NETVIRT_A_ROUTE_NEXTHOPS);
	nh = mnl_attr_nest_start(nlh, NETVIRT_A_NEXTHOP);
	mnl_attr_put_u32(nlh, NETVIRT_A_NEXTHOP_IFINDEX, 1);
	mnl_attr_nest_end(nlh, nh);
	nh = mnl_attr_nest_start(nlh, NETVIRT_A_NEXTHOP);
	put_in(nlh, NETVIRT_A_NEXTHOP_HOST_IN6, AF_INET6, "2001:db8::1");
	mnl_attr_nest_end(nlh, nh);
	nh = mnl_attr_nest_start(nlh, NETVIRT_A_NEXTHOP);
	mnl_attr_put(nlh, NETVIRT_A_NEXTHOP_UPLINK, 0, NULL);
	mnl_attr_nest_end(nlh, nh);
	mnl_attr_nest_end(nlh, nhs);
	mnl_attr_nest_end(nlh, nest);
}

/* The counters of a NETVIRT_A_STATS nest, or of the host's. */
static void put_counters(struct nlmsghdr *nlh)
{
	struct nlattr *drops;
	uint16_t t;

	for (t = NETVIRT_A_STATS_RX_PACKETS; t <= NETVIRT_A_STATS_ICMP_ERRORS; t++)
		mnl_attr_put_u64(nlh, t, 1000 + t);
	drops = mnl_attr_nest_start(nlh, NETVIRT_A_STATS_DROPS);
	for (t = 0; t <= NETVIRT_DROP_MAX; t++)
		mnl_attr_put_u64(nlh, NETVIRT_A_DROP_FIRST + t, t);
	mnl_attr_nest_end(nlh, drops);
}

static void build_stats(void)
{
	struct nlmsghdr *nlh = reply(NETVIRT_CMD_STATS_GET);
	struct nlattr *nest = mnl_attr_nest_start(nlh, NETVIRT_A_STATS);

	mnl_attr_put_strz(nlh, NETVIRT_A_STATS_TENANT, "blue");
	put_counters(nlh);
	mnl_attr_nest_end(nlh, nest);
}

static void build_host(void)
{
	struct nlmsghdr *nlh = reply(NETVIRT_CMD_HOST_GET);
	struct nlattr *nest = mnl_attr_nest_start(nlh, NETVIRT_A_HOST), *stats;

	put_in(nlh, NETVIRT_A_HOST_UNDERLAY_IN6, AF_INET6, "2001:db8::10");
	mnl_attr_put_u32(nlh, NETVIRT_A_HOST_IFINDEX, 1);
	mnl_attr_put_strz(nlh, NETVIRT_A_HOST_IFNAME, "lo");
	mnl_attr_put_u8(nlh, NETVIRT_A_HOST_ENCAP, NETVIRT_ENCAP_VXLAN);
	mnl_attr_put_u16(nlh, NETVIRT_A_HOST_PORT, NETVIRT_VXLAN_PORT);
	mnl_attr_put_u32(nlh, NETVIRT_A_HOST_TUNNEL_IFINDEX, 1);
	mnl_attr_put_u32(nlh, NETVIRT_A_HOST_MTU, 1430);
	stats = mnl_attr_nest_start(nlh, NETVIRT_A_HOST_STATS);
	put_counters(nlh);
	mnl_attr_nest_end(nlh, stats);
	mnl_attr_nest_end(nlh, nest);
}

static void build_fw(void)
{
	struct nlmsghdr *nlh = reply(NETVIRT_CMD_FW_GET);
	struct nlattr *nest = mnl_attr_nest_start(nlh, NETVIRT_A_FW);

	mnl_attr_put_strz(nlh, NETVIRT_A_FW_TENANT, "blue");
	mnl_attr_put_u8(nlh, NETVIRT_A_FW_POLICY, NETVIRT_FW_DENY);
	mnl_attr_put_u32(nlh, NETVIRT_A_FW_FLAGS, NETVIRT_FW_F_LOG);
	mnl_attr_put_u16(nlh, NETVIRT_A_FW_ZONE, 1);
	mnl_attr_put_u32(nlh, NETVIRT_A_FW_RULES, 1);
	mnl_attr_put_u32(nlh, NETVIRT_A_FW_GROUPS, 1);
	mnl_attr_put_u32(nlh, NETVIRT_A_FW_EPOCH, 3);
	mnl_attr_nest_end(nlh, nest);
}

/* A rule with every attribute; FW_RULE_NEW answers with it too. */
static void build_fw_rule(void)
{
	struct nlmsghdr *nlh = reply(NETVIRT_CMD_FW_RULE_GET);
	struct nlattr *nest = mnl_attr_nest_start(nlh, NETVIRT_A_FW_RULE), *a;

	mnl_attr_put_strz(nlh, NETVIRT_A_FW_RULE_TENANT, "blue");
	mnl_attr_put_u32(nlh, NETVIRT_A_FW_RULE_HANDLE, 1);
	mnl_attr_put_u32(nlh, NETVIRT_A_FW_RULE_PRIO, NETVIRT_FW_PRIO_DEFAULT);
	mnl_attr_put_u8(nlh, NETVIRT_A_FW_RULE_DIR, NETVIRT_FW_DIR_IN);
	mnl_attr_put_u32(nlh, NETVIRT_A_FW_RULE_IFINDEX, 1);
	mnl_attr_put_strz(nlh, NETVIRT_A_FW_RULE_IFNAME, "lo");
	a = mnl_attr_nest_start(nlh, NETVIRT_A_FW_RULE_SRC);
	put_in(nlh, NETVIRT_A_FW_ADDR_IN6, AF_INET6, "fd00::");
	mnl_attr_put_u8(nlh, NETVIRT_A_FW_ADDR_PLEN, 64);
	mnl_attr_nest_end(nlh, a);
	a = mnl_attr_nest_start(nlh, NETVIRT_A_FW_RULE_DST);
	mnl_attr_put_strz(nlh, NETVIRT_A_FW_ADDR_GROUP, "web");
	mnl_attr_nest_end(nlh, a);
	mnl_attr_put_u8(nlh, NETVIRT_A_FW_RULE_PROTO, 6);
	mnl_attr_put_u16(nlh, NETVIRT_A_FW_RULE_SPORT_LO, 1000);
	mnl_attr_put_u16(nlh, NETVIRT_A_FW_RULE_SPORT_HI, 2000);
	mnl_attr_put_u16(nlh, NETVIRT_A_FW_RULE_DPORT_LO, 80);
	mnl_attr_put_u16(nlh, NETVIRT_A_FW_RULE_DPORT_HI, 80);
	mnl_attr_put_u8(nlh, NETVIRT_A_FW_RULE_ACTION, NETVIRT_FW_REJECT);
	mnl_attr_put_u32(nlh, NETVIRT_A_FW_RULE_FLAGS, __NETVIRT_FW_F_ALL);
	mnl_attr_put_u64(nlh, NETVIRT_A_FW_RULE_PACKETS, 3);
	mnl_attr_put_u64(nlh, NETVIRT_A_FW_RULE_BYTES, 180);
	mnl_attr_put_u64(nlh, NETVIRT_A_FW_RULE_CONNS, 1);
	mnl_attr_put_u64(nlh, NETVIRT_A_FW_RULE_LAST_HIT, 2500);
	mnl_attr_nest_end(nlh, nest);
	memcpy(replies[NETVIRT_CMD_FW_RULE_NEW], replies[NETVIRT_CMD_FW_RULE_GET],
	       nlh->nlmsg_len);
	((struct genlmsghdr *)mnl_nlmsg_get_payload(
		(struct nlmsghdr *)replies[NETVIRT_CMD_FW_RULE_NEW]))->cmd =
		NETVIRT_CMD_FW_RULE_NEW;
}

static void build_fw_group(void)
{
	struct nlmsghdr *nlh = reply(NETVIRT_CMD_FW_GROUP_GET);
	struct nlattr *nest = mnl_attr_nest_start(nlh, NETVIRT_A_FW_GROUP),
		      *pfx, *p;

	mnl_attr_put_strz(nlh, NETVIRT_A_FW_GROUP_TENANT, "blue");
	mnl_attr_put_strz(nlh, NETVIRT_A_FW_GROUP_NAME, "web");
	pfx = mnl_attr_nest_start(nlh, NETVIRT_A_FW_GROUP_PREFIXES);
	p = mnl_attr_nest_start(nlh, NETVIRT_A_FW_GROUP_PREFIX);
	put_in(nlh, NETVIRT_A_FW_ADDR_IN, AF_INET, "10.0.0.2");
	mnl_attr_put_u8(nlh, NETVIRT_A_FW_ADDR_PLEN, 32);
	mnl_attr_nest_end(nlh, p);
	p = mnl_attr_nest_start(nlh, NETVIRT_A_FW_GROUP_PREFIX);
	put_in(nlh, NETVIRT_A_FW_ADDR_IN6, AF_INET6, "fd00::2");
	mnl_attr_put_u8(nlh, NETVIRT_A_FW_ADDR_PLEN, 128);
	mnl_attr_nest_end(nlh, p);
	mnl_attr_nest_end(nlh, pfx);
	mnl_attr_put_u32(nlh, NETVIRT_A_FW_GROUP_RULES, 1);
	mnl_attr_nest_end(nlh, nest);
}

static void build_uplink(void)
{
	struct nlmsghdr *nlh = reply(NETVIRT_CMD_UPLINK_GET);
	struct nlattr *nest = mnl_attr_nest_start(nlh, NETVIRT_A_UPLINK), *a;

	mnl_attr_put_u32(nlh, NETVIRT_A_UPLINK_IFINDEX, 1);
	mnl_attr_put_strz(nlh, NETVIRT_A_UPLINK_IFNAME, "lo");
	a = mnl_attr_nest_start(nlh, NETVIRT_A_UPLINK_ADDRS);
	put_in(nlh, NETVIRT_A_ADDR_IN, AF_INET, "203.0.113.5");
	put_in(nlh, NETVIRT_A_ADDR_IN6, AF_INET6, "2001:db8::5");
	mnl_attr_nest_end(nlh, a);
	a = mnl_attr_nest_start(nlh, NETVIRT_A_UPLINK_STATS);
	put_counters(nlh);
	mnl_attr_nest_end(nlh, a);
	mnl_attr_nest_end(nlh, nest);
}

/* A SNAT rule with every attribute; NAT_NEW answers with it too. */
static void build_nat(void)
{
	struct nlmsghdr *nlh = reply(NETVIRT_CMD_NAT_GET);
	struct nlattr *nest = mnl_attr_nest_start(nlh, NETVIRT_A_NAT), *a;
	uint16_t t;

	mnl_attr_put_strz(nlh, NETVIRT_A_NAT_TENANT, "blue");
	mnl_attr_put_u32(nlh, NETVIRT_A_NAT_HANDLE, 1);
	mnl_attr_put_u8(nlh, NETVIRT_A_NAT_TYPE, NETVIRT_NAT_SNAT);
	put_in(nlh, NETVIRT_A_NAT_ADDR_IN, AF_INET, "203.0.113.5");
	a = mnl_attr_nest_start(nlh, NETVIRT_A_NAT_SRC);
	put_in(nlh, NETVIRT_A_FW_ADDR_IN, AF_INET, "10.0.0.0");
	mnl_attr_put_u8(nlh, NETVIRT_A_FW_ADDR_PLEN, 24);
	mnl_attr_nest_end(nlh, a);
	mnl_attr_put_u16(nlh, NETVIRT_A_NAT_PORT_LO, NETVIRT_NAT_PORT_LO);
	mnl_attr_put_u16(nlh, NETVIRT_A_NAT_PORT_HI, NETVIRT_NAT_PORT_HI);
	for (t = NETVIRT_A_NAT_PACKETS; t <= NETVIRT_A_NAT_PORTS_USED; t++)
		mnl_attr_put_u64(nlh, t, t);
	mnl_attr_nest_end(nlh, nest);
	memcpy(replies[NETVIRT_CMD_NAT_NEW], replies[NETVIRT_CMD_NAT_GET],
	       nlh->nlmsg_len);
	((struct genlmsghdr *)mnl_nlmsg_get_payload(
		(struct nlmsghdr *)replies[NETVIRT_CMD_NAT_NEW]))->cmd =
		NETVIRT_CMD_NAT_NEW;
}

int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	build_info();
	build_tenant();
	build_port();
	build_route();
	build_stats();
	build_host();
	build_fw();
	build_fw_rule();
	build_fw_group();
	build_uplink();
	build_nat();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *argv[MAX_ARGS + 1];
	size_t start = 0, i;
	int argc = 0;

	argv[argc++] = strdup("nvctl");
	/* One allocation per argument: reading past one is an ASan error. */
	for (i = 0; size && i <= size && argc < MAX_ARGS; i++) {
		if (i < size && data[i])
			continue;
		argv[argc] = malloc(i - start + 1);
		memcpy(argv[argc], data + start, i - start);
		argv[argc++][i - start] = '\0';
		start = i + 1;
	}
	argv[argc] = NULL;
	nvctl_main(argc, argv);
	fflush(stdout);
	while (argc--)
		free(argv[argc]);
	return 0;
}
