// SPDX-License-Identifier: GPL-2.0
/*
 * The command line after the object: commands, keywords and their
 * values. Every value that does not parse gets its own Error line, and
 * the command exits 2 before any netlink traffic.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>

#include <linux/netvirt.h>

#include "args.h"
#include "utils.h"

#define VNI_MAX		((1u << 24) - 1)

static const char *const what[] = {
	[ARG_FLAG] = "flag",
	[ARG_NAME] = "tenant name",
	[ARG_DEV] = "device name",
	[ARG_ID] = "tenant id",
	[ARG_VNI] = "VNI",
	[ARG_MAC] = "MAC address",
	[ARG_ADDR] = "IP address",
	[ARG_ADDRS] = "IP address",
	[ARG_PREFIX] = "prefix",
	[ARG_ENCAP] = "encapsulation",
	[ARG_PORT] = "UDP port",
	[ARG_PRIO] = "priority",
	[ARG_HANDLE] = "rule handle",
	[ARG_DIR] = "direction",
	[ARG_ACTION] = "action",
	[ARG_POLICY] = "policy",
	[ARG_PROTO] = "protocol",
	[ARG_PORTS] = "port range",
	[ARG_FW_ADDR] = "prefix or @group",
	[ARG_ICMP_TYPE] = "ICMP type",
	[ARG_GROUP] = "group name",
	[ARG_PGROUP] = "port group name",
	[ARG_COUNT] = "event count",
	[ARG_NAT_PROTO] = "protocol",
	[ARG_NAT_PORT] = "port",
	[ARG_NAT_PORTS] = "port range",
};

const char *args_peek(const struct args *a)
{
	return a->argc ? a->argv[0] : NULL;
}

const char *args_pop(struct args *a)
{
	if (!a->argc)
		return NULL;
	a->argc--;
	return *a->argv++;
}

static int name_value(enum arg_type type, const char *s, char *name)
{
	int ret = parse_name(s, name);

	if (ret == -ENAMETOOLONG)
		return usage_error("%s \"%s\" is too long (%d bytes at most)",
				   what[type], s, NAME_SIZE - 1);
	if (ret)
		return usage_error("invalid %s \"%s\"", what[type], s);
	return EXIT_OK;
}

static int u32_value(enum arg_type type, const char *s, uint32_t min,
		     uint32_t max, uint32_t *v)
{
	int ret = parse_u32(s, min, max, v);

	if (ret == -ERANGE)
		return usage_error("%s \"%s\" is out of range (%u-%u)",
				   what[type], s, min, max);
	if (ret)
		return usage_error("invalid %s \"%s\"", what[type], s);
	return EXIT_OK;
}

static int mac_value(const char *s, uint8_t *mac)
{
	int ret = parse_mac(s, mac);

	if (ret == -EDOM)
		return usage_error("\"%s\" is not a unicast MAC address", s);
	if (ret)
		return usage_error("invalid MAC address \"%s\" (XX:XX:XX:XX:XX:XX)",
				   s);
	return EXIT_OK;
}

static int addr_value(const char *s, struct ipaddr *a)
{
	if (parse_addr(s, a))
		return usage_error("invalid IP address \"%s\"", s);
	return EXIT_OK;
}

static int addrs_value(const char *s, struct addr_list *l)
{
	if (l->n == ARGS_MAX_ADDRS)
		return usage_error("too many IP addresses (%d at most)",
				   ARGS_MAX_ADDRS);
	if (addr_value(s, &l->addr[l->n]))
		return EXIT_USAGE;
	l->n++;
	return EXIT_OK;
}

static int prefix_value(const char *s, struct ipaddr *a)
{
	char buf[ADDR_STRLEN];
	int ret = parse_prefix(s, a);

	if (ret == -EDOM)
		return usage_error("prefix \"%s\" has host bits set; did you mean %s?",
				   s, format_addr(a, true, buf));
	if (ret == -ERANGE)
		return usage_error("invalid prefix length in \"%s\"", s);
	if (ret)
		return usage_error("invalid prefix \"%s\"", s);
	return EXIT_OK;
}

static int encap_value(const char *s, uint32_t *encap)
{
	if (parse_encap(s, encap))
		return usage_error("invalid encapsulation \"%s\" (geneve or vxlan)",
				   s);
	return EXIT_OK;
}

static int dir_value(const char *s, uint32_t *dir)
{
	if (parse_fw_dir(s, dir))
		return usage_error("invalid direction \"%s\" (in or out)", s);
	return EXIT_OK;
}

static int action_value(const char *s, uint32_t *action)
{
	if (parse_fw_action(s, action))
		return usage_error("invalid action \"%s\" (allow, deny or reject)",
				   s);
	return EXIT_OK;
}

/* What no rule matches: allowed or denied; a policy does not reject. */
static int policy_value(const char *s, uint32_t *policy)
{
	if (parse_fw_action(s, policy) || *policy == NETVIRT_FW_REJECT)
		return usage_error("invalid policy \"%s\" (allow or deny)", s);
	return EXIT_OK;
}

