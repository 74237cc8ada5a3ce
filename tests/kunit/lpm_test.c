// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the LPM tables: edge cases from a table, then random
 * tables, updates, aborts and readers of an old table, each compared with
 * a linear search of the installed prefixes.
 */
#include <kunit/test.h>
#include <linux/inet.h>
#include <linux/mutex.h>
#include <linux/prandom.h>
#include <linux/slab.h>

#include "lpm.h"

#define REF_MAX		4096
#define PROBES		200

struct ref_route {
	u8 addr[16];
	u8 plen;
	u32 value;
};

/* An LPM, and the same prefixes in a plain array. */
struct lpm_ctx {
	struct kunit *test;
	struct mutex lock;	/* the writer's, held throughout */
	struct nv_lpm *lpm;
	struct rnd_state rnd;
	struct ref_route *ref;
	u32 n;
	bool v6;
};

static unsigned int addr_len(const struct lpm_ctx *c)
{
	return c->v6 ? 16 : 4;
}

static bool in_prefix(const u8 *addr, const u8 *pfx, u8 plen)
{
	u8 mask = 0xff << (8 - plen % 8);

	if (memcmp(addr, pfx, plen / 8))
		return false;
	return !(plen % 8) || !((addr[plen / 8] ^ pfx[plen / 8]) & mask);
}

static u32 ref_lookup(const struct lpm_ctx *c, const u8 *addr)
{
	u32 i, value = NV_LPM_NONE;
	int best = -1;

	for (i = 0; i < c->n; i++) {
		if (c->ref[i].plen > best &&
		    in_prefix(addr, c->ref[i].addr, c->ref[i].plen)) {
			best = c->ref[i].plen;
			value = c->ref[i].value;
		}
	}
	return value;
}

static struct ref_route *ref_find(struct lpm_ctx *c, const u8 *addr, u8 plen)
{
	u32 i;

	for (i = 0; i < c->n; i++)
		if (c->ref[i].plen == plen &&
		    !memcmp(c->ref[i].addr, addr, addr_len(c)))
			return &c->ref[i];
	return NULL;
}

/* Clears the host bits, as the LPM ignores them. */
static void mask_addr(u8 *addr, u8 plen, unsigned int len)
{
	unsigned int i;

	for (i = 0; i < len; i++) {
		if (plen >= 8 * (i + 1))
			continue;
		addr[i] &= plen > 8 * i ? 0xff << (8 - plen % 8) : 0;
	}
}

static struct lpm_ctx *ctx_new(struct kunit *test, bool v6, u64 seed)
{
	struct lpm_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, c);
	c->ref = kunit_kcalloc(test, REF_MAX, sizeof(*c->ref), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c->ref);
	c->test = test;
	c->v6 = v6;
	prandom_seed_state(&c->rnd, seed);
	mutex_init(&c->lock);
	c->lpm = nv_lpm_create(v6 ? 128 : 32, &c->lock);
	KUNIT_ASSERT_NOT_NULL(test, c->lpm);
	mutex_lock(&c->lock);
	return c;
}

static void ctx_free(struct lpm_ctx *c)
{
	mutex_unlock(&c->lock);
	/* The tables the commits replaced go after a grace period. */
	synchronize_rcu();
	nv_lpm_destroy(c->lpm);
	rcu_barrier();
}

static int stage(struct lpm_ctx *c, const u8 *addr, u8 plen, u32 value,
		 bool insert)
{
	struct ref_route *r;
	u8 a[16] = {};
	int ret;

	memcpy(a, addr, addr_len(c));
	mask_addr(a, plen, addr_len(c));
	if (!insert) {
		ret = nv_lpm_delete(c->lpm, a, plen);
		r = ref_find(c, a, plen);
		if (!ret && r)
			*r = c->ref[--c->n];
		return ret;
	}
	ret = nv_lpm_insert(c->lpm, a, plen, value);
	if (ret)
		return ret;
	r = ref_find(c, a, plen);
	if (!r) {
		KUNIT_ASSERT_LT(c->test, c->n, (u32)REF_MAX);
		r = &c->ref[c->n++];
		memcpy(r->addr, a, sizeof(a));
		r->plen = plen;
	}
	r->value = value;
	return 0;
}

static void commit(struct lpm_ctx *c)
{
	const struct nv_lpm_table *t = nv_lpm_prepare(c->lpm);

	KUNIT_ASSERT_FALSE(c->test, IS_ERR(t));
	nv_lpm_commit(c->lpm);
}

