// SPDX-License-Identifier: GPL-2.0
/*
 * Firewall rules: FW_RULE_NEW, FW_RULE_DEL and the FW_RULE_GET dump,
 * with each rule's counters.
 */
#include <linux/slab.h>
#include <linux/sort.h>
#include <net/sock.h>

#include "fw.h"
#include "genl.h"
#include "netns.h"
#include "port.h"
#include "tenant.h"

static int parse_addr(const struct nv_fw *fw, struct nlattr *nest,
		      struct nv_fw_addr *a, struct netlink_ext_ack *extack)
{
	struct nlattr *tb[NETVIRT_A_FW_ADDR_MAX + 1];
	const struct nv_fw_group *g;
	int ret;

	ret = nla_parse_nested(tb, NETVIRT_A_FW_ADDR_MAX, nest,
			       nv_fw_addr_policy, extack);
	if (ret)
		return ret;
	if (tb[NETVIRT_A_FW_ADDR_GROUP]) {
		if (tb[NETVIRT_A_FW_ADDR_IN] || tb[NETVIRT_A_FW_ADDR_IN6]) {
			NL_SET_ERR_MSG_ATTR(extack, nest, "an address or a group, not both");
			return -EINVAL;
		}
		nla_strscpy(a->group, tb[NETVIRT_A_FW_ADDR_GROUP],
			    sizeof(a->group));
		g = nv_fw_group_find(fw, a->group);
		if (g && g->ports) {
			NL_SET_ERR_MSG_ATTR(extack, tb[NETVIRT_A_FW_ADDR_GROUP],
					    "this group is a port group, not an address group");
			return -EINVAL;
		}
		if (!g) {
			NL_SET_ERR_MSG_ATTR(extack, tb[NETVIRT_A_FW_ADDR_GROUP],
					    "address group does not exist");
			return -ENOENT;
		}
		return 0;
	}
	return nv_fw_parse_prefix(tb, nest, &a->pfx, &a->v6, extack);
}

static int parse_ports(struct nlattr **tb, int lo, int hi,
		       struct nv_fwc_range *r, bool *has,
		       struct netlink_ext_ack *extack)
{
	if (!tb[lo] && !tb[hi])
		return 0;
	if (!tb[lo] || !tb[hi]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[lo] ?: tb[hi],
				    "a port range needs both ends");
		return -EINVAL;
	}
	r->lo = nla_get_u16(tb[lo]);
	r->hi = nla_get_u16(tb[hi]);
	if (r->lo > r->hi) {
		NL_SET_ERR_MSG_ATTR(extack, tb[hi], "port range ends before it starts");
		return -EINVAL;
	}
	*has = true;
	return 0;
}

/* What the rule matches on, besides addresses, and whether it makes sense. */
static int parse_match(struct nlattr **tb, struct nv_fw_rule *r,
		       struct netlink_ext_ack *extack)
{
	int ret;

	if (tb[NETVIRT_A_FW_RULE_PROTO]) {
		r->proto = nla_get_u8(tb[NETVIRT_A_FW_RULE_PROTO]);
		r->has_proto = true;
	}
	ret = parse_ports(tb, NETVIRT_A_FW_RULE_SPORT_LO,
			  NETVIRT_A_FW_RULE_SPORT_HI, &r->sport, &r->has_sport,
			  extack) ?:
	      parse_ports(tb, NETVIRT_A_FW_RULE_DPORT_LO,
			  NETVIRT_A_FW_RULE_DPORT_HI, &r->dport, &r->has_dport,
			  extack);
	if (ret)
		return ret;
	if ((r->has_sport || r->has_dport) &&
	    (!r->has_proto || !nv_proto_has_ports(r->proto))) {
		NL_SET_ERR_MSG_ATTR(extack, tb[NETVIRT_A_FW_RULE_PROTO],
				    "ports need protocol tcp, udp, udplite, sctp or dccp");
		return -EINVAL;
	}
	if (tb[NETVIRT_A_FW_RULE_ICMP_TYPE]) {
		if (!r->has_proto || (r->proto != IPPROTO_ICMP &&
				      r->proto != IPPROTO_ICMPV6)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[NETVIRT_A_FW_RULE_ICMP_TYPE],
					    "ICMP type needs protocol icmp or icmpv6");
			return -EINVAL;
		}
		r->icmp_type = nla_get_u8(tb[NETVIRT_A_FW_RULE_ICMP_TYPE]);
		r->has_type = true;
	}
	return 0;
}

