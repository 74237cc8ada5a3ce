// SPDX-License-Identifier: GPL-2.0
/* nvctl stats: the counters of tenants and ports, drops by reason. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <linux/netvirt.h>

#include "attr.h"
#include "command.h"
#include "nvctl.h"
#include "output.h"
#include "utils.h"

/* Names of enum netvirt_drop_reason, as its comments give them. */
static const char *const drop_names[] = {
	[NETVIRT_DROP_SPOOFED_MAC] = "spoofed-mac",
	[NETVIRT_DROP_SPOOFED_IP] = "spoofed-ip",
	[NETVIRT_DROP_ETHERTYPE] = "unsupported-ethertype",
	[NETVIRT_DROP_MALFORMED] = "malformed",
	[NETVIRT_DROP_NO_ROUTE] = "no-route",
	[NETVIRT_DROP_BLACKHOLE] = "blackhole",
	[NETVIRT_DROP_TTL_EXPIRED] = "ttl-expired",
	[NETVIRT_DROP_PORT_DOWN] = "port-down",
	[NETVIRT_DROP_NO_OVERLAY] = "no-overlay",
	[NETVIRT_DROP_NO_PORT] = "no-port",
	[NETVIRT_DROP_NEIGH] = "neigh",
	[NETVIRT_DROP_MCAST] = "multicast",
	[NETVIRT_DROP_NOMEM] = "nomem",
	[NETVIRT_DROP_TOO_BIG] = "too-big",
	[NETVIRT_DROP_UNKNOWN_VNI] = "unknown-vni",
	[NETVIRT_DROP_TUNNEL_SOURCE] = "tunnel-source",
	[NETVIRT_DROP_TUNNEL_OPTION] = "tunnel-option",
	[NETVIRT_DROP_TUNNEL_LOOP] = "tunnel-loop",
	[NETVIRT_DROP_FW_DENY] = "fw-deny",
	[NETVIRT_DROP_FW_REJECT] = "fw-reject",
	[NETVIRT_DROP_FW_INVALID] = "fw-invalid",
	[NETVIRT_DROP_FW_CUT] = "fw-cut",
	[NETVIRT_DROP_NO_UPLINK] = "no-uplink",
	[NETVIRT_DROP_NO_NAT] = "no-nat",
	[NETVIRT_DROP_NAT_EXHAUSTED] = "nat-exhausted",
};

_Static_assert(ARRAY_SIZE(drop_names) == NETVIRT_DROP_MAX + 1,
	       "a drop reason without a name");

/* A drop reason's name; "reason-N" for one newer than nvctl. */
const char *format_drop_reason(uint64_t reason, char buf[DROP_NAME_SIZE])
{
	if (reason < ARRAY_SIZE(drop_names))
		snprintf(buf, DROP_NAME_SIZE, "%s", drop_names[reason]);
	else
		snprintf(buf, DROP_NAME_SIZE, "reason-%llu",
			 (unsigned long long)reason);
	return buf;
}

/**
 * struct stats - whose counters: one tenant or one port
 * @tenant: the tenant's name, or ""
 * @dev: the port's name, or ""
 */
struct stats {
	char tenant[NAME_SIZE];
	char dev[NAME_SIZE];
};

static const struct keyword keywords[] = {
	{ "tenant", ARG_NAME, offsetof(struct stats, tenant), 0 },
	{ "port", ARG_DEV, offsetof(struct stats, dev), 0 },
};

static const struct attr_spec stats_spec[NETVIRT_A_STATS_MAX + 1] = {
	[NETVIRT_A_STATS_TENANT] = { A_STR, "tenant", "tenant %s" },
	[NETVIRT_A_STATS_IFINDEX] = { A_UINT, "ifindex", NULL },
	[NETVIRT_A_STATS_IFNAME] = { A_STR },
	[NETVIRT_A_STATS_RX_PACKETS] = { A_UINT, "rx_packets",
					 "\n    rx packets %llu" },
	[NETVIRT_A_STATS_RX_BYTES] = { A_UINT, "rx_bytes", " bytes %llu" },
	[NETVIRT_A_STATS_TX_PACKETS] = { A_UINT, "tx_packets",
					 "\n    tx packets %llu" },
	[NETVIRT_A_STATS_TX_BYTES] = { A_UINT, "tx_bytes", " bytes %llu" },
	[NETVIRT_A_STATS_ARP_REPLIES] = { A_UINT, "arp_replies",
					  "\n    arp-replies %llu" },
	[NETVIRT_A_STATS_ND_REPLIES] = { A_UINT, "nd_replies",
					 " nd-replies %llu" },
	[NETVIRT_A_STATS_ICMP_ERRORS] = { A_UINT, "icmp_errors",
					  " icmp-errors %llu" },
	[NETVIRT_A_STATS_DROPS] = { A_NEST },
};

