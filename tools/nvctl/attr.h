/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NVCTL_ATTR_H
#define NVCTL_ATTR_H

#include <stdint.h>
#include <libmnl/libmnl.h>

#include "parse.h"

/* What an attribute of a reply holds, and so how it is checked and printed. */
enum attr_kind {
	A_NONE,		/* unknown to nvctl: ignored */
	A_STR,		/* NUL-terminated string */
	A_UINT,		/* u8, u16, u32 or u64 */
	A_MAC,		/* 6 bytes */
	A_ADDR,		/* IPv4 (4 bytes) or IPv6 (16 bytes) */
	A_IFINDEX,	/* u32, printed as the device's name */
	A_NEST,		/* printed by the object's own code */
	A_FLAG,		/* no payload: true when there */
};

/**
 * struct attr_spec - one attribute of a nest, indexed by its type
 * @kind: what it holds
 * @key: JSON key; NULL: attrs_print() leaves it to the caller
 * @fmt: text format (%s, or %llu for A_UINT); NULL: JSON only
 */
struct attr_spec {
	enum attr_kind kind;
	const char *key;
	const char *fmt;
};

int reply_parse(const struct nlmsghdr *nlh, uint16_t type,
		const struct attr_spec *spec, uint16_t max,
		const struct nlattr **tb);
void attrs_parse(const struct nlattr *nest, const struct attr_spec *spec,
		 uint16_t max, const struct nlattr **tb);
void attrs_print(const struct nlattr *const *tb, const struct attr_spec *spec,
		 uint16_t max);
bool attr_valid(const struct nlattr *attr, enum attr_kind kind);
uint64_t attr_uint(const struct nlattr *attr);
bool attr_addr(const struct nlattr *attr, struct ipaddr *a);

/**
 * struct reply_printer - prints each reply as one line, or array element
 * @type: the object nest of the reply, NETVIRT_A_*
 * @spec: its attributes
 * @max: the highest attribute type of the nest
 * @more: prints what @spec leaves to the object, or NULL
 */
struct reply_printer {
	uint16_t type;
	const struct attr_spec *spec;
	uint16_t max;
	void (*more)(const struct nlattr *const *tb);
};

#define ATTR_TB_SIZE	32

int print_reply_cb(const struct nlmsghdr *nlh, void *printer);
void print_addr(const char *key, const char *fmt, const struct ipaddr *a,
		bool prefix);
void print_addr_attr(const char *key, const char *fmt,
		     const struct nlattr *in, const struct nlattr *in6);
void print_ifindex(const char *key, const char *index_key, const char *fmt,
		   uint32_t ifindex);
/* cmd_stats.c: the counters of a nest with NETVIRT_A_STATS_* attributes. */
void print_counters(const struct nlattr *nest);
/* cmd_stats.c: enum netvirt_drop_reason by the name nvctl stats prints. */
#define DROP_NAME_SIZE	32
const char *format_drop_reason(uint64_t reason, char buf[DROP_NAME_SIZE]);

void attr_put_addr(struct nlmsghdr *nlh, uint16_t type4, uint16_t type6,
		   const struct ipaddr *a);

#endif
