// SPDX-License-Identifier: GPL-2.0
/*
 * The firewall classifier's builder: rules to decision trees. See
 * fw_cls.c for the algorithm and its costs.
 */
#include <linux/bitops.h>
#include <linux/build_bug.h>
#include <linux/err.h>
#include <linux/in.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

#include "array.h"
#include "fw_cls_priv.h"
#include "limits.h"

/* A set of more prefixes than this is a wildcard to the trees. */
#define SET_PFX_MAX	64

/*
 * A cut may put this many times the node's rule references (a rule
 * counting as the prefixes of its list on the field cut) in its
 * children, and must leave the most crowded one with 1/PROGRESS of them
 * fewer: a third, so that rules no cut separates end in a leaf soon
 * instead of being copied down many levels, while a cut that sets a
 * third of the rules apart (one protocol, one subnet) is still made.
 */
#define SPACE_FACTOR	4
#define PROGRESS	3

/*
 * Rules of a node a cut is judged on, at most (a larger sample judges
 * the upper nodes no better and costs every node); bits to count them.
 */
#define EVAL_SAMPLE	32
#define COUNT_SLICES	8

/*
 * Categories, and so trees: by the first of four fields a rule is
 * specific on, a destination host apart.
 */
enum { C_HOST, C_DST, C_SRC, C_SLOT, C_DPORT, C_REST, CATS };

/* A category's field counts as specific from this many bits. */
#define SPECIFIC_BITS	8

/*
 * Destination tables: at most this many, one per prefix length that at
 * least TAB_MIN rules name as their destination.
 */
#define TABS		8
#define TAB_MIN		8

#define CHILDREN	BIT(NV_FWC_STRIDE)
#define BM_WORDS	(CHILDREN / 64)
#define DEDUP_SLOTS	(2 * CHILDREN)
#define STACK_MAX	((NV_FWC_MAX_DEPTH + 1) * CHILDREN + CATS)

/* Where a set-like field lies in the key: first word, and how many. */
static const u8 bset_word[BSETS] = { 0, 2, W_MISC, W_MISC, W_MISC };
static const u8 bset_words[BSETS] = { 2, 2, 1, 1, 1 };

/*
 * What a node may cut: the fields, each within one key word. A cut never
 * crosses from one field to the next.
 */
struct fwc_seg {
	u8 word;
	u8 off;
	u8 bits;
	u8 bset;	/* S_*, or BSETS: a plain value */
};

static const struct fwc_seg segs[] = {
	{ 2, 0, 64, S_DST }, { 3, 0, 64, S_DST },
	{ 0, 0, 64, S_SRC }, { 1, 0, 64, S_SRC },
	{ W_MISC, SLOT_OFF, SLOT_BITS, S_SLOT },
	{ W_MISC, PROTO_OFF, 8, BSETS },
	{ W_MISC, SPORT_OFF, 16, S_SPORT },
	{ W_MISC, DPORT_OFF, 16, S_DPORT },
	{ W_MISC, TYPE_OFF, 8, BSETS },
};

/* A prefix in the words of its field: a value and a mask. */
struct bpfx {
	u64 val[2];
	u64 mask[2];
};

/*
 * The packets that reach a node: key bits fixed by the cuts above (and
 * by the forest: IPv4 keys), and whether they are IPv6 keys.
 */
struct cube {
	u64 val[WORDS];
	u64 mask[WORDS];
	bool v6;
};

/* A cut: @bits key bits from bit @shift (from the top) of @word. */
struct cut {
	u8 word;
	u8 shift;
	u8 bits;
	u8 bset;
};

/* What the builder knows of a rule beyond its compiled form. */
struct brule {
	u32 pfx[SETS];		/* a set's prefixes, in b->pfx */
	u8 npfx[SETS];
	u8 lists;		/* BIT(S_*): the field is a prefix list */
	u8 cat;
	u8 forests;		/* BIT(F_*): keys of that family it may match */
};

/* A distinct group or slot set, and a rule's use of one. */
struct bset {
	const void *obj;
	u32 pos;		/* the user, by sorted position */
	u8 kind;		/* S_* of the use */
	u32 id;
};

/* A rule in (prio, handle) order. */
struct bord {
	u32 prio;
	u32 handle;
	u32 index;
};

/* A node whose children are still to be made. */
struct pending {
	struct cube cube;
	struct cut cut;
	u32 list;		/* its rules, in b->pool */
	u32 n;
	u32 pool_end;		/* the pool's top when it was made */
	u32 node;		/* its header, in b->nodes */
	u32 depth;		/* inner nodes down to it, itself included */
	u64 reserve;		/* words its children may take */
};

struct fwc_bld {
	gfp_t gfp;
	const struct nv_fwc_rule *in;
	u32 nin;
	struct bord *ord;
	u32 *setid;		/* by sorted position and S_* */
	struct fwc_rule *rules;
	struct brule *br;
	u32 nrules;
	struct fwc_ivl *ivls;
	u32 nivls;
	struct fwc_set *sets;
	u32 nsets;
	u32 *set_pfx;		/* a set's prefixes for the trees, in pfx */
	u8 *set_npfx;		/* how many; 0: too many, or none */
	struct bpfx *pfx;
	u32 npfx;
	NV_DECLARE_ARRAY(nodes, u32);
	NV_DECLARE_ARRAY(leaves, u32);
	NV_DECLARE_ARRAY(pool, u32);
	NV_DECLARE_ARRAY(stack, struct pending);
	u64 budget;
	u64 reserved;		/* words pending nodes may still take */
	u32 tree_first[FORESTS * (CATS + TABS)];
	u32 ntrees;
	u32 forest[FORESTS + 1];
	struct fwc_dtab tabs[FORESTS * TABS];
	u32 ntabs;
	NV_DECLARE_ARRAY(slots, struct fwc_dslot);
	struct nv_fwc_stats st;
	u32 ecnt[CHILDREN];	/* cut_eval()'s */
	u32 scnt[CHILDREN];	/* node_split()'s */
	u32 soff[CHILDREN];
	u32 sref[CHILDREN];
	u64 sown[BM_WORDS];	/* children whose cube some rule's list sees */
	u32 dedup_gen;
	u32 dedup_tag[DEDUP_SLOTS];
	u16 dedup_child[DEDUP_SLOTS];
};

