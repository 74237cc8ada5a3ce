// SPDX-License-Identifier: GPL-2.0
/*
 * The grammar of every command, as the UAPI header's comment gives it,
 * with values drawn from small pools so that requests often succeed,
 * collide (EEXIST), and undo each other: tenants t0..t7, the
 * namespace's devices, a few dozen prefixes and addresses, firewall
 * groups g0..g5 and the rule handles the module handed out, and now and
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
	uint8_t a[16] = { 0 };

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
	/* The uplink, a flag: alone mostly, with another kind now and then. */
	if (k >= 92 || chance(g->r, 2))
		gen_put(g, NETVIRT_A_NEXTHOP_UPLINK, a, chance(g->r, 95) ? 0 : 4);
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

/*
 * The firewall. Rules name tenants of the pool, groups of a pool of six
 * names (g0..g5, the same in every tenant), the namespace's devices, and
 * prefixes of the ports' addresses; deletions name rules the module
 * handed out (gen_learn()), or handles next to them.
 */
static void pick_group(struct gen *g, char *buf)
{
	if (chance(g->r, 90))
		sprintf(buf, "g%u", rnd(g->r, 6));
	else
		pick_name(g, buf);
}

/* Rules the module reported, with their tenant: most recent last. */
static struct seen_rule {
	char tenant[NETVIRT_NAME_MAXLEN + 1];
	uint32_t handle;
} seen[64];
static unsigned int n_seen;

static const struct nlattr *find_attr(const uint8_t *p, size_t len,
				      uint16_t type)
{
	const struct nlattr *a;

	while (len >= NLA_HDRLEN) {
		a = (const struct nlattr *)p;
		if (a->nla_len < NLA_HDRLEN || a->nla_len > len)
			return NULL;
		if ((a->nla_type & NLA_TYPE_MASK) == type)
			return a;
		if ((size_t)NLA_ALIGN(a->nla_len) >= len)
			break;
		len -= NLA_ALIGN(a->nla_len);
		p += NLA_ALIGN(a->nla_len);
	}
	return NULL;
}

static const struct nlattr *find_nested(const struct nlattr *nest,
					uint16_t type)
{
	return find_attr((const uint8_t *)nest + NLA_HDRLEN,
			 nest->nla_len - NLA_HDRLEN, type);
}

/*
 * Reply callback of the main socket: remembers the tenant and handle of
 * each rule a reply carries (FW_RULE_NEW's answer, FW_RULE_GET dumps).
 */
void gen_learn(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *rule, *t, *h;
	struct seen_rule *s;
	size_t len;

	(void)data;
	if (nlh->nlmsg_len < HDRS_LEN)
		return;
	rule = find_attr((const uint8_t *)nlh + HDRS_LEN,
			 nlh->nlmsg_len - HDRS_LEN, NETVIRT_A_FW_RULE);
	if (!rule)
		return;
	t = find_nested(rule, NETVIRT_A_FW_RULE_TENANT);
	h = find_nested(rule, NETVIRT_A_FW_RULE_HANDLE);
	if (!t || !h || h->nla_len != NLA_HDRLEN + 4)
		return;
	len = t->nla_len - NLA_HDRLEN;
	if (!len || len > NETVIRT_NAME_MAXLEN + 1)
		return;
	if (n_seen == N(seen)) {
		memmove(seen, seen + 1, sizeof(seen) - sizeof(seen[0]));
		n_seen--;
	}
	s = &seen[n_seen++];
	memset(s->tenant, 0, sizeof(s->tenant));
	memcpy(s->tenant, (const uint8_t *)t + NLA_HDRLEN, len);
	s->tenant[NETVIRT_NAME_MAXLEN] = '\0';
	memcpy(&s->handle, (const uint8_t *)h + NLA_HDRLEN, 4);
}

/* A handle to delete, and its tenant into @tenant. */
static uint32_t pick_handle(struct gen *g, char *tenant)
{
	static const uint32_t odd[] = { 0, 1, 2, 0x7fffffff, 0xffffffff };
	const struct seen_rule *s;
	unsigned int k = rnd(g->r, 100);

	pick_name(g, tenant);
	if (n_seen && k < 80) {
		/* The recent ones more often: they may still exist. */
		s = &seen[n_seen - 1 - rnd(g->r, 1 + rnd(g->r, n_seen))];
		if (chance(g->r, 92))
			strcpy(tenant, s->tenant);
		return k < 60 ? s->handle : s->handle + rnd(g->r, 7) - 3;
	}
	if (k < 95)
		return 1 + rnd(g->r, 256);
	return odd[rnd(g->r, N(odd))];
}

