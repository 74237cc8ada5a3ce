/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NVCTL_FW_H
#define NVCTL_FW_H

#include <stdbool.h>
#include <libmnl/libmnl.h>

/*
 * cmd_fw.c: a NETVIRT_CMD_FW_EVENT message as one line, or one JSON
 * object; false when @nlh is no such event. The caller flushes.
 */
bool print_fw_event(const struct nlmsghdr *nlh);

#endif
