// SPDX-License-Identifier: GPL-2.0
/*
 * The request writer. Requests are written attribute by attribute
 * (grammar.c knows which); a "chaos" percentage corrupts any attribute
 * or nest as it is written - dropped, duplicated, truncated, padded,
 * oversized, wrong type, stray flag bits, garbage siblings, thousands of
 * unknown attributes - which reaches every nesting level of every
 * command. The header gets its own damage: flags, genl version and
 * reserved field, lengths. Also the PRNG, xorshift64*.
 */
#include <string.h>

#include "gen.h"

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
bool gen_room(const struct gen *g, size_t len)
{
	if (g->m->len + len > MSG_MAX)
		return false;
	return !g->depth || g->m->len + len - g->nest[0] <= NLA_LEN_MAX;
}

/* Writes one attribute as given; @data NULL: random payload. */
bool gen_put_raw(struct gen *g, uint16_t type, const void *data,
		    size_t len)
{
	size_t total = NLA_HDRLEN + len;
	struct nlattr *a = (struct nlattr *)(g->m->buf + g->m->len);

	if (total > NLA_LEN_MAX || !gen_room(g, NLA_ALIGN(total)))
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

	if (g->depth == NEST_MAX || !gen_room(g, NLA_HDRLEN)) {
		g->skipped++;	/* its nest_close() closes nothing */
		return;
	}
	a->nla_len = NLA_HDRLEN;
	a->nla_type = type;
	g->nest[g->depth++] = g->m->len;
	g->maxtype[g->depth] = maxtype;
	g->m->len += NLA_HDRLEN;
}

static void nest_close(struct gen *g)
{
	struct nlattr *a;

	if (g->skipped) {
		g->skipped--;
		return;
	}
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
void gen_garbage(struct gen *g, unsigned int n, int depth)
{
	uint16_t max = g->maxtype[g->depth];
	uint8_t buf[300];
	size_t len;

	while (n--) {
		uint16_t type = chance(g->r, 85) ? rnd(g->r, max + 3) :
				rnd(g->r, 0x10000);

		if (depth < 5 && chance(g->r, 20)) {
			nest_open(g, type | NLA_F_NESTED, max);
			gen_garbage(g, rnd(g->r, 5), depth + 1);
			nest_close(g);
			continue;
		}
		len = garbage_len(g->r);
		if (chance(g->r, 30))
			memset(buf, chance(g->r, 50) ? 0 : 0xff, len);
		else
			rnd_bytes(g->r, buf, len);
		gen_put_raw(g, type, buf, len);
	}
}

/* Thousands of small attributes: counts no request should have. */
void gen_flood(struct gen *g, uint16_t type, bool same_type)
{
	unsigned int n = 100 + rnd(g->r, 4000), i;
	uint32_t v;

	for (i = 0; i < n; i++) {
		v = rng_next(g->r);
		if (!gen_put_raw(g, same_type ? type : 1000 + i % 30000, &v,
			     sizeof(v)))
			break;
	}
}

/*
 * One attribute, corrupted @g->chaos percent of the time. The damage
 * is one of: dropped, duplicated, truncated, padded, oversized, wrong
 * type, stray flag bits, garbage before it, a flood of its type.
 */
void gen_put(struct gen *g, uint16_t type, const void *data, size_t len)
{
	static uint8_t big[65000];
	uint16_t max = g->maxtype[g->depth];

	if (!chance(g->r, g->chaos)) {
		gen_put_raw(g, type, data, len);
		return;
	}
	switch (rnd(g->r, 10)) {
	case 0:
		return;
	case 1:
		gen_put_raw(g, type, data, len);
		gen_put_raw(g, type, chance(g->r, 50) ? data : NULL, len);
		return;
	case 2:
		gen_put_raw(g, type, data, len ? rnd(g->r, len) : 0);
		return;
	case 3: {
		uint8_t buf[64];

		memcpy(buf, data, len < 48 ? len : 48);
		rnd_bytes(g->r, buf + (len < 48 ? len : 48), 16);
		gen_put_raw(g, type, buf, (len < 48 ? len : 48) + 1 + rnd(g->r, 15));
		return;
	}
	case 4:
		if (chance(g->r, 50))
			memset(big, 0, sizeof(big));
		else
			rnd_bytes(g->r, big, 512);
		gen_put_raw(g, type, big, 256 + rnd(g->r, sizeof(big) - 256));
		return;
	case 5:
		gen_put_raw(g, chance(g->r, 70) ? rnd(g->r, max + 4) :
			rnd(g->r, 0x10000), data, len);
		return;
	case 6:
		gen_put_raw(g, type | (chance(g->r, 50) ? NLA_F_NESTED :
				   NLA_F_NET_BYTEORDER), data, len);
		return;
	case 7:
		gen_garbage(g, 1 + rnd(g->r, 3), 0);
		gen_put_raw(g, type, data, len);
		return;
	case 8:
		gen_put_raw(g, type, data, len);
		gen_flood(g, type, chance(g->r, 50));
		return;
	default:
		gen_put_raw(g, type, data, len);
		gen_garbage(g, 1, 0);
	}
}

void gen_put_u8(struct gen *g, uint16_t type, uint8_t v)
{
	gen_put(g, type, &v, sizeof(v));
}

void gen_put_u16(struct gen *g, uint16_t type, uint16_t v)
{
	gen_put(g, type, &v, sizeof(v));
}

void gen_put_u32(struct gen *g, uint16_t type, uint32_t v)
{
	gen_put(g, type, &v, sizeof(v));
}

void gen_put_str(struct gen *g, uint16_t type, const char *s)
{
	gen_put(g, type, s, strlen(s) + 1);
}

/* A nest, corrupted like gen_put(): flag bits, type, garbage inside. */
void gen_nest(struct gen *g, uint16_t type, uint16_t maxtype)
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
			gen_garbage(g, 1 + rnd(g->r, 2), 0);
			break;
		}
	}
	nest_open(g, type | flag, maxtype);
	if (chance(g->r, g->chaos / 2))
		gen_garbage(g, 1 + rnd(g->r, 4), 0);
}