/*
 * A prefix: a port address's host route, the ports' subnets, the pools'
 * route destinations, everything, random (host bits masked or not), or
 * a length past the family's.
 */
static void pick_prefix(struct gen *g, bool *v6, uint8_t *a,
			unsigned int *plen)
{
	unsigned int k = rnd(g->r, 100), alen;

	*v6 = chance(g->r, 40);
	alen = *v6 ? 16 : 4;
	memset(a, 0, 16);
	if (k < 40) {
		pick_host(g, *v6, a);
		*plen = alen * 8;
	} else if (k < 60) {
		inet_pton(*v6 ? AF_INET6 : AF_INET, *v6 ? "fd00::" : "10.0.0.0", a);
		*plen = *v6 ? 64 + 8 * rnd(g->r, 8) : 24 + rnd(g->r, 9);
		mask(a, alen, *plen);
	} else if (k < 68) {
		inet_pton(*v6 ? AF_INET6 : AF_INET,
			  *v6 ? "2001:db8::" : "172.16.0.0", a);
		*plen = *v6 ? 48 : 16;
	} else if (k < 74) {
		*plen = 0;
	} else {
		rnd_bytes(g->r, a, alen);
		*plen = rnd(g->r, alen * 8 + 1);
		if (k < 90)
			mask(a, alen, *plen);
		else if (chance(g->r, 50))
			*plen = alen * 8 + 1 + rnd(g->r, 256 - alen * 8);
	}
}

/*
 * A rule's SRC or DST (@type), or a group's PREFIX: mostly one address
 * with its length; for rules a group too. Now and then no length, both
 * families, or an address and a group.
 */
static void put_fw_addr(struct gen *g, uint16_t type, bool rule)
{
	unsigned int k = rnd(g->r, 100), plen;
	char name[64];
	uint8_t a[16];
	bool v6;

	gen_nest(g, type, NETVIRT_A_FW_ADDR_MAX);
	if (rule && k < 30) {
		pick_group(g, name);
		gen_put_str(g, NETVIRT_A_FW_ADDR_GROUP, name);
	} else {
		pick_prefix(g, &v6, a, &plen);
		gen_put(g, v6 ? NETVIRT_A_FW_ADDR_IN6 : NETVIRT_A_FW_ADDR_IN,
			a, v6 ? 16 : 4);
		if (!chance(g->r, 3))
			gen_put_u8(g, NETVIRT_A_FW_ADDR_PLEN, plen);
		if (chance(g->r, 2))
			gen_put(g, v6 ? NETVIRT_A_FW_ADDR_IN : NETVIRT_A_FW_ADDR_IN6,
				a, v6 ? 4 : 16);
		if (chance(g->r, 3)) {
			pick_group(g, name);
			gen_put_str(g, NETVIRT_A_FW_ADDR_GROUP, name);
		}
	}
	gen_nest_end(g);
}

/* POLICY and FLAGS of FW_SET; read-only attributes of FW_GET's reply. */
static void gen_fw(struct gen *g, uint8_t cmd)
{
	unsigned int k = rnd(g->r, 100);
	char name[64];

	gen_nest(g, NETVIRT_A_FW, NETVIRT_A_FW_MAX);
	pick_name(g, name);
	if (!chance(g->r, 3))
		gen_put_str(g, NETVIRT_A_FW_TENANT, name);
	if (cmd == NETVIRT_CMD_FW_SET) {
		if (k < 45)
			gen_put_u8(g, NETVIRT_A_FW_POLICY, NETVIRT_FW_ALLOW);
		else if (k < 85)
			gen_put_u8(g, NETVIRT_A_FW_POLICY, NETVIRT_FW_DENY);
		else if (k < 90)	/* REJECT: an action, no policy */
			gen_put_u8(g, NETVIRT_A_FW_POLICY,
				   NETVIRT_FW_REJECT + rnd(g->r, 254));
		k = rnd(g->r, 100);
		if (k < 35)
			gen_put_u32(g, NETVIRT_A_FW_FLAGS, NETVIRT_FW_F_LOG);
		else if (k < 50)
			gen_put_u32(g, NETVIRT_A_FW_FLAGS, 0);
		else if (k < 55)
			gen_put_u32(g, NETVIRT_A_FW_FLAGS, chance(g->r, 50) ?
				    NETVIRT_FW_F_PERSIST : rng_next(g->r));
	}
	if (chance(g->r, 3))
		gen_put_u32(g, NETVIRT_A_FW_ZONE + rnd(g->r, 4), 1);
	gen_nest_end(g);
}

