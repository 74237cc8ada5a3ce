// SPDX-License-Identifier: GPL-2.0
/*
 * Address groups: named sets of prefixes that rules refer to by name.
 * Replacing a group's prefixes recompiles every rule using it in one
 * change (FW_GROUP_NEW with NETVIRT_F_REPLACE).
 */
#include <linux/slab.h>
#include <linux/sort.h>
#include <net/ipv6.h>
#include <net/sock.h>

#include "fw.h"
#include "genl.h"
#include "netns.h"
#include "port.h"
#include "tenant.h"

/**
 * nv_fw_parse_prefix() - an address and a prefix length
 * @tb: the parsed NETVIRT_A_FW_ADDR_* attributes
 * @nest: their nest, for errors
 * @pfx: filled; IPv4 as v4-mapped, length 96 + n
 * @v6: set for an IPv6 prefix
 * @extack: for errors
 *
 * Return: 0 or -EINVAL.
 */
int nv_fw_parse_prefix(struct nlattr **tb, struct nlattr *nest,
		       struct nv_fwc_prefix *pfx, bool *v6,
		       struct netlink_ext_ack *extack)
{
	u8 plen, max;

	*v6 = !!tb[NETVIRT_A_FW_ADDR_IN6];
	if (!tb[NETVIRT_A_FW_ADDR_IN] == !tb[NETVIRT_A_FW_ADDR_IN6]) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "one IPv4 or IPv6 address is required");
		return -EINVAL;
	}
	max = *v6 ? 128 : 32;
	plen = tb[NETVIRT_A_FW_ADDR_PLEN] ?
	       nla_get_u8(tb[NETVIRT_A_FW_ADDR_PLEN]) : max;
	if (plen > max) {
		NL_SET_ERR_MSG_ATTR(extack, tb[NETVIRT_A_FW_ADDR_PLEN],
				    "prefix length too long for the family");
		return -ERANGE;
	}
	if (*v6) {
		pfx->addr = nla_get_in6_addr(tb[NETVIRT_A_FW_ADDR_IN6]);
		pfx->len = plen;
	} else {
		ipv6_addr_set_v4mapped(nla_get_in_addr(tb[NETVIRT_A_FW_ADDR_IN]),
				       &pfx->addr);
		pfx->len = 96 + plen;
	}
	return 0;
}

/* The attributes of nv_fw_parse_prefix(), from a prefix. */
int nv_fw_put_prefix(struct sk_buff *skb, const struct nv_fwc_prefix *pfx,
		     bool v6)
{
	if (v6)
		return nla_put_in6_addr(skb, NETVIRT_A_FW_ADDR_IN6, &pfx->addr) ||
		       nla_put_u8(skb, NETVIRT_A_FW_ADDR_PLEN, pfx->len);
	return nla_put_in_addr(skb, NETVIRT_A_FW_ADDR_IN, pfx->addr.s6_addr32[3]) ||
	       nla_put_u8(skb, NETVIRT_A_FW_ADDR_PLEN, pfx->len - 96);
}

/**
 * nv_fw_group_alloc() - an empty group with room for @n members
 * @n: prefixes, or ports
 * @ports: a port group
 *
 * Return: the group, one reference held; NULL: no memory.
 */
struct nv_fw_group *nv_fw_group_alloc(u32 n, bool ports)
{
	struct nv_fw_group *g;

	g = kvzalloc(struct_size(g, pfx, ports ? 0 : n), GFP_KERNEL_ACCOUNT);
	if (!g)
		return NULL;
	kref_init(&g->ref);
	g->ports = ports;
	g->set.pfx = g->pfx;
	if (ports) {
		g->slot = kvcalloc(n ?: 1, sizeof(*g->slot),
				   GFP_KERNEL_ACCOUNT);
		g->slots.slot = g->slot;
	} else {
		g->v6 = kvcalloc(n ?: 1, sizeof(*g->v6), GFP_KERNEL_ACCOUNT);
	}
	if (ports ? !g->slot : !g->v6) {
		nv_fw_group_put(g);
		return NULL;
	}
	return g;
}

static int parse_member(struct nv_fw_group *g, struct nlattr *a,
			struct netlink_ext_ack *extack)
{
	struct nlattr *at[NETVIRT_A_FW_ADDR_MAX + 1];
	int ret;

