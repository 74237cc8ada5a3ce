// SPDX-License-Identifier: GPL-2.0
/*
 * NAT rules: a tenant's SNAT, DNAT and floating IP rules, and the host's
 * index of every tenant's rules by external address, which packets from
 * the uplink are matched against.
 *
 * Rules are immutable and shared by the versions of a tenant's rule
 * list; a change makes a new list and a new index. Several tenants may
 * translate to one address: SNAT port ranges and DNAT ports on it must
 * not meet, so that a packet from the uplink belongs to one rule.
 * Locking: nv_net.lock (netns.h, "DOC: Locking").
 */
#include <linux/inetdevice.h>
#include <net/addrconf.h>
#include <net/ip.h>

#include "change.h"
#include "compat.h"
#include "fw.h"
#include "genl.h"
#include "nat.h"
#include "netns.h"
#include "route.h"
#include "tenant.h"
#include "uplink.h"

static void rule_free(void *obj)
{
	struct nv_nat_rule *r = obj;

	free_percpu(r->pcpu);
	kfree(r);
}

static void nat_free(void *obj)
{
	kvfree(obj);
}

/* Frees the last version of a tenant's rules, with the rules. */
void nv_nat_destroy(struct nv_nat *nat)
{
	u32 i;

	if (!nat)
		return;
	for (i = 0; i < nat->n; i++)
		rule_free((void *)nat->rules[i]);
	nat_free(nat);
}

u32 nv_nat_count(const struct nv_nat *nat)
{
	return nat ? nat->n : 0;
}

