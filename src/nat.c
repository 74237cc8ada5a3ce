// SPDX-License-Identifier: GPL-2.0
/*
 * NAT on the packet path: nf_nat in the tenant's conntrack zone, as
 * net/openvswitch and act_ct use it.
 *
 * A connection leaving a VM for the uplink gets its source binding from
 * the VM's floating IP or the best SNAT rule when conntrack sees it first;
 * one arriving from the uplink for a DNAT or FIP rule gets its destination
 * binding. From then on nf_nat translates every packet of the connection
 * both ways, ICMP errors about it included; netvirt only counts them to
 * the rule whose external address and port the connection holds.
 */
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <net/ipv6.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_core.h>
#include <net/netfilter/nf_conntrack_zones.h>
#include <net/netfilter/nf_nat.h>

#include "datapath.h"
#include "genl.h"
#include "limits.h"
#include "nat.h"

/*
 * nf_nat_packet(), and for ICMP errors about a connection the
 * translation of the packet they quote (nf_ct_nat() of later kernels).
 */
static unsigned int nat_manip(struct sk_buff *skb, struct nf_conn *ct,
			      enum ip_conntrack_info ctinfo,
			      unsigned int hooknum)
{
	u8 nexthdr;
	__be16 fo;
	int hlen;

	if (ctinfo != IP_CT_RELATED && ctinfo != IP_CT_RELATED_REPLY)
		return nf_nat_packet(ct, ctinfo, hooknum, skb);
	if (skb->protocol == htons(ETH_P_IP)) {
		if (ip_hdr(skb)->protocol != IPPROTO_ICMP)
			return nf_nat_packet(ct, ctinfo, hooknum, skb);
		return nf_nat_icmp_reply_translation(skb, ct, ctinfo, hooknum) ?
		       NF_ACCEPT : NF_DROP;
	}
	nexthdr = ipv6_hdr(skb)->nexthdr;
	hlen = ipv6_skip_exthdr(skb, sizeof(struct ipv6hdr), &nexthdr, &fo);
	if (hlen < 0 || nexthdr != IPPROTO_ICMPV6)
		return nf_nat_packet(ct, ctinfo, hooknum, skb);
	return nf_nat_icmpv6_reply_translation(skb, ct, ctinfo, hooknum, hlen) ?
	       NF_ACCEPT : NF_DROP;
}

/* Both manipulations a translated connection's packet may need. */
static bool nat_translate(struct sk_buff *skb, struct nf_conn *ct,
			  enum ip_conntrack_info ctinfo)
{
	return nat_manip(skb, ct, ctinfo, NF_INET_PRE_ROUTING) == NF_ACCEPT &&
	       nat_manip(skb, ct, ctinfo, NF_INET_POST_ROUTING) == NF_ACCEPT;
}

/* A connection nf_nat has no binding for yet: its first packet. */
static bool nat_fresh(const struct nf_conn *ct)
{
	return !nf_ct_is_confirmed(ct) && !(ct->status & IPS_NAT_DONE_MASK);
}

/*
 * Translates a packet of @ct. A connection without a binding began
 * untranslated, not for the uplink: nothing may cross it raw.
 */
static enum netvirt_drop_reason nat_apply(struct sk_buff *skb,
					  struct nf_conn *ct,
					  enum ip_conntrack_info ctinfo)
{
	if (!(ct->status & IPS_NAT_MASK))
		return NETVIRT_DROP_NO_NAT;
	return nat_translate(skb, ct, ctinfo) ? NV_PASS : NETVIRT_DROP_NOMEM;
}