/* 128-bit values as two words, high first */

static bool w128_lt(const u64 *a, const u64 *b)
{
	return a[0] < b[0] || (a[0] == b[0] && a[1] < b[1]);
}

/* Whether @b comes right after @a, or inside [.., a]. */
static bool w128_touches(const u64 *a, const u64 *b)
{
	u64 next[2] = { a[0] + !(a[1] + 1), a[1] + 1 };

	if (a[0] == ~0ULL && a[1] == ~0ULL)
		return true;
	return !w128_lt(next, b);
}

static void prefix_mask(u32 len, u64 *mask)
{
	mask[0] = len >= 64 ? ~0ULL : len ? ~0ULL << (64 - len) : 0;
	mask[1] = len >= 128 ? ~0ULL : len > 64 ? ~0ULL << (128 - len) : 0;
}

static void prefix_ivl(const struct nv_fwc_prefix *p, struct fwc_ivl *v)
{
	u64 mask[2];
	int i;

	prefix_mask(p->len, mask);
	addr_words(&p->addr, v->lo);
	for (i = 0; i < 2; i++) {
		v->lo[i] &= mask[i];
		v->hi[i] = v->lo[i] | ~mask[i];
	}
}

/* A port slot as the lookup sees it: an interval of misc word values. */
static void slot_ivl(u16 slot, struct fwc_ivl *v)
{
	v->lo[0] = (u64)slot << (64 - SLOT_BITS);
	v->lo[1] = 0;
	v->hi[0] = v->lo[0] | GENMASK_ULL(63 - SLOT_BITS, 0);
	v->hi[1] = ~0ULL;
}

static int ivl_cmp(const void *a, const void *b)
{
	const struct fwc_ivl *x = a, *y = b;

	if (w128_lt(x->lo, y->lo))
		return -1;
	if (w128_lt(y->lo, x->lo))
		return 1;
	/* The wider first: it covers those after it. */
	return w128_lt(y->hi, x->hi) ? -1 : w128_lt(x->hi, y->hi);
}

/* Sets */

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

/* Uses of sets by object, so that each is compiled once. */
static int bset_cmp(const void *a, const void *b)
{
	const struct bset *x = a, *y = b;
	bool xs = x->kind == S_SLOT, ys = y->kind == S_SLOT;

	if (x->obj != y->obj)
		return (unsigned long)x->obj < (unsigned long)y->obj ? -1 : 1;
	return xs - ys;
}

/* The members of a group or slot set as intervals, sorted. */
static int set_spans(const struct bset *s, struct fwc_ivl *v, u32 *n)
{
	u32 i;

	if (s->kind == S_SLOT) {
		const struct nv_fwc_slots *g = s->obj;

		for (i = 0; i < g->n; i++) {
			if (g->slot[i] >= NV_MAX_PORTS)
				return -EINVAL;
			slot_ivl(g->slot[i], &v[i]);
		}
		*n = g->n;
	} else {
		const struct nv_fwc_group *g = s->obj;

		for (i = 0; i < g->n; i++) {
			if (g->pfx[i].len > 128)
				return -EINVAL;
			prefix_ivl(&g->pfx[i], &v[i]);
		}
		*n = g->n;
	}
	sort(v, *n, sizeof(*v), ivl_cmp, NULL);
	return 0;
}

/* Whether the last prefix kept, @p, covers the interval @v. */
static bool pfx_covers(const struct bpfx *p, const struct fwc_ivl *v)
{
	u64 hi[2] = { p->val[0] | ~p->mask[0], p->val[1] | ~p->mask[1] };

	return !w128_lt(hi, v->hi);
}

static void ivl_add(struct fwc_bld *b, struct fwc_set *set,
		    const struct fwc_ivl *v)
{
	struct fwc_ivl *last = &b->ivls[b->nivls - 1];

	if (set->n && w128_touches(last->hi, v->lo)) {
		if (w128_lt(last->hi, v->hi))
			memcpy(last->hi, v->hi, sizeof(last->hi));
		return;
	}
	b->ivls[b->nivls++] = *v;
	set->n++;
}

/*
 * A set's intervals for lookups, merged, and its prefixes for the trees,
 * without those others cover: both from its members sorted.
 */
static int set_compile(struct fwc_bld *b, u32 id, const struct bset *s,
		       struct fwc_ivl *tmp)
{
	struct fwc_set *set = &b->sets[id];
	u32 i, j, n, kept = 0;
	int ret = set_spans(s, tmp, &n);

	if (ret)
		return ret;
	set->first = b->nivls;
	set->n = 0;
	b->set_pfx[id] = b->npfx;
	for (i = 0; i < n; i++) {
		ivl_add(b, set, &tmp[i]);
		if (kept > SET_PFX_MAX ||
		    (kept && pfx_covers(&b->pfx[b->npfx - 1], &tmp[i])))
			continue;
		if (++kept > SET_PFX_MAX)
			continue;
		for (j = 0; j < 2; j++) {
			b->pfx[b->npfx].val[j] = tmp[i].lo[j];
			b->pfx[b->npfx].mask[j] = ~(tmp[i].lo[j] ^ tmp[i].hi[j]);
		}
		b->npfx++;
	}
	if (kept > SET_PFX_MAX)
		b->npfx = b->set_pfx[id];
	b->set_npfx[id] = kept > SET_PFX_MAX ? 0 : kept;
	return 0;
}