/* A rule of @nn's configuration with handle @handle in @nat, or NULL. */
static const struct nv_nat_rule *rule_find(const struct nv_nat *nat,
					   u32 handle)
{
	u32 lo = 0, hi = nv_nat_count(nat);

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (nat->rules[mid]->handle == handle)
			return nat->rules[mid];
		if (nat->rules[mid]->handle < handle)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/**
 * nv_nat_index_rebuild() - index every tenant's rules of @txn's snapshot
 * @txn: a transaction that changed NAT rules or removed a tenant with some
 *
 * Return: 0 or -ENOMEM.
 */
int nv_nat_index_rebuild(struct nv_txn *txn)
{
	struct nv_config *next = txn->next;
	struct nv_nat_index *idx = NULL;
	u32 n = 0, i, k;
	int ret;

	lockdep_assert_held(&txn->nn->lock);
	for (i = 0; i < NV_MAX_TENANTS; i++)
		if (next->tenants[i])
			n += nv_nat_count(next->tenants[i]->nat);
	if (n) {
		idx = kvzalloc(struct_size(idx, e, n), GFP_KERNEL_ACCOUNT);
		if (!idx)
			return -ENOMEM;
		ret = nv_txn_created(txn, nat_free, idx);
		if (ret)
			return ret;
	}
	if (next->nat) {
		ret = nv_txn_retire(txn, nat_free, next->nat);
		if (ret)
			return ret;
	}
	for (i = 0; idx && i < NV_MAX_TENANTS; i++) {
		const struct nv_nat *nat = next->tenants[i] ?
					   next->tenants[i]->nat : NULL;

		for (k = 0; k < nv_nat_count(nat); k++) {
			idx->e[idx->n].rule = nat->rules[k];
			idx->e[idx->n++].tenant_slot = i;
		}
	}
	next->nat = idx;
	return 0;
}

/* Whether @key, from the uplink, is for @r. */
static bool rule_takes(const struct nv_nat_rule *r,
		       const struct nv_nat_key *key)
{
	if (r->v6 != key->v6 || !ipv6_addr_equal(&r->addr, &key->addr))
		return false;
	switch (r->type) {
	case NETVIRT_NAT_FIP:
		return true;
	case NETVIRT_NAT_DNAT:
		return key->proto == r->proto && key->port == r->lo;
	default:
		return key->port >= r->lo && key->port <= r->hi;
	}
}

/**
 * nv_nat_find() - the rule a packet or connection from the uplink is for
 * @cfg: the snapshot
 * @key: its external address, protocol and port
 *
 * Return: the entry, or NULL when no rule takes it: the host's.
 */
const struct nv_nat_entry *nv_nat_find(const struct nv_config *cfg,
				       const struct nv_nat_key *key)
{
	const struct nv_nat_index *idx = cfg->nat;
	u32 i;

	for (i = 0; idx && i < idx->n; i++)
		if (rule_takes(idx->e[i].rule, key))
			return &idx->e[i];
	return NULL;
}

/**
 * nv_nat_vm_here() - whether the VM of a DNAT or FIP rule is on this host
 * @cfg: the snapshot
 * @e: the rule's entry
 *
 * Each host acts for the VMs whose ports it has; a rule whose VM is on
 * another host is idle here.
 */
bool nv_nat_vm_here(const struct nv_config *cfg, const struct nv_nat_entry *e)
{
	const struct nv_route *rt;

	rt = nv_route_lookup(cfg->tenants[e->tenant_slot]->routes,
			     &e->rule->to, e->rule->v6);
	return rt && rt->type == NETVIRT_ROUTE_UNICAST && rt->nh[0].to_port;
}

/**
 * nv_nat_answers() - whether the host answers ARP or ND for @addr on its
 * uplink: an address NAT rules translate to
 * @cfg: the snapshot
 * @addr: the address asked for (IPv4 v4-mapped)
 *
 * A floating IP is answered for only where its VM's port is, so that the
 * provider network finds the VM's host.
 */
bool nv_nat_answers(const struct nv_config *cfg, const struct in6_addr *addr)
{
	const struct nv_nat_index *idx = cfg->nat;
	u32 i;

	for (i = 0; idx && i < idx->n; i++) {
		const struct nv_nat_rule *r = idx->e[i].rule;

		if (!ipv6_addr_equal(&r->addr, addr))
			continue;
		return r->type != NETVIRT_NAT_FIP ||
		       nv_nat_vm_here(cfg, &idx->e[i]);
	}
	return false;
}

/**
 * nv_nat_announce() - tell the provider network where floating IPs are
 * @cfg: the snapshot just published
 *
 * A gratuitous ARP or unsolicited neighbour advertisement for the
 * floating IP of each VM of this host, from the uplink: a VM that moved
 * here takes its floating IP along, as neighbours that knew it update
 * their entry. Called after a NAT rule is added, a port is added or the
 * uplink set.
 */
void nv_nat_announce(const struct nv_config *cfg)
{
	const struct nv_nat_index *idx = cfg->nat;
	u32 i;

	if (!cfg->uplink || !idx)
		return;
	rcu_read_lock();
	for (i = 0; i < idx->n; i++) {
		const struct nv_nat_rule *r = idx->e[i].rule;

		if (r->type == NETVIRT_NAT_FIP && nv_nat_vm_here(cfg, &idx->e[i]))
			nv_uplink_announce(cfg->uplink, &r->addr, r->v6);
	}
	rcu_read_unlock();
}

static int parse_addr(struct nlattr *a4, struct nlattr *a6,
		      struct in6_addr *addr, bool *v6)
{
	if (!a4 == !a6)
		return -EINVAL;
	*v6 = !!a6;
	if (a6)
		*addr = nla_get_in6_addr(a6);
	else
		ipv6_addr_set_v4mapped(nla_get_in_addr(a4), addr);
	return 0;
}

/* Attributes a rule of @type must not have: each type's are its own. */
static int parse_unused(u8 type, struct nlattr **tb,
			struct netlink_ext_ack *extack)
{
	static const u8 only[__NETVIRT_A_NAT_MAX] = {
		[NETVIRT_A_NAT_SRC] = BIT(NETVIRT_NAT_SNAT),
		[NETVIRT_A_NAT_PORT_LO] = BIT(NETVIRT_NAT_SNAT),
		[NETVIRT_A_NAT_PORT_HI] = BIT(NETVIRT_NAT_SNAT),
		[NETVIRT_A_NAT_PROTO] = BIT(NETVIRT_NAT_DNAT),
		[NETVIRT_A_NAT_PORT] = BIT(NETVIRT_NAT_DNAT),
		[NETVIRT_A_NAT_TO_PORT] = BIT(NETVIRT_NAT_DNAT),
		[NETVIRT_A_NAT_TO_IN] = BIT(NETVIRT_NAT_DNAT) | BIT(NETVIRT_NAT_FIP),
		[NETVIRT_A_NAT_TO_IN6] = BIT(NETVIRT_NAT_DNAT) | BIT(NETVIRT_NAT_FIP),
	};
	int i;

	for (i = 0; i < ARRAY_SIZE(only); i++) {
		if (tb[i] && only[i] && !(only[i] & BIT(type))) {
			NL_SET_ERR_MSG_ATTR(extack, tb[i],
					    "attribute does not apply to this NAT type");
			return -EINVAL;
		}
	}
	return 0;
}

static int parse_snat(struct nv_nat_rule *r, struct nlattr **tb,
		      struct netlink_ext_ack *extack)
{
	struct nlattr *at[NETVIRT_A_FW_ADDR_MAX + 1];
	struct nv_fwc_prefix pfx = {};
	bool v6 = r->v6;
	int ret;

	r->lo = tb[NETVIRT_A_NAT_PORT_LO] ?
		nla_get_u16(tb[NETVIRT_A_NAT_PORT_LO]) : NETVIRT_NAT_PORT_LO;
	r->hi = tb[NETVIRT_A_NAT_PORT_HI] ?
		nla_get_u16(tb[NETVIRT_A_NAT_PORT_HI]) : NETVIRT_NAT_PORT_HI;
	if (r->lo > r->hi) {
		NL_SET_ERR_MSG(extack, "port range is empty (LO > HI)");
		return -EINVAL;
	}
	if (!tb[NETVIRT_A_NAT_SRC])
		return 0;
	ret = nla_parse_nested(at, NETVIRT_A_FW_ADDR_MAX, tb[NETVIRT_A_NAT_SRC],
			       nv_fw_addr_policy, extack) ?:
	      nv_fw_parse_prefix(at, tb[NETVIRT_A_NAT_SRC], &pfx, &v6, extack);
	if (ret)
		return ret;
	if (v6 != r->v6 || at[NETVIRT_A_FW_ADDR_GROUP]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[NETVIRT_A_NAT_SRC],
				    "source prefix must be of the address's family");
		return -EINVAL;
	}
	r->src = pfx.addr;
	r->src_plen = pfx.len;
	return 0;
}