/* The rule's port: by its device's index, or by name (attached or not). */
static int parse_port(const struct nv_config *cfg, const struct nv_tenant *t,
		      struct nlattr **tb, struct nv_fw_rule *r,
		      struct netlink_ext_ack *extack)
{
	const struct nv_port *p;

	p = nv_port_find(cfg, t->slot, tb[NETVIRT_A_FW_RULE_IFINDEX],
			 tb[NETVIRT_A_FW_RULE_IFNAME], extack);
	if (!p)
		return -ENODEV;
	r->has_port = true;
	r->port_slot = p->slot;
	strscpy(r->port, p->name, sizeof(r->port));
	return 0;
}

static int parse_pgroup(const struct nv_fw *fw, struct nlattr **tb,
			struct nv_fw_rule *r, struct netlink_ext_ack *extack)
{
	struct nlattr *attr = tb[NETVIRT_A_FW_RULE_PGROUP];
	const struct nv_fw_group *g;

	if (r->has_port) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "a port or a port group, not both");
		return -EINVAL;
	}
	nla_strscpy(r->pgroup, attr, sizeof(r->pgroup));
	g = nv_fw_group_find(fw, r->pgroup);
	if (!g || !g->ports) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "port group does not exist");
		return -ENOENT;
	}
	return 0;
}

static struct nv_fw_rule *rule_alloc(void)
{
	struct nv_fw_rule *r = kzalloc(sizeof(*r), GFP_KERNEL_ACCOUNT);
	int cpu;

	if (!r)
		return NULL;
	r->pcpu = alloc_percpu_gfp(struct nv_fw_rule_pcpu, GFP_KERNEL_ACCOUNT);
	if (!r->pcpu) {
		kfree(r);
		return NULL;
	}
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(r->pcpu, cpu)->syncp);
	kref_init(&r->ref);
	return r;
}

static int rule_parse(const struct nv_config *cfg, const struct nv_tenant *t,
		      struct nlattr **tb, struct nv_fw_rule *r,
		      struct netlink_ext_ack *extack)
{
	int ret = 0;

	r->dir = nla_get_u8(tb[NETVIRT_A_FW_RULE_DIR]);
	r->action = nla_get_u8(tb[NETVIRT_A_FW_RULE_ACTION]);
	r->prio = tb[NETVIRT_A_FW_RULE_PRIO] ?
		  nla_get_u32(tb[NETVIRT_A_FW_RULE_PRIO]) :
		  NETVIRT_FW_PRIO_DEFAULT;
	if (tb[NETVIRT_A_FW_RULE_FLAGS])
		r->flags = nla_get_u32(tb[NETVIRT_A_FW_RULE_FLAGS]);
	if (tb[NETVIRT_A_FW_RULE_IFINDEX] || tb[NETVIRT_A_FW_RULE_IFNAME])
		ret = parse_port(cfg, t, tb, r, extack);
	if (!ret && tb[NETVIRT_A_FW_RULE_PGROUP])
		ret = parse_pgroup(t->fw, tb, r, extack);
	if (!ret && tb[NETVIRT_A_FW_RULE_SRC])
		ret = parse_addr(t->fw, tb[NETVIRT_A_FW_RULE_SRC], &r->src,
				 extack);
	if (!ret && tb[NETVIRT_A_FW_RULE_DST])
		ret = parse_addr(t->fw, tb[NETVIRT_A_FW_RULE_DST], &r->dst,
				 extack);
	return ret ?: parse_match(tb, r, extack);
}