/* Fills the users' set ids, compiling each distinct set once. */
static int sets_compile(struct fwc_bld *b, struct bset *use, u32 nuse,
			struct fwc_ivl *tmp)
{
	u32 i, id = 0;
	int ret;

	for (i = 0; i < nuse; i++) {
		if (i && bset_cmp(&use[i - 1], &use[i])) {
			id++;
		} else if (i) {
			b->setid[use[i].pos * SETS + use[i].kind] = id;
			continue;
		}
		ret = set_compile(b, id, &use[i], tmp);
		if (ret)
			return ret;
		b->setid[use[i].pos * SETS + use[i].kind] = id;
		cond_resched();
	}
	return 0;
}

static u32 set_members(const struct bset *s)
{
	if (s->kind == S_SLOT)
		return ((const struct nv_fwc_slots *)s->obj)->n;
	return ((const struct nv_fwc_group *)s->obj)->n;
}

/* The sets' sizes: members of all, of the largest; how many sets. */
static int sets_count(struct fwc_bld *b, const struct bset *use, u32 nuse,
		      u64 *members, u32 *largest)
{
	u32 i;

	*members = 0;
	*largest = 1;
	b->nsets = 0;
	for (i = 0; i < nuse; i++) {
		if (i && !bset_cmp(&use[i - 1], &use[i]))
			continue;
		b->nsets++;
		*members += set_members(&use[i]);
		*largest = max(*largest, set_members(&use[i]));
	}
	return *members > NV_FWC_MAX_MEMBERS ? -E2BIG : 0;
}

static int sets_alloc(struct fwc_bld *b, u64 members)
{
	u32 n = max(b->nsets, 1U);

	b->sets = kvmalloc_array(n, sizeof(*b->sets), b->gfp);
	b->set_pfx = kvmalloc_array(n, sizeof(*b->set_pfx), b->gfp);
	b->set_npfx = kvmalloc_array(n, sizeof(*b->set_npfx), b->gfp);
	b->ivls = kvmalloc_array(max(members, 1ULL), sizeof(*b->ivls), b->gfp);
	b->pfx = kvmalloc_array(max(members, 1ULL), sizeof(*b->pfx), b->gfp);
	if (!b->sets || !b->set_pfx || !b->set_npfx || !b->ivls || !b->pfx)
		return -ENOMEM;
	return 0;
}

/* The uses of groups and slot sets, by sorted rule position. */
static u32 sets_used(const struct fwc_bld *b, struct bset *use)
{
	u32 i, n = 0;

	for (i = 0; i < b->nin; i++) {
		const struct nv_fwc_rule *r = &b->in[b->ord[i].index];
		const void *obj[SETS] = { r->src.group, r->dst.group,
					  r->slots };
		u32 s;

		for (s = 0; s < SETS; s++) {
			if (!obj[s])
				continue;
			use[n].obj = obj[s];
			use[n].pos = i;
			use[n].kind = s;
			n++;
		}
	}
	return n;
}

