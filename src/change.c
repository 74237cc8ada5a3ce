// SPDX-License-Identifier: GPL-2.0
/*
 * A change request runs as one transaction. nv_change_run() takes the
 * writer locks, begins the request's transaction (nv_net.batch), runs the
 * handler - every transaction the handler begins is a part of it - and
 * publishes once. A client transaction (txn.c) runs all of its staged
 * requests in one such transaction; a single request is a transaction of
 * one. What must follow the publication - the reply, NAT announcements,
 * forgetting a deleted tenant's connections, the config event - runs
 * here, after it, and never for a change that was not published.
 */
#include <net/genetlink.h>

#include "change.h"
#include "genl.h"
#include "nat.h"
#include "netns.h"

/**
 * nv_change_lock() - take the writer locks of a change
 * @nn: the namespace
 * @rtnl: the change may attach or detach devices: take RTNL too
 */
void nv_change_lock(struct nv_net *nn, bool rtnl)
{
	if (rtnl)
		nv_net_lock_rtnl(nn);
	else
		mutex_lock(&nn->lock);
}

/**
 * nv_change_begin() - begin the transaction of a change request
 * @batch: the transaction
 * @nn: the namespace; the caller holds its lock (nv_change_lock())
 * @extack: for what its commit's prepare steps refuse, or NULL
 *
 * Return: 0 or -ENOMEM.
 */
int nv_change_begin(struct nv_txn *batch, struct nv_net *nn,
		    struct netlink_ext_ack *extack)
{
	int ret;

	lockdep_assert_held(&nn->lock);
	ret = nv_txn_begin(batch, nn);
	if (ret)
		return ret;
	batch->extack = extack;
	nn->batch = batch;
	return 0;
}

/**
 * nv_change_end() - publish a change request's transaction, or drop it
 * @batch: the transaction of nv_change_begin()
 * @ret: the result of the handlers: 0 to publish
 * @check: publish nothing, but prepare everything a commit prepares
 *
 * A transaction to which no part committed publishes nothing (a request
 * that changed nothing, or staged a part of a load). The caller then
 * calls nv_change_unlock(), which runs what follows a publication.
 *
 * Return: @ret, or the error of the commit.
 */
int nv_change_end(struct nv_txn *batch, int ret, bool check)
{
	struct nv_net *nn = batch->nn;

	lockdep_assert_held(&nn->lock);
	nn->batch = NULL;
	/* A part that aborted says why, with an error, to its handler. */
	if (WARN_ON_ONCE(!ret && batch->failed))
		ret = -EINVAL;
	if (!ret && check)
		ret = nv_txn_prepare(batch);
	if (ret || check)
		batch->announce = false;
	if (ret || check || !batch->changes) {
		nv_txn_abort(batch);
		batch->changes = 0;
		return ret;
	}
	return nv_txn_commit(batch);
}

/**
 * nv_change_unlock() - release the writer locks of a change, and finish it
 * @batch: the transaction, ended by nv_change_end()
 * @info: the request whose reply @batch holds, or NULL
 * @rtnl: as given to nv_change_lock()
 * @changes: change requests per kind (NETVIRT_A_CHANGES_*) for the config
 *	event, or NULL when the transaction published nothing
 */
void nv_change_unlock(struct nv_txn *batch, struct genl_info *info,
		      bool rtnl, const u32 *changes)
{
	struct nv_net *nn = batch->nn;
	struct sk_buff *reply = batch->reply;

	lockdep_assert_held(&nn->lock);
	batch->reply = NULL;
	/* Also without a change: "uplink set" of the uplink announces. */
	if (batch->announce)
		nv_nat_announce(nv_config_published(nn));
	if (rtnl) {
		nn->rtnl_writer = false;
		rtnl_unlock();
	}
	nv_txn_run_unlocked(batch);
	if (changes)
		nv_change_event(nn, changes);
	mutex_unlock(&nn->lock);
	if (reply && info)
		genlmsg_reply(reply, info);
	else
		kfree_skb(reply);
}

/**
 * nv_change_reply() - hold a change request's reply until it is published
 * @info: the request
 * @msg: the reply
 *
 * Return: true when @msg is held (a change request's), false for a
 * request that is no change: the caller sends @msg itself.
 */
bool nv_change_reply(struct genl_info *info, struct sk_buff *msg)
{
	struct nv_txn *batch = info->user_ptr[0];

	if (!batch)
		return false;
	lockdep_assert_held(&batch->nn->lock);
	kfree_skb(batch->reply);
	batch->reply = msg;
	return true;
}

