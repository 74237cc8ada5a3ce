// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink transport: resolve the family, send one request, run
 * the replies through a callback, and keep the kernel's extack message.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/netvirt.h>

#include "nl.h"
#include "utils.h"

#define NL_BUFSIZE	(1 << 16)

static int extack_attr_cb(const struct nlattr *attr, void *data)
{
	struct nl *nl = data;

	if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
	    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
		snprintf(nl->errmsg, sizeof(nl->errmsg), "%s",
			 mnl_attr_get_str(attr));
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

/* NLMSG_ERROR: an ACK (error 0) or a failure with optional extack TLVs. */
static int error_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
	struct nl *nl = ((struct request *)data)->nl;
	unsigned int off = sizeof(*err);

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*err))) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += err->msg.nlmsg_len - sizeof(struct nlmsghdr);
	if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) &&
	    mnl_nlmsg_size(off) <= nlh->nlmsg_len)
		mnl_attr_parse(nlh, off, extack_attr_cb, nl);
	if (err->error == 0)
		return MNL_CB_STOP;
	errno = -err->error;
	return MNL_CB_ERROR;
}

static mnl_cb_t ctl_cbs[NLMSG_MIN_TYPE] = {
	[NLMSG_ERROR] = error_cb,
};

struct nlmsghdr *nl_msg(struct nl *nl, uint8_t cmd, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(nl->buf);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = nl->family;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = ++nl->seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = nl->family == GENL_ID_CTRL ? 1 : NETVIRT_GENL_VERSION;
	return nlh;
}

/* Returns 0 or a negative errno; nl->errmsg holds the kernel's reason. */
int nl_request(struct nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	unsigned int portid = mnl_socket_get_portid(nl->sk);
	struct request req = { .nl = nl, .cb = cb, .data = data };
	int ret;

	nl->errmsg[0] = '\0';
	if (mnl_socket_sendto(nl->sk, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	do {
		ret = mnl_socket_recvfrom(nl->sk, nl->buf, NL_BUFSIZE);
		if (ret < 0)
			return -errno;
		ret = mnl_cb_run2(nl->buf, ret, nlh->nlmsg_seq, portid,
				  data_cb, &req, ctl_cbs, NLMSG_MIN_TYPE);
	} while (ret > MNL_CB_STOP);
	return ret < 0 ? -errno : 0;
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
		error("netvirt module is not loaded (no generic netlink family \"%s\")",
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
