// SPDX-License-Identifier: GPL-2.0
/* The values of the grammar: parsed from the command line, formatted back. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netvirt.h>

#include "parse.h"

/* enum netvirt_encap */
static const char *const encap_names[] = {
	[NETVIRT_ENCAP_GENEVE] = "geneve",
	[NETVIRT_ENCAP_VXLAN] = "vxlan",
};

_Static_assert(sizeof(encap_names) / sizeof(encap_names[0]) ==
	       NETVIRT_ENCAP_MAX + 1, "an encapsulation without a name");

/* enum netvirt_fw_dir, as seen from the VM */
static const char *const fw_dir_names[] = {
	[NETVIRT_FW_DIR_IN] = "in",
	[NETVIRT_FW_DIR_OUT] = "out",
};

_Static_assert(sizeof(fw_dir_names) / sizeof(fw_dir_names[0]) ==
	       NETVIRT_FW_DIR_MAX + 1, "a direction without a name");

/* enum netvirt_fw_action; a tenant's policy is allow or deny */
static const char *const fw_action_names[] = {
	[NETVIRT_FW_ALLOW] = "allow",
	[NETVIRT_FW_DENY] = "deny",
	[NETVIRT_FW_REJECT] = "reject",
};

_Static_assert(sizeof(fw_action_names) / sizeof(fw_action_names[0]) ==
	       NETVIRT_FW_ACTION_MAX + 1, "an action without a name");

/* The protocols a rule names; any other goes by its number. */
static const struct {
	const char *name;
	uint8_t number;
	bool ports;		/* has source and destination ports */
} protos[] = {
	{ "icmp", 1, false },
	{ "tcp", 6, true },
	{ "udp", 17, true },
	{ "dccp", 33, true },
	{ "icmpv6", 58, false },
	{ "sctp", 132, true },
	{ "udplite", 136, true },
};

#define N_PROTOS	(sizeof(protos) / sizeof(protos[0]))

/* Decimal or 0x hex, no sign, no trailing garbage, within [min, max]. */
int parse_u64(const char *s, uint64_t *out)
{
	unsigned long long v;
	int base = 10;
	char *end;

	if (!s)
		return -EINVAL;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		base = 16;
	}
	/* strtoull would take a sign, blanks, and a leading 0 as octal. */
	if (!isxdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, base);
	if (errno || *end)
		return -EINVAL;
	*out = v;
	return 0;
}

int parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out)
{
	uint64_t v;
	int ret = parse_u64(s, &v);

	if (ret)
		return ret;
	if (v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

/* Names are printed between blanks: no blank or control character. */
int parse_name(const char *s, char name[NAME_SIZE])
{
	size_t i, len = strlen(s);

	if (!len)
		return -EINVAL;
	for (i = 0; i < len; i++)
		if (isspace((unsigned char)s[i]) || iscntrl((unsigned char)s[i]))
			return -EINVAL;
	if (len >= NAME_SIZE)
		return -ENAMETOOLONG;
	memcpy(name, s, len + 1);
	return 0;
}

static int hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Exactly XX:XX:XX:XX:XX:XX; a port or router MAC is unicast. */
int parse_mac(const char *s, uint8_t mac[MAC_LEN])
{
	static const uint8_t zero[MAC_LEN];
	int i, hi, lo;

	if (strlen(s) != MAC_STRLEN - 1)
		return -EINVAL;
	for (i = 0; i < MAC_LEN; i++, s += 3) {
		hi = hex(s[0]);
		lo = hex(s[1]);
		if (hi < 0 || lo < 0 || (i < MAC_LEN - 1 && s[2] != ':'))
			return -EINVAL;
		mac[i] = hi << 4 | lo;
	}
	if ((mac[0] & 1) || !memcmp(mac, zero, MAC_LEN))
		return -EDOM;
	return 0;
}

size_t addr_len(const struct ipaddr *a)
{
	return a->family == AF_INET ? 4 : 16;
}

/* From an attribute's payload: 4 bytes are IPv4, 16 are IPv6. */
bool addr_from_bytes(struct ipaddr *a, const void *bytes, size_t len)
{
	if (len != 4 && len != 16)
		return false;
	memset(a, 0, sizeof(*a));
	a->family = len == 4 ? AF_INET : AF_INET6;
	a->plen = len * 8;
	memcpy(a->bytes, bytes, len);
	return true;
}

int parse_addr(const char *s, struct ipaddr *a)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, s, a->bytes) == 1)
		a->family = AF_INET;
	else if (inet_pton(AF_INET6, s, a->bytes) == 1)
		a->family = AF_INET6;
	else
		return -EINVAL;
	a->plen = addr_len(a) * 8;
	return 0;
}

/* Clears the bits past the prefix length; whether there were any. */
static bool clear_host_bits(struct ipaddr *a)
{
	bool set = false;
	unsigned int i;

	for (i = a->plen; i < addr_len(a) * 8; i++) {
		set |= a->bytes[i / 8] & (0x80 >> (i % 8));
		a->bytes[i / 8] &= ~(0x80 >> (i % 8));
	}
	return set;
}

