// SPDX-License-Identifier: GPL-2.0
/*
 * Attributes of replies: one spec table per nest checks them and prints
 * them in both output formats. Replies are read leniently: an attribute
 * nvctl does not know, or of an unexpected size, is left out.
 */
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/genetlink.h>

#include "attr.h"
#include "output.h"

bool attr_valid(const struct nlattr *attr, enum attr_kind kind)
{
	uint16_t len = mnl_attr_get_payload_len(attr);

	switch (kind) {
	case A_STR:
		return mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0;
	case A_UINT:
		return len == 1 || len == 2 || len == 4 || len == 8;
	case A_MAC:
		return len == MAC_LEN;
	case A_ADDR:
		return len == 4 || len == 16;
	case A_IFINDEX:
		return len == sizeof(uint32_t);
	case A_NEST:
		return mnl_attr_validate(attr, MNL_TYPE_NESTED) == 0;
	case A_FLAG:
		return len == 0;
	default:
		return false;
	}
}

struct parse {
	const struct attr_spec *spec;
	uint16_t max;
	const struct nlattr **tb;
};

static int parse_cb(const struct nlattr *attr, void *data)
{
	const struct parse *p = data;
	uint16_t type = mnl_attr_get_type(attr);

	if (type <= p->max && attr_valid(attr, p->spec[type].kind))
		p->tb[type] = attr;
	return MNL_CB_OK;
}

/* Fills @tb (max + 1 entries) with the valid attributes of @nest. */
void attrs_parse(const struct nlattr *nest, const struct attr_spec *spec,
		 uint16_t max, const struct nlattr **tb)
{
	struct parse p = { .spec = spec, .max = max, .tb = tb };

	memset(tb, 0, (max + 1) * sizeof(*tb));
	mnl_attr_parse_nested(nest, parse_cb, &p);
}

/* Parses the object nest @type of a reply; -1 when there is none. */
int reply_parse(const struct nlmsghdr *nlh, uint16_t type,
		const struct attr_spec *spec, uint16_t max,
		const struct nlattr **tb)
{
	const struct nlattr *attr;

	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(attr) == type &&
		    attr_valid(attr, A_NEST)) {
			attrs_parse(attr, spec, max, tb);
			return 0;
		}
	}
	return -1;
}

uint64_t attr_uint(const struct nlattr *attr)
{
	switch (mnl_attr_get_payload_len(attr)) {
	case 1:
		return mnl_attr_get_u8(attr);
	case 2:
		return mnl_attr_get_u16(attr);
	case 4:
		return mnl_attr_get_u32(attr);
	default:
		return mnl_attr_get_u64(attr);
	}
}

bool attr_addr(const struct nlattr *attr, struct ipaddr *a)
{
	return addr_from_bytes(a, mnl_attr_get_payload(attr),
			       mnl_attr_get_payload_len(attr));
}

void print_addr(const char *key, const char *fmt, const struct ipaddr *a,
		bool prefix)
{
	char buf[ADDR_STRLEN];

	out_str(key, fmt, format_addr(a, prefix, buf));
}

/* An address of either family: the IN or the IN6 attribute, whichever came. */
void print_addr_attr(const char *key, const char *fmt,
		     const struct nlattr *in, const struct nlattr *in6)
{
	const struct nlattr *addr = in ?: in6;
	struct ipaddr a;

	if (addr && attr_addr(addr, &a))
		print_addr(key, fmt, &a, false);
}

/*
 * The device's name under @key, its index under @index_key; in text
 * "ifindex N" when it has gone meanwhile.
 */
void print_ifindex(const char *key, const char *index_key, const char *fmt,
		   uint32_t ifindex)
{
	char name[IF_NAMESIZE + 16];

	if (if_indextoname(ifindex, name)) {
		out_str(key, fmt, name);
	} else {
		snprintf(name, sizeof(name), "ifindex %u", ifindex);
		out_text(fmt, name);
	}
	out_uint(index_key, NULL, ifindex);
}

static void print_attr(const struct nlattr *attr, const struct attr_spec *s)
{
	char mac[MAC_STRLEN];
	struct ipaddr a;

	switch (s->kind) {
	case A_STR:
		out_str(s->key, s->fmt, mnl_attr_get_str(attr));
		break;
	case A_UINT:
		out_uint(s->key, s->fmt, attr_uint(attr));
		break;
	case A_MAC:
		out_str(s->key, s->fmt,
			format_mac(mnl_attr_get_payload(attr), mac));
		break;
	case A_ADDR:
		if (attr_addr(attr, &a))
			print_addr(s->key, s->fmt, &a, false);
		break;
	case A_IFINDEX:
		print_ifindex(s->key, "ifindex", s->fmt,
			      mnl_attr_get_u32(attr));
		break;
	case A_FLAG:
		out_bool(s->key, s->fmt, true);
		break;
	default:
		break;
	}
}

/* Prints the attributes of @tb that have a key, in the order of types. */
void attrs_print(const struct nlattr *const *tb, const struct attr_spec *spec,
		 uint16_t max)
{
	uint16_t type;

	for (type = 0; type <= max; type++)
		if (tb[type] && spec[type].key)
			print_attr(tb[type], &spec[type]);
}

void attr_put_addr(struct nlmsghdr *nlh, uint16_t type4, uint16_t type6,
		   const struct ipaddr *a)
{
	mnl_attr_put(nlh, a->family == AF_INET ? type4 : type6, addr_len(a),
		     a->bytes);
}

/* A reply callback: @printer is a struct reply_printer. */
int print_reply_cb(const struct nlmsghdr *nlh, void *printer)
{
	const struct reply_printer *p = printer;
	const struct nlattr *tb[ATTR_TB_SIZE];

	if (p->max >= ATTR_TB_SIZE ||
	    reply_parse(nlh, p->type, p->spec, p->max, tb))
		return MNL_CB_OK;
	out_begin(NULL);
	attrs_print(tb, p->spec, p->max);
	if (p->more)
		p->more(tb);
	out_text("\n");
	out_end();
	return MNL_CB_OK;
}