static bool has_ports(uint8_t proto)
{
	return proto == 6 || proto == 17 || proto == 33 || proto == 132 ||
	       proto == 136;
}

/* A port range: one bound, both (ordered or not), or a whole range. */
static void put_range(struct gen *g, uint16_t lo_type, uint16_t hi_type)
{
	static const uint16_t pool[] = { 0, 22, 53, 80, 443, 1024, 8080, 65535 };
	unsigned int k = rnd(g->r, 100);
	uint16_t lo = pool[rnd(g->r, N(pool))], hi;

	if (chance(g->r, 30))
		lo = rng_next(g->r);
	hi = lo + (chance(g->r, 50) ? 0 : rnd(g->r, 1000));
	if (k < 10)
		hi = lo - 1 - rnd(g->r, 100);	/* inverted */
	if (k < 85 || k >= 95)
		gen_put_u16(g, lo_type, lo);
	if (k < 50 || k >= 85)
		gen_put_u16(g, hi_type, hi);
}

static void gen_rule_match(struct gen *g)
{
	static const uint8_t protos[] = {
		6, 6, 6, 17, 17, 1, 1, 58, 58, 132, 136, 33, 0, 47, 255,
	};
	static const uint8_t icmp_types[] = { 0, 3, 8, 11, 128, 129, 135, 255 };
	int proto = -1;

	if (chance(g->r, 40))
		put_fw_addr(g, NETVIRT_A_FW_RULE_SRC, true);
	if (chance(g->r, 45))
		put_fw_addr(g, NETVIRT_A_FW_RULE_DST, true);
	if (chance(g->r, 70)) {
		proto = protos[rnd(g->r, N(protos))];
		gen_put_u8(g, NETVIRT_A_FW_RULE_PROTO, proto);
	}
	/* Ports and ICMP types without their protocol, now and then. */
	if ((proto >= 0 && has_ports(proto)) ? chance(g->r, 60) :
					       chance(g->r, 4)) {
		if (chance(g->r, 35))
			put_range(g, NETVIRT_A_FW_RULE_SPORT_LO,
				  NETVIRT_A_FW_RULE_SPORT_HI);
		if (chance(g->r, 75))
			put_range(g, NETVIRT_A_FW_RULE_DPORT_LO,
				  NETVIRT_A_FW_RULE_DPORT_HI);
	}
	if ((proto == 1 || proto == 58) ? chance(g->r, 40) : chance(g->r, 3))
		gen_put_u8(g, NETVIRT_A_FW_RULE_ICMP_TYPE,
			   icmp_types[rnd(g->r, N(icmp_types))]);
}

