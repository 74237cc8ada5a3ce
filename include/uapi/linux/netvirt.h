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
 *                          A port is named by its device's name and
 *                          outlives the device: when it goes, the port is
 *                          detached; a device of that name that appears
 *                          in the namespace is attached again
 * NETVIRT_CMD_PORT_DEL     NETVIRT_A_PORT: IFINDEX or IFNAME (the port's
 *                          name, attached or not). A port that rules,
 *                          routes or port groups name is refused (EBUSY)
 *                          unless NETVIRT_F_FORCE, which removes them too
 * NETVIRT_CMD_PORT_GET     doit: NETVIRT_A_PORT: IFINDEX or IFNAME;
 *                          dump: all. reply: NETVIRT_A_PORT: IFINDEX
 *                          (attached only), IFNAME, TENANT, MAC, ADDRS,
 *                          STATE, DETACHED (why, while detached)
 * NETVIRT_CMD_ROUTE_NEW    NETVIRT_A_ROUTE: TENANT, DST_IN or DST_IN6,
 *                          PLEN, TYPE (default UNICAST), NEXTHOPS (nest of
 *                          NEXTHOP nests: IFINDEX | IFNAME | HOST_IN |
 *                          HOST_IN6)
 *                          for UNICAST; several next hops make ECMP
 * NETVIRT_CMD_ROUTE_DEL    NETVIRT_A_ROUTE: TENANT, DST_IN or DST_IN6, PLEN
 * NETVIRT_CMD_ROUTE_GET    dump only; NETVIRT_A_ROUTE: TENANT required.
 *                          reply: NETVIRT_A_ROUTE: TENANT, DST_*, PLEN,
 *                          TYPE, ORIGIN, NEXTHOPS
 * NETVIRT_CMD_STATS_GET    doit: NETVIRT_A_STATS: TENANT, or IFINDEX or
 *                          IFNAME of a port; dump: every tenant, then
 *                          every port. reply: NETVIRT_A_STATS: TENANT, or
 *                          IFINDEX (while attached) and IFNAME,
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
 * NETVIRT_CMD_FW_SET       NETVIRT_A_FW: TENANT required; POLICY (what
 *                          no rule matches: NETVIRT_FW_DENY, the default
 *                          of a new tenant, or NETVIRT_FW_ALLOW), FLAGS
 *                          (NETVIRT_FW_F_LOG: default-policy denials are
 *                          logged)
 * NETVIRT_CMD_FW_GET       doit: NETVIRT_A_FW: TENANT. reply: NETVIRT_A_FW:
 *                          TENANT, POLICY, FLAGS, ZONE (the tenant's
 *                          conntrack zone), RULES, GROUPS (u32), EPOCH
 *                          (u32: new with every firewall change)
 * NETVIRT_CMD_FW_RULE_NEW  NETVIRT_A_FW_RULE: TENANT, DIR and ACTION
 *                          required; PRIO (default NETVIRT_FW_PRIO_DEFAULT),
 *                          IFINDEX or IFNAME (the rule's port) or PGROUP
 *                          (a port group's name; default: every port of
 *                          the tenant), SRC and DST (nests: ADDR_IN or
 *                          ADDR_IN6 with PLEN, or GROUP), PROTO, SPORT_LO
 *                          and SPORT_HI, DPORT_LO and DPORT_HI (TCP, UDP,
 *                          SCTP, UDP-Lite or DCCP), ICMP_TYPE (ICMP or
 *                          ICMPv6), FLAGS (NETVIRT_FW_F_*). The reply is
 *                          the rule with its HANDLE, unique in the tenant.
 *                          Many NETVIRT_A_FW_RULE in one request are added
 *                          in one change; rules that do not fit in one
 *                          message go in requests of one transaction (TXN_*)
 * NETVIRT_CMD_FW_RULE_DEL  NETVIRT_A_FW_RULE: TENANT, HANDLE
 * NETVIRT_CMD_FW_RULE_GET  dump; NETVIRT_A_FW_RULE: TENANT required. Rules
 *                          in evaluation order (PRIO, then HANDLE), each
 *                          with IFNAME (its port's name, for a rule of one
 *                          port) and its counters:
 *                          PACKETS, BYTES, CONNS, LAST_HIT (milliseconds
 *                          since the rule last decided a packet; absent
 *                          when it never did)
 * NETVIRT_CMD_FW_GROUP_NEW NETVIRT_A_FW_GROUP: TENANT, NAME, and PREFIXES
 *                          (an address group: nest of
 *                          NETVIRT_A_FW_GROUP_PREFIX nests: ADDR_IN or
 *                          ADDR_IN6, PLEN; may be empty) or PORTS (a port
 *                          group: nest of NETVIRT_A_FW_GROUP_IFINDEX u32
 *                          or IFNAME, ports of the tenant). EEXIST if the
 *                          group exists, unless NETVIRT_A_FLAGS has
 *                          NETVIRT_F_REPLACE: then its members are
 *                          replaced (same kind), for every rule using it
 *                          at once. A port leaves its groups when removed
 * NETVIRT_CMD_FW_GROUP_DEL NETVIRT_A_FW_GROUP: TENANT, NAME; EBUSY while a
 *                          rule uses it
 * NETVIRT_CMD_FW_GROUP_GET doit: TENANT and NAME; dump: TENANT required.
 *                          reply: TENANT, NAME, PREFIXES or PORTS (each
 *                          port's IFINDEX while attached, then IFNAME),
 *                          RULES (u32: rules
 *                          using it)
 * NETVIRT_CMD_FW_EVENT     multicast only, group NETVIRT_MCGRP_MONITOR:
 *                          NETVIRT_A_FW_EVENT, one per logged denial
 *                          (rate-limited per tenant and CPU): TENANT,
 *                          HANDLE (absent: the default policy), DIR,
 *                          IFINDEX, ACTION, REASON (enum
 *                          netvirt_drop_reason), SRC_IN/SRC_IN6,
 *                          DST_IN/DST_IN6, PROTO, SPORT, DPORT, ICMP_TYPE
 *
 * Firewall semantics: a connection (nf_conntrack, zone = tenant id) is
 * decided by its first packet: the "out" rules of the port it leaves a VM
 * by, then the "in" rules of the port it reaches a VM by, each list in
 * (PRIO, HANDLE) order, first match wins, the tenant's POLICY when none
 * matches. Replies and related packets (ICMP errors) of an allowed
 * connection pass; packets conntrack finds invalid are dropped. After a
 * firewall change, an established connection is decided again by its next
 * packet and cut if now denied - unless the denying rule has
 * NETVIRT_FW_F_PERSIST, which makes it a rule for new connections only.
 *
 * NETVIRT_CMD_UPLINK_SET   NETVIRT_A_UPLINK: IFINDEX or IFNAME: the device
 *                          of the namespace on the provider network that
 *                          NAT traffic leaves and arrives by. Its other
 *                          traffic goes on to the host's stack. Replaces
 *                          the previous uplink; the device going away
 *                          removes it
 * NETVIRT_CMD_UPLINK_DEL   no attributes; ENOENT when none is set
 * NETVIRT_CMD_UPLINK_GET   doit. reply: NETVIRT_A_UPLINK: IFINDEX, IFNAME,
 *                          ADDRS (nest of NETVIRT_A_ADDR_IN / _IN6: the
 *                          NAT addresses this host answers ARP and ND for
 *                          on the uplink), STATS (nest as NETVIRT_A_STATS:
 *                          packets taken from and sent to the uplink,
 *                          drops of packets from it); ENOENT when none
 *
 * NETVIRT_CMD_NAT_NEW      NETVIRT_A_NAT: TENANT, TYPE required, and:
 *                          SNAT: ADDR_IN or ADDR_IN6 (the address to
 *                          translate to), SRC (optional nest: ADDR_IN or
 *                          ADDR_IN6 with PLEN, the VMs it applies to;
 *                          default all), PORT_LO and PORT_HI (default
 *                          1024-65535; also the ICMP ids);
 *                          DNAT: ADDR_*, PROTO (TCP or UDP), PORT, TO_IN
 *                          or TO_IN6 (the VM), TO_PORT (default PORT);
 *                          FIP: ADDR_*, TO_IN or TO_IN6.
 *                          The reply is the rule with its HANDLE
 * NETVIRT_CMD_NAT_DEL      NETVIRT_A_NAT: TENANT, HANDLE
 * NETVIRT_CMD_NAT_GET      dump; NETVIRT_A_NAT: TENANT required. Rules in
 *                          HANDLE order with PACKETS, BYTES (translated
 *                          packets), EXHAUSTED (connections dropped for
 *                          want of a free port), and CONNS, PORTS_USED
 *                          (connections now, and SNAT ports in use)
 * NETVIRT_CMD_NAT_EVENT    multicast only, group NETVIRT_MCGRP_MONITOR:
 *                          NETVIRT_A_NAT_EVENT, one per connection a SNAT
 *                          rule had no port for (rate-limited): TENANT,
 *                          HANDLE, ADDR_IN/_IN6 (the rule's address),
 *                          DST_IN/_IN6, PROTO, DPORT
 *
 * NETVIRT_CMD_TXN_BEGIN    no attributes: opens this socket's transaction
 *                          in its namespace (EBUSY if one is open). From
 *                          then on every change request of the socket
 *                          (*_NEW, *_DEL, *_SET) is checked against the
 *                          policy and staged, not applied: its ACK says
 *                          "staged". GET and dump requests are answered
 *                          from the published configuration.
 * NETVIRT_CMD_TXN_COMMIT   NETVIRT_A_TXN: GEN (optional: refused with
 *                          ESTALE unless it is the current generation),
 *                          FLAGS (NETVIRT_TXN_F_CHECK: run everything,
 *                          publish nothing). Applies the staged requests in
 *                          order, as one change: one new generation, or
 *                          nothing at all. On error the extended ACK has
 *                          the failing request's message and, as its
 *                          cookie, struct netvirt_txn_fault. Reply:
 *                          NETVIRT_A_TXN: GEN (the new one, or the current
 *                          one for a check), REQUESTS. The transaction
 *                          ends either way.
 * NETVIRT_CMD_TXN_ABORT    no attributes: drops the socket's transaction.
 *                          Closing the socket does too.
 * NETVIRT_CMD_CONFIG_EVENT multicast only, group NETVIRT_MCGRP_CONFIG: one
 *                          per published generation (a request's, a
 *                          transaction's, a device removal's): NETVIRT_A_TXN: GEN,
 *                          REQUESTS, and CHANGES: per object kind
 *                          (NETVIRT_A_CHANGES_*), the change requests of
 *                          that kind the generation applied
 *
 * NAT semantics: a packet a tenant route sends to the uplink leaves
 * translated by its VM's floating IP, else by the SNAT rule with the
 * longest matching SRC (then the lowest HANDLE), else it is dropped
 * (NETVIRT_DROP_NO_NAT). Translation is nf_nat's, in the tenant's
 * conntrack zone. Packets from the uplink to a NAT address are taken by
 * the tenant whose rule covers the address (and for SNAT and DNAT the
 * port): replies of its connections, and new connections to a FIP or DNAT
 * rule whose VM is on this host. The firewall's "out" rules see the VM's
 * address and the external destination, its "in" rules the external
 * source and the VM's address.
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
	NETVIRT_CMD_FW_SET,
	NETVIRT_CMD_FW_GET,
	NETVIRT_CMD_FW_RULE_NEW,
	NETVIRT_CMD_FW_RULE_DEL,
	NETVIRT_CMD_FW_RULE_GET,
	NETVIRT_CMD_FW_GROUP_NEW,
	NETVIRT_CMD_FW_GROUP_DEL,
	NETVIRT_CMD_FW_GROUP_GET,
	NETVIRT_CMD_FW_EVENT,
	NETVIRT_CMD_UPLINK_SET,
	NETVIRT_CMD_UPLINK_DEL,
	NETVIRT_CMD_UPLINK_GET,
	NETVIRT_CMD_NAT_NEW,
	NETVIRT_CMD_NAT_DEL,
	NETVIRT_CMD_NAT_GET,
	NETVIRT_CMD_NAT_EVENT,
	NETVIRT_CMD_TXN_BEGIN,
	NETVIRT_CMD_TXN_COMMIT,
	NETVIRT_CMD_TXN_ABORT,
	NETVIRT_CMD_CONFIG_EVENT,
	__NETVIRT_CMD_MAX
};

#define NETVIRT_CMD_MAX (__NETVIRT_CMD_MAX - 1)

/* Multicast group of NETVIRT_CMD_FW_EVENT and NETVIRT_CMD_NAT_EVENT. */
#define NETVIRT_MCGRP_MONITOR	"monitor"
/* Multicast group of NETVIRT_CMD_CONFIG_EVENT. */
#define NETVIRT_MCGRP_CONFIG	"config"

/*
 * Attribute types: NAME/TENANT strings are NUL-terminated, at most
 * NETVIRT_NAME_MAXLEN bytes; ID u16 (1..65535); VNI u32 (at most
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
	NETVIRT_A_FW,
	NETVIRT_A_FW_RULE,
	NETVIRT_A_FW_GROUP,
	NETVIRT_A_FW_EVENT,
	NETVIRT_A_UPLINK,
	NETVIRT_A_NAT,
	NETVIRT_A_NAT_EVENT,
	NETVIRT_A_TXN,
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
	NETVIRT_A_PORT_STATE,		/* u8, enum netvirt_port_state */
	NETVIRT_A_PORT_DETACHED,	/* string: why the port is detached */
	__NETVIRT_A_PORT_MAX
};

#define NETVIRT_A_PORT_MAX (__NETVIRT_A_PORT_MAX - 1)

enum netvirt_port_state {
	NETVIRT_PORT_ATTACHED,
	NETVIRT_PORT_DETACHED,
	__NETVIRT_PORT_STATE_MAX
};

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
	NETVIRT_A_NEXTHOP_IFNAME,	/* a port by name, in place of IFINDEX */
	NETVIRT_A_NEXTHOP_UPLINK,	/* flag: the host's uplink (NAT) */
	__NETVIRT_A_NEXTHOP_MAX
};