	/* A port is resolved to its slot with the snapshot: resolve_ports(). */
	if (g->ports) {
		if (nla_type(a) != NETVIRT_A_FW_GROUP_IFINDEX &&
		    nla_type(a) != NETVIRT_A_FW_GROUP_IFNAME) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "a port group holds IFINDEX or IFNAME attributes");
			return -EINVAL;
		}
		return 0;
	}
	ret = nla_parse_nested(at, NETVIRT_A_FW_ADDR_MAX, a, nv_fw_addr_policy,
			       extack) ?:
	      nv_fw_parse_prefix(at, a, &g->pfx[g->set.n], &g->v6[g->set.n],
				 extack);
	if (!ret)
		g->set.n++;
	return ret;
}

/* A prefix of an address group as it matches: host bits cleared. */
struct pfx_key {
	struct in6_addr addr;
	u8 len;
	bool v6;
	u32 index;	/* not compared: which member it is */
};

static int pfx_key_cmp(const void *a, const void *b)
{
	return memcmp(a, b, offsetof(struct pfx_key, index));
}

static struct nlattr *nth_nested(struct nlattr *nest, u32 n)
{
	struct nlattr *a;
	int rem;

	nla_for_each_nested(a, nest, rem)
		if (!n--)
			return a;
	return nest;
}

/*
 * Refuses a prefix given twice, naming the second: sorted, so that the
 * largest groups cost n log n, not n squared.
 */
static int check_unique_prefixes(const struct nv_fw_group *g,
				 struct nlattr *nest,
				 struct netlink_ext_ack *extack)
{
	struct pfx_key *k;
	int ret = 0;
	u32 i;

	if (g->set.n < 2)
		return 0;
	k = kvcalloc(g->set.n, sizeof(*k), GFP_KERNEL_ACCOUNT);
	if (!k)
		return -ENOMEM;
	for (i = 0; i < g->set.n; i++) {
		ipv6_addr_prefix(&k[i].addr, &g->pfx[i].addr, g->pfx[i].len);
		k[i].len = g->pfx[i].len;
		k[i].v6 = g->v6[i];
		k[i].index = i;
	}
	sort(k, g->set.n, sizeof(*k), pfx_key_cmp, NULL);
	for (i = 1; i < g->set.n && !ret; i++) {
		if (pfx_key_cmp(&k[i - 1], &k[i]))
			continue;
		NL_SET_ERR_MSG_ATTR(extack,
				    nth_nested(nest, max(k[i - 1].index, k[i].index)),
				    "a prefix is given twice in the group");
		ret = -EINVAL;
	}
	kvfree(k);
	return ret;
}

static int group_parse(struct nlattr **tb, struct nv_fw_group **gp,
		       struct netlink_ext_ack *extack)
{
	struct nlattr *nest = tb[NETVIRT_A_FW_GROUP_PREFIXES], *a;
	bool ports = !!tb[NETVIRT_A_FW_GROUP_PORTS];
	struct nv_fw_group *g;
	int rem, ret, n = 0;

	if (ports && nest) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "a group holds prefixes or ports, not both");
		return -EINVAL;
	}
	if (ports)
		nest = tb[NETVIRT_A_FW_GROUP_PORTS];
	if (nest)
		nla_for_each_nested(a, nest, rem)
			n++;
	if (n > (ports ? NV_MAX_PORTS : NV_MAX_GROUP_PREFIXES)) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "too many members in the group");
		return -E2BIG;
	}
	g = nv_fw_group_alloc(n, ports);
	if (!g)
		return -ENOMEM;
	nla_strscpy(g->name, tb[NETVIRT_A_FW_GROUP_NAME], sizeof(g->name));
	ret = 0;
	if (nest) {
		nla_for_each_nested(a, nest, rem) {
			ret = parse_member(g, a, extack);
			if (ret)
				break;
		}
	}
	if (!ret && !ports)
		ret = check_unique_prefixes(g, nest, extack);
	if (ret) {
		nv_fw_group_put(g);
		return ret;
	}
	*gp = g;
	return 0;
}

/*
 * The slots of a port group's members, given in @nest by device index or
 * by port name: ports of tenant @t, each once.
 */
static int resolve_ports(const struct nv_config *cfg, const struct nv_tenant *t,
			 struct nv_fw_group *g, const struct nlattr *nest,
			 struct netlink_ext_ack *extack)
{
	const struct nv_port *p;
	const struct nlattr *a;
	int rem;
	u32 i;

	nla_for_each_nested(a, nest, rem) {
		bool by_index = nla_type(a) == NETVIRT_A_FW_GROUP_IFINDEX;

		p = nv_port_find(cfg, t->slot, by_index ? a : NULL,
				 by_index ? NULL : a, extack);
		if (!p)
			return -ENODEV;
		for (i = 0; i < g->slots.n; i++)
			if (g->slot[i] == p->slot) {
				NL_SET_ERR_MSG_ATTR(extack, a, "a port is twice in the group");
				return -EINVAL;
			}
		g->slot[g->slots.n++] = p->slot;
	}
	return 0;
}

