/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NV_ROUTE_H
#define _NV_ROUTE_H

#include <linux/in6.h>
#include <linux/skbuff.h>
#include <net/genetlink.h>

#include "config.h"

struct nv_tenant;

/**
 * struct nv_nexthop - where a route sends a packet
 * @to_port: a local port's next hop
 * @uplink: the host's uplink (NAT); neither: a remote hypervisor's
 * @port_slot: the local port's slot, for a port next hop
 * @host: the remote hypervisor's underlay address (IPv4 v4-mapped)
 */
struct nv_nexthop {
	bool to_port;
	bool uplink;
	u16 port_slot;
	struct in6_addr host;
};

/**
 * struct nv_route - one route; immutable once published
 * @dst: destination prefix (IPv4 v4-mapped)
 * @id: key of the route in the tenant's route store
 * @v6: an IPv6 route
 * @plen: prefix length in the family's terms
 * @type: enum netvirt_route_type
 * @origin: enum netvirt_route_origin
 * @n_nh: next hops in @nh; a hash of the flow picks one
 * @nh: next hops
 */
struct nv_route {
	struct in6_addr dst;
	u32 id;
	bool v6;
	u8 plen;
	u8 type;
	u8 origin;
	u8 n_nh;
	struct nv_nexthop nh[];
};

struct nv_routes;

struct nv_net;

struct nv_routes *nv_routes_create(struct nv_net *nn);
void nv_routes_destroy(struct nv_routes *routes);
u32 nv_routes_count(const struct nv_routes *routes);

const struct nv_route *nv_route_lookup(const struct nv_routes *routes,
				       const struct in6_addr *dst, bool v6);
const struct nv_route *nv_route_lookup_writer(const struct nv_routes *r,
					      const struct in6_addr *dst,
					      bool v6);
const struct nv_route *nv_route_find(const struct nv_routes *routes,
				     const struct in6_addr *dst, bool v6,
				     u8 plen);

int nv_route_limit(const struct nv_config *cfg, const struct nv_routes *routes,
		   unsigned int n, struct netlink_ext_ack *extack);
int nv_route_add_port(struct nv_txn *txn, struct nv_tenant *t,
		      struct nv_routes **routes, const struct in6_addr *addr,
		      bool v6, u16 port_slot);
int nv_routes_remove_port(struct nv_txn *txn, struct nv_routes **routes,
			  u16 port_slot);
u32 nv_routes_port_users(const struct nv_routes *routes, u16 port_slot);

int nv_route_new_doit(struct sk_buff *skb, struct genl_info *info);
int nv_route_del_doit(struct sk_buff *skb, struct genl_info *info);
int nv_route_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);

#endif /* _NV_ROUTE_H */
