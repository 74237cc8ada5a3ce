// SPDX-License-Identifier: GPL-2.0
/*
 * ICMP errors from the tenant's router back to a VM: no route, TTL
 * expired, packet too big, a firewall's reject. They are built here and
 * sent on the VM's port - or, for a packet a firewall rejected as it came
 * from the overlay, to the hypervisor that sent it - never routed by the
 * host, and rate limited per tenant and CPU.
 *
 * The error's source address is the destination the VM tried to reach:
 * the router has no address of its own in the tenant.
 */
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ipv6.h>

#include "datapath.h"
#include "limits.h"

/* Quoted bytes: the whole error fits the minimum MTU of the family. */
#define ICMP4_MAX_QUOTE	(576 - sizeof(struct iphdr) - sizeof(struct icmphdr))
#define ICMP6_MAX_QUOTE	(IPV6_MIN_MTU - sizeof(struct ipv6hdr) - \
			 sizeof(struct icmp6hdr))

/* Per-CPU token bucket: NV_ICMP_RATE per second, bursts of NV_ICMP_BURST. */
static bool icmp_allowed(const struct nv_tenant *t)
{
	return nv_bucket_take(&this_cpu_ptr(t->stats->pcpu)->icmp,
			      NV_ICMP_RATE, NV_ICMP_BURST);
}

/* An ICMP error is never sent about an ICMP error. */
static bool ip4_is_icmp_error(struct sk_buff *skb)
{
	unsigned int off = ip_hdrlen(skb);
	u8 type;

	return ip_hdr(skb)->protocol == IPPROTO_ICMP &&
	       (skb_copy_bits(skb, off, &type, 1) || icmp_is_err(type));
}

static bool ip6_is_icmp_error(struct sk_buff *skb)
{
	u8 type;

	return ipv6_hdr(skb)->nexthdr == IPPROTO_ICMPV6 &&
	       (skb_copy_bits(skb, sizeof(struct ipv6hdr), &type, 1) ||
		!(type & ICMPV6_INFOMSG_MASK));
}

/* Room for a link header, or a tunnel's headers, in front. */
static struct sk_buff *error_alloc(unsigned int len)
{
	struct sk_buff *nskb;

	nskb = alloc_skb(LL_MAX_HEADER + len, GFP_ATOMIC);
	if (nskb)
		skb_reserve(nskb, LL_MAX_HEADER);
	return nskb;
}

static void error_send(const struct nv_pkt *pkt, struct sk_buff *nskb,
		       const struct nv_port *to)
{
	nv_stats_add(pkt->t->stats, NV_ICMP_ERRORS, 1);
	if (pkt->port)
		nv_stats_add(pkt->port->stats, NV_ICMP_ERRORS, 1);
	nv_answer(pkt, nskb, to);
}

/**
 * nv_icmp4_answer() - an ICMP error about an IPv4 packet, to its sender
 * @pkt: the packet
 * @skb: the packet, network header at skb->data; left to the caller
 * @to: the port @pkt was routed to, or NULL: see nv_answer()
 * @type: ICMP type
 * @code: ICMP code
 * @info: the next-hop MTU of a fragmentation-needed error
 */
void nv_icmp4_answer(const struct nv_pkt *pkt, struct sk_buff *skb,
		     const struct nv_port *to, u8 type, u8 code, u32 info)
{
	const struct iphdr *oiph = ip_hdr(skb);
	unsigned int quote = min_t(unsigned int, skb->len, ICMP4_MAX_QUOTE);
	unsigned int len = sizeof(struct icmphdr) + quote;
	struct sk_buff *nskb;
	struct icmphdr *icmph;
	struct iphdr *iph;

	/* Nor about a fragment's tail. */
	if (oiph->frag_off & htons(IP_OFFSET) || ip4_is_icmp_error(skb) ||
	    !icmp_allowed(pkt->t))
		return;
	nskb = error_alloc(sizeof(*iph) + len);
	if (!nskb)
		return;
	nskb->protocol = htons(ETH_P_IP);
	iph = skb_put(nskb, sizeof(*iph));
	skb_reset_network_header(nskb);
	*iph = (struct iphdr) {
		.version = 4, .ihl = 5, .ttl = 64, .protocol = IPPROTO_ICMP,
		.tot_len = htons(sizeof(*iph) + len),
		.saddr = oiph->daddr, .daddr = oiph->saddr,
	};
	ip_send_check(iph);

	icmph = skb_put_zero(nskb, sizeof(*icmph));
	icmph->type = type;
	icmph->code = code;
	if (type == ICMP_DEST_UNREACH && code == ICMP_FRAG_NEEDED)
		icmph->un.frag.mtu = htons(info);
	if (skb_copy_bits(skb, 0, skb_put(nskb, quote), quote)) {
		kfree_skb(nskb);
		return;
	}
	icmph->checksum = csum_fold(csum_partial(icmph, len, 0));
	error_send(pkt, nskb, to);
}

/* nv_icmp4_answer() for IPv6: @info is a packet-too-big's MTU. */
void nv_icmp6_answer(const struct nv_pkt *pkt, struct sk_buff *skb,
		     const struct nv_port *to, u8 type, u8 code, u32 info)
{
	const struct ipv6hdr *oip6h = ipv6_hdr(skb);
	unsigned int quote = min_t(unsigned int, skb->len, ICMP6_MAX_QUOTE);
	unsigned int len = sizeof(struct icmp6hdr) + quote;
	struct icmp6hdr *icmp6h;
	struct ipv6hdr *ip6h;
	struct sk_buff *nskb;

	if (ip6_is_icmp_error(skb) || !icmp_allowed(pkt->t))
		return;
	nskb = error_alloc(sizeof(*ip6h) + len);
	if (!nskb)
		return;
	nskb->protocol = htons(ETH_P_IPV6);
	ip6h = skb_put(nskb, sizeof(*ip6h));
	skb_reset_network_header(nskb);
	ip6_flow_hdr(ip6h, 0, 0);
	ip6h->payload_len = htons(len);
	ip6h->nexthdr = IPPROTO_ICMPV6;
	ip6h->hop_limit = 64;
	ip6h->saddr = oip6h->daddr;
	ip6h->daddr = oip6h->saddr;

	icmp6h = skb_put_zero(nskb, sizeof(*icmp6h));
	icmp6h->icmp6_type = type;
	icmp6h->icmp6_code = code;
	icmp6h->icmp6_mtu = htonl(info);
	if (skb_copy_bits(skb, 0, skb_put(nskb, quote), quote)) {
		kfree_skb(nskb);
		return;
	}
	icmp6h->icmp6_cksum = csum_ipv6_magic(&ip6h->saddr, &ip6h->daddr, len,
					      IPPROTO_ICMPV6,
					      csum_partial(icmp6h, len, 0));
	error_send(pkt, nskb, to);
}
