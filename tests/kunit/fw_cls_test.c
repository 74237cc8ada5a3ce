// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the firewall's compiled classifier: crafted edge cases,
 * then random rule sets (prefixes of both families, address groups, port
 * groups, port ranges, ICMP types) whose lookups must agree, packet for
 * packet, with a linear scan of the rules in (priority, handle) order.
 */
#include <kunit/test.h>
#include <linux/err.h>
#include <linux/in.h>
#include <linux/prandom.h>
#include <linux/slab.h>
#include <linux/sort.h>

#include "fw_cls.h"
#include "limits.h"

#define GROUPS		8
#define GROUP_PFX	12
#define PORT_GROUPS	4
#define PORT_MEMBERS	6
#define SLOTS		16
#define PROBES		3000

/* A random rule set and the objects its rules point to. */
struct cls_ctx {
	struct kunit *test;
	struct rnd_state rnd;
	struct nv_fwc_rule *rules;
	u32 *order;
	u32 n;
	struct nv_fwc_group group[GROUPS];
	struct nv_fwc_prefix pfx[GROUPS][GROUP_PFX];
	struct nv_fwc_slots pg[PORT_GROUPS];
	u16 members[PORT_GROUPS][PORT_MEMBERS];
};

static u32 rnd_below(struct cls_ctx *c, u32 n)
{
	return prandom_u32_state(&c->rnd) % n;
}

/* Linear reference */

static bool in_prefix(const struct in6_addr *a, const struct nv_fwc_prefix *p)
{
	u32 full = p->len / 8, rest = p->len % 8;

	if (memcmp(a->s6_addr, p->addr.s6_addr, full))
		return false;
	return !rest || !((a->s6_addr[full] ^ p->addr.s6_addr[full]) &
			  (0xff00 >> rest));
}

static bool ref_addr(const struct nv_fwc_addr *a, const struct in6_addr *x)
{
	u32 i;

	if (!a->group)
		return in_prefix(x, &a->pfx);
	for (i = 0; i < a->group->n; i++)
		if (in_prefix(x, &a->group->pfx[i]))
			return true;
	return false;
}

static bool ref_slot(const struct nv_fwc_rule *r, u16 slot)
{
	u32 i;

	if (!r->slots)
		return !(r->flags & NV_FWC_F_SLOT) || r->slot == slot;
	for (i = 0; i < r->slots->n; i++)
		if (r->slots->slot[i] == slot)
			return true;
	return false;
}

static bool ref_match(const struct nv_fwc_rule *r, const struct nv_fwc_key *k)
{
	u32 f = r->flags;

	return ref_slot(r, k->slot) &&
	       (!(f & NV_FWC_F_PROTO) || r->proto == k->proto) &&
	       (!(f & NV_FWC_F_SPORT) ||
		(r->sport.lo <= k->sport && k->sport <= r->sport.hi)) &&
	       (!(f & NV_FWC_F_DPORT) ||
		(r->dport.lo <= k->dport && k->dport <= r->dport.hi)) &&
	       (!(f & NV_FWC_F_TYPE) || r->icmp_type == k->icmp_type) &&
	       ref_addr(&r->src, &k->src) && ref_addr(&r->dst, &k->dst);
}

static int ref_lookup(const struct cls_ctx *c, const struct nv_fwc_key *k)
{
	u32 i;

	for (i = 0; i < c->n; i++)
		if (ref_match(&c->rules[c->order[i]], k))
			return c->order[i];
	return -1;
}

static const struct nv_fwc_rule *sort_rules;

static int order_cmp(const void *a, const void *b)
{
	const struct nv_fwc_rule *x = &sort_rules[*(const u32 *)a];
	const struct nv_fwc_rule *y = &sort_rules[*(const u32 *)b];

	if (x->prio != y->prio)
		return x->prio < y->prio ? -1 : 1;
	return x->handle < y->handle ? -1 : x->handle > y->handle;
}

/* Random rules */

