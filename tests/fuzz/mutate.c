// SPDX-License-Identifier: GPL-2.0
/*
 * Mutations of a finished request: bit flips, interesting values,
 * truncation, attribute header damage, and attribute splicing (from
 * another request), deletion and duplication at any nesting level. The
 * netlink header's type and sequence are left alone so the request
 * still reaches the family and its answer can be matched.
 */
#include <string.h>

#include "nlfuzz.h"

#define MAX_NODES	16384

/* An attribute of the message and the nest holding it (-1: top). */
struct node {
	size_t off;
	int parent;
};

static struct node nodes[MAX_NODES];

static int walk(const struct msg *m, size_t off, size_t end, int parent,
		struct node *out, int n)
{
	while (off + NLA_HDRLEN <= end && n < MAX_NODES) {
		const struct nlattr *a = (const void *)(m->buf + off);
		int me = n;

		if (a->nla_len < NLA_HDRLEN || off + a->nla_len > end)
			break;
		out[n++] = (struct node){ off, parent };
		if ((a->nla_type & NLA_F_NESTED) && a->nla_len > NLA_HDRLEN)
			n = walk(m, off + NLA_HDRLEN, off + a->nla_len, me,
				 out, n);
		off += NLA_ALIGN(a->nla_len);
	}
	return n;
}

static int walk_msg(const struct msg *m, struct node *out)
{
	const struct nlmsghdr *nlh = (const void *)m->buf;
	size_t end = nlh->nlmsg_len < m->len ? nlh->nlmsg_len : m->len;

	return m->len < HDRS_LEN ? 0 : walk(m, HDRS_LEN, end, -1, out, 0);
}

static struct nlattr *attr_at(struct msg *m, size_t off)
{
	return (struct nlattr *)(m->buf + off);
}

/* Grows or shrinks (@delta < 0) the message at @pos inside @parent. */
static bool resize(struct msg *m, size_t pos, long delta, int parent)
{
	int p;

	if ((long)m->len + delta > MSG_MAX || (long)m->len + delta < (long)HDRS_LEN)
		return false;
	for (p = parent; p >= 0; p = nodes[p].parent)
		if (attr_at(m, nodes[p].off)->nla_len + delta > 0xffff)
			return false;
	memmove(m->buf + pos + (delta > 0 ? delta : 0),
		m->buf + pos - (delta < 0 ? delta : 0),
		m->len - pos - (delta < 0 ? -delta : 0));
	for (p = parent; p >= 0; p = nodes[p].parent)
		attr_at(m, nodes[p].off)->nla_len += delta;
	m->len += delta;
	msg_nlh(m)->nlmsg_len = m->len;
	return true;
}

static void flip_bits(struct rng *r, struct msg *m)
{
	unsigned int n = 1 + rnd(r, 4);

	while (n-- && m->len > NLMSG_HDRLEN) {
		size_t off = NLMSG_HDRLEN + rnd(r, m->len - NLMSG_HDRLEN);

		m->buf[off] ^= 1 << rnd(r, 8);
	}
}

/* 0, -1, sign bits, one: at an attribute's payload or anywhere. */
static void interesting(struct rng *r, struct msg *m, int n_nodes)
{
	static const uint32_t vals[] = { 0, 1, 0x7f, 0x80, 0xff, 0x7fff,
					 0x8000, 0xffff, 0x80000000,
					 0xffffffff, 0x10000, 0x1000000 };
	uint32_t v = vals[rnd(r, N(vals))];
	size_t size = 1 << rnd(r, 3), off;

	if (n_nodes && chance(r, 70))
		off = nodes[rnd(r, n_nodes)].off + NLA_HDRLEN;
	else
		off = NLMSG_HDRLEN + rnd(r, m->len - NLMSG_HDRLEN);
	if (off + size <= m->len)
		memcpy(m->buf + off, &v, size);
}

/* Cut anywhere, now and then inside the genl header. */
static void truncate_msg(struct rng *r, struct msg *m)
{
	size_t min = chance(r, 10) ? NLMSG_HDRLEN : HDRS_LEN;

	if (m->len <= min)
		return;
	m->len = min + rnd(r, m->len - min);
	msg_nlh(m)->nlmsg_len = m->len;
}

static void bad_len(struct rng *r, struct msg *m, int n_nodes)
{
	struct nlattr *a = attr_at(m, nodes[rnd(r, n_nodes)].off);
	uint16_t len = a->nla_len;
	const uint16_t lens[] = { 0, 1, 3, 4, len - 1, len + 1, len + 4,
				  len + 100, 0xffff, rnd(r, 0x10000) };

	a->nla_len = lens[rnd(r, N(lens))];
}

