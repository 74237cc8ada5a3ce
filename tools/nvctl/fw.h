/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NVCTL_FW_H
#define NVCTL_FW_H

#include <stdbool.h>
#include <stdint.h>
#include <libmnl/libmnl.h>

#include "args.h"
#include "parse.h"

/**
 * struct fw_rule - the arguments of a rule command
 * @tenant: whose firewall
 * @given: bits of enum rule_keyword: what the command line gave
 * @has_handle: a RULE_DEL request: @handle goes with @tenant
 * @handle: the rule to delete
 * @prio: evaluation order, lower first
 * @dir: NETVIRT_FW_DIR_*
 * @dev: the rule's port, by name; "": every port of the tenant (or of
 *	 @pgroup)
 * @pgroup: the port group whose ports the rule is for, or ""
 * @src: source prefix or group
 * @dst: destination prefix or group
 * @proto: IP protocol, or PROTO_ANY
 * @sport: source ports
 * @dport: destination ports
 * @icmp_type: ICMP or ICMPv6 type
 * @action: NETVIRT_FW_ALLOW, _DENY or _REJECT
 * @log: denials go to the monitor
 * @persist: the rule leaves established connections alone
 */
struct fw_rule {
	char tenant[NAME_SIZE];
	uint32_t given;
	bool has_handle;
	uint32_t handle;
	uint32_t prio;
	uint32_t dir;
	char dev[NAME_SIZE];
	char pgroup[NAME_SIZE];
	struct fw_addr src;
	struct fw_addr dst;
	uint32_t proto;
	struct port_range sport;
	struct port_range dport;
	uint32_t icmp_type;
	uint32_t action;
	bool log;
	bool persist;
};

/* cmd_fw.c: "tenant NAME", the start of every fw command. */
int parse_tenant(struct args *a, char *tenant);

/* cmd_fw_rule.c: fw rule, and the rules of fw show. */
int fw_rule(struct args *a);
int parse_rule(struct args *a, struct fw_rule *r);
void fill_rule_new(struct nlmsghdr *nlh, const void *req);
int show_rules(const char *tenant);

/* cmd_fw_rule.c: what rules, groups and events print alike. */
void print_opt_uint(const struct nlattr *attr, const char *key,
		    const char *fmt);
void print_proto(const char *key, const char *fmt, const struct nlattr *attr);
void print_port(const struct nlattr *ifname, const struct nlattr *ifindex);
void print_ports(const char *key, const char *fmt,
		 const struct nlattr *lo, const struct nlattr *hi);
void print_fw_addr(const char *key, const char *fmt,
		   const struct nlattr *nest);
/* cmd_fw_rule.c: a FW_ADDR nest's IN or IN6 and PLEN. */
void put_prefix(struct nlmsghdr *nlh, const struct ipaddr *p);

/* cmd_fw_group.c: fw group and fw pgroup. */
int fw_group(struct args *a);
int fw_pgroup(struct args *a);

/* cmd_fw_load.c: fw load. */
int fw_load(struct args *a);

#endif
