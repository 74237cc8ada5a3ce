/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NVCTL_TEST_TAP_H
#define NVCTL_TEST_TAP_H

#define N(a) (sizeof(a) / sizeof((a)[0]))

void expect(int cond, const char *desc);
void test_messages(void);
void test_conf(void);

#endif
