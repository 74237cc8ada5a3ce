/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Longest-prefix-match tables: one per tenant and address family.
 *
 * Writer (holds the configuration lock given to nv_lpm_create()):
 *
 *     nv_lpm_insert(), nv_lpm_delete()    stage changes, any number
 *     t = nv_lpm_prepare()                build the next table
 *     publish t, e.g. in the next configuration snapshot
 *     nv_lpm_commit()                     retire what t replaced
 *  or nv_lpm_abort()                      drop the staged changes
 *
 * Reader (packet path, under rcu_read_lock(), no lock, no allocation):
 *
 *     value = nv_lpm_lookup4(t, addr);    NV_LPM_NONE: no route
 *
 * A published table is never written again: the next one shares every
 * part the changes left alone, so a reader sees the old table or the new
 * one, whole. See lpm.c for the layout and its costs.
 */
#ifndef _NV_LPM_H
#define _NV_LPM_H

#include <linux/in6.h>
#include <linux/types.h>

/* Lookup result when no prefix matches; not a valid route value. */
#define NV_LPM_NONE		0xffffffffU

/* Key bits one trie node consumes: 64 slots, one bitmap word. */
#define NV_LPM_STRIDE		6

/*
 * Direct pointing: the top 6, 12 or 18 key bits index the table's entry
 * array, more for larger tables. Growing to 12 (18) bits at 2048
 * (131072) prefixes and shrinking at a quarter of that keeps lookups
 * near two node visits at any size while a small table stays small.
 */
#define NV_LPM_DIRECT_MIN	6
#define NV_LPM_DIRECT_MAX	18
#define NV_LPM_GROW(bits)	(1U << ((bits) - 1))

/* The entry array is copied on write in chunks of 2^9 entries (4 KiB). */
#define NV_LPM_CHUNK_BITS	9

/* Commits retiring more objects than this free them in process context. */
#define NV_LPM_GC_INLINE	4096

struct mutex;
struct nv_lpm;
struct nv_lpm_table;

/**
 * struct nv_lpm_mem - memory of one LPM, in allocated (rounded up) bytes
 * @table: the published lookup table: what readers use
 * @writer: the writer's prefix trie, the source of truth
 * @prefixes: prefixes in the published table
 * @direct_bits: key bits its direct-pointing array covers
 */
struct nv_lpm_mem {
	size_t table;
	size_t writer;
	u32 prefixes;
	u8 direct_bits;
};

struct nv_lpm *nv_lpm_create(unsigned int bits, struct mutex *lock);
void nv_lpm_destroy(struct nv_lpm *lpm);
int nv_lpm_insert(struct nv_lpm *lpm, const void *addr, u8 plen, u32 value);
int nv_lpm_delete(struct nv_lpm *lpm, const void *addr, u8 plen);
int nv_lpm_find(const struct nv_lpm *lpm, const void *addr, u8 plen,
		u32 *value);
u32 nv_lpm_match(const struct nv_lpm *lpm, const void *addr);
const struct nv_lpm_table *nv_lpm_prepare(struct nv_lpm *lpm);
void nv_lpm_commit(struct nv_lpm *lpm);
void nv_lpm_abort(struct nv_lpm *lpm);
const struct nv_lpm_table *nv_lpm_table(const struct nv_lpm *lpm);
void nv_lpm_mem(const struct nv_lpm *lpm, struct nv_lpm_mem *mem);

u32 nv_lpm_lookup4(const struct nv_lpm_table *t, __be32 addr);
u32 nv_lpm_lookup6(const struct nv_lpm_table *t, const struct in6_addr *addr);

#endif /* _NV_LPM_H */
