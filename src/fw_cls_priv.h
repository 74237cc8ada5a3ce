/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The compiled classifier's layout, shared by its lookup (fw_cls.c) and
 * its builder (fw_cls_build.c and the parts fw_cls_build.h names).
 */
#ifndef _NV_FW_CLS_PRIV_H
#define _NV_FW_CLS_PRIV_H

#include <asm/byteorder.h>
#include <linux/bitops.h>
#include <linux/bits.h>
#include <linux/types.h>

#include "fw_cls.h"

/*
 * The key as five 64-bit words: source address (two), destination
 * address (two), and the rest, packed from the top bit of word 4: slot
 * (12 bits), protocol (8), source port (16), destination port (16), ICMP
 * type (8). A rule is a value and a mask on these words, plus two port
 * ranges and up to three sets: what a node cuts is a few bits of a word.
 */
#define WORDS		5
#define W_MISC		4
#define SLOT_OFF	0
#define PROTO_OFF	12
#define SPORT_OFF	20
#define DPORT_OFF	36
#define TYPE_OFF	52
#define SLOT_BITS	12

/*
 * Fields a rule may match with a set of prefixes: address and port
 * groups, which lookups test (the first SETS), and port ranges, which
 * the builder sees as the prefixes covering them.
 */
enum { S_SRC, S_DST, S_SLOT, SETS, S_SPORT = SETS, S_DPORT, BSETS };

/* A reference in a tree: an inner node's offset, or a leaf's. */
#define REF_LEAF	BIT(31)
#define EMPTY_LEAF	REF_LEAF

/* A tree's root that is a destination table: its index. */
#define REF_TAB		BIT(30)

/*
 * A leaf entry: a rule's position, and which of its sets to look up. A
 * leaf is its entries, then E_END: a position past any rule's, which
 * ends every scan.
 */
#define E_SET(s)	BIT(31 - (s))
#define E_SETS		(E_SET(S_SRC) | E_SET(S_DST) | E_SET(S_SLOT))
#define E_POS		(BIT(32 - SETS) - 1)
#define E_END		E_POS

#define NO_SET		U32_MAX

/* A port range as the lookup tests it: port - lo <= span, in u16. */
struct fwc_ports {
	u16 lo;
	u16 span;
};

/* A rule, compiled: 104 bytes. */
struct fwc_rule {
	u64 val[WORDS];
	u64 mask[WORDS];
	struct fwc_ports port[2];
	u32 set[SETS];
	u32 index;
};

/* One range of a set, in its field's words: [lo, hi]. */
struct fwc_ivl {
	u64 lo[2];
	u64 hi[2];
};

/* A set: disjoint intervals, sorted. */
struct fwc_set {
	u32 first;
	u32 n;
};

/*
 * A destination table: the rules of one destination prefix length, by
 * prefix. A slot holds a prefix, the subtree of its rules and the first
 * of them; an empty slot has @first U32_MAX.
 */
struct fwc_dtab {
	u64 mask[2];
	u32 slot;
	u32 hmask;
};

struct fwc_dslot {
	u64 val[2];
	u32 ref;
	u32 first;
};

/*
 * Forests: IPv4 keys (both addresses IPv4-mapped) and IPv6 keys each
 * have their own trees, holding the rules that can match them.
 */
enum { F_V4, F_V6, FORESTS };

/* The IPv4-mapped space, ::ffff:0:0/96, in an address's second word. */
#define V4_HI		0x0000ffff00000000ULL
#define V4_HI_MASK	0xffffffff00000000ULL

/* Whether an address, as two key words, is IPv4-mapped. */
static __always_inline bool addr_is_v4(const u64 *w)
{
	return !w[0] && (w[1] & V4_HI_MASK) == V4_HI;
}

/* An address as two key words, most significant first. */
static __always_inline void addr_words(const struct in6_addr *a, u64 *w)
{
	const __be32 *x = a->s6_addr32;

	w[0] = (u64)be32_to_cpu(x[0]) << 32 | be32_to_cpu(x[1]);
	w[1] = (u64)be32_to_cpu(x[2]) << 32 | be32_to_cpu(x[3]);
}

/* The slot a destination's probe starts at. */
static __always_inline u32 dtab_hash(u64 a, u64 b, u32 hmask)
{
	return (u32)(((a * 0x9e3779b97f4a7c15ULL) ^ b) *
		     0xc2b2ae3d27d4eb4fULL >> 32) & hmask;
}

/*
 * The compiled classifier, one allocation. nodes[] starts with the root
 * reference of each tree, in lookup order; tree_first[] is the lowest
 * rule position each tree holds: a lookup skips a tree that cannot beat
 * the match it has. Forest f's trees are those from forest[f] to
 * forest[f + 1].
 */
struct nv_fwc {
	const struct fwc_rule *rules;
	const struct fwc_ivl *ivls;
	const struct fwc_set *sets;
	const struct fwc_dtab *tabs;
	const struct fwc_dslot *slots;
	const u32 *nodes;
	const u32 *leaves;
	const u32 *tree_first;
	u32 nrules;
	u32 forest[FORESTS + 1];
	struct nv_fwc_stats st;
	u64 data[];
};

/*
 * An inner node, in nodes[]: a header word, then 2^k child references.
 * The header names the key word cut and the two shifts that leave its k
 * bits, a byte each: a lookup loads them rather than decoding a packed
 * word (four instructions fewer per level).
 */
struct fwc_node {
	u8 word;
	u8 shl;
	u8 shr;
	u8 zero;
	u32 child[];
};

#endif /* _NV_FW_CLS_PRIV_H */
