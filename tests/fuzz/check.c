// SPDX-License-Identifier: GPL-2.0
/*
 * After the storm: the module still answers INFO_GET, and the counts it
 * reports agree with what the dumps list - tenants, ports, routes, each
 * tenant's own port and route counts, and one stats entry per tenant
 * and port - and the overlay that HOST_GET reports against the tunnel
 * devices of the namespace. With the firewall: each tenant's FW_GET
 * against its rule and group dumps (counts, evaluation order, the rules
 * using each group, the zone being the tenant's id), and INFO_GET's rule
 * count against them all.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <net/if.h>
#include <libmnl/libmnl.h>

#include "nlfuzz.h"

#define MAX_TENANTS	2048
#define MAX_GROUPS	4096
#define DUMP_TRIES	5

struct tenant_seen {
	char name[NETVIRT_NAME_MAXLEN + 1];
	uint32_t id;		/* its NETVIRT_A_TENANT_ID */
	uint32_t ports;		/* its NETVIRT_A_TENANT_PORTS */
	uint32_t routes;	/* its NETVIRT_A_TENANT_ROUTES */
	uint32_t ports_dumped;
	uint32_t routes_dumped;
};

struct census {
	struct tenant_seen t[MAX_TENANTS];
	unsigned int n_tenants;
	unsigned int n_ports;
	unsigned int n_routes;
	unsigned int n_stats;
	int cur;		/* tenant of the route dump */
};

static struct census census;
static struct msg check_msg;

static const struct nlattr *nested(const struct nlattr *nest, uint16_t type)
{
	const struct nlattr *a;

	mnl_attr_for_each_nested(a, nest)
		if (mnl_attr_get_type(a) == type)
			return a;
	return NULL;
}

static const struct nlattr *top(const struct nlmsghdr *nlh, uint16_t type)
{
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, GENL_HDRLEN)
		if (mnl_attr_get_type(a) == type)
			return a;
	return NULL;
}

static uint32_t u32_of(const struct nlattr *a)
{
	return a && mnl_attr_get_payload_len(a) == 4 ? mnl_attr_get_u32(a) :
						       UINT32_MAX;
}

static void info_cb(const struct nlmsghdr *nlh, void *data)
{
	struct info *info = data;
	const struct nlattr *a;
	int i;

	a = top(nlh, NETVIRT_A_CONFIG_GEN);
	if (a && mnl_attr_get_payload_len(a) == 8)
		info->gen = mnl_attr_get_u64(a);
	a = top(nlh, NETVIRT_A_FEATURES);
	if (a && mnl_attr_get_payload_len(a) == 8)
		info->features = mnl_attr_get_u64(a);
	info->has_version = !!top(nlh, NETVIRT_A_VERSION) &&
			    u32_of(top(nlh, NETVIRT_A_API_VERSION)) >= 1;
	a = top(nlh, NETVIRT_A_COUNTS);
	if (!a)
		return;
	info->has_counts = true;
	for (i = 1; i <= NETVIRT_A_COUNT_MAX; i++)
		info->counts[i] = u32_of(nested(a, i));
}

/* INFO_GET with the API version: 0 when it answers completely. */
int check_info(struct nlsock *s, struct info *info)
{
	struct reply rep;
	struct msg *m = &check_msg;
	int ret;

	memset(info, 0, sizeof(*info));
	gen_info_get(m, s->family);
	s->cb = info_cb;
	s->cb_data = info;
	ret = nl_transact(s, m, &rep, false);
	s->cb = NULL;
	if (ret || !rep.acked || rep.error || rep.n_data != 1 ||
	    !info->has_version || !info->has_counts) {
		printf("# INFO_GET: ret %d, error %d, %u replies%s%s\n", ret,
		       rep.error, rep.n_data, rep.has_msg ? ": " : "", rep.msg);
		return -1;
	}
	return 0;
}

static struct tenant_seen *find(const char *name)
{
	unsigned int i;

	for (i = 0; i < census.n_tenants; i++)
		if (!strcmp(census.t[i].name, name))
			return &census.t[i];
	return NULL;
}

