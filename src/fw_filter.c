// SPDX-License-Identifier: GPL-2.0
/*
 * The firewall on the packet path: nf_conntrack in the tenant's zone,
 * then the tenant's compiled rules for connections not decided yet.
 *
 * A connection is decided by its first packet and remembered by
 * conntrack: its mark holds the firewall epoch it was decided in. Later
 * packets of either direction pass on a look at the mark, until a
 * firewall change bumps the epoch; the next packet then decides the
 * connection again, from its original tuple, and cuts it if the new
 * rules deny it (unless the denying rule persists established ones).
 *
 * A cut ends the connection for both ends: a TCP reset to each VM on
 * this host, as from the other (a VM across the overlay gets its reset
 * when it next sends), and the connection stays in conntrack, marked
 * NV_FW_EPOCH_CUT, until NV_FW_CUT_LINGER after its last packet. Deleted
 * instead, its next packet would start a new entry - one from the
 * responder, with the tuple reversed, which the rules would deny and log
 * as a new connection to the originator's port. Marked, its stragglers
 * either way are dropped as fw-cut, answered with a reset if TCP, and
 * logged no more.
 *
 * A connection leaves a VM by one port and reaches one by another: the
 * "out" rules of the first, then the "in" rules of the second decide it,
 * on the host where each port is. Across the overlay, each host tracks
 * the connection in its own conntrack table and checks its own side.
 *
 * Rule counters count every packet of the connections a rule decided,
 * both ways: the connection's conntrack labels name the rule of each
 * direction that decided it here, tagged with the epoch of the decision,
 * and the packets that pass on the mark count to them. Two CPUs deciding
 * one connection across a change may leave labels of two epochs: a
 * packet that finds a tag other than the mark's epoch decides again.
 */
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/tcp.h>
#include <net/ip6_checksum.h>
#include <net/netfilter/ipv4/nf_reject.h>
#include <net/netfilter/ipv6/nf_reject.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_core.h>
#include <net/netfilter/nf_conntrack_labels.h>
#include <net/netfilter/nf_conntrack_zones.h>

#include "datapath.h"
#include "fw.h"
#include "limits.h"
#include "nat.h"
#include "netns.h"

/**
 * nv_fw_ct_tmpl() - the conntrack template of a tenant's zone
 * @net: the namespace whose conntrack tables the tenant uses
 * @zone_id: the zone: the tenant's id
 *
 * Return: the template, or NULL; freed with nf_ct_tmpl_free() after a
 * grace period.
 */
struct nf_conn *nv_fw_ct_tmpl(struct net *net, u16 zone_id)
{
	struct nf_conntrack_zone zone;
	struct nf_conn *tmpl;

	nf_ct_zone_init(&zone, zone_id, NF_CT_DEFAULT_ZONE_DIR, 0);
	tmpl = nf_ct_tmpl_alloc(net, &zone, GFP_KERNEL_ACCOUNT);
	/* A template is never confirmed into the table itself. */
	if (tmpl)
		__set_bit(IPS_CONFIRMED_BIT, &tmpl->status);
	return tmpl;
}

static int ct_in_zone(struct nf_conn *ct, void *data)
{
	return nf_ct_zone(ct)->id == *(const u16 *)data;
}

/**
 * nv_fw_ct_flush() - forget the connections of a deleted tenant's zone
 * @net: the namespace whose conntrack tables the tenant used
 * @zone_id: the zone: the deleted tenant's id
 *
 * A connection outlives its tenant otherwise, until its timeout (days for
 * an established TCP one), and its zone is the next tenant's with that id.
 * Context: process; the caller holds nv_net.lock, so no tenant with this
 * id is created meanwhile, and not RTNL: this waits for a grace period.
 */
void nv_fw_ct_flush(struct net *net, u16 zone_id)
{
	struct nf_ct_iter_data iter = { .net = net, .data = &zone_id };

	lockdep_assert_held(&nv_net(net)->lock);
	/* Packets routed with the snapshot that had the tenant may still be
	 * adding connections to its zone.
	 */
	synchronize_rcu();
	nf_ct_iterate_cleanup_net(ct_in_zone, &iter);
}

#if !IS_ENABLED(CONFIG_NF_CONNTRACK_LABELS)
#error "netvirt counts rules' packets in conntrack labels: CONFIG_NF_CONNTRACK_LABELS"
#endif

/*
 * A connection's conntrack labels, one 32-bit word per direction: the
 * rule that decided it on this host, as its index in that direction's
 * rules plus one (0: the policy, a persisting deny, or the port is on
 * another host), under the low bits of the decision's epoch.
 */
