// SPDX-License-Identifier: GPL-2.0
/*
 * Per-tenant routes.
 *
 * A tenant's routes are one immutable version (struct nv_routes): route
 * objects by slot, and one compiled longest-prefix-match table per family
 * mapping a prefix to its slot. A change builds the next version - the
 * slots' persistent array (parray.h) sharing all but the chunk it
 * changes, LPM updated copy-on-write - and the tenant's next version
 * points to it; routes and LPM nodes the change replaces are retired with
 * the snapshot they leave. The writer finds a route by its prefix, and a
 * free slot, without walking the routes: in the LPM's trie of prefixes
 * (nv_lpm_find()) and by the chunks' counts.
 */
#include <linux/slab.h>
#include <net/ipv6.h>
#include <net/sock.h>

#include "netvirt.h"
#include "genl.h"
#include "compat.h"
#include "lpm.h"
#include "netns.h"
#include "parray.h"
#include "port.h"
#include "route.h"
#include "tenant.h"

/**
 * struct nv_rib - the writer's side of a tenant's routes, shared by every
 * version; written under nv_net.lock only
 * @lpm: prefix -> slot, IPv4 and IPv6, with staged changes
 * @dirty: changes are staged in @lpm[i] for the running transaction
 * @pending: the latest version the running transaction made
 */
struct nv_rib {
	struct nv_lpm *lpm[2];
	bool dirty[2];
	struct nv_routes *pending;
};

/**
 * struct nv_routes - one version of a tenant's routes
 * @rib: the writer's side
 * @table: this version's lookup tables, IPv4 and IPv6
 * @slots: the routes by slot, which @table maps prefixes to
 */
struct nv_routes {
	struct nv_rib *rib;
	const struct nv_lpm_table *table[2];
	struct nv_parray *slots;
};

#define ROUTES_MIN_SLOTS	16

static struct nv_route *route_at(const struct nv_routes *r, u32 slot)
{
	return nv_parray_get(r->slots, slot);
}

/* An address as the LPMs take it: 4 bytes of IPv4 (the last word), or 16. */
static const u8 *addr_key(const struct in6_addr *a, bool v6)
{
	return v6 ? a->s6_addr : (const u8 *)&a->s6_addr32[3];
}

static void rib_destroy(struct nv_rib *rib)
{
	nv_lpm_destroy(rib->lpm[0]);
	nv_lpm_destroy(rib->lpm[1]);
	kfree(rib);
}

/* Empty routes for a new tenant, or ERR_PTR(-ENOMEM). */
struct nv_routes *nv_routes_create(struct nv_net *nn)
{
	struct nv_routes *r = kzalloc(sizeof(*r), GFP_KERNEL_ACCOUNT);
	struct nv_rib *rib = kzalloc(sizeof(*rib), GFP_KERNEL_ACCOUNT);

	lockdep_assert_held(&nn->lock);

	if (!r || !rib)
		goto err;
	r->slots = nv_parray_create(ROUTES_MIN_SLOTS);
	if (!r->slots)
		goto err;
	r->rib = rib;
	rib->lpm[0] = nv_lpm_create(32, &nn->lock);
	rib->lpm[1] = nv_lpm_create(128, &nn->lock);
	if (!rib->lpm[0] || !rib->lpm[1])
		goto err;
	r->table[0] = nv_lpm_table(rib->lpm[0]);
	r->table[1] = nv_lpm_table(rib->lpm[1]);
	return r;
err:
	if (rib)
		rib_destroy(rib);
	if (r)
		nv_parray_destroy(r->slots, NULL);
	kfree(r);
	return ERR_PTR(-ENOMEM);
}

static void route_free(void *obj)
{
	kfree(obj);
}

/* Frees a version and everything in it: for the tenant's last version. */
void nv_routes_destroy(struct nv_routes *r)
{
	if (!r)
		return;
	nv_parray_destroy(r->slots, route_free);
	rib_destroy(r->rib);
	kfree(r);
}

u32 nv_routes_count(const struct nv_routes *r)
{
	return r->slots->used;
}

const struct nv_route *nv_route_lookup(const struct nv_routes *r,
				       const struct in6_addr *dst, bool v6)
{
	u32 slot = v6 ? nv_lpm_lookup6(r->table[1], dst) :
			nv_lpm_lookup4(r->table[0], dst->s6_addr32[3]);

	return slot == NV_LPM_NONE ? NULL : route_at(r, slot);
}

