/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every limit of netvirt, in one place, with what an object costs.
 */
#ifndef _NV_LIMITS_H
#define _NV_LIMITS_H

#include <linux/bits.h>
#include <uapi/linux/netvirt.h>

/* Longest version string a module reports in NETVIRT_A_VERSION. */
#define NV_VERSION_MAXLEN	32

/* Reply buffer for INFO_GET: fixed attributes only, never grows. */
#define NV_INFO_REPLY_SIZE	NLMSG_GOODSIZE

/*
 * Tenants and ports live in slots of the configuration snapshot; a
 * snapshot is two pointer arrays, so a commit copies
 * 8 * (NV_MAX_TENANTS + NV_MAX_PORTS) bytes.
 */
#define NV_MAX_TENANTS		1024
#define NV_MAX_PORTS		4096

/* Overlay network identifiers are 24 bits. */
#define NV_VNI_MAX		NETVIRT_VNI_MAX

/* Buckets of the VNI -> tenant hash: twice the tenants, a power of 2. */
#define NV_VNI_BUCKETS		(2 * NV_MAX_TENANTS)

/* Tenant name, with its NUL: as long as an interface name. */
#define NV_NAME_LEN		(NETVIRT_NAME_MAXLEN + 1)

/* Addresses of one VM port, IPv4 and IPv6 together. */
#define NV_MAX_PORT_ADDRS	NETVIRT_PORT_ADDRS_MAX

/* Next hops of one ECMP route. */
#define NV_MAX_ECMP		NETVIRT_ECMP_MAX

/* Routes of one tenant, both families, port host routes included. */
#define NV_MAX_ROUTES		BIT(20)

/* Routes of a namespace: by default 4M, at most 64M. */
#define NV_DEFAULT_ROUTES	BIT(22)
#define NV_MAX_ROUTES_ALL	BIT(26)

/*
 * Firewall classifier, one per tenant and direction (src/fw_cls.c):
 * rules, prefixes of one address group, members of all the address and
 * port groups it uses. Its decision trees may take NV_FWC_TREE_WORDS
 * 4-byte words per rule plus NV_FWC_TREE_WORDS_MIN; past that budget,
 * leaves stay long: lookups slow down, memory does not grow.
 */
#define NV_FWC_MAX_RULES	BIT(18)
#define NV_FWC_MAX_GROUP	NETVIRT_FW_GROUP_MAX
#define NV_FWC_MAX_MEMBERS	BIT(20)
#define NV_FWC_TREE_WORDS	64
#define NV_FWC_TREE_WORDS_MIN	BIT(16)

/* ICMP errors sent back to VMs: per tenant and CPU, a token bucket. */
#define NV_ICMP_RATE		100	/* per second */
#define NV_ICMP_BURST		50

/* Firewall log events: per tenant and CPU, a token bucket. */
#define NV_FW_LOG_RATE		100	/* per second */
#define NV_FW_LOG_BURST		20

/*
 * A connection a firewall change cut stays in conntrack this long after
 * its last packet (seconds), so that its stragglers are not taken for new
 * connections: about the TCP CLOSE timeout.
 */
#define NV_FW_CUT_LINGER	10

/*
 * Firewall rules: per tenant at most NV_FWC_MAX_RULES (the classifier's
 * limit); per namespace by default 1M, at most 16M. Address groups per
 * tenant, each of at most NETVIRT_FW_GROUP_MAX prefixes.
 */
#define NV_DEFAULT_RULES	BIT(20)
#define NV_MAX_RULES_ALL	BIT(24)
#define NV_MAX_FW_GROUPS	1024
#define NV_MAX_GROUP_PREFIXES	NETVIRT_FW_GROUP_MAX

/*
 * Network namespaces with configuration per user namespace (with its
 * descendants) and per user for the user namespaces it created: by
 * default 256, at most 64k. The initial user namespace's are not counted.
 */
#define NV_DEFAULT_USERNS_NETS	256
#define NV_MAX_USERNS_NETS	BIT(16)

/* NAT rules of a tenant; exhaustion events, per rule and CPU. */
#define NV_MAX_NAT_RULES	NETVIRT_NAT_RULES_MAX
#define NV_NAT_EVENT_RATE	10	/* per second */
#define NV_NAT_EVENT_BURST	5
/*
 * NAT rules per message of a NAT_GET dump: each walks the conntrack table
 * under RCU with BH off, so a dump lets go between every few rules.
 */
#define NV_NAT_DUMP_RULES	8

/*
 * A client transaction (txn.c) stages at most this many requests, of at
 * most this many bytes together (copies of the messages, charged to the
 * sender's memory cgroup); a namespace has at most NV_MAX_TXNS open (each
 * change request looks for its socket's among them).
 */
#define NV_MAX_TXN_REQUESTS	BIT(16)
#define NV_MAX_TXN_BYTES	(64 << 20)
#define NV_MAX_TXNS		64

/*
 * Tunnel metadata a host keeps made, one per (remote, VNI, outer TOS, DF)
 * in a direct-mapped table: a power of two. A key whose slot another key
 * took less than NV_TUNNEL_DST_TURN ago builds its packets' metadata
 * each, as before the table: keys that collide take turns at most once
 * per period, not per packet.
 */
#define NV_TUNNEL_DST_SLOTS	256
#define NV_TUNNEL_DST_TURN	HZ

/*
 * What an object costs (x86_64, measured with slab sizes; see
 * docs/architecture.md): a route about 200 bytes (route object 64-512
 * depending on next hops, writer trie ~120, lookup table 21-53); a port
 * 512 bytes plus 184 per possible CPU of counters; a tenant 128 bytes,
 * two empty LPMs (~1 KiB) and 184 per possible CPU.
 */

/**
 * struct nv_limits - the limits in force, module parameters
 * @tenants: tenants per namespace, at most NV_MAX_TENANTS
 * @ports: ports per namespace, at most NV_MAX_PORTS
 * @routes: routes per namespace, at most NV_MAX_ROUTES_ALL
 * @tenant_ports: ports per tenant
 * @tenant_routes: routes per tenant, at most NV_MAX_ROUTES
 * @rules: firewall rules per namespace, at most NV_MAX_RULES_ALL
 * @tenant_rules: firewall rules per tenant, at most NV_FWC_MAX_RULES
 * @userns_nets: network namespaces with configuration per user
 *	namespace, at most NV_MAX_USERNS_NETS (src/userns.c)
 *
 * Read with READ_ONCE(): an administrator may change them at any time.
 */
struct nv_limits {
	unsigned int tenants;
	unsigned int ports;
	unsigned int routes;
	unsigned int tenant_ports;
	unsigned int tenant_routes;
	unsigned int rules;
	unsigned int tenant_rules;
	unsigned int userns_nets;
};

extern struct nv_limits nv_limits;

#endif /* _NV_LIMITS_H */
