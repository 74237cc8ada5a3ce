// SPDX-License-Identifier: GPL-2.0
/* Unit tests of nvctl's argument parsers. Prints TAP. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "utils.h"

static int n, failed;

static void expect(int cond, const char *desc)
{
	n++;
	printf("%sok %d nvctl-util: %s\n", cond ? "" : "not ", n, desc);
	if (!cond)
		failed++;
}

struct u32_case {
	const char *in;
	uint32_t min, max;
	int ret;
	uint32_t out;
};

static const struct u32_case u32_cases[] = {
	{ "0", 0, 10, 0, 0 },
	{ "10", 0, 10, 0, 10 },
	{ "11", 0, 10, -ERANGE, 0 },
	{ "0x10", 0, 100, 0, 16 },
	{ "4294967295", 0, 4294967295u, 0, 4294967295u },
	{ "4294967296", 0, 4294967295u, -ERANGE, 0 },
	{ "99999999999999999999999", 0, 4294967295u, -EINVAL, 0 },
	{ "-1", 0, 10, -EINVAL, 0 },
	{ "+1", 0, 10, -EINVAL, 0 },
	{ " 1", 0, 10, -EINVAL, 0 },
	{ "1x", 0, 10, -EINVAL, 0 },
	{ "", 0, 10, -EINVAL, 0 },
	{ "0", 1, 65535, -ERANGE, 0 },
};

static void test_parse_u32(void)
{
	size_t i;

	for (i = 0; i < sizeof(u32_cases) / sizeof(u32_cases[0]); i++) {
		const struct u32_case *c = &u32_cases[i];
		uint32_t out = 0;
		char desc[96];
		int ret = parse_u32(c->in, c->min, c->max, &out);

		snprintf(desc, sizeof(desc), "parse_u32(\"%s\", %u, %u)",
			 c->in, c->min, c->max);
		expect(ret == c->ret && (ret || out == c->out), desc);
	}
}

static void test_matches(void)
{
	expect(matches("tenant", "tenant"), "keyword matches itself");
	expect(!matches("ten", "tenant"), "prefix of a keyword does not match");
	expect(!matches("tenants", "tenant"), "longer word does not match");
	expect(!matches(NULL, "tenant"), "missing argument does not match");
	expect(is_help("help") && is_help("-h") && is_help("--help"),
	       "help spellings");
}

int main(void)
{
	printf("TAP version 13\n");
	test_parse_u32();
	test_matches();
	printf("1..%d\n", n);
	return failed ? 1 : 0;
}
