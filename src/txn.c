// SPDX-License-Identifier: GPL-2.0
/*
 * Client transactions: many change requests published as one change.
 *
 * TXN_BEGIN opens a transaction for the socket that sends it. Each change
 * request that socket sends afterwards has passed the family's policy
 * when it reaches nv_txn_stage(), which keeps a copy of the message and
 * acknowledges it. TXN_COMMIT takes the writer locks once and runs the
 * copies, in order, through their handlers inside one request
 * transaction (change.c): each sees what those before it changed, the
 * limits apply to the result, and one generation is published - or, at
 * the first error, nothing. The requests are judged at the commit, on the
 * configuration of that moment, and the optional generation check makes
 * "on the configuration I read" explicit (as nftables' batch genid).
 *
 * A transaction belongs to its socket and its namespace. It ends with its
 * commit, its abort, the socket's close (the NETLINK_URELEASE notifier
 * below) or the namespace's exit. Its copies are charged to the sender's
 * memory cgroup and bounded by NV_MAX_TXN_REQUESTS and NV_MAX_TXN_BYTES.
 */
#include <linux/list.h>
#include <linux/notifier.h>
#include <linux/slab.h>
#include <net/genetlink.h>

#include "change.h"
#include "compat.h"
#include "genl.h"
#include "limits.h"
#include "netns.h"

/**
 * struct nv_client_txn - a socket's open transaction
 * @node: in nv_net.txns
 * @portid: the socket
 * @n: requests staged
 * @size: entries of @reqs allocated
 * @bytes: bytes of the staged messages
 * @rtnl: a staged request needs RTNL: the commit takes it
 * @reqs: copies of the staged messages, in the order they came
 */
struct nv_client_txn {
	struct list_head node;
	u32 portid;
	u32 n;
	u32 size;
	size_t bytes;
	bool rtnl;
	struct nlmsghdr **reqs;
};

static struct nv_client_txn *txn_find(struct nv_net *nn, u32 portid)
{
	struct nv_client_txn *ct;

	lockdep_assert_held(&nn->lock);
	list_for_each_entry(ct, &nn->txns, node)
		if (ct->portid == portid)
			return ct;
	return NULL;
}

static void txn_unlink(struct nv_net *nn, struct nv_client_txn *ct)
{
	lockdep_assert_held(&nn->lock);
	list_del(&ct->node);
	nn->n_txns--;
}

static void txn_free(struct nv_client_txn *ct)
{
	u32 i;

	for (i = 0; i < ct->n; i++)
		kvfree(ct->reqs[i]);
	kvfree(ct->reqs);
	kfree(ct);
}

/**
 * nv_txn_flush() - drop the transaction of a socket, or every one
 * @nn: the namespace; the caller holds its lock
 * @portid: the socket, or 0 for every transaction of the namespace
 */
void nv_txn_flush(struct nv_net *nn, u32 portid)
{
	struct nv_client_txn *ct, *tmp;

	lockdep_assert_held(&nn->lock);
	list_for_each_entry_safe(ct, tmp, &nn->txns, node) {
		if (portid && ct->portid != portid)
			continue;
		txn_unlink(nn, ct);
		txn_free(ct);
	}
}

int nv_txn_begin_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nv_net *nn = nv_net(genl_info_net(info));
	struct nv_client_txn *ct;
	int ret = 0;

	ct = kzalloc(sizeof(*ct), GFP_KERNEL_ACCOUNT);
	if (!ct)
		return -ENOMEM;
	ct->portid = info->snd_portid;
	mutex_lock(&nn->lock);
	if (txn_find(nn, ct->portid)) {
		GENL_SET_ERR_MSG(info, "a transaction is open on this socket already");
		ret = -EBUSY;
	} else if (nn->n_txns == NV_MAX_TXNS) {
		GENL_SET_ERR_MSG(info, "too many open transactions in the namespace");
		ret = -ENOSPC;
	} else {
		list_add_tail(&ct->node, &nn->txns);
		nn->n_txns++;
	}
	if (ret)
		kfree(ct);
	mutex_unlock(&nn->lock);
	return ret;
}