/**
 * nv_route_lookup_writer() - the longest route to @dst, for the writer
 * @r: the routes, the latest version of the writer's transaction
 * @dst: the address (IPv4 in the last word)
 * @v6: its family
 *
 * nv_route_lookup() reads the lookup tables, which the transaction builds
 * when it commits: a request of a transaction that checks a route which
 * an earlier one added looks in the writer's trie of prefixes, which has
 * every change staged.
 *
 * Return: the route, or NULL.
 */
const struct nv_route *nv_route_lookup_writer(const struct nv_routes *r,
					      const struct in6_addr *dst,
					      bool v6)
{
	u32 slot = nv_lpm_match(r->rib->lpm[v6], addr_key(dst, v6));

	return slot == NV_LPM_NONE ? NULL : route_at(r, slot);
}

/**
 * nv_route_limit() - whether @n more routes fit the limits
 * @cfg: the namespace's configuration
 * @routes: the tenant's routes
 * @n: routes to add
 * @extack: names the limit reached
 *
 * Return: 0 or -ENOSPC.
 */
int nv_route_limit(const struct nv_config *cfg, const struct nv_routes *routes,
		   unsigned int n, struct netlink_ext_ack *extack)
{
	if (cfg->counts.routes + n > READ_ONCE(nv_limits.routes)) {
		NL_SET_ERR_MSG(extack, "route limit of the namespace reached (max_routes)");
		return -ENOSPC;
	}
	if (nv_routes_count(routes) + n > READ_ONCE(nv_limits.tenant_routes)) {
		NL_SET_ERR_MSG(extack, "route limit of the tenant reached (max_tenant_routes)");
		return -ENOSPC;
	}
	return 0;
}

/*
 * Exact match, for the writer: @r is the latest version of its
 * transaction, whose changes the trie has staged. The slot, or -1.
 */
static int route_slot(const struct nv_routes *r, const struct in6_addr *dst,
		      bool v6, u8 plen)
{
	u32 slot;

	if (nv_lpm_find(r->rib->lpm[v6], addr_key(dst, v6), plen, &slot))
		return -1;
	return slot;
}

const struct nv_route *nv_route_find(const struct nv_routes *r,
				     const struct in6_addr *dst, bool v6,
				     u8 plen)
{
	int i = route_slot(r, dst, v6, plen);

	return i < 0 ? NULL : route_at(r, i);
}

static void routes_free_version(void *obj)
{
	struct nv_routes *r = obj;

	nv_parray_free(r->slots);
	kfree(r);
}

/* The tables of the transaction's latest version, built once. */
static int rib_prepare(void *obj, struct netlink_ext_ack *extack)
{
	struct nv_rib *rib = obj;
	const struct nv_lpm_table *t;
	int i;

	for (i = 0; i < 2; i++) {
		if (!rib->dirty[i])
			continue;
		t = nv_lpm_prepare(rib->lpm[i]);
		if (IS_ERR(t))
			return PTR_ERR(t);
		rib->pending->table[i] = t;
	}
	return 0;
}

static void rib_end(struct nv_rib *rib, bool commit)
{
	int i;

	for (i = 0; i < 2; i++) {
		if (!rib->dirty[i])
			continue;
		if (commit)
			nv_lpm_commit(rib->lpm[i]);
		else
			nv_lpm_abort(rib->lpm[i]);
		rib->dirty[i] = false;
	}
	rib->pending = NULL;
}

static void rib_commit(void *obj)
{
	rib_end(obj, true);
}

static void rib_abort(void *obj)
{
	rib_end(obj, false);
}

static const struct nv_txn_hook_ops rib_hook_ops = {
	.prepare = rib_prepare,
	.commit = rib_commit,
	.abort = rib_abort,
};

static const u8 *lpm_key(const struct nv_route *rt)
{
	return addr_key(&rt->dst, rt->v6);
}

