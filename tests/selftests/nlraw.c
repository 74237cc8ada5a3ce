// SPDX-License-Identifier: GPL-2.0
/*
 * Raw netlink client: sends malformed and out-of-range requests to the
 * netvirt family and checks each gets the right error, with an extended
 * ACK message where the policy can name the problem. Prints TAP.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/netvirt.h>

#define BUFSIZE (1 << 17)

static struct mnl_socket *sk;
static char buf[BUFSIZE];
static unsigned int seq;
static uint16_t family;

struct result {
	int error;		/* 0, or the negative errno of the NLMSG_ERROR */
	char msg[256];		/* NLMSGERR_ATTR_MSG */
	bool has_offs;		/* NLMSGERR_ATTR_OFFS: the bad attribute */
	bool got_reply;		/* a data message arrived */
};

static int extack_cb(const struct nlattr *attr, void *data)
{
	struct result *res = data;

	if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG)
		snprintf(res->msg, sizeof(res->msg), "%s",
			 mnl_attr_get_str(attr));
	if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_OFFS)
		res->has_offs = true;
	return MNL_CB_OK;
}

static int parse_error(const struct nlmsghdr *nlh, struct result *res)
{
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
	unsigned int off = sizeof(*err);

	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += err->msg.nlmsg_len - sizeof(struct nlmsghdr);
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS)
		mnl_attr_parse(nlh, off, extack_cb, res);
	res->error = err->error;
	return 0;
}

/* Sends @nlh as is and collects the kernel's answer. */
static int transact(struct nlmsghdr *nlh, struct result *res)
{
	unsigned int portid = mnl_socket_get_portid(sk);
	bool done = false;
	int len;

	memset(res, 0, sizeof(*res));
	if (mnl_socket_sendto(sk, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	while (!done) {
		struct nlmsghdr *r;

		len = mnl_socket_recvfrom(sk, buf, BUFSIZE);
		if (len < 0)
			return -errno;
		for (r = (struct nlmsghdr *)buf; mnl_nlmsg_ok(r, len);
		     r = mnl_nlmsg_next(r, &len)) {
			if (r->nlmsg_seq != seq || r->nlmsg_pid != portid)
				continue;
			if (r->nlmsg_type == NLMSG_ERROR) {
				parse_error(r, res);
				done = true;
			} else if (r->nlmsg_type == family ||
				   r->nlmsg_type == GENL_ID_CTRL) {
				res->got_reply = true;
			}
		}
	}
	return 0;
}

static struct nlmsghdr *msg(uint16_t type, uint8_t cmd)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = ++seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = 1;
	return nlh;
}

static int family_cb(const struct nlattr *attr, void *data)
{
	if (mnl_attr_get_type(attr) == CTRL_ATTR_FAMILY_ID)
		*(uint16_t *)data = mnl_attr_get_u16(attr);
	return MNL_CB_OK;
}

static int resolve(void)
{
	struct nlmsghdr *nlh = msg(GENL_ID_CTRL, CTRL_CMD_GETFAMILY);
	unsigned int portid = mnl_socket_get_portid(sk);
	int len;

	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, NETVIRT_GENL_NAME);
	nlh->nlmsg_flags = NLM_F_REQUEST;
	if (mnl_socket_sendto(sk, nlh, nlh->nlmsg_len) < 0)
		return -1;
	len = mnl_socket_recvfrom(sk, buf, BUFSIZE);
	nlh = (struct nlmsghdr *)buf;
	if (len < 0 || nlh->nlmsg_type != GENL_ID_CTRL || nlh->nlmsg_pid != portid)
		return -1;
	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), family_cb, &family);
	return family ? 0 : -1;
}

/* One malformed request and the answer it must get. */
struct bad_case {
	const char *name;
	void (*build)(struct nlmsghdr *nlh);
	uint8_t cmd;
	int error;		/* expected negative errno */
	const char *msg;	/* substring the extack message must hold */
	bool offs;		/* the extack must point at an attribute */
};

