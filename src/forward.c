// SPDX-License-Identifier: GPL-2.0
/*
 * Routing between the VMs of a tenant: checks the source, looks the
 * destination up in the tenant's table, decrements the TTL or hop limit
 * and hands the packet to the destination port.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <net/ip.h>
#include <net/ipv6.h>

#include "compat.h"
#include "datapath.h"
#include "fw.h"
#include "nat.h"
#include "route.h"

/* The first next hop of @rt to try for this flow; stable for the flow. */
static unsigned int nexthop_first(const struct nv_route *rt,
				  struct sk_buff *skb)
{
	if (rt->n_nh == 1)
		return 0;
	return reciprocal_scale(skb_get_hash(skb), rt->n_nh);
}

/*
 * Where a routed packet goes: next hop @nh, through local port @to and
 * its device @dev, out of the uplink @dev when @uplink, or over the
 * overlay; @mtu is the egress MTU.
 */
struct hop {
	const struct nv_nexthop *nh;
	const struct nv_port *to;
	struct net_device *dev;
	bool uplink;
	unsigned int mtu;
};

/* Can next hop @nh take a packet? Sets @hop to it either way. */
static enum netvirt_drop_reason nexthop_try(const struct nv_pkt *pkt,
					    const struct nv_nexthop *nh,
					    struct hop *hop)
{
	hop->nh = nh;
	hop->to = NULL;
	hop->dev = NULL;
	hop->uplink = nh->uplink;
	if (nh->uplink) {
		if (!pkt->cfg->uplink)
			return NETVIRT_DROP_NO_UPLINK;
		hop->dev = pkt->cfg->uplink->dev;
	} else if (nh->to_port) {
		hop->to = pkt->cfg->ports[nh->port_slot];
		hop->dev = nv_port_dev_rcu(hop->to);
	} else {
		return pkt->cfg->host ? NV_PASS : NETVIRT_DROP_NO_OVERLAY;
	}
	if (hop->dev && netif_running(hop->dev) && netif_carrier_ok(hop->dev))
		return NV_PASS;
	return NETVIRT_DROP_PORT_DOWN;
}

/*
 * Picks @hop for a packet routed by @rt. A host next hop needs this host
 * to have an overlay; a port next hop, its port attached and up. A flow
 * whose next hop cannot take it moves to the next one that can, so an
 * ECMP route uses the members it has left and its other flows stay put.
 */
static enum netvirt_drop_reason route_hop(const struct nv_pkt *pkt,
					  const struct nv_route *rt,
					  struct sk_buff *skb, struct hop *hop)
{
	enum netvirt_drop_reason first;
	unsigned int i, n;

	if (!rt)
		return NETVIRT_DROP_NO_ROUTE;
	if (rt->type == NETVIRT_ROUTE_BLACKHOLE)
		return NETVIRT_DROP_BLACKHOLE;
	i = nexthop_first(rt, skb);
	first = nexthop_try(pkt, &rt->nh[i], hop);
	for (n = 1; first != NV_PASS && n < rt->n_nh; n++)
		if (nexthop_try(pkt, &rt->nh[(i + n) % rt->n_nh], hop) == NV_PASS)
			return NV_PASS;
	if (n > 1)	/* the drop is the flow's own next hop's */
		nexthop_try(pkt, &rt->nh[i], hop);
	return first;
}

/* Egress MTU of @hop: its device's (port or uplink), or the overlay's. */
static unsigned int hop_mtu(const struct nv_pkt *pkt, const struct hop *hop)
{
	return hop->dev ? READ_ONCE(hop->dev->mtu) : nv_tunnel_mtu(pkt);
}

/* Hands a routed packet to its hop's port, the uplink, or the overlay. */
static void hop_xmit(const struct nv_pkt *pkt, struct sk_buff *skb,
		     const struct hop *hop, bool df)
{
	skb_forward_csum(skb);
	if (hop->to)
		nv_xmit(pkt, skb, hop->to);
	else if (hop->uplink)
		nv_uplink_xmit(pkt, skb);
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

	if (reason == NV_PASS && !hop->to)	/* the overlay or the uplink */
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
		if (!rt->nh[i].to_port &&
		    ipv6_addr_equal(&rt->nh[i].host, sender))
			return true;
	return false;
}