/* The VM of a DNAT or FIP rule: its address, of the rule's family. */
static int parse_to(struct nv_nat_rule *r, struct nlattr **tb,
		    struct netlink_ext_ack *extack)
{
	bool v6;

	if (parse_addr(tb[NETVIRT_A_NAT_TO_IN], tb[NETVIRT_A_NAT_TO_IN6],
		       &r->to, &v6)) {
		NL_SET_ERR_MSG(extack, "the VM's address (one, IPv4 or IPv6) is required");
		return -EINVAL;
	}
	if (v6 != r->v6) {
		NL_SET_ERR_MSG(extack, "the VM's address must be of the external address's family");
		return -EINVAL;
	}
	return 0;
}

static int parse_dnat(struct nv_nat_rule *r, struct nlattr **tb,
		      struct netlink_ext_ack *extack)
{
	if (!tb[NETVIRT_A_NAT_PROTO] || !tb[NETVIRT_A_NAT_PORT]) {
		NL_SET_ERR_MSG(extack, "DNAT needs a protocol (TCP or UDP) and a port");
		return -EINVAL;
	}
	r->proto = nla_get_u8(tb[NETVIRT_A_NAT_PROTO]);
	if (r->proto != IPPROTO_TCP && r->proto != IPPROTO_UDP) {
		NL_SET_ERR_MSG_ATTR(extack, tb[NETVIRT_A_NAT_PROTO],
				    "DNAT protocol must be TCP or UDP");
		return -EINVAL;
	}
	r->lo = nla_get_u16(tb[NETVIRT_A_NAT_PORT]);
	r->hi = r->lo;
	r->to_port = tb[NETVIRT_A_NAT_TO_PORT] ?
		     nla_get_u16(tb[NETVIRT_A_NAT_TO_PORT]) : r->lo;
	return parse_to(r, tb, extack);
}

