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
 *
 * NETVIRT_CMD_TENANT_NEW   NETVIRT_A_TENANT: NAME, ID, VNI required;
 *                          ROUTER_MAC optional (default
 *                          02:76:<id high byte>:<id low byte>:00:01)
 * NETVIRT_CMD_TENANT_DEL   NETVIRT_A_TENANT: NAME; NETVIRT_A_FLAGS:
 *                          NETVIRT_F_FORCE also deletes its ports, else a
 *                          tenant with ports is refused (EBUSY)
 * NETVIRT_CMD_TENANT_GET   doit: NETVIRT_A_TENANT: NAME; dump: all.
 *                          reply: NETVIRT_A_TENANT: NAME, ID, VNI,
 *                          ROUTER_MAC, PORTS (u32), ROUTES (u32)
 * NETVIRT_CMD_PORT_NEW     NETVIRT_A_PORT: IFINDEX or IFNAME, TENANT,
 *                          MAC, ADDRS (nest of ADDR_IN / ADDR_IN6);
 *                          installs a host route per address
 * NETVIRT_CMD_PORT_DEL     NETVIRT_A_PORT: IFINDEX or IFNAME
 * NETVIRT_CMD_PORT_GET     doit: NETVIRT_A_PORT: IFINDEX or IFNAME;
 *                          dump: all. reply: NETVIRT_A_PORT: IFINDEX,
 *                          IFNAME, TENANT, MAC, ADDRS
 * NETVIRT_CMD_ROUTE_NEW    NETVIRT_A_ROUTE: TENANT, DST_IN or DST_IN6,
 *                          PLEN, TYPE (default UNICAST), NEXTHOPS (nest of
 *                          NEXTHOP nests: IFINDEX | HOST_IN | HOST_IN6)
 *                          for UNICAST; several next hops make ECMP
 * NETVIRT_CMD_ROUTE_DEL    NETVIRT_A_ROUTE: TENANT, DST_IN or DST_IN6, PLEN
 * NETVIRT_CMD_ROUTE_GET    dump only; NETVIRT_A_ROUTE: TENANT required.
 *                          reply: NETVIRT_A_ROUTE: TENANT, DST_*, PLEN,
 *                          TYPE, ORIGIN, NEXTHOPS
 * NETVIRT_CMD_STATS_GET    doit: NETVIRT_A_STATS: TENANT or IFINDEX;
 *                          dump: every tenant, then every port.
 *                          reply: NETVIRT_A_STATS: TENANT, or IFINDEX
 *                          and IFNAME,
 *                          RX_/TX_ PACKETS/BYTES, ARP_REPLIES,
 *                          ND_REPLIES, ICMP_ERRORS, DROPS (nest)
 *
 * NETVIRT_CMD_HOST_SET     NETVIRT_A_HOST: UNDERLAY_IN or UNDERLAY_IN6
 *                          required (this host's tunnel endpoint, an
 *                          address of the namespace), IFINDEX or IFNAME
 *                          (underlay device; default: the device holding
 *                          the address), ENCAP (default GENEVE), PORT
 *                          (default 6081 Geneve, 4789 VXLAN). Creates the
 *                          tunnel device NETVIRT_TUNNEL_DEV_* (external
 *                          mode); replaces the previous host settings.
 * NETVIRT_CMD_HOST_DEL     no attributes: the overlay is taken down
 * NETVIRT_CMD_HOST_GET     doit. reply: NETVIRT_A_HOST: UNDERLAY_*,
 *                          IFINDEX, IFNAME, ENCAP, PORT, TUNNEL_IFINDEX,
 *                          MTU (largest inner packet the overlay carries
 *                          without fragmenting), STATS (nest as in
 *                          NETVIRT_A_STATS: packets received from and
 *                          sent to the tunnel, drops of packets
 *                          received from it); ENOENT when none is set
 *
 * Dumps set NLM_F_DUMP_INTR when the configuration changed while they
 * ran; the client should retry.
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
	NETVIRT_CMD_TENANT_NEW,
	NETVIRT_CMD_TENANT_DEL,
	NETVIRT_CMD_TENANT_GET,
	NETVIRT_CMD_PORT_NEW,
	NETVIRT_CMD_PORT_DEL,
	NETVIRT_CMD_PORT_GET,
	NETVIRT_CMD_ROUTE_NEW,
	NETVIRT_CMD_ROUTE_DEL,
	NETVIRT_CMD_ROUTE_GET,
	NETVIRT_CMD_STATS_GET,
	NETVIRT_CMD_HOST_SET,
	NETVIRT_CMD_HOST_DEL,
	NETVIRT_CMD_HOST_GET,
	__NETVIRT_CMD_MAX
};

#define NETVIRT_CMD_MAX (__NETVIRT_CMD_MAX - 1)