#define NETVIRT_A_NEXTHOP_MAX (__NETVIRT_A_NEXTHOP_MAX - 1)

/*
 * The firewall. Rule PRIO is a u32, lower first; HANDLE a u32 the kernel
 * assigns; DIR, ACTION, POLICY, PROTO, ICMP_TYPE, PLEN u8; IFINDEX u32;
 * ports u16; FLAGS u32; counters u64. A group has at most
 * NETVIRT_FW_GROUP_MAX prefixes.
 */
#define NETVIRT_FW_PRIO_DEFAULT	1000
#define NETVIRT_FW_GROUP_MAX	4096

enum netvirt_fw_dir {
	NETVIRT_FW_DIR_IN,		/* to the VM */
	NETVIRT_FW_DIR_OUT,		/* from the VM */
	__NETVIRT_FW_DIR_MAX
};

#define NETVIRT_FW_DIR_MAX (__NETVIRT_FW_DIR_MAX - 1)

enum netvirt_fw_action {
	NETVIRT_FW_ALLOW,
	NETVIRT_FW_DENY,		/* dropped silently, counted */
	NETVIRT_FW_REJECT,		/* TCP RST, or ICMP administratively
					 * prohibited, to the sender
					 */
	__NETVIRT_FW_ACTION_MAX
};

