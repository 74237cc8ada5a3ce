// SPDX-License-Identifier: GPL-2.0
/*
 * Firewall versions: drafts, compilation, publication with the tenant;
 * the tenant's policy (FW_SET, FW_GET).
 *
 * A change makes a draft, a new version of the tenant's firewall, and
 * puts it in the transaction's snapshot uncompiled. The commit compiles
 * the last draft of each tenant once, off the packet path, before
 * anything is published: a transaction of a thousand rule requests
 * compiles once, a packet sees the old compiled rules or the new ones,
 * never a mix, and a change that cannot be compiled changes nothing.
 */
#include <linux/atomic.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "compat.h"
#include "fw.h"
#include "genl.h"
#include "netns.h"
#include "tenant.h"

static void rule_release(struct kref *ref)
{
	struct nv_fw_rule *rule = container_of(ref, struct nv_fw_rule, ref);

	free_percpu(rule->pcpu);
	kfree(rule);
}

void nv_fw_rule_put(struct nv_fw_rule *rule)
{
	kref_put(&rule->ref, rule_release);
}

static void group_release(struct kref *ref)
{
	struct nv_fw_group *g = container_of(ref, struct nv_fw_group, ref);

	kvfree(g->v6);
	kvfree(g->slot);
	kvfree(g);
}

void nv_fw_group_put(struct nv_fw_group *g)
{
	kref_put(&g->ref, group_release);
}

static void dir_free(struct nv_fw_dir *d)
{
	nv_fwc_free(d->cls);
	kvfree(d->rules);
	memset(d, 0, sizeof(*d));
}

/* A draft owns its arrays and one reference to each rule and group. */
void nv_fw_draft_free(struct nv_fw *draft)
{
	u32 i;

	if (!draft)
		return;
	for (i = 0; i < draft->n_rules; i++)
		nv_fw_rule_put(draft->rules[i]);
	for (i = 0; i < draft->n_groups; i++)
		nv_fw_group_put(draft->groups[i]);
	for (i = 0; i <= NETVIRT_FW_DIR_MAX; i++)
		dir_free(&draft->dir[i]);
	kvfree(draft->rules);
	kvfree(draft->groups);
	kfree(draft);
}

void nv_fw_destroy(struct nv_fw *fw)
{
	nv_fw_draft_free(fw);
}

/*
 * Epochs of all firewalls are drawn from one counter, never 0 (a
 * connection's mark before its first decision) nor NV_FW_EPOCH_CUT (a cut
 * connection's, which stays cut whatever changes): a tenant deleted and
 * created again with the same id, so the same conntrack zone, never
 * takes an epoch its predecessor's connections are marked with.
 */
static atomic_t nv_fw_epochs = ATOMIC_INIT(0);

static u32 fw_epoch_draw(void)
{
	u32 e;

	do
		e = atomic_inc_return(&nv_fw_epochs);
	while (!e || e == NV_FW_EPOCH_CUT);
	return e;
}

/* A new tenant's firewall: no rule, deny what no rule allows. */
struct nv_fw *nv_fw_create(void)
{
	struct nv_fw *fw = kzalloc(sizeof(*fw), GFP_KERNEL_ACCOUNT);

	if (!fw)
		return ERR_PTR(-ENOMEM);
	fw->built = true;
	fw->policy = NETVIRT_FW_DENY;
	fw->epoch = fw_epoch_draw();
	fw->next_handle = 1;
	return fw;
}

/*
 * A draft of @old with room for @more rules and one more group: a
 * request adds at most one group. ERR_PTR(-ENOMEM) when out of memory.
 */
struct nv_fw *nv_fw_draft(const struct nv_fw *old, u32 more)
{
	struct nv_fw *d = kzalloc(sizeof(*d), GFP_KERNEL_ACCOUNT);
	u32 i;

	if (!d)
		return ERR_PTR(-ENOMEM);
	d->rules = kvmalloc_array(old->n_rules + more, sizeof(*d->rules),
				  GFP_KERNEL_ACCOUNT);
	d->groups = kvmalloc_array(old->n_groups + 1, sizeof(*d->groups),
				   GFP_KERNEL_ACCOUNT);
	if (!d->rules || !d->groups) {
		nv_fw_draft_free(d);
		return ERR_PTR(-ENOMEM);
	}
	d->policy = old->policy;
	d->flags = old->flags;
	d->epoch = old->epoch;
	d->next_handle = old->next_handle;
	for (i = 0; i < old->n_rules; i++) {
		kref_get(&old->rules[i]->ref);
		d->rules[d->n_rules++] = old->rules[i];
	}
	for (i = 0; i < old->n_groups; i++) {
		kref_get(&old->groups[i]->ref);
		d->groups[d->n_groups++] = old->groups[i];
	}
	return d;
}

