// SPDX-License-Identifier: GPL-2.0
/*
 * The firewall's compiled classifier: decision trees over the packet key.
 *
 * A rule set is a list of value/mask matches over a 296-bit key (two
 * addresses, slot, protocol, ports, ICMP type), plus port ranges and sets
 * (address groups, port groups). A linear scan costs one test per rule;
 * the trees make the cost depend on how many rules overlap at a packet,
 * not on how many there are.
 *
 * Forests: a key's two addresses are of one family, so IPv4 keys and IPv6
 * keys each get their own trees, holding the rules that can match them: a
 * group of both families is cut as its IPv4 prefixes in one and as its
 * IPv6 prefixes in the other, and no cut is spent telling the families
 * apart. A key mixing families (no packet has one) is looked up by testing
 * every rule.
 *
 * Destination tables: most rules name one VM or one subnet as their
 * destination. The destination prefix lengths most rules name (up to
 * eight, each of at least eight rules) get a hash table each, keyed by the
 * masked destination; a slot holds one prefix's own small tree and its
 * best rule. A table takes the place of a tree in the order below: a
 * lookup masks the destination, probes the table and descends the tree it
 * finds, if that tree's best rule can beat the match it has.
 *
 * Categories (EffiCuts, Vamanan et al., SIGCOMM 2010): a decision tree
 * must copy a rule into every child of a cut on a field the rule leaves
 * open, and a few such rules make a tree explode. So rules are split by
 * the first field they are specific on: destination host, destination
 * prefix, source, port slot, destination port, or none; each category gets
 * its own tree and its cuts mostly fall on fields its rules fix. A lookup
 * descends every tree whose best rule can beat the match it has: priority
 * order is kept across trees with one comparison per tree. The trees of
 * the broadest rules come first (none, then destination port): a packet
 * most likely matches one of their rules, and the best match it has then
 * ends each leaf scan of the other trees at the first entry that cannot
 * beat it. Visited in the order of their best rules instead, which with
 * random priorities are all near the top, the trees would each be scanned
 * up to their own first match.
 *
 * Cuts (HiCuts, Gupta and McKeown; HyperCuts): an inner node takes up to
 * NV_FWC_STRIDE bits of one key word and indexes 2^k children with them,
 * so a level costs a load, two shifts and a load. The builder judges each
 * field's cut on a sample of the node's rules: it starts where the rules
 * split about evenly (skipping bits the cuts above or the forest fixed),
 * narrows it until the children hold at most a few times the node's
 * references (the space factor; a group's rule counts as its prefixes),
 * and takes the cut whose most crowded child is smallest; a cut that
 * leaves that child more than two thirds of the rules is not made.
 * Children with the same rules share one subtree. A node of
 * NV_FWC_LEAF_RULES rules or fewer, or one no cut improves, is a leaf: its
 * rules, in priority order, each tested in full, so a leaf scan ends at
 * the first match or the first rule worse than one already found.
 *
 * Sets: the trees see a group or port group of few prefixes as those
 * prefixes, so it is placed only where it can match; a leaf entry tells
 * whether its rule's set must still be looked up (a binary search of the
 * set's disjoint intervals) or the cuts above already proved it. Port
 * ranges are cut as their covering prefixes and tested as a range.
 *
 * Costs: a lookup is a key load, then per tree of its forest a table probe
 * if it is one, the descent (at most NV_FWC_MAX_DEPTH levels) and a leaf
 * scan. Memory is the compiled rules (104 bytes each), the set intervals,
 * the tables (two to four slots per prefix), and the trees: each may take
 * NV_FWC_TREE_WORDS words per rule it holds (a category's tree also a
 * share of NV_FWC_TREE_WORDS_MIN): past that, its nodes are not cut any
 * more and their leaves stay long (stats.degraded): lookups slow down,
 * memory does not grow, and no tree starves another. A build is a sort,
 * then per node a few passes over a sample of its rules and one over all
 * of them: about the number of references the trees hold, times a small
 * constant.
 */
#include <asm/byteorder.h>
#include <linux/bitops.h>
#include <linux/compiler.h>
#include <linux/slab.h>

#include "fw_cls_priv.h"

/* Lookup */

/* The key, as the rules see it. */
struct fwc_pkt {
	u64 w[WORDS];
	u16 port[2];
};

static __always_inline void pkt_load(struct fwc_pkt *p,
				     const struct nv_fwc_key *key)
{
	addr_words(&key->src, p->w);
	addr_words(&key->dst, p->w + 2);
	p->w[W_MISC] = (u64)key->slot << (64 - SLOT_OFF - SLOT_BITS) |
		       (u64)key->proto << (64 - PROTO_OFF - 8) |
		       (u64)key->sport << (64 - SPORT_OFF - 16) |
		       (u64)key->dport << (64 - DPORT_OFF - 16) |
		       (u64)key->icmp_type << (64 - TYPE_OFF - 8);
	p->port[0] = key->sport;
	p->port[1] = key->dport;
}

/* Slot, protocol and type first: they turn most candidates away. */
static __always_inline bool rule_match(const struct fwc_rule *r,
				       const struct fwc_pkt *p)
{
	if ((p->w[W_MISC] ^ r->val[W_MISC]) & r->mask[W_MISC])
		return false;
	if (((p->w[2] ^ r->val[2]) & r->mask[2]) |
	    ((p->w[3] ^ r->val[3]) & r->mask[3]))
		return false;
	if (((p->w[0] ^ r->val[0]) & r->mask[0]) |
	    ((p->w[1] ^ r->val[1]) & r->mask[1]))
		return false;
	return (u16)(p->port[0] - r->port[0].lo) <= r->port[0].span &&
	       (u16)(p->port[1] - r->port[1].lo) <= r->port[1].span;
}

