// SPDX-License-Identifier: GPL-2.0
/*
 * The classifier's trees: nodes cut down to leaves within a budget of
 * words, destination tables of subtrees, and the forests that order
 * them for lookups.
 */
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

#include "fw_cls_build.h"
#include "limits.h"

/* Trees */

static int leaf_make(struct fwc_bld *b, u32 list, u32 n, const struct cube *c,
		     u32 *ref)
{
	int ret = nv_array_reserve(&b->leaves, n + 1, b->gfp);
	u32 *w;

	if (ret)
		return ret;
	*ref = REF_LEAF | b->leaves.n;
	w = &b->leaves.v[b->leaves.n];
	fwc_leaf_entries(b, list, n, c, w);
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
	    !fwc_cut_choose(b, list, n, c, &cut, &refs) ||
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
	ret = fwc_children_fill(b, p);
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
int fwc_trees_build(struct fwc_bld *b)
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
