// SPDX-License-Identifier: GPL-2.0
/*
 * The firewall classifier's builder: rules to decision trees. It checks
 * and compiles the rules and sorts them into categories here, compiles
 * the sets they name (fw_cls_set.c), makes the trees (fw_cls_tree.c,
 * cut by fw_cls_cut.c) and lays the whole out in one allocation. See
 * fw_cls.c for the algorithm and its costs.
 */
#include <linux/bitops.h>
#include <linux/build_bug.h>
#include <linux/err.h>
#include <linux/in.h>
#include <linux/minmax.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

#include "fw_cls_build.h"
#include "limits.h"

/* A category's field counts as specific from this many bits. */
#define SPECIFIC_BITS	8

/* A destination prefix length gets a table from this many rules on. */
#define TAB_MIN		8

/* Rules */

static int addr_check(const struct nv_fwc_addr *a)
{
	if (a->group)
		return a->group->n > NV_FWC_MAX_GROUP ? -E2BIG : 0;
	return a->pfx.len > 128 ? -EINVAL : 0;
}

/* Group members and port group slots are checked as sets are built. */
static int rule_check(const struct nv_fwc_rule *r)
{
	u32 f = r->flags;

	if (f & ~NV_FWC_F_ALL)
		return -EINVAL;
	if ((f & (NV_FWC_F_SPORT | NV_FWC_F_DPORT)) &&
	    (!(f & NV_FWC_F_PROTO) || !nv_proto_has_ports(r->proto)))
		return -EINVAL;
	if (((f & NV_FWC_F_SPORT) && r->sport.lo > r->sport.hi) ||
	    ((f & NV_FWC_F_DPORT) && r->dport.lo > r->dport.hi))
		return -EINVAL;
	if ((f & NV_FWC_F_TYPE) && (!(f & NV_FWC_F_PROTO) ||
				    (r->proto != IPPROTO_ICMP &&
				     r->proto != IPPROTO_ICMPV6)))
		return -EINVAL;
	if (!r->slots && (f & NV_FWC_F_SLOT) && r->slot >= NV_MAX_PORTS)
		return -EINVAL;
	return addr_check(&r->src) ?: addr_check(&r->dst);
}

/* Rules by priority, then handle. */
static int ord_cmp(const void *a, const void *b)
{
	const struct bord *x = a, *y = b;

	if (x->prio != y->prio)
		return x->prio < y->prio ? -1 : 1;
	if (x->handle != y->handle)
		return x->handle < y->handle ? -1 : 1;
	return 0;
}

/* The rules in (prio, handle) order; two may not share both. */
static int rules_order(struct fwc_bld *b)
{
	u32 i;
	int ret;

	for (i = 0; i < b->nin; i++) {
		ret = rule_check(&b->in[i]);
		if (ret)
			return ret;
	}
	b->ord = kvmalloc_array(max(b->nin, 1U), sizeof(*b->ord), b->gfp);
	if (!b->ord)
		return -ENOMEM;
	for (i = 0; i < b->nin; i++) {
		b->ord[i].prio = b->in[i].prio;
		b->ord[i].handle = b->in[i].handle;
		b->ord[i].index = i;
	}
	sort(b->ord, b->nin, sizeof(*b->ord), ord_cmp, NULL);
	for (i = 1; i < b->nin; i++)
		if (!ord_cmp(&b->ord[i - 1], &b->ord[i]))
			return -EINVAL;
	return 0;
}

/*
 * A set as the rule's: none when it is empty (the rule is dropped), a
 * plain value when it is one prefix, else a set and, when it is small
 * enough, a prefix list for the trees.
 */
static bool set_use(const struct fwc_bld *b, u32 id, u32 s,
		    struct fwc_rule *r, struct brule *br)
{
	u32 w = bset_word(s), j;

	if (!b->sets[id].n)
		return false;
	if (b->set_npfx[id] == 1) {
		const struct bpfx *p = &b->pfx[b->set_pfx[id]];

		for (j = 0; j < bset_words(s); j++) {
			r->val[w + j] |= p->val[j];
			r->mask[w + j] |= p->mask[j];
		}
		return true;
	}
	r->set[s] = id;
	if (b->set_npfx[id]) {
		br->lists |= BIT(s);
		br->pfx[s] = b->set_pfx[id];
		br->npfx[s] = b->set_npfx[id];
	}
	return true;
}

