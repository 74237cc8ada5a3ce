/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NV_GENL_H
#define _NV_GENL_H

#include <kunit/visibility.h>
#include <net/genetlink.h>

#include "config.h"

extern struct genl_family nv_genl_family;
extern const struct nla_policy nv_genl_policy[NETVIRT_A_MAX + 1];
extern const struct nla_policy nv_tenant_policy[NETVIRT_A_TENANT_MAX + 1];
extern const struct nla_policy nv_port_policy[NETVIRT_A_PORT_MAX + 1];
extern const struct nla_policy nv_route_policy[NETVIRT_A_ROUTE_MAX + 1];
extern const struct nla_policy nv_stats_policy[NETVIRT_A_STATS_MAX + 1];
extern const struct nla_policy nv_nexthop_policy[NETVIRT_A_NEXTHOP_MAX + 1];
extern const struct nla_policy nv_host_policy[NETVIRT_A_HOST_MAX + 1];
extern const struct nla_policy nv_fw_policy[NETVIRT_A_FW_MAX + 1];
extern const struct nla_policy nv_fw_rule_policy[NETVIRT_A_FW_RULE_MAX + 1];
extern const struct nla_policy nv_fw_addr_policy[NETVIRT_A_FW_ADDR_MAX + 1];
extern const struct nla_policy nv_fw_group_policy[NETVIRT_A_FW_GROUP_MAX + 1];
extern const struct nla_policy nv_uplink_policy[NETVIRT_A_UPLINK_MAX + 1];
extern const struct nla_policy nv_nat_policy[NETVIRT_A_NAT_MAX + 1];

extern const struct nla_policy nv_txn_policy[NETVIRT_A_TXN_MAX + 1];

/**
 * struct nv_cmd - what nv_genl_doit() does with a command
 * @doit: the handler
 * @change: it changes the configuration: run by nv_change_run(), or
 *	staged in the socket's transaction
 * @rtnl: a change that may attach or detach devices: RTNL is held too
 * @txn: a transaction command (begin, commit, abort)
 * @kind: the object kind a change counts as, NETVIRT_A_CHANGES_*
 */
struct nv_cmd {
	int (*doit)(struct sk_buff *skb, struct genl_info *info);
	bool change;
	bool rtnl;
	bool txn;
	u8 kind;
};

const struct nv_cmd *nv_genl_cmd(u8 cmd);

/* Multicast groups of the family, by index. */
enum nv_mcgrp {
	NV_MCGRP_MONITOR,
	NV_MCGRP_CONFIG,
};

int nv_genl_register(void);
void nv_genl_unregister(void);

int nv_genl_nest(struct genl_info *info, int type, struct nlattr **tb,
		 int maxtype, const struct nla_policy *policy);

/*
 * nv_genl_missing() - report a required attribute @type of the nest
 * @nest that is absent from @tb, with the literal extack message @msg.
 * Evaluates to true when it is missing.
 */
#define nv_genl_missing(info, nest, tb, type, msg) ({			\
	struct genl_info *__info = (info);				\
	bool __missing = !(tb)[type];					\
									\
	if (__missing) {						\
		NL_SET_ERR_ATTR_MISS(__info->extack,			\
				     __info->attrs[nest], type);	\
		GENL_SET_ERR_MSG(__info, msg);				\
	}								\
	__missing;							\
})
u32 nv_genl_flags(struct genl_info *info);

/* Writes an object's attributes; @ctx is what the object needs besides. */
typedef int (*nv_fill_t)(struct sk_buff *skb, const void *ctx,
			 const void *obj);

int nv_genl_msg(struct sk_buff *skb, u32 portid, u32 seq,
		struct netlink_callback *cb, u8 cmd, nv_fill_t fill,
		const void *ctx, const void *obj);
int nv_genl_reply(struct sk_buff *msg, struct genl_info *info, int ret);
int nv_genl_dump_msg(struct sk_buff *skb, struct netlink_callback *cb,
		     u8 cmd, nv_fill_t fill, const void *ctx, const void *obj);

/* The largest object nest nv_dump_tenant() parses. */
#define NV_DUMP_NEST_MAX	NETVIRT_A_FW_RULE_MAX

struct nv_tenant;
const struct nv_tenant *nv_dump_tenant(struct netlink_callback *cb, int type,
				       int maxtype,
				       const struct nla_policy *policy,
				       int tenant, const struct nv_config *cfg);

/* Dumps flag a restart when the generation changes between calls. */
static inline unsigned int nv_dump_seq(const struct nv_config *cfg)
{
	return (u32)cfg->gen + 1;
}

/* Command handlers, one file per object. */
int nv_info_get_doit(struct sk_buff *skb, struct genl_info *info);
int nv_stats_get_doit(struct sk_buff *skb, struct genl_info *info);
int nv_stats_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);

#if IS_ENABLED(CONFIG_KUNIT)
int nv_info_fill(struct sk_buff *skb, const struct nv_config *cfg);
#endif

#endif /* _NV_GENL_H */