/* FW_RULE_NEW: the rule; FW_RULE_DEL: a handle; FW_RULE_GET: a tenant. */
static void gen_fw_rule(struct gen *g, uint8_t cmd)
{
	static const uint32_t prios[] = {
		0, 1, 10, 20, 100, NETVIRT_FW_PRIO_DEFAULT,
		NETVIRT_FW_PRIO_DEFAULT + 1, 65535, 0xffffffff,
	};
	unsigned int k;
	uint32_t handle = 0;
	uint64_t v;
	char name[64];

	gen_nest(g, NETVIRT_A_FW_RULE, NETVIRT_A_FW_RULE_MAX);
	if (cmd == NETVIRT_CMD_FW_RULE_DEL)
		handle = pick_handle(g, name);
	else
		pick_name(g, name);
	if (!chance(g->r, 3))
		gen_put_str(g, NETVIRT_A_FW_RULE_TENANT, name);
	if (cmd == NETVIRT_CMD_FW_RULE_DEL && !chance(g->r, 3))
		gen_put_u32(g, NETVIRT_A_FW_RULE_HANDLE, handle);
	if (cmd != NETVIRT_CMD_FW_RULE_NEW)
		goto out;
	k = rnd(g->r, 100);
	if (k < 95)
		gen_put_u8(g, NETVIRT_A_FW_RULE_DIR, k & 1);
	else if (k < 97)
		gen_put_u8(g, NETVIRT_A_FW_RULE_DIR,
			   NETVIRT_FW_DIR_MAX + 1 + rnd(g->r, 250));
	k = rnd(g->r, 100);
	if (k < 95)
		gen_put_u8(g, NETVIRT_A_FW_RULE_ACTION, k % 3);
	else if (k < 97)
		gen_put_u8(g, NETVIRT_A_FW_RULE_ACTION,
			   NETVIRT_FW_ACTION_MAX + 1 + rnd(g->r, 250));
	if (chance(g->r, 50))
		gen_put_u32(g, NETVIRT_A_FW_RULE_PRIO, chance(g->r, 85) ?
			    prios[rnd(g->r, N(prios))] : (uint32_t)rng_next(g->r));
	k = rnd(g->r, 100);
	if (k < 30)
		gen_put_u32(g, NETVIRT_A_FW_RULE_IFINDEX,
			    dev_ifindex(g, pick_dev(g)));
	else if (k < 32)	/* only in replies */
		put_dev(g, NETVIRT_A_FW_RULE_IFINDEX, NETVIRT_A_FW_RULE_IFNAME);
	gen_rule_match(g);
	k = rnd(g->r, 100);
	if (k < 15)
		gen_put_u32(g, NETVIRT_A_FW_RULE_FLAGS, NETVIRT_FW_F_LOG);
	else if (k < 27)
		gen_put_u32(g, NETVIRT_A_FW_RULE_FLAGS, NETVIRT_FW_F_PERSIST);
	else if (k < 32)
		gen_put_u32(g, NETVIRT_A_FW_RULE_FLAGS, __NETVIRT_FW_F_ALL);
	else if (k < 35)
		gen_put_u32(g, NETVIRT_A_FW_RULE_FLAGS, rng_next(g->r));
	if (chance(g->r, 3)) {	/* the reply's own attributes */
		v = rng_next(g->r);
		if (chance(g->r, 50))
			gen_put_u32(g, NETVIRT_A_FW_RULE_HANDLE, v);
		else
			gen_put(g, NETVIRT_A_FW_RULE_PACKETS + rnd(g->r, 4), &v,
				sizeof(v));
	}
out:
	gen_nest_end(g);
}

/* PREFIXES: few, none, or as many as fit (past NETVIRT_FW_GROUP_MAX). */
static void gen_prefixes(struct gen *g)
{
	unsigned int n = pick_count(g, NETVIRT_FW_GROUP_MAX), i;

	if (chance(g->r, 8))
		n = 0;
	gen_nest(g, NETVIRT_A_FW_GROUP_PREFIXES, NETVIRT_A_FW_GROUP_MAX);
	for (i = 0; i < n && gen_room(g, 64); i++)
		put_fw_addr(g, chance(g->r, 99) ? NETVIRT_A_FW_GROUP_PREFIX :
			    rnd(g->r, NETVIRT_A_FW_GROUP_MAX + 2), false);
	gen_nest_end(g);
}

/*
 * FW_GROUP_NEW (replacing one with NETVIRT_F_REPLACE), FW_GROUP_DEL, and
 * FW_GROUP_GET: a doit names the group, a dump mostly does not.
 */
static void gen_fw_group(struct gen *g, uint8_t cmd)
{
	bool dump = msg_is_dump(g->m);
	char name[64];

	gen_nest(g, NETVIRT_A_FW_GROUP, NETVIRT_A_FW_GROUP_MAX);
	pick_name(g, name);
	if (!chance(g->r, 3))
		gen_put_str(g, NETVIRT_A_FW_GROUP_TENANT, name);
	if (dump ? chance(g->r, 10) : !chance(g->r, 3)) {
		pick_group(g, name);
		gen_put_str(g, NETVIRT_A_FW_GROUP_NAME, name);
	}
	if (cmd == NETVIRT_CMD_FW_GROUP_NEW && !chance(g->r, 4))
		gen_prefixes(g);
	if (chance(g->r, 2))
		gen_put_u32(g, NETVIRT_A_FW_GROUP_RULES, 1);
	gen_nest_end(g);
	if (cmd == NETVIRT_CMD_FW_GROUP_NEW && chance(g->r, 45))
		gen_put_u32(g, NETVIRT_A_FLAGS, chance(g->r, 90) ?
			    NETVIRT_F_REPLACE : chance(g->r, 50) ?
			    NETVIRT_F_FORCE : (uint32_t)rng_next(g->r));
}

