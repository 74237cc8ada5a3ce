// SPDX-License-Identifier: GPL-2.0
/*
 * nvctl save, diff, sync: the host's (or a tenant's) configuration as one
 * document. save prints the lines that build it; diff compares a file of
 * such lines with the module's; sync makes the module's equal to the
 * file, changing only what differs, in one transaction (see conf.c and
 * cmd_batch.c).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "conf.h"
#include "nvctl.h"
#include "output.h"
#include "utils.h"

/**
 * struct doc_args - the arguments of save, diff and sync
 * @tenant: one tenant's configuration, or NULL: the host's
 * @name: its buffer
 * @file: FILE, for diff and sync
 * @check: sync: print and validate the changes, make none
 * @has_gen: sync: @gen was given
 * @gen: sync: the generation the change must find
 */
struct doc_args {
	const char *tenant;
	char name[NAME_SIZE];
	const char *file;
	bool check;
	bool has_gen;
	uint64_t gen;
};

void usage_save(FILE *out)
{
	fprintf(out,
		"Usage: nvctl save [ tenant NAME ]\n"
		"       nvctl diff [ tenant NAME ] { FILE | - }\n"
		"       nvctl sync [ tenant NAME ] { FILE | - } [ check ] [ gen N ]\n"
		"save prints the configuration as the command lines that build it\n"
		"(-j: {\"gen\":G,\"lines\":[...]}); diff prints how FILE differs from\n"
		"it, as -/+ lines; sync makes it equal to FILE in one transaction,\n"
		"keeping what does not change. check: print and validate the changes,\n"
		"make none; gen N: refuse unless the configuration is at generation N.\n");
}

/* [ tenant NAME ], then FILE when @file, then the sync keywords. */
static int doc_args(struct args *a, struct doc_args *d, bool file, bool sync)
{
	const char *kw = args_peek(a);

	if (kw && matches(kw, "tenant")) {
		args_pop(a);
		if (args_value(a, ARG_NAME, "tenant", d->name))
			return EXIT_USAGE;
		d->tenant = d->name;
	}
	if (file) {
		d->file = args_pop(a);
		if (!d->file)
			return usage_error("missing FILE; try \"nvctl %s help\"",
					   a->object);
		if (is_help(d->file))
			return usage_help_misplaced(d->file, a->object);
	}
	while (sync && (kw = args_pop(a))) {
		if (matches(kw, "check"))
			d->check = true;
		else if (!matches(kw, "gen"))
			return args_unknown(a, kw);
		else if (parse_gen(a, &d->gen))
			return EXIT_USAGE;
		else
			d->has_gen = true;
	}
	return args_end(a);
}

int do_save(struct nvctl *ctl, int argc, char **argv)
{
	struct args a = { .argc = argc, .argv = argv, .object = "save" };
	struct doc_args d = { 0 };
	struct conf c = { 0 };
	size_t i;
	int ret;

	ret = doc_args(&a, &d, false, false);
	if (ret)
		return ret;
	if (conf_read_module(ctl, &c, d.tenant))
		return EXIT_FAIL;
	out_uint("gen", NULL, c.gen);
	out_begin_array("lines");
	for (i = 0; i < c.n; i++)
		out_str(NULL, "%s\n", c.lines[i].text);
	out_end();
	conf_free(&c);
	return out_flush() ? EXIT_FAIL : EXIT_OK;
}

/* The module's configuration and FILE's, for diff and sync. */
static int read_both(struct nvctl *ctl, const struct doc_args *d,
		     struct conf *cur, struct conf *want)
{
	if (conf_read_file(want, d->file, d->tenant))
		return -1;
	if (conf_read_module(ctl, cur, d->tenant)) {
		conf_free(want);
		return -1;
	}
	return 0;
}

int do_diff(struct nvctl *ctl, int argc, char **argv)
{
	struct args a = { .argc = argc, .argv = argv, .object = "diff" };
	struct conf cur = { 0 }, want = { 0 };
	struct doc_args d = { 0 };
	int ret;

	ret = doc_args(&a, &d, true, false);
	if (ret)
		return ret;
	if (read_both(ctl, &d, &cur, &want))
		return EXIT_FAIL;
	conf_plan(&cur, &want, NULL, stdout);
	conf_free(&cur);
	conf_free(&want);
	return fflush(stdout) ? EXIT_FAIL : EXIT_OK;
}

/*
 * The changes, as commands, in one transaction - on the generation they
 * were computed from, unless gen N says another - or, with check, printed
 * as diff prints them and validated by the module.
 */
int do_sync(struct nvctl *ctl, int argc, char **argv)
{
	struct args a = { .argc = argc, .argv = argv, .object = "sync" };
	struct conf cur = { 0 }, want = { 0 };
	struct doc_args d = { 0 };
	char *plan = NULL;
	size_t len = 0;
	FILE *f;
	int ret, n;

	ret = doc_args(&a, &d, true, true);
	if (ret)
		return ret;
	if (read_both(ctl, &d, &cur, &want))
		return EXIT_FAIL;
	ret = EXIT_FAIL;
	if (d.has_gen && d.gen != cur.gen) {
		error("generation %" PRIu64 " is stale: the configuration is at generation %" PRIu64,
		      d.gen, cur.gen);
		goto out;
	}
	f = open_memstream(&plan, &len);
	if (!f)
		goto out;
	n = conf_plan(&cur, &want, f, d.check ? stdout : NULL);
	fflush(stdout);
	if (fclose(f))
		goto out;
	ret = EXIT_OK;
	if (n) {
		f = fmemopen(plan, len, "r");
		ret = f ? batch_run(ctl, f, "sync", d.check, &cur.gen) : EXIT_FAIL;
		if (f)
			fclose(f);
	}
out:
	free(plan);
	conf_free(&cur);
	conf_free(&want);
	return ret;
}