static bool addr_usable(const struct in6_addr *a, bool v6)
{
	if (!v6) {
		__be32 ip = a->s6_addr32[3];

		return !ipv4_is_zeronet(ip) && !ipv4_is_loopback(ip) &&
		       !ipv4_is_multicast(ip) && !ipv4_is_lbcast(ip);
	}
	return !ipv6_addr_any(a) && !ipv6_addr_loopback(a) &&
	       !ipv6_addr_is_multicast(a) && !ipv6_addr_v4mapped(a);
}

/* A NAT_NEW request's rule, checked on its own. */
static int rule_parse(struct nv_nat_rule *r, struct nlattr **tb,
		      struct netlink_ext_ack *extack)
{
	int ret;

	r->type = nla_get_u8(tb[NETVIRT_A_NAT_TYPE]);
	ret = parse_unused(r->type, tb, extack);
	if (ret)
		return ret;
	if (parse_addr(tb[NETVIRT_A_NAT_ADDR_IN], tb[NETVIRT_A_NAT_ADDR_IN6],
		       &r->addr, &r->v6)) {
		NL_SET_ERR_MSG(extack, "one external address, IPv4 or IPv6, is required");
		return -EINVAL;
	}
	if (!addr_usable(&r->addr, r->v6)) {
		NL_SET_ERR_MSG(extack, "external address must be a unicast address");
		return -EINVAL;
	}
	switch (r->type) {
	case NETVIRT_NAT_SNAT:
		return parse_snat(r, tb, extack);
	case NETVIRT_NAT_DNAT:
		return parse_dnat(r, tb, extack);
	default:
		return parse_to(r, tb, extack);
	}
}

static bool ranges_meet(const struct nv_nat_rule *a,
			const struct nv_nat_rule *b)
{
	return a->lo <= b->hi && b->lo <= a->hi;
}

/* Why @r cannot share its address with @o, another rule; NULL if it can. */
static const char *rule_clash(const struct nv_nat_rule *r,
			      const struct nv_nat_rule *o)
{
	if (r->type == NETVIRT_NAT_FIP || o->type == NETVIRT_NAT_FIP)
		return "a floating IP's address is its alone";
	if (r->type == NETVIRT_NAT_DNAT && o->type == NETVIRT_NAT_DNAT)
		return r->proto == o->proto && r->lo == o->lo ?
		       "this DNAT address and port are taken" : NULL;
	return ranges_meet(r, o) ?
	       "port range meets another rule's ports on this address" : NULL;
}

/* @r against every rule of the host, and the VM it names. */
static int rule_check_host(const struct nv_config *cfg,
			   const struct nv_nat_rule *r,
			   struct netlink_ext_ack *extack)
{
	const struct nv_nat_index *idx = cfg->nat;
	const char *why;
	u32 i;

	for (i = 0; idx && i < idx->n; i++) {
		const struct nv_nat_rule *o = idx->e[i].rule;

		if (!ipv6_addr_equal(&o->addr, &r->addr))
			continue;
		why = rule_clash(r, o);
		if (why) {
			NV_SET_ERR_MSG_FMT(extack, why, "%s (tenant %s, handle %u)",
					   why,
					   cfg->tenants[idx->e[i].tenant_slot]->name,
					   o->handle);
			return -EEXIST;
		}
	}
	return 0;
}