static void unknown_attr(struct nlmsghdr *nlh)
{
	mnl_attr_put_u32(nlh, NETVIRT_A_MAX + 5, 1);
}

static void api_zero(struct nlmsghdr *nlh)
{
	mnl_attr_put_u32(nlh, NETVIRT_A_API_VERSION, 0);
}

static void api_u16(struct nlmsghdr *nlh)
{
	mnl_attr_put_u16(nlh, NETVIRT_A_API_VERSION, 1);
}

static void api_newer(struct nlmsghdr *nlh)
{
	mnl_attr_put_u32(nlh, NETVIRT_A_API_VERSION, NETVIRT_API_VERSION + 1);
}

static void read_only(struct nlmsghdr *nlh)
{
	mnl_attr_put_strz(nlh, NETVIRT_A_VERSION, "9.9");
}

static void nested_garbage(struct nlmsghdr *nlh)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, NETVIRT_A_COUNTS);

	mnl_attr_put_u64(nlh, 77, ~0ULL);
	mnl_attr_nest_end(nlh, nest);
}

/* nla_len claims more bytes than the message holds. */
static void truncated(struct nlmsghdr *nlh)
{
	struct nlattr *a = mnl_nlmsg_get_payload_tail(nlh);

	mnl_attr_put_u32(nlh, NETVIRT_A_API_VERSION, 1);
	a->nla_len = 64;
}

/* nla_len smaller than an attribute header. */
static void runt(struct nlmsghdr *nlh)
{
	struct nlattr *a = mnl_nlmsg_get_payload_tail(nlh);

	mnl_attr_put_u32(nlh, NETVIRT_A_API_VERSION, 1);
	a->nla_len = 2;
}

static void reserved_set(struct nlmsghdr *nlh)
{
	struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);

	g->reserved = 0x5a5a;
}

static void oversized(struct nlmsghdr *nlh)
{
	static char blob[60000];

	mnl_attr_put(nlh, NETVIRT_A_API_VERSION, sizeof(blob), blob);
}

static void many_unknown(struct nlmsghdr *nlh)
{
	int i;

	for (i = 0; i < 4000; i++)
		mnl_attr_put_u32(nlh, 1000 + i, i);
}

static void group_prefix(struct nlmsghdr *nlh, uint32_t addr)
{
	struct nlattr *p = mnl_attr_nest_start(nlh, NETVIRT_A_FW_GROUP_PREFIX);

	mnl_attr_put_u32(nlh, NETVIRT_A_FW_ADDR_IN, htonl(addr));
	mnl_attr_put_u8(nlh, NETVIRT_A_FW_ADDR_PLEN, 24);
	mnl_attr_nest_end(nlh, p);
}

/*
 * 10.0.0.0/24, 10.1.0.0/24, then 10.0.0.9/24: the first again, host bits
 * aside. Members are checked before the tenant is looked up.
 */
static void group_dup_prefix(struct nlmsghdr *nlh)
{
	struct nlattr *g = mnl_attr_nest_start(nlh, NETVIRT_A_FW_GROUP), *l;

	mnl_attr_put_strz(nlh, NETVIRT_A_FW_GROUP_TENANT, "nlraw");
	mnl_attr_put_strz(nlh, NETVIRT_A_FW_GROUP_NAME, "dup");
	l = mnl_attr_nest_start(nlh, NETVIRT_A_FW_GROUP_PREFIXES);
	group_prefix(nlh, 0x0a000000);
	group_prefix(nlh, 0x0a010000);
	group_prefix(nlh, 0x0a000009);
	mnl_attr_nest_end(nlh, l);
	mnl_attr_nest_end(nlh, g);
}

