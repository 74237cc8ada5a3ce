// SPDX-License-Identifier: GPL-2.0
/*
 * User-space harness for src/lpm.c, built on the kernel API shims of
 * compat/:
 *
 *   lpm_bench check [quick|full]   random tables, updates, aborts, failed
 *                            allocations, checked against a reference
 *   lpm_bench measure        instructions per lookup and per update, and
 *                            bytes per prefix; run it under callgrind
 *                            (see the Makefile and README.md)
 *
 * The reference is deliberately naive: the installed prefixes in an array
 * plus a hash table on (prefix, length); a lookup probes every installed
 * length from the longest down.
 */
#include "nv_compat.h"

#include <valgrind/callgrind.h>

#include "lpm.h"

long nv_compat_fail_at;
long nv_compat_live;

/* xorshift64*: the same seed gives the same tables and traces. */
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

struct pfx {
	u64 k[2];
	u32 value;
	u8 plen;
};

static u64 mask64(u32 len)
{
	return len ? ~0ULL << (64 - len) : 0;
}

static void key_mask(u64 *k, u32 plen)
{
	if (plen <= 64) {
		k[0] &= mask64(plen);
		k[1] = 0;
	} else {
		k[1] &= mask64(plen - 64);
	}
}

static void key_bytes(const u64 *k, u8 *b)
{
	int i;

	for (i = 0; i < 16; i++)
		b[i] = k[i / 8] >> (56 - 8 * (i % 8));
}

/* Reference: prefixes in an array, indexed by a hash table. */
#define TOMB	UINT32_MAX

struct ref {
	bool v6;
	u32 bits;
	struct pfx *arr;
	size_t n, cap;
	u32 *tab;	/* index + 1 into arr; 0 free; TOMB deleted */
	size_t tsize, tused;
	u32 lens[129];
};

static size_t hash(const u64 *k, u8 plen)
{
	u64 h = k[0] * 0x9e3779b97f4a7c15ULL ^ k[1] * 0xc2b2ae3d27d4eb4fULL ^
		plen * 0x165667b19e3779f9ULL;

	return h ^ h >> 31;
}

static bool pfx_is(const struct pfx *p, const u64 *k, u8 plen)
{
	return p->plen == plen && p->k[0] == k[0] && p->k[1] == k[1];
}

/* Slot of a prefix, or where to add it. */
static size_t ref_slot(const struct ref *r, const u64 *k, u8 plen,
		       bool *found)
{
	size_t i = hash(k, plen) & (r->tsize - 1), tomb = SIZE_MAX;

	for (;; i = (i + 1) & (r->tsize - 1)) {
		u32 s = r->tab[i];

		if (!s) {
			*found = false;
			return tomb != SIZE_MAX ? tomb : i;
		}
		if (s == TOMB) {
			if (tomb == SIZE_MAX)
				tomb = i;
		} else if (pfx_is(&r->arr[s - 1], k, plen)) {
			*found = true;
			return i;
		}
	}
}

static void ref_rehash(struct ref *r, size_t size)
{
	bool found;
	size_t i;

	free(r->tab);
	r->tsize = size;
	r->tab = calloc(size, sizeof(*r->tab));
	r->tused = r->n;
	for (i = 0; i < r->n; i++)
		r->tab[ref_slot(r, r->arr[i].k, r->arr[i].plen, &found)] = i + 1;
}

static void ref_init(struct ref *r, bool v6)
{
	memset(r, 0, sizeof(*r));
	r->v6 = v6;
	r->bits = v6 ? 128 : 32;
	ref_rehash(r, 1024);
}

static void ref_free(struct ref *r)
{
	free(r->arr);
	free(r->tab);
}

static struct pfx *ref_find(const struct ref *r, const u64 *k, u8 plen)
{
	bool found;
	size_t i = ref_slot(r, k, plen, &found);

	return found ? &r->arr[r->tab[i] - 1] : NULL;
}