static void bad_type(struct rng *r, struct nlattr *a)
{
	switch (rnd(r, 4)) {
	case 0:
		a->nla_type ^= NLA_F_NESTED;
		break;
	case 1:
		a->nla_type ^= NLA_F_NET_BYTEORDER;
		break;
	case 2:
		a->nla_type = (a->nla_type & ~NLA_TYPE_MASK) | rnd(r, 16);
		break;
	default:
		a->nla_type = rnd(r, 0x10000);
	}
}

/* Where an insertion goes: before node @at, or at the end of the top. */
static void insert(struct msg *m, int n_nodes, struct rng *r,
		   const void *data, size_t len)
{
	int at = n_nodes && chance(r, 80) ? (int)rnd(r, n_nodes) : -1;
	size_t pos = at < 0 ? m->len : nodes[at].off;
	int parent = at < 0 ? -1 : nodes[at].parent;

	if (resize(m, pos, len, parent))
		memcpy(m->buf + pos, data, len);
}

static void splice(struct rng *r, struct msg *m, int n_nodes,
		   const struct msg *other)
{
	static struct node onodes[MAX_NODES];
	static uint8_t buf[0x10000];
	int n = walk_msg(other, onodes);
	const struct nlattr *a;
	size_t len, off;

	if (!n)
		return;
	off = onodes[rnd(r, n)].off;
	a = (const void *)(other->buf + off);
	len = NLA_ALIGN(a->nla_len);
	if (len > sizeof(buf) || off + len > other->len)
		return;
	memcpy(buf, a, len);
	insert(m, n_nodes, r, buf, len);
}

static void delete_node(struct rng *r, struct msg *m, int n_nodes)
{
	int i = rnd(r, n_nodes);
	size_t len = NLA_ALIGN(attr_at(m, nodes[i].off)->nla_len);

	if (nodes[i].off + len <= m->len)
		resize(m, nodes[i].off, -(long)len, nodes[i].parent);
}

static void duplicate_node(struct rng *r, struct msg *m, int n_nodes)
{
	static uint8_t buf[0x10000];
	int i = rnd(r, n_nodes);
	size_t off = nodes[i].off, len = NLA_ALIGN(attr_at(m, off)->nla_len);

	if (off + len > m->len || len > sizeof(buf))
		return;
	memcpy(buf, m->buf + off, len);
	if (resize(m, off, len, nodes[i].parent))
		memcpy(m->buf + off, buf, len);
}

/* Unaligned junk at the end of a nest or of the message. */
static void junk(struct rng *r, struct msg *m, int n_nodes)
{
	int i = n_nodes && chance(r, 60) ? (int)rnd(r, n_nodes) : -1;
	size_t len = 1 + rnd(r, 11), pos;
	uint8_t buf[12];

	if (i >= 0 && !(attr_at(m, nodes[i].off)->nla_type & NLA_F_NESTED))
		i = nodes[i].parent;
	pos = i < 0 ? m->len : nodes[i].off + attr_at(m, nodes[i].off)->nla_len;
	if (pos > m->len)
		return;
	rnd_bytes(r, buf, len);
	if (i < 0) {
		if (resize(m, pos, len, -1))
			memcpy(m->buf + pos, buf, len);
		return;
	}
	/* Inside nest i: grow i and its ancestors. */
	if (resize(m, pos, len, i))
		memcpy(m->buf + pos, buf, len);
}

/* One to three mutations of @m; @other lends attributes to splice. */
void mutate(struct rng *r, struct msg *m, const struct msg *other)
{
	unsigned int n = 1 + rnd(r, 3);
	int n_nodes;

	while (n--) {
		n_nodes = walk_msg(m, nodes);
		switch (rnd(r, 10)) {
		case 0:
		case 1:
			flip_bits(r, m);
			break;
		case 2:
			interesting(r, m, n_nodes);
			break;
		case 3:
			truncate_msg(r, m);
			return;
		case 4:
			if (n_nodes)
				bad_len(r, m, n_nodes);
			return;
		case 5:
			if (n_nodes)
				bad_type(r, attr_at(m, nodes[rnd(r, n_nodes)].off));
			break;
		case 6:
			splice(r, m, n_nodes, other);
			break;
		case 7:
			if (n_nodes)
				delete_node(r, m, n_nodes);
			break;
		case 8:
			if (n_nodes)
				duplicate_node(r, m, n_nodes);
			break;
		default:
			junk(r, m, n_nodes);
		}
	}
}
