// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of nvctl's argument parsers, and (msg_test.c) of what its
 * commands send and print. Prints TAP.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netvirt.h>

#include "parse.h"
#include "tap.h"
#include "utils.h"

static int n, failed;

/* A description ends at a control character: a TAP result is one line. */
void expect(int cond, const char *desc)
{
	n++;
	printf("%sok %d nvctl-util: %.*s\n", cond ? "" : "not ", n,
	       (int)strcspn(desc, "\t\n"), desc);
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
	{ "010", 0, 100, 0, 10 },
	{ "0X1f", 0, 100, 0, 31 },
	{ "0x", 0, 100, -EINVAL, 0 },
	{ "0x-1", 0, 100, -EINVAL, 0 },
	{ "0x 1", 0, 100, -EINVAL, 0 },
	{ "1 ", 0, 10, -EINVAL, 0 },
	{ "16777215", 0, 16777215, 0, 16777215 },
	{ "16777216", 0, 16777215, -ERANGE, 0 },
};

static void test_parse_u32(void)
{
	size_t i;

	for (i = 0; i < N(u32_cases); i++) {
		const struct u32_case *c = &u32_cases[i];
		uint32_t out = 0;
		char desc[96];
		int ret = parse_u32(c->in, c->min, c->max, &out);

		snprintf(desc, sizeof(desc), "parse_u32(\"%s\", %u, %u)",
			 c->in, c->min, c->max);
		expect(ret == c->ret && (ret || out == c->out), desc);
	}
}

struct name_case {
	const char *in;
	int ret;
};

static const struct name_case name_cases[] = {
	{ "blue", 0 },
	{ "a", 0 },
	{ "abcdefghijklmno", 0 },
	{ "abcdefghijklmnop", -ENAMETOOLONG },
	{ "", -EINVAL },
	{ "a b", -EINVAL },
	{ "a\tb", -EINVAL },
	{ "a\nb", -EINVAL },
	{ "vm-1.2_x", 0 },
};

static void test_parse_name(void)
{
	size_t i;

	for (i = 0; i < N(name_cases); i++) {
		const struct name_case *c = &name_cases[i];
		char name[NAME_SIZE] = "", desc[96];
		int ret = parse_name(c->in, name);

		snprintf(desc, sizeof(desc), "parse_name(\"%s\")", c->in);
		expect(ret == c->ret && (ret || !strcmp(name, c->in)), desc);
	}
}

struct mac_case {
	const char *in;
	int ret;
	const char *out;	/* as format_mac() prints it back */
};

static const struct mac_case mac_cases[] = {
	{ "02:00:00:00:00:01", 0, "02:00:00:00:00:01" },
	{ "02:AA:bb:Cc:dD:ff", 0, "02:aa:bb:cc:dd:ff" },
	{ "fe:ff:ff:ff:ff:ff", 0, "fe:ff:ff:ff:ff:ff" },
	{ "01:00:5e:00:00:01", -EDOM, NULL },
	{ "ff:ff:ff:ff:ff:ff", -EDOM, NULL },
	{ "00:00:00:00:00:00", -EDOM, NULL },
	{ "02:00:00:00:00", -EINVAL, NULL },
	{ "02:00:00:00:00:01:02", -EINVAL, NULL },
	{ "02:00:00:00:00:1", -EINVAL, NULL },
	{ "2:0:0:0:0:1", -EINVAL, NULL },
	{ "02-00-00-00-00-01", -EINVAL, NULL },
	{ "02:00:00:00:00:0g", -EINVAL, NULL },
	{ "0200.0000.0001", -EINVAL, NULL },
	{ "", -EINVAL, NULL },
};