#define NETVIRT_FW_ACTION_MAX (__NETVIRT_FW_ACTION_MAX - 1)

/* NETVIRT_A_FW_RULE_FLAGS and NETVIRT_A_FW_FLAGS bits. */
enum netvirt_fw_flags {
	NETVIRT_FW_F_LOG	= 1 << 0,	/* denials sent to the monitor */
	NETVIRT_FW_F_PERSIST	= 1 << 1,	/* rules: leaves established
						 * connections alone
						 */
	__NETVIRT_FW_F_ALL	= NETVIRT_FW_F_LOG | NETVIRT_FW_F_PERSIST,
};

enum netvirt_fw_attr {
	NETVIRT_A_FW_UNSPEC,
	NETVIRT_A_FW_TENANT,
	NETVIRT_A_FW_POLICY,
	NETVIRT_A_FW_FLAGS,
	NETVIRT_A_FW_ZONE,
	NETVIRT_A_FW_RULES,
	NETVIRT_A_FW_GROUPS,
	NETVIRT_A_FW_EPOCH,
	__NETVIRT_A_FW_MAX
};

#define NETVIRT_A_FW_MAX (__NETVIRT_A_FW_MAX - 1)

/* A rule's SRC or DST, and a group's PREFIX: an address and a length. */
enum netvirt_fw_addr_attr {
	NETVIRT_A_FW_ADDR_UNSPEC,
	NETVIRT_A_FW_ADDR_IN,
	NETVIRT_A_FW_ADDR_IN6,
	NETVIRT_A_FW_ADDR_PLEN,
	NETVIRT_A_FW_ADDR_GROUP,	/* rules only: a group's name */
	__NETVIRT_A_FW_ADDR_MAX
};

