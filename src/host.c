// SPDX-License-Identifier: GPL-2.0
/*
 * This host's side of the overlay: its tunnel endpoint address, the
 * encapsulation and the tunnel device that carries it.
 *
 * The tunnel device is the kernel's own geneve or vxlan device in external
 * (collect_md) mode, as Open vSwitch uses them: the wire format, UDP
 * sockets, GRO, GSO and checksum offloads, outer fragmentation and the
 * source port from the inner flow hash all come from the kernel. netvirt
 * hands it inner frames with the tunnel key in a metadata dst, and takes
 * decapsulated frames from it with an rx_handler.
 * Locking: RTNL, then nv_net.lock (netns.h, "DOC: Locking").
 */
#include <linux/inetdevice.h>
#include <linux/rtnetlink.h>
#include <net/addrconf.h>
#include <net/geneve.h>
#include <net/route.h>
#include <net/vxlan.h>

#include "change.h"
#include "genl.h"
#include "host.h"
#include "netns.h"
#include "tunnel_dst.h"

/*
 * Outer headers before the inner Ethernet header: IP, UDP and the 8-byte
 * Geneve (without options) or VXLAN header.
 */
#define NV_ENCAP_HLEN4	(sizeof(struct iphdr) + sizeof(struct udphdr) + 8)
#define NV_ENCAP_HLEN6	(sizeof(struct ipv6hdr) + sizeof(struct udphdr) + 8)

/**
 * nv_host_inner_mtu() - the largest inner IP packet the overlay carries
 * @host: the host's settings
 * @underlay: the underlay device, or NULL when it is gone
 *
 * Return: the underlay's MTU less the outer headers and inner Ethernet.
 */
unsigned int nv_host_inner_mtu(const struct nv_host *host,
			       const struct net_device *underlay)
{
	unsigned int mtu = underlay ? READ_ONCE(underlay->mtu) : ETH_DATA_LEN;
	unsigned int hlen = (host->v6 ? NV_ENCAP_HLEN6 : NV_ENCAP_HLEN4) +
			    ETH_HLEN;

	return mtu > hlen + IPV4_MIN_MTU ? mtu - hlen : IPV4_MIN_MTU;
}

static struct net_device *tunnel_dev_create(struct net *net, u8 encap,
					    u16 port)
{
	struct vxlan_config conf = {
		.no_share = true,
		.flags = VXLAN_F_COLLECT_METADATA | VXLAN_F_UDP_ZERO_CSUM6_RX,
		.dst_port = htons(port),
		/* Inner packets are sized by netvirt, not by this MTU. */
		.mtu = ETH_MAX_MTU,
	};

	if (encap == NETVIRT_ENCAP_GENEVE)
		return geneve_dev_create_fb(net, NETVIRT_TUNNEL_DEV_GENEVE "%d",
					    NET_NAME_ENUM, port);
	return vxlan_dev_create(net, NETVIRT_TUNNEL_DEV_VXLAN "%d",
				NET_NAME_ENUM, &conf);
}

/*
 * Deletes a tunnel device as "ip link del" does: through its driver's
 * dellink, which also forgets it in the driver's per-namespace list.
 */
static void tunnel_dev_delete(struct net_device *dev)
{
	LIST_HEAD(list);

	dev->rtnl_link_ops->dellink(dev, &list);
	unregister_netdevice_many(&list);
}

/* Takes the device down: after a commit that no longer uses it. */
static void tunnel_destroy(void *obj)
{
	struct nv_tunnel *tun = obj;

	ASSERT_RTNL();
	/* First, so that our notifier ignores the unregistration below. */
	netdev_rx_handler_unregister(tun->dev);
	netdev_put(tun->dev, &tun->tracker);
	/* Unless it is being unregistered already (our notifier). */
	if (tun->dev->reg_state == NETREG_REGISTERED)
		tunnel_dev_delete(tun->dev);
	kfree(tun);
}

static struct nv_tunnel *tunnel_create(struct nv_net *nn, u8 encap, u16 port,
				       struct netlink_ext_ack *extack)
{
	struct net_device *dev;
	struct nv_tunnel *tun;
	int ret;

