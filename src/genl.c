// SPDX-License-Identifier: GPL-2.0
/*
 * The "netvirt" generic netlink family: one attribute space, one strict
 * policy, every command restricted to CAP_NET_ADMIN in the user namespace
 * owning the caller's network namespace.
 */
#include "netvirt.h"
#include "genl.h"
#include "limits.h"

const struct nla_policy nv_genl_policy[NETVIRT_A_MAX + 1] = {
	[NETVIRT_A_VERSION] = { .type = NLA_REJECT,
				.reject_message = "NETVIRT_A_VERSION is read-only" },
	[NETVIRT_A_API_VERSION] = NLA_POLICY_MIN(NLA_U32, 1),
	[NETVIRT_A_FEATURES] = { .type = NLA_REJECT,
				 .reject_message = "NETVIRT_A_FEATURES is read-only" },
	[NETVIRT_A_CONFIG_GEN] = { .type = NLA_REJECT,
				   .reject_message = "NETVIRT_A_CONFIG_GEN is read-only" },
	[NETVIRT_A_COUNTS] = { .type = NLA_REJECT,
			       .reject_message = "NETVIRT_A_COUNTS is read-only" },
};

static const struct genl_small_ops nv_genl_ops[] = {
	{
		.cmd = NETVIRT_CMD_INFO_GET,
		.doit = nv_info_get_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

struct genl_family nv_genl_family __ro_after_init = {
	.name = NETVIRT_GENL_NAME,
	.version = NETVIRT_GENL_VERSION,
	.maxattr = NETVIRT_A_MAX,
	.policy = nv_genl_policy,
	.netnsok = true,
	.module = THIS_MODULE,
	.small_ops = nv_genl_ops,
	.n_small_ops = ARRAY_SIZE(nv_genl_ops),
};

int nv_genl_register(void)
{
	return genl_register_family(&nv_genl_family);
}

void nv_genl_unregister(void)
{
	genl_unregister_family(&nv_genl_family);
}
