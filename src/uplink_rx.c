// SPDX-License-Identifier: GPL-2.0
/*
 * The uplink's packet path: what arrives on it for a NAT rule, the ARP
 * and ND requests for NAT addresses, and what leaves by it - toward the
 * next hop the host's own routing table gives, resolved by the kernel's
 * neighbour tables.
 */
#include <linux/etherdevice.h>
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/if_arp.h>
#include <linux/if_vlan.h>
#include <net/addrconf.h>
#include <net/arp.h>
#include <net/ip.h>
#include <net/ip6_route.h>
#include <net/ndisc.h>
#include <net/route.h>

#include "datapath.h"
#include "nat.h"
#include "netns.h"

/* An ARP request for a NAT address that is not the host's own. */
static rx_handler_result_t uplink_arp(const struct nv_config *cfg,
				      const struct nv_uplink *up,
				      struct sk_buff *skb)
{
	struct net_device *dev = skb->dev;
	const struct arp_eth_ipv4 *body;
	const struct arphdr *arp;
	struct in6_addr tip;
	struct sk_buff *reply;

	if (!pskb_may_pull(skb, sizeof(*arp) + sizeof(*body)))
		return RX_HANDLER_PASS;
	arp = arp_hdr(skb);
	body = (const struct arp_eth_ipv4 *)(arp + 1);
	if (arp->ar_hrd != htons(ARPHRD_ETHER) || arp->ar_pro != htons(ETH_P_IP) ||
	    arp->ar_hln != ETH_ALEN || arp->ar_pln != 4 ||
	    arp->ar_op != htons(ARPOP_REQUEST) || !body->sip)
		return RX_HANDLER_PASS;
	ipv6_addr_set_v4mapped(body->tip, &tip);
	if (!nv_nat_answers(cfg, &tip) ||
	    inet_addr_type_dev_table(dev_net(dev), dev, body->tip) == RTN_LOCAL)
		return RX_HANDLER_PASS;
	reply = arp_create(ARPOP_REPLY, ETH_P_ARP, body->sip, dev, body->tip,
			   body->sha, dev->dev_addr, body->sha);
	if (reply) {
		nv_stats_add(up->stats, NV_ARP_REPLIES, 1);
		dev_queue_xmit(reply);
	}
	consume_skb(skb);
	return RX_HANDLER_CONSUMED;
}

/* A neighbour solicitation for a NAT address that is not the host's. */
static rx_handler_result_t uplink_nd(const struct nv_config *cfg,
				     const struct nv_uplink *up,
				     struct sk_buff *skb)
{
	struct net_device *dev = skb->dev;
	const struct ipv6hdr *ip6h;
	const struct nd_msg *ns;
	struct sk_buff *reply;
	struct ethhdr *eth;

	if (!pskb_may_pull(skb, sizeof(*ip6h) + sizeof(*ns)))
		return RX_HANDLER_PASS;
	ip6h = ipv6_hdr(skb);
	ns = (const struct nd_msg *)(ip6h + 1);
	if (ip6h->nexthdr != IPPROTO_ICMPV6 || ip6h->hop_limit != 255 ||
	    ns->icmph.icmp6_type != NDISC_NEIGHBOUR_SOLICITATION ||
	    ipv6_addr_any(&ip6h->saddr) || ipv6_addr_v4mapped(&ns->target) ||
	    !nv_nat_answers(cfg, &ns->target) ||
	    ipv6_chk_addr(dev_net(dev), &ns->target, NULL, 0))
		return RX_HANDLER_PASS;
	reply = nv_nd_advert(dev, &ns->target, &ip6h->saddr, dev->dev_addr,
			     false);
	if (reply) {
		eth = skb_push(reply, ETH_HLEN);
		skb_reset_mac_header(reply);
		ether_addr_copy(eth->h_dest, eth_hdr(skb)->h_source);
		ether_addr_copy(eth->h_source, dev->dev_addr);
		eth->h_proto = htons(ETH_P_IPV6);
		reply->protocol = htons(ETH_P_IPV6);
		reply->dev = dev;
		nv_stats_add(up->stats, NV_ND_REPLIES, 1);
		dev_queue_xmit(reply);
	}
	consume_skb(skb);
	return RX_HANDLER_CONSUMED;
}

/*
 * The external side of an ICMP message at @off: an error quotes the
 * packet that went out, whose source is the external side; an echo
 * reply's id is a SNAT rule's, an echo request only a floating IP's.
 */
static bool key_icmp(struct sk_buff *skb, unsigned int off, bool v6,
		     struct nv_nat_key *key)
{
	u8 hdr[8], inner[40];
	unsigned int ioff, ihl;
	bool err, echo;

