// SPDX-License-Identifier: GPL-2.0
/* nvctl host: this host's side of the overlay, its tunnel endpoint. */
#include <stddef.h>
#include <linux/netvirt.h>

#include "attr.h"
#include "command.h"
#include "nvctl.h"
#include "output.h"
#include "utils.h"

/* No "encap" given: the module's default, so nothing is sent. */
#define ENCAP_UNSET	UINT32_MAX

/**
 * struct host - the arguments of host set
 * @underlay: this host's tunnel endpoint, an address of the namespace
 * @dev: the underlay device, sent by name; "": the module picks the
 *	device holding @underlay
 * @encap: NETVIRT_ENCAP_*, or ENCAP_UNSET
 * @port: UDP port, or 0 for the encapsulation's default
 */
struct host {
	struct ipaddr underlay;
	char dev[NAME_SIZE];
	uint32_t encap;
	uint32_t port;
};

static const struct keyword set_keywords[] = {
	{ "underlay", ARG_ADDR, offsetof(struct host, underlay), KW_REQUIRED },
	{ "dev", ARG_DEV, offsetof(struct host, dev), 0 },
	{ "encap", ARG_ENCAP, offsetof(struct host, encap), 0 },
	{ "port", ARG_PORT, offsetof(struct host, port), 0 },
};

/* Underlay and device by the table; the rest by print_host(). */
static const struct attr_spec host_spec[NETVIRT_A_HOST_MAX + 1] = {
	[NETVIRT_A_HOST_UNDERLAY_IN] = { A_ADDR, "underlay", "underlay %s" },
	[NETVIRT_A_HOST_UNDERLAY_IN6] = { A_ADDR, "underlay", "underlay %s" },
	[NETVIRT_A_HOST_IFINDEX] = { A_IFINDEX, "dev", " dev %s" },
	[NETVIRT_A_HOST_IFNAME] = { A_STR },
	[NETVIRT_A_HOST_ENCAP] = { A_UINT },
	[NETVIRT_A_HOST_PORT] = { A_UINT },
	[NETVIRT_A_HOST_TUNNEL_IFINDEX] = { A_IFINDEX },
	[NETVIRT_A_HOST_MTU] = { A_UINT },
	[NETVIRT_A_HOST_STATS] = { A_NEST },
};

/*
 * The line goes on as host set takes it back (encap, port), then what the
 * module made of it: the tunnel device and the inner MTU; the counters
 * follow as nvctl stats prints them.
 */
static void print_host(const struct nlattr *const *tb)
{
	const struct nlattr *tunnel = tb[NETVIRT_A_HOST_TUNNEL_IFINDEX];

	if (tb[NETVIRT_A_HOST_ENCAP])
		out_str("encap", " encap %s",
			format_encap(attr_uint(tb[NETVIRT_A_HOST_ENCAP])));
	if (tb[NETVIRT_A_HOST_PORT])
		out_uint("port", " port %llu",
			 attr_uint(tb[NETVIRT_A_HOST_PORT]));
	if (tunnel)
		print_ifindex("tunnel", "tunnel_ifindex", " tunnel %s",
			      mnl_attr_get_u32(tunnel));
	if (tb[NETVIRT_A_HOST_MTU])
		out_uint("mtu", " mtu %llu", attr_uint(tb[NETVIRT_A_HOST_MTU]));
	if (tb[NETVIRT_A_HOST_STATS]) {
		out_begin("stats");
		print_counters(tb[NETVIRT_A_HOST_STATS]);
		out_end();
	}
}

static struct reply_printer host_printer = {
	NETVIRT_A_HOST, host_spec, NETVIRT_A_HOST_MAX, print_host,
};

/* HOST_SET: what was given; the module applies the defaults. */
static void fill(struct nlmsghdr *nlh, const void *req)
{
	const struct host *h = req;
	struct nlattr *nest;

	nest = mnl_attr_nest_start(nlh, NETVIRT_A_HOST);
	attr_put_addr(nlh, NETVIRT_A_HOST_UNDERLAY_IN,
		      NETVIRT_A_HOST_UNDERLAY_IN6, &h->underlay);
	if (h->dev[0])
		mnl_attr_put_strz(nlh, NETVIRT_A_HOST_IFNAME, h->dev);
	if (h->encap != ENCAP_UNSET)
		mnl_attr_put_u8(nlh, NETVIRT_A_HOST_ENCAP, h->encap);
	if (h->port)
		mnl_attr_put_u16(nlh, NETVIRT_A_HOST_PORT, h->port);
	mnl_attr_nest_end(nlh, nest);
}

static int host_set(struct args *a)
{
	struct host h = { .encap = ENCAP_UNSET };
	struct nl_call call = {
		.cmd = NETVIRT_CMD_HOST_SET, .fill = fill, .req = &h,
		.what = "setting the overlay",
	};

	if (args_keywords(a, set_keywords, ARRAY_SIZE(set_keywords), &h))
		return EXIT_USAGE;
	return run_change(&call);
}

static int host_del(struct args *a)
{
	struct nl_call call = {
		.cmd = NETVIRT_CMD_HOST_DEL, .what = "deleting the overlay",
	};

	if (args_end(a))
		return EXIT_USAGE;
	return run_change(&call);
}

static int host_show(struct args *a)
{
	struct nl_call call = {
		.cmd = NETVIRT_CMD_HOST_GET, .cb = print_reply_cb,
		.data = &host_printer, .what = "reading the overlay",
	};

	if (args_end(a))
		return EXIT_USAGE;
	return run_get(&call);
}

static const struct command commands[] = {
	{ "set", host_set },
	{ "del", host_del },
	{ "show", host_show },
};

void usage_host(FILE *out)
{
	fprintf(out,
		"Usage: nvctl host set underlay ADDR [ dev DEV ] [ encap ENCAP ] [ port PORT ]\n"
		"       nvctl host del\n"
		"       nvctl host show\n"
		"ADDR := { A.B.C.D | X:X::X:X }, this host's underlay address\n"
		"DEV := device name, 1-15 bytes; default: the device of ADDR\n"
		"ENCAP := { geneve | vxlan }; default geneve\n"
		"PORT := UDP port, 1-65535; default %d (geneve), %d (vxlan)\n",
		NETVIRT_GENEVE_PORT, NETVIRT_VXLAN_PORT);
}

int do_host(struct nvctl *ctl, int argc, char **argv)
{
	(void)ctl;
	return run_command(argc, argv, "host", commands, ARRAY_SIZE(commands),
			   "show", usage_host);
}
