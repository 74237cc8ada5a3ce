// SPDX-License-Identifier: GPL-2.0
/*
 * Configuration snapshots and transactions.
 *
 * A writer holds nv_net.lock, copies the root of the published snapshot,
 * builds new objects for what it changes, and publishes the copy with
 * rcu_assign_pointer(): a reader sees the old snapshot or the new one,
 * never a mix, however many objects one transaction changes.
 *
 * Objects are not reference counted per snapshot. An object replaced or
 * removed by a commit is only reachable from older snapshots, so it is
 * retired with the snapshot it leaves and freed when that snapshot is,
 * after a grace period. A transaction that aborts frees what it created.
 * docs/architecture.md, "Object lifetimes", has the whole picture.
 */
#include <linux/slab.h>

#include <net/sock.h>

#include "config.h"
#include "genl.h"
#include "netns.h"

static struct workqueue_struct *nv_free_wq;

struct nv_txn_hooks {
	unsigned int n, size;
	struct {
		const struct nv_txn_hook_ops *ops;
		void *obj;
	} h[];
};

/* An empty snapshot, or ERR_PTR(-ENOMEM). */
struct nv_config *nv_config_create(void)
{
	struct nv_config *cfg = kvzalloc(sizeof(*cfg), GFP_KERNEL_ACCOUNT);

	return cfg ?: ERR_PTR(-ENOMEM);
}

/* Frees the objects of nv_txn_after_unlock() work never run, and the list. */
static void unlocked_drop(struct nv_retired *r)
{
	unsigned int i;

	for (i = 0; r && i < r->n; i++)
		kfree(r->obj[i].obj);
	kvfree(r);
}

/* Runs every entry's function, then frees the list. */
static void retired_free(struct nv_retired *r)
{
	unsigned int i;

	if (!r)
		return;
	for (i = 0; i < r->n; i++)
		r->obj[i].free(r->obj[i].obj);
	kvfree(r);
}

void nv_config_destroy(struct nv_config *cfg)
{
	if (!cfg)
		return;
	retired_free(cfg->retired);
	kvfree(cfg);
}

/**
 * nv_config_free_slot() - a free slot for one more object of a snapshot
 * @slots: a slot array of the snapshot (tenants, ports)
 * @n: its size
 * @used: objects in it now (nv_config.counts)
 * @limit: how many it may hold (nv_limits)
 *
 * Return: the first free slot, or -ENOSPC when none is free or @used
 * has reached @limit.
 */
int nv_config_free_slot(void *const *slots, unsigned int n, u32 used,
			u32 limit)
{
	unsigned int i;

	if (used >= limit)
		return -ENOSPC;
	for (i = 0; i < n; i++)
		if (!slots[i])
			return i;
	return -ENOSPC;
}

/**
 * nv_config_dump_slots() - dump one slot array of the published snapshot
 * @skb: the dump's message
 * @cb: the dump; cb->args[0] holds the next slot, and restarts are
 *	flagged by the generation
 * @cmd: the command of the messages
 * @fill: fills the message of one object; its ctx is the snapshot
 * @at: the object in a slot of the array, or NULL
 * @n: slots in the array
 *
 * Return: what a dumpit returns.
 */
int nv_config_dump_slots(struct sk_buff *skb, struct netlink_callback *cb,
			 u8 cmd, nv_fill_t fill, nv_slot_at_t at,
			 unsigned int n)
{
	struct nv_net *nn = nv_net(sock_net(skb->sk));
	const struct nv_config *cfg;
	unsigned int slot;
	const void *obj;
	int ret = 0;

	rcu_read_lock();
	cfg = rcu_dereference(nn->config);
	cb->seq = nv_dump_seq(cfg);
	for (slot = cb->args[0]; slot < n; slot++) {
		obj = at(cfg, slot);
		if (!obj)
			continue;
		ret = nv_genl_dump_msg(skb, cb, cmd, fill, cfg, obj);
		if (ret)
			break;
	}
	rcu_read_unlock();
	cb->args[0] = slot;
	return ret && skb->len ? skb->len : ret;
}

static void config_free_work(struct work_struct *work)
{
	nv_config_destroy(container_of(to_rcu_work(work), struct nv_config,
				       free_work));
}

/* Frees @cfg after a grace period, in process context: frees may sleep. */
void nv_config_free_deferred(struct nv_config *cfg)
{
	INIT_RCU_WORK(&cfg->free_work, config_free_work);
	queue_rcu_work(nv_free_wq, &cfg->free_work);
}

