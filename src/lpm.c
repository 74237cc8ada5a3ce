// SPDX-License-Identifier: GPL-2.0
/*
 * Longest-prefix match: the writer's prefix trie and the readers' table.
 *
 * The writer's source of truth is a binary PATRICIA trie of the prefixes
 * (the "rib"), rooted at a sentinel node for the default route. Each
 * staged change is logged so that nv_lpm_abort() can undo it, and nodes a
 * delete unlinks are kept until the transaction ends so that undoing
 * cannot fail.
 *
 * Readers use a compiled multibit trie in the spirit of Poptrie (Asai and
 * Ohara, SIGCOMM 2015), plus path compression for sparse regions:
 *
 *   table    dflt, entry[2^bits] in chunks      the top key bits index it
 *   entry =  leaf   value                       low bit set
 *          | node   vector, leafvec             the next 6 key bits: slot
 *                   child[popcount(vector)]     entries of child slots
 *                   leaf[popcount(leafvec)]     values of the other slots
 *          | skip   key, len, miss, next        key matches to len ? next
 *                                                                  : miss
 *          | tail4  key, mask, miss, value      an IPv4 skip to a value
 *
 * Leaves are pushed: a slot's leaf is the value of the longest prefix
 * covering it, so a lookup ends at the first leaf, tail or failed skip.
 * A node stores a run of equal leaves once: leafvec marks the leaf slots
 * whose value differs from the previous leaf slot's. A subtree holding a
 * single prefix is a tail, and a chain of prefixes with one child each,
 * six bits or more apart, is a chain of skips: a /128 below a lone /64
 * costs two objects, not ten nodes. Every two steps of a lookup consume
 * six key bits or more. The default route stays out of the leaves, in
 * table->dflt, so changing it rewrites nothing.
 *
 * nv_lpm_prepare() recompiles the direct slots the logged changes touch.
 * Each trie node remembers the entry it last compiled to, with the depth
 * and inherited value it was compiled for; a node no change went through
 * reuses it, so a change rebuilds the objects on its own path only. The
 * old table's objects that the new one no longer reaches are found by
 * walking the replaced entries down to the reused ones; they are freed a
 * grace period after the caller publishes the new table.
 */
#include <asm/byteorder.h>
#include <linux/bitops.h>
#include <linux/err.h>
#include <linux/lockdep.h>
#include <linux/minmax.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

#include "lpm.h"

#define SLOTS		BIT(NV_LPM_STRIDE)

#define ENT_LEAF	0x1ULL
#define ENT_SKIP	0x2ULL
#define ENT_TAIL	0x4ULL
#define ENT_TAGS	0x7ULL

struct lpm_node {
	u64 vector;
	u64 leafvec;
	u64 child[];
};

struct lpm_skip {
	u64 key[2];
	u64 next;
	u32 miss;
	u8 len;
};

struct lpm_tail4 {
	u32 key;
	u32 mask;
	u32 miss;
	u32 value;
};

struct nv_lpm_table {
	u32 dflt;
	u8 bits;
	u8 cbits;
	u64 *chunk[];
};

#define RIB_VALUE	0x1
#define RIB_DIRTY	0x2

/*
 * A prefix of the writer's trie, or a fork joining two subtrees. memo is
 * the entry the node's subtree compiled to, valid while memo_epoch is the
 * LPM's epoch and no change went through the node (RIB_DIRTY clear).
 */
struct rib_node {
	struct rib_node *child[2];
	u64 key[2];
	u64 memo;
	u32 memo_dflt;
	u32 memo_epoch;
	u32 value;
	u8 plen;
	u8 memo_depth;
	u8 flags;
};

/* A growable array of records of @rec bytes. */
struct lpm_arr {
	void *p;
	u32 n;
	u32 cap;
	u32 rec;
};

/* A staged change, as what undoes it. */
struct lpm_change {
	u64 key[2];
	u32 old;
	u8 plen;
	bool had;
};

/* Objects a prepared table replaces; freed after its publication. */
struct lpm_gc {
	struct rcu_head rcu;
	struct lpm_arr objs;
};

/* The writer's side of one LPM. */
struct nv_lpm {
	struct mutex *lock;	/* the caller's; every writer holds it */
	struct rib_node *rib;
	struct rib_node *spare;
	const struct nv_lpm_table *cur;
	struct nv_lpm_table *next;
	struct lpm_gc *gc;
	struct lpm_arr log;
	struct lpm_arr fresh;
	size_t table_mem;
	long mem_delta;
	u32 rib_nodes;
	u32 prefixes;
	u32 published;
	u32 epoch;
	bool v6;
};

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

