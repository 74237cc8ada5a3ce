// SPDX-License-Identifier: GPL-2.0
/*
 * VM ports: existing netdevs (the host side of a VM's tap or veth)
 * attached with an rx_handler, as bridge, macvlan and openvswitch do.
 * A port is named by its device's name and outlives the device
 * (port_attach.c); only PORT_DEL removes it.
 * Locking: RTNL, then nv_net.lock (netns.h, "DOC: Locking").
 */
#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <net/ipv6.h>
#include <net/sock.h>

#include "netvirt.h"
#include "change.h"
#include "compat.h"
#include "datapath.h"
#include "fw.h"
#include "genl.h"
#include "nat.h"
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

/*
 * Frees a port with its binding: retired with its last version, when no
 * reader holds either, or never published (an aborted add).
 */
static void port_free(void *obj)
{
	struct nv_port *port = obj;

	nv_stats_put(port->stats);
	kfree(port->attach);
	kfree(port);
}

/*
 * A port of an aborted transaction, whose device it may have attached
 * already (a later request of the transaction failed); under both locks.
 */
static void port_discard(void *obj)
{
	struct nv_port *port = obj;

	nv_port_unbind(port->attach, NULL);
	port_free(port);
}

/* After the snapshot without the port is published; under both locks. */
static void port_detach(void *obj)
{
	nv_port_unbind(obj, NULL);
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

/*
 * Called at namespace exit, with RTNL and nv_net.lock held, the snapshot
 * unpublished: nothing else can run.
 */
void nv_port_destroy_all(struct nv_config *cfg)
{
	int i;

	for (i = 0; i < NV_MAX_PORTS; i++) {
		struct nv_port *port = cfg->ports[i];

		if (!port)
			continue;
		nv_port_unbind(port->attach, NULL);
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

/* The device a PORT_NEW request names, by index or by name. */
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

/**
 * nv_port_find() - the port a request names
 * @cfg: the snapshot
 * @tenant_slot: the tenant the port must be of, or -1 for any
 * @ifindex: an attribute with the index of the port's device, or NULL
 * @ifname: else an attribute with the port's name, attached or not
 * @extack: for errors
 *
 * Return: the port, or NULL with a message in @extack.
 */
struct nv_port *nv_port_find(const struct nv_config *cfg, int tenant_slot,
			     const struct nlattr *ifindex,
			     const struct nlattr *ifname,
			     struct netlink_ext_ack *extack)
{
	int i;

	if (!ifindex && !ifname) {
		NL_SET_ERR_MSG(extack, "a port (device index or name) is required");
		return NULL;
	}
	for (i = 0; i < NV_MAX_PORTS; i++) {
		struct nv_port *port = cfg->ports[i];

		if (!port || (tenant_slot >= 0 && port->tenant_slot != tenant_slot))
			continue;
		if (ifindex ? nv_port_ifindex(port) == nla_get_u32(ifindex) :
			      !nla_strcmp(ifname, port->name))
			return port;
	}
	if (tenant_slot < 0)
		NL_SET_ERR_MSG_ATTR(extack, ifindex ?: ifname,
				    "no such port in this network namespace");
	else
		NL_SET_ERR_MSG_ATTR(extack, ifindex ?: ifname,
				    "no such port in the tenant");
	return NULL;
}

/**
 * nv_port_put_ref() - put a reference to a port in a reply
 * @skb: the reply
 * @port: the port
 * @ifindex_type: attribute type of its device's index, put while attached
 * @ifname_type: attribute type of its name
 *
 * Return: 0 or -EMSGSIZE.
 */
int nv_port_put_ref(struct sk_buff *skb, const struct nv_port *port,
		    int ifindex_type, int ifname_type)
{
	int ifindex = nv_port_ifindex(port);

	if (ifindex && nla_put_u32(skb, ifindex_type, ifindex))
		return -EMSGSIZE;
	return nla_put_string(skb, ifname_type, port->name);
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

/* A port of tenant @tenant_slot with MAC @mac, other than @self; or NULL. */
static const struct nv_port *port_with_mac(const struct nv_config *cfg,
					   u16 tenant_slot, const u8 *mac,
					   const struct nv_port *self)
{
	int i;

	for (i = 0; i < NV_MAX_PORTS; i++) {
		const struct nv_port *p = cfg->ports[i];

		if (p && p != self && p->tenant_slot == tenant_slot &&
		    ether_addr_equal(p->mac, mac))
			return p;
	}
	return NULL;
}

static struct nv_port *port_create(struct nv_net *nn, struct net_device *dev,
				   struct nlattr **tb, int slot,
				   struct netlink_ext_ack *extack)
{
	struct nv_port *port;
	int ret;

	lockdep_assert_held(&nn->lock);
	port = kzalloc(sizeof(*port), GFP_KERNEL_ACCOUNT);
	if (!port)
		return ERR_PTR(-ENOMEM);
	ret = -ENOMEM;
	port->stats = nv_stats_create();
	port->attach = kzalloc(sizeof(*port->attach), GFP_KERNEL_ACCOUNT);
	if (!port->stats || !port->attach)
		goto err;
	ret = port_parse_addrs(port, tb[NETVIRT_A_PORT_ADDRS], extack);
	if (ret)
		goto err;
	port->slot = slot;
	strscpy(port->name, dev->name, sizeof(port->name));
	ether_addr_copy(port->mac, nla_data(tb[NETVIRT_A_PORT_MAC]));
	port->attach->nn = nn;
	port->attach->slot = slot;
	return port;
err:
	port_free(port);
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
					port->slot);
		if (ret)
			return ret;
	}
	txn->next->counts.routes += port->n_addrs;
	return nv_tenant_replace(txn, t, routes, t->fw);
}

/**
 * struct takeover - a device handed over, in a transaction, from a port
 * it deleted to a port it made (the port made again with other settings)
 * @from: the deleted port's binding
 * @to: the new port's
 */
struct takeover {
	struct nv_attach *from;
	struct nv_attach *to;
};

static int takeover_prepare(void *obj, struct netlink_ext_ack *extack)
{
	return 0;
}

static void takeover_keep(void *obj)
{
	kfree(obj);
}

/* The transaction aborted: the deleted port has its device back. */
static void takeover_undo(void *obj)
{
	struct takeover *t = obj;

	if (rtnl_dereference(t->to->dev))
		nv_port_handover(t->to, t->from);
	kfree(t);
}

static const struct nv_txn_hook_ops takeover_ops = {
	.prepare = takeover_prepare,
	.commit = takeover_keep,
	.abort = takeover_undo,
};

/*
 * The binding of a port this transaction deleted that @dev is still
 * attached to (the commit would detach it), or NULL.
 */
static struct nv_attach *deleted_owner(struct nv_net *nn,
				       struct net_device *dev)
{
	const struct nv_port *p;
	struct nv_attach *att;

	if (!nv_is_port_dev(dev))
		return NULL;
	att = rtnl_dereference(dev->rx_handler_data);
	if (att->nn != nn)
		return NULL;
	p = nv_config_locked(nn)->ports[att->slot];
	return p && p->attach == att ? NULL : att;
}

/*
 * @port takes its device over from @from, a port the transaction deleted,
 * without a moment when the device is no port's; an abort hands it back.
 */
static int port_take_over(struct nv_txn *txn, struct nv_port *port,
			  struct nv_attach *from)
{
	struct takeover *t = kmalloc(sizeof(*t), GFP_KERNEL_ACCOUNT);
	int ret;

	if (!t)
		return -ENOMEM;
	t->from = from;
	t->to = port->attach;
	ret = nv_txn_hook(txn, &takeover_ops, t);
	if (ret) {
		kfree(t);
		return ret;
	}
	nv_port_handover(from, port->attach);
	return 0;
}

/*
 * Attaches the device and links the port into the transaction's copy:
 * last, after everything else that can fail, since the commit cannot.
 */
static int port_attach(struct nv_txn *txn, struct nv_port *port,
		       struct net_device *dev, struct netlink_ext_ack *extack)
{
	struct nv_attach *from = deleted_owner(txn->nn, dev);
	int ret;

	ASSERT_RTNL();
	lockdep_assert_held(&txn->nn->lock);
	ret = from ? port_take_over(txn, port, from) :
		     nv_port_bind(port->attach, dev);
	if (ret) {
		NL_SET_ERR_MSG(extack, "cannot attach to the device");
		return ret;
	}
	txn->next->ports[port->slot] = port;
	txn->next->counts.ports++;
	return 0;
}

/* A new port of tenant @t for @dev, in a transaction of its own. */
static int port_add(struct nv_net *nn, struct nv_tenant *t,
		    struct net_device *dev, struct nlattr **tb,
		    struct netlink_ext_ack *extack)
{
	struct nv_config *cfg = nv_config_locked(nn);
	struct nv_port *port;
	struct nv_txn txn;
	int slot, ret;

	lockdep_assert_held(&nn->lock);
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
	ret = nv_txn_created(&txn, port_discard, port);
	if (ret)
		goto out_abort;
	port->tenant_slot = t->slot;
	ret = port_add_routes(&txn, t, port, extack);
	if (ret)
		goto out_abort;
	ret = nv_txn_prepare(&txn) ?: port_attach(&txn, port, dev, extack);
	if (ret)
		goto out_abort;
	return nv_txn_commit(&txn);

out_abort:
	nv_txn_abort(&txn);
	return ret;
}

/* Has @port the tenant, MAC and addresses PORT_NEW request @tb gives? */
static bool port_same(const struct nv_port *port, const struct nv_tenant *t,
		      struct nlattr **tb)
{
	struct nv_port want = {};

	if (port->tenant_slot != t->slot ||
	    !ether_addr_equal(port->mac, nla_data(tb[NETVIRT_A_PORT_MAC])) ||
	    port_parse_addrs(&want, tb[NETVIRT_A_PORT_ADDRS], NULL) ||
	    want.n_addrs != port->n_addrs)
		return false;
	return !memcmp(want.addrs, port->addrs,
		       port->n_addrs * sizeof(port->addrs[0]));
}

/*
 * PORT_NEW for the name of a port that exists: as it is, the request is
 * done (an orchestrator that adds a VM's port again after the VM
 * rebooted); with another tenant, MAC or addresses, refused.
 */
static int reattach_prepare(void *obj, struct netlink_ext_ack *extack)
{
	return 0;
}

/* The transaction that attached the port's device again aborted. */
static void reattach_undo(void *obj)
{
	nv_port_unbind(obj, "the change that attached it failed");
}

static const struct nv_txn_hook_ops reattach_ops = {
	.prepare = reattach_prepare,
	.abort = reattach_undo,
};

static int port_add_again(struct nv_net *nn, struct nv_port *port,
			  const struct nv_tenant *t, struct net_device *dev,
			  struct nlattr **tb, struct netlink_ext_ack *extack)
{
	struct nv_txn txn;
	int ret;

	lockdep_assert_held(&nn->lock);
	if (!port_same(port, t, tb)) {
		NL_SET_ERR_MSG(extack,
			       "the port exists with another tenant, MAC or addresses");
		return -EEXIST;
	}
	if (rcu_access_pointer(port->attach->dev))
		return 0;
	ret = nv_port_dev_check(nn, dev, extack);
	if (ret)
		return ret;
	/* A change of its own, undone with the transaction it is part of. */
	ret = nv_txn_begin(&txn, nn);
	if (ret)
		return ret;
	ret = nv_txn_hook(&txn, &reattach_ops, port->attach) ?:
	      nv_port_bind(port->attach, dev);
	return nv_txn_finish(&txn, ret);
}

static int port_new(struct nv_net *nn, struct net_device *dev,
		    struct nlattr **tb, struct netlink_ext_ack *extack)
{
	struct nv_config *cfg = nv_config_locked(nn);
	struct nv_port *port = NULL;
	struct nv_tenant *t;
	int i;

	lockdep_assert_held(&nn->lock);
	t = nv_tenant_from_attr(cfg, tb[NETVIRT_A_PORT_TENANT], extack);
	if (!t)
		return -ENOENT;
	for (i = 0; i < NV_MAX_PORTS && !port; i++)
		if (cfg->ports[i] && !strcmp(cfg->ports[i]->name, dev->name))
			port = cfg->ports[i];
	if (port)
		return port_add_again(nn, port, t, dev, tb, extack);
	if (port_with_mac(cfg, t->slot, nla_data(tb[NETVIRT_A_PORT_MAC]), NULL)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[NETVIRT_A_PORT_MAC],
				    "another port of the tenant has this MAC");
		return -EEXIST;
	}
	/* A port made again in one transaction: see port_take_over(). */
	return (deleted_owner(nn, dev) ? 0 : nv_port_dev_check(nn, dev, extack)) ?:
	       port_add(nn, t, dev, tb, extack);
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

	ret = -ENODEV;
	dev = port_dev(genl_info_net(info), tb, info->extack);
	if (dev)
		ret = port_new(nn, dev, tb, info->extack);
	if (!ret)	/* a VM that moved here takes its floating IP along */
		nv_change_announce(nn);
	return ret;
}

/* The port a PORT_DEL or PORT_GET request names: by index or name. */
static struct nv_port *port_from_request(struct nv_net *nn,
					 struct genl_info *info,
					 struct nlattr **tb)
{
	struct nv_port *port;

	lockdep_assert_held(&nn->lock);
	port = nv_port_find(nv_config_locked(nn), -1, tb[NETVIRT_A_PORT_IFINDEX],
			    tb[NETVIRT_A_PORT_IFNAME], info->extack);
	return port ?: ERR_PTR(-ENOENT);
}

/*
 * A port that rules, routes (besides its own host routes) or port groups
 * name is only deleted with force, which takes them out with it: the
 * reply says what went.
 */
static int port_del(struct nv_net *nn, struct nv_port *port, bool force,
		    struct netlink_ext_ack *extack)
{
	const struct nv_tenant *t;
	u32 rules, pgroups, routes;
	struct nv_txn txn;
	int ret;

	lockdep_assert_held(&nn->lock);
	t = nv_config_locked(nn)->tenants[port->tenant_slot];
	nv_fw_port_users(t->fw, port->slot, &rules, &pgroups);
	routes = nv_routes_port_users(t->routes, port->slot);
	if (!force && (rules || pgroups || routes)) {
		NL_SET_ERR_MSG(extack,
			       "rules, routes or port groups use the port (delete with force)");
		return -EBUSY;
	}
	ret = nv_txn_begin(&txn, nn);
	if (ret)
		return ret;
	ret = nv_txn_finish(&txn, nv_port_remove(&txn, port));
	if (!ret && (rules || pgroups || routes))
		NV_SET_ERR_MSG_FMT(extack,
				   "deleted with the port: its rules, routes and group memberships",
				   "deleted with the port: %u rules, %u routes, %u group memberships",
				   rules, routes, pgroups);
	return ret;
}

int nv_port_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nv_net *nn = nv_net(genl_info_net(info));
	struct nlattr *tb[NETVIRT_A_PORT_MAX + 1];
	bool force = nv_genl_flags(info) & NETVIRT_F_FORCE;
	struct nv_port *port;
	int ret;

	ret = nv_genl_nest(info, NETVIRT_A_PORT, tb, NETVIRT_A_PORT_MAX,
			   nv_port_policy);
	if (ret)
		return ret;

	port = port_from_request(nn, info, tb);
	return IS_ERR(port) ? PTR_ERR(port) :
	       port_del(nn, port, force, info->extack);
}

/* Attached, or detached and why: read locklessly by dumps. */
static int port_put_state(struct sk_buff *skb, const struct nv_attach *att)
{
	const char *why = READ_ONCE(att->why);

	if (READ_ONCE(att->ifindex))
		return nla_put_u8(skb, NETVIRT_A_PORT_STATE,
				  NETVIRT_PORT_ATTACHED);
	return nla_put_u8(skb, NETVIRT_A_PORT_STATE, NETVIRT_PORT_DETACHED) ||
	       nla_put_string(skb, NETVIRT_A_PORT_DETACHED, why ?: "");
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
	if (nv_port_put_ref(skb, port, NETVIRT_A_PORT_IFINDEX,
			    NETVIRT_A_PORT_IFNAME) ||
	    port_put_state(skb, port->attach) ||
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
