// SPDX-License-Identifier: GPL-2.0
/*
 * User-space harness for src/fw_cls.c, built on the kernel API shims of
 * ../lpm/compat and compat/:
 *
 *   fw_bench check [quick]   random rule sets and packets, crafted edge
 *                            cases, failed allocations: the classifier
 *                            against a linear reference
 *   fw_bench measure         instructions per decision, bytes per rule,
 *                            build cost; run it under callgrind (see the
 *                            Makefile and README.md)
 *   fw_bench time            build time per rule set, natively
 *
 * FW_SEED=n in the environment changes the (first) seed of rule sets and
 * traces.
 * The reference knows nothing of the classifier: it tests each rule, as
 * given, in (priority, handle) order.
 */
#include "fw_compat.h"

#include <time.h>
#include <valgrind/callgrind.h>

#include "fw_cls.h"
#include "limits.h"

long nv_compat_fail_at;
long nv_compat_live;

static void die(const char *what)
{
	fprintf(stderr, "fw_bench: %s\n", what);
	exit(2);
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p)
		die("out of memory");
	return p;
}

/* xorshift64*: the same seed gives the same rule sets and traces. */
static u64 rng;

static u64 rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dULL;
}

static u32 rnd_below(u32 n)
{
	return (u32)((rnd() >> 32) * n >> 32);
}

/* True with probability @pct percent. */
static bool chance(u32 pct)
{
	return rnd_below(100) < pct;
}

/* Addresses */

static void addr_set4(struct in6_addr *a, u32 v4)
{
	memset(a, 0, sizeof(*a));
	a->s6_addr[10] = 0xff;
	a->s6_addr[11] = 0xff;
	a->s6_addr32[3] = cpu_to_be32(v4);
}

static bool addr_is4(const struct in6_addr *a)
{
	static const u8 mapped[12] = { [10] = 0xff, [11] = 0xff };

	return !memcmp(a->s6_addr, mapped, 12);
}

static void addr_rnd6(struct in6_addr *a, u16 top)
{
	u32 i;

	for (i = 0; i < 16; i++)
		a->s6_addr[i] = rnd();
	a->s6_addr[0] = top >> 8;
	a->s6_addr[1] = top;
}

static bool in_prefix(const struct in6_addr *a, const struct nv_fwc_prefix *p)
{
	u32 full = p->len / 8, rest = p->len % 8;

	if (memcmp(a->s6_addr, p->addr.s6_addr, full))
		return false;
	return !rest || !((a->s6_addr[full] ^ p->addr.s6_addr[full]) &
			  (0xff00 >> rest));
}

/* A random address inside @p. */
static void addr_in(struct in6_addr *a, const struct nv_fwc_prefix *p)
{
	u32 i;

	for (i = 0; i < 16; i++) {
		u8 keep = p->len >= 8 * (i + 1) ? 0xff :
			  p->len > 8 * i ? 0xff00 >> (p->len % 8) : 0;

		a->s6_addr[i] = (p->addr.s6_addr[i] & keep) | (rnd() & ~keep);
	}
}

static void pfx_set4(struct nv_fwc_prefix *p, u32 v4, u32 len)
{
	addr_set4(&p->addr, len ? v4 & (~0U << (32 - len)) : 0);
	p->len = 96 + len;
}

/*
 * The world a rule set is written for: one tenant's VMs (ports), each
 * with an IPv4 address in one of the tenant's /24s and an IPv6 address
 * in the matching /64; port groups (security groups) of VMs; address
 * groups of outside prefixes (offices, partners, monitoring).
 */
struct world {
	u32 nports;
	u16 *slot;
	struct in6_addr *vm4;
	struct in6_addr *vm6;
	u32 nnets;
	u32 npg;
	struct nv_fwc_slots *pg;
	u32 nag;
	struct nv_fwc_group *ag;
};

#define NET4(i)		(0x0a000000U | ((i) & 0xffff) << 8)	/* 10.x.y.0/24 */

static void net6(struct in6_addr *a, u32 net)
{
	memset(a, 0, sizeof(*a));
	a->s6_addr[0] = 0xfd;
	a->s6_addr[1] = 0x12;
	a->s6_addr[6] = net >> 8;
	a->s6_addr[7] = net;
}

