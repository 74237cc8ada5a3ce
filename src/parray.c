// SPDX-License-Identifier: GPL-2.0
/*
 * Persistent arrays of pointers; see parray.h.
 */
#include <linux/err.h>
#include <linux/log2.h>
#include <linux/math.h>
#include <linux/minmax.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "config.h"
#include "netns.h"
#include "parray.h"

/* Slots of each chunk of an array of @size slots. */
static u32 chunk_slots(u32 size)
{
	return min_t(u32, size, NV_PARRAY_CHUNK);
}

/* Slots each chunk of @a uses, after its chunk pointers. */
static u16 *chunk_used(const struct nv_parray *a)
{
	return (u16 *)&a->chunk[a->n_chunks];
}

static struct nv_parray *top_alloc(u32 size)
{
	u32 n = DIV_ROUND_UP(size, NV_PARRAY_CHUNK);
	struct nv_parray *a;

	a = kvmalloc(struct_size(a, chunk, n) + n * sizeof(u16),
		     GFP_KERNEL_ACCOUNT);
	if (!a)
		return NULL;
	a->size = size;
	a->used = 0;
	a->n_chunks = n;
	return a;
}

static void **chunk_alloc(u32 slots)
{
	return kvcalloc(slots, sizeof(void *), GFP_KERNEL_ACCOUNT);
}

static void chunk_free(void *c)
{
	kvfree(c);
}

/**
 * nv_parray_create() - an empty array, the first version of its line
 * @size: its slots: a power of two, at most NV_PARRAY_CHUNK
 *
 * Return: the array, or NULL when out of memory.
 */
struct nv_parray *nv_parray_create(u32 size)
{
	struct nv_parray *a;

	if (WARN_ON_ONCE(!is_power_of_2(size) || size > NV_PARRAY_CHUNK))
		return NULL;
	a = top_alloc(size);
	if (!a)
		return NULL;
	a->chunk[0] = chunk_alloc(size);
	if (!a->chunk[0]) {
		kvfree(a);
		return NULL;
	}
	chunk_used(a)[0] = 0;
	return a;
}

/**
 * nv_parray_free() - free a version's top array, not its chunks
 * @a: the version; NULL is ignored
 */
void nv_parray_free(struct nv_parray *a)
{
	kvfree(a);
}

/**
 * nv_parray_destroy() - free the last version of an array, and all in it
 * @a: the version, which no reader and no other version reaches any more
 * @free: called on every pointer it holds, or NULL
 */
void nv_parray_destroy(struct nv_parray *a, void (*free)(void *))
{
	u32 c, i;

	if (!a)
		return;
	for (c = 0; c < a->n_chunks; c++) {
		for (i = 0; free && i < chunk_slots(a->size); i++)
			if (a->chunk[c][i])
				free(a->chunk[c][i]);
		chunk_free(a->chunk[c]);
	}
	kvfree(a);
}

/**
 * nv_parray_free_slot() - a free slot of @a
 * @a: the array
 *
 * Looks at the chunks' counts first, then in the first chunk with room:
 * O(n / NV_PARRAY_CHUNK + NV_PARRAY_CHUNK).
 *
 * Return: the first free slot, or -1 when every slot is used.
 */
int nv_parray_free_slot(const struct nv_parray *a)
{
	u32 slots = chunk_slots(a->size), c, i;

	if (a->used == a->size)
		return -1;
	for (c = 0; c < a->n_chunks; c++) {
		if (chunk_used(a)[c] == slots)
			continue;
		for (i = 0; i < slots; i++)
			if (!a->chunk[c][i])
				return c * NV_PARRAY_CHUNK + i;
	}
	return -1;
}

/* @old's size, grown to hold slot @i: doubled, then a chunk at a time. */
static u32 size_for(const struct nv_parray *old, u32 i)
{
	u32 size = old->size;

	while (i >= size)
		size = size < NV_PARRAY_CHUNK ?
		       min_t(u32, 2 * size, NV_PARRAY_CHUNK) :
		       size + NV_PARRAY_CHUNK;
	return size;
}

/* Chunk @c of @a, from @old's: copied, or new; NULL when out of memory. */
static void **chunk_next(const struct nv_parray *old,
			 const struct nv_parray *a, u32 c)
{
	void **n = chunk_alloc(chunk_slots(a->size));

	if (n && c < old->n_chunks)
		memcpy(n, old->chunk[c], chunk_slots(old->size) * sizeof(*n));
	return n;
}

/**
 * nv_parray_set() - the version after @old with @v in slot @i
 * @txn: the transaction; the caller holds nv_net.lock
 * @old: the version it follows, which stays as it is
 * @i: the slot: one of @old's, or @old->size to grow by one slot at least
 * @v: the pointer, or NULL to free the slot
 *
 * The new version shares every chunk of @old but the one it changes: that
 * one is copied, handed to @txn, and @old's dropped from it (freed at
 * once when @txn made it: @old is then to be dropped too, see
 * nv_txn_drop()). The caller owns the new top array, and frees @old's
 * (nv_parray_free()) as it drops @old's version.
 *
 * Return: the new version, or an ERR_PTR with @txn to abort.
 */
struct nv_parray *nv_parray_set(struct nv_txn *txn,
				const struct nv_parray *old, u32 i, void *v)
{
	u32 c = i >> NV_PARRAY_CHUNK_SHIFT, j = i & (NV_PARRAY_CHUNK - 1);
	struct nv_parray *a;
	void **chunk, *was;
	int ret;

	lockdep_assert_held(&txn->nn->lock);
	if (WARN_ON_ONCE(i > old->size))
		return ERR_PTR(-EINVAL);
	a = top_alloc(size_for(old, i));
	if (!a)
		return ERR_PTR(-ENOMEM);
	memcpy(a->chunk, old->chunk, old->n_chunks * sizeof(a->chunk[0]));
	memcpy(chunk_used(a), chunk_used(old), old->n_chunks * sizeof(u16));
	if (c >= old->n_chunks)
		chunk_used(a)[c] = 0;
	a->used = old->used;
	chunk = chunk_next(old, a, c);
	ret = chunk ? nv_txn_created(txn, chunk_free, chunk) : -ENOMEM;
	if (!ret && c < old->n_chunks)
		ret = nv_txn_drop(txn, chunk_free, old->chunk[c]);
	if (ret) {
		kvfree(a);
		return ERR_PTR(ret);
	}
	was = chunk[j];
	chunk[j] = v;
	chunk_used(a)[c] += !!v - !!was;
	a->used += !!v - !!was;
	a->chunk[c] = chunk;
	return a;
}
