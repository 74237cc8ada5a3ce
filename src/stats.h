/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NV_STATS_H
#define _NV_STATS_H

#include <linux/kref.h>
#include <linux/percpu.h>
#include <linux/u64_stats_sync.h>
#include <net/netlink.h>

#include "netvirt.h"

/* Counters, by index. Drops follow, one per enum netvirt_drop_reason. */
enum nv_counter {
	NV_RX_PACKETS,
	NV_RX_BYTES,
	NV_TX_PACKETS,
	NV_TX_BYTES,
	NV_ARP_REPLIES,
	NV_ND_REPLIES,
	NV_ICMP_ERRORS,
	NV_DROPS,
	NV_COUNTERS = NV_DROPS + NETVIRT_DROP_MAX + 1
};

/* A token bucket of one CPU. */
struct nv_bucket {
	unsigned long stamp;
	u32 tokens;
};

/*
 * Counters of one CPU; only that CPU writes them, in softirq. The token
 * buckets limiting ICMP errors and firewall log events live here too:
 * per object and per CPU.
 */
struct nv_pcpu_stats {
	struct u64_stats_sync syncp;
	u64_stats_t c[NV_COUNTERS];
	struct nv_bucket icmp;
	struct nv_bucket log;
};

/* Takes a token of @b, refilled at @rate per second up to @burst. */
static inline bool nv_bucket_take(struct nv_bucket *b, u32 rate, u32 burst)
{
	unsigned long elapsed = min_t(unsigned long, jiffies - b->stamp, HZ);

	if (elapsed * rate >= HZ) {
		b->stamp = jiffies;
		b->tokens = min_t(unsigned long, burst,
				  b->tokens + elapsed * rate / HZ);
	}
	if (!b->tokens)
		return false;
	b->tokens--;
	return true;
}

/**
 * struct nv_stats - counters of a tenant or a port
 * @ref: held by every configuration version of the object, so the
 *	counters outlive configuration changes
 * @pcpu: per-CPU counters
 * @rcu: frees the counters after the last reader
 */
struct nv_stats {
	struct kref ref;
	struct nv_pcpu_stats __percpu *pcpu;
	struct rcu_head rcu;
};

struct nv_stats *nv_stats_create(void);
struct nv_stats *nv_stats_get(struct nv_stats *stats);
void nv_stats_put(struct nv_stats *stats);
void nv_stats_read(const struct nv_stats *stats, u64 *sum);
int nv_stats_fill(struct sk_buff *skb, const struct nv_stats *stats);

static inline void nv_stats_add(struct nv_stats *stats, enum nv_counter c,
				unsigned int n)
{
	struct nv_pcpu_stats *s = this_cpu_ptr(stats->pcpu);

	u64_stats_update_begin(&s->syncp);
	u64_stats_add(&s->c[c], n);
	u64_stats_update_end(&s->syncp);
}

/* A packet of @len bytes, counted as one packet and its bytes. */
static inline void nv_stats_packet(struct nv_stats *stats,
				   enum nv_counter packets, unsigned int len)
{
	struct nv_pcpu_stats *s = this_cpu_ptr(stats->pcpu);

	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->c[packets]);
	u64_stats_add(&s->c[packets + 1], len);
	u64_stats_update_end(&s->syncp);
}

static inline void nv_stats_drop(struct nv_stats *stats,
				 enum netvirt_drop_reason reason)
{
	nv_stats_add(stats, NV_DROPS + reason, 1);
}

#endif /* _NV_STATS_H */
