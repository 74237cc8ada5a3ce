// SPDX-License-Identifier: GPL-2.0
/*
 * The "netvirt" generic netlink family: one strict policy tree, every
 * command restricted to CAP_NET_ADMIN in the user namespace owning the
 * caller's network namespace.
 */
#include <linux/if.h>

#include "netvirt.h"
#include "change.h"
#include "genl.h"
#include "fw.h"
#include "host.h"
#include "limits.h"
#include "nat.h"
#include "port.h"
#include "route.h"
#include "compat.h"
#include "tenant.h"
#include "uplink.h"
#include "userns.h"

#define READ_ONLY(attr) { .type = NLA_REJECT, \
			  .reject_message = #attr " is read-only" }

static struct netlink_range_validation vni_range __ro_after_init = {
	.max = NV_VNI_MAX,
};

const struct nla_policy nv_tenant_policy[NETVIRT_A_TENANT_MAX + 1] = {
	[NETVIRT_A_TENANT_NAME] = { .type = NLA_NUL_STRING,
				    .len = NV_NAME_LEN - 1 },
	[NETVIRT_A_TENANT_ID] = NLA_POLICY_MIN(NLA_U16, 1),
	[NETVIRT_A_TENANT_VNI] = NLA_POLICY_FULL_RANGE(NLA_U32, &vni_range),
	[NETVIRT_A_TENANT_ROUTER_MAC] = NLA_POLICY_ETH_ADDR,
	[NETVIRT_A_TENANT_PORTS] = READ_ONLY(NETVIRT_A_TENANT_PORTS),
	[NETVIRT_A_TENANT_ROUTES] = READ_ONLY(NETVIRT_A_TENANT_ROUTES),
};

static const struct nla_policy addr_policy[NETVIRT_A_ADDR_MAX + 1] = {
	[NETVIRT_A_ADDR_IN] = NLA_POLICY_EXACT_LEN(sizeof(__be32)),
	[NETVIRT_A_ADDR_IN6] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
};

/* A device name, as the kernel bounds it (with its NUL). */
#define IFNAME_POLICY { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 }

