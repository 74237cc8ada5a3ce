// SPDX-License-Identifier: GPL-2.0
/*
 * The events nvctl monitor prints: the firewall's logged denials, a line
 * (or a JSON object) each. Apart from cmd_monitor.c, which owns the
 * socket, so that the printers are tested without a transport.
 */
#include <string.h>
#include <time.h>
#include <linux/genetlink.h>
#include <linux/netvirt.h>

#include "attr.h"
#include "fw.h"
#include "monitor.h"
#include "output.h"

static const struct attr_spec event_spec[NETVIRT_A_FW_EVENT_MAX + 1] = {
	[NETVIRT_A_FW_EVENT_TENANT] = { A_STR },
	[NETVIRT_A_FW_EVENT_HANDLE] = { A_UINT },
	[NETVIRT_A_FW_EVENT_DIR] = { A_UINT },
	[NETVIRT_A_FW_EVENT_IFINDEX] = { A_IFINDEX },
	[NETVIRT_A_FW_EVENT_ACTION] = { A_UINT },
	[NETVIRT_A_FW_EVENT_REASON] = { A_UINT },
	[NETVIRT_A_FW_EVENT_SRC_IN] = { A_ADDR },
	[NETVIRT_A_FW_EVENT_SRC_IN6] = { A_ADDR },
	[NETVIRT_A_FW_EVENT_DST_IN] = { A_ADDR },
	[NETVIRT_A_FW_EVENT_DST_IN6] = { A_ADDR },
	[NETVIRT_A_FW_EVENT_PROTO] = { A_UINT },
	[NETVIRT_A_FW_EVENT_SPORT] = { A_UINT },
	[NETVIRT_A_FW_EVENT_DPORT] = { A_UINT },
	[NETVIRT_A_FW_EVENT_ICMP_TYPE] = { A_UINT },
};

/* An event's source or destination address, of either family. */
static void print_endpoint(const char *key, const char *fmt,
			   const struct nlattr *in, const struct nlattr *in6)
{
	const struct nlattr *addr = in ?: in6;
	struct ipaddr a;

	if (addr && attr_addr(addr, &a))
		print_addr(key, fmt, &a, false);
}

static void print_reason(const struct nlattr *attr)
{
	char name[DROP_NAME_SIZE];

	if (attr)
		out_str("reason", " reason %s",
			format_drop_reason(attr_uint(attr), name));
}

static void print_event(const struct nlattr *const *tb)
{
	const struct nlattr *tenant = tb[NETVIRT_A_FW_EVENT_TENANT];

	out_str("event", "%s", "fw");
	if (tenant)
		out_str("tenant", " tenant %s", mnl_attr_get_str(tenant));
	/* No handle: the tenant's policy decided. */
	print_opt_uint(tb[NETVIRT_A_FW_EVENT_HANDLE], "handle", " handle %llu");
	if (tb[NETVIRT_A_FW_EVENT_DIR])
		out_str("dir", " dir %s",
			format_fw_dir(attr_uint(tb[NETVIRT_A_FW_EVENT_DIR])));
	print_port(NULL, tb[NETVIRT_A_FW_EVENT_IFINDEX]);
	if (tb[NETVIRT_A_FW_EVENT_ACTION])
		out_str("action", " action %s",
			format_fw_action(attr_uint(tb[NETVIRT_A_FW_EVENT_ACTION])));
	print_reason(tb[NETVIRT_A_FW_EVENT_REASON]);
	print_proto("proto", " proto %s", tb[NETVIRT_A_FW_EVENT_PROTO]);
	print_endpoint("src", " src %s", tb[NETVIRT_A_FW_EVENT_SRC_IN],
		       tb[NETVIRT_A_FW_EVENT_SRC_IN6]);
	print_opt_uint(tb[NETVIRT_A_FW_EVENT_SPORT], "sport", " sport %llu");
	print_endpoint("dst", " dst %s", tb[NETVIRT_A_FW_EVENT_DST_IN],
		       tb[NETVIRT_A_FW_EVENT_DST_IN6]);
	print_opt_uint(tb[NETVIRT_A_FW_EVENT_DPORT], "dport", " dport %llu");
	print_opt_uint(tb[NETVIRT_A_FW_EVENT_ICMP_TYPE], "icmp_type",
		       " icmp-type %llu");
}

/*
 * The event's time as iproute2's print_timestamp() prints it, in local
 * time; in JSON as ISO 8601 in UTC, which sorts and parses anywhere.
 */
static void print_stamp(const struct event_view *v)
{
	time_t sec = v->when.tv_sec;
	long usec = (long)v->when.tv_usec;
	char buf[64], *text;
	struct tm tm;

	if (out_is_json()) {
		strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", gmtime_r(&sec, &tm));
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), ".%06ldZ",
			 usec);
		out_str("timestamp", NULL, buf);
	} else if (v->stamp == STAMP_SHORT) {
		strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S",
			 localtime_r(&sec, &tm));
		out_text("[%s.%06ld] ", buf, usec);
	} else {
		text = asctime_r(localtime_r(&sec, &tm), buf);
		text[strcspn(text, "\n")] = '\0';
		out_text("Timestamp: %s %ld usec\n", text, usec);
	}
}

/* Whether @view lets the event of @tb through. */
static bool event_wanted(const struct nlattr *const *tb,
			 const struct event_view *view)
{
	const struct nlattr *tenant = tb[NETVIRT_A_FW_EVENT_TENANT];

	return !view || !view->tenant[0] ||
	       (tenant && !strcmp(mnl_attr_get_str(tenant), view->tenant));
}

bool print_fw_event(const struct nlmsghdr *nlh, const struct event_view *view)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[NETVIRT_A_FW_EVENT_MAX + 1];

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*genl) ||
	    genl->cmd != NETVIRT_CMD_FW_EVENT ||
	    reply_parse(nlh, NETVIRT_A_FW_EVENT, event_spec,
			NETVIRT_A_FW_EVENT_MAX, tb) ||
	    !event_wanted(tb, view))
		return false;
	out_begin(NULL);
	if (view && view->stamp != STAMP_NONE)
		print_stamp(view);
	print_event(tb);
	out_text("\n");
	out_end();
	return true;
}