static void test_parse_mac(void)
{
	char buf[MAC_STRLEN], desc[96];
	uint8_t mac[MAC_LEN];
	size_t i;

	for (i = 0; i < N(mac_cases); i++) {
		const struct mac_case *c = &mac_cases[i];
		int ret = parse_mac(c->in, mac);

		snprintf(desc, sizeof(desc), "parse_mac(\"%s\")", c->in);
		expect(ret == c->ret &&
		       (ret || !strcmp(format_mac(mac, buf), c->out)), desc);
	}
}

struct addr_case {
	const char *in;
	bool prefix;		/* parse_prefix, else parse_addr */
	int ret;
	int family;
	const char *out;	/* format_addr(prefix): back, or the fix */
};

static const struct addr_case addr_cases[] = {
	{ "10.0.0.5", false, 0, AF_INET, "10.0.0.5/32" },
	{ "fd00::5", false, 0, AF_INET6, "fd00::5/128" },
	{ "::", false, 0, AF_INET6, "::/128" },
	{ "::ffff:10.0.0.1", false, 0, AF_INET6, "::ffff:10.0.0.1/128" },
	{ "10.0.0.5/32", false, -EINVAL, 0, NULL },
	{ "10.0.0.256", false, -EINVAL, 0, NULL },
	{ "10.1", false, -EINVAL, 0, NULL },
	{ "010.0.0.1", false, -EINVAL, 0, NULL },
	{ "fd00:::1", false, -EINVAL, 0, NULL },
	{ "host", false, -EINVAL, 0, NULL },
	{ "", false, -EINVAL, 0, NULL },
	{ "10.0.0.0/24", true, 0, AF_INET, "10.0.0.0/24" },
	{ "10.0.0.5", true, 0, AF_INET, "10.0.0.5/32" },
	{ "0.0.0.0/0", true, 0, AF_INET, "0.0.0.0/0" },
	{ "10.0.0.0/8", true, 0, AF_INET, "10.0.0.0/8" },
	{ "10.0.0.5/32", true, 0, AF_INET, "10.0.0.5/32" },
	{ "10.0.0.0/024", true, 0, AF_INET, "10.0.0.0/24" },
	{ "fd00:1::/64", true, 0, AF_INET6, "fd00:1::/64" },
	{ "fd00::5", true, 0, AF_INET6, "fd00::5/128" },
	{ "::/0", true, 0, AF_INET6, "::/0" },
	{ "10.0.0.1/24", true, -EDOM, AF_INET, "10.0.0.0/24" },
	{ "10.0.0.128/25", true, 0, AF_INET, "10.0.0.128/25" },
	{ "10.0.0.129/25", true, -EDOM, AF_INET, "10.0.0.128/25" },
	{ "255.255.255.255/0", true, -EDOM, AF_INET, "0.0.0.0/0" },
	{ "fd00::1/64", true, -EDOM, AF_INET6, "fd00::/64" },
	{ "fd00:0:0:1::/63", true, -EDOM, AF_INET6, "fd00::/63" },
	{ "10.0.0.0/33", true, -ERANGE, 0, NULL },
	{ "fd00::/129", true, -ERANGE, 0, NULL },
	{ "fd00::/128", true, 0, AF_INET6, "fd00::/128" },
	{ "10.0.0.0/", true, -EINVAL, 0, NULL },
	{ "10.0.0.0/x", true, -EINVAL, 0, NULL },
	{ "10.0.0.0/-1", true, -EINVAL, 0, NULL },
	{ "10.0.0.0/+8", true, -EINVAL, 0, NULL },
	{ "10.0.0.0/0x8", true, -EINVAL, 0, NULL },
	{ "10.0.0.0/8/8", true, -EINVAL, 0, NULL },
	{ "10.0.0/24", true, -EINVAL, 0, NULL },
	{ "/24", true, -EINVAL, 0, NULL },
};

