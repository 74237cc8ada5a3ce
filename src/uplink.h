/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NV_UPLINK_H
#define _NV_UPLINK_H

#include <linux/netdevice.h>
#include <net/genetlink.h>

#include "config.h"
#include "stats.h"

struct nv_net;
struct nv_pkt;

/**
 * struct nv_uplink - the host's device on the provider network; immutable
 * once published
 * @nn: the namespace state; the packet path reads its configuration
 * @dev: the device, held while it is the uplink; its rx_handler_data
 * @tracker: reference tracker of @dev
 * @stats: counters of what netvirt takes from and sends to @dev
 */
struct nv_uplink {
	struct nv_net *nn;
	struct net_device *dev;
	netdevice_tracker tracker;
	struct nv_stats *stats;
};

rx_handler_result_t nv_uplink_rx(struct sk_buff **pskb);

static inline bool nv_is_uplink_dev(const struct net_device *dev)
{
	return rcu_access_pointer(dev->rx_handler) == nv_uplink_rx;
}

void nv_uplink_xmit(const struct nv_pkt *pkt, struct sk_buff *skb);
void nv_uplink_announce(const struct nv_uplink *up,
			const struct in6_addr *addr, bool v6);
void nv_uplink_destroy_all(struct nv_config *cfg);

int nv_uplink_set_doit(struct sk_buff *skb, struct genl_info *info);
int nv_uplink_del_doit(struct sk_buff *skb, struct genl_info *info);
int nv_uplink_get_doit(struct sk_buff *skb, struct genl_info *info);

int nv_uplink_notifier_register(void);
void nv_uplink_notifier_unregister(void);

#endif /* _NV_UPLINK_H */