const struct nla_policy nv_port_policy[NETVIRT_A_PORT_MAX + 1] = {
	[NETVIRT_A_PORT_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[NETVIRT_A_PORT_IFNAME] = IFNAME_POLICY,
	[NETVIRT_A_PORT_TENANT] = { .type = NLA_NUL_STRING,
				    .len = NV_NAME_LEN - 1 },
	[NETVIRT_A_PORT_MAC] = NLA_POLICY_ETH_ADDR,
	[NETVIRT_A_PORT_ADDRS] = NLA_POLICY_NESTED(addr_policy),
	[NETVIRT_A_PORT_STATE] = READ_ONLY(NETVIRT_A_PORT_STATE),
	[NETVIRT_A_PORT_DETACHED] = READ_ONLY(NETVIRT_A_PORT_DETACHED),
};

const struct nla_policy nv_nexthop_policy[NETVIRT_A_NEXTHOP_MAX + 1] = {
	[NETVIRT_A_NEXTHOP_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[NETVIRT_A_NEXTHOP_IFNAME] = IFNAME_POLICY,
	[NETVIRT_A_NEXTHOP_HOST_IN] = NLA_POLICY_EXACT_LEN(sizeof(__be32)),
	[NETVIRT_A_NEXTHOP_HOST_IN6] =
		NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[NETVIRT_A_NEXTHOP_UPLINK] = { .type = NLA_FLAG },
};

static const struct nla_policy nexthops_policy[NETVIRT_A_NEXTHOP_MAX + 1] = {
	[NETVIRT_A_NEXTHOP] = NLA_POLICY_NESTED(nv_nexthop_policy),
};

const struct nla_policy nv_route_policy[NETVIRT_A_ROUTE_MAX + 1] = {
	[NETVIRT_A_ROUTE_TENANT] = { .type = NLA_NUL_STRING,
				     .len = NV_NAME_LEN - 1 },
	[NETVIRT_A_ROUTE_DST_IN] = NLA_POLICY_EXACT_LEN(sizeof(__be32)),
	[NETVIRT_A_ROUTE_DST_IN6] =
		NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[NETVIRT_A_ROUTE_PLEN] = NLA_POLICY_MAX(NLA_U8, 128),
	[NETVIRT_A_ROUTE_TYPE] = NLA_POLICY_MAX(NLA_U8, NETVIRT_ROUTE_TYPE_MAX),
	[NETVIRT_A_ROUTE_NEXTHOPS] = NLA_POLICY_NESTED(nexthops_policy),
	[NETVIRT_A_ROUTE_ORIGIN] = READ_ONLY(NETVIRT_A_ROUTE_ORIGIN),
};

const struct nla_policy nv_stats_policy[NETVIRT_A_STATS_MAX + 1] = {
	[NETVIRT_A_STATS_TENANT] = { .type = NLA_NUL_STRING,
				     .len = NV_NAME_LEN - 1 },
	[NETVIRT_A_STATS_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[NETVIRT_A_STATS_IFNAME] = IFNAME_POLICY,
};

const struct nla_policy nv_host_policy[NETVIRT_A_HOST_MAX + 1] = {
	[NETVIRT_A_HOST_UNDERLAY_IN] = NLA_POLICY_EXACT_LEN(sizeof(__be32)),
	[NETVIRT_A_HOST_UNDERLAY_IN6] =
		NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[NETVIRT_A_HOST_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[NETVIRT_A_HOST_IFNAME] = { .type = NLA_NUL_STRING,
				    .len = IFNAMSIZ - 1 },
	[NETVIRT_A_HOST_ENCAP] = NLA_POLICY_MAX(NLA_U8, NETVIRT_ENCAP_MAX),
	[NETVIRT_A_HOST_PORT] = NLA_POLICY_MIN(NLA_U16, 1),
	[NETVIRT_A_HOST_TUNNEL_IFINDEX] =
		READ_ONLY(NETVIRT_A_HOST_TUNNEL_IFINDEX),
	[NETVIRT_A_HOST_MTU] = READ_ONLY(NETVIRT_A_HOST_MTU),
	[NETVIRT_A_HOST_STATS] = READ_ONLY(NETVIRT_A_HOST_STATS),
};

#define NAME_POLICY { .type = NLA_NUL_STRING, .len = NV_NAME_LEN - 1 }

const struct nla_policy nv_txn_policy[NETVIRT_A_TXN_MAX + 1] = {
	[NETVIRT_A_TXN_GEN] = { .type = NLA_U64 },
	[NETVIRT_A_TXN_FLAGS] = NLA_POLICY_MASK(NLA_U32, NETVIRT_TXN_F_CHECK),
	[NETVIRT_A_TXN_REQUESTS] = READ_ONLY(NETVIRT_A_TXN_REQUESTS),
	[NETVIRT_A_TXN_CHANGES] = READ_ONLY(NETVIRT_A_TXN_CHANGES),
};

const struct nla_policy nv_fw_policy[NETVIRT_A_FW_MAX + 1] = {
	[NETVIRT_A_FW_TENANT] = NAME_POLICY,
	[NETVIRT_A_FW_POLICY] = NLA_POLICY_MAX(NLA_U8, NETVIRT_FW_DENY),
	[NETVIRT_A_FW_FLAGS] = NLA_POLICY_MASK(NLA_U32, NETVIRT_FW_F_LOG),
	[NETVIRT_A_FW_ZONE] = READ_ONLY(NETVIRT_A_FW_ZONE),
	[NETVIRT_A_FW_RULES] = READ_ONLY(NETVIRT_A_FW_RULES),
	[NETVIRT_A_FW_GROUPS] = READ_ONLY(NETVIRT_A_FW_GROUPS),
	[NETVIRT_A_FW_EPOCH] = READ_ONLY(NETVIRT_A_FW_EPOCH),
};

const struct nla_policy nv_fw_addr_policy[NETVIRT_A_FW_ADDR_MAX + 1] = {
	[NETVIRT_A_FW_ADDR_IN] = NLA_POLICY_EXACT_LEN(sizeof(__be32)),
	[NETVIRT_A_FW_ADDR_IN6] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[NETVIRT_A_FW_ADDR_PLEN] = NLA_POLICY_MAX(NLA_U8, 128),
	[NETVIRT_A_FW_ADDR_GROUP] = NAME_POLICY,
};

const struct nla_policy nv_fw_rule_policy[NETVIRT_A_FW_RULE_MAX + 1] = {
	[NETVIRT_A_FW_RULE_TENANT] = NAME_POLICY,
	[NETVIRT_A_FW_RULE_HANDLE] = NLA_POLICY_MIN(NLA_U32, 1),
	[NETVIRT_A_FW_RULE_PRIO] = { .type = NLA_U32 },
	[NETVIRT_A_FW_RULE_DIR] = NLA_POLICY_MAX(NLA_U8, NETVIRT_FW_DIR_MAX),
	[NETVIRT_A_FW_RULE_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[NETVIRT_A_FW_RULE_IFNAME] = IFNAME_POLICY,
	[NETVIRT_A_FW_RULE_SRC] = NLA_POLICY_NESTED(nv_fw_addr_policy),
	[NETVIRT_A_FW_RULE_DST] = NLA_POLICY_NESTED(nv_fw_addr_policy),
	[NETVIRT_A_FW_RULE_PROTO] = { .type = NLA_U8 },
	[NETVIRT_A_FW_RULE_SPORT_LO] = { .type = NLA_U16 },
	[NETVIRT_A_FW_RULE_SPORT_HI] = { .type = NLA_U16 },
	[NETVIRT_A_FW_RULE_DPORT_LO] = { .type = NLA_U16 },
	[NETVIRT_A_FW_RULE_DPORT_HI] = { .type = NLA_U16 },
	[NETVIRT_A_FW_RULE_ICMP_TYPE] = { .type = NLA_U8 },
	[NETVIRT_A_FW_RULE_ACTION] =
		NLA_POLICY_MAX(NLA_U8, NETVIRT_FW_ACTION_MAX),
	[NETVIRT_A_FW_RULE_FLAGS] = NLA_POLICY_MASK(NLA_U32, __NETVIRT_FW_F_ALL),
	[NETVIRT_A_FW_RULE_PACKETS] = READ_ONLY(NETVIRT_A_FW_RULE_PACKETS),
	[NETVIRT_A_FW_RULE_BYTES] = READ_ONLY(NETVIRT_A_FW_RULE_BYTES),
	[NETVIRT_A_FW_RULE_CONNS] = READ_ONLY(NETVIRT_A_FW_RULE_CONNS),
	[NETVIRT_A_FW_RULE_LAST_HIT] = READ_ONLY(NETVIRT_A_FW_RULE_LAST_HIT),
	[NETVIRT_A_FW_RULE_PGROUP] = NAME_POLICY,
};

static const struct nla_policy fw_prefixes_policy[NETVIRT_A_FW_GROUP_MAX + 1] = {
	[NETVIRT_A_FW_GROUP_PREFIX] = NLA_POLICY_NESTED(nv_fw_addr_policy),
};

static const struct nla_policy fw_ports_policy[NETVIRT_A_FW_GROUP_MAX + 1] = {
	[NETVIRT_A_FW_GROUP_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[NETVIRT_A_FW_GROUP_IFNAME] = IFNAME_POLICY,
};

const struct nla_policy nv_fw_group_policy[NETVIRT_A_FW_GROUP_MAX + 1] = {
	[NETVIRT_A_FW_GROUP_TENANT] = NAME_POLICY,
	[NETVIRT_A_FW_GROUP_NAME] = NAME_POLICY,
	[NETVIRT_A_FW_GROUP_PREFIXES] = NLA_POLICY_NESTED(fw_prefixes_policy),
	[NETVIRT_A_FW_GROUP_PREFIX] = READ_ONLY(NETVIRT_A_FW_GROUP_PREFIX),
	[NETVIRT_A_FW_GROUP_RULES] = READ_ONLY(NETVIRT_A_FW_GROUP_RULES),
	[NETVIRT_A_FW_GROUP_PORTS] = NLA_POLICY_NESTED(fw_ports_policy),
	[NETVIRT_A_FW_GROUP_IFINDEX] = READ_ONLY(NETVIRT_A_FW_GROUP_IFINDEX),
	[NETVIRT_A_FW_GROUP_IFNAME] = READ_ONLY(NETVIRT_A_FW_GROUP_IFNAME),
};

const struct nla_policy nv_uplink_policy[NETVIRT_A_UPLINK_MAX + 1] = {
	[NETVIRT_A_UPLINK_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[NETVIRT_A_UPLINK_IFNAME] = IFNAME_POLICY,
	[NETVIRT_A_UPLINK_ADDRS] = READ_ONLY(NETVIRT_A_UPLINK_ADDRS),
	[NETVIRT_A_UPLINK_STATS] = READ_ONLY(NETVIRT_A_UPLINK_STATS),
};

const struct nla_policy nv_nat_policy[NETVIRT_A_NAT_MAX + 1] = {
	[NETVIRT_A_NAT_TENANT] = NAME_POLICY,
	[NETVIRT_A_NAT_HANDLE] = NLA_POLICY_MIN(NLA_U32, 1),
	[NETVIRT_A_NAT_TYPE] = NLA_POLICY_MAX(NLA_U8, NETVIRT_NAT_TYPE_MAX),
	[NETVIRT_A_NAT_ADDR_IN] = NLA_POLICY_EXACT_LEN(sizeof(__be32)),
	[NETVIRT_A_NAT_ADDR_IN6] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[NETVIRT_A_NAT_SRC] = NLA_POLICY_NESTED(nv_fw_addr_policy),
	[NETVIRT_A_NAT_PORT_LO] = NLA_POLICY_MIN(NLA_U16, 1),
	[NETVIRT_A_NAT_PORT_HI] = NLA_POLICY_MIN(NLA_U16, 1),
	[NETVIRT_A_NAT_PROTO] = { .type = NLA_U8 },
	[NETVIRT_A_NAT_PORT] = NLA_POLICY_MIN(NLA_U16, 1),
	[NETVIRT_A_NAT_TO_IN] = NLA_POLICY_EXACT_LEN(sizeof(__be32)),
	[NETVIRT_A_NAT_TO_IN6] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[NETVIRT_A_NAT_TO_PORT] = NLA_POLICY_MIN(NLA_U16, 1),
	[NETVIRT_A_NAT_PACKETS] = READ_ONLY(NETVIRT_A_NAT_PACKETS),
	[NETVIRT_A_NAT_BYTES] = READ_ONLY(NETVIRT_A_NAT_BYTES),
	[NETVIRT_A_NAT_EXHAUSTED] = READ_ONLY(NETVIRT_A_NAT_EXHAUSTED),
	[NETVIRT_A_NAT_CONNS] = READ_ONLY(NETVIRT_A_NAT_CONNS),
	[NETVIRT_A_NAT_PORTS_USED] = READ_ONLY(NETVIRT_A_NAT_PORTS_USED),
};

const struct nla_policy nv_genl_policy[NETVIRT_A_MAX + 1] = {
	[NETVIRT_A_VERSION] = READ_ONLY(NETVIRT_A_VERSION),
	[NETVIRT_A_API_VERSION] = NLA_POLICY_MIN(NLA_U32, 1),
	[NETVIRT_A_FEATURES] = READ_ONLY(NETVIRT_A_FEATURES),
	[NETVIRT_A_CONFIG_GEN] = READ_ONLY(NETVIRT_A_CONFIG_GEN),
	[NETVIRT_A_COUNTS] = READ_ONLY(NETVIRT_A_COUNTS),
	[NETVIRT_A_TENANT] = NLA_POLICY_NESTED(nv_tenant_policy),
	[NETVIRT_A_PORT] = NLA_POLICY_NESTED(nv_port_policy),
	[NETVIRT_A_ROUTE] = NLA_POLICY_NESTED(nv_route_policy),
	[NETVIRT_A_STATS] = NLA_POLICY_NESTED(nv_stats_policy),
	[NETVIRT_A_FLAGS] = NLA_POLICY_MASK(NLA_U32, __NETVIRT_F_ALL),
	[NETVIRT_A_HOST] = NLA_POLICY_NESTED(nv_host_policy),
	[NETVIRT_A_FW] = NLA_POLICY_NESTED(nv_fw_policy),
	[NETVIRT_A_FW_RULE] = NLA_POLICY_NESTED(nv_fw_rule_policy),
	[NETVIRT_A_FW_GROUP] = NLA_POLICY_NESTED(nv_fw_group_policy),
	[NETVIRT_A_FW_EVENT] = READ_ONLY(NETVIRT_A_FW_EVENT),
	[NETVIRT_A_UPLINK] = NLA_POLICY_NESTED(nv_uplink_policy),
	[NETVIRT_A_NAT] = NLA_POLICY_NESTED(nv_nat_policy),
	[NETVIRT_A_NAT_EVENT] = READ_ONLY(NETVIRT_A_NAT_EVENT),
	[NETVIRT_A_TXN] = NLA_POLICY_NESTED(nv_txn_policy),
};

#define CHANGE(_doit, _kind) { .doit = (_doit), .change = true,	\
				.kind = NETVIRT_A_CHANGES_##_kind }
/* A change that may attach or detach devices: it runs under RTNL too. */
#define CHANGE_RTNL(_doit, _kind) { .doit = (_doit), .change = true,	\
				     .rtnl = true,				\
				     .kind = NETVIRT_A_CHANGES_##_kind }
#define TXN(_doit) { .doit = (_doit), .txn = true }

/* Each command's handler, run by nv_genl_doit(). */
static const struct nv_cmd nv_cmds[NETVIRT_CMD_MAX + 1] = {
	[NETVIRT_CMD_INFO_GET] = { nv_info_get_doit },
	[NETVIRT_CMD_TENANT_NEW] = CHANGE(nv_tenant_new_doit, TENANTS),
	[NETVIRT_CMD_TENANT_DEL] = CHANGE_RTNL(nv_tenant_del_doit, TENANTS),
	[NETVIRT_CMD_TENANT_GET] = { nv_tenant_get_doit },
	[NETVIRT_CMD_PORT_NEW] = CHANGE_RTNL(nv_port_new_doit, PORTS),
	[NETVIRT_CMD_PORT_DEL] = CHANGE_RTNL(nv_port_del_doit, PORTS),
	[NETVIRT_CMD_PORT_GET] = { nv_port_get_doit },
	[NETVIRT_CMD_ROUTE_NEW] = CHANGE(nv_route_new_doit, ROUTES),
	[NETVIRT_CMD_ROUTE_DEL] = CHANGE(nv_route_del_doit, ROUTES),
	[NETVIRT_CMD_STATS_GET] = { nv_stats_get_doit },
	[NETVIRT_CMD_HOST_SET] = CHANGE_RTNL(nv_host_set_doit, HOST),
	[NETVIRT_CMD_HOST_DEL] = CHANGE_RTNL(nv_host_del_doit, HOST),
	[NETVIRT_CMD_HOST_GET] = { nv_host_get_doit },
	[NETVIRT_CMD_FW_SET] = CHANGE(nv_fw_set_doit, FW),
	[NETVIRT_CMD_FW_GET] = { nv_fw_get_doit },
	[NETVIRT_CMD_FW_RULE_NEW] = CHANGE(nv_fw_rule_new_doit, RULES),
	[NETVIRT_CMD_FW_RULE_DEL] = CHANGE(nv_fw_rule_del_doit, RULES),
	[NETVIRT_CMD_FW_GROUP_NEW] = CHANGE(nv_fw_group_new_doit, GROUPS),
	[NETVIRT_CMD_FW_GROUP_DEL] = CHANGE(nv_fw_group_del_doit, GROUPS),
	[NETVIRT_CMD_FW_GROUP_GET] = { nv_fw_group_get_doit },
	[NETVIRT_CMD_UPLINK_SET] = CHANGE_RTNL(nv_uplink_set_doit, UPLINK),
	[NETVIRT_CMD_UPLINK_DEL] = CHANGE_RTNL(nv_uplink_del_doit, UPLINK),
	[NETVIRT_CMD_UPLINK_GET] = { nv_uplink_get_doit },
	[NETVIRT_CMD_NAT_NEW] = CHANGE(nv_nat_new_doit, NAT),
	[NETVIRT_CMD_NAT_DEL] = CHANGE(nv_nat_del_doit, NAT),
	[NETVIRT_CMD_TXN_BEGIN] = TXN(nv_txn_begin_doit),
	[NETVIRT_CMD_TXN_COMMIT] = TXN(nv_txn_commit_doit),
	[NETVIRT_CMD_TXN_ABORT] = TXN(nv_txn_abort_doit),
};

/**
 * nv_genl_cmd() - the handler of a change command, for a replay
 * @cmd: NETVIRT_CMD_*
 *
 * Return: its entry, or NULL when @cmd is no change command.
 */
const struct nv_cmd *nv_genl_cmd(u8 cmd)
{
	if (cmd > NETVIRT_CMD_MAX || !nv_cmds[cmd].change)
		return NULL;
	return &nv_cmds[cmd];
}

#define ENOMEM_MSG \
	"out of memory: the caller's memory cgroup limit, or the host's"

/*
 * Every request passes here: a change is admitted by the user namespace
 * policy first, then staged in the socket's transaction when it has one
 * open (txn.c), else run as one change (change.c). Running out of
 * memory - the caller's memory cgroup charged with what the request
 * allocates, or the host - is said so when the handler did not say more.
 */
static int nv_genl_doit(struct sk_buff *skb, struct genl_info *info)
{
	const struct nv_cmd *cmd = &nv_cmds[info->genlhdr->cmd];
	struct net *net = genl_info_net(info);
	int ret;

	if (!cmd->change && !cmd->txn) {
		ret = cmd->doit(skb, info);
		goto out;
	}
	ret = nv_userns_enter(net, info->extack);
	if (ret)
		goto out;
	if (cmd->txn)
		ret = cmd->doit(skb, info);
	else
		ret = nv_txn_stage(info, cmd->rtnl);
	if (ret > 0)		/* staged in the socket's transaction */
		ret = 0;
	else if (!ret && cmd->change)
		ret = nv_change_run(cmd->doit, skb, info, cmd->rtnl,
				    cmd->kind);
	nv_userns_leave(net);
out:
	if (ret == -ENOMEM && !info->extack->_msg)
		GENL_SET_ERR_MSG(info, ENOMEM_MSG);
	return ret;
}

#define NV_OP(_cmd, _dumpit) {			\
	.cmd = (_cmd),				\
	.doit = nv_genl_doit,			\
	.dumpit = (_dumpit),			\
	.flags = GENL_UNS_ADMIN_PERM,		\
}

#define NV_DUMP_OP(_cmd, _dumpit) {		\
	.cmd = (_cmd),				\
	.dumpit = (_dumpit),			\
	.flags = GENL_UNS_ADMIN_PERM,		\
}

static const struct genl_small_ops nv_genl_ops[] = {
	NV_OP(NETVIRT_CMD_INFO_GET, NULL),
	NV_OP(NETVIRT_CMD_TENANT_NEW, NULL),
	NV_OP(NETVIRT_CMD_TENANT_DEL, NULL),
	NV_OP(NETVIRT_CMD_TENANT_GET, nv_tenant_get_dumpit),
	NV_OP(NETVIRT_CMD_PORT_NEW, NULL),
	NV_OP(NETVIRT_CMD_PORT_DEL, NULL),
	NV_OP(NETVIRT_CMD_PORT_GET, nv_port_get_dumpit),
	NV_OP(NETVIRT_CMD_ROUTE_NEW, NULL),
	NV_OP(NETVIRT_CMD_ROUTE_DEL, NULL),
	NV_DUMP_OP(NETVIRT_CMD_ROUTE_GET, nv_route_get_dumpit),
	NV_OP(NETVIRT_CMD_STATS_GET, nv_stats_get_dumpit),
	NV_OP(NETVIRT_CMD_HOST_SET, NULL),
	NV_OP(NETVIRT_CMD_HOST_DEL, NULL),
	NV_OP(NETVIRT_CMD_HOST_GET, NULL),
	NV_OP(NETVIRT_CMD_FW_SET, NULL),
	NV_OP(NETVIRT_CMD_FW_GET, NULL),
	NV_OP(NETVIRT_CMD_FW_RULE_NEW, NULL),
	NV_OP(NETVIRT_CMD_FW_RULE_DEL, NULL),
	NV_DUMP_OP(NETVIRT_CMD_FW_RULE_GET, nv_fw_rule_get_dumpit),
	NV_OP(NETVIRT_CMD_FW_GROUP_NEW, NULL),
	NV_OP(NETVIRT_CMD_FW_GROUP_DEL, NULL),
	NV_OP(NETVIRT_CMD_UPLINK_SET, NULL),
	NV_OP(NETVIRT_CMD_UPLINK_DEL, NULL),
	NV_OP(NETVIRT_CMD_UPLINK_GET, NULL),
	NV_OP(NETVIRT_CMD_NAT_NEW, NULL),
	NV_OP(NETVIRT_CMD_NAT_DEL, NULL),
	NV_DUMP_OP(NETVIRT_CMD_NAT_GET, nv_nat_get_dumpit),
	NV_OP(NETVIRT_CMD_TXN_BEGIN, NULL),
	NV_OP(NETVIRT_CMD_TXN_COMMIT, NULL),
	NV_OP(NETVIRT_CMD_TXN_ABORT, NULL),
};

/* Commands whose dump sizes its messages first. */
static const struct genl_ops nv_genl_sized_ops[] = {
	{
		.cmd = NETVIRT_CMD_FW_GROUP_GET,
		.doit = nv_genl_doit,
		.start = nv_fw_group_dump_start,
		.dumpit = nv_fw_group_get_dumpit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

/* Listening needs CAP_NET_ADMIN too: events name tenants and addresses. */
static const struct genl_multicast_group nv_mcgrps[] = {
	[NV_MCGRP_MONITOR] = { .name = NETVIRT_MCGRP_MONITOR,
			       .flags = GENL_MCAST_CAP_NET_ADMIN },
	[NV_MCGRP_CONFIG] = { .name = NETVIRT_MCGRP_CONFIG,
			      .flags = GENL_MCAST_CAP_NET_ADMIN },
};

struct genl_family nv_genl_family __ro_after_init = {
	.name = NETVIRT_GENL_NAME,
	.version = NETVIRT_GENL_VERSION,
	.maxattr = NETVIRT_A_MAX,
	.policy = nv_genl_policy,
	.netnsok = true,
	/*
	 * Requests of one namespace serialise on its nv_net.lock, and the
	 * state they share across namespaces has locks of its own (RTNL,
	 * userns.c's counts) or is read once (nv_limits): no need to hold
	 * genl_mutex, and every other family, through a long build.
	 */
	.parallel_ops = true,
	.module = THIS_MODULE,
	.ops = nv_genl_sized_ops,
	.n_ops = ARRAY_SIZE(nv_genl_sized_ops),
	.small_ops = nv_genl_ops,
	.n_small_ops = ARRAY_SIZE(nv_genl_ops),
	.mcgrps = nv_mcgrps,
	.n_mcgrps = ARRAY_SIZE(nv_mcgrps),
};

/**
 * nv_genl_nest() - parse the object nest of a request
 * @info: the request
 * @type: top-level attribute holding the object (NETVIRT_A_TENANT, ...)
 * @tb: table to fill
 * @maxtype: highest attribute type of the nest
 * @policy: the nest's policy
 *
 * Return: 0, or -EINVAL with an extack message when the nest is missing.
 */
int nv_genl_nest(struct genl_info *info, int type, struct nlattr **tb,
		 int maxtype, const struct nla_policy *policy)
{
	if (GENL_REQ_ATTR_CHECK(info, type)) {
		GENL_SET_ERR_MSG(info, "object attribute nest is missing");
		return -EINVAL;
	}
	return nla_parse_nested(tb, maxtype, info->attrs[type], policy,
				info->extack);
}

u32 nv_genl_flags(struct genl_info *info)
{
	struct nlattr *attr = info->attrs[NETVIRT_A_FLAGS];

	return attr ? nla_get_u32(attr) : 0;
}

/**
 * nv_genl_msg() - one reply or dump message holding one object
 * @skb: the message buffer
 * @portid: destination
 * @seq: sequence number of the request
 * @cb: the dump in progress, or NULL for a doit reply
 * @cmd: command of the message
 * @fill: writes the object
 * @ctx: passed to @fill
 * @obj: passed to @fill
 *
 * Return: 0, or -EMSGSIZE with @skb unchanged.
 */
int nv_genl_msg(struct sk_buff *skb, u32 portid, u32 seq,
		struct netlink_callback *cb, u8 cmd, nv_fill_t fill,
		const void *ctx, const void *obj)
{
	void *hdr = genlmsg_put(skb, portid, seq, &nv_genl_family,
				cb ? NLM_F_MULTI : 0, cmd);

	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	if (fill(skb, ctx, obj)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/**
 * nv_genl_reply() - send a doit's reply, or free it when building failed
 * @msg: the reply; a change request's is sent once the change is published
 * @info: the request
 * @ret: the result of building @msg
 *
 * Return: @ret, or what sending the reply returns.
 */
int nv_genl_reply(struct sk_buff *msg, struct genl_info *info, int ret)
{
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	if (nv_change_reply(info, msg))
		return 0;
	return genlmsg_reply(msg, info);
}

/* nv_genl_msg() for the dump @cb. */
int nv_genl_dump_msg(struct sk_buff *skb, struct netlink_callback *cb,
		     u8 cmd, nv_fill_t fill, const void *ctx, const void *obj)
{
	return nv_genl_msg(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			   cb, cmd, fill, ctx, obj);
}

/**
 * nv_dump_tenant() - the tenant a dump request names in its object nest
 * @cb: the dump
 * @type: the top-level nest (NETVIRT_A_FW_RULE, ...)
 * @maxtype: highest attribute type of the nest
 * @policy: the nest's policy
 * @tenant: the nest's TENANT attribute type
 * @cfg: the snapshot the dump reads, under the caller's rcu_read_lock()
 *
 * Return: the tenant, or an ERR_PTR() with an extack message.
 */
const struct nv_tenant *nv_dump_tenant(struct netlink_callback *cb, int type,
				       int maxtype,
				       const struct nla_policy *policy,
				       int tenant, const struct nv_config *cfg)
{
	struct nlattr **attrs = nv_dump_attrs(cb);
	struct nlattr *tb[NV_DUMP_NEST_MAX + 1];
	const struct nv_tenant *t;
	int ret;

	if (WARN_ON_ONCE(maxtype > NV_DUMP_NEST_MAX))
		return ERR_PTR(-EINVAL);
	if (!attrs[type]) {
		NL_SET_ERR_MSG(cb->extack, "tenant is required");
		return ERR_PTR(-EINVAL);
	}
	ret = nla_parse_nested(tb, maxtype, attrs[type], policy, cb->extack);
	if (ret)
		return ERR_PTR(ret);
	if (!tb[tenant]) {
		NL_SET_ERR_MSG_ATTR(cb->extack, attrs[type], "tenant is required");
		return ERR_PTR(-EINVAL);
	}
	t = nv_tenant_from_attr(cfg, tb[tenant], cb->extack);
	return t ?: ERR_PTR(-ENOENT);
}

int nv_genl_register(void)
{
	return genl_register_family(&nv_genl_family);
}

void nv_genl_unregister(void)
{
	genl_unregister_family(&nv_genl_family);
}