/* Adds or replaces; returns the value replaced, NV_LPM_NONE if none. */
static u32 ref_add(struct ref *r, const struct pfx *p)
{
	bool found;
	size_t i = ref_slot(r, p->k, p->plen, &found);
	u32 old;

	if (found) {
		old = r->arr[r->tab[i] - 1].value;
		r->arr[r->tab[i] - 1].value = p->value;
		return old;
	}
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 1024;
		r->arr = realloc(r->arr, r->cap * sizeof(*r->arr));
	}
	if (!r->tab[i])
		r->tused++;
	r->arr[r->n++] = *p;
	r->tab[i] = r->n;
	r->lens[p->plen]++;
	if (r->tused * 4 > r->tsize * 3)
		ref_rehash(r, r->n * 4 > r->tsize ? 2 * r->tsize : r->tsize);
	return NV_LPM_NONE;
}

static void ref_del(struct ref *r, const u64 *k, u8 plen)
{
	bool found;
	size_t i = ref_slot(r, k, plen, &found), at = r->tab[i] - 1;

	r->tab[i] = TOMB;
	r->lens[plen]--;
	if (at != --r->n) {
		r->arr[at] = r->arr[r->n];
		i = ref_slot(r, r->arr[at].k, r->arr[at].plen, &found);
		r->tab[i] = at + 1;
	}
}

static u32 ref_lookup(const struct ref *r, const u64 *addr)
{
	const struct pfx *p;
	int len;
	u64 k[2];

	for (len = r->bits; len >= 0; len--) {
		if (!r->lens[len])
			continue;
		k[0] = addr[0];
		k[1] = addr[1];
		key_mask(k, len);
		p = ref_find(r, k, len);
		if (p)
			return p->value;
	}
	return NV_LPM_NONE;
}

/* Workload */

/* A random address: IPv4 anywhere, IPv6 in 2000::/3. */
static void rnd_addr(bool v6, u64 *a)
{
	a[0] = v6 ? rnd() >> 3 | 1ULL << 61 : rnd() << 32;
	a[1] = v6 ? rnd() : 0;
}

/* A random address inside prefix @p. */
static void addr_in(bool v6, const struct pfx *p, u64 *a)
{
	u64 m0 = mask64(min(p->plen, 64)), m1 = mask64(max(p->plen, 64) - 64);

	a[0] = v6 ? rnd() : rnd() << 32;
	a[1] = v6 ? rnd() : 0;
	a[0] = (p->k[0] & m0) | (a[0] & ~m0);
	a[1] = (p->k[1] & m1) | (a[1] & ~m1);
}

/*
 * One random prefix. IPv4, by share: /24 55%, /16-/23 20%, /8-/15 3%,
 * /25-/31 5%, /32 17%. IPv6: /48 40%, /56 10%, /64 30%, /32-/47 3%,
 * /65-/127 2%, /128 15%. Half the host routes fall inside an installed
 * prefix (VMs in a subnet), the others anywhere.
 */
static void rnd_pfx(const struct ref *r, struct pfx *p)
{
	u32 x = rnd_below(1000);
	bool v6 = r->v6;

	if (!v6)
		p->plen = x < 550 ? 24 : x < 750 ? 16 + rnd_below(8) :
			  x < 780 ? 8 + rnd_below(8) :
			  x < 830 ? 25 + rnd_below(7) : 32;
	else
		p->plen = x < 400 ? 48 : x < 500 ? 56 : x < 800 ? 64 :
			  x < 830 ? 32 + rnd_below(16) :
			  x < 850 ? 65 + rnd_below(63) : 128;
	if (p->plen == r->bits && r->n && rnd_below(2))
		addr_in(v6, &r->arr[rnd_below(r->n)], p->k);
	else
		rnd_addr(v6, p->k);
	key_mask(p->k, p->plen);
	p->value = rnd_below(1U << 24);
}

/* A prefix not installed yet. */
static void new_pfx(const struct ref *r, struct pfx *p)
{
	do
		rnd_pfx(r, p);
	while (ref_find(r, p->k, p->plen));
}

/* A lookup address: 90% inside an installed prefix, 10% anywhere. */
static void rnd_dst(const struct ref *r, u64 *a)
{
	if (r->n && rnd_below(10))
		addr_in(r->v6, &r->arr[rnd_below(r->n)], a);
	else
		rnd_addr(r->v6, a);
}

/* The LPM side */

