// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
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

/* Decimal or 0x hex, no sign, no trailing garbage, within [min, max]. */
int parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out)
{
	unsigned long long v;
	char *end;

	if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end)
		return -EINVAL;
	if (v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
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
