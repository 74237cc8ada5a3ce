// SPDX-License-Identifier: GPL-2.0
/*
 * One exchange with the module, as the commands make it: a request (or a
 * dump, or a request in parts) on a socket of its own - or on the open
 * transaction's (nl_txn) - and its error reported with the kernel's
 * message. Apart from nl.c's transport, so that the unit tests stand in
 * for this alone.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "nl.h"
#include "utils.h"

/*
 * Room for a request of @size bytes: the buffer, and the socket's send
 * buffer, which the kernel checks every message against (forced past the
 * system's maximum when we may, as root may).
 */
static int nl_grow(struct nl *nl, size_t size)
{
	int sndbuf = size + 4096;
	char *buf = realloc(nl->buf, size);

	if (!buf) {
		error("no memory for a request of %zu bytes", size);
		return -1;
	}
	nl->buf = buf;
	if (setsockopt(mnl_socket_get_fd(nl->sk), SOL_SOCKET, SO_SNDBUFFORCE,
		       &sndbuf, sizeof(sndbuf)) &&
	    setsockopt(mnl_socket_get_fd(nl->sk), SOL_SOCKET, SO_SNDBUF,
		       &sndbuf, sizeof(sndbuf))) {
		error("cannot size the socket for the request: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * Bytes one message may take: the request buffer, and what the kernel
 * lets through the socket's send buffer (net/netlink: its size less 32).
 */
static size_t nl_room(struct nl *nl, const struct nl_call *call)
{
	size_t room = call->size > NL_BUFSIZE ? call->size : NL_BUFSIZE;
	socklen_t len = sizeof(int);
	int sndbuf;

	if (getsockopt(mnl_socket_get_fd(nl->sk), SOL_SOCKET, SO_SNDBUF,
		       &sndbuf, &len) || sndbuf <= 32)
		return room;
	return (size_t)sndbuf - 32 < room ? (size_t)sndbuf - 32 : room;
}

/*
 * A request in parts: each message as @call->part chooses, in turn. More
 * than one are the requests of a transaction, the open one (nl_txn) or
 * one of their own, so that they apply as one change or not at all.
 * @part: set to the part at fault on error.
 */
static int send_parts(struct nl *nl, const struct nl_call *call,
		      unsigned int *part)
{
	size_t room = nl_room(nl, call);
	struct nl_txn_result r;
	struct nlmsghdr *nlh;
	bool more, own = false;
	int ret = 0;

	for (*part = 0;; ++*part) {
		more = call->part(call->req, room);
		if (more && !*part && nl != nl_txn) {
			ret = nl_txn_begin(nl);
			own = true;
		}
		if (!ret) {
			nlh = nl_msg(nl, call->cmd, 0);
			call->fill(nlh, call->req);
			ret = nl_request(nl, nlh, call->cb, call->data);
		}
		if (ret || !more)
			break;
	}
	if (!own || ret)	/* an own transaction dies with its socket */
		return ret;
	ret = nl_txn_commit(nl, false, NULL, &r);
	if (ret && r.fault >= 0)
		*part = r.fault;
	return ret;
}

/*
 * The kernel's message names no value ("no such port in the tenant"):
 * when the attribute at fault is a name, the message gets it, as
 * `: "b2"`. The reply took the request's buffer: the request is built
 * again, the same bytes at the same offsets.
 */
static void name_at_fault(struct nl *nl, const struct nl_call *call)
{
	const struct nlattr *attr;
	struct nlmsghdr *nlh;
	const char *name;
	size_t len, n;

	nlh = nl_msg(nl, call->cmd, 0);
	call->fill(nlh, call->req);
	if (nl->erroff + sizeof(*attr) > nlh->nlmsg_len)
		return;
	attr = (const struct nlattr *)((const char *)nlh + nl->erroff);
	len = mnl_attr_get_payload_len(attr);
	if (nl->erroff + mnl_attr_get_len(attr) > nlh->nlmsg_len || len < 2 ||
	    len > 64 || mnl_attr_validate(attr, MNL_TYPE_NUL_STRING))
		return;
	name = mnl_attr_get_str(attr);
	for (n = 0; n < len - 1; n++)
		if (!isgraph((unsigned char)name[n]))
			return;
	n = strlen(nl->errmsg);
	snprintf(nl->errmsg + n, sizeof(nl->errmsg) - n, ": \"%s\"", name);
}

/* Opens a socket, sends the request, runs the replies, reports errors. */
int nl_call(const struct nl_call *call)
{
	struct nl own, *nl = nl_txn ?: &own;
	unsigned int part = 0;
	struct nlmsghdr *nlh;
	int ret;

	if (!nl_txn && nl_open(nl))
		return -1;
	ret = call->size > NL_BUFSIZE ? nl_grow(nl, call->size) : 0;
	if (ret)
		goto out;
	if (call->part) {
		ret = send_parts(nl, call, &part);
	} else {
		nlh = nl_msg(nl, call->cmd, call->dump ? NLM_F_DUMP : 0);
		if (call->fill)
			call->fill(nlh, call->req);
		ret = call->dump ? nl_dump(nl, nlh, call->cb, call->data) :
			nl_request(nl, nlh, call->cb, call->data);
	}
	if (ret && nl->erroff && call->locate)
		call->locate(call->req, part, nl->erroff);
	else if (ret && nl->erroff && call->fill && nl->errmsg[0])
		name_at_fault(nl, call);
	if (ret)
		nl_report(nl, ret, call->what);
	else if (nl->errmsg[0])	/* what a change did besides, as ip(8) */
		fprintf(stderr, "Warning: %s\n", nl->errmsg);
out:
	if (!nl_txn)
		nl_close(nl);
	return ret ? -1 : 0;
}