#define NETVIRT_A_FW_ADDR_MAX (__NETVIRT_A_FW_ADDR_MAX - 1)

enum netvirt_fw_rule_attr {
	NETVIRT_A_FW_RULE_UNSPEC,
	NETVIRT_A_FW_RULE_PAD,
	NETVIRT_A_FW_RULE_TENANT,
	NETVIRT_A_FW_RULE_HANDLE,
	NETVIRT_A_FW_RULE_PRIO,
	NETVIRT_A_FW_RULE_DIR,
	NETVIRT_A_FW_RULE_IFINDEX,
	NETVIRT_A_FW_RULE_IFNAME,
	NETVIRT_A_FW_RULE_SRC,
	NETVIRT_A_FW_RULE_DST,
	NETVIRT_A_FW_RULE_PROTO,
	NETVIRT_A_FW_RULE_SPORT_LO,
	NETVIRT_A_FW_RULE_SPORT_HI,
	NETVIRT_A_FW_RULE_DPORT_LO,
	NETVIRT_A_FW_RULE_DPORT_HI,
	NETVIRT_A_FW_RULE_ICMP_TYPE,
	NETVIRT_A_FW_RULE_ACTION,
	NETVIRT_A_FW_RULE_FLAGS,
	NETVIRT_A_FW_RULE_PACKETS,
	NETVIRT_A_FW_RULE_BYTES,
	NETVIRT_A_FW_RULE_CONNS,
	NETVIRT_A_FW_RULE_LAST_HIT,
	NETVIRT_A_FW_RULE_PGROUP,
	__NETVIRT_A_FW_RULE_MAX
};

