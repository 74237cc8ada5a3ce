// SPDX-License-Identifier: GPL-2.0
/*
 * The fuzzer's transport. A request may get no answer at all (no
 * NLM_F_REQUEST, no NLM_F_ACK, a bad nlmsg_len), so each one is followed
 * by a barrier: an NLMSG_NOOP with NLM_F_ACK that the netlink core
 * answers itself. Genetlink runs a request in the sender's sendmsg(), so
 * once the barrier's ACK is read, everything the request produced is
 * queued before it - except the rest of a dump, which the kernel writes
 * as the socket is read: a dump is read to its NLMSG_DONE, or left
 * running in the background on request.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <libmnl/libmnl.h>

#include "nlfuzz.h"

#define RCV_TIMEOUT_S	10
#define SOCK_BUF	(4 << 20)

static void set_buf(int fd, int force, int opt, int size)
{
	if (setsockopt(fd, SOL_SOCKET, force, &size, sizeof(size)))
		setsockopt(fd, SOL_SOCKET, opt, &size, sizeof(size));
}

/* Opens a socket, or adopts @fd (>= 0); extended ACKs always on. */
int nl_open(struct nlsock *s, int fd, bool cap_ack, size_t rbuf_size)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct timeval tv = { .tv_sec = RCV_TIMEOUT_S };
	int one = 1, cap = cap_ack;

	memset(s, 0, sizeof(*s));
	s->fd = fd >= 0 ? fd : socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC,
				      NETLINK_GENERIC);
	if (s->fd < 0)
		return -errno;
	if (fd < 0 && bind(s->fd, (struct sockaddr *)&sa, sizeof(sa)))
		goto err;
	if (setsockopt(s->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one)) ||
	    setsockopt(s->fd, SOL_NETLINK, NETLINK_CAP_ACK, &cap, sizeof(cap)) ||
	    setsockopt(s->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)))
		goto err;
	set_buf(s->fd, SO_RCVBUFFORCE, SO_RCVBUF, SOCK_BUF);
	set_buf(s->fd, SO_SNDBUFFORCE, SO_SNDBUF, SOCK_BUF);
	s->rbuf_size = rbuf_size;
	s->rbuf = malloc(rbuf_size);
	if (!s->rbuf)
		goto err;
	s->seq = 1000;
	return 0;
err:
	close(s->fd);
	s->fd = -1;
	return -errno;
}

void nl_close(struct nlsock *s)
{
	if (s->fd >= 0)
		close(s->fd);
	free(s->rbuf);
	s->fd = -1;
	s->rbuf = NULL;
}

void hexdump(const char *prefix, const void *buf, size_t len, size_t max)
{
	const uint8_t *p = buf;
	size_t i;

	for (i = 0; i < len && i < max; i++) {
		if (i % 16 == 0)
			printf("%s# %s%04zx:", i ? "\n" : "", prefix, i);
		printf(" %02x", p[i]);
	}
	if (len > max)
		printf("\n# %s... %zu more bytes", prefix, len - max);
	printf("\n");
}

static int extack_cb(const struct nlattr *attr, void *data)
{
	struct reply *rep = data;

	if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_OFFS ||
	    mnl_attr_get_type(attr) == NLMSGERR_ATTR_MISS_TYPE)
		rep->has_attr = true;
	if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
	    mnl_attr_get_payload_len(attr) > 1) {
		rep->has_msg = true;
		snprintf(rep->msg, sizeof(rep->msg), "%.*s",
			 (int)mnl_attr_get_payload_len(attr),
			 (const char *)mnl_attr_get_payload(attr));
	}
	return MNL_CB_OK;
}

static void take_error(const struct nlmsghdr *nlh, struct reply *rep)
{
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
	unsigned int off = sizeof(*err);

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*err))) {
		rep->malformed++;
		return;
	}
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += err->msg.nlmsg_len - NLMSG_HDRLEN;
	if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) &&
	    mnl_attr_parse(nlh, off, extack_cb, rep) < 0)
		rep->malformed++;
	rep->acked = true;
	rep->error = err->error;
}

