// SPDX-License-Identifier: GPL-2.0
/*
 * Tenants: isolated routing domains with their own addresses, conntrack
 * zone and overlay VNI.
 */
#include <linux/etherdevice.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <net/sock.h>

#include <net/netfilter/nf_conntrack.h>

#include "netvirt.h"
#include "change.h"
#include "fw.h"
#include "genl.h"
#include "nat.h"
#include "netns.h"
#include "port.h"
#include "route.h"
#include "tenant.h"

struct nv_tenant *nv_tenant_find(const struct nv_config *cfg,
				 const char *name)
{
	int i;

	for (i = 0; i < NV_MAX_TENANTS; i++)
		if (cfg->tenants[i] && !strcmp(cfg->tenants[i]->name, name))
			return cfg->tenants[i];
	return NULL;
}

/* The tenant named by a NETVIRT_A_*_TENANT attribute, or NULL. */
struct nv_tenant *nv_tenant_from_attr(const struct nv_config *cfg,
				      const struct nlattr *attr,
				      struct netlink_ext_ack *extack)
{
	struct nv_tenant *t = nv_tenant_find(cfg, nla_data(attr));

	if (!t)
		NL_SET_ERR_MSG_ATTR(extack, attr, "tenant does not exist");
	return t;
}

void nv_tenant_destroy(struct nv_tenant *t)
{
	nv_stats_put(t->stats);
	kfree(t);
}

static void tenant_free(void *obj)
{
	nv_tenant_destroy(obj);
}

/**
 * nv_tenant_replace() - a new version of a tenant, with other tables
 * @txn: the transaction
 * @old: the tenant's version in @txn->next
 * @routes: the new version's route tables (@old->routes to keep them)
 * @fw: the new version's firewall (@old->fw to keep it)
 *
 * The new version takes @old's place in @txn->next; @old is retired with
 * the snapshot it leaves, or freed now if the transaction made it: the
 * caller does not touch @old after this call.
 *
 * Return: 0 or -ENOMEM.
 */
int nv_tenant_replace(struct nv_txn *txn, struct nv_tenant *old,
		      struct nv_routes *routes, struct nv_fw *fw)
{
	struct nv_tenant *t;
	int ret;

	lockdep_assert_held(&txn->nn->lock);
	t = kmemdup(old, sizeof(*old), GFP_KERNEL_ACCOUNT);
	if (!t)
		return -ENOMEM;
	nv_stats_get(t->stats);
	ret = nv_txn_created(txn, tenant_free, t);
	if (ret)
		return ret;
	t->routes = routes;
	t->fw = fw;
	txn->next->tenants[t->slot] = t;
	return nv_txn_drop(txn, tenant_free, old);
}

/**
 * nv_tenant_replace_nat() - a new version of a tenant, with other NAT rules
 * @txn: the transaction
 * @old: the tenant's version in @txn->next
 * @nat: its new rules
 *
 * Return: 0 or -ENOMEM.
 */
int nv_tenant_replace_nat(struct nv_txn *txn, struct nv_tenant *old,
			  struct nv_nat *nat)
{
	u16 slot = old->slot;	/* @old may be freed by the replace */
	int ret = nv_tenant_replace(txn, old, old->routes, old->fw);

	if (!ret)
		txn->next->tenants[slot]->nat = nat;
	return ret;
}

/* Locally administered, unique per tenant id: 02:76:ID:00:01. */
static void default_router_mac(u8 *mac, u16 id)
{
	mac[0] = 0x02;
	mac[1] = 0x76;
	mac[2] = id >> 8;
	mac[3] = id & 0xff;
	mac[4] = 0x00;
	mac[5] = 0x01;
}

static int tenant_check_unique(const struct nv_config *cfg,
			       struct nlattr **tb,
			       struct netlink_ext_ack *extack)
{
	u16 id = nla_get_u16(tb[NETVIRT_A_TENANT_ID]);
	u32 vni = nla_get_u32(tb[NETVIRT_A_TENANT_VNI]);
	int i;

	if (nv_tenant_find(cfg, nla_data(tb[NETVIRT_A_TENANT_NAME]))) {
		NL_SET_ERR_MSG_ATTR(extack, tb[NETVIRT_A_TENANT_NAME],
				    "a tenant with this name exists");
		return -EEXIST;
	}
	for (i = 0; i < NV_MAX_TENANTS; i++) {
		const struct nv_tenant *t = cfg->tenants[i];

		if (t && t->id == id) {
			NL_SET_ERR_MSG_ATTR(extack, tb[NETVIRT_A_TENANT_ID],
					    "a tenant with this id exists");
			return -EEXIST;
		}
		if (t && t->vni == vni) {
			NL_SET_ERR_MSG_ATTR(extack, tb[NETVIRT_A_TENANT_VNI],
					    "a tenant with this VNI exists");
			return -EEXIST;
		}
	}
	return 0;
}