/* Stages the change in the LPM; the hook builds the table at commit. */
static int routes_stage(struct nv_txn *txn, struct nv_routes *r, u32 slot,
			const struct nv_route *add, const struct nv_route *del)
{
	const struct nv_route *rt = add ?: del;
	struct nv_lpm *lpm = r->rib->lpm[rt->v6];
	int ret;

	lockdep_assert_held(&txn->nn->lock);
	ret = nv_txn_hook(txn, &rib_hook_ops, r->rib);
	if (ret)
		return ret;
	if (add)
		ret = nv_lpm_insert(lpm, lpm_key(rt), rt->plen, slot);
	else
		ret = nv_lpm_delete(lpm, lpm_key(rt), rt->plen);
	if (ret)
		return ret;
	r->rib->dirty[rt->v6] = true;
	r->rib->pending = r;
	return 0;
}

/*
 * The version after @old with @add inserted (when not NULL) or the route
 * in slot @del removed. The new version is registered as created and @old
 * dropped (nv_txn_drop()): a version the transaction made is freed at
 * once, the published one only after the commit's grace period. The new
 * version's tables are built at commit, for the last version only.
 */
static struct nv_routes *routes_next(struct nv_txn *txn,
				     struct nv_routes *old,
				     struct nv_route *add, int del)
{
	int slot = add ? nv_parray_free_slot(old->slots) : del;
	struct nv_route *gone = add ? NULL : route_at(old, del);
	struct nv_parray *slots;
	struct nv_routes *r;
	int ret;

	lockdep_assert_held(&txn->nn->lock);
	if (add && slot < 0)
		slot = old->slots->size;	/* grows */
	r = kmemdup(old, sizeof(*old), GFP_KERNEL_ACCOUNT);
	if (!r)
		return ERR_PTR(-ENOMEM);
	slots = nv_parray_set(txn, old->slots, slot, add);
	if (IS_ERR(slots)) {
		kfree(r);
		return ERR_CAST(slots);
	}
	r->slots = slots;
	ret = nv_txn_created(txn, routes_free_version, r) ?:
	      routes_stage(txn, r, slot, add, gone);
	if (ret)
		return ERR_PTR(ret);
	ret = nv_txn_drop(txn, routes_free_version, old);
	if (!ret && gone)
		ret = nv_txn_drop(txn, route_free, gone);
	return ret ? ERR_PTR(ret) : r;
}

/* A route object from parsed request attributes; @n_nh next hops. */
static struct nv_route *route_alloc(const struct in6_addr *dst, bool v6,
				    u8 plen, u8 type, u8 origin, int n_nh)
{
	struct nv_route *rt = kzalloc(struct_size(rt, nh, n_nh),
				      GFP_KERNEL_ACCOUNT);

	if (!rt)
		return NULL;
	rt->dst = *dst;
	rt->v6 = v6;
	rt->plen = plen;
	rt->type = type;
	rt->origin = origin;
	rt->n_nh = n_nh;
	return rt;
}

/* Inserts @rt into a new version of the tenant's routes. */
static int route_insert(struct nv_txn *txn, struct nv_routes **routes,
			struct nv_route *rt)
{
	struct nv_routes *next;
	int ret;

	lockdep_assert_held(&txn->nn->lock);
	ret = nv_txn_created(txn, route_free, rt);
	if (ret)
		return ret;
	next = routes_next(txn, *routes, rt, -1);
	if (IS_ERR(next))
		return PTR_ERR(next);
	*routes = next;
	return 0;
}

int nv_route_add_port(struct nv_txn *txn, struct nv_tenant *t,
		      struct nv_routes **routes, const struct in6_addr *addr,
		      bool v6, u16 port_slot)
{
	struct nv_route *rt = route_alloc(addr, v6, v6 ? 128 : 32,
					  NETVIRT_ROUTE_UNICAST,
					  NETVIRT_ROUTE_PORT, 1);

	lockdep_assert_held(&txn->nn->lock);
	if (!rt)
		return -ENOMEM;
	rt->nh[0].port_slot = port_slot;
	rt->nh[0].to_port = true;
	return route_insert(txn, routes, rt);
}

static bool route_uses_port(const struct nv_route *rt, u16 port_slot)
{
	int i;

	for (i = 0; i < rt->n_nh; i++)
		if (rt->nh[i].to_port && rt->nh[i].port_slot == port_slot)
			return true;
	return false;
}

/**
 * nv_routes_port_users() - routes through a port besides its host routes
 * @routes: the tenant's routes
 * @port_slot: the port's slot
 *
 * Return: how many.
 */