	ASSERT_RTNL();
	lockdep_assert_held(&nn->lock);
	tun = kzalloc(sizeof(*tun), GFP_KERNEL_ACCOUNT);
	if (!tun)
		return ERR_PTR(-ENOMEM);
	dev = tunnel_dev_create(nn->net, encap, port);
	if (IS_ERR(dev)) {
		NL_SET_ERR_MSG(extack, "cannot create the tunnel device (UDP port taken?)");
		kfree(tun);
		return ERR_CAST(dev);
	}
	/* Opening binds the UDP socket: the port may be taken. */
	ret = dev_change_flags(dev, dev->flags | IFF_UP, NULL);
	if (ret) {
		NL_SET_ERR_MSG(extack, "cannot open the tunnel's UDP socket (port in use?)");
		goto err;
	}
	ret = netdev_rx_handler_register(dev, nv_tunnel_rx, tun);
	if (ret) {
		NL_SET_ERR_MSG(extack, "tunnel device is busy");
		goto err;
	}
	netdev_hold(dev, &tun->tracker, GFP_KERNEL);
	tun->nn = nn;
	tun->dev = dev;
	tun->encap = encap;
	tun->port = port;
	return tun;
err:
	tunnel_dev_delete(dev);
	kfree(tun);
	return ERR_PTR(ret);
}

static void host_free(void *obj)
{
	struct nv_host *host = obj;

	nv_tunnel_dst_release(host);
	nv_stats_put(host->stats);
	kfree(host);
}

/* Called at namespace exit or unload, RTNL held, no port left. */
void nv_host_destroy_all(struct nv_config *cfg)
{
	if (!cfg->host)
		return;
	tunnel_destroy(cfg->host->tun);
	host_free(cfg->host);
	cfg->host = NULL;
}

/* The underlay address of a HOST_SET request, which must be ours. */
static int host_parse_underlay(struct net *net, struct nv_host *host,
			       struct nlattr **tb,
			       struct netlink_ext_ack *extack)
{
	struct nlattr *a4 = tb[NETVIRT_A_HOST_UNDERLAY_IN];
	struct nlattr *a6 = tb[NETVIRT_A_HOST_UNDERLAY_IN6];
	bool local;

	if (!!a4 == !!a6) {
		NL_SET_ERR_MSG(extack, "one underlay address, IPv4 or IPv6, is required");
		return -EINVAL;
	}
	host->v6 = !!a6;
	if (a4) {
		__be32 addr = nla_get_in_addr(a4);

		ipv6_addr_set_v4mapped(addr, &host->underlay);
		local = inet_addr_type(net, addr) == RTN_LOCAL &&
			!ipv4_is_loopback(addr);
	} else {
		host->underlay = nla_get_in6_addr(a6);
		local = ipv6_chk_addr(net, &host->underlay, NULL, 0) &&
			!ipv6_addr_loopback(&host->underlay);
	}
	if (!local) {
		NL_SET_ERR_MSG(extack, "underlay address is not an address of this host");
		return -EADDRNOTAVAIL;
	}
	return 0;
}

/* The underlay device: named, or the one holding the address. */
static int host_parse_dev(struct net *net, struct nv_host *host,
			  struct nlattr **tb, struct netlink_ext_ack *extack)
{
	struct net_device *dev = NULL;

	if (tb[NETVIRT_A_HOST_IFINDEX])
		dev = __dev_get_by_index(net,
					 nla_get_u32(tb[NETVIRT_A_HOST_IFINDEX]));
	else if (tb[NETVIRT_A_HOST_IFNAME])
		dev = __dev_get_by_name(net,
					nla_data(tb[NETVIRT_A_HOST_IFNAME]));
	else if (!host->v6)
		dev = __ip_dev_find(net, host->underlay.s6_addr32[3], false);
	else
		dev = ipv6_dev_find(net, &host->underlay, NULL);
	if (!dev) {
		NL_SET_ERR_MSG(extack, "underlay device not found");
		return -ENODEV;
	}
	if (nv_is_tunnel_dev(dev)) {
		NL_SET_ERR_MSG(extack, "the underlay cannot be netvirt's tunnel device");
		return -EINVAL;
	}
	host->ifindex = dev->ifindex;
	return 0;
}

