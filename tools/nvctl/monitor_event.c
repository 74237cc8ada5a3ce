// SPDX-License-Identifier: GPL-2.0
/*
 * The events nvctl monitor prints: the firewall's logged denials and the
 * connections SNAT rules had no port for, a line (or a JSON object) each. Apart from cmd_monitor.c, which owns the
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
	print_addr_attr("src", " src %s", tb[NETVIRT_A_FW_EVENT_SRC_IN],
			tb[NETVIRT_A_FW_EVENT_SRC_IN6]);
	print_opt_uint(tb[NETVIRT_A_FW_EVENT_SPORT], "sport", " sport %llu");
	print_addr_attr("dst", " dst %s", tb[NETVIRT_A_FW_EVENT_DST_IN],
			tb[NETVIRT_A_FW_EVENT_DST_IN6]);
	print_opt_uint(tb[NETVIRT_A_FW_EVENT_DPORT], "dport", " dport %llu");
	print_opt_uint(tb[NETVIRT_A_FW_EVENT_ICMP_TYPE], "icmp_type",
		       " icmp-type %llu");
}

static const struct attr_spec nat_event_spec[NETVIRT_A_NAT_EVENT_MAX + 1] = {
	[NETVIRT_A_NAT_EVENT_TENANT] = { A_STR, "tenant", " tenant %s" },
	[NETVIRT_A_NAT_EVENT_HANDLE] = { A_UINT, "rule", " rule %llu" },
	[NETVIRT_A_NAT_EVENT_ADDR_IN] = { A_ADDR, "addr", " addr %s" },
	[NETVIRT_A_NAT_EVENT_ADDR_IN6] = { A_ADDR, "addr", " addr %s" },
	[NETVIRT_A_NAT_EVENT_DST_IN] = { A_ADDR, "dst", " dst %s" },
	[NETVIRT_A_NAT_EVENT_DST_IN6] = { A_ADDR, "dst", " dst %s" },
	[NETVIRT_A_NAT_EVENT_PROTO] = { A_UINT },
	[NETVIRT_A_NAT_EVENT_DPORT] = { A_UINT },
};

/*
 * A SNAT rule had no free port for a connection: "nat-exhausted tenant T
 * rule H addr A dst D proto P dport N".
 */
static void print_nat(const struct nlattr *const *tb)
{
	out_str("event", "%s", "nat-exhausted");
	attrs_print(tb, nat_event_spec, NETVIRT_A_NAT_EVENT_MAX);
	print_proto("proto", " proto %s", tb[NETVIRT_A_NAT_EVENT_PROTO]);
	print_opt_uint(tb[NETVIRT_A_NAT_EVENT_DPORT], "dport", " dport %llu");
}

static const struct attr_spec config_event_spec[NETVIRT_A_TXN_MAX + 1] = {
	[NETVIRT_A_TXN_GEN] = { A_UINT, "gen", " gen %llu" },
	[NETVIRT_A_TXN_REQUESTS] = { A_UINT, "requests", " requests %llu" },
	[NETVIRT_A_TXN_CHANGES] = { A_NEST },
};

/* The object kinds of a config event's changes, by NETVIRT_A_CHANGES_*. */
static const struct attr_spec changes_spec[NETVIRT_A_CHANGES_MAX + 1] = {
	[NETVIRT_A_CHANGES_TENANTS] = { A_UINT, "tenants", " tenants %llu" },
	[NETVIRT_A_CHANGES_PORTS] = { A_UINT, "ports", " ports %llu" },
	[NETVIRT_A_CHANGES_ROUTES] = { A_UINT, "routes", " routes %llu" },
	[NETVIRT_A_CHANGES_HOST] = { A_UINT, "host", " host %llu" },
	[NETVIRT_A_CHANGES_FW] = { A_UINT, "fw", " fw %llu" },
	[NETVIRT_A_CHANGES_RULES] = { A_UINT, "rules", " rules %llu" },
	[NETVIRT_A_CHANGES_GROUPS] = { A_UINT, "groups", " groups %llu" },
	[NETVIRT_A_CHANGES_UPLINK] = { A_UINT, "uplink", " uplink %llu" },
	[NETVIRT_A_CHANGES_NAT] = { A_UINT, "nat", " nat %llu" },
};