u32 nv_routes_port_users(const struct nv_routes *routes, u16 port_slot)
{
	u32 i, n = 0;

	for (i = 0; i < routes->slots->size; i++) {
		const struct nv_route *rt = route_at(routes, i);

		n += rt && rt->origin != NETVIRT_ROUTE_PORT &&
		     route_uses_port(rt, port_slot);
	}
	return n;
}

/*
 * Removes every route through port @port_slot: its host routes and the
 * static routes pointing at it, as the kernel does for a vanished device.
 */
int nv_routes_remove_port(struct nv_txn *txn, struct nv_routes **routes,
			  u16 port_slot)
{
	u32 i;

	lockdep_assert_held(&txn->nn->lock);
	for (i = 0; i < (*routes)->slots->size; i++) {
		struct nv_route *rt = route_at(*routes, i);
		struct nv_routes *next;

		if (!rt || !route_uses_port(rt, port_slot))
			continue;
		next = routes_next(txn, *routes, NULL, i);
		if (IS_ERR(next))
			return PTR_ERR(next);
		*routes = next;
	}
	return 0;
}

/* The destination of a ROUTE request: address, family, prefix length. */
static int route_parse_dst(struct nlattr **tb, struct in6_addr *dst, bool *v6,
			   u8 *plen, struct netlink_ext_ack *extack)
{
	struct in6_addr mask;

	if (!!tb[NETVIRT_A_ROUTE_DST_IN] == !!tb[NETVIRT_A_ROUTE_DST_IN6]) {
		NL_SET_ERR_MSG(extack, "exactly one of an IPv4 or IPv6 destination is required");
		return -EINVAL;
	}
	if (!tb[NETVIRT_A_ROUTE_PLEN]) {
		NL_SET_ERR_MSG(extack, "route prefix length is required");
		return -EINVAL;
	}
	*v6 = !!tb[NETVIRT_A_ROUTE_DST_IN6];
	*plen = nla_get_u8(tb[NETVIRT_A_ROUTE_PLEN]);
	if (*v6)
		*dst = nla_get_in6_addr(tb[NETVIRT_A_ROUTE_DST_IN6]);
	else
		ipv6_addr_set_v4mapped(nla_get_in_addr(tb[NETVIRT_A_ROUTE_DST_IN]),
				       dst);
	if (!*v6 && *plen > 32) {
		NL_SET_ERR_MSG_ATTR(extack, tb[NETVIRT_A_ROUTE_PLEN],
				    "IPv4 prefix length above 32");
		return -EINVAL;
	}
	ipv6_addr_prefix(&mask, dst, *v6 ? *plen : *plen + 96);
	if (!ipv6_addr_equal(&mask, dst)) {
		NL_SET_ERR_MSG(extack, "route prefix has host bits set");
		return -EINVAL;
	}
	return 0;
}

/* One next hop: a port of the tenant, a remote hypervisor, the uplink. */
static int route_parse_nexthop(const struct nv_config *cfg,
			       const struct nv_tenant *t,
			       const struct nlattr *attr,
			       struct nv_nexthop *nh,
			       struct netlink_ext_ack *extack)
{
	struct nlattr *tb[NETVIRT_A_NEXTHOP_MAX + 1];
	const struct nv_port *port;
	int ret;

	ret = nla_parse_nested(tb, NETVIRT_A_NEXTHOP_MAX, attr,
			       nv_nexthop_policy, extack);
	if (ret)
		return ret;
	if (!!tb[NETVIRT_A_NEXTHOP_IFINDEX] + !!tb[NETVIRT_A_NEXTHOP_IFNAME] +
	    !!tb[NETVIRT_A_NEXTHOP_HOST_IN] +
	    !!tb[NETVIRT_A_NEXTHOP_HOST_IN6] +
	    !!tb[NETVIRT_A_NEXTHOP_UPLINK] != 1) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "a next hop is exactly one of a device, a host or the uplink");
		return -EINVAL;
	}
	if (tb[NETVIRT_A_NEXTHOP_UPLINK]) {
		nh->uplink = true;
		return 0;
	}
	if (tb[NETVIRT_A_NEXTHOP_HOST_IN]) {
		ipv6_addr_set_v4mapped(nla_get_in_addr(tb[NETVIRT_A_NEXTHOP_HOST_IN]),
				       &nh->host);
		return 0;
	}
	if (tb[NETVIRT_A_NEXTHOP_HOST_IN6]) {
		nh->host = nla_get_in6_addr(tb[NETVIRT_A_NEXTHOP_HOST_IN6]);
		return 0;
	}
	port = nv_port_find(cfg, t->slot, tb[NETVIRT_A_NEXTHOP_IFINDEX],
			    tb[NETVIRT_A_NEXTHOP_IFNAME], extack);
	if (!port)
		return -ENODEV;
	nh->to_port = true;
	nh->port_slot = port->slot;
	return 0;
}