static u32 clamp_u32(u32 v, u32 lo, u32 hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* An outside prefix: mostly IPv4, of lengths from /8 to /32. */
static void outside_prefix(struct nv_fwc_prefix *p, bool v6)
{
	static const u8 len4[] = { 8, 12, 16, 16, 20, 22, 24, 24, 24, 24, 26,
				   28, 29, 30, 32, 32, 32, 32, 32, 32 };
	static const u8 len6[] = { 32, 40, 48, 48, 48, 56, 56, 64, 64, 64, 64,
				   64, 96, 112, 128, 128, 128, 128, 128, 128 };

	if (!v6) {
		pfx_set4(p, rnd(), len4[rnd_below(ARRAY_SIZE(len4))]);
		return;
	}
	addr_rnd6(&p->addr, 0x2000 | rnd_below(0x1000));
	p->len = len6[rnd_below(ARRAY_SIZE(len6))];
}

static void world_make(struct world *w, u32 nrules)
{
	u32 i, j, used[4096 / 32] = {};

	w->nports = clamp_u32(nrules / 25, 2, 4000);
	w->nnets = 1 + w->nports / 60;
	w->slot = xcalloc(w->nports, sizeof(*w->slot));
	w->vm4 = xcalloc(w->nports, sizeof(*w->vm4));
	w->vm6 = xcalloc(w->nports, sizeof(*w->vm6));
	for (i = 0; i < w->nports; i++) {
		u32 s, net = rnd_below(w->nnets);

		do
			s = rnd_below(NV_MAX_PORTS);
		while (used[s / 32] & BIT(s % 32));
		used[s / 32] |= BIT(s % 32);
		w->slot[i] = s;
		addr_set4(&w->vm4[i], NET4(net) | (2 + i % 250));
		net6(&w->vm6[i], net);
		w->vm6[i].s6_addr32[3] = cpu_to_be32(i + 2);
	}
	w->npg = clamp_u32(nrules / 200, 1, 500);
	w->pg = xcalloc(w->npg, sizeof(*w->pg));
	for (i = 0; i < w->npg; i++) {
		u16 *m;

		w->pg[i].n = 1 + rnd_below(min_t(u32, w->nports, 40));
		m = xcalloc(w->pg[i].n, sizeof(*m));
		for (j = 0; j < w->pg[i].n; j++)
			m[j] = w->slot[rnd_below(w->nports)];
		w->pg[i].slot = m;
	}
	w->nag = clamp_u32(nrules / 300, 1, 400);
	w->ag = xcalloc(w->nag, sizeof(*w->ag));
	for (i = 0; i < w->nag; i++) {
		struct nv_fwc_prefix *p;

		w->ag[i].n = 10 + rnd_below(51);
		p = xcalloc(w->ag[i].n, sizeof(*p));
		for (j = 0; j < w->ag[i].n; j++)
			outside_prefix(&p[j], chance(25));
		w->ag[i].pfx = p;
	}
}

static void world_free(struct world *w)
{
	u32 i;

	for (i = 0; i < w->npg; i++)
		free((void *)w->pg[i].slot);
	for (i = 0; i < w->nag; i++)
		free((void *)w->ag[i].pfx);
	free(w->pg);
	free(w->ag);
	free(w->slot);
	free(w->vm4);
	free(w->vm6);
}

/* Rule sets */

enum fam { FAM_ANY, FAM_V4, FAM_V6 };

/*
 * A source: any (20%), a VM or subnet of the tenant (25%), an outside
 * prefix (35%), an address group (20%).
 */
static void gen_src(const struct world *w, struct nv_fwc_addr *a, int fam)
{
	u32 x = rnd_below(100), vm = rnd_below(w->nports);

	memset(a, 0, sizeof(*a));
	if (x < 20) {
		/* IPv4 "0.0.0.0/0" is ::ffff:0:0/96; IPv6 "::/0" is any. */
		if (fam == FAM_V4)
			pfx_set4(&a->pfx, 0, 0);
	} else if (x < 45) {
		a->pfx.addr = fam == FAM_V6 ? w->vm6[vm] : w->vm4[vm];
		a->pfx.len = chance(50) ? 128 : fam == FAM_V6 ? 64 :
			     chance(20) ? 112 : 120;
	} else if (x < 80) {
		outside_prefix(&a->pfx, fam == FAM_V6);
	} else {
		a->group = &w->ag[rnd_below(w->nag)];
	}
}

/*
 * A destination: a VM (65%), a subnet (20%), any (10%), an address group
 * (5%). A rule scoped to one port names its VM, or any.
 */
static void gen_dst(const struct world *w, struct nv_fwc_addr *a, int fam,
		    const struct nv_fwc_rule *r)
{
	u32 x = rnd_below(100), vm = rnd_below(w->nports);

	memset(a, 0, sizeof(*a));
	if (r->flags & NV_FWC_F_SLOT) {
		for (vm = 0; w->slot[vm] != r->slot; vm++)
			;
		x = x < 70 ? 0 : 90;
	}
	if (x < 85) {
		a->pfx.addr = fam == FAM_V6 ? w->vm6[vm] : w->vm4[vm];
		a->pfx.len = x < 65 ? 128 : fam == FAM_V6 ? 64 : 120;
	} else if (x < 95) {
		if (fam == FAM_V4 && x < 90)
			pfx_set4(&a->pfx, 0, 0);
	} else {
		a->group = &w->ag[rnd_below(w->nag)];
	}
}

static const u16 well_known[] = { 22, 80, 443, 3306, 5432, 6379, 8080, 8443,
				  53, 123, 9090, 27017, 25, 389, 636, 11211 };

static void gen_dport(struct nv_fwc_rule *r)
{
	static const struct nv_fwc_range ranges[] = {
		{ 8000, 8100 }, { 1024, 65535 }, { 30000, 32767 },
		{ 5000, 5100 }, { 6000, 6063 }, { 49152, 65535 } };
	u32 x = rnd_below(100);

	if (x < 10)
		return;
	r->flags |= NV_FWC_F_DPORT;
	if (x < 55) {
		r->dport.lo = well_known[rnd_below(ARRAY_SIZE(well_known))];
	} else if (x < 75) {
		r->dport.lo = 1024 + rnd_below(64512);
	} else if (x < 90) {
		r->dport = ranges[rnd_below(ARRAY_SIZE(ranges))];
		return;
	} else {
		r->dport.lo = 1024 + rnd_below(60000);
		r->dport.hi = r->dport.lo + rnd_below(1000);
		return;
	}
	r->dport.hi = r->dport.lo;
}

static void gen_proto(struct nv_fwc_rule *r, int *fam)
{
	static const u8 others[] = { 47, 50, 132, 4 };
	u32 x = rnd_below(100);

	if (x < 15)
		return;
	r->flags |= NV_FWC_F_PROTO;
	if (x < 25) {
		r->proto = *fam == FAM_V6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
		if (*fam == FAM_ANY)
			*fam = FAM_V4;
		if (chance(50)) {
			static const u8 t4[] = { 0, 3, 8, 11 };
			static const u8 t6[] = { 1, 2, 3, 128, 129 };

			r->flags |= NV_FWC_F_TYPE;
			r->icmp_type = r->proto == IPPROTO_ICMP ?
				       t4[rnd_below(ARRAY_SIZE(t4))] :
				       t6[rnd_below(ARRAY_SIZE(t6))];
		}
		return;
	}
	if (x < 30) {
		r->proto = others[rnd_below(ARRAY_SIZE(others))];
		return;
	}
	r->proto = x < 72 ? IPPROTO_TCP : IPPROTO_UDP;
	gen_dport(r);
	if (chance(8)) {
		r->flags |= NV_FWC_F_SPORT;
		r->sport.lo = chance(50) ? 1024 : 53;
		r->sport.hi = r->sport.lo == 53 ? 53 : 65535;
	}
}

/*
 * One cloud security-group style rule: for the whole tenant (70%), one
 * port (15%) or a port group (15%); source any, a VM or subnet of the
 * tenant, an outside prefix (/8 to /32, /32 to /128) or an address
 * group; destination mostly a VM or a subnet; TCP and UDP to single
 * ports or ranges, ICMP with or without a type, any protocol (from a
 * given source only).
 */
static void gen_rule(const struct world *w, struct nv_fwc_rule *r, u32 i,
		     u32 nrules)
{
	u32 x = rnd_below(100);
	int fam = x < 62 ? FAM_V4 : x < 92 ? FAM_V6 : FAM_ANY;

	memset(r, 0, sizeof(*r));
	r->prio = rnd_below(nrules / 3 + 1);
	r->handle = (i + 1) * 2654435761U;
	x = rnd_below(100);
	if (x >= 70 && x < 85) {
		r->flags |= NV_FWC_F_SLOT;
		r->slot = w->slot[rnd_below(w->nports)];
	} else if (x >= 85) {
		r->slots = &w->pg[rnd_below(w->npg)];
	}
	gen_proto(r, &fam);
	do
		gen_src(w, &r->src, fam);
	while (!(r->flags & NV_FWC_F_PROTO) && !r->src.group &&
	       r->src.pfx.len <= 96);
	gen_dst(w, &r->dst, fam, r);
}

static struct nv_fwc_rule *rules_make(const struct world *w, u32 n)
{
	struct nv_fwc_rule *r = xcalloc(n, sizeof(*r));
	u32 i;

	for (i = 0; i < n; i++)
		gen_rule(w, &r[i], i, n);
	return r;
}

/* The reference */

static bool addr_match(const struct nv_fwc_addr *a, const struct in6_addr *x)
{
	u32 i;

	if (!a->group)
		return in_prefix(x, &a->pfx);
	for (i = 0; i < a->group->n; i++)
		if (in_prefix(x, &a->group->pfx[i]))
			return true;
	return false;
}

static bool slot_match(const struct nv_fwc_rule *r, u16 slot)
{
	u32 i;

	if (r->slots) {
		for (i = 0; i < r->slots->n; i++)
			if (r->slots->slot[i] == slot)
				return true;
		return false;
	}
	return !(r->flags & NV_FWC_F_SLOT) || r->slot == slot;
}

static bool in_range(const struct nv_fwc_range *r, u16 v)
{
	return r->lo <= v && v <= r->hi;
}

static bool ref_match(const struct nv_fwc_rule *r, const struct nv_fwc_key *k)
{
	u32 f = r->flags;

	return slot_match(r, k->slot) &&
	       (!(f & NV_FWC_F_PROTO) || r->proto == k->proto) &&
	       (!(f & NV_FWC_F_SPORT) || in_range(&r->sport, k->sport)) &&
	       (!(f & NV_FWC_F_DPORT) || in_range(&r->dport, k->dport)) &&
	       (!(f & NV_FWC_F_TYPE) || r->icmp_type == k->icmp_type) &&
	       addr_match(&r->src, &k->src) && addr_match(&r->dst, &k->dst);
}

static const struct nv_fwc_rule *sort_base;

static int ref_cmp(const void *a, const void *b)
{
	const struct nv_fwc_rule *x = &sort_base[*(const u32 *)a];
	const struct nv_fwc_rule *y = &sort_base[*(const u32 *)b];

	if (x->prio != y->prio)
		return x->prio < y->prio ? -1 : 1;
	return x->handle < y->handle ? -1 : x->handle > y->handle;
}

/* The rules' indices in the order they are tried. */
static u32 *ref_order(const struct nv_fwc_rule *r, u32 n)
{
	u32 *o = xcalloc(n, sizeof(*o)), i;

	for (i = 0; i < n; i++)
		o[i] = i;
	sort_base = r;
	qsort(o, n, sizeof(*o), ref_cmp);
	return o;
}

static int ref_lookup(const struct nv_fwc_rule *r, const u32 *order, u32 n,
		      const struct nv_fwc_key *k)
{
	u32 i;

	for (i = 0; i < n; i++)
		if (ref_match(&r[order[i]], k))
			return order[i];
	return -1;
}

/* Packets */

static u16 rnd_in(const struct nv_fwc_range *r)
{
	return r->lo + rnd_below((u32)r->hi - r->lo + 1);
}

/* Ports and ICMP type as a real packet of the protocol carries them. */
static void key_l4(struct nv_fwc_key *k, const struct nv_fwc_rule *r)
{
	static const struct nv_fwc_range any = { 0, 65535 };
	bool ports = k->proto == IPPROTO_TCP || k->proto == IPPROTO_UDP ||
		     k->proto == IPPROTO_SCTP;

	k->sport = 0;
	k->dport = 0;
	k->icmp_type = 0;
	if (ports) {
		k->sport = rnd_in(r && (r->flags & NV_FWC_F_SPORT) ? &r->sport :
				  &any);
		k->dport = rnd_in(r && (r->flags & NV_FWC_F_DPORT) ? &r->dport :
				  &any);
		if (!r && chance(60))
			k->dport = well_known[rnd_below(ARRAY_SIZE(well_known))];
	}
	if (k->proto == IPPROTO_ICMP || k->proto == IPPROTO_ICMPV6)
		k->icmp_type = r && (r->flags & NV_FWC_F_TYPE) ? r->icmp_type :
			       rnd_below(4) ? 8 * rnd_below(2) : rnd();
}

/* An address of an address match, of the family asked if it can be. */
static void addr_pick(struct in6_addr *a, const struct nv_fwc_addr *m,
		      int fam)
{
	const struct nv_fwc_prefix *p = &m->pfx;
	u32 i, tries;

	if (m->group) {
		for (tries = 0; tries < 8; tries++) {
			i = rnd_below(m->group->n);
			p = &m->group->pfx[i];
			if (fam == FAM_ANY ||
			    addr_is4(&p->addr) == (fam == FAM_V4))
				break;
		}
	}
	if (p->len || m->group) {
		addr_in(a, p);
		return;
	}
	if (fam == FAM_V6 || (fam == FAM_ANY && chance(30)))
		addr_rnd6(a, 0x2000 | rnd_below(0x2000));
	else
		addr_set4(a, rnd());
}

static int addr_fam(const struct nv_fwc_addr *m)
{
	if (m->group || m->pfx.len < 96)
		return FAM_ANY;
	return addr_is4(&m->pfx.addr) ? FAM_V4 : FAM_V6;
}

/* A packet @r matches (unless its source and destination families
 * cannot agree); an earlier rule may match it too. */
static void key_for_rule(const struct world *w, struct nv_fwc_key *k,
			 const struct nv_fwc_rule *r)
{
	int fam = addr_fam(&r->src);

	memset(k, 0, sizeof(*k));
	if (fam == FAM_ANY)
		fam = addr_fam(&r->dst);
	if (fam == FAM_ANY && (r->flags & NV_FWC_F_PROTO))
		fam = r->proto == IPPROTO_ICMPV6 ? FAM_V6 :
		      r->proto == IPPROTO_ICMP ? FAM_V4 : FAM_ANY;
	if (fam == FAM_ANY)
		fam = chance(60) ? FAM_V4 : FAM_V6;
	addr_pick(&k->src, &r->src, fam);
	fam = addr_is4(&k->src) ? FAM_V4 : FAM_V6;
	addr_pick(&k->dst, &r->dst, fam);
	if (r->slots)
		k->slot = r->slots->slot[rnd_below(r->slots->n)];
	else if (r->flags & NV_FWC_F_SLOT)
		k->slot = r->slot;
	else
		k->slot = w->slot[rnd_below(w->nports)];
	if (r->flags & NV_FWC_F_PROTO)
		k->proto = r->proto;
	else
		k->proto = fam == FAM_V4 ? (u8[]){ 6, 17, 1 }[rnd_below(3)] :
					   (u8[]){ 6, 17, 58 }[rnd_below(3)];
	key_l4(k, r);
}

/* Traffic to a VM from anywhere: matched by broad rules, or by none. */
static void key_background(const struct world *w, struct nv_fwc_key *k)
{
	u32 vm = rnd_below(w->nports);
	bool v6 = chance(35);

	memset(k, 0, sizeof(*k));
	k->slot = w->slot[vm];
	k->dst = v6 ? w->vm6[vm] : w->vm4[vm];
	if (chance(30))
		k->src = v6 ? w->vm6[rnd_below(w->nports)] :
			 w->vm4[rnd_below(w->nports)];
	else if (v6)
		addr_rnd6(&k->src, 0x2000 | rnd_below(0x2000));
	else
		addr_set4(&k->src, rnd());
	k->proto = (u8[]){ 6, 6, 6, 17, 17, 47 }[rnd_below(6)];
	if (chance(10))
		k->proto = v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
	key_l4(k, NULL);
}

/*
 * One packet of a trace: 30% packets of a random rule, 15% of the first
 * 5% of the rules (by priority), 15% of the last 20%, 40% background
 * traffic.
 */
static void key_pick(const struct world *w, struct nv_fwc_key *k,
		     const struct nv_fwc_rule *r, const u32 *order, u32 n)
{
	u32 x = rnd_below(100);

	if (x < 30)
		key_for_rule(w, k, &r[rnd_below(n)]);
	else if (x < 45)
		key_for_rule(w, k, &r[order[rnd_below(n / 20 + 1)]]);
	else if (x < 60)
		key_for_rule(w, k, &r[order[n - 1 - rnd_below(n / 5 + 1)]]);
	else
		key_background(w, k);
}

/*
 * A trace of packets: the addresses of a packet are of one family, as
 * the firewall's keys are (mixed keys are left to the edge checks).
 */
static struct nv_fwc_key *trace_make(const struct world *w,
				     const struct nv_fwc_rule *r,
				     const u32 *order, u32 n, u32 len)
{
	struct nv_fwc_key *t = xcalloc(len, sizeof(*t));
	u32 i;

	for (i = 0; i < len; i++)
		do
			key_pick(w, &t[i], r, order, n);
		while (addr_is4(&t[i].src) != addr_is4(&t[i].dst));
	return t;
}

/* Reference check */

static u64 seed_base = 1;

/* A rule set, its world, and the rule order the reference uses. */
struct set {
	struct world w;
	struct nv_fwc_rule *r;
	u32 *order;
	u32 n;
};

static void set_make(struct set *s, u32 n, u64 seed)
{
	rng = seed * 0x9e3779b97f4a7c15ULL + 1;
	s->n = n;
	world_make(&s->w, n);
	s->r = rules_make(&s->w, n);
	s->order = ref_order(s->r, n);
}

static void set_free(struct set *s)
{
	world_free(&s->w);
	free(s->r);
	free(s->order);
}

static void key_print(const struct nv_fwc_key *k)
{
	const u8 *s = k->src.s6_addr, *d = k->dst.s6_addr;
	int i;

	fprintf(stderr, "key: slot %u proto %u sport %u dport %u type %u\n  src ",
		k->slot, k->proto, k->sport, k->dport, k->icmp_type);
	for (i = 0; i < 16; i++)
		fprintf(stderr, "%02x", s[i]);
	fprintf(stderr, "\n  dst ");
	for (i = 0; i < 16; i++)
		fprintf(stderr, "%02x", d[i]);
	fprintf(stderr, "\n");
}

static u32 checked, matched;

static void compare(const struct nv_fwc *c, const struct set *s,
		    const struct nv_fwc_key *k, const char *what)
{
	int want = ref_lookup(s->r, s->order, s->n, k);
	int got = nv_fwc_lookup(c, k);

	checked++;
	matched += want >= 0;
	if (got == want)
		return;
	key_print(k);
	fprintf(stderr, "%s: got rule %d, want %d\n", what, got, want);
	die("mismatch");
}

/* Moves a packet of rule @r to an edge of one of its fields. */
static void key_edge(struct nv_fwc_key *k, const struct nv_fwc_rule *r,
		     const struct set *s)
{
	const struct nv_fwc_addr *a = rnd_below(2) ? &r->src : &r->dst;
	struct in6_addr *x = a == &r->src ? &k->src : &k->dst;
	u32 e = rnd_below(6), i;

	switch (e) {
	case 0:
	case 1:
		if (r->flags & NV_FWC_F_DPORT)
			k->dport = e ? r->dport.hi + 1 : r->dport.lo - 1;
		else if (r->flags & NV_FWC_F_SPORT)
			k->sport = e ? r->sport.hi : r->sport.lo;
		break;
	case 2:
	case 3:
		/* First or last address of the prefix, or just past it. */
		if (a->group || !a->pfx.len)
			break;
		*x = a->pfx.addr;
		for (i = a->pfx.len; i < 128; i++)
			if (e == 3)
				x->s6_addr[i / 8] |= 0x80 >> (i % 8);
		if (rnd_below(2))
			for (i = 15; i < 16 && !++x->s6_addr[i]; i--)
				;
		break;
	case 4:
		k->slot = s->w.slot[rnd_below(s->w.nports)];
		break;
	default:
		k->icmp_type = rnd();
		k->proto = rnd_below(2) ? IPPROTO_ICMP : rnd();
	}
}

static void check_packets(const struct nv_fwc *c, const struct set *s,
			  u32 count)
{
	struct nv_fwc_key *t = trace_make(&s->w, s->r, s->order, s->n, count);
	struct nv_fwc_key k;
	u32 i;

	for (i = 0; i < count; i++)
		compare(c, s, &t[i], "trace");
	for (i = 0; s->n && i < count; i++) {
		const struct nv_fwc_rule *r = &s->r[rnd_below(s->n)];

		key_for_rule(&s->w, &k, r);
		key_edge(&k, r, s);
		compare(c, s, &k, "edge");
	}
	free(t);
}

static struct nv_fwc *build_ok(const struct nv_fwc_rule *r, u32 n)
{
	struct nv_fwc *c = nv_fwc_build(r, n, GFP_KERNEL);

	if (IS_ERR(c)) {
		fprintf(stderr, "build of %u rules: error %ld\n", n, PTR_ERR(c));
		die("build failed");
	}
	return c;
}

/*
 * Allocation failures at @tries points of a build: each must fail with
 * -ENOMEM and leave nothing allocated.
 */
static void check_failures(const struct nv_fwc_rule *r, u32 n, u32 tries)
{
	struct nv_fwc *c;
	long allocs;
	u32 i;

	nv_compat_fail_at = 1L << 40;
	nv_fwc_free(build_ok(r, n));
	allocs = (1L << 40) - nv_compat_fail_at;
	for (i = 0; i < tries; i++) {
		nv_compat_fail_at = tries >= allocs ? i % allocs + 1 :
				    1 + rnd_below(allocs);
		c = nv_fwc_build(r, n, GFP_KERNEL);
		nv_compat_fail_at = 0;
		if (!IS_ERR(c) || PTR_ERR(c) != -ENOMEM)
			die("a failed allocation did not fail the build");
		if (nv_compat_live)
			die("a failed build leaked");
	}
}

static void check_set(u32 n, u64 seed, u32 probes, u32 failures)
{
	struct nv_fwc_stats st;
	struct nv_fwc *c;
	struct set s;

	set_make(&s, n, seed);
	c = build_ok(s.r, n);
	checked = 0;
	matched = 0;
	check_packets(c, &s, probes);
	nv_fwc_stats(c, &st);
	printf("check: %6u rules seed %-3llu %6u packets (%2u%% match): ok"
	       " (%u trees, depth %u, longest leaf %u, %zu B/rule%s)\n",
	       n, (unsigned long long)seed, checked, matched * 100 / checked,
	       st.trees, st.depth, st.max_leaf, st.bytes / max(n, 1U),
	       st.degraded ? ", degraded" : "");
	nv_fwc_free(c);
	check_failures(s.r, n, failures);
	set_free(&s);
	if (nv_compat_live)
		die("leaked or double-freed objects");
}

/*
 * Rule sets built to hurt a decision tree: prefixes and port ranges that
 * all overlap, each rule narrow on one field and open on the others in
 * turn. Memory must stay within the budget; answers must stay right.
 */
static void adversarial(struct set *s, u32 n, u32 kind)
{
	u32 i;

	rng = 77 + kind;
	s->n = n;
	world_make(&s->w, 100);
	s->r = xcalloc(n, sizeof(*s->r));
	for (i = 0; i < n; i++) {
		struct nv_fwc_rule *r = &s->r[i];

		r->prio = rnd_below(n);
		r->handle = i;
		r->flags = NV_FWC_F_PROTO | NV_FWC_F_DPORT;
		r->proto = IPPROTO_TCP;
		r->dport.hi = 65535;
		if (kind == 0) {
			/* Short prefixes crossing on source and destination. */
			pfx_set4(&r->src.pfx, rnd(), 8 + rnd_below(9));
			pfx_set4(&r->dst.pfx, rnd(), 8 + rnd_below(9));
			r->dport.lo = rnd_below(1024);
		} else if (kind == 1) {
			/* Nested port ranges, half on each port. */
			struct nv_fwc_range *p = i % 2 ? &r->dport : &r->sport;

			r->flags |= NV_FWC_F_SPORT;
			r->sport.hi = 65535;
			p->lo = rnd_below(32768);
			p->hi = 65535 - rnd_below(32768);
		} else {
			/* One field narrow, the others open, in turn. */
			if (i % 3 == 0)
				pfx_set4(&r->src.pfx, rnd(), 24 + rnd_below(9));
			else if (i % 3 == 1)
				pfx_set4(&r->dst.pfx, rnd(), 24 + rnd_below(9));
			else
				r->dport.lo = r->dport.hi = rnd();
		}
	}
	s->order = ref_order(s->r, n);
}

static void check_adversarial(u32 n, u32 probes)
{
	struct nv_fwc_stats st;
	struct nv_fwc *c;
	struct set s;
	u32 kind, i;

	for (kind = 0; kind < 3; kind++) {
		adversarial(&s, n, kind);
		c = build_ok(s.r, n);
		checked = 0;
		matched = 0;
		for (i = 0; i < probes; i++) {
			struct nv_fwc_key k;

			key_for_rule(&s.w, &k, &s.r[rnd_below(n)]);
			if (i % 2)
				key_edge(&k, &s.r[rnd_below(n)], &s);
			compare(c, &s, &k, "adversarial");
		}
		nv_fwc_stats(c, &st);
		printf("check: adversarial %u, %u rules: ok (%u trees, depth %u,"
		       " longest leaf %u, %zu B/rule%s)\n", kind, n, st.trees,
		       st.depth, st.max_leaf, st.bytes / n,
		       st.degraded ? ", degraded" : "");
		if (st.bytes > (size_t)2 * (n * (128 + 4 * NV_FWC_TREE_WORDS) +
					    4 * NV_FWC_TREE_WORDS_MIN))
			die("memory past the budget");
		nv_fwc_free(c);
		set_free(&s);
	}
}

/* Rules the build must refuse, and why. */
static void check_invalid(void)
{
	static const struct nv_fwc_prefix big[] = { { .len = 0 } };
	struct nv_fwc_group huge = { .pfx = big, .n = NV_FWC_MAX_GROUP + 1 };
	u16 bad_slot = NV_MAX_PORTS;
	struct nv_fwc_slots slots = { .slot = &bad_slot, .n = 1 };
	struct nv_fwc_rule r[2];
	struct nv_fwc *c;
	int i;
	static const struct {
		u32 flags;
		u8 proto;
		u16 lo, hi;
		int err;
	} cases[] = {
		{ NV_FWC_F_DPORT, 0, 1, 2, -EINVAL },	/* ports, no proto */
		{ NV_FWC_F_PROTO | NV_FWC_F_DPORT, 1, 1, 2, -EINVAL },
		{ NV_FWC_F_PROTO | NV_FWC_F_SPORT, 6, 3, 2, -EINVAL },
		{ NV_FWC_F_PROTO | NV_FWC_F_TYPE, 6, 0, 0, -EINVAL },
		{ NV_FWC_F_TYPE, 0, 0, 0, -EINVAL },
		{ BIT(7), 0, 0, 0, -EINVAL },
		{ NV_FWC_F_PROTO | NV_FWC_F_DPORT, 132, 2, 2, 0 },
		{ NV_FWC_F_PROTO | NV_FWC_F_TYPE, 58, 0, 0, 0 },
	};

	for (i = 0; i < (int)ARRAY_SIZE(cases); i++) {
		memset(r, 0, sizeof(r));
		r[0].flags = cases[i].flags;
		r[0].proto = cases[i].proto;
		r[0].sport = (struct nv_fwc_range){ cases[i].lo, cases[i].hi };
		r[0].dport = r[0].sport;
		c = nv_fwc_build(r, 1, GFP_KERNEL);
		if (IS_ERR(c) ? PTR_ERR(c) != cases[i].err : cases[i].err)
			die("invalid rule not refused as it should be");
		if (!IS_ERR(c))
			nv_fwc_free(c);
	}
	memset(r, 0, sizeof(r));
	r[0].src.pfx.len = 129;
	if (PTR_ERR(nv_fwc_build(r, 1, GFP_KERNEL)) != -EINVAL)
		die("prefix length 129 accepted");
	r[0].src.pfx.len = 0;
	r[0].flags = NV_FWC_F_SLOT;
	r[0].slot = NV_MAX_PORTS;
	if (PTR_ERR(nv_fwc_build(r, 1, GFP_KERNEL)) != -EINVAL)
		die("slot past NV_MAX_PORTS accepted");
	r[0].flags = 0;
	r[0].slots = &slots;
	if (PTR_ERR(nv_fwc_build(r, 1, GFP_KERNEL)) != -EINVAL)
		die("port group member past NV_MAX_PORTS accepted");
	r[0].slots = NULL;
	r[0].dst.group = &huge;
	if (PTR_ERR(nv_fwc_build(r, 1, GFP_KERNEL)) != -E2BIG)
		die("group past NV_FWC_MAX_GROUP accepted");
	r[0].dst.group = NULL;
	if (PTR_ERR(nv_fwc_build(r, 2, GFP_KERNEL)) != -EINVAL)
		die("equal priority and handle accepted");
	if (PTR_ERR(nv_fwc_build(r, NV_FWC_MAX_RULES + 1, GFP_KERNEL)) != -E2BIG)
		die("more than NV_FWC_MAX_RULES accepted");
	c = build_ok(NULL, 0);
	if (nv_fwc_lookup(c, &(struct nv_fwc_key){ .proto = 6 }) != -1)
		die("an empty classifier matched");
	nv_fwc_free(c);
	if (nv_compat_live)
		die("leaked or double-freed objects");
	printf("check: invalid rules refused, empty rule set: ok\n");
}

/* quick: up to 3000 rules, for memcheck; default: up to 100000. */
static int check(const char *mode)
{
	static const u32 sizes[] = { 1, 3, 10, 30, 100, 300, 1000, 3000,
				     10000, 30000, 100000 };
	bool quick = mode && !strcmp(mode, "quick");
	u32 i, seed, nsizes = quick ? 8 : ARRAY_SIZE(sizes);

	check_invalid();
	for (i = 0; i < nsizes; i++) {
		u32 seeds = sizes[i] <= 300 ? (quick ? 4 : 20) : 2;

		for (seed = 0; seed < seeds; seed++)
			check_set(sizes[i], seed_base + seed,
				  sizes[i] > 10000 ? 20000 : 4000,
				  sizes[i] <= 300 ? 30 : 3);
	}
	check_adversarial(quick ? 2000 : 20000, quick ? 2000 : 20000);
	return 0;
}

/* Benchmark */

#define DECISIONS	200000

/*
 * Rule sets measured per size, seeds FW_SEED (default 1) onwards: ten
 * rules drawn once say little of ten rules in general (one seed's may
 * cost half as much as another's), so the small sizes are averaged over
 * many rule sets, the large ones, samples of thousands of rules, over a
 * few.
 */
static const u32 bench_sizes[] = { 10, 100, 1000, 10000, 100000 };
static const u32 bench_sets[] = { 16, 16, 8, 2, 2 };
#define NSIZES		ARRAY_SIZE(bench_sizes)

static const char *cg_out;
static int cg_dumps;

/* Instructions callgrind counted since the previous dump. */
static long long cg_dump(const char *what)
{
	char path[512], line[256];
	long long n = -1;
	FILE *f;

	CALLGRIND_DUMP_STATS_AT(what);
	if (!RUNNING_ON_VALGRIND || !cg_out)
		return -1;
	snprintf(path, sizeof(path), "%s.%d", cg_out, ++cg_dumps);
	f = fopen(path, "r");
	if (!f)
		die("no callgrind dump; run with --callgrind-out-file=$NV_CG_OUT");
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "totals: %lld", &n) == 1)
			break;
	fclose(f);
	return n;
}