/* A host address's ports are the host's own sockets' too. */
static int rule_check_local(struct net *net, const struct nv_nat_rule *r,
			    struct netlink_ext_ack *extack)
{
	bool local;
	int lo, hi;

	if (r->type != NETVIRT_NAT_SNAT)
		return 0;
	if (r->v6)
		local = ipv6_chk_addr(net, &r->addr, NULL, 0);
	else
		local = inet_addr_type(net, r->addr.s6_addr32[3]) == RTN_LOCAL;
	inet_get_local_port_range(net, &lo, &hi);
	if (local && r->lo <= hi && lo <= r->hi) {
		NV_SET_ERR_MSG_FMT(extack,
				   "the host's address: the range must not meet net.ipv4.ip_local_port_range",
				   "the host's address: the range must not meet net.ipv4.ip_local_port_range (%d-%d)",
				   lo, hi);
		return -EINVAL;
	}
	return 0;
}

/* A DNAT or FIP rule's VM must be routed to, and have one floating IP. */
static int rule_check_tenant(const struct nv_tenant *t,
			     const struct nv_nat_rule *r,
			     struct netlink_ext_ack *extack)
{
	const struct nv_route *rt;
	bool vm;
	u32 i;

	if (r->type == NETVIRT_NAT_SNAT)
		return 0;
	rt = nv_route_lookup_writer(t->routes, &r->to, r->v6);
	/* A VM is behind a port or a host, not the uplink. */
	vm = rt && rt->type == NETVIRT_ROUTE_UNICAST && !rt->nh[0].uplink;
	if (!vm) {
		NL_SET_ERR_MSG(extack, "the tenant has no route to the VM's address");
		return -ENETUNREACH;
	}
	for (i = 0; r->type == NETVIRT_NAT_FIP && i < nv_nat_count(t->nat); i++) {
		const struct nv_nat_rule *o = t->nat->rules[i];

		if (o->type == NETVIRT_NAT_FIP && ipv6_addr_equal(&o->to, &r->to)) {
			NL_SET_ERR_MSG(extack, "this VM has a floating IP already");
			return -EEXIST;
		}
	}
	return 0;
}

/* Publishes @nat as @t's rules in @txn, with the host's index. */
static int nat_publish(struct nv_txn *txn, struct nv_tenant *t,
		       struct nv_nat *nat)
{
	int ret = nv_txn_created(txn, nat_free, nat);

	if (!ret && t->nat)
		ret = nv_txn_retire(txn, nat_free, t->nat);
	if (!ret)
		ret = nv_tenant_replace_nat(txn, t, nat);
	return ret ?: nv_nat_index_rebuild(txn);
}

/* @t's rules with @r added; @r's ownership passes to the transaction. */
static int nat_add(struct nv_txn *txn, struct nv_tenant *t,
		   struct nv_nat_rule *r)
{
	u32 n = nv_nat_count(t->nat);
	struct nv_nat *nat;
	int ret;

	ret = nv_txn_created(txn, rule_free, r);
	if (ret)
		return ret;
	nat = kvzalloc(struct_size(nat, rules, n + 1), GFP_KERNEL_ACCOUNT);
	if (!nat)
		return -ENOMEM;
	if (n)
		memcpy(nat->rules, t->nat->rules, n * sizeof(nat->rules[0]));
	r->handle = t->nat ? t->nat->next_handle : 1;
	nat->rules[n] = r;
	nat->n = n + 1;
	nat->next_handle = r->handle + 1;
	return nat_publish(txn, t, nat);
}

static int rule_alloc(struct nv_nat_rule **rp, struct nlattr **tb,
		      struct netlink_ext_ack *extack)
{
	struct nv_nat_rule *r;
	int ret;

	r = kzalloc(sizeof(*r), GFP_KERNEL_ACCOUNT);
	if (!r)
		return -ENOMEM;
	ret = rule_parse(r, tb, extack);
	if (!ret) {
		r->pcpu = alloc_percpu_gfp(struct nv_nat_pcpu,
					   GFP_KERNEL_ACCOUNT);
		ret = r->pcpu ? 0 : -ENOMEM;
	}
	if (ret) {
		rule_free(r);
		return ret;
	}
	*rp = r;
	return 0;
}