/* Text shows the reasons that dropped something; JSON all of them. */
static bool print_drop(const struct nlattr *attr)
{
	uint16_t type = mnl_attr_get_type(attr);
	char name[DROP_NAME_SIZE];
	uint64_t n;

	if (type < NETVIRT_A_DROP_FIRST || !attr_valid(attr, A_UINT))
		return false;
	n = attr_uint(attr);
	if (!n && !out_is_json())
		return false;
	format_drop_reason(type - NETVIRT_A_DROP_FIRST, name);
	out_text(" %s", name);
	out_uint(name, " %llu", n);
	return true;
}

static void print_drops(const struct nlattr *const *tb)
{
	const struct nlattr *attr;
	bool any = false;

	out_begin("drops");
	out_text("\n    drops");
	if (tb[NETVIRT_A_STATS_DROPS])
		mnl_attr_for_each_nested(attr, tb[NETVIRT_A_STATS_DROPS])
			any |= print_drop(attr);
	out_text("%s", any ? "" : " none");
	out_end();
}

/*
 * One tenant's or port's counters: a port's under its name, which comes
 * last in the reply but first on the line, attached or not.
 */
static int print_stats_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[ATTR_TB_SIZE];

	(void)data;
	if (reply_parse(nlh, NETVIRT_A_STATS, stats_spec, NETVIRT_A_STATS_MAX,
			tb))
		return MNL_CB_OK;
	out_begin(NULL);
	if (tb[NETVIRT_A_STATS_IFNAME])
		out_str("port", "port %s",
			mnl_attr_get_str(tb[NETVIRT_A_STATS_IFNAME]));
	attrs_print(tb, stats_spec, NETVIRT_A_STATS_MAX);
	print_drops(tb);
	out_text("\n");
	out_end();
	return MNL_CB_OK;
}

/*
 * Counters that another object's reply nests (the host's), printed as a
 * tenant's or a port's: a block of lines under the object's line.
 */
void print_counters(const struct nlattr *nest)
{
	const struct nlattr *tb[NETVIRT_A_STATS_MAX + 1];

	attrs_parse(nest, stats_spec, NETVIRT_A_STATS_MAX, tb);
	attrs_print(tb, stats_spec, NETVIRT_A_STATS_MAX);
	print_drops(tb);
}

static void fill(struct nlmsghdr *nlh, const void *req)
{
	const struct stats *s = req;
	struct nlattr *nest;

	nest = mnl_attr_nest_start(nlh, NETVIRT_A_STATS);
	if (s->tenant[0])
		mnl_attr_put_strz(nlh, NETVIRT_A_STATS_TENANT, s->tenant);
	if (s->dev[0])
		mnl_attr_put_strz(nlh, NETVIRT_A_STATS_IFNAME, s->dev);
	mnl_attr_nest_end(nlh, nest);
}

void usage_stats(FILE *out)
{
	fprintf(out,
		"Usage: nvctl stats [ tenant NAME ] [ port DEV ]\n"
		"Without arguments, the counters of every tenant, then of every port.\n");
}

/* A doit for @req's tenant or port; a dump of all when @req is NULL. */
static struct nl_call stats_call(const struct stats *req)
{
	struct nl_call call = {
		.cmd = NETVIRT_CMD_STATS_GET, .dump = !req,
		.fill = req ? fill : NULL, .req = req,
		.cb = print_stats_cb,
		.what = "reading the counters",
	};

	return call;
}

int do_stats(struct nvctl *ctl, int argc, char **argv)
{
	struct args a = { .argc = argc, .argv = argv, .object = "stats" };
	struct stats want = { 0 }, tenant = { 0 }, port = { 0 };
	struct nl_call calls[2];
	size_t n = 0;

	(void)ctl;
	if (args_keywords(&a, keywords, ARRAY_SIZE(keywords), &want))
		return EXIT_USAGE;
	memcpy(port.dev, want.dev, sizeof(port.dev));
	memcpy(tenant.tenant, want.tenant, sizeof(tenant.tenant));
	if (tenant.tenant[0])
		calls[n++] = stats_call(&tenant);
	if (port.dev[0])
		calls[n++] = stats_call(&port);
	if (!n)
		calls[n++] = stats_call(NULL);
	return run_list(calls, n);
}