static u32 lookup(const struct nv_lpm_table *t, const u8 *addr, bool v6)
{
	struct in6_addr a6;
	__be32 a4;
	u32 v;

	memcpy(&a6, addr, sizeof(a6));
	memcpy(&a4, addr, sizeof(a4));
	rcu_read_lock();
	v = v6 ? nv_lpm_lookup6(t, &a6) : nv_lpm_lookup4(t, a4);
	rcu_read_unlock();
	return v;
}

/* Random bits, and @pfx's first plen bits when given. */
static void rnd_addr(struct lpm_ctx *c, u8 *addr, const struct ref_route *pfx)
{
	unsigned int i;

	prandom_bytes_state(&c->rnd, addr, 16);
	if (c->v6)
		addr[0] = 0x20 | (addr[0] & 0x1f);
	for (i = 0; pfx && i < addr_len(c); i++) {
		u8 keep = pfx->plen >= 8 * (i + 1) ? 0xff :
			  pfx->plen > 8 * i ? 0xff << (8 - pfx->plen % 8) : 0;

		addr[i] = (pfx->addr[i] & keep) | (addr[i] & ~keep);
	}
}

/* Sets the host bits of @addr; then adds one, to get past the prefix. */
static void prefix_end(u8 *addr, u8 plen, unsigned int len, bool past)
{
	int i;

	for (i = 0; i < len; i++)
		if (plen < 8 * (i + 1))
			addr[i] |= plen > 8 * i ? 0xff >> plen % 8 : 0xff;
	for (i = len - 1; past && i >= 0; i--)
		if (++addr[i])
			break;
}

/*
 * A lookup address: mostly inside an installed prefix, some at its first
 * or last address or just past it, some anywhere.
 */
static void rnd_probe(struct lpm_ctx *c, u8 *addr)
{
	u32 x = prandom_u32_state(&c->rnd) % 8;
	const struct ref_route *r;

	if (!c->n || !x) {
		rnd_addr(c, addr, NULL);
		return;
	}
	r = &c->ref[prandom_u32_state(&c->rnd) % c->n];
	rnd_addr(c, addr, r);
	if (x == 1)
		mask_addr(addr, r->plen, addr_len(c));
	else if (x <= 3)
		prefix_end(addr, r->plen, addr_len(c), x == 3);
}

/* IPv4: /24 50%, /16-/23 20%, /8-/15 5%, /25-/31 10%, /32 15%. */
static u8 rnd_plen(struct lpm_ctx *c)
{
	u32 x = prandom_u32_state(&c->rnd) % 100;

	if (!c->v6)
		return x < 50 ? 24 : x < 70 ? 16 + x % 8 : x < 75 ? 8 + x % 8 :
		       x < 85 ? 25 + x % 7 : 32;
	return x < 35 ? 48 : x < 45 ? 56 : x < 75 ? 64 : x < 80 ? 32 + x % 16 :
	       x < 85 ? 65 + x % 63 : 128;
}

/* A random new prefix; host routes half the time inside another prefix. */
static void add_random(struct lpm_ctx *c)
{
	u8 plen = rnd_plen(c), addr[16];
	bool inside = c->n && plen == 8 * addr_len(c) &&
		      prandom_u32_state(&c->rnd) % 2;

	rnd_addr(c, addr, inside ? &c->ref[prandom_u32_state(&c->rnd) % c->n] :
		 NULL);
	KUNIT_ASSERT_EQ(c->test, stage(c, addr, plen,
				       prandom_u32_state(&c->rnd) >> 8, true), 0);
}

static void del_random(struct lpm_ctx *c)
{
	struct ref_route r = c->ref[prandom_u32_state(&c->rnd) % c->n];

	KUNIT_ASSERT_EQ(c->test, stage(c, r.addr, r.plen, 0, false), 0);
}

/* Fails the test at the first address @t and the reference disagree on. */
static void check_table(struct lpm_ctx *c, const struct nv_lpm_table *t,
			int probes)
{
	u8 addr[16];
	u32 want, got;
	int i;

	for (i = 0; i < probes; i++) {
		rnd_probe(c, addr);
		want = ref_lookup(c, addr);
		got = lookup(t, addr, c->v6);
		if (got != want) {
			KUNIT_FAIL(c->test, "%*phN: got %u, want %u",
				   addr_len(c), addr, got, want);
			return;
		}
	}
}

static void check(struct lpm_ctx *c, int probes)
{
	struct nv_lpm_mem mem;

	check_table(c, nv_lpm_table(c->lpm), probes);
	nv_lpm_mem(c->lpm, &mem);
	KUNIT_EXPECT_EQ(c->test, mem.prefixes, c->n);
}

/* Edge cases */

