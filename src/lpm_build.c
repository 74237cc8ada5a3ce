// SPDX-License-Identifier: GPL-2.0
/*
 * The LPM's builder: the writer's trie compiled to the next table
 * version, and the objects of the old one it replaces, freed after a
 * grace period. See lpm.c for the layout and its costs.
 */
#include <linux/bitops.h>
#include <linux/err.h>
#include <linux/lockdep.h>
#include <linux/minmax.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

#include "lpm_priv.h"

/* Scratch of one node being compiled. */
struct lpm_level {
	u32 dflt[SLOTS];
	struct rib_node *sub[SLOTS];
	u64 ent[SLOTS];
};

struct lpm_range {
	u32 first;
	u32 last;
};

/*
 * One table build; errors stick in err and are checked at the end. An
 * unshared LPM is one no one else reaches, being created or destroyed:
 * its lock may be free, and what the build drops is freed at once.
 */
struct lpm_build {
	struct nv_lpm *lpm;
	const struct nv_lpm_table *old;
	struct nv_lpm_table *t;
	struct lpm_level *levels;
	u32 nlevels;
	bool full;
	bool unshared;
	struct lpm_ptrs reused;
	u64 *kept;
	u32 kept_bits;
	struct lpm_range *ranges;
	u32 nranges;
	int err;
};

/* Compiling */

static size_t node_size(u32 children, u32 leaves)
{
	return sizeof(struct lpm_node) + children * sizeof(u64) +
	       leaves * sizeof(u32);
}

/* A new object of the table being built; freed if the build fails. */
static void *obj_alloc(struct lpm_build *b, size_t size)
{
	void *p = kmalloc(size, GFP_KERNEL_ACCOUNT);

	if (!p || ptrs_push(&b->lpm->fresh, p)) {
		kfree(p);
		b->err = -ENOMEM;
		return NULL;
	}
	b->lpm->mem_delta += kmalloc_size_roundup(size);
	return p;
}

/* An object of the old table the new one does not reach. */
static void retire(struct lpm_build *b, const void *p, size_t size)
{
	if (ptrs_push(&b->lpm->gc->objs, p)) {
		b->err = -ENOMEM;
		return;
	}
	b->lpm->mem_delta -= kmalloc_size_roundup(size);
}

static bool memo_hit(const struct lpm_build *b, const struct rib_node *m, u32 r,
		     u32 dflt)
{
	return m->memo_epoch == b->lpm->epoch && !(m->flags & RIB_DIRTY) &&
	       m->memo_depth == r && m->memo_dflt == dflt;
}

static void memo_set(struct lpm_build *b, struct rib_node *m, u32 r, u32 dflt,
		     u64 e)
{
	m->memo = e;
	m->memo_depth = r;
	m->memo_dflt = dflt;
	m->memo_epoch = b->lpm->epoch;
	m->flags &= ~RIB_DIRTY;
}

/*
 * A node compiled into something else than its own entry: its memo would
 * name objects that this build may drop.
 */
static void memo_clear(struct rib_node *m)
{
	m->memo_epoch = 0;
	m->flags &= ~RIB_DIRTY;
}

/* An entry of the old table the new one keeps: the walk stops there. */
static u64 reuse(struct lpm_build *b, u64 e)
{
	if (!(e & ENT_LEAF) && ptrs_push(&b->reused, (void *)(uintptr_t)e))
		b->err = -ENOMEM;
	return e;
}

static struct lpm_skip *skip_new(struct lpm_build *b, const u64 *key, u32 len,
				 u32 miss)
{
	struct lpm_skip *sk = obj_alloc(b, sizeof(*sk));

	if (sk) {
		memset(sk, 0, sizeof(*sk));
		sk->key[0] = key[0];
		sk->key[1] = key[1];
		sk->len = len;
		sk->miss = miss;
	}
	return sk;
}