/* Evaluation order: priority, then handle. */
static int rule_cmp(const void *a, const void *b)
{
	const struct nv_fw_rule *x = *(const struct nv_fw_rule **)a;
	const struct nv_fw_rule *y = *(const struct nv_fw_rule **)b;

	if (x->prio != y->prio)
		return x->prio < y->prio ? -1 : 1;
	return x->handle < y->handle ? -1 : x->handle > y->handle;
}

static int rule_limit(const struct nv_config *cfg, const struct nv_fw *fw,
		      u32 n, struct netlink_ext_ack *extack)
{
	if (fw->n_rules + n > READ_ONCE(nv_limits.tenant_rules)) {
		NL_SET_ERR_MSG(extack, "rule limit of the tenant reached (max_tenant_rules)");
		return -ENOSPC;
	}
	if (cfg->counts.rules + n > READ_ONCE(nv_limits.rules)) {
		NL_SET_ERR_MSG(extack, "rule limit of the namespace reached (max_rules)");
		return -ENOSPC;
	}
	return 0;
}

/*
 * The rules of one request: every NETVIRT_A_FW_RULE of the message,
 * parsed (the policy has validated them all), for one tenant.
 */
struct rule_batch {
	struct nv_tenant *t;
	u32 n;
	struct nv_fw_rule **rules;
};

static int batch_parse_one(const struct nv_config *cfg, struct rule_batch *b,
			   struct nlattr *nest, struct netlink_ext_ack *extack)
{
	struct nlattr *tb[NETVIRT_A_FW_RULE_MAX + 1];
	struct nv_fw_rule *r;
	int ret;

	ret = nla_parse_nested(tb, NETVIRT_A_FW_RULE_MAX, nest,
			       nv_fw_rule_policy, extack);
	if (ret)
		return ret;
	if (!tb[NETVIRT_A_FW_RULE_TENANT] || !tb[NETVIRT_A_FW_RULE_DIR] ||
	    !tb[NETVIRT_A_FW_RULE_ACTION]) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "a rule needs its tenant, direction and action");
		return -EINVAL;
	}
	if (strcmp(nla_data(tb[NETVIRT_A_FW_RULE_TENANT]), b->t->name)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[NETVIRT_A_FW_RULE_TENANT],
				    "the rules of one request must be of one tenant");
		return -EINVAL;
	}
	r = rule_alloc();
	if (!r)
		return -ENOMEM;
	b->rules[b->n++] = r;
	return rule_parse(cfg, b->t, tb, r, extack);
}

static int batch_parse(const struct nv_config *cfg, struct genl_info *info,
		       struct rule_batch *b)
{
	struct nlattr *a;
	int rem, ret;

	nla_for_each_attr(a, genlmsg_data(info->genlhdr),
			  genlmsg_len(info->genlhdr), rem) {
		if (nla_type(a) != NETVIRT_A_FW_RULE)
			continue;
		ret = batch_parse_one(cfg, b, a, info->extack);
		if (ret)
			return ret;
		cond_resched();
	}
	return 0;
}

/*
 * Merges the @n rules of @add, sorted, into the @d->n_rules sorted rules
 * of @d, which has room for them: from the back, so that each rule moves
 * once and a few rules added to many cost no sort of them all.
 */
static void rules_merge(struct nv_fw *d, struct nv_fw_rule **add, u32 n)
{
	u32 i = d->n_rules, j = n, k = d->n_rules + n;

	while (j) {
		if (i && rule_cmp(&d->rules[i - 1], &add[j - 1]) > 0)
			d->rules[--k] = d->rules[--i];
		else
			d->rules[--k] = add[--j];
	}
	d->n_rules += n;
}