#define LBL_WORDS	(NETVIRT_FW_DIR_MAX + 1)
#define LBL_BITS	(LBL_WORDS * 32)
#define LBL_PICK_BITS	(ilog2(NV_FWC_MAX_RULES) + 1)
#define LBL_PICK	GENMASK(LBL_PICK_BITS - 1, 0)
#define LBL_TAG(epoch)	((epoch) << LBL_PICK_BITS)

/**
 * nv_fw_ct_labels_get() - new connections of a namespace carry labels
 * @nn: the namespace; from its first tenant on, until nv_net_uninit()
 *
 * Return: 0, or an error from nf_connlabels_get().
 */
int nv_fw_ct_labels_get(struct nv_net *nn)
{
	int ret;

	lockdep_assert_held(&nn->lock);
	if (nn->ct_labels)
		return 0;
	ret = nf_connlabels_get(nn->net, LBL_BITS - 1);
	nn->ct_labels = !ret;
	return ret;
}

/**
 * nv_fw_ct_labels_put() - release what nv_fw_ct_labels_get() took
 * @nn: the namespace, going away
 */
void nv_fw_ct_labels_put(struct nv_net *nn)
{
	lockdep_assert_held(&nn->lock);
	if (nn->ct_labels)
		nf_connlabels_put(nn->net);
	nn->ct_labels = false;
}

/*
 * A verdict: the rule that gave it (NULL: the policy) and its action;
 * the rule of each direction, as the labels name it.
 */
struct verdict {
	const struct nv_fw_rule *rule;
	u8 action;
	u8 dir;
	int ifindex;
	u32 pick[NETVIRT_FW_DIR_MAX + 1];
};

/*
 * The classifier's key for a connection: its original tuple, but for
 * its destination, which is where its replies come from: after DNAT, the
 * VM's address and port rather than the external ones.
 */
static void ct_key(const struct nf_conn *ct, struct nv_fwc_key *key)
{
	const struct nf_conntrack_tuple *tp =
		&ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple;
	const struct nf_conntrack_tuple *rp =
		&ct->tuplehash[IP_CT_DIR_REPLY].tuple;

	memset(key, 0, sizeof(*key));
	if (tp->src.l3num == NFPROTO_IPV4) {
		ipv6_addr_set_v4mapped(tp->src.u3.ip, &key->src);
		ipv6_addr_set_v4mapped(rp->src.u3.ip, &key->dst);
	} else {
		key->src = tp->src.u3.in6;
		key->dst = rp->src.u3.in6;
	}
	key->proto = tp->dst.protonum;
	switch (key->proto) {
	case IPPROTO_TCP:
	case IPPROTO_UDP:
	case IPPROTO_UDPLITE:
	case IPPROTO_SCTP:
	case IPPROTO_DCCP:
		key->sport = ntohs(tp->src.u.all);
		key->dport = ntohs(rp->src.u.all);
		break;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		key->icmp_type = tp->dst.u.icmp.type;
		break;
	}
}

/* Counts a packet of @len bytes matched by @rule; @fresh: a new connection. */
static void rule_count_hit(const struct nv_fw_rule *rule, unsigned int len,
			   bool fresh)
{
	struct nv_fw_rule_pcpu *c = this_cpu_ptr(rule->pcpu);

	u64_stats_update_begin(&c->syncp);
	u64_stats_inc(&c->packets);
	u64_stats_add(&c->bytes, len);
	if (fresh)
		u64_stats_inc(&c->conns);
	u64_stats_update_end(&c->syncp);
	WRITE_ONCE(c->last_hit, jiffies ?: 1);
}

/*
 * Decides for the port in @slot, direction @dir: the first matching
 * rule's action, or the policy's. True when it allows.
 */
static bool decide_port(const struct nv_fw *fw, const struct nv_port *port,
			u8 dir, struct nv_fwc_key *key, struct verdict *v,
			unsigned int len, bool fresh)
{
	const struct nv_fw_dir *d = &fw->dir[dir];
	int i = -1;

	key->slot = port->slot;
	if (d->cls)
		i = nv_fwc_lookup(d->cls, key);
	v->dir = dir;
	v->ifindex = nv_port_ifindex(port);
	v->pick[dir] = i + 1;
	if (i < 0) {
		v->rule = NULL;
		v->action = fw->policy;
	} else {
		v->rule = d->rules[i];
		v->action = v->rule->action;
		rule_count_hit(v->rule, len, fresh);
	}
	return v->action == NETVIRT_FW_ALLOW;
}

/*
 * Decides connection @ct: "out" at the port of its originator, "in" at
 * the port of its responder, for those on this host. A packet of the
 * reply direction comes from the responder.
 */
