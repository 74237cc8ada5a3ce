/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NV_CHANGE_H
#define _NV_CHANGE_H

#include <linux/types.h>

struct genl_info;
struct netlink_ext_ack;
struct nv_net;
struct nv_txn;
struct sk_buff;

void nv_change_lock(struct nv_net *nn, bool rtnl);
int nv_change_begin(struct nv_txn *batch, struct nv_net *nn,
		    struct netlink_ext_ack *extack);
int nv_change_end(struct nv_txn *batch, int ret, bool check);
void nv_change_unlock(struct nv_txn *batch, struct genl_info *info,
		      bool rtnl, const u32 *changes);
bool nv_change_reply(struct genl_info *info, struct sk_buff *msg);
void nv_change_announce(struct nv_net *nn);
void nv_change_event(struct nv_net *nn, const u32 *changes);
int nv_change_notified(struct nv_net *nn,
		       int (*change)(struct nv_net *nn, void *arg), void *arg,
		       int kind);
int nv_change_run(int (*doit)(struct sk_buff *skb, struct genl_info *info),
		  struct sk_buff *skb, struct genl_info *info, bool rtnl,
		  int kind);

int nv_txn_stage(struct genl_info *info, bool rtnl);
int nv_txn_begin_doit(struct sk_buff *skb, struct genl_info *info);
int nv_txn_commit_doit(struct sk_buff *skb, struct genl_info *info);
int nv_txn_abort_doit(struct sk_buff *skb, struct genl_info *info);
void nv_txn_flush(struct nv_net *nn, u32 portid);
int nv_txn_notifier_register(void);
void nv_txn_notifier_unregister(void);

#endif /* _NV_CHANGE_H */
