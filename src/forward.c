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
 * Where a routed packet goes: next hop @nh, through local port @to, or
 * over the overlay when @to is NULL; @mtu is the egress MTU.
 */
struct hop {
	const struct nv_nexthop *nh;
	const struct nv_port *to;
	unsigned int mtu;
};

static bool port_up(const struct nv_port *to, const struct nv_nexthop *nh)
{
	return to && to->ifindex == nh->ifindex && netif_running(to->dev) &&
	       netif_carrier_ok(to->dev);
}

/*
 * Picks @hop for a packet routed by @rt. A host next hop needs this host
 * to have an overlay; a port next hop, its port up.
 */
static enum netvirt_drop_reason route_hop(const struct nv_pkt *pkt,
					  const struct nv_route *rt,
					  struct sk_buff *skb, struct hop *hop)
{
	if (!rt)
		return NETVIRT_DROP_NO_ROUTE;
	if (rt->type == NETVIRT_ROUTE_BLACKHOLE)
		return NETVIRT_DROP_BLACKHOLE;
	hop->nh = nexthop_select(rt, skb);
	hop->to = NULL;
	if (!hop->nh->ifindex)
		return pkt->cfg->host ? NV_PASS : NETVIRT_DROP_NO_OVERLAY;
	hop->to = pkt->cfg->ports[hop->nh->port_slot];
	return port_up(hop->to, hop->nh) ? NV_PASS : NETVIRT_DROP_PORT_DOWN;
}

/* Egress MTU of @hop: its port's device's, or the overlay's. */
static unsigned int hop_mtu(const struct nv_pkt *pkt, const struct hop *hop)
{
	return hop->to ? READ_ONCE(hop->to->dev->mtu) : nv_tunnel_mtu(pkt);
}

/* Hands a routed packet to its hop's port, or to the overlay. */
static void hop_xmit(const struct nv_pkt *pkt, struct sk_buff *skb,
		     const struct hop *hop, bool df)
{
	skb_forward_csum(skb);
	if (hop->to)
		nv_xmit(pkt, skb, hop->to);
	else
		nv_tunnel_xmit(pkt, skb, &hop->nh->host, pkt->port->mac, df);
}

/*
 * Where a packet from the overlay goes: a local port, never back into the
 * overlay (the sender routes to the right host itself).
 */
static enum netvirt_drop_reason tunnel_hop(const struct nv_pkt *pkt,
					   const struct nv_route *rt,
					   struct sk_buff *skb,
					   struct hop *hop)
{
	enum netvirt_drop_reason reason = route_hop(pkt, rt, skb, hop);

	if (reason == NV_PASS && !hop->to)
		return NETVIRT_DROP_TUNNEL_LOOP;
	return reason;
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

/*
 * Readies a routed IPv4 packet for @hop: TTL left, size within the MTU,
 * TTL decremented. The ICMP error, if any, is sent here; the caller drops.
 */
static enum netvirt_drop_reason ip4_ready(const struct nv_pkt *pkt,
					  struct sk_buff *skb,
					  struct hop *hop, bool df)
{
	struct iphdr *iph = ip_hdr(skb);

	if (iph->ttl <= 1) {
		nv_icmp4_error(pkt, skb, ICMP_TIME_EXCEEDED, ICMP_EXC_TTL, 0);
		return NETVIRT_DROP_TTL_EXPIRED;
	}
	hop->mtu = hop_mtu(pkt, hop);
	/* Without DF, the overlay fragments the outer packet. */
	if (!ip4_fits(skb, hop->mtu) && (hop->to || df)) {
		if (df)
			nv_icmp4_error(pkt, skb, ICMP_DEST_UNREACH,
				       ICMP_FRAG_NEEDED, hop->mtu);
		return NETVIRT_DROP_TOO_BIG;
	}
	if (skb_ensure_writable(skb, sizeof(*iph)))
		return NETVIRT_DROP_NOMEM;
	ip_decrease_ttl(ip_hdr(skb));
	return NV_PASS;
}

/* Checks a packet from a VM and picks its @hop. */
static enum netvirt_drop_reason ip4_route(const struct nv_pkt *pkt,
					  struct sk_buff *skb, struct hop *hop)
{
	const struct iphdr *iph = ip_hdr(skb);
	const struct nv_route *rt;
	struct in6_addr dst;

