/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NVCTL_MONITOR_H
#define NVCTL_MONITOR_H

#include <stdbool.h>
#include <sys/time.h>
#include <libmnl/libmnl.h>

#include "parse.h"

/* How monitor stamps its events: as `ip -t monitor` and `ip -ts monitor`. */
enum stamp {
	STAMP_NONE,
	STAMP_LONG,	/* "Timestamp: <asctime> <usec> usec", a line before */
	STAMP_SHORT,	/* "[YYYY-MM-DDTHH:MM:SS.usec] ", before the event */
};

/**
 * struct event_view - which events monitor prints, and how
 * @tenant: only this tenant's events; "" for all
 * @stamp: the events' timestamps, in text; with -j any but STAMP_NONE
 *	adds a "timestamp" member, in UTC
 * @when: when the event arrived
 */
struct event_view {
	char tenant[NAME_SIZE];
	enum stamp stamp;
	struct timeval when;
};

/*
 * monitor_event.c: a NETVIRT_CMD_FW_EVENT message as one line, or one
 * JSON object; false when @nlh is no such event or @view filters it out
 * (NULL: printed as it is). The caller flushes.
 */
bool print_fw_event(const struct nlmsghdr *nlh, const struct event_view *view);
/* Likewise a NETVIRT_CMD_NAT_EVENT message: a SNAT rule out of ports. */
bool print_nat_event(const struct nlmsghdr *nlh, const struct event_view *view);
/* Likewise a NETVIRT_CMD_CONFIG_EVENT message: a generation published. */
bool print_config_event(const struct nlmsghdr *nlh,
			const struct event_view *view);

#endif