	if (skb_copy_bits(skb, off, hdr, sizeof(hdr)))
		return false;
	key->proto = v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
	echo = v6 ? hdr[0] == ICMPV6_ECHO_REPLY : hdr[0] == ICMP_ECHOREPLY;
	err = v6 ? hdr[0] < 128 : icmp_is_err(hdr[0]);
	key->port = 0;
	if (echo)
		key->port = get_unaligned_be16(hdr + 4);
	if (!err)
		return true;
	ioff = off + sizeof(hdr);
	if (skb_copy_bits(skb, ioff, inner, v6 ? 40 : 20))
		return false;
	if (v6) {
		key->proto = inner[6];
		ihl = 40;
	} else {
		key->proto = inner[9];
		ihl = (inner[0] & 0xf) * 4;
	}
	/* Ports and ICMP ids both are the first bytes' pair in place. */
	if (skb_copy_bits(skb, ioff + ihl, hdr, 8))
		return false;
	key->port = key->proto == IPPROTO_ICMP || key->proto == IPPROTO_ICMPV6 ?
		    get_unaligned_be16(hdr + 4) : get_unaligned_be16(hdr);
	return true;
}

/* The external side of a packet from the uplink; false: not a NAT one. */
static bool key_of(struct sk_buff *skb, struct nv_nat_key *key)
{
	unsigned int off;
	__be16 port;
	bool v6 = skb->protocol == htons(ETH_P_IPV6);

	key->v6 = v6;
	if (v6) {
		if (!pskb_may_pull(skb, sizeof(struct ipv6hdr)))
			return false;
		key->addr = ipv6_hdr(skb)->daddr;
		key->proto = ipv6_hdr(skb)->nexthdr;
		off = sizeof(struct ipv6hdr);
	} else {
		if (!pskb_may_pull(skb, sizeof(struct iphdr)) ||
		    ip_is_fragment(ip_hdr(skb)))
			return false;
		ipv6_addr_set_v4mapped(ip_hdr(skb)->daddr, &key->addr);
		key->proto = ip_hdr(skb)->protocol;
		off = ip_hdrlen(skb);
	}
	switch (key->proto) {
	case IPPROTO_TCP:
	case IPPROTO_UDP:
		if (skb_copy_bits(skb, off + 2, &port, sizeof(port)))
			return false;
		key->port = ntohs(port);
		return true;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		return key_icmp(skb, off, v6, key);
	}
	return false;
}

/*
 * The rule of a packet from the uplink, if one takes it: a DNAT or FIP
 * rule only on the host of its VM.
 */
static const struct nv_nat_entry *uplink_rule(const struct nv_config *cfg,
					      struct sk_buff *skb)
{
	const struct nv_nat_entry *e;
	struct nv_nat_key key;

	if (skb->pkt_type != PACKET_HOST || !key_of(skb, &key))
		return NULL;
	e = nv_nat_find(cfg, &key);
	if (!e || e->rule->type == NETVIRT_NAT_SNAT)
		return e;
	return nv_nat_vm_here(cfg, e) ? e : NULL;
}

/* Counts a packet netvirt takes from the uplink. */
void nv_uplink_count_rx(const struct nv_pkt *pkt, const struct sk_buff *skb)
{
	nv_stats_packet(pkt->cfg->uplink->stats, NV_RX_PACKETS, skb->len);
	nv_stats_packet(pkt->t->stats, NV_RX_PACKETS, skb->len);
}

static rx_handler_result_t uplink_ip(const struct nv_config *cfg,
				     struct sk_buff *skb)
{
	const struct nv_nat_entry *e = uplink_rule(cfg, skb);
	struct nv_pkt pkt = { .cfg = cfg, .from_uplink = true };

	if (!e)
		return RX_HANDLER_PASS;
	pkt.t = cfg->tenants[e->tenant_slot];
	return nv_ip_uplink_rx(&pkt, skb, e->rule);
}

/* Is @skb, a valid IPv6 header at data, a neighbour solicitation? */
static bool nd_solicitation(struct sk_buff *skb)
{
	u8 type;

	return ipv6_hdr(skb)->nexthdr == IPPROTO_ICMPV6 &&
	       !skb_copy_bits(skb, sizeof(struct ipv6hdr), &type, 1) &&
	       type == NDISC_NEIGHBOUR_SOLICITATION;
}

rx_handler_result_t nv_uplink_rx(struct sk_buff **pskb)
{
	struct sk_buff *skb = *pskb;
	const struct nv_config *cfg;
	const struct nv_uplink *up;

	if (unlikely(skb->pkt_type == PACKET_LOOPBACK))
		return RX_HANDLER_PASS;
	up = rcu_dereference(skb->dev->rx_handler_data);
	cfg = rcu_dereference(up->nn->config);
	if (!cfg || cfg->uplink != up || !cfg->nat)
		return RX_HANDLER_PASS;
	/*
	 * Headers are pulled before netvirt knows whether the packet is its
	 * own: an skb another holder shares is cloned first, and the clone
	 * goes on to the host when it is not (as the bridge does).
	 */
	skb = skb_share_check(skb, GFP_ATOMIC);
	if (!skb)
		return RX_HANDLER_CONSUMED;
	*pskb = skb;
	/* Tagged frames are for the host's VLAN devices. */
	if (skb_vlan_tag_present(skb))
		return RX_HANDLER_PASS;
	switch (skb->protocol) {
	case htons(ETH_P_ARP):
		return uplink_arp(cfg, up, skb);
	case htons(ETH_P_IP):
		return uplink_ip(cfg, skb);
	case htons(ETH_P_IPV6):
		/* Multicast and unicast (neighbour unreachability) alike. */
		if (pskb_may_pull(skb, sizeof(struct ipv6hdr)) &&
		    nd_solicitation(skb))
			return uplink_nd(cfg, up, skb);
		return uplink_ip(cfg, skb);
	}
	return RX_HANDLER_PASS;
}

