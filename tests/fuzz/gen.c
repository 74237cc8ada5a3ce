// SPDX-License-Identifier: GPL-2.0
/*
 * Request generator. It knows the grammar of every command (the UAPI
 * header's comment) and draws values from small pools, so that requests
 * often succeed, collide (EEXIST), and undo each other: tenants t0..t7,
 * the namespace's devices, a few dozen prefixes. A "chaos" percentage
 * corrupts any attribute or nest as it is written - wrong type, length,
 * flags, duplicates, garbage siblings, thousands of unknown attributes -
 * which reaches every nesting level of every command.
 */
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>

#include "nlfuzz.h"

#define NEST_MAX	8
#define NLA_LEN_MAX	0xffff

/**
 * struct gen - a request being written
 * @r: the random stream
 * @w: devices of the namespace
 * @m: the message
 * @chaos: percent chance that an attribute or nest is corrupted
 * @depth: open nests
 * @nest: offsets of the open nests' headers
 * @maxtype: highest known attribute type at each level (0: top)
 */
struct gen {
	struct rng *r;
	const struct world *w;
	struct msg *m;
	unsigned int chaos;
	int depth;
	size_t nest[NEST_MAX];
	uint16_t maxtype[NEST_MAX + 1];
};

void rng_seed(struct rng *r, uint64_t seed)
{
	/* splitmix64 of the seed: seeds 1 and 2 give unrelated streams. */
	uint64_t z = seed + 0x9e3779b97f4a7c15ULL;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	r->s = (z ^ (z >> 31)) ?: 1;
}

uint64_t rng_next(struct rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 0x2545f4914f6cdd1dULL;
}

uint32_t rnd(struct rng *r, uint32_t n)
{
	return n ? (uint32_t)((rng_next(r) >> 32) % n) : 0;
}

bool chance(struct rng *r, unsigned int percent)
{
	return rnd(r, 100) < percent;
}

void rnd_bytes(struct rng *r, void *buf, size_t len)
{
	uint8_t *p = buf;
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = rng_next(r) >> 56;
}

/* Room for @len more bytes, in the message and in every open nest. */
static bool room(const struct gen *g, size_t len)
{
	if (g->m->len + len > MSG_MAX)
		return false;
	return !g->depth || g->m->len + len - g->nest[0] <= NLA_LEN_MAX;
}

/* Writes one attribute as given; @data NULL: random payload. */
static bool put_raw(struct gen *g, uint16_t type, const void *data,
		    size_t len)
{
	size_t total = NLA_HDRLEN + len;
	struct nlattr *a = (struct nlattr *)(g->m->buf + g->m->len);

	if (total > NLA_LEN_MAX || !room(g, NLA_ALIGN(total)))
		return false;
	a->nla_len = total;
	a->nla_type = type;
	if (data)
		memcpy(a + 1, data, len);
	else
		rnd_bytes(g->r, a + 1, len);
	memset((uint8_t *)a + total, 0, NLA_ALIGN(total) - total);
	g->m->len += NLA_ALIGN(total);
	return true;
}

static void nest_open(struct gen *g, uint16_t type, uint16_t maxtype)
{
	struct nlattr *a = (struct nlattr *)(g->m->buf + g->m->len);

	if (g->depth == NEST_MAX || !room(g, NLA_HDRLEN))
		return;
	a->nla_len = NLA_HDRLEN;
	a->nla_type = type;
	g->nest[g->depth++] = g->m->len;
	g->maxtype[g->depth] = maxtype;
	g->m->len += NLA_HDRLEN;
}

static void nest_close(struct gen *g)
{
	struct nlattr *a;

	if (!g->depth)
		return;
	a = (struct nlattr *)(g->m->buf + g->nest[--g->depth]);
	a->nla_len = g->m->len - g->nest[g->depth];
}

/* Lengths that policies care about, and some they do not expect. */
static size_t garbage_len(struct rng *r)
{
	static const size_t lens[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 12, 15,
				       16, 17, 20 };

	return chance(r, 80) ? lens[rnd(r, N(lens))] : rnd(r, 300);
}

