// SPDX-License-Identifier: GPL-2.0
/*
 * nvctl: configure netvirt over generic netlink.
 *
 * nvctl [OPTIONS] OBJECT { COMMAND | help }
 */
#include <stdio.h>
#include <string.h>

#include "monitor.h"
#include "nvctl.h"
#include "output.h"
#include "utils.h"

static void usage_help(FILE *out);

static const struct nvctl_object objects[] = {
	{ "help", NULL, usage_help },
	{ "version", do_version, usage_version },
	{ "info", do_info, usage_info },
	{ "tenant", do_tenant, usage_tenant },
	{ "port", do_port, usage_port },
	{ "route", do_route, usage_route },
	{ "host", do_host, usage_host },
	{ "uplink", do_uplink, usage_uplink },
	{ "stats", do_stats, usage_stats },
	{ "fw", do_fw, usage_fw },
	{ "nat", do_nat, usage_nat },
	{ "monitor", do_monitor, usage_monitor },
	{ "batch", do_batch, usage_batch },
	{ "save", do_save, usage_save },
	{ "diff", do_diff, usage_save },
	{ "sync", do_sync, usage_save },
};

#define N_OBJECTS (sizeof(objects) / sizeof(objects[0]))

static void usage_help(FILE *out)
{
	fprintf(out,
		"Usage: nvctl [ OPTIONS ] OBJECT { COMMAND | help }\n"
		"       nvctl [ OPTIONS ] -b[atch] { FILE | - } [ check ] [ gen N ]\n"
		"       nvctl help\n"
		"OBJECT := { version | info | tenant | port | route | host | uplink | stats | fw | nat | monitor | batch | save | diff | sync }\n"
		"OPTIONS := { -j[son] | -n[etns] NAME | -t[imestamp] | -ts[hort] | -h[elp] }\n"
		"\n"
		"  -j, -json        JSON output\n"
		"  -n, -netns NAME  run in network namespace NAME (as ip -n)\n"
		"  -t, -timestamp   monitor: a timestamp line before each event\n"
		"  -ts, -tshort     monitor: a short timestamp before each event\n");
}

static const struct nvctl_object *find_object(const char *name)
{
	size_t i;

	for (i = 0; i < N_OBJECTS; i++)
		if (matches(name, objects[i].name))
			return &objects[i];
	return NULL;
}

/*
 * Help is asked for by a help word alone after nvctl, an object or a
 * command, so it ends the line; before anything else it is a mistake.
 */
static int check_help(int argc, char **argv)
{
	const struct nvctl_object *obj = find_object(argv[0]);
	int i;

	for (i = 0; i < argc - 1; i++)
		if (is_help(argv[i]))
			return usage_help_misplaced(argv[i],
						    obj && obj->run ? obj->name : NULL);
	return EXIT_OK;
}

static bool is_opt(const char *arg, const char *shrt, const char *lng)
{
	/* iproute2 habit: one or two dashes for long options. */
	return matches(arg, shrt) || matches(arg, lng) ||
	       (arg[0] == '-' && matches(arg + 1, lng));
}

/* Returns the number of arguments consumed, or -1 on a usage error. */
static int parse_options(struct nvctl *ctl, int argc, char **argv)
{
	int i;

	for (i = 0; i < argc && argv[i][0] == '-'; i++) {
		if (is_opt(argv[i], "-j", "-json")) {
			ctl->json = true;
		} else if (is_opt(argv[i], "-n", "-netns")) {
			if (++i == argc) {
				usage_error("option \"-n\" needs a namespace name");
				return -1;
			}
			ctl->netns = argv[i];
		} else if (is_opt(argv[i], "-b", "-batch")) {
			/* The rest is the batch's: FILE [ check ] [ gen N ]. */
			ctl->batch = true;
			return i;
		} else if (is_opt(argv[i], "-t", "-timestamp")) {
			ctl->stamp = STAMP_LONG;
		} else if (is_opt(argv[i], "-ts", "-tshort")) {
			ctl->stamp = STAMP_SHORT;
		} else if (is_help(argv[i])) {
			return i;
		} else {
			usage_error("unknown option \"%s\"; try \"nvctl help\"",
				    argv[i]);
			return -1;
		}
	}
	return i;
}

/* The object of argv[0] and its command: help, or its run. */
static const struct nvctl_object *object_of(int argc, char **argv, int *ret)
{
	const struct nvctl_object *obj;

	*ret = EXIT_OK;
	if (check_help(argc, argv)) {
		*ret = EXIT_USAGE;
		return NULL;
	}
	if (is_help(argv[0])) {
		usage_help(stdout);
		return NULL;
	}
	obj = find_object(argv[0]);
	if (!obj) {
		*ret = usage_error("unknown object \"%s\"; try \"nvctl help\"",
				   argv[0]);
		return NULL;
	}
	if (argc > 1 && is_help(argv[1])) {
		obj->usage(stdout);
		return NULL;
	}
	return obj;
}

/**
 * nvctl_run_line() - run one line of a batch: OBJECT COMMAND...
 * @ctl: the options nvctl was started with
 * @argc: words of the line
 * @argv: the words
 *
 * Return: an exit status.
 */
int nvctl_run_line(struct nvctl *ctl, int argc, char **argv)
{
	const struct nvctl_object *obj;
	int ret;

	obj = object_of(argc, argv, &ret);
	if (!obj)
		return ret;
	if (obj->run == do_batch || obj->run == do_monitor ||
	    obj->run == do_sync)
		return usage_error("\"%s\" cannot be a line of a batch",
				   obj->name);
	return obj->run(ctl, argc - 1, argv + 1);
}

int nvctl_main(int argc, char **argv)
{
	struct nvctl ctl = { 0 };
	const struct nvctl_object *obj;
	int n, ret;

	n = parse_options(&ctl, argc - 1, argv + 1);
	if (n < 0)
		return EXIT_USAGE;
	argc -= n + 1;
	argv += n + 1;

	if (argc == 0) {
		usage_help(stderr);
		return EXIT_USAGE;
	}
	/* -b FILE ...: as "batch FILE ..." (argv[0] is "-b"). */
	obj = ctl.batch ? find_object("batch") : object_of(argc, argv, &ret);
	if (!obj)
		return ret;
	if (ctl.batch && argc > 1 && is_help(argv[1])) {
		obj->usage(stdout);
		return EXIT_OK;
	}
	if (ctl.netns && netns_switch(ctl.netns))
		return EXIT_FAIL;
	out_init(ctl.json);
	return obj->run(&ctl, argc - 1, argv + 1);
}