/**
 * nv_uplink_announce() - announce that the uplink answers for @addr
 * @up: the uplink
 * @addr: a NAT address (IPv4 v4-mapped)
 * @v6: an IPv6 address
 *
 * A gratuitous ARP request, or an unsolicited neighbour advertisement to
 * all nodes.
 */
void nv_uplink_announce(const struct nv_uplink *up,
			const struct in6_addr *addr, bool v6)
{
	struct net_device *dev = up->dev;
	struct in6_addr all;
	u8 mac[ETH_ALEN];
	struct sk_buff *skb;

	if (!v6) {
		arp_send(ARPOP_REQUEST, ETH_P_ARP, addr->s6_addr32[3], dev,
			 addr->s6_addr32[3], NULL, dev->dev_addr, NULL);
		return;
	}
	ipv6_addr_set(&all, htonl(0xff020000), 0, 0, htonl(1));
	skb = nv_nd_advert(dev, addr, &all, dev->dev_addr, false);
	if (!skb)
		return;
	ipv6_eth_mc_map(&all, mac);
	skb->dev = dev;
	skb->protocol = htons(ETH_P_IPV6);
	if (dev_hard_header(skb, dev, ETH_P_IPV6, mac, dev->dev_addr,
			    skb->len) < 0) {
		kfree_skb(skb);
		return;
	}
	dev_queue_xmit(skb);
}

/* The neighbour of the host's route to @skb's destination over @dev. */
static struct neighbour *route4(struct net_device *dev, struct sk_buff *skb,
				bool *v6gw)
{
	/* The host's routes for this source; they must lead to the uplink. */
	struct flowi4 fl4 = {
		.daddr = ip_hdr(skb)->daddr,
		.saddr = ip_hdr(skb)->saddr,
		.flowi4_flags = FLOWI_FLAG_ANYSRC,
	};
	struct neighbour *n = ERR_PTR(-EHOSTUNREACH);
	struct rtable *rt;

	rt = ip_route_output_key(dev_net(dev), &fl4);
	if (IS_ERR(rt))
		return ERR_CAST(rt);
	if (rt->dst.dev == dev)
		n = ip_neigh_for_gw(rt, skb, v6gw);
	ip_rt_put(rt);
	return n;
}

static struct neighbour *route6(struct net_device *dev, struct sk_buff *skb)
{
	struct flowi6 fl6 = {
		.daddr = ipv6_hdr(skb)->daddr,
		.saddr = ipv6_hdr(skb)->saddr,
	};
	struct neighbour *n = ERR_PTR(-EHOSTUNREACH);
	const struct in6_addr *gw;
	struct dst_entry *dst;

	dst = ip6_route_output(dev_net(dev), NULL, &fl6);
	if (!dst->error && dst->dev == dev) {
		gw = rt6_nexthop(container_of(dst, struct rt6_info, dst),
				 &fl6.daddr);
		n = __ipv6_neigh_lookup_noref(dev, gw);
		if (!n)
			n = __neigh_create(&nd_tbl, gw, dev, false);
	}
	dst_release(dst);
	return n;
}

/**
 * nv_uplink_xmit() - send a translated packet out of the uplink
 * @pkt: the packet; its snapshot has an uplink
 * @skb: the packet, network header at skb->data; taken
 *
 * Neighbour resolution, queueing while it resolves, and ARP or ND are
 * the kernel's, as for the host's own packets.
 */
void nv_uplink_xmit(const struct nv_pkt *pkt, struct sk_buff *skb)
{
	const struct nv_uplink *up = pkt->cfg->uplink;
	struct net_device *dev = up->dev;
	struct neighbour *n;
	bool v6gw = false;

	if (skb_cow_head(skb, LL_RESERVED_SPACE(dev))) {
		nv_drop(pkt, skb, NETVIRT_DROP_NOMEM);
		return;
	}
	skb->dev = dev;
	skb_clear_tstamp(skb);
	rcu_read_lock_bh();
	if (skb->protocol == htons(ETH_P_IP))
		n = route4(dev, skb, &v6gw);
	else
		n = route6(dev, skb);
	if (IS_ERR_OR_NULL(n)) {
		rcu_read_unlock_bh();
		nv_drop(pkt, skb, NETVIRT_DROP_NO_ROUTE);
		return;
	}
	nv_stats_packet(up->stats, NV_TX_PACKETS, skb->len);
	nv_stats_packet(pkt->t->stats, NV_TX_PACKETS, skb->len);
	neigh_output(n, skb, v6gw);
	rcu_read_unlock_bh();
}