/**
 * nv_tenant_destroy_all() - free the last version of a tenant
 * @t: the version, unreachable by any reader
 *
 * Frees what the tenant's versions shared too: its routes, firewall and
 * conntrack template.
 */
void nv_tenant_destroy_all(struct nv_tenant *t)
{
	nv_routes_destroy(t->routes);
	nv_fw_destroy(t->fw);
	nv_nat_destroy(t->nat);
	if (t->ct_tmpl)
		nf_ct_tmpl_free(t->ct_tmpl);
	nv_tenant_destroy(t);
}

static void tenant_free_all(void *obj)
{
	nv_tenant_destroy_all(obj);
}

/* What every version of a tenant shares: counters, routes, firewall, zone. */
static int tenant_create_shared(struct nv_net *nn, struct nv_tenant *t)
{
	struct nv_routes *routes;
	struct nv_fw *fw;

	t->stats = nv_stats_create();
	if (!t->stats)
		return -ENOMEM;
	routes = nv_routes_create(nn);
	if (IS_ERR(routes))
		return PTR_ERR(routes);
	t->routes = routes;
	fw = nv_fw_create();
	if (IS_ERR(fw))
		return PTR_ERR(fw);
	t->fw = fw;
	t->ct_tmpl = nv_fw_ct_tmpl(nn->net, t->id);
	return t->ct_tmpl ? 0 : -ENOMEM;
}

static struct nv_tenant *tenant_create(struct nv_net *nn, struct nlattr **tb,
				       int slot)
{
	struct nv_tenant *t;
	int ret;

	lockdep_assert_held(&nn->lock);
	t = kzalloc(sizeof(*t), GFP_KERNEL_ACCOUNT);
	if (!t)
		return ERR_PTR(-ENOMEM);
	t->id = nla_get_u16(tb[NETVIRT_A_TENANT_ID]);
	ret = tenant_create_shared(nn, t);
	if (ret) {
		tenant_free_all(t);
		return ERR_PTR(ret);
	}
	nla_strscpy(t->name, tb[NETVIRT_A_TENANT_NAME], sizeof(t->name));
	t->slot = slot;
	t->vni = nla_get_u32(tb[NETVIRT_A_TENANT_VNI]);
	if (tb[NETVIRT_A_TENANT_ROUTER_MAC])
		ether_addr_copy(t->router_mac,
				nla_data(tb[NETVIRT_A_TENANT_ROUTER_MAC]));
	else
		default_router_mac(t->router_mac, t->id);
	return t;
}

/*
 * Rebuilds the VNI hash of the transaction's copy, tenants added or
 * removed. A rebuild rather than in-place deletion keeps the probe
 * sequences of the open addressing intact; it costs NV_VNI_BUCKETS steps
 * per change of the tenant set, never anything on the packet path.
 */
static void tenant_index_vnis(struct nv_txn *txn)
{
	struct nv_config *cfg = txn->next;
	u16 slot;

	lockdep_assert_held(&txn->nn->lock);
	memset(cfg->vni_slots, 0, sizeof(cfg->vni_slots));
	for (slot = 0; slot < NV_MAX_TENANTS; slot++) {
		const struct nv_tenant *t = cfg->tenants[slot];
		u32 b;

		if (!t)
			continue;
		b = nv_vni_bucket(t->vni);
		while (cfg->vni_slots[b])
			b = (b + 1) & (NV_VNI_BUCKETS - 1);
		cfg->vni_slots[b] = slot + 1;
	}
}

/* A free slot for the tenant @tb describes, unique, within the limit. */
static int tenant_slot_for(const struct nv_config *cfg, struct nlattr **tb,
			   struct netlink_ext_ack *extack)
{
	int slot, ret;

	ret = tenant_check_unique(cfg, tb, extack);
	if (ret)
		return ret;
	slot = nv_config_free_slot((void *const *)cfg->tenants, NV_MAX_TENANTS,
				   cfg->counts.tenants,
				   READ_ONCE(nv_limits.tenants));
	if (slot < 0)
		NL_SET_ERR_MSG(extack, "tenant limit of the namespace reached (max_tenants)");
	return slot;
}