struct nv_fw_group *nv_fw_group_find(const struct nv_fw *fw,
				     const char *name)
{
	u32 i;

	for (i = 0; i < fw->n_groups; i++)
		if (!strcmp(fw->groups[i]->name, name))
			return fw->groups[i];
	return NULL;
}

/* Nothing to enforce: no rule, and everything allowed. */
bool nv_fw_is_open(const struct nv_fw *fw)
{
	return !fw->n_rules && fw->policy == NETVIRT_FW_ALLOW;
}

static void compile_addr(const struct nv_fw *fw, const struct nv_fw_addr *a,
			 struct nv_fwc_addr *out)
{
	const struct nv_fw_group *g;

	if (!a->group[0]) {
		out->group = NULL;
		out->pfx = a->pfx;
		return;
	}
	/* Checked when the rule was added, and groups in use stay. */
	g = nv_fw_group_find(fw, a->group);
	out->group = g ? &g->set : NULL;
}

static void compile_rule(const struct nv_fw *fw, const struct nv_fw_rule *r,
			 struct nv_fwc_rule *out)
{
	memset(out, 0, sizeof(*out));
	out->prio = r->prio;
	out->handle = r->handle;
	if (r->has_port) {
		out->flags |= NV_FWC_F_SLOT;
		out->slot = r->port_slot;
	}
	if (r->pgroup[0]) {
		const struct nv_fw_group *g = nv_fw_group_find(fw, r->pgroup);

		out->slots = g ? &g->slots : NULL;
	}
	if (r->has_proto) {
		out->flags |= NV_FWC_F_PROTO;
		out->proto = r->proto;
	}
	if (r->has_type) {
		out->flags |= NV_FWC_F_TYPE;
		out->icmp_type = r->icmp_type;
	}
	if (r->has_sport) {
		out->flags |= NV_FWC_F_SPORT;
		out->sport = r->sport;
	}
	if (r->has_dport) {
		out->flags |= NV_FWC_F_DPORT;
		out->dport = r->dport;
	}
	compile_addr(fw, &r->src, &out->src);
	compile_addr(fw, &r->dst, &out->dst);
}

/* The rules of direction @dir, in order, and their classifier. */
static int compile_dir(struct nv_fw *fw, u8 dir)
{
	struct nv_fw_dir *d = &fw->dir[dir];
	struct nv_fwc_rule *tmp;
	u32 i, n = 0;
	int ret = 0;

	for (i = 0; i < fw->n_rules; i++)
		n += fw->rules[i]->dir == dir;
	if (!n)
		return 0;
	d->rules = kvmalloc_array(n, sizeof(*d->rules), GFP_KERNEL_ACCOUNT);
	tmp = kvmalloc_array(n, sizeof(*tmp), GFP_KERNEL_ACCOUNT);
	if (!d->rules || !tmp) {
		ret = -ENOMEM;
		goto out;
	}
	for (i = 0; i < fw->n_rules; i++) {
		if (fw->rules[i]->dir != dir)
			continue;
		compile_rule(fw, fw->rules[i], &tmp[d->n]);
		d->rules[d->n++] = fw->rules[i];
	}
	d->cls = nv_fwc_build(tmp, n, GFP_KERNEL_ACCOUNT);
	if (IS_ERR(d->cls)) {
		ret = PTR_ERR(d->cls);
		d->cls = NULL;
	}
out:
	kvfree(tmp);
	if (ret)
		dir_free(d);
	return ret;
}

static void fw_free(void *obj)
{
	nv_fw_destroy(obj);
}

/* Compiles a draft: its classifiers, and an epoch of its own. */
static int fw_build(struct nv_fw *fw)
{
	int ret, dir;

	for (dir = 0; dir <= NETVIRT_FW_DIR_MAX; dir++) {
		ret = compile_dir(fw, dir);
		if (ret)
			return ret;
		cond_resched();
	}
	fw->epoch = fw_epoch_draw();
	fw->built = true;
	return 0;
}

/*
 * The commit's prepare step: builds the firewall of every tenant of the
 * snapshot that has a draft. Out of memory is said by nv_genl_doit(),
 * with the cgroup named.
 */
static int fw_prepare(void *obj, struct netlink_ext_ack *extack)
{
	struct nv_config *next = obj;
	struct nv_tenant *t;
	unsigned int i;
	int ret;

	for (i = 0; i < NV_MAX_TENANTS; i++) {
		t = next->tenants[i];
		if (!t || t->fw->built)
			continue;
		ret = fw_build(t->fw);
		if (ret == -E2BIG)
			NV_SET_ERR_MSG_FMT(extack,
					   "the firewall's rules use more group members than its classifier holds",
					   "the rules of tenant %s use more group members than its classifier holds (%lu)",
					   t->name, NV_FWC_MAX_MEMBERS);
		else if (ret && ret != -ENOMEM)
			NL_SET_ERR_MSG(extack, "the firewall rules do not compile");
		if (ret)
			return ret;
	}
	return 0;
}