static struct mutex lock = { .held = 1 };

static u32 lpm_lookup(const struct nv_lpm_table *t, bool v6, const u64 *a)
{
	struct in6_addr in6;

	key_bytes(a, in6.s6_addr);
	return v6 ? nv_lpm_lookup6(t, &in6) : nv_lpm_lookup4(t, in6.s6_addr32[0]);
}

static int lpm_insert(struct nv_lpm *lpm, const struct pfx *p)
{
	u8 b[16];

	key_bytes(p->k, b);
	return nv_lpm_insert(lpm, b, p->plen, p->value);
}

static int lpm_delete(struct nv_lpm *lpm, const struct pfx *p)
{
	u8 b[16];

	key_bytes(p->k, b);
	return nv_lpm_delete(lpm, b, p->plen);
}

static void die(const char *what)
{
	fprintf(stderr, "lpm_bench: %s\n", what);
	exit(2);
}

/* Reference check */

#define PROBES	2000

struct probe {
	u64 a[2];
	u32 want;
};

/* Addresses to compare: random ones and the edges of some prefixes. */
static void probes_fill(const struct ref *r, struct probe *pr)
{
	int i;

	for (i = 0; i < PROBES; i++) {
		const struct pfx *p = r->n ? &r->arr[rnd_below(r->n)] : NULL;

		if (!p || i % 4 == 0) {
			rnd_dst(r, pr[i].a);
		} else {
			u64 m0 = mask64(min(p->plen, 64));
			u64 m1 = mask64(max(p->plen, 64) - 64);
			u64 last[2] = { p->k[0] | ~m0, p->k[1] | ~m1 };

			if (!r->v6)
				last[0] &= ~0ULL << 32;
			memcpy(pr[i].a, i % 4 == 1 ? p->k : last, 16);
			/* Just past the prefix's end. */
			if (i % 4 == 3 && !++pr[i].a[1] && r->v6)
				pr[i].a[0]++;
			if (i % 4 == 3 && !r->v6)
				pr[i].a[0] += 1ULL << 32;
		}
		pr[i].want = ref_lookup(r, pr[i].a);
	}
}

static void probes_check(const struct nv_lpm_table *t, bool v6,
			 const struct probe *pr, const char *when)
{
	int i;

	for (i = 0; i < PROBES; i++) {
		u32 got = lpm_lookup(t, v6, pr[i].a);

		if (got != pr[i].want) {
			fprintf(stderr, "%s: %016llx:%016llx: got %u want %u\n",
				when, (unsigned long long)pr[i].a[0],
				(unsigned long long)pr[i].a[1], got, pr[i].want);
			die("mismatch");
		}
	}
}

/* A staged change, for undoing it in the reference. */
struct op {
	struct pfx p;
	u32 old;	/* NV_LPM_NONE: was absent */
};