static void tenant_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *nest = top(nlh, NETVIRT_A_TENANT), *a;
	struct tenant_seen *t;

	(void)data;
	if (!nest || census.n_tenants == MAX_TENANTS)
		return;
	t = &census.t[census.n_tenants++];
	memset(t, 0, sizeof(*t));
	a = nested(nest, NETVIRT_A_TENANT_NAME);
	if (a)
		snprintf(t->name, sizeof(t->name), "%.*s",
			 (int)mnl_attr_get_payload_len(a),
			 (const char *)mnl_attr_get_payload(a));
	a = nested(nest, NETVIRT_A_TENANT_ID);
	t->id = a && mnl_attr_get_payload_len(a) == 2 ? mnl_attr_get_u16(a) :
							 UINT32_MAX;
	t->ports = u32_of(nested(nest, NETVIRT_A_TENANT_PORTS));
	t->routes = u32_of(nested(nest, NETVIRT_A_TENANT_ROUTES));
}

static void port_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *nest = top(nlh, NETVIRT_A_PORT), *a;
	struct tenant_seen *t = NULL;

	(void)data;
	census.n_ports++;
	a = nest ? nested(nest, NETVIRT_A_PORT_TENANT) : NULL;
	if (a && mnl_attr_get_payload_len(a) <= NETVIRT_NAME_MAXLEN + 1)
		t = find(mnl_attr_get_payload(a));
	if (t)
		t->ports_dumped++;
}

static void route_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(void)data;
	census.n_routes++;
	census.t[census.cur].routes_dumped++;
}

static void stats_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(void)data;
	census.n_stats++;
}

/* One dump to its end; -EINTR when the kernel flagged a change. */
static int dump(struct nlsock *s, uint8_t cmd, const char *tenant,
		void (*cb)(const struct nlmsghdr *, void *))
{
	struct reply rep;
	int ret;

	gen_dump(&check_msg, s->family, cmd, tenant);
	s->cb = cb;
	ret = nl_transact(s, &check_msg, &rep, false);
	s->cb = NULL;
	if (!ret && (rep.error || !rep.done)) {
		printf("# dump of command %u%s%s: error %d%s%s\n", cmd,
		       tenant ? " for " : "", tenant ? tenant : "", rep.error,
		       rep.has_msg ? ": " : "", rep.msg);
		ret = rep.error ?: -EPROTO;
	}
	return !ret && rep.intr ? -EINTR : ret;
}

static int take_census(struct nlsock *s)
{
	unsigned int i;
	int ret;

	memset(&census, 0, sizeof(census));
	ret = dump(s, NETVIRT_CMD_TENANT_GET, NULL, tenant_cb);
	if (!ret)
		ret = dump(s, NETVIRT_CMD_PORT_GET, NULL, port_cb);
	if (!ret)
		ret = dump(s, NETVIRT_CMD_STATS_GET, NULL, stats_cb);
	for (i = 0; !ret && i < census.n_tenants; i++) {
		census.cur = i;
		ret = dump(s, NETVIRT_CMD_ROUTE_GET, census.t[i].name,
			   route_cb);
	}
	return ret;
}

static int expect(const char *what, unsigned long got, unsigned long want)
{
	if (got == want)
		return 0;
	printf("# %s: %lu listed, %lu counted\n", what, got, want);
	return 1;
}

/* What nvctl's grammar cannot name: empty, blanks, control characters. */
static bool unnamable(const char *name)
{
	const unsigned char *p = (const unsigned char *)name;

	if (!*p)
		return true;
	for (; *p; p++)
		if (*p <= ' ' || *p == 0x7f)
			return true;
	return false;
}

/* Tenants the module accepted under names nvctl refuses: a diagnostic. */
static void report_names(void)
{
	unsigned int i, n = 0;
	const char *s;

	for (i = 0; i < census.n_tenants; i++) {
		if (!unnamable(census.t[i].name))
			continue;
		if (n++ < 3) {
			printf("# tenant name nvctl cannot give: \"");
			for (s = census.t[i].name; *s; s++)
				printf(*s > ' ' && *s < 0x7f ? "%c" : "\\x%02x",
				       (unsigned char)*s);
			printf("\"\n");
		}
	}
	if (n)
		printf("# %u tenants have names nvctl cannot give\n", n);
}

/* The overlay as HOST_GET gives it; UINT32_MAX: attribute missing. */
struct host_seen {
	bool nest;
	uint32_t encap;
	uint32_t port;
	uint32_t tunnel;
};

static uint32_t uint_of(const struct nlattr *a, size_t len)
{
	if (!a || mnl_attr_get_payload_len(a) != len)
		return UINT32_MAX;
	return len == 1 ? mnl_attr_get_u8(a) : len == 2 ? mnl_attr_get_u16(a) :
	       mnl_attr_get_u32(a);
}

