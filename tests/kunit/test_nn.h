/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A namespace state for KUnit tests of transactions, with no namespace
 * behind it: init_net's, never registered.
 */
#ifndef _NV_TEST_NN_H
#define _NV_TEST_NN_H

#include <kunit/test.h>

#include "netns.h"

static inline struct nv_net *test_nn(struct kunit *test)
{
	struct nv_net *nn = kunit_kzalloc(test, sizeof(*nn), GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, nn);
	KUNIT_ASSERT_EQ(test, nv_net_init(nn, &init_net), 0);
	return nn;
}

static inline void test_nn_free(struct nv_net *nn)
{
	nv_net_uninit(nn);
	rcu_barrier();
}

#endif /* _NV_TEST_NN_H */
