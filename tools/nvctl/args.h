/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NVCTL_ARGS_H
#define NVCTL_ARGS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "nvctl.h"
#include "parse.h"

/* Addresses one command line may give; the module has its own limit. */
#define ARGS_MAX_ADDRS	64

/**
 * struct args - the rest of the command line
 * @argc: arguments left
 * @argv: the next one first
 * @object: the object, for "try nvctl OBJECT help"
 */
struct args {
	int argc;
	char **argv;
	const char *object;
};

/* The values of the grammar; each has its own Error wording. */
enum arg_type {
	ARG_FLAG,	/* bool, a keyword without a value */
	ARG_NAME,	/* char[NAME_SIZE], a tenant name */
	ARG_DEV,	/* char[NAME_SIZE], a device name */
	ARG_ID,		/* uint32_t, a tenant id */
	ARG_VNI,	/* uint32_t */
	ARG_MAC,	/* uint8_t[MAC_LEN], unicast */
	ARG_ADDR,	/* struct ipaddr */
	ARG_ADDRS,	/* struct addr_list, appended to */
	ARG_PREFIX,	/* struct ipaddr */
	ARG_ENCAP,	/* uint32_t, NETVIRT_ENCAP_* */
	ARG_PORT,	/* uint32_t, a UDP port */
	ARG_PRIO,	/* uint32_t, a firewall rule's priority */
	ARG_HANDLE,	/* uint32_t, a firewall rule's handle */
	ARG_DIR,	/* uint32_t, NETVIRT_FW_DIR_* */
	ARG_ACTION,	/* uint32_t, NETVIRT_FW_ALLOW, _DENY or _REJECT */
	ARG_POLICY,	/* uint32_t, NETVIRT_FW_ALLOW or _DENY */
	ARG_PROTO,	/* uint32_t, an IP protocol or PROTO_ANY */
	ARG_PORTS,	/* struct port_range */
	ARG_FW_ADDR,	/* struct fw_addr */
	ARG_ICMP_TYPE,	/* uint32_t, 0-255 */
	ARG_GROUP,	/* char[NAME_SIZE], a firewall group name */
	ARG_PGROUP,	/* char[NAME_SIZE], a firewall port group name */
	ARG_COUNT,	/* uint32_t, at least 1 */
	ARG_NAT_PROTO,	/* uint32_t, IPPROTO_TCP or IPPROTO_UDP */
	ARG_NAT_PORT,	/* uint32_t, a TCP or UDP port, 1-65535 */
	ARG_NAT_PORTS,	/* struct port_range, within 1-65535 */
};

struct addr_list {
	unsigned int n;
	struct ipaddr addr[ARGS_MAX_ADDRS];
};

/**
 * struct fw_addr - a firewall rule's source or destination
 * @group: a group's name ("@NAME" on the command line), or ""
 * @prefix: else the prefix; family 0 when neither is given
 */
struct fw_addr {
	char group[NAME_SIZE];
	struct ipaddr prefix;
};

#define KW_REQUIRED	(1 << 0)
#define KW_REPEAT	(1 << 1)

/**
 * struct keyword - "KEYWORD VALUE" in any order, see args_keywords()
 * @name: the keyword
 * @type: its value
 * @offset: where the value goes in the command's structure
 * @flags: KW_REQUIRED, KW_REPEAT
 */
struct keyword {
	const char *name;
	enum arg_type type;
	size_t offset;
	unsigned int flags;
};

/* All return EXIT_OK, or EXIT_USAGE after printing why. */
const char *args_peek(const struct args *a);
const char *args_pop(struct args *a);
int args_value(struct args *a, enum arg_type type, const char *keyword,
	       void *dst);
int args_keywords(struct args *a, const struct keyword *kws, size_t n,
		  void *obj);
int args_keywords_seen(struct args *a, const struct keyword *kws, size_t n,
		       void *obj, uint32_t *seen);
int args_object(struct args *a, enum arg_type type, char *name,
		const struct keyword *kws, size_t n, void *obj);
int args_expect(struct args *a, const char *keyword);
int args_end(const struct args *a);
int args_unknown(const struct args *a, const char *arg);
int parse_gen(struct args *a, uint64_t *gen);

#endif
