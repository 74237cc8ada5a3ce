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
 * grace period after the caller publishes the new table. That builder is
 * lpm_build.c; this file holds the lookup and the writer's trie and API.
 */
#include <asm/byteorder.h>
#include <linux/bitops.h>
#include <linux/err.h>
#include <linux/lockdep.h>
#include <linux/minmax.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "lpm_priv.h"

/* Lookup */

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
 * Entries are tagged words, not pointers: READ_ONCE() loads them, and the
 * address dependency orders what they point to, as rcu_dereference()
 * would. All of it was written before the caller published the table.
 */
static __always_inline u32 lookup(const struct nv_lpm_table *t, u64 hi,
				  u64 lo, bool v6)
{
	u32 i = hi >> (64 - t->bits), d = t->bits;
	const u64 *chunk = rcu_dereference(t->chunk[i >> t->cbits]);
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

/* The writer's trie */

static void key_load(const struct nv_lpm *lpm, const void *addr, u8 plen,
		     u64 *key)
{
	__be32 w[4] = {};

	memcpy(w, addr, lpm->v6 ? 16 : 4);
	key[0] = (u64)be32_to_cpu(w[0]) << 32 | be32_to_cpu(w[1]);
	key[1] = (u64)be32_to_cpu(w[2]) << 32 | be32_to_cpu(w[3]);
	key_mask(key, plen);
}

static struct rib_node *rib_alloc(struct nv_lpm *lpm, const u64 *key,
				  u8 plen)
{
	struct rib_node *n = lpm->spare;

	if (n)
		lpm->spare = n->child[0];
	else
		n = kmalloc(sizeof(*n), GFP_KERNEL_ACCOUNT);
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

/*
 * Ends a transaction: the prepared table becomes the current one and the
 * log, with the nodes kept for its undo, is forgotten.
 */
static void commit(struct nv_lpm *lpm)
{
	lpm_next_commit(lpm);
	nv_array_free(&lpm->log);
	spare_free(lpm);
}

/* Writer API */

/* The current table, for its writer. */
static const struct nv_lpm_table *cur_table(const struct nv_lpm *lpm)
{
	return rcu_dereference_protected(lpm->cur, lockdep_is_held(lpm->lock));
}

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
	lpm = kzalloc(sizeof(*lpm), GFP_KERNEL_ACCOUNT);
	if (!lpm)
		return NULL;
	lpm->lock = lock;
	lpm->v6 = bits == 128;
	lpm->epoch = 1;
	lpm->rib = rib_alloc(lpm, zero, 0);
	if (!lpm->rib || lpm_next_build(lpm, NULL)) {
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
		lpm_next_drop(lpm);
	lpm_table_free(lpm);
	nv_array_free(&lpm->log);
	spare_free(lpm);
	rib_free(lpm->rib);
	kfree(lpm);
}

static int stage(struct nv_lpm *lpm, const void *addr, u8 plen, u32 value,
		 bool insert)
{
	struct lpm_change c = { .plen = plen };
	int ret;

	ret = -EBUSY;
	if (WARN_ON(lpm->next))
		goto out;
	ret = -EINVAL;
	if (plen > (lpm->v6 ? 128 : 32) || value == NV_LPM_NONE)
		goto out;
	ret = nv_array_reserve(&lpm->log, 1, GFP_KERNEL_ACCOUNT);
	if (ret)
		goto out;
	key_load(lpm, addr, plen, c.key);
	if (insert)
		ret = rib_insert(lpm, c.key, plen, value, &c);
	else
		ret = rib_delete(lpm, c.key, plen, &c);
	if (!ret)
		lpm->log.v[lpm->log.n++] = c;
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
	lockdep_assert_held(lpm->lock);
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
	lockdep_assert_held(lpm->lock);
	return stage(lpm, addr, plen, 0, false);
}

/**
 * nv_lpm_find() - the value of a prefix, staged changes included
 * @lpm: the LPM; the caller holds its lock
 * @addr: the prefix's address in network order, 4 or 16 bytes
 * @plen: prefix length
 * @value: set to the prefix's value
 *
 * An exact match in the writer's trie: at most one node per key bit.
 *
 * Return: 0, or -ENOENT when the prefix is not in the LPM.
 */
int nv_lpm_find(const struct nv_lpm *lpm, const void *addr, u8 plen,
		u32 *value)
{
	const struct rib_node *n = lpm->rib;
	u64 key[2];

	lockdep_assert_held(lpm->lock);
	if (plen > (lpm->v6 ? 128 : 32))
		return -ENOENT;
	key_load(lpm, addr, plen, key);
	while (n && n->plen < plen) {
		n = n->child[key_bit(key, n->plen)];
		if (n && key_diff(key, n->key) < min(n->plen, plen))
			return -ENOENT;
	}
	if (!n || n->plen != plen || !(n->flags & RIB_VALUE))
		return -ENOENT;
	*value = n->value;
	return 0;
}

/**
 * nv_lpm_match() - the value of the longest prefix holding an address,
 *	staged changes included
 * @lpm: the LPM; the caller holds its lock
 * @addr: the address in network order, 4 or 16 bytes
 *
 * The writer's own lookup, in its trie, for checks a transaction makes
 * before its table is built: at most one node per key bit.
 *
 * Return: the value, or NV_LPM_NONE when no prefix holds @addr.
 */
u32 nv_lpm_match(const struct nv_lpm *lpm, const void *addr)
{
	u8 bits = lpm->v6 ? 128 : 32;
	const struct rib_node *n = lpm->rib;
	u32 best = NV_LPM_NONE;
	u64 key[2];

	lockdep_assert_held(lpm->lock);
	key_load(lpm, addr, bits, key);
	while (n && key_diff(key, n->key) >= n->plen) {
		if (n->flags & RIB_VALUE)
			best = n->value;
		if (n->plen == bits)
			break;
		n = n->child[key_bit(key, n->plen)];
	}
	return best;
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
	ret = lpm_next_build(lpm, cur_table(lpm));
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
		lpm_next_drop(lpm);
	/* Newest first, each undo needs no more nodes than its change freed. */
	for (i = lpm->log.n; i-- > 0; ) {
		c = &lpm->log.v[i];
		if (c->had)
			ret = rib_insert(lpm, c->key, c->plen, c->old, &tmp);
		else
			ret = rib_delete(lpm, c->key, c->plen, &tmp);
		WARN_ON_ONCE(ret);
	}
	nv_array_free(&lpm->log);
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
	return cur_table(lpm);
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
	mem->direct_bits = cur_table(lpm)->bits;
}
