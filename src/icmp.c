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
 *
 * neigh.c builds its neighbour advertisements with nv_icmp6_alloc() too.
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

/*
 * The header of both ICMP versions: type, code, checksum, then a word the
 * type gives the meaning of - the MTU of a packet too big in both.
 */
struct icmp_any {
	u8 type;
	u8 code;
	__sum16 checksum;
	__be32 word;
};

/* The length of an error quoting @skb: a header and at most @max bytes. */
static unsigned int error_len(const struct sk_buff *skb, unsigned int max)
{
	return sizeof(struct icmp_any) + min(skb->len, max);
}

/*
 * An ICMP message of @len bytes, zeroed, behind network header @hdr of
 * @hlen bytes, with @headroom in front; network and transport headers
 * set. NULL without memory.
 */
static struct sk_buff *icmp_alloc(unsigned int headroom, __be16 proto,
				  const void *hdr, unsigned int hlen,
				  unsigned int len)
{
	struct sk_buff *nskb = alloc_skb(headroom + hlen + len, GFP_ATOMIC);

	if (!nskb)
		return NULL;
	skb_reserve(nskb, headroom);
	nskb->protocol = proto;
	skb_reset_network_header(nskb);
	skb_put_data(nskb, hdr, hlen);
	skb_set_transport_header(nskb, hlen);
	skb_put_zero(nskb, len);
	return nskb;
}

/* An ICMP message, room for a link header or a tunnel's headers in front. */
static struct sk_buff *icmp4_alloc(__be32 saddr, __be32 daddr,
				   unsigned int len)
{
	struct iphdr iph = {
		.version = 4, .ihl = 5, .ttl = 64, .protocol = IPPROTO_ICMP,
		.tot_len = htons(sizeof(iph) + len),
		.saddr = saddr, .daddr = daddr,
	};

	ip_send_check(&iph);
	return icmp_alloc(LL_MAX_HEADER, htons(ETH_P_IP), &iph, sizeof(iph),
			  len);
}

/**
 * nv_icmp6_alloc() - an ICMPv6 message, zeroed, behind its IPv6 header
 * @headroom: room in front, for a link header or a tunnel's headers
 * @saddr: source address
 * @daddr: destination address
 * @len: the ICMPv6 message's length
 * @hop_limit: the IPv6 header's hop limit
 *
 * Return: the message, network and transport headers set, or NULL. Once
 * filled, nv_icmp6_csum() checksums it.
 */
struct sk_buff *nv_icmp6_alloc(unsigned int headroom,
			       const struct in6_addr *saddr,
			       const struct in6_addr *daddr, unsigned int len,
			       u8 hop_limit)
{
	struct ipv6hdr ip6h = {
		.version = 6, .payload_len = htons(len),
		.nexthdr = IPPROTO_ICMPV6, .hop_limit = hop_limit,
		.saddr = *saddr, .daddr = *daddr,
	};

	return icmp_alloc(headroom, htons(ETH_P_IPV6), &ip6h, sizeof(ip6h),
			  len);
}

/**
 * nv_icmp6_csum() - checksum an ICMPv6 message
 * @nskb: a message from nv_icmp6_alloc(), filled
 */
void nv_icmp6_csum(struct sk_buff *nskb)
{
	const struct ipv6hdr *ip6h = ipv6_hdr(nskb);
	struct icmp6hdr *icmp6h = icmp6_hdr(nskb);
	unsigned int len = ntohs(ip6h->payload_len);

	icmp6h->icmp6_cksum = csum_ipv6_magic(&ip6h->saddr, &ip6h->daddr, len,
					      IPPROTO_ICMPV6,
					      csum_partial(icmp6h, len, 0));
}

/*
 * Sends error @nskb (NULL: no memory) about @skb: header @h, then as much
 * of @skb as it has room for, checksummed.
 */
