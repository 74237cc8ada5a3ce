/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NV_TENANT_H
#define _NV_TENANT_H

#include <linux/hash.h>
#include <linux/if_ether.h>
#include <linux/log2.h>
#include <net/genetlink.h>

#include "config.h"
#include "limits.h"
#include "stats.h"

struct nv_routes;
struct nv_fw;
struct nv_nat;
struct nf_conn;

/**
 * struct nv_tenant - one version of a tenant; immutable once published
 * @name: unique name
 * @slot: index in nv_config.tenants
 * @id: 1..65535, unique; the tenant's conntrack zone
 * @vni: 24-bit overlay network identifier, unique
 * @router_mac: source MAC of everything the tenant's router sends
 * @routes: the tenant's route tables
 * @fw: the tenant's firewall
 * @nat: the tenant's NAT rules; NULL until it has had one
 * @ct_tmpl: conntrack template of the tenant's zone, shared by every
 *	version of the tenant
 * @stats: counters, shared by every version of the tenant
 */
struct nv_tenant {
	char name[NV_NAME_LEN];
	u16 slot;
	u16 id;
	u32 vni;
	u8 router_mac[ETH_ALEN];
	struct nv_routes *routes;
	struct nv_fw *fw;
	struct nv_nat *nat;
	struct nf_conn *ct_tmpl;
	struct nv_stats *stats;
};

/* The VNI hash's first bucket for @vni. */
static inline u32 nv_vni_bucket(u32 vni)
{
	return hash_32(vni, ilog2(NV_VNI_BUCKETS));
}

/*
 * The tenant of @vni in @cfg, or NULL. At most NV_MAX_TENANTS entries in
 * twice as many buckets: probe sequences stay short.
 */
static inline const struct nv_tenant *
nv_tenant_by_vni(const struct nv_config *cfg, u32 vni)
{
	u32 b = nv_vni_bucket(vni);

	for (;; b = (b + 1) & (NV_VNI_BUCKETS - 1)) {
		u16 slot = cfg->vni_slots[b];
		const struct nv_tenant *t;

		if (!slot)
			return NULL;
		t = cfg->tenants[slot - 1];
		if (t && t->vni == vni)
			return t;
	}
}

struct nv_tenant *nv_tenant_find(const struct nv_config *cfg,
				 const char *name);
struct nv_tenant *nv_tenant_from_attr(const struct nv_config *cfg,
				      const struct nlattr *attr,
				      struct netlink_ext_ack *extack);
int nv_tenant_replace(struct nv_txn *txn, struct nv_tenant *old,
		      struct nv_routes *routes, struct nv_fw *fw);
int nv_tenant_replace_nat(struct nv_txn *txn, struct nv_tenant *old,
			  struct nv_nat *nat);
void nv_tenant_destroy(struct nv_tenant *t);
void nv_tenant_destroy_all(struct nv_tenant *t);

int nv_tenant_new_doit(struct sk_buff *skb, struct genl_info *info);
int nv_tenant_del_doit(struct sk_buff *skb, struct genl_info *info);
int nv_tenant_get_doit(struct sk_buff *skb, struct genl_info *info);
int nv_tenant_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);

#endif /* _NV_TENANT_H */