static void addr4(struct in6_addr *a, u32 v4)
{
	memset(a, 0, sizeof(*a));
	a->s6_addr[10] = 0xff;
	a->s6_addr[11] = 0xff;
	a->s6_addr32[3] = cpu_to_be32(v4);
}

/* Addresses from a small space, so that rules and packets meet. */
static void rnd_addr(struct cls_ctx *c, struct in6_addr *a, bool v6)
{
	if (!v6) {
		addr4(a, 0x0a000000 | rnd_below(c, 4) << 8 | rnd_below(c, 8));
		return;
	}
	memset(a, 0, sizeof(*a));
	a->s6_addr[0] = 0xfd;
	a->s6_addr[7] = rnd_below(c, 4);
	a->s6_addr[15] = rnd_below(c, 8);
}

static void rnd_prefix(struct cls_ctx *c, struct nv_fwc_prefix *p)
{
	static const u8 len4[] = { 0, 8, 24, 29, 30, 32, 32 };
	static const u8 len6[] = { 0, 16, 64, 125, 126, 128, 128 };
	bool v6 = rnd_below(c, 3) == 0;
	u32 i = rnd_below(c, ARRAY_SIZE(len4));

	rnd_addr(c, &p->addr, v6);
	p->len = v6 ? len6[i] : len4[i] ? 96 + len4[i] : 0;
	if (!v6 && !len4[i] && rnd_below(c, 2))
		p->len = 96;
}

static void rnd_groups(struct cls_ctx *c)
{
	u32 g, i;

	for (g = 0; g < GROUPS; g++) {
		c->group[g].n = g ? 1 + rnd_below(c, GROUP_PFX) : 0;
		for (i = 0; i < c->group[g].n; i++)
			rnd_prefix(c, &c->pfx[g][i]);
		c->group[g].pfx = c->pfx[g];
	}
	for (g = 0; g < PORT_GROUPS; g++) {
		c->pg[g].n = g ? 1 + rnd_below(c, PORT_MEMBERS) : 0;
		for (i = 0; i < c->pg[g].n; i++)
			c->members[g][i] = rnd_below(c, SLOTS);
		c->pg[g].slot = c->members[g];
	}
}

static void rnd_range(struct cls_ctx *c, struct nv_fwc_range *r)
{
	r->lo = rnd_below(c, 2) ? rnd_below(c, 1100) : rnd_below(c, 65536);
	r->hi = r->lo + (rnd_below(c, 2) ? 0 : rnd_below(c, 65536 - r->lo));
}

static void rnd_l4(struct cls_ctx *c, struct nv_fwc_rule *r)
{
	static const u8 protos[] = { IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMP,
				     IPPROTO_ICMPV6, IPPROTO_SCTP, 47 };

	if (!rnd_below(c, 5))
		return;
	r->flags |= NV_FWC_F_PROTO;
	r->proto = protos[rnd_below(c, ARRAY_SIZE(protos))];
	if (r->proto == IPPROTO_ICMP || r->proto == IPPROTO_ICMPV6) {
		if (rnd_below(c, 2)) {
			r->flags |= NV_FWC_F_TYPE;
			r->icmp_type = rnd_below(c, 4) * 3;
		}
		return;
	}
	if (r->proto == 47)
		return;
	if (rnd_below(c, 4)) {
		r->flags |= NV_FWC_F_DPORT;
		rnd_range(c, &r->dport);
	}
	if (!rnd_below(c, 4)) {
		r->flags |= NV_FWC_F_SPORT;
		rnd_range(c, &r->sport);
	}
}

static void rnd_rule_addr(struct cls_ctx *c, struct nv_fwc_addr *a)
{
	if (!rnd_below(c, 5))
		a->group = &c->group[rnd_below(c, GROUPS)];
	else
		rnd_prefix(c, &a->pfx);
}

