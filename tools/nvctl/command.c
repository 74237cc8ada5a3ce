// SPDX-License-Identifier: GPL-2.0
/* Running an object's commands: dispatch, changes and listings. */
#include "command.h"
#include "output.h"
#include "utils.h"

/*
 * `nvctl OBJECT [COMMAND [ARGS]]`: runs COMMAND, or @dflt when there is
 * none (NULL: a command is needed). `nvctl OBJECT COMMAND help` prints
 * the object's grammar, as `nvctl OBJECT help` does; a help word
 * anywhere else is a usage error (see check_help() and args_value()).
 */
int run_command(int argc, char **argv, const char *object,
		const struct command *cmds, size_t n, const char *dflt,
		void (*usage)(FILE *out))
{
	struct args a = { .argc = argc, .argv = argv, .object = object };
	const char *name = args_pop(&a);
	size_t i;

	if (!name)
		name = dflt;
	if (!name)
		return usage_error("missing command; try \"nvctl %s help\"",
				   object);
	for (i = 0; i < n && !matches(name, cmds[i].name); i++)
		;
	if (i == n)
		return usage_error("unknown command \"%s\"; try \"nvctl %s help\"",
				   name, object);
	if (a.argc == 1 && is_help(args_peek(&a))) {
		usage(stdout);
		return EXIT_OK;
	}
	return cmds[i].run(&a);
}

/* A command that changes the configuration and prints nothing. */
int run_change(const struct nl_call *call)
{
	return nl_call(call) ? EXIT_FAIL : EXIT_OK;
}

/* The calls' replies, printed; nothing of a failed one reaches JSON output. */
static int run_print(const struct nl_call *calls, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (nl_call(&calls[i]))
			return EXIT_FAIL;
	return out_flush() ? EXIT_FAIL : EXIT_OK;
}

/* A command that lists objects: a JSON array, or a line per object. */
int run_list(const struct nl_call *calls, size_t n)
{
	out_begin_array(NULL);
	return run_print(calls, n);
}

/*
 * A command that shows the one object there is: its reply callback
 * prints a JSON object (see print_reply_cb()), or its lines.
 */
int run_get(const struct nl_call *call)
{
	return run_print(call, 1);
}

/* `show [NAME]`: NAME's object (a doit), or all of them (a dump). */
int run_show(struct args *a, enum arg_type type, char *name,
	     struct nl_call *call)
{
	if (a->argc && args_value(a, type, NULL, name))
		return EXIT_USAGE;
	if (args_end(a))
		return EXIT_USAGE;
	if (!name[0]) {
		call->dump = true;
		call->fill = NULL;
	}
	return run_list(call, 1);
}