static const struct nv_txn_hook_ops fw_build_ops = {
	.prepare = fw_prepare,
};

/**
 * nv_fw_publish() - make a draft the tenant's firewall in a transaction
 * @txn: transaction; the caller holds nv_net.lock
 * @t: the tenant, in @txn->next
 * @draft: the edited draft; the transaction owns it from here on
 *
 * The draft is compiled by the commit (fw_prepare()). The version it
 * replaces is freed at once when the same transaction made it, and so is
 * @t: the caller does not touch either after this call.
 *
 * Return: 0, or -ENOMEM with the transaction to abort.
 */
int nv_fw_publish(struct nv_txn *txn, struct nv_tenant *t,
		  struct nv_fw *draft)
{
	struct nv_fw *old = t->fw;
	int ret;

	lockdep_assert_held(&txn->nn->lock);
	ret = nv_txn_created(txn, fw_free, draft);
	if (ret)
		return ret;
	ret = nv_txn_hook(txn, &fw_build_ops, txn->next) ?:
	      nv_tenant_replace(txn, t, t->routes, draft);
	if (ret)
		return ret;
	txn->next->counts.rules += draft->n_rules - old->n_rules;
	return nv_txn_drop(txn, fw_free, old);
}

/* A copy of port group @g without the port in @slot; NULL: no memory. */
static struct nv_fw_group *group_without(const struct nv_fw_group *g, u16 slot)
{
	struct nv_fw_group *n = nv_fw_group_alloc(g->slots.n, true);
	u32 i;

	if (!n)
		return NULL;
	strscpy(n->name, g->name, sizeof(n->name));
	for (i = 0; i < g->slots.n; i++) {
		if (g->slot[i] == slot)
			continue;
		n->slot[n->slots.n++] = g->slot[i];
	}
	return n;
}

static bool group_has_slot(const struct nv_fw_group *g, u16 slot)
{
	u32 i;

	for (i = 0; g->ports && i < g->slots.n; i++)
		if (g->slot[i] == slot)
			return true;
	return false;
}

/**
 * nv_fw_port_users() - what of a firewall names a port
 * @fw: the firewall
 * @slot: the port's slot
 * @rules: set to how many rules apply to that port alone
 * @pgroups: set to how many port groups it is in
 */
void nv_fw_port_users(const struct nv_fw *fw, u16 slot, u32 *rules,
		      u32 *pgroups)
{
	u32 i;

	*rules = 0;
	*pgroups = 0;
	for (i = 0; i < fw->n_rules; i++)
		*rules += fw->rules[i]->has_port &&
			  fw->rules[i]->port_slot == slot;
	for (i = 0; i < fw->n_groups; i++)
		*pgroups += group_has_slot(fw->groups[i], slot);
}

/* Takes the port in @slot out of the rules and port groups of draft @d. */
static int draft_remove_port(struct nv_fw *d, u16 slot)
{
	u32 i, n = 0;

	for (i = 0; i < d->n_rules; i++) {
		struct nv_fw_rule *r = d->rules[i];

		if (r->has_port && r->port_slot == slot)
			nv_fw_rule_put(r);
		else
			d->rules[n++] = r;
	}
	d->n_rules = n;
	for (i = 0; i < d->n_groups; i++) {
		struct nv_fw_group *g;

		if (!group_has_slot(d->groups[i], slot))
			continue;
		g = group_without(d->groups[i], slot);
		if (!g)
			return -ENOMEM;
		nv_fw_group_put(d->groups[i]);
		d->groups[i] = g;
	}
	return 0;
}

/**
 * nv_fw_remove_port() - take a port being removed out of the firewall
 * @txn: transaction; the caller holds nv_net.lock
 * @t: the port's tenant, in @txn->next
 * @slot: the port's slot
 *
 * Rules and port groups name ports by slot: left in place, they would
 * apply to the next port that takes the slot. The port's own rules go,
 * and it leaves its port groups.
 *
 * Return: 0 or -ENOMEM.
 */
int nv_fw_remove_port(struct nv_txn *txn, struct nv_tenant *t, u16 slot)
{
	u32 rules, pgroups;
	struct nv_fw *d;
	int ret;

	lockdep_assert_held(&txn->nn->lock);
	nv_fw_port_users(t->fw, slot, &rules, &pgroups);
	if (!rules && !pgroups)
		return 0;
	d = nv_fw_draft(t->fw, 0);
	if (IS_ERR(d))
		return PTR_ERR(d);
	ret = draft_remove_port(d, slot);
	if (ret) {
		nv_fw_draft_free(d);
		return ret;
	}
	return nv_fw_publish(txn, t, d);
}