static int rule_fill(struct sk_buff *skb, const void *ctx, const void *obj);

static int nat_new(struct nv_net *nn, struct nlattr **tb,
		   struct genl_info *info, struct sk_buff *msg)
{
	struct netlink_ext_ack *extack = info->extack;
	struct nv_config *cfg = nv_config_locked(nn);
	struct nv_nat_rule *r;
	struct nv_tenant *t;
	struct nv_txn txn;
	int ret;

	lockdep_assert_held(&nn->lock);
	t = nv_tenant_from_attr(cfg, tb[NETVIRT_A_NAT_TENANT], extack);
	if (!t)
		return -ENOENT;
	if (nv_nat_count(t->nat) >= NV_MAX_NAT_RULES) {
		NL_SET_ERR_MSG(extack, "the tenant has the most NAT rules it may have");
		return -ENOSPC;
	}
	ret = rule_alloc(&r, tb, extack);
	if (ret)
		return ret;
	ret = rule_check_host(cfg, r, extack) ?:
	      rule_check_local(nn->net, r, extack) ?:
	      rule_check_tenant(t, r, extack);
	if (ret) {
		rule_free(r);
		return ret;
	}
	ret = nv_txn_begin(&txn, nn);
	if (ret) {
		rule_free(r);
		return ret;
	}
	ret = nv_txn_finish(&txn, nat_add(&txn, t, r));
	if (!ret && r->type == NETVIRT_NAT_FIP)
		nv_change_announce(nn);
	if (!ret)
		ret = nv_genl_msg(msg, info->snd_portid, info->snd_seq, NULL,
				  NETVIRT_CMD_NAT_NEW, rule_fill, NULL, r);
	return ret;
}

static int nat_parse(struct genl_info *info, struct nlattr **tb)
{
	int ret = nv_genl_nest(info, NETVIRT_A_NAT, tb, NETVIRT_A_NAT_MAX,
			       nv_nat_policy);

	if (ret)
		return ret;
	if (nv_genl_missing(info, NETVIRT_A_NAT, tb, NETVIRT_A_NAT_TENANT,
			    "tenant name is required"))
		return -EINVAL;
	return 0;
}

int nv_nat_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nv_net *nn = nv_net(genl_info_net(info));
	struct nlattr *tb[NETVIRT_A_NAT_MAX + 1];
	struct sk_buff *msg;
	int ret;

	ret = nat_parse(info, tb);
	if (ret)
		return ret;
	if (nv_genl_missing(info, NETVIRT_A_NAT, tb, NETVIRT_A_NAT_TYPE,
			    "NAT type is required"))
		return -EINVAL;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	ret = nat_new(nn, tb, info, msg);
	return nv_genl_reply(msg, info, ret);
}

/* @t's rules without @r. */
static int nat_remove(struct nv_txn *txn, struct nv_tenant *t,
		      const struct nv_nat_rule *r)
{
	u32 n = t->nat->n, i, k = 0;
	struct nv_nat *nat;
	int ret;

	nat = kvzalloc(struct_size(nat, rules, n - 1), GFP_KERNEL_ACCOUNT);
	if (!nat)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		if (t->nat->rules[i] != r)
			nat->rules[k++] = t->nat->rules[i];
	nat->n = k;
	nat->next_handle = t->nat->next_handle;
	ret = nv_txn_retire(txn, rule_free, (void *)r);
	if (ret) {
		kvfree(nat);
		return ret;
	}
	return nat_publish(txn, t, nat);
}

/* What forgets a deleted rule's connections: see nv_nat_flush(). */
struct nat_flush {
	struct net *net;
	u16 zone;
	struct nv_nat_rule rule;
};

static void nat_flush_run(void *obj)
{
	struct nat_flush *f = obj;

	nv_nat_flush(f->net, f->zone, &f->rule);
	kfree(f);
}

