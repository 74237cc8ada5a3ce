/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NVCTL_OUTPUT_H
#define NVCTL_OUTPUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/*
 * One call prints a value in both formats: in text mode the value is
 * printed through the given format, in JSON mode it is stored under the
 * key. Objects nest with out_begin()/out_end(); arrays with
 * out_begin_array(); inside arrays the key is NULL. out_begin_array(NULL)
 * as the first call makes the document an array (list commands). A NULL
 * format prints the value in JSON only. out_uint() formats take %llu;
 * out_bool() prints its format, without a value, only when true.
 * out_flush() prints the JSON document.
 */
void out_init(bool json);
bool out_is_json(void);
void out_begin(const char *key);
void out_begin_array(const char *key);
void out_end(void);
void out_str(const char *key, const char *fmt, const char *val);
void out_uint(const char *key, const char *fmt, uint64_t val);
void out_bool(const char *key, const char *fmt, bool val);
void __attribute__((format(printf, 1, 2))) out_text(const char *fmt, ...);
int out_flush(void);
void out_capture(FILE *f);

#endif