/**
 * nv_fw_change() - publish an edited draft in a transaction of its own
 * @nn: the namespace; the caller holds nn->lock
 * @t: the tenant, as published
 * @d: the draft; consumed
 *
 * Return: 0, or an error with nothing changed.
 */
int nv_fw_change(struct nv_net *nn, struct nv_tenant *t, struct nv_fw *d)
{
	struct nv_txn txn;
	int ret;

	lockdep_assert_held(&nn->lock);
	ret = nv_txn_begin(&txn, nn);
	if (ret) {
		nv_fw_draft_free(d);
		return ret;
	}
	ret = nv_fw_publish(&txn, txn.next->tenants[t->slot], d);
	return nv_txn_finish(&txn, ret);
}

static int fw_fill(struct sk_buff *skb, const void *ctx, const void *obj)
{
	const struct nv_tenant *t = obj;
	const struct nv_fw *fw = t->fw;
	struct nlattr *nest = nla_nest_start(skb, NETVIRT_A_FW);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_string(skb, NETVIRT_A_FW_TENANT, t->name) ||
	    nla_put_u8(skb, NETVIRT_A_FW_POLICY, fw->policy) ||
	    nla_put_u32(skb, NETVIRT_A_FW_FLAGS, fw->flags) ||
	    nla_put_u16(skb, NETVIRT_A_FW_ZONE, t->id) ||
	    nla_put_u32(skb, NETVIRT_A_FW_RULES, fw->n_rules) ||
	    nla_put_u32(skb, NETVIRT_A_FW_GROUPS, fw->n_groups) ||
	    nla_put_u32(skb, NETVIRT_A_FW_EPOCH, fw->epoch)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int fw_parse(struct genl_info *info, struct nlattr **tb)
{
	int ret = nv_genl_nest(info, NETVIRT_A_FW, tb, NETVIRT_A_FW_MAX,
			       nv_fw_policy);

	if (ret)
		return ret;
	if (nv_genl_missing(info, NETVIRT_A_FW, tb, NETVIRT_A_FW_TENANT,
			    "firewall tenant is required"))
		return -EINVAL;
	return 0;
}

static int fw_set(struct nv_net *nn, struct nlattr **tb,
		  struct netlink_ext_ack *extack)
{
	struct nv_tenant *t;
	struct nv_fw *d;

	lockdep_assert_held(&nn->lock);
	t = nv_tenant_from_attr(nv_config_locked(nn), tb[NETVIRT_A_FW_TENANT],
				extack);
	if (!t)
		return -ENOENT;
	d = nv_fw_draft(t->fw, 0);
	if (IS_ERR(d))
		return PTR_ERR(d);
	if (tb[NETVIRT_A_FW_POLICY])
		d->policy = nla_get_u8(tb[NETVIRT_A_FW_POLICY]);
	if (tb[NETVIRT_A_FW_FLAGS])
		d->flags = nla_get_u32(tb[NETVIRT_A_FW_FLAGS]);
	return nv_fw_change(nn, t, d);
}

int nv_fw_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nv_net *nn = nv_net(genl_info_net(info));
	struct nlattr *tb[NETVIRT_A_FW_MAX + 1];
	int ret;

	ret = fw_parse(info, tb);
	if (ret)
		return ret;
	if (tb[NETVIRT_A_FW_FLAGS] &&
	    nla_get_u32(tb[NETVIRT_A_FW_FLAGS]) & ~NETVIRT_FW_F_LOG) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[NETVIRT_A_FW_FLAGS],
				    "a tenant's firewall flags are log only");
		return -EINVAL;
	}
	return fw_set(nn, tb, info->extack);
}

int nv_fw_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nv_net *nn = nv_net(genl_info_net(info));
	struct nlattr *tb[NETVIRT_A_FW_MAX + 1];
	const struct nv_tenant *t;
	struct sk_buff *msg;
	int ret;

	ret = fw_parse(info, tb);
	if (ret)
		return ret;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	rcu_read_lock();
	ret = -ENOENT;
	t = nv_tenant_from_attr(rcu_dereference(nn->config),
				tb[NETVIRT_A_FW_TENANT], info->extack);
	if (t)
		ret = nv_genl_msg(msg, info->snd_portid, info->snd_seq, NULL,
				  NETVIRT_CMD_FW_GET, fw_fill, NULL, t);
	rcu_read_unlock();
	return nv_genl_reply(msg, info, ret);
}