static __always_inline bool w128_le(const u64 *a, const u64 *b)
{
	return a[0] < b[0] || (a[0] == b[0] && a[1] <= b[1]);
}

/* Whether a set holds @x: the last interval starting at or below it. */
static bool set_has(const struct nv_fwc *c, u32 set, const u64 *x)
{
	const struct fwc_ivl *v = c->ivls + c->sets[set].first;
	u32 lo = 0, hi = c->sets[set].n;

	while (hi - lo > 1) {
		u32 mid = (lo + hi) / 2;

		if (w128_le(v[mid].lo, x))
			lo = mid;
		else
			hi = mid;
	}
	return w128_le(v[lo].lo, x) && w128_le(x, v[lo].hi);
}

/* The sets a leaf entry says its rule must still be checked against. */
static bool sets_match(const struct nv_fwc *c, const struct fwc_rule *r,
		       u32 e, const struct fwc_pkt *p)
{
	u64 slot[2] = { p->w[W_MISC] & GENMASK_ULL(63, 64 - SLOT_BITS), 0 };

	if ((e & E_SET(S_SRC)) && !set_has(c, r->set[S_SRC], p->w))
		return false;
	if ((e & E_SET(S_DST)) && !set_has(c, r->set[S_DST], p->w + 2))
		return false;
	return !(e & E_SET(S_SLOT)) || set_has(c, r->set[S_SLOT], slot);
}

/*
 * The first rule of a leaf the packet matches, if it comes before @best;
 * entries are in rule order, and the end mark comes after every rule.
 */
static u32 leaf_scan(const struct nv_fwc *c, const u32 *leaf,
		     const struct fwc_pkt *p, u32 best)
{
	for (;; leaf++) {
		u32 e = *leaf, pos = e & E_POS;
		const struct fwc_rule *r;

		if (pos >= best)
			return best;
		r = &c->rules[pos];
		if (rule_match(r, p) && (!(e & E_SETS) || sets_match(c, r, e, p)))
			return pos;
	}
}

/* The leaf the packet reaches from @ref. */
static __always_inline u32 tree_leaf(const struct nv_fwc *c, u32 ref,
				     const struct fwc_pkt *p)
{
	while (!(ref & REF_LEAF)) {
		const struct fwc_node *n = (const void *)&c->nodes[ref];

		ref = n->child[(p->w[n->word] << n->shl) >> n->shr];
	}
	return ref & ~REF_LEAF;
}

/* The subtree of a table for the packet's destination, or an empty leaf. */
static u32 tab_find(const struct nv_fwc *c, u32 tab, const struct fwc_pkt *p,
		    u32 best)
{
	const struct fwc_dtab *d = &c->tabs[tab];
	u64 a = p->w[2] & d->mask[0], b = p->w[3] & d->mask[1];
	u32 h = dtab_hash(a, b, d->hmask);

	for (;; h = (h + 1) & d->hmask) {
		const struct fwc_dslot *s = &c->slots[d->slot + h];

		if (s->first == U32_MAX)
			return EMPTY_LEAF;
		if (s->val[0] == a && s->val[1] == b)
			return s->first < best ? s->ref : EMPTY_LEAF;
	}
}

/*
 * A key mixing an IPv4 and an IPv6 address, which no packet has: every
 * rule in turn.
 */
static u32 scan_all(const struct nv_fwc *c, const struct fwc_pkt *p)
{
	u32 pos, s, e;

	for (pos = 0; pos < c->nrules; pos++) {
		const struct fwc_rule *r = &c->rules[pos];

		for (e = 0, s = 0; s < SETS; s++)
			if (r->set[s] != NO_SET)
				e |= E_SET(s);
		if (rule_match(r, p) && (!e || sets_match(c, r, e, p)))
			break;
	}
	return pos;
}

/**
 * nv_fwc_lookup() - the first rule a packet matches
 * @c: classifier from nv_fwc_build(), under rcu_read_lock()
 * @key: the packet
 *
 * Return: the rule's index in the array given to nv_fwc_build(), or -1
 * when no rule matches.
 */
int nv_fwc_lookup(const struct nv_fwc *c, const struct nv_fwc_key *key)
{
	u32 best = c->nrules, t, end;
	struct fwc_pkt p;
	bool v4;

	pkt_load(&p, key);
	v4 = addr_is_v4(p.w);
	if (unlikely(v4 != addr_is_v4(p.w + 2))) {
		best = scan_all(c, &p);
		goto out;
	}
	end = c->forest[v4 ? F_V4 + 1 : F_V6 + 1];
	for (t = c->forest[v4 ? F_V4 : F_V6]; t < end; t++) {
		u32 ref = c->nodes[t];

		if (c->tree_first[t] >= best)
			continue;
		if (ref & REF_TAB)
			ref = tab_find(c, ref & ~REF_TAB, &p, best);
		best = leaf_scan(c, &c->leaves[tree_leaf(c, ref, &p)], &p,
				 best);
	}
out:
	return best < c->nrules ? c->rules[best].index : -1;
}

/**
 * nv_fwc_free() - free a classifier
 * @c: from nv_fwc_build(), or NULL; no reader may still use it
 */
void nv_fwc_free(struct nv_fwc *c)
{
	kvfree(c);
}

/**
 * nv_fwc_bytes() - the memory a classifier takes
 * @c: from nv_fwc_build()
 *
 * Return: allocated bytes, rounded up as the allocator does.
 */
size_t nv_fwc_bytes(const struct nv_fwc *c)
{
	return c->st.bytes;
}

/**
 * nv_fwc_stats() - the shape of a classifier
 * @c: from nv_fwc_build()
 * @st: filled in
 */
void nv_fwc_stats(const struct nv_fwc *c, struct nv_fwc_stats *st)
{
	*st = c->st;
}
