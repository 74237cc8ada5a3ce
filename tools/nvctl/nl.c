// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink transport: resolve the family, send one request, run
 * the replies through a callback, and keep the kernel's extack message.
 * Dumps are collected whole before the callback sees them, so that an
 * interrupted dump can be restarted without printing half of it.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/netvirt.h>

#include "nl.h"
#include "utils.h"

#define NL_DUMP_TRIES	5

struct nl *nl_txn;

/* Does @nlh change the configuration (staged inside a transaction)? */
static bool is_change(const struct nlmsghdr *nlh)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);

	switch (genl->cmd) {
	case NETVIRT_CMD_TENANT_NEW: case NETVIRT_CMD_TENANT_DEL:
	case NETVIRT_CMD_PORT_NEW: case NETVIRT_CMD_PORT_DEL:
	case NETVIRT_CMD_ROUTE_NEW: case NETVIRT_CMD_ROUTE_DEL:
	case NETVIRT_CMD_HOST_SET: case NETVIRT_CMD_HOST_DEL:
	case NETVIRT_CMD_FW_SET:
	case NETVIRT_CMD_FW_RULE_NEW: case NETVIRT_CMD_FW_RULE_DEL:
	case NETVIRT_CMD_FW_GROUP_NEW: case NETVIRT_CMD_FW_GROUP_DEL:
	case NETVIRT_CMD_UPLINK_SET: case NETVIRT_CMD_UPLINK_DEL:
	case NETVIRT_CMD_NAT_NEW: case NETVIRT_CMD_NAT_DEL:
		return nlh->nlmsg_type != GENL_ID_CTRL;
	}
	return false;
}

static int extack_attr_cb(const struct nlattr *attr, void *data)
{
	struct nl *nl = data;

	if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
	    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
		snprintf(nl->errmsg, sizeof(nl->errmsg), "%s",
			 mnl_attr_get_str(attr));
	if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_OFFS &&
	    mnl_attr_validate(attr, MNL_TYPE_U32) == 0)
		nl->erroff = mnl_attr_get_u32(attr);
	if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_COOKIE &&
	    mnl_attr_get_payload_len(attr) <= sizeof(nl->cookie)) {
		nl->cookie_len = mnl_attr_get_payload_len(attr);
		memcpy(nl->cookie, mnl_attr_get_payload(attr), nl->cookie_len);
	}
	return MNL_CB_OK;
}

/* One request in flight: the caller's reply callback and its data. */
struct request {
	struct nl *nl;
	mnl_cb_t cb;
	void *data;
};

static int data_cb(const struct nlmsghdr *nlh, void *data)
{
	struct request *req = data;

	return req->cb ? req->cb(nlh, req->data) : MNL_CB_OK;
}

/* The end of an ACK or a DONE: @error, and extack TLVs from @off. */
static int finish(const struct nlmsghdr *nlh, void *data, int error,
		  unsigned int off)
{
	struct request *req = data;

	if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) &&
	    mnl_nlmsg_size(off) <= nlh->nlmsg_len)
		mnl_attr_parse(nlh, off, extack_attr_cb, req->nl);
	if (error == 0)
		return MNL_CB_STOP;
	errno = -error;
	return MNL_CB_ERROR;
}

/* NLMSG_ERROR: an ACK (error 0) or a failure with optional extack TLVs. */
static int error_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
	unsigned int off = sizeof(*err);

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*err))) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += err->msg.nlmsg_len - sizeof(struct nlmsghdr);
	return finish(nlh, data, err->error, off);
}

/* NLMSG_DONE ends a dump; a dump that failed midway carries the error. */
static int done_cb(const struct nlmsghdr *nlh, void *data)
{
	int error = 0;

	if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(error))
		memcpy(&error, mnl_nlmsg_get_payload(nlh), sizeof(error));
	return finish(nlh, data, error > 0 ? 0 : error, sizeof(error));
}

static mnl_cb_t ctl_cbs[NLMSG_MIN_TYPE] = {
	[NLMSG_ERROR] = error_cb,
	[NLMSG_DONE] = done_cb,
};

struct nlmsghdr *nl_msg(struct nl *nl, uint8_t cmd, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(nl->buf);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = nl->family;
	/* A dump ends with DONE; an ACK is only sent when it fails to start. */
	nlh->nlmsg_flags = NLM_F_REQUEST | flags |
			   (flags & NLM_F_DUMP ? 0 : NLM_F_ACK);
	nlh->nlmsg_seq = ++nl->seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = nl->family == GENL_ID_CTRL ? 1 : NETVIRT_GENL_VERSION;
	return nlh;
}

/*
 * The kernel flags a dump message, or the DONE, when the configuration
 * changed during the dump. libmnl stops at such a message and leaves
 * the rest of the dump in the socket: note the flag and clear it, so
 * that the dump is read to its end and can be run again.
 */
static bool take_dump_intr(void *buf, int len)
{
	struct nlmsghdr *nlh;
	bool intr = false;

	for (nlh = buf; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
		intr |= !!(nlh->nlmsg_flags & NLM_F_DUMP_INTR);
		nlh->nlmsg_flags &= ~NLM_F_DUMP_INTR;
	}
	return intr;
}

/*
 * Returns 0 or a negative errno; nl->errmsg holds the kernel's reason.
 * -EINTR: a dump completed, but the configuration changed meanwhile.
 */
