// SPDX-License-Identifier: GPL-2.0
/*
 * nvctl uplink: the device on the provider network that NAT traffic
 * leaves and arrives by; routes send to it with the "uplink" next hop.
 */
#include <stddef.h>
#include <linux/netvirt.h>

#include "attr.h"
#include "command.h"
#include "fw.h"
#include "nvctl.h"
#include "output.h"
#include "utils.h"

/**
 * struct uplink - the arguments of uplink set
 * @dev: the device, sent by name: the module resolves it in its namespace
 */
struct uplink {
	char dev[NAME_SIZE];
};

static const struct keyword set_keywords[] = {
	{ "dev", ARG_DEV, offsetof(struct uplink, dev), KW_REQUIRED },
};

/* All by print_uplink(): the device's name comes before its index. */
static const struct attr_spec uplink_spec[NETVIRT_A_UPLINK_MAX + 1] = {
	[NETVIRT_A_UPLINK_IFINDEX] = { A_UINT },
	[NETVIRT_A_UPLINK_IFNAME] = { A_STR },
	[NETVIRT_A_UPLINK_ADDRS] = { A_NEST },
	[NETVIRT_A_UPLINK_STATS] = { A_NEST },
};

/* The NAT addresses the host answers ARP and ND for on the uplink. */
static void print_nat_addrs(const struct nlattr *nest)
{
	const struct nlattr *attr;
	struct ipaddr a;

	out_begin_array("addrs");
	if (nest)
		mnl_attr_for_each_nested(attr, nest)
			if (attr_addr(attr, &a))
				print_addr(NULL, " addr %s", &a, false);
	out_end();
}

/*
 * "dev eth1 ifindex 3 addr 203.0.113.5", as uplink set takes it back up
 * to the index; the counters follow as nvctl stats prints them.
 */
static void print_uplink(const struct nlattr *const *tb)
{
	if (tb[NETVIRT_A_UPLINK_IFNAME])
		out_str("dev", "dev %s",
			mnl_attr_get_str(tb[NETVIRT_A_UPLINK_IFNAME]));
	print_opt_uint(tb[NETVIRT_A_UPLINK_IFINDEX], "ifindex", " ifindex %llu");
	print_nat_addrs(tb[NETVIRT_A_UPLINK_ADDRS]);
	if (tb[NETVIRT_A_UPLINK_STATS]) {
		out_begin("stats");
		print_counters(tb[NETVIRT_A_UPLINK_STATS]);
		out_end();
	}
}

static struct reply_printer uplink_printer = {
	NETVIRT_A_UPLINK, uplink_spec, NETVIRT_A_UPLINK_MAX, print_uplink,
};

static void fill(struct nlmsghdr *nlh, const void *req)
{
	const struct uplink *u = req;
	struct nlattr *nest;

	nest = mnl_attr_nest_start(nlh, NETVIRT_A_UPLINK);
	mnl_attr_put_strz(nlh, NETVIRT_A_UPLINK_IFNAME, u->dev);
	mnl_attr_nest_end(nlh, nest);
}

static int uplink_set(struct args *a)
{
	struct uplink u = { 0 };
	struct nl_call call = {
		.cmd = NETVIRT_CMD_UPLINK_SET, .fill = fill, .req = &u,
		.what = "setting the uplink",
	};

	if (args_keywords(a, set_keywords, ARRAY_SIZE(set_keywords), &u))
		return EXIT_USAGE;
	return run_change(&call);
}

static int uplink_del(struct args *a)
{
	struct nl_call call = {
		.cmd = NETVIRT_CMD_UPLINK_DEL, .what = "deleting the uplink",
	};

	if (args_end(a))
		return EXIT_USAGE;
	return run_change(&call);
}

static int uplink_show(struct args *a)
{
	struct nl_call call = {
		.cmd = NETVIRT_CMD_UPLINK_GET, .cb = print_reply_cb,
		.data = &uplink_printer, .what = "reading the uplink",
	};

	if (args_end(a))
		return EXIT_USAGE;
	return run_get(&call);
}

static const struct command commands[] = {
	{ "set", uplink_set },
	{ "del", uplink_del },
	{ "show", uplink_show },
};

void usage_uplink(FILE *out)
{
	fprintf(out,
		"Usage: nvctl uplink set dev DEV\n"
		"       nvctl uplink del\n"
		"       nvctl uplink show\n"
		"DEV := device name, 1-15 bytes: the device on the provider network\n"
		"       that NAT traffic leaves and arrives by (see nvctl nat help)\n");
}

int do_uplink(struct nvctl *ctl, int argc, char **argv)
{
	(void)ctl;
	return run_command(argc, argv, "uplink", commands,
			   ARRAY_SIZE(commands), "show", usage_uplink);
}
