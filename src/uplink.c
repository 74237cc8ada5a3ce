// SPDX-License-Identifier: GPL-2.0
/*
 * The uplink: the one device of the namespace on the provider network
 * that NAT traffic leaves and arrives by. netvirt takes from it, with an
 * rx_handler, only what its NAT rules translate, and the ARP and ND
 * requests for their addresses; the rest goes on to the host's stack.
 * Locking: RTNL, then nv_net.lock (netns.h, "DOC: Locking").
 */
#include <linux/if_arp.h>
#include <linux/rtnetlink.h>
#include <net/arp.h>
#include <net/ipv6.h>

#include "change.h"
#include "compat.h"
#include "datapath.h"
#include "genl.h"
#include "host.h"
#include "nat.h"
#include "netns.h"
#include "uplink.h"

/* Frees the uplink once no snapshot or packet can reach it. */
static void uplink_free(void *obj)
{
	struct nv_uplink *up = obj;

	netdev_put(up->dev, &up->tracker);
	nv_stats_put(up->stats);
	kfree(up);
}

/* The device is no longer the uplink: its packets go to the host. */
static void uplink_release(void *obj)
{
	struct nv_uplink *up = obj;

	ASSERT_RTNL();
	netdev_rx_handler_unregister(up->dev);
}

static void uplink_destroy(void *obj)
{
	uplink_release(obj);
	uplink_free(obj);
}

/* Called at namespace exit or unload, RTNL held, no port left. */
void nv_uplink_destroy_all(struct nv_config *cfg)
{
	if (!cfg->uplink)
		return;
	uplink_destroy(cfg->uplink);
	cfg->uplink = NULL;
}

/* Why @dev cannot be the uplink, or NULL if it can be. */
static const char *uplink_dev_unfit(struct net_device *dev)
{
	/* It may be the overlay's underlay device too: one NIC. */
	if (nv_is_port_dev(dev))
		return "device is a port";
	if (nv_is_tunnel_dev(dev))
		return "device is the host's tunnel device";
	if (dev->flags & IFF_LOOPBACK)
		return "device is a loopback device";
	if (dev->type != ARPHRD_ETHER)
		return "device is not an Ethernet device";
	if (netdev_is_rx_handler_busy(dev))
		return "device has an rx_handler already (a bridge, bond or other datapath's port)";
	return NULL;
}

static struct nv_uplink *uplink_create(struct nv_net *nn,
				       struct net_device *dev,
				       struct netlink_ext_ack *extack)
{
	const char *why = uplink_dev_unfit(dev);
	struct nv_uplink *up;
	int ret;

	ASSERT_RTNL();
	if (why) {
		NV_SET_ERR_MSG_STR(extack, why);
		return ERR_PTR(-EBUSY);
	}
	up = kzalloc(sizeof(*up), GFP_KERNEL_ACCOUNT);
	if (!up)
		return ERR_PTR(-ENOMEM);
	up->stats = nv_stats_create();
	if (!up->stats) {
		kfree(up);
		return ERR_PTR(-ENOMEM);
	}
	up->nn = nn;
	up->dev = dev;
	ret = netdev_rx_handler_register(dev, nv_uplink_rx, up);
	if (ret) {
		NL_SET_ERR_MSG(extack, "device is busy");
		nv_stats_put(up->stats);
		kfree(up);
		return ERR_PTR(ret);
	}
	netdev_hold(dev, &up->tracker, GFP_KERNEL);
	return up;
}

/* Takes the uplink out; its device goes back to the host at the commit. */
static int uplink_remove(struct nv_txn *txn)
{
	struct nv_uplink *old = txn->next->uplink;
	int ret;

	if (!old)
		return 0;
	ret = nv_txn_retire(txn, uplink_free, old);
	if (!ret)
		ret = nv_txn_after_commit(txn, uplink_release, old);
	if (!ret)
		txn->next->uplink = NULL;
	return ret;
}

static int uplink_replace(struct nv_txn *txn, struct net_device *dev,
			  struct netlink_ext_ack *extack)
{
	struct nv_uplink *up;
	int ret;

	up = uplink_create(txn->nn, dev, extack);
	if (IS_ERR(up))
		return PTR_ERR(up);
	ret = nv_txn_created(txn, uplink_destroy, up);
	if (ret)
		return ret;
	ret = uplink_remove(txn);
	if (!ret)
		txn->next->uplink = up;
	return ret;
}

/* Makes @dev the uplink, or (NULL) removes it: all or nothing. */
static int uplink_change(struct nv_net *nn, struct net_device *dev,
			 struct netlink_ext_ack *extack)
{
	struct nv_txn txn;
	int ret;

	ASSERT_RTNL();
	lockdep_assert_held(&nn->lock);
	ret = nv_txn_begin(&txn, nn);
	if (ret)
		return ret;
	ret = dev ? uplink_replace(&txn, dev, extack) : uplink_remove(&txn);
	return nv_txn_finish(&txn, ret);
}

static struct net_device *uplink_parse_dev(struct net *net, struct nlattr **tb,
					   struct netlink_ext_ack *extack)
{
	struct net_device *dev = NULL;

	if (tb[NETVIRT_A_UPLINK_IFINDEX])
		dev = __dev_get_by_index(net,
					 nla_get_u32(tb[NETVIRT_A_UPLINK_IFINDEX]));
	else if (tb[NETVIRT_A_UPLINK_IFNAME])
		dev = __dev_get_by_name(net,
					nla_data(tb[NETVIRT_A_UPLINK_IFNAME]));
	if (!dev)
		NL_SET_ERR_MSG(extack, "uplink device not found in the namespace");
	return dev;
}