/* Forgets @r's connections once its deletion is published. */
static int nat_flush_later(struct nv_txn *txn, const struct nv_tenant *t,
			   const struct nv_nat_rule *r)
{
	struct nat_flush *f = kmalloc(sizeof(*f), GFP_KERNEL_ACCOUNT);

	if (!f)
		return -ENOMEM;
	f->net = txn->nn->net;
	f->zone = t->id;
	f->rule = *r;	/* @r is retired by the commit */
	return nv_txn_after_unlock(txn, nat_flush_run, f);
}

int nv_nat_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nv_net *nn = nv_net(genl_info_net(info));
	struct nlattr *tb[NETVIRT_A_NAT_MAX + 1];
	const struct nv_nat_rule *r;
	struct nv_tenant *t;
	struct nv_txn txn;
	int ret;

	ret = nat_parse(info, tb);
	if (ret)
		return ret;
	if (nv_genl_missing(info, NETVIRT_A_NAT, tb, NETVIRT_A_NAT_HANDLE,
			    "rule handle is required"))
		return -EINVAL;
	t = nv_tenant_from_attr(nv_config_locked(nn), tb[NETVIRT_A_NAT_TENANT],
				info->extack);
	if (!t)
		return -ENOENT;
	r = rule_find(t->nat, nla_get_u32(tb[NETVIRT_A_NAT_HANDLE]));
	if (!r) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[NETVIRT_A_NAT_HANDLE],
				    "the tenant has no NAT rule with this handle");
		return -ENOENT;
	}
	ret = nv_txn_begin(&txn, nn);
	if (!ret)
		ret = nv_txn_finish(&txn, nat_flush_later(&txn, t, r) ?:
					  nat_remove(&txn, t, r));
	return ret;
}

static int fill_addr(struct sk_buff *skb, int type4, int type6,
		     const struct in6_addr *a, bool v6)
{
	if (v6)
		return nla_put_in6_addr(skb, type6, a);
	return nla_put_in_addr(skb, type4, a->s6_addr32[3]);
}

static int fill_snat(struct sk_buff *skb, const struct nv_nat_rule *r)
{
	const struct nv_fwc_prefix pfx = { .addr = r->src, .len = r->src_plen };
	struct nlattr *src;

	if (nla_put_u16(skb, NETVIRT_A_NAT_PORT_LO, r->lo) ||
	    nla_put_u16(skb, NETVIRT_A_NAT_PORT_HI, r->hi))
		return -EMSGSIZE;
	if (!r->src_plen || r->src_plen == (r->v6 ? 0 : 96))
		return 0;
	src = nla_nest_start(skb, NETVIRT_A_NAT_SRC);
	if (!src || nv_fw_put_prefix(skb, &pfx, r->v6))
		return -EMSGSIZE;
	nla_nest_end(skb, src);
	return 0;
}

static int fill_to(struct sk_buff *skb, const struct nv_nat_rule *r)
{
	if (fill_addr(skb, NETVIRT_A_NAT_TO_IN, NETVIRT_A_NAT_TO_IN6, &r->to,
		      r->v6))
		return -EMSGSIZE;
	if (r->type != NETVIRT_NAT_DNAT)
		return 0;
	return nla_put_u8(skb, NETVIRT_A_NAT_PROTO, r->proto) ||
	       nla_put_u16(skb, NETVIRT_A_NAT_PORT, r->lo) ||
	       nla_put_u16(skb, NETVIRT_A_NAT_TO_PORT, r->to_port);
}

static void rule_counters(const struct nv_nat_rule *r, u64 *sum)
{
	int cpu;

	memset(sum, 0, 3 * sizeof(*sum));
	for_each_possible_cpu(cpu) {
		const struct nv_nat_pcpu *c = per_cpu_ptr(r->pcpu, cpu);
		unsigned int start;
		u64 p, b, e;

		do {
			start = u64_stats_fetch_begin(&c->syncp);
			p = u64_stats_read(&c->packets);
			b = u64_stats_read(&c->bytes);
			e = u64_stats_read(&c->exhausted);
		} while (u64_stats_fetch_retry(&c->syncp, start));
		sum[0] += p;
		sum[1] += b;
		sum[2] += e;
	}
}