/*
 * The uplink: a device of the namespace, which the ports and the underlay
 * use too. UPLINK_DEL and UPLINK_GET take nothing, but now and then get
 * the nest all the same, and UPLINK_SET read-only attributes.
 */
static void gen_uplink(struct gen *g, uint8_t cmd)
{
	if (cmd != NETVIRT_CMD_UPLINK_SET && !chance(g->r, 10))
		return;
	gen_nest(g, NETVIRT_A_UPLINK, NETVIRT_A_UPLINK_MAX);
	put_dev(g, NETVIRT_A_UPLINK_IFINDEX, NETVIRT_A_UPLINK_IFNAME);
	if (chance(g->r, 3))
		gen_put_u32(g, NETVIRT_A_UPLINK_ADDRS + rnd(g->r, 2), 1);
	gen_nest_end(g);
}

/* A NAT address: four per family, of the documentation ranges. */
static void put_nat_addr(struct gen *g, bool v6)
{
	uint8_t a[16];

	inet_pton(v6 ? AF_INET6 : AF_INET, v6 ? "2001:db8:ffff::" :
		  "203.0.113.0", a);
	a[v6 ? 15 : 3] = 1 + rnd(g->r, 4);
	gen_put(g, v6 ? NETVIRT_A_NAT_ADDR_IN6 : NETVIRT_A_NAT_ADDR_IN, a,
		v6 ? 16 : 4);
}

/*
 * A rule of @type, its attributes mostly those of the type, now and then
 * another type's, and a VM's address of the other family.
 */
static void gen_nat_rule(struct gen *g, uint8_t type, bool v6)
{
	static const uint16_t ports[] = { 0, 22, 80, 443, 1024, 8080, 65535 };
	uint8_t a[16];
	bool to_v6;

	put_nat_addr(g, v6);
	if (type == NETVIRT_NAT_SNAT || chance(g->r, 3)) {
		if (chance(g->r, 50))
			put_fw_addr(g, NETVIRT_A_NAT_SRC, false);
		if (chance(g->r, 40))
			put_range(g, NETVIRT_A_NAT_PORT_LO, NETVIRT_A_NAT_PORT_HI);
	}
	if (type == NETVIRT_NAT_DNAT || chance(g->r, 3)) {
		if (!chance(g->r, 5))
			gen_put_u8(g, NETVIRT_A_NAT_PROTO, chance(g->r, 90) ?
				   (chance(g->r, 50) ? 6 : 17) : rnd(g->r, 256));
		if (!chance(g->r, 5))
			gen_put_u16(g, NETVIRT_A_NAT_PORT, ports[rnd(g->r, N(ports))]);
		if (chance(g->r, 40))
			gen_put_u16(g, NETVIRT_A_NAT_TO_PORT,
				    ports[rnd(g->r, N(ports))]);
	}
	if (type == NETVIRT_NAT_SNAT ? chance(g->r, 3) : !chance(g->r, 5)) {
		to_v6 = chance(g->r, 90) ? v6 : !v6;
		pick_host(g, to_v6, a);
		gen_put(g, to_v6 ? NETVIRT_A_NAT_TO_IN6 : NETVIRT_A_NAT_TO_IN, a,
			to_v6 ? 16 : 4);
	}
}

/* NAT_NEW: a rule; NAT_DEL: a handle; NAT_GET: a tenant's rules. */
static void gen_nat(struct gen *g, uint8_t cmd)
{
	unsigned int k = rnd(g->r, 100);
	uint8_t type = k < 40 ? NETVIRT_NAT_SNAT : k < 70 ? NETVIRT_NAT_DNAT :
		       k < 96 ? NETVIRT_NAT_FIP :
		       NETVIRT_NAT_TYPE_MAX + 1 + rnd(g->r, 255 - NETVIRT_NAT_TYPE_MAX);
	char name[64];

	gen_nest(g, NETVIRT_A_NAT, NETVIRT_A_NAT_MAX);
	pick_name(g, name);
	if (!chance(g->r, 3))
		gen_put_str(g, NETVIRT_A_NAT_TENANT, name);
	if (cmd == NETVIRT_CMD_NAT_DEL ? !chance(g->r, 3) : chance(g->r, 2))
		gen_put_u32(g, NETVIRT_A_NAT_HANDLE, chance(g->r, 95) ?
			    1 + rnd(g->r, 64) : (uint32_t)rng_next(g->r));
	if (cmd == NETVIRT_CMD_NAT_NEW) {
		if (!chance(g->r, 3))
			gen_put_u8(g, NETVIRT_A_NAT_TYPE, type);
		gen_nat_rule(g, type, chance(g->r, 30));
	}
	if (chance(g->r, 3))
		gen_put_u32(g, NETVIRT_A_NAT_PACKETS + rnd(g->r, 5), 1);
	gen_nest_end(g);
}

