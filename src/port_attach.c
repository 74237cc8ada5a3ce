// SPDX-License-Identifier: GPL-2.0
/*
 * A port's binding to its device. A port is configuration, named by its
 * device's name; the device is the VM's tap or veth, which goes away when
 * the VM shuts down and comes back, with a new index, when it boots. The
 * port then stays, detached, with its rules, routes, groups and counters,
 * and a device of its name that appears in its namespace is attached
 * again, as Open vSwitch re-attaches an interface of its database.
 * Locking: RTNL, then nv_net.lock (netns.h, "DOC: Locking").
 */
#include <linux/if_arp.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>

#include "netvirt.h"
#include "compat.h"
#include "datapath.h"
#include "host.h"
#include "netns.h"
#include "port.h"

/* Why a port is detached when no device has its name. */
static const char nv_port_no_dev[] = "no device of the port's name";

/* Why @dev cannot be a port of @nn, or NULL if it can be one. */
static const char *port_dev_unfit(struct nv_net *nn, struct net_device *dev)
{
	const struct nv_host *host = nv_config_locked(nn)->host;

	if (nv_is_port_dev(dev))
		return "device is already a port";
	if (dev->flags & IFF_LOOPBACK)
		return "device is a loopback device";
	if (nv_is_tunnel_dev(dev))
		return "device is the host's tunnel device";
	if (nv_is_uplink_dev(dev))
		return "device is the host's uplink";
	if (host && host->ifindex == dev->ifindex)
		return "device is the host's underlay device";
	if (netif_is_bridge_master(dev) || netif_is_bond_master(dev) ||
	    netif_is_ovs_master(dev) || netif_is_l3_master(dev))
		return "device is a bridge, bond, VRF or switch, not a VM's device";
	if (dev->type != ARPHRD_ETHER)
		return "device is not an Ethernet device";
	if (netdev_is_rx_handler_busy(dev) || netdev_master_upper_dev_get(dev) ||
	    netif_is_any_bridge_port(dev) || (dev->flags & IFF_SLAVE))
		return "device is enslaved to a bridge, bond or other datapath";
	return NULL;
}

/**
 * nv_port_dev_check() - can @dev be a port?
 * @nn: the namespace; the caller holds RTNL and nn->lock
 * @dev: the device, of @nn's namespace
 * @extack: for the reason it cannot
 *
 * Return: 0, or -EBUSY or -EINVAL with the reason in @extack.
 */
int nv_port_dev_check(struct nv_net *nn, struct net_device *dev,
		      struct netlink_ext_ack *extack)
{
	const char *why;

	ASSERT_RTNL();
	lockdep_assert_held(&nn->lock);
	why = port_dev_unfit(nn, dev);
	if (!why)
		return 0;
	NV_SET_ERR_MSG_STR(extack, why);
	return nv_is_port_dev(dev) ? -EEXIST : -EBUSY;
}

/**
 * nv_port_bind() - attach @dev to a port's binding
 * @att: the binding, detached; the caller holds RTNL and nv_net.lock
 * @dev: a device nv_port_dev_check() accepts
 *
 * From here on @dev's packets are the port's: until the port is in the
 * published snapshot, the packet path drops them (nv_port_rx()).
 *
 * Return: 0 or the error of netdev_rx_handler_register().
 */
int nv_port_bind(struct nv_attach *att, struct net_device *dev)
{
	int ret;

	ASSERT_RTNL();
	lockdep_assert_held(&att->nn->lock);
	ret = netdev_rx_handler_register(dev, nv_port_rx, att);
	if (ret)
		return ret;
	netdev_hold(dev, &att->tracker, GFP_KERNEL);
	WRITE_ONCE(att->ifindex, dev->ifindex);
	WRITE_ONCE(att->why, NULL);
	rcu_assign_pointer(att->dev, dev);
	return 0;
}

/**
 * nv_port_unbind() - detach a port's device, if it has one
 * @att: the binding; the caller holds RTNL and nv_net.lock
 * @why: what the port's state says from now on
 *
 * netdev_rx_handler_unregister() waits for a grace period: once it
 * returns, no packet path reader holds the device any more.
 */
void nv_port_unbind(struct nv_attach *att, const char *why)
{
	struct net_device *dev = rcu_dereference_protected(att->dev,
							   lockdep_rtnl_is_held());

	ASSERT_RTNL();
	lockdep_assert_held(&att->nn->lock);
	WRITE_ONCE(att->why, why);
	if (!dev)
		return;
	RCU_INIT_POINTER(att->dev, NULL);
	WRITE_ONCE(att->ifindex, 0);
	netdev_rx_handler_unregister(dev);
	netdev_put(dev, &att->tracker);
}