/* @n random attributes at this level, with random nests below. */
static void garbage(struct gen *g, unsigned int n, int depth)
{
	uint16_t max = g->maxtype[g->depth];
	uint8_t buf[300];
	size_t len;

	while (n--) {
		uint16_t type = chance(g->r, 85) ? rnd(g->r, max + 3) :
				rnd(g->r, 0x10000);

		if (depth < 5 && chance(g->r, 20)) {
			nest_open(g, type | NLA_F_NESTED, max);
			garbage(g, rnd(g->r, 5), depth + 1);
			nest_close(g);
			continue;
		}
		len = garbage_len(g->r);
		if (chance(g->r, 30))
			memset(buf, chance(g->r, 50) ? 0 : 0xff, len);
		else
			rnd_bytes(g->r, buf, len);
		put_raw(g, type, buf, len);
	}
}

/* Thousands of small attributes: counts no request should have. */
static void flood(struct gen *g, uint16_t type, bool same_type)
{
	unsigned int n = 100 + rnd(g->r, 4000), i;
	uint32_t v;

	for (i = 0; i < n; i++) {
		v = rng_next(g->r);
		if (!put_raw(g, same_type ? type : 1000 + i % 30000, &v,
			     sizeof(v)))
			break;
	}
}

/*
 * One attribute, corrupted @g->chaos percent of the time. The damage
 * is one of: dropped, duplicated, truncated, padded, oversized, wrong
 * type, stray flag bits, garbage before it, a flood of its type.
 */
static void put(struct gen *g, uint16_t type, const void *data, size_t len)
{
	static uint8_t big[65000];
	uint16_t max = g->maxtype[g->depth];

	if (!chance(g->r, g->chaos)) {
		put_raw(g, type, data, len);
		return;
	}
	switch (rnd(g->r, 10)) {
	case 0:
		return;
	case 1:
		put_raw(g, type, data, len);
		put_raw(g, type, chance(g->r, 50) ? data : NULL, len);
		return;
	case 2:
		put_raw(g, type, data, len ? rnd(g->r, len) : 0);
		return;
	case 3: {
		uint8_t buf[64];

		memcpy(buf, data, len < 48 ? len : 48);
		rnd_bytes(g->r, buf + (len < 48 ? len : 48), 16);
		put_raw(g, type, buf, (len < 48 ? len : 48) + 1 + rnd(g->r, 15));
		return;
	}
	case 4:
		if (chance(g->r, 50))
			memset(big, 0, sizeof(big));
		else
			rnd_bytes(g->r, big, 512);
		put_raw(g, type, big, 256 + rnd(g->r, sizeof(big) - 256));
		return;
	case 5:
		put_raw(g, chance(g->r, 70) ? rnd(g->r, max + 4) :
			rnd(g->r, 0x10000), data, len);
		return;
	case 6:
		put_raw(g, type | (chance(g->r, 50) ? NLA_F_NESTED :
				   NLA_F_NET_BYTEORDER), data, len);
		return;
	case 7:
		garbage(g, 1 + rnd(g->r, 3), 0);
		put_raw(g, type, data, len);
		return;
	case 8:
		put_raw(g, type, data, len);
		flood(g, type, chance(g->r, 50));
		return;
	default:
		put_raw(g, type, data, len);
		garbage(g, 1, 0);
	}
}

static void put_u8(struct gen *g, uint16_t type, uint8_t v)
{
	put(g, type, &v, sizeof(v));
}

static void put_u16(struct gen *g, uint16_t type, uint16_t v)
{
	put(g, type, &v, sizeof(v));
}

static void put_u32(struct gen *g, uint16_t type, uint32_t v)
{
	put(g, type, &v, sizeof(v));
}

static void put_str(struct gen *g, uint16_t type, const char *s)
{
	put(g, type, s, strlen(s) + 1);
}

/* A nest, corrupted like put(): flag bits, type, garbage inside. */
static void begin(struct gen *g, uint16_t type, uint16_t maxtype)
{
	uint16_t flag = NLA_F_NESTED;

	if (chance(g->r, g->chaos)) {
		switch (rnd(g->r, 4)) {
		case 0:
			flag = 0;
			break;
		case 1:
			type = rnd(g->r, g->maxtype[g->depth] + 3);
			break;
		case 2:
			garbage(g, 1 + rnd(g->r, 2), 0);
			break;
		}
	}
	nest_open(g, type | flag, maxtype);
	if (chance(g->r, g->chaos / 2))
		garbage(g, 1 + rnd(g->r, 4), 0);
}

static void end(struct gen *g)
{
	if (chance(g->r, g->chaos / 3))
		garbage(g, 1 + rnd(g->r, 3), 0);
	nest_close(g);
}