/* Adds the rules of @b in one change; they get handles in their order. */
static int batch_add(struct nv_net *nn, struct rule_batch *b)
{
	struct nv_fw_rule **add;
	struct nv_fw *d;
	u32 i;

	lockdep_assert_held(&nn->lock);
	add = kvmalloc_array(b->n, sizeof(*add), GFP_KERNEL_ACCOUNT);
	if (!add)
		return -ENOMEM;
	d = nv_fw_draft(b->t->fw, b->n);
	if (IS_ERR(d)) {
		kvfree(add);
		return PTR_ERR(d);
	}
	for (i = 0; i < b->n; i++) {
		b->rules[i]->handle = d->next_handle++;
		kref_get(&b->rules[i]->ref);
		add[i] = b->rules[i];
	}
	sort(add, b->n, sizeof(*add), rule_cmp, NULL);
	rules_merge(d, add, b->n);
	kvfree(add);
	return nv_fw_change(nn, b->t, d);
}

/* The rules of @b, parsed and checked against the tenant. */
static int rule_add(struct nv_net *nn, struct genl_info *info, u32 n,
		    struct rule_batch *b)
{
	struct nv_config *cfg = nv_config_locked(nn);
	struct nlattr *tb[NETVIRT_A_FW_RULE_MAX + 1];
	int ret;

	lockdep_assert_held(&nn->lock);
	ret = nla_parse_nested(tb, NETVIRT_A_FW_RULE_MAX,
			       info->attrs[NETVIRT_A_FW_RULE], nv_fw_rule_policy,
			       info->extack);
	if (ret)
		return ret;
	b->t = nv_tenant_from_attr(cfg, tb[NETVIRT_A_FW_RULE_TENANT],
				   info->extack);
	if (!b->t)
		return -ENOENT;
	return rule_limit(cfg, b->t->fw, n, info->extack) ?:
	       batch_parse(cfg, info, b) ?:
	       batch_add(nn, b);
}

/* How many rules the request holds. */
static u32 request_rule_count(struct genl_info *info)
{
	struct nlattr *a;
	u32 n = 0;
	int rem;

	nla_for_each_attr(a, genlmsg_data(info->genlhdr),
			  genlmsg_len(info->genlhdr), rem)
		n += nla_type(a) == NETVIRT_A_FW_RULE;
	return n;
}

static int rule_fill(struct sk_buff *skb, const void *ctx, const void *obj);

static int rule_parse_nest(struct genl_info *info, struct nlattr **tb)
{
	int ret = nv_genl_nest(info, NETVIRT_A_FW_RULE, tb,
			       NETVIRT_A_FW_RULE_MAX, nv_fw_rule_policy);

	if (ret)
		return ret;
	if (nv_genl_missing(info, NETVIRT_A_FW_RULE, tb,
			    NETVIRT_A_FW_RULE_TENANT, "rule tenant is required"))
		return -EINVAL;
	return 0;
}

/*
 * One rule, or many: every NETVIRT_A_FW_RULE of the message is added in
 * one change, all or none. The reply is the first rule, with its handle.
 * A load larger than one message is sent as requests of a transaction
 * (txn.c), which publishes them as one change too.
 */
int nv_fw_rule_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nv_net *nn = nv_net(genl_info_net(info));
	struct nlattr *tb[NETVIRT_A_FW_RULE_MAX + 1];
	struct rule_batch b = {};
	struct sk_buff *msg;
	u32 i, n;
	int ret;

	ret = rule_parse_nest(info, tb);
	if (ret)
		return ret;
	if (nv_genl_missing(info, NETVIRT_A_FW_RULE, tb, NETVIRT_A_FW_RULE_DIR,
			    "rule direction is required") ||
	    nv_genl_missing(info, NETVIRT_A_FW_RULE, tb,
			    NETVIRT_A_FW_RULE_ACTION, "rule action is required"))
		return -EINVAL;
	n = request_rule_count(info);
	b.rules = kvcalloc(n, sizeof(*b.rules), GFP_KERNEL_ACCOUNT);
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	ret = -ENOMEM;
	if (!b.rules || !msg)
		goto out;
	ret = rule_add(nn, info, n, &b);
	if (!ret)
		ret = nv_genl_msg(msg, info->snd_portid, info->snd_seq, NULL,
				  NETVIRT_CMD_FW_RULE_NEW, rule_fill, NULL,
				  b.rules[0]);
	if (!ret) {
		nv_genl_reply(msg, info, 0);
		msg = NULL;
	}
