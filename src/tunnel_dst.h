/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NV_TUNNEL_DST_H
#define _NV_TUNNEL_DST_H

#include <linux/in6.h>
#include <linux/types.h>

struct metadata_dst;
struct nv_host;

struct metadata_dst *nv_tunnel_dst_get(struct nv_host *host,
				       const struct in6_addr *remote, u32 vni,
				       u8 tos, bool df);
void nv_tunnel_dst_release(struct nv_host *host);

#endif /* _NV_TUNNEL_DST_H */