/* One nv_lpm_prepare(); errors stick in err and are checked at the end. */
struct lpm_build {
	struct nv_lpm *lpm;
	const struct nv_lpm_table *old;
	struct nv_lpm_table *t;
	struct lpm_level *levels;
	u32 nlevels;
	bool full;
	struct lpm_arr reused;
	u64 *kept;
	u32 kept_bits;
	struct lpm_range *ranges;
	u32 nranges;
	int err;
};

/* Lookup */

static __always_inline const void *ent_ptr(u64 e)
{
	return (const void *)(uintptr_t)(e & ~ENT_TAGS);
}

static u64 ent_leaf(u32 value)
{
	return (u64)value << 32 | ENT_LEAF;
}

/* Key bits [d, d + 6), zero past the key's end: a node's slot. */
static __always_inline u32 slot_of(u64 hi, u64 lo, u32 d, bool v6)
{
	if (!v6)
		return (hi << d) >> (64 - NV_LPM_STRIDE);
	if (d >= 64)
		return (lo << (d - 64)) >> (64 - NV_LPM_STRIDE);
	hi <<= d;
	if (d > 64 - NV_LPM_STRIDE)
		hi |= lo >> (64 - d);
	return hi >> (64 - NV_LPM_STRIDE);
}

static __always_inline bool skip_match(const struct lpm_skip *sk, u64 hi,
				       u64 lo, bool v6)
{
	u32 len = sk->len;

	if (!v6 || len <= 64)
		return !((hi ^ sk->key[0]) >> (64 - len));
	return hi == sk->key[0] && !((lo ^ sk->key[1]) >> (128 - len));
}

static __always_inline u32 tail_value(const struct lpm_tail4 *tl, u64 hi)
{
	return ((u32)(hi >> 32) ^ tl->key) & tl->mask ? tl->miss : tl->value;
}

static __always_inline u32 node_leaf(const struct lpm_node *n, u32 slot)
{
	const u32 *leaf = (const u32 *)&n->child[hweight64(n->vector)];

	return leaf[hweight64(n->leafvec << (63 - slot)) - 1];
}

/*
 * READ_ONCE() on each entry stands for rcu_dereference(): everything below
 * the table was written before the caller published the table.
 */
static __always_inline u32 lookup(const struct nv_lpm_table *t, u64 hi,
				  u64 lo, bool v6)
{
	u32 i = hi >> (64 - t->bits), d = t->bits;
	const u64 *chunk = READ_ONCE(t->chunk[i >> t->cbits]);
	u64 e = READ_ONCE(chunk[i & ((1U << t->cbits) - 1)]);

	for (;;) {
		const struct lpm_skip *sk;

		if (!(e & ENT_TAGS)) {
			const struct lpm_node *n = (void *)(uintptr_t)e;
			u32 slot = slot_of(hi, lo, d, v6);
			/* The slot's vector bit moves to bit 63. */
			u64 upto = n->vector << (63 - slot);

			if (!(upto >> 63))
				return node_leaf(n, slot);
			e = READ_ONCE(n->child[hweight64(upto) - 1]);
			d += NV_LPM_STRIDE;
			continue;
		}
		if (e & ENT_LEAF)
			return e >> 32;
		if (!v6 && (e & ENT_TAIL))
			return tail_value(ent_ptr(e), hi);
		sk = ent_ptr(e);
		if (!skip_match(sk, hi, lo, v6))
			return sk->miss;
		e = READ_ONCE(sk->next);
		d = sk->len;
	}
}

/**
 * nv_lpm_lookup4() - value of the longest IPv4 prefix matching an address
 * @t: table from nv_lpm_prepare() or nv_lpm_table(), under rcu_read_lock()
 * @addr: address
 *
 * Return: the value, or NV_LPM_NONE when no prefix matches.
 */
u32 nv_lpm_lookup4(const struct nv_lpm_table *t, __be32 addr)
{
	u32 v = lookup(t, (u64)be32_to_cpu(addr) << 32, 0, false);

	return v == NV_LPM_NONE ? t->dflt : v;
}