/*
 * Tenant names: mostly a pool of eight, t0..t7, each with its own id and
 * VNI so that a missing one can always be created again; t0 is rarely
 * deleted, so its routes pile up into dumps of several parts. Other
 * names are random, with random ids: they pile up towards the tenant
 * limit. Returns the pool index, or -1.
 */
static int pick_name(struct gen *g, char *buf)
{
	static const char chars[] = "abcdefghijklmnopqrstuvwxyz0123456789-_.";
	unsigned int k = rnd(g->r, 100), len, i;

	if (k < 85) {
		k = rnd(g->r, 8);
		sprintf(buf, "t%u", k);
		return k;
	}
	if (k < 95)
		len = 1 + rnd(g->r, 15);
	else if (k < 97)
		len = 15;
	else if (k < 99)
		len = 16 + rnd(g->r, 40);
	else
		len = 0;
	for (i = 0; i < len; i++)
		buf[i] = chars[rnd(g->r, sizeof(chars) - 1)];
	buf[len] = '\0';
	if (len && chance(g->r, 10))
		buf[rnd(g->r, len)] = 1 + rnd(g->r, 255);
	return -1;
}

/* Ids and VNIs of pool tenants collide only among themselves. */
static uint16_t pick_id(struct gen *g, int pool)
{
	unsigned int k = rnd(g->r, 100);

	if (k < 88)
		return pool < 0 ? 1000 + rnd(g->r, 60000) :
		       k < 80 ? 1 + (uint32_t)pool : 1 + rnd(g->r, 8);
	if (k < 93)
		return 0;
	if (k < 96)
		return 0xffff;
	return 1000 + rnd(g->r, 0x10000 - 1000);
}

static uint32_t pick_vni(struct gen *g, int pool)
{
	unsigned int k = rnd(g->r, 100);

	if (k < 88)
		return pool < 0 ? 1000 + rnd(g->r, 1 << 23) :
		       k < 80 ? 100 + (uint32_t)pool : 100 + rnd(g->r, 8);
	if (k < 92)
		return 0;
	if (k < 94)
		return NETVIRT_VNI_MAX;
	if (k < 97)
		return NETVIRT_VNI_MAX + 1;
	return 1000 + (uint32_t)rng_next(g->r);
}

static void pick_mac(struct gen *g, uint8_t *mac)
{
	unsigned int k = rnd(g->r, 100);

	rnd_bytes(g->r, mac, 6);
	mac[0] = (mac[0] & 0xfe) | 0x02;
	if (k < 8)
		mac[0] |= 1;
	else if (k < 12)
		memset(mac, 0, 6);
	else if (k < 15)
		memset(mac, 0xff, 6);
}

/* A device of the namespace (index into w), or -1 for a bad one. */
static int pick_dev(struct gen *g)
{
	if (g->w->n_devs && chance(g->r, 88))
		return rnd(g->r, g->w->n_devs);
	return -1;
}

static uint32_t dev_ifindex(struct gen *g, int dev)
{
	static const uint32_t bad[] = { 1, 0, 9999, 0xffffffff };

	return dev >= 0 ? g->w->ifindex[dev] : bad[rnd(g->r, N(bad))];
}

static void put_dev(struct gen *g, uint16_t ifindex_type,
		    uint16_t ifname_type)
{
	int dev = pick_dev(g);
	unsigned int k = rnd(g->r, 100);

	if (k < 60 || (dev < 0 && k < 90))
		put_u32(g, ifindex_type, dev_ifindex(g, dev));
	else if (k < 90)
		put_str(g, ifname_type, g->w->ifname[dev]);
	else if (k < 95) {
		put_u32(g, ifindex_type, dev_ifindex(g, dev));
		put_str(g, ifname_type, dev >= 0 ? g->w->ifname[dev] : "lo");
	}
}

/* Host addresses: a pool of 24 per family, and some that are not. */
static void pick_host(struct gen *g, bool v6, uint8_t *a)
{
	static const char *const bad4[] = {
		"0.0.0.0", "127.0.0.1", "224.0.0.1", "255.255.255.255",
		"0.1.2.3", "239.1.1.1",
	};
	static const char *const bad6[] = {
		"::", "::1", "ff02::1", "::ffff:10.0.0.1", "ff0e::5",
	};
	unsigned int k = rnd(g->r, 100);

	if (k < 6) {
		if (v6)
			inet_pton(AF_INET6, bad6[rnd(g->r, N(bad6))], a);
		else
			inet_pton(AF_INET, bad4[rnd(g->r, N(bad4))], a);
		return;
	}
	if (v6) {
		inet_pton(AF_INET6, "fd00::", a);
		a[15] = 1 + rnd(g->r, 24);
	} else {
		inet_pton(AF_INET, "10.0.0.0", a);
		a[3] = 1 + rnd(g->r, 24);
	}
}