static void test_parse_addr(void)
{
	char buf[ADDR_STRLEN], desc[96];
	struct ipaddr a;
	size_t i;

	for (i = 0; i < N(addr_cases); i++) {
		const struct addr_case *c = &addr_cases[i];
		int ret = c->prefix ? parse_prefix(c->in, &a) :
				      parse_addr(c->in, &a);

		snprintf(desc, sizeof(desc), "%s(\"%s\")",
			 c->prefix ? "parse_prefix" : "parse_addr", c->in);
		expect(ret == c->ret &&
		       (!c->out || (a.family == c->family &&
				    !strcmp(format_addr(&a, true, buf), c->out))),
		       desc);
	}
}

static void test_format_addr(void)
{
	static const uint8_t v4[4] = { 192, 0, 2, 1 };
	static const uint8_t v6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	char buf[ADDR_STRLEN];
	struct ipaddr a;

	expect(addr_from_bytes(&a, v4, sizeof(v4)) &&
	       !strcmp(format_addr(&a, false, buf), "192.0.2.1"),
	       "an attribute of 4 bytes is IPv4");
	expect(addr_from_bytes(&a, v6, sizeof(v6)) &&
	       !strcmp(format_addr(&a, false, buf), "2001:db8::1"),
	       "an attribute of 16 bytes is IPv6");
	expect(!addr_from_bytes(&a, v6, 8), "an attribute of 8 bytes is no address");
	expect(!parse_addr("2001:db8::1", &a) && addr_len(&a) == 16 &&
	       !parse_addr("192.0.2.1", &a) && addr_len(&a) == 4,
	       "address lengths on the wire");
}

struct encap_case {
	const char *in;
	int ret;
	uint32_t out;
};

static const struct encap_case encap_cases[] = {
	{ "geneve", 0, NETVIRT_ENCAP_GENEVE },
	{ "vxlan", 0, NETVIRT_ENCAP_VXLAN },
	{ "GENEVE", -EINVAL, 0 },
	{ "gen", -EINVAL, 0 },
	{ "vxlan ", -EINVAL, 0 },
	{ "gre", -EINVAL, 0 },
	{ "0", -EINVAL, 0 },
	{ "", -EINVAL, 0 },
};

static void test_parse_encap(void)
{
	char desc[96];
	uint32_t out;
	size_t i;

	for (i = 0; i < N(encap_cases); i++) {
		const struct encap_case *c = &encap_cases[i];
		int ret = parse_encap(c->in, &out);

		snprintf(desc, sizeof(desc), "parse_encap(\"%s\")", c->in);
		expect(ret == c->ret &&
		       (ret || (out == c->out &&
				!strcmp(format_encap(out), c->in))), desc);
	}
	expect(!strcmp(format_encap(NETVIRT_ENCAP_MAX + 1), "unknown"),
	       "an encapsulation newer than nvctl is unknown");
}

struct range_case {
	const char *in;
	int ret;
	uint32_t lo, hi;
};

static const struct range_case range_cases[] = {
	{ "80", 0, 80, 80 },
	{ "0", 0, 0, 0 },
	{ "65535", 0, 65535, 65535 },
	{ "1000-2000", 0, 1000, 2000 },
	{ "80-80", 0, 80, 80 },
	{ "0x50-0x51", 0, 80, 81 },
	{ "0-65535", 0, 0, 65535 },
	{ "90-80", -EDOM, 0, 0 },
	{ "65536", -ERANGE, 0, 0 },
	{ "1-65536", -ERANGE, 0, 0 },
	{ "80-", -EINVAL, 0, 0 },
	{ "-80", -EINVAL, 0, 0 },
	{ "1-2-3", -EINVAL, 0, 0 },
	{ "http", -EINVAL, 0, 0 },
	{ "", -EINVAL, 0, 0 },
	{ "80 ", -EINVAL, 0, 0 },
	{ "99999999999999999999", -EINVAL, 0, 0 },
};