static void rnd_rule(struct cls_ctx *c, struct nv_fwc_rule *r, u32 i)
{
	u32 x = rnd_below(c, 10);

	memset(r, 0, sizeof(*r));
	r->prio = rnd_below(c, c->n / 2 + 1);
	r->handle = i;
	if (x < 2) {
		r->flags |= NV_FWC_F_SLOT;
		r->slot = rnd_below(c, SLOTS);
	} else if (x < 4) {
		r->slots = &c->pg[rnd_below(c, PORT_GROUPS)];
	}
	rnd_l4(c, r);
	rnd_rule_addr(c, &r->src);
	rnd_rule_addr(c, &r->dst);
}

static void ctx_make(struct kunit *test, struct cls_ctx *c, u32 n, u32 seed)
{
	u32 i;

	c->test = test;
	c->n = n;
	prandom_seed_state(&c->rnd, seed);
	rnd_groups(c);
	c->rules = kunit_kcalloc(test, max(n, 1U), sizeof(*c->rules),
				 GFP_KERNEL);
	c->order = kunit_kcalloc(test, max(n, 1U), sizeof(*c->order),
				 GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, c->rules);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, c->order);
	for (i = 0; i < n; i++) {
		rnd_rule(c, &c->rules[i], i);
		c->order[i] = i;
	}
	sort_rules = c->rules;
	sort(c->order, n, sizeof(*c->order), order_cmp, NULL);
}

/* Random packets */

static void rnd_key(struct cls_ctx *c, struct nv_fwc_key *k)
{
	static const u8 protos[] = { IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMP,
				     IPPROTO_ICMPV6, IPPROTO_SCTP, 47 };
	bool v6 = rnd_below(c, 3) == 0;

	memset(k, 0, sizeof(*k));
	rnd_addr(c, &k->src, v6);
	rnd_addr(c, &k->dst, v6);
	k->slot = rnd_below(c, SLOTS);
	k->proto = protos[rnd_below(c, ARRAY_SIZE(protos))];
	if (k->proto == IPPROTO_ICMP || k->proto == IPPROTO_ICMPV6) {
		k->icmp_type = rnd_below(c, 10);
	} else if (k->proto != 47) {
		k->sport = rnd_below(c, 2) ? rnd_below(c, 1100) :
					     rnd_below(c, 65536);
		k->dport = rnd_below(c, 2) ? rnd_below(c, 1100) :
					     rnd_below(c, 65536);
	}
}

static void addr_in(struct cls_ctx *c, struct in6_addr *a,
		    const struct nv_fwc_addr *m)
{
	const struct nv_fwc_prefix *p = &m->pfx;
	u32 i;

	if (m->group && m->group->n)
		p = &m->group->pfx[rnd_below(c, m->group->n)];
	for (i = p->len; i < 128; i++)
		if (rnd_below(c, 2))
			a->s6_addr[i / 8] ^= 0x80 >> (i % 8);
	for (i = 0; i < p->len; i++) {
		u8 bit = 0x80 >> (i % 8);

		a->s6_addr[i / 8] &= ~bit;
		a->s6_addr[i / 8] |= p->addr.s6_addr[i / 8] & bit;
	}
}

/* A packet a rule is about: its fields taken from the rule's. */
static void rule_key(struct cls_ctx *c, struct nv_fwc_key *k,
		     const struct nv_fwc_rule *r)
{
	rnd_key(c, k);
	addr_in(c, &k->src, &r->src);
	addr_in(c, &k->dst, &r->dst);
	if (r->slots && r->slots->n)
		k->slot = r->slots->slot[rnd_below(c, r->slots->n)];
	else if (r->flags & NV_FWC_F_SLOT)
		k->slot = r->slot;
	if (r->flags & NV_FWC_F_PROTO)
		k->proto = r->proto;
	if (r->flags & NV_FWC_F_TYPE)
		k->icmp_type = r->icmp_type;
	if (r->flags & NV_FWC_F_SPORT)
		k->sport = rnd_below(c, 2) ? r->sport.lo : r->sport.hi;
	if (r->flags & NV_FWC_F_DPORT)
		k->dport = rnd_below(c, 3) ? r->dport.lo + rnd_below(c, 2) :
					     r->dport.hi;
}