/* How many addresses or next hops: few, the limit +-1, or thousands. */
static unsigned int pick_count(struct gen *g, unsigned int limit)
{
	unsigned int k = rnd(g->r, 100);

	if (k < 82)
		return 1 + rnd(g->r, 3);
	if (k < 87)
		return limit;
	if (k < 91)
		return limit + 1;
	if (k < 95)
		return 0;
	return 100 + rnd(g->r, 5000);
}

static void gen_addrs(struct gen *g)
{
	unsigned int n = pick_count(g, NETVIRT_PORT_ADDRS_MAX), i;
	uint8_t a[16];
	bool v6;

	begin(g, NETVIRT_A_PORT_ADDRS, NETVIRT_A_ADDR_MAX);
	for (i = 0; i < n && room(g, 64); i++) {
		v6 = chance(g->r, 40);
		if (!(i && chance(g->r, 3)))
			pick_host(g, v6, a);
		put(g, v6 ? NETVIRT_A_ADDR_IN6 : NETVIRT_A_ADDR_IN, a,
		    v6 ? 16 : 4);
	}
	end(g);
}

static void gen_tenant(struct gen *g, uint8_t cmd)
{
	char name[64];
	uint8_t mac[6];
	int pool;

	begin(g, NETVIRT_A_TENANT, NETVIRT_A_TENANT_MAX);
	pool = pick_name(g, name);
	if (cmd == NETVIRT_CMD_TENANT_DEL && pool == 0 && chance(g->r, 90))
		name[1] = '1' + rnd(g->r, 7);
	if (!chance(g->r, 3))
		put_str(g, NETVIRT_A_TENANT_NAME, name);
	if (cmd == NETVIRT_CMD_TENANT_NEW) {
		if (!chance(g->r, 3))
			put_u16(g, NETVIRT_A_TENANT_ID, pick_id(g, pool));
		if (!chance(g->r, 3))
			put_u32(g, NETVIRT_A_TENANT_VNI, pick_vni(g, pool));
		if (chance(g->r, 40)) {
			pick_mac(g, mac);
			put(g, NETVIRT_A_TENANT_ROUTER_MAC, mac, sizeof(mac));
		}
	}
	if (chance(g->r, 2))
		put_u32(g, NETVIRT_A_TENANT_PORTS + rnd(g->r, 2), 1);
	end(g);
	if (cmd == NETVIRT_CMD_TENANT_DEL && chance(g->r, 60))
		put_u32(g, NETVIRT_A_FLAGS, chance(g->r, 90) ? NETVIRT_F_FORCE :
			rng_next(g->r));
}

static void gen_port(struct gen *g, uint8_t cmd)
{
	char name[64];
	uint8_t mac[6];

	begin(g, NETVIRT_A_PORT, NETVIRT_A_PORT_MAX);
	put_dev(g, NETVIRT_A_PORT_IFINDEX, NETVIRT_A_PORT_IFNAME);
	if (cmd == NETVIRT_CMD_PORT_NEW) {
		pick_name(g, name);
		if (!chance(g->r, 3))
			put_str(g, NETVIRT_A_PORT_TENANT, name);
		pick_mac(g, mac);
		if (!chance(g->r, 3))
			put(g, NETVIRT_A_PORT_MAC, mac, sizeof(mac));
		if (!chance(g->r, 3))
			gen_addrs(g);
	}
	end(g);
}

static void mask(uint8_t *a, unsigned int alen, unsigned int plen)
{
	unsigned int i;

	for (i = 0; i < alen; i++) {
		if (plen >= 8 * (i + 1))
			continue;
		a[i] &= plen > 8 * i ? 0xff << (8 - (plen - 8 * i)) : 0;
	}
}

/* A route destination, as written; remembered for ROUTE_DEL. */
struct dst {
	char tenant[64];
	bool v6;
	uint8_t addr[16];
	unsigned int plen;
};

/* Routes recently asked for: deletions pick them half of the time. */
static struct dst recent[32];
static unsigned int n_recent;