int nl_request(struct nl *nl, const struct nlmsghdr *nlh, mnl_cb_t cb,
	       void *data)
{
	unsigned int portid = mnl_socket_get_portid(nl->sk);
	struct request req = { .nl = nl, .cb = cb, .data = data };
	/* Before the replies overwrite the request, which is in nl->buf. */
	bool staged = nl == nl_txn && is_change(nlh);
	bool intr = false;
	int ret;

	nl->errmsg[0] = '\0';
	nl->erroff = 0;
	nl->cookie_len = 0;
	if (mnl_socket_sendto(nl->sk, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	do {
		ret = mnl_socket_recvfrom(nl->sk, nl->buf, NL_BUFSIZE);
		if (ret < 0)
			return -errno;
		intr |= take_dump_intr(nl->buf, ret);
		ret = mnl_cb_run2(nl->buf, ret, nlh->nlmsg_seq, portid,
				  data_cb, &req, ctl_cbs, NLMSG_MIN_TYPE);
	} while (ret > MNL_CB_STOP);
	if (ret < 0)
		return -errno;
	nl->staged += staged;
	return intr ? -EINTR : 0;
}

/* The data messages of one dump attempt, kept until it completes. */
struct dump {
	char *buf;
	size_t len;
	size_t size;
};

static int collect_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump *d = data;
	size_t len = MNL_ALIGN(nlh->nlmsg_len);
	char *buf;

	if (d->len + len > d->size) {
		buf = realloc(d->buf, 2 * (d->len + len));
		if (!buf)
			return MNL_CB_ERROR;
		d->buf = buf;
		d->size = 2 * (d->len + len);
	}
	memset(d->buf + d->len, 0, len);
	memcpy(d->buf + d->len, nlh, nlh->nlmsg_len);
	d->len += len;
	return MNL_CB_OK;
}

/*
 * Runs a dump request until one attempt completes without the kernel
 * flagging a concurrent change, then gives @cb the messages of that one.
 * @nlh is in nl->buf, which the replies overwrite: it is copied first.
 */
int nl_dump(struct nl *nl, const struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	struct nlmsghdr *req = malloc(nlh->nlmsg_len);
	struct dump d = { 0 };
	int ret = -ENOMEM, tries;

	if (!req)
		return ret;
	memcpy(req, nlh, nlh->nlmsg_len);
	for (tries = 0; tries < NL_DUMP_TRIES; tries++) {
		d.len = 0;
		req->nlmsg_seq = ++nl->seq;
		ret = nl_request(nl, req, collect_cb, &d);
		if (ret != -EINTR)
			break;
	}
	if (ret == -EINTR)
		snprintf(nl->errmsg, sizeof(nl->errmsg),
			 "the configuration kept changing during the listing; try again");
	if (!ret && cb) {
		errno = 0;
		if (mnl_cb_run(d.buf, d.len, 0, 0, cb, data) < 0)
			ret = errno ? -errno : -EPROTO;
	}
	free(d.buf);
	free(req);
	return ret;
}

static int family_attr_cb(const struct nlattr *attr, void *data)
{
	if (mnl_attr_get_type(attr) == CTRL_ATTR_FAMILY_ID &&
	    mnl_attr_validate(attr, MNL_TYPE_U16) == 0)
		*(uint16_t *)data = mnl_attr_get_u16(attr);
	return MNL_CB_OK;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, sizeof(struct genlmsghdr), family_attr_cb,
			      data);
}

static int resolve_family(struct nl *nl)
{
	struct nlmsghdr *nlh;
	uint16_t id = 0;
	int ret;

	nl->family = GENL_ID_CTRL;
	nlh = nl_msg(nl, CTRL_CMD_GETFAMILY, 0);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, NETVIRT_GENL_NAME);
	ret = nl_request(nl, nlh, family_cb, &id);
	if (ret == -ENOENT) {
		error("netvirt module is not loaded (no generic netlink family \"%s\"); try \"modprobe netvirt\"",
		      NETVIRT_GENL_NAME);
		return ret;
	}
	if (ret || !id)
		return nl_report(nl, ret ? ret : -EPROTO, "resolving the netvirt family");
	nl->family = id;
	return 0;
}

/* Opens the socket in the current network namespace; reports errors. */
int nl_open(struct nl *nl)
{
	int one = 1;

	memset(nl, 0, sizeof(*nl));
	nl->seq = time(NULL);
	nl->buf = malloc(NL_BUFSIZE);
	nl->sk = mnl_socket_open(NETLINK_GENERIC);
	if (!nl->buf || !nl->sk || mnl_socket_bind(nl->sk, 0, MNL_SOCKET_AUTOPID)) {
		error("cannot open a generic netlink socket: %s", strerror(errno));
		nl_close(nl);
		return -1;
	}
	/* Failing these only loses detail in error messages. */
	mnl_socket_setsockopt(nl->sk, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sk, NETLINK_CAP_ACK, &one, sizeof(one));
	if (resolve_family(nl)) {
		nl_close(nl);
		return -1;
	}
	return 0;
}

void nl_close(struct nl *nl)
{
	if (nl->sk)
		mnl_socket_close(nl->sk);
	free(nl->buf);
	nl->sk = NULL;
	nl->buf = NULL;
}

/* Prints "Error: <extack message>", or the errno text when there is none. */
int nl_report(struct nl *nl, int err, const char *what)
{
	if (nl->errmsg[0])
		error("%s", nl->errmsg);
	else if (err == -EPERM)
		error("%s: %s (CAP_NET_ADMIN is needed)", what, strerror(-err));
	else
		error("%s: %s", what, strerror(-err));
	return err;
}