static void check_packets(struct cls_ctx *c, const struct nv_fwc *cls)
{
	struct nv_fwc_key k;
	u32 i, bad = 0;

	for (i = 0; i < PROBES; i++) {
		if (c->n && rnd_below(c, 2))
			rule_key(c, &k, &c->rules[rnd_below(c, c->n)]);
		else
			rnd_key(c, &k);
		if (nv_fwc_lookup(cls, &k) != ref_lookup(c, &k))
			bad++;
	}
	KUNIT_EXPECT_EQ(c->test, bad, 0U);
}

static void fwcls_random(struct kunit *test)
{
	static const u32 sizes[] = { 1, 5, 20, 100, 400, 1500 };
	struct cls_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	struct nv_fwc *cls;
	u32 i, seed;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, c);
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		for (seed = 1; seed <= 3; seed++) {
			ctx_make(test, c, sizes[i], seed * 1000 + i);
			cls = nv_fwc_build(c->rules, c->n, GFP_KERNEL);
			KUNIT_ASSERT_FALSE(test, IS_ERR(cls));
			check_packets(c, cls);
			nv_fwc_free(cls);
		}
	}
}

/* Crafted cases */

static struct nv_fwc *build(struct kunit *test, const struct nv_fwc_rule *r,
			    u32 n)
{
	struct nv_fwc *cls = nv_fwc_build(r, n, GFP_KERNEL);

	KUNIT_ASSERT_FALSE(test, IS_ERR(cls));
	return cls;
}

static void key4(struct nv_fwc_key *k, u32 src, u32 dst, u8 proto, u16 dport)
{
	memset(k, 0, sizeof(*k));
	addr4(&k->src, src);
	addr4(&k->dst, dst);
	k->proto = proto;
	k->dport = dport;
}

static void fwcls_empty(struct kunit *test)
{
	struct nv_fwc *cls = build(test, NULL, 0);
	struct nv_fwc_key k;

	key4(&k, 1, 2, IPPROTO_TCP, 80);
	KUNIT_EXPECT_EQ(test, nv_fwc_lookup(cls, &k), -1);
	nv_fwc_free(cls);
}

static void fwcls_wildcard(struct kunit *test)
{
	struct nv_fwc_rule r[2] = { { .prio = 5, .handle = 1 },
				    { .prio = 1, .handle = 2,
				      .flags = NV_FWC_F_PROTO,
				      .proto = IPPROTO_UDP } };
	struct nv_fwc *cls = build(test, r, 2);
	struct nv_fwc_key k;

	key4(&k, 1, 2, IPPROTO_TCP, 80);
	KUNIT_EXPECT_EQ(test, nv_fwc_lookup(cls, &k), 0);
	k.proto = IPPROTO_UDP;
	KUNIT_EXPECT_EQ(test, nv_fwc_lookup(cls, &k), 1);
	nv_fwc_free(cls);
}

static void fwcls_equal_prio(struct kunit *test)
{
	struct nv_fwc_rule r[3] = { { .prio = 7, .handle = 30 },
				    { .prio = 7, .handle = 10 },
				    { .prio = 7, .handle = 20 } };
	struct nv_fwc *cls = build(test, r, 3);
	struct nv_fwc_key k;

	key4(&k, 1, 2, IPPROTO_TCP, 80);
	KUNIT_EXPECT_EQ(test, nv_fwc_lookup(cls, &k), 1);
	nv_fwc_free(cls);
	r[1].handle = 30;
	KUNIT_EXPECT_EQ(test, PTR_ERR(nv_fwc_build(r, 3, GFP_KERNEL)),
			(long)-EINVAL);
}

static void fwcls_empty_group(struct kunit *test)
{
	static const struct nv_fwc_group none = {};
	static const struct nv_fwc_slots no_ports = {};
	struct nv_fwc_rule r[3] = { { .prio = 1, .handle = 1 },
				    { .prio = 2, .handle = 2 },
				    { .prio = 3, .handle = 3 } };
	struct nv_fwc_stats st;
	struct nv_fwc *cls;
	struct nv_fwc_key k;

	r[0].src.group = &none;
	r[1].slots = &no_ports;
	cls = build(test, r, 3);
	key4(&k, 1, 2, IPPROTO_TCP, 80);
	KUNIT_EXPECT_EQ(test, nv_fwc_lookup(cls, &k), 2);
	nv_fwc_stats(cls, &st);
	KUNIT_EXPECT_EQ(test, st.rules, 1U);
	nv_fwc_free(cls);
}