static bool nexthop_equal(const struct nv_nexthop *a,
			  const struct nv_nexthop *b)
{
	if (a->to_port || b->to_port)
		return a->to_port == b->to_port && a->port_slot == b->port_slot;
	if (a->uplink || b->uplink)
		return a->uplink == b->uplink;
	return ipv6_addr_equal(&a->host, &b->host);
}

static int route_parse_nexthops(const struct nv_config *cfg,
				const struct nv_tenant *t,
				const struct nlattr *nest, struct nv_route *rt,
				struct netlink_ext_ack *extack)
{
	const struct nlattr *attr;
	int rem, ret, i = 0, j;

	if (!nest)
		return 0;
	nla_for_each_nested(attr, nest, rem) {
		ret = route_parse_nexthop(cfg, t, attr, &rt->nh[i], extack);
		if (ret)
			return ret;
		for (j = 0; j < i; j++)
			if (nexthop_equal(&rt->nh[i], &rt->nh[j])) {
				NL_SET_ERR_MSG_ATTR(extack, attr,
						    "next hop given twice");
				return -EINVAL;
			}
		i++;
	}
	return 0;
}

static int nexthop_count(const struct nlattr *nest,
			 struct netlink_ext_ack *extack)
{
	const struct nlattr *attr;
	int rem, n = 0;

	if (!nest)
		return 0;
	nla_for_each_nested(attr, nest, rem)
		n++;
	if (n > NV_MAX_ECMP) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "too many next hops");
		return -E2BIG;
	}
	return n;
}

/* A route object for a ROUTE_NEW request. */
static struct nv_route *route_from_request(const struct nv_config *cfg,
					   const struct nv_tenant *t,
					   struct nlattr **tb,
					   struct netlink_ext_ack *extack)
{
	struct nlattr *nhs = tb[NETVIRT_A_ROUTE_NEXTHOPS];
	u8 type = NETVIRT_ROUTE_UNICAST, plen;
	struct nv_route *rt;
	struct in6_addr dst;
	int n_nh, ret;
	bool v6;

	ret = route_parse_dst(tb, &dst, &v6, &plen, extack);
	if (ret)
		return ERR_PTR(ret);
	if (tb[NETVIRT_A_ROUTE_TYPE])
		type = nla_get_u8(tb[NETVIRT_A_ROUTE_TYPE]);
	n_nh = nexthop_count(nhs, extack);
	if (n_nh < 0)
		return ERR_PTR(n_nh);
	if (type == NETVIRT_ROUTE_BLACKHOLE && n_nh) {
		NL_SET_ERR_MSG(extack, "a blackhole route has no next hop");
		return ERR_PTR(-EINVAL);
	}
	if (type == NETVIRT_ROUTE_UNICAST && !n_nh) {
		NL_SET_ERR_MSG(extack, "a route needs a next hop");
		return ERR_PTR(-EINVAL);
	}
	rt = route_alloc(&dst, v6, plen, type, NETVIRT_ROUTE_STATIC, n_nh);
	if (!rt)
		return ERR_PTR(-ENOMEM);
	ret = route_parse_nexthops(cfg, t, nhs, rt, extack);
	if (ret) {
		kfree(rt);
		return ERR_PTR(ret);
	}
	return rt;
}

static int route_request(struct genl_info *info, struct nlattr **tb)
{
	int ret;

	ret = nv_genl_nest(info, NETVIRT_A_ROUTE, tb, NETVIRT_A_ROUTE_MAX,
			   nv_route_policy);
	if (ret)
		return ret;
	if (nv_genl_missing(info, NETVIRT_A_ROUTE, tb, NETVIRT_A_ROUTE_TENANT,
			    "route tenant is required"))
		return -EINVAL;
	return 0;
}

