// SPDX-License-Identifier: GPL-2.0
/* -n NETNS: run in a named network namespace, as `ip -n` does. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "utils.h"

#define NETNS_RUN_DIR "/run/netns"

int netns_switch(const char *name)
{
	char path[PATH_MAX];
	int fd, ret;

	if (strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, "..")) {
		error("invalid network namespace name \"%s\"", name);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/%s", NETNS_RUN_DIR, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		error("cannot open network namespace \"%s\": %s", name,
		      strerror(errno));
		return -1;
	}
	ret = setns(fd, CLONE_NEWNET);
	if (ret)
		error("cannot enter network namespace \"%s\": %s", name,
		      strerror(errno));
	close(fd);
	return ret;
}