/* The only prefix of a region, below its depth. */
static u64 tail_new(struct lpm_build *b, const struct rib_node *m, u32 dflt)
{
	struct lpm_tail4 *tl;
	struct lpm_skip *sk;

	if (b->lpm->v6) {
		sk = skip_new(b, m->key, m->plen, dflt);
		if (!sk)
			return ent_leaf(dflt);
		sk->next = ent_leaf(m->value);
		return (uintptr_t)sk | ENT_SKIP;
	}
	tl = obj_alloc(b, sizeof(*tl));
	if (!tl)
		return ent_leaf(dflt);
	tl->key = m->key[0] >> 32;
	tl->mask = mask64(m->plen) >> 32;
	tl->miss = dflt;
	tl->value = m->value;
	return (uintptr_t)tl | ENT_TAIL;
}

static u64 node_new(struct lpm_build *b, const struct lpm_level *lv)
{
	u32 nc = 0, nl = 0, last = 0, i;
	u64 vector = 0, leafvec = 0;
	struct lpm_node *n;
	u32 *leaf;

	for (i = 0; i < SLOTS; i++) {
		if (lv->ent[i]) {
			vector |= BIT_ULL(i);
			nc++;
		} else if (!nl || lv->dflt[i] != last) {
			leafvec |= BIT_ULL(i);
			last = lv->dflt[i];
			nl++;
		}
	}
	if (!nc && nl == 1)
		return ent_leaf(last);
	n = obj_alloc(b, node_size(nc, nl));
	if (!n)
		return ent_leaf(last);
	n->vector = vector;
	n->leafvec = leafvec;
	leaf = (u32 *)&n->child[nc];
	nc = 0;
	nl = 0;
	for (i = 0; i < SLOTS; i++) {
		if (lv->ent[i])
			n->child[nc++] = lv->ent[i];
		else if (leafvec & BIT_ULL(i))
			leaf[nl++] = lv->dflt[i];
	}
	return (uintptr_t)n;
}

/*
 * Spreads the values of the prefixes of @x's subtree that end within the
 * node's six bits over its slots, longest last; deeper subtrees go to
 * the slot they start in. Recursion depth: at most seven.
 */
static void paint(struct lpm_level *lv, struct rib_node *x,
		  const struct rib_node *root, u32 d)
{
	u32 first, i;

	if (!x)
		return;
	first = slot_of(x->key[0], x->key[1], d, true);
	if (x->plen >= d + NV_LPM_STRIDE) {
		lv->sub[first] = x;
		return;
	}
	if (x != root)
		memo_clear(x);
	if (x->flags & RIB_VALUE)
		for (i = 0; i < 1U << (d + NV_LPM_STRIDE - x->plen); i++)
			lv->dflt[first + i] = x->value;
	paint(lv, x->child[0], root, d);
	paint(lv, x->child[1], root, d);
}

static u64 compile(struct lpm_build *b, struct rib_node *m, u32 r, u32 dflt,
		   u32 lvl);

/*
 * A node at depth @d for @m's subtree. The recursion goes one level down
 * per node, that is six key bits: at most 22 levels for IPv6.
 */
static u64 compile_node(struct lpm_build *b, struct rib_node *m, u32 d,
			u32 dflt, u32 lvl)
{
	struct lpm_level *lv;
	u32 i;

	if (WARN_ON_ONCE(lvl >= b->nlevels)) {
		b->err = -EINVAL;
		return ent_leaf(dflt);
	}
	lv = &b->levels[lvl];
	for (i = 0; i < SLOTS; i++) {
		lv->dflt[i] = dflt;
		lv->sub[i] = NULL;
	}
	paint(lv, m, m, d);
	for (i = 0; i < SLOTS; i++) {
		u64 e = 0;

		if (lv->sub[i])
			e = compile(b, lv->sub[i], d + NV_LPM_STRIDE,
				    lv->dflt[i], lvl + 1);
		if (e & ENT_LEAF) {
			lv->dflt[i] = e >> 32;
			e = 0;
		}
		lv->ent[i] = e;
	}
	return node_new(b, lv);
}