static void host_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *nest = top(nlh, NETVIRT_A_HOST);
	struct host_seen *h = data;

	if (!nest)
		return;
	h->nest = true;
	h->encap = uint_of(nested(nest, NETVIRT_A_HOST_ENCAP), 1);
	h->port = uint_of(nested(nest, NETVIRT_A_HOST_PORT), 2);
	h->tunnel = uint_of(nested(nest, NETVIRT_A_HOST_TUNNEL_IFINDEX), 4);
}

static bool has_prefix(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* netvirt's tunnel devices in the namespace: how many, and the last. */
static int tunnel_devs(uint32_t *ifindex, char *name)
{
	struct if_nameindex *ifs = if_nameindex(), *i;
	int n = 0;

	if (!ifs)
		return -1;
	for (i = ifs; i->if_index; i++) {
		if (!has_prefix(i->if_name, NETVIRT_TUNNEL_DEV_GENEVE) &&
		    !has_prefix(i->if_name, NETVIRT_TUNNEL_DEV_VXLAN))
			continue;
		n++;
		*ifindex = i->if_index;
		snprintf(name, IF_NAMESIZE, "%s", i->if_name);
	}
	if_freenameindex(ifs);
	return n;
}

/*
 * The overlay against the namespace's devices: when HOST_GET answers,
 * one tunnel device, the one it names, of its encapsulation (a replaced
 * one is gone); none when it says ENOENT. 0, 1 on a mismatch, -1 when
 * HOST_GET or the device list fails.
 */
static int check_host(struct nlsock *s, bool report)
{
	struct host_seen h = { 0 };
	char name[IF_NAMESIZE] = "";
	const char *prefix = NULL;
	uint32_t ifindex = 0;
	struct reply rep;
	int ret, n;

	gen_get(&check_msg, s->family, NETVIRT_CMD_HOST_GET);
	s->cb = host_cb;
	s->cb_data = &h;
	ret = nl_transact(s, &check_msg, &rep, false);
	s->cb = NULL;
	n = tunnel_devs(&ifindex, name);
	if (ret || n < 0)
		return -1;
	if (rep.error == -ENOENT) {
		if (report)
			printf("# overlay: none\n");
		return expect("tunnel devices without an overlay", n, 0);
	}
	if (rep.error || rep.n_data != 1 || !h.nest) {
		printf("# HOST_GET: error %d, %u replies%s%s\n", rep.error,
		       rep.n_data, rep.has_msg ? ": " : "", rep.msg);
		return -1;
	}
	if (h.encap == NETVIRT_ENCAP_GENEVE)
		prefix = NETVIRT_TUNNEL_DEV_GENEVE;
	else if (h.encap == NETVIRT_ENCAP_VXLAN)
		prefix = NETVIRT_TUNNEL_DEV_VXLAN;
	if (n != 1 || ifindex != h.tunnel || !prefix ||
	    !has_prefix(name, prefix)) {
		printf("# overlay: encap %u, port %u, tunnel ifindex %u; %d tunnel devices, the last %s(%u)\n",
		       h.encap, h.port, h.tunnel, n, name, ifindex);
		return 1;
	}
	if (report)
		printf("# overlay: %s(%u), port %u\n", name, ifindex, h.port);
	return 0;
}

/*
 * One tenant's firewall: FW_GET's answer, and what its rule and group
 * dumps list.
 */
struct fw_group_seen {
	char name[NETVIRT_NAME_MAXLEN + 1];
	uint32_t rules;		/* its NETVIRT_A_FW_GROUP_RULES */
	uint32_t used;		/* rules of the dump naming it */
	bool listed;		/* in the group dump */
};

static struct fw_census {
	bool answered;
	uint32_t rules, groups, zone;	/* FW_GET's; UINT32_MAX: missing */
	unsigned int rules_dumped, groups_dumped;
	uint64_t last_prio, last_handle;	/* of the previous rule */
	unsigned int disorder;		/* rules out of (PRIO, HANDLE) order */
	unsigned int unknown_refs;	/* groups referenced, not found */
	struct fw_group_seen g[MAX_GROUPS];
	unsigned int n_groups;
} fwc;

/* A u8, u16, u32 or u64 attribute's value; UINT64_MAX when none of them. */
static uint64_t uint_any(const struct nlattr *a)
{
	if (!a)
		return UINT64_MAX;
	switch (mnl_attr_get_payload_len(a)) {
	case 1:
		return mnl_attr_get_u8(a);
	case 2:
		return mnl_attr_get_u16(a);
	case 4:
		return mnl_attr_get_u32(a);
	case 8:
		return mnl_attr_get_u64(a);
	}
	return UINT64_MAX;
}

static void copy_name(char *dst, const struct nlattr *a)
{
	size_t len = mnl_attr_get_payload_len(a);

	if (len > NETVIRT_NAME_MAXLEN)
		len = NETVIRT_NAME_MAXLEN;
	memcpy(dst, mnl_attr_get_payload(a), len);
	dst[len] = '\0';
}

static struct fw_group_seen *fw_group(const char *name, bool add)
{
	unsigned int i;

	for (i = 0; i < fwc.n_groups; i++)
		if (!strcmp(fwc.g[i].name, name))
			return &fwc.g[i];
	if (!add || fwc.n_groups == MAX_GROUPS)
		return NULL;
	memset(&fwc.g[i], 0, sizeof(fwc.g[i]));
	snprintf(fwc.g[i].name, sizeof(fwc.g[i].name), "%s", name);
	fwc.n_groups++;
	return &fwc.g[i];
}

static void fw_get_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *nest = top(nlh, NETVIRT_A_FW);

	(void)data;
	if (!nest)
		return;
	fwc.answered = true;
	fwc.rules = u32_of(nested(nest, NETVIRT_A_FW_RULES));
	fwc.groups = u32_of(nested(nest, NETVIRT_A_FW_GROUPS));
	fwc.zone = uint_any(nested(nest, NETVIRT_A_FW_ZONE));
}