static __attribute__((noinline)) struct nv_fwc *
bench_build(const struct nv_fwc_rule *r, u32 n)
{
	return build_ok(r, n);
}

static __attribute__((noinline)) u32 run_lookups(const struct nv_fwc *c,
						 const struct nv_fwc_key *t,
						 u32 len, u32 *hits)
{
	u32 i, sum = 0;

	*hits = 0;
	for (i = 0; i < len; i++) {
		int v = nv_fwc_lookup(c, &t[i]);

		sum += v;
		*hits += v >= 0;
	}
	return sum;
}

/* A size's sums over its rule sets, then their means. */
struct row {
	u32 n, sets;
	double lookup, lo, hi, bytes, build, entries;
	u32 trees, depth, max_leaf, degraded;
	u64 hits, decisions;
};

static void measure_one(u32 n, u64 seed, u32 decisions, struct row *row)
{
	struct nv_fwc_stats st;
	struct nv_fwc_key *t;
	volatile u32 sink;
	struct nv_fwc *c;
	double lookup;
	struct set s;
	long long cnt;
	u32 hits;

	set_make(&s, n, seed);
	t = trace_make(&s.w, s.r, s.order, n, decisions);
	CALLGRIND_START_INSTRUMENTATION;
	c = bench_build(s.r, n);
	cnt = cg_dump("build");
	row->build += cnt >= 0 ? (double)cnt / n : -1;
	sink = run_lookups(c, t, decisions, &hits);
	lookup = (double)cg_dump("lookup") / decisions;
	CALLGRIND_STOP_INSTRUMENTATION;
	(void)sink;
	row->lookup += lookup;
	row->lo = row->sets && row->lo < lookup ? row->lo : lookup;
	row->hi = row->hi > lookup ? row->hi : lookup;
	row->hits += hits;
	row->decisions += decisions;
	nv_fwc_stats(c, &st);
	row->bytes += (double)st.bytes / n;
	row->entries += (double)st.entries / n;
	row->trees = max(row->trees, st.trees);
	row->depth = max(row->depth, st.depth);
	row->max_leaf = max(row->max_leaf, st.max_leaf);
	row->degraded += st.degraded;
	row->sets++;
	nv_fwc_free(c);
	free(t);
	set_free(&s);
}

