// SPDX-License-Identifier: GPL-2.0
/*
 * ARP and IPv6 neighbour discovery, answered by the tenant's router.
 *
 * There is no broadcast domain: every address a VM asks for, but its own,
 * resolves to the router MAC, so even traffic inside one subnet is
 * routed. Probes, gratuitous announcements and duplicate address
 * detection are never answered, so a VM never believes its own address
 * is taken.
 */
#include <linux/etherdevice.h>
#include <linux/icmpv6.h>
#include <linux/if_arp.h>
#include <net/addrconf.h>
#include <net/arp.h>
#include <net/ndisc.h>

#include "datapath.h"

static bool arp_valid(struct sk_buff *skb)
{
	const struct arphdr *arp;

	if (!pskb_may_pull(skb, sizeof(*arp) + sizeof(struct arp_eth_ipv4)))
		return false;
	arp = arp_hdr(skb);
	return arp->ar_hrd == htons(ARPHRD_ETHER) &&
	       arp->ar_pro == htons(ETH_P_IP) &&
	       arp->ar_hln == ETH_ALEN && arp->ar_pln == sizeof(__be32);
}

/* Whether a valid ARP packet from a VM gets a reply. */
static enum netvirt_drop_reason arp_check(const struct nv_pkt *pkt,
					  const struct arphdr *arp)
{
	const struct arp_eth_ipv4 *body = (const struct arp_eth_ipv4 *)(arp + 1);

	if (!ether_addr_equal(body->sha, pkt->port->mac))
		return NETVIRT_DROP_SPOOFED_MAC;
	/* A probe (sender 0.0.0.0) is not spoofing; anything else must be. */
	if (body->sip && !nv_port_has_addr4(pkt->port, body->sip))
		return NETVIRT_DROP_SPOOFED_IP;
	if (arp->ar_op != htons(ARPOP_REQUEST) || !body->sip ||
	    body->sip == body->tip || nv_port_has_addr4(pkt->port, body->tip))
		return NETVIRT_DROP_NEIGH;
	return NV_PASS;
}

void nv_arp_rx(const struct nv_pkt *pkt, struct sk_buff *skb)
{
	enum netvirt_drop_reason reason = NETVIRT_DROP_MALFORMED;
	const struct arp_eth_ipv4 *body;
	struct sk_buff *reply;

	skb_reset_network_header(skb);
	if (!arp_valid(skb))
		goto drop;
	reason = arp_check(pkt, arp_hdr(skb));
	if (reason != NV_PASS)
		goto drop;
	body = (const struct arp_eth_ipv4 *)(arp_hdr(skb) + 1);
	reason = NETVIRT_DROP_NOMEM;
	reply = arp_create(ARPOP_REPLY, ETH_P_ARP, body->sip, skb->dev,
			   body->tip, body->sha, pkt->t->router_mac, body->sha);
	if (!reply)
		goto drop;
	nv_stats_add(pkt->t->stats, NV_ARP_REPLIES, 1);
	nv_stats_add(pkt->port->stats, NV_ARP_REPLIES, 1);
	nv_stats_packet(pkt->port->stats, NV_TX_PACKETS, reply->len);
	consume_skb(skb);
	dev_queue_xmit(reply);
	return;
drop:
	nv_drop(pkt, skb, reason);
}

/* A neighbour solicitation, or NULL; the whole message is linear. */
static const struct nd_msg *nd_solicit(struct sk_buff *skb)
{
	const struct ipv6hdr *ip6h = ipv6_hdr(skb);
	const struct nd_msg *ns;

	if (ip6h->nexthdr != IPPROTO_ICMPV6 ||
	    !pskb_may_pull(skb, sizeof(*ip6h) + sizeof(struct icmp6hdr)))
		return NULL;
	ns = (const struct nd_msg *)(ipv6_hdr(skb) + 1);
	if (ns->icmph.icmp6_type < NDISC_ROUTER_SOLICITATION ||
	    ns->icmph.icmp6_type > NDISC_REDIRECT)
		return NULL;
	return ns;
}

/**
 * nv_nd_advert() - a neighbour advertisement
 * @dev: the device it leaves by
 * @target: the address advertised
 * @daddr: the solicitor's address; all-nodes for an unsolicited one
 * @mac: the link-layer address of @target
 * @router: advertised by a router (a tenant's router, not the uplink)
 *
 * Return: the advertisement, network header at data, or NULL.
 */
