/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NV_CONFIG_H
#define _NV_CONFIG_H

#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/types.h>

/**
 * struct nv_counts - number of configured objects of each kind
 * @tenants: tenants
 * @ports: VM ports
 * @routes: routes over all tenants
 * @rules: firewall rules over all tenants
 */
struct nv_counts {
	u32 tenants;
	u32 ports;
	u32 routes;
	u32 rules;
};

/**
 * struct nv_config - one immutable snapshot of a namespace's configuration
 * @gen: generation; every commit publishes the next one
 * @counts: object counts, kept in step with the objects by each change
 * @rcu: frees the snapshot once no reader can hold it
 *
 * A published snapshot is never written again. The packet path reads it
 * under rcu_read_lock(); a writer edits a private copy inside a
 * transaction and publishes the copy with one pointer store.
 */
struct nv_config {
	u64 gen;
	struct nv_counts counts;
	struct rcu_head rcu;
};

/**
 * struct nv_txn - a transaction on a namespace's configuration
 * @nn: the namespace state, whose lock the owner holds throughout
 * @next: private copy being edited; published by nv_txn_commit()
 */
struct nv_txn {
	struct nv_net *nn;
	struct nv_config *next;
};

struct nv_net;

struct nv_config *nv_config_create(gfp_t gfp);
void nv_config_destroy(struct nv_config *cfg);
void nv_config_free_rcu(struct rcu_head *head);
int nv_txn_begin(struct nv_txn *txn, struct nv_net *nn);
void nv_txn_commit(struct nv_txn *txn);
void nv_txn_abort(struct nv_txn *txn);

#endif /* _NV_CONFIG_H */