/*
 * A tenant id that the published configuration has and the transaction's
 * does not: a tenant of this transaction deleted it, and its zone's
 * connections are forgotten only after the commit (tenant_flush_later()),
 * which would forget a new tenant's too.
 */
static int tenant_zone_free(struct nv_net *nn, struct nlattr **tb,
			    struct netlink_ext_ack *extack)
{
	const struct nv_config *pub = nv_config_published(nn);
	u16 id = nla_get_u16(tb[NETVIRT_A_TENANT_ID]);
	int i;

	for (i = 0; i < NV_MAX_TENANTS; i++)
		if (pub->tenants[i] && pub->tenants[i]->id == id) {
			NL_SET_ERR_MSG_ATTR(extack, tb[NETVIRT_A_TENANT_ID],
					    "this transaction deletes the tenant of this id; its zone is free once it commits");
			return -EBUSY;
		}
	return 0;
}

static int tenant_add(struct nv_net *nn, struct nlattr **tb,
		      struct netlink_ext_ack *extack)
{
	struct nv_config *cfg = nv_config_locked(nn);
	struct nv_tenant *t;
	struct nv_txn txn;
	int slot, ret;

	lockdep_assert_held(&nn->lock);
	slot = tenant_slot_for(cfg, tb, extack);
	if (slot < 0)
		return slot;
	ret = tenant_zone_free(nn, tb, extack);
	if (ret)
		return ret;
	ret = nv_fw_ct_labels_get(nn);
	if (ret) {
		NL_SET_ERR_MSG(extack, "conntrack labels unavailable");
		return ret;
	}
	ret = nv_txn_begin(&txn, nn);
	if (ret)
		return ret;
	t = tenant_create(nn, tb, slot);
	ret = PTR_ERR_OR_ZERO(t);
	if (ret)
		goto out_abort;
	ret = nv_txn_created(&txn, tenant_free_all, t);
	if (ret)
		goto out_abort;
	txn.next->tenants[slot] = t;
	txn.next->counts.tenants++;
	tenant_index_vnis(&txn);
	return nv_txn_commit(&txn);

out_abort:
	nv_txn_abort(&txn);
	return ret;
}

int nv_tenant_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nv_net *nn = nv_net(genl_info_net(info));
	struct nlattr *tb[NETVIRT_A_TENANT_MAX + 1];
	int ret;

	ret = nv_genl_nest(info, NETVIRT_A_TENANT, tb, NETVIRT_A_TENANT_MAX,
			   nv_tenant_policy);
	if (ret)
		return ret;
	if (nv_genl_missing(info, NETVIRT_A_TENANT, tb, NETVIRT_A_TENANT_NAME,
			    "tenant name is required") ||
	    nv_genl_missing(info, NETVIRT_A_TENANT, tb, NETVIRT_A_TENANT_ID,
			    "tenant id is required") ||
	    nv_genl_missing(info, NETVIRT_A_TENANT, tb, NETVIRT_A_TENANT_VNI,
			    "tenant VNI is required"))
		return -EINVAL;

	return tenant_add(nn, tb, info->extack);
}

/*
 * Removes the tenant in @slot, its ports (when forced) and its routes.
 * Removing a port makes a new version of the tenant, so the version
 * retired here is the latest one of the transaction.
 */
static int tenant_remove(struct nv_txn *txn, u16 slot)
{
	struct nv_config *next = txn->next;
	struct nv_tenant *t;
	int i, ret;

	ASSERT_RTNL();
	lockdep_assert_held(&txn->nn->lock);
	for (i = 0; i < NV_MAX_PORTS; i++) {
		if (!next->ports[i] || next->ports[i]->tenant_slot != slot)
			continue;
		ret = nv_port_remove(txn, next->ports[i]);
		if (ret)
			return ret;
	}
	t = next->tenants[slot];
	ret = nv_txn_retire(txn, tenant_free_all, t);
	if (ret)
		return ret;
	next->counts.routes -= nv_routes_count(t->routes);
	next->counts.rules -= t->fw->n_rules;
	next->counts.tenants--;
	next->tenants[slot] = NULL;
	tenant_index_vnis(txn);
	return nv_nat_count(t->nat) ? nv_nat_index_rebuild(txn) : 0;
}