int nv_txn_abort_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nv_net *nn = nv_net(genl_info_net(info));
	struct nv_client_txn *ct;

	mutex_lock(&nn->lock);
	ct = txn_find(nn, info->snd_portid);
	if (ct) {
		txn_unlink(nn, ct);
		txn_free(ct);
	}
	mutex_unlock(&nn->lock);
	if (!ct) {
		GENL_SET_ERR_MSG(info, "no transaction is open on this socket");
		return -ENOENT;
	}
	return 0;
}

/* Room for one more request in @ct, or an error with a message. */
static int txn_room(struct nv_client_txn *ct, u32 len,
		    struct netlink_ext_ack *extack)
{
	struct nlmsghdr **reqs;
	u32 size;

	if (ct->n == NV_MAX_TXN_REQUESTS) {
		NL_SET_ERR_MSG(extack, "too many requests in the transaction; commit it");
		return -ENOSPC;
	}
	if (ct->bytes + len > NV_MAX_TXN_BYTES) {
		NL_SET_ERR_MSG(extack, "too many bytes in the transaction; commit it");
		return -E2BIG;
	}
	if (ct->n < ct->size)
		return 0;
	size = ct->size ? 2 * ct->size : 16;
	reqs = kvmalloc_array(size, sizeof(*reqs), GFP_KERNEL_ACCOUNT);
	if (!reqs)
		return -ENOMEM;
	if (ct->n)
		memcpy(reqs, ct->reqs, ct->n * sizeof(*reqs));
	kvfree(ct->reqs);
	ct->reqs = reqs;
	ct->size = size;
	return 0;
}

/**
 * nv_txn_stage() - keep a change request for its socket's transaction
 * @info: the request, checked against the policy
 * @rtnl: it needs RTNL (struct nv_cmd)
 *
 * Return: 1 when staged, 0 when the socket has no transaction open (the
 * caller runs the request now), or a negative errno with a message.
 */
int nv_txn_stage(struct genl_info *info, bool rtnl)
{
	struct nv_net *nn = nv_net(genl_info_net(info));
	u32 len = info->nlhdr->nlmsg_len;
	struct nv_client_txn *ct;
	struct nlmsghdr *copy;
	int ret;

	mutex_lock(&nn->lock);
	ct = txn_find(nn, info->snd_portid);
	ret = ct ? txn_room(ct, len, info->extack) : 0;
	if (!ct || ret)
		goto out;
	/* A part of a load fills a socket's send buffer: no kmalloc() order. */
	copy = kvmalloc(len, GFP_KERNEL_ACCOUNT);
	ret = -ENOMEM;
	if (!copy)
		goto out;
	memcpy(copy, info->nlhdr, len);
	ct->reqs[ct->n++] = copy;
	ct->bytes += len;
	ct->rtnl |= rtnl;
	ret = 1;
out:
	mutex_unlock(&nn->lock);
	return ret;
}

/* Puts the message of @inner, the failed request's, in @outer. */
static void fault_msg(struct netlink_ext_ack *outer,
		      const struct netlink_ext_ack *inner)
{
	if (!inner->_msg)
		return;
#ifdef NL_SET_ERR_MSG_FMT
	/* The message may be in @inner's own buffer: copy it. */
	NL_SET_ERR_MSG_FMT(outer, "%s", inner->_msg);
#else
	NV_SET_ERR_MSG_STR(outer, inner->_msg);
#endif
}

