// SPDX-License-Identifier: GPL-2.0
/*
 * Per network namespace state: every namespace has its own configuration,
 * created empty with the namespace and freed with it.
 */
#include <linux/rtnetlink.h>
#include <net/netns/generic.h>

#include "change.h"
#include "fw.h"
#include "host.h"
#include "netns.h"
#include "port.h"
#include "route.h"
#include "tenant.h"
#include "uplink.h"
#include "userns.h"

static unsigned int nv_net_id __read_mostly;

struct nv_net *nv_net(const struct net *net)
{
	return net_generic(net, nv_net_id);
}

int nv_net_init(struct nv_net *nn, struct net *net)
{
	struct nv_config *cfg = nv_config_create();

	if (IS_ERR(cfg))
		return PTR_ERR(cfg);
	mutex_init(&nn->lock);
	INIT_LIST_HEAD(&nn->txns);
	nn->net = net;
	RCU_INIT_POINTER(nn->config, cfg);
	return 0;
}

/* Frees every object of the final snapshot; no reader is left. */
static void config_destroy_all(struct nv_config *cfg)
{
	int i;

	nv_port_destroy_all(cfg);
	for (i = 0; i < NV_MAX_TENANTS; i++) {
		struct nv_tenant *t = cfg->tenants[i];

		if (t)
			nv_tenant_destroy_all(t);
	}
	kvfree(cfg->nat);
	nv_config_destroy(cfg);
}

/*
 * The namespace is going away, or the module: no netlink request can
 * arrive any more. Ports left (module unload) are detached first, which
 * waits for the packets in flight; then nothing can read the snapshot.
 */
void nv_net_uninit(struct nv_net *nn)
{
	struct nv_config *cfg;

	nv_net_lock_rtnl(nn);
	cfg = rcu_replace_pointer(nn->config, NULL, lockdep_is_held(&nn->lock));
	if (cfg) {
		nv_port_destroy_all(cfg);
		/* After the ports: no packet is routed to the overlay. */
		nv_host_destroy_all(cfg);
		nv_uplink_destroy_all(cfg);
	}
	nv_fw_ct_labels_put(nn);
	nv_txn_flush(nn, 0);
	nv_net_unlock_rtnl(nn);
	if (!cfg)
		return;
	synchronize_rcu();
	config_destroy_all(cfg);
}

static int __net_init nv_netns_init(struct net *net)
{
	return nv_net_init(nv_net(net), net);
}

static void __net_exit nv_netns_exit(struct net *net)
{
	nv_net_uninit(nv_net(net));
	nv_userns_release(nv_net(net));
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

void nv_netns_unregister(void)
{
	unregister_pernet_subsys(&nv_net_ops);
}
