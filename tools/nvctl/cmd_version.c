// SPDX-License-Identifier: GPL-2.0
/* nvctl version, nvctl info: what the module is and how much it holds. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/netvirt.h>

#include "nvctl.h"
#include "nl.h"
#include "output.h"
#include "utils.h"

struct info {
	char version[64];
	uint32_t api_version;
	uint64_t features;
	uint64_t gen;
	uint32_t counts[NETVIRT_A_COUNT_MAX + 1];
	bool have_counts;
};

static const char *const feature_names[] = {
	"routing", "firewall", "nat", "overlay", "txn",
};

static const char *const count_names[NETVIRT_A_COUNT_MAX + 1] = {
	[NETVIRT_A_COUNT_TENANTS] = "tenants",
	[NETVIRT_A_COUNT_PORTS] = "ports",
	[NETVIRT_A_COUNT_ROUTES] = "routes",
	[NETVIRT_A_COUNT_RULES] = "rules",
};

static int counts_cb(const struct nlattr *attr, void *data)
{
	struct info *info = data;
	uint16_t type = mnl_attr_get_type(attr);

	if (type <= NETVIRT_A_COUNT_MAX &&
	    mnl_attr_validate(attr, MNL_TYPE_U32) == 0)
		info->counts[type] = mnl_attr_get_u32(attr);
	return MNL_CB_OK;
}

static int info_attr_cb(const struct nlattr *attr, void *data)
{
	struct info *info = data;

	switch (mnl_attr_get_type(attr)) {
	case NETVIRT_A_VERSION:
		if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
			snprintf(info->version, sizeof(info->version), "%s",
				 mnl_attr_get_str(attr));
		break;
	case NETVIRT_A_API_VERSION:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) == 0)
			info->api_version = mnl_attr_get_u32(attr);
		break;
	case NETVIRT_A_FEATURES:
		if (mnl_attr_validate(attr, MNL_TYPE_U64) == 0)
			info->features = mnl_attr_get_u64(attr);
		break;
	case NETVIRT_A_CONFIG_GEN:
		if (mnl_attr_validate(attr, MNL_TYPE_U64) == 0)
			info->gen = mnl_attr_get_u64(attr);
		break;
	case NETVIRT_A_COUNTS:
		info->have_counts = true;
		mnl_attr_parse_nested(attr, counts_cb, info);
		break;
	}
	return MNL_CB_OK;
}

static int info_cb(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, sizeof(struct genlmsghdr), info_attr_cb,
			      data);
}

static int info_get(struct info *info)
{
	struct nlmsghdr *nlh;
	struct nl nl;
	int ret;

	memset(info, 0, sizeof(*info));
	if (nl_open(&nl))
		return -1;
	nlh = nl_msg(&nl, NETVIRT_CMD_INFO_GET, 0);
	mnl_attr_put_u32(nlh, NETVIRT_A_API_VERSION, NETVIRT_API_VERSION);
	ret = nl_request(&nl, nlh, info_cb, info);
	if (ret)
		nl_report(&nl, ret, "querying the module");
	else if (!info->version[0] || !info->api_version)
		ret = nl_report(&nl, -EPROTO, "incomplete reply from the module");
	nl_close(&nl);
	return ret;
}

static void print_nvctl_version(void)
{
	out_begin("nvctl");
	out_str("version", "nvctl %s\n", NVCTL_VERSION);
	out_end();
}

static void print_module_version(const struct info *info)
{
	out_begin("module");
	out_str("version", "module %s", info->version);
	out_uint("api_version", " api %llu\n", info->api_version);
	out_end();
}

void usage_version(FILE *out)
{
	fprintf(out, "Usage: nvctl version\n");
}

/* nvctl's own version even without the module, which then fails it. */
int do_version(struct nvctl *ctl, int argc, char **argv)
{
	struct info info;

	(void)ctl;
	if (argc > 0)
		return usage_extra(argv[0], "version");
	print_nvctl_version();
	if (info_get(&info)) {
		out_flush();
		return EXIT_FAIL;
	}
	print_module_version(&info);
	return out_flush() ? EXIT_FAIL : EXIT_OK;
}

static void print_features(uint64_t features)
{
	size_t i;

	out_begin_array("features");
	out_text("features:");
	for (i = 0; i < sizeof(feature_names) / sizeof(feature_names[0]); i++)
		if (features & (1ULL << i))
			out_str(NULL, " %s", feature_names[i]);
	out_text(features ? "\n" : " none\n");
	out_end();
}

static void print_counts(const struct info *info)
{
	int i;

	out_begin("counts");
	out_text("objects:");
	for (i = 1; i <= NETVIRT_A_COUNT_MAX; i++) {
		out_text(" %s", count_names[i]);
		out_uint(count_names[i], " %llu", info->counts[i]);
	}
	out_text("\n");
	out_end();
}

void usage_info(FILE *out)
{
	fprintf(out, "Usage: nvctl info\n");
}

int do_info(struct nvctl *ctl, int argc, char **argv)
{
	struct info info;

	(void)ctl;
	if (argc > 0)
		return usage_extra(argv[0], "info");
	if (info_get(&info))
		return EXIT_FAIL;
	print_nvctl_version();
	print_module_version(&info);
	print_features(info.features);
	out_uint("config_gen", "generation %llu\n", info.gen);
	print_counts(&info);
	return out_flush() ? EXIT_FAIL : EXIT_OK;
}