#define NETVIRT_A_FW_RULE_MAX (__NETVIRT_A_FW_RULE_MAX - 1)

enum netvirt_fw_group_attr {
	NETVIRT_A_FW_GROUP_UNSPEC,
	NETVIRT_A_FW_GROUP_TENANT,
	NETVIRT_A_FW_GROUP_NAME,
	NETVIRT_A_FW_GROUP_PREFIXES,
	NETVIRT_A_FW_GROUP_PREFIX,	/* in PREFIXES: netvirt_fw_addr_attr */
	NETVIRT_A_FW_GROUP_RULES,
	NETVIRT_A_FW_GROUP_PORTS,
	NETVIRT_A_FW_GROUP_IFINDEX,	/* in PORTS: u32 */
	/* in PORTS: a port by name; replies: after IFINDEX, if attached */
	NETVIRT_A_FW_GROUP_IFNAME,
	__NETVIRT_A_FW_GROUP_MAX
};

#define NETVIRT_A_FW_GROUP_MAX (__NETVIRT_A_FW_GROUP_MAX - 1)

enum netvirt_fw_event_attr {
	NETVIRT_A_FW_EVENT_UNSPEC,
	NETVIRT_A_FW_EVENT_TENANT,
	NETVIRT_A_FW_EVENT_HANDLE,
	NETVIRT_A_FW_EVENT_DIR,
	NETVIRT_A_FW_EVENT_IFINDEX,
	NETVIRT_A_FW_EVENT_ACTION,
	NETVIRT_A_FW_EVENT_REASON,
	NETVIRT_A_FW_EVENT_SRC_IN,
	NETVIRT_A_FW_EVENT_SRC_IN6,
	NETVIRT_A_FW_EVENT_DST_IN,
	NETVIRT_A_FW_EVENT_DST_IN6,
	NETVIRT_A_FW_EVENT_PROTO,
	NETVIRT_A_FW_EVENT_SPORT,
	NETVIRT_A_FW_EVENT_DPORT,
	NETVIRT_A_FW_EVENT_ICMP_TYPE,
	__NETVIRT_A_FW_EVENT_MAX
};