static void take_done(const struct nlmsghdr *nlh, struct reply *rep)
{
	int error = 0;

	if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(error))
		memcpy(&error, mnl_nlmsg_get_payload(nlh), sizeof(error));
	if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) &&
	    mnl_attr_parse(nlh, sizeof(error), extack_cb, rep) < 0)
		rep->malformed++;
	rep->done = true;
	if (error < 0)
		rep->error = error;
}

/* Every attribute of a reply fits its parent, at every level. */
static bool attrs_ok(const uint8_t *p, size_t len, int depth)
{
	while (len >= NLA_HDRLEN) {
		const struct nlattr *a = (const void *)p;

		if (a->nla_len < NLA_HDRLEN || a->nla_len > len)
			return false;
		if ((a->nla_type & NLA_F_NESTED) && depth < 8 &&
		    !attrs_ok(p + NLA_HDRLEN, a->nla_len - NLA_HDRLEN,
			      depth + 1))
			return false;
		if ((size_t)NLA_ALIGN(a->nla_len) >= len)
			return true;
		len -= NLA_ALIGN(a->nla_len);
		p += NLA_ALIGN(a->nla_len);
	}
	return len == 0;
}

static void take(struct nlsock *s, const struct nlmsghdr *nlh,
		 struct reply *rep)
{
	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		rep->intr = true;
	if (nlh->nlmsg_type == NLMSG_ERROR) {
		take_error(nlh, rep);
	} else if (nlh->nlmsg_type == NLMSG_DONE) {
		take_done(nlh, rep);
	} else if (nlh->nlmsg_type == s->family) {
		rep->n_data++;
		rep->multi |= !!(nlh->nlmsg_flags & NLM_F_MULTI);
		if (nlh->nlmsg_len < HDRS_LEN ||
		    !attrs_ok((const uint8_t *)nlh + HDRS_LEN,
			      nlh->nlmsg_len - HDRS_LEN, 0))
			rep->malformed++;
		else if (s->cb)
			s->cb(nlh, s->cb_data);
	} else {
		rep->malformed++;
	}
}

/* What one recvmsg() brought: the request's, the barrier's, the dump's. */
struct rx {
	uint32_t req_seq;
	uint32_t barrier_seq;
	bool barrier_seen;
	struct reply *rep;
};

static int pump(struct nlsock *s, struct rx *rx)
{
	struct iovec iov = { s->rbuf, s->rbuf_size };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	const struct nlmsghdr *nlh;
	int len;

	len = recvmsg(s->fd, &mh, 0);
	if (len < 0)
		return -errno;
	if (mh.msg_flags & MSG_TRUNC && rx->rep)
		rx->rep->malformed++;
	for (nlh = (void *)s->rbuf; mnl_nlmsg_ok(nlh, len);
	     nlh = mnl_nlmsg_next(nlh, &len)) {
		if (rx->rep && nlh->nlmsg_seq == rx->req_seq)
			take(s, nlh, rx->rep);
		else if (nlh->nlmsg_seq == rx->barrier_seq &&
			 nlh->nlmsg_type == NLMSG_ERROR)
			rx->barrier_seen = true;
		else if (s->bg_active && nlh->nlmsg_seq == s->bg_seq)
			take(s, nlh, &s->bg);
		else
			s->stray++;
	}
	if (s->bg_active && (s->bg.done || s->bg.acked))
		s->bg_active = false;
	return 0;
}

static int send_msg(struct nlsock *s, const void *buf, size_t len)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	ssize_t ret;

	if (s->no_addr)
		ret = write(s->fd, buf, len);
	else
		ret = sendto(s->fd, buf, len, 0, (struct sockaddr *)&sa,
			     sizeof(sa));
	return ret < 0 ? -errno : 0;
}

static int send_barrier(struct nlsock *s, struct rx *rx)
{
	struct nlmsghdr nlh = {
		.nlmsg_len = NLMSG_HDRLEN,
		.nlmsg_type = NLMSG_NOOP,
		.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK,
		.nlmsg_seq = ++s->seq,
	};

	rx->barrier_seq = nlh.nlmsg_seq;
	rx->barrier_seen = false;
	return send_msg(s, &nlh, sizeof(nlh));
}

