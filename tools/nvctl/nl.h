/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NVCTL_NL_H
#define NVCTL_NL_H

#include <stdbool.h>
#include <stdint.h>
#include <libmnl/libmnl.h>

/* Room for the largest message: a group of 4096 IPv6 prefixes, 128 KB. */
#define NL_BUFSIZE	(1 << 18)

/**
 * struct nl - a generic netlink socket talking to the netvirt family
 * @sk: the socket
 * @family: resolved family id
 * @seq: sequence number of the last request
 * @buf: message buffer, for requests and replies
 * @errmsg: extended ACK message of the last error, or ""
 * @erroff: the offset in the request of the attribute at fault, or 0
 * @cookie: extended ACK cookie of the last error
 * @cookie_len: its length, 0 without one
 * @staged: change requests staged in the socket's transaction (nl_txn)
 */
struct nl {
	struct mnl_socket *sk;
	uint16_t family;
	unsigned int seq;
	char *buf;
	char errmsg[256];
	uint32_t erroff;
	uint8_t cookie[20];
	unsigned int cookie_len;
	unsigned int staged;
};

/*
 * The socket of an open transaction (nvctl batch), or NULL: while set,
 * nl_call() sends every request on it, and the kernel stages changes.
 */
extern struct nl *nl_txn;

/**
 * struct nl_call - one exchange with the module, see nl_call()
 * @cmd: NETVIRT_CMD_*
 * @dump: list everything (NLM_F_DUMP), restarted when interrupted
 * @fill: adds the request's attributes from @req, or NULL
 * @req: the command's parsed arguments
 * @cb: run once per reply message, or NULL
 * @data: for @cb
 * @what: what is being done, for errors without a kernel message
 * @size: bytes the request may take, when more than a page of rules:
 *	the request buffer and the socket's send buffer grow to it
 * @locate: when the kernel names the attribute at fault, called with @req,
 *	the part at fault (0 for a request of one message) and the
 *	attribute's offset in it, before the error is printed; or NULL
 * @part: for a request that may be sent in parts, on one socket: called
 *	before each message with @req and the bytes a message may take;
 *	chooses what @fill puts in the next one and returns whether more
 *	follow. NULL: one message. Parts are sent in a transaction (of
 *	their own, unless nl_txn is open), so they apply as one change
 */
struct nl_call {
	uint8_t cmd;
	bool dump;
	void (*fill)(struct nlmsghdr *nlh, const void *req);
	const void *req;
	mnl_cb_t cb;
	void *data;
	const char *what;
	size_t size;
	void (*locate)(const void *req, unsigned int part, uint32_t off);
	bool (*part)(const void *req, size_t room);
};

/**
 * struct nl_txn_result - what a transaction's commit says
 * @gen: the generation published (checked, for a check)
 * @requests: requests the transaction held
 * @fault: on error, the index of the staged request at fault, or -1
 */
struct nl_txn_result {
	uint64_t gen;
	uint32_t requests;
	int64_t fault;
};

int nl_open(struct nl *nl);
void nl_close(struct nl *nl);
struct nlmsghdr *nl_msg(struct nl *nl, uint8_t cmd, uint16_t flags);
int nl_request(struct nl *nl, const struct nlmsghdr *nlh, mnl_cb_t cb,
	       void *data);
int nl_dump(struct nl *nl, const struct nlmsghdr *nlh, mnl_cb_t cb, void *data);
int nl_call(const struct nl_call *call);
int nl_report(struct nl *nl, int err, const char *what);
int nl_txn_begin(struct nl *nl);
int nl_txn_commit(struct nl *nl, bool check, const uint64_t *gen,
		  struct nl_txn_result *r);

#endif