static int garbage_add(struct nv_retired **rp, void (*free)(void *),
		       void *obj)
{
	struct nv_retired *r = *rp;

	if (!r || r->n == r->size) {
		unsigned int size = r ? 2 * r->size : 8;
		struct nv_retired *n;

		n = kvmalloc(struct_size(n, obj, size), GFP_KERNEL_ACCOUNT);
		if (!n)
			return -ENOMEM;
		n->size = size;
		n->n = r ? r->n : 0;
		if (r)
			memcpy(n->obj, r->obj, r->n * sizeof(r->obj[0]));
		kvfree(r);
		*rp = r = n;
	}
	r->obj[r->n].free = free;
	r->obj[r->n].obj = obj;
	r->n++;
	return 0;
}

/**
 * nv_txn_begin() - start a transaction on a namespace's configuration
 * @txn: transaction to initialise
 * @nn: namespace state; the caller holds @nn->lock until commit or abort
 *
 * While a request runs (nv_change_run()), every transaction its handler
 * begins is a part of the request's own, nv_net.batch: it edits the same
 * private copy, its objects and hooks are the request's, its commit
 * publishes nothing and its abort aborts the request. A client
 * transaction (txn.c) runs many requests in one such transaction.
 *
 * Return: 0, or -ENOMEM when the private copy cannot be allocated.
 */
int nv_txn_begin(struct nv_txn *txn, struct nv_net *nn)
{
	struct nv_config *cur = nv_config_locked(nn);

	lockdep_assert_held(&nn->lock);

	memset(txn, 0, sizeof(*txn));
	txn->nn = nn;
	if (nn->batch) {	/* a part of the request's transaction */
		txn->parent = nn->batch;
		txn->next = nn->batch->next;
		return 0;
	}
	txn->next = nv_config_create();
	if (IS_ERR(txn->next)) {
		txn->next = NULL;
		return -ENOMEM;
	}
	txn->next->gen = cur->gen;
	txn->next->counts = cur->counts;
	memcpy(txn->next->tenants, cur->tenants, sizeof(cur->tenants));
	memcpy(txn->next->ports, cur->ports, sizeof(cur->ports));
	txn->next->host = cur->host;
	txn->next->uplink = cur->uplink;
	txn->next->nat = cur->nat;
	memcpy(txn->next->vni_slots, cur->vni_slots, sizeof(cur->vni_slots));
	return 0;
}

/* The transaction that owns the lists: the request's for a part. */
static struct nv_txn *txn_root(struct nv_txn *txn)
{
	return txn->parent ?: txn;
}

/**
 * nv_txn_retire() - free @obj once the transaction's commit is safe
 * @txn: the transaction
 * @free: destructor of @obj
 * @obj: an object of the published snapshot that the new one drops
 *
 * Call before the object is unlinked from @txn->next, so that running out
 * of memory here leaves the transaction unchanged.
 *
 * Return: 0 or -ENOMEM.
 */
int nv_txn_retire(struct nv_txn *txn, void (*free)(void *), void *obj)
{
	lockdep_assert_held(&txn->nn->lock);
	return garbage_add(&txn_root(txn)->retire, free, obj);
}

/* How far back nv_txn_drop() looks among the transaction's new objects. */
#define NV_TXN_DROP_WINDOW	32

/* Takes @obj out of @r, searching the newest @window entries; true if found. */
static bool garbage_take(struct nv_retired *r, void (*free)(void *),
			 void *obj, unsigned int window)
{
	unsigned int i, last;

	if (!r)
		return false;
	last = r->n > window ? r->n - window : 0;
	for (i = r->n; i-- > last;) {
		if (r->obj[i].obj != obj || r->obj[i].free != free)
			continue;
		memmove(&r->obj[i], &r->obj[i + 1],
			(r->n - i - 1) * sizeof(r->obj[0]));
		r->n--;
		return true;
	}
	return false;
}

/**
 * nv_txn_drop() - an object leaves the configuration the transaction builds
 * @txn: the transaction
 * @free: destructor of @obj
 * @obj: an object @txn->next no longer uses: unlinked from it, or about
 *	to be, with every error until then aborting the whole transaction
 *	(an abort never reads @txn->next)
 *
 * A version this transaction created and has now replaced was never
 * published: no reader can hold it, and it is freed at once, so that a
 * transaction of many requests keeps the last version of each object
 * and not every one in between. It is found among the newest
 * NV_TXN_DROP_WINDOW objects of the transaction (the version a request
 * replaces is nearly always the one the request before it made), which
 * bounds the search; any other object is retired (nv_txn_retire()) and
 * freed with the snapshot it leaves, or with the transaction if it
 * aborts.
 *
 * Return: 0 or -ENOMEM (for a retired object).
 */