/* Publishes @routes as @t's routes, counting @delta routes. */
static int route_commit(struct nv_txn *txn, struct nv_tenant *t,
			struct nv_routes *routes, int delta)
{
	int ret;

	lockdep_assert_held(&txn->nn->lock);
	ret = nv_tenant_replace(txn, t, routes, t->fw);
	if (!ret)
		txn->next->counts.routes += delta;
	return nv_txn_finish(txn, ret);
}

static int route_add(struct nv_net *nn, struct nlattr **tb,
		     struct netlink_ext_ack *extack)
{
	struct nv_config *cfg = nv_config_locked(nn);
	struct nv_routes *routes;
	struct nv_route *rt;
	struct nv_tenant *t;
	struct nv_txn txn;
	int ret;

	lockdep_assert_held(&nn->lock);
	t = nv_tenant_from_attr(cfg, tb[NETVIRT_A_ROUTE_TENANT], extack);
	if (!t)
		return -ENOENT;
	ret = nv_route_limit(cfg, t->routes, 1, extack);
	if (ret)
		return ret;
	rt = route_from_request(cfg, t, tb, extack);
	if (IS_ERR(rt))
		return PTR_ERR(rt);
	if (nv_route_find(t->routes, &rt->dst, rt->v6, rt->plen)) {
		NL_SET_ERR_MSG(extack, "route exists");
		kfree(rt);
		return -EEXIST;
	}
	ret = nv_txn_begin(&txn, nn);
	if (ret) {
		kfree(rt);
		return ret;
	}
	routes = t->routes;
	ret = route_insert(&txn, &routes, rt);
	if (ret) {
		nv_txn_abort(&txn);
		return ret;
	}
	return route_commit(&txn, t, routes, 1);
}

static int route_del(struct nv_net *nn, struct nlattr **tb,
		     struct netlink_ext_ack *extack)
{
	struct nv_config *cfg = nv_config_locked(nn);
	struct nv_routes *routes;
	struct nv_tenant *t;
	struct in6_addr dst;
	struct nv_txn txn;
	int slot, ret;
	bool v6;
	u8 plen;

	lockdep_assert_held(&nn->lock);
	t = nv_tenant_from_attr(cfg, tb[NETVIRT_A_ROUTE_TENANT], extack);
	if (!t)
		return -ENOENT;
	ret = route_parse_dst(tb, &dst, &v6, &plen, extack);
	if (ret)
		return ret;
	slot = route_slot(t->routes, &dst, v6, plen);
	if (slot < 0) {
		NL_SET_ERR_MSG(extack, "no such route");
		return -ENOENT;
	}
	if (route_at(t->routes, slot)->origin == NETVIRT_ROUTE_PORT) {
		NL_SET_ERR_MSG(extack, "route belongs to a port; delete the port");
		return -EPERM;
	}
	ret = nv_txn_begin(&txn, nn);
	if (ret)
		return ret;
	routes = routes_next(&txn, t->routes, NULL, slot);
	if (IS_ERR(routes)) {
		nv_txn_abort(&txn);
		return PTR_ERR(routes);
	}
	return route_commit(&txn, t, routes, -1);
}

/* A ROUTE_NEW or ROUTE_DEL request: parsed, then @change made. */
static int route_doit(struct genl_info *info,
		      int (*change)(struct nv_net *nn, struct nlattr **tb,
				    struct netlink_ext_ack *extack))
{
	struct nv_net *nn = nv_net(genl_info_net(info));
	struct nlattr *tb[NETVIRT_A_ROUTE_MAX + 1];
	int ret;

	ret = route_request(info, tb);
	if (ret)
		return ret;
	return change(nn, tb, info->extack);
}

int nv_route_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	return route_doit(info, route_add);
}

int nv_route_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	return route_doit(info, route_del);
}