/* Region at depth @r, @m below it and not a chain: a tail or a node. */
static u64 compile_end(struct lpm_build *b, struct rib_node *m, u32 r, u32 dflt,
		       u32 lvl)
{
	u32 bits = b->t->bits, d;
	struct lpm_skip *sk;
	u64 e;

	if (!m->child[0] && !m->child[1])
		return tail_new(b, m, dflt);
	/* Nodes stay on the grid of the direct table where they can. */
	d = max(r, bits + (m->plen - bits) / NV_LPM_STRIDE * NV_LPM_STRIDE);
	e = compile_node(b, m, d, dflt, lvl);
	if (d == r)
		return e;
	sk = skip_new(b, m->key, d, dflt);
	if (!sk)
		return ent_leaf(dflt);
	sk->next = e;
	return (uintptr_t)sk | ENT_SKIP;
}

/*
 * A prefix with one child at least a stride below it: a skip pays. Closer
 * ones go to a node, so that a lookup advances six bits per two steps.
 */
static bool rib_chain(const struct rib_node *m)
{
	const struct rib_node *c = m->child[0] ?: m->child[1];

	return (m->flags & RIB_VALUE) && !m->child[0] != !m->child[1] &&
	       c->plen >= m->plen + NV_LPM_STRIDE;
}

/*
 * Region at depth @r, @m below it. Prefixes with one child each become a
 * chain of skips, built in a loop rather than by recursion: a chain can
 * be 21 prefixes long.
 */
static u64 compile_below(struct lpm_build *b, struct rib_node *m, u32 r,
			 u32 dflt, u32 lvl)
{
	struct rib_node *root = m;
	u64 head = 0, *link = &head;
	struct lpm_skip *sk;

	while (rib_chain(m)) {
		sk = skip_new(b, m->key, m->plen, dflt);
		if (!sk)
			return ent_leaf(dflt);
		if (m != root)
			memo_clear(m);
		*link = (uintptr_t)sk | ENT_SKIP;
		link = &sk->next;
		r = m->plen;
		dflt = m->value;
		m = m->child[0] ?: m->child[1];
	}
	*link = m == root ? compile_end(b, m, r, dflt, lvl) :
			    compile(b, m, r, dflt, lvl);
	return head;
}

/* Region at depth @r where @m sits: @m's value covers all of it. */
static u64 compile_at(struct lpm_build *b, struct rib_node *m, u32 r, u32 dflt,
		      u32 lvl)
{
	if (m->flags & RIB_VALUE)
		dflt = m->value;
	if (m->child[0] && m->child[1])
		return compile_node(b, m, r, dflt, lvl);
	return compile(b, m->child[0] ?: m->child[1], r, dflt, lvl);
}

/*
 * The entry of a region at depth @r whose prefixes are @m's subtree
 * (@m->plen >= @r), inheriting @dflt from the prefixes above it.
 */
static u64 compile(struct lpm_build *b, struct rib_node *m, u32 r, u32 dflt,
		   u32 lvl)
{
	u64 e;

	if (!m)
		return ent_leaf(dflt);
	if (memo_hit(b, m, r, dflt))
		return reuse(b, m->memo);
	if (m->plen == r)
		e = compile_at(b, m, r, dflt, lvl);
	else
		e = compile_below(b, m, r, dflt, lvl);
	memo_set(b, m, r, dflt, e);
	return e;
}

/* Chunk @c of a table, as the writer loads it: see struct lpm_build. */
static u64 *chunk_get(const struct lpm_build *b, const struct nv_lpm_table *t,
		      u32 c)
{
	return rcu_dereference_protected(t->chunk[c],
					 b->unshared ||
					 lockdep_is_held(b->lpm->lock));
}

/* Copies a chunk of the old table's entries before the first write. */
static u64 *chunk_cow(struct lpm_build *b, u32 c)
{
	size_t size = sizeof(u64) << b->t->cbits;
	u64 *chunk = chunk_get(b, b->t, c), *old;

	if (b->full)
		return chunk;
	old = chunk_get(b, b->old, c);
	if (chunk != old)
		return chunk;
	chunk = obj_alloc(b, size);
	if (!chunk)
		return NULL;
	memcpy(chunk, old, size);
	retire(b, old, size);
	/* The new table is not published yet. */
	RCU_INIT_POINTER(b->t->chunk[c], chunk);
	return chunk;
}