struct sk_buff *nv_nd_advert(struct net_device *dev,
			     const struct in6_addr *target,
			     const struct in6_addr *daddr, const u8 *mac,
			     bool router)
{
	int len = sizeof(struct nd_msg) + ndisc_opt_addr_space(dev,
							       NDISC_NEIGHBOUR_ADVERTISEMENT);
	struct sk_buff *skb;
	struct nd_msg *na;
	u8 *opt;

	skb = nv_icmp6_alloc(LL_RESERVED_SPACE(dev), target, daddr,
			     len, 255);
	if (!skb)
		return NULL;
	na = (struct nd_msg *)icmp6_hdr(skb);
	na->icmph.icmp6_type = NDISC_NEIGHBOUR_ADVERTISEMENT;
	na->icmph.icmp6_router = router;
	na->icmph.icmp6_solicited = !ipv6_addr_is_multicast(daddr);
	na->icmph.icmp6_override = 1;
	na->target = *target;
	opt = na->opt;
	opt[0] = ND_OPT_TARGET_LL_ADDR;
	opt[1] = (len - sizeof(*na)) >> 3;
	ether_addr_copy(opt + 2, mac);
	nv_icmp6_csum(skb);
	return skb;
}

/**
 * nv_nd_is_msg() - whether an IPv6 packet is neighbour discovery
 * @skb: the packet, a valid IPv6 header at skb->data
 *
 * Return: true for a router or neighbour solicitation or advertisement,
 * or a redirect, its ICMPv6 header then linear; the packet is then for
 * nv_nd_rx().
 */
bool nv_nd_is_msg(struct sk_buff *skb)
{
	return nd_solicit(skb);
}

/* Whether neighbour discovery from a VM gets an advertisement. */
static enum netvirt_drop_reason nd_check(const struct nv_pkt *pkt,
					 struct sk_buff *skb)
{
	const struct ipv6hdr *ip6h = ipv6_hdr(skb);
	const struct nd_msg *ns = (const struct nd_msg *)(ip6h + 1);

	/* Only solicitations are for the router. */
	if (ns->icmph.icmp6_type != NDISC_NEIGHBOUR_SOLICITATION)
		return NETVIRT_DROP_NEIGH;
	if (!pskb_may_pull(skb, sizeof(*ip6h) + sizeof(*ns)))
		return NETVIRT_DROP_MALFORMED;
	ip6h = ipv6_hdr(skb);
	ns = (const struct nd_msg *)(ip6h + 1);
	/* DAD (from ::) is unanswered. */
	if (ipv6_addr_any(&ip6h->saddr) || ip6h->hop_limit != 255 ||
	    ipv6_addr_is_multicast(&ns->target) ||
	    nv_port_has_addr6(pkt->port, &ns->target))
		return NETVIRT_DROP_NEIGH;
	if (!(ipv6_addr_type(&ip6h->saddr) & IPV6_ADDR_LINKLOCAL) &&
	    !nv_port_has_addr6(pkt->port, &ip6h->saddr))
		return NETVIRT_DROP_SPOOFED_IP;
	return NV_PASS;
}

/* Neighbour discovery from the VM (see nv_nd_is_msg()): answered or dropped. */
void nv_nd_rx(const struct nv_pkt *pkt, struct sk_buff *skb)
{
	enum netvirt_drop_reason reason = nd_check(pkt, skb);
	const struct ipv6hdr *ip6h;
	struct sk_buff *reply;

	if (reason != NV_PASS)
		goto drop;
	ip6h = ipv6_hdr(skb);
	reason = NETVIRT_DROP_NOMEM;
	reply = nv_nd_advert(skb->dev,
			     &((const struct nd_msg *)(ip6h + 1))->target,
			     &ip6h->saddr, pkt->t->router_mac, true);
	if (!reply)
		goto drop;
	nv_stats_add(pkt->t->stats, NV_ND_REPLIES, 1);
	nv_stats_add(pkt->port->stats, NV_ND_REPLIES, 1);
	consume_skb(skb);
	nv_xmit(pkt, reply, pkt->port);
	return;
drop:
	nv_drop(pkt, skb, reason);
}