static void prefix_compile(const struct nv_fwc_prefix *p, u64 *val,
			   u64 *mask)
{
	addr_words(&p->addr, val);
	prefix_mask(p->len, mask);
	val[0] &= mask[0];
	val[1] &= mask[1];
}

/* A port range: tested as a range, cut as its prefixes or one prefix. */
static void ports_compile(const struct nv_fwc_range *range, bool on, u32 i,
			  struct fwc_rule *r, struct brule *br)
{
	u32 off = i ? DPORT_OFF : SPORT_OFF, shift = 48 - off;
	u32 size = (u32)range->hi - range->lo + 1;

	r->port[i].lo = on ? range->lo : 0;
	r->port[i].span = on ? range->hi - range->lo : U16_MAX;
	if (!on || size == BIT(16))
		return;
	if (size & (size - 1) || range->lo & (size - 1)) {
		br->lists |= BIT(S_SPORT + i);
		return;
	}
	r->val[W_MISC] |= (u64)range->lo << shift;
	r->mask[W_MISC] |= (u64)(U16_MAX & ~(size - 1)) << shift;
}

static void misc_compile(const struct nv_fwc_rule *in, struct fwc_rule *r,
			 struct brule *br)
{
	if (in->flags & NV_FWC_F_PROTO) {
		r->val[W_MISC] |= (u64)in->proto << (56 - PROTO_OFF);
		r->mask[W_MISC] |= 0xffULL << (56 - PROTO_OFF);
	}
	if (in->flags & NV_FWC_F_TYPE) {
		r->val[W_MISC] |= (u64)in->icmp_type << (56 - TYPE_OFF);
		r->mask[W_MISC] |= 0xffULL << (56 - TYPE_OFF);
	}
	if (!in->slots && (in->flags & NV_FWC_F_SLOT)) {
		r->val[W_MISC] |= (u64)in->slot << (64 - SLOT_BITS);
		r->mask[W_MISC] |= GENMASK_ULL(63, 64 - SLOT_BITS);
	}
	ports_compile(&in->sport, in->flags & NV_FWC_F_SPORT, 0, r, br);
	ports_compile(&in->dport, in->flags & NV_FWC_F_DPORT, 1, r, br);
}

/* Compiles the rule at sorted position @i; false: it never matches. */
static bool rule_compile(const struct fwc_bld *b, u32 i, struct fwc_rule *r,
			 struct brule *br)
{
	const struct nv_fwc_rule *in = &b->in[b->ord[i].index];
	const struct nv_fwc_addr *addr[2] = { &in->src, &in->dst };
	u32 s;

	memset(r, 0, sizeof(*r));
	memset(br, 0, sizeof(*br));
	r->index = b->ord[i].index;
	for (s = 0; s < SETS; s++)
		r->set[s] = NO_SET;
	for (s = S_SRC; s <= S_DST; s++) {
		if (!addr[s]->group)
			prefix_compile(&addr[s]->pfx, &r->val[bset_word(s)],
				       &r->mask[bset_word(s)]);
		else if (!set_use(b, b->setid[i * SETS + s], s, r, br))
			return false;
	}
	if (in->slots && !set_use(b, b->setid[i * SETS + S_SLOT], S_SLOT, r,
				  br))
		return false;
	misc_compile(in, r, br);
	return true;
}

/* Categories */

/* Address bits a rule's prefix fixes, not counting an IPv4 prefix's 96. */
static u32 addr_bits(const struct fwc_rule *r, u32 w)
{
	u32 bits = hweight64(r->mask[w]) + hweight64(r->mask[w + 1]);

	if (bits >= 96 && !r->val[w] && r->val[w + 1] >> 32 == 0xffff)
		bits -= 96;
	return bits;
}

static bool addr_specific(const struct fwc_rule *r, const struct brule *br,
			  u32 s)
{
	if (r->set[s] != NO_SET)
		return br->lists & BIT(s);
	return addr_bits(r, bset_word(s)) >= SPECIFIC_BITS;
}

/*
 * A rule's tree: the first of destination, source, slot and destination
 * port it is specific on, so that no tree cuts a field most of its rules
 * leave open.
 */