/* The group a rule's SRC or DST names, into @name; false when none. */
static bool ref_of(const struct nlattr *rule, uint16_t type, char *name)
{
	const struct nlattr *addr = nested(rule, type), *a;

	a = addr ? nested(addr, NETVIRT_A_FW_ADDR_GROUP) : NULL;
	if (!a)
		return false;
	copy_name(name, a);
	return true;
}

static void fw_rule_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *nest = top(nlh, NETVIRT_A_FW_RULE);
	char src[NETVIRT_NAME_MAXLEN + 1], dst[NETVIRT_NAME_MAXLEN + 1];
	struct fw_group_seen *grp;
	uint64_t prio, handle;
	bool s, d;

	(void)data;
	fwc.rules_dumped++;
	if (!nest)
		return;
	prio = uint_any(nested(nest, NETVIRT_A_FW_RULE_PRIO));
	handle = uint_any(nested(nest, NETVIRT_A_FW_RULE_HANDLE));
	if (fwc.rules_dumped > 1 &&
	    (prio < fwc.last_prio ||
	     (prio == fwc.last_prio && handle <= fwc.last_handle)))
		fwc.disorder++;
	fwc.last_prio = prio;
	fwc.last_handle = handle;
	/* A rule naming one group twice is one rule using it. */
	s = ref_of(nest, NETVIRT_A_FW_RULE_SRC, src);
	d = ref_of(nest, NETVIRT_A_FW_RULE_DST, dst);
	if (s && d && !strcmp(src, dst))
		d = false;
	if (s && (grp = fw_group(src, true)))
		grp->used++;
	if (d && (grp = fw_group(dst, true)))
		grp->used++;
}

static void fw_group_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *nest = top(nlh, NETVIRT_A_FW_GROUP), *a;
	char name[NETVIRT_NAME_MAXLEN + 1];
	struct fw_group_seen *grp;

	(void)data;
	fwc.groups_dumped++;
	a = nest ? nested(nest, NETVIRT_A_FW_GROUP_NAME) : NULL;
	if (!a)
		return;
	copy_name(name, a);
	grp = fw_group(name, true);
	if (!grp)
		return;
	grp->listed = true;
	grp->rules = u32_of(nested(nest, NETVIRT_A_FW_GROUP_RULES));
}

