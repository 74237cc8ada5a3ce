// SPDX-License-Identifier: GPL-2.0
#include <net/if.h>
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

bool is_help(const char *arg)
{
	return matches(arg, "help") || matches(arg, "-h") ||
	       matches(arg, "--help");
}

static void verror(const char *fmt, va_list ap)
{
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

/* An argument after a complete command. */
int usage_extra(const char *arg, const char *object)
{
	return usage_error("unexpected argument \"%s\"; try \"nvctl %s help\"",
			   arg, object);
}

/* A device of the current namespace by name; reports a missing one. */
int resolve_dev(const char *name, uint32_t *ifindex)
{
	*ifindex = if_nametoindex(name);
	if (!*ifindex) {
		error("device \"%s\" does not exist", name);
		return -1;
	}
	return 0;
}
