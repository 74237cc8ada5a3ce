// SPDX-License-Identifier: GPL-2.0
/*
 * netvirt: a network virtualization datapath for hypervisors.
 */
#include <linux/module.h>

#include "netvirt.h"
#include "genl.h"
#include "netns.h"

static int __init nv_mod_init(void)
{
	int ret;

	/* Namespace state first: a netlink request may arrive at once. */
	ret = nv_netns_register();
	if (ret)
		goto err;
	ret = nv_genl_register();
	if (ret)
		goto err_netns;

	pr_info("netvirt " NV_VERSION " loaded\n");
	return 0;

err_netns:
	nv_netns_unregister();
err:
	return ret;
}

static void __exit nv_mod_exit(void)
{
	nv_genl_unregister();
	nv_netns_unregister();
}

module_init(nv_mod_init);
module_exit(nv_mod_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("netvirt network virtualization datapath");
MODULE_VERSION(NV_VERSION);
MODULE_ALIAS_GENL_FAMILY(NETVIRT_GENL_NAME);