static u16 host_parse_port(struct nlattr **tb, u8 encap)
{
	if (tb[NETVIRT_A_HOST_PORT])
		return nla_get_u16(tb[NETVIRT_A_HOST_PORT]);
	return encap == NETVIRT_ENCAP_GENEVE ? NETVIRT_GENEVE_PORT :
					       NETVIRT_VXLAN_PORT;
}

/*
 * The tunnel device of the new settings: the current one when the
 * encapsulation and port stay, else a new one, which replaces the old one
 * once the snapshot without it is published.
 */
static int host_tunnel(struct nv_txn *txn, struct nv_host *host,
		       const struct nv_host *old, u8 encap, u16 port,
		       struct netlink_ext_ack *extack)
{
	struct nv_tunnel *tun;
	int ret;

	lockdep_assert_held(&txn->nn->lock);
	if (old && old->tun->encap == encap && old->tun->port == port) {
		host->tun = old->tun;
		return 0;
	}
	tun = tunnel_create(txn->nn, encap, port, extack);
	if (IS_ERR(tun))
		return PTR_ERR(tun);
	ret = nv_txn_created(txn, tunnel_destroy, tun);
	if (ret)
		return ret;
	host->tun = tun;
	if (old)
		ret = nv_txn_after_commit(txn, tunnel_destroy, old->tun);
	return ret;
}

static int host_build(struct nv_txn *txn, struct nlattr **tb,
		      struct netlink_ext_ack *extack)
{
	struct nv_host *old = txn->next->host;
	struct nv_host *host;
	u8 encap;
	int ret;

	lockdep_assert_held(&txn->nn->lock);
	host = kzalloc(sizeof(*host), GFP_KERNEL_ACCOUNT);
	if (!host)
		return -ENOMEM;
	ret = nv_txn_created(txn, host_free, host);
	if (ret)
		return ret;
	ret = host_parse_underlay(txn->nn->net, host, tb, extack);
	if (!ret)
		ret = host_parse_dev(txn->nn->net, host, tb, extack);
	if (ret)
		return ret;
	host->stats = old ? nv_stats_get(old->stats) : nv_stats_create();
	if (!host->stats)
		return -ENOMEM;
	encap = tb[NETVIRT_A_HOST_ENCAP] ?
		nla_get_u8(tb[NETVIRT_A_HOST_ENCAP]) : NETVIRT_ENCAP_GENEVE;
	ret = host_tunnel(txn, host, old, encap, host_parse_port(tb, encap),
			  extack);
	if (!ret && old)
		ret = nv_txn_retire(txn, host_free, old);
	if (!ret)
		txn->next->host = host;
	return ret;
}

/* Takes the host's settings out; the tunnel device goes after the commit. */
static int host_remove(struct nv_txn *txn)
{
	struct nv_host *old = txn->next->host;
	int ret;

	lockdep_assert_held(&txn->nn->lock);
	ret = nv_txn_retire(txn, host_free, old);
	if (ret)
		return ret;
	ret = nv_txn_after_commit(txn, tunnel_destroy, old->tun);
	if (ret)
		return ret;
	txn->next->host = NULL;
	return 0;
}

/* Replaces the host's settings with @tb's, or removes them: all or nothing. */
static int host_change(struct nv_net *nn, struct nlattr **tb,
		       struct netlink_ext_ack *extack)
{
	struct nv_txn txn;
	int ret;

	ASSERT_RTNL();
	lockdep_assert_held(&nn->lock);
	ret = nv_txn_begin(&txn, nn);
	if (ret)
		return ret;
	ret = tb ? host_build(&txn, tb, extack) : host_remove(&txn);
	return nv_txn_finish(&txn, ret);
}

int nv_host_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nv_net *nn = nv_net(genl_info_net(info));
	struct nlattr *tb[NETVIRT_A_HOST_MAX + 1];
	int ret;

	ret = nv_genl_nest(info, NETVIRT_A_HOST, tb, NETVIRT_A_HOST_MAX,
			   nv_host_policy);
	if (ret)
		return ret;
	if (tb[NETVIRT_A_HOST_IFINDEX] && tb[NETVIRT_A_HOST_IFNAME]) {
		GENL_SET_ERR_MSG(info, "give the underlay device by index or by name, not both");
		return -EINVAL;
	}
	return host_change(nn, tb, info->extack);
}