int nv_txn_drop(struct nv_txn *txn, void (*free)(void *), void *obj)
{
	lockdep_assert_held(&txn->nn->lock);
	if (!garbage_take(txn_root(txn)->created, free, obj,
			  NV_TXN_DROP_WINDOW))
		return nv_txn_retire(txn, free, obj);
	free(obj);
	return 0;
}

/**
 * nv_txn_created() - hand a new object to the transaction
 * @txn: the transaction
 * @free: destructor of @obj
 * @obj: a new object, to be linked into @txn->next
 *
 * The transaction owns @obj from this call on, on every path: an abort
 * frees it, and so does this function when it fails. The caller never
 * frees @obj itself, and does not touch it after an error.
 *
 * Return: 0, or -ENOMEM with @obj freed.
 */
int nv_txn_created(struct nv_txn *txn, void (*free)(void *), void *obj)
{
	int ret;

	lockdep_assert_held(&txn->nn->lock);
	ret = garbage_add(&txn_root(txn)->created, free, obj);
	if (ret)
		free(obj);
	return ret;
}

/**
 * nv_txn_after_commit() - run @fn(@obj) right after the commit publishes
 * @txn: the transaction
 * @fn: what to run, under the writer's locks; never run on abort
 * @obj: its argument
 *
 * For what must not happen before the new snapshot is visible, such as
 * detaching a device whose port the snapshot removes.
 *
 * Return: 0 or -ENOMEM.
 */
int nv_txn_after_commit(struct nv_txn *txn, void (*fn)(void *), void *obj)
{
	lockdep_assert_held(&txn->nn->lock);
	return garbage_add(&txn_root(txn)->after, fn, obj);
}

/**
 * nv_txn_after_unlock() - run @fn(@obj) after the commit, out of RTNL
 * @txn: the transaction
 * @fn: what to run, under nv_net.lock only; it frees @obj
 * @obj: its argument, kmalloc()ed: an abort kfree()s it, @fn unrun
 *
 * For slow work that must follow the publication but not hold RTNL, such
 * as waiting for conntrack to forget a deleted tenant's zone.
 *
 * Return: 0, or -ENOMEM with @obj freed.
 */
int nv_txn_after_unlock(struct nv_txn *txn, void (*fn)(void *), void *obj)
{
	int ret;

	lockdep_assert_held(&txn->nn->lock);
	ret = garbage_add(&txn_root(txn)->unlocked, fn, obj);
	if (ret)
		kfree(obj);
	return ret;
}

/**
 * nv_txn_run_unlocked() - run the work nv_txn_after_unlock() deferred
 * @txn: a committed transaction; the caller holds nv_net.lock, not RTNL
 */
void nv_txn_run_unlocked(struct nv_txn *txn)
{
	lockdep_assert_held(&txn->nn->lock);
	retired_free(txn->unlocked);
	txn->unlocked = NULL;
}

/**
 * nv_txn_hook() - have @obj prepared, then committed or aborted, with @txn
 * @txn: the transaction
 * @ops: what to call
 * @obj: the object; registering it again with the same @ops is a no-op
 *
 * Return: 0 or -ENOMEM. On error the caller aborts the transaction, and
 * aborts @obj itself if it staged changes in it.
 */
int nv_txn_hook(struct nv_txn *txn, const struct nv_txn_hook_ops *ops,
		void *obj)
{
	struct nv_txn_hooks *h, *n;
	unsigned int i, size;

	lockdep_assert_held(&txn->nn->lock);
	txn = txn_root(txn);
	h = txn->hooks;

	for (i = 0; h && i < h->n; i++)
		if (h->h[i].obj == obj && h->h[i].ops == ops)
			return 0;
	if (!h || h->n == h->size) {
		size = h ? 2 * h->size : 4;
		n = kvmalloc(struct_size(n, h, size), GFP_KERNEL_ACCOUNT);
		if (!n)
			return -ENOMEM;
		n->size = size;
		n->n = h ? h->n : 0;
		if (h)
			memcpy(n->h, h->h, h->n * sizeof(h->h[0]));
		kvfree(h);
		h = n;
		txn->hooks = h;
	}
	h->h[h->n].ops = ops;
	h->h[h->n].obj = obj;
	h->n++;
	return 0;
}

