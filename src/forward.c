// SPDX-License-Identifier: GPL-2.0
/*
 * Routing between the VMs of a tenant: checks the source, looks the
 * destination up in the tenant's table, decrements the TTL or hop limit
 * and hands the packet to the destination port.
 */
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <net/ip.h>
#include <net/ipv6.h>

#include "compat.h"
#include "datapath.h"
#include "fw.h"
#include "route.h"

/* Picks one next hop of @rt for this flow; stable for the flow. */
static const struct nv_nexthop *nexthop_select(const struct nv_route *rt,
					       struct sk_buff *skb)
{
	if (rt->n_nh == 1)
		return &rt->nh[0];
	return &rt->nh[reciprocal_scale(skb_get_hash(skb), rt->n_nh)];
}

/*
 * The next hop of @rt for @skb, or NULL with the packet dropped. A host
 * next hop needs this host to have an overlay.
 */
static const struct nv_nexthop *route_nexthop(const struct nv_pkt *pkt,
					      const struct nv_route *rt,
					      struct sk_buff *skb)
{
	const struct nv_nexthop *nh;

	if (rt->type == NETVIRT_ROUTE_BLACKHOLE) {
		nv_drop(pkt, skb, NETVIRT_DROP_BLACKHOLE);
		return NULL;
	}
	nh = nexthop_select(rt, skb);
	if (!nh->ifindex && !pkt->cfg->host) {
		nv_drop(pkt, skb, NETVIRT_DROP_NO_OVERLAY);
		return NULL;
	}
	return nh;
}

/* The local port of next hop @nh, or NULL with the packet dropped. */
static const struct nv_port *nexthop_port(const struct nv_pkt *pkt,
					  const struct nv_nexthop *nh,
					  struct sk_buff *skb)
{
	const struct nv_port *to = pkt->cfg->ports[nh->port_slot];

	if (!to || to->ifindex != nh->ifindex || !netif_running(to->dev) ||
	    !netif_carrier_ok(to->dev)) {
		nv_drop(pkt, skb, NETVIRT_DROP_PORT_DOWN);
		return NULL;
	}
	return to;
}

/* Egress MTU of next hop @nh: the port's device's, or the overlay's. */
static unsigned int nexthop_mtu(const struct nv_pkt *pkt,
				const struct nv_port *to)
{
	return to ? READ_ONCE(to->dev->mtu) : nv_tunnel_mtu(pkt);
}

/* Hands a routed packet to port @to, or to the overlay toward @nh. */
static void nexthop_xmit(const struct nv_pkt *pkt, struct sk_buff *skb,
			 const struct nv_port *to, const struct nv_nexthop *nh,
			 bool df)
{
	skb_forward_csum(skb);
	if (to)
		nv_xmit(pkt, skb, to);
	else
		nv_tunnel_xmit(pkt, skb, &nh->host, pkt->port->mac, df);
}

/*
 * Where a packet from the overlay goes: a local port, never back into the
 * overlay (the sender routes to the right host itself). NULL with the
 * packet dropped.
 */
static const struct nv_port *tunnel_egress(const struct nv_pkt *pkt,
					   const struct nv_route *rt,
					   struct sk_buff *skb)
{
	const struct nv_nexthop *nh;

	if (!rt) {
		nv_drop(pkt, skb, NETVIRT_DROP_NO_ROUTE);
		return NULL;
	}
	nh = route_nexthop(pkt, rt, skb);
	if (!nh)
		return NULL;
	if (!nh->ifindex) {
		nv_drop(pkt, skb, NETVIRT_DROP_TUNNEL_LOOP);
		return NULL;
	}
	return nexthop_port(pkt, nh, skb);
}

/*
 * A tenant's packet from the overlay is accepted only from the host its
 * routes send the packet's source to: a host on the underlay cannot
 * inject traffic into a tenant, nor in the name of another host's VMs.
 */
static bool tunnel_sender_ok(const struct nv_route *rt,
			     const struct in6_addr *sender)
{
	unsigned int i;

	if (!rt || rt->type != NETVIRT_ROUTE_UNICAST)
		return false;
	for (i = 0; i < rt->n_nh; i++)
		if (!rt->nh[i].ifindex && ipv6_addr_equal(&rt->nh[i].host, sender))
			return true;
	return false;
}

static bool ip4_valid(struct sk_buff *skb)
{
	const struct iphdr *iph;
	u32 len;

	if (!pskb_may_pull(skb, sizeof(*iph)))
		return false;
	iph = ip_hdr(skb);
	if (iph->ihl < 5 || iph->version != 4 ||
	    !pskb_may_pull(skb, iph->ihl * 4))
		return false;
	iph = ip_hdr(skb);
	len = ntohs(iph->tot_len);
	if (len > skb->len || len < iph->ihl * 4 ||
	    ip_fast_csum((u8 *)iph, iph->ihl))
		return false;
	return !pskb_trim_rcsum(skb, len);
}

