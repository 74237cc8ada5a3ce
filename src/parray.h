/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Persistent arrays of pointers: the versions of a slot array that
 * transactions make, sharing what they did not change.
 *
 * A version is a top array of chunk pointers; a chunk holds up to
 * NV_PARRAY_CHUNK slots. Setting a slot makes the next version: a copy of
 * the top (one pointer per NV_PARRAY_CHUNK slots) and of the one chunk it
 * changes, never of the whole array, so a change costs O(n / 1024 + 1024)
 * pointer copies, not O(n), and a version shares every other chunk with
 * the one before it. An array smaller than a chunk is one chunk of its own
 * size, doubling as it fills, so that a small array stays small.
 *
 * Readers (RCU) index a published version: two loads. Writers make
 * versions inside a transaction (config.h): the chunks a version no
 * longer shares are dropped with nv_txn_drop(), so a chunk made and
 * replaced in one transaction is freed at once, and one still published
 * is freed with its snapshot. The caller owns the top arrays (as it owns
 * the versions it embeds them in) and frees the last version's chunks and
 * elements with nv_parray_destroy().
 */
#ifndef _NV_PARRAY_H
#define _NV_PARRAY_H

#include <linux/bits.h>
#include <linux/types.h>

#define NV_PARRAY_CHUNK_SHIFT	10
#define NV_PARRAY_CHUNK		BIT(NV_PARRAY_CHUNK_SHIFT)

struct nv_txn;

/**
 * struct nv_parray - one version of a persistent array
 * @size: slots
 * @used: slots that hold a pointer
 * @n_chunks: entries of @chunk
 * @chunk: the chunks, each an array of min(@size, NV_PARRAY_CHUNK) slots
 *	(NULL for a free one); after them, the slots each chunk uses, a u16
 *	each (nv_parray_chunk_used()): a chunk is exactly its slots, 8 KiB
 */
struct nv_parray {
	u32 size;
	u32 used;
	u32 n_chunks;
	void **chunk[];
};

/* The pointer in slot @i < @a->size; NULL for a free slot. */
static inline void *nv_parray_get(const struct nv_parray *a, u32 i)
{
	return a->chunk[i >> NV_PARRAY_CHUNK_SHIFT][i & (NV_PARRAY_CHUNK - 1)];
}

struct nv_parray *nv_parray_create(u32 size);
void nv_parray_free(struct nv_parray *a);
void nv_parray_destroy(struct nv_parray *a, void (*free)(void *));
int nv_parray_free_slot(const struct nv_parray *a);
struct nv_parray *nv_parray_set(struct nv_txn *txn,
				const struct nv_parray *old, u32 i, void *v);

#endif /* _NV_PARRAY_H */
