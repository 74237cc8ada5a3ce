// SPDX-License-Identifier: GPL-2.0
/*
 * NETVIRT_CMD_STATS_GET: the counters of a tenant or a port, or a dump of
 * every tenant's and port's.
 */
#include <net/sock.h>

#include "netvirt.h"
#include "genl.h"
#include "netns.h"
#include "port.h"
#include "tenant.h"

/* The identity of a tenant (@ctx) or a port (@obj), then its counters. */
static int stats_fill(struct sk_buff *skb, const void *ctx, const void *obj)
{
	const struct nv_tenant *t = ctx;
	const struct nv_port *port = obj;
	struct nlattr *nest = nla_nest_start(skb, NETVIRT_A_STATS);

	if (!nest)
		return -EMSGSIZE;
	if (port && nv_port_put_ref(skb, port, NETVIRT_A_STATS_IFINDEX,
				    NETVIRT_A_STATS_IFNAME))
		return -EMSGSIZE;
	if (!port && nla_put_string(skb, NETVIRT_A_STATS_TENANT, t->name))
		return -EMSGSIZE;
	if (nv_stats_fill(skb, port ? port->stats : t->stats))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int stats_lookup(const struct nv_config *cfg, struct nlattr **tb,
			const struct nv_tenant **t, const struct nv_port **port,
			struct netlink_ext_ack *extack)
{
	if (tb[NETVIRT_A_STATS_IFINDEX] || tb[NETVIRT_A_STATS_IFNAME]) {
		*port = nv_port_find(cfg, -1, tb[NETVIRT_A_STATS_IFINDEX],
				     tb[NETVIRT_A_STATS_IFNAME], extack);
		return *port ? 0 : -ENOENT;
	}
	if (!tb[NETVIRT_A_STATS_TENANT]) {
		NL_SET_ERR_MSG(extack, "tenant or port is required");
		return -EINVAL;
	}
	*t = nv_tenant_from_attr(cfg, tb[NETVIRT_A_STATS_TENANT], extack);
	return *t ? 0 : -ENOENT;
}

int nv_stats_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nv_net *nn = nv_net(genl_info_net(info));
	struct nlattr *tb[NETVIRT_A_STATS_MAX + 1];
	const struct nv_tenant *t = NULL;
	const struct nv_port *port = NULL;
	struct sk_buff *msg;
	int ret;

	ret = nv_genl_nest(info, NETVIRT_A_STATS, tb, NETVIRT_A_STATS_MAX,
			   nv_stats_policy);
	if (ret)
		return ret;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	rcu_read_lock();
	ret = stats_lookup(rcu_dereference(nn->config), tb, &t, &port,
			   info->extack);
	if (!ret)
		ret = nv_genl_msg(msg, info->snd_portid, info->snd_seq, NULL,
				  NETVIRT_CMD_STATS_GET, stats_fill, t, port);
	rcu_read_unlock();
	return nv_genl_reply(msg, info, ret);
}

/* cb->args[0]: next tenant slot, then NV_MAX_TENANTS + next port slot. */
int nv_stats_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nv_net *nn = nv_net(sock_net(skb->sk));
	const struct nv_config *cfg;
	long i;
	int ret = 0;

	rcu_read_lock();
	cfg = rcu_dereference(nn->config);
	cb->seq = nv_dump_seq(cfg);
	for (i = cb->args[0]; i < NV_MAX_TENANTS + NV_MAX_PORTS; i++) {
		const struct nv_tenant *t = NULL;
		const struct nv_port *port = NULL;

		if (i < NV_MAX_TENANTS)
			t = cfg->tenants[i];
		else
			port = cfg->ports[i - NV_MAX_TENANTS];
		if (!t && !port)
			continue;
		ret = nv_genl_dump_msg(skb, cb, NETVIRT_CMD_STATS_GET,
				       stats_fill, t, port);
		if (ret)
			break;
	}
	rcu_read_unlock();
	cb->args[0] = i;
	return ret && skb->len ? skb->len : ret;
}