/* FW_GET of @t, then its rule and group dumps; -EINTR as dump() says. */
static int fw_take(struct nlsock *s, const struct tenant_seen *t)
{
	struct reply rep;
	int ret;

	memset(&fwc, 0, offsetof(struct fw_census, g));
	fwc.n_groups = 0;
	fwc.rules = fwc.groups = fwc.zone = UINT32_MAX;
	gen_tenant_get(&check_msg, s->family, NETVIRT_CMD_FW_GET, t->name);
	s->cb = fw_get_cb;
	ret = nl_transact(s, &check_msg, &rep, false);
	s->cb = NULL;
	if (ret)
		return ret;
	if (rep.error || !fwc.answered) {
		printf("# FW_GET of tenant %s: error %d, %u replies%s%s\n",
		       t->name, rep.error, rep.n_data, rep.has_msg ? ": " : "",
		       rep.msg);
		return rep.error ?: -EPROTO;
	}
	ret = dump(s, NETVIRT_CMD_FW_RULE_GET, t->name, fw_rule_cb);
	if (!ret)
		ret = dump(s, NETVIRT_CMD_FW_GROUP_GET, t->name, fw_group_cb);
	return ret;
}

/*
 * Each tenant's firewall against its dumps; the rules of all tenants
 * into @rules. Mismatches, or -1 when a request fails.
 */
static int check_fw(struct nlsock *s, unsigned long *rules)
{
	const struct fw_group_seen *grp;
	const struct tenant_seen *t;
	unsigned int i, j;
	int ret, tries, bad = 0;
	char what[96];

	*rules = 0;
	for (i = 0; i < census.n_tenants; i++) {
		t = &census.t[i];
		tries = 0;
		do
			ret = fw_take(s, t);
		while (ret == -EINTR && ++tries < DUMP_TRIES);
		if (ret)
			return -1;
		*rules += fwc.rules_dumped;
		snprintf(what, sizeof(what), "firewall rules of tenant %s", t->name);
		bad += expect(what, fwc.rules_dumped, fwc.rules);
		snprintf(what, sizeof(what), "firewall groups of tenant %s", t->name);
		bad += expect(what, fwc.groups_dumped, fwc.groups);
		snprintf(what, sizeof(what), "conntrack zone (listed) and id (counted) of tenant %s",
			 t->name);
		bad += expect(what, fwc.zone, t->id);
		snprintf(what, sizeof(what), "rules out of (prio, handle) order in tenant %s",
			 t->name);
		bad += expect(what, fwc.disorder, 0);
		for (j = 0; j < fwc.n_groups; j++) {
			grp = &fwc.g[j];
			snprintf(what, sizeof(what), "rules using group %s of tenant %s",
				 grp->name, t->name);
			if (!grp->listed) {
				printf("# %s: %u, but no such group is listed\n",
				       what, grp->used);
				bad++;
				continue;
			}
			bad += expect(what, grp->used, grp->rules);
		}
	}
	return bad;
}

/*
 * Mismatches between @info's counts and the dumps, and of the overlay
 * with its tunnel device (check_host()); -1 on failure. With
 * @report, a summary and the tenants nvctl cannot name.
 */
int check_census(struct nlsock *s, const struct info *info, bool report)
{
	const struct tenant_seen *t;
	int ret, tries = 0, bad = 0;
	unsigned long rules = 0;
	unsigned int i;
	char what[64];

	do
		ret = take_census(s);
	while (ret == -EINTR && ++tries < DUMP_TRIES);
	if (ret)
		return -1;
	bad += expect("tenants", census.n_tenants,
		      info->counts[NETVIRT_A_COUNT_TENANTS]);
	bad += expect("ports", census.n_ports,
		      info->counts[NETVIRT_A_COUNT_PORTS]);
	bad += expect("routes", census.n_routes,
		      info->counts[NETVIRT_A_COUNT_ROUTES]);
	bad += expect("stats entries", census.n_stats,
		      census.n_tenants + census.n_ports);
	for (i = 0; i < census.n_tenants; i++) {
		t = &census.t[i];
		snprintf(what, sizeof(what), "ports of tenant %s", t->name);
		bad += expect(what, t->ports_dumped, t->ports);
		snprintf(what, sizeof(what), "routes of tenant %s", t->name);
		bad += expect(what, t->routes_dumped, t->routes);
	}
	ret = check_host(s, report);
	if (ret < 0)
		return -1;
	bad += ret;
	if (info->features & NETVIRT_FEAT_FIREWALL) {
		ret = check_fw(s, &rules);
		if (ret < 0)
			return -1;
		bad += ret;
		bad += expect("firewall rules", rules,
			      info->counts[NETVIRT_A_COUNT_RULES]);
	}
	if (!report)
		return bad;
	report_names();
	printf("# census: %u tenants, %u ports, %u routes, %lu firewall rules, generation %llu\n",
	       census.n_tenants, census.n_ports, census.n_routes, rules,
	       (unsigned long long)info->gen);
	return bad;
}
