// SPDX-License-Identifier: GPL-2.0
/*
 * The grammar of every command, as the UAPI header's comment gives it,
 * with values drawn from small pools so that requests often succeed,
 * collide (EEXIST), and undo each other: tenants t0..t7, the
 * namespace's devices, a few dozen prefixes and addresses, and now and
 * then a value at or past a limit.
 */
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>

#include "gen.h"

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
		gen_put_u32(g, ifindex_type, dev_ifindex(g, dev));
	else if (k < 90)
		gen_put_str(g, ifname_type, g->w->ifname[dev]);
	else if (k < 95) {
		gen_put_u32(g, ifindex_type, dev_ifindex(g, dev));
		gen_put_str(g, ifname_type, dev >= 0 ? g->w->ifname[dev] : "lo");
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
	uint8_t a[16] = { 0 };
	bool v6 = false;

	gen_nest(g, NETVIRT_A_PORT_ADDRS, NETVIRT_A_ADDR_MAX);
	for (i = 0; i < n && gen_room(g, 64); i++) {
		/* Now and then the previous address again. */
		if (!(i && chance(g->r, 3))) {
			v6 = chance(g->r, 40);
			pick_host(g, v6, a);
		}
		gen_put(g, v6 ? NETVIRT_A_ADDR_IN6 : NETVIRT_A_ADDR_IN, a,
			v6 ? 16 : 4);
	}
	gen_nest_end(g);
}

static void gen_tenant(struct gen *g, uint8_t cmd)
{
	char name[64];
	uint8_t mac[6];
	int pool;

	gen_nest(g, NETVIRT_A_TENANT, NETVIRT_A_TENANT_MAX);
	pool = pick_name(g, name);
	if (cmd == NETVIRT_CMD_TENANT_DEL && pool == 0 && chance(g->r, 90))
		name[1] = '1' + rnd(g->r, 7);
	if (!chance(g->r, 3))
		gen_put_str(g, NETVIRT_A_TENANT_NAME, name);
	if (cmd == NETVIRT_CMD_TENANT_NEW) {
		if (!chance(g->r, 3))
			gen_put_u16(g, NETVIRT_A_TENANT_ID, pick_id(g, pool));
		if (!chance(g->r, 3))
			gen_put_u32(g, NETVIRT_A_TENANT_VNI, pick_vni(g, pool));
		if (chance(g->r, 40)) {
			pick_mac(g, mac);
			gen_put(g, NETVIRT_A_TENANT_ROUTER_MAC, mac, sizeof(mac));
		}
	}
	if (chance(g->r, 2))
		gen_put_u32(g, NETVIRT_A_TENANT_PORTS + rnd(g->r, 2), 1);
	gen_nest_end(g);
	if (cmd == NETVIRT_CMD_TENANT_DEL && chance(g->r, 60))
		gen_put_u32(g, NETVIRT_A_FLAGS, chance(g->r, 90) ? NETVIRT_F_FORCE :
			rng_next(g->r));
}

static void gen_port(struct gen *g, uint8_t cmd)
{
	char name[64];
	uint8_t mac[6];

	gen_nest(g, NETVIRT_A_PORT, NETVIRT_A_PORT_MAX);
	put_dev(g, NETVIRT_A_PORT_IFINDEX, NETVIRT_A_PORT_IFNAME);
	if (cmd == NETVIRT_CMD_PORT_NEW) {
		pick_name(g, name);
		if (!chance(g->r, 3))
			gen_put_str(g, NETVIRT_A_PORT_TENANT, name);
		pick_mac(g, mac);
		if (!chance(g->r, 3))
			gen_put(g, NETVIRT_A_PORT_MAC, mac, sizeof(mac));
		if (!chance(g->r, 3))
			gen_addrs(g);
	}
	gen_nest_end(g);
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
	gen_put(g, d->v6 ? NETVIRT_A_ROUTE_DST_IN6 : NETVIRT_A_ROUTE_DST_IN,
	    d->addr, d->v6 ? 16 : 4);
	if (chance(g->r, 2))	/* both families */
		gen_put(g, d->v6 ? NETVIRT_A_ROUTE_DST_IN : NETVIRT_A_ROUTE_DST_IN6,
		    d->addr, d->v6 ? 4 : 16);
	if (!chance(g->r, 2))
		gen_put_u8(g, NETVIRT_A_ROUTE_PLEN, d->plen);
}