/* Direct slot @i: the top bits of its key, for every key in it. */
static void compile_slot(struct lpm_build *b, u32 i)
{
	u32 bits = b->t->bits, dflt = NV_LPM_NONE;
	u64 key[2] = { (u64)i << (64 - bits), 0 };
	struct rib_node *x = b->lpm->rib;
	u64 *chunk;

	/* The default route is left to table->dflt. */
	while (x && x->plen < bits) {
		if (x->plen && (x->flags & RIB_VALUE))
			dflt = x->value;
		x = x->child[key_bit(key, x->plen)];
		if (x && key_diff(key, x->key) < min_t(u32, x->plen, bits))
			x = NULL;
	}
	chunk = chunk_cow(b, i >> b->t->cbits);
	if (chunk)
		chunk[i & ((1U << b->t->cbits) - 1)] = compile(b, x, bits, dflt,
							       0);
	/* A full build visits every slot; builds run under a mutex only. */
	cond_resched();
}

static u64 slot_entry(const struct lpm_build *b, const struct nv_lpm_table *t,
		      u32 i)
{
	return chunk_get(b, t, i >> t->cbits)[i & ((1U << t->cbits) - 1)];
}

/* Old entries */

/* Slot of @e in the kept set: where it is, or the free one to take. */
static u64 *kept_slot(const struct lpm_build *b, u64 e)
{
	u32 i = (e >> 3) * 0x9e3779b97f4a7c15ULL >> (64 - b->kept_bits);

	while (b->kept[i] && b->kept[i] != e)
		i = (i + 1) & ((1U << b->kept_bits) - 1);
	return &b->kept[i];
}

static bool kept(const struct lpm_build *b, u64 e)
{
	return b->kept && *kept_slot(b, e);
}

/* The entries the new table reuses, in a hash set for kept(). */
static void kept_init(struct lpm_build *b)
{
	u32 i;

	if (!b->reused.n)
		return;
	b->kept_bits = fls(b->reused.n) + 1;
	b->kept = kvcalloc(1U << b->kept_bits, sizeof(u64), GFP_KERNEL_ACCOUNT);
	if (!b->kept) {
		b->err = -ENOMEM;
		return;
	}
	for (i = 0; i < b->reused.n; i++) {
		u64 e = (uintptr_t)b->reused.v[i];

		*kept_slot(b, e) = e;
	}
}

static void drop(struct lpm_build *b, const void *p, size_t size)
{
	if (b->unshared)
		kfree(p);
	else
		retire(b, p, size);
}

static void drop_node(struct lpm_build *b, const struct lpm_node *n);

/*
 * Retires, or frees when unshared, what hangs off @e but the entries
 * the new table reuses. Recursion: one level per node, as compile_node().
 */
static void drop_entry(struct lpm_build *b, u64 e)
{
	const struct lpm_skip *sk;

	while (!(e & ENT_LEAF) && !kept(b, e)) {
		if (!(e & ENT_TAGS)) {
			drop_node(b, (void *)(uintptr_t)e);
			return;
		}
		if (e & ENT_TAIL) {
			drop(b, ent_ptr(e), sizeof(struct lpm_tail4));
			return;
		}
		sk = ent_ptr(e);
		e = sk->next;
		drop(b, sk, sizeof(*sk));
	}
}

static void drop_node(struct lpm_build *b, const struct lpm_node *n)
{
	u32 nc = hweight64(n->vector), i;

	for (i = 0; i < nc; i++)
		drop_entry(b, n->child[i]);
	drop(b, n, node_size(nc, hweight64(n->leafvec)));
}

static void drop_table(struct lpm_build *b, const struct nv_lpm_table *t)
{
	u32 n = 1U << (t->bits - t->cbits), i;

	for (i = 0; i < 1U << t->bits; i++)
		drop_entry(b, slot_entry(b, t, i));
	for (i = 0; i < n; i++)
		drop(b, chunk_get(b, t, i), sizeof(u64) << t->cbits);
	drop(b, t, struct_size(t, chunk, n));
}