	if (ipv4_is_multicast(iph->daddr) || ipv4_is_lbcast(iph->daddr))
		return NETVIRT_DROP_MCAST;
	if (!nv_port_has_addr4(pkt->port, iph->saddr))
		return NETVIRT_DROP_SPOOFED_IP;
	ipv6_addr_set_v4mapped(iph->daddr, &dst);
	rt = nv_route_lookup(pkt->t->routes, &dst, false);
	if (!rt)
		nv_icmp4_error(pkt, skb, ICMP_DEST_UNREACH, ICMP_NET_UNREACH, 0);
	return route_hop(pkt, rt, skb, hop);
}

void nv_ip4_rx(const struct nv_pkt *pkt, struct sk_buff *skb)
{
	enum netvirt_drop_reason reason = NETVIRT_DROP_MALFORMED;
	struct hop hop;
	bool df;

	if (!ip4_valid(skb))
		goto drop;
	reason = ip4_route(pkt, skb, &hop);
	if (reason != NV_PASS)
		goto drop;
	/* False: the firewall dropped or rejected it, and freed it. */
	if (!nv_fw_filter(pkt, skb, hop.to))
		return;
	df = ip_hdr(skb)->frag_off & htons(IP_DF);
	reason = ip4_ready(pkt, skb, &hop, df);
	if (reason != NV_PASS)
		goto drop;
	hop_xmit(pkt, skb, &hop, df);
	return;
drop:
	nv_drop(pkt, skb, reason);
}

/* Checks a packet from the overlay and picks its @hop. */
static enum netvirt_drop_reason ip4_tunnel_route(const struct nv_pkt *pkt,
						 struct sk_buff *skb,
						 struct hop *hop)
{
	const struct iphdr *iph = ip_hdr(skb);
	struct in6_addr addr;
	enum netvirt_drop_reason reason;

	if (ipv4_is_multicast(iph->daddr) || ipv4_is_lbcast(iph->daddr))
		return NETVIRT_DROP_MCAST;
	ipv6_addr_set_v4mapped(iph->saddr, &addr);
	if (!tunnel_sender_ok(nv_route_lookup(pkt->t->routes, &addr, false),
			      pkt->sender))
		return NETVIRT_DROP_TUNNEL_SOURCE;
	ipv6_addr_set_v4mapped(iph->daddr, &addr);
	reason = tunnel_hop(pkt, nv_route_lookup(pkt->t->routes, &addr, false),
			    skb, hop);
	if (reason == NV_PASS && !ip4_fits(skb, READ_ONCE(hop->to->dev->mtu)))
		return NETVIRT_DROP_TOO_BIG;
	return reason;
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
	enum netvirt_drop_reason reason = NETVIRT_DROP_MALFORMED;
	struct hop hop;

	if (ip4_valid(skb))
		reason = ip4_tunnel_route(pkt, skb, &hop);
	if (reason != NV_PASS)
		nv_drop(pkt, skb, reason);
	else if (nv_fw_filter(pkt, skb, hop.to))
		nv_xmit(pkt, skb, hop.to);
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

/* ip4_ready() for IPv6, never fragmented on the way: too big is reported. */
static enum netvirt_drop_reason ip6_ready(const struct nv_pkt *pkt,
					  struct sk_buff *skb,
					  struct hop *hop)
{
	if (ipv6_hdr(skb)->hop_limit <= 1) {
		nv_icmp6_error(pkt, skb, ICMPV6_TIME_EXCEED,
			       ICMPV6_EXC_HOPLIMIT, 0);
		return NETVIRT_DROP_TTL_EXPIRED;
	}
	hop->mtu = hop_mtu(pkt, hop);
	if (!ip6_fits(skb, hop->mtu)) {
		nv_icmp6_error(pkt, skb, ICMPV6_PKT_TOOBIG, 0, hop->mtu);
		return NETVIRT_DROP_TOO_BIG;
	}
	if (skb_ensure_writable(skb, sizeof(struct ipv6hdr)))
		return NETVIRT_DROP_NOMEM;
	ipv6_hdr(skb)->hop_limit--;
	return NV_PASS;
}

/* ip4_route() for IPv6. */
static enum netvirt_drop_reason ip6_route(const struct nv_pkt *pkt,
					  struct sk_buff *skb, struct hop *hop)
{
	const struct ipv6hdr *ip6h = ipv6_hdr(skb);
	const struct nv_route *rt;

