/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NVCTL_NL_H
#define NVCTL_NL_H

#include <stdint.h>
#include <libmnl/libmnl.h>

/**
 * struct nl - a generic netlink socket talking to the netvirt family
 * @sk: the socket
 * @family: resolved family id
 * @seq: sequence number of the last request
 * @buf: message buffer, for requests and replies
 * @errmsg: extended ACK message of the last error, or ""
 */
struct nl {
	struct mnl_socket *sk;
	uint16_t family;
	unsigned int seq;
	char *buf;
	char errmsg[256];
};

int nl_open(struct nl *nl);
void nl_close(struct nl *nl);
struct nlmsghdr *nl_msg(struct nl *nl, uint8_t cmd, uint16_t flags);
int nl_request(struct nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data);
int nl_report(struct nl *nl, int err, const char *what);

#endif
