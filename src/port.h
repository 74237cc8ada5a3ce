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
 * struct nv_attach - a netdev attached as a port; its rx_handler_data
 * @nn: namespace state whose configuration the packet path reads
 * @slot: the port's index in nv_config.ports
 * @dev: the device, held while attached
 * @tracker: reference tracker of @dev
 *
 * Lives from attach to detach, across configuration versions.
 */
struct nv_attach {
	struct nv_net *nn;
	u16 slot;
	struct net_device *dev;
	netdevice_tracker tracker;
};

/**
 * struct nv_port - one version of a VM port; immutable once published
 * @slot: index in nv_config.ports
 * @tenant_slot: the tenant's index in nv_config.tenants
 * @ifindex: the device's index
 * @dev: the device (held by @attach)
 * @attach: the attachment, shared by every version of the port
 * @mac: the VM's MAC
 * @n_addrs: addresses in @addrs
 * @addrs: the VM's addresses; IPv4 as v4-mapped IPv6
 * @stats: counters, shared by every version of the port
 */
struct nv_port {
	u16 slot;
	u16 tenant_slot;
	int ifindex;
	struct net_device *dev;
	struct nv_attach *attach;
	u8 mac[ETH_ALEN];
	u8 n_addrs;
	struct in6_addr addrs[NV_MAX_PORT_ADDRS];
	struct nv_stats *stats;
};

bool nv_port_has_addr4(const struct nv_port *port, __be32 addr);
bool nv_port_has_addr6(const struct nv_port *port,
		       const struct in6_addr *addr);
unsigned int nv_tenant_port_count(const struct nv_config *cfg, u16 slot);
int nv_port_remove(struct nv_txn *txn, struct nv_port *port);
void nv_port_destroy_all(struct nv_config *cfg);

int nv_port_new_doit(struct sk_buff *skb, struct genl_info *info);
int nv_port_del_doit(struct sk_buff *skb, struct genl_info *info);
int nv_port_get_doit(struct sk_buff *skb, struct genl_info *info);
int nv_port_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);

int nv_port_notifier_register(void);
void nv_port_notifier_unregister(void);

#endif /* _NV_PORT_H */
