/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NV_CONFIG_H
#define _NV_CONFIG_H

#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#include "limits.h"

struct netlink_ext_ack;
struct nv_net;
struct nv_tenant;
struct nv_port;
struct nv_host;
struct nv_uplink;
struct nv_nat_index;

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

/* An object to free once no snapshot and no reader can reach it. */
struct nv_garbage {
	void (*free)(void *obj);
	void *obj;
};

/**
 * struct nv_retired - objects a commit replaced, freed with the old root
 * @n: entries used
 * @size: entries allocated
 * @obj: the objects
 */
struct nv_retired {
	unsigned int n, size;
	struct nv_garbage obj[];
};

/**
 * struct nv_config - one immutable snapshot of a namespace's configuration
 * @gen: generation; every commit publishes the next one
 * @counts: object counts, kept in step with the objects by each change
 * @tenants: tenants by slot; NULL for a free slot
 * @ports: ports by slot; NULL for a free slot
 * @host: this host's overlay settings; NULL when it has none
 * @uplink: this host's uplink; NULL when it has none
 * @nat: every tenant's NAT rules by external address; NULL when none
 * @vni_slots: tenants by VNI, an open-addressing hash: tenant slot + 1,
 *	0 for an empty bucket; derived from @tenants by each change of them
 * @retired: objects the commit that replaced this snapshot took out of
 *	the configuration; freed together with this snapshot
 * @free_work: frees the snapshot after a grace period, in process context
 *
 * A published snapshot is never written again, nor is anything it points
 * to, counters excepted. The packet path reads it under rcu_read_lock();
 * a writer edits a private copy of the root inside a transaction, puts new
 * objects in it in place of the ones it changes, and publishes the copy
 * with one pointer store.
 */
struct nv_config {
	u64 gen;
	struct nv_counts counts;
	struct nv_tenant *tenants[NV_MAX_TENANTS];
	struct nv_port *ports[NV_MAX_PORTS];
	struct nv_host *host;
	struct nv_uplink *uplink;
	struct nv_nat_index *nat;
	u16 vni_slots[NV_VNI_BUCKETS];
	struct nv_retired *retired;
	struct rcu_work free_work;
};

/**
 * struct nv_txn_hook_ops - what a shared writer-side object does at the
 * end of a transaction that staged changes in it; @commit and @abort may
 * be NULL
 * @prepare: build what the new snapshot publishes; may fail, saying why in
 *	the extack it is given (NULL when no request waits for the answer)
 * @commit: the snapshot is published
 * @abort: undo the staged changes
 */
struct nv_txn_hook_ops {
	int (*prepare)(void *obj, struct netlink_ext_ack *extack);
	void (*commit)(void *obj);
	void (*abort)(void *obj);
};

struct nv_txn_hooks;
struct sk_buff;

/**
 * struct nv_txn - a transaction on a namespace's configuration
 * @nn: the namespace state, whose lock the owner holds throughout
 * @next: private copy of the root being edited; published by commit
 * @retire: objects of the published snapshot that @next no longer uses
 * @created: objects made for @next, freed if the transaction aborts
 * @after: work to do once @next is published (detaching devices)
 * @unlocked: work to do once @next is published and RTNL released,
 *	under nv_net.lock still (waiting for conntrack to forget a zone)
 * @hooks: writer-side objects with staged changes, each once
 * @parent: the request's transaction (nv_net.batch) that this one is a
 *	part of, or NULL: see nv_txn_begin()
 * @reply: the request's reply, sent once its change is published
 * @extack: where the commit's prepare steps say why they fail, or NULL
 * @changes: parts committed into this transaction
 * @prepared: the hooks are prepared
 * @failed: a part aborted: this transaction can only abort
 * @announce: announce this host's NAT addresses once published
 */
struct nv_txn {
	struct nv_net *nn;
	struct nv_config *next;
	struct nv_retired *retire;
	struct nv_retired *created;
	struct nv_retired *after;
	struct nv_retired *unlocked;
	struct nv_txn_hooks *hooks;
	struct nv_txn *parent;
	struct sk_buff *reply;
	struct netlink_ext_ack *extack;
	unsigned int changes;
	bool prepared;
	bool failed;
	bool announce;
};

struct nv_config *nv_config_create(void);
void nv_config_destroy(struct nv_config *cfg);
void nv_config_free_deferred(struct nv_config *cfg);
int nv_config_free_slot(void *const *slots, unsigned int n, u32 used,
			u32 limit);

struct netlink_callback;
/* The object in @slot of one of @cfg's slot arrays, or NULL. */
typedef const void *(*nv_slot_at_t)(const struct nv_config *cfg,
				    unsigned int slot);
int nv_config_dump_slots(struct sk_buff *skb, struct netlink_callback *cb,
			 u8 cmd, int (*fill)(struct sk_buff *skb,
					     const void *ctx, const void *obj),
			 nv_slot_at_t at, unsigned int n);
int nv_txn_begin(struct nv_txn *txn, struct nv_net *nn);
int nv_txn_retire(struct nv_txn *txn, void (*free)(void *), void *obj);
int nv_txn_created(struct nv_txn *txn, void (*free)(void *), void *obj);
int nv_txn_drop(struct nv_txn *txn, void (*free)(void *), void *obj);
int nv_txn_after_commit(struct nv_txn *txn, void (*fn)(void *), void *obj);
int nv_txn_after_unlock(struct nv_txn *txn, void (*fn)(void *), void *obj);
void nv_txn_run_unlocked(struct nv_txn *txn);
int nv_txn_hook(struct nv_txn *txn, const struct nv_txn_hook_ops *ops,
		void *obj);
int nv_txn_prepare(struct nv_txn *txn);
int nv_txn_commit(struct nv_txn *txn);
int nv_txn_finish(struct nv_txn *txn, int ret);
void nv_txn_abort(struct nv_txn *txn);

int nv_config_init(void);
void nv_config_uninit(void);

#endif /* _NV_CONFIG_H */
