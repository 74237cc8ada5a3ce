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
#include <linux/jhash.h>
#include <net/dst_metadata.h>
#include <net/dsfield.h>
#include <net/inet_ecn.h>
#include <net/ipv6.h>

#include "compat.h"
#include "datapath.h"
#include "host.h"
#include "netns.h"

/* The outer header's TTL or hop limit. */
#define NV_TUNNEL_TTL	64

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

static void tunnel_key(struct ip_tunnel_info *info, const struct nv_host *host,
		       const struct in6_addr *remote, u32 vni, u8 tos, bool df,
		       bool cache)
{
	struct ip_tunnel_key *key = &info->key;

	info->mode = IP_TUNNEL_INFO_TX;
	if (host->v6) {
		info->mode |= IP_TUNNEL_INFO_IPV6;
		key->u.ipv6.src = host->underlay;
		key->u.ipv6.dst = *remote;
	} else {
		key->u.ipv4.src = host->underlay.s6_addr32[3];
		key->u.ipv4.dst = remote->s6_addr32[3];
	}
	key->tun_id = key32_to_tunnel_id(cpu_to_be32(vni));
	key->tos = tos;
	key->ttl = NV_TUNNEL_TTL;
	key->tp_dst = htons(host->tun->port);
	nv_tun_key_flags(key, df, cache);
}

/*
 * Tunnel metadata, made once per key. A host sends with few keys (remote,
 * VNI, outer TOS, DF), and a metadata dst made for one carries the route
 * to the remote in its dst_cache: a packet takes a reference to the one
 * made for its key instead of an allocation, a route lookup and an RCU
 * callback of its own. The table is written by the packet path, without
 * a lock: a slot's entry is replaced whole (xchg), and a reader that finds
 * one freed since (its last reference gone) makes its own. A slot taken
 * by another key less than NV_TUNNEL_DST_TURN ago is left to it: the
 * packet gets metadata of its own, without a route cache, so that keys
 * that collide do not replace each other (a per-CPU allocation each) per
 * packet. The host's version frees the table's references with itself.
 */
static bool tunnel_dst_is(const struct metadata_dst *md,
			  const struct nv_host *host,
			  const struct in6_addr *remote, u32 vni, u8 tos,
			  bool df)
{
	const struct ip_tunnel_key *key = &md->u.tun_info.key;

	if (key->tun_id != key32_to_tunnel_id(cpu_to_be32(vni)) ||
	    key->tos != tos || nv_tun_df(key) != df)
		return false;
	return host->v6 ? ipv6_addr_equal(&key->u.ipv6.dst, remote) :
			  key->u.ipv4.dst == remote->s6_addr32[3];
}

/*
 * New metadata for a key, with the caller's reference; @slot, when given,
 * gets it too, with a route cache.
 */
static struct metadata_dst *
tunnel_dst_make(const struct nv_host *host, struct metadata_dst __rcu **slot,
		const struct in6_addr *remote, u32 vni, u8 tos, bool df)
{
	struct metadata_dst *md, *old;
	bool cache;

	md = metadata_dst_alloc(0, METADATA_IP_TUNNEL, GFP_ATOMIC);
	if (!md)
		return NULL;
	cache = slot && !dst_cache_init(&md->u.tun_info.dst_cache, GFP_ATOMIC);
	tunnel_key(&md->u.tun_info, host, remote, vni, tos, df, cache);
	if (!slot)
		return md;
	dst_hold(&md->dst);
	old = unrcu_pointer(xchg(slot, RCU_INITIALIZER(md)));
	if (old)
		dst_release(&old->dst);
	return md;
}

/* The metadata for a packet's key, with a reference for the packet. */
static struct metadata_dst *tunnel_dst(struct nv_host *host,
				       const struct in6_addr *remote, u32 vni,
				       u8 tos, bool df)
{
	u32 h = jhash_3words(ipv6_addr_hash(remote), vni, tos << 1 | df, 0);
	struct metadata_dst __rcu **slot;
	struct metadata_dst *md;

	slot = &host->tx_dst[h & (NV_TUNNEL_DST_SLOTS - 1)];
	md = rcu_dereference(*slot);
	if (md && tunnel_dst_is(md, host, remote, vni, tos, df) &&
	    dst_hold_safe(&md->dst))
		return md;
	/* Made then: metadata dsts are never "used" after. */
	if (md && time_before(jiffies, md->dst.lastuse + NV_TUNNEL_DST_TURN))
		slot = NULL;
	return tunnel_dst_make(host, slot, remote, vni, tos, df);
}

/**
 * nv_tunnel_dst_release() - drop a host version's tunnel metadata
 * @host: a host version no reader can reach any more
 */
void nv_tunnel_dst_release(struct nv_host *host)
{
	struct metadata_dst *md;
	unsigned int i;

	for (i = 0; i < NV_TUNNEL_DST_SLOTS; i++) {
		md = rcu_dereference_protected(host->tx_dst[i], true);
		if (md)
			dst_release(&md->dst);
	}
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
	md = tunnel_dst(host, remote, pkt->t->vni, tunnel_tos(skb), df);
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
