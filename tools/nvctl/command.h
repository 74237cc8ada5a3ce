/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NVCTL_COMMAND_H
#define NVCTL_COMMAND_H

#include <stddef.h>
#include <stdio.h>

#include "args.h"
#include "nl.h"

/* One command of an object: `nvctl OBJECT COMMAND ...`. */
struct command {
	const char *name;
	int (*run)(struct args *a);
};

int run_command(int argc, char **argv, const char *object,
		const struct command *cmds, size_t n, const char *dflt,
		void (*usage)(FILE *out));
int run_change(const struct nl_call *call);
int run_list(const struct nl_call *calls, size_t n);
int run_get(const struct nl_call *call);
int run_show(struct args *a, enum arg_type type, char *name,
	     struct nl_call *call);

#endif