static int sets_build(struct fwc_bld *b)
{
	struct fwc_ivl *tmp = NULL;
	struct bset *use;
	u32 nuse, largest;
	u64 members;
	int ret;

	b->setid = kvmalloc_array(max(b->nin, 1U) * SETS, sizeof(*b->setid),
				  b->gfp);
	use = kvmalloc_array(max(b->nin, 1U) * SETS, sizeof(*use), b->gfp);
	if (!b->setid || !use) {
		ret = -ENOMEM;
		goto out;
	}
	memset(b->setid, 0xff, (size_t)b->nin * SETS * sizeof(*b->setid));
	nuse = sets_used(b, use);
	sort(use, nuse, sizeof(*use), bset_cmp, NULL);
	ret = sets_count(b, use, nuse, &members, &largest) ?:
	      sets_alloc(b, members);
	if (ret)
		goto out;
	tmp = kvmalloc_array(largest, sizeof(*tmp), b->gfp);
	ret = tmp ? sets_compile(b, use, nuse, tmp) : -ENOMEM;
out:
	kvfree(tmp);
	kvfree(use);
	return ret;
}

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
	u32 w = bset_word[s], j;

	if (!b->sets[id].n)
		return false;
	if (b->set_npfx[id] == 1) {
		const struct bpfx *p = &b->pfx[b->set_pfx[id]];

		for (j = 0; j < bset_words[s]; j++) {
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
			prefix_compile(&addr[s]->pfx, &r->val[bset_word[s]],
				       &r->mask[bset_word[s]]);
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
	return addr_bits(r, bset_word[s]) >= SPECIFIC_BITS;
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
	u32 w = bset_word[s], i;
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

/* Prefix lists */

/* A rule's prefixes of a list field, one at a time. */
struct pfx_iter {
	const struct bpfx *p;	/* a set's */
	const struct bpfx *end;
	u32 lo;			/* or what is left of a port range */
	u32 hi;
	u32 shift;
	struct bpfx cur;
};

static void iter_init(struct pfx_iter *it, const struct fwc_bld *b, u32 pos,
		      u32 s)
{
	const struct brule *br = &b->br[pos];
	const struct fwc_ports *port;

	if (s < SETS) {
		it->p = &b->pfx[br->pfx[s]];
		it->end = it->p + br->npfx[s];
		return;
	}
	port = &b->rules[pos].port[s - S_SPORT];
	it->p = NULL;
	it->lo = port->lo;
	it->hi = (u32)port->lo + port->span;
	it->shift = 48 - (s == S_SPORT ? SPORT_OFF : DPORT_OFF);
	it->cur.val[1] = 0;
	it->cur.mask[1] = 0;
}

/* A range's prefixes: the largest aligned block at its start, in turn. */
static const struct bpfx *iter_next(struct pfx_iter *it)
{
	u32 size;

	if (it->p)
		return it->p < it->end ? it->p++ : NULL;
	if (it->lo > it->hi)
		return NULL;
	size = it->lo ? it->lo & -it->lo : BIT(16);
	while (it->lo + size - 1 > it->hi)
		size >>= 1;
	it->cur.val[0] = (u64)it->lo << it->shift;
	it->cur.mask[0] = (u64)(U16_MAX & ~(size - 1)) << it->shift;
	it->lo += size;
	return &it->cur;
}

/* Whether an address prefix lies in the IPv4-mapped space. */
static bool pfx_is_v4(const struct bpfx *p)
{
	return p->mask[0] == ~0ULL &&
	       (p->mask[1] & V4_HI_MASK) == V4_HI_MASK && addr_is_v4(p->val);
}

/* Whether some packet of the cube has its field in the prefix. */
static __always_inline bool pfx_fits(const struct bpfx *p, const struct cube *c,
				     u32 s)
{
	u32 w = bset_word[s];
	u64 x = (p->val[0] ^ c->val[w]) & p->mask[0] & c->mask[w];

	if (bset_words[s] > 1)
		x |= (p->val[1] ^ c->val[w + 1]) & p->mask[1] & c->mask[w + 1];
	return !x && !(c->v6 && s <= S_DST && pfx_is_v4(p));
}

/* Whether every packet of the cube has its field in the prefix. */
static bool pfx_holds(const struct bpfx *p, const struct cube *c, u32 s)
{
	u32 w = bset_word[s];
	u64 x = p->mask[0] & ~c->mask[w];

	if (bset_words[s] > 1)
		x |= p->mask[1] & ~c->mask[w + 1];
	return !x && pfx_fits(p, c, s);
}

/* Whether the cube's packets are all in the rule's set @s. */
static bool set_implied(const struct fwc_bld *b, u32 pos, u32 s,
			const struct cube *c)
{
	const struct bpfx *p;
	struct pfx_iter it;

	if (!(b->br[pos].lists & BIT(s)))
		return false;
	iter_init(&it, b, pos, s);
	while ((p = iter_next(&it)))
		if (pfx_holds(p, c, s))
			return true;
	return false;
}

/* Children bitmaps */

/* The @bits bits of @x a cut takes, as a child index. */
static u32 cut_bits(const struct cut *cut, u64 x)
{
	return (x << cut->shift) >> (64 - cut->bits);
}

/* Marks the children whose index is @v on the bits of @m. */
static void bm_fill(u64 *bm, u32 bits, u32 v, u32 m)
{
	u32 all = BIT(bits) - 1, free = ~m & all, sub;

	if (free == all) {
		if (bits >= 6)
			memset(bm, 0xff, BIT(bits) / 8);
		else
			bm[0] |= BIT_ULL(BIT(bits)) - 1;
		return;
	}
	v &= m & all;
	for (sub = free; ; sub = (sub - 1) & free) {
		bm[(v | sub) / 64] |= BIT_ULL((v | sub) % 64);
		if (!sub)
			break;
	}
}

/* The children of a cut a rule goes to: those it may match in. */
static void rule_children(const struct fwc_bld *b, u32 pos,
			  const struct cube *c, const struct cut *cut, u64 *bm)
{
	const struct fwc_rule *r = &b->rules[pos];
	const struct bpfx *p;
	struct pfx_iter it;
	u32 wi;

	memset(bm, 0, BM_WORDS * sizeof(*bm));
	if (cut->bset >= BSETS || !(b->br[pos].lists & BIT(cut->bset))) {
		bm_fill(bm, cut->bits, cut_bits(cut, r->val[cut->word]),
			cut_bits(cut, r->mask[cut->word]));
		return;
	}
	wi = cut->word - bset_word[cut->bset];
	iter_init(&it, b, pos, cut->bset);
	while ((p = iter_next(&it)))
		if (pfx_fits(p, c, cut->bset))
			bm_fill(bm, cut->bits, cut_bits(cut, p->val[wi]),
				cut_bits(cut, p->mask[wi]));
}

/* Words of a bitmap of 2^@bits children. */
static u32 bm_words(u32 bits)
{
	return bits > 6 ? BIT(bits - 6) : 1;
}

static u32 bm_weight(const u64 *bm, u32 bits)
{
	u32 i, n = 0;

	for (i = 0; i < bm_words(bits); i++)
		n += hweight64(bm[i]);
	return n;
}

/* The lowest child marked, which it unmarks; or -1 for none. */
static int bm_next(u64 *bm, u32 bits)
{
	u32 i;

	for (i = 0; i < bm_words(bits); i++) {
		if (bm[i]) {
			int c = fls64(bm[i] & -bm[i]) - 1;

			bm[i] &= bm[i] - 1;
			return i * 64 + c;
		}
	}
	return -1;
}

/* Cuts */

/* 64 counters in bit slices: adding a word counts each of its bits. */
struct bit_counts {
	u64 slice[COUNT_SLICES];
};

static void counts_add(struct bit_counts *bc, u64 x)
{
	u32 i;

	for (i = 0; i < COUNT_SLICES && x; i++) {
		u64 carry = bc->slice[i] & x;

		bc->slice[i] ^= x;
		x = carry;
	}
}

/* The bits some sample counted. */
static u64 counts_any(const struct bit_counts *bc)
{
	u64 any = 0;
	u32 i;

	for (i = 0; i < COUNT_SLICES; i++)
		any |= bc->slice[i];
	return any;
}

static u32 counts_get(const struct bit_counts *bc, u32 bit)
{
	u32 i, n = 0;

	for (i = 0; i < COUNT_SLICES; i++)
		n |= (u32)(bc->slice[i] >> bit & 1) << i;
	return n;
}

/* How many sampled rules fix each bit of a segment's word to 1, to 0. */
static void seg_counts(const struct fwc_bld *b, u32 list, u32 n, u32 step,
		       const struct cube *c, const struct fwc_seg *seg,
		       struct bit_counts *ones, struct bit_counts *zeros)
{
	u32 i, wi = seg->word - (seg->bset < BSETS ? bset_word[seg->bset] : 0);

	memset(ones, 0, sizeof(*ones));
	memset(zeros, 0, sizeof(*zeros));
	for (i = 0; i < n; i += step) {
		u32 pos = b->pool.v[list + i];
		const struct fwc_rule *r = &b->rules[pos];
		const struct bpfx *p;
		struct pfx_iter it;

		if (seg->bset >= BSETS || !(b->br[pos].lists & BIT(seg->bset))) {
			counts_add(ones, r->val[seg->word] & r->mask[seg->word]);
			counts_add(zeros, ~r->val[seg->word] & r->mask[seg->word]);
			continue;
		}
		iter_init(&it, b, pos, seg->bset);
		while ((p = iter_next(&it))) {
			if (!pfx_fits(p, c, seg->bset))
				continue;
			counts_add(ones, p->val[wi] & p->mask[wi]);
			counts_add(zeros, ~p->val[wi] & p->mask[wi]);
		}
	}
}

/*
 * Where a segment's cut may start: the first bit, from the top, that
 * splits the rules about as evenly as the best one does, and the first
 * that splits them at all (a cut from there may separate more, as when
 * most rules share a prefix that a few leave early). False if no bit
 * splits them.
 */
static bool seg_split_bits(const struct fwc_bld *b, u32 list, u32 n, u32 step,
			   const struct cube *c, const struct fwc_seg *seg,
			   u32 *even, u32 *top)
{
	u64 open = ~c->mask[seg->word] &
		   GENMASK_ULL(63 - seg->off, 64 - seg->off - seg->bits);
	struct bit_counts ones, zeros;
	u32 bal[64], best = 0, i;

	seg_counts(b, list, n, step, c, seg, &ones, &zeros);
	open &= counts_any(&ones) & counts_any(&zeros);
	if (!open)
		return false;
	*top = 64 - fls64(open);
	for (i = *top; i < seg->off + seg->bits; i++) {
		bal[i] = 0;
		if (open & BIT_ULL(63 - i))
			bal[i] = min(counts_get(&ones, 63 - i),
				     counts_get(&zeros, 63 - i));
		best = max(best, bal[i]);
	}
	for (i = *top; 2 * bal[i] < best; i++)
		;
	*even = i;
	return true;
}

/* A cut of a segment from bit @first, up to @max bits, none fixed. */
static void cut_place(const struct cube *c, const struct fwc_seg *seg,
		      u32 first, u32 max, struct cut *cut)
{
	u32 bits = min_t(u32, max, seg->off + seg->bits - first);

	while (bits > 1 && (c->mask[seg->word] &
			    GENMASK_ULL(63 - first, 64 - first - bits)))
		bits--;
	cut->word = seg->word;
	cut->shift = first;
	cut->bits = bits;
	cut->bset = seg->bset;
}

/*
 * The prefixes a rule stands for on field @bset (S_*, or BSETS for a
 * plain value): those of its list there that the node's packets may
 * have, else one.
 */
static u32 rule_weight(const struct fwc_bld *b, u32 pos, const struct cube *c,
		       u32 bset)
{
	const struct bpfx *p;
	struct pfx_iter it;
	u32 w = 0;

	if (bset >= BSETS || !(b->br[pos].lists & BIT(bset)))
		return 1;
	iter_init(&it, b, pos, bset);
	while ((p = iter_next(&it)))
		w += pfx_fits(p, c, bset);
	return max(w, 1U);
}

/*
 * Rule references the cut's children would hold, and the most one would,
 * on the sampled rules; a rule in every child is counted once for max.
 */
static void cut_eval(struct fwc_bld *b, u32 list, u32 n, u32 step,
		     const struct cube *c, const struct cut *cut, u64 *sum,
		     u32 *max)
{
	u32 i, nch = BIT(cut->bits), all = 0;
	u64 bm[BM_WORDS];
	int ch;

	memset(b->ecnt, 0, nch * sizeof(*b->ecnt));
	*sum = 0;
	*max = 0;
	for (i = 0; i < n; i += step) {
		u32 w;

		rule_children(b, b->pool.v[list + i], c, cut, bm);
		w = bm_weight(bm, cut->bits);
		*sum += w;
		if (w == nch) {
			all++;
			continue;
		}
		while ((ch = bm_next(bm, cut->bits)) >= 0)
			*max = max(*max, ++b->ecnt[ch]);
	}
	*max += all;
}

/*
 * A segment's cut with the most bits, up to @cut->bits, whose children
 * hold at most SPACE_FACTOR times the node's references (HiCuts' space
 * factor), a rule counting as the prefixes it stands for (@weight, of
 * the sampled rules): wide cuts of fields many rules leave open cost the
 * most, while a group's rule goes to the children of its prefixes.
 */
static bool cut_size(struct fwc_bld *b, u32 list, u32 n, u32 step,
		     const struct cube *c, u64 weight, struct cut *cut,
		     u64 *refs, u32 *most)
{
	u32 samples = (n + step - 1) / step;

	for (;;) {
		cut_eval(b, list, n, step, c, cut, refs, most);
		if (*refs * n / samples + BIT(cut->bits) <=
		    (u64)SPACE_FACTOR * weight * n / samples)
			return true;
		if (cut->bits == 1)
			return false;
		cut->bits = (cut->bits + 1) / 2;
	}
}

/*
 * The best cut of a node, if one is worth it: the one leaving the most
 * crowded child the fewest rules, then the fewest references in all;
 * it must leave that child with a fraction of the node's rules.
 * @sum: its references, estimated.
 */
static bool cut_choose(struct fwc_bld *b, u32 list, u32 n,
		       const struct cube *c, struct cut *best, u64 *sum)
{
	u32 step = max(n / EVAL_SAMPLE, 1U), samples = (n + step - 1) / step;
	u32 bits = min_t(u32, max(fls(n / NV_FWC_LEAF_RULES), 1),
			 NV_FWC_STRIDE);
	u64 best_score = ~0ULL, refs, score, weight;
	u32 i, j, k, most, first[2];
	struct cut cut;

	for (i = 0; i < ARRAY_SIZE(segs); i++) {
		if (!seg_split_bits(b, list, n, step, c, &segs[i], &first[0],
				    &first[1]))
			continue;
		for (weight = 0, j = 0; j < n; j += step)
			weight += rule_weight(b, b->pool.v[list + j], c,
					      segs[i].bset);
		for (k = 0; k < 2 && (!k || first[1] != first[0]); k++) {
			cut_place(c, &segs[i], first[k], bits, &cut);
			if (!cut_size(b, list, n, step, c, weight, &cut, &refs,
				      &most) ||
			    most > samples - samples / PROGRESS - 1)
				continue;
			score = (u64)most << 32 | refs;
			if (score < best_score) {
				best_score = score;
				*best = cut;
				*sum = refs * n / samples;
			}
		}
	}
	return best_score != ~0ULL;
}

/* Trees */

static u32 leaf_entry(const struct fwc_bld *b, u32 pos, const struct cube *c)
{
	u32 s, e = pos;

	for (s = 0; s < SETS; s++)
		if (b->rules[pos].set[s] != NO_SET &&
		    !set_implied(b, pos, s, c))
			e |= E_SET(s);
	return e;
}

static int leaf_make(struct fwc_bld *b, u32 list, u32 n, const struct cube *c,
		     u32 *ref)
{
	u32 i, *w;
	int ret = nv_array_reserve(&b->leaves, n + 1, b->gfp);

	if (ret)
		return ret;
	*ref = REF_LEAF | b->leaves.n;
	w = &b->leaves.v[b->leaves.n];
	for (i = 0; i < n; i++)
		w[i] = leaf_entry(b, b->pool.v[list + i], c);
	w[n] = E_END;
	b->leaves.n += n + 1;
	b->st.leaves++;
	b->st.entries += n;
	b->st.max_leaf = max(b->st.max_leaf, n);
	return 0;
}

/* Whether a node and its children, as leaves, fit in the budget. */
static bool budget_allows(struct fwc_bld *b, u32 bits, u64 refs)
{
	u64 words = (u64)b->nodes.n + b->leaves.n + b->reserved;

	if (words + 1 + 2 * BIT(bits) + refs <= b->budget)
		return true;
	b->st.degraded = true;
	return false;
}

/*
 * The reference to a subtree for the rules at @list in the pool: a leaf,
 * or an inner node whose children node_split() makes later.
 */
static int node_make(struct fwc_bld *b, u32 list, u32 n, const struct cube *c,
		     u32 depth, u32 *ref)
{
	struct fwc_node *node;
	struct pending *p;
	struct cut cut;
	u64 refs;
	int ret;

	if (!n) {
		*ref = EMPTY_LEAF;
		return 0;
	}
	if (n <= NV_FWC_LEAF_RULES || depth >= NV_FWC_MAX_DEPTH ||
	    !cut_choose(b, list, n, c, &cut, &refs) ||
	    !budget_allows(b, cut.bits, refs))
		return leaf_make(b, list, n, c, ref);
	ret = nv_array_reserve(&b->nodes, 1 + BIT(cut.bits), b->gfp) ?:
	      nv_array_reserve(&b->stack, 1, b->gfp);
	if (ret)
		return ret;
	*ref = b->nodes.n;
	node = (struct fwc_node *)&b->nodes.v[*ref];
	*node = (struct fwc_node){ .word = cut.word, .shl = cut.shift,
				   .shr = 64 - cut.bits };
	b->nodes.n += 1 + BIT(cut.bits);
	p = &b->stack.v[b->stack.n++];
	p->cube = *c;
	p->cut = cut;
	p->list = list;
	p->n = n;
	p->pool_end = b->pool.n;
	p->node = *ref;
	p->depth = depth + 1;
	p->reserve = refs + BIT(cut.bits);
	b->reserved += p->reserve;
	b->st.nodes++;
	b->st.depth = max(b->st.depth, p->depth);
	return 0;
}

/* Puts the node's rules in its children's lists, at the pool's top. */
static int children_fill(struct fwc_bld *b, const struct pending *p)
{
	u32 i, nch = BIT(p->cut.bits), total = 0;
	u64 bm[BM_WORDS];
	int ch, ret;

	memset(b->scnt, 0, nch * sizeof(*b->scnt));
	memset(b->sown, 0, sizeof(b->sown));
	for (i = 0; i < p->n; i++) {
		u32 pos = b->pool.v[p->list + i];
		bool own = p->cut.bset < BSETS &&
			   (b->br[pos].lists & BIT(p->cut.bset));

		rule_children(b, pos, &p->cube, &p->cut, bm);
		while ((ch = bm_next(bm, p->cut.bits)) >= 0) {
			b->scnt[ch]++;
			if (own)
				b->sown[ch / 64] |= BIT_ULL(ch % 64);
		}
	}
	for (i = 0; i < nch; i++) {
		b->soff[i] = b->pool.n + total;
		total += b->scnt[i];
		b->scnt[i] = 0;
	}
	ret = nv_array_reserve(&b->pool, total, b->gfp);
	if (ret)
		return ret;
	for (i = 0; i < p->n; i++) {
		u32 pos = b->pool.v[p->list + i];

		rule_children(b, pos, &p->cube, &p->cut, bm);
		while ((ch = bm_next(bm, p->cut.bits)) >= 0)
			b->pool.v[b->soff[ch] + b->scnt[ch]++] = pos;
	}
	b->pool.n += total;
	return 0;
}

static u32 list_hash(const u32 *w, u32 n)
{
	u32 h = n;

	while (n--)
		h = (h ^ *w++) * 0x9e3779b1;
	return h ^ h >> 16;
}

/*
 * An earlier child of the node with the same rules, or -1. A child where
 * a rule's prefix list on the field cut is seen is unlike any other: its
 * subtree depends on which of the prefixes its packets may be in.
 */
static int child_twin(struct fwc_bld *b, u32 ch)
{
	const u32 *w = &b->pool.v[b->soff[ch]];
	u32 h = list_hash(w, b->scnt[ch]) % DEDUP_SLOTS;

	if (!b->scnt[ch] || (b->sown[ch / 64] & BIT_ULL(ch % 64)))
		return -1;

	for (; b->dedup_tag[h] == b->dedup_gen; h = (h + 1) % DEDUP_SLOTS) {
		u32 d = b->dedup_child[h];

		if (b->scnt[d] == b->scnt[ch] &&
		    !memcmp(&b->pool.v[b->soff[d]], w, b->scnt[ch] * sizeof(*w)))
			return d;
	}
	b->dedup_tag[h] = b->dedup_gen;
	b->dedup_child[h] = ch;
	return -1;
}

/* Makes the children of a node; children with equal rules are one. */
static int node_split(struct fwc_bld *b, const struct pending *p)
{
	u32 i, nch = BIT(p->cut.bits), shift = 64 - p->cut.shift - p->cut.bits;
	u64 window = GENMASK_ULL(63 - p->cut.shift, shift);
	struct cube c = p->cube;
	int ret, twin;

	b->reserved -= p->reserve;
	ret = children_fill(b, p);
	if (ret)
		return ret;
	b->dedup_gen++;
	c.mask[p->cut.word] |= window;
	for (i = 0; i < nch; i++) {
		twin = child_twin(b, i);
		if (twin >= 0) {
			b->sref[i] = b->sref[twin];
			continue;
		}
		c.val[p->cut.word] &= ~window;
		c.val[p->cut.word] |= (u64)i << shift;
		ret = node_make(b, b->soff[i], b->scnt[i], &c, p->depth,
				&b->sref[i]);
		if (ret)
			return ret;
	}
	memcpy(&b->nodes.v[p->node + 1], b->sref, nch * sizeof(*b->sref));
	return 0;
}

/* A forest's rules of each category, in order, at the pool's top. */
static int roots_fill(struct fwc_bld *b, u32 f, u32 *start, u32 *len)
{
	u32 cat, pos;
	int ret = nv_array_reserve(&b->pool, b->nrules, b->gfp);

	if (ret)
		return ret;
	for (cat = 0; cat < CATS + b->ntabs; cat++) {
		start[cat] = b->pool.n;
		for (pos = 0; pos < b->nrules; pos++)
			if (b->br[pos].cat == cat &&
			    (b->br[pos].forests & BIT(f)))
				b->pool.v[b->pool.n++] = pos;
		len[cat] = b->pool.n - start[cat];
	}
	return 0;
}

/* Makes the children of the pending nodes, down to the leaves. */
static int stack_drain(struct fwc_bld *b)
{
	struct pending p;
	int ret;

	while (b->stack.n) {
		p = b->stack.v[--b->stack.n];
		b->pool.n = p.pool_end;
		ret = node_split(b, &p);
		if (ret)
			return ret;
		cond_resched();
	}
	return 0;
}

/*
 * A subtree for @n rules at @list, whole: it may take TREE_WORDS words
 * per rule, and @extra, so that no tree starves the others.
 */
static int subtree_make(struct fwc_bld *b, u32 list, u32 n,
			const struct cube *c, u64 extra, u32 *ref)
{
	b->budget = (u64)b->nodes.n + b->leaves.n +
		    (u64)NV_FWC_TREE_WORDS * n + extra;
	return node_make(b, list, n, c, 0, ref) ?: stack_drain(b);
}

/* A rule's destination, as a table orders its rules. */
struct dkey {
	u64 val[2];
	u32 pos;
};

static int dkey_cmp(const void *a, const void *b)
{
	const struct dkey *x = a, *y = b;

	if (x->val[0] != y->val[0])
		return x->val[0] < y->val[0] ? -1 : 1;
	if (x->val[1] != y->val[1])
		return x->val[1] < y->val[1] ? -1 : 1;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

static void slot_put(struct fwc_bld *b, const struct fwc_dtab *d,
		     const struct dkey *k, u32 ref)
{
	u32 h = dtab_hash(k->val[0], k->val[1], d->hmask);

	while (b->slots.v[d->slot + h].first != U32_MAX)
		h = (h + 1) & d->hmask;
	b->slots.v[d->slot + h].val[0] = k->val[0];
	b->slots.v[d->slot + h].val[1] = k->val[1];
	b->slots.v[d->slot + h].ref = ref;
	b->slots.v[d->slot + h].first = k->pos;
}

/* A table's rules by destination, each destination's own subtree. */
static int tab_fill(struct fwc_bld *b, struct fwc_dtab *d, struct dkey *k,
		    u32 n, const struct cube *forest)
{
	u32 i, j, size = 0, base, ref;
	struct cube c = *forest;
	int ret;

	/* At most half full: a probe, hit or miss, ends within a few slots. */
	for (i = 0; i < n; i++)
		size += !i || k[i - 1].val[0] != k[i].val[0] ||
			k[i - 1].val[1] != k[i].val[1];
	size = roundup_pow_of_two(2 * size);
	ret = nv_array_reserve(&b->slots, size, b->gfp) ?:
	      nv_array_reserve(&b->pool, n, b->gfp);
	if (ret)
		return ret;
	d->slot = b->slots.n;
	d->hmask = size - 1;
	for (i = 0; i < size; i++)
		b->slots.v[d->slot + i].first = U32_MAX;
	b->slots.n += size;
	base = b->pool.n;
	for (i = 0; i < n; i++)
		b->pool.v[base + i] = k[i].pos;
	b->pool.n += n;
	c.mask[2] |= d->mask[0];
	c.mask[3] |= d->mask[1];
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && k[j].val[0] == k[i].val[0] &&
		     k[j].val[1] == k[i].val[1]; j++)
			;
		c.val[2] = (forest->val[2] & ~d->mask[0]) | k[i].val[0];
		c.val[3] = (forest->val[3] & ~d->mask[1]) | k[i].val[1];
		ret = subtree_make(b, base + i, j - i, &c, 0, &ref);
		if (ret)
			return ret;
		slot_put(b, d, &k[i], ref);
	}
	b->pool.n = base;
	return 0;
}

static int tab_build(struct fwc_bld *b, u32 tab, u32 list, u32 n,
		     const struct cube *forest)
{
	struct dkey *k = kvmalloc_array(n, sizeof(*k), b->gfp);
	u32 i;
	int ret;

	if (!k)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		const struct fwc_rule *r = &b->rules[b->pool.v[list + i]];

		k[i].val[0] = r->val[2];
		k[i].val[1] = r->val[3];
		k[i].pos = b->pool.v[list + i];
	}
	sort(k, n, sizeof(*k), dkey_cmp, NULL);
	ret = tab_fill(b, &b->tabs[tab], k, n, forest);
	kvfree(k);
	return ret;
}

