// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of configuration snapshots and transactions.
 */
#include <kunit/test.h>

#include "change.h"
#include "config.h"
#include "netns.h"
#include "test_nn.h"

static void config_test_new_is_empty(struct kunit *test)
{
	struct nv_net *nn = test_nn(test);
	struct nv_config *cfg;

	mutex_lock(&nn->lock);
	cfg = nv_config_locked(nn);
	KUNIT_EXPECT_EQ(test, cfg->gen, 0ULL);
	KUNIT_EXPECT_EQ(test, cfg->counts.tenants, 0U);
	KUNIT_EXPECT_EQ(test, cfg->counts.routes, 0U);
	mutex_unlock(&nn->lock);
	test_nn_free(nn);
}

static void config_test_commit_publishes_copy(struct kunit *test)
{
	struct nv_net *nn = test_nn(test);
	struct nv_config *before;
	struct nv_txn txn;

	mutex_lock(&nn->lock);
	before = nv_config_locked(nn);
	KUNIT_ASSERT_EQ(test, nv_txn_begin(&txn, nn), 0);
	KUNIT_EXPECT_PTR_NE(test, txn.next, before);

	txn.next->counts.tenants = 3;
	/* Not visible until the commit. */
	KUNIT_EXPECT_EQ(test, nv_config_locked(nn)->counts.tenants, 0U);

	KUNIT_ASSERT_EQ(test, nv_txn_commit(&txn), 0);
	KUNIT_EXPECT_PTR_EQ(test, txn.next, NULL);
	KUNIT_EXPECT_EQ(test, nv_config_locked(nn)->counts.tenants, 3U);
	KUNIT_EXPECT_EQ(test, nv_config_locked(nn)->gen, 1ULL);
	mutex_unlock(&nn->lock);
	test_nn_free(nn);
}

static void config_test_abort_changes_nothing(struct kunit *test)
{
	struct nv_net *nn = test_nn(test);
	struct nv_config *before;
	struct nv_txn txn;

	mutex_lock(&nn->lock);
	before = nv_config_locked(nn);
	KUNIT_ASSERT_EQ(test, nv_txn_begin(&txn, nn), 0);
	txn.next->counts.ports = 7;
	nv_txn_abort(&txn);

	KUNIT_EXPECT_PTR_EQ(test, nv_config_locked(nn), before);
	KUNIT_EXPECT_EQ(test, before->counts.ports, 0U);
	KUNIT_EXPECT_EQ(test, before->gen, 0ULL);
	mutex_unlock(&nn->lock);
	test_nn_free(nn);
}

/* A reader keeps the snapshot it took, whole, across a commit. */
static void config_test_reader_keeps_snapshot(struct kunit *test)
{
	struct nv_net *nn = test_nn(test);
	const struct nv_config *seen;
	struct nv_txn txn;

	/* The writer allocates before the reader enters its read section:
	 * nothing may sleep inside it. A commit with no hooks does not.
	 */
	mutex_lock(&nn->lock);
	KUNIT_ASSERT_EQ(test, nv_txn_begin(&txn, nn), 0);
	txn.next->counts.routes = 42;

	rcu_read_lock();
	seen = rcu_dereference(nn->config);
	KUNIT_EXPECT_EQ(test, nv_txn_commit(&txn), 0);
	KUNIT_EXPECT_EQ(test, seen->gen, 0ULL);
	KUNIT_EXPECT_EQ(test, seen->counts.routes, 0U);
	KUNIT_EXPECT_EQ(test, rcu_dereference(nn->config)->counts.routes, 42U);
	rcu_read_unlock();
	mutex_unlock(&nn->lock);
	test_nn_free(nn);
}

static void config_test_generations_increase(struct kunit *test)
{
	struct nv_net *nn = test_nn(test);
	struct nv_txn txn;
	int i;

	mutex_lock(&nn->lock);
	for (i = 0; i < 100; i++) {
		KUNIT_ASSERT_EQ(test, nv_txn_begin(&txn, nn), 0);
		txn.next->counts.rules++;
		if (i % 10 == 9) {
			nv_txn_abort(&txn);
			continue;
		}
		KUNIT_ASSERT_EQ(test, nv_txn_commit(&txn), 0);
	}
	KUNIT_EXPECT_EQ(test, nv_config_locked(nn)->gen, 90ULL);
	KUNIT_EXPECT_EQ(test, nv_config_locked(nn)->counts.rules, 90U);
	mutex_unlock(&nn->lock);
	test_nn_free(nn);
}