/* Names request @index, @nlh, as the one that failed, and why. */
static void txn_fault(struct genl_info *info, u32 index,
		      const struct nlmsghdr *nlh,
		      const struct netlink_ext_ack *inner)
{
	struct netvirt_txn_fault fault = {
		.index = index,
		.seq = nlh->nlmsg_seq,
	};
	const u8 *bad = (const u8 *)inner->bad_attr;

	BUILD_BUG_ON(sizeof(fault) > NETLINK_MAX_COOKIE_LEN);
	if (bad > (const u8 *)nlh && bad < (const u8 *)nlh + nlh->nlmsg_len)
		fault.offset = bad - (const u8 *)nlh;
	fault_msg(info->extack, inner);
	memcpy(info->extack->cookie, &fault, sizeof(fault));
	info->extack->cookie_len = sizeof(fault);
}

/*
 * Runs staged request @nlh through its handler, as the socket's own
 * request, inside @batch. Its reply, if any, is dropped: the commit's
 * reply says what the transaction did.
 */
static int txn_replay(struct nv_txn *batch, struct sk_buff *skb,
		      struct genl_info *info, struct nlmsghdr *nlh,
		      struct nlattr **attrs, struct netlink_ext_ack *extack,
		      u32 *changes)
{
	struct genlmsghdr *hdr = nlmsg_data(nlh);
	const struct nv_cmd *cmd = nv_genl_cmd(hdr->cmd);
	struct genl_info ri = *info;
	int ret;

	if (WARN_ON_ONCE(!cmd))
		return -EINVAL;
	ret = nlmsg_parse(nlh, GENL_HDRLEN, attrs, NETVIRT_A_MAX,
			  nv_genl_policy, extack);
	if (ret)
		return ret;
	/* The family has no user header (hdrsize 0): nothing reads userhdr. */
	ri.snd_seq = nlh->nlmsg_seq;
	ri.nlhdr = nlh;
	ri.genlhdr = hdr;
	ri.attrs = attrs;
	ri.extack = extack;
	ri.user_ptr[0] = batch;
	ret = cmd->doit(skb, &ri);
	kfree_skb(batch->reply);
	batch->reply = NULL;
	if (!ret)
		changes[cmd->kind]++;
	return ret;
}

/* The commit's reply: the generation and how many requests it applied. */
static struct sk_buff *commit_reply(struct nv_net *nn, struct genl_info *info,
				    u32 n)
{
	struct sk_buff *msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	struct nlattr *nest;
	void *hdr;

	if (!msg)
		return NULL;
	hdr = genlmsg_put_reply(msg, info, &nv_genl_family, 0,
				NETVIRT_CMD_TXN_COMMIT);
	nest = hdr ? nla_nest_start(msg, NETVIRT_A_TXN) : NULL;
	if (!nest ||
	    nla_put_u64_64bit(msg, NETVIRT_A_TXN_GEN,
			      nv_config_published(nn)->gen, NETVIRT_A_TXN_PAD) ||
	    nla_put_u32(msg, NETVIRT_A_TXN_REQUESTS, n)) {
		nlmsg_free(msg);
		return NULL;
	}
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	return msg;
}

/* Refuses a commit made on a generation that is not the current one. */
static int txn_gen_check(struct nv_net *nn, struct nlattr **tb,
			 struct netlink_ext_ack *extack)
{
	u64 cur = nv_config_published(nn)->gen;

	if (!tb[NETVIRT_A_TXN_GEN] || nla_get_u64(tb[NETVIRT_A_TXN_GEN]) == cur)
		return 0;
	NV_SET_ERR_MSG_FMT(extack,
			   "stale generation: the configuration changed since it was read",
			   "generation %llu is stale: the configuration is at generation %llu",
			   nla_get_u64(tb[NETVIRT_A_TXN_GEN]), cur);
	NL_SET_BAD_ATTR(extack, tb[NETVIRT_A_TXN_GEN]);
	return -ESTALE;
}