static bool decide(const struct nv_pkt *pkt, const struct nv_port *to,
		   const struct nf_conn *ct, bool reply, struct verdict *v,
		   unsigned int len, bool fresh)
{
	const struct nv_port *orig = reply ? to : pkt->port;
	const struct nv_port *resp = reply ? pkt->port : to;
	const struct nv_fw *fw = pkt->t->fw;
	struct nv_fwc_key key;

	ct_key(ct, &key);
	if (orig && !decide_port(fw, orig, NETVIRT_FW_DIR_OUT, &key, v, len,
				 fresh))
		return false;
	if (resp && !decide_port(fw, resp, NETVIRT_FW_DIR_IN, &key, v, len,
				 fresh))
		return false;
	return true;
}

/* nf_reject's TCP reset to @skb's sender; NULL when it gets none. */
static struct sk_buff *reset_back(struct net *net, struct sk_buff *skb)
{
	struct sk_buff *nskb;

	/* nf_reject only notes the device: nv_answer() picks the way out. */
	if (skb->protocol == htons(ETH_P_IP))
		nskb = nf_reject_skb_v4_tcp_reset(net, skb, skb->dev,
						  NF_INET_PRE_ROUTING);
	else
		nskb = nf_reject_skb_v6_tcp_reset(net, skb, skb->dev,
						  NF_INET_PRE_ROUTING);
	if (nskb)
		nskb->protocol = skb->protocol;
	return nskb;
}

/*
 * TCP RST or ICMP administratively prohibited, back to the sender: a VM
 * of this host, or over the overlay as from @to's VM (see nv_answer()).
 */
static void reject(const struct nv_pkt *pkt, struct sk_buff *skb,
		   struct net *net, const struct nv_port *to)
{
	struct sk_buff *nskb = reset_back(net, skb);

	if (nskb)
		nv_answer(pkt, nskb, to);
	else if (skb->protocol == htons(ETH_P_IP))
		nv_icmp4_answer(pkt, skb, to, ICMP_DEST_UNREACH,
				ICMP_PKT_FILTERED, 0);
	else
		nv_icmp6_answer(pkt, skb, to, ICMPV6_DEST_UNREACH,
				ICMPV6_ADM_PROHIBITED, 0);
}

/* The sequence number of TCP packet @skb; false for none to reset. */
static bool tcp_seq(struct sk_buff *skb, __be32 *seq)
{
	const struct tcphdr *th;
	struct tcphdr _th;
	unsigned int len;

	if (skb->protocol == htons(ETH_P_IP))
		th = nf_reject_ip_tcphdr_get(skb, &_th, NF_INET_PRE_ROUTING);
	else
		th = nf_reject_ip6_tcphdr_get(skb, &_th, &len,
					      NF_INET_PRE_ROUTING);
	if (!th)
		return false;
	*seq = th->seq;
	return true;
}

/*
 * @rst, the reset to a packet's sender, turned into one to its receiver:
 * from the sender, at the packet's sequence number @seq, which is what
 * the receiver expects next (RFC 5961: it takes no other reset, but
 * answers with a challenge ACK, and that is answered as a straggler).
 */
static struct sk_buff *reset_turned(const struct sk_buff *rst, __be32 seq)
{
	struct sk_buff *nskb = skb_copy(rst, GFP_ATOMIC);
	bool v4 = rst->protocol == htons(ETH_P_IP);
	struct ipv6hdr *ip6h;
	struct tcphdr *th;
	struct iphdr *iph;
	__wsum csum;

	if (!nskb)
		return NULL;
	/*
	 * nf_reject builds a bare header of each, and leaves the transport
	 * header's offset at the network header's.
	 */
	skb_set_transport_header(nskb, v4 ? sizeof(*iph) : sizeof(*ip6h));
	th = tcp_hdr(nskb);
	swap(th->source, th->dest);
	th->seq = seq;
	th->ack_seq = 0;
	th->ack = 0;
	th->check = 0;
	csum = csum_partial(th, sizeof(*th), 0);
	/* Swapped addresses leave the IPv4 header's checksum as it is. */
	if (v4) {
		iph = (struct iphdr *)nskb->data;
		swap(iph->saddr, iph->daddr);
		th->check = csum_tcpudp_magic(iph->saddr, iph->daddr,
					      sizeof(*th), IPPROTO_TCP, csum);
	} else {
		ip6h = (struct ipv6hdr *)nskb->data;
		swap(ip6h->saddr, ip6h->daddr);
		th->check = csum_ipv6_magic(&ip6h->saddr, &ip6h->daddr,
					    sizeof(*th), IPPROTO_TCP, csum);
	}
	nskb->ip_summed = CHECKSUM_NONE;
	return nskb;
}

