// SPDX-License-Identifier: GPL-2.0
/*
 * netvirt: a network virtualization datapath for hypervisors.
 */
#include <linux/module.h>

#include "netvirt.h"
#include "change.h"
#include "config.h"
#include "fw.h"
#include "genl.h"
#include "host.h"
#include "netns.h"
#include "port.h"
#include "uplink.h"

static int __init nv_mod_init(void)
{
	int ret;

	ret = nv_config_init();
	if (ret)
		goto err;
	ret = nv_host_notifier_register();
	if (ret)
		goto err_config;
	ret = nv_uplink_notifier_register();
	if (ret)
		goto err_host_notifier;
	ret = nv_netns_register();
	if (ret)
		goto err_uplink;
	/*
	 * After the namespaces' state, which a device's appearance looks
	 * up; before any port exists: a port's device may go away at once.
	 */
	ret = nv_port_notifier_register();
	if (ret)
		goto err_netns;
	/* Before any transaction: it dies with its socket. */
	ret = nv_txn_notifier_register();
	if (ret)
		goto err_port;
	/* Last: a request may arrive as soon as the family exists. */
	ret = nv_genl_register();
	if (ret)
		goto err_txn;

	pr_info("netvirt " NV_VERSION " loaded\n");
	return 0;

err_txn:
	nv_txn_notifier_unregister();
err_port:
	nv_port_notifier_unregister();
err_netns:
	nv_netns_unregister();
err_uplink:
	nv_uplink_notifier_unregister();
err_host_notifier:
	nv_host_notifier_unregister();
err_config:
	nv_config_uninit();
err:
	return ret;
}

static void __exit nv_mod_exit(void)
{
	nv_genl_unregister();
	nv_txn_notifier_unregister();
	nv_port_notifier_unregister();
	nv_netns_unregister();
	nv_uplink_notifier_unregister();
	nv_host_notifier_unregister();
	nv_config_uninit();
}

module_init(nv_mod_init);
module_exit(nv_mod_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("netvirt network virtualization datapath");
MODULE_VERSION(NV_VERSION);
MODULE_ALIAS_GENL_FAMILY(NETVIRT_GENL_NAME);