static void fwcls_zero_prefix(struct kunit *test)
{
	struct nv_fwc_rule r[2] = { { .prio = 1, .handle = 1 },
				    { .prio = 2, .handle = 2 } };
	struct nv_fwc *cls;
	struct nv_fwc_key k;

	/* ::/0 matches both families; ::ffff:0:0/96 IPv4 only. */
	r[0].src.pfx.len = 96;
	addr4(&r[0].src.pfx.addr, 0);
	r[0].flags = NV_FWC_F_PROTO;
	r[0].proto = IPPROTO_TCP;
	cls = build(test, r, 2);
	key4(&k, 0x01020304, 2, IPPROTO_TCP, 80);
	KUNIT_EXPECT_EQ(test, nv_fwc_lookup(cls, &k), 0);
	memset(&k.src, 0, sizeof(k.src));
	k.src.s6_addr[0] = 0x20;
	KUNIT_EXPECT_EQ(test, nv_fwc_lookup(cls, &k), 1);
	nv_fwc_free(cls);
}

static void addr6(struct in6_addr *a, u32 top, u8 low)
{
	memset(a, 0, sizeof(*a));
	a->s6_addr32[0] = cpu_to_be32(top);
	a->s6_addr[15] = low;
}

/*
 * A group of both families matches IPv4 and IPv6 keys (one forest each)
 * and keys mixing them (no forest: every rule is tested).
 */
static void fwcls_family_group(struct kunit *test)
{
	struct nv_fwc_prefix pfx[2] = {};
	struct nv_fwc_group g = { .pfx = pfx, .n = 2 };
	struct nv_fwc_rule r[2] = { { .prio = 1, .handle = 1,
				      .flags = NV_FWC_F_PROTO,
				      .proto = IPPROTO_TCP },
				    { .prio = 2, .handle = 2 } };
	struct nv_fwc *cls;
	struct nv_fwc_key k;

	addr4(&pfx[0].addr, 0x0a000000);
	pfx[0].len = 96 + 8;
	addr6(&pfx[1].addr, 0x20010db8, 0);
	pfx[1].len = 32;
	r[0].src.group = &g;
	cls = build(test, r, 2);
	key4(&k, 0x0a010203, 2, IPPROTO_TCP, 80);
	KUNIT_EXPECT_EQ(test, nv_fwc_lookup(cls, &k), 0);
	key4(&k, 0x0b010203, 2, IPPROTO_TCP, 80);
	KUNIT_EXPECT_EQ(test, nv_fwc_lookup(cls, &k), 1);
	addr6(&k.src, 0x20010db8, 1);
	KUNIT_EXPECT_EQ(test, nv_fwc_lookup(cls, &k), 0);
	addr6(&k.dst, 0x20010db8, 2);
	KUNIT_EXPECT_EQ(test, nv_fwc_lookup(cls, &k), 0);
	addr6(&k.src, 0x20010db9, 1);
	KUNIT_EXPECT_EQ(test, nv_fwc_lookup(cls, &k), 1);
	nv_fwc_free(cls);
}

static struct kunit_case fwcls_test_cases[] = {
	KUNIT_CASE(fwcls_empty),
	KUNIT_CASE(fwcls_wildcard),
	KUNIT_CASE(fwcls_equal_prio),
	KUNIT_CASE(fwcls_empty_group),
	KUNIT_CASE(fwcls_zero_prefix),
	KUNIT_CASE(fwcls_family_group),
	KUNIT_CASE(fwcls_random),
	{}
};

static struct kunit_suite fwcls_test_suite = {
	.name = "netvirt-fwcls",
	.test_cases = fwcls_test_cases,
};

kunit_test_suite(fwcls_test_suite);
