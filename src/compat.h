/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels netvirt supports (6.1 and 6.12), in
 * one place, so the rest of the code reads as mainline code.
 */
#ifndef _NV_COMPAT_H
#define _NV_COMPAT_H

#include <linux/version.h>
#include <net/genetlink.h>

/* The parsed attributes of a dump request. */
static inline struct nlattr **nv_dump_attrs(struct netlink_callback *cb)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
	return genl_info_dump(cb)->attrs;
#else
	return genl_dumpit_info(cb)->attrs;
#endif
}

#endif /* _NV_COMPAT_H */
