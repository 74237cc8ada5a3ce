/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NVCTL_UTILS_H
#define NVCTL_UTILS_H

#include <stdbool.h>
#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

bool matches(const char *arg, const char *keyword);
bool is_help(const char *arg);
int netns_switch(const char *name);
int split_words(char *line, char **words, int max);

void error_at(const char *file, unsigned int line);
void __attribute__((format(printf, 1, 2))) error(const char *fmt, ...);
int __attribute__((format(printf, 1, 2))) usage_error(const char *fmt, ...);
int usage_extra(const char *arg, const char *object);
int usage_help_misplaced(const char *arg, const char *object);

#endif