static u8 rule_category(const struct fwc_rule *r, const struct brule *br)
{
	if (!~(r->mask[2] & r->mask[3]))
		return C_HOST;
	if (addr_specific(r, br, S_DST))
		return C_DST;
	if (addr_specific(r, br, S_SRC))
		return C_SRC;
	if (r->set[S_SLOT] != NO_SET ||
	    (r->mask[W_MISC] & GENMASK_ULL(63, 64 - SLOT_BITS)))
		return C_SLOT;
	if (r->port[1].span < BIT(16 - SPECIFIC_BITS / 2))
		return C_DPORT;
	return C_REST;
}

/* Whether [lo, hi] meets, and whether it leaves, the IPv4-mapped space. */
static u8 ivl_forests(const u64 *lo, const u64 *hi)
{
	static const u64 v4_lo[2] = { 0, V4_HI }, v4_hi[2] = { 0, ~V4_HI_MASK | V4_HI };
	u8 f = 0;

	if (!w128_lt(hi, v4_lo) && !w128_lt(v4_hi, lo))
		f |= BIT(F_V4);
	if (w128_lt(lo, v4_lo) || w128_lt(v4_hi, hi))
		f |= BIT(F_V6);
	return f;
}

/* The key families an address field of a rule may match. */
static u8 addr_forests(const struct fwc_bld *b, const struct fwc_rule *r,
		       u32 s)
{
	u32 w = bset_word(s), i;
	u64 lo[2], hi[2];
	u8 f = 0;

	if (r->set[s] != NO_SET) {
		const struct fwc_set *set = &b->sets[r->set[s]];

		for (i = 0; i < set->n; i++)
			f |= ivl_forests(b->ivls[set->first + i].lo,
					 b->ivls[set->first + i].hi);
		return f;
	}
	for (i = 0; i < 2; i++) {
		lo[i] = r->val[w + i] & r->mask[w + i];
		hi[i] = r->val[w + i] | ~r->mask[w + i];
	}
	return ivl_forests(lo, hi);
}

/* A rule's destination prefix length, if a table may hold it; else -1. */
static int rule_dst_len(const struct fwc_rule *r)
{
	if (r->set[S_DST] != NO_SET || addr_bits(r, 2) < SPECIFIC_BITS)
		return -1;
	return hweight64(r->mask[2]) + hweight64(r->mask[3]);
}

/*
 * The destination prefix lengths most rules name get a table each: the
 * rules move there from their category's tree.
 */
static void tabs_choose(struct fwc_bld *b)
{
	u32 cnt[129] = {}, i, t, best;
	signed char tab[129];
	int len;

	memset(tab, -1, sizeof(tab));
	for (i = 0; i < b->nrules; i++) {
		len = rule_dst_len(&b->rules[i]);
		if (len >= 0)
			cnt[len]++;
	}
	for (t = 0; t < TABS; t++) {
		best = 0;
		for (i = 1; i <= 128; i++)
			if (tab[i] < 0 && cnt[i] > cnt[best])
				best = i;
		if (cnt[best] < TAB_MIN || tab[best] >= 0)
			break;
		tab[best] = t;
		prefix_mask(best, b->tabs[t].mask);
		b->ntabs++;
	}
	for (i = 0; i < b->nrules; i++) {
		len = rule_dst_len(&b->rules[i]);
		if (len >= 0 && tab[len] >= 0)
			b->br[i].cat = CATS + tab[len];
	}
}

static int rules_build(struct fwc_bld *b)
{
	u32 i, n = max(b->nin, 1U);

	b->rules = kvmalloc_array(n, sizeof(*b->rules), b->gfp);
	b->br = kvmalloc_array(n, sizeof(*b->br), b->gfp);
	if (!b->rules || !b->br)
		return -ENOMEM;
	for (i = 0; i < b->nin; i++) {
		struct fwc_rule *r = &b->rules[b->nrules];
		struct brule *br = &b->br[b->nrules];

		if (!rule_compile(b, i, r, br))
			continue;
		br->cat = rule_category(r, br);
		br->forests = addr_forests(b, r, S_SRC) & addr_forests(b, r, S_DST);
		b->nrules++;
		if (!(i % 1024))
			cond_resched();
	}
	tabs_choose(b);
	return 0;
}

/* The classifier */