/* The external side of translated connection @ct. */
static void ct_nat_key(const struct nf_conn *ct, struct nv_nat_key *key)
{
	const struct nf_conntrack_tuple *tp;

	/* SNAT moved the reply's destination; DNAT the original's. */
	if (ct->status & IPS_SRC_NAT)
		tp = &ct->tuplehash[IP_CT_DIR_REPLY].tuple;
	else
		tp = &ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple;
	key->v6 = tp->src.l3num == NFPROTO_IPV6;
	if (key->v6)
		key->addr = tp->dst.u3.in6;
	else
		ipv6_addr_set_v4mapped(tp->dst.u3.ip, &key->addr);
	key->proto = tp->dst.protonum;
	if (key->proto == IPPROTO_ICMP || key->proto == IPPROTO_ICMPV6)
		key->port = ntohs(tp->src.u.icmp.id);
	else
		key->port = ntohs(tp->dst.u.all);
}

static void rule_count(const struct nv_nat_rule *r, unsigned int len,
		       bool exhausted)
{
	struct nv_nat_pcpu *c = this_cpu_ptr(r->pcpu);

	u64_stats_update_begin(&c->syncp);
	if (exhausted) {
		u64_stats_inc(&c->exhausted);
	} else {
		u64_stats_inc(&c->packets);
		u64_stats_add(&c->bytes, len);
	}
	u64_stats_update_end(&c->syncp);
}

/* Counts a translated packet to the rule that holds its connection. */
static void count_translated(const struct nv_config *cfg,
			     const struct nf_conn *ct, unsigned int len)
{
	const struct nv_nat_entry *e;
	struct nv_nat_key key;

	ct_nat_key(ct, &key);
	e = nv_nat_find(cfg, &key);
	if (e)
		rule_count(e->rule, len, false);
}

/* Does @r's source prefix hold @src? */
static bool snat_holds(const struct nv_nat_rule *r, const struct in6_addr *src)
{
	return ipv6_prefix_equal(&r->src, src, r->src_plen);
}

/*
 * The rule a new connection from @src leaves by: the VM's floating IP,
 * else the SNAT rule with the longest prefix holding it, the lower handle
 * first.
 */
static const struct nv_nat_rule *rule_out(const struct nv_nat *nat,
					  const struct in6_addr *src, bool v6)
{
	const struct nv_nat_rule *best = NULL;
	u32 i;

	for (i = 0; nat && i < nat->n; i++) {
		const struct nv_nat_rule *r = nat->rules[i];

		if (r->v6 != v6)
			continue;
		if (r->type == NETVIRT_NAT_FIP && ipv6_addr_equal(&r->to, src))
			return r;
		if (r->type == NETVIRT_NAT_SNAT && snat_holds(r, src) &&
		    (!best || r->src_plen > best->src_plen))
			best = r;
	}
	return best;
}

static void range_addr(struct nf_nat_range2 *range, const struct in6_addr *a,
		       bool v6)
{
	range->flags = NF_NAT_RANGE_MAP_IPS;
	if (v6)
		range->min_addr.in6 = *a;
	else
		range->min_addr.ip = a->s6_addr32[3];
	range->max_addr = range->min_addr;
}

static void range_ports(struct nf_nat_range2 *range, u16 lo, u16 hi)
{
	range->flags |= NF_NAT_RANGE_PROTO_SPECIFIED;
	range->min_proto.all = htons(lo);
	range->max_proto.all = htons(hi);
}

/* What an exhaustion event says: the tenant, its rule, the connection. */
struct nat_event {
	const struct nv_tenant *t;
	const struct nv_nat_rule *r;
	const struct nf_conn *ct;
};

static int event_put_addrs(struct sk_buff *skb, const struct nat_event *e)
{
	const struct nf_conntrack_tuple *tp =
		&e->ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple;

	if (tp->src.l3num == NFPROTO_IPV4)
		return nla_put_in_addr(skb, NETVIRT_A_NAT_EVENT_ADDR_IN,
				       e->r->addr.s6_addr32[3]) ||
		       nla_put_in_addr(skb, NETVIRT_A_NAT_EVENT_DST_IN,
				       tp->dst.u3.ip);
	return nla_put_in6_addr(skb, NETVIRT_A_NAT_EVENT_ADDR_IN6,
				&e->r->addr) ||
	       nla_put_in6_addr(skb, NETVIRT_A_NAT_EVENT_DST_IN6,
				&tp->dst.u3.in6);
}