static u32 group_users(const struct nv_fw *fw, const char *name)
{
	u32 i, n = 0;

	for (i = 0; i < fw->n_rules; i++)
		n += !strcmp(fw->rules[i]->src.group, name) ||
		     !strcmp(fw->rules[i]->dst.group, name) ||
		     !strcmp(fw->rules[i]->pgroup, name);
	return n;
}

static int group_index(const struct nv_fw *fw, const char *name)
{
	u32 i;

	for (i = 0; i < fw->n_groups; i++)
		if (!strcmp(fw->groups[i]->name, name))
			return i;
	return -1;
}

/*
 * The tenant a group request names, in the published snapshot, and in
 * *@i the index of its group @name, or -1.
 */
static struct nv_tenant *group_lookup(struct nv_net *nn, struct nlattr **tb,
				      const char *name, int *i,
				      struct netlink_ext_ack *extack)
{
	struct nv_tenant *t;

	lockdep_assert_held(&nn->lock);
	t = nv_tenant_from_attr(nv_config_locked(nn),
				tb[NETVIRT_A_FW_GROUP_TENANT], extack);
	if (!t)
		return ERR_PTR(-ENOENT);
	*i = group_index(t->fw, name);
	return t;
}

/* Adds @g, or with @replace puts it in the place of its namesake. */
static int group_set(struct nv_net *nn, struct nlattr **tb,
		     struct nv_fw_group *g, bool replace,
		     struct netlink_ext_ack *extack)
{
	struct nv_tenant *t;
	struct nv_fw *d;
	int i;

	t = group_lookup(nn, tb, g->name, &i, extack);
	if (IS_ERR(t))
		return PTR_ERR(t);
	if (i >= 0 && !replace) {
		NL_SET_ERR_MSG_ATTR(extack, tb[NETVIRT_A_FW_GROUP_NAME],
				    "a group with this name exists");
		return -EEXIST;
	}
	if (i >= 0 && t->fw->groups[i]->ports != g->ports) {
		NL_SET_ERR_MSG_ATTR(extack, tb[NETVIRT_A_FW_GROUP_NAME],
				    "a group of the other kind has this name");
		return -EINVAL;
	}
	if (g->ports) {
		int ret = resolve_ports(nv_config_locked(nn), t, g,
					tb[NETVIRT_A_FW_GROUP_PORTS], extack);

		if (ret)
			return ret;
	}
	if (i < 0 && t->fw->n_groups >= NV_MAX_FW_GROUPS) {
		NL_SET_ERR_MSG(extack, "group limit of the tenant reached");
		return -ENOSPC;
	}
	d = nv_fw_draft(t->fw, 0);
	if (IS_ERR(d))
		return PTR_ERR(d);
	kref_get(&g->ref);
	if (i >= 0) {
		nv_fw_group_put(d->groups[i]);
		d->groups[i] = g;
	} else {
		d->groups[d->n_groups++] = g;
	}
	return nv_fw_change(nn, t, d);
}

static int group_parse_nest(struct genl_info *info, struct nlattr **tb)
{
	int ret = nv_genl_nest(info, NETVIRT_A_FW_GROUP, tb,
			       NETVIRT_A_FW_GROUP_MAX, nv_fw_group_policy);

	if (ret)
		return ret;
	if (nv_genl_missing(info, NETVIRT_A_FW_GROUP, tb,
			    NETVIRT_A_FW_GROUP_TENANT, "group tenant is required") ||
	    nv_genl_missing(info, NETVIRT_A_FW_GROUP, tb,
			    NETVIRT_A_FW_GROUP_NAME, "group name is required"))
		return -EINVAL;
	return 0;
}

int nv_fw_group_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nv_net *nn = nv_net(genl_info_net(info));
	struct nlattr *tb[NETVIRT_A_FW_GROUP_MAX + 1];
	struct nv_fw_group *g;
	int ret;

	ret = group_parse_nest(info, tb) ?: group_parse(tb, &g, info->extack);
	if (ret)
		return ret;
	ret = group_set(nn, tb, g,
			nv_genl_flags(info) & NETVIRT_F_REPLACE, info->extack);
	nv_fw_group_put(g);
	return ret;
}