/* A part of the request's transaction that counts @n more tenants. */
static void test_part(struct kunit *test, struct nv_net *nn,
		      struct nv_txn *batch, u32 n, bool commit)
{
	struct nv_txn part;

	KUNIT_ASSERT_EQ(test, nv_txn_begin(&part, nn), 0);
	KUNIT_EXPECT_PTR_EQ(test, part.parent, batch);
	/* It edits the request's copy, which the next part sees. */
	KUNIT_EXPECT_PTR_EQ(test, part.next, batch->next);
	KUNIT_EXPECT_PTR_EQ(test, nv_config_locked(nn), batch->next);
	part.next->counts.tenants += n;
	if (commit)
		KUNIT_EXPECT_EQ(test, nv_txn_commit(&part), 0);
	else
		nv_txn_abort(&part);
}

static void config_test_parts_publish_once(struct kunit *test)
{
	struct nv_net *nn = test_nn(test);
	struct nv_txn batch;
	int i;

	nv_change_lock(nn, false);
	KUNIT_ASSERT_EQ(test, nv_change_begin(&batch, nn, NULL), 0);
	for (i = 0; i < 3; i++) {
		test_part(test, nn, &batch, 1, true);
		/* Published: nothing yet. */
		KUNIT_EXPECT_EQ(test, nv_config_published(nn)->gen, 0ULL);
	}
	KUNIT_EXPECT_EQ(test, nv_change_end(&batch, 0, false), 0);
	KUNIT_EXPECT_EQ(test, nv_config_published(nn)->gen, 1ULL);
	KUNIT_EXPECT_EQ(test, nv_config_published(nn)->counts.tenants, 3U);
	KUNIT_EXPECT_PTR_EQ(test, nn->batch, NULL);
	nv_change_unlock(&batch, NULL, false, NULL);
	test_nn_free(nn);
}

static void config_test_part_abort_aborts_all(struct kunit *test)
{
	struct nv_net *nn = test_nn(test);
	struct nv_txn batch;

	nv_change_lock(nn, false);
	KUNIT_ASSERT_EQ(test, nv_change_begin(&batch, nn, NULL), 0);
	test_part(test, nn, &batch, 1, true);
	test_part(test, nn, &batch, 1, false);
	KUNIT_EXPECT_TRUE(test, batch.failed);
	KUNIT_EXPECT_EQ(test, nv_change_end(&batch, -EINVAL, false), -EINVAL);
	KUNIT_EXPECT_EQ(test, nv_config_published(nn)->gen, 0ULL);
	KUNIT_EXPECT_EQ(test, nv_config_published(nn)->counts.tenants, 0U);
	nv_change_unlock(&batch, NULL, false, NULL);
	test_nn_free(nn);
}

/* A check prepares and publishes nothing; nor does a change of nothing. */
static void config_test_check_and_empty_publish_nothing(struct kunit *test)
{
	struct nv_net *nn = test_nn(test);
	struct nv_txn batch;

	nv_change_lock(nn, false);
	KUNIT_ASSERT_EQ(test, nv_change_begin(&batch, nn, NULL), 0);
	test_part(test, nn, &batch, 2, true);
	KUNIT_EXPECT_EQ(test, nv_change_end(&batch, 0, true), 0);
	KUNIT_EXPECT_EQ(test, nv_config_published(nn)->gen, 0ULL);
	KUNIT_EXPECT_EQ(test, nv_config_published(nn)->counts.tenants, 0U);
	nv_change_unlock(&batch, NULL, false, NULL);

	nv_change_lock(nn, false);
	KUNIT_ASSERT_EQ(test, nv_change_begin(&batch, nn, NULL), 0);
	KUNIT_EXPECT_EQ(test, nv_change_end(&batch, 0, false), 0);
	KUNIT_EXPECT_EQ(test, nv_config_published(nn)->gen, 0ULL);
	nv_change_unlock(&batch, NULL, false, NULL);
	test_nn_free(nn);
}

/* An object of a test transaction, counted when freed. */
struct test_obj {
	int *freed;
};

static void test_obj_free(void *obj)
{
	struct test_obj *o = obj;

	++*o->freed;
	kfree(o);
}

