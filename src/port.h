/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NV_PORT_H
#define _NV_PORT_H

#include <linux/in6.h>
#include <linux/netdevice.h>
#include <net/genetlink.h>

#include "config.h"
#include "limits.h"
#include "stats.h"

/**
 * struct nv_attach - a port's binding to its device; its rx_handler_data
 * @nn: namespace state whose configuration the packet path reads
 * @slot: the port's index in nv_config.ports
 * @dev: the device while attached, NULL while detached
 * @ifindex: @dev's index, 0 while detached
 * @why: while detached, why no device is attached
 * @tracker: reference tracker of @dev
 *
 * State, not configuration: a VM that reboots takes its device away and
 * brings a new one of the same name, and its port, rules and routes stay
 * as they are; only the binding changes, without a new snapshot, as a
 * carrier does. Changed with RTNL and nv_net.lock both held, so either
 * is enough to read it; the packet path reads @dev under RCU.
 * Lives as long as the port: freed with it.
 */
struct nv_attach {
	struct nv_net *nn;
	u16 slot;
	struct net_device __rcu *dev;
	int ifindex;
	const char *why;
	netdevice_tracker tracker;
};

/**
 * struct nv_port - a VM port; immutable once published
 * @slot: index in nv_config.ports
 * @tenant_slot: the tenant's index in nv_config.tenants
 * @name: the port's name: its device's, now and after the VM reboots
 * @attach: the binding to the device, if there is one
 * @mac: the VM's MAC
 * @n_addrs: addresses in @addrs
 * @addrs: the VM's addresses; IPv4 as v4-mapped IPv6
 * @stats: counters
 */
struct nv_port {
	u16 slot;
	u16 tenant_slot;
	char name[IFNAMSIZ];
	struct nv_attach *attach;
	u8 mac[ETH_ALEN];
	u8 n_addrs;
	struct in6_addr addrs[NV_MAX_PORT_ADDRS];
	struct nv_stats *stats;
};

/* The port's device on the packet path; NULL while detached. */
static inline struct net_device *nv_port_dev_rcu(const struct nv_port *port)
{
	return rcu_dereference(port->attach->dev);
}

/* The index of the port's device; 0 while detached. */
static inline int nv_port_ifindex(const struct nv_port *port)
{
	return READ_ONCE(port->attach->ifindex);
}

bool nv_port_has_addr4(const struct nv_port *port, __be32 addr);
bool nv_port_has_addr6(const struct nv_port *port,
		       const struct in6_addr *addr);
unsigned int nv_tenant_port_count(const struct nv_config *cfg, u16 slot);
struct nv_port *nv_port_find(const struct nv_config *cfg, int tenant_slot,
			     const struct nlattr *ifindex,
			     const struct nlattr *ifname,
			     struct netlink_ext_ack *extack);
int nv_port_put_ref(struct sk_buff *skb, const struct nv_port *port,
		    int ifindex_type, int ifname_type);
int nv_port_remove(struct nv_txn *txn, struct nv_port *port);
void nv_port_destroy_all(struct nv_config *cfg);

int nv_port_new_doit(struct sk_buff *skb, struct genl_info *info);
int nv_port_del_doit(struct sk_buff *skb, struct genl_info *info);
int nv_port_get_doit(struct sk_buff *skb, struct genl_info *info);
int nv_port_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);

int nv_port_dev_check(struct nv_net *nn, struct net_device *dev,
		      struct netlink_ext_ack *extack);
int nv_port_bind(struct nv_attach *att, struct net_device *dev);
void nv_port_unbind(struct nv_attach *att, const char *why);
void nv_port_handover(struct nv_attach *from, struct nv_attach *to);
int nv_port_notifier_register(void);
void nv_port_notifier_unregister(void);

#endif /* _NV_PORT_H */
