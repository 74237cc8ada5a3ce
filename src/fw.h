/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The distributed firewall: a tenant's rules, address groups and default
 * policy, compiled into one classifier per direction and published with
 * the tenant (struct nv_tenant.fw).
 *
 * A struct nv_fw is one immutable version. A change builds a draft from
 * the published version (arrays copied, rules and groups shared by
 * reference), edits it, compiles it and publishes it in a new version of
 * the tenant; the old version is retired with the snapshot it leaves.
 * Rules and groups are immutable too: a rule's counters are the only
 * thing the packet path writes.
 */
#ifndef _NV_FW_H
#define _NV_FW_H

#include <linux/if.h>
#include <linux/kref.h>
#include <linux/percpu.h>
#include <linux/skbuff.h>
#include <linux/u64_stats_sync.h>
#include <net/genetlink.h>

#include "config.h"
#include "fw_cls.h"
#include "limits.h"

struct nv_tenant;
struct nv_pkt;
struct nv_port;
struct nf_conn;

/* Counters of a rule on one CPU; only that CPU writes them. */
struct nv_fw_rule_pcpu {
	struct u64_stats_sync syncp;
	u64_stats_t packets;
	u64_stats_t bytes;
	u64_stats_t conns;
	unsigned long last_hit;		/* jiffies; 0: never */
};

/**
 * struct nv_fw_addr - a rule's source or destination
 * @group: an address group's name, or "" for @pfx
 * @pfx: the prefix; length 0 matches every address
 * @v6: @pfx is an IPv6 prefix (for replies; IPv4 is v4-mapped)
 */
struct nv_fw_addr {
	char group[NV_NAME_LEN];
	struct nv_fwc_prefix pfx;
	bool v6;
};

/**
 * struct nv_fw_rule - one rule; immutable, shared by firewall versions
 * @ref: one per version holding the rule
 * @handle: unique in the tenant, assigned at creation
 * @prio: lower first; equal priorities in handle order
 * @dir: enum netvirt_fw_dir
 * @action: enum netvirt_fw_action
 * @flags: NETVIRT_FW_F_*
 * @has_port: the rule applies to one port; else to every port of the tenant
 * @port_slot: that port's slot
 * @port: that port's name
 * @proto: IP protocol, with @has_proto
 * @has_proto: the rule matches one protocol
 * @icmp_type: with @has_type
 * @has_type: the rule matches one ICMP type
 * @sport: source ports, when @has_sport
 * @dport: destination ports, when @has_dport
 * @has_sport: the rule matches source ports
 * @has_dport: the rule matches destination ports
 * @pgroup: a port group's name: the rule applies to its members; ""
 * @src: source
 * @dst: destination
 * @pcpu: counters
 */
struct nv_fw_rule {
	struct kref ref;
	u32 handle;
	u32 prio;
	u8 dir;
	u8 action;
	u32 flags;
	bool has_port;
	u16 port_slot;
	char port[IFNAMSIZ];
	u8 proto;
	bool has_proto;
	u8 icmp_type;
	bool has_type;
	struct nv_fwc_range sport;
	struct nv_fwc_range dport;
	bool has_sport;
	bool has_dport;
	char pgroup[NV_NAME_LEN];
	struct nv_fw_addr src;
	struct nv_fw_addr dst;
	struct nv_fw_rule_pcpu __percpu *pcpu;
};

/**
 * struct nv_fw_group - an address or port group; immutable, shared by
 *	versions
 * @ref: one per version holding the group
 * @name: unique in the tenant
 * @ports: a port group: @slots, not prefixes
 * @set: the prefixes as the classifier reads them (points at @pfx)
 * @v6: per prefix, whether it is IPv6 (for replies)
 * @slots: the member ports' slots as the classifier reads them
 * @slot: the members' slots
 * @pfx: the prefixes
 */
struct nv_fw_group {
	struct kref ref;
	char name[NV_NAME_LEN];
	bool ports;
	struct nv_fwc_group set;
	bool *v6;
	struct nv_fwc_slots slots;
	u16 *slot;
	struct nv_fwc_prefix pfx[];
};

/**
 * struct nv_fw_dir - the compiled rules of one direction
 * @cls: the classifier; NULL when the direction has no rule
 * @rules: the rules, in the order given to the classifier
 * @n: how many
 */
struct nv_fw_dir {
	struct nv_fwc *cls;
	struct nv_fw_rule **rules;
	u32 n;
};