/* Copies @size bytes to *@at, which it moves past them. */
static const void *put(u8 **at, const void *src, size_t size)
{
	void *dst = *at;

	if (size)
		memcpy(dst, src, size);
	*at += size;
	return dst;
}

static struct nv_fwc *bld_finish(struct fwc_bld *b)
{
	size_t rules = (size_t)b->nrules * sizeof(*b->rules);
	size_t ivls = (size_t)b->nivls * sizeof(*b->ivls);
	size_t sets = (size_t)b->nsets * sizeof(*b->sets);
	size_t tabs = (size_t)FORESTS * b->ntabs * sizeof(*b->tabs);
	size_t slots = (size_t)b->slots.n * sizeof(*b->slots.v);
	size_t words = (size_t)b->nodes.n + b->leaves.n + b->ntrees;
	size_t size = sizeof(struct nv_fwc) + rules + ivls + tabs + slots +
		      sets + 4 * words;
	struct nv_fwc *c = kvmalloc(size, b->gfp);
	u8 *at;

	if (!c)
		return ERR_PTR(-ENOMEM);
	at = (u8 *)c->data;
	c->rules = put(&at, b->rules, rules);
	c->ivls = put(&at, b->ivls, ivls);
	c->tabs = put(&at, b->tabs, tabs);
	c->slots = put(&at, b->slots.v, slots);
	c->sets = put(&at, b->sets, sets);
	c->nodes = put(&at, b->nodes.v, b->nodes.n * sizeof(u32));
	c->leaves = put(&at, b->leaves.v, b->leaves.n * sizeof(u32));
	c->tree_first = put(&at, b->tree_first, b->ntrees * sizeof(u32));
	c->nrules = b->nrules;
	memcpy(c->forest, b->forest, sizeof(c->forest));
	c->st = b->st;
	c->st.rules = b->nrules;
	c->st.trees = b->ntrees;
	c->st.bytes = kmalloc_size_roundup(size);
	return c;
}

static void bld_free(struct fwc_bld *b)
{
	kvfree(b->ord);
	kvfree(b->setid);
	kvfree(b->rules);
	kvfree(b->br);
	kvfree(b->ivls);
	kvfree(b->sets);
	kvfree(b->set_pfx);
	kvfree(b->set_npfx);
	kvfree(b->pfx);
	nv_array_free(&b->nodes);
	nv_array_free(&b->leaves);
	nv_array_free(&b->pool);
	nv_array_free(&b->stack);
	nv_array_free(&b->slots);
	kvfree(b);
}

/**
 * nv_fwc_build() - compile rules into a classifier
 * @rules: the rules, in any order; read during the call only
 * @n: how many, at most NV_FWC_MAX_RULES
 * @gfp: allocation flags, for process context
 *
 * Rules that can never match (an empty address group, an empty port
 * group) are left out. The classifier returned owns all it uses.
 *
 * Context: process context; may sleep if @gfp allows.
 * Return: the classifier; ERR_PTR(-EINVAL) for an invalid rule (a field
 * without the protocol it needs, a bad range, prefix or slot, or two
 * rules of the same priority and handle), ERR_PTR(-E2BIG) for too many
 * rules, group prefixes or members, ERR_PTR(-ENOMEM).
 */
struct nv_fwc *nv_fwc_build(const struct nv_fwc_rule *rules, unsigned int n,
			    gfp_t gfp)
{
	struct nv_fwc *c;
	struct fwc_bld *b;
	int ret;

	/* A position, and the rule count a scan starts from, beat E_END. */
	BUILD_BUG_ON(NV_FWC_MAX_RULES >= E_END);
	/* A node's header is one word of nodes[], its children the next. */
	BUILD_BUG_ON(sizeof(struct fwc_node) != sizeof(u32));
	if (n > NV_FWC_MAX_RULES)
		return ERR_PTR(-E2BIG);
	b = kvcalloc(1, sizeof(*b), gfp);
	if (!b)
		return ERR_PTR(-ENOMEM);
	b->gfp = gfp;
	b->in = rules;
	b->nin = n;
	ret = rules_order(b) ?: fwc_sets_build(b) ?: rules_build(b) ?:
	      fwc_trees_build(b);
	c = ret ? ERR_PTR(ret) : bld_finish(b);
	bld_free(b);
	return c;
}