static struct test_obj *test_obj_new(struct kunit *test, struct nv_txn *txn,
				     int *freed)
{
	struct test_obj *o = kzalloc(sizeof(*o), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, o);
	o->freed = freed;
	KUNIT_ASSERT_EQ(test, nv_txn_created(txn, test_obj_free, o), 0);
	return o;
}

/*
 * A version a transaction made and replaced is freed at once; a published
 * one waits for its snapshot, and what a part dropped stays dropped when
 * the transaction aborts. Past the search window, a version is retired
 * instead, and then freed exactly once by the abort.
 */
static void config_test_drop_frees_own_versions(struct kunit *test)
{
	struct nv_net *nn = test_nn(test);
	int pub = 0, v1 = 0, v2 = 0, filler = 0, far = 0;
	struct test_obj *p, *o;
	struct nv_txn batch, part;
	int i;

	nv_change_lock(nn, false);
	KUNIT_ASSERT_EQ(test, nv_change_begin(&batch, nn, NULL), 0);
	KUNIT_ASSERT_EQ(test, nv_txn_begin(&part, nn), 0);
	p = test_obj_new(test, &part, &pub);
	KUNIT_ASSERT_EQ(test, nv_txn_commit(&part), 0);
	KUNIT_ASSERT_EQ(test, nv_change_end(&batch, 0, false), 0);
	nv_change_unlock(&batch, NULL, false, NULL);

	nv_change_lock(nn, false);
	KUNIT_ASSERT_EQ(test, nv_change_begin(&batch, nn, NULL), 0);
	KUNIT_ASSERT_EQ(test, nv_txn_begin(&part, nn), 0);
	o = test_obj_new(test, &part, &v1);
	KUNIT_EXPECT_EQ(test, nv_txn_drop(&part, test_obj_free, p), 0);
	KUNIT_EXPECT_EQ(test, pub, 0);		/* published: retired */
	KUNIT_ASSERT_EQ(test, nv_txn_commit(&part), 0);
	KUNIT_ASSERT_EQ(test, nv_txn_begin(&part, nn), 0);
	test_obj_new(test, &part, &v2);
	KUNIT_EXPECT_EQ(test, nv_txn_drop(&part, test_obj_free, o), 0);
	KUNIT_EXPECT_EQ(test, v1, 1);		/* its own: freed now */
	o = test_obj_new(test, &part, &far);
	for (i = 0; i < 40; i++)
		test_obj_new(test, &part, &filler);
	KUNIT_EXPECT_EQ(test, nv_txn_drop(&part, test_obj_free, o), 0);
	KUNIT_EXPECT_EQ(test, far, 0);		/* out of the window */
	nv_txn_abort(&part);
	KUNIT_EXPECT_EQ(test, nv_change_end(&batch, -EINVAL, false), -EINVAL);
	nv_change_unlock(&batch, NULL, false, NULL);
	KUNIT_EXPECT_EQ(test, v1, 1);
	KUNIT_EXPECT_EQ(test, v2, 1);
	KUNIT_EXPECT_EQ(test, far, 1);
	KUNIT_EXPECT_EQ(test, filler, 40);
	KUNIT_EXPECT_EQ(test, pub, 0);		/* still published */
	test_nn_free(nn);
	test_obj_free(p);
}

static void config_test_uninit_unpublishes(struct kunit *test)
{
	struct nv_net *nn = test_nn(test);

	nv_net_uninit(nn);
	KUNIT_EXPECT_PTR_EQ(test, rcu_access_pointer(nn->config), NULL);
	rcu_barrier();
}

static struct kunit_case config_test_cases[] = {
	KUNIT_CASE(config_test_new_is_empty),
	KUNIT_CASE(config_test_commit_publishes_copy),
	KUNIT_CASE(config_test_abort_changes_nothing),
	KUNIT_CASE(config_test_reader_keeps_snapshot),
	KUNIT_CASE(config_test_generations_increase),
	KUNIT_CASE(config_test_uninit_unpublishes),
	KUNIT_CASE(config_test_parts_publish_once),
	KUNIT_CASE(config_test_part_abort_aborts_all),
	KUNIT_CASE(config_test_check_and_empty_publish_nothing),
	KUNIT_CASE(config_test_drop_frees_own_versions),
	{}
};

static struct kunit_suite config_test_suite = {
	.name = "netvirt-config",
	.test_cases = config_test_cases,
};

kunit_test_suite(config_test_suite);