static bool ip4_fits(struct sk_buff *skb, unsigned int mtu)
{
	return skb->len <= mtu ||
	       (skb_is_gso(skb) && skb_gso_validate_network_len(skb, mtu));
}

static void ip4_forward_to(const struct nv_pkt *pkt, struct sk_buff *skb,
			   const struct nv_port *to,
			   const struct nv_nexthop *nh)
{
	struct iphdr *iph = ip_hdr(skb);
	bool df = iph->frag_off & htons(IP_DF);
	unsigned int mtu;

	if (iph->ttl <= 1) {
		nv_icmp4_error(pkt, skb, ICMP_TIME_EXCEEDED, ICMP_EXC_TTL, 0);
		nv_drop(pkt, skb, NETVIRT_DROP_TTL_EXPIRED);
		return;
	}
	mtu = nexthop_mtu(pkt, to);
	/* Without DF, the overlay fragments the outer packet. */
	if (!ip4_fits(skb, mtu) && (to || df)) {
		if (df)
			nv_icmp4_error(pkt, skb, ICMP_DEST_UNREACH,
				       ICMP_FRAG_NEEDED, mtu);
		nv_drop(pkt, skb, NETVIRT_DROP_TOO_BIG);
		return;
	}
	if (skb_ensure_writable(skb, sizeof(*iph))) {
		nv_drop(pkt, skb, NETVIRT_DROP_NOMEM);
		return;
	}
	ip_decrease_ttl(ip_hdr(skb));
	nexthop_xmit(pkt, skb, to, nh, df);
}

void nv_ip4_rx(const struct nv_pkt *pkt, struct sk_buff *skb)
{
	const struct nv_nexthop *nh;
	const struct nv_route *rt;
	const struct nv_port *to;
	struct in6_addr dst;
	struct iphdr *iph;

	if (!ip4_valid(skb)) {
		nv_drop(pkt, skb, NETVIRT_DROP_MALFORMED);
		return;
	}
	iph = ip_hdr(skb);
	if (ipv4_is_multicast(iph->daddr) || ipv4_is_lbcast(iph->daddr)) {
		nv_drop(pkt, skb, NETVIRT_DROP_MCAST);
		return;
	}
	if (!nv_port_has_addr4(pkt->port, iph->saddr)) {
		nv_drop(pkt, skb, NETVIRT_DROP_SPOOFED_IP);
		return;
	}
	ipv6_addr_set_v4mapped(iph->daddr, &dst);
	rt = nv_route_lookup(pkt->t->routes, &dst, false);
	if (!rt) {
		nv_icmp4_error(pkt, skb, ICMP_DEST_UNREACH, ICMP_NET_UNREACH, 0);
		nv_drop(pkt, skb, NETVIRT_DROP_NO_ROUTE);
		return;
	}
	nh = route_nexthop(pkt, rt, skb);
	if (!nh)
		return;
	to = nh->ifindex ? nexthop_port(pkt, nh, skb) : NULL;
	if ((to || !nh->ifindex) && nv_fw_filter(pkt, skb, to))
		ip4_forward_to(pkt, skb, to, nh);
}

/**
 * nv_ip4_tunnel_rx() - route an IPv4 packet from the overlay
 * @pkt: the packet; its tenant is the VNI's, its sender set
 * @skb: the packet, network header at skb->data
 *
 * The sending hypervisor decremented the TTL: the distributed router is
 * one hop, whichever hypervisors the packet crosses.
 */
void nv_ip4_tunnel_rx(const struct nv_pkt *pkt, struct sk_buff *skb)
{
	const struct nv_port *to;
	struct in6_addr addr;
	struct iphdr *iph;

	if (!ip4_valid(skb)) {
		nv_drop(pkt, skb, NETVIRT_DROP_MALFORMED);
		return;
	}
	iph = ip_hdr(skb);
	if (ipv4_is_multicast(iph->daddr) || ipv4_is_lbcast(iph->daddr)) {
		nv_drop(pkt, skb, NETVIRT_DROP_MCAST);
		return;
	}
	ipv6_addr_set_v4mapped(iph->saddr, &addr);
	if (!tunnel_sender_ok(nv_route_lookup(pkt->t->routes, &addr, false),
			      pkt->sender)) {
		nv_drop(pkt, skb, NETVIRT_DROP_TUNNEL_SOURCE);
		return;
	}
	ipv6_addr_set_v4mapped(iph->daddr, &addr);
	to = tunnel_egress(pkt, nv_route_lookup(pkt->t->routes, &addr, false),
			   skb);
	if (!to)
		return;
	if (!ip4_fits(skb, READ_ONCE(to->dev->mtu))) {
		nv_drop(pkt, skb, NETVIRT_DROP_TOO_BIG);
		return;
	}
	if (nv_fw_filter(pkt, skb, to))
		nv_xmit(pkt, skb, to);
}

