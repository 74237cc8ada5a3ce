// SPDX-License-Identifier: GPL-2.0
/*
 * The tunnel metadata a host sends with, made once per key and shared by
 * the packets of that key.
 *
 * A host sends with few keys (remote, VNI, outer TOS, DF), and a metadata
 * dst made for one carries the route to the remote in its dst_cache: a
 * packet takes a reference to the one made for its key instead of an
 * allocation, a route lookup and an RCU callback of its own.
 * nv_host.tx_dst holds them, NV_TUNNEL_DST_SLOTS slots by hash of the key.
 *
 * Who writes it: the packet path, nv_tunnel_dst_get(), in softirq under
 * RCU, on any CPU, without a lock - the one part of a published (so
 * otherwise immutable) host version that changes. Configuration never
 * writes a published table.
 *
 * When: on a miss, that is when a slot is empty, holds another key, or
 * holds an entry whose last reference is gone. A slot another key took
 * less than NV_TUNNEL_DST_TURN ago is left to it: the packet gets
 * metadata of its own, without a route cache, so that keys that collide
 * do not replace each other (a per-CPU allocation each) per packet.
 *
 * Why concurrent readers are safe: an entry is complete before it is
 * published, and never changes after but for its reference count (and its
 * dst_cache, per CPU and made for this). A writer replaces a slot's
 * pointer whole, with xchg(), so each entry leaves the table once and the
 * table's reference to it is dropped once, by whoever replaced it. A
 * reader that loaded the old pointer still holds RCU, and dst memory is
 * freed after a grace period: it takes its reference only if the entry
 * still has one (dst_hold_safe()), else it makes its own.
 *
 * When it is invalidated: with its host version. Changing the host's
 * settings publishes a new version with an empty table; the old one's
 * references are dropped by nv_tunnel_dst_release() when the version is
 * freed, after the grace period that follows the change. An entry whose
 * key no packet uses any more stays until then or until another key takes
 * its slot; a stale route in its dst_cache is checked by the tunnel
 * driver, as for any dst_cache.
 */
#include <linux/jhash.h>
#include <net/dst_metadata.h>
#include <net/ipv6.h>

#include "compat.h"
#include "host.h"
#include "tunnel_dst.h"

/* The outer header's TTL or hop limit. */
#define NV_TUNNEL_TTL	64

static void tunnel_key(struct ip_tunnel_info *info, const struct nv_host *host,
		       const struct in6_addr *remote, u32 vni, u8 tos, bool df,
		       bool cache)
{
	struct ip_tunnel_key *key = &info->key;

	info->mode = IP_TUNNEL_INFO_TX;
	if (host->v6) {
		info->mode |= IP_TUNNEL_INFO_IPV6;
		key->u.ipv6.src = host->underlay;
		key->u.ipv6.dst = *remote;
	} else {
		key->u.ipv4.src = host->underlay.s6_addr32[3];
		key->u.ipv4.dst = remote->s6_addr32[3];
	}
	key->tun_id = key32_to_tunnel_id(cpu_to_be32(vni));
	key->tos = tos;
	key->ttl = NV_TUNNEL_TTL;
	key->tp_dst = htons(host->tun->port);
	nv_tun_key_flags(key, df, cache);
}

static bool tunnel_dst_is(const struct metadata_dst *md,
			  const struct nv_host *host,
			  const struct in6_addr *remote, u32 vni, u8 tos,
			  bool df)
{
	const struct ip_tunnel_key *key = &md->u.tun_info.key;

	if (key->tun_id != key32_to_tunnel_id(cpu_to_be32(vni)) ||
	    key->tos != tos || nv_tun_df(key) != df)
		return false;
	return host->v6 ? ipv6_addr_equal(&key->u.ipv6.dst, remote) :
			  key->u.ipv4.dst == remote->s6_addr32[3];
}

/*
 * New metadata for a key, with the caller's reference; @slot, when given,
 * gets it too, with a route cache.
 */
static struct metadata_dst *
tunnel_dst_make(const struct nv_host *host, struct metadata_dst __rcu **slot,
		const struct in6_addr *remote, u32 vni, u8 tos, bool df)
{
	struct metadata_dst *md, *old;
	bool cache;

	md = metadata_dst_alloc(0, METADATA_IP_TUNNEL, GFP_ATOMIC);
	if (!md)
		return NULL;
	cache = slot && !dst_cache_init(&md->u.tun_info.dst_cache, GFP_ATOMIC);
	tunnel_key(&md->u.tun_info, host, remote, vni, tos, df, cache);
	if (!slot)
		return md;
	dst_hold(&md->dst);
	old = unrcu_pointer(xchg(slot, RCU_INITIALIZER(md)));
	if (old)
		dst_release(&old->dst);
	return md;
}

/**
 * nv_tunnel_dst_get() - the tunnel metadata for a packet's key
 * @host: this host's version in the packet's snapshot
 * @remote: the remote hypervisor's underlay address (IPv4 v4-mapped), of
 *	the underlay's family
 * @vni: the tenant's VNI
 * @tos: the outer DSCP
 * @df: the outer header must not be fragmented
 *
 * Softirq, under RCU.
 *
 * Return: the metadata, with a reference for the packet, or NULL without
 * memory.
 */
struct metadata_dst *nv_tunnel_dst_get(struct nv_host *host,
				       const struct in6_addr *remote, u32 vni,
				       u8 tos, bool df)
{
	u32 h = jhash_3words(ipv6_addr_hash(remote), vni, tos << 1 | df, 0);
	struct metadata_dst __rcu **slot;
	struct metadata_dst *md;

	slot = &host->tx_dst[h & (NV_TUNNEL_DST_SLOTS - 1)];
	md = rcu_dereference(*slot);
	if (md && tunnel_dst_is(md, host, remote, vni, tos, df) &&
	    dst_hold_safe(&md->dst))
		return md;
	/* Made then: metadata dsts are never "used" after. */
	if (md && time_before(jiffies, md->dst.lastuse + NV_TUNNEL_DST_TURN))
		slot = NULL;
	return tunnel_dst_make(host, slot, remote, vni, tos, df);
}

/**
 * nv_tunnel_dst_release() - drop a host version's tunnel metadata
 * @host: a host version no reader can reach any more
 */
void nv_tunnel_dst_release(struct nv_host *host)
{
	struct metadata_dst *md;
	unsigned int i;

	for (i = 0; i < NV_TUNNEL_DST_SLOTS; i++) {
		md = rcu_dereference_protected(host->tx_dst[i], true);
		if (md)
			dst_release(&md->dst);
	}
}
