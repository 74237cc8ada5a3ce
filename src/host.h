/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NV_HOST_H
#define _NV_HOST_H

#include <linux/in6.h>
#include <linux/netdevice.h>
#include <net/genetlink.h>

#include "config.h"
#include "stats.h"

struct nv_net;
struct metadata_dst;

/**
 * struct nv_tunnel - the tunnel device of a host's overlay
 * @nn: namespace state whose configuration received packets are routed by
 * @dev: a geneve or vxlan device in external (collect_md) mode, created
 *	by netvirt, held while the overlay uses it; its rx_handler_data
 * @tracker: reference tracker of @dev
 * @encap: enum netvirt_encap
 * @port: UDP destination port, host order
 *
 * Lives across configuration versions while encapsulation and port stay.
 */
struct nv_tunnel {
	struct nv_net *nn;
	struct net_device *dev;
	netdevice_tracker tracker;
	u8 encap;
	u16 port;
};

/**
 * struct nv_host - one version of this host's overlay settings; immutable
 * once published
 * @underlay: this host's tunnel endpoint address (IPv4 v4-mapped)
 * @v6: an IPv6 underlay
 * @ifindex: the underlay device, whose MTU bounds the inner packets
 * @tun: the tunnel device
 * @stats: counters of the tunnel side, shared by every version
 * @tx_dst: tunnel metadata made by the packet path for the keys it sends
 *	with, by hash; like @stats, written after publication (see
 *	tunnel_dst.c)
 */
struct nv_host {
	struct in6_addr underlay;
	bool v6;
	int ifindex;
	struct nv_tunnel *tun;
	struct nv_stats *stats;
	struct metadata_dst __rcu *tx_dst[NV_TUNNEL_DST_SLOTS];
};

rx_handler_result_t nv_tunnel_rx(struct sk_buff **pskb);

static inline bool nv_is_tunnel_dev(const struct net_device *dev)
{
	return rcu_access_pointer(dev->rx_handler) == nv_tunnel_rx;
}

unsigned int nv_host_inner_mtu(const struct nv_host *host,
			       const struct net_device *underlay);
void nv_host_destroy_all(struct nv_config *cfg);

int nv_host_set_doit(struct sk_buff *skb, struct genl_info *info);
int nv_host_del_doit(struct sk_buff *skb, struct genl_info *info);
int nv_host_get_doit(struct sk_buff *skb, struct genl_info *info);

int nv_host_notifier_register(void);
void nv_host_notifier_unregister(void);

#endif /* _NV_HOST_H */