static int event_fill(struct sk_buff *skb, const void *ctx, const void *obj)
{
	const struct nat_event *e = obj;
	const struct nf_conntrack_tuple *tp =
		&e->ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple;
	struct nlattr *nest = nla_nest_start(skb, NETVIRT_A_NAT_EVENT);

	if (!nest ||
	    nla_put_string(skb, NETVIRT_A_NAT_EVENT_TENANT, e->t->name) ||
	    nla_put_u32(skb, NETVIRT_A_NAT_EVENT_HANDLE, e->r->handle) ||
	    event_put_addrs(skb, e) ||
	    nla_put_u8(skb, NETVIRT_A_NAT_EVENT_PROTO, tp->dst.protonum) ||
	    (tp->dst.protonum != IPPROTO_ICMP &&
	     tp->dst.protonum != IPPROTO_ICMPV6 &&
	     nla_put_u16(skb, NETVIRT_A_NAT_EVENT_DPORT, ntohs(tp->dst.u.all))))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/*
 * Tells the monitor group that rule @r had no port for @ct: rate-limited
 * per rule and CPU, atomic, and given up quietly.
 */
static void exhausted_event(const struct nv_pkt *pkt,
			    const struct nv_nat_rule *r,
			    const struct nf_conn *ct)
{
	const struct nat_event e = { .t = pkt->t, .r = r, .ct = ct };
	struct net *net = nf_ct_net(ct);
	struct sk_buff *msg;

	if (!genl_has_listeners(&nv_genl_family, net, NV_MCGRP_MONITOR) ||
	    !nv_bucket_take(&this_cpu_ptr(r->pcpu)->event, NV_NAT_EVENT_RATE,
			    NV_NAT_EVENT_BURST))
		return;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_ATOMIC);
	if (!msg)
		return;
	if (nv_genl_msg(msg, 0, 0, NULL, NETVIRT_CMD_NAT_EVENT, event_fill,
			NULL, &e)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_multicast_netns(&nv_genl_family, net, msg, 0, NV_MCGRP_MONITOR,
				GFP_ATOMIC);
}

/* The source binding of a new connection from a VM to the uplink. */
static enum netvirt_drop_reason setup_out(const struct nv_pkt *pkt,
					  struct sk_buff *skb,
					  struct nf_conn *ct)
{
	const struct nf_conntrack_tuple *tp =
		&ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple;
	bool v6 = tp->src.l3num == NFPROTO_IPV6;
	const struct nv_nat_rule *r;
	struct nf_nat_range2 range = {};
	struct in6_addr src;

	/* Replies come back only to what the uplink can tell apart. */
	switch (tp->dst.protonum) {
	case IPPROTO_TCP:
	case IPPROTO_UDP:
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		break;
	default:
		return NETVIRT_DROP_NO_NAT;
	}
	if (v6)
		src = tp->src.u3.in6;
	else
		ipv6_addr_set_v4mapped(tp->src.u3.ip, &src);
	r = rule_out(pkt->t->nat, &src, v6);
	if (!r)
		return NETVIRT_DROP_NO_NAT;
	range_addr(&range, &r->addr, v6);
	if (r->type == NETVIRT_NAT_SNAT)
		range_ports(&range, r->lo, r->hi);
	if (nf_nat_setup_info(ct, &range, NF_NAT_MANIP_SRC) != NF_ACCEPT)
		return NETVIRT_DROP_NOMEM;
	/* nf_nat gives up after a bounded search, keeping a taken tuple. */
	if (nf_conntrack_tuple_taken(&ct->tuplehash[IP_CT_DIR_REPLY].tuple,
				     ct)) {
		rule_count(r, 0, true);
		exhausted_event(pkt, r, ct);
		return NETVIRT_DROP_NAT_EXHAUSTED;
	}
	return NV_PASS;
}

/**
 * nv_nat_out() - translate a packet a VM sends to the uplink
 * @pkt: the packet
 * @skb: the packet, tracked: @ct, network header at skb->data
 * @ct: its connection in the tenant's zone
 * @ctinfo: and its state
 *
 * Return: NV_PASS, translated, or the drop reason.
 */
enum netvirt_drop_reason nv_nat_out(const struct nv_pkt *pkt,
				    struct sk_buff *skb, struct nf_conn *ct,
				    int ctinfo)
{
	enum netvirt_drop_reason reason = NV_PASS;

	if (nat_fresh(ct))
		reason = setup_out(pkt, skb, ct);
	if (reason == NV_PASS)
		reason = nat_apply(skb, ct, ctinfo);
	if (reason == NV_PASS)
		count_translated(pkt->cfg, ct, skb->len);
	return reason;
}

/* The destination binding of a new connection to a DNAT or FIP rule. */
static enum netvirt_drop_reason setup_in(struct nf_conn *ct,
					 const struct nv_nat_rule *r)
{
	struct nf_nat_range2 range = {};

	/* Nothing of a SNAT rule's range is open to new connections. */
	if (r->type == NETVIRT_NAT_SNAT)
		return NETVIRT_DROP_NO_NAT;
	range_addr(&range, &r->to, r->v6);
	if (r->type == NETVIRT_NAT_DNAT)
		range_ports(&range, r->to_port, r->to_port);
	if (nf_nat_setup_info(ct, &range, NF_NAT_MANIP_DST) != NF_ACCEPT)
		return NETVIRT_DROP_NOMEM;
	return NV_PASS;
}

/**
 * nv_nat_in() - translate a packet from the uplink for rule @rule
 * @pkt: the packet; its tenant is @rule's
 * @skb: the packet, tracked in the tenant's zone
 * @rule: the rule its destination address and port belong to
 *
 * Return: NV_PASS, its destination now the VM's, or the drop reason.
 */
enum netvirt_drop_reason nv_nat_in(const struct nv_pkt *pkt,
				   struct sk_buff *skb,
				   const struct nv_nat_rule *rule)
{
	enum netvirt_drop_reason reason = NV_PASS;
	enum ip_conntrack_info ctinfo;
	struct nf_conn *ct = nf_ct_get(skb, &ctinfo);

	if (nat_fresh(ct))
		reason = setup_in(ct, rule);
	if (reason == NV_PASS)
		reason = nat_apply(skb, ct, ctinfo);
	if (reason == NV_PASS)
		rule_count(rule, skb->len, false);
	return reason;
}

/**
 * nv_nat_unknown() - whether a tracked packet from the uplink starts a
 * connection
 * @skb: the packet, tracked
 *
 * Return: true when conntrack knew no connection of it.
 */
bool nv_nat_unknown(const struct sk_buff *skb)
{
	enum ip_conntrack_info ctinfo;
	struct nf_conn *ct = nf_ct_get(skb, &ctinfo);

	return !nf_ct_is_confirmed(ct);
}

/* Whether @ct, of zone @zone, holds external address and port of @r. */
static bool ct_of_rule(const struct nf_conn *ct, u16 zone,
		       const struct nv_nat_rule *r, u16 *port)
{
	struct nv_nat_key key;

	if (nf_ct_zone(ct)->id != zone || !(ct->status & IPS_NAT_MASK))
		return false;
	ct_nat_key(ct, &key);
	*port = key.port;
	if (key.v6 != r->v6 || !ipv6_addr_equal(&key.addr, &r->addr))
		return false;
	switch (r->type) {
	case NETVIRT_NAT_SNAT:
		return (ct->status & IPS_SRC_NAT) &&
		       key.port >= r->lo && key.port <= r->hi;
	case NETVIRT_NAT_DNAT:
		return key.proto == r->proto && key.port == r->lo;
	default:
		return true;
	}
}

/* Counts @r's connections in conntrack bucket @i; false past the end. */
static bool count_bucket(const struct net *net, const struct nv_tenant *t,
			 const struct nv_nat_rule *r, unsigned int i,
			 unsigned long *ports, u32 *conns, u32 *used)
{
	spinlock_t *lock = &nf_conntrack_locks[i % CONNTRACK_LOCKS];
	struct nf_conntrack_tuple_hash *h;
	struct hlist_nulls_node *pos;
	u16 port;

	nf_conntrack_lock(lock);
	__acquire(lock);	/* for sparse: nf_conntrack_lock() is not annotated */
	/* Under the bucket's lock, the table is not resized. */
	if (i >= nf_conntrack_htable_size) {
		spin_unlock(lock);
		return false;
	}
	hlist_nulls_for_each_entry(h, pos, &nf_conntrack_hash[i], hnnode) {
		const struct nf_conn *ct = nf_ct_tuplehash_to_ctrack(h);

		if (NF_CT_DIRECTION(h) != IP_CT_DIR_ORIGINAL ||
		    !net_eq(nf_ct_net(ct), net) ||
		    !ct_of_rule(ct, t->id, r, &port))
			continue;
		(*conns)++;
		if (r->type == NETVIRT_NAT_SNAT &&
		    !__test_and_set_bit(port - r->lo, ports))
			(*used)++;
	}
	spin_unlock(lock);
	return true;
}

/**
 * nv_nat_ports_used() - what rule @r holds now in conntrack
 * @t: the rule's tenant
 * @r: the rule
 * @conns: set to the connections translated by it
 *
 * Walks the conntrack table bucket by bucket under the buckets' locks,
 * as ctnetlink's dump does: for "nat show", never for packets.
 *
 * Return: the SNAT ports in use (a port used by two protocols counts
 * once), or -ENOMEM.
 */
int nv_nat_ports_used(const struct nv_tenant *t,
		      const struct nv_nat_rule *r, u32 *conns)
{
	const struct net *net = nf_ct_net(t->ct_tmpl);
	unsigned long *ports;
	unsigned int i;
	u32 used = 0;

	ports = bitmap_zalloc(r->hi - r->lo + 1, GFP_ATOMIC);
	if (!ports)
		return -ENOMEM;
	*conns = 0;
	local_bh_disable();
	for (i = 0; count_bucket(net, t, r, i, ports, conns, &used); i++)
		;
	local_bh_enable();
	bitmap_free(ports);
	return used;
}

/* What nv_nat_flush() looks for: a deleted rule, in its tenant's zone. */
struct flush_data {
	u16 zone;
	const struct nv_nat_rule *r;
};

static int ct_flushed(struct nf_conn *ct, void *data)
{
	const struct flush_data *f = data;
	u16 port;

	return ct_of_rule(ct, f->zone, f->r, &port);
}

/**
 * nv_nat_flush() - forget the connections of a deleted NAT rule
 * @net: the namespace
 * @zone: its tenant's zone
 * @r: a copy of the rule, the rule itself being retired
 *
 * Left behind, they would go on being translated one way, and hold ports
 * another tenant's new rule on the address may take. Context: process;
 * the caller holds nv_net.lock, not RTNL: this waits for a grace period,
 * after which no packet routed by the rule's snapshot adds to them.
 */
void nv_nat_flush(struct net *net, u16 zone, const struct nv_nat_rule *r)
{
	struct flush_data f = { .zone = zone, .r = r };
	struct nf_ct_iter_data iter = { .net = net, .data = &f };

	synchronize_rcu();
	nf_ct_iterate_cleanup_net(ct_flushed, &iter);
}
