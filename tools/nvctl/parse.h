/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NVCTL_PARSE_H
#define NVCTL_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Tenant and device names, as IFNAMSIZ: 15 bytes and the NUL. */
#define NAME_SIZE	16
#define MAC_LEN		6
#define MAC_STRLEN	18
#define ADDR_STRLEN	50	/* INET6_ADDRSTRLEN, "/128" */

/**
 * struct ipaddr - an IPv4 or IPv6 address or prefix
 * @family: AF_INET or AF_INET6
 * @plen: prefix length; the full length for an address
 * @bytes: the address in network order, IPv4 in the first four bytes
 */
struct ipaddr {
	int family;
	unsigned int plen;
	uint8_t bytes[16];
};

/* A port range of a firewall rule; a single port has @lo == @hi. */
struct port_range {
	uint32_t lo;
	uint32_t hi;
};

/* "proto any": the rule leaves the protocol out. */
#define PROTO_ANY	UINT32_MAX

/*
 * The parsers return 0, -EINVAL for a malformed value (parse_encap: a
 * name other than geneve or vxlan), and:
 * parse_u32 -ERANGE outside [min, max]; parse_name -ENAMETOOLONG;
 * parse_mac -EDOM for a multicast or zero MAC; parse_prefix -ERANGE for
 * a prefix length over the family's, -EDOM for host bits set (@a then
 * holds the prefix without them); parse_port_range -ERANGE for a port
 * over 65535, -EDOM for a range whose first port is above its last.
 * parse_fw_dir, parse_fw_action and parse_proto take the names nvctl
 * prints; parse_proto also 0-255 and "any" (PROTO_ANY).
 */
int parse_u64(const char *s, uint64_t *out);
int parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out);
int parse_name(const char *s, char name[NAME_SIZE]);
int parse_mac(const char *s, uint8_t mac[MAC_LEN]);
int parse_addr(const char *s, struct ipaddr *a);
int parse_prefix(const char *s, struct ipaddr *a);
int parse_encap(const char *s, uint32_t *encap);
int parse_port_range(const char *s, struct port_range *r);
int parse_fw_dir(const char *s, uint32_t *dir);
int parse_fw_action(const char *s, uint32_t *action);
int parse_proto(const char *s, uint32_t *proto);
bool proto_has_ports(uint32_t proto);
bool proto_is_icmp(uint32_t proto);

size_t addr_len(const struct ipaddr *a);
bool addr_from_bytes(struct ipaddr *a, const void *bytes, size_t len);
char *format_mac(const uint8_t mac[MAC_LEN], char buf[MAC_STRLEN]);
char *format_addr(const struct ipaddr *a, bool prefix, char buf[ADDR_STRLEN]);
const char *format_encap(uint64_t encap);
const char *format_fw_dir(uint64_t dir);
const char *format_fw_action(uint64_t action);
const char *format_proto(uint64_t proto);

#endif