/* A cut connection's own timeout no longer applies: see the top. */
static void linger(struct nf_conn *ct)
{
	WRITE_ONCE(ct->timeout, nfct_time_stamp + NV_FW_CUT_LINGER * HZ);
}

/*
 * Cuts @ct, which @skb found denied: the mark, and for TCP a reset to
 * the sender and one to the receiver @to, when it is a port of this host.
 */
static void cut_conn(const struct nv_pkt *pkt, struct sk_buff *skb,
		     const struct nv_port *to, struct nf_conn *ct)
{
	struct sk_buff *back, *fwd = NULL;
	__be32 seq;

	WRITE_ONCE(ct->mark, NV_FW_EPOCH_CUT);
	linger(ct);
	if (nf_ct_protonum(ct) != IPPROTO_TCP || !tcp_seq(skb, &seq))
		return;
	back = reset_back(nf_ct_net(ct), skb);
	if (!back)
		return;
	if (to)
		fwd = reset_turned(back, seq);
	nv_answer(pkt, back, to);
	if (fwd)
		nv_xmit(pkt, fwd, to);
}

/*
 * A straggler of a cut connection: no new connection, whichever way it
 * goes, so never logged; a TCP one is answered with a reset.
 */
static enum netvirt_drop_reason cut_drop(const struct nv_pkt *pkt,
					 struct sk_buff *skb,
					 const struct nv_port *to,
					 struct nf_conn *ct)
{
	struct sk_buff *nskb;

	linger(ct);
	if (nf_ct_protonum(ct) == IPPROTO_TCP) {
		nskb = reset_back(nf_ct_net(ct), skb);
		if (nskb)
			nv_answer(pkt, nskb, to);
	}
	return NETVIRT_DROP_FW_CUT;
}

/* Names in @ct's labels the rules that decided it. */
static void labels_set(struct nf_conn *ct, const struct nv_fw *fw,
		       const struct verdict *v)
{
	u32 data[LBL_WORDS];
	u8 dir;

	for (dir = 0; dir < LBL_WORDS; dir++)
		data[dir] = LBL_TAG(fw->epoch) | v->pick[dir];
	/*
	 * No mask: every word replaced. Without the extension (a connection
	 * older than the tenant), nothing is counted.
	 */
	nf_connlabels_replace(ct, data, NULL, LBL_WORDS);
}

/*
 * Counts a packet of a connection decided in this epoch to the rules
 * its labels name. False when they are of another epoch: the
 * connection is to be decided again.
 */
static bool count_decided(const struct nv_fw *fw, const struct nf_conn *ct,
			  unsigned int len)
{
	const struct nf_conn_labels *labels = nf_ct_labels_find(ct);
	u32 w[LBL_WORDS];
	u8 dir;

	if (!labels)
		return true;
	for (dir = 0; dir < LBL_WORDS; dir++) {
		w[dir] = READ_ONCE(((const u32 *)labels->bits)[dir]);
		if ((w[dir] & ~LBL_PICK) != LBL_TAG(fw->epoch))
			return false;
	}
	for (dir = 0; dir < LBL_WORDS; dir++) {
		u32 pick = w[dir] & LBL_PICK;

		/* Bounded all the same: a tag has only the epoch's low bits. */
		if (pick && pick <= fw->dir[dir].n)
			rule_count_hit(fw->dir[dir].rules[pick - 1], len, false);
	}
	return true;
}

/* Logs, cuts or rejects a denied packet; its drop reason. */
static enum netvirt_drop_reason deny(const struct nv_pkt *pkt,
				     struct sk_buff *skb,
				     const struct nv_port *to,
				     struct nf_conn *ct,
				     const struct verdict *v, bool cut)
{
	enum netvirt_drop_reason reason = NETVIRT_DROP_FW_DENY;
	u32 flags = v->rule ? v->rule->flags : pkt->t->fw->flags;

	if (cut)
		reason = NETVIRT_DROP_FW_CUT;
	else if (v->action == NETVIRT_FW_REJECT)
		reason = NETVIRT_DROP_FW_REJECT;
	if (flags & NETVIRT_FW_F_LOG)
		nv_fw_log(pkt, ct, v->rule, v->dir, v->ifindex, v->action,
			  reason);
	if (cut)
		cut_conn(pkt, skb, to, ct);
	else if (v->action == NETVIRT_FW_REJECT)
		reject(pkt, skb, nf_ct_net(ct), to);
	return reason;
}

