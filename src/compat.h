/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels netvirt supports (6.1 and 6.12), in
 * one place, so the rest of the code reads as mainline code.
 */
#ifndef _NV_COMPAT_H
#define _NV_COMPAT_H

#include <net/genetlink.h>
#ifdef NV_HAVE_NET_GSO_H
#include <net/gso.h>	/* skb_gso_validate_network_len() since 6.4 */
#endif

/*
 * Kbuild tests the kernel's headers for each NV_HAVE_* feature, so the
 * code follows the API, not version numbers (distributions backport).
 */

/* The parsed attributes of a dump request. */
static inline struct nlattr **nv_dump_attrs(struct netlink_callback *cb)
{
#ifdef NV_HAVE_GENL_INFO_DUMP
	return genl_info_dump(cb)->attrs;
#else
	return genl_dumpit_info(cb)->attrs;
#endif
}

#endif /* _NV_COMPAT_H */