/* Building */

static struct nv_lpm_table *table_new(struct lpm_build *b, u32 bits)
{
	u32 cbits = min_t(u32, bits, NV_LPM_CHUNK_BITS);
	u32 n = 1U << (bits - cbits), i;
	struct nv_lpm_table *t;

	t = obj_alloc(b, struct_size(t, chunk, n));
	if (!t)
		return NULL;
	t->dflt = b->lpm->rib->flags & RIB_VALUE ? b->lpm->rib->value :
						   NV_LPM_NONE;
	t->bits = bits;
	t->cbits = cbits;
	if (!b->full) {
		memcpy(t->chunk, b->old->chunk, n * sizeof(t->chunk[0]));
		return t;
	}
	for (i = 0; i < n; i++)
		RCU_INIT_POINTER(t->chunk[i],
				 obj_alloc(b, sizeof(u64) << cbits));
	return b->err ? NULL : t;
}

/* Direct bits for the staged prefix count, with hysteresis. */
static u32 direct_bits(const struct lpm_build *b)
{
	u32 bits = b->old ? b->old->bits : NV_LPM_DIRECT_MIN;
	u32 prefixes = b->lpm->prefixes;

	while (bits < NV_LPM_DIRECT_MAX &&
	       prefixes >= NV_LPM_GROW(bits + NV_LPM_STRIDE))
		bits += NV_LPM_STRIDE;
	while (bits > NV_LPM_DIRECT_MIN &&
	       prefixes < NV_LPM_GROW(bits) / 4)
		bits -= NV_LPM_STRIDE;
	return bits;
}

/* Invalidates every memo, when the objects they name may be gone. */
static void memo_epoch_advance(struct nv_lpm *lpm)
{
	if (!++lpm->epoch)
		lpm->epoch = 1;
}

static int cmp_range(const void *a, const void *b)
{
	const struct lpm_range *x = a, *y = b;

	return x->first < y->first ? -1 : x->first > y->first;
}

/* The direct slots the logged changes touch, sorted and merged. */
static void ranges_init(struct lpm_build *b)
{
	const struct nv_lpm *lpm = b->lpm;
	u32 bits = b->t->bits, n = 0, i;
	struct lpm_range *r;

	if (!lpm->log.n)
		return;
	b->ranges = kvmalloc_array(lpm->log.n, sizeof(*b->ranges),
				   GFP_KERNEL_ACCOUNT);
	if (!b->ranges) {
		b->err = -ENOMEM;
		return;
	}
	for (i = 0; i < lpm->log.n; i++) {
		const struct lpm_change *c = &lpm->log.v[i];
		u32 first = c->key[0] >> (64 - bits);

		/* The default route lives in table->dflt: no slot. */
		if (!c->plen)
			continue;
		b->ranges[n].first = first;
		b->ranges[n++].last = c->plen >= bits ? first :
				      first + (1U << (bits - c->plen)) - 1;
	}
	sort(b->ranges, n, sizeof(*b->ranges), cmp_range, NULL);
	for (i = 0; i < n; i++) {
		r = b->nranges ? &b->ranges[b->nranges - 1] : NULL;
		if (r && b->ranges[i].first <= r->last + 1)
			r->last = max(r->last, b->ranges[i].last);
		else
			b->ranges[b->nranges++] = b->ranges[i];
	}
}

static void compile_changes(struct lpm_build *b)
{
	u32 i, j;

	ranges_init(b);
	for (i = 0; i < b->nranges && !b->err; i++)
		for (j = b->ranges[i].first; j <= b->ranges[i].last; j++)
			compile_slot(b, j);
	kept_init(b);
	for (i = 0; i < b->nranges && !b->err; i++)
		for (j = b->ranges[i].first; j <= b->ranges[i].last; j++)
			if (slot_entry(b, b->old, j) != slot_entry(b, b->t, j))
				drop_entry(b, slot_entry(b, b->old, j));
	retire(b, b->old, struct_size(b->old, chunk,
				      1U << (b->old->bits - b->old->cbits)));
}