out:
	nlmsg_free(msg);
	for (i = 0; i < b.n; i++)
		nv_fw_rule_put(b.rules[i]);
	kvfree(b.rules);
	return ret;
}

static int rule_del(struct nv_net *nn, struct nlattr **tb,
		    struct netlink_ext_ack *extack)
{
	struct nv_tenant *t;
	struct nv_fw *d;
	u32 handle, i;

	lockdep_assert_held(&nn->lock);
	t = nv_tenant_from_attr(nv_config_locked(nn),
				tb[NETVIRT_A_FW_RULE_TENANT], extack);
	if (!t)
		return -ENOENT;
	handle = nla_get_u32(tb[NETVIRT_A_FW_RULE_HANDLE]);
	for (i = 0; i < t->fw->n_rules; i++)
		if (t->fw->rules[i]->handle == handle)
			break;
	if (i == t->fw->n_rules) {
		NL_SET_ERR_MSG_ATTR(extack, tb[NETVIRT_A_FW_RULE_HANDLE],
				    "the tenant has no rule with this handle");
		return -ENOENT;
	}
	d = nv_fw_draft(t->fw, 0);
	if (IS_ERR(d))
		return PTR_ERR(d);
	nv_fw_rule_put(d->rules[i]);
	memmove(&d->rules[i], &d->rules[i + 1],
		(d->n_rules - i - 1) * sizeof(*d->rules));
	d->n_rules--;
	return nv_fw_change(nn, t, d);
}

int nv_fw_rule_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nv_net *nn = nv_net(genl_info_net(info));
	struct nlattr *tb[NETVIRT_A_FW_RULE_MAX + 1];
	int ret;

	ret = rule_parse_nest(info, tb);
	if (ret)
		return ret;
	if (nv_genl_missing(info, NETVIRT_A_FW_RULE, tb,
			    NETVIRT_A_FW_RULE_HANDLE, "rule handle is required"))
		return -EINVAL;
	return rule_del(nn, tb, info->extack);
}