static int proto_value(const char *s, uint32_t *proto)
{
	if (parse_proto(s, proto))
		return usage_error("invalid protocol \"%s\" (tcp, udp, icmp, icmpv6, sctp, udplite, dccp, any or 0-255)",
				   s);
	return EXIT_OK;
}

static int ports_value(const char *s, struct port_range *r)
{
	int ret = parse_port_range(s, r);

	if (ret == -ERANGE)
		return usage_error("port range \"%s\" is out of range (0-65535)",
				   s);
	if (ret == -EDOM)
		return usage_error("invalid port range \"%s\": the first port is above the last",
				   s);
	if (ret)
		return usage_error("invalid port range \"%s\" (PORT or PORT-PORT)",
				   s);
	return EXIT_OK;
}

/* NAT translates the ports of TCP and UDP alone. */
static int nat_proto_value(const char *s, uint32_t *proto)
{
	if (parse_proto(s, proto) || (*proto != IPPROTO_TCP &&
				      *proto != IPPROTO_UDP))
		return usage_error("invalid protocol \"%s\" (tcp or udp)", s);
	return EXIT_OK;
}

/* A NAT port range: port 0 is no port a connection can have. */
static int nat_ports_value(const char *s, struct port_range *r)
{
	int ret = parse_port_range(s, r);

	if (ret == -ERANGE || (!ret && !r->lo))
		return usage_error("port range \"%s\" is out of range (1-65535)",
				   s);
	return ret ? ports_value(s, r) : EXIT_OK;
}

/* @NAME is a group, anything else a prefix. */
static int fw_addr_value(const char *s, struct fw_addr *fa)
{
	int ret;

	if (s[0] != '@')
		return prefix_value(s, &fa->prefix);
	ret = parse_name(s + 1, fa->group);
	if (ret == -ENAMETOOLONG)
		return usage_error("group name \"%s\" is too long (%d bytes at most)",
				   s + 1, NAME_SIZE - 1);
	if (ret)
		return usage_error("invalid group name \"%s\"", s);
	return EXIT_OK;
}

static int parse_value(enum arg_type type, const char *s, void *dst)
{
	switch (type) {
	case ARG_NAME:
	case ARG_DEV:
	case ARG_GROUP:
	case ARG_PGROUP:
		return name_value(type, s, dst);
	case ARG_ID:
		return u32_value(type, s, 1, UINT16_MAX, dst);
	case ARG_VNI:
		return u32_value(type, s, 0, VNI_MAX, dst);
	case ARG_MAC:
		return mac_value(s, dst);
	case ARG_ADDR:
		return addr_value(s, dst);
	case ARG_ADDRS:
		return addrs_value(s, dst);
	case ARG_PREFIX:
		return prefix_value(s, dst);
	case ARG_ENCAP:
		return encap_value(s, dst);
	case ARG_PORT:
		return u32_value(type, s, 1, UINT16_MAX, dst);
	case ARG_PRIO:
	case ARG_HANDLE:
		return u32_value(type, s, 0, UINT32_MAX, dst);
	case ARG_DIR:
		return dir_value(s, dst);
	case ARG_ACTION:
		return action_value(s, dst);
	case ARG_POLICY:
		return policy_value(s, dst);
	case ARG_PROTO:
		return proto_value(s, dst);
	case ARG_PORTS:
		return ports_value(s, dst);
	case ARG_FW_ADDR:
		return fw_addr_value(s, dst);
	case ARG_ICMP_TYPE:
		return u32_value(type, s, 0, UINT8_MAX, dst);
	case ARG_COUNT:
		return u32_value(type, s, 1, UINT32_MAX, dst);
	case ARG_NAT_PROTO:
		return nat_proto_value(s, dst);
	case ARG_NAT_PORT:
		return u32_value(type, s, 1, UINT16_MAX, dst);
	case ARG_NAT_PORTS:
		return nat_ports_value(s, dst);
	case ARG_FLAG:
		break;
	}
	*(bool *)dst = true;
	return EXIT_OK;
}

