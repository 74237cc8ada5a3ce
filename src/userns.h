/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NV_USERNS_H
#define _NV_USERNS_H

#include <linux/netlink.h>
#include <net/net_namespace.h>

struct nv_net;

int nv_userns_enter(struct net *net, struct netlink_ext_ack *extack);
void nv_userns_leave(struct net *net);
void nv_userns_release(struct nv_net *nn);

#endif /* _NV_USERNS_H */
