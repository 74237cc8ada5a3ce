// SPDX-License-Identifier: GPL-2.0
/*
 * nvctl batch: the lines of a file, each an nvctl command line without
 * the leading "nvctl" (or the lines of save -j's document), run in one
 * transaction of the module. Each change
 * is staged as it is read; the commit applies them all as one change, one
 * new generation, or nothing at all. `check` runs everything the commit
 * runs and publishes nothing; `gen N` refuses unless the configuration is
 * still at generation N.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "conf.h"
#include "nl.h"
#include "nvctl.h"
#include "output.h"
#include "utils.h"

/* Words of one line of a batch. */
#define BATCH_MAX_WORDS	128

/**
 * struct batch - a batch being run
 * @file: its name for messages ("<stdin>" for -)
 * @check: validate only
 * @has_gen: @gen was given
 * @gen: the generation the commit must find
 * @line_of: the line of each staged request, by its index
 * @size: entries of @line_of allocated
 */
struct batch {
	const char *file;
	bool check;
	bool has_gen;
	uint64_t gen;
	unsigned int *line_of;
	size_t size;
};

void usage_batch(FILE *out)
{
	fprintf(out,
		"Usage: nvctl batch { FILE | - } [ check ] [ gen N ]\n"
		"       nvctl -b { FILE | - } [ check ] [ gen N ]\n"
		"Each line of FILE is an nvctl command line without \"nvctl\"; \"#\" starts a\n"
		"comment; FILE may also be the JSON document of \"nvctl -j save\". Every\n"
		"change of the file is applied in one transaction: all of\n"
		"them, as one new generation, or none. check: validate, change nothing.\n"
		"gen N: refuse unless the configuration is at generation N.\n");
}

static int batch_args(struct batch *b, int argc, char **argv)
{
	struct args a = { .argc = argc, .argv = argv, .object = "batch" };
	const char *file = args_pop(&a), *kw;

	if (!file)
		return usage_error("missing FILE; try \"nvctl batch help\"");
	b->file = strcmp(file, "-") ? file : "<stdin>";
	while ((kw = args_pop(&a))) {
		if (matches(kw, "check")) {
			b->check = true;
		} else if (matches(kw, "gen")) {
			if (parse_gen(&a, &b->gen))
				return EXIT_USAGE;
			b->has_gen = true;
		} else {
			return args_unknown(&a, kw);
		}
	}
	return EXIT_OK;
}

/* Requests @from to the socket's count came from line @line. */
static int note_lines(struct batch *b, unsigned int from, unsigned int line)
{
	unsigned int to = nl_txn->staged;
	unsigned int *n;

	if (to > b->size) {
		n = realloc(b->line_of, 2 * to * sizeof(*n));
		if (!n) {
			error("no memory for the batch");
			return EXIT_FAIL;
		}
		b->line_of = n;
		b->size = 2 * to;
	}
	for (; from < to; from++)
		b->line_of[from] = line;
	return EXIT_OK;
}

/* One line: staged, or an error that names the line (error_at()). */
static int batch_line(struct nvctl *ctl, struct batch *b, char *line,
		      unsigned int lineno)
{
	unsigned int from = nl_txn->staged;
	char *words[BATCH_MAX_WORDS];
	int n = split_words(line, words, BATCH_MAX_WORDS);
	int ret;

	if (!n || words[0][0] == '#')
		return EXIT_OK;
	if (n < 0)
		return usage_error("too many words (%d at most)",
				   BATCH_MAX_WORDS);
	ret = nvctl_run_line(ctl, n, words);
	return ret ?: note_lines(b, from, lineno);
}

static FILE *batch_open(const char *file)
{
	FILE *f = strcmp(file, "-") ? fopen(file, "r") : stdin;

	if (!f)
		error("cannot open %s: %s", file, strerror(errno));
	return f;
}

/* What a line of save -j's document runs in. */
struct json_ctx {
	struct nvctl *ctl;
	struct batch *b;
};

static int json_line(void *arg, char *line, unsigned int n)
{
	struct json_ctx *j = arg;

	return batch_line(j->ctl, j->b, line, n);
}

/* The lines of @f, or of the lines of save -j's document in it. */
static int batch_file(struct nvctl *ctl, struct batch *b, FILE *f)
{
	struct json_ctx j = { .ctl = ctl, .b = b };
	unsigned int lineno = 0;
	size_t cap = 0;
	char *line = NULL;
	int ret = EXIT_OK;

	if (conf_is_json(f)) {
		ret = conf_json_lines(f, b->file, json_line, &j);
		return ret < 0 ? EXIT_FAIL : ret;
	}
	while (ret == EXIT_OK && getline(&line, &cap, f) >= 0) {
		error_at(b->file, ++lineno);
		ret = batch_line(ctl, b, line, lineno);
	}
	error_at(NULL, 0);
	free(line);
	return ret;
}

/* A failed commit: the kernel's reason, at the line of the request. */
static void commit_error(struct nl *nl, const struct batch *b,
			 const struct nl_txn_result *r, int err)
{
	if (r->fault >= 0 && r->fault < nl->staged)
		error_at(b->file, b->line_of[r->fault]);
	nl_report(nl, err, b->check ? "checking the batch" :
				      "committing the batch");
	error_at(NULL, 0);
}

static int commit(struct nl *nl, const struct batch *b)
{
	struct nl_txn_result r;
	int ret;

	ret = nl_txn_commit(nl, b->check, b->has_gen ? &b->gen : NULL, &r);
	if (ret) {
		commit_error(nl, b, &r, ret);
		return EXIT_FAIL;
	}
	/* JSON only: in text, a batch that applies prints nothing. */
	out_uint("gen", NULL, r.gen);
	out_uint("requests", NULL, r.requests);
	out_bool("check", NULL, b->check);
	return out_flush() ? EXIT_FAIL : EXIT_OK;
}

/* Opens the socket's transaction: the requests that follow are staged. */
static int txn_begin(struct nl *nl)
{
	int ret = nl_txn_begin(nl);

	if (ret)
		nl_report(nl, ret, "opening a transaction");
	return ret;
}

/**
 * batch_run() - the lines of @f in one transaction, as nvctl batch runs them
 * @ctl: nvctl's options
 * @f: the lines
 * @name: @f's name in errors
 * @check: validate only
 * @gen: the generation the commit must find, or NULL
 *
 * Return: an exit status.
 */
int batch_run(struct nvctl *ctl, FILE *f, const char *name, bool check,
	      const uint64_t *gen)
{
	struct batch b = { .file = name, .check = check, .has_gen = !!gen };
	struct nl nl;
	int ret;

	if (gen)
		b.gen = *gen;
	if (nl_open(&nl))
		return EXIT_FAIL;
	ret = EXIT_FAIL;
	if (txn_begin(&nl))
		goto out;
	nl_txn = &nl;
	ret = batch_file(ctl, &b, f);
	nl_txn = NULL;
	/* Closing the socket drops the transaction: nothing is applied. */
	if (ret == EXIT_OK)
		ret = commit(&nl, &b);
out:
	nl_close(&nl);
	free(b.line_of);
	return ret;
}

int do_batch(struct nvctl *ctl, int argc, char **argv)
{
	struct batch b = { 0 };
	FILE *f;
	int ret;

	ret = batch_args(&b, argc, argv);
	if (ret)
		return ret;
	f = batch_open(argv[0]);
	if (!f)
		return EXIT_FAIL;
	ret = batch_run(ctl, f, b.file, b.check, b.has_gen ? &b.gen : NULL);
	if (f != stdin)
		fclose(f);
	return ret;
}