/* ADDR[/LEN]; without LEN a host prefix. */
int parse_prefix(const char *s, struct ipaddr *a)
{
	const char *slash = strchr(s, '/');
	char addr[ADDR_STRLEN];
	uint32_t plen;
	int ret;

	if (!slash)
		return parse_addr(s, a);
	if ((size_t)(slash - s) >= sizeof(addr))
		return -EINVAL;
	memcpy(addr, s, slash - s);
	addr[slash - s] = '\0';
	ret = parse_addr(addr, a);
	if (ret)
		return ret;
	if (strspn(slash + 1, "0123456789") != strlen(slash + 1))
		return -EINVAL;
	ret = parse_u32(slash + 1, 0, a->plen, &plen);
	if (ret)
		return ret;
	a->plen = plen;
	return clear_host_bits(a) ? -EDOM : 0;
}

/* An encapsulation by name: NETVIRT_ENCAP_*. */
int parse_encap(const char *s, uint32_t *encap)
{
	uint32_t i;

	for (i = 0; i <= NETVIRT_ENCAP_MAX; i++) {
		if (!strcmp(s, encap_names[i])) {
			*encap = i;
			return 0;
		}
	}
	return -EINVAL;
}

/* Index of @s in @names, exact match; -EINVAL when it is none. */
static int parse_choice(const char *s, const char *const *names, size_t n,
			uint32_t *out)
{
	size_t i;

	for (i = 0; s && i < n; i++) {
		if (!strcmp(s, names[i])) {
			*out = i;
			return 0;
		}
	}
	return -EINVAL;
}

static const char *format_choice(const char *const *names, size_t n,
				 uint64_t v)
{
	return v < n ? names[v] : "unknown";
}

/* A decimal or hex port, 0-65535, from @s up to @end. */
static int parse_port(const char *s, const char *end, uint32_t *port)
{
	char buf[16];

	if (end == s || (size_t)(end - s) >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, end - s);
	buf[end - s] = '\0';
	return parse_u32(buf, 0, UINT16_MAX, port);
}

/* PORT or LO-HI. */
int parse_port_range(const char *s, struct port_range *r)
{
	const char *dash = strchr(s, '-');
	const char *end = s + strlen(s);
	int ret;

	ret = parse_port(s, dash ? dash : end, &r->lo);
	if (ret)
		return ret;
	if (!dash) {
		r->hi = r->lo;
		return 0;
	}
	ret = parse_port(dash + 1, end, &r->hi);
	if (ret)
		return ret;
	return r->lo > r->hi ? -EDOM : 0;
}

int parse_fw_dir(const char *s, uint32_t *dir)
{
	return parse_choice(s, fw_dir_names,
			    sizeof(fw_dir_names) / sizeof(fw_dir_names[0]), dir);
}

int parse_fw_action(const char *s, uint32_t *action)
{
	return parse_choice(s, fw_action_names,
			    sizeof(fw_action_names) / sizeof(fw_action_names[0]),
			    action);
}

/* A name of protos[], "any", or a number 0-255. */
int parse_proto(const char *s, uint32_t *proto)
{
	size_t i;

	if (!strcmp(s, "any")) {
		*proto = PROTO_ANY;
		return 0;
	}
	for (i = 0; i < N_PROTOS; i++) {
		if (!strcmp(s, protos[i].name)) {
			*proto = protos[i].number;
			return 0;
		}
	}
	return parse_u32(s, 0, UINT8_MAX, proto) ? -EINVAL : 0;
}

bool proto_has_ports(uint32_t proto)
{
	size_t i;

	for (i = 0; i < N_PROTOS; i++)
		if (protos[i].number == proto)
			return protos[i].ports;
	return false;
}

bool proto_is_icmp(uint32_t proto)
{
	return proto == 1 || proto == 58;
}

char *format_mac(const uint8_t mac[MAC_LEN], char buf[MAC_STRLEN])
{
	snprintf(buf, MAC_STRLEN, "%02x:%02x:%02x:%02x:%02x:%02x",
		 mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
	return buf;
}

/* With @prefix, "/LEN" follows the address. */
char *format_addr(const struct ipaddr *a, bool prefix, char buf[ADDR_STRLEN])
{
	size_t len;

	if (!inet_ntop(a->family, a->bytes, buf, ADDR_STRLEN)) {
		snprintf(buf, ADDR_STRLEN, "?");
		return buf;
	}
	len = strlen(buf);
	if (prefix)
		snprintf(buf + len, ADDR_STRLEN - len, "/%u", a->plen);
	return buf;
}

/* "unknown" for a value newer than nvctl. */
const char *format_encap(uint64_t encap)
{
	return encap <= NETVIRT_ENCAP_MAX ? encap_names[encap] : "unknown";
}

const char *format_fw_dir(uint64_t dir)
{
	return format_choice(fw_dir_names,
			     sizeof(fw_dir_names) / sizeof(fw_dir_names[0]), dir);
}

const char *format_fw_action(uint64_t action)
{
	return format_choice(fw_action_names,
			     sizeof(fw_action_names) / sizeof(fw_action_names[0]),
			     action);
}

/* The protocol's name; NULL when nvctl has none for it. */
const char *format_proto(uint64_t proto)
{
	size_t i;

	for (i = 0; i < N_PROTOS; i++)
		if (protos[i].number == proto)
			return protos[i].name;
	return NULL;
}
