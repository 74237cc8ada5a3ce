// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU counters of tenants and ports: the packet path writes its own
 * CPU's counters without a lock; readers sum over CPUs.
 */
#include <linux/slab.h>

#include "stats.h"

struct nv_stats *nv_stats_create(void)
{
	struct nv_stats *stats = kzalloc(sizeof(*stats), GFP_KERNEL_ACCOUNT);
	int cpu;

	if (!stats)
		return NULL;
	stats->pcpu = alloc_percpu_gfp(struct nv_pcpu_stats,
				       GFP_KERNEL_ACCOUNT);
	if (!stats->pcpu) {
		kfree(stats);
		return NULL;
	}
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(stats->pcpu, cpu)->syncp);
	kref_init(&stats->ref);
	return stats;
}

struct nv_stats *nv_stats_get(struct nv_stats *stats)
{
	kref_get(&stats->ref);
	return stats;
}

static void stats_free_rcu(struct rcu_head *head)
{
	struct nv_stats *stats = container_of(head, struct nv_stats, rcu);

	free_percpu(stats->pcpu);
	kfree(stats);
}

/* A packet in flight may still be counting: free after a grace period. */
static void stats_release(struct kref *ref)
{
	call_rcu(&container_of(ref, struct nv_stats, ref)->rcu,
		 stats_free_rcu);
}

void nv_stats_put(struct nv_stats *stats)
{
	if (stats)
		kref_put(&stats->ref, stats_release);
}

/* @sum: NV_COUNTERS values, the sum over all CPUs. */
void nv_stats_read(const struct nv_stats *stats, u64 *sum)
{
	u64 v[NV_COUNTERS];
	unsigned int start;
	int cpu, i;

	memset(sum, 0, sizeof(v));
	for_each_possible_cpu(cpu) {
		const struct nv_pcpu_stats *s = per_cpu_ptr(stats->pcpu, cpu);

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			for (i = 0; i < NV_COUNTERS; i++)
				v[i] = u64_stats_read(&s->c[i]);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		for (i = 0; i < NV_COUNTERS; i++)
			sum[i] += v[i];
	}
}

static const u16 counter_attr[NV_DROPS] = {
	[NV_RX_PACKETS] = NETVIRT_A_STATS_RX_PACKETS,
	[NV_RX_BYTES] = NETVIRT_A_STATS_RX_BYTES,
	[NV_TX_PACKETS] = NETVIRT_A_STATS_TX_PACKETS,
	[NV_TX_BYTES] = NETVIRT_A_STATS_TX_BYTES,
	[NV_ARP_REPLIES] = NETVIRT_A_STATS_ARP_REPLIES,
	[NV_ND_REPLIES] = NETVIRT_A_STATS_ND_REPLIES,
	[NV_ICMP_ERRORS] = NETVIRT_A_STATS_ICMP_ERRORS,
};

/* Writes the counters into @skb, inside the caller's NETVIRT_A_STATS. */
int nv_stats_fill(struct sk_buff *skb, const struct nv_stats *stats)
{
	u64 sum[NV_COUNTERS];
	struct nlattr *drops;
	int i;

	nv_stats_read(stats, sum);
	for (i = 0; i < NV_DROPS; i++)
		if (nla_put_u64_64bit(skb, counter_attr[i], sum[i],
				      NETVIRT_A_STATS_PAD))
			return -EMSGSIZE;
	drops = nla_nest_start(skb, NETVIRT_A_STATS_DROPS);
	if (!drops)
		return -EMSGSIZE;
	for (i = 0; i <= NETVIRT_DROP_MAX; i++)
		if (nla_put_u64_64bit(skb, NETVIRT_A_DROP_FIRST + i,
				      sum[NV_DROPS + i], NETVIRT_A_DROP_PAD))
			return -EMSGSIZE;
	nla_nest_end(skb, drops);
	return 0;
}
