// SPDX-License-Identifier: GPL-2.0
/*
 * Firewall loads in parts. A socket may not send a message larger than
 * its send buffer, and an unprivileged one cannot raise that past
 * net.core.wmem_max, so a large FW_RULE_NEW is sent in parts: each part
 * but the last carries NETVIRT_F_MORE, and its rules are parsed, checked
 * and staged here, nothing published. The last part publishes the staged
 * rules with its own in one change, as one request would have.
 *
 * A load belongs to the socket that sent it (its port id) and to one
 * tenant. It is freed when a part fails, when the tenant's firewall
 * changes under it (another writer), when its socket closes (the
 * NETLINK_URELEASE notifier of txn.c) and when the namespace goes away.
 * Its rules count against the rule limits and its memory is charged to
 * the sender's memory cgroup.
 */
#include <linux/list.h>
#include <linux/netlink.h>
#include <linux/slab.h>
#include <net/netlink.h>

#include "fw.h"
#include "netns.h"
#include "port.h"
#include "tenant.h"

/**
 * struct nv_fw_load - the staged rules of one load in parts
 * @node: in nv_net.fw_loads
 * @portid: the socket that sends it
 * @tenant: the tenant's name
 * @epoch: the epoch of the tenant's firewall when the load began
 * @n: rules staged
 * @size: rules allocated
 * @rules: the rules, in the order they were sent; the load holds them
 */
struct nv_fw_load {
	struct list_head node;
	u32 portid;
	char tenant[NV_NAME_LEN];
	u32 epoch;
	u32 n;
	u32 size;
	struct nv_fw_rule **rules;
};

/**
 * nv_fw_load_find() - the load a socket is sending for a tenant
 * @nn: the namespace; the caller holds its lock
 * @portid: the socket
 * @tenant: the tenant's name
 *
 * Return: the load, or NULL when none is under way.
 */
struct nv_fw_load *nv_fw_load_find(struct nv_net *nn, u32 portid,
				   const char *tenant)
{
	struct nv_fw_load *load;

	lockdep_assert_held(&nn->lock);
	list_for_each_entry(load, &nn->fw_loads, node)
		if (load->portid == portid && !strcmp(load->tenant, tenant))
			return load;
	return NULL;
}

/**
 * nv_fw_load_size() - rules a load has staged
 * @load: the load, or NULL
 *
 * Return: how many; 0 without a load.
 */
u32 nv_fw_load_size(const struct nv_fw_load *load)
{
	return load ? load->n : 0;
}

static struct nv_fw_load *load_create(struct nv_net *nn, u32 portid,
				      const struct nv_tenant *t)
{
	struct nv_fw_load *load = kzalloc(sizeof(*load), GFP_KERNEL_ACCOUNT);

	if (!load)
		return NULL;
	load->portid = portid;
	strscpy(load->tenant, t->name, sizeof(load->tenant));
	load->epoch = t->fw->epoch;
	list_add(&load->node, &nn->fw_loads);
	return load;
}

/* Room for @more rules; the array at least doubles, as a load grows. */
static int load_grow(struct nv_fw_load *load, u32 more)
{
	u32 size = max(load->n + more, 2 * load->size);
	struct nv_fw_rule **rules;

	if (load->n + more <= load->size)
		return 0;
	rules = kvcalloc(size, sizeof(*rules), GFP_KERNEL_ACCOUNT);
	if (!rules)
		return -ENOMEM;
	memcpy(rules, load->rules, load->n * sizeof(*rules));
	kvfree(load->rules);
	load->rules = rules;
	load->size = size;
	return 0;
}

/**
 * nv_fw_load_stage() - add rules to a load, beginning it when needed
 * @nn: the namespace; the caller holds its lock
 * @load: the load, or NULL to begin one; set to the load
 * @portid: the socket that sends it
 * @t: the tenant, as published
 * @rules: the rules of one part
 * @n: how many
 *
 * Return: 0 with the load holding @rules, or -ENOMEM with the caller
 * still holding them.
 */