/* One transaction of @n random changes, maybe failing allocations. */
static void txn(struct ref *r, struct nv_lpm *lpm, int n, bool fail,
		bool shrink)
{
	struct probe *before = malloc(PROBES * sizeof(*before));
	struct probe *after = malloc(PROBES * sizeof(*after));
	struct op *ops = malloc(n * sizeof(*ops));
	const struct nv_lpm_table *old, *next;
	bool abort = !rnd_below(10);
	int i, done = 0, ret = 0;

	lock.held = 1;
	old = nv_lpm_table(lpm);
	probes_fill(r, before);
	if (fail)
		nv_compat_fail_at = 1 + rnd_below(4 * n + 40);
	for (i = 0; i < n && !ret; i++, done++) {
		struct op *o = &ops[i];
		u32 x = rnd_below(100);

		if (r->n && (x < (shrink ? 70 : 25))) {
			o->p = r->arr[rnd_below(r->n)];
			ret = lpm_delete(lpm, &o->p);
			if (!ret) {
				o->old = o->p.value;
				ref_del(r, o->p.k, o->p.plen);
			}
			continue;
		}
		if (r->n && x < 40)
			o->p = r->arr[rnd_below(r->n)];
		else
			new_pfx(r, &o->p);
		o->p.value = rnd_below(1U << 24);
		ret = lpm_insert(lpm, &o->p);
		if (!ret)
			o->old = ref_add(r, &o->p);
	}
	if (ret)
		done--;
	if (ret && ret != -ENOMEM)
		die("stage failed");
	next = ret ? ERR_PTR(ret) : nv_lpm_prepare(lpm);
	nv_compat_fail_at = 0;
	if (IS_ERR(next) && PTR_ERR(next) != -ENOMEM)
		die("prepare failed");
	if (!IS_ERR(next)) {
		probes_fill(r, after);
		probes_check(next, r->v6, after, "new table");
	}
	/* A reader of the published table sees it whole until commit. */
	probes_check(old, r->v6, before, "old table during prepare");
	if (!IS_ERR(next) && !abort) {
		nv_lpm_commit(lpm);
		probes_check(nv_lpm_table(lpm), r->v6, after, "after commit");
	} else {
		nv_lpm_abort(lpm);
		while (done-- > 0) {
			struct op *o = &ops[done];

			if (o->old == NV_LPM_NONE) {
				ref_del(r, o->p.k, o->p.plen);
			} else {
				o->p.value = o->old;
				ref_add(r, &o->p);
			}
		}
		if (nv_lpm_table(lpm) != old)
			die("abort changed the table");
		probes_check(old, r->v6, before, "after abort");
	}
	free(before);
	free(after);
	free(ops);
}

static const struct pfx default4 = { .plen = 0, .value = 0xdef };

/* Grows a table to @size in batches, churns it, shrinks it. */
static void check_one(bool v6, u32 size, u32 rounds, u64 seed)
{
	struct nv_lpm *lpm = nv_lpm_create(v6 ? 128 : 32, &lock);
	struct nv_lpm_mem mem;
	struct ref r;
	u32 i;

	rng = seed;
	ref_init(&r, v6);
	if (!lpm)
		die("create");
	txn(&r, lpm, 1, false, false);
	ref_add(&r, &default4);
	if (lpm_insert(lpm, &default4) || IS_ERR(nv_lpm_prepare(lpm)))
		die("default route");
	nv_lpm_commit(lpm);
	while (r.n < size)
		txn(&r, lpm, min_t(u32, size - r.n + 20, 1 + r.n / 2), false,
		    false);
	for (i = 0; i < rounds; i++)
		txn(&r, lpm, 1 + rnd_below(i % 3 ? 4 : 60), i % 5 == 4, false);
	while (r.n > size / 8)
		txn(&r, lpm, 1 + r.n / 4, false, true);
	for (i = 0; i < rounds / 4; i++)
		txn(&r, lpm, 1 + rnd_below(8), i % 3 == 2, false);
	nv_lpm_mem(lpm, &mem);
	printf("check: IPv%d %7u prefixes, %4u transactions: ok (%zu B/prefix, direct %u bits)\n",
	       v6 ? 6 : 4, size, rounds, mem.table / (mem.prefixes ?: 1),
	       mem.direct_bits);
	nv_lpm_destroy(lpm);
	ref_free(&r);
	if (nv_compat_live)
		die("leaked or double-freed objects");
}

/* Nested prefixes 1 to 8 bits apart along one address: long chains. */
static void check_chain(bool v6, u64 seed)
{
	struct nv_lpm *lpm = nv_lpm_create(v6 ? 128 : 32, &lock);
	struct probe *pr = malloc(PROBES * sizeof(*pr));
	struct ref r;
	struct pfx p;
	u32 len, i;

	rng = seed;
	ref_init(&r, v6);
	rnd_addr(v6, p.k);
	for (len = rnd_below(4); len <= r.bits; len += 1 + rnd_below(8)) {
		struct pfx q = p;

		key_mask(q.k, len);
		q.plen = len;
		q.value = len;
		ref_add(&r, &q);
		if (lpm_insert(lpm, &q))
			die("insert");
	}
	if (IS_ERR(nv_lpm_prepare(lpm)))
		die("prepare");
	nv_lpm_commit(lpm);
	for (i = 0; i < PROBES; i++) {
		addr_in(v6, &r.arr[rnd_below(r.n)], pr[i].a);
		pr[i].want = ref_lookup(&r, pr[i].a);
	}
	probes_check(nv_lpm_table(lpm), v6, pr, "chain");
	nv_lpm_destroy(lpm);
	ref_free(&r);
	free(pr);
}