static void gen_nexthop(struct gen *g)
{
	unsigned int k = rnd(g->r, 100);
	uint8_t a[16];

	gen_nest(g, NETVIRT_A_NEXTHOP, NETVIRT_A_NEXTHOP_MAX);
	if (k < 25 || k >= 95)
		gen_put_u32(g, NETVIRT_A_NEXTHOP_IFINDEX,
			dev_ifindex(g, pick_dev(g)));
	if ((k >= 25 && k < 75) || k >= 97) {
		rnd_bytes(g->r, a, 4);
		gen_put(g, NETVIRT_A_NEXTHOP_HOST_IN, a, 4);
	}
	if (k >= 75 && k < 92) {
		rnd_bytes(g->r, a, 16);
		gen_put(g, NETVIRT_A_NEXTHOP_HOST_IN6, a, 16);
	}
	gen_nest_end(g);
}

static void gen_nexthops(struct gen *g, bool blackhole)
{
	unsigned int n = pick_count(g, NETVIRT_ECMP_MAX), i;

	if (blackhole ? !chance(g->r, 10) : chance(g->r, 3))
		return;
	gen_nest(g, NETVIRT_A_ROUTE_NEXTHOPS, NETVIRT_A_NEXTHOP_MAX);
	for (i = 0; i < n && gen_room(g, 64); i++)
		gen_nexthop(g);
	gen_nest_end(g);
}

void gen_route(struct gen *g, uint8_t cmd)
{
	unsigned int k = rnd(g->r, 100);
	uint8_t type = NETVIRT_ROUTE_UNICAST;
	struct dst d;

	gen_nest(g, NETVIRT_A_ROUTE, NETVIRT_A_ROUTE_MAX);
	if (cmd == NETVIRT_CMD_ROUTE_DEL && n_recent && chance(g->r, 50)) {
		d = recent[rnd(g->r, n_recent)];
	} else {
		pick_name(g, d.tenant);
		pick_dst(g, &d);
	}
	if (!chance(g->r, 3))
		gen_put_str(g, NETVIRT_A_ROUTE_TENANT, d.tenant);
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
			gen_put_u8(g, NETVIRT_A_ROUTE_TYPE, type);
		gen_nexthops(g, type == NETVIRT_ROUTE_BLACKHOLE);
	}
	if (chance(g->r, 2))
		gen_put_u8(g, NETVIRT_A_ROUTE_ORIGIN, rnd(g->r, 3));
	gen_nest_end(g);
}

static void gen_stats(struct gen *g)
{
	unsigned int k = rnd(g->r, 100);
	char name[64];

	gen_nest(g, NETVIRT_A_STATS, NETVIRT_A_STATS_MAX);
	if (k < 47 || k >= 94) {
		pick_name(g, name);
		gen_put_str(g, NETVIRT_A_STATS_TENANT, name);
	}
	if (k >= 47 && k < 97)
		gen_put_u32(g, NETVIRT_A_STATS_IFINDEX, dev_ifindex(g, pick_dev(g)));
	if (chance(g->r, 2))
		gen_put_str(g, NETVIRT_A_STATS_IFNAME, "veth0");
	gen_nest_end(g);
}

/*
 * The underlay of HOST_SET: mostly an address of the namespace (which
 * succeeds), else one of the pools' (not ours), both families or none,
 * the wrong length, or an IPv4 address of ours written v4-mapped.
 * Returns the device holding it (index into w), or -1.
 */