static int fill_counters(struct sk_buff *skb, const struct nv_tenant *t,
			 const struct nv_nat_rule *r)
{
	u32 conns = 0;
	int used;
	u64 c[3];

	rule_counters(r, c);
	if (nla_put_u64_64bit(skb, NETVIRT_A_NAT_PACKETS, c[0],
			      NETVIRT_A_NAT_PAD) ||
	    nla_put_u64_64bit(skb, NETVIRT_A_NAT_BYTES, c[1],
			      NETVIRT_A_NAT_PAD) ||
	    nla_put_u64_64bit(skb, NETVIRT_A_NAT_EXHAUSTED, c[2],
			      NETVIRT_A_NAT_PAD))
		return -EMSGSIZE;
	if (!t)		/* the reply to NAT_NEW: nothing counted yet */
		return 0;
	used = nv_nat_ports_used(t, r, &conns);
	if (used < 0)
		return 0;
	if (nla_put_u64_64bit(skb, NETVIRT_A_NAT_CONNS, conns,
			      NETVIRT_A_NAT_PAD))
		return -EMSGSIZE;
	if (r->type == NETVIRT_NAT_SNAT &&
	    nla_put_u64_64bit(skb, NETVIRT_A_NAT_PORTS_USED, used,
			      NETVIRT_A_NAT_PAD))
		return -EMSGSIZE;
	return 0;
}

/* @ctx: the tenant, for the dump's counters; NULL in NAT_NEW's reply. */
static int rule_fill(struct sk_buff *skb, const void *ctx, const void *obj)
{
	const struct nv_nat_rule *r = obj;
	const struct nv_tenant *t = ctx;
	struct nlattr *nest = nla_nest_start(skb, NETVIRT_A_NAT);

	if (!nest ||
	    (t && nla_put_string(skb, NETVIRT_A_NAT_TENANT, t->name)) ||
	    nla_put_u32(skb, NETVIRT_A_NAT_HANDLE, r->handle) ||
	    nla_put_u8(skb, NETVIRT_A_NAT_TYPE, r->type) ||
	    fill_addr(skb, NETVIRT_A_NAT_ADDR_IN, NETVIRT_A_NAT_ADDR_IN6,
		      &r->addr, r->v6) ||
	    (r->type == NETVIRT_NAT_SNAT ? fill_snat(skb, r) : fill_to(skb, r)) ||
	    fill_counters(skb, t, r))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* cb->args[0]: next rule. Restarts are flagged by the generation. */
int nv_nat_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	const struct nv_config *cfg;
	const struct nv_tenant *t;
	int ret = 0;
	u32 i;

	rcu_read_lock();
	cfg = rcu_dereference(nv_net(sock_net(skb->sk))->config);
	cb->seq = nv_dump_seq(cfg);
	t = nv_dump_tenant(cb, NETVIRT_A_NAT, NETVIRT_A_NAT_MAX,
			   nv_nat_policy, NETVIRT_A_NAT_TENANT, cfg);
	if (IS_ERR(t)) {
		rcu_read_unlock();
		return PTR_ERR(t);
	}
	for (i = cb->args[0]; i < nv_nat_count(t->nat); i++) {
		if (i - cb->args[0] == NV_NAT_DUMP_RULES) {
			ret = -EMSGSIZE;	/* the rest in the next part */
			break;
		}
		ret = nv_genl_dump_msg(skb, cb, NETVIRT_CMD_NAT_GET, rule_fill,
				       t, t->nat->rules[i]);
		if (ret)
			break;
	}
	cb->args[0] = i;
	rcu_read_unlock();
	return ret && skb->len ? skb->len : ret;
}