/*
 * A generation was published: "config gen G requests N routes 2 rules 1",
 * the change requests it applied, by object kind.
 */
static void print_config(const struct nlattr *const *tb)
{
	const struct nlattr *changes = tb[NETVIRT_A_TXN_CHANGES], *c;
	const struct attr_spec *spec;
	uint16_t type;

	out_str("event", "%s", "config");
	attrs_print(tb, config_event_spec, NETVIRT_A_TXN_MAX);
	out_begin("changes");
	if (changes)
		mnl_attr_for_each_nested(c, changes) {
			type = mnl_attr_get_type(c);
			spec = type <= NETVIRT_A_CHANGES_MAX ? &changes_spec[type] :
							       NULL;
			if (spec && spec->key && attr_valid(c, A_UINT))
				out_uint(spec->key, spec->fmt, attr_uint(c));
		}
	out_end();
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

/**
 * struct event_kind - an event message and how it prints
 * @cmd: NETVIRT_CMD_*_EVENT
 * @type: its nest, NETVIRT_A_*_EVENT
 * @spec: the nest's attributes
 * @max: the highest attribute type of the nest
 * @tenant: the type of its tenant attribute, for the filter
 * @print: the event's words, after the timestamp
 */
struct event_kind {
	uint8_t cmd;
	uint16_t type;
	const struct attr_spec *spec;
	uint16_t max;
	uint16_t tenant;
	void (*print)(const struct nlattr *const *tb);
};

static const struct event_kind fw_event = {
	NETVIRT_CMD_FW_EVENT, NETVIRT_A_FW_EVENT, event_spec,
	NETVIRT_A_FW_EVENT_MAX, NETVIRT_A_FW_EVENT_TENANT, print_event,
};

static const struct event_kind nat_event = {
	NETVIRT_CMD_NAT_EVENT, NETVIRT_A_NAT_EVENT, nat_event_spec,
	NETVIRT_A_NAT_EVENT_MAX, NETVIRT_A_NAT_EVENT_TENANT, print_nat,
};

static const struct event_kind config_event = {
	NETVIRT_CMD_CONFIG_EVENT, NETVIRT_A_TXN, config_event_spec,
	NETVIRT_A_TXN_MAX, 0, print_config,
};

/* Whether @view lets an event of the tenant @tenant names through. */
static bool event_wanted(const struct nlattr *tenant,
			 const struct event_view *view)
{
	return !view || !view->tenant[0] ||
	       (tenant && !strcmp(mnl_attr_get_str(tenant), view->tenant));
}

static bool print_kind(const struct event_kind *k, const struct nlmsghdr *nlh,
		       const struct event_view *view)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[ATTR_TB_SIZE];

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*genl) ||
	    genl->cmd != k->cmd ||
	    reply_parse(nlh, k->type, k->spec, k->max, tb) ||
	    !event_wanted(tb[k->tenant], view))
		return false;
	out_begin(NULL);
	if (view && view->stamp != STAMP_NONE)
		print_stamp(view);
	k->print(tb);
	out_text("\n");
	out_end();
	return true;
}

bool print_fw_event(const struct nlmsghdr *nlh, const struct event_view *view)
{
	return print_kind(&fw_event, nlh, view);
}

bool print_nat_event(const struct nlmsghdr *nlh, const struct event_view *view)
{
	return print_kind(&nat_event, nlh, view);
}

bool print_config_event(const struct nlmsghdr *nlh,
			const struct event_view *view)
{
	return print_kind(&config_event, nlh, view);
}