static bool ip6_valid(struct sk_buff *skb)
{
	const struct ipv6hdr *ip6h;
	u32 len;

	if (!pskb_may_pull(skb, sizeof(*ip6h)))
		return false;
	ip6h = ipv6_hdr(skb);
	if (ip6h->version != 6)
		return false;
	len = ntohs(ip6h->payload_len) + sizeof(*ip6h);
	/* Jumbograms (payload length 0) are not for VMs. */
	if (len > skb->len || len == sizeof(*ip6h))
		return false;
	return !pskb_trim_rcsum(skb, len);
}

static bool ip6_fits(struct sk_buff *skb, unsigned int mtu)
{
	return skb->len <= mtu ||
	       (skb_is_gso(skb) && skb_gso_validate_network_len(skb, mtu));
}

/* IPv6 is never fragmented on the way: too big is always reported. */
static void ip6_forward_to(const struct nv_pkt *pkt, struct sk_buff *skb,
			   const struct nv_port *to,
			   const struct nv_nexthop *nh)
{
	unsigned int mtu;

	if (ipv6_hdr(skb)->hop_limit <= 1) {
		nv_icmp6_error(pkt, skb, ICMPV6_TIME_EXCEED,
			       ICMPV6_EXC_HOPLIMIT, 0);
		nv_drop(pkt, skb, NETVIRT_DROP_TTL_EXPIRED);
		return;
	}
	mtu = nexthop_mtu(pkt, to);
	if (!ip6_fits(skb, mtu)) {
		nv_icmp6_error(pkt, skb, ICMPV6_PKT_TOOBIG, 0, mtu);
		nv_drop(pkt, skb, NETVIRT_DROP_TOO_BIG);
		return;
	}
	if (skb_ensure_writable(skb, sizeof(struct ipv6hdr))) {
		nv_drop(pkt, skb, NETVIRT_DROP_NOMEM);
		return;
	}
	ipv6_hdr(skb)->hop_limit--;
	nexthop_xmit(pkt, skb, to, nh, true);
}

void nv_ip6_rx(const struct nv_pkt *pkt, struct sk_buff *skb)
{
	const struct nv_nexthop *nh;
	const struct nv_route *rt;
	const struct nv_port *to;
	struct ipv6hdr *ip6h;

	if (!ip6_valid(skb)) {
		nv_drop(pkt, skb, NETVIRT_DROP_MALFORMED);
		return;
	}
	/* Neighbour discovery is answered here, from link-local sources too. */
	if (nv_nd_rx(pkt, skb))
		return;
	ip6h = ipv6_hdr(skb);
	/* First: MLD and router solicitations come from link-local sources. */
	if (ipv6_addr_is_multicast(&ip6h->daddr)) {
		nv_drop(pkt, skb, NETVIRT_DROP_MCAST);
		return;
	}
	if (!nv_port_has_addr6(pkt->port, &ip6h->saddr)) {
		nv_drop(pkt, skb, NETVIRT_DROP_SPOOFED_IP);
		return;
	}
	rt = nv_route_lookup(pkt->t->routes, &ip6h->daddr, true);
	if (!rt) {
		nv_icmp6_error(pkt, skb, ICMPV6_DEST_UNREACH, ICMPV6_NOROUTE, 0);
		nv_drop(pkt, skb, NETVIRT_DROP_NO_ROUTE);
		return;
	}
	nh = route_nexthop(pkt, rt, skb);
	if (!nh)
		return;
	to = nh->ifindex ? nexthop_port(pkt, nh, skb) : NULL;
	if ((to || !nh->ifindex) && nv_fw_filter(pkt, skb, to))
		ip6_forward_to(pkt, skb, to, nh);
}

/* nv_ip4_tunnel_rx() for IPv6. */
void nv_ip6_tunnel_rx(const struct nv_pkt *pkt, struct sk_buff *skb)
{
	const struct nv_port *to;
	struct ipv6hdr *ip6h;

	if (!ip6_valid(skb)) {
		nv_drop(pkt, skb, NETVIRT_DROP_MALFORMED);
		return;
	}
	ip6h = ipv6_hdr(skb);
	if (ipv6_addr_is_multicast(&ip6h->daddr)) {
		nv_drop(pkt, skb, NETVIRT_DROP_MCAST);
		return;
	}
	if (!tunnel_sender_ok(nv_route_lookup(pkt->t->routes, &ip6h->saddr,
					      true), pkt->sender)) {
		nv_drop(pkt, skb, NETVIRT_DROP_TUNNEL_SOURCE);
		return;
	}
	to = tunnel_egress(pkt, nv_route_lookup(pkt->t->routes, &ip6h->daddr,
						true), skb);
	if (!to)
		return;
	if (!ip6_fits(skb, READ_ONCE(to->dev->mtu))) {
		nv_drop(pkt, skb, NETVIRT_DROP_TOO_BIG);
		return;
	}
	if (nv_fw_filter(pkt, skb, to))
		nv_xmit(pkt, skb, to);
}
