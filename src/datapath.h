/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NV_DATAPATH_H
#define _NV_DATAPATH_H

#include <linux/netdevice.h>
#include <linux/skbuff.h>

#include "config.h"
#include "host.h"
#include "port.h"
#include "stats.h"
#include "tenant.h"
#include "uplink.h"

struct nv_nat_rule;

/**
 * struct nv_pkt - what the packet path knows about a packet
 * @cfg: the snapshot this packet is handled with, start to end
 * @t: the tenant of the ingress port or of the VNI; NULL while unknown
 * @port: the ingress port; NULL for a packet from the overlay
 * @sender: for a packet from the overlay, the underlay address of the
 *	hypervisor that sent it (IPv4 v4-mapped); NULL for one from a port
 * @from_uplink: a packet from the uplink, tracked by the NAT step
 */
struct nv_pkt {
	const struct nv_config *cfg;
	const struct nv_tenant *t;
	const struct nv_port *port;
	const struct in6_addr *sender;
	bool from_uplink;
};

/* The body of an ARP packet for IPv4 over Ethernet, after its header. */
struct arp_eth_ipv4 {
	u8 sha[ETH_ALEN];
	__be32 sip;
	u8 tha[ETH_ALEN];
	__be32 tip;
} __packed;

rx_handler_result_t nv_port_rx(struct sk_buff **pskb);

static inline bool nv_is_port_dev(const struct net_device *dev)
{
	return rcu_access_pointer(dev->rx_handler) == nv_port_rx;
}

/*
 * What a step of the packet path returns: NV_PASS, the packet goes on,
 * or the reason to drop it for. A step never frees the packet: its caller
 * owns it and drops it once, with nv_drop(), as net/openvswitch hands
 * kfree_skb_reason() a reason. NV_PASS is one past the last reason, so
 * it is never counted.
 */
#define NV_PASS	((enum netvirt_drop_reason)__NETVIRT_DROP_MAX)

/*
 * Counts @reason for the packet's tenant, and its port or (from the
 * overlay) the host, and frees @skb.
 */
static inline void nv_drop(const struct nv_pkt *pkt, struct sk_buff *skb,
			   enum netvirt_drop_reason reason)
{
	DEBUG_NET_WARN_ON_ONCE(reason == NV_PASS);
	if (pkt->t)
		nv_stats_drop(pkt->t->stats, reason);
	if (pkt->port)
		nv_stats_drop(pkt->port->stats, reason);
	else if (pkt->from_uplink)
		nv_stats_drop(pkt->cfg->uplink->stats, reason);
	else
		nv_stats_drop(pkt->cfg->host->stats, reason);
	kfree_skb(skb);
}

void nv_xmit(const struct nv_pkt *pkt, struct sk_buff *skb,
	     const struct nv_port *to);
void nv_ip4_rx(const struct nv_pkt *pkt, struct sk_buff *skb);
void nv_ip6_rx(const struct nv_pkt *pkt, struct sk_buff *skb);
void nv_arp_rx(const struct nv_pkt *pkt, struct sk_buff *skb);
bool nv_nd_is_msg(struct sk_buff *skb);
void nv_nd_rx(const struct nv_pkt *pkt, struct sk_buff *skb);
struct sk_buff *nv_nd_advert(struct net_device *dev,
			     const struct in6_addr *target,
			     const struct in6_addr *daddr, const u8 *mac,
			     bool router);
void nv_ip4_tunnel_rx(const struct nv_pkt *pkt, struct sk_buff *skb);
rx_handler_result_t nv_ip_uplink_rx(const struct nv_pkt *pkt,
				    struct sk_buff *skb,
				    const struct nv_nat_rule *rule);
void nv_uplink_count_rx(const struct nv_pkt *pkt, const struct sk_buff *skb);
void nv_ip6_tunnel_rx(const struct nv_pkt *pkt, struct sk_buff *skb);
unsigned int nv_tunnel_mtu(const struct nv_pkt *pkt);
void nv_tunnel_xmit(const struct nv_pkt *pkt, struct sk_buff *skb,
		    const struct in6_addr *remote, const u8 *src_mac, bool df);
void nv_answer(const struct nv_pkt *pkt, struct sk_buff *nskb,
	       const struct nv_port *to);
void nv_icmp4_answer(const struct nv_pkt *pkt, struct sk_buff *skb,
		     const struct nv_port *to, u8 type, u8 code, u32 info);
void nv_icmp6_answer(const struct nv_pkt *pkt, struct sk_buff *skb,
		     const struct nv_port *to, u8 type, u8 code, u32 info);
void nv_icmp_error(const struct nv_pkt *pkt, struct sk_buff *skb,
		   enum netvirt_drop_reason reason, unsigned int mtu);
struct sk_buff *nv_icmp6_alloc(unsigned int headroom,
			       const struct in6_addr *saddr,
			       const struct in6_addr *daddr, unsigned int len,
			       u8 hop_limit);
void nv_icmp6_csum(struct sk_buff *nskb);

#endif /* _NV_DATAPATH_H */