static void error_send(const struct nv_pkt *pkt, struct sk_buff *skb,
		       const struct nv_port *to, struct sk_buff *nskb,
		       const struct icmp_any *h)
{
	struct icmp_any *icmph;
	unsigned int len;

	BUILD_BUG_ON(sizeof(*icmph) != sizeof(struct icmphdr) ||
		     sizeof(*icmph) != sizeof(struct icmp6hdr));
	if (!nskb)
		return;
	icmph = (struct icmp_any *)skb_transport_header(nskb);
	*icmph = *h;
	len = skb_tail_pointer(nskb) - (u8 *)icmph;
	if (skb_copy_bits(skb, 0, icmph + 1, len - sizeof(*icmph))) {
		kfree_skb(nskb);
		return;
	}
	if (nskb->protocol == htons(ETH_P_IP))
		icmph->checksum = csum_fold(csum_partial(icmph, len, 0));
	else
		nv_icmp6_csum(nskb);
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
	struct icmp_any h = { .type = type, .code = code };

	/* Nor about a fragment's tail. */
	if (oiph->frag_off & htons(IP_OFFSET) || ip4_is_icmp_error(skb) ||
	    !icmp_allowed(pkt->t))
		return;
	/* RFC 1191: the MTU in the low 16 bits, the others unused. */
	if (type == ICMP_DEST_UNREACH && code == ICMP_FRAG_NEEDED)
		h.word = htonl(info & 0xffff);
	error_send(pkt, skb, to,
		   icmp4_alloc(oiph->daddr, oiph->saddr,
			       error_len(skb, ICMP4_MAX_QUOTE)), &h);
}

/* nv_icmp4_answer() for IPv6: @info is a packet-too-big's MTU. */
void nv_icmp6_answer(const struct nv_pkt *pkt, struct sk_buff *skb,
		     const struct nv_port *to, u8 type, u8 code, u32 info)
{
	const struct ipv6hdr *oip6h = ipv6_hdr(skb);
	struct icmp_any h = { .type = type, .code = code, .word = htonl(info) };

	if (ip6_is_icmp_error(skb) || !icmp_allowed(pkt->t))
		return;
	error_send(pkt, skb, to,
		   nv_icmp6_alloc(LL_MAX_HEADER, &oip6h->daddr, &oip6h->saddr,
				  error_len(skb, ICMP6_MAX_QUOTE), 64), &h);
}

/* The error that reports a drop to the VM, by reason: { IPv4, IPv6 }. */
static const struct icmp_code {
	u8 type;
	u8 code;
} error_codes[][2] = {
	[NETVIRT_DROP_NO_ROUTE] = {
		{ ICMP_DEST_UNREACH, ICMP_NET_UNREACH },
		{ ICMPV6_DEST_UNREACH, ICMPV6_NOROUTE },
	},
	[NETVIRT_DROP_TTL_EXPIRED] = {
		{ ICMP_TIME_EXCEEDED, ICMP_EXC_TTL },
		{ ICMPV6_TIME_EXCEED, ICMPV6_EXC_HOPLIMIT },
	},
	[NETVIRT_DROP_TOO_BIG] = {
		{ ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED },
		{ ICMPV6_PKT_TOOBIG, 0 },
	},
};

/**
 * nv_icmp_error() - tell a VM why the router drops its packet
 * @pkt: the packet, from a port
 * @skb: the packet, network header at skb->data; left to the caller
 * @reason: why it is dropped
 * @mtu: the egress MTU, for a packet too big
 *
 * A route missing, the TTL or hop limit run out and a packet too big are
 * reported; an IPv4 packet too big only with DF (RFC 1191): one without
 * is a router's to fragment, and netvirt does not.
 */
void nv_icmp_error(const struct nv_pkt *pkt, struct sk_buff *skb,
		   enum netvirt_drop_reason reason, unsigned int mtu)
{
	bool v6 = skb->protocol == htons(ETH_P_IPV6);
	const struct icmp_code *e;

	if (reason >= ARRAY_SIZE(error_codes))
		return;
	e = &error_codes[reason][v6];
	if (reason != NETVIRT_DROP_TOO_BIG)
		mtu = 0;
	/* Type 0 is no error in either version: no entry. */
	if (!e->type)
		return;
	if (v6)
		nv_icmp6_answer(pkt, skb, NULL, e->type, e->code, mtu);
	else if (reason != NETVIRT_DROP_TOO_BIG ||
		 ip_hdr(skb)->frag_off & htons(IP_DF))
		nv_icmp4_answer(pkt, skb, NULL, e->type, e->code, mtu);
}
