// SPDX-License-Identifier: GPL-2.0
/*
 * What a network namespace owned by a user namespace other than the
 * initial one may do: any local user can create one, and holds
 * CAP_NET_ADMIN in it. The "userns" module parameter decides whether such
 * a namespace may change netvirt's configuration at all; when it may, the
 * network namespaces with configuration are counted, and limited
 * (max_userns_nets), per user namespace with its descendants, and per
 * user of the initial namespace for all the user namespaces it created:
 * nesting or multiplying user namespaces gains nothing. Memory is bounded
 * by the caller's memory cgroup (docs/architecture.md, "Limits and
 * memory"); this bounds how many times the per-namespace limits apply.
 *
 * A namespace is counted from its first change request until no request
 * is running and it has neither tenants nor host settings, or until it
 * exits. Requests of the initial user namespace's namespaces are neither
 * restricted nor counted.
 */
#include <linux/hashtable.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/user_namespace.h>

#include "limits.h"
#include "netns.h"
#include "userns.h"

static bool userns = true;
module_param(userns, bool, 0644);
MODULE_PARM_DESC(userns,
		 "namespaces of non-initial user namespaces may change the configuration (default: yes)");

/*
 * One count: of a user namespace (@uid invalid), or of the user
 * namespaces @uid created in the initial one.
 */
struct userns_count {
	struct hlist_node node;
	const struct user_namespace *ns;
	kuid_t uid;
	unsigned int n;
};

/* Guards the counts and nv_net.userns_{writers,charged} of every net. */
static DEFINE_MUTEX(counts_lock);
static DEFINE_HASHTABLE(counts, 6);

static struct userns_count *count_find(const struct user_namespace *ns,
				       kuid_t uid)
{
	struct userns_count *c;

	hash_for_each_possible(counts, c, node, (unsigned long)ns ^
			       __kuid_val(uid))
		if (c->ns == ns && uid_eq(c->uid, uid))
			return c;
	return NULL;
}

/* Counts one more namespace under @ns and @uid, within the limit. */
static int count_inc(const struct user_namespace *ns, kuid_t uid)
{
	struct userns_count *c = count_find(ns, uid);

	if (c && c->n >= READ_ONCE(nv_limits.userns_nets))
		return -ENOSPC;
	if (!c) {
		c = kzalloc(sizeof(*c), GFP_KERNEL_ACCOUNT);
		if (!c)
			return -ENOMEM;
		c->ns = ns;
		c->uid = uid;
		hash_add(counts, &c->node, (unsigned long)ns ^ __kuid_val(uid));
	}
	c->n++;
	return 0;
}

static void count_dec(const struct user_namespace *ns, kuid_t uid)
{
	struct userns_count *c = count_find(ns, uid);

	if (WARN_ON_ONCE(!c) || --c->n)
		return;
	hash_del(&c->node);
	kfree(c);
}

/* The count above @ns: its parent's, or its creator's at the top. */
static void count_key_up(const struct user_namespace **ns, kuid_t *uid)
{
	if ((*ns)->parent == &init_user_ns) {
		*uid = (*ns)->owner;
		*ns = &init_user_ns;
	} else {
		*ns = (*ns)->parent;
	}
}

/* Uncounts @net from @ns (excluded) up to the top. */
static void uncharge_from(const struct user_namespace *stop,
			  const struct user_namespace *ns)
{
	kuid_t uid = INVALID_UID;

	while (ns != stop) {
		count_dec(ns, uid);
		if (ns == &init_user_ns)
			break;
		count_key_up(&ns, &uid);
	}
}

static int charge(const struct user_namespace *owner)
{
	const struct user_namespace *ns = owner;
	kuid_t uid = INVALID_UID;
	int ret;

	lockdep_assert_held(&counts_lock);
	for (;;) {
		ret = count_inc(ns, uid);
		if (ret) {
			uncharge_from(ns, owner);
			return ret;
		}
		if (ns == &init_user_ns)
			return 0;
		count_key_up(&ns, &uid);
	}
}

/* No tenant and no host: nothing of the namespace's to count. */
static bool config_empty(struct nv_net *nn)
{
	const struct nv_config *cfg;
	bool empty;

	rcu_read_lock();
	cfg = rcu_dereference(nn->config);
	empty = !cfg || (!cfg->counts.tenants && !cfg->host);
	rcu_read_unlock();
	return empty;
}

#define USERNS_OFF_MSG \
	"changes from a non-initial user namespace are disabled (parameter userns)"
#define USERNS_LIMIT_MSG \
	"network namespace limit of the user namespace reached (max_userns_nets)"

/**
 * nv_userns_enter() - admit a change request of @net, and count @net
 * @net: the requester's network namespace
 * @extack: for the reason of a refusal
 *
 * Pair with nv_userns_leave() once the request is done.
 *
 * Return: 0; -EPERM when the "userns" parameter refuses @net's owner;
 * -ENOSPC at max_userns_nets; -ENOMEM.
 */
int nv_userns_enter(struct net *net, struct netlink_ext_ack *extack)
{
	struct nv_net *nn = nv_net(net);
	int ret = 0;

	if (net->user_ns == &init_user_ns)
		return 0;
	if (!READ_ONCE(userns)) {
		NL_SET_ERR_MSG(extack, USERNS_OFF_MSG);
		return -EPERM;
	}
	mutex_lock(&counts_lock);
	if (!nn->userns_charged)
		ret = charge(net->user_ns);
	if (!ret) {
		nn->userns_charged = true;
		nn->userns_writers++;
	} else if (ret == -ENOSPC) {
		NL_SET_ERR_MSG(extack, USERNS_LIMIT_MSG);
	}
	mutex_unlock(&counts_lock);
	return ret;
}

static void uncharge(struct nv_net *nn)
{
	lockdep_assert_held(&counts_lock);
	if (!nn->userns_charged)
		return;
	uncharge_from(NULL, nn->net->user_ns);
	nn->userns_charged = false;
}

/**
 * nv_userns_leave() - a change request admitted by nv_userns_enter() is done
 * @net: its network namespace
 *
 * The last request running uncounts @net if it left no configuration.
 */
void nv_userns_leave(struct net *net)
{
	struct nv_net *nn = nv_net(net);

	if (net->user_ns == &init_user_ns)
		return;
	mutex_lock(&counts_lock);
	if (!--nn->userns_writers && config_empty(nn))
		uncharge(nn);
	mutex_unlock(&counts_lock);
}

/**
 * nv_userns_release() - the namespace exits: uncount it
 * @nn: its state; no request can run any more
 */
void nv_userns_release(struct nv_net *nn)
{
	mutex_lock(&counts_lock);
	uncharge(nn);
	mutex_unlock(&counts_lock);
}
