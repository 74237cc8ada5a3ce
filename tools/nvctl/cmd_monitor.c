// SPDX-License-Identifier: GPL-2.0
/*
 * nvctl monitor: the module's events, as they happen. The socket joins
 * the family's multicast group NETVIRT_MCGRP_MONITOR and prints each
 * event as a line (or a JSON object per line), flushed at once: readers
 * are often a pipe or a file. It joins the controller's "notify" group
 * too: when the module goes, the kernel leaves the socket in no group
 * and says so only there (CTRL_CMD_DELFAMILY), as `genl monitor` sees.
 */
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netvirt.h>

#include "args.h"
#include "monitor.h"
#include "nl.h"
#include "nvctl.h"
#include "output.h"
#include "utils.h"

/* Events are small; a burst of them fills a datagram at most this big. */
#define MONITOR_BUFSIZE	(1 << 16)

/**
 * struct monitor - the arguments of monitor, and its progress
 * @view: the tenant whose events are wanted, and their timestamps
 * @count: events to print before exiting; 0: until killed
 * @kinds: the kinds of events wanted, a bit per kinds[] entry
 * @family: the netvirt family id, to tell its messages from others
 * @gone: the module went away
 */
struct monitor {
	struct event_view view;
	uint32_t count;
	uint32_t kinds;
	uint16_t family;
	bool gone;
};

static const struct keyword keywords[] = {
	{ "tenant", ARG_NAME, offsetof(struct monitor, view.tenant), 0 },
	{ "count", ARG_COUNT, offsetof(struct monitor, count), 0 },
};

/*
 * The kinds of events, as `ip monitor` names its objects: the packet
 * path's (fw, nat), which `all` and no name mean, and the configuration's,
 * which comes with every change and only when named.
 */
static const struct kind {
	const char *name;
	uint8_t cmd;
	bool (*print)(const struct nlmsghdr *nlh, const struct event_view *v);
} kinds[] = {
	{ "fw", NETVIRT_CMD_FW_EVENT, print_fw_event },
	{ "nat", NETVIRT_CMD_NAT_EVENT, print_nat_event },
	{ "config", NETVIRT_CMD_CONFIG_EVENT, print_config_event },
};

#define KINDS_ALL	3u	/* fw and nat */
#define KIND_CONFIG	4u

/**
 * struct group_query - a multicast group of the family, by name
 * @name: what to find
 * @id: its id; 0 when the family has no such group
 */
struct group_query {
	const char *name;
	uint32_t id;
};

static int group_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	uint16_t type = mnl_attr_get_type(attr);

	if (type == CTRL_ATTR_MCAST_GRP_NAME &&
	    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
		tb[type] = attr;
	else if (type == CTRL_ATTR_MCAST_GRP_ID &&
		 mnl_attr_validate(attr, MNL_TYPE_U32) == 0)
		tb[type] = attr;
	return MNL_CB_OK;
}

static void match_group(const struct nlattr *group, struct group_query *q)
{
	const struct nlattr *tb[CTRL_ATTR_MCAST_GRP_MAX + 1] = { 0 };

	mnl_attr_parse_nested(group, group_attr_cb, tb);
	if (tb[CTRL_ATTR_MCAST_GRP_NAME] && tb[CTRL_ATTR_MCAST_GRP_ID] &&
	    !strcmp(mnl_attr_get_str(tb[CTRL_ATTR_MCAST_GRP_NAME]), q->name))
		q->id = mnl_attr_get_u32(tb[CTRL_ATTR_MCAST_GRP_ID]);
}

static int family_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr *group;

	if (mnl_attr_get_type(attr) != CTRL_ATTR_MCAST_GROUPS ||
	    mnl_attr_validate(attr, MNL_TYPE_NESTED))
		return MNL_CB_OK;
	mnl_attr_for_each_nested(group, attr)
		if (mnl_attr_validate(group, MNL_TYPE_NESTED) == 0)
			match_group(group, data);
	return MNL_CB_OK;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, sizeof(struct genlmsghdr), family_attr_cb,
			      data);
}

/* The group's id, from the controller's description of @family_name. */
static int find_group(struct nl *nl, const char *family_name,
		      const char *name, uint32_t *id)
{
	struct group_query q = { .name = name };
	uint16_t family = nl->family;
	struct nlmsghdr *nlh;
	int ret;

	nl->family = GENL_ID_CTRL;
	nlh = nl_msg(nl, CTRL_CMD_GETFAMILY, 0);
	nl->family = family;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, family_name);
	ret = nl_request(nl, nlh, family_cb, &q);
	if (ret)
		return nl_report(nl, ret, "resolving the monitor group");
	if (!q.id) {
		error("the %s family has no multicast group \"%s\" (older than nvctl?)",
		      family_name, name);
		return -1;
	}
	*id = q.id;
	return 0;
}

static int join_group(struct nl *nl, const char *family_name,
		      const char *name)
{
	uint32_t id;

	if (find_group(nl, family_name, name, &id))
		return -1;
	if (mnl_socket_setsockopt(nl->sk, NETLINK_ADD_MEMBERSHIP, &id,
				  sizeof(id))) {
		error("cannot join the %s group \"%s\": %s", family_name, name,
		      strerror(errno));
		return -1;
	}
	return 0;
}

static int family_id_cb(const struct nlattr *attr, void *data)
{
	if (mnl_attr_get_type(attr) == CTRL_ATTR_FAMILY_ID &&
	    mnl_attr_validate(attr, MNL_TYPE_U16) == 0)
		*(uint16_t *)data = mnl_attr_get_u16(attr);
	return MNL_CB_OK;
}