#define NETVIRT_A_FW_EVENT_MAX (__NETVIRT_A_FW_EVENT_MAX - 1)

enum netvirt_uplink_attr {
	NETVIRT_A_UPLINK_UNSPEC,
	NETVIRT_A_UPLINK_IFINDEX,
	NETVIRT_A_UPLINK_IFNAME,
	NETVIRT_A_UPLINK_ADDRS,
	NETVIRT_A_UPLINK_STATS,
	__NETVIRT_A_UPLINK_MAX
};

#define NETVIRT_A_UPLINK_MAX (__NETVIRT_A_UPLINK_MAX - 1)

/*
 * NAT. HANDLE u32 the kernel assigns; TYPE, PROTO, PLEN u8; ports u16;
 * counters u64. A tenant has at most NETVIRT_NAT_RULES_MAX rules.
 */
#define NETVIRT_NAT_RULES_MAX	1024
#define NETVIRT_NAT_PORT_LO	1024
#define NETVIRT_NAT_PORT_HI	65535

enum netvirt_nat_type {
	NETVIRT_NAT_SNAT,	/* VMs' connections out, many to one address */
	NETVIRT_NAT_DNAT,	/* connections in to ADDR:PORT, to one VM */
	NETVIRT_NAT_FIP,	/* floating IP: one VM, 1:1 both ways */
	__NETVIRT_NAT_TYPE_MAX
};

#define NETVIRT_NAT_TYPE_MAX (__NETVIRT_NAT_TYPE_MAX - 1)

enum netvirt_nat_attr {
	NETVIRT_A_NAT_UNSPEC,
	NETVIRT_A_NAT_PAD,
	NETVIRT_A_NAT_TENANT,
	NETVIRT_A_NAT_HANDLE,
	NETVIRT_A_NAT_TYPE,
	NETVIRT_A_NAT_ADDR_IN,
	NETVIRT_A_NAT_ADDR_IN6,
	NETVIRT_A_NAT_SRC,		/* nest: netvirt_fw_addr_attr */
	NETVIRT_A_NAT_PORT_LO,
	NETVIRT_A_NAT_PORT_HI,
	NETVIRT_A_NAT_PROTO,
	NETVIRT_A_NAT_PORT,
	NETVIRT_A_NAT_TO_IN,
	NETVIRT_A_NAT_TO_IN6,
	NETVIRT_A_NAT_TO_PORT,
	NETVIRT_A_NAT_PACKETS,
	NETVIRT_A_NAT_BYTES,
	NETVIRT_A_NAT_EXHAUSTED,
	NETVIRT_A_NAT_CONNS,
	NETVIRT_A_NAT_PORTS_USED,
	__NETVIRT_A_NAT_MAX
};

#define NETVIRT_A_NAT_MAX (__NETVIRT_A_NAT_MAX - 1)

enum netvirt_nat_event_attr {
	NETVIRT_A_NAT_EVENT_UNSPEC,
	NETVIRT_A_NAT_EVENT_TENANT,
	NETVIRT_A_NAT_EVENT_HANDLE,
	NETVIRT_A_NAT_EVENT_ADDR_IN,
	NETVIRT_A_NAT_EVENT_ADDR_IN6,
	NETVIRT_A_NAT_EVENT_DST_IN,
	NETVIRT_A_NAT_EVENT_DST_IN6,
	NETVIRT_A_NAT_EVENT_PROTO,
	NETVIRT_A_NAT_EVENT_DPORT,
	__NETVIRT_A_NAT_EVENT_MAX
};