static int put_underlay(struct gen *g)
{
	const struct world *w = g->w;
	const struct waddr *wa = NULL;
	unsigned int k = rnd(g->r, 100);
	uint8_t a[16] = { 0 };
	bool v6;

	if (w->n_addrs)
		wa = &w->addr[rnd(g->r, w->n_addrs)];
	if (wa && k < 75) {
		gen_put(g, wa->v6 ? NETVIRT_A_HOST_UNDERLAY_IN6 :
				    NETVIRT_A_HOST_UNDERLAY_IN,
			wa->a, wa->v6 ? 16 : 4);
		return wa->dev;
	}
	v6 = chance(g->r, 40);
	pick_host(g, v6, a);
	if (k < 85) {
		gen_put(g, v6 ? NETVIRT_A_HOST_UNDERLAY_IN6 :
				NETVIRT_A_HOST_UNDERLAY_IN, a, v6 ? 16 : 4);
	} else if (k < 89) {
		gen_put(g, NETVIRT_A_HOST_UNDERLAY_IN, wa ? wa->a : a, 4);
		gen_put(g, NETVIRT_A_HOST_UNDERLAY_IN6, a, 16);
	} else if (k < 93) {
		gen_put(g, v6 ? NETVIRT_A_HOST_UNDERLAY_IN :
				NETVIRT_A_HOST_UNDERLAY_IN6, a, v6 ? 16 : 4);
	} else if (k < 96 && wa && !wa->v6) {
		a[10] = a[11] = 0xff;
		memcpy(a + 12, wa->a, 4);
		memset(a, 0, 10);
		gen_put(g, NETVIRT_A_HOST_UNDERLAY_IN6, a, 16);
	}
	return -1;
}

/* The UDP port: the defaults, a small pool, or what the policy refuses. */
static uint16_t pick_udp_port(struct gen *g)
{
	static const uint16_t pool[] = {
		NETVIRT_GENEVE_PORT, NETVIRT_VXLAN_PORT, 6082, 4790, 8472,
	};
	unsigned int k = rnd(g->r, 100);

	if (k < 90)
		return pool[rnd(g->r, N(pool))];
	if (k < 95)
		return 0;
	return 1 + rnd(g->r, 0xffff);
}

/*
 * HOST_SET: the underlay, its device (by default the one holding the
 * address; the right one, another, a bad one, the tunnel device itself),
 * the encapsulation and the port: encapsulations and ports come from
 * small pools, so that a change replaces the tunnel device now and then
 * and most requests keep it. HOST_DEL and HOST_GET take nothing, but
 * now and then get the nest all the same.
 */
static void gen_host(struct gen *g, uint8_t cmd)
{
	static const char *const tunnels[] = {
		NETVIRT_TUNNEL_DEV_GENEVE "0", NETVIRT_TUNNEL_DEV_VXLAN "0",
		NETVIRT_TUNNEL_DEV_GENEVE "1",
	};
	unsigned int k;
	int dev;

	if (cmd != NETVIRT_CMD_HOST_SET && !chance(g->r, 10))
		return;
	gen_nest(g, NETVIRT_A_HOST, NETVIRT_A_HOST_MAX);
	dev = put_underlay(g);
	k = rnd(g->r, 100);
	if (k < 20 && dev >= 0)
		gen_put_u32(g, NETVIRT_A_HOST_IFINDEX, g->w->ifindex[dev]);
	else if (k < 30 && dev >= 0)
		gen_put_str(g, NETVIRT_A_HOST_IFNAME, g->w->ifname[dev]);
	else if (k < 45)
		put_dev(g, NETVIRT_A_HOST_IFINDEX, NETVIRT_A_HOST_IFNAME);
	else if (k < 48)
		gen_put_str(g, NETVIRT_A_HOST_IFNAME,
			    tunnels[rnd(g->r, N(tunnels))]);
	k = rnd(g->r, 100);
	if (k < 45)
		gen_put_u8(g, NETVIRT_A_HOST_ENCAP, NETVIRT_ENCAP_GENEVE);
	else if (k < 75)
		gen_put_u8(g, NETVIRT_A_HOST_ENCAP, NETVIRT_ENCAP_VXLAN);
	else if (k < 78)
		gen_put_u8(g, NETVIRT_A_HOST_ENCAP,
			   NETVIRT_ENCAP_MAX + 1 + rnd(g->r, 255 - NETVIRT_ENCAP_MAX));
	if (chance(g->r, 35))
		gen_put_u16(g, NETVIRT_A_HOST_PORT, pick_udp_port(g));
	if (chance(g->r, 3))
		gen_put_u32(g, NETVIRT_A_HOST_TUNNEL_IFINDEX + rnd(g->r, 3), 1);
	gen_nest_end(g);
}

