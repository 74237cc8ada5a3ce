/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * netvirt: network virtualization datapath - generic netlink API.
 *
 * Family name NETVIRT_GENL_NAME, version NETVIRT_GENL_VERSION. Every
 * command needs CAP_NET_ADMIN in the user namespace that owns the
 * network namespace of the socket; all state is per network namespace.
 * Rejections carry an extended ACK message naming what was wrong.
 *
 * NETVIRT_CMD_INFO_GET
 *   request:
 *     NETVIRT_A_API_VERSION: u32, optional; the API version the client
 *                            speaks (1..NETVIRT_API_VERSION). A client
 *                            newer than the module is refused.
 *   reply:
 *     NETVIRT_A_VERSION: NUL-terminated string, module version
 *     NETVIRT_A_API_VERSION: u32
 *     NETVIRT_A_FEATURES: u64, NETVIRT_FEAT_* bits this module implements
 *     NETVIRT_A_CONFIG_GEN: u64, generation of the published configuration
 *     NETVIRT_A_COUNTS: nest
 *         NETVIRT_A_COUNT_TENANTS: u32
 *         NETVIRT_A_COUNT_PORTS: u32
 *         NETVIRT_A_COUNT_ROUTES: u32
 *         NETVIRT_A_COUNT_RULES: u32
 */
#ifndef _UAPI_LINUX_NETVIRT_H
#define _UAPI_LINUX_NETVIRT_H

#include <linux/types.h>

#define NETVIRT_GENL_NAME	"netvirt"
#define NETVIRT_GENL_VERSION	1
#define NETVIRT_API_VERSION	1

enum netvirt_cmd {
	NETVIRT_CMD_UNSPEC,
	NETVIRT_CMD_INFO_GET,
	__NETVIRT_CMD_MAX
};

#define NETVIRT_CMD_MAX (__NETVIRT_CMD_MAX - 1)

enum netvirt_attr {
	NETVIRT_A_UNSPEC,
	NETVIRT_A_PAD,
	NETVIRT_A_VERSION,
	NETVIRT_A_API_VERSION,
	NETVIRT_A_FEATURES,
	NETVIRT_A_CONFIG_GEN,
	NETVIRT_A_COUNTS,
	__NETVIRT_A_MAX
};

#define NETVIRT_A_MAX (__NETVIRT_A_MAX - 1)

enum netvirt_count_attr {
	NETVIRT_A_COUNT_UNSPEC,
	NETVIRT_A_COUNT_TENANTS,
	NETVIRT_A_COUNT_PORTS,
	NETVIRT_A_COUNT_ROUTES,
	NETVIRT_A_COUNT_RULES,
	__NETVIRT_A_COUNT_MAX
};

#define NETVIRT_A_COUNT_MAX (__NETVIRT_A_COUNT_MAX - 1)

/*
 * Feature bits reported in NETVIRT_A_FEATURES. A bit is set only when the
 * module implements the feature; clients test bits, never versions.
 */
enum netvirt_feature {
	NETVIRT_FEAT_ROUTING	= 1 << 0,
	NETVIRT_FEAT_FIREWALL	= 1 << 1,
	NETVIRT_FEAT_NAT	= 1 << 2,
	NETVIRT_FEAT_OVERLAY	= 1 << 3,
};

#endif /* _UAPI_LINUX_NETVIRT_H */