/* Pool (16 per family), a port's host route, random, or invalid. */
static void pick_dst(struct gen *g, struct dst *d)
{
	unsigned int k = rnd(g->r, 100), alen;

	d->v6 = chance(g->r, 45);
	alen = d->v6 ? 16 : 4;
	memset(d->addr, 0, sizeof(d->addr));
	if (k < 60) {
		if (d->v6) {
			inet_pton(AF_INET6, "2001:db8::", d->addr);
			d->addr[7] = rnd(g->r, 16);
		} else {
			inet_pton(AF_INET, "172.16.0.0", d->addr);
			d->addr[2] = rnd(g->r, 16);
		}
		d->plen = d->v6 ? 64 : 24;
	} else if (k < 70) {
		pick_host(g, d->v6, d->addr);
		d->plen = alen * 8;
	} else {
		rnd_bytes(g->r, d->addr, alen);
		d->plen = rnd(g->r, alen * 8 + 1);
		if (k < 95)
			mask(d->addr, alen, d->plen);
		else if (chance(g->r, 50))
			d->plen = alen * 8 + 1 + rnd(g->r, 256 - alen * 8);
	}
}

static void put_dst(struct gen *g, const struct dst *d)
{
	put(g, d->v6 ? NETVIRT_A_ROUTE_DST_IN6 : NETVIRT_A_ROUTE_DST_IN,
	    d->addr, d->v6 ? 16 : 4);
	if (chance(g->r, 2))	/* both families */
		put(g, d->v6 ? NETVIRT_A_ROUTE_DST_IN : NETVIRT_A_ROUTE_DST_IN6,
		    d->addr, d->v6 ? 4 : 16);
	if (!chance(g->r, 2))
		put_u8(g, NETVIRT_A_ROUTE_PLEN, d->plen);
}

static void gen_nexthop(struct gen *g)
{
	unsigned int k = rnd(g->r, 100);
	uint8_t a[16];

	begin(g, NETVIRT_A_NEXTHOP, NETVIRT_A_NEXTHOP_MAX);
	if (k < 25 || k >= 95)
		put_u32(g, NETVIRT_A_NEXTHOP_IFINDEX,
			dev_ifindex(g, pick_dev(g)));
	if ((k >= 25 && k < 75) || k >= 97) {
		rnd_bytes(g->r, a, 4);
		put(g, NETVIRT_A_NEXTHOP_HOST_IN, a, 4);
	}
	if (k >= 75 && k < 92) {
		rnd_bytes(g->r, a, 16);
		put(g, NETVIRT_A_NEXTHOP_HOST_IN6, a, 16);
	}
	end(g);
}

static void gen_nexthops(struct gen *g, bool blackhole)
{
	unsigned int n = pick_count(g, NETVIRT_ECMP_MAX), i;

	if (blackhole ? !chance(g->r, 10) : chance(g->r, 3))
		return;
	begin(g, NETVIRT_A_ROUTE_NEXTHOPS, NETVIRT_A_NEXTHOP_MAX);
	for (i = 0; i < n && room(g, 64); i++)
		gen_nexthop(g);
	end(g);
}

static void gen_route(struct gen *g, uint8_t cmd)
{
	unsigned int k = rnd(g->r, 100);
	uint8_t type = NETVIRT_ROUTE_UNICAST;
	struct dst d;

	begin(g, NETVIRT_A_ROUTE, NETVIRT_A_ROUTE_MAX);
	if (cmd == NETVIRT_CMD_ROUTE_DEL && n_recent && chance(g->r, 50)) {
		d = recent[rnd(g->r, n_recent)];
	} else {
		pick_name(g, d.tenant);
		pick_dst(g, &d);
	}
	if (!chance(g->r, 3))
		put_str(g, NETVIRT_A_ROUTE_TENANT, d.tenant);
	if (cmd != NETVIRT_CMD_ROUTE_GET)
		put_dst(g, &d);
	if (cmd == NETVIRT_CMD_ROUTE_NEW) {
		recent[n_recent < N(recent) ? n_recent++ :
		       rnd(g->r, N(recent))] = d;
		if (k < 30)
			type = NETVIRT_ROUTE_BLACKHOLE;
		else if (k < 33)
			type = 2 + rnd(g->r, 254);
		if (type != NETVIRT_ROUTE_UNICAST || chance(g->r, 30))
			put_u8(g, NETVIRT_A_ROUTE_TYPE, type);
		gen_nexthops(g, type == NETVIRT_ROUTE_BLACKHOLE);
	}
	if (chance(g->r, 2))
		put_u8(g, NETVIRT_A_ROUTE_ORIGIN, rnd(g->r, 3));
	end(g);
}