/* Whether @nlh, from the controller, says the netvirt family is gone. */
static bool family_gone(const struct nlmsghdr *nlh, uint16_t family)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);
	uint16_t id = 0;

	if (nlh->nlmsg_type != GENL_ID_CTRL ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*genl) ||
	    genl->cmd != CTRL_CMD_DELFAMILY)
		return false;
	mnl_attr_parse(nlh, sizeof(*genl), family_id_cb, &id);
	return id == family;
}

/* The printer of a netvirt event @m wants, or NULL. */
static const struct kind *wanted_kind(const struct monitor *m,
				      const struct nlmsghdr *nlh)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);
	size_t i;

	if (nlh->nlmsg_type != m->family ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*genl))
		return NULL;
	for (i = 0; i < ARRAY_SIZE(kinds); i++)
		if (kinds[i].cmd == genl->cmd && (m->kinds & (1u << i)))
			return &kinds[i];
	return NULL;
}

/* One message of the groups: printed and flushed, and counted. */
static int event_cb(const struct nlmsghdr *nlh, void *data)
{
	struct monitor *m = data;
	const struct kind *kind;

	if (family_gone(nlh, m->family)) {
		m->gone = true;
		return MNL_CB_STOP;
	}
	kind = wanted_kind(m, nlh);
	if (!kind || !kind->print(nlh, &m->view))
		return MNL_CB_OK;
	if (out_flush())
		return MNL_CB_ERROR;
	if (m->count && !--m->count)
		return MNL_CB_STOP;
	return MNL_CB_OK;
}

/*
 * Every line is out by the time a signal comes: ending at once loses
 * nothing, and a blocked recv() needs no waking.
 */
static void stop(int sig)
{
	(void)sig;
	_exit(EXIT_OK);
}

static void stop_on_signals(void)
{
	struct sigaction sa = { .sa_handler = stop };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

/* Until killed, or @m->count events; a full socket buffer loses some. */
static int watch(struct nl *nl, struct monitor *m)
{
	static char buf[MONITOR_BUFSIZE];
	int len, ret;

	for (;;) {
		len = mnl_socket_recvfrom(nl->sk, buf, sizeof(buf));
		if (len < 0 && errno == ENOBUFS) {
			error("events were lost: the socket's buffer overran");
			continue;
		}
		if (len < 0 && errno == EINTR)
			continue;
		if (len < 0) {
			error("receiving events: %s", strerror(errno));
			return EXIT_FAIL;
		}
		gettimeofday(&m->view.when, NULL);
		ret = mnl_cb_run(buf, len, 0, 0, event_cb, m);
		if (ret == MNL_CB_STOP && m->gone) {
			error("the netvirt module was unloaded");
			return EXIT_FAIL;
		}
		if (ret == MNL_CB_STOP)
			return EXIT_OK;
		if (ret < 0)
			return EXIT_FAIL;
	}
}

void usage_monitor(FILE *out)
{
	fprintf(out,
		"Usage: nvctl [ -t[imestamp] | -ts[hort] ] monitor [ all | OBJECT-LIST ]\n"
		"                     [ tenant NAME ] [ count COUNT ]\n"
		"OBJECT-LIST := [ OBJECT-LIST ] OBJECT\n"
		"OBJECT := { fw | nat | config }\n"
		"Prints the module's events until killed, or COUNT of them:\n"
		"fw, the firewall's logged denials; nat, the connections a SNAT\n"
		"rule had no free port for; config, each generation published\n"
		"and the change requests it applied. Exits 1 when the module goes.\n");
}

/* `all | OBJECT-LIST`: the kinds wanted, all when none is named. */
static int parse_kinds(struct args *a, struct monitor *m)
{
	const char *arg;
	size_t i;

	while ((arg = args_peek(a))) {
		for (i = 0; i < ARRAY_SIZE(kinds); i++)
			if (matches(arg, kinds[i].name))
				break;
		if (i < ARRAY_SIZE(kinds))
			m->kinds |= 1u << i;
		else if (matches(arg, "all"))
			m->kinds |= KINDS_ALL;
		else
			break;
		args_pop(a);
	}
	if (!m->kinds)
		m->kinds = KINDS_ALL;
	return args_keywords(a, keywords, ARRAY_SIZE(keywords), m);
}

/* The netvirt family's events, and the controller's news of it. */
static int join_groups(struct nl *nl, const struct monitor *m)
{
	if ((m->kinds & KINDS_ALL) &&
	    join_group(nl, NETVIRT_GENL_NAME, NETVIRT_MCGRP_MONITOR))
		return -1;
	if ((m->kinds & KIND_CONFIG) &&
	    join_group(nl, NETVIRT_GENL_NAME, NETVIRT_MCGRP_CONFIG))
		return -1;
	return join_group(nl, "nlctrl", "notify");
}

int do_monitor(struct nvctl *ctl, int argc, char **argv)
{
	struct args a = { .argc = argc, .argv = argv, .object = "monitor" };
	struct monitor m = { .view.stamp = ctl->stamp };
	struct nl nl;
	int ret;

	if (parse_kinds(&a, &m))
		return EXIT_USAGE;
	if (nl_open(&nl))
		return EXIT_FAIL;
	m.family = nl.family;
	ret = EXIT_FAIL;
	if (!join_groups(&nl, &m)) {
		stop_on_signals();
		ret = watch(&nl, &m);
	}
	nl_close(&nl);
	return ret;
}
