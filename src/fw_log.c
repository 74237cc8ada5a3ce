// SPDX-License-Identifier: GPL-2.0
/*
 * Firewall log: one event per denied packet of a rule (or policy) with
 * the log flag, to the "monitor" multicast group of the family. Rate
 * limited per tenant and CPU; nothing is built without a listener.
 */
#include <net/netfilter/nf_conntrack.h>

#include "datapath.h"
#include "fw.h"
#include "fw_cls.h"
#include "genl.h"
#include "limits.h"

static int put_addr(struct sk_buff *skb, int type4, int type6,
		    const struct nf_conntrack_tuple *tp,
		    const union nf_inet_addr *a)
{
	if (tp->src.l3num == NFPROTO_IPV4)
		return nla_put_in_addr(skb, type4, a->ip);
	return nla_put_in6_addr(skb, type6, &a->in6);
}

static int put_tuple(struct sk_buff *skb, const struct nf_conntrack_tuple *tp)
{
	u8 proto = tp->dst.protonum;

	if (put_addr(skb, NETVIRT_A_FW_EVENT_SRC_IN, NETVIRT_A_FW_EVENT_SRC_IN6,
		     tp, &tp->src.u3) ||
	    put_addr(skb, NETVIRT_A_FW_EVENT_DST_IN, NETVIRT_A_FW_EVENT_DST_IN6,
		     tp, &tp->dst.u3) ||
	    nla_put_u8(skb, NETVIRT_A_FW_EVENT_PROTO, proto))
		return -EMSGSIZE;
	if (proto == IPPROTO_ICMP || proto == IPPROTO_ICMPV6)
		return nla_put_u8(skb, NETVIRT_A_FW_EVENT_ICMP_TYPE,
				  tp->dst.u.icmp.type);
	if (nv_proto_has_ports(proto))
		return nla_put_u16(skb, NETVIRT_A_FW_EVENT_SPORT,
				   ntohs(tp->src.u.all)) ||
		       nla_put_u16(skb, NETVIRT_A_FW_EVENT_DPORT,
				   ntohs(tp->dst.u.all));
	return 0;
}

/**
 * struct fw_event - what one log event says
 * @t: the tenant
 * @ct: the connection
 * @rule: the deciding rule, NULL for the policy
 * @dir: the direction of the rules that decided
 * @ifindex: the port they were checked for
 * @action: the action taken
 * @reason: the drop reason counted
 */
struct fw_event {
	const struct nv_tenant *t;
	const struct nf_conn *ct;
	const struct nv_fw_rule *rule;
	u8 dir;
	int ifindex;
	u8 action;
	u32 reason;
};

static int event_fill(struct sk_buff *skb, const void *ctx, const void *obj)
{
	const struct fw_event *e = obj;
	struct nlattr *nest = nla_nest_start(skb, NETVIRT_A_FW_EVENT);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_string(skb, NETVIRT_A_FW_EVENT_TENANT, e->t->name) ||
	    (e->rule && nla_put_u32(skb, NETVIRT_A_FW_EVENT_HANDLE,
				    e->rule->handle)) ||
	    nla_put_u8(skb, NETVIRT_A_FW_EVENT_DIR, e->dir) ||
	    nla_put_u32(skb, NETVIRT_A_FW_EVENT_IFINDEX, e->ifindex) ||
	    nla_put_u8(skb, NETVIRT_A_FW_EVENT_ACTION, e->action) ||
	    nla_put_u32(skb, NETVIRT_A_FW_EVENT_REASON, e->reason) ||
	    put_tuple(skb, &e->ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/**
 * nv_fw_log() - report a denial to the monitor group
 * @pkt: the packet denied
 * @ct: its connection
 * @rule: the rule that denied it, NULL for the tenant's policy
 * @dir: the direction of the rules that decided
 * @ifindex: the port they were checked for
 * @action: the action
 * @reason: the drop reason counted
 *
 * Called in softirq; allocates atomically, and gives up quietly: a log
 * event is never worth delaying or dropping more packets for.
 */
void nv_fw_log(const struct nv_pkt *pkt, const struct nf_conn *ct,
	       const struct nv_fw_rule *rule, u8 dir, int ifindex,
	       u8 action, enum netvirt_drop_reason reason)
{
	struct fw_event e = {
		.t = pkt->t, .ct = ct, .rule = rule, .dir = dir,
		.ifindex = ifindex, .action = action, .reason = reason,
	};
	struct net *net = nf_ct_net(ct);
	struct sk_buff *msg;

	if (!genl_has_listeners(&nv_genl_family, net, NV_MCGRP_MONITOR))
		return;
	if (!nv_bucket_take(&this_cpu_ptr(pkt->t->stats->pcpu)->log,
			    NV_FW_LOG_RATE, NV_FW_LOG_BURST))
		return;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_ATOMIC);
	if (!msg)
		return;
	if (nv_genl_msg(msg, 0, 0, NULL, NETVIRT_CMD_FW_EVENT, event_fill,
			NULL, &e)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_multicast_netns(&nv_genl_family, net, msg, 0,
				NV_MCGRP_MONITOR, GFP_ATOMIC);
}
