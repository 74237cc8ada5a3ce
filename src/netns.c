// SPDX-License-Identifier: GPL-2.0
/*
 * Per network namespace state: every namespace has its own configuration,
 * created empty with the namespace and freed with it.
 */
#include <net/netns/generic.h>

#include "netns.h"

static unsigned int nv_net_id __read_mostly;

struct nv_net *nv_net(const struct net *net)
{
	return net_generic(net, nv_net_id);
}

int nv_net_init(struct nv_net *nn, struct net *net)
{
	struct nv_config *cfg = nv_config_create(GFP_KERNEL);

	if (!cfg)
		return -ENOMEM;
	mutex_init(&nn->lock);
	nn->net = net;
	RCU_INIT_POINTER(nn->config, cfg);
	return 0;
}

/*
 * The namespace is going away: no netlink socket and no device of it is
 * left, so no new reader can start. Readers already inside an RCU section
 * finish before the callback frees the snapshot.
 */
void nv_net_uninit(struct nv_net *nn)
{
	struct nv_config *cfg;

	mutex_lock(&nn->lock);
	cfg = rcu_replace_pointer(nn->config, NULL, lockdep_is_held(&nn->lock));
	mutex_unlock(&nn->lock);
	if (cfg)
		call_rcu(&cfg->rcu, nv_config_free_rcu);
}

static int __net_init nv_netns_init(struct net *net)
{
	return nv_net_init(nv_net(net), net);
}

static void __net_exit nv_netns_exit(struct net *net)
{
	nv_net_uninit(nv_net(net));
}

static struct pernet_operations nv_net_ops = {
	.init = nv_netns_init,
	.exit = nv_netns_exit,
	.id = &nv_net_id,
	.size = sizeof(struct nv_net),
};

int nv_netns_register(void)
{
	return register_pernet_subsys(&nv_net_ops);
}

/* Frees every namespace's configuration; waits for pending RCU frees. */
void nv_netns_unregister(void)
{
	unregister_pernet_subsys(&nv_net_ops);
	rcu_barrier();
}
