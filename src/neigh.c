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
#include <net/ip6_checksum.h>
#include <net/ndisc.h>

#include "datapath.h"

struct arp_eth_ipv4 {
	u8 sha[ETH_ALEN];
	__be32 sip;
	u8 tha[ETH_ALEN];
	__be32 tip;
} __packed;

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

void nv_arp_rx(const struct nv_pkt *pkt, struct sk_buff *skb)
{
	const struct arp_eth_ipv4 *body;
	struct sk_buff *reply;

	skb_reset_network_header(skb);
	if (!arp_valid(skb)) {
		nv_drop(pkt, skb, NETVIRT_DROP_MALFORMED);
		return;
	}
	body = (const struct arp_eth_ipv4 *)(arp_hdr(skb) + 1);
	if (!ether_addr_equal(body->sha, pkt->port->mac)) {
		nv_drop(pkt, skb, NETVIRT_DROP_SPOOFED_MAC);
		return;
	}
	/* A probe (sender 0.0.0.0) is not spoofing; anything else must be. */
	if (body->sip && !nv_port_has_addr4(pkt->port, body->sip)) {
		nv_drop(pkt, skb, NETVIRT_DROP_SPOOFED_IP);
		return;
	}
	if (arp_hdr(skb)->ar_op != htons(ARPOP_REQUEST) || !body->sip ||
	    body->sip == body->tip || nv_port_has_addr4(pkt->port, body->tip)) {
		nv_drop(pkt, skb, NETVIRT_DROP_NEIGH);
		return;
	}
	reply = arp_create(ARPOP_REPLY, ETH_P_ARP, body->sip, skb->dev,
			   body->tip, body->sha, pkt->t->router_mac, body->sha);
	if (!reply) {
		nv_drop(pkt, skb, NETVIRT_DROP_NOMEM);
		return;
	}
	nv_stats_add(pkt->t->stats, NV_ARP_REPLIES, 1);
	nv_stats_add(pkt->port->stats, NV_ARP_REPLIES, 1);
	nv_stats_packet(pkt->port->stats, NV_TX_PACKETS, reply->len);
	consume_skb(skb);
	dev_queue_xmit(reply);
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

static struct sk_buff *nd_advert(const struct nv_pkt *pkt,
				 const struct in6_addr *target,
				 const struct in6_addr *daddr)
{
	int len = sizeof(struct nd_msg) + ndisc_opt_addr_space(pkt->port->dev,
							       NDISC_NEIGHBOUR_ADVERTISEMENT);
	struct ipv6hdr *ip6h;
	struct sk_buff *skb;
	struct nd_msg *na;
	u8 *opt;

	skb = alloc_skb(LL_RESERVED_SPACE(pkt->port->dev) + sizeof(*ip6h) +
			len, GFP_ATOMIC);
	if (!skb)
		return NULL;
	skb_reserve(skb, LL_RESERVED_SPACE(pkt->port->dev));
	skb->protocol = htons(ETH_P_IPV6);
	ip6h = skb_put(skb, sizeof(*ip6h));
	skb_reset_network_header(skb);
	ip6_flow_hdr(ip6h, 0, 0);
	ip6h->payload_len = htons(len);
	ip6h->nexthdr = IPPROTO_ICMPV6;
	ip6h->hop_limit = 255;
	ip6h->saddr = *target;
	ip6h->daddr = *daddr;

	na = skb_put_zero(skb, len);
	na->icmph.icmp6_type = NDISC_NEIGHBOUR_ADVERTISEMENT;
	na->icmph.icmp6_router = 1;
	na->icmph.icmp6_solicited = 1;
	na->icmph.icmp6_override = 1;
	na->target = *target;
	opt = na->opt;
	opt[0] = ND_OPT_TARGET_LL_ADDR;
	opt[1] = (len - sizeof(*na)) >> 3;
	ether_addr_copy(opt + 2, pkt->t->router_mac);
	na->icmph.icmp6_cksum = csum_ipv6_magic(&ip6h->saddr, &ip6h->daddr,
						len, IPPROTO_ICMPV6,
						csum_partial(na, len, 0));
	return skb;
}

/*
 * Neighbour discovery from the VM: returns true when it consumed the
 * packet (answered or dropped), false for any other packet.
 */
bool nv_nd_rx(const struct nv_pkt *pkt, struct sk_buff *skb)
{
	const struct ipv6hdr *ip6h;
	const struct nd_msg *ns = nd_solicit(skb);
	struct sk_buff *reply;

	if (!ns)
		return false;
	if (ns->icmph.icmp6_type == NDISC_NEIGHBOUR_SOLICITATION &&
	    !pskb_may_pull(skb, sizeof(*ip6h) + sizeof(*ns))) {
		nv_drop(pkt, skb, NETVIRT_DROP_MALFORMED);
		return true;
	}
	ns = (const struct nd_msg *)(ipv6_hdr(skb) + 1);
	ip6h = ipv6_hdr(skb);
	/* Only solicitations are for the router; DAD (from ::) is unanswered. */
	if (ns->icmph.icmp6_type != NDISC_NEIGHBOUR_SOLICITATION ||
	    ipv6_addr_any(&ip6h->saddr) || ip6h->hop_limit != 255 ||
	    ipv6_addr_is_multicast(&ns->target) ||
	    nv_port_has_addr6(pkt->port, &ns->target)) {
		nv_drop(pkt, skb, NETVIRT_DROP_NEIGH);
		return true;
	}
	if (!(ipv6_addr_type(&ip6h->saddr) & IPV6_ADDR_LINKLOCAL) &&
	    !nv_port_has_addr6(pkt->port, &ip6h->saddr)) {
		nv_drop(pkt, skb, NETVIRT_DROP_SPOOFED_IP);
		return true;
	}
	reply = nd_advert(pkt, &ns->target, &ip6h->saddr);
	if (!reply) {
		nv_drop(pkt, skb, NETVIRT_DROP_NOMEM);
		return true;
	}
	nv_stats_add(pkt->t->stats, NV_ND_REPLIES, 1);
	nv_stats_add(pkt->port->stats, NV_ND_REPLIES, 1);
	consume_skb(skb);
	nv_xmit(pkt, reply, pkt->port);
	return true;
}