/* NAT_EVENT, multicast only like FW_EVENT, as a request it refuses. */
static void gen_nat_event(struct gen *g)
{
	uint8_t a[4] = { 203, 0, 113, 1 };
	char name[64];

	gen_nest(g, NETVIRT_A_NAT_EVENT, NETVIRT_A_NAT_EVENT_MAX);
	pick_name(g, name);
	gen_put_str(g, NETVIRT_A_NAT_EVENT_TENANT, name);
	gen_put_u32(g, NETVIRT_A_NAT_EVENT_HANDLE, 1 + rnd(g->r, 64));
	gen_put(g, NETVIRT_A_NAT_EVENT_ADDR_IN, a, sizeof(a));
	gen_put_u8(g, NETVIRT_A_NAT_EVENT_PROTO, 6);
	if (chance(g->r, 50))
		gen_garbage(g, rnd(g->r, 4), 1);
	gen_nest_end(g);
}

/*
 * TXN_COMMIT: now and then the generation, mostly a small one (the
 * current one of a young namespace, or a stale one), the check flag or
 * garbage flags, and read-only attributes. BEGIN and ABORT take nothing,
 * but now and then get the nest all the same.
 */
static void gen_txn(struct gen *g, uint8_t cmd)
{
	if (cmd != NETVIRT_CMD_TXN_COMMIT && !chance(g->r, 10))
		return;
	if (cmd == NETVIRT_CMD_TXN_COMMIT && chance(g->r, 40))
		return;
	gen_nest(g, NETVIRT_A_TXN, NETVIRT_A_TXN_MAX);
	if (chance(g->r, 40)) {
		uint64_t gen = chance(g->r, 80) ? rnd(g->r, 64) : rng_next(g->r);

		gen_put(g, NETVIRT_A_TXN_GEN, &gen, sizeof(gen));
	}
	if (chance(g->r, 40))
		gen_put_u32(g, NETVIRT_A_TXN_FLAGS, chance(g->r, 90) ?
			    NETVIRT_TXN_F_CHECK : (uint32_t)rng_next(g->r));
	if (chance(g->r, 5))
		gen_put_u32(g, NETVIRT_A_TXN_REQUESTS + rnd(g->r, 2), 1);
	gen_nest_end(g);
}

/* What the module sends on its monitor group, as a request it refuses. */
static void gen_fw_event(struct gen *g)
{
	uint8_t a[4] = { 10, 0, 0, 1 };
	char name[64];

	gen_nest(g, NETVIRT_A_FW_EVENT, NETVIRT_A_FW_EVENT_MAX);
	pick_name(g, name);
	gen_put_str(g, NETVIRT_A_FW_EVENT_TENANT, name);
	if (chance(g->r, 50))
		gen_put_u32(g, NETVIRT_A_FW_EVENT_HANDLE, 1 + rnd(g->r, 64));
	gen_put_u8(g, NETVIRT_A_FW_EVENT_DIR, rnd(g->r, 2));
	gen_put_u8(g, NETVIRT_A_FW_EVENT_REASON, NETVIRT_DROP_FW_DENY);
	gen_put(g, NETVIRT_A_FW_EVENT_SRC_IN, a, sizeof(a));
	if (chance(g->r, 50))
		gen_garbage(g, rnd(g->r, 4), 1);
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
		switch (rnd(g->r, 12)) {
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
		case 9:
			gen_fw_rule(g, NETVIRT_CMD_FW_RULE_NEW);
			break;
		case 10:
			gen_fw_group(g, NETVIRT_CMD_FW_GROUP_NEW);
			break;
		default:
			gen_put_raw(g, rnd(g->r, 2), &v, rnd(g->r, 9));
		}
	}
}

