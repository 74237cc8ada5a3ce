// SPDX-License-Identifier: GPL-2.0
/*
 * VM ports: existing netdevs (the host side of a VM's tap or veth)
 * attached with an rx_handler, as bridge, macvlan and openvswitch do.
 * Locking: RTNL, then nv_net.lock (netns.h, "DOC: Locking").
 */
#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <net/ipv6.h>
#include <net/sock.h>

#include "netvirt.h"
#include "datapath.h"
#include "fw.h"
#include "genl.h"
#include "netns.h"
#include "port.h"
#include "route.h"
#include "tenant.h"

bool nv_port_has_addr4(const struct nv_port *port, __be32 addr)
{
	int i;

	for (i = 0; i < port->n_addrs; i++)
		if (ipv6_addr_v4mapped(&port->addrs[i]) &&
		    port->addrs[i].s6_addr32[3] == addr)
			return true;
	return false;
}

bool nv_port_has_addr6(const struct nv_port *port,
		       const struct in6_addr *addr)
{
	int i;

	for (i = 0; i < port->n_addrs; i++)
		if (ipv6_addr_equal(&port->addrs[i], addr))
			return true;
	return false;
}

unsigned int nv_tenant_port_count(const struct nv_config *cfg, u16 slot)
{
	unsigned int i, n = 0;

	for (i = 0; i < NV_MAX_PORTS; i++)
		if (cfg->ports[i] && cfg->ports[i]->tenant_slot == slot)
			n++;
	return n;
}

static void port_free(void *obj)
{
	struct nv_port *port = obj;

	nv_stats_put(port->stats);
	kfree(port);
}

/* After the snapshot without the port is published; under RTNL. */
static void port_detach(void *obj)
{
	struct nv_attach *att = obj;

	ASSERT_RTNL();
	netdev_rx_handler_unregister(att->dev);
	netdev_put(att->dev, &att->tracker);
	kfree(att);
}

/**
 * nv_port_remove() - take a port, its routes and its device out
 * @txn: transaction; the caller holds RTNL and nv_net.lock
 * @port: the port, in @txn->next
 *
 * The device is detached once the commit has published a snapshot
 * without the port, so no packet ever leaks to the host's stack.
 *
 * Return: 0 or -ENOMEM.
 */
int nv_port_remove(struct nv_txn *txn, struct nv_port *port)
{
	struct nv_config *next = txn->next;
	struct nv_tenant *t = next->tenants[port->tenant_slot];
	struct nv_routes *routes = t->routes;
	u32 before = nv_routes_count(routes);
	int ret;

	ASSERT_RTNL();
	lockdep_assert_held(&txn->nn->lock);
	ret = nv_routes_remove_port(txn, &routes, port->slot);
	if (ret)
		return ret;
	if (routes != t->routes) {
		ret = nv_tenant_replace(txn, t, routes, t->fw);
		if (ret)
			return ret;
	}
	ret = nv_fw_remove_port(txn, next->tenants[port->tenant_slot],
				port->slot);
	if (ret)
		return ret;
	ret = nv_txn_retire(txn, port_free, port);
	if (!ret)
		ret = nv_txn_after_commit(txn, port_detach, port->attach);
	if (ret)
		return ret;
	next->counts.routes -= before - nv_routes_count(routes);
	next->counts.ports--;
	next->ports[port->slot] = NULL;
	return 0;
}

/* Called at namespace exit, with RTNL held: nothing else can run. */
void nv_port_destroy_all(struct nv_config *cfg)
{
	int i;

	for (i = 0; i < NV_MAX_PORTS; i++) {
		struct nv_port *port = cfg->ports[i];

		if (!port)
			continue;
		port_detach(port->attach);
		port_free(port);
		cfg->ports[i] = NULL;
	}
}

/* The addresses of a PORT_NEW request, IPv4 as v4-mapped. */
static int port_parse_addrs(struct nv_port *port, const struct nlattr *nest,
			    struct netlink_ext_ack *extack)
{
	const struct nlattr *a;
	struct in6_addr addr;
	int rem;

