// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "nvctl.h"
#include "utils.h"

/* Keywords match exactly: abbreviations are ambiguous as grammars grow. */
bool matches(const char *arg, const char *keyword)
{
	return arg && strcmp(arg, keyword) == 0;
}

/* A request for the grammar: "help", or the option "-h" spelled any way. */
bool is_help(const char *arg)
{
	return matches(arg, "help") || matches(arg, "-h") ||
	       matches(arg, "-help") || matches(arg, "--help");
}

/* Where the words being parsed came from, when from a file. */
static const char *where_file;
static unsigned int where_line;

/*
 * Errors name @file and @line first, as compilers do, until called again
 * with NULL.
 */
void error_at(const char *file, unsigned int line)
{
	where_file = file;
	where_line = line;
}

static void verror(const char *fmt, va_list ap)
{
	if (where_file)
		fprintf(stderr, "%s:%u: ", where_file, where_line);
	fputs("Error: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verror(fmt, ap);
	va_end(ap);
}

/* Reports a command line the grammar does not accept. */
int usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verror(fmt, ap);
	va_end(ap);
	return EXIT_USAGE;
}

/*
 * A request for help anywhere but alone after an object or a command: an
 * error rather than help, lest the rest of the line be silently ignored.
 */
int usage_help_misplaced(const char *arg, const char *object)
{
	if (!object)
		return usage_error("\"%s\" must come alone; try \"nvctl help\"",
				   arg);
	return usage_error("\"%s\" must come alone after the command; try \"nvctl %s help\"",
			   arg, object);
}

/* An argument after a complete command. */
int usage_extra(const char *arg, const char *object)
{
	return usage_error("unexpected argument \"%s\"; try \"nvctl %s help\"",
			   arg, object);
}

/*
 * Splits @line into at most @max words, in place, at blanks (a batch or
 * load file's line). Returns the number of words, or -1: too many.
 */
int split_words(char *line, char **words, int max)
{
	char *save, *w;
	int n = 0;

	for (w = strtok_r(line, " \t\r\n", &save); w;
	     w = strtok_r(NULL, " \t\r\n", &save)) {
		if (n == max)
			return -1;
		words[n++] = w;
	}
	return n;
}