static bool is_ip6(const struct sk_buff *skb)
{
	return skb->protocol == htons(ETH_P_IPV6);
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

/* The packet's addresses, IPv4 v4-mapped. */
static void ip_addrs(const struct sk_buff *skb, struct in6_addr *src,
		     struct in6_addr *dst)
{
	if (is_ip6(skb)) {
		*src = ipv6_hdr(skb)->saddr;
		*dst = ipv6_hdr(skb)->daddr;
	} else {
		ipv6_addr_set_v4mapped(ip_hdr(skb)->saddr, src);
		ipv6_addr_set_v4mapped(ip_hdr(skb)->daddr, dst);
	}
}

/* There is no broadcast domain: nothing to multicast or broadcast to. */
static bool ip_mcast(const struct sk_buff *skb)
{
	__be32 daddr;

	if (is_ip6(skb))
		return ipv6_addr_is_multicast(&ipv6_hdr(skb)->daddr);
	daddr = ip_hdr(skb)->daddr;
	return ipv4_is_multicast(daddr) || ipv4_is_lbcast(daddr);
}

static bool ip_spoofed(const struct nv_pkt *pkt, const struct sk_buff *skb)
{
	if (is_ip6(skb))
		return !nv_port_has_addr6(pkt->port, &ipv6_hdr(skb)->saddr);
	return !nv_port_has_addr4(pkt->port, ip_hdr(skb)->saddr);
}

static bool ip_fits(struct sk_buff *skb, unsigned int mtu)
{
	return skb->len <= mtu ||
	       (skb_is_gso(skb) && skb_gso_validate_network_len(skb, mtu));
}

/* IPv6 is never fragmented on the way: as if DF were always set. */
static bool ip_df(const struct sk_buff *skb)
{
	return is_ip6(skb) || (ip_hdr(skb)->frag_off & htons(IP_DF));
}

static u8 ip_ttl(const struct sk_buff *skb)
{
	return is_ip6(skb) ? ipv6_hdr(skb)->hop_limit : ip_hdr(skb)->ttl;
}

/* Decrements the TTL or hop limit; false without memory to write it. */
static bool ip_ttl_dec(struct sk_buff *skb)
{
	if (is_ip6(skb)) {
		if (skb_ensure_writable(skb, sizeof(struct ipv6hdr)))
			return false;
		ipv6_hdr(skb)->hop_limit--;
	} else {
		if (skb_ensure_writable(skb, sizeof(struct iphdr)))
			return false;
		ip_decrease_ttl(ip_hdr(skb));
	}
	return true;
}

/*
 * Readies a routed packet for @hop: TTL left, size within the egress MTU,
 * TTL decremented. Without DF, the overlay fragments the outer packet;
 * a port or the uplink takes nothing larger than its MTU.
 */
static enum netvirt_drop_reason hop_ready(const struct nv_pkt *pkt,
					  struct sk_buff *skb, struct hop *hop)
{
	if (ip_ttl(skb) <= 1)
		return NETVIRT_DROP_TTL_EXPIRED;
	hop->mtu = hop_mtu(pkt, hop);
	if (!ip_fits(skb, hop->mtu) && (hop->dev || ip_df(skb)))
		return NETVIRT_DROP_TOO_BIG;
	if (!ip_ttl_dec(skb))
		return NETVIRT_DROP_NOMEM;
	return NV_PASS;
}

/* Checks a packet from a VM and picks its @hop. */
static enum netvirt_drop_reason port_route(const struct nv_pkt *pkt,
					   struct sk_buff *skb, struct hop *hop)
{
	struct in6_addr src, dst;

	/* First: MLD and router solicitations come from link-local sources. */
	if (ip_mcast(skb))
		return NETVIRT_DROP_MCAST;
	if (ip_spoofed(pkt, skb))
		return NETVIRT_DROP_SPOOFED_IP;
	ip_addrs(skb, &src, &dst);
	return route_hop(pkt, nv_route_lookup(pkt->t->routes, &dst,
					      is_ip6(skb)), skb, hop);
}

/*
 * Routes a valid packet from a VM to its next hop. What is dropped is
 * dropped here, after the ICMP error that tells the VM why, if any.
 */
static void port_forward(const struct nv_pkt *pkt, struct sk_buff *skb)
{
	enum netvirt_drop_reason reason;
	struct hop hop = {};

	reason = port_route(pkt, skb, &hop);
	if (reason != NV_PASS)
		goto drop;
	/* Before NAT: an ICMP error quotes the VM's own packet. */
	if (hop.uplink) {
		reason = hop_ready(pkt, skb, &hop);
		if (reason != NV_PASS)
			goto drop;
	}
	reason = nv_fw_filter(pkt, skb, hop.to, hop.uplink);
	if (reason != NV_PASS)
		goto drop;
	if (!hop.uplink)
		reason = hop_ready(pkt, skb, &hop);
	if (reason != NV_PASS)
		goto drop;
	hop_xmit(pkt, skb, &hop, ip_df(skb));
	return;
drop:
	nv_icmp_error(pkt, skb, reason, hop.mtu);
	nv_drop(pkt, skb, reason);
}

/**
 * nv_ip4_rx() - route an IPv4 packet from a VM
 * @pkt: the packet; its port and tenant set
 * @skb: the packet, network header at skb->data; taken: sent on or dropped
 */
void nv_ip4_rx(const struct nv_pkt *pkt, struct sk_buff *skb)
{
	if (ip4_valid(skb))
		port_forward(pkt, skb);
	else
		nv_drop(pkt, skb, NETVIRT_DROP_MALFORMED);
}

/* nv_ip4_rx() for IPv6; neighbour discovery is answered, not routed. */
void nv_ip6_rx(const struct nv_pkt *pkt, struct sk_buff *skb)
{
	if (!ip6_valid(skb))
		nv_drop(pkt, skb, NETVIRT_DROP_MALFORMED);
	/* Neighbour discovery is answered here, from link-local sources too. */
	else if (nv_nd_is_msg(skb))
		nv_nd_rx(pkt, skb);
	else
		port_forward(pkt, skb);
}

/* Checks a packet from the overlay and picks its @hop: a local port. */
static enum netvirt_drop_reason tunnel_route(const struct nv_pkt *pkt,
					     struct sk_buff *skb,
					     struct hop *hop)
{
	const struct nv_routes *routes = pkt->t->routes;
	enum netvirt_drop_reason reason;
	struct in6_addr src, dst;

	if (ip_mcast(skb))
		return NETVIRT_DROP_MCAST;
	ip_addrs(skb, &src, &dst);
	if (!tunnel_sender_ok(nv_route_lookup(routes, &src, is_ip6(skb)),
			      pkt->sender))
		return NETVIRT_DROP_TUNNEL_SOURCE;
	reason = tunnel_hop(pkt, nv_route_lookup(routes, &dst, is_ip6(skb)),
			    skb, hop);
	if (reason == NV_PASS && !ip_fits(skb, READ_ONCE(hop->dev->mtu)))
		return NETVIRT_DROP_TOO_BIG;
	return reason;
}

/*
 * Routes a packet from the overlay, @valid its header's check, to a local
 * port. The sending hypervisor decremented the TTL: the distributed
 * router is one hop, whichever hypervisors the packet crosses.
 */
static void tunnel_forward(const struct nv_pkt *pkt, struct sk_buff *skb,
			   bool valid)
{
	enum netvirt_drop_reason reason = NETVIRT_DROP_MALFORMED;
	struct hop hop = {};

	if (valid)
		reason = tunnel_route(pkt, skb, &hop);
	if (reason == NV_PASS)
		reason = nv_fw_filter(pkt, skb, hop.to, false);
	if (reason != NV_PASS)
		nv_drop(pkt, skb, reason);
	else
		nv_xmit(pkt, skb, hop.to);
}

/**
 * nv_ip4_tunnel_rx() - route an IPv4 packet from the overlay
 * @pkt: the packet; its tenant is the VNI's, its sender set
 * @skb: the packet, network header at skb->data
 */
void nv_ip4_tunnel_rx(const struct nv_pkt *pkt, struct sk_buff *skb)
{
	tunnel_forward(pkt, skb, ip4_valid(skb));
}

/* nv_ip4_tunnel_rx() for IPv6. */
void nv_ip6_tunnel_rx(const struct nv_pkt *pkt, struct sk_buff *skb)
{
	tunnel_forward(pkt, skb, ip6_valid(skb));
}

/*
 * A packet from the uplink must come from where the tenant's routes send
 * its source: outside, by the uplink. A host of the provider network
 * cannot speak for a VM.
 */
static bool uplink_source_ok(const struct nv_pkt *pkt, struct sk_buff *skb)
{
	const struct nv_route *rt;
	struct in6_addr src, dst;

	ip_addrs(skb, &src, &dst);
	rt = nv_route_lookup(pkt->t->routes, &src, is_ip6(skb));
	return rt && rt->type == NETVIRT_ROUTE_UNICAST && rt->nh[0].uplink;
}

/*
 * Routes a packet from the uplink, translated to its VM's address, to
 * that VM's port. ICMP errors about it are not sent: they would go to the
 * provider network from a tenant's address.
 */
static enum netvirt_drop_reason uplink_route(const struct nv_pkt *pkt,
					     struct sk_buff *skb,
					     const struct nv_nat_rule *rule,
					     struct hop *hop)
{
	enum netvirt_drop_reason reason;
	struct in6_addr src, dst;

	reason = nv_nat_in(pkt, skb, rule);
	if (reason != NV_PASS)
		return reason;
	ip_addrs(skb, &src, &dst);
	reason = tunnel_hop(pkt, nv_route_lookup(pkt->t->routes, &dst,
						 is_ip6(skb)), skb, hop);
	if (reason == NV_PASS)
		reason = nv_fw_filter(pkt, skb, hop->to, false);
	return reason == NV_PASS ? hop_ready(pkt, skb, hop) : reason;
}

/**
 * nv_ip_uplink_rx() - route a packet from the uplink that @rule takes
 * @pkt: the packet; its tenant is @rule's
 * @skb: the packet, network header at skb->data
 * @rule: the NAT rule of its destination
 *
 * A packet for a SNAT rule's port that belongs to no connection is not
 * netvirt's: it goes on to the host, whose own ports they may be.
 *
 * Return: RX_HANDLER_CONSUMED, @skb taken; RX_HANDLER_PASS, @skb left
 * as it came, to the host.
 */
rx_handler_result_t nv_ip_uplink_rx(const struct nv_pkt *pkt,
				    struct sk_buff *skb,
				    const struct nv_nat_rule *rule)
{
	enum netvirt_drop_reason reason = NETVIRT_DROP_MALFORMED;
	struct hop hop = {};

	if (!(is_ip6(skb) ? ip6_valid(skb) : ip4_valid(skb)))
		goto drop;
	reason = NETVIRT_DROP_SPOOFED_IP;
	if (!uplink_source_ok(pkt, skb))
		goto drop;
	reason = NETVIRT_DROP_FW_INVALID;
	if (!nv_fw_track(pkt, skb))
		goto drop;
	if (rule->type == NETVIRT_NAT_SNAT && nv_nat_unknown(skb)) {
		nf_reset_ct(skb);
		return RX_HANDLER_PASS;
	}
	nv_uplink_count_rx(pkt, skb);
	reason = uplink_route(pkt, skb, rule, &hop);
	if (reason != NV_PASS)
		goto drop;
	skb_forward_csum(skb);
	nv_xmit(pkt, skb, hop.to);
	return RX_HANDLER_CONSUMED;
drop:
	nv_uplink_count_rx(pkt, skb);
	nv_drop(pkt, skb, reason);
	return RX_HANDLER_CONSUMED;
}