/* The conntrack mark of a connection a firewall change cut; no epoch. */
#define NV_FW_EPOCH_CUT	U32_MAX

/**
 * struct nv_fw - one version of a tenant's firewall; immutable once built
 * @policy: NETVIRT_FW_ALLOW or NETVIRT_FW_DENY, for what no rule matches
 * @flags: NETVIRT_FW_F_LOG: default-policy denials are logged
 * @epoch: new with every change, drawn from a counter all firewalls
 *	share; a connection decided in another epoch is decided again (its
 *	conntrack mark holds the epoch; NV_FW_EPOCH_CUT once it is cut)
 * @next_handle: the handle of the next rule added
 * @n_rules: rules
 * @rules: by (prio, handle)
 * @n_groups: groups
 * @groups: by name
 * @dir: compiled, per enum netvirt_fw_dir
 * @built: @dir and @epoch are set: a draft is built by the commit of its
 *	transaction, for the last draft of each tenant only
 */
struct nv_fw {
	bool built;
	u8 policy;
	u32 flags;
	u32 epoch;
	u32 next_handle;
	u32 n_rules;
	struct nv_fw_rule **rules;
	u32 n_groups;
	struct nv_fw_group **groups;
	struct nv_fw_dir dir[NETVIRT_FW_DIR_MAX + 1];
};

/* fw.c: versions */
struct nv_fw *nv_fw_create(void);
void nv_fw_destroy(struct nv_fw *fw);
struct nv_fw *nv_fw_draft(const struct nv_fw *old, u32 more);
void nv_fw_draft_free(struct nv_fw *draft);
struct nv_net;
int nv_fw_change(struct nv_net *nn, struct nv_tenant *t, struct nv_fw *d);
int nv_fw_publish(struct nv_txn *txn, struct nv_tenant *t,
		  struct nv_fw *draft);
int nv_fw_remove_port(struct nv_txn *txn, struct nv_tenant *t, u16 slot);
void nv_fw_port_users(const struct nv_fw *fw, u16 slot, u32 *rules,
		      u32 *pgroups);
struct nv_fw_group *nv_fw_group_find(const struct nv_fw *fw,
				     const char *name);
struct nv_fw_group *nv_fw_group_alloc(u32 n, bool ports);
void nv_fw_rule_put(struct nv_fw_rule *rule);
void nv_fw_group_put(struct nv_fw_group *g);
bool nv_fw_is_open(const struct nv_fw *fw);

int nv_fw_set_doit(struct sk_buff *skb, struct genl_info *info);
int nv_fw_get_doit(struct sk_buff *skb, struct genl_info *info);

/* fw_group.c: prefixes, shared by rules and groups */
int nv_fw_parse_prefix(struct nlattr **tb, struct nlattr *nest,
		       struct nv_fwc_prefix *pfx, bool *v6,
		       struct netlink_ext_ack *extack);
int nv_fw_put_prefix(struct sk_buff *skb, const struct nv_fwc_prefix *pfx,
		     bool v6);

/* fw_rule.c */
int nv_fw_rule_new_doit(struct sk_buff *skb, struct genl_info *info);
int nv_fw_rule_del_doit(struct sk_buff *skb, struct genl_info *info);
int nv_fw_rule_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);

/* fw_group.c */
int nv_fw_group_new_doit(struct sk_buff *skb, struct genl_info *info);
int nv_fw_group_del_doit(struct sk_buff *skb, struct genl_info *info);
int nv_fw_group_get_doit(struct sk_buff *skb, struct genl_info *info);
int nv_fw_group_dump_start(struct netlink_callback *cb);
int nv_fw_group_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);

/* fw_filter.c: the packet path */
struct nf_conn *nv_fw_ct_tmpl(struct net *net, u16 zone_id);
void nv_fw_ct_flush(struct net *net, u16 zone_id);
int nv_fw_ct_labels_get(struct nv_net *nn);
void nv_fw_ct_labels_put(struct nv_net *nn);
bool nv_fw_track(const struct nv_pkt *pkt, struct sk_buff *skb);
enum netvirt_drop_reason nv_fw_filter(const struct nv_pkt *pkt,
				      struct sk_buff *skb,
				      const struct nv_port *to, bool to_uplink);

/* fw_log.c */
void nv_fw_log(const struct nv_pkt *pkt, const struct nf_conn *ct,
	       const struct nv_fw_rule *rule, u8 dir, int ifindex,
	       u8 action, enum netvirt_drop_reason reason);

#endif /* _NV_FW_H */