static int group_del(struct nv_net *nn, struct nlattr **tb,
		     struct netlink_ext_ack *extack)
{
	char name[NV_NAME_LEN];
	struct nv_tenant *t;
	struct nv_fw *d;
	int i;

	nla_strscpy(name, tb[NETVIRT_A_FW_GROUP_NAME], sizeof(name));
	t = group_lookup(nn, tb, name, &i, extack);
	if (IS_ERR(t))
		return PTR_ERR(t);
	if (i < 0) {
		NL_SET_ERR_MSG_ATTR(extack, tb[NETVIRT_A_FW_GROUP_NAME],
				    "group does not exist");
		return -ENOENT;
	}
	if (group_users(t->fw, name) && t->fw->groups[i]->ports) {
		NL_SET_ERR_MSG_ATTR(extack, tb[NETVIRT_A_FW_GROUP_NAME],
				    "port group is used by rules");
		return -EBUSY;
	}
	if (group_users(t->fw, name)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[NETVIRT_A_FW_GROUP_NAME],
				    "address group is used by rules");
		return -EBUSY;
	}
	d = nv_fw_draft(t->fw, 0);
	if (IS_ERR(d))
		return PTR_ERR(d);
	nv_fw_group_put(d->groups[i]);
	d->groups[i] = d->groups[--d->n_groups];
	return nv_fw_change(nn, t, d);
}

int nv_fw_group_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nv_net *nn = nv_net(genl_info_net(info));
	struct nlattr *tb[NETVIRT_A_FW_GROUP_MAX + 1];
	int ret;

	ret = group_parse_nest(info, tb);
	if (ret)
		return ret;
	return group_del(nn, tb, info->extack);
}

/* A port group's members: each port's device index if attached, name. */
static int put_ports(struct sk_buff *skb, const struct nv_config *cfg,
		     const struct nv_fw_group *g)
{
	struct nlattr *list = nla_nest_start(skb, NETVIRT_A_FW_GROUP_PORTS);
	u32 i;

	if (!list)
		return -EMSGSIZE;
	for (i = 0; i < g->slots.n; i++)
		if (nv_port_put_ref(skb, cfg->ports[g->slot[i]],
				    NETVIRT_A_FW_GROUP_IFINDEX,
				    NETVIRT_A_FW_GROUP_IFNAME))
			return -EMSGSIZE;
	nla_nest_end(skb, list);
	return 0;
}

/*
 * A reply's room for a group of @n members: each an address prefix (a
 * nest of an IPv6 address and a length, at most) or a port (index and
 * name), and the group's own attributes.
 */
static size_t group_msg_size(u32 n, bool ports)
{
	size_t member = ports ? nla_total_size(sizeof(u32)) +
				nla_total_size(IFNAMSIZ) :
				nla_total_size(0) +
				nla_total_size(sizeof(struct in6_addr)) +
				nla_total_size(sizeof(u8));

	return NLMSG_GOODSIZE + n * member;
}

static size_t group_size(const struct nv_fw_group *g)
{
	return group_msg_size(g->ports ? g->slots.n : g->set.n, g->ports);
}

/* What a group's reply needs: its tenant, and the snapshot's ports. */
struct group_ctx {
	const struct nv_tenant *t;
	const struct nv_config *cfg;
};

static int group_fill(struct sk_buff *skb, const void *ctx, const void *obj)
{
	const struct group_ctx *c = ctx;
	const struct nv_tenant *t = c->t;
	const struct nv_fw_group *g = obj;
	struct nlattr *nest, *list, *p;
	u32 i;

	nest = nla_nest_start(skb, NETVIRT_A_FW_GROUP);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_string(skb, NETVIRT_A_FW_GROUP_TENANT, t->name) ||
	    nla_put_string(skb, NETVIRT_A_FW_GROUP_NAME, g->name) ||
	    nla_put_u32(skb, NETVIRT_A_FW_GROUP_RULES,
			group_users(t->fw, g->name)))
		goto err;
	if (g->ports) {
		if (put_ports(skb, c->cfg, g))
			goto err;
		nla_nest_end(skb, nest);
		return 0;
	}
	list = nla_nest_start(skb, NETVIRT_A_FW_GROUP_PREFIXES);
	if (!list)
		goto err;
	for (i = 0; i < g->set.n; i++) {
		p = nla_nest_start(skb, NETVIRT_A_FW_GROUP_PREFIX);
		if (!p || nv_fw_put_prefix(skb, &g->pfx[i], g->v6[i]))
			goto err;
		nla_nest_end(skb, p);
	}
	nla_nest_end(skb, list);
	nla_nest_end(skb, nest);
	return 0;
err:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

/*
 * One group's reply in @msg, of @size bytes; -EMSGSIZE with *@need set
 * when the group needs more.
 */
static int group_get(struct sk_buff *msg, size_t size, size_t *need,
		     struct genl_info *info, struct nlattr **tb)
{
	const struct nv_net *nn = nv_net(genl_info_net(info));
	struct group_ctx ctx = { .cfg = rcu_dereference(nn->config) };
	const struct nv_fw_group *g;

	ctx.t = nv_tenant_from_attr(ctx.cfg, tb[NETVIRT_A_FW_GROUP_TENANT],
				    info->extack);
	if (!ctx.t)
		return -ENOENT;
	g = nv_fw_group_find(ctx.t->fw, nla_data(tb[NETVIRT_A_FW_GROUP_NAME]));
	if (!g) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[NETVIRT_A_FW_GROUP_NAME],
				    "group does not exist");
		return -ENOENT;
	}
	*need = group_size(g);
	if (*need > size)
		return -EMSGSIZE;
	return nv_genl_msg(msg, info->snd_portid, info->snd_seq, NULL,
			   NETVIRT_CMD_FW_GROUP_GET, group_fill, &ctx, g);
}

/*
 * A reply sized to the group (4096 IPv6 prefixes take 128 KB): sized
 * again should the group have grown since it was measured.
 */
int nv_fw_group_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[NETVIRT_A_FW_GROUP_MAX + 1];
	size_t size = NLMSG_GOODSIZE, need = 0;
	struct sk_buff *msg;
	int ret;

	ret = group_parse_nest(info, tb);
	if (ret)
		return ret;
	for (;;) {
		msg = genlmsg_new(size, GFP_KERNEL);
		if (!msg)
			return -ENOMEM;
		rcu_read_lock();
		ret = group_get(msg, size, &need, info, tb);
		rcu_read_unlock();
		if (ret != -EMSGSIZE || need <= size)
			break;
		nlmsg_free(msg);
		size = need;
	}
	return nv_genl_reply(msg, info, ret);
}

/* The tenant a group dump names, or an ERR_PTR. */
static const struct nv_tenant *group_dump_tenant(struct netlink_callback *cb,
						 const struct nv_config *cfg)
{
	return nv_dump_tenant(cb, NETVIRT_A_FW_GROUP, NETVIRT_A_FW_GROUP_MAX,
			      nv_fw_group_policy, NETVIRT_A_FW_GROUP_TENANT,
			      cfg);
}

/**
 * nv_fw_group_dump_start() - size a dump's messages for its largest group
 * @cb: the dump; its request names the tenant
 *
 * A group is one message, and a dump's messages are 32 KB at most unless
 * it asks for more: a group of 1024 IPv6 prefixes would not fit one.
 * A request nv_fw_group_get_dumpit() refuses is left to it.
 *
 * Return: 0.
 */
int nv_fw_group_dump_start(struct netlink_callback *cb)
{
	struct net *net = sock_net(cb->skb->sk);
	const struct nv_tenant *t;
	const struct nv_fw *fw;
	size_t size = 0;
	u32 i;

	rcu_read_lock();
	t = group_dump_tenant(cb, rcu_dereference(nv_net(net)->config));
	for (i = 0, fw = IS_ERR(t) ? NULL : t->fw; fw && i < fw->n_groups; i++)
		size = max(size, group_size(fw->groups[i]));
	rcu_read_unlock();
	cb->min_dump_alloc = max_t(size_t, cb->min_dump_alloc, size);
	return 0;
}

/* cb->args[0]: next group. */
int nv_fw_group_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	const struct nv_config *cfg;
	struct group_ctx ctx;
	int ret = 0;
	u32 i;

	rcu_read_lock();
	cfg = rcu_dereference(nv_net(sock_net(skb->sk))->config);
	cb->seq = nv_dump_seq(cfg);
	ctx.t = group_dump_tenant(cb, cfg);
	if (IS_ERR(ctx.t)) {
		rcu_read_unlock();
		return PTR_ERR(ctx.t);
	}
	ctx.cfg = cfg;
	for (i = cb->args[0]; i < ctx.t->fw->n_groups; i++) {
		ret = nv_genl_dump_msg(skb, cb, NETVIRT_CMD_FW_GROUP_GET,
				       group_fill, &ctx, ctx.t->fw->groups[i]);
		if (ret)
			break;
	}
	cb->args[0] = i;
	rcu_read_unlock();
	return ret && skb->len ? skb->len : ret;
}