int nv_fw_load_stage(struct nv_net *nn, struct nv_fw_load **load,
		     u32 portid, const struct nv_tenant *t,
		     struct nv_fw_rule **rules, u32 n)
{
	lockdep_assert_held(&nn->lock);
	if (!*load) {
		*load = load_create(nn, portid, t);
		if (!*load)
			return -ENOMEM;
	}
	if (load_grow(*load, n))
		return -ENOMEM;
	memcpy(&(*load)->rules[(*load)->n], rules, n * sizeof(*rules));
	(*load)->n += n;
	nn->fw_load_rules += n;
	return 0;
}

/* The rule's port is the one it was parsed with: same slot, name, tenant. */
static bool port_kept(const struct nv_config *cfg, const struct nv_tenant *t,
		      const struct nv_fw_rule *r)
{
	const struct nv_port *p = cfg->ports[r->port_slot];

	return p && p->tenant_slot == t->slot && !strcmp(p->name, r->port);
}

/**
 * nv_fw_load_check() - whether a load may still go on
 * @cfg: the published configuration
 * @t: the tenant, in @cfg
 * @load: the load, or NULL
 * @extack: for the error
 *
 * The staged rules were parsed against the tenant's firewall (its groups)
 * and ports as they were then: another writer's change of either makes
 * them stale.
 *
 * Return: 0, or -EBUSY when the tenant's firewall or a port of its staged
 * rules changed.
 */
int nv_fw_load_check(const struct nv_config *cfg, const struct nv_tenant *t,
		     const struct nv_fw_load *load,
		     struct netlink_ext_ack *extack)
{
	u32 i;

	if (!load)
		return 0;
	if (load->epoch != t->fw->epoch)
		goto changed;
	for (i = 0; i < load->n; i++)
		if (load->rules[i]->has_port && !port_kept(cfg, t, load->rules[i]))
			goto changed;
	return 0;
changed:
	NL_SET_ERR_MSG(extack, "the tenant's firewall changed during the load; load again");
	return -EBUSY;
}

static void load_unlink(struct nv_net *nn, struct nv_fw_load *load)
{
	list_del(&load->node);
	nn->fw_load_rules -= load->n;
	kfree(load);
}

/**
 * nv_fw_load_end() - take a load's rules, to publish them
 * @nn: the namespace; the caller holds its lock
 * @load: the load; freed
 * @n: set to the number of rules
 *
 * Return: the rules, which the caller now holds (kvfree() the array).
 */
struct nv_fw_rule **nv_fw_load_end(struct nv_net *nn,
				   struct nv_fw_load *load, u32 *n)
{
	struct nv_fw_rule **rules = load->rules;

	lockdep_assert_held(&nn->lock);
	*n = load->n;
	load_unlink(nn, load);
	return rules;
}

/**
 * nv_fw_load_free() - abandon a load and its rules
 * @nn: the namespace; the caller holds its lock
 * @load: the load, or NULL
 */
void nv_fw_load_free(struct nv_net *nn, struct nv_fw_load *load)
{
	struct nv_fw_rule **rules;
	u32 i, n;

	if (!load)
		return;
	rules = nv_fw_load_end(nn, load, &n);
	for (i = 0; i < n; i++)
		nv_fw_rule_put(rules[i]);
	kvfree(rules);
}

/**
 * nv_fw_load_flush() - abandon the loads of a socket, or every load
 * @nn: the namespace; the caller holds its lock
 * @portid: the socket, or 0 for every load of the namespace
 */
void nv_fw_load_flush(struct nv_net *nn, u32 portid)
{
	struct nv_fw_load *load, *tmp;

	lockdep_assert_held(&nn->lock);
	list_for_each_entry_safe(load, tmp, &nn->fw_loads, node)
		if (!portid || load->portid == portid)
			nv_fw_load_free(nn, load);
}