/* quick: up to 3000 prefixes; default: 40000; full: 300000. */
static int check(const char *mode)
{
	static const u32 sizes[] = { 10, 300, 3000, 40000, 300000 };
	bool quick = mode && !strcmp(mode, "quick");
	u32 i, n = quick ? 3 : mode && !strcmp(mode, "full") ? 5 : 4;

	for (i = 1; i <= 50; i++) {
		check_chain(false, i);
		check_chain(true, i);
	}
	printf("check: 50 IPv4 and 50 IPv6 chains of nested prefixes: ok\n");
	for (i = 0; i < n; i++) {
		u32 rounds = quick ? 60 : i < 3 ? 300 : 60;

		check_one(false, sizes[i], rounds, 1 + i);
		check_one(true, sizes[i], rounds, 101 + i);
	}
	return 0;
}

/* Benchmark */

#define LOOKUPS		300000
#define UPDATES		1000
#define BUILD_MAX	100000	/* larger builds run uninstrumented */

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

static __attribute__((noinline)) void bench_build(struct ref *r,
						  struct nv_lpm *lpm)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (lpm_insert(lpm, &r->arr[i]))
			die("insert");
	if (IS_ERR(nv_lpm_prepare(lpm)))
		die("prepare");
	nv_lpm_commit(lpm);
}

/* One change, one transaction: what a single route update costs. */
static __attribute__((noinline)) void bench_update(struct nv_lpm *lpm,
						   const u8 *addr, u8 plen,
						   u32 value, bool insert)
{
	int ret = insert ? nv_lpm_insert(lpm, addr, plen, value) :
			   nv_lpm_delete(lpm, addr, plen);

	if (ret || IS_ERR(nv_lpm_prepare(lpm)))
		die("update");
	nv_lpm_commit(lpm);
}

/*
 * Each new prefix inserted then deleted, one transaction each, so that
 * the table keeps its size; callgrind counts the inserts or the deletes.
 */
static double bench_updates(struct nv_lpm *lpm, const struct pfx *upd,
			    bool inserts)
{
	u8 b[16];
	u32 i;

	for (i = 0; i < UPDATES; i++) {
		key_bytes(upd[i].k, b);
		if (inserts)
			CALLGRIND_TOGGLE_COLLECT;
		bench_update(lpm, b, upd[i].plen, upd[i].value, true);
		CALLGRIND_TOGGLE_COLLECT;
		bench_update(lpm, b, upd[i].plen, 0, false);
		if (!inserts)
			CALLGRIND_TOGGLE_COLLECT;
	}
	return (double)cg_dump(inserts ? "insert" : "delete") / UPDATES;
}

static u32 run_lookups(const struct nv_lpm_table *t, bool v6,
		       const void *trace)
{
	const struct in6_addr *a6 = trace;
	const __be32 *a4 = trace;
	u32 i, sum = 0;

	for (i = 0; i < LOOKUPS; i++)
		sum += v6 ? nv_lpm_lookup6(t, &a6[i]) : nv_lpm_lookup4(t, a4[i]);
	return sum;
}

struct row {
	u32 n;
	double lookup, bytes, insert, del, build, writer;
	u32 bits;
};

static void *trace_new(const struct ref *r)
{
	struct in6_addr *a6 = malloc(LOOKUPS * sizeof(*a6));
	__be32 *a4 = (void *)a6;
	u64 a[2];
	u32 i;

	for (i = 0; i < LOOKUPS; i++) {
		rnd_dst(r, a);
		key_bytes(a, a6[i].s6_addr);
		if (!r->v6)
			a4[i] = a6[i].s6_addr32[0];
	}
	return a6;
}