/**
 * nv_change_announce() - announce the host's NAT addresses once published
 * @nn: the namespace; a change request runs (nv_net.batch)
 */
void nv_change_announce(struct nv_net *nn)
{
	lockdep_assert_held(&nn->lock);
	if (!WARN_ON_ONCE(!nn->batch))
		nn->batch->announce = true;
}

/**
 * nv_change_notified() - a change a device's removal makes, as a request's
 * @nn: the namespace; the caller, a netdev notifier, holds RTNL, not
 *	nn->lock
 * @change: the change, run under nn->lock in a transaction of its own
 * @arg: its argument
 * @kind: its object kind, NETVIRT_A_CHANGES_*
 *
 * Published, and told to the config group, as a request would be.
 *
 * Return: the result of @change, or of the commit.
 */
int nv_change_notified(struct nv_net *nn,
		       int (*change)(struct nv_net *nn, void *arg), void *arg,
		       int kind)
{
	u32 changes[NETVIRT_A_CHANGES_MAX + 1] = {};
	struct nv_txn batch = { .nn = nn };
	int ret;

	ASSERT_RTNL();
	mutex_lock(&nn->lock);
	ret = nv_change_begin(&batch, nn, NULL);
	if (!ret)
		ret = nv_change_end(&batch, change(nn, arg), false);
	changes[kind] = 1;
	nv_change_unlock(&batch, NULL, false,
			 !ret && batch.changes ? changes : NULL);
	return ret;
}

/**
 * nv_change_run() - run the handler of one change request, as one change
 * @doit: the handler
 * @skb: the request
 * @info: the request
 * @rtnl: the handler may attach or detach devices
 * @kind: its object kind, NETVIRT_A_CHANGES_*
 *
 * Return: the handler's result, or the commit's.
 */
int nv_change_run(int (*doit)(struct sk_buff *skb, struct genl_info *info),
		  struct sk_buff *skb, struct genl_info *info, bool rtnl,
		  int kind)
{
	struct nv_net *nn = nv_net(genl_info_net(info));
	u32 changes[NETVIRT_A_CHANGES_MAX + 1] = {};
	struct nv_txn batch = { .nn = nn };
	int ret;

	nv_change_lock(nn, rtnl);
	ret = nv_change_begin(&batch, nn, info->extack);
	if (ret) {
		nv_change_unlock(&batch, NULL, rtnl, NULL);
		return ret;
	}
	info->user_ptr[0] = &batch;
	ret = doit(skb, info);
	info->user_ptr[0] = NULL;
	ret = nv_change_end(&batch, ret, false);
	changes[kind] = 1;
	nv_change_unlock(&batch, info, rtnl,
			 !ret && batch.changes ? changes : NULL);
	return ret;
}

static int event_fill(struct sk_buff *msg, u64 gen, const u32 *changes)
{
	struct nlattr *txn, *c;
	u32 n = 0;
	int i;

	for (i = 1; i <= NETVIRT_A_CHANGES_MAX; i++)
		n += changes[i];
	txn = nla_nest_start(msg, NETVIRT_A_TXN);
	if (!txn ||
	    nla_put_u64_64bit(msg, NETVIRT_A_TXN_GEN, gen, NETVIRT_A_TXN_PAD) ||
	    nla_put_u32(msg, NETVIRT_A_TXN_REQUESTS, n))
		return -EMSGSIZE;
	c = nla_nest_start(msg, NETVIRT_A_TXN_CHANGES);
	if (!c)
		return -EMSGSIZE;
	for (i = 1; i <= NETVIRT_A_CHANGES_MAX; i++)
		if (changes[i] && nla_put_u32(msg, i, changes[i]))
			return -EMSGSIZE;
	nla_nest_end(msg, c);
	nla_nest_end(msg, txn);
	return 0;
}

/**
 * nv_change_event() - tell the config group that a generation is published
 * @nn: the namespace; the caller holds its lock, so the generation is the
 *	one the change published
 * @changes: change requests per kind, NETVIRT_A_CHANGES_*
 */
void nv_change_event(struct nv_net *nn, const u32 *changes)
{
	struct sk_buff *msg;
	void *hdr;

	lockdep_assert_held(&nn->lock);
	if (!genl_has_listeners(&nv_genl_family, nn->net, NV_MCGRP_CONFIG))
		return;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &nv_genl_family, 0,
			  NETVIRT_CMD_CONFIG_EVENT);
	if (!hdr || event_fill(msg, nv_config_published(nn)->gen, changes)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&nv_genl_family, nn->net, msg, 0,
				NV_MCGRP_CONFIG, GFP_KERNEL);
}