/* Runs @ct's requests in one request transaction; see the top. */
static int txn_commit(struct nv_net *nn, struct nv_client_txn *ct,
		      struct sk_buff *skb, struct genl_info *info,
		      struct nlattr **tb, bool check)
{
	u32 changes[NETVIRT_A_CHANGES_MAX + 1] = {};
	struct nv_txn batch = { .nn = nn };
	struct netlink_ext_ack inner;
	struct nlattr **attrs;
	int ret;
	u32 i;

	attrs = kmalloc_array(NETVIRT_A_MAX + 1, sizeof(*attrs), GFP_KERNEL);
	if (!attrs)
		return -ENOMEM;
	nv_change_lock(nn, ct->rtnl);
	ret = txn_gen_check(nn, tb, info->extack) ?:
	      nv_change_begin(&batch, nn, info->extack);
	if (ret) {
		nv_change_unlock(&batch, NULL, ct->rtnl, NULL);
		kfree(attrs);
		return ret;
	}
	for (i = 0; i < ct->n && !ret; i++) {
		memset(&inner, 0, sizeof(inner));
		ret = txn_replay(&batch, skb, info, ct->reqs[i], attrs, &inner,
				 changes);
		if (ret)
			txn_fault(info, i, ct->reqs[i], &inner);
	}
	ret = nv_change_end(&batch, ret, check);
	if (!ret)
		batch.reply = commit_reply(nn, info, ct->n);
	nv_change_unlock(&batch, info, ct->rtnl,
			 !ret && !check && batch.changes ? changes : NULL);
	kfree(attrs);
	return ret;
}

int nv_txn_commit_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nv_net *nn = nv_net(genl_info_net(info));
	struct nlattr *tb[NETVIRT_A_TXN_MAX + 1] = {};
	struct nv_client_txn *ct;
	bool check = false;
	int ret;

	if (info->attrs[NETVIRT_A_TXN]) {
		ret = nla_parse_nested(tb, NETVIRT_A_TXN_MAX,
				       info->attrs[NETVIRT_A_TXN],
				       nv_txn_policy, info->extack);
		if (ret)
			return ret;
	}
	if (tb[NETVIRT_A_TXN_FLAGS])
		check = nla_get_u32(tb[NETVIRT_A_TXN_FLAGS]) &
			NETVIRT_TXN_F_CHECK;
	/* The transaction ends here, whatever the commit does. */
	mutex_lock(&nn->lock);
	ct = txn_find(nn, info->snd_portid);
	if (ct)
		txn_unlink(nn, ct);
	mutex_unlock(&nn->lock);
	if (!ct) {
		GENL_SET_ERR_MSG(info, "no transaction is open on this socket");
		return -ENOENT;
	}
	ret = txn_commit(nn, ct, skb, info, tb, check);
	txn_free(ct);
	return ret;
}

/*
 * A generic netlink socket was closed: its transaction goes with it. No
 * request of it runs any more, so it cannot begin one while we look
 * without the lock.
 */
static int txn_urelease(struct notifier_block *nb, unsigned long event,
			void *ptr)
{
	struct netlink_notify *n = ptr;
	struct nv_net *nn;

	if (event != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC ||
	    !n->portid)
		return NOTIFY_DONE;
	nn = nv_net(n->net);
	if (list_empty_careful(&nn->txns))
		return NOTIFY_DONE;
	mutex_lock(&nn->lock);
	nv_txn_flush(nn, n->portid);
	mutex_unlock(&nn->lock);
	return NOTIFY_DONE;
}

static struct notifier_block nv_txn_notifier = {
	.notifier_call = txn_urelease,
};

/**
 * nv_txn_notifier_register() - drop transactions with their sockets
 *
 * Return: 0, or a negative errno.
 */
int nv_txn_notifier_register(void)
{
	return netlink_register_notifier(&nv_txn_notifier);
}

/**
 * nv_txn_notifier_unregister() - undo nv_txn_notifier_register()
 */
void nv_txn_notifier_unregister(void)
{
	netlink_unregister_notifier(&nv_txn_notifier);
}
