// SPDX-License-Identifier: GPL-2.0
/*
 * Configuration snapshots and transactions.
 *
 * A writer holds nv_net.lock, copies the published snapshot, edits the
 * copy, and publishes it with rcu_assign_pointer(): a reader sees the
 * old snapshot or the new one, never a mix, however many objects one
 * transaction changes. The old snapshot is freed after a grace period.
 */
#include <linux/slab.h>

#include "config.h"
#include "netns.h"

struct nv_config *nv_config_create(gfp_t gfp)
{
	return kzalloc(sizeof(struct nv_config), gfp);
}

void nv_config_destroy(struct nv_config *cfg)
{
	kfree(cfg);
}

void nv_config_free_rcu(struct rcu_head *head)
{
	nv_config_destroy(container_of(head, struct nv_config, rcu));
}

static struct nv_config *config_clone(const struct nv_config *old)
{
	struct nv_config *cfg = nv_config_create(GFP_KERNEL);

	if (!cfg)
		return NULL;
	cfg->gen = old->gen;
	cfg->counts = old->counts;
	return cfg;
}

/**
 * nv_txn_begin() - start a transaction on a namespace's configuration
 * @txn: transaction to initialise
 * @nn: namespace state; the caller holds @nn->lock until commit or abort
 *
 * Return: 0, or -ENOMEM when the private copy cannot be allocated.
 */
int nv_txn_begin(struct nv_txn *txn, struct nv_net *nn)
{
	lockdep_assert_held(&nn->lock);

	txn->nn = nn;
	txn->next = config_clone(nv_config_locked(nn));
	return txn->next ? 0 : -ENOMEM;
}

/**
 * nv_txn_commit() - publish a transaction's copy as the next generation
 * @txn: transaction started by nv_txn_begin()
 *
 * Cannot fail: everything that can fail happens before the commit, so a
 * change is either wholly published or not at all.
 */
void nv_txn_commit(struct nv_txn *txn)
{
	struct nv_net *nn = txn->nn;
	struct nv_config *old;

	lockdep_assert_held(&nn->lock);

	old = nv_config_locked(nn);
	txn->next->gen = old->gen + 1;
	rcu_assign_pointer(nn->config, txn->next);
	txn->next = NULL;
	call_rcu(&old->rcu, nv_config_free_rcu);
}

/**
 * nv_txn_abort() - drop a transaction; the published snapshot is untouched
 * @txn: transaction started by nv_txn_begin()
 */
void nv_txn_abort(struct nv_txn *txn)
{
	lockdep_assert_held(&txn->nn->lock);

	nv_config_destroy(txn->next);
	txn->next = NULL;
}
