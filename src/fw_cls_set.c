// SPDX-License-Identifier: GPL-2.0
/*
 * The classifier's sets: the address groups and port slot sets rules
 * name, each compiled once into the sorted intervals lookups search and
 * the prefixes the trees cut.
 */
#include <linux/minmax.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

#include "fw_cls_build.h"
#include "limits.h"

/* A set of more prefixes than this is a wildcard to the trees. */
#define SET_PFX_MAX	64

/* A distinct group or slot set, and a rule's use of one. */
struct bset {
	const void *obj;
	u32 pos;		/* the user, by sorted position */
	u8 kind;		/* S_* of the use */
	u32 id;
};

/* Intervals */

/* Whether @b comes right after @a, or inside [.., a]. */
static bool w128_touches(const u64 *a, const u64 *b)
{
	u64 next[2] = { a[0] + !(a[1] + 1), a[1] + 1 };

	if (a[0] == ~0ULL && a[1] == ~0ULL)
		return true;
	return !w128_lt(next, b);
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

/*
 * The sets the rules name, each compiled once, and which of them each
 * rule uses (b->setid, by sorted position), for rule compilation.
 */
int fwc_sets_build(struct fwc_bld *b)
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