#define NETVIRT_A_NAT_EVENT_MAX (__NETVIRT_A_NAT_EVENT_MAX - 1)

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
	NETVIRT_DROP_FW_DENY,		/* fw-deny: a new connection denied
					 * by a rule or the tenant's policy
					 */
	NETVIRT_DROP_FW_REJECT,		/* fw-reject: likewise, rejected */
	NETVIRT_DROP_FW_INVALID,	/* fw-invalid: conntrack found the
					 * packet invalid (or a fragment)
					 */
	NETVIRT_DROP_FW_CUT,		/* fw-cut: an established connection
					 * a firewall change now denies
					 */
	NETVIRT_DROP_NO_UPLINK,		/* no-uplink: routed to the uplink,
					 * and this host has none
					 */
	NETVIRT_DROP_NO_NAT,		/* no-nat: to or from the uplink,
					 * and no NAT rule translates it
					 */
	NETVIRT_DROP_NAT_EXHAUSTED,	/* nat-exhausted: no free port in
					 * the SNAT rule's range
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

enum netvirt_txn_attr {
	NETVIRT_A_TXN_UNSPEC,
	NETVIRT_A_TXN_PAD,
	NETVIRT_A_TXN_GEN,		/* u64 */
	NETVIRT_A_TXN_FLAGS,		/* u32, NETVIRT_TXN_F_* */
	NETVIRT_A_TXN_REQUESTS,		/* u32, read-only */
	NETVIRT_A_TXN_CHANGES,		/* nest of NETVIRT_A_CHANGES_*, read-only */
	__NETVIRT_A_TXN_MAX
};

#define NETVIRT_A_TXN_MAX (__NETVIRT_A_TXN_MAX - 1)

/* NETVIRT_A_TXN_FLAGS bits. */
enum netvirt_txn_flags {
	NETVIRT_TXN_F_CHECK	= 1 << 0,	/* validate only, publish nothing */
};

/* Change requests per object kind in a NETVIRT_CMD_CONFIG_EVENT; u32. */
enum netvirt_changes_attr {
	NETVIRT_A_CHANGES_UNSPEC,
	NETVIRT_A_CHANGES_TENANTS,
	NETVIRT_A_CHANGES_PORTS,
	NETVIRT_A_CHANGES_ROUTES,
	NETVIRT_A_CHANGES_HOST,
	NETVIRT_A_CHANGES_FW,		/* policies */
	NETVIRT_A_CHANGES_RULES,
	NETVIRT_A_CHANGES_GROUPS,
	NETVIRT_A_CHANGES_UPLINK,
	NETVIRT_A_CHANGES_NAT,
	__NETVIRT_A_CHANGES_MAX
};

#define NETVIRT_A_CHANGES_MAX (__NETVIRT_A_CHANGES_MAX - 1)

/*
 * The extended ACK cookie of a failed NETVIRT_CMD_TXN_COMMIT: which staged
 * request failed (@index from 0, in the order they were staged, and its
 * @seq), and the offset of the attribute at fault in that request's
 * message (@offset, 0 when none is named).
 */
struct netvirt_txn_fault {
	__u32 index;
	__u32 seq;
	__u32 offset;
};

/* NETVIRT_A_FLAGS bits. */
enum netvirt_flags {
	NETVIRT_F_FORCE		= 1 << 0,	/* TENANT_DEL: remove its ports too */
	NETVIRT_F_REPLACE	= 1 << 1,	/* FW_GROUP_NEW: replace one */
	/* Refused since 0.2: a load in parts is a transaction (TXN_*). */
	NETVIRT_F_MORE		= 1 << 2,
	__NETVIRT_F_ALL		= NETVIRT_F_FORCE | NETVIRT_F_REPLACE,
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
	NETVIRT_FEAT_TXN	= 1 << 4,	/* NETVIRT_CMD_TXN_*, config events */
};

#endif /* _UAPI_LINUX_NETVIRT_H */
