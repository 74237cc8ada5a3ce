/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NV_NETNS_H
#define _NV_NETNS_H

#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/rtnetlink.h>
#include <net/net_namespace.h>

#include "config.h"

/**
 * DOC: Locking
 *
 * Writers. Every configuration change of a namespace runs under its
 * nv_net.lock, which nv_change_run() (change.c) takes for the whole of a
 * change request, or of a client transaction's commit (txn.c): handlers
 * take no lock. The private copy of the snapshot, the publication of
 * nv_net.config, nv_net.batch, and the writer-side state that lives
 * across versions (a tenant's route store and the writer tries of its
 * LPMs, nv_net.ct_labels) are written only under it. Every config-path
 * function asserts it with lockdep_assert_held(), and reads the
 * configuration through nv_config_locked().
 *
 * RTNL. Attaching and detaching devices (ports, the tunnel device, the
 * uplink) needs RTNL, so the requests that may do either (PORT_*,
 * TENANT_DEL, HOST_*, UPLINK_*: struct nv_cmd's rtnl), a transaction
 * holding one, the netdev notifiers and namespace exit hold RTNL too. nv_net.lock nests
 * inside RTNL: take RTNL first (nv_net_lock_rtnl()); never take RTNL
 * while holding nv_net.lock.
 *
 * Readers take no lock. The packet path, and the GET and dump handlers
 * that need no device, read under rcu_read_lock(): rcu_dereference() of
 * nv_net.config once, then only pointers inside that snapshot. What a
 * published snapshot reaches is never written again, except per-CPU
 * counters and the host's tunnel metadata table (see tunnel.c), which
 * the packet path writes locklessly. Retired objects are freed after a
 * grace period (docs/architecture.md, "Object lifetimes").
 */

/**
 * struct nv_net - netvirt state of one network namespace
 * @lock: serialises every configuration writer of the namespace
 * @config: the published configuration snapshot; RCU for readers,
 *	written only under @lock
 * @net: the namespace this state belongs to
 * @ct_labels: holds conntrack labels (nv_fw_ct_labels_get()); under @lock
 * @rtnl_writer: a writer holds RTNL and @lock (nv_net_lock_rtnl()); under
 *	RTNL. A netdev notifier, which runs under RTNL, that finds it set
 *	runs in that writer's thread: @lock is held already
 * @userns_writers: change requests running (userns.c); under its lock
 * @userns_charged: counted against its user namespaces (userns.c); under
 *	its lock
 * @batch: the transaction of the change request running (nv_change_run());
 *	under @lock
 * @txns: open client transactions, struct nv_client_txn (txn.c); under @lock
 * @n_txns: how many; under @lock
 */
struct nv_net {
	struct mutex lock;	/* see "DOC: Locking" above */
	struct nv_config __rcu *config;
	struct net *net;
	bool ct_labels;
	bool rtnl_writer;
	bool userns_charged;
	unsigned int userns_writers;
	struct nv_txn *batch;
	struct list_head txns;
	u32 n_txns;
};

struct nv_net *nv_net(const struct net *net);

/* The published snapshot, for a writer that holds nn->lock. */
static inline struct nv_config *nv_config_published(struct nv_net *nn)
{
	return rcu_dereference_protected(nn->config,
					 lockdep_is_held(&nn->lock));
}

/*
 * The configuration a writer that holds nn->lock works on: while a change
 * request runs, its transaction's copy (what the requests before it in a
 * client transaction staged); else the published snapshot.
 */
static inline struct nv_config *nv_config_locked(struct nv_net *nn)
{
	return nn->batch ? nn->batch->next : nv_config_published(nn);
}

/* Both writer locks of a change that attaches or detaches devices. */
static inline void nv_net_lock_rtnl(struct nv_net *nn)
{
	rtnl_lock();
	mutex_lock(&nn->lock);
	nn->rtnl_writer = true;
}

static inline void nv_net_unlock_rtnl(struct nv_net *nn)
{
	nn->rtnl_writer = false;
	mutex_unlock(&nn->lock);
	rtnl_unlock();
}

int nv_net_init(struct nv_net *nn, struct net *net);
void nv_net_uninit(struct nv_net *nn);
int nv_netns_register(void);
void nv_netns_unregister(void);

#endif /* _NV_NETNS_H */
