// SPDX-License-Identifier: GPL-2.0
/*
 * The overlay's packet path: a routed packet whose next hop is another
 * hypervisor leaves through the tunnel device with its tenant's VNI; a
 * packet the tunnel device decapsulated is claimed by the tenant of its
 * VNI and routed to a local port. Softirq, under RCU, no lock.
 *
 * The inner frame is addressed to the tenant's router MAC: every
 * hypervisor is an instance of the tenant's distributed router, and so is
 * a plain Linux tunnel endpoint given that MAC. Its source is the sending
 * VM's MAC: a tunnel driver drops frames from its own MAC as loops.
 */
#include <linux/etherdevice.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <net/dst_metadata.h>
#include <net/dsfield.h>
#include <net/inet_ecn.h>
#include <net/ipv6.h>

#include "compat.h"
#include "datapath.h"
#include "host.h"
#include "netns.h"
#include "tunnel_dst.h"

/**
 * nv_tunnel_mtu() - the largest inner packet the overlay carries unsplit
 * @pkt: the packet being routed
 *
 * Return: the MTU, or 0 when this host has no overlay.
 */
unsigned int nv_tunnel_mtu(const struct nv_pkt *pkt)
{
	const struct nv_host *host = pkt->cfg->host;

	if (!host)
		return 0;
	return nv_host_inner_mtu(host,
				 dev_get_by_index_rcu(dev_net(host->tun->dev),
						      host->ifindex));
}

/* The outer DSCP is the inner one; ECN is left to the tunnel driver. */
static u8 tunnel_tos(const struct sk_buff *skb)
{
	u8 ds = skb->protocol == htons(ETH_P_IP) ?
		ipv4_get_dsfield(ip_hdr(skb)) : ipv6_get_dsfield(ipv6_hdr(skb));

	return ds & ~INET_ECN_MASK;
}

/**
 * nv_tunnel_xmit() - send a routed packet to another hypervisor
 * @pkt: the packet being routed; its tenant gives the VNI
 * @skb: the packet, network header at skb->data, TTL already decremented
 * @remote: the hypervisor's underlay address (IPv4 v4-mapped)
 * @src_mac: the inner frame's source: the VM the packet is from, or
 *	speaks for
 * @df: the outer header must not be fragmented
 *
 * The caller checked that this host has an overlay and the packet's size
 * against nv_tunnel_mtu().
 */
void nv_tunnel_xmit(const struct nv_pkt *pkt, struct sk_buff *skb,
		    const struct in6_addr *remote, const u8 *src_mac, bool df)
{
	struct nv_host *host = pkt->cfg->host;
	enum netvirt_drop_reason reason;
	struct metadata_dst *md = NULL;
	struct ethhdr *eth;

	/* A next hop of the other family than the underlay. */
	reason = NETVIRT_DROP_NO_OVERLAY;
	if (ipv6_addr_v4mapped(remote) == host->v6)
		goto drop;
	reason = NETVIRT_DROP_NOMEM;
	md = nv_tunnel_dst_get(host, remote, pkt->t->vni, tunnel_tos(skb),
			       df);
	if (!md || skb_cow_head(skb, ETH_HLEN))
		goto drop;
	eth = skb_push(skb, ETH_HLEN);
	skb_reset_mac_header(skb);
	ether_addr_copy(eth->h_dest, pkt->t->router_mac);
	ether_addr_copy(eth->h_source, src_mac);
	eth->h_proto = skb->protocol;

	skb_dst_drop(skb);
	skb_dst_set(skb, &md->dst);
	skb->dev = host->tun->dev;
	skb_clear_tstamp(skb);
	nv_stats_packet(pkt->t->stats, NV_TX_PACKETS, skb->len);
	nv_stats_packet(host->stats, NV_TX_PACKETS, skb->len);
	dev_queue_xmit(skb);
	return;
drop:
	dst_release(md ? &md->dst : NULL);
	nv_drop(pkt, skb, reason);
}

/* The sender's underlay address, IPv4 v4-mapped. */
static void tunnel_source(const struct ip_tunnel_info *info,
			  struct in6_addr *src)
{
	if (ip_tunnel_info_af(info) == AF_INET6)
		*src = info->key.u.ipv6.src;
	else
		ipv6_addr_set_v4mapped(info->key.u.ipv4.src, src);
}

/* Claims a decapsulated frame of @len bytes for the tenant of its VNI. */
static enum netvirt_drop_reason tunnel_claim(struct nv_pkt *pkt,
					     const struct ip_tunnel_info *info,
					     unsigned int len)
{
	if (!info || (info->mode & IP_TUNNEL_INFO_TX))
		return NETVIRT_DROP_MALFORMED;
	pkt->t = nv_tenant_by_vni(pkt->cfg,
				  be32_to_cpu(tunnel_id_to_key32(info->key.tun_id)));
	if (!pkt->t)
		return NETVIRT_DROP_UNKNOWN_VNI;
	nv_stats_packet(pkt->t->stats, NV_RX_PACKETS, len);
	/* Geneve: we understand no option, so none that is critical. */
	if (nv_tun_crit_opt(&info->key))
		return NETVIRT_DROP_TUNNEL_OPTION;
	return NV_PASS;
}

/*
 * A decapsulated frame: find its tenant by VNI, then route it. The
 * tunnel key lives in the skb's metadata dst: read before it is dropped.
 */
static void tunnel_rx(struct nv_pkt *pkt, struct sk_buff *skb)
{
	const struct ip_tunnel_info *info = skb_tunnel_info(skb);
	enum netvirt_drop_reason reason;
	struct in6_addr src;

	nv_stats_packet(pkt->cfg->host->stats, NV_RX_PACKETS, skb->len);
	reason = tunnel_claim(pkt, info, skb->len);
	if (reason != NV_PASS)
		goto drop;
	tunnel_source(info, &src);
	pkt->sender = &src;
	skb_dst_drop(skb);
	switch (skb->protocol) {
	case htons(ETH_P_IP):
		nv_ip4_tunnel_rx(pkt, skb);
		return;
	case htons(ETH_P_IPV6):
		nv_ip6_tunnel_rx(pkt, skb);
		return;
	}
	reason = NETVIRT_DROP_ETHERTYPE;
drop:
	nv_drop(pkt, skb, reason);
}

/**
 * nv_tunnel_rx() - rx_handler of netvirt's tunnel device
 * @pskb: the decapsulated frame, its tunnel key in a metadata dst
 *
 * Return: RX_HANDLER_CONSUMED: nothing reaches the host's stack.
 */
rx_handler_result_t nv_tunnel_rx(struct sk_buff **pskb)
{
	struct sk_buff *skb = *pskb;
	const struct nv_tunnel *tun;
	struct nv_pkt pkt = {};

	skb = skb_share_check(skb, GFP_ATOMIC);
	if (!skb)
		return RX_HANDLER_CONSUMED;
	tun = rcu_dereference(skb->dev->rx_handler_data);
	pkt.cfg = rcu_dereference(tun->nn->config);
	/* Between a change of tunnel device and its commit. */
	if (unlikely(!pkt.cfg || !pkt.cfg->host || pkt.cfg->host->tun != tun)) {
		kfree_skb(skb);
		return RX_HANDLER_CONSUMED;
	}
	tunnel_rx(&pkt, skb);
	return RX_HANDLER_CONSUMED;
}