	nla_for_each_nested(a, nest, rem) {
		if (nla_type(a) == NETVIRT_A_ADDR_IN) {
			__be32 v4 = nla_get_in_addr(a);

			ipv6_addr_set_v4mapped(v4, &addr);
			if (ipv4_is_zeronet(v4) || ipv4_is_multicast(v4) ||
			    ipv4_is_lbcast(v4) || ipv4_is_loopback(v4)) {
				NL_SET_ERR_MSG_ATTR(extack, a, "not a unicast IPv4 address");
				return -EINVAL;
			}
		} else {
			addr = nla_get_in6_addr(a);
			if (ipv6_addr_type(&addr) & (IPV6_ADDR_MULTICAST |
			    IPV6_ADDR_LOOPBACK | IPV6_ADDR_MAPPED) ||
			    ipv6_addr_any(&addr)) {
				NL_SET_ERR_MSG_ATTR(extack, a, "not a unicast IPv6 address");
				return -EINVAL;
			}
		}
		if (port->n_addrs == NV_MAX_PORT_ADDRS) {
			NL_SET_ERR_MSG_ATTR(extack, a, "too many addresses for one port");
			return -E2BIG;
		}
		if (nv_port_has_addr6(port, &addr)) {
			NL_SET_ERR_MSG_ATTR(extack, a, "address given twice");
			return -EINVAL;
		}
		port->addrs[port->n_addrs++] = addr;
	}
	if (!port->n_addrs) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "a port needs an address");
		return -EINVAL;
	}
	return 0;
}

/* The device a request names, by index or by name, in the namespace. */
static struct net_device *port_dev(struct net *net, struct nlattr **tb,
				   struct netlink_ext_ack *extack)
{
	struct net_device *dev = NULL;

	if (tb[NETVIRT_A_PORT_IFINDEX])
		dev = __dev_get_by_index(net,
					 nla_get_u32(tb[NETVIRT_A_PORT_IFINDEX]));
	else if (tb[NETVIRT_A_PORT_IFNAME])
		dev = __dev_get_by_name(net, nla_data(tb[NETVIRT_A_PORT_IFNAME]));
	else
		NL_SET_ERR_MSG(extack, "port device (ifindex or name) is required");
	if (!dev && (tb[NETVIRT_A_PORT_IFINDEX] || tb[NETVIRT_A_PORT_IFNAME]))
		NL_SET_ERR_MSG_ATTR(extack, tb[NETVIRT_A_PORT_IFINDEX] ?:
				    tb[NETVIRT_A_PORT_IFNAME],
				    "no such device in this network namespace");
	return dev;
}

static int port_check_dev(struct net_device *dev,
			  struct netlink_ext_ack *extack)
{
	if (nv_is_port_dev(dev)) {
		NL_SET_ERR_MSG(extack, "device is already a port");
		return -EEXIST;
	}
	if (dev->type != ARPHRD_ETHER || (dev->flags & IFF_LOOPBACK)) {
		NL_SET_ERR_MSG(extack, "device is not an Ethernet device");
		return -EINVAL;
	}
	if (netdev_is_rx_handler_busy(dev) || netdev_master_upper_dev_get(dev) ||
	    netif_is_any_bridge_port(dev) || (dev->flags & IFF_SLAVE)) {
		NL_SET_ERR_MSG(extack, "device is enslaved elsewhere");
		return -EBUSY;
	}
	return 0;
}

/* Frees a port that never got a device: the abort of its transaction. */
static void port_unwind(void *obj)
{
	struct nv_port *port = obj;

	kfree(port->attach);
	port_free(port);
}

/* A free slot for a new port of @t, within the limits; or -ENOSPC. */
static int port_slot_for(const struct nv_config *cfg, const struct nv_tenant *t,
			 struct netlink_ext_ack *extack)
{
	int slot = nv_config_free_slot((void *const *)cfg->ports, NV_MAX_PORTS,
				       cfg->counts.ports,
				       READ_ONCE(nv_limits.ports));

