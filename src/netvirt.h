/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NV_NETVIRT_H
#define _NV_NETVIRT_H

#include <linux/types.h>
#include <uapi/linux/netvirt.h>

#ifndef NV_VERSION
#define NV_VERSION "unknown"
#endif

/* Feature bits this build implements; see enum netvirt_feature. */
#define NV_FEATURES	((u64)(NETVIRT_FEAT_ROUTING | NETVIRT_FEAT_OVERLAY | \
			      NETVIRT_FEAT_FIREWALL | NETVIRT_FEAT_NAT | \
			      NETVIRT_FEAT_TXN))

#endif /* _NV_NETVIRT_H */
