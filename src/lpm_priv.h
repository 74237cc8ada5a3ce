/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The LPM's internals, shared by its writer and lookups (lpm.c) and the
 * builder of its table versions (lpm_build.c). See lpm.c for the layout.
 *
 * The writer loads the pointers readers follow (struct nv_lpm's cur, a
 * table's chunk[]) with rcu_dereference_protected() on its lock: a
 * published table is never written, only replaced.
 */
#ifndef _NV_LPM_PRIV_H
#define _NV_LPM_PRIV_H

#include <linux/bitops.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/types.h>

#include "array.h"
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
	u64 __rcu *chunk[];	/* never rewritten once published */
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

/* A staged change, as what undoes it. */
struct lpm_change {
	u64 key[2];
	u32 old;
	u8 plen;
	bool had;
};

/* A growable array of pointers (array.h): named, as helpers take one. */
struct lpm_ptrs {
	void **v;
	u32 n;
	u32 cap;
};

/* Objects a prepared table replaces; freed after its publication. */
struct lpm_gc {
	struct rcu_head rcu;
	struct lpm_ptrs objs;
};

/* The writer's side of one LPM. */
struct nv_lpm {
	struct mutex *lock;	/* the caller's; every writer holds it */
	struct rib_node *rib;
	struct rib_node *spare;
	const struct nv_lpm_table __rcu *cur;	/* published by the caller */
	struct nv_lpm_table *next;
	struct lpm_gc *gc;
	NV_DECLARE_ARRAY(log, struct lpm_change);
	struct lpm_ptrs fresh;
	size_t table_mem;
	long mem_delta;
	u32 rib_nodes;
	u32 prefixes;
	u32 published;
	u32 epoch;
	bool v6;
};

/* Entries */

static __always_inline const void *ent_ptr(u64 e)
{
	return (const void *)(uintptr_t)(e & ~ENT_TAGS);
}

static inline u64 ent_leaf(u32 value)
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

/* Arrays of pointers */

/* Runs for every object a build makes or drops: grows only when full. */
static inline int ptrs_push(struct lpm_ptrs *a, const void *ptr)
{
	if (a->n == a->cap && nv_array_reserve(a, 1, GFP_KERNEL_ACCOUNT))
		return -ENOMEM;
	a->v[a->n++] = (void *)ptr;
	return 0;
}

/* Frees the objects an array of pointers holds, then the array. */
static inline void ptrs_free_objs(struct lpm_ptrs *a)
{
	u32 i;

	for (i = 0; i < a->n; i++)
		kfree(a->v[i]);
	nv_array_free(a);
}

/* Keys: two words, most significant bit first; IPv4 in the top half. */

static inline u64 mask64(u32 len)
{
	return len ? ~0ULL << (64 - len) : 0;
}

static inline void key_mask(u64 *key, u32 plen)
{
	if (plen <= 64) {
		key[0] &= mask64(plen);
		key[1] = 0;
	} else {
		key[1] &= mask64(plen - 64);
	}
}

static inline bool key_bit(const u64 *key, u32 i)
{
	return (key[i / 64] >> (63 - i % 64)) & 1;
}

/* Index of the first bit where two keys differ; 128 if none. */
static inline u32 key_diff(const u64 *a, const u64 *b)
{
	u64 x = a[0] ^ b[0];

	if (x)
		return 64 - fls64(x);
	x = a[1] ^ b[1];
	return x ? 128 - fls64(x) : 128;
}

/* Table versions: lpm_build.c */
int lpm_next_build(struct nv_lpm *lpm, const struct nv_lpm_table *old);
void lpm_next_drop(struct nv_lpm *lpm);
void lpm_next_commit(struct nv_lpm *lpm);
void lpm_table_free(struct nv_lpm *lpm);

#endif /* _NV_LPM_PRIV_H */
