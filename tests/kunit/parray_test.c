// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of persistent arrays: random sets and clears, in
 * transactions, against a plain array; every version shares all chunks
 * but the one it changed, and a published version is never changed.
 */
#include <kunit/test.h>
#include <linux/prandom.h>
#include <linux/slab.h>

#include "change.h"
#include "config.h"
#include "parray.h"
#include "test_nn.h"

#define REF_MAX	4096

/* The array a test expects, how it got there, and its sets in 10. */
struct ref {
	void *v[REF_MAX];
	u32 used;
	struct rnd_state rnd;
	u32 sets;
};

static void *ref_value(u32 i)
{
	return (void *)(uintptr_t)(((unsigned long)i << 4) | 1);
}

static void expect_same(struct kunit *test, const struct nv_parray *a,
			const struct ref *r)
{
	u32 i, bad = 0;

	KUNIT_ASSERT_LE(test, a->size, (u32)REF_MAX);
	KUNIT_EXPECT_EQ(test, a->used, r->used);
	for (i = 0; i < a->size; i++)
		bad += nv_parray_get(a, i) != r->v[i];
	for (; i < REF_MAX; i++)
		bad += !!r->v[i];
	KUNIT_EXPECT_EQ(test, bad, 0U);
}

static int ref_free_slot(const struct ref *r, u32 size)
{
	u32 i;

	for (i = 0; i < size; i++)
		if (!r->v[i])
			return i;
	return -1;
}

/*
 * One random change of @cur in @txn, the same in @r: a set at the first
 * free slot (growing when full) or a clear of a random used slot. The new version
 * shares every chunk of @cur but the changed one. @cur's top is freed
 * unless @keep: it is the published version.
 */
static struct nv_parray *step(struct kunit *test, struct nv_txn *txn,
			      struct nv_parray *cur, struct ref *r, bool keep)
{
	bool set = !r->used || prandom_u32_state(&r->rnd) % 10 < r->sets;
	struct nv_parray *next;
	u32 i, c, changed;
	int slot;

	slot = nv_parray_free_slot(cur);
	KUNIT_EXPECT_EQ(test, slot, ref_free_slot(r, cur->size));
	if (set) {
		i = slot < 0 ? cur->size : slot;
	} else {
		do
			i = prandom_u32_state(&r->rnd) % cur->size;
		while (!r->v[i]);
	}
	next = nv_parray_set(txn, cur, i, set ? ref_value(i) : NULL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, next);
	r->v[i] = set ? ref_value(i) : NULL;
	r->used += set ? 1 : -1;
	changed = i >> NV_PARRAY_CHUNK_SHIFT;
	for (c = 0; c < min(cur->n_chunks, next->n_chunks); c++)
		if (c != changed && cur->size >= NV_PARRAY_CHUNK)
			KUNIT_EXPECT_PTR_EQ(test, next->chunk[c], cur->chunk[c]);
	if (!keep)
		nv_parray_free(cur);
	expect_same(test, next, r);
	return next;
}

/* @n random steps from @from in one transaction; committed or not. */
static struct nv_parray *run_txn(struct kunit *test, struct nv_net *nn,
				 struct nv_parray *from, struct ref *r, u32 n,
				 bool commit)
{
	struct nv_parray *cur = from;
	struct nv_txn batch, part;
	u32 k;

	nv_change_lock(nn, false);
	KUNIT_ASSERT_EQ(test, nv_change_begin(&batch, nn, NULL), 0);
	KUNIT_ASSERT_EQ(test, nv_txn_begin(&part, nn), 0);
	for (k = 0; k < n; k++)
		cur = step(test, &part, cur, r, cur == from);
	if (commit) {
		KUNIT_EXPECT_EQ(test, nv_txn_commit(&part), 0);
		KUNIT_EXPECT_EQ(test, nv_change_end(&batch, 0, false), 0);
	} else {
		nv_txn_abort(&part);
		KUNIT_EXPECT_EQ(test, nv_change_end(&batch, -EINVAL, false),
				-EINVAL);
	}
	nv_change_unlock(&batch, NULL, false, NULL);
	return cur;
}

/*
 * 3,000 random changes, nine in ten sets, grow an array past two chunks;
 * 1,000 more, half of them clears, move it about: each version matches
 * the plain array; the published one is left unchanged by a transaction
 * that aborts, and the same changes then commit.
 */
static void parray_test_random_versions(struct kunit *test)
{
	struct ref *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	struct ref *again = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	struct ref *start = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	struct nv_net *nn = test_nn(test);
	struct nv_parray *v0, *v1, *last;

	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_ASSERT_NOT_NULL(test, again);
	KUNIT_ASSERT_NOT_NULL(test, start);
	prandom_seed_state(&r->rnd, 42);
	r->sets = 9;
	v0 = nv_parray_create(16);
	KUNIT_ASSERT_NOT_NULL(test, v0);
	/* Published: the first transaction's last version. */
	v1 = run_txn(test, nn, v0, r, 3000, true);
	r->sets = 5;
	KUNIT_EXPECT_GT(test, v1->size, 2 * NV_PARRAY_CHUNK);
	nv_parray_free(v0);
	*start = *r;
	*again = *r;
	last = run_txn(test, nn, v1, r, 1000, false);
	nv_parray_free(last);
	expect_same(test, v1, start);
	/* The same changes again (the same random state), committed. */
	last = run_txn(test, nn, v1, again, 1000, true);
	KUNIT_EXPECT_EQ(test, again->used, r->used);
	nv_parray_free(v1);
	test_nn_free(nn);
	nv_parray_destroy(last, NULL);
}

/* A small array is one chunk of its own size, doubling as it fills. */
static void parray_test_small_grows(struct kunit *test)
{
	struct ref *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	struct nv_net *nn = test_nn(test);
	struct nv_parray *v0, *last;
	struct nv_txn batch, part;
	u32 i;

	KUNIT_ASSERT_NOT_NULL(test, r);
	r->sets = 10;
	v0 = nv_parray_create(16);
	KUNIT_ASSERT_NOT_NULL(test, v0);
	nv_change_lock(nn, false);
	KUNIT_ASSERT_EQ(test, nv_change_begin(&batch, nn, NULL), 0);
	KUNIT_ASSERT_EQ(test, nv_txn_begin(&part, nn), 0);
	last = v0;
	for (i = 0; i < 17; i++)
		last = step(test, &part, last, r, last == v0);
	KUNIT_EXPECT_EQ(test, last->size, 32U);
	KUNIT_EXPECT_EQ(test, last->n_chunks, 1U);
	KUNIT_EXPECT_EQ(test, nv_parray_free_slot(last), 17);
	KUNIT_EXPECT_EQ(test, nv_txn_commit(&part), 0);
	KUNIT_EXPECT_EQ(test, nv_change_end(&batch, 0, false), 0);
	nv_change_unlock(&batch, NULL, false, NULL);
	nv_parray_free(v0);
	test_nn_free(nn);
	nv_parray_destroy(last, NULL);
}

static struct kunit_case parray_test_cases[] = {
	KUNIT_CASE(parray_test_random_versions),
	KUNIT_CASE(parray_test_small_grows),
	{}
};

static struct kunit_suite parray_test_suite = {
	.name = "netvirt-parray",
	.test_cases = parray_test_cases,
};

kunit_test_suite(parray_test_suite);