/**
 * nv_txn_prepare() - prepare the hooked objects ahead of the commit
 * @txn: the transaction
 *
 * For a caller with a step that must come after everything that can fail
 * and before the commit. On error the caller aborts the transaction. A
 * part prepares nothing: the request's transaction prepares at its commit,
 * and undoes such steps if that fails (their objects' destructors do).
 *
 * Return: 0 or the first error of a prepare.
 */
int nv_txn_prepare(struct nv_txn *txn)
{
	struct nv_txn_hooks *h = txn->hooks;
	unsigned int i;
	int ret;

	lockdep_assert_held(&txn->nn->lock);
	if (txn->parent)
		return 0;

	for (i = 0; !txn->prepared && h && i < h->n; i++) {
		ret = h->h[i].ops->prepare(h->h[i].obj, txn->extack);
		if (ret)
			return ret;
	}
	txn->prepared = true;
	return 0;
}

/*
 * Ends every hook with commit, in order, or abort, newest first: a later
 * part may have built on what an earlier one staged (a device handed
 * from port to port), and undoes its step first.
 */
static void hooks_end(struct nv_txn_hooks *h, bool commit)
{
	const struct nv_txn_hook_ops *ops;
	unsigned int i, j;

	for (i = 0; h && i < h->n; i++) {
		j = commit ? i : h->n - 1 - i;
		ops = h->h[j].ops;
		if (commit && ops->commit)
			ops->commit(h->h[j].obj);
		else if (!commit && ops->abort)
			ops->abort(h->h[j].obj);
	}
	kvfree(h);
}

/**
 * nv_txn_commit() - publish a transaction's copy as the next generation
 * @txn: transaction started by nv_txn_begin()
 *
 * Prepares the hooked objects first; if one fails, the transaction is
 * aborted. Past that point nothing can fail, so a change is either wholly
 * published or not at all.
 *
 * Return: 0, or the error of a failed prepare (the transaction aborted).
 */
int nv_txn_commit(struct nv_txn *txn)
{
	struct nv_net *nn = txn->nn;
	struct nv_config *old;
	int ret;

	lockdep_assert_held(&nn->lock);
	if (txn->parent) {	/* the request's commit publishes */
		txn->parent->changes++;
		txn->next = NULL;
		return 0;
	}

	ret = nv_txn_prepare(txn);
	if (ret) {
		nv_txn_abort(txn);
		return ret;
	}

	old = nv_config_published(nn);
	txn->next->gen = old->gen + 1;
	rcu_assign_pointer(nn->config, txn->next);
	old->retired = txn->retire;
	hooks_end(txn->hooks, true);
	kvfree(txn->created);
	retired_free(txn->after);
	txn->next = NULL;
	txn->retire = NULL;
	txn->created = NULL;
	txn->after = NULL;
	txn->hooks = NULL;
	nv_config_free_deferred(old);
	return 0;
}

/**
 * nv_txn_finish() - commit a transaction whose changes succeeded, or abort
 * @txn: transaction started by nv_txn_begin()
 * @ret: the result of the changes: 0 to commit, an error to abort
 *
 * Return: @ret, or the result of the commit.
 */
int nv_txn_finish(struct nv_txn *txn, int ret)
{
	if (ret) {
		nv_txn_abort(txn);
		return ret;
	}
	return nv_txn_commit(txn);
}

/**
 * nv_txn_abort() - drop a transaction; the published snapshot is untouched
 * @txn: transaction started by nv_txn_begin()
 */
void nv_txn_abort(struct nv_txn *txn)
{
	lockdep_assert_held(&txn->nn->lock);
	if (txn->parent) {	/* the request's abort undoes it */
		txn->parent->failed = true;
		txn->next = NULL;
		return;
	}

	/* Undo staged changes before freeing what they point to. */
	hooks_end(txn->hooks, false);
	retired_free(txn->created);
	unlocked_drop(txn->unlocked);
	kvfree(txn->retire);
	kvfree(txn->after);
	kvfree(txn->next);
	kfree_skb(txn->reply);
	txn->next = NULL;
	txn->retire = NULL;
	txn->created = NULL;
	txn->after = NULL;
	txn->unlocked = NULL;
	txn->hooks = NULL;
	txn->reply = NULL;
}

int nv_config_init(void)
{
	nv_free_wq = alloc_workqueue("netvirt_free", WQ_UNBOUND, 0);
	return nv_free_wq ? 0 : -ENOMEM;
}

/* Waits for every deferred free; call once nothing queues any more. */
void nv_config_uninit(void)
{
	rcu_barrier();
	destroy_workqueue(nv_free_wq);
	/* The frees above may have queued RCU callbacks of their own. */
	rcu_barrier();
}
