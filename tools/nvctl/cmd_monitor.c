// SPDX-License-Identifier: GPL-2.0
/*
 * nvctl monitor: the module's events, as they happen. The socket joins
 * the family's multicast group NETVIRT_MCGRP_MONITOR and prints each
 * event as a line (or a JSON object per line), flushed at once: readers
 * are often a pipe or a file.
 */
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netvirt.h>

#include "args.h"
#include "fw.h"
#include "nl.h"
#include "nvctl.h"
#include "output.h"
#include "utils.h"

/* Events are small; a burst of them fills a datagram at most this big. */
#define MONITOR_BUFSIZE	(1 << 16)

/**
 * struct monitor - the arguments of monitor, and its progress
 * @count: events to print before exiting; 0: until killed
 * @family: the netvirt family id, to tell its messages from others
 */
struct monitor {
	uint32_t count;
	uint16_t family;
};

static const struct keyword keywords[] = {
	{ "count", ARG_COUNT, offsetof(struct monitor, count), 0 },
};

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

/* The group's id, from the controller's description of the family. */
static int find_group(struct nl *nl, const char *name, uint32_t *id)
{
	struct group_query q = { .name = name };
	uint16_t family = nl->family;
	struct nlmsghdr *nlh;
	int ret;

	nl->family = GENL_ID_CTRL;
	nlh = nl_msg(nl, CTRL_CMD_GETFAMILY, 0);
	nl->family = family;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, NETVIRT_GENL_NAME);
	ret = nl_request(nl, nlh, family_cb, &q);
	if (ret)
		return nl_report(nl, ret, "resolving the monitor group");
	if (!q.id) {
		error("the netvirt module has no multicast group \"%s\" (older than nvctl?)",
		      name);
		return -1;
	}
	*id = q.id;
	return 0;
}

static int join_group(struct nl *nl, const char *name)
{
	uint32_t id;

	if (find_group(nl, name, &id))
		return -1;
	if (mnl_socket_setsockopt(nl->sk, NETLINK_ADD_MEMBERSHIP, &id,
				  sizeof(id))) {
		error("cannot join the monitor group: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* One message of the group: printed and flushed, and counted. */
static int event_cb(const struct nlmsghdr *nlh, void *data)
{
	struct monitor *m = data;

	if (nlh->nlmsg_type != m->family || !print_fw_event(nlh))
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
		ret = mnl_cb_run(buf, len, 0, 0, event_cb, m);
		if (ret == MNL_CB_STOP)
			return EXIT_OK;
		if (ret < 0)
			return EXIT_FAIL;
	}
}

void usage_monitor(FILE *out)
{
	fprintf(out,
		"Usage: nvctl monitor [ count COUNT ]\n"
		"Prints the firewall's logged denials until killed, or COUNT of them.\n");
}

int do_monitor(struct nvctl *ctl, int argc, char **argv)
{
	struct args a = { .argc = argc, .argv = argv, .object = "monitor" };
	struct monitor m = { 0 };
	struct nl nl;
	int ret;

	(void)ctl;
	if (args_keywords(&a, keywords, ARRAY_SIZE(keywords), &m))
		return EXIT_USAGE;
	if (nl_open(&nl))
		return EXIT_FAIL;
	m.family = nl.family;
	ret = EXIT_FAIL;
	if (!join_group(&nl, NETVIRT_MCGRP_MONITOR)) {
		stop_on_signals();
		ret = watch(&nl, &m);
	}
	nl_close(&nl);
	return ret;
}