static void gen_stats(struct gen *g)
{
	unsigned int k = rnd(g->r, 100);
	char name[64];

	begin(g, NETVIRT_A_STATS, NETVIRT_A_STATS_MAX);
	if (k < 47 || k >= 94) {
		pick_name(g, name);
		put_str(g, NETVIRT_A_STATS_TENANT, name);
	}
	if (k >= 47 && k < 97)
		put_u32(g, NETVIRT_A_STATS_IFINDEX, dev_ifindex(g, pick_dev(g)));
	if (chance(g->r, 2))
		put_str(g, NETVIRT_A_STATS_IFNAME, "veth0");
	end(g);
}

static void gen_info(struct gen *g)
{
	static const uint32_t versions[] = { 1, 1, 1, 0, 2, 0xffffffff };

	if (chance(g->r, 80))
		put_u32(g, NETVIRT_A_API_VERSION,
			versions[rnd(g->r, N(versions))]);
}

/* Attributes that do not belong to the command, at the top level. */
static void gen_extras(struct gen *g)
{
	unsigned int n = 1 + rnd(g->r, 3);
	uint64_t v = rng_next(g->r);

	while (n--) {
		switch (rnd(g->r, 9)) {
		case 0:
			put_u32(g, NETVIRT_A_FLAGS, v);
			break;
		case 1:
			put_u32(g, NETVIRT_A_API_VERSION, v);
			break;
		case 2:
			put_str(g, NETVIRT_A_VERSION, "9.9.9");
			break;
		case 3:
			put(g, NETVIRT_A_FEATURES + rnd(g->r, 2), &v, sizeof(v));
			break;
		case 4:
			begin(g, NETVIRT_A_COUNTS, NETVIRT_A_COUNT_MAX);
			garbage(g, rnd(g->r, 4), 1);
			end(g);
			break;
		case 5:
			gen_tenant(g, NETVIRT_CMD_TENANT_NEW);
			break;
		case 6:
			gen_route(g, NETVIRT_CMD_ROUTE_NEW);
			break;
		case 7:
			put_raw(g, NETVIRT_A_MAX + 1 + rnd(g->r, 5), &v, 8);
			break;
		default:
			put_raw(g, rnd(g->r, 2), &v, rnd(g->r, 9));
		}
	}
}

static bool has_dumpit(uint8_t cmd)
{
	return cmd == NETVIRT_CMD_TENANT_GET || cmd == NETVIRT_CMD_PORT_GET ||
	       cmd == NETVIRT_CMD_ROUTE_GET || cmd == NETVIRT_CMD_STATS_GET;
}

/* Weights favour the commands that change state. */
int gen_pick_cmd(struct rng *r)
{
	static const uint8_t weights[NETVIRT_CMD_MAX + 2] = {
		[NETVIRT_CMD_INFO_GET] = 4,
		[NETVIRT_CMD_TENANT_NEW] = 16,
		[NETVIRT_CMD_TENANT_DEL] = 4,
		[NETVIRT_CMD_TENANT_GET] = 6,
		[NETVIRT_CMD_PORT_NEW] = 14,
		[NETVIRT_CMD_PORT_DEL] = 6,
		[NETVIRT_CMD_PORT_GET] = 6,
		[NETVIRT_CMD_ROUTE_NEW] = 20,
		[NETVIRT_CMD_ROUTE_DEL] = 10,
		[NETVIRT_CMD_ROUTE_GET] = 6,
		[NETVIRT_CMD_STATS_GET] = 8,
		[NETVIRT_CMD_MAX + 1] = 3,	/* unknown */
	};
	unsigned int total = 0, k, i;

	for (i = 0; i < N(weights); i++)
		total += weights[i];
	k = rnd(r, total);
	for (i = 0; k >= weights[i]; i++)
		k -= weights[i];
	if (i <= NETVIRT_CMD_MAX)
		return i;
	return chance(r, 30) ? 0 : NETVIRT_CMD_MAX + 1 + rnd(r, 255 -
							       NETVIRT_CMD_MAX);
}

