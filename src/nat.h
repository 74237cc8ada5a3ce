/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NV_NAT_H
#define _NV_NAT_H

#include <linux/in6.h>
#include <linux/percpu.h>
#include <linux/u64_stats_sync.h>
#include <net/genetlink.h>

#include "config.h"
#include "stats.h"

struct nf_conn;
struct nv_pkt;
struct nv_tenant;

/**
 * struct nv_nat_pcpu - counters of a NAT rule on one CPU
 * @syncp: for 32-bit readers
 * @packets: packets translated
 * @bytes: their bytes
 * @exhausted: new connections dropped for want of a free port
 * @event: token bucket of the rule's exhaustion events
 */
struct nv_nat_pcpu {
	struct u64_stats_sync syncp;
	u64_stats_t packets;
	u64_stats_t bytes;
	u64_stats_t exhausted;
	struct nv_bucket event;
};

/**
 * struct nv_nat_rule - one NAT rule of a tenant; immutable once published
 * @handle: unique in the tenant, never reused while the tenant lives
 * @type: enum netvirt_nat_type
 * @v6: an IPv6 rule
 * @proto: DNAT: IPPROTO_TCP or IPPROTO_UDP
 * @src_plen: SNAT: the length of @src in the family's terms; 0: every VM
 * @lo: SNAT: the first port (and ICMP id) of the range; DNAT: the port
 * @hi: SNAT: the last one; DNAT: the port
 * @to_port: DNAT: the VM's port
 * @addr: the external address (IPv4 v4-mapped)
 * @src: SNAT: the VMs' prefix
 * @to: DNAT and FIP: the VM's address
 * @pcpu: counters, shared by every version of the tenant's rules
 */
struct nv_nat_rule {
	u32 handle;
	u8 type;
	bool v6;
	u8 proto;
	u8 src_plen;
	u16 lo;
	u16 hi;
	u16 to_port;
	struct in6_addr addr;
	struct in6_addr src;
	struct in6_addr to;
	struct nv_nat_pcpu __percpu *pcpu;
};

/**
 * struct nv_nat - one version of a tenant's NAT rules; immutable once
 * published
 * @next_handle: the handle of the next rule added
 * @n: rules in @rules
 * @rules: by handle, ascending
 */
struct nv_nat {
	u32 next_handle;
	u32 n;
	const struct nv_nat_rule *rules[];
};

/**
 * struct nv_nat_entry - a rule of the host's NAT index
 * @rule: the rule
 * @tenant_slot: its tenant
 */
struct nv_nat_entry {
	const struct nv_nat_rule *rule;
	u16 tenant_slot;
};

/**
 * struct nv_nat_index - every tenant's NAT rules, by external address:
 * what packets from the uplink are matched against; immutable once
 * published, rebuilt by each change of a NAT rule
 * @n: entries
 * @e: entries
 */
struct nv_nat_index {
	u32 n;
	struct nv_nat_entry e[];
};

/*
 * The external side of a packet or connection: address (IPv4
 * v4-mapped), protocol, and port or ICMP id, host order.
 */
struct nv_nat_key {
	struct in6_addr addr;
	bool v6;
	u8 proto;
	u16 port;
};

void nv_nat_destroy(struct nv_nat *nat);
u32 nv_nat_count(const struct nv_nat *nat);
int nv_nat_index_rebuild(struct nv_txn *txn);
const struct nv_nat_entry *nv_nat_find(const struct nv_config *cfg,
				       const struct nv_nat_key *key);
bool nv_nat_vm_here(const struct nv_config *cfg, const struct nv_nat_entry *e);
void nv_nat_announce(const struct nv_config *cfg);
bool nv_nat_answers(const struct nv_config *cfg,
		    const struct in6_addr *addr);

/* The packet path (nat.c). */
enum netvirt_drop_reason nv_nat_out(const struct nv_pkt *pkt,
				    struct sk_buff *skb, struct nf_conn *ct,
				    int ctinfo);
enum netvirt_drop_reason nv_nat_in(const struct nv_pkt *pkt,
				   struct sk_buff *skb,
				   const struct nv_nat_rule *rule);
bool nv_nat_unknown(const struct sk_buff *skb);
void nv_nat_flush(struct net *net, u16 zone, const struct nv_nat_rule *r);
int nv_nat_ports_used(const struct nv_tenant *t,
		      const struct nv_nat_rule *rule, u32 *conns);

int nv_nat_new_doit(struct sk_buff *skb, struct genl_info *info);
int nv_nat_del_doit(struct sk_buff *skb, struct genl_info *info);
int nv_nat_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);

#endif /* _NV_NAT_H */