/**
 * nv_port_handover() - give a port's device to another port's binding
 * @from: the binding that has the device; the caller holds RTNL and
 *	nv_net.lock
 * @to: a detached binding of the same namespace
 *
 * The rx_handler stays registered, its data changes: no packet of the
 * device reaches the host's stack meanwhile, as it would between an
 * unregister and a register. A packet path reader may still hold @from
 * for a grace period; @from is freed later than that (with the snapshot
 * that retires its port, or when the transaction that made it aborts).
 */
void nv_port_handover(struct nv_attach *from, struct nv_attach *to)
{
	struct net_device *dev = rcu_dereference_protected(from->dev,
							   lockdep_rtnl_is_held());

	ASSERT_RTNL();
	lockdep_assert_held(&from->nn->lock);
	if (WARN_ON_ONCE(!dev || rtnl_dereference(to->dev)))
		return;
	netdev_hold(dev, &to->tracker, GFP_KERNEL);
	WRITE_ONCE(to->ifindex, dev->ifindex);
	WRITE_ONCE(to->why, NULL);
	rcu_assign_pointer(to->dev, dev);
	rcu_assign_pointer(dev->rx_handler_data, to);
	RCU_INIT_POINTER(from->dev, NULL);
	WRITE_ONCE(from->ifindex, 0);
	netdev_put(dev, &from->tracker);
}

/* The detached port named @name in @nn's snapshot, or NULL. */
static struct nv_port *detached_port(struct nv_net *nn, const char *name)
{
	struct nv_config *cfg = nv_config_locked(nn);
	int i;

	if (!cfg)	/* the namespace is going away */
		return NULL;
	for (i = 0; i < NV_MAX_PORTS; i++) {
		struct nv_port *port = cfg->ports[i];

		if (port && !rcu_access_pointer(port->attach->dev) &&
		    !strcmp(port->name, name))
			return port;
	}
	return NULL;
}

/* A device appeared or took a new name: the port of that name takes it. */
static void port_dev_appeared(struct nv_net *nn, struct net_device *dev)
{
	struct nv_port *port = detached_port(nn, dev->name);
	const char *why;

	if (!port)
		return;
	why = port_dev_unfit(nn, dev);
	if (!why && nv_port_bind(port->attach, dev))
		why = "the device's packet handler is taken";
	if (why) {
		WRITE_ONCE(port->attach->why, why);
		netdev_info(dev, "netvirt: port %s stays detached: %s\n",
			    port->name, why);
	}
}

/* Events of a device that is a port's; RTNL and nn->lock held. */
static void port_dev_event(struct nv_attach *att, struct net_device *dev,
			   unsigned long event)
{
	const struct nv_port *port = nv_config_locked(att->nn)->ports[att->slot];

	ASSERT_RTNL();
	lockdep_assert_held(&att->nn->lock);
	if (event == NETDEV_UNREGISTER)
		nv_port_unbind(att, nv_port_no_dev);
	else if (event == NETDEV_CHANGENAME && port &&
		 strcmp(port->name, dev->name))
		nv_port_unbind(att, nv_port_no_dev);
}

/*
 * A device event of @nn's namespace, under RTNL. A writer that holds RTNL
 * and nn->lock (nv_net_lock_rtnl()) and registers or unregisters a device
 * itself, the tunnel device, runs this in its own thread: nn->lock is
 * held already, and a device netvirt makes is never a port.
 */
static void port_dev_changed(struct nv_net *nn, struct net_device *dev,
			     unsigned long event)
{
	bool locked = nn->rtnl_writer;
	struct nv_attach *att = NULL;

	ASSERT_RTNL();
	if (nv_is_port_dev(dev))
		att = rtnl_dereference(dev->rx_handler_data);
	if (!att && (event == NETDEV_UNREGISTER || locked))
		return;
	if (!locked)
		mutex_lock(&nn->lock);
	if (att)
		port_dev_event(att, dev, event);
	if (!locked && event != NETDEV_UNREGISTER && !nv_is_port_dev(dev))
		port_dev_appeared(nn, dev);
	if (!locked)
		mutex_unlock(&nn->lock);
}

static int port_netdev_event(struct notifier_block *nb, unsigned long event,
			     void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct nv_attach *att;

	if (event != NETDEV_UNREGISTER && event != NETDEV_REGISTER &&
	    event != NETDEV_CHANGENAME)
		return NOTIFY_DONE;
	/* A port's namespace is its device's: a device that moves to
	 * another is unregistered from its own first.
	 */
	if (nv_is_port_dev(dev)) {
		att = rtnl_dereference(dev->rx_handler_data);
		port_dev_changed(att->nn, dev, event);
	} else {
		/* netvirt's state of a namespace exists before its devices. */
		port_dev_changed(nv_net(dev_net(dev)), dev, event);
	}
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