	if (slot < 0) {
		NL_SET_ERR_MSG(extack, "port limit of the namespace reached (max_ports)");
		return slot;
	}
	if (nv_tenant_port_count(cfg, t->slot) >=
	    READ_ONCE(nv_limits.tenant_ports)) {
		NL_SET_ERR_MSG(extack, "port limit of the tenant reached (max_tenant_ports)");
		return -ENOSPC;
	}
	return slot;
}

static struct nv_port *port_create(struct nv_net *nn, struct net_device *dev,
				   struct nlattr **tb, int slot,
				   struct netlink_ext_ack *extack)
{
	struct nv_port *port;
	int ret;

	lockdep_assert_held(&nn->lock);
	port = kzalloc(sizeof(*port), GFP_KERNEL);
	if (!port)
		return ERR_PTR(-ENOMEM);
	ret = -ENOMEM;
	port->stats = nv_stats_create();
	port->attach = kzalloc(sizeof(*port->attach), GFP_KERNEL);
	if (!port->stats || !port->attach)
		goto err;
	ret = port_parse_addrs(port, tb[NETVIRT_A_PORT_ADDRS], extack);
	if (ret)
		goto err;
	port->slot = slot;
	port->dev = dev;
	port->ifindex = dev->ifindex;
	ether_addr_copy(port->mac, nla_data(tb[NETVIRT_A_PORT_MAC]));
	port->attach->nn = nn;
	port->attach->slot = slot;
	port->attach->dev = dev;
	return port;
err:
	port_unwind(port);
	return ERR_PTR(ret);
}

/* Host routes for the port's addresses, in a new version of its tenant. */
static int port_add_routes(struct nv_txn *txn, struct nv_tenant *t,
			   struct nv_port *port,
			   struct netlink_ext_ack *extack)
{
	struct nv_routes *routes = t->routes;
	int i, ret;

	lockdep_assert_held(&txn->nn->lock);
	ret = nv_route_limit(txn->next, routes, port->n_addrs, extack);
	if (ret)
		return ret;
	for (i = 0; i < port->n_addrs; i++) {
		bool v6 = !ipv6_addr_v4mapped(&port->addrs[i]);

		if (nv_route_find(routes, &port->addrs[i], v6, v6 ? 128 : 32)) {
			NL_SET_ERR_MSG(extack, "a port address is already routed in this tenant");
			return -EEXIST;
		}
		ret = nv_route_add_port(txn, t, &routes, &port->addrs[i], v6,
					port->slot, port->ifindex);
		if (ret)
			return ret;
	}
	txn->next->counts.routes += port->n_addrs;
	return nv_tenant_replace(txn, t, routes, t->fw);
}

/*
 * Attaches the device and links the port into the transaction's copy:
 * last, after everything else that can fail, since the commit cannot.
 */
static int port_attach(struct nv_txn *txn, struct nv_port *port,
		       struct netlink_ext_ack *extack)
{
	int ret;

	ASSERT_RTNL();
	lockdep_assert_held(&txn->nn->lock);
	ret = netdev_rx_handler_register(port->dev, nv_port_rx, port->attach);
	if (ret) {
		NL_SET_ERR_MSG(extack, "cannot attach to the device");
		return ret;
	}
	netdev_hold(port->dev, &port->attach->tracker, GFP_KERNEL);
	txn->next->ports[port->slot] = port;
	txn->next->counts.ports++;
	return 0;
}

static int port_add(struct nv_net *nn, struct net_device *dev,
		    struct nlattr **tb, struct netlink_ext_ack *extack)
{
	struct nv_config *cfg = nv_config_locked(nn);
	struct nv_tenant *t;
	struct nv_port *port;
	struct nv_txn txn;
	int slot, ret;