/**
 * nv_lpm_lookup6() - value of the longest IPv6 prefix matching an address
 * @t: table from nv_lpm_prepare() or nv_lpm_table(), under rcu_read_lock()
 * @addr: address
 *
 * Return: the value, or NV_LPM_NONE when no prefix matches.
 */
u32 nv_lpm_lookup6(const struct nv_lpm_table *t, const struct in6_addr *addr)
{
	const __be32 *a = addr->s6_addr32;
	u64 hi = (u64)be32_to_cpu(a[0]) << 32 | be32_to_cpu(a[1]);
	u64 lo = (u64)be32_to_cpu(a[2]) << 32 | be32_to_cpu(a[3]);
	u32 v = lookup(t, hi, lo, true);

	return v == NV_LPM_NONE ? t->dflt : v;
}

/* Arrays */

/* Makes room for one more record. */
static int arr_reserve(struct lpm_arr *a)
{
	u32 cap = a->cap ? 2 * a->cap : 64;
	void *p;

	if (a->n < a->cap)
		return 0;
	p = kvmalloc_array(cap, a->rec, GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	if (a->n)
		memcpy(p, a->p, (size_t)a->n * a->rec);
	kvfree(a->p);
	a->p = p;
	a->cap = cap;
	return 0;
}

/* A new record, in the room arr_reserve() made. */
static void *arr_add(struct lpm_arr *a)
{
	return (u8 *)a->p + (size_t)a->n++ * a->rec;
}

static void *arr_at(const struct lpm_arr *a, u32 i)
{
	return (u8 *)a->p + (size_t)i * a->rec;
}

static int arr_push_ptr(struct lpm_arr *a, const void *ptr)
{
	int ret = arr_reserve(a);

	if (!ret)
		*(const void **)arr_add(a) = ptr;
	return ret;
}

static void arr_free(struct lpm_arr *a)
{
	kvfree(a->p);
	a->p = NULL;
	a->n = 0;
	a->cap = 0;
}

/* Frees the objects an array of pointers holds, then the array. */
static void arr_free_objs(struct lpm_arr *a)
{
	u32 i;

	for (i = 0; i < a->n; i++)
		kfree(*(void **)arr_at(a, i));
	arr_free(a);
}

/* Keys: two words, most significant bit first; IPv4 in the top half. */

static u64 mask64(u32 len)
{
	return len ? ~0ULL << (64 - len) : 0;
}

static void key_mask(u64 *key, u32 plen)
{
	if (plen <= 64) {
		key[0] &= mask64(plen);
		key[1] = 0;
	} else {
		key[1] &= mask64(plen - 64);
	}
}

static bool key_bit(const u64 *key, u32 i)
{
	return (key[i / 64] >> (63 - i % 64)) & 1;
}

/* Index of the first bit where two keys differ; 128 if none. */
static u32 key_diff(const u64 *a, const u64 *b)
{
	u64 x = a[0] ^ b[0];

	if (x)
		return 64 - fls64(x);
	x = a[1] ^ b[1];
	return x ? 128 - fls64(x) : 128;
}

static void key_load(const struct nv_lpm *lpm, const void *addr, u8 plen,
		     u64 *key)
{
	__be32 w[4] = {};

	memcpy(w, addr, lpm->v6 ? 16 : 4);
	key[0] = (u64)be32_to_cpu(w[0]) << 32 | be32_to_cpu(w[1]);
	key[1] = (u64)be32_to_cpu(w[2]) << 32 | be32_to_cpu(w[3]);
	key_mask(key, plen);
}

/* The writer's trie */

static struct rib_node *rib_alloc(struct nv_lpm *lpm, const u64 *key,
				  u8 plen)
{
	struct rib_node *n = lpm->spare;

	if (n)
		lpm->spare = n->child[0];
	else
		n = kmalloc(sizeof(*n), GFP_KERNEL);
	if (!n)
		return NULL;
	memset(n, 0, sizeof(*n));
	n->key[0] = key[0];
	n->key[1] = key[1];
	key_mask(n->key, plen);
	n->plen = plen;
	n->flags = RIB_DIRTY;
	lpm->rib_nodes++;
	return n;
}

/* Unlinked nodes wait for the end of the transaction: an undo uses them. */
static void rib_release(struct nv_lpm *lpm, struct rib_node *n)
{
	n->child[0] = lpm->spare;
	lpm->spare = n;
	lpm->rib_nodes--;
}

static void spare_free(struct nv_lpm *lpm)
{
	struct rib_node *n;

	while ((n = lpm->spare)) {
		lpm->spare = n->child[0];
		kfree(n);
	}
}

static void rib_set(struct nv_lpm *lpm, struct rib_node *n, u32 value,
		    struct lpm_change *c)
{
	c->had = n->flags & RIB_VALUE;
	c->old = n->value;
	if (!c->had)
		lpm->prefixes++;
	n->value = value;
	n->flags |= RIB_VALUE | RIB_DIRTY;
}

/*
 * Inserts or replaces a prefix, marking its path dirty; @c says what it
 * replaced. Allocates before it links anything: fails without a trace.
 */
static int rib_insert(struct nv_lpm *lpm, const u64 *key, u8 plen,
		      u32 value, struct lpm_change *c)
{
	struct rib_node *n = lpm->rib, **link, *next, *leaf, *fork = NULL;
	u32 cpl = 0;

	for (;;) {
		n->flags |= RIB_DIRTY;
		if (n->plen == plen) {
			rib_set(lpm, n, value, c);
			return 0;
		}
		link = &n->child[key_bit(key, n->plen)];
		next = *link;
		if (!next)
			break;
		cpl = min3(key_diff(key, next->key), (u32)plen,
			   (u32)next->plen);
		if (cpl < next->plen)
			break;
		n = next;
	}
	leaf = rib_alloc(lpm, key, plen);
	if (leaf && next && cpl < plen) {
		fork = rib_alloc(lpm, key, cpl);
		if (!fork) {
			rib_release(lpm, leaf);
			leaf = NULL;
		}
	}
	if (!leaf)
		return -ENOMEM;
	rib_set(lpm, leaf, value, c);
	if (fork) {
		fork->child[key_bit(key, cpl)] = leaf;
		fork->child[key_bit(next->key, cpl)] = next;
		*link = fork;
	} else {
		if (next)
			leaf->child[key_bit(next->key, plen)] = next;
		*link = leaf;
	}
	return 0;
}

/* Where a node hangs: its parent and the parent's link to it. */
struct rib_pos {
	struct rib_node *parent;
	struct rib_node **link;
};

/* Unlinks @n, now without a value, unless it still joins two subtrees. */
static void rib_unlink(struct nv_lpm *lpm, struct rib_node *n,
		       const struct rib_pos *at, const struct rib_pos *up)
{
	struct rib_node *only = n->child[0] ?: n->child[1];
	struct rib_node *parent = at->parent;

	if (n->child[0] && n->child[1])
		return;
	*at->link = only;
	rib_release(lpm, n);
	/* A fork left with one child goes too; the sentinel stays. */
	if (only || !up->link || (parent->flags & RIB_VALUE))
		return;
	*up->link = parent->child[0] ?: parent->child[1];
	rib_release(lpm, parent);
}

static int rib_delete(struct nv_lpm *lpm, const u64 *key, u8 plen,
		      struct lpm_change *c)
{
	struct rib_pos at = {}, up = {};
	struct rib_node *n = lpm->rib;

	while (n->plen < plen) {
		n->flags |= RIB_DIRTY;
		up = at;
		at.parent = n;
		at.link = &n->child[key_bit(key, n->plen)];
		n = *at.link;
		if (!n || key_diff(key, n->key) < min(n->plen, plen))
			return -ENOENT;
	}
	if (n->plen != plen || !(n->flags & RIB_VALUE))
		return -ENOENT;
	c->had = true;
	c->old = n->value;
	n->flags = (n->flags & ~RIB_VALUE) | RIB_DIRTY;
	lpm->prefixes--;
	if (at.link)
		rib_unlink(lpm, n, &at, &up);
	return 0;
}

static void rib_free(struct rib_node *n)
{
	struct rib_node *c;

	/* Rotates left children up: no recursion, no stack. */
	while (n) {
		c = n->child[0];
		if (c) {
			n->child[0] = c->child[1];
			c->child[1] = n;
			n = c;
		} else {
			c = n->child[1];
			kfree(n);
			n = c;
		}
	}
}

/* Compiling */

static size_t node_size(u32 children, u32 leaves)
{
	return sizeof(struct lpm_node) + children * sizeof(u64) +
	       leaves * sizeof(u32);
}

/* A new object of the table being built; freed if the build fails. */
static void *obj_alloc(struct lpm_build *b, size_t size)
{
	void *p = kmalloc(size, GFP_KERNEL);

	if (!p || arr_push_ptr(&b->lpm->fresh, p)) {
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
	if (arr_push_ptr(&b->lpm->gc->objs, p)) {
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
	if (!(e & ENT_LEAF) && arr_push_ptr(&b->reused, (void *)(uintptr_t)e))
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

/* Copies a chunk of the old table's entries before the first write. */
static u64 *chunk_cow(struct lpm_build *b, u32 c)
{
	size_t size = sizeof(u64) << b->t->cbits;
	u64 *chunk = b->t->chunk[c];

	if (b->full || chunk != b->old->chunk[c])
		return chunk;
	chunk = obj_alloc(b, size);
	if (!chunk)
		return NULL;
	memcpy(chunk, b->old->chunk[c], size);
	retire(b, b->old->chunk[c], size);
	b->t->chunk[c] = chunk;
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
}

static u64 slot_entry(const struct nv_lpm_table *t, u32 i)
{
	return t->chunk[i >> t->cbits][i & ((1U << t->cbits) - 1)];
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
	return b && b->kept && *kept_slot(b, e);
}

/* The entries the new table reuses, in a hash set for kept(). */
static void kept_init(struct lpm_build *b)
{
	u32 i;

	if (!b->reused.n)
		return;
	b->kept_bits = fls(b->reused.n) + 1;
	b->kept = kvcalloc(1U << b->kept_bits, sizeof(u64), GFP_KERNEL);
	if (!b->kept) {
		b->err = -ENOMEM;
		return;
	}
	for (i = 0; i < b->reused.n; i++) {
		u64 e = (uintptr_t)*(void **)arr_at(&b->reused, i);

		*kept_slot(b, e) = e;
	}
}

static void drop(struct lpm_build *b, const void *p, size_t size)
{
	if (b)
		retire(b, p, size);
	else
		kfree(p);
}

static void drop_node(struct lpm_build *b, const struct lpm_node *n);

/*
 * Retires (@b set) or frees (@b NULL) what hangs off @e but the entries
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
		drop_entry(b, slot_entry(t, i));
	for (i = 0; i < n; i++)
		drop(b, t->chunk[i], sizeof(u64) << t->cbits);
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
		t->chunk[i] = obj_alloc(b, sizeof(u64) << cbits);
	return b->err ? NULL : t;
}

/* Direct bits for the staged prefix count, with hysteresis. */
static u32 direct_bits(const struct nv_lpm *lpm)
{
	u32 bits = lpm->cur ? lpm->cur->bits : NV_LPM_DIRECT_MIN;

	while (bits < NV_LPM_DIRECT_MAX &&
	       lpm->prefixes >= NV_LPM_GROW(bits + NV_LPM_STRIDE))
		bits += NV_LPM_STRIDE;
	while (bits > NV_LPM_DIRECT_MIN &&
	       lpm->prefixes < NV_LPM_GROW(bits) / 4)
		bits -= NV_LPM_STRIDE;
	return bits;
}

/* Invalidates every memo, when the objects they name may be gone. */
static void epoch_next(struct nv_lpm *lpm)
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
	const struct lpm_arr *log = &b->lpm->log;
	u32 bits = b->t->bits, n = 0, i;
	struct lpm_range *r;

	if (!log->n)
		return;
	b->ranges = kvmalloc_array(log->n, sizeof(*b->ranges), GFP_KERNEL);
	if (!b->ranges) {
		b->err = -ENOMEM;
		return;
	}
	for (i = 0; i < log->n; i++) {
		const struct lpm_change *c = arr_at(log, i);
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
			if (slot_entry(b->old, j) != slot_entry(b->t, j))
				drop_entry(b, slot_entry(b->old, j));
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

/* Forgets a build: frees what it made, keeps what it would retire. */
static void build_drop(struct nv_lpm *lpm)
{
	arr_free_objs(&lpm->fresh);
	if (lpm->gc)
		arr_free(&lpm->gc->objs);
	kfree(lpm->gc);
	lpm->gc = NULL;
	lpm->next = NULL;
	lpm->mem_delta = 0;
	epoch_next(lpm);
}

static int build(struct nv_lpm *lpm)
{
	struct lpm_build b = {
		.lpm = lpm,
		.old = lpm->cur,
		.nlevels = (lpm->v6 ? 128 : 32) / NV_LPM_STRIDE + 1,
		.reused = { .rec = sizeof(void *) },
	};
	u32 bits = direct_bits(lpm);

	b.full = !b.old || bits != b.old->bits;
	if (b.full)
		epoch_next(lpm);
	lpm->gc = kzalloc(sizeof(*lpm->gc), GFP_KERNEL);
	b.levels = kvmalloc_array(b.nlevels, sizeof(*b.levels), GFP_KERNEL);
	if (!lpm->gc || !b.levels)
		b.err = -ENOMEM;
	else
		lpm->gc->objs.rec = sizeof(void *);
	if (!b.err)
		b.t = table_new(&b, bits);
	if (b.t && b.full)
		compile_all(&b);
	else if (b.t)
		compile_changes(&b);
	kvfree(b.levels);
	kvfree(b.ranges);
	kvfree(b.kept);
	arr_free(&b.reused);
	if (b.err) {
		build_drop(lpm);
		return b.err;
	}
	lpm->next = b.t;
	return 0;
}

static void gc_free(struct lpm_gc *gc)
{
	arr_free_objs(&gc->objs);
	kfree(gc);
}

static void gc_free_rcu(struct rcu_head *head)
{
	gc_free(container_of(head, struct lpm_gc, rcu));
}

static void commit(struct nv_lpm *lpm)
{
	struct lpm_gc *gc = lpm->gc;

	lpm->cur = lpm->next;
	lpm->next = NULL;
	lpm->gc = NULL;
	lpm->table_mem += lpm->mem_delta;
	lpm->mem_delta = 0;
	lpm->published = lpm->prefixes;
	arr_free(&lpm->fresh);
	arr_free(&lpm->log);
	spare_free(lpm);
	/* A whole table's worth is freed here, not in a softirq. */
	if (gc->objs.n > NV_LPM_GC_INLINE) {
		synchronize_rcu();
		gc_free(gc);
	} else {
		call_rcu(&gc->rcu, gc_free_rcu);
	}
}

/* Writer API */

/**
 * nv_lpm_create() - a new, empty longest-prefix-match table
 * @bits: key length: 32 for IPv4, 128 for IPv6
 * @lock: the writer's lock, held by the callers of the writer functions
 *
 * Return: the LPM, or NULL when out of memory.
 */
struct nv_lpm *nv_lpm_create(unsigned int bits, struct mutex *lock)
{
	u64 zero[2] = {};
	struct nv_lpm *lpm;

	if (WARN_ON(bits != 32 && bits != 128))
		return NULL;
	lpm = kzalloc(sizeof(*lpm), GFP_KERNEL);
	if (!lpm)
		return NULL;
	lpm->lock = lock;
	lpm->v6 = bits == 128;
	lpm->epoch = 1;
	lpm->log.rec = sizeof(struct lpm_change);
	lpm->fresh.rec = sizeof(void *);
	lpm->rib = rib_alloc(lpm, zero, 0);
	if (!lpm->rib || build(lpm)) {
		nv_lpm_destroy(lpm);
		return NULL;
	}
	commit(lpm);
	return lpm;
}

/**
 * nv_lpm_destroy() - free an LPM and its published table
 * @lpm: the LPM, or NULL
 *
 * The caller makes sure no reader can still use the table: it is no
 * longer published and a grace period has elapsed since it was.
 */
void nv_lpm_destroy(struct nv_lpm *lpm)
{
	if (!lpm)
		return;
	if (lpm->next)
		build_drop(lpm);
	if (lpm->cur)
		drop_table(NULL, lpm->cur);
	arr_free(&lpm->log);
	spare_free(lpm);
	rib_free(lpm->rib);
	kfree(lpm);
}

static int stage(struct nv_lpm *lpm, const void *addr, u8 plen, u32 value,
		 bool insert)
{
	struct lpm_change c = { .plen = plen };
	int ret;

	lockdep_assert_held(lpm->lock);

	ret = -EBUSY;
	if (WARN_ON(lpm->next))
		goto out;
	ret = -EINVAL;
	if (plen > (lpm->v6 ? 128 : 32) || value == NV_LPM_NONE)
		goto out;
	ret = arr_reserve(&lpm->log);
	if (ret)
		goto out;
	key_load(lpm, addr, plen, c.key);
	if (insert)
		ret = rib_insert(lpm, c.key, plen, value, &c);
	else
		ret = rib_delete(lpm, c.key, plen, &c);
	if (!ret)
		*(struct lpm_change *)arr_add(&lpm->log) = c;
out:
	return ret;
}

/**
 * nv_lpm_insert() - stage a prefix, or a new value for a present one
 * @lpm: the LPM; the caller holds its lock
 * @addr: the prefix's address in network order, 4 or 16 bytes; host bits
 *	past @plen are ignored
 * @plen: prefix length
 * @value: what lookups of the prefix return; not NV_LPM_NONE
 *
 * Takes effect in the table the next nv_lpm_prepare() builds.
 *
 * Return: 0, -EINVAL, -ENOMEM, or -EBUSY between prepare and commit.
 */
int nv_lpm_insert(struct nv_lpm *lpm, const void *addr, u8 plen, u32 value)
{
	return stage(lpm, addr, plen, value, true);
}

/**
 * nv_lpm_delete() - stage the removal of a prefix
 * @lpm: the LPM; the caller holds its lock
 * @addr: the prefix's address in network order, 4 or 16 bytes
 * @plen: prefix length
 *
 * Return: 0, -ENOENT when the prefix is not in the LPM, -EINVAL, -ENOMEM,
 * or -EBUSY between prepare and commit.
 */
int nv_lpm_delete(struct nv_lpm *lpm, const void *addr, u8 plen)
{
	return stage(lpm, addr, plen, 0, false);
}

/**
 * nv_lpm_prepare() - build the table holding the staged changes
 * @lpm: the LPM; the caller holds its lock
 *
 * The new table shares what the changes did not touch with the published
 * one, which stays valid. The caller publishes the new table, then calls
 * nv_lpm_commit(); or drops it with nv_lpm_abort(), as it must on error.
 *
 * Return: the new table, or an ERR_PTR(): -ENOMEM, or -EBUSY when a
 * prepared table is pending.
 */
const struct nv_lpm_table *nv_lpm_prepare(struct nv_lpm *lpm)
{
	int ret;

	lockdep_assert_held(lpm->lock);

	if (WARN_ON(lpm->next))
		return ERR_PTR(-EBUSY);
	ret = build(lpm);
	return ret ? ERR_PTR(ret) : lpm->next;
}

/**
 * nv_lpm_commit() - make the prepared table the current one
 * @lpm: the LPM; the caller holds its lock
 *
 * Call once the prepared table is published: what it replaced is freed
 * after a grace period. Cannot fail.
 */
void nv_lpm_commit(struct nv_lpm *lpm)
{
	lockdep_assert_held(lpm->lock);

	if (!WARN_ON(!lpm->next))
		commit(lpm);
}

/**
 * nv_lpm_abort() - undo the staged changes and any prepared table
 * @lpm: the LPM; the caller holds its lock
 *
 * The current table stays as it was. Cannot fail.
 */
void nv_lpm_abort(struct nv_lpm *lpm)
{
	struct lpm_change *c, tmp;
	int ret;
	u32 i;

	lockdep_assert_held(lpm->lock);

	if (lpm->next)
		build_drop(lpm);
	/* Newest first, each undo needs no more nodes than its change freed. */
	for (i = lpm->log.n; i-- > 0; ) {
		c = arr_at(&lpm->log, i);
		if (c->had)
			ret = rib_insert(lpm, c->key, c->plen, c->old, &tmp);
		else
			ret = rib_delete(lpm, c->key, c->plen, &tmp);
		WARN_ON_ONCE(ret);
	}
	arr_free(&lpm->log);
	spare_free(lpm);
}

/**
 * nv_lpm_table() - the current table: the last one committed
 * @lpm: the LPM; the caller holds its lock
 *
 * Return: the table, for the caller to publish (say, at creation).
 */
const struct nv_lpm_table *nv_lpm_table(const struct nv_lpm *lpm)
{
	lockdep_assert_held(lpm->lock);
	return lpm->cur;
}

/**
 * nv_lpm_mem() - memory an LPM uses
 * @lpm: the LPM; the caller holds its lock
 * @mem: filled in
 */
void nv_lpm_mem(const struct nv_lpm *lpm, struct nv_lpm_mem *mem)
{
	lockdep_assert_held(lpm->lock);

	mem->table = lpm->table_mem;
	mem->writer = lpm->rib_nodes * kmalloc_size_roundup(sizeof(*lpm->rib)) +
		      kmalloc_size_roundup(sizeof(*lpm));
	mem->prefixes = lpm->published;
	mem->direct_bits = lpm->cur->bits;
}