/* As a route's value: delete the route. */
#define DEL		NV_LPM_NONE
#define NONE		NV_LPM_NONE

struct lpm_edge_route {
	const char *addr;
	u8 plen;
	u32 value;
};

struct lpm_edge_probe {
	const char *addr;
	u32 want;
};

/*
 * Routes applied in order, then addresses and what they must match; both
 * lists end at the first entry without an address.
 */
struct lpm_edge_case {
	const char *name;
	bool v6;
	struct lpm_edge_route routes[9];
	struct lpm_edge_probe probes[9];
};

static const struct lpm_edge_case lpm_edge_cases[] = {
	{ "v4 default route only", false,
	  { { "0.0.0.0", 0, 7 } },
	  { { "1.2.3.4", 7 }, { "0.0.0.0", 7 }, { "255.255.255.255", 7 } } },
	{ "v4 nested prefixes", false,
	  { { "10.0.0.0", 8, 1 }, { "10.1.0.0", 16, 2 }, { "10.1.2.0", 24, 3 },
	    { "10.1.2.3", 32, 4 } },
	  { { "10.9.9.9", 1 }, { "10.1.9.9", 2 }, { "10.1.2.9", 3 },
	    { "10.1.2.3", 4 }, { "10.1.2.2", 3 }, { "11.0.0.0", NONE } } },
	{ "v4 host routes at both ends", false,
	  { { "0.0.0.0", 32, 1 }, { "255.255.255.255", 32, 2 },
	    { "128.0.0.0", 1, 3 } },
	  { { "0.0.0.0", 1 }, { "0.0.0.1", NONE }, { "255.255.255.255", 2 },
	    { "255.255.255.254", 3 }, { "127.255.255.255", NONE } } },
	{ "v4 replace and delete", false,
	  { { "10.0.0.0", 8, 1 }, { "10.1.0.0", 16, 2 }, { "10.1.0.0", 16, DEL },
	    { "10.0.0.0", 8, 5 }, { "10.1.2.0", 24, 6 }, { "10.1.2.0", 24, 8 } },
	  { { "10.1.3.3", 5 }, { "10.1.2.3", 8 } } },
	{ "v4 default route deleted", false,
	  { { "0.0.0.0", 0, 1 }, { "1.0.0.0", 8, 2 }, { "0.0.0.0", 0, DEL } },
	  { { "1.1.1.1", 2 }, { "2.2.2.2", NONE } } },
	{ "v4 host bits ignored", false,
	  { { "10.1.2.3", 8, 1 } },
	  { { "10.200.0.0", 1 }, { "11.0.0.0", NONE } } },
	{ "v4 adjacent prefixes", false,
	  { { "192.168.0.0", 24, 1 }, { "192.168.1.0", 24, 2 },
	    { "192.168.0.128", 25, 3 } },
	  { { "192.168.0.127", 1 }, { "192.168.0.128", 3 },
	    { "192.168.0.255", 3 }, { "192.168.1.0", 2 },
	    { "192.168.2.0", NONE } } },
	{ "v6 default and host route", true,
	  { { "::", 0, 1 }, { "2001:db8::1", 128, 2 } },
	  { { "2001:db8::1", 2 }, { "2001:db8::2", 1 }, { "::", 1 },
	    { "ffff::", 1 } } },
	{ "v6 host routes in a /64", true,
	  { { "2001:db8:0:1::", 64, 1 }, { "2001:db8:0:1::5", 128, 2 },
	    { "2001:db8:0:1::6", 128, 3 } },
	  { { "2001:db8:0:1::5", 2 }, { "2001:db8:0:1::6", 3 },
	    { "2001:db8:0:1::7", 1 }, { "2001:db8:0:2::5", NONE } } },
	{ "v6 chain of nested prefixes", true,
	  { { "2000::", 3, 1 }, { "2001:db8::", 32, 2 }, { "2001:db8::", 48, 3 },
	    { "2001:db8::", 64, 4 }, { "2001:db8::", 96, 5 },
	    { "2001:db8::", 127, 6 }, { "2001:db8::1", 128, 7 } },
	  { { "2001:db8::1", 7 }, { "2001:db8::", 6 }, { "2001:db8::2", 5 },
	    { "2001:db8::1:0:0", 4 }, { "2001:db8:0:1::", 3 },
	    { "2001:db8:1::", 2 }, { "2001:db9::", 1 }, { "4000::", NONE } } },
	{ "v6 ends of the space", true,
	  { { "::", 128, 1 }, { "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 128, 2 },
	    { "8000::", 1, 3 } },
	  { { "::", 1 }, { "::1", NONE },
	    { "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 2 },
	    { "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe", 3 } } },
	{ "v6 prefixes across the 64-bit boundary", true,
	  { { "2001:db8:0:0:8000::", 65, 1 }, { "2001:db8::", 63, 2 },
	    { "2001:db8::", 66, 3 } },
	  { { "2001:db8:0:0:8000::1", 1 }, { "2001:db8:0:1::", 2 },
	    { "2001:db8::1", 3 }, { "2001:db8:0:0:4000::", 2 } } },
};

static void lpm_edge_desc(const struct lpm_edge_case *e, char *desc)
{
	strscpy(desc, e->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(lpm_edge, lpm_edge_cases, lpm_edge_desc);

static void parse_addr(struct kunit *test, bool v6, const char *s, u8 *addr)
{
	memset(addr, 0, 16);
	KUNIT_ASSERT_TRUE_MSG(test, v6 ? in6_pton(s, -1, addr, -1, NULL) :
				    in4_pton(s, -1, addr, -1, NULL),
			      "bad address %s", s);
}

/* Applies the case's routes, in one transaction or one per route. */
static void edge_routes(struct kunit *test, struct lpm_ctx *c,
			const struct lpm_edge_case *e, bool each)
{
	const struct lpm_edge_route *r;
	u8 addr[16];

	for (r = e->routes; r->addr; r++) {
		parse_addr(test, e->v6, r->addr, addr);
		KUNIT_ASSERT_EQ(test, stage(c, addr, r->plen, r->value,
					    r->value != DEL), 0);
		if (each)
			commit(c);
	}
	commit(c);
}

static void edge_probes(struct kunit *test, struct lpm_ctx *c,
			const struct lpm_edge_case *e)
{
	const struct lpm_edge_probe *p;
	u8 addr[16];

	for (p = e->probes; p->addr; p++) {
		parse_addr(test, e->v6, p->addr, addr);
		KUNIT_EXPECT_EQ_MSG(test, lookup(nv_lpm_table(c->lpm), addr, e->v6),
				    p->want, "lookup of %s", p->addr);
		KUNIT_EXPECT_EQ(test, ref_lookup(c, addr), p->want);
	}
}

static void lpm_test_edges(struct kunit *test)
{
	const struct lpm_edge_case *e = test->param_value;
	struct lpm_ctx *c = ctx_new(test, e->v6, 1);

	edge_routes(test, c, e, false);
	edge_probes(test, c, e);
	ctx_free(c);

	c = ctx_new(test, e->v6, 1);
	edge_routes(test, c, e, true);
	edge_probes(test, c, e);
	ctx_free(c);
}

static void lpm_test_empty(struct kunit *test)
{
	struct lpm_ctx *c4 = ctx_new(test, false, 1);
	struct lpm_ctx *c6 = ctx_new(test, true, 1);
	u8 addr[16] = { 0x20, 1, 0xd, 0xb8 };

	KUNIT_EXPECT_EQ(test, lookup(nv_lpm_table(c4->lpm), addr, false),
			NV_LPM_NONE);
	KUNIT_EXPECT_EQ(test, lookup(nv_lpm_table(c6->lpm), addr, true),
			NV_LPM_NONE);
	commit(c4);
	KUNIT_EXPECT_EQ(test, lookup(nv_lpm_table(c4->lpm), addr, false),
			NV_LPM_NONE);
	ctx_free(c4);
	ctx_free(c6);
}

static void lpm_test_rejects(struct kunit *test)
{
	struct lpm_ctx *c4 = ctx_new(test, false, 1);
	struct lpm_ctx *c6 = ctx_new(test, true, 1);
	u8 addr[16] = { 10 };

	KUNIT_EXPECT_EQ(test, nv_lpm_insert(c4->lpm, addr, 33, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, nv_lpm_insert(c6->lpm, addr, 129, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, nv_lpm_insert(c4->lpm, addr, 8, NV_LPM_NONE),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, nv_lpm_delete(c4->lpm, addr, 8), -ENOENT);
	KUNIT_EXPECT_EQ(test, nv_lpm_insert(c4->lpm, addr, 8, 1), 0);
	KUNIT_EXPECT_EQ(test, nv_lpm_delete(c4->lpm, addr, 16), -ENOENT);
	KUNIT_EXPECT_EQ(test, nv_lpm_delete(c4->lpm, addr, 0), -ENOENT);
	KUNIT_EXPECT_EQ(test, nv_lpm_delete(c6->lpm, addr, 8), -ENOENT);
	commit(c4);
	KUNIT_EXPECT_EQ(test, nv_lpm_delete(c4->lpm, addr, 8), 0);
	KUNIT_EXPECT_EQ(test, nv_lpm_delete(c4->lpm, addr, 8), -ENOENT);
	nv_lpm_abort(c4->lpm);
	KUNIT_EXPECT_EQ(test, lookup(nv_lpm_table(c4->lpm), addr, false), 1U);
	ctx_free(c4);
	ctx_free(c6);
}

/* Random tables */

static const bool lpm_families[] = { false, true };

static void lpm_family_desc(const bool *v6, char *desc)
{
	strscpy(desc, *v6 ? "IPv6" : "IPv4", KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(lpm_family, lpm_families, lpm_family_desc);

/* 2500 prefixes in one transaction: the direct array grows to 12 bits. */
static void lpm_test_random(struct kunit *test)
{
	struct lpm_ctx *c = ctx_new(test, *(const bool *)test->param_value, 2);
	u8 zero[16] = {};
	int i;

	KUNIT_ASSERT_EQ(test, stage(c, zero, 0, 99, true), 0);
	for (i = 0; i < 2500; i++)
		add_random(c);
	commit(c);
	check(c, 2000);
	ctx_free(c);
}

/*
 * Transactions of random inserts, replaces and deletes. A reader of the
 * published table sees it whole while the next one is prepared; every
 * tenth transaction aborts and leaves the table as it was.
 */
static void lpm_test_updates(struct kunit *test)
{
	struct lpm_ctx *c = ctx_new(test, *(const bool *)test->param_value, 3);
	struct ref_route *saved;
	const struct nv_lpm_table *old, *next;
	u32 i, j, n, saved_n;

	saved = kunit_kcalloc(test, REF_MAX, sizeof(*saved), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, saved);
	for (i = 0; i < 300; i++)
		add_random(c);
	commit(c);
	for (i = 0; i < 60; i++) {
		old = nv_lpm_table(c->lpm);
		memcpy(saved, c->ref, c->n * sizeof(*saved));
		saved_n = c->n;
		n = 1 + prandom_u32_state(&c->rnd) % (i % 3 ? 4 : 40);
		for (j = 0; j < n; j++) {
			u32 x = prandom_u32_state(&c->rnd) % 4;

			if (x == 0 && c->n)
				del_random(c);
			else if (x == 1 && c->n)
				KUNIT_ASSERT_EQ(test,
						stage(c, c->ref[0].addr, c->ref[0].plen,
						      i, true), 0);
			else
				add_random(c);
		}
		next = nv_lpm_prepare(c->lpm);
		KUNIT_ASSERT_FALSE(test, IS_ERR(next));
		check_table(c, next, PROBES);
		swap(c->ref, saved);
		swap(c->n, saved_n);
		check_table(c, old, PROBES);
		if (i % 10 == 9) {
			nv_lpm_abort(c->lpm);
			KUNIT_EXPECT_PTR_EQ(test, nv_lpm_table(c->lpm), old);
		} else {
			nv_lpm_commit(c->lpm);
			swap(c->ref, saved);
			swap(c->n, saved_n);
		}
		check(c, PROBES);
	}
	ctx_free(c);
}

/* The direct array grows past 2048 prefixes and shrinks below 512. */
static void lpm_test_resize(struct kunit *test)
{
	struct lpm_ctx *c = ctx_new(test, false, 4);
	struct nv_lpm_mem mem;
	int i;

	while (c->n < 2600) {
		for (i = 0; i < 400; i++)
			add_random(c);
		commit(c);
		check(c, 100);
	}
	nv_lpm_mem(c->lpm, &mem);
	KUNIT_EXPECT_EQ(test, mem.direct_bits, 12);
	while (c->n > 300) {
		for (i = 0; i < 300; i++)
			del_random(c);
		commit(c);
		check(c, 100);
	}
	nv_lpm_mem(c->lpm, &mem);
	KUNIT_EXPECT_EQ(test, mem.direct_bits, 6);
	ctx_free(c);
}

static struct kunit_case lpm_test_cases[] = {
	KUNIT_CASE(lpm_test_empty),
	KUNIT_CASE(lpm_test_rejects),
	KUNIT_CASE_PARAM(lpm_test_edges, lpm_edge_gen_params),
	KUNIT_CASE_PARAM(lpm_test_random, lpm_family_gen_params),
	KUNIT_CASE_PARAM(lpm_test_updates, lpm_family_gen_params),
	KUNIT_CASE(lpm_test_resize),
	{}
};

static struct kunit_suite lpm_test_suite = {
	.name = "netvirt-lpm",
	.test_cases = lpm_test_cases,
};

kunit_test_suite(lpm_test_suite);