	lockdep_assert_held(&nn->lock);
	ret = port_check_dev(dev, extack);
	if (ret)
		return ret;
	t = nv_tenant_from_attr(cfg, tb[NETVIRT_A_PORT_TENANT], extack);
	if (!t)
		return -ENOENT;
	slot = port_slot_for(cfg, t, extack);
	if (slot < 0)
		return slot;
	ret = nv_txn_begin(&txn, nn);
	if (ret)
		return ret;
	port = port_create(nn, dev, tb, slot, extack);
	ret = PTR_ERR_OR_ZERO(port);
	if (ret)
		goto out_abort;
	ret = nv_txn_created(&txn, port_unwind, port);
	if (ret)
		goto out_abort;
	port->tenant_slot = t->slot;
	ret = port_add_routes(&txn, t, port, extack);
	if (ret)
		goto out_abort;
	ret = nv_txn_prepare(&txn) ?: port_attach(&txn, port, extack);
	if (ret)
		goto out_abort;
	return nv_txn_commit(&txn);

out_abort:
	nv_txn_abort(&txn);
	return ret;
}

int nv_port_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nv_net *nn = nv_net(genl_info_net(info));
	struct nlattr *tb[NETVIRT_A_PORT_MAX + 1];
	struct net_device *dev;
	int ret;

	ret = nv_genl_nest(info, NETVIRT_A_PORT, tb, NETVIRT_A_PORT_MAX,
			   nv_port_policy);
	if (ret)
		return ret;
	if (nv_genl_missing(info, NETVIRT_A_PORT, tb, NETVIRT_A_PORT_TENANT,
			    "port tenant is required") ||
	    nv_genl_missing(info, NETVIRT_A_PORT, tb, NETVIRT_A_PORT_MAC,
			    "port MAC is required") ||
	    nv_genl_missing(info, NETVIRT_A_PORT, tb, NETVIRT_A_PORT_ADDRS,
			    "port addresses are required"))
		return -EINVAL;
	if (!is_valid_ether_addr(nla_data(tb[NETVIRT_A_PORT_MAC]))) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[NETVIRT_A_PORT_MAC],
				    "port MAC must be a unicast address");
		return -EINVAL;
	}

	nv_net_lock_rtnl(nn);
	ret = -ENODEV;
	dev = port_dev(genl_info_net(info), tb, info->extack);
	if (dev)
		ret = port_add(nn, dev, tb, info->extack);
	nv_net_unlock_rtnl(nn);
	return ret;
}

/* The port of @dev in the published snapshot; RTNL and nn->lock held. */
static struct nv_port *port_of_dev(struct nv_net *nn, struct net_device *dev)
{
	struct nv_attach *att;

	ASSERT_RTNL();
	lockdep_assert_held(&nn->lock);
	if (!nv_is_port_dev(dev))
		return NULL;
	att = rtnl_dereference(dev->rx_handler_data);
	if (att->nn != nn)
		return NULL;
	return nv_config_locked(nn)->ports[att->slot];
}

/* The port a PORT_DEL or PORT_GET request names by its device. */
static struct nv_port *port_from_request(struct nv_net *nn,
					 struct genl_info *info,
					 struct nlattr **tb)
{
	struct net_device *dev;
	struct nv_port *port;

	dev = port_dev(genl_info_net(info), tb, info->extack);
	if (!dev)
		return ERR_PTR(-ENODEV);
	port = port_of_dev(nn, dev);
	if (!port) {
		NL_SET_ERR_MSG(info->extack, "device is not a port");
		return ERR_PTR(-ENOENT);
	}
	return port;
}

static int port_del(struct nv_net *nn, struct nv_port *port)
{
	struct nv_txn txn;
	int ret;

	lockdep_assert_held(&nn->lock);
	ret = nv_txn_begin(&txn, nn);
	if (ret)
		return ret;
	return nv_txn_finish(&txn, nv_port_remove(&txn, port));
}