static void gen_body(struct gen *g, uint8_t cmd)
{
	switch (cmd) {
	case NETVIRT_CMD_INFO_GET:
		gen_info(g);
		break;
	case NETVIRT_CMD_TENANT_NEW:
	case NETVIRT_CMD_TENANT_DEL:
	case NETVIRT_CMD_TENANT_GET:
		gen_tenant(g, cmd);
		break;
	case NETVIRT_CMD_PORT_NEW:
	case NETVIRT_CMD_PORT_DEL:
	case NETVIRT_CMD_PORT_GET:
		gen_port(g, cmd);
		break;
	case NETVIRT_CMD_ROUTE_NEW:
	case NETVIRT_CMD_ROUTE_DEL:
	case NETVIRT_CMD_ROUTE_GET:
		gen_route(g, cmd);
		break;
	case NETVIRT_CMD_STATS_GET:
		gen_stats(g);
		break;
	default:
		garbage(g, rnd(g->r, 6), 0);
	}
}

static uint16_t pick_flags(struct gen *g, uint8_t cmd)
{
	uint16_t flags = NLM_F_REQUEST | NLM_F_ACK;
	unsigned int pct = cmd == NETVIRT_CMD_ROUTE_GET ? 95 : 40;

	if (has_dumpit(cmd) && chance(g->r, pct))
		flags |= NLM_F_DUMP;
	return flags;
}

/* Header damage: flags, genl version and reserved field, lengths. */
static void hdr_chaos(struct gen *g)
{
	static const uint16_t bits[] = {
		NLM_F_MULTI, NLM_F_ECHO, NLM_F_DUMP_INTR, NLM_F_DUMP_FILTERED,
		NLM_F_ROOT, NLM_F_MATCH, NLM_F_ATOMIC, NLM_F_DUMP,
		NLM_F_REPLACE, NLM_F_EXCL,
	};
	struct nlmsghdr *nlh = msg_nlh(g->m);
	struct genlmsghdr *genl = msg_genl(g->m);
	unsigned int k = rnd(g->r, 100);

	if (k < 10)
		genl->version = rnd(g->r, 256);
	else if (k < 14)
		genl->reserved = rng_next(g->r);
	else if (k < 26)
		nlh->nlmsg_flags |= bits[rnd(g->r, N(bits))];
	else if (k < 30)
		nlh->nlmsg_flags = rng_next(g->r) | NLM_F_REQUEST;
	else if (k < 36)
		nlh->nlmsg_flags ^= NLM_F_DUMP;	/* dump a doit, or doit a dump */
	else if (k < 40)
		nlh->nlmsg_flags &= ~NLM_F_ACK;
	else if (k < 41)
		nlh->nlmsg_flags &= ~NLM_F_REQUEST;
	else if (k < 42)
		g->m->len = nlh->nlmsg_len = NLMSG_HDRLEN + rnd(g->r, GENL_HDRLEN);
	else if (k < 43)
		nlh->nlmsg_len += 1 + rnd(g->r, 64);	/* longer than sent */
	else if (k < 44)
		g->m->len += rnd(g->r, NLMSG_HDRLEN);	/* trailing runt */
}

static void gen_begin(struct gen *g, struct rng *r, const struct world *w,
		      struct msg *m, uint8_t cmd, uint16_t flags)
{
	struct nlmsghdr *nlh = msg_nlh(m);
	struct genlmsghdr *genl = msg_genl(m);

	memset(g, 0, sizeof(*g));
	g->r = r;
	g->w = w;
	g->m = m;
	g->maxtype[0] = NETVIRT_A_MAX;
	memset(m->buf, 0, HDRS_LEN);
	nlh->nlmsg_type = w->family;
	nlh->nlmsg_flags = flags;
	genl->cmd = cmd;
	genl->version = NETVIRT_GENL_VERSION;
	m->len = HDRS_LEN;
}

static void gen_end(struct gen *g)
{
	while (g->depth)
		nest_close(g);
	msg_nlh(g->m)->nlmsg_len = g->m->len;
}

/* The header the unprivileged phases keep: a known command, sane flags. */
void gen_sanitize_hdr(struct msg *m, uint16_t family)
{
	struct nlmsghdr *nlh = msg_nlh(m);
	struct genlmsghdr *genl = msg_genl(m);

	if (m->len < HDRS_LEN) {
		memset(m->buf + m->len, 0, HDRS_LEN - m->len);
		m->len = HDRS_LEN;
	}
	nlh->nlmsg_len = m->len;
	nlh->nlmsg_type = family;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK |
			   (msg_is_dump(m) ? NLM_F_DUMP : 0);
	if (!genl->cmd || genl->cmd > NETVIRT_CMD_MAX)
		genl->cmd = 1 + genl->cmd % NETVIRT_CMD_MAX;
	genl->reserved = 0;
}