static void gen_info(struct gen *g)
{
	static const uint32_t versions[] = { 1, 1, 1, 0, 2, 0xffffffff };

	if (chance(g->r, 80))
		gen_put_u32(g, NETVIRT_A_API_VERSION,
			versions[rnd(g->r, N(versions))]);
}

/* Attributes that do not belong to the command, at the top level. */
void gen_extras(struct gen *g)
{
	unsigned int n = 1 + rnd(g->r, 3);
	uint64_t v = rng_next(g->r);

	while (n--) {
		switch (rnd(g->r, 10)) {
		case 0:
			gen_put_u32(g, NETVIRT_A_FLAGS, v);
			break;
		case 1:
			gen_put_u32(g, NETVIRT_A_API_VERSION, v);
			break;
		case 2:
			gen_put_str(g, NETVIRT_A_VERSION, "9.9.9");
			break;
		case 3:
			gen_put(g, NETVIRT_A_FEATURES + rnd(g->r, 2), &v, sizeof(v));
			break;
		case 4:
			gen_nest(g, NETVIRT_A_COUNTS, NETVIRT_A_COUNT_MAX);
			gen_garbage(g, rnd(g->r, 4), 1);
			gen_nest_end(g);
			break;
		case 5:
			gen_tenant(g, NETVIRT_CMD_TENANT_NEW);
			break;
		case 6:
			gen_route(g, NETVIRT_CMD_ROUTE_NEW);
			break;
		case 7:
			gen_put_raw(g, NETVIRT_A_MAX + 1 + rnd(g->r, 5), &v, 8);
			break;
		case 8:
			gen_host(g, NETVIRT_CMD_HOST_SET);
			break;
		default:
			gen_put_raw(g, rnd(g->r, 2), &v, rnd(g->r, 9));
		}
	}
}

bool gen_has_dumpit(uint8_t cmd)
{
	return cmd == NETVIRT_CMD_TENANT_GET || cmd == NETVIRT_CMD_PORT_GET ||
	       cmd == NETVIRT_CMD_ROUTE_GET || cmd == NETVIRT_CMD_STATS_GET;
}

/* A command added to the UAPI needs its grammar and weight here. */
_Static_assert(NETVIRT_CMD_MAX == NETVIRT_CMD_HOST_GET,
	       "a netvirt command without a grammar in gen_body() and a weight");

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
		[NETVIRT_CMD_HOST_SET] = 6,
		[NETVIRT_CMD_HOST_DEL] = 2,
		[NETVIRT_CMD_HOST_GET] = 3,
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

void gen_body(struct gen *g, uint8_t cmd)
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
	case NETVIRT_CMD_HOST_SET:
	case NETVIRT_CMD_HOST_DEL:
	case NETVIRT_CMD_HOST_GET:
		gen_host(g, cmd);
		break;
	default:
		gen_garbage(g, rnd(g->r, 6), 0);
	}
}