static const struct bad_case cases[] = {
	{ "unknown attribute type", unknown_attr, NETVIRT_CMD_INFO_GET,
	  -EINVAL, "Unknown attribute", true },
	{ "API version 0 is out of range", api_zero, NETVIRT_CMD_INFO_GET,
	  -ERANGE, "out of range", true },
	{ "API version with a u16 payload", api_u16, NETVIRT_CMD_INFO_GET,
	  -EINVAL, "", true },
	{ "API version newer than the module", api_newer,
	  NETVIRT_CMD_INFO_GET, -EOPNOTSUPP, "newer", true },
	{ "read-only attribute in a request", read_only,
	  NETVIRT_CMD_INFO_GET, -EINVAL, "read-only", true },
	{ "nested garbage in a read-only nest", nested_garbage,
	  NETVIRT_CMD_INFO_GET, -EINVAL, "", true },
	{ "attribute longer than the message", truncated,
	  NETVIRT_CMD_INFO_GET, -EINVAL, NULL, false },
	{ "attribute shorter than its header", runt, NETVIRT_CMD_INFO_GET,
	  -EINVAL, NULL, false },
	{ "reserved genl header field set", reserved_set,
	  NETVIRT_CMD_INFO_GET, -EINVAL, NULL, false },
	{ "60 kB attribute", oversized, NETVIRT_CMD_INFO_GET, -EINVAL, "",
	  true },
	{ "4000 unknown attributes", many_unknown, NETVIRT_CMD_INFO_GET,
	  -EINVAL, "Unknown attribute", true },
	{ "a prefix twice in an address group", group_dup_prefix,
	  NETVIRT_CMD_FW_GROUP_NEW, -EINVAL, "twice", true },
	{ "unknown command", NULL, 200, -EOPNOTSUPP, NULL, false },
	{ "command 0 (UNSPEC)", NULL, NETVIRT_CMD_UNSPEC, -EOPNOTSUPP, NULL,
	  false },
};

static bool check_case(const struct bad_case *c, struct result *res)
{
	struct nlmsghdr *nlh = msg(family, c->cmd);

	if (c->build)
		c->build(nlh);
	if (transact(nlh, res))
		return false;
	if (res->error != c->error || res->got_reply)
		return false;
	if (c->msg && (!res->msg[0] || !strstr(res->msg, c->msg)))
		return false;
	return !c->offs || res->has_offs;
}

static bool valid_request_answers(void)
{
	struct nlmsghdr *nlh = msg(family, NETVIRT_CMD_INFO_GET);
	struct result res;

	mnl_attr_put_u32(nlh, NETVIRT_A_API_VERSION, NETVIRT_API_VERSION);
	return !transact(nlh, &res) && res.error == 0 && res.got_reply;
}

int main(void)
{
	size_t n = sizeof(cases) / sizeof(cases[0]), i;
	int one = 1, failed = 0;
	struct result res;

	seq = time(NULL);
	sk = mnl_socket_open(NETLINK_GENERIC);
	if (!sk || mnl_socket_bind(sk, 0, MNL_SOCKET_AUTOPID) ||
	    mnl_socket_setsockopt(sk, NETLINK_EXT_ACK, &one, sizeof(one)) ||
	    mnl_socket_setsockopt(sk, NETLINK_CAP_ACK, &one, sizeof(one)) ||
	    resolve()) {
		printf("Bail out! cannot reach the netvirt family\n");
		return 1;
	}
	printf("TAP version 13\n1..%zu\n", n + 1);
	for (i = 0; i < n; i++) {
		bool pass = check_case(&cases[i], &res);

		printf("%sok %zu badinput: %s\n", pass ? "" : "not ", i + 1,
		       cases[i].name);
		if (!pass) {
			printf("# got error %d, message \"%s\", offset %s\n",
			       res.error, res.msg, res.has_offs ? "yes" : "no");
			failed++;
		}
	}
	i = n + 1;
	if (valid_request_answers()) {
		printf("ok %zu badinput: a valid request still answers\n", i);
	} else {
		printf("not ok %zu badinput: a valid request still answers\n", i);
		failed++;
	}
	mnl_socket_close(sk);
	return failed ? 1 : 0;
}