/**
 * gen_request() - write a request into @m
 * @r: random stream
 * @w: the namespace's devices and the family id
 * @m: the message
 * @kind: how far from valid
 * @cmd: NETVIRT_CMD_*, or -1 to pick one (unknown numbers included)
 * @flags: GEN_F_*
 */
void gen_request(struct rng *r, const struct world *w, struct msg *m,
		 enum gen_kind kind, int cmd, unsigned int flags)
{
	struct gen g;

	if (cmd < 0)
		cmd = gen_pick_cmd(r);
	if (kind == GEN_RANDOM && chance(r, 30))
		cmd = rnd(r, 256);
	gen_begin(&g, r, w, m, cmd, 0);
	msg_nlh(m)->nlmsg_flags = pick_flags(&g, cmd);
	if (kind == GEN_CHAOS)
		g.chaos = 2 + rnd(r, 30);
	if (kind == GEN_RANDOM) {
		garbage(&g, rnd(r, 12), 0);
		if (chance(r, 10))
			flood(&g, rnd(r, NETVIRT_A_MAX + 2), chance(r, 50));
	} else {
		gen_body(&g, cmd);
		if (chance(r, g.chaos))
			gen_extras(&g);
	}
	gen_end(&g);
	if (kind != GEN_VALID && chance(r, kind == GEN_RANDOM ? 60 : 25))
		hdr_chaos(&g);
	else if (chance(r, 2))
		msg_genl(m)->version = rnd(r, 256);
	if (flags & GEN_F_SANE_HDR)
		gen_sanitize_hdr(m, w->family);
}

/* A valid dump of @cmd (or a random dumpable command when -1). */
void gen_dump_request(struct rng *r, const struct world *w, struct msg *m,
		      int cmd)
{
	static const uint8_t dumps[] = {
		NETVIRT_CMD_TENANT_GET, NETVIRT_CMD_PORT_GET,
		NETVIRT_CMD_ROUTE_GET, NETVIRT_CMD_STATS_GET,
	};
	struct gen g;

	if (cmd < 0)
		cmd = dumps[rnd(r, N(dumps))];
	gen_begin(&g, r, w, m, cmd, NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP);
	if (cmd == NETVIRT_CMD_ROUTE_GET)
		gen_route(&g, cmd);
	gen_end(&g);
}

static void hdr_only(struct msg *m, uint16_t family, uint8_t cmd,
		     uint16_t flags)
{
	struct nlmsghdr *nlh = msg_nlh(m);

	memset(m->buf, 0, HDRS_LEN);
	nlh->nlmsg_type = family;
	nlh->nlmsg_flags = flags;
	msg_genl(m)->cmd = cmd;
	msg_genl(m)->version = NETVIRT_GENL_VERSION;
	m->len = nlh->nlmsg_len = HDRS_LEN;
}

/* A plain attribute, for the checks' own requests. */
static void append(struct msg *m, uint16_t type, const void *data,
		   size_t len)
{
	struct nlattr *a = (struct nlattr *)(m->buf + m->len);

	a->nla_len = NLA_HDRLEN + len;
	a->nla_type = type;
	memset(a + 1, 0, NLA_ALIGN(len));
	memcpy(a + 1, data, len);
	m->len += NLA_ALIGN(a->nla_len);
	msg_nlh(m)->nlmsg_len = m->len;
}

void gen_info_get(struct msg *m, uint16_t family)
{
	uint32_t v = NETVIRT_API_VERSION;

	hdr_only(m, family, NETVIRT_CMD_INFO_GET, NLM_F_REQUEST | NLM_F_ACK);
	append(m, NETVIRT_A_API_VERSION, &v, sizeof(v));
}

/* A dump of @cmd; the route dump of @tenant. */
void gen_dump(struct msg *m, uint16_t family, uint8_t cmd,
	      const char *tenant)
{
	struct nlattr *nest;

	hdr_only(m, family, cmd, NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP);
	if (!tenant)
		return;
	nest = (struct nlattr *)(m->buf + m->len);
	nest->nla_type = NETVIRT_A_ROUTE | NLA_F_NESTED;
	m->len += NLA_HDRLEN;
	append(m, NETVIRT_A_ROUTE_TENANT, tenant, strlen(tenant) + 1);
	nest->nla_len = m->len - ((uint8_t *)nest - m->buf);
}