static void measure_one(bool v6, u32 size, struct row *row)
{
	struct nv_lpm *lpm = nv_lpm_create(v6 ? 128 : 32, &lock);
	struct pfx *upd = malloc(UPDATES * sizeof(*upd));
	volatile u32 sink;
	struct nv_lpm_mem mem;
	struct ref r;
	long long n;
	void *trace;
	u32 i;

	/* Same seed at every size: the same distribution, grown. */
	rng = v6 ? 6 : 4;
	ref_init(&r, v6);
	ref_add(&r, &default4);
	while (r.n < size) {
		struct pfx p;

		new_pfx(&r, &p);
		ref_add(&r, &p);
	}
	if (size <= BUILD_MAX)
		CALLGRIND_START_INSTRUMENTATION;
	bench_build(&r, lpm);
	n = cg_dump("build");
	row->build = size <= BUILD_MAX && n >= 0 ? (double)n / size : -1;
	CALLGRIND_START_INSTRUMENTATION;

	trace = trace_new(&r);
	sink = run_lookups(nv_lpm_table(lpm), v6, trace);
	row->lookup = (double)cg_dump("lookup") / LOOKUPS;

	for (i = 0; i < UPDATES; i++) {
		new_pfx(&r, &upd[i]);
		ref_add(&r, &upd[i]);
	}
	row->insert = bench_updates(lpm, upd, true);
	row->del = bench_updates(lpm, upd, false);
	CALLGRIND_STOP_INSTRUMENTATION;
	(void)sink;

	nv_lpm_mem(lpm, &mem);
	row->n = mem.prefixes;
	row->bytes = (double)mem.table / mem.prefixes;
	row->writer = (double)mem.writer / mem.prefixes;
	row->bits = mem.direct_bits;
	nv_lpm_destroy(lpm);
	ref_free(&r);
	free(trace);
	free(upd);
}

static void print_num(double x)
{
	if (x < 0)
		printf(" %9s", "-");
	else
		printf(" %9.1f", x);
}

/* Prints one family's table; returns whether it meets the targets. */
static bool report(bool v6, const struct row *rows, int n)
{
	double ratio = rows[n - 1].lookup / rows[0].lookup;
	bool ok = ratio <= 2.0 && (v6 || rows[n - 1].bytes <= 32);
	int i;

	printf("\nIPv%d: %d lookups per size, %d single-route transactions\n",
	       v6 ? 6 : 4, LOOKUPS, UPDATES);
	printf("%9s %9s %9s %9s %9s %9s %9s %9s %5s\n", "prefixes",
	       "instr/lkp", "B/prefix", "ratio", "insert", "delete",
	       "build/pfx", "writer B", "bits");
	for (i = 0; i < n; i++) {
		printf("%9u", rows[i].n);
		print_num(rows[i].lookup);
		print_num(rows[i].bytes);
		printf(" %9.2f", rows[i].lookup / rows[0].lookup);
		print_num(rows[i].insert);
		print_num(rows[i].del);
		print_num(rows[i].build);
		print_num(rows[i].writer);
		printf(" %5u\n", rows[i].bits);
	}
	printf("target: lookup ratio %u/%u <= 2.0: %.2f%s", rows[n - 1].n,
	       rows[0].n, ratio, ratio <= 2.0 ? " ok" : " MISSED");
	if (!v6)
		printf(", B/prefix at %u <= 32: %.1f%s", rows[n - 1].n,
		       rows[n - 1].bytes, rows[n - 1].bytes <= 32 ? " ok" :
		       " MISSED");
	printf("\n");
	return ok;
}

static int measure(void)
{
	static const u32 sizes[] = { 10, 1000, 100000, 1000000 };
	struct row rows[2][4];
	bool ok = true;
	int f, i;

	cg_out = getenv("NV_CG_OUT");
	if (!RUNNING_ON_VALGRIND)
		fprintf(stderr, "not under callgrind: no instruction counts\n");
	for (f = 0; f < 2; f++)
		for (i = 0; i < 4; i++)
			measure_one(f, sizes[i], &rows[f][i]);
	for (f = 0; f < 2; f++)
		ok &= report(f, rows[f], 4);
	return ok ? 0 : 1;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "check"))
		return check(argc > 2 ? argv[2] : NULL);
	if (argc > 1 && !strcmp(argv[1], "measure"))
		return measure();
	fprintf(stderr, "usage: lpm_bench { check [quick|full] | measure }\n");
	return 2;
}