/* The next argument, a value of @type; @keyword introduced it, or NULL. */
int args_value(struct args *a, enum arg_type type, const char *keyword,
	       void *dst)
{
	const char *s = args_pop(a);

	if (!s && keyword)
		return usage_error("missing %s after \"%s\"", what[type],
				   keyword);
	if (!s)
		return usage_error("missing %s", what[type]);
	if (is_help(s))
		return usage_help_misplaced(s, a->object);
	return parse_value(type, s, dst);
}

static const struct keyword *find_keyword(const struct keyword *kws, size_t n,
					  const char *arg)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (matches(arg, kws[i].name))
			return &kws[i];
	return NULL;
}

static int keyword_value(struct args *a, const struct keyword *kw, void *obj)
{
	void *dst = (char *)obj + kw->offset;

	if (kw->type == ARG_FLAG)
		return parse_value(kw->type, NULL, dst);
	return args_value(a, kw->type, kw->name, dst);
}

/* The rest of the line: keywords of @kws (at most 32) with their values. */
int args_keywords(struct args *a, const struct keyword *kws, size_t n,
		  void *obj)
{
	uint32_t seen;

	return args_keywords_seen(a, kws, n, obj, &seen);
}

/*
 * As args_keywords(); @seen gets bit i for each kws[i] given, for values
 * that have no "not given" of their own.
 */
int args_keywords_seen(struct args *a, const struct keyword *kws, size_t n,
		       void *obj, uint32_t *seen)
{
	const struct keyword *kw;
	const char *arg;
	uint32_t bit;
	size_t i;

	*seen = 0;
	if (!n)
		return args_end(a);
	while ((arg = args_pop(a))) {
		kw = find_keyword(kws, n, arg);
		if (!kw)
			return args_unknown(a, arg);
		bit = 1u << (kw - kws);
		if ((*seen & bit) && !(kw->flags & KW_REPEAT))
			return usage_error("\"%s\" is given twice", arg);
		*seen |= bit;
		if (keyword_value(a, kw, obj))
			return EXIT_USAGE;
	}
	for (i = 0; i < n; i++)
		if ((kws[i].flags & KW_REQUIRED) && !(*seen & (1u << i)))
			return usage_error("\"%s\" is required", kws[i].name);
	return EXIT_OK;
}

/* `NAME KEYWORD VALUE...`: the object's name of @type, then @kws. */
int args_object(struct args *a, enum arg_type type, char *name,
		const struct keyword *kws, size_t n, void *obj)
{
	if (args_value(a, type, NULL, name))
		return EXIT_USAGE;
	return args_keywords(a, kws, n, obj);
}

/* A keyword the grammar puts here, such as "tenant" in route commands. */
int args_expect(struct args *a, const char *keyword)
{
	const char *arg = args_pop(a);

	if (!arg)
		return usage_error("\"%s\" is required", keyword);
	if (!matches(arg, keyword))
		return usage_error("expected \"%s\" instead of \"%s\"", keyword,
				   arg);
	return EXIT_OK;
}

int args_end(const struct args *a)
{
	return a->argc ? usage_extra(a->argv[0], a->object) : EXIT_OK;
}

int args_unknown(const struct args *a, const char *arg)
{
	return usage_error("unknown keyword \"%s\"; try \"nvctl %s help\"", arg,
			   a->object);
}

/**
 * parse_gen() - "gen N": the generation a change must find
 * @a: the arguments, at N
 * @gen: N
 *
 * Return: EXIT_OK, or EXIT_USAGE after saying why.
 */
int parse_gen(struct args *a, uint64_t *gen)
{
	const char *v = args_pop(a);

	if (!v)
		return usage_error("\"gen\" needs a generation");
	if (parse_u64(v, gen))
		return usage_error("invalid generation \"%s\"", v);
	return EXIT_OK;
}