int nv_host_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nv_net *nn = nv_net(genl_info_net(info));
	int ret = -ENOENT;

	if (nv_config_locked(nn)->host)
		ret = host_change(nn, NULL, NULL);
	else
		GENL_SET_ERR_MSG(info, "no overlay is set on this host");
	return ret;
}

static int host_fill_addr(struct sk_buff *skb, const struct nv_host *host)
{
	if (host->v6)
		return nla_put_in6_addr(skb, NETVIRT_A_HOST_UNDERLAY_IN6,
					&host->underlay);
	return nla_put_in_addr(skb, NETVIRT_A_HOST_UNDERLAY_IN,
			       host->underlay.s6_addr32[3]);
}

/* @ctx: the namespace; called under RCU. */
static int host_fill(struct sk_buff *skb, const void *ctx, const void *obj)
{
	const struct nv_host *host = obj;
	struct net_device *underlay;
	struct nlattr *nest, *stats;

	underlay = dev_get_by_index_rcu((struct net *)ctx, host->ifindex);
	nest = nla_nest_start(skb, NETVIRT_A_HOST);
	if (!nest || host_fill_addr(skb, host) ||
	    nla_put_u32(skb, NETVIRT_A_HOST_IFINDEX, host->ifindex) ||
	    (underlay &&
	     nla_put_string(skb, NETVIRT_A_HOST_IFNAME, underlay->name)) ||
	    nla_put_u8(skb, NETVIRT_A_HOST_ENCAP, host->tun->encap) ||
	    nla_put_u16(skb, NETVIRT_A_HOST_PORT, host->tun->port) ||
	    nla_put_u32(skb, NETVIRT_A_HOST_TUNNEL_IFINDEX,
			host->tun->dev->ifindex) ||
	    nla_put_u32(skb, NETVIRT_A_HOST_MTU,
			nv_host_inner_mtu(host, underlay)))
		return -EMSGSIZE;
	stats = nla_nest_start(skb, NETVIRT_A_HOST_STATS);
	if (!stats || nv_stats_fill(skb, host->stats))
		return -EMSGSIZE;
	nla_nest_end(skb, stats);
	nla_nest_end(skb, nest);
	return 0;
}

int nv_host_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	const struct nv_config *cfg;
	struct sk_buff *msg;
	int ret = -ENOENT;

	msg = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	rcu_read_lock();
	cfg = rcu_dereference(nv_net(net)->config);
	if (cfg && cfg->host)
		ret = nv_genl_msg(msg, info->snd_portid, info->snd_seq, NULL,
				  NETVIRT_CMD_HOST_GET, host_fill, net,
				  cfg->host);
	rcu_read_unlock();
	if (ret) {
		if (ret == -ENOENT)
			GENL_SET_ERR_MSG(info, "no overlay is set on this host");
		nlmsg_free(msg);
		return ret;
	}
	return genlmsg_reply(msg, info);
}

/* Someone deleted the tunnel device, or its namespace is going away. */
/* Takes out the overlay of tunnel @arg, if it is still the namespace's. */
static int host_gone(struct nv_net *nn, void *arg)
{
	const struct nv_host *host = nv_config_locked(nn)->host;

	lockdep_assert_held(&nn->lock);
	if (!host || host->tun != arg)
		return 0;
	return host_change(nn, NULL, NULL);
}

static int host_netdev_event(struct notifier_block *nb, unsigned long event,
			     void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct nv_tunnel *tun;
	struct nv_net *nn;

	if (event != NETDEV_UNREGISTER || !nv_is_tunnel_dev(dev))
		return NOTIFY_DONE;
	tun = rtnl_dereference(dev->rx_handler_data);
	nn = tun->nn;	/* the commit frees @tun */
	if (nv_change_notified(nn, host_gone, tun, NETVIRT_A_CHANGES_HOST))
		pr_err("netvirt: out of memory removing the overlay of %s\n",
		       dev->name);
	return NOTIFY_DONE;
}

static struct notifier_block nv_host_notifier = {
	.notifier_call = host_netdev_event,
};

int nv_host_notifier_register(void)
{
	return register_netdevice_notifier(&nv_host_notifier);
}

void nv_host_notifier_unregister(void)
{
	unregister_netdevice_notifier(&nv_host_notifier);
}
