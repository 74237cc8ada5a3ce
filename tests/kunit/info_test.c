// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the INFO_GET reply and of the family's request policy.
 */
#include <kunit/test.h>
#include <net/netlink.h>

#include "netvirt.h"
#include "config.h"
#include "genl.h"

static const struct nla_policy reply_policy[NETVIRT_A_MAX + 1] = {
	[NETVIRT_A_VERSION] = { .type = NLA_NUL_STRING },
	[NETVIRT_A_API_VERSION] = { .type = NLA_U32 },
	[NETVIRT_A_FEATURES] = { .type = NLA_U64 },
	[NETVIRT_A_CONFIG_GEN] = { .type = NLA_U64 },
	[NETVIRT_A_COUNTS] = { .type = NLA_NESTED },
};

static const struct nla_policy counts_policy[NETVIRT_A_COUNT_MAX + 1] = {
	[NETVIRT_A_COUNT_TENANTS] = { .type = NLA_U32 },
	[NETVIRT_A_COUNT_PORTS] = { .type = NLA_U32 },
	[NETVIRT_A_COUNT_ROUTES] = { .type = NLA_U32 },
	[NETVIRT_A_COUNT_RULES] = { .type = NLA_U32 },
};

static void info_test_reply_roundtrip(struct kunit *test)
{
	struct nlattr *tb[NETVIRT_A_MAX + 1], *ct[NETVIRT_A_COUNT_MAX + 1];
	struct nv_config *cfg = kunit_kzalloc(test, sizeof(*cfg), GFP_KERNEL);
	struct sk_buff *skb = alloc_skb(NLMSG_GOODSIZE, GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, cfg);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, skb);
	cfg->gen = 1234567890123ULL;
	cfg->counts = (struct nv_counts) {
		.tenants = 2, .ports = 5, .routes = 9, .rules = 11,
	};
	KUNIT_ASSERT_EQ(test, nv_info_fill(skb, cfg), 0);
	/* Leniently, as a client does: 64-bit values may come padded. */
	KUNIT_ASSERT_EQ(test, nla_parse_deprecated(tb, NETVIRT_A_MAX,
						   (struct nlattr *)skb->data,
						   skb->len, reply_policy,
						   NULL), 0);

	KUNIT_ASSERT_NOT_NULL(test, tb[NETVIRT_A_VERSION]);
	KUNIT_EXPECT_STREQ(test, (char *)nla_data(tb[NETVIRT_A_VERSION]),
			   NV_VERSION);
	KUNIT_ASSERT_NOT_NULL(test, tb[NETVIRT_A_API_VERSION]);
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[NETVIRT_A_API_VERSION]),
			(u32)NETVIRT_API_VERSION);
	KUNIT_ASSERT_NOT_NULL(test, tb[NETVIRT_A_CONFIG_GEN]);
	KUNIT_EXPECT_EQ(test, nla_get_u64(tb[NETVIRT_A_CONFIG_GEN]), cfg->gen);
	KUNIT_ASSERT_NOT_NULL(test, tb[NETVIRT_A_FEATURES]);
	KUNIT_EXPECT_EQ(test, nla_get_u64(tb[NETVIRT_A_FEATURES]),
			(u64)NV_FEATURES);

	KUNIT_ASSERT_NOT_NULL(test, tb[NETVIRT_A_COUNTS]);
	KUNIT_ASSERT_EQ(test, nla_parse_nested(ct, NETVIRT_A_COUNT_MAX,
					       tb[NETVIRT_A_COUNTS],
					       counts_policy, NULL), 0);
	KUNIT_EXPECT_EQ(test, nla_get_u32(ct[NETVIRT_A_COUNT_TENANTS]), 2U);
	KUNIT_EXPECT_EQ(test, nla_get_u32(ct[NETVIRT_A_COUNT_PORTS]), 5U);
	KUNIT_EXPECT_EQ(test, nla_get_u32(ct[NETVIRT_A_COUNT_ROUTES]), 9U);
	KUNIT_EXPECT_EQ(test, nla_get_u32(ct[NETVIRT_A_COUNT_RULES]), 11U);
	kfree_skb(skb);
}

static void info_test_reply_too_small(struct kunit *test)
{
	struct nv_config *cfg = kunit_kzalloc(test, sizeof(*cfg), GFP_KERNEL);
	struct sk_buff *skb = alloc_skb(32, GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, cfg);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, skb);
	skb_put(skb, skb_tailroom(skb) - 16);
	KUNIT_EXPECT_EQ(test, nv_info_fill(skb, cfg), -EMSGSIZE);
	kfree_skb(skb);
}

/* One request attribute and the policy's verdict: 0 or an errno. */
struct policy_case {
	const char *name;
	u16 type;
	u8 len;
	u32 value;
	int error;
};

static const struct policy_case policy_cases[] = {
	{ "api version 1", NETVIRT_A_API_VERSION, 4, 1, 0 },
	{ "api version 99", NETVIRT_A_API_VERSION, 4, 99, 0 },
	{ "api version 0 below range", NETVIRT_A_API_VERSION, 4, 0, -ERANGE },
	{ "api version as u16", NETVIRT_A_API_VERSION, 2, 1, -EINVAL },
	{ "api version as u64", NETVIRT_A_API_VERSION, 8, 1, -EINVAL },
	{ "read-only version", NETVIRT_A_VERSION, 4, 0, -EINVAL },
	{ "read-only features", NETVIRT_A_FEATURES, 8, 0, -EINVAL },
	{ "read-only counts", NETVIRT_A_COUNTS, 4, 0, -EINVAL },
	{ "unknown type", NETVIRT_A_MAX + 1, 4, 0, -EINVAL },
	{ "unspec type", NETVIRT_A_UNSPEC, 4, 0, -EINVAL },
};

static void policy_case_desc(const struct policy_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(policy, policy_cases, policy_case_desc);

static void info_test_request_policy(struct kunit *test)
{
	const struct policy_case *c = test->param_value;
	struct netlink_ext_ack extack = {};
	struct nlattr *tb[NETVIRT_A_MAX + 1];
	struct sk_buff *skb = alloc_skb(64, GFP_KERNEL);
	u64 value = c->value;
	int ret;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, skb);
	KUNIT_ASSERT_EQ(test, nla_put(skb, c->type, c->len, &value), 0);
	ret = nla_parse(tb, NETVIRT_A_MAX, (struct nlattr *)skb->data,
			skb->len, nv_genl_policy, &extack);
	KUNIT_EXPECT_EQ(test, ret, c->error);
	if (c->error) {
		KUNIT_EXPECT_NOT_NULL(test, extack._msg);
		KUNIT_EXPECT_NOT_NULL(test, extack.bad_attr);
	}
	kfree_skb(skb);
}

static struct kunit_case info_test_cases[] = {
	KUNIT_CASE(info_test_reply_roundtrip),
	KUNIT_CASE(info_test_reply_too_small),
	KUNIT_CASE_PARAM(info_test_request_policy, policy_gen_params),
	{}
};

static struct kunit_suite info_test_suite = {
	.name = "netvirt-info",
	.test_cases = info_test_cases,
};

kunit_test_suite(info_test_suite);