static void compile_all(struct lpm_build *b)
{
	u32 i;

	for (i = 0; i < 1U << b->t->bits && !b->err; i++)
		compile_slot(b, i);
	if (b->old)
		drop_table(b, b->old);
}

/**
 * lpm_next_drop() - forget the prepared table
 * @lpm: the LPM
 *
 * Frees what the build made, keeps what it would have retired.
 */
void lpm_next_drop(struct nv_lpm *lpm)
{
	ptrs_free_objs(&lpm->fresh);
	if (lpm->gc)
		nv_array_free(&lpm->gc->objs);
	kfree(lpm->gc);
	lpm->gc = NULL;
	lpm->next = NULL;
	lpm->mem_delta = 0;
	memo_epoch_advance(lpm);
}

/**
 * lpm_next_build() - build the next table, in @lpm->next
 * @lpm: the LPM
 * @old: its current table; NULL in nv_lpm_create(), before anyone else
 *	can reach the LPM
 *
 * Return: 0 or -ENOMEM.
 */
int lpm_next_build(struct nv_lpm *lpm, const struct nv_lpm_table *old)
{
	struct lpm_build b = {
		.lpm = lpm,
		.old = old,
		.unshared = !old,
		.nlevels = (lpm->v6 ? 128 : 32) / NV_LPM_STRIDE + 1,
	};
	u32 bits = direct_bits(&b);

	b.full = !b.old || bits != b.old->bits;
	if (b.full)
		memo_epoch_advance(lpm);
	lpm->gc = kzalloc(sizeof(*lpm->gc), GFP_KERNEL_ACCOUNT);
	b.levels = kvmalloc_array(b.nlevels, sizeof(*b.levels),
				  GFP_KERNEL_ACCOUNT);
	if (!lpm->gc || !b.levels)
		b.err = -ENOMEM;
	if (!b.err)
		b.t = table_new(&b, bits);
	if (b.t && b.full)
		compile_all(&b);
	else if (b.t)
		compile_changes(&b);
	kvfree(b.levels);
	kvfree(b.ranges);
	kvfree(b.kept);
	nv_array_free(&b.reused);
	if (b.err) {
		lpm_next_drop(lpm);
		return b.err;
	}
	lpm->next = b.t;
	return 0;
}

static void gc_free(struct lpm_gc *gc)
{
	ptrs_free_objs(&gc->objs);
	kfree(gc);
}

static void gc_free_rcu(struct rcu_head *head)
{
	gc_free(container_of(head, struct lpm_gc, rcu));
}

/**
 * lpm_next_commit() - make the prepared table the current one
 * @lpm: the LPM
 *
 * What the table replaced is freed after a grace period.
 */
void lpm_next_commit(struct nv_lpm *lpm)
{
	struct lpm_gc *gc = lpm->gc;

	rcu_assign_pointer(lpm->cur, lpm->next);
	lpm->next = NULL;
	lpm->gc = NULL;
	lpm->table_mem += lpm->mem_delta;
	lpm->mem_delta = 0;
	lpm->published = lpm->prefixes;
	nv_array_free(&lpm->fresh);
	/* A whole table's worth is freed here, not in a softirq. */
	if (gc->objs.n > NV_LPM_GC_INLINE) {
		synchronize_rcu();
		gc_free(gc);
	} else {
		call_rcu(&gc->rcu, gc_free_rcu);
	}
}

/**
 * lpm_table_free() - free the current table of an LPM no one uses any more
 * @lpm: the LPM, from nv_lpm_destroy()
 */
void lpm_table_free(struct nv_lpm *lpm)
{
	struct lpm_build b = { .lpm = lpm, .unshared = true };
	const struct nv_lpm_table *t = rcu_dereference_protected(lpm->cur,
								 b.unshared);

	if (t)
		drop_table(&b, t);
}
