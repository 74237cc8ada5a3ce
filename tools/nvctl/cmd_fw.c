// SPDX-License-Identifier: GPL-2.0
/*
 * nvctl fw: a tenant's stateful firewall. The fw commands start here,
 * with the firewall's own: its policy, and fw show. The rules, the
 * groups and fw load have files of their own; nvctl monitor prints the
 * firewall's events.
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

static struct reply_printer fw_printer = {
	NETVIRT_A_FW, fw_spec, NETVIRT_A_FW_MAX, print_fw,
};

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

/* FW_GET: the tenant alone. */
static void fill_fw_get(struct nlmsghdr *nlh, const void *req)
{
	const char *tenant = req;
	struct nlattr *nest;

	nest = mnl_attr_nest_start(nlh, NETVIRT_A_FW);
	mnl_attr_put_strz(nlh, NETVIRT_A_FW_TENANT, tenant);
	mnl_attr_nest_end(nlh, nest);
}

int parse_tenant(struct args *a, char *tenant)
{
	if (args_expect(a, "tenant") ||
	    args_value(a, ARG_NAME, "tenant", tenant))
		return EXIT_USAGE;
	return EXIT_OK;
}

/* The firewall's line (an object in JSON), then its rules. */
static int fw_show(struct args *a)
{
	char tenant[NAME_SIZE] = "";
	struct nl_call fw = {
		.cmd = NETVIRT_CMD_FW_GET, .fill = fill_fw_get, .req = tenant,
		.cb = print_reply_cb, .data = &fw_printer,
		.what = "reading the firewall",
	};

	if (parse_tenant(a, tenant) || args_end(a))
		return EXIT_USAGE;
	if (nl_call(&fw) || show_rules(tenant))
		return EXIT_FAIL;
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
		"GROUP := address group name, 1-15 bytes\n"
		"PGROUP := port group name, 1-15 bytes; groups of both kinds share names\n"
		"FILE := one rule a line, as after \"fw rule add tenant NAME\"; # comments\n",
		NETVIRT_FW_PRIO_DEFAULT);
}

int do_fw(struct nvctl *ctl, int argc, char **argv)
{
	(void)ctl;
	return run_command(argc, argv, "fw", commands, ARRAY_SIZE(commands),
			   NULL, usage_fw);
}