static void row_print(const struct row *r, double base)
{
	printf("%7u %9.1f %6.0f-%-6.0f %8.1f %6.2f %10.0f %5u %5u %5u %8.2f %5llu%%",
	       r->n, r->lookup, r->lo, r->hi, r->bytes, r->lookup / base,
	       r->build, r->trees, r->depth, r->max_leaf, r->entries,
	       (unsigned long long)(r->hits * 100 / r->decisions));
	if (r->degraded)
		printf(" degraded (%u of %u)", r->degraded, r->sets);
	printf("\n");
}

static int measure(void)
{
	struct row rows[NSIZES] = {};
	double ratio;
	u32 i, k;

	cg_out = getenv("NV_CG_OUT");
	if (!RUNNING_ON_VALGRIND)
		fprintf(stderr, "not under callgrind: no instruction counts\n");
	for (i = 0; i < NSIZES; i++) {
		struct row *r = &rows[i];

		r->n = bench_sizes[i];
		for (k = 0; k < bench_sets[i]; k++)
			measure_one(r->n, seed_base + k,
				    DECISIONS / bench_sets[i], r);
		r->lookup /= r->sets;
		r->bytes /= r->sets;
		r->build /= r->sets;
		r->entries /= r->sets;
	}
	printf("\nseeds from %llu; per size, the mean of its rule sets "
	       "(%u decisions in all)\n", (unsigned long long)seed_base,
	       DECISIONS);
	printf("%7s %9s %13s %8s %6s %10s %5s %5s %5s %8s %6s\n", "rules",
	       "instr/dec", "sets' range", "B/rule", "ratio", "build/rule",
	       "trees", "depth", "leaf", "entries", "match");
	for (i = 0; i < NSIZES; i++)
		row_print(&rows[i], rows[0].lookup);
	ratio = rows[NSIZES - 1].lookup / rows[0].lookup;
	printf("target: instructions per decision %u/%u <= 2.0: %.2f%s\n",
	       bench_sizes[NSIZES - 1], bench_sizes[0], ratio,
	       ratio <= 2.0 ? " ok" : " MISSED");
	return ratio <= 2.0 ? 0 : 1;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Build time, natively: the best of a few builds of each rule set. */
static int time_builds(void)
{
	u32 i, j;

	printf("build time, seed %llu (best of 3)\n",
	       (unsigned long long)seed_base);
	for (i = 0; i < NSIZES; i++) {
		double best = 1e9, t;
		struct nv_fwc *c;
		struct set s;

		set_make(&s, bench_sizes[i], seed_base);
		for (j = 0; j < 3; j++) {
			t = now();
			c = build_ok(s.r, s.n);
			t = now() - t;
			best = t < best ? t : best;
			nv_fwc_free(c);
		}
		printf("%7u rules: %8.2f ms, %6.2f us/rule\n", s.n, best * 1e3,
		       best * 1e6 / s.n);
		set_free(&s);
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *seed = getenv("FW_SEED");

	if (seed)
		seed_base = strtoull(seed, NULL, 0);
	if (argc > 1 && !strcmp(argv[1], "check"))
		return check(argc > 2 ? argv[2] : NULL);
	if (argc > 1 && !strcmp(argv[1], "measure"))
		return measure();
	if (argc > 1 && !strcmp(argv[1], "time"))
		return time_builds();
	fprintf(stderr, "usage: fw_bench { check [quick] | measure | time }\n");
	return 2;
}