bool gen_has_dumpit(uint8_t cmd)
{
	return cmd == NETVIRT_CMD_TENANT_GET || cmd == NETVIRT_CMD_PORT_GET ||
	       cmd == NETVIRT_CMD_ROUTE_GET || cmd == NETVIRT_CMD_STATS_GET ||
	       cmd == NETVIRT_CMD_FW_RULE_GET || cmd == NETVIRT_CMD_FW_GROUP_GET ||
	       cmd == NETVIRT_CMD_NAT_GET;
}

/* Commands of the UAPI with a doit: all but dump-only and multicast ones. */
bool gen_has_doit(uint8_t cmd)
{
	return cmd && cmd <= NETVIRT_CMD_MAX && cmd != NETVIRT_CMD_ROUTE_GET &&
	       cmd != NETVIRT_CMD_FW_RULE_GET && cmd != NETVIRT_CMD_FW_EVENT &&
	       cmd != NETVIRT_CMD_NAT_GET && cmd != NETVIRT_CMD_NAT_EVENT &&
	       cmd != NETVIRT_CMD_CONFIG_EVENT;
}

/* A command added to the UAPI needs its grammar and weight here. */
_Static_assert(NETVIRT_CMD_MAX == NETVIRT_CMD_CONFIG_EVENT,
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
		[NETVIRT_CMD_FW_SET] = 5,
		[NETVIRT_CMD_FW_GET] = 4,
		[NETVIRT_CMD_FW_RULE_NEW] = 16,
		[NETVIRT_CMD_FW_RULE_DEL] = 8,
		[NETVIRT_CMD_FW_RULE_GET] = 4,
		[NETVIRT_CMD_FW_GROUP_NEW] = 8,
		[NETVIRT_CMD_FW_GROUP_DEL] = 4,
		[NETVIRT_CMD_FW_GROUP_GET] = 4,
		[NETVIRT_CMD_FW_EVENT] = 2,
		[NETVIRT_CMD_UPLINK_SET] = 4,
		[NETVIRT_CMD_UPLINK_DEL] = 2,
		[NETVIRT_CMD_UPLINK_GET] = 3,
		[NETVIRT_CMD_NAT_NEW] = 14,
		[NETVIRT_CMD_NAT_DEL] = 6,
		[NETVIRT_CMD_NAT_GET] = 4,
		[NETVIRT_CMD_NAT_EVENT] = 2,
		/* Transactions: a few requests staged between each. */
		[NETVIRT_CMD_TXN_BEGIN] = 2,
		[NETVIRT_CMD_TXN_COMMIT] = 4,
		[NETVIRT_CMD_TXN_ABORT] = 2,
		[NETVIRT_CMD_CONFIG_EVENT] = 1,
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
	case NETVIRT_CMD_FW_SET:
	case NETVIRT_CMD_FW_GET:
		gen_fw(g, cmd);
		break;
	case NETVIRT_CMD_FW_RULE_NEW:
	case NETVIRT_CMD_FW_RULE_DEL:
	case NETVIRT_CMD_FW_RULE_GET:
		gen_fw_rule(g, cmd);
		break;
	case NETVIRT_CMD_FW_GROUP_NEW:
	case NETVIRT_CMD_FW_GROUP_DEL:
	case NETVIRT_CMD_FW_GROUP_GET:
		gen_fw_group(g, cmd);
		break;
	case NETVIRT_CMD_FW_EVENT:
		gen_fw_event(g);
		break;
	case NETVIRT_CMD_UPLINK_SET:
	case NETVIRT_CMD_UPLINK_DEL:
	case NETVIRT_CMD_UPLINK_GET:
		gen_uplink(g, cmd);
		break;
	case NETVIRT_CMD_NAT_NEW:
	case NETVIRT_CMD_NAT_DEL:
	case NETVIRT_CMD_NAT_GET:
		gen_nat(g, cmd);
		break;
	case NETVIRT_CMD_NAT_EVENT:
		gen_nat_event(g);
		break;
	case NETVIRT_CMD_TXN_BEGIN:
	case NETVIRT_CMD_TXN_COMMIT:
	case NETVIRT_CMD_TXN_ABORT:
		gen_txn(g, cmd);
		break;
	case NETVIRT_CMD_CONFIG_EVENT:
		gen_garbage(g, rnd(g->r, 4), 0);
		break;
	default:
		gen_garbage(g, rnd(g->r, 6), 0);
	}
}