/* The packets of a forest: IPv4 keys, or IPv6 keys. */
static void forest_cube(u32 f, struct cube *c)
{
	u32 w;

	memset(c, 0, sizeof(*c));
	if (f == F_V6) {
		c->v6 = true;
		return;
	}
	for (w = 0; w <= 2; w += 2) {
		c->mask[w] = ~0ULL;
		c->mask[w + 1] = V4_HI_MASK;
		c->val[w + 1] = V4_HI;
	}
}

/*
 * Trees of the broadest rules first, those specific on no address and no
 * port slot (C_REST, then C_DPORT): a packet most likely matches one of
 * their rules, and the best it matches bounds the scans of the other
 * trees. Then trees in the order of their first rules.
 */
static u32 tree_rank(u32 cat)
{
	return cat == C_REST ? 0 : cat == C_DPORT ? 1 : 2;
}

/* Whether tree @x comes before tree @y in a lookup. */
static bool tree_before(const struct fwc_bld *b, const u32 *start, u32 x,
			u32 y)
{
	if (tree_rank(x) != tree_rank(y))
		return tree_rank(x) < tree_rank(y);
	return b->pool.v[start[x]] < b->pool.v[start[y]];
}

/* A forest's trees, in lookup order. */
static int forest_build(struct fwc_bld *b, u32 f)
{
	u32 start[CATS + TABS], len[CATS + TABS], order[CATS + TABS];
	u32 i, j, t, n = 0, ref, first = b->ntrees, bottom = b->pool.n;
	struct cube c;
	int ret;

	forest_cube(f, &c);
	ret = roots_fill(b, f, start, len);
	if (ret)
		return ret;
	for (i = 0; i < CATS + b->ntabs; i++) {
		if (!len[i])
			continue;
		for (j = n; j > 0 && tree_before(b, start, i, order[j - 1]); j--)
			order[j] = order[j - 1];
		order[j] = i;
		n++;
	}
	for (t = 0; t < n; t++) {
		i = order[t];
		b->tree_first[first + t] = b->pool.v[start[i]];
		if (i >= CATS) {
			ret = tab_build(b, f * b->ntabs + i - CATS, start[i],
					len[i], &c);
			ref = REF_TAB | (f * b->ntabs + i - CATS);
		} else {
			ret = subtree_make(b, start[i], len[i], &c,
					   NV_FWC_TREE_WORDS_MIN /
					   (FORESTS * CATS), &ref);
		}
		if (ret)
			return ret;
		b->nodes.v[first + t] = ref;
	}
	b->ntrees += n;
	b->forest[f + 1] = b->ntrees;
	b->pool.n = bottom;
	return 0;
}

/*
 * The forests. The roots come first in nodes[], each forest's trees
 * after the last forest's, so the words for all of them are set aside
 * before any tree is made.
 */
static int trees_build(struct fwc_bld *b)
{
	u32 f, t;
	int ret;

	ret = nv_array_reserve(&b->leaves, 1, b->gfp) ?:
	      nv_array_reserve(&b->nodes, FORESTS * (CATS + TABS), b->gfp);
	if (ret)
		return ret;
	b->leaves.v[b->leaves.n++] = E_END;
	b->nodes.n = FORESTS * (CATS + TABS);
	for (f = 1; f < FORESTS; f++)
		for (t = 0; t < b->ntabs; t++)
			b->tabs[f * b->ntabs + t] = b->tabs[t];
	for (f = 0; f < FORESTS; f++) {
		ret = forest_build(b, f);
		if (ret)
			return ret;
	}
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
	ret = rules_order(b) ?: sets_build(b) ?: rules_build(b) ?:
	      trees_build(b);
	c = ret ? ERR_PTR(ret) : bld_finish(b);
	bld_free(b);
	return c;
}