/*
 * Attribute types: NAME/TENANT strings are NUL-terminated, at most
 * NETVIRT_NAME_MAXLEN characters; ID u16 (1..65535); VNI u32 (at most
 * NETVIRT_VNI_MAX); MAC 6 bytes; IFINDEX u32; IFNAME string; ADDR_IN and
 * DST_IN / HOST_IN 4 bytes, *_IN6 16 bytes, network order; PLEN, TYPE,
 * ORIGIN u8; FLAGS u32; counters u64. A port has at most
 * NETVIRT_PORT_ADDRS_MAX addresses, a route at most NETVIRT_ECMP_MAX next
 * hops.
 */
#define NETVIRT_NAME_MAXLEN	15
#define NETVIRT_VNI_MAX		0xffffff
#define NETVIRT_PORT_ADDRS_MAX	8
#define NETVIRT_ECMP_MAX	16

enum netvirt_attr {
	NETVIRT_A_UNSPEC,
	NETVIRT_A_PAD,
	NETVIRT_A_VERSION,
	NETVIRT_A_API_VERSION,
	NETVIRT_A_FEATURES,
	NETVIRT_A_CONFIG_GEN,
	NETVIRT_A_COUNTS,
	NETVIRT_A_TENANT,
	NETVIRT_A_PORT,
	NETVIRT_A_ROUTE,
	NETVIRT_A_STATS,
	NETVIRT_A_FLAGS,
	NETVIRT_A_HOST,
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

enum netvirt_tenant_attr {
	NETVIRT_A_TENANT_UNSPEC,
	NETVIRT_A_TENANT_NAME,
	NETVIRT_A_TENANT_ID,
	NETVIRT_A_TENANT_VNI,
	NETVIRT_A_TENANT_ROUTER_MAC,
	NETVIRT_A_TENANT_PORTS,
	NETVIRT_A_TENANT_ROUTES,
	__NETVIRT_A_TENANT_MAX
};

#define NETVIRT_A_TENANT_MAX (__NETVIRT_A_TENANT_MAX - 1)

enum netvirt_port_attr {
	NETVIRT_A_PORT_UNSPEC,
	NETVIRT_A_PORT_IFINDEX,
	NETVIRT_A_PORT_IFNAME,
	NETVIRT_A_PORT_TENANT,
	NETVIRT_A_PORT_MAC,
	NETVIRT_A_PORT_ADDRS,
	__NETVIRT_A_PORT_MAX
};

#define NETVIRT_A_PORT_MAX (__NETVIRT_A_PORT_MAX - 1)

enum netvirt_encap {
	NETVIRT_ENCAP_GENEVE,
	NETVIRT_ENCAP_VXLAN,
	__NETVIRT_ENCAP_MAX
};

#define NETVIRT_ENCAP_MAX (__NETVIRT_ENCAP_MAX - 1)

/* Default UDP ports (IANA) and the tunnel device a host's overlay uses. */
#define NETVIRT_GENEVE_PORT	6081
#define NETVIRT_VXLAN_PORT	4789
#define NETVIRT_TUNNEL_DEV_GENEVE	"nv-geneve"
#define NETVIRT_TUNNEL_DEV_VXLAN	"nv-vxlan"

enum netvirt_host_attr {
	NETVIRT_A_HOST_UNSPEC,
	NETVIRT_A_HOST_UNDERLAY_IN,
	NETVIRT_A_HOST_UNDERLAY_IN6,
	NETVIRT_A_HOST_IFINDEX,
	NETVIRT_A_HOST_IFNAME,
	NETVIRT_A_HOST_ENCAP,
	NETVIRT_A_HOST_PORT,
	NETVIRT_A_HOST_TUNNEL_IFINDEX,
	NETVIRT_A_HOST_MTU,
	NETVIRT_A_HOST_STATS,
	__NETVIRT_A_HOST_MAX
};

#define NETVIRT_A_HOST_MAX (__NETVIRT_A_HOST_MAX - 1)

/* NETVIRT_A_PORT_ADDRS holds NETVIRT_A_ADDR_IN / _IN6 attributes. */
enum netvirt_addr_attr {
	NETVIRT_A_ADDR_UNSPEC,
	NETVIRT_A_ADDR_IN,
	NETVIRT_A_ADDR_IN6,
	__NETVIRT_A_ADDR_MAX
};

#define NETVIRT_A_ADDR_MAX (__NETVIRT_A_ADDR_MAX - 1)

enum netvirt_route_type {
	NETVIRT_ROUTE_UNICAST,		/* one or more next hops (ECMP) */
	NETVIRT_ROUTE_BLACKHOLE,	/* drop, counted */
	__NETVIRT_ROUTE_TYPE_MAX
};

#define NETVIRT_ROUTE_TYPE_MAX (__NETVIRT_ROUTE_TYPE_MAX - 1)

/* Where a route comes from: a port's own address, or the operator. */
enum netvirt_route_origin {
	NETVIRT_ROUTE_STATIC,
	NETVIRT_ROUTE_PORT,
};

enum netvirt_route_attr {
	NETVIRT_A_ROUTE_UNSPEC,
	NETVIRT_A_ROUTE_TENANT,
	NETVIRT_A_ROUTE_DST_IN,
	NETVIRT_A_ROUTE_DST_IN6,
	NETVIRT_A_ROUTE_PLEN,
	NETVIRT_A_ROUTE_TYPE,
	NETVIRT_A_ROUTE_NEXTHOPS,
	NETVIRT_A_ROUTE_ORIGIN,
	__NETVIRT_A_ROUTE_MAX
};

#define NETVIRT_A_ROUTE_MAX (__NETVIRT_A_ROUTE_MAX - 1)

/* NETVIRT_A_ROUTE_NEXTHOPS holds NETVIRT_A_NEXTHOP nests. */
enum netvirt_nexthop_attr {
	NETVIRT_A_NEXTHOP_UNSPEC,
	NETVIRT_A_NEXTHOP,
	NETVIRT_A_NEXTHOP_IFINDEX,
	NETVIRT_A_NEXTHOP_HOST_IN,
	NETVIRT_A_NEXTHOP_HOST_IN6,
	__NETVIRT_A_NEXTHOP_MAX
};

#define NETVIRT_A_NEXTHOP_MAX (__NETVIRT_A_NEXTHOP_MAX - 1)

/*
 * Why a packet was dropped. Counted per tenant and per port; the names
 * nvctl prints are in the comments.
 */
enum netvirt_drop_reason {
	NETVIRT_DROP_SPOOFED_MAC,	/* spoofed-mac */
	NETVIRT_DROP_SPOOFED_IP,	/* spoofed-ip */
	NETVIRT_DROP_ETHERTYPE,		/* unsupported-ethertype */
	NETVIRT_DROP_MALFORMED,		/* malformed */
	NETVIRT_DROP_NO_ROUTE,		/* no-route */
	NETVIRT_DROP_BLACKHOLE,		/* blackhole */
	NETVIRT_DROP_TTL_EXPIRED,	/* ttl-expired */
	NETVIRT_DROP_PORT_DOWN,		/* port-down */
	NETVIRT_DROP_NO_OVERLAY,	/* no-overlay */
	NETVIRT_DROP_NO_PORT,		/* no-port: port removed meanwhile */
	NETVIRT_DROP_NEIGH,		/* neigh: ARP/ND not for the router */
	NETVIRT_DROP_MCAST,		/* multicast: no broadcast domain */
	NETVIRT_DROP_NOMEM,		/* nomem */
	NETVIRT_DROP_TOO_BIG,		/* too-big: over the egress MTU */
	NETVIRT_DROP_UNKNOWN_VNI,	/* unknown-vni: no tenant has it */
	NETVIRT_DROP_TUNNEL_SOURCE,	/* tunnel-source: sender is not the
					 * host of the packet's source
					 */
	NETVIRT_DROP_TUNNEL_OPTION,	/* tunnel-option: critical Geneve
					 * option not understood
					 */
	NETVIRT_DROP_TUNNEL_LOOP,	/* tunnel-loop: from the overlay,
					 * routed back into it
					 */
	__NETVIRT_DROP_MAX
};

#define NETVIRT_DROP_MAX (__NETVIRT_DROP_MAX - 1)

/*
 * NETVIRT_A_STATS: the counters of one tenant or port. NETVIRT_A_STATS_DROPS
 * is a nest of u64 attributes, one per drop reason, of type
 * NETVIRT_A_DROP_FIRST + enum netvirt_drop_reason.
 */
enum netvirt_drop_attr {
	NETVIRT_A_DROP_UNSPEC,
	NETVIRT_A_DROP_PAD,
	NETVIRT_A_DROP_FIRST,
};

enum netvirt_stats_attr {
	NETVIRT_A_STATS_UNSPEC,
	NETVIRT_A_STATS_PAD,
	NETVIRT_A_STATS_TENANT,
	NETVIRT_A_STATS_IFINDEX,
	NETVIRT_A_STATS_RX_PACKETS,
	NETVIRT_A_STATS_RX_BYTES,
	NETVIRT_A_STATS_TX_PACKETS,
	NETVIRT_A_STATS_TX_BYTES,
	NETVIRT_A_STATS_ARP_REPLIES,
	NETVIRT_A_STATS_ND_REPLIES,
	NETVIRT_A_STATS_ICMP_ERRORS,
	NETVIRT_A_STATS_DROPS,
	NETVIRT_A_STATS_IFNAME,
	__NETVIRT_A_STATS_MAX
};

#define NETVIRT_A_STATS_MAX (__NETVIRT_A_STATS_MAX - 1)

/* NETVIRT_A_FLAGS bits. */
enum netvirt_flags {
	NETVIRT_F_FORCE		= 1 << 0,	/* TENANT_DEL: remove its ports too */
	__NETVIRT_F_ALL		= NETVIRT_F_FORCE,
};

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