/* Replies stop when the request is answered, or a dump has ended. */
static bool complete(const struct reply *rep)
{
	return !rep->multi || rep->done || rep->acked;
}

/*
 * Sends @m and reads what it caused. Returns 0, -ETIMEDOUT when the
 * kernel stopped answering, or the sendto() error (-EMSGSIZE...). With
 * @leave_dump, a dump still running once its first part arrived is
 * left in s->bg and read by later calls.
 */
int nl_transact(struct nlsock *s, struct msg *m, struct reply *rep,
		bool leave_dump)
{
	struct rx rx = { .req_seq = ++s->seq, .rep = rep };
	int ret;

	memset(rep, 0, sizeof(*rep));
	if (m->len >= NLMSG_HDRLEN)
		msg_nlh(m)->nlmsg_seq = rx.req_seq;
	ret = send_msg(s, m->buf, m->len);
	if (ret)
		return ret;
	ret = send_barrier(s, &rx);
	while (!ret && !(rx.barrier_seen && complete(rep))) {
		if (rx.barrier_seen && leave_dump && !s->bg_active) {
			s->bg_active = true;
			s->bg_seq = rx.req_seq;
			s->bg = *rep;
			return 0;
		}
		ret = pump(s, &rx);
		if (ret == -ENOBUFS) {
			rep->lost = true;
			ret = send_barrier(s, &rx);
		}
	}
	if (ret == -EAGAIN || ret == -EWOULDBLOCK) {
		rep->timeout = true;
		ret = -ETIMEDOUT;
	}
	return ret;
}

/* Reads the background dump to its end. */
int nl_drain_bg(struct nlsock *s)
{
	struct rx rx = { 0 };
	int ret = 0;

	while (!ret && s->bg_active)
		ret = pump(s, &rx);
	if (ret == -EAGAIN)
		s->bg.timeout = true;
	return ret == -EAGAIN ? -ETIMEDOUT : ret;
}

/* For dumps abandoned on purpose: send, and read at most once. */
int nl_send_raw(struct nlsock *s, struct msg *m)
{
	msg_nlh(m)->nlmsg_seq = ++s->seq;
	return send_msg(s, m->buf, m->len);
}

int nl_recv_once(struct nlsock *s, size_t len)
{
	return recv(s->fd, s->rbuf, len < s->rbuf_size ? len : s->rbuf_size,
		    MSG_DONTWAIT);
}

static int family_attr_cb(const struct nlattr *attr, void *data)
{
	if (mnl_attr_get_type(attr) == CTRL_ATTR_FAMILY_ID &&
	    mnl_attr_get_payload_len(attr) >= 2)
		*(uint16_t *)data = mnl_attr_get_u16(attr);
	return MNL_CB_OK;
}

/* The id of the netvirt family, into s->family. */
int nl_resolve(struct nlsock *s)
{
	struct nlsock_req {
		struct nlmsghdr nlh;
		struct genlmsghdr genl;
		uint8_t attrs[64];
	} req = { 0 };
	struct nlmsghdr *nlh = &req.nlh;
	uint16_t id = 0;
	int len;

	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = ++s->seq;
	nlh->nlmsg_len = HDRS_LEN;
	req.genl.cmd = CTRL_CMD_GETFAMILY;
	req.genl.version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, NETVIRT_GENL_NAME);
	if (send_msg(s, nlh, nlh->nlmsg_len))
		return -errno;
	len = recv(s->fd, s->rbuf, s->rbuf_size, 0);
	if (len < 0)
		return -errno;
	nlh = (struct nlmsghdr *)s->rbuf;
	if (!mnl_nlmsg_ok(nlh, len) || nlh->nlmsg_type != GENL_ID_CTRL)
		return -ENOENT;
	mnl_attr_parse(nlh, GENL_HDRLEN, family_attr_cb, &id);
	s->family = id;
	return id ? 0 : -ENOENT;
}