int nv_uplink_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nv_net *nn = nv_net(genl_info_net(info));
	struct nlattr *tb[NETVIRT_A_UPLINK_MAX + 1];
	const struct nv_uplink *cur;
	struct net_device *dev;
	int ret;

	ret = nv_genl_nest(info, NETVIRT_A_UPLINK, tb, NETVIRT_A_UPLINK_MAX,
			   nv_uplink_policy);
	if (ret)
		return ret;
	if (!tb[NETVIRT_A_UPLINK_IFINDEX] == !tb[NETVIRT_A_UPLINK_IFNAME]) {
		GENL_SET_ERR_MSG(info, "give the uplink device by index or by name");
		return -EINVAL;
	}
	ret = -ENODEV;
	dev = uplink_parse_dev(nn->net, tb, info->extack);
	cur = nv_config_locked(nn)->uplink;
	if (dev && cur && cur->dev == dev)
		ret = 0;	/* the uplink already */
	else if (dev)
		ret = uplink_change(nn, dev, info->extack);
	if (!ret)
		nv_change_announce(nn);
	return ret;
}

int nv_uplink_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nv_net *nn = nv_net(genl_info_net(info));
	int ret = -ENOENT;

	if (nv_config_locked(nn)->uplink)
		ret = uplink_change(nn, NULL, NULL);
	else
		GENL_SET_ERR_MSG(info, "no uplink is set on this host");
	return ret;
}

/* The NAT addresses the host answers ARP and ND for on the uplink. */
static int uplink_fill_addrs(struct sk_buff *skb, const struct nv_config *cfg)
{
	const struct nv_nat_index *idx = cfg->nat;
	struct nlattr *nest = nla_nest_start(skb, NETVIRT_A_UPLINK_ADDRS);
	u32 i, k;

	if (!nest)
		return -EMSGSIZE;
	for (i = 0; idx && i < idx->n; i++) {
		const struct nv_nat_rule *r = idx->e[i].rule;

		/* Once per address: the first rule that has it. */
		for (k = 0; k < i; k++)
			if (ipv6_addr_equal(&idx->e[k].rule->addr, &r->addr))
				break;
		if (k < i || !nv_nat_answers(cfg, &r->addr))
			continue;
		if (r->v6 ? nla_put_in6_addr(skb, NETVIRT_A_ADDR_IN6, &r->addr) :
			    nla_put_in_addr(skb, NETVIRT_A_ADDR_IN,
					    r->addr.s6_addr32[3]))
			return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* @ctx: the snapshot; called under RCU. */
static int uplink_fill(struct sk_buff *skb, const void *ctx, const void *obj)
{
	const struct nv_uplink *up = obj;
	struct nlattr *nest, *stats;

	nest = nla_nest_start(skb, NETVIRT_A_UPLINK);
	if (!nest ||
	    nla_put_u32(skb, NETVIRT_A_UPLINK_IFINDEX, up->dev->ifindex) ||
	    nla_put_string(skb, NETVIRT_A_UPLINK_IFNAME, up->dev->name) ||
	    uplink_fill_addrs(skb, ctx))
		return -EMSGSIZE;
	stats = nla_nest_start(skb, NETVIRT_A_UPLINK_STATS);
	if (!stats || nv_stats_fill(skb, up->stats))
		return -EMSGSIZE;
	nla_nest_end(skb, stats);
	nla_nest_end(skb, nest);
	return 0;
}

int nv_uplink_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	const struct nv_config *cfg;
	struct sk_buff *msg;
	int ret = -ENOENT;

	msg = nlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	rcu_read_lock();
	cfg = rcu_dereference(nv_net(net)->config);
	if (cfg && cfg->uplink)
		ret = nv_genl_msg(msg, info->snd_portid, info->snd_seq, NULL,
				  NETVIRT_CMD_UPLINK_GET, uplink_fill, cfg,
				  cfg->uplink);
	rcu_read_unlock();
	if (ret == -ENOENT)
		GENL_SET_ERR_MSG(info, "no uplink is set on this host");
	return nv_genl_reply(msg, info, ret);
}

/* Takes out the uplink @arg, if it is still the namespace's. */
static int uplink_gone(struct nv_net *nn, void *arg)
{
	lockdep_assert_held(&nn->lock);
	if (nv_config_locked(nn)->uplink != arg)
		return 0;
	return uplink_change(nn, NULL, NULL);
}

/* The uplink's device is going away, or leaving the namespace. */
static int uplink_netdev_event(struct notifier_block *nb, unsigned long event,
			       void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct nv_uplink *up;
	struct nv_net *nn;
	int ret;

	if (event != NETDEV_UNREGISTER || !nv_is_uplink_dev(dev))
		return NOTIFY_DONE;
	up = rtnl_dereference(dev->rx_handler_data);
	nn = up->nn;	/* the commit frees @up */
	/* In a request's thread (it deleted the device): a part of it. */
	if (nn->rtnl_writer)
		ret = uplink_gone(nn, up);
	else
		ret = nv_change_notified(nn, uplink_gone, up,
					 NETVIRT_A_CHANGES_UPLINK);
	if (ret)
		pr_err("netvirt: out of memory removing the uplink %s\n",
		       dev->name);
	return NOTIFY_DONE;
}

static struct notifier_block nv_uplink_notifier = {
	.notifier_call = uplink_netdev_event,
};

int nv_uplink_notifier_register(void)
{
	return register_netdevice_notifier(&nv_uplink_notifier);
}

void nv_uplink_notifier_unregister(void)
{
	unregister_netdevice_notifier(&nv_uplink_notifier);
}
