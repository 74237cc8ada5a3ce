/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NVCTL_FW_H
#define NVCTL_FW_H

#include <stdbool.h>
#include <libmnl/libmnl.h>

/* cmd_fw.c: what rules and events print alike. */
void print_opt_uint(const struct nlattr *attr, const char *key,
		    const char *fmt);
void print_proto(const char *key, const char *fmt, const struct nlattr *attr);
void print_port(const struct nlattr *ifname, const struct nlattr *ifindex);

/*
 * monitor_event.c: a NETVIRT_CMD_FW_EVENT message as one line, or one JSON
 * object; false when @nlh is no such event. The caller flushes.
 */
bool print_fw_event(const struct nlmsghdr *nlh);

#endif
