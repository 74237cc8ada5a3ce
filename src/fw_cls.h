/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The firewall's compiled classifier: one per tenant and direction, it
 * finds the first rule, in priority order, matching the first packet of
 * a new connection.
 *
 * Writer (process context, may sleep):
 *
 *     c = nv_fwc_build(rules, n, GFP_KERNEL_ACCOUNT);   ERR_PTR() on failure
 *     rcu_assign_pointer(..., c);
 *     ... after a grace period: nv_fwc_free(old);
 *
 * Reader (packet path, under rcu_read_lock(), any number of CPUs, no
 * lock, no allocation):
 *
 *     i = nv_fwc_lookup(c, &key);   index into rules[], or -1: no match
 *
 * A built classifier is never written again and owns all it uses: the
 * rules array and the groups it points to may go right after the build.
 * See fw_cls.c for the algorithm and its costs.
 */
#ifndef _NV_FW_CLS_H
#define _NV_FW_CLS_H

#include <linux/in.h>
#include <linux/in6.h>
#include <linux/types.h>

/* A leaf holding at most this many rules is not cut further. */
#define NV_FWC_LEAF_RULES	4

/* A node cuts at most this many key bits: 256 children. */
#define NV_FWC_STRIDE		8

/* Inner nodes on a path, at most: bounds a lookup's descent. */
#define NV_FWC_MAX_DEPTH	24

/**
 * struct nv_fwc_prefix - an address prefix
 * @addr: the address; IPv4 as IPv4-mapped IPv6 (::ffff:a.b.c.d)
 * @len: 0 to 128; IPv4 a.b.c.d/n is 96 + n. Host bits are ignored.
 */
struct nv_fwc_prefix {
	struct in6_addr addr;
	u8 len;
};

/**
 * struct nv_fwc_group - an address group: a set of prefixes
 * @pfx: the prefixes, in any order, overlapping or not
 * @n: how many, at most NV_FWC_MAX_GROUP; none: the group matches nothing
 *
 * The rules naming a group point to the same object: a build compiles
 * each group once, however many rules use it.
 */
struct nv_fwc_group {
	const struct nv_fwc_prefix *pfx;
	u32 n;
};

/**
 * struct nv_fwc_slots - a set of port slots: a port group's members
 * @slot: the slots, each below NV_MAX_PORTS, in any order
 * @n: how many; none: the set matches no port
 *
 * Shared by the rules naming it, as an address group is.
 */
struct nv_fwc_slots {
	const u16 *slot;
	u32 n;
};

/**
 * struct nv_fwc_addr - a rule's source or destination
 * @group: an address group, or NULL for @pfx
 * @pfx: the one prefix when @group is NULL; length 0 matches any address
 *	of both families
 */
struct nv_fwc_addr {
	const struct nv_fwc_group *group;
	struct nv_fwc_prefix pfx;
};

/* Fields a rule matches on; a rule without the flag matches any value. */
#define NV_FWC_F_SLOT		BIT(0)	/* the port @slot only */
#define NV_FWC_F_PROTO		BIT(1)	/* IP protocol @proto */
#define NV_FWC_F_SPORT		BIT(2)	/* source port in @sport */
#define NV_FWC_F_DPORT		BIT(3)	/* destination port in @dport */
#define NV_FWC_F_TYPE		BIT(4)	/* ICMP or ICMPv6 type @icmp_type */
#define NV_FWC_F_ALL		(BIT(5) - 1)

/**
 * struct nv_fwc_range - ports from @lo to @hi, both included
 * @lo: first port
 * @hi: last port, not below @lo
 */
struct nv_fwc_range {
	u16 lo;
	u16 hi;
};

/**
 * struct nv_fwc_rule - a firewall rule's match
 * @prio: priority; lower first
 * @handle: unique; orders rules of equal priority, lower first
 * @flags: NV_FWC_F_* fields matched; zero with no address and no port
 *	group matches every packet
 * @slots: a port group: the rule applies to its members only; or NULL
 * @slot: with NV_FWC_F_SLOT (and no @slots), the one port it applies to;
 *	without either, all ports of the classifier's tenant
 * @proto: IP protocol (IPPROTO_*), with NV_FWC_F_PROTO
 * @icmp_type: with NV_FWC_F_TYPE; @proto must be ICMP or ICMPv6
 * @src: source prefix or group
 * @dst: destination prefix or group
 * @sport: with NV_FWC_F_SPORT; @proto must be TCP, UDP, UDP-Lite, SCTP
 *	or DCCP
 * @dport: with NV_FWC_F_DPORT; the same protocols
 */
struct nv_fwc_rule {
	u32 prio;
	u32 handle;
	u32 flags;
	const struct nv_fwc_slots *slots;
	u16 slot;
	u8 proto;
	u8 icmp_type;
	struct nv_fwc_addr src;
	struct nv_fwc_addr dst;
	struct nv_fwc_range sport;
	struct nv_fwc_range dport;
};

/* Whether packets of IP protocol @proto carry ports a rule may match. */
static inline bool nv_proto_has_ports(u8 proto)
{
	return proto == IPPROTO_TCP || proto == IPPROTO_UDP ||
	       proto == IPPROTO_UDPLITE || proto == IPPROTO_SCTP ||
	       proto == IPPROTO_DCCP;
}

/**
 * struct nv_fwc_key - what a packet is classified on
 * @src: source address; IPv4 as ::ffff:a.b.c.d
 * @dst: destination address
 * @slot: the port's slot, below NV_MAX_PORTS
 * @sport: source port, host order; 0 for protocols without ports
 * @dport: destination port, host order; 0 likewise
 * @proto: IP protocol (IPv6: the upper-layer header's)
 * @icmp_type: ICMP or ICMPv6 type; 0 for other protocols
 */
struct nv_fwc_key {
	struct in6_addr src;
	struct in6_addr dst;
	u16 slot;
	u16 sport;
	u16 dport;
	u8 proto;
	u8 icmp_type;
};

/**
 * struct nv_fwc_stats - the shape of a built classifier
 * @rules: rules compiled: all but those that can never match
 * @trees: decision trees and destination tables a lookup may visit
 * @nodes: inner nodes, all trees
 * @leaves: distinct leaves
 * @entries: rule references in the leaves
 * @max_leaf: rules in the longest leaf: the longest scan of a tree
 * @depth: inner nodes on the longest path of a tree
 * @bytes: memory, in allocated (rounded up) bytes
 * @degraded: the memory budget ran out: some leaves were left long
 */
struct nv_fwc_stats {
	u32 rules;
	u32 trees;
	u32 nodes;
	u32 leaves;
	u32 entries;
	u32 max_leaf;
	u32 depth;
	size_t bytes;
	bool degraded;
};

struct nv_fwc;

struct nv_fwc *nv_fwc_build(const struct nv_fwc_rule *rules, unsigned int n,
			    gfp_t gfp);
void nv_fwc_free(struct nv_fwc *c);
int nv_fwc_lookup(const struct nv_fwc *c, const struct nv_fwc_key *key);
size_t nv_fwc_bytes(const struct nv_fwc *c);
void nv_fwc_stats(const struct nv_fwc *c, struct nv_fwc_stats *st);

#endif /* _NV_FW_CLS_H */
