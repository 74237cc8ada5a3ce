/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NV_NETNS_H
#define _NV_NETNS_H

#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <net/net_namespace.h>

#include "config.h"

/**
 * struct nv_net - netvirt state of one network namespace
 * @lock: serialises every configuration writer of the namespace
 * @config: the published configuration snapshot; RCU for readers,
 *	written only under @lock
 * @net: the namespace this state belongs to
 *
 * Locking: netlink handlers take @lock for the whole of a change, build
 * the new snapshot, then publish it; readers never take a lock.
 */
struct nv_net {
	struct mutex lock;	/* serialises configuration writers */
	struct nv_config __rcu *config;
	struct net *net;
	bool ct_labels;		/* holds conntrack labels (nv_fw_ct_labels_get) */
};

struct nv_net *nv_net(const struct net *net);

/* The published snapshot, for a writer that holds nn->lock. */
static inline struct nv_config *nv_config_locked(struct nv_net *nn)
{
	return rcu_dereference_protected(nn->config,
					 lockdep_is_held(&nn->lock));
}

int nv_net_init(struct nv_net *nn, struct net *net);
void nv_net_uninit(struct nv_net *nn);
int nv_netns_register(void);
void nv_netns_unregister(void);

#endif /* _NV_NETNS_H */
