// SPDX-License-Identifier: GPL-2.0
/* nvctl tenant: add, delete and list tenants. */
#include <stddef.h>
#include <string.h>
#include <linux/netvirt.h>

#include "attr.h"
#include "command.h"
#include "nvctl.h"
#include "utils.h"

/**
 * struct tenant - the arguments of a tenant command
 * @name: the tenant
 * @add: a TENANT_NEW request: @id, @vni and @router_mac go with @name
 * @id: tenant id, 1-65535
 * @vni: 0-16777215
 * @router_mac: all zero when not given: the module picks one
 * @force: TENANT_DEL also removes the tenant's ports
 */
struct tenant {
	char name[NAME_SIZE];
	bool add;
	uint32_t id;
	uint32_t vni;
	uint8_t router_mac[MAC_LEN];
	bool force;
};

static const struct keyword add_keywords[] = {
	{ "id", ARG_ID, offsetof(struct tenant, id), KW_REQUIRED },
	{ "vni", ARG_VNI, offsetof(struct tenant, vni), KW_REQUIRED },
	{ "router-mac", ARG_MAC, offsetof(struct tenant, router_mac), 0 },
};

static const struct keyword del_keywords[] = {
	{ "force", ARG_FLAG, offsetof(struct tenant, force), 0 },
};

static const struct attr_spec tenant_spec[NETVIRT_A_TENANT_MAX + 1] = {
	[NETVIRT_A_TENANT_NAME] = { A_STR, "name", "%s" },
	[NETVIRT_A_TENANT_ID] = { A_UINT, "id", " id %llu" },
	[NETVIRT_A_TENANT_VNI] = { A_UINT, "vni", " vni %llu" },
	[NETVIRT_A_TENANT_ROUTER_MAC] = { A_MAC, "router_mac", " router-mac %s" },
	[NETVIRT_A_TENANT_PORTS] = { A_UINT, "ports", " ports %llu" },
	[NETVIRT_A_TENANT_ROUTES] = { A_UINT, "routes", " routes %llu" },
};

static struct reply_printer tenant_printer = {
	NETVIRT_A_TENANT, tenant_spec, NETVIRT_A_TENANT_MAX, NULL,
};

static void fill(struct nlmsghdr *nlh, const void *req)
{
	static const uint8_t no_mac[MAC_LEN];
	const struct tenant *t = req;
	struct nlattr *nest;

	nest = mnl_attr_nest_start(nlh, NETVIRT_A_TENANT);
	mnl_attr_put_strz(nlh, NETVIRT_A_TENANT_NAME, t->name);
	if (t->add) {
		mnl_attr_put_u16(nlh, NETVIRT_A_TENANT_ID, t->id);
		mnl_attr_put_u32(nlh, NETVIRT_A_TENANT_VNI, t->vni);
	}
	if (memcmp(t->router_mac, no_mac, MAC_LEN))
		mnl_attr_put(nlh, NETVIRT_A_TENANT_ROUTER_MAC, MAC_LEN,
			     t->router_mac);
	mnl_attr_nest_end(nlh, nest);
	if (t->force)
		mnl_attr_put_u32(nlh, NETVIRT_A_FLAGS, NETVIRT_F_FORCE);
}

/*
 * A new tenant's firewall denies everything, which surprises whoever
 * pings first: said on standard error, which leaves standard output to
 * the configuration, as for every change.
 */
static int tenant_add(struct args *a)
{
	struct tenant t = { .add = true };
	struct nl_call call = {
		.cmd = NETVIRT_CMD_TENANT_NEW, .fill = fill, .req = &t,
		.what = "adding the tenant",
	};

	if (args_object(a, ARG_NAME, t.name, add_keywords,
			ARRAY_SIZE(add_keywords), &t))
		return EXIT_USAGE;
	if (run_change(&call))
		return EXIT_FAIL;
	fprintf(stderr, "Note: tenant %s denies all traffic until firewall rules allow it (\"nvctl fw help\"); \"nvctl fw policy tenant %s deny log\" logs the denials\n",
		t.name, t.name);
	return EXIT_OK;
}

static int tenant_del(struct args *a)
{
	struct tenant t = { 0 };
	struct nl_call call = {
		.cmd = NETVIRT_CMD_TENANT_DEL, .fill = fill, .req = &t,
		.what = "deleting the tenant",
	};

	if (args_object(a, ARG_NAME, t.name, del_keywords,
			ARRAY_SIZE(del_keywords), &t))
		return EXIT_USAGE;
	return run_change(&call);
}

static int tenant_show(struct args *a)
{
	struct tenant t = { 0 };
	struct nl_call call = {
		.cmd = NETVIRT_CMD_TENANT_GET, .fill = fill, .req = &t,
		.cb = print_reply_cb, .data = &tenant_printer,
		.what = "listing tenants",
	};

	return run_show(a, ARG_NAME, t.name, &call);
}

static const struct command commands[] = {
	{ "add", tenant_add },
	{ "del", tenant_del },
	{ "show", tenant_show },
};

void usage_tenant(FILE *out)
{
	fprintf(out,
		"Usage: nvctl tenant add NAME id ID vni VNI [ router-mac MAC ]\n"
		"       nvctl tenant del NAME [ force ]\n"
		"       nvctl tenant show [ NAME ]\n"
		"NAME := tenant name, 1-15 bytes\n"
		"ID := 1-65535\n"
		"VNI := 0-16777215\n"
		"MAC := XX:XX:XX:XX:XX:XX, unicast\n");
}

int do_tenant(struct nvctl *ctl, int argc, char **argv)
{
	(void)ctl;
	return run_command(argc, argv, "tenant", commands,
			   ARRAY_SIZE(commands), "show", usage_tenant);
}