static int nexthop_fill(struct sk_buff *skb, const struct nv_config *cfg,
			const struct nv_nexthop *nh)
{
	struct nlattr *nest = nla_nest_start(skb, NETVIRT_A_NEXTHOP);
	int ret;

	if (!nest)
		return -EMSGSIZE;
	if (nh->to_port)
		ret = nv_port_put_ref(skb, cfg->ports[nh->port_slot],
				      NETVIRT_A_NEXTHOP_IFINDEX,
				      NETVIRT_A_NEXTHOP_IFNAME);
	else if (nh->uplink)
		ret = nla_put_flag(skb, NETVIRT_A_NEXTHOP_UPLINK);
	else if (ipv6_addr_v4mapped(&nh->host))
		ret = nla_put_in_addr(skb, NETVIRT_A_NEXTHOP_HOST_IN,
				      nh->host.s6_addr32[3]);
	else
		ret = nla_put_in6_addr(skb, NETVIRT_A_NEXTHOP_HOST_IN6, &nh->host);
	if (ret)
		return ret;
	nla_nest_end(skb, nest);
	return 0;
}

/* What a route's reply needs: its tenant, and the snapshot's ports. */
struct route_ctx {
	const struct nv_tenant *t;
	const struct nv_config *cfg;
};

static int route_fill(struct sk_buff *skb, const void *ctx, const void *obj)
{
	const struct route_ctx *c = ctx;
	const struct nv_tenant *t = c->t;
	const struct nv_route *rt = obj;
	struct nlattr *nest, *nhs;
	int i;

	nest = nla_nest_start(skb, NETVIRT_A_ROUTE);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_string(skb, NETVIRT_A_ROUTE_TENANT, t->name) ||
	    (rt->v6 ? nla_put_in6_addr(skb, NETVIRT_A_ROUTE_DST_IN6, &rt->dst) :
		      nla_put_in_addr(skb, NETVIRT_A_ROUTE_DST_IN,
				      rt->dst.s6_addr32[3])) ||
	    nla_put_u8(skb, NETVIRT_A_ROUTE_PLEN, rt->plen) ||
	    nla_put_u8(skb, NETVIRT_A_ROUTE_TYPE, rt->type) ||
	    nla_put_u8(skb, NETVIRT_A_ROUTE_ORIGIN, rt->origin))
		goto err;
	nhs = nla_nest_start(skb, NETVIRT_A_ROUTE_NEXTHOPS);
	if (!nhs)
		goto err;
	for (i = 0; i < rt->n_nh; i++)
		if (nexthop_fill(skb, c->cfg, &rt->nh[i]))
			goto err;
	nla_nest_end(skb, nhs);
	nla_nest_end(skb, nest);
	return 0;
err:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

/* The routes of one tenant; cb->args[0]: next slot. */
int nv_route_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nlattr **attrs = nv_dump_attrs(cb);
	struct nlattr *tb[NETVIRT_A_ROUTE_MAX + 1];
	const struct nv_config *cfg;
	const struct nv_tenant *t;
	struct route_ctx ctx;
	int ret;
	u32 i;

	if (!attrs[NETVIRT_A_ROUTE]) {
		NL_SET_ERR_MSG(cb->extack, "route tenant is required");
		return -EINVAL;
	}
	ret = nla_parse_nested(tb, NETVIRT_A_ROUTE_MAX, attrs[NETVIRT_A_ROUTE],
			       nv_route_policy, cb->extack);
	if (ret)
		return ret;
	if (!tb[NETVIRT_A_ROUTE_TENANT]) {
		NL_SET_ERR_MSG(cb->extack, "route tenant is required");
		return -EINVAL;
	}

	rcu_read_lock();
	cfg = rcu_dereference(nv_net(sock_net(skb->sk))->config);
	cb->seq = nv_dump_seq(cfg);
	ret = -ENOENT;
	t = nv_tenant_from_attr(cfg, tb[NETVIRT_A_ROUTE_TENANT], cb->extack);
	if (!t)
		goto out;
	ret = 0;
	ctx.t = t;
	ctx.cfg = cfg;
	for (i = cb->args[0]; i < t->routes->slots->size; i++) {
		const struct nv_route *rt = route_at(t->routes, i);

		if (!rt)
			continue;
		ret = nv_genl_dump_msg(skb, cb, NETVIRT_CMD_ROUTE_GET,
				       route_fill, &ctx, rt);
		if (ret)
			break;
	}
	cb->args[0] = i;
out:
	rcu_read_unlock();
	return ret && skb->len ? skb->len : ret;
}
