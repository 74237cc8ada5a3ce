// SPDX-License-Identifier: GPL-2.0
/* nvctl port: attach devices to tenants as VM ports, detach, list. */
#include <stddef.h>
#include <linux/netvirt.h>

#include "attr.h"
#include "command.h"
#include "nvctl.h"
#include "output.h"
#include "utils.h"

/**
 * struct port - the arguments of a port command
 * @dev: the device, sent by name: the module resolves it in its namespace
 * @add: a PORT_NEW request: @tenant, @mac and @addrs go with @dev
 * @tenant: the tenant it joins
 * @mac: the VM's MAC address
 * @addrs: the VM's addresses, each gets a host route
 * @force: PORT_DEL also removes the rules, routes and group memberships
 *	   that name the port
 */
struct port {
	char dev[NAME_SIZE];
	bool add;
	bool force;
	char tenant[NAME_SIZE];
	uint8_t mac[MAC_LEN];
	struct addr_list addrs;
};

static const struct keyword add_keywords[] = {
	{ "tenant", ARG_NAME, offsetof(struct port, tenant), KW_REQUIRED },
	{ "mac", ARG_MAC, offsetof(struct port, mac), KW_REQUIRED },
	{ "ip", ARG_ADDRS, offsetof(struct port, addrs),
	  KW_REQUIRED | KW_REPEAT },
};

static const struct keyword del_keywords[] = {
	{ "force", ARG_FLAG, offsetof(struct port, force), 0 },
};

static const struct attr_spec port_spec[NETVIRT_A_PORT_MAX + 1] = {
	[NETVIRT_A_PORT_IFINDEX] = { A_UINT, "ifindex", NULL },
	[NETVIRT_A_PORT_IFNAME] = { A_STR, "ifname", "%s" },
	[NETVIRT_A_PORT_TENANT] = { A_STR, "tenant", " tenant %s" },
	[NETVIRT_A_PORT_MAC] = { A_MAC, "mac", " mac %s" },
	[NETVIRT_A_PORT_ADDRS] = { A_NEST },
	[NETVIRT_A_PORT_STATE] = { A_UINT },
	[NETVIRT_A_PORT_DETACHED] = { A_STR },
};

/* "attached", or "detached" and why: a VM's device comes and goes. */
static void print_state(const struct nlattr *const *tb)
{
	bool detached = tb[NETVIRT_A_PORT_STATE] &&
			attr_uint(tb[NETVIRT_A_PORT_STATE]) ==
			NETVIRT_PORT_DETACHED;

	out_str("state", " state %s", detached ? "detached" : "attached");
	if (detached && tb[NETVIRT_A_PORT_DETACHED])
		out_str("detached", " (%s)",
			mnl_attr_get_str(tb[NETVIRT_A_PORT_DETACHED]));
}

static void print_addrs_state(const struct nlattr *const *tb)
{
	const struct nlattr *attr;
	struct ipaddr a;

	out_begin_array("ip");
	if (tb[NETVIRT_A_PORT_ADDRS])
		mnl_attr_for_each_nested(attr, tb[NETVIRT_A_PORT_ADDRS])
			if (attr_addr(attr, &a))
				print_addr(NULL, " ip %s", &a, false);
	out_end();
	print_state(tb);
}

static struct reply_printer port_printer = {
	NETVIRT_A_PORT, port_spec, NETVIRT_A_PORT_MAX, print_addrs_state,
};

static void fill_addrs(struct nlmsghdr *nlh, const struct addr_list *l)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, NETVIRT_A_PORT_ADDRS);
	unsigned int i;

	for (i = 0; i < l->n; i++)
		attr_put_addr(nlh, NETVIRT_A_ADDR_IN, NETVIRT_A_ADDR_IN6,
			      &l->addr[i]);
	mnl_attr_nest_end(nlh, nest);
}

static void fill(struct nlmsghdr *nlh, const void *req)
{
	const struct port *p = req;
	struct nlattr *nest;

	nest = mnl_attr_nest_start(nlh, NETVIRT_A_PORT);
	mnl_attr_put_strz(nlh, NETVIRT_A_PORT_IFNAME, p->dev);
	if (p->add) {
		mnl_attr_put_strz(nlh, NETVIRT_A_PORT_TENANT, p->tenant);
		mnl_attr_put(nlh, NETVIRT_A_PORT_MAC, MAC_LEN, p->mac);
		fill_addrs(nlh, &p->addrs);
	}
	mnl_attr_nest_end(nlh, nest);
	if (p->force)
		mnl_attr_put_u32(nlh, NETVIRT_A_FLAGS, NETVIRT_F_FORCE);
}

static int port_add(struct args *a)
{
	struct port p = { .add = true };
	struct nl_call call = {
		.cmd = NETVIRT_CMD_PORT_NEW, .fill = fill, .req = &p,
		.what = "adding the port",
	};

	if (args_object(a, ARG_DEV, p.dev, add_keywords,
			ARRAY_SIZE(add_keywords), &p))
		return EXIT_USAGE;
	return run_change(&call);
}

static int port_del(struct args *a)
{
	struct port p = { 0 };
	struct nl_call call = {
		.cmd = NETVIRT_CMD_PORT_DEL, .fill = fill, .req = &p,
		.what = "deleting the port",
	};

	if (args_object(a, ARG_DEV, p.dev, del_keywords,
			ARRAY_SIZE(del_keywords), &p))
		return EXIT_USAGE;
	return run_change(&call);
}

static int port_show(struct args *a)
{
	struct port p = { 0 };
	struct nl_call call = {
		.cmd = NETVIRT_CMD_PORT_GET, .fill = fill, .req = &p,
		.cb = print_reply_cb, .data = &port_printer,
		.what = "listing ports",
	};

	return run_show(a, ARG_DEV, p.dev, &call);
}

static const struct command commands[] = {
	{ "add", port_add },
	{ "del", port_del },
	{ "show", port_show },
};

void usage_port(FILE *out)
{
	fprintf(out,
		"Usage: nvctl port add DEV tenant NAME mac MAC ip ADDR [ ip ADDR ]...\n"
		"       nvctl port del DEV [ force ]\n"
		"       nvctl port show [ DEV ]\n"
		"DEV := device name, 1-15 bytes\n"
		"NAME := tenant name\n"
		"MAC := XX:XX:XX:XX:XX:XX, unicast\n"
		"ADDR := { A.B.C.D | X:X::X:X }\n");
}

int do_port(struct nvctl *ctl, int argc, char **argv)
{
	(void)ctl;
	return run_command(argc, argv, "port", commands, ARRAY_SIZE(commands),
			   "show", usage_port);
}