/* Runs conntrack in the tenant's zone; the connection, or NULL. */
static struct nf_conn *track(const struct nv_pkt *pkt, struct sk_buff *skb,
			     enum ip_conntrack_info *ctinfo)
{
	struct nf_conn *tmpl = pkt->t->ct_tmpl;
	struct nf_hook_state state = {
		.hook = NF_INET_PRE_ROUTING,
		.pf = skb->protocol == htons(ETH_P_IP) ? NFPROTO_IPV4 :
							 NFPROTO_IPV6,
		.net = nf_ct_net(tmpl),
	};

	nf_reset_ct(skb);
	nf_conntrack_get(&tmpl->ct_general);
	nf_ct_set(skb, tmpl, IP_CT_NEW);
	if (nf_conntrack_in(skb, &state) != NF_ACCEPT)
		return NULL;
	return nf_ct_get(skb, ctinfo);
}

/**
 * nv_fw_track() - run conntrack on a packet from the uplink
 * @pkt: the packet; its tenant is the one NAT gives it to
 * @skb: the packet, network header at skb->data
 *
 * Return: true when tracked: its connection is on @skb, for the NAT step
 * and nv_fw_filter().
 */
bool nv_fw_track(const struct nv_pkt *pkt, struct sk_buff *skb)
{
	enum ip_conntrack_info ctinfo;

	return track(pkt, skb, &ctinfo);
}

/* The firewall's decision on @skb of connection @ct; see the top. */
static enum netvirt_drop_reason fw_check(const struct nv_pkt *pkt,
					 struct sk_buff *skb,
					 const struct nv_port *to,
					 struct nf_conn *ct,
					 enum ip_conntrack_info ctinfo)
{
	const struct nv_fw *fw = pkt->t->fw;
	struct verdict v = {};
	bool fresh, reply;

	fresh = !nf_ct_is_confirmed(ct);
	reply = CTINFO2DIR(ctinfo) == IP_CT_DIR_REPLY;
	if (!fresh && READ_ONCE(ct->mark) == NV_FW_EPOCH_CUT)
		return cut_drop(pkt, skb, to, ct);
	if (fresh || READ_ONCE(ct->mark) != fw->epoch ||
	    !count_decided(fw, ct, skb->len)) {
		if (!decide(pkt, to, ct, reply, &v, skb->len, fresh)) {
			if (fresh || !v.rule ||
			    !(v.rule->flags & NETVIRT_FW_F_PERSIST))
				return deny(pkt, skb, to, ct, &v, !fresh);
			/* Let through by a deny rule: counted to no rule. */
			v.pick[v.dir] = 0;
		}
		labels_set(ct, fw, &v);
		WRITE_ONCE(ct->mark, fw->epoch);
	}
	return NV_PASS;
}

/**
 * nv_fw_filter() - the firewall's verdict on a routed packet, and NAT's
 * @pkt: the packet; @pkt->port is NULL for a packet from the overlay or
 *	the uplink
 * @skb: the packet, network header at skb->data; the caller keeps it
 * @to: the local port it goes to, or NULL for the overlay or the uplink
 * @to_uplink: it goes out of the uplink: translated (nv_nat_out())
 *
 * A packet from the uplink comes tracked (nv_fw_track()); another is
 * tracked here unless the tenant's firewall is open and it stays inside.
 * A rejected packet has had its answer sent when this returns.
 *
 * Return: NV_PASS when the packet may go on (with no conntrack
 * reference left on it), else the reason the caller drops it with.
 */
enum netvirt_drop_reason nv_fw_filter(const struct nv_pkt *pkt,
				      struct sk_buff *skb,
				      const struct nv_port *to, bool to_uplink)
{
	bool open = nv_fw_is_open(pkt->t->fw);
	enum netvirt_drop_reason reason;
	enum ip_conntrack_info ctinfo;
	struct nf_conn *ct;

	if (!pkt->from_uplink && open && !to_uplink)
		return NV_PASS;
	if (pkt->from_uplink)
		ct = nf_ct_get(skb, &ctinfo);
	else
		ct = track(pkt, skb, &ctinfo);
	if (!ct)
		return NETVIRT_DROP_FW_INVALID;
	if (!open) {
		reason = fw_check(pkt, skb, to, ct, ctinfo);
		if (reason != NV_PASS)
			return reason;
	}
	if (to_uplink) {
		reason = nv_nat_out(pkt, skb, ct, ctinfo);
		if (reason != NV_PASS)
			return reason;
	}
	if (nf_conntrack_confirm(skb) != NF_ACCEPT)
		return NETVIRT_DROP_FW_INVALID;
	nf_reset_ct(skb);
	return NV_PASS;
}