static void test_parse_port_range(void)
{
	struct port_range r;
	char desc[96];
	size_t i;

	for (i = 0; i < N(range_cases); i++) {
		const struct range_case *c = &range_cases[i];
		int ret = parse_port_range(c->in, &r);

		snprintf(desc, sizeof(desc), "parse_port_range(\"%s\")", c->in);
		expect(ret == c->ret && (ret || (r.lo == c->lo && r.hi == c->hi)),
		       desc);
	}
}

struct proto_case {
	const char *in;
	int ret;
	uint32_t out;
	bool ports, icmp;
};

static const struct proto_case proto_cases[] = {
	{ "tcp", 0, 6, true, false },
	{ "udp", 0, 17, true, false },
	{ "icmp", 0, 1, false, true },
	{ "icmpv6", 0, 58, false, true },
	{ "sctp", 0, 132, true, false },
	{ "udplite", 0, 136, true, false },
	{ "dccp", 0, 33, true, false },
	{ "any", 0, PROTO_ANY, false, false },
	{ "6", 0, 6, true, false },
	{ "47", 0, 47, false, false },
	{ "0", 0, 0, false, false },
	{ "255", 0, 255, false, false },
	{ "256", -EINVAL, 0, false, false },
	{ "TCP", -EINVAL, 0, false, false },
	{ "gre", -EINVAL, 0, false, false },
	{ "", -EINVAL, 0, false, false },
};

static void test_parse_proto(void)
{
	char desc[96];
	uint32_t out;
	size_t i;

	for (i = 0; i < N(proto_cases); i++) {
		const struct proto_case *c = &proto_cases[i];
		int ret = parse_proto(c->in, &out);

		snprintf(desc, sizeof(desc), "parse_proto(\"%s\")", c->in);
		expect(ret == c->ret &&
		       (ret || (out == c->out && proto_has_ports(out) == c->ports &&
				proto_is_icmp(out) == c->icmp)), desc);
	}
	expect(!strcmp(format_proto(132), "sctp") && !format_proto(47),
	       "format_proto: a name, or none for a protocol without one");
}

static void test_fw_names(void)
{
	uint32_t v;

	expect(!parse_fw_dir("in", &v) && v == NETVIRT_FW_DIR_IN &&
	       !parse_fw_dir("out", &v) && v == NETVIRT_FW_DIR_OUT &&
	       parse_fw_dir("both", &v) == -EINVAL, "parse_fw_dir");
	expect(!parse_fw_action("allow", &v) && v == NETVIRT_FW_ALLOW &&
	       !parse_fw_action("deny", &v) && v == NETVIRT_FW_DENY &&
	       !parse_fw_action("reject", &v) && v == NETVIRT_FW_REJECT &&
	       parse_fw_action("drop", &v) == -EINVAL, "parse_fw_action");
	expect(!strcmp(format_fw_dir(NETVIRT_FW_DIR_MAX + 1), "unknown") &&
	       !strcmp(format_fw_action(NETVIRT_FW_ACTION_MAX + 1), "unknown"),
	       "a direction or action newer than nvctl is unknown");
}

static void test_matches(void)
{
	expect(matches("tenant", "tenant"), "keyword matches itself");
	expect(!matches("ten", "tenant"), "prefix of a keyword does not match");
	expect(!matches("tenants", "tenant"), "longer word does not match");
	expect(!matches(NULL, "tenant"), "missing argument does not match");
	expect(is_help("help") && is_help("-h") && is_help("-help") &&
	       is_help("--help"), "help spellings");
	expect(!is_help("helper") && !is_help("-he") && !is_help(NULL),
	       "words that are not help");
}

int main(void)
{
	printf("TAP version 13\n");
	test_parse_u32();
	test_parse_name();
	test_parse_mac();
	test_parse_addr();
	test_format_addr();
	test_parse_encap();
	test_parse_port_range();
	test_parse_proto();
	test_fw_names();
	test_matches();
	test_messages();
	test_conf();
	printf("1..%d\n", n);
	return failed ? 1 : 0;
}