/* The TENANT nest of a request that names a tenant. */
static int tenant_parse_name(struct genl_info *info, struct nlattr **tb)
{
	int ret = nv_genl_nest(info, NETVIRT_A_TENANT, tb, NETVIRT_A_TENANT_MAX,
			       nv_tenant_policy);

	if (ret)
		return ret;
	if (nv_genl_missing(info, NETVIRT_A_TENANT, tb, NETVIRT_A_TENANT_NAME,
			    "tenant name is required"))
		return -EINVAL;
	return 0;
}

/* What forgets a deleted tenant's connections: see nv_fw_ct_flush(). */
struct tenant_flush {
	struct net *net;
	u16 zone;
};

static void tenant_flush_run(void *obj)
{
	struct tenant_flush *f = obj;

	nv_fw_ct_flush(f->net, f->zone);
	kfree(f);
}

/*
 * Forgets zone @zone's connections once the deletion is published: out of
 * RTNL, as it waits for a grace period, but under nn->lock, so that no new
 * tenant of the namespace takes the zone before they are gone.
 */
static int tenant_flush_later(struct nv_txn *txn, u16 zone)
{
	struct tenant_flush *f = kmalloc(sizeof(*f), GFP_KERNEL_ACCOUNT);

	if (!f)
		return -ENOMEM;
	f->net = txn->nn->net;
	f->zone = zone;
	return nv_txn_after_unlock(txn, tenant_flush_run, f);
}

int nv_tenant_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nv_net *nn = nv_net(genl_info_net(info));
	struct nlattr *tb[NETVIRT_A_TENANT_MAX + 1];
	struct nv_tenant *t;
	struct nv_txn txn;
	bool force;
	int ret;

	ret = tenant_parse_name(info, tb);
	if (ret)
		return ret;
	force = nv_genl_flags(info) & NETVIRT_F_FORCE;

	/* Ports are detached from their devices: RTNL is held (genl.c). */
	t = nv_tenant_from_attr(nv_config_locked(nn),
				tb[NETVIRT_A_TENANT_NAME], info->extack);
	if (!t)
		return -ENOENT;
	if (!force && nv_tenant_port_count(nv_config_locked(nn), t->slot)) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[NETVIRT_A_TENANT_NAME],
				    "tenant has ports; delete them or force");
		return -EBUSY;
	}
	ret = nv_txn_begin(&txn, nn);
	if (ret)
		return ret;
	return nv_txn_finish(&txn, tenant_flush_later(&txn, t->id) ?:
				   tenant_remove(&txn, t->slot));
}

static int tenant_fill(struct sk_buff *skb, const void *ctx, const void *obj)
{
	const struct nv_config *cfg = ctx;
	const struct nv_tenant *t = obj;
	struct nlattr *nest = nla_nest_start(skb, NETVIRT_A_TENANT);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_string(skb, NETVIRT_A_TENANT_NAME, t->name) ||
	    nla_put_u16(skb, NETVIRT_A_TENANT_ID, t->id) ||
	    nla_put_u32(skb, NETVIRT_A_TENANT_VNI, t->vni) ||
	    nla_put(skb, NETVIRT_A_TENANT_ROUTER_MAC, ETH_ALEN,
		    t->router_mac) ||
	    nla_put_u32(skb, NETVIRT_A_TENANT_PORTS,
			nv_tenant_port_count(cfg, t->slot)) ||
	    nla_put_u32(skb, NETVIRT_A_TENANT_ROUTES,
			nv_routes_count(t->routes))) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

int nv_tenant_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nv_net *nn = nv_net(genl_info_net(info));
	struct nlattr *tb[NETVIRT_A_TENANT_MAX + 1];
	const struct nv_config *cfg;
	const struct nv_tenant *t;
	struct sk_buff *msg;
	int ret;

	ret = tenant_parse_name(info, tb);
	if (ret)
		return ret;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	rcu_read_lock();
	cfg = rcu_dereference(nn->config);
	ret = -ENOENT;
	t = nv_tenant_from_attr(cfg, tb[NETVIRT_A_TENANT_NAME], info->extack);
	if (t)
		ret = nv_genl_msg(msg, info->snd_portid, info->snd_seq, NULL,
				  NETVIRT_CMD_TENANT_GET, tenant_fill, cfg, t);
	rcu_read_unlock();
	return nv_genl_reply(msg, info, ret);
}

static const void *tenant_at(const struct nv_config *cfg, unsigned int slot)
{
	return cfg->tenants[slot];
}

int nv_tenant_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	return nv_config_dump_slots(skb, cb, NETVIRT_CMD_TENANT_GET,
				    tenant_fill, tenant_at, NV_MAX_TENANTS);
}