static int put_fw_addr(struct sk_buff *skb, int type,
		       const struct nv_fw_addr *a)
{
	struct nlattr *nest;

	if (!a->group[0] && !a->pfx.len)
		return 0;
	nest = nla_nest_start(skb, type);
	if (!nest)
		return -EMSGSIZE;
	if (a->group[0] ?
	    nla_put_string(skb, NETVIRT_A_FW_ADDR_GROUP, a->group) :
	    nv_fw_put_prefix(skb, &a->pfx, a->v6)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static void rule_counters(const struct nv_fw_rule *r, u64 *c,
			  unsigned long *last)
{
	int cpu;

	memset(c, 0, 3 * sizeof(*c));
	*last = 0;
	for_each_possible_cpu(cpu) {
		const struct nv_fw_rule_pcpu *s = per_cpu_ptr(r->pcpu, cpu);
		unsigned long hit = READ_ONCE(s->last_hit);
		u64 p, b, n;
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			p = u64_stats_read(&s->packets);
			b = u64_stats_read(&s->bytes);
			n = u64_stats_read(&s->conns);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		c[0] += p;
		c[1] += b;
		c[2] += n;
		if (hit && (!*last || time_after(hit, *last)))
			*last = hit;
	}
}

static int put_counters(struct sk_buff *skb, const struct nv_fw_rule *r)
{
	unsigned long last;
	u64 c[3];

	rule_counters(r, c, &last);
	if (nla_put_u64_64bit(skb, NETVIRT_A_FW_RULE_PACKETS, c[0],
			      NETVIRT_A_FW_RULE_PAD) ||
	    nla_put_u64_64bit(skb, NETVIRT_A_FW_RULE_BYTES, c[1],
			      NETVIRT_A_FW_RULE_PAD) ||
	    nla_put_u64_64bit(skb, NETVIRT_A_FW_RULE_CONNS, c[2],
			      NETVIRT_A_FW_RULE_PAD))
		return -EMSGSIZE;
	if (!last)
		return 0;
	return nla_put_u64_64bit(skb, NETVIRT_A_FW_RULE_LAST_HIT,
				 jiffies_to_msecs(jiffies - last),
				 NETVIRT_A_FW_RULE_PAD);
}

static int put_match(struct sk_buff *skb, const struct nv_fw_rule *r)
{
	if (r->has_proto && nla_put_u8(skb, NETVIRT_A_FW_RULE_PROTO, r->proto))
		return -EMSGSIZE;
	if (r->has_sport &&
	    (nla_put_u16(skb, NETVIRT_A_FW_RULE_SPORT_LO, r->sport.lo) ||
	     nla_put_u16(skb, NETVIRT_A_FW_RULE_SPORT_HI, r->sport.hi)))
		return -EMSGSIZE;
	if (r->has_dport &&
	    (nla_put_u16(skb, NETVIRT_A_FW_RULE_DPORT_LO, r->dport.lo) ||
	     nla_put_u16(skb, NETVIRT_A_FW_RULE_DPORT_HI, r->dport.hi)))
		return -EMSGSIZE;
	if (r->has_type &&
	    nla_put_u8(skb, NETVIRT_A_FW_RULE_ICMP_TYPE, r->icmp_type))
		return -EMSGSIZE;
	return put_fw_addr(skb, NETVIRT_A_FW_RULE_SRC, &r->src) ?:
	       put_fw_addr(skb, NETVIRT_A_FW_RULE_DST, &r->dst);
}

/* @ctx: the tenant, or NULL in the reply to FW_RULE_NEW. */
static int rule_fill(struct sk_buff *skb, const void *ctx, const void *obj)
{
	const struct nv_tenant *t = ctx;
	const struct nv_fw_rule *r = obj;
	struct nlattr *nest = nla_nest_start(skb, NETVIRT_A_FW_RULE);

	if (!nest)
		return -EMSGSIZE;
	if ((t && nla_put_string(skb, NETVIRT_A_FW_RULE_TENANT, t->name)) ||
	    nla_put_u32(skb, NETVIRT_A_FW_RULE_HANDLE, r->handle) ||
	    nla_put_u32(skb, NETVIRT_A_FW_RULE_PRIO, r->prio) ||
	    nla_put_u8(skb, NETVIRT_A_FW_RULE_DIR, r->dir) ||
	    nla_put_u8(skb, NETVIRT_A_FW_RULE_ACTION, r->action) ||
	    nla_put_u32(skb, NETVIRT_A_FW_RULE_FLAGS, r->flags) ||
	    (r->has_port &&
	     nla_put_string(skb, NETVIRT_A_FW_RULE_IFNAME, r->port)) ||
	    (r->pgroup[0] &&
	     nla_put_string(skb, NETVIRT_A_FW_RULE_PGROUP, r->pgroup)) ||
	    put_match(skb, r) || put_counters(skb, r))
		goto err;
	nla_nest_end(skb, nest);
	return 0;
err:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

/* cb->args[0]: next rule. Restarts are flagged by the generation. */
int nv_fw_rule_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	const struct nv_config *cfg;
	const struct nv_tenant *t;
	int ret = 0;
	u32 i;

	rcu_read_lock();
	cfg = rcu_dereference(nv_net(sock_net(skb->sk))->config);
	cb->seq = nv_dump_seq(cfg);
	t = nv_dump_tenant(cb, NETVIRT_A_FW_RULE, NETVIRT_A_FW_RULE_MAX,
			   nv_fw_rule_policy, NETVIRT_A_FW_RULE_TENANT, cfg);
	if (IS_ERR(t)) {
		rcu_read_unlock();
		return PTR_ERR(t);
	}
	for (i = cb->args[0]; i < t->fw->n_rules; i++) {
		ret = nv_genl_dump_msg(skb, cb, NETVIRT_CMD_FW_RULE_GET,
				       rule_fill, t, t->fw->rules[i]);
		if (ret)
			break;
	}
	cb->args[0] = i;
	rcu_read_unlock();
	return ret && skb->len ? skb->len : ret;
}