void gen_nest_end(struct gen *g)
{
	if (chance(g->r, g->chaos / 3))
		gen_garbage(g, 1 + rnd(g->r, 3), 0);
	nest_close(g);
}

static uint16_t pick_flags(struct gen *g, uint8_t cmd)
{
	uint16_t flags = NLM_F_REQUEST | NLM_F_ACK;
	unsigned int pct = !gen_has_doit(cmd) ? 95 : 40;

	if (gen_has_dumpit(cmd) && chance(g->r, pct))
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

static void msg_begin(struct gen *g, struct rng *r, const struct world *w,
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

static void msg_end(struct gen *g)
{
	g->skipped = 0;
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
	msg_begin(&g, r, w, m, cmd, 0);
	msg_nlh(m)->nlmsg_flags = pick_flags(&g, cmd);
	if (kind == GEN_CHAOS)
		g.chaos = 2 + rnd(r, 30);
	if (kind == GEN_RANDOM) {
		gen_garbage(&g, rnd(r, 12), 0);
		if (chance(r, 10))
			gen_flood(&g, rnd(r, NETVIRT_A_MAX + 2), chance(r, 50));
	} else {
		gen_body(&g, cmd);
		if (chance(r, g.chaos))
			gen_extras(&g);
	}
	msg_end(&g);
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
		NETVIRT_CMD_FW_RULE_GET, NETVIRT_CMD_FW_GROUP_GET,
		NETVIRT_CMD_NAT_GET,
	};
	struct gen g;

	if (cmd < 0)
		cmd = dumps[rnd(r, N(dumps))];
	msg_begin(&g, r, w, m, cmd, NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP);
	/* The dumps of one tenant's objects name it. */
	if (cmd == NETVIRT_CMD_ROUTE_GET || cmd == NETVIRT_CMD_FW_RULE_GET ||
	    cmd == NETVIRT_CMD_FW_GROUP_GET || cmd == NETVIRT_CMD_NAT_GET)
		gen_body(&g, cmd);
	msg_end(&g);
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

/* A doit of @cmd without attributes (HOST_GET). */
void gen_get(struct msg *m, uint16_t family, uint8_t cmd)
{
	hdr_only(m, family, cmd, NLM_F_REQUEST | NLM_F_ACK);
}

/* The nest of @cmd's request and its tenant attribute; 0 when none. */
static uint16_t tenant_nest(uint8_t cmd, uint16_t *attr)
{
	switch (cmd) {
	case NETVIRT_CMD_ROUTE_GET:
		*attr = NETVIRT_A_ROUTE_TENANT;
		return NETVIRT_A_ROUTE;
	case NETVIRT_CMD_FW_GET:
		*attr = NETVIRT_A_FW_TENANT;
		return NETVIRT_A_FW;
	case NETVIRT_CMD_FW_RULE_GET:
		*attr = NETVIRT_A_FW_RULE_TENANT;
		return NETVIRT_A_FW_RULE;
	case NETVIRT_CMD_FW_GROUP_GET:
		*attr = NETVIRT_A_FW_GROUP_TENANT;
		return NETVIRT_A_FW_GROUP;
	case NETVIRT_CMD_NAT_GET:
		*attr = NETVIRT_A_NAT_TENANT;
		return NETVIRT_A_NAT;
	}
	return 0;
}

static void put_tenant(struct msg *m, uint8_t cmd, const char *tenant)
{
	struct nlattr *nest;
	uint16_t attr = 0, type = tenant_nest(cmd, &attr);

	if (!tenant || !type)
		return;
	nest = (struct nlattr *)(m->buf + m->len);
	nest->nla_type = type | NLA_F_NESTED;
	m->len += NLA_HDRLEN;
	append(m, attr, tenant, strlen(tenant) + 1);
	nest->nla_len = m->len - ((uint8_t *)nest - m->buf);
}

/* A dump of @cmd; of @tenant's routes, rules or groups when given. */
void gen_dump(struct msg *m, uint16_t family, uint8_t cmd,
	      const char *tenant)
{
	hdr_only(m, family, cmd, NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP);
	put_tenant(m, cmd, tenant);
}

/* A doit of @cmd for @tenant (FW_GET). */
void gen_tenant_get(struct msg *m, uint16_t family, uint8_t cmd,
		    const char *tenant)
{
	hdr_only(m, family, cmd, NLM_F_REQUEST | NLM_F_ACK);
	put_tenant(m, cmd, tenant);
}