int nv_port_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nv_net *nn = nv_net(genl_info_net(info));
	struct nlattr *tb[NETVIRT_A_PORT_MAX + 1];
	struct nv_port *port;
	int ret;

	ret = nv_genl_nest(info, NETVIRT_A_PORT, tb, NETVIRT_A_PORT_MAX,
			   nv_port_policy);
	if (ret)
		return ret;

	nv_net_lock_rtnl(nn);
	port = port_from_request(nn, info, tb);
	ret = IS_ERR(port) ? PTR_ERR(port) : port_del(nn, port);
	nv_net_unlock_rtnl(nn);
	return ret;
}

static int port_fill(struct sk_buff *skb, const void *ctx, const void *obj)
{
	const struct nv_config *cfg = ctx;
	const struct nv_port *port = obj;
	struct nlattr *nest, *addrs;
	int i;

	nest = nla_nest_start(skb, NETVIRT_A_PORT);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, NETVIRT_A_PORT_IFINDEX, port->ifindex) ||
	    nla_put_string(skb, NETVIRT_A_PORT_IFNAME, port->dev->name) ||
	    nla_put_string(skb, NETVIRT_A_PORT_TENANT,
			   cfg->tenants[port->tenant_slot]->name) ||
	    nla_put(skb, NETVIRT_A_PORT_MAC, ETH_ALEN, port->mac))
		goto err;
	addrs = nla_nest_start(skb, NETVIRT_A_PORT_ADDRS);
	if (!addrs)
		goto err;
	for (i = 0; i < port->n_addrs; i++) {
		const struct in6_addr *a = &port->addrs[i];

		if (ipv6_addr_v4mapped(a) ?
		    nla_put_in_addr(skb, NETVIRT_A_ADDR_IN, a->s6_addr32[3]) :
		    nla_put_in6_addr(skb, NETVIRT_A_ADDR_IN6, a))
			goto err;
	}
	nla_nest_end(skb, addrs);
	nla_nest_end(skb, nest);
	return 0;
err:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

int nv_port_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nv_net *nn = nv_net(genl_info_net(info));
	struct nlattr *tb[NETVIRT_A_PORT_MAX + 1];
	struct nv_port *port;
	struct sk_buff *msg;
	int ret;

	ret = nv_genl_nest(info, NETVIRT_A_PORT, tb, NETVIRT_A_PORT_MAX,
			   nv_port_policy);
	if (ret)
		return ret;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	nv_net_lock_rtnl(nn);
	port = port_from_request(nn, info, tb);
	ret = PTR_ERR_OR_ZERO(port);
	if (!ret)
		ret = nv_genl_msg(msg, info->snd_portid, info->snd_seq, NULL,
				  NETVIRT_CMD_PORT_GET, port_fill,
				  nv_config_locked(nn), port);
	nv_net_unlock_rtnl(nn);
	return nv_genl_reply(msg, info, ret);
}

static const void *port_at(const struct nv_config *cfg, unsigned int slot)
{
	return cfg->ports[slot];
}

int nv_port_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	return nv_config_dump_slots(skb, cb, NETVIRT_CMD_PORT_GET, port_fill,
				    port_at, NV_MAX_PORTS);
}

/* A port's device goes away (VM shut down, namespace deleted). */
static int port_netdev_event(struct notifier_block *nb, unsigned long event,
			     void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct nv_attach *att;
	struct nv_port *port;
	struct nv_net *nn;

	if (event != NETDEV_UNREGISTER || !nv_is_port_dev(dev))
		return NOTIFY_DONE;
	att = rtnl_dereference(dev->rx_handler_data);
	/* The commit frees @att (port_detach): keep what outlives it. */
	nn = att->nn;
	mutex_lock(&nn->lock);
	port = nv_config_locked(nn)->ports[att->slot];
	if (port && port_del(nn, port))
		pr_err("netvirt: out of memory removing port %s\n", dev->name);
	mutex_unlock(&nn->lock);
	return NOTIFY_DONE;
}

static struct notifier_block nv_port_notifier = {
	.notifier_call = port_netdev_event,
};

int nv_port_notifier_register(void)
{
	return register_netdevice_notifier(&nv_port_notifier);
}

void nv_port_notifier_unregister(void)
{
	unregister_netdevice_notifier(&nv_port_notifier);
}