	/* First: MLD and router solicitations come from link-local sources. */
	if (ipv6_addr_is_multicast(&ip6h->daddr))
		return NETVIRT_DROP_MCAST;
	if (!nv_port_has_addr6(pkt->port, &ip6h->saddr))
		return NETVIRT_DROP_SPOOFED_IP;
	rt = nv_route_lookup(pkt->t->routes, &ip6h->daddr, true);
	if (!rt)
		nv_icmp6_error(pkt, skb, ICMPV6_DEST_UNREACH, ICMPV6_NOROUTE, 0);
	return route_hop(pkt, rt, skb, hop);
}

void nv_ip6_rx(const struct nv_pkt *pkt, struct sk_buff *skb)
{
	enum netvirt_drop_reason reason = NETVIRT_DROP_MALFORMED;
	struct hop hop;

	if (!ip6_valid(skb))
		goto drop;
	/* Neighbour discovery is answered here, from link-local sources too. */
	if (nv_nd_is_msg(skb)) {
		nv_nd_rx(pkt, skb);
		return;
	}
	reason = ip6_route(pkt, skb, &hop);
	if (reason != NV_PASS)
		goto drop;
	/* False: the firewall dropped or rejected it, and freed it. */
	if (!nv_fw_filter(pkt, skb, hop.to))
		return;
	reason = ip6_ready(pkt, skb, &hop);
	if (reason != NV_PASS)
		goto drop;
	hop_xmit(pkt, skb, &hop, true);
	return;
drop:
	nv_drop(pkt, skb, reason);
}

/* ip4_tunnel_route() for IPv6. */
static enum netvirt_drop_reason ip6_tunnel_route(const struct nv_pkt *pkt,
						 struct sk_buff *skb,
						 struct hop *hop)
{
	const struct ipv6hdr *ip6h = ipv6_hdr(skb);
	enum netvirt_drop_reason reason;

	if (ipv6_addr_is_multicast(&ip6h->daddr))
		return NETVIRT_DROP_MCAST;
	if (!tunnel_sender_ok(nv_route_lookup(pkt->t->routes, &ip6h->saddr,
					      true), pkt->sender))
		return NETVIRT_DROP_TUNNEL_SOURCE;
	reason = tunnel_hop(pkt, nv_route_lookup(pkt->t->routes, &ip6h->daddr,
						 true), skb, hop);
	if (reason == NV_PASS && !ip6_fits(skb, READ_ONCE(hop->to->dev->mtu)))
		return NETVIRT_DROP_TOO_BIG;
	return reason;
}

/* nv_ip4_tunnel_rx() for IPv6. */
void nv_ip6_tunnel_rx(const struct nv_pkt *pkt, struct sk_buff *skb)
{
	enum netvirt_drop_reason reason = NETVIRT_DROP_MALFORMED;
	struct hop hop;

	if (ip6_valid(skb))
		reason = ip6_tunnel_route(pkt, skb, &hop);
	if (reason != NV_PASS)
		nv_drop(pkt, skb, reason);
	else if (nv_fw_filter(pkt, skb, hop.to))
		nv_xmit(pkt, skb, hop.to);
}
