// SPDX-License-Identifier: GPL-2.0
/*
 * What nvctl's commands send and print, without the module: this file's
 * nl_call() replaces the transport. It records each request's attributes
 * as text and answers with replies built here as the module builds them.
 *
 * Requests read as TYPE=VALUE, nests as TYPE{...}, with the numbers of
 * include/uapi/linux/netvirt.h: "hello" a string, u16:N an integer by
 * size, 10.0.0.0 / fd00:: an address, 02:00:... a MAC, "flag" an
 * attribute without payload.
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netvirt.h>

#include "fw.h"
#include "monitor.h"
#include "nl.h"
#include "nvctl.h"
#include "output.h"
#include "tap.h"
#include "utils.h"

static char sent[2048];		/* the requests of one command */
static char replies[4][4096];	/* each call's replies, in order */
static size_t reply_len[4];
static unsigned int calls;
static int fail;		/* nl_call() fails, as without the module */
static int refuse_attr;		/* it fails naming this top-level attribute */
static size_t part_room = 1 << 20;	/* bytes a message of parts may take */

static void append(const char *fmt, ...)
{
	size_t len = strlen(sent);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sent + len, sizeof(sent) - len, fmt, ap);
	va_end(ap);
}

/* A firewall address nest: a rule's SRC or DST, a group's PREFIX. */
static bool is_fw_addr(uint16_t grand, uint16_t parent)
{
	return (grand == NETVIRT_A_FW_RULE &&
		(parent == NETVIRT_A_FW_RULE_SRC ||
		 parent == NETVIRT_A_FW_RULE_DST)) ||
	       (grand == NETVIRT_A_FW_GROUP_PREFIXES &&
		parent == NETVIRT_A_FW_GROUP_PREFIX) ||
	       (grand == NETVIRT_A_NAT && parent == NETVIRT_A_NAT_SRC);
}

/*
 * IPv4 addresses, told from u32 attributes by where they stand: in the
 * nest @parent, itself in @grand.
 */
static bool is_in4(uint16_t grand, uint16_t parent, uint16_t type)
{
	return (parent == NETVIRT_A_PORT_ADDRS && type == NETVIRT_A_ADDR_IN) ||
	       (parent == NETVIRT_A_ROUTE && type == NETVIRT_A_ROUTE_DST_IN) ||
	       (parent == NETVIRT_A_NEXTHOP &&
		type == NETVIRT_A_NEXTHOP_HOST_IN) ||
	       (parent == NETVIRT_A_HOST && type == NETVIRT_A_HOST_UNDERLAY_IN) ||
	       (parent == NETVIRT_A_NAT && (type == NETVIRT_A_NAT_ADDR_IN ||
					    type == NETVIRT_A_NAT_TO_IN)) ||
	       (is_fw_addr(grand, parent) && type == NETVIRT_A_FW_ADDR_IN);
}

static bool is_str(const char *p, uint16_t len)
{
	return len >= 3 && strnlen(p, len) == len - 1U;
}

static void dump_payload(const struct nlattr *attr, uint16_t grand,
			 uint16_t parent)
{
	uint16_t len = mnl_attr_get_payload_len(attr);
	const uint8_t *p = mnl_attr_get_payload(attr);
	char buf[INET6_ADDRSTRLEN];

	if (!len)
		append("flag");
	else if (is_str((const char *)p, len))
		append("\"%s\"", p);
	else if (len == 4 && is_in4(grand, parent, mnl_attr_get_type(attr)))
		append("%s", inet_ntop(AF_INET, p, buf, sizeof(buf)));
	else if (len == 16)
		append("%s", inet_ntop(AF_INET6, p, buf, sizeof(buf)));
	else if (len == 6)
		append("%02x:%02x:%02x:%02x:%02x:%02x", p[0], p[1], p[2], p[3],
		       p[4], p[5]);
	else if (len == 1)
		append("u8:%u", mnl_attr_get_u8(attr));
	else if (len == 2)
		append("u16:%u", mnl_attr_get_u16(attr));
	else if (len == 4)
		append("u32:%u", mnl_attr_get_u32(attr));
	else
		append("?%u", len);
}

static void dump_nest(const struct nlattr *nest, uint16_t parent);

/* @attr in the nest @parent, itself in @grand (0: the message). */
static void dump_attr(const struct nlattr *attr, uint16_t grand,
		      uint16_t parent, bool first)
{
	append("%s%u", first ? "" : " ", mnl_attr_get_type(attr));
	if (attr->nla_type & NLA_F_NESTED) {
		dump_nest(attr, parent);
	} else {
		append("=");
		dump_payload(attr, grand, parent);
	}
}

static void dump_nest(const struct nlattr *nest, uint16_t parent)
{
	const struct nlattr *attr;
	bool first = true;

	append("{");
	mnl_attr_for_each_nested(attr, nest) {
		dump_attr(attr, parent, mnl_attr_get_type(nest), first);
		first = false;
	}
	append("}");
}

/*
 * A refusal as the kernel's: its message, and the offset of an attribute
 * inside the @n-th top-level one (from 1), for call->locate().
 */
static int refuse(const struct nl_call *call, const struct nlmsghdr *nlh,
		  int n, unsigned int part)
{
	const struct nlattr *attr;

	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr))
		if (!--n && call->locate)
			call->locate(call->req, part, (const char *)attr -
					(const char *)nlh + MNL_ATTR_HDRLEN);
	error("address group does not exist");
	return -1;
}

/* One message, faked: records it, replays the replies; @last may fail. */
static int send_one(const struct nl_call *call, bool last, unsigned int part)
{
	char buf[4096];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	const struct nlattr *attr;
	unsigned int i = calls++;

	genl->cmd = call->cmd;
	if (call->fill)
		call->fill(nlh, call->req);
	append("%scmd %u%s", i ? " | " : "", call->cmd,
	       call->dump ? " dump" : "");
	mnl_attr_for_each(attr, nlh, sizeof(*genl))
		dump_attr(attr, 0, 0, false);
	if (fail)
		return -1;
	if (refuse_attr && last)
		return refuse(call, nlh, refuse_attr, part);
	if (i < N(replies) && call->cb &&
	    mnl_cb_run(replies[i], reply_len[i], 0, 0, call->cb, call->data) < 0)
		return -1;
	return 0;
}

/* A request of no attribute, as nl_call() sends for a transaction. */
static void send_bare(uint8_t cmd)
{
	append("%scmd %u", calls++ ? " | " : "", cmd);
}

/*
 * The transport: a request, or its parts, each @part_room bytes at most;
 * more than one in a transaction of their own, as call.c sends them.
 */
int nl_call(const struct nl_call *call)
{
	unsigned int part = 0;
	bool more, txn = false;
	int ret;

	if (!call->part)
		return send_one(call, true, 0);
	do {
		more = call->part(call->req, part_room);
		if (more && !part && !nl_txn) {
			send_bare(NETVIRT_CMD_TXN_BEGIN);
			txn = true;
		}
		ret = send_one(call, !more, part++);
	} while (!ret && more);
	if (!ret && txn)
		send_bare(NETVIRT_CMD_TXN_COMMIT);
	return ret;
}

/* Replies of call @i, built as the module builds them. */
static struct nlmsghdr *reply(unsigned int i, uint8_t cmd)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(replies[i] + reply_len[i]);
	struct genlmsghdr *genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));

	nlh->nlmsg_type = 0x20;
	genl->cmd = cmd;
	return nlh;
}

static void reply_end(unsigned int i, struct nlmsghdr *nlh)
{
	reply_len[i] += MNL_ALIGN(nlh->nlmsg_len);
}

static void put_in4(struct nlmsghdr *nlh, uint16_t type, const char *s)
{
	struct in_addr a;

	inet_pton(AF_INET, s, &a);
	mnl_attr_put(nlh, type, sizeof(a), &a);
}

static void put_in6(struct nlmsghdr *nlh, uint16_t type, const char *s)
{
	struct in6_addr a;

	inet_pton(AF_INET6, s, &a);
	mnl_attr_put(nlh, type, sizeof(a), &a);
}

static void put_mac(struct nlmsghdr *nlh, uint16_t type, uint8_t last)
{
	uint8_t mac[6] = { 0x02, 0x76, 0, last, 0, 1 };

	mnl_attr_put(nlh, type, sizeof(mac), mac);
}

struct run {
	const char *line;	/* the command line, after "nvctl" */
	bool json;
	int rc;			/* what the command returns */
	char out[4096];		/* what it printed */
};

static int (*const objects[])(struct nvctl *, int, char **) = {
	do_tenant, do_port, do_route, do_stats, do_host, do_fw, do_uplink,
	do_nat,
};

static const char *const object_names[] = {
	"tenant", "port", "route", "stats", "host", "fw", "uplink", "nat",
};

static int dispatch(char *line)
{
	char *argv[32], *save = NULL;
	struct nvctl ctl = { 0 };
	int argc = 0;
	size_t i;

	for (char *w = strtok_r(line, " ", &save); w && argc < 32;
	     w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	for (i = 0; i < N(objects); i++)
		if (argc && !strcmp(argv[0], object_names[i]))
			return objects[i](&ctl, argc - 1, argv + 1);
	return -1;
}

/* Runs a command with stdout in a file; the replies are set already. */
static void run(struct run *r)
{
	FILE *f = tmpfile();
	char line[256];
	int saved;
	size_t len;

	snprintf(line, sizeof(line), "%s", r->line);
	sent[0] = '\0';
	calls = 0;
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	dup2(fileno(f), STDOUT_FILENO);
	out_init(r->json);
	r->rc = dispatch(line);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	rewind(f);
	len = fread(r->out, 1, sizeof(r->out) - 1, f);
	r->out[len] = '\0';
	fclose(f);
	memset(reply_len, 0, sizeof(reply_len));
}

/* TAP diagnostics: every line behind a "# ". */
static void diag(const char *what, const char *text)
{
	size_t len;

	for (; *text; text += len + !!text[len]) {
		len = strcspn(text, "\n");
		printf("# %s: %.*s\n", what, (int)len, text);
	}
}

static void check_sent(const char *line, const char *want)
{
	struct run r = { .line = line };
	char desc[160];

	run(&r);
	snprintf(desc, sizeof(desc), "nvctl %s: the request", line);
	expect(r.rc == EXIT_OK && !strcmp(sent, want), desc);
	if (strcmp(sent, want)) {
		diag("sent", sent);
		diag("want", want);
	}
}

/* The firewall's requests: FW_RULE{...}, FW{...}, FW_GROUP{...}. */
static void test_fw_requests(void)
{
	/* FW_RULE_NEW: TENANT DIR ACTION, the rest when given */
	check_sent("fw rule add tenant blue dir in action allow",
		   "cmd 17 14{2=\"blue\" 5=u8:0 16=u8:0}");
	check_sent("fw rule add tenant blue prio 10 dir out port lo src 10.0.0.0/24 "
		   "dst @web proto tcp sport 1000-2000 dport 80 action reject log persist",
		   "cmd 17 14{2=\"blue\" 4=u32:10 5=u8:1 7=\"lo\" 8{1=10.0.0.0 3=u8:24} "
		   "9{4=\"web\"} 10=u8:6 11=u16:1000 12=u16:2000 13=u16:80 14=u16:80 "
		   "16=u8:2 17=u32:3}");
	check_sent("fw rule add tenant blue action deny dir in src fd00::/64 dst fd00::1 "
		   "proto icmpv6 icmp-type 128",
		   "cmd 17 14{2=\"blue\" 5=u8:0 8{2=fd00:: 3=u8:64} 9{2=fd00::1 3=u8:128} "
		   "10=u8:58 15=u8:128 16=u8:1}");
	check_sent("fw rule add tenant blue dir out src 10.0.0.5 proto icmp icmp-type 0 action deny log",
		   "cmd 17 14{2=\"blue\" 5=u8:1 8{1=10.0.0.5 3=u8:32} 10=u8:1 15=u8:0 "
		   "16=u8:1 17=u32:1}");
	check_sent("fw rule add tenant blue dir in proto any action allow prio 0",
		   "cmd 17 14{2=\"blue\" 4=u32:0 5=u8:0 16=u8:0}");
	check_sent("fw rule add tenant blue dir in proto 47 action deny",
		   "cmd 17 14{2=\"blue\" 5=u8:0 10=u8:47 16=u8:1}");
	check_sent("fw rule add tenant blue dir in proto 17 sport 53 dport 0-65535 action allow",
		   "cmd 17 14{2=\"blue\" 5=u8:0 10=u8:17 11=u16:53 12=u16:53 13=u16:0 "
		   "14=u16:65535 16=u8:0}");
	check_sent("fw rule add tenant blue dir in proto sctp dport 0x50 action allow",
		   "cmd 17 14{2=\"blue\" 5=u8:0 10=u8:132 13=u16:80 14=u16:80 16=u8:0}");
	/* FW_RULE_DEL: TENANT HANDLE */
	check_sent("fw rule del tenant blue handle 7",
		   "cmd 18 14{2=\"blue\" 3=u32:7}");
	/* fw show: FW_GET FW{TENANT}, then a dump of FW_RULE{TENANT} */
	check_sent("fw show tenant blue",
		   "cmd 16 13{1=\"blue\"} | cmd 19 dump 14{2=\"blue\"}");
	/* FW_SET: TENANT POLICY FLAGS, the flags always */
	check_sent("fw policy tenant blue allow log", "cmd 15 13{1=\"blue\" 2=u8:0 3=u32:1}");
	check_sent("fw policy tenant blue deny", "cmd 15 13{1=\"blue\" 2=u8:1 3=u32:0}");
	/* FW_GROUP_NEW: TENANT NAME PREFIXES{PREFIX{ADDR PLEN}...}; set: F_REPLACE */
	check_sent("fw group add tenant blue web 10.0.0.2 fd00::2/128 10.1.0.0/16",
		   "cmd 20 15{1=\"blue\" 2=\"web\" 3{4{1=10.0.0.2 3=u8:32} "
		   "4{2=fd00::2 3=u8:128} 4{1=10.1.0.0 3=u8:16}}}");
	check_sent("fw group add tenant blue web", "cmd 20 15{1=\"blue\" 2=\"web\" 3{}}");
	check_sent("fw group set tenant blue web 192.0.2.0/24",
		   "cmd 20 15{1=\"blue\" 2=\"web\" 3{4{1=192.0.2.0 3=u8:24}}} 11=u32:2");
	check_sent("fw group set tenant blue web", "cmd 20 15{1=\"blue\" 2=\"web\" 3{}} 11=u32:2");
	/* FW_GROUP_DEL: TENANT NAME; FW_GROUP_GET: doit, or a dump of TENANT */
	check_sent("fw group del tenant blue web", "cmd 21 15{1=\"blue\" 2=\"web\"}");
	check_sent("fw group show tenant blue web", "cmd 22 15{1=\"blue\" 2=\"web\"}");
	check_sent("fw group show tenant blue", "cmd 22 dump 15{1=\"blue\"}");
	/* FW_RULE_NEW with PGROUP, after the attributes of lower types */
	check_sent("fw rule add tenant blue dir in pgroup web proto tcp dport 80 action allow",
		   "cmd 17 14{2=\"blue\" 5=u8:0 10=u8:6 13=u16:80 14=u16:80 16=u8:0 "
		   "22=\"web\"}");
	check_sent("fw rule add tenant blue pgroup db dir out dst @web action deny log",
		   "cmd 17 14{2=\"blue\" 5=u8:1 9{4=\"web\"} 16=u8:1 17=u32:1 22=\"db\"}");
	/* FW_GROUP_NEW of a port group: PORTS{IFINDEX...}; set: F_REPLACE */
	check_sent("fw pgroup add tenant blue web lo",
		   "cmd 20 15{1=\"blue\" 2=\"web\" 6{8=\"lo\"}}");
	check_sent("fw pgroup add tenant blue web lo lo",
		   "cmd 20 15{1=\"blue\" 2=\"web\" 6{8=\"lo\" 8=\"lo\"}}");
	check_sent("fw pgroup add tenant blue web", "cmd 20 15{1=\"blue\" 2=\"web\" 6{}}");
	check_sent("fw pgroup set tenant blue web lo",
		   "cmd 20 15{1=\"blue\" 2=\"web\" 6{8=\"lo\"}} 11=u32:2");
	check_sent("fw pgroup set tenant blue web", "cmd 20 15{1=\"blue\" 2=\"web\" 6{}} 11=u32:2");
	/* FW_GROUP_DEL and FW_GROUP_GET as for address groups */
	check_sent("fw pgroup del tenant blue web", "cmd 21 15{1=\"blue\" 2=\"web\"}");
	check_sent("fw pgroup show tenant blue web", "cmd 22 15{1=\"blue\" 2=\"web\"}");
	check_sent("fw pgroup show tenant blue", "cmd 22 dump 15{1=\"blue\"}");
}

/* The uplink's, the NAT rules', and routes to the uplink. */
static void test_nat_requests(void)
{
	/* UPLINK_SET: UPLINK{IFNAME}; UPLINK_DEL and UPLINK_GET: nothing */
	check_sent("uplink set dev eth1", "cmd 24 17{2=\"eth1\"}");
	check_sent("uplink del", "cmd 25");
	check_sent("uplink show", "cmd 26");
	check_sent("uplink", "cmd 26");
	/* NAT_NEW: NAT{TENANT TYPE ADDR [SRC{ADDR PLEN}] [PORT_LO PORT_HI]} */
	check_sent("nat add tenant blue snat to 203.0.113.5",
		   "cmd 27 18{2=\"blue\" 4=u8:0 5=203.0.113.5}");
	check_sent("nat add tenant blue snat src 10.0.0.0/24 to 203.0.113.5 ports 2000-3000",
		   "cmd 27 18{2=\"blue\" 4=u8:0 5=203.0.113.5 7{1=10.0.0.0 3=u8:24} "
		   "8=u16:2000 9=u16:3000}");
	check_sent("nat add tenant blue snat ports 1024 to 2001:db8::5 src fd00::/64",
		   "cmd 27 18{2=\"blue\" 4=u8:0 6=2001:db8::5 7{2=fd00:: 3=u8:64} "
		   "8=u16:1024 9=u16:1024}");
	check_sent("nat add tenant blue snat src 10.0.0.5 to 203.0.113.5 ports 1-65535",
		   "cmd 27 18{2=\"blue\" 4=u8:0 5=203.0.113.5 7{1=10.0.0.5 3=u8:32} "
		   "8=u16:1 9=u16:65535}");
	/* DNAT: ADDR PROTO PORT TO [TO_PORT] */
	check_sent("nat add tenant blue dnat 203.0.113.5 proto tcp port 80 to 10.0.0.5",
		   "cmd 27 18{2=\"blue\" 4=u8:1 5=203.0.113.5 10=u8:6 11=u16:80 "
		   "12=10.0.0.5}");
	check_sent("nat add tenant blue dnat 2001:db8::5 proto udp port 53 to fd00::5 port 5353",
		   "cmd 27 18{2=\"blue\" 4=u8:1 6=2001:db8::5 10=u8:17 11=u16:53 "
		   "13=fd00::5 14=u16:5353}");
	check_sent("nat add tenant blue dnat 203.0.113.5 proto 6 port 0xffff to 10.0.0.5 port 1",
		   "cmd 27 18{2=\"blue\" 4=u8:1 5=203.0.113.5 10=u8:6 11=u16:65535 "
		   "12=10.0.0.5 14=u16:1}");
	/* FIP: ADDR TO */
	check_sent("nat add tenant blue fip 203.0.113.7 to 10.0.0.7",
		   "cmd 27 18{2=\"blue\" 4=u8:2 5=203.0.113.7 12=10.0.0.7}");
	check_sent("nat add tenant blue fip 2001:db8::7 to fd00::7",
		   "cmd 27 18{2=\"blue\" 4=u8:2 6=2001:db8::7 13=fd00::7}");
	/* NAT_DEL: TENANT HANDLE; NAT_GET: a dump of TENANT */
	check_sent("nat del tenant blue handle 3", "cmd 28 18{2=\"blue\" 3=u32:3}");
	check_sent("nat show tenant blue", "cmd 29 dump 18{2=\"blue\"}");
	/* ROUTE_NEW: the uplink, a NEXTHOP_UPLINK flag, alone or in ECMP */
	check_sent("route add tenant blue 0.0.0.0/0 uplink",
		   "cmd 8 9{1=\"blue\" 2=0.0.0.0 4=u8:0 5=u8:0 6{1{6=flag}}}");
	check_sent("route add tenant blue ::/0 nexthop uplink",
		   "cmd 8 9{1=\"blue\" 3=:: 4=u8:0 5=u8:0 6{1{6=flag}}}");
	check_sent("route add tenant blue 10.2.0.0/16 dev lo nexthop uplink nexthop host 192.0.2.1",
		   "cmd 8 9{1=\"blue\" 2=10.2.0.0 4=u8:16 5=u8:0 "
		   "6{1{5=\"lo\"} 1{6=flag} 1{3=192.0.2.1}}}");
}

/* Requests, as include/uapi/linux/netvirt.h documents them. */
static void test_requests(void)
{
	/* TENANT_NEW: TENANT{NAME ID VNI [ROUTER_MAC]} */
	check_sent("tenant add blue id 100 vni 5000",
		   "cmd 2 7{1=\"blue\" 2=u16:100 3=u32:5000}");
	check_sent("tenant add blue vni 0 id 65535 router-mac 02:AA:00:00:00:01",
		   "cmd 2 7{1=\"blue\" 2=u16:65535 3=u32:0 4=02:aa:00:00:00:01}");
	/* TENANT_DEL: TENANT{NAME}, FLAGS F_FORCE */
	check_sent("tenant del blue", "cmd 3 7{1=\"blue\"}");
	check_sent("tenant del blue force", "cmd 3 7{1=\"blue\"} 11=u32:1");
	/* TENANT_GET: doit TENANT{NAME}, or a dump */
	check_sent("tenant show blue", "cmd 4 7{1=\"blue\"}");
	check_sent("tenant show", "cmd 4 dump");
	check_sent("tenant", "cmd 4 dump");
	/* PORT_NEW: PORT{IFNAME TENANT MAC ADDRS{ADDR_IN ADDR_IN6}} */
	check_sent("port add vm1 tenant blue mac 02:00:00:00:00:05 ip 10.0.0.5 ip fd00::5",
		   "cmd 5 8{2=\"vm1\" 3=\"blue\" 4=02:00:00:00:00:05 5{1=10.0.0.5 2=fd00::5}}");
	check_sent("port del vm1", "cmd 6 8{2=\"vm1\"}");
	check_sent("port show vm1", "cmd 7 8{2=\"vm1\"}");
	check_sent("port show", "cmd 7 dump");
	/* ROUTE_NEW: ROUTE{TENANT DST PLEN TYPE NEXTHOPS{NEXTHOP{...}...}} */
	check_sent("route add tenant blue 10.0.0.0/24 dev lo",
		   "cmd 8 9{1=\"blue\" 2=10.0.0.0 4=u8:24 5=u8:0 6{1{5=\"lo\"}}}");
	check_sent("route add tenant blue 10.0.0.5 host 192.0.2.1 nexthop host 2001:db8::1 nexthop dev lo",
		   "cmd 8 9{1=\"blue\" 2=10.0.0.5 4=u8:32 5=u8:0 "
		   "6{1{3=192.0.2.1} 1{4=2001:db8::1} 1{5=\"lo\"}}}");
	check_sent("route add tenant blue fd00:1::/64 nexthop host 192.0.2.1",
		   "cmd 8 9{1=\"blue\" 3=fd00:1:: 4=u8:64 5=u8:0 6{1{3=192.0.2.1}}}");
	check_sent("route add tenant blue ::/0 blackhole",
		   "cmd 8 9{1=\"blue\" 3=:: 4=u8:0 5=u8:1}");
	/* ROUTE_DEL: ROUTE{TENANT DST PLEN}; ROUTE_GET: a dump of ROUTE{TENANT} */
	check_sent("route del tenant blue 10.0.0.0/8", "cmd 9 9{1=\"blue\" 2=10.0.0.0 4=u8:8}");
	check_sent("route show tenant blue", "cmd 10 dump 9{1=\"blue\"}");
	/* STATS_GET: a dump, or STATS{TENANT} and STATS{IFNAME} */
	check_sent("stats", "cmd 11 dump");
	check_sent("stats tenant blue", "cmd 11 10{2=\"blue\"}");
	check_sent("stats port lo tenant blue", "cmd 11 10{2=\"blue\"} | cmd 11 10{12=\"lo\"}");
	/* HOST_SET: HOST{UNDERLAY_IN | UNDERLAY_IN6 [IFNAME] [ENCAP] [PORT]} */
	check_sent("host set underlay 192.0.2.10", "cmd 12 12{1=192.0.2.10}");
	check_sent("host set underlay 2001:db8::10", "cmd 12 12{2=2001:db8::10}");
	check_sent("host set underlay 192.0.2.10 dev nvctl-nodev",
		   "cmd 12 12{1=192.0.2.10 4=\"nvctl-nodev\"}");
	check_sent("host set underlay 192.0.2.10 encap geneve",
		   "cmd 12 12{1=192.0.2.10 5=u8:0}");
	check_sent("host set underlay 192.0.2.10 encap vxlan",
		   "cmd 12 12{1=192.0.2.10 5=u8:1}");
	check_sent("host set underlay 192.0.2.10 port 1", "cmd 12 12{1=192.0.2.10 6=u16:1}");
	check_sent("host set underlay 192.0.2.10 port 0xffff",
		   "cmd 12 12{1=192.0.2.10 6=u16:65535}");
	check_sent("host set port 4789 encap vxlan dev eth0 underlay fd00::1",
		   "cmd 12 12{2=fd00::1 4=\"eth0\" 5=u8:1 6=u16:4789}");
	/* HOST_DEL and HOST_GET: no attributes */
	check_sent("host del", "cmd 13");
	check_sent("host show", "cmd 14");
	check_sent("host", "cmd 14");
	test_fw_requests();
	test_nat_requests();
}

static void check_out(const char *line, bool json, const char *want)
{
	struct run r = { .line = line, .json = json };
	char desc[160];

	run(&r);
	snprintf(desc, sizeof(desc), "nvctl %s%s: the output", json ? "-j " : "",
		 line);
	expect(r.rc == EXIT_OK && !strcmp(r.out, want), desc);
	if (strcmp(r.out, want)) {
		diag("printed", r.out);
		diag("want", want);
	}
}

static void reply_tenant(const char *name, uint16_t id, uint32_t vni,
			 uint32_t ports, uint32_t routes)
{
	struct nlmsghdr *nlh = reply(0, NETVIRT_CMD_TENANT_GET);
	struct nlattr *nest = mnl_attr_nest_start(nlh, NETVIRT_A_TENANT);

	mnl_attr_put_strz(nlh, NETVIRT_A_TENANT_NAME, name);
	mnl_attr_put_u16(nlh, NETVIRT_A_TENANT_ID, id);
	mnl_attr_put_u32(nlh, NETVIRT_A_TENANT_VNI, vni);
	put_mac(nlh, NETVIRT_A_TENANT_ROUTER_MAC, id);
	mnl_attr_put_u32(nlh, NETVIRT_A_TENANT_PORTS, ports);
	mnl_attr_put_u32(nlh, NETVIRT_A_TENANT_ROUTES, routes);
	mnl_attr_nest_end(nlh, nest);
	reply_end(0, nlh);
}

static void test_tenant_show(void)
{
	reply_tenant("blue", 100, 5000, 2, 3);
	reply_tenant("red", 7, 0, 0, 0);
	check_out("tenant show", false,
		  "blue id 100 vni 5000 router-mac 02:76:00:64:00:01 ports 2 routes 3\n"
		  "red id 7 vni 0 router-mac 02:76:00:07:00:01 ports 0 routes 0\n");
	reply_tenant("blue", 100, 5000, 2, 3);
	check_out("tenant show blue", true,
		  "[{\"name\":\"blue\",\"id\":100,\"vni\":5000,"
		  "\"router_mac\":\"02:76:00:64:00:01\",\"ports\":2,\"routes\":3}]\n");
	check_out("tenant show", true, "[]\n");
}

/*
 * A port as a reply names it: "NAME:N" puts the device index N (an
 * attached port) and the name, "NAME" the name alone (detached).
 */
static void put_port(struct nlmsghdr *nlh, uint16_t ifindex_type,
		     uint16_t ifname_type, const char *port)
{
	const char *colon = strchr(port, ':');
	char name[16];

	snprintf(name, sizeof(name), "%.*s",
		 colon ? (int)(colon - port) : (int)strlen(port), port);
	if (colon)
		mnl_attr_put_u32(nlh, ifindex_type, atoi(colon + 1));
	mnl_attr_put_strz(nlh, ifname_type, name);
}

/* A PORT_GET reply: port vm1, attached (device index 5) or detached. */
static void reply_port(bool attached)
{
	struct nlmsghdr *nlh = reply(0, NETVIRT_CMD_PORT_GET);
	struct nlattr *nest = mnl_attr_nest_start(nlh, NETVIRT_A_PORT);
	struct nlattr *addrs;

	if (attached)
		mnl_attr_put_u32(nlh, NETVIRT_A_PORT_IFINDEX, 5);
	mnl_attr_put_strz(nlh, NETVIRT_A_PORT_IFNAME, "vm1");
	mnl_attr_put_u8(nlh, NETVIRT_A_PORT_STATE, attached ?
			NETVIRT_PORT_ATTACHED : NETVIRT_PORT_DETACHED);
	if (!attached)
		mnl_attr_put_strz(nlh, NETVIRT_A_PORT_DETACHED,
				  "no device of the port's name");
	mnl_attr_put_strz(nlh, NETVIRT_A_PORT_TENANT, "blue");
	put_mac(nlh, NETVIRT_A_PORT_MAC, 5);
	addrs = mnl_attr_nest_start(nlh, NETVIRT_A_PORT_ADDRS);
	put_in4(nlh, NETVIRT_A_ADDR_IN, "10.0.0.5");
	put_in6(nlh, NETVIRT_A_ADDR_IN6, "fd00::5");
	mnl_attr_nest_end(nlh, addrs);
	mnl_attr_nest_end(nlh, nest);
	reply_end(0, nlh);
}

static void test_port_show(void)
{
	reply_port(true);
	check_out("port show", false,
		  "vm1 tenant blue mac 02:76:00:05:00:01 ip 10.0.0.5 ip fd00::5"
		  " state attached\n");
	reply_port(true);
	check_out("port show vm1", true,
		  "[{\"ifindex\":5,\"ifname\":\"vm1\",\"tenant\":\"blue\","
		  "\"mac\":\"02:76:00:05:00:01\",\"ip\":[\"10.0.0.5\",\"fd00::5\"],"
		  "\"state\":\"attached\"}]\n");
	reply_port(false);
	check_out("port show vm1", false,
		  "vm1 tenant blue mac 02:76:00:05:00:01 ip 10.0.0.5 ip fd00::5"
		  " state detached (no device of the port's name)\n");
	reply_port(false);
	check_out("port show vm1", true,
		  "[{\"ifname\":\"vm1\",\"tenant\":\"blue\","
		  "\"mac\":\"02:76:00:05:00:01\",\"ip\":[\"10.0.0.5\",\"fd00::5\"],"
		  "\"state\":\"detached\",\"detached\":\"no device of the port's name\"}]\n");
}

/*
 * One ROUTE_GET reply; @hops: "dev NAME" (a detached port), "dev NAME:N"
 * (attached, device index N), "host ADDR" and "uplink -" words, or NULL.
 */
static void reply_route(const char *dst, uint8_t plen, uint8_t type,
			uint8_t origin, const char *const *hops)
{
	struct nlmsghdr *nlh = reply(0, NETVIRT_CMD_ROUTE_GET);
	struct nlattr *nest = mnl_attr_nest_start(nlh, NETVIRT_A_ROUTE);
	struct nlattr *nhs, *nh;

	mnl_attr_put_strz(nlh, NETVIRT_A_ROUTE_TENANT, "blue");
	if (strchr(dst, ':'))
		put_in6(nlh, NETVIRT_A_ROUTE_DST_IN6, dst);
	else
		put_in4(nlh, NETVIRT_A_ROUTE_DST_IN, dst);
	mnl_attr_put_u8(nlh, NETVIRT_A_ROUTE_PLEN, plen);
	mnl_attr_put_u8(nlh, NETVIRT_A_ROUTE_TYPE, type);
	mnl_attr_put_u8(nlh, NETVIRT_A_ROUTE_ORIGIN, origin);
	nhs = mnl_attr_nest_start(nlh, NETVIRT_A_ROUTE_NEXTHOPS);
	for (; hops && *hops; hops += 2) {
		nh = mnl_attr_nest_start(nlh, NETVIRT_A_NEXTHOP);
		if (!strcmp(hops[0], "dev"))
			put_port(nlh, NETVIRT_A_NEXTHOP_IFINDEX,
				 NETVIRT_A_NEXTHOP_IFNAME, hops[1]);
		else if (!strcmp(hops[0], "uplink"))
			mnl_attr_put(nlh, NETVIRT_A_NEXTHOP_UPLINK, 0, NULL);
		else if (strchr(hops[1], ':'))
			put_in6(nlh, NETVIRT_A_NEXTHOP_HOST_IN6, hops[1]);
		else
			put_in4(nlh, NETVIRT_A_NEXTHOP_HOST_IN, hops[1]);
		mnl_attr_nest_end(nlh, nh);
	}
	mnl_attr_nest_end(nlh, nhs);
	mnl_attr_nest_end(nlh, nest);
	reply_end(0, nlh);
}

static void reply_routes(void)
{
	static const char *const lo[] = { "dev", "lo:1", NULL };
	static const char *const ecmp[] = {
		"dev", "vm9", "host", "192.0.2.1", NULL,
	};
	static const char *const v6[] = { "host", "2001:db8::1", NULL };

	reply_route("10.0.0.0", 24, NETVIRT_ROUTE_UNICAST, NETVIRT_ROUTE_STATIC, lo);
	reply_route("10.0.0.5", 32, NETVIRT_ROUTE_UNICAST, NETVIRT_ROUTE_PORT, lo);
	reply_route("0.0.0.0", 0, NETVIRT_ROUTE_BLACKHOLE, NETVIRT_ROUTE_STATIC, NULL);
	reply_route("10.1.0.0", 16, NETVIRT_ROUTE_UNICAST, NETVIRT_ROUTE_STATIC, ecmp);
	reply_route("fd00:1::", 64, NETVIRT_ROUTE_UNICAST, NETVIRT_ROUTE_STATIC, v6);
}

static void test_route_show(void)
{
	reply_routes();
	check_out("route show tenant blue", false,
		  "10.0.0.0/24 dev lo\n"
		  "10.0.0.5/32 dev lo proto port\n"
		  "0.0.0.0/0 blackhole\n"
		  "10.1.0.0/16 nexthop dev vm9 nexthop host 192.0.2.1\n"
		  "fd00:1::/64 host 2001:db8::1\n");
	reply_routes();
	check_out("route show tenant blue", true,
		  "[{\"dst\":\"10.0.0.0/24\",\"type\":\"unicast\","
		  "\"nexthops\":[{\"ifindex\":1,\"dev\":\"lo\"}],\"proto\":\"static\"},"
		  "{\"dst\":\"10.0.0.5/32\",\"type\":\"unicast\","
		  "\"nexthops\":[{\"ifindex\":1,\"dev\":\"lo\"}],\"proto\":\"port\"},"
		  "{\"dst\":\"0.0.0.0/0\",\"type\":\"blackhole\",\"nexthops\":[],"
		  "\"proto\":\"static\"},"
		  "{\"dst\":\"10.1.0.0/16\",\"type\":\"unicast\",\"nexthops\":"
		  "[{\"dev\":\"vm9\"},{\"host\":\"192.0.2.1\"}],\"proto\":\"static\"},"
		  "{\"dst\":\"fd00:1::/64\",\"type\":\"unicast\","
		  "\"nexthops\":[{\"host\":\"2001:db8::1\"}],\"proto\":\"static\"}]\n");
}

static void reply_uplink_routes(void)
{
	static const char *const uplink[] = { "uplink", "-", NULL };
	static const char *const ecmp[] = { "dev", "vm9", "uplink", "-", NULL };

	reply_route("0.0.0.0", 0, NETVIRT_ROUTE_UNICAST, NETVIRT_ROUTE_STATIC, uplink);
	reply_route("10.2.0.0", 16, NETVIRT_ROUTE_UNICAST, NETVIRT_ROUTE_STATIC, ecmp);
}

/* The uplink next hop prints as route add takes it. */
static void test_route_uplink(void)
{
	reply_uplink_routes();
	check_out("route show tenant blue", false,
		  "0.0.0.0/0 uplink\n"
		  "10.2.0.0/16 nexthop dev vm9 nexthop uplink\n");
	reply_uplink_routes();
	check_out("route show tenant blue", true,
		  "[{\"dst\":\"0.0.0.0/0\",\"type\":\"unicast\","
		  "\"nexthops\":[{\"uplink\":true}],\"proto\":\"static\"},"
		  "{\"dst\":\"10.2.0.0/16\",\"type\":\"unicast\",\"nexthops\":"
		  "[{\"dev\":\"vm9\"},{\"uplink\":true}],\"proto\":\"static\"}]\n");
}

/*
 * The counters of a NETVIRT_A_STATS nest (or the host's): COUNTER = base
 * + its type, or 0; with pad attributes, as nla_put_u64_64bit() adds.
 */
static void put_counters(struct nlmsghdr *nlh, uint64_t base,
			 const uint64_t *drops)
{
	struct nlattr *dn;
	uint16_t type;

	mnl_attr_put(nlh, NETVIRT_A_STATS_PAD, 0, NULL);
	for (type = NETVIRT_A_STATS_RX_PACKETS;
	     type <= NETVIRT_A_STATS_ICMP_ERRORS; type++)
		mnl_attr_put_u64(nlh, type, base ? base + type : 0);
	dn = mnl_attr_nest_start(nlh, NETVIRT_A_STATS_DROPS);
	mnl_attr_put(nlh, NETVIRT_A_DROP_PAD, 0, NULL);
	for (type = 0; type <= NETVIRT_DROP_MAX; type++)
		mnl_attr_put_u64(nlh, NETVIRT_A_DROP_FIRST + type, drops[type]);
	mnl_attr_nest_end(nlh, dn);
}

/* @port: "NAME:N" (attached, device index N) or "NAME" (detached). */
static void reply_stats(unsigned int i, const char *tenant, const char *port,
			uint64_t base, const uint64_t *drops)
{
	struct nlmsghdr *nlh = reply(i, NETVIRT_CMD_STATS_GET);
	struct nlattr *nest = mnl_attr_nest_start(nlh, NETVIRT_A_STATS);

	if (tenant)
		mnl_attr_put_strz(nlh, NETVIRT_A_STATS_TENANT, tenant);
	else
		put_port(nlh, NETVIRT_A_STATS_IFINDEX, NETVIRT_A_STATS_IFNAME,
			 port);
	put_counters(nlh, base, drops);
	mnl_attr_nest_end(nlh, nest);
	reply_end(i, nlh);
}

/* JSON has every drop reason; these stand between the first and last. */
#define DROPS_BETWEEN \
	"\"spoofed-ip\":0,\"unsupported-ethertype\":0,\"malformed\":0," \
	"\"no-route\":0,\"blackhole\":0,\"ttl-expired\":0,\"port-down\":0," \
	"\"no-overlay\":0,\"no-port\":0,\"neigh\":0,\"multicast\":0," \
	"\"nomem\":0,"
/* NAT's, the last ones. */
#define DROPS_NAT \
	"\"no-uplink\":0,\"no-nat\":0,\"nat-exhausted\":0"
/* The firewall's, before them. */
#define DROPS_FW \
	"\"fw-deny\":0,\"fw-reject\":0,\"fw-invalid\":0,\"fw-cut\":0," DROPS_NAT
/* And these after the last one the tests set. */
#define DROPS_OVERLAY \
	"\"unknown-vni\":0,\"tunnel-source\":0,\"tunnel-option\":0," \
	"\"tunnel-loop\":0," DROPS_FW

static void test_stats(void)
{
	static const uint64_t none[NETVIRT_DROP_MAX + 1];
	static const uint64_t some[NETVIRT_DROP_MAX + 1] = {
		[NETVIRT_DROP_SPOOFED_MAC] = 4, [NETVIRT_DROP_TOO_BIG] = 1,
		[NETVIRT_DROP_FW_CUT] = 2,
	};

	reply_stats(0, "blue", NULL, 100, some);
	reply_stats(0, NULL, "lo:1", 0, none);
	check_out("stats", false,
		  "tenant blue\n"
		  "    rx packets 104 bytes 105\n"
		  "    tx packets 106 bytes 107\n"
		  "    arp-replies 108 nd-replies 109 icmp-errors 110\n"
		  "    drops spoofed-mac 4 too-big 1 fw-cut 2\n"
		  "port lo\n"
		  "    rx packets 0 bytes 0\n"
		  "    tx packets 0 bytes 0\n"
		  "    arp-replies 0 nd-replies 0 icmp-errors 0\n"
		  "    drops none\n");
	reply_stats(0, "blue", NULL, 100, some);
	reply_stats(1, NULL, "vm9", 0, none);
	check_out("stats tenant blue port lo", true,
		  "[{\"tenant\":\"blue\",\"rx_packets\":104,\"rx_bytes\":105,"
		  "\"tx_packets\":106,\"tx_bytes\":107,\"arp_replies\":108,"
		  "\"nd_replies\":109,\"icmp_errors\":110,\"drops\":{"
		  "\"spoofed-mac\":4," DROPS_BETWEEN "\"too-big\":1,"
		  "\"unknown-vni\":0,\"tunnel-source\":0,\"tunnel-option\":0,"
		  "\"tunnel-loop\":0,\"fw-deny\":0,\"fw-reject\":0,"
		  "\"fw-invalid\":0,\"fw-cut\":2," DROPS_NAT "}},"
		  "{\"port\":\"vm9\",\"rx_packets\":0,\"rx_bytes\":0,"
		  "\"tx_packets\":0,\"tx_bytes\":0,\"arp_replies\":0,"
		  "\"nd_replies\":0,\"icmp_errors\":0,\"drops\":{"
		  "\"spoofed-mac\":0," DROPS_BETWEEN "\"too-big\":0,"
		  DROPS_OVERLAY "}}]\n");
}

/* A HOST_GET reply, as the module builds it; @ifindex: underlay and tunnel. */
static void reply_host(const char *underlay, uint32_t ifindex, uint8_t encap,
		       uint16_t port, uint32_t mtu, uint64_t base,
		       const uint64_t *drops)
{
	struct nlmsghdr *nlh = reply(0, NETVIRT_CMD_HOST_GET);
	struct nlattr *nest = mnl_attr_nest_start(nlh, NETVIRT_A_HOST);
	struct nlattr *stats;

	if (strchr(underlay, ':'))
		put_in6(nlh, NETVIRT_A_HOST_UNDERLAY_IN6, underlay);
	else
		put_in4(nlh, NETVIRT_A_HOST_UNDERLAY_IN, underlay);
	mnl_attr_put_u32(nlh, NETVIRT_A_HOST_IFINDEX, ifindex);
	if (ifindex == 1)
		mnl_attr_put_strz(nlh, NETVIRT_A_HOST_IFNAME, "lo");
	mnl_attr_put_u8(nlh, NETVIRT_A_HOST_ENCAP, encap);
	mnl_attr_put_u16(nlh, NETVIRT_A_HOST_PORT, port);
	mnl_attr_put_u32(nlh, NETVIRT_A_HOST_TUNNEL_IFINDEX, ifindex);
	mnl_attr_put_u32(nlh, NETVIRT_A_HOST_MTU, mtu);
	stats = mnl_attr_nest_start(nlh, NETVIRT_A_HOST_STATS);
	put_counters(nlh, base, drops);
	mnl_attr_nest_end(nlh, stats);
	mnl_attr_nest_end(nlh, nest);
	reply_end(0, nlh);
}

static void test_host_show(void)
{
	static const uint64_t none[NETVIRT_DROP_MAX + 1];
	static const uint64_t some[NETVIRT_DROP_MAX + 1] = {
		[NETVIRT_DROP_UNKNOWN_VNI] = 3, [NETVIRT_DROP_TUNNEL_LOOP] = 2,
	};

	reply_host("192.0.2.10", 1, NETVIRT_ENCAP_GENEVE, 6081, 1450, 100, some);
	check_out("host show", false,
		  "underlay 192.0.2.10 dev lo encap geneve port 6081 tunnel lo mtu 1450\n"
		  "    rx packets 104 bytes 105\n"
		  "    tx packets 106 bytes 107\n"
		  "    arp-replies 108 nd-replies 109 icmp-errors 110\n"
		  "    drops unknown-vni 3 tunnel-loop 2\n");
	reply_host("192.0.2.10", 1, NETVIRT_ENCAP_GENEVE, 6081, 1450, 100, some);
	check_out("host show", true,
		  "{\"underlay\":\"192.0.2.10\",\"dev\":\"lo\",\"ifindex\":1,"
		  "\"encap\":\"geneve\",\"port\":6081,\"tunnel\":\"lo\","
		  "\"tunnel_ifindex\":1,\"mtu\":1450,\"stats\":{"
		  "\"rx_packets\":104,\"rx_bytes\":105,\"tx_packets\":106,"
		  "\"tx_bytes\":107,\"arp_replies\":108,\"nd_replies\":109,"
		  "\"icmp_errors\":110,\"drops\":{\"spoofed-mac\":0,"
		  DROPS_BETWEEN "\"too-big\":0,\"unknown-vni\":3,"
		  "\"tunnel-source\":0,\"tunnel-option\":0,\"tunnel-loop\":2,"
		  DROPS_FW "}}}\n");
	/* Devices gone meanwhile: "ifindex N", as route show prints them. */
	reply_host("2001:db8::10", 999999, NETVIRT_ENCAP_VXLAN, 4789, 1430, 0, none);
	check_out("host", false,
		  "underlay 2001:db8::10 dev ifindex 999999 encap vxlan port 4789 "
		  "tunnel ifindex 999999 mtu 1430\n"
		  "    rx packets 0 bytes 0\n"
		  "    tx packets 0 bytes 0\n"
		  "    arp-replies 0 nd-replies 0 icmp-errors 0\n"
		  "    drops none\n");
	reply_host("2001:db8::10", 999999, NETVIRT_ENCAP_VXLAN + 1, 4789, 1430, 0,
		   none);
	check_out("host show", true,
		  "{\"underlay\":\"2001:db8::10\",\"ifindex\":999999,"
		  "\"encap\":\"unknown\",\"port\":4789,\"tunnel_ifindex\":999999,"
		  "\"mtu\":1430,\"stats\":{\"rx_packets\":0,\"rx_bytes\":0,"
		  "\"tx_packets\":0,\"tx_bytes\":0,\"arp_replies\":0,"
		  "\"nd_replies\":0,\"icmp_errors\":0,\"drops\":{"
		  "\"spoofed-mac\":0," DROPS_BETWEEN "\"too-big\":0,"
		  DROPS_OVERLAY "}}}\n");
}

/* An UPLINK_GET reply: eth1, device index 3, two NAT addresses. */
static void reply_uplink(uint64_t base, const uint64_t *drops)
{
	struct nlmsghdr *nlh = reply(0, NETVIRT_CMD_UPLINK_GET);
	struct nlattr *nest = mnl_attr_nest_start(nlh, NETVIRT_A_UPLINK);
	struct nlattr *list;

	mnl_attr_put_u32(nlh, NETVIRT_A_UPLINK_IFINDEX, 3);
	mnl_attr_put_strz(nlh, NETVIRT_A_UPLINK_IFNAME, "eth1");
	list = mnl_attr_nest_start(nlh, NETVIRT_A_UPLINK_ADDRS);
	put_in4(nlh, NETVIRT_A_ADDR_IN, "203.0.113.5");
	put_in6(nlh, NETVIRT_A_ADDR_IN6, "2001:db8::5");
	mnl_attr_nest_end(nlh, list);
	list = mnl_attr_nest_start(nlh, NETVIRT_A_UPLINK_STATS);
	put_counters(nlh, base, drops);
	mnl_attr_nest_end(nlh, list);
	mnl_attr_nest_end(nlh, nest);
	reply_end(0, nlh);
}

/* The counters as nvctl stats prints a port's; and as host show does. */
static void test_uplink_show(void)
{
	static const uint64_t some[NETVIRT_DROP_MAX + 1] = {
		[NETVIRT_DROP_NO_NAT] = 2, [NETVIRT_DROP_NAT_EXHAUSTED] = 1,
	};

	reply_uplink(100, some);
	check_out("uplink show", false,
		  "dev eth1 ifindex 3 addr 203.0.113.5 addr 2001:db8::5\n"
		  "    rx packets 104 bytes 105\n"
		  "    tx packets 106 bytes 107\n"
		  "    arp-replies 108 nd-replies 109 icmp-errors 110\n"
		  "    drops no-nat 2 nat-exhausted 1\n");
	reply_uplink(100, some);
	check_out("uplink", true,
		  "{\"dev\":\"eth1\",\"ifindex\":3,"
		  "\"addrs\":[\"203.0.113.5\",\"2001:db8::5\"],\"stats\":{"
		  "\"rx_packets\":104,\"rx_bytes\":105,\"tx_packets\":106,"
		  "\"tx_bytes\":107,\"arp_replies\":108,\"nd_replies\":109,"
		  "\"icmp_errors\":110,\"drops\":{\"spoofed-mac\":0,"
		  DROPS_BETWEEN "\"too-big\":0,\"unknown-vni\":0,"
		  "\"tunnel-source\":0,\"tunnel-option\":0,\"tunnel-loop\":0,"
		  "\"fw-deny\":0,\"fw-reject\":0,\"fw-invalid\":0,\"fw-cut\":0,"
		  "\"no-uplink\":0,\"no-nat\":2,\"nat-exhausted\":1}}}\n");
}

/* Counters as nla_put_u64_64bit() puts them, with a pad before each. */
static void put_nat_u64(struct nlmsghdr *nlh, uint16_t type, uint64_t v)
{
	mnl_attr_put(nlh, NETVIRT_A_NAT_PAD, 0, NULL);
	mnl_attr_put_u64(nlh, type, v);
}

/* The counters of a NAT rule: @v, @v + 1, ... from PACKETS on. */
static void put_nat_counters(struct nlmsghdr *nlh, uint64_t v)
{
	uint16_t type;

	for (type = NETVIRT_A_NAT_PACKETS; type <= NETVIRT_A_NAT_PORTS_USED;
	     type++)
		put_nat_u64(nlh, type, v ? v++ : 0);
}

static struct nlattr *nat_begin(struct nlmsghdr *nlh, uint32_t handle,
				uint8_t type)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, NETVIRT_A_NAT);

	mnl_attr_put_strz(nlh, NETVIRT_A_NAT_TENANT, "blue");
	mnl_attr_put_u32(nlh, NETVIRT_A_NAT_HANDLE, handle);
	mnl_attr_put_u8(nlh, NETVIRT_A_NAT_TYPE, type);
	return nest;
}

/* Rule 1: SNAT of 10.0.0.0/24 to 203.0.113.5, the default ports. */
static void reply_snat(unsigned int i, uint8_t cmd)
{
	struct nlmsghdr *nlh = reply(i, cmd);
	struct nlattr *nest = nat_begin(nlh, 1, NETVIRT_NAT_SNAT), *src;

	put_in4(nlh, NETVIRT_A_NAT_ADDR_IN, "203.0.113.5");
	src = mnl_attr_nest_start(nlh, NETVIRT_A_NAT_SRC);
	put_in4(nlh, NETVIRT_A_FW_ADDR_IN, "10.0.0.0");
	mnl_attr_put_u8(nlh, NETVIRT_A_FW_ADDR_PLEN, 24);
	mnl_attr_nest_end(nlh, src);
	mnl_attr_put_u16(nlh, NETVIRT_A_NAT_PORT_LO, NETVIRT_NAT_PORT_LO);
	mnl_attr_put_u16(nlh, NETVIRT_A_NAT_PORT_HI, NETVIRT_NAT_PORT_HI);
	put_nat_counters(nlh, 3);
	mnl_attr_nest_end(nlh, nest);
	reply_end(i, nlh);
}

/* Rule 2: DNAT of [2001:db8::5]:443/tcp to [fd00::5]:8443, never used. */
static void reply_dnat(unsigned int i)
{
	struct nlmsghdr *nlh = reply(i, NETVIRT_CMD_NAT_GET);
	struct nlattr *nest = nat_begin(nlh, 2, NETVIRT_NAT_DNAT);

	put_in6(nlh, NETVIRT_A_NAT_ADDR_IN6, "2001:db8::5");
	mnl_attr_put_u8(nlh, NETVIRT_A_NAT_PROTO, 6);
	mnl_attr_put_u16(nlh, NETVIRT_A_NAT_PORT, 443);
	put_in6(nlh, NETVIRT_A_NAT_TO_IN6, "fd00::5");
	mnl_attr_put_u16(nlh, NETVIRT_A_NAT_TO_PORT, 8443);
	put_nat_counters(nlh, 0);
	mnl_attr_nest_end(nlh, nest);
	reply_end(i, nlh);
}

/* Rule 3: a floating IP, without counters; rule 4 of a newer type. */
static void reply_fip(unsigned int i, uint32_t handle, uint8_t type)
{
	struct nlmsghdr *nlh = reply(i, NETVIRT_CMD_NAT_GET);
	struct nlattr *nest = nat_begin(nlh, handle, type);

	put_in4(nlh, NETVIRT_A_NAT_ADDR_IN, "203.0.113.7");
	put_in4(nlh, NETVIRT_A_NAT_TO_IN, "10.0.0.7");
	mnl_attr_nest_end(nlh, nest);
	reply_end(i, nlh);
}

static void reply_nat_rules(void)
{
	reply_snat(0, NETVIRT_CMD_NAT_GET);
	reply_dnat(0);
	reply_fip(0, 3, NETVIRT_NAT_FIP);
	reply_fip(0, 4, NETVIRT_NAT_TYPE_MAX + 1);
}

/* Rules as nat add takes them, in the dump's order; ports-used for SNAT. */
static void test_nat_show(void)
{
	reply_nat_rules();
	check_out("nat show tenant blue", false,
		  "snat src 10.0.0.0/24 to 203.0.113.5 ports 1024-65535 # handle 1\n"
		  "    packets 3 bytes 4 exhausted 5 conns 6 ports-used 7\n"
		  "dnat 2001:db8::5 proto tcp port 443 to fd00::5 port 8443 # handle 2\n"
		  "    packets 0 bytes 0 exhausted 0 conns 0\n"
		  "fip 203.0.113.7 to 10.0.0.7 # handle 3\n"
		  "unknown # handle 4\n");
	reply_nat_rules();
	check_out("nat show tenant blue", true,
		  "[{\"handle\":1,\"type\":\"snat\",\"src\":\"10.0.0.0/24\","
		  "\"addr\":\"203.0.113.5\",\"ports\":\"1024-65535\","
		  "\"packets\":3,\"bytes\":4,\"exhausted\":5,\"conns\":6,"
		  "\"ports_used\":7},"
		  "{\"handle\":2,\"type\":\"dnat\",\"addr\":\"2001:db8::5\","
		  "\"proto\":\"tcp\",\"port\":443,\"to\":\"fd00::5\","
		  "\"to_port\":8443,\"packets\":0,\"bytes\":0,\"exhausted\":0,"
		  "\"conns\":0},"
		  "{\"handle\":3,\"type\":\"fip\",\"addr\":\"203.0.113.7\","
		  "\"to\":\"10.0.0.7\"},"
		  "{\"handle\":4,\"type\":\"unknown\"}]\n");
	check_out("nat show tenant blue", true, "[]\n");
}

/* nat add answers with the rule: its handle is printed, as fw rule add's. */
static void test_nat_add(void)
{
	reply_snat(0, NETVIRT_CMD_NAT_NEW);
	check_out("nat add tenant blue snat src 10.0.0.0/24 to 203.0.113.5", false,
		  "handle 1\n");
	reply_snat(0, NETVIRT_CMD_NAT_NEW);
	check_out("nat add tenant blue snat src 10.0.0.0/24 to 203.0.113.5", true,
		  "{\"handle\":1}\n");
}

/* A FW_GET reply: the firewall of tenant blue. */
static void reply_fw(uint8_t policy, uint32_t flags)
{
	struct nlmsghdr *nlh = reply(0, NETVIRT_CMD_FW_GET);
	struct nlattr *nest = mnl_attr_nest_start(nlh, NETVIRT_A_FW);

	mnl_attr_put_strz(nlh, NETVIRT_A_FW_TENANT, "blue");
	mnl_attr_put_u8(nlh, NETVIRT_A_FW_POLICY, policy);
	mnl_attr_put_u32(nlh, NETVIRT_A_FW_FLAGS, flags);
	mnl_attr_put_u16(nlh, NETVIRT_A_FW_ZONE, 1);
	mnl_attr_put_u32(nlh, NETVIRT_A_FW_RULES, 2);
	mnl_attr_put_u32(nlh, NETVIRT_A_FW_GROUPS, 1);
	mnl_attr_put_u32(nlh, NETVIRT_A_FW_EPOCH, 3);
	mnl_attr_nest_end(nlh, nest);
	reply_end(0, nlh);
}

static void put_fw_prefix(struct nlmsghdr *nlh, uint16_t type,
			  const char *addr, uint8_t plen)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, type);

	if (strchr(addr, ':'))
		put_in6(nlh, NETVIRT_A_FW_ADDR_IN6, addr);
	else
		put_in4(nlh, NETVIRT_A_FW_ADDR_IN, addr);
	mnl_attr_put_u8(nlh, NETVIRT_A_FW_ADDR_PLEN, plen);
	mnl_attr_nest_end(nlh, nest);
}

/* Counters as nla_put_u64_64bit() puts them, with a pad before each. */
static void put_rule_u64(struct nlmsghdr *nlh, uint16_t type, uint64_t v)
{
	mnl_attr_put(nlh, NETVIRT_A_FW_RULE_PAD, 0, NULL);
	mnl_attr_put_u64(nlh, type, v);
}

/* Rule 1: every match of a TCP rule, hit 2.5 s ago, on port "tap1". */
static void reply_rule_tcp(unsigned int i)
{
	struct nlmsghdr *nlh = reply(i, NETVIRT_CMD_FW_RULE_GET);
	struct nlattr *nest = mnl_attr_nest_start(nlh, NETVIRT_A_FW_RULE);

	mnl_attr_put_strz(nlh, NETVIRT_A_FW_RULE_TENANT, "blue");
	mnl_attr_put_u32(nlh, NETVIRT_A_FW_RULE_HANDLE, 1);
	mnl_attr_put_u32(nlh, NETVIRT_A_FW_RULE_PRIO, 1000);
	mnl_attr_put_u8(nlh, NETVIRT_A_FW_RULE_DIR, NETVIRT_FW_DIR_OUT);
	mnl_attr_put_u32(nlh, NETVIRT_A_FW_RULE_IFINDEX, 999999);
	mnl_attr_put_strz(nlh, NETVIRT_A_FW_RULE_IFNAME, "tap1");
	put_fw_prefix(nlh, NETVIRT_A_FW_RULE_SRC, "10.0.0.0", 24);
	mnl_attr_put_u8(nlh, NETVIRT_A_FW_RULE_PROTO, 6);
	mnl_attr_put_u16(nlh, NETVIRT_A_FW_RULE_SPORT_LO, 1000);
	mnl_attr_put_u16(nlh, NETVIRT_A_FW_RULE_SPORT_HI, 2000);
	mnl_attr_put_u16(nlh, NETVIRT_A_FW_RULE_DPORT_LO, 80);
	mnl_attr_put_u16(nlh, NETVIRT_A_FW_RULE_DPORT_HI, 80);
	mnl_attr_put_u8(nlh, NETVIRT_A_FW_RULE_ACTION, NETVIRT_FW_ALLOW);
	mnl_attr_put_u32(nlh, NETVIRT_A_FW_RULE_FLAGS, NETVIRT_FW_F_LOG);
	put_rule_u64(nlh, NETVIRT_A_FW_RULE_PACKETS, 3);
	put_rule_u64(nlh, NETVIRT_A_FW_RULE_BYTES, 180);
	put_rule_u64(nlh, NETVIRT_A_FW_RULE_CONNS, 1);
	put_rule_u64(nlh, NETVIRT_A_FW_RULE_LAST_HIT, 2500);
	mnl_attr_nest_end(nlh, nest);
	reply_end(i, nlh);
}

/* Rule 2: every port, a group, a protocol without a name, never hit. */
static void reply_rule_group(unsigned int i)
{
	struct nlmsghdr *nlh = reply(i, NETVIRT_CMD_FW_RULE_GET);
	struct nlattr *nest = mnl_attr_nest_start(nlh, NETVIRT_A_FW_RULE);
	struct nlattr *dst;

	mnl_attr_put_strz(nlh, NETVIRT_A_FW_RULE_TENANT, "blue");
	mnl_attr_put_u32(nlh, NETVIRT_A_FW_RULE_HANDLE, 2);
	mnl_attr_put_u32(nlh, NETVIRT_A_FW_RULE_PRIO, 2000);
	mnl_attr_put_u8(nlh, NETVIRT_A_FW_RULE_DIR, NETVIRT_FW_DIR_IN);
	dst = mnl_attr_nest_start(nlh, NETVIRT_A_FW_RULE_DST);
	mnl_attr_put_strz(nlh, NETVIRT_A_FW_ADDR_GROUP, "web");
	mnl_attr_nest_end(nlh, dst);
	mnl_attr_put_u8(nlh, NETVIRT_A_FW_RULE_PROTO, 47);
	mnl_attr_put_u8(nlh, NETVIRT_A_FW_RULE_ACTION, NETVIRT_FW_DENY);
	mnl_attr_put_u32(nlh, NETVIRT_A_FW_RULE_FLAGS, NETVIRT_FW_F_PERSIST);
	put_rule_u64(nlh, NETVIRT_A_FW_RULE_PACKETS, 0);
	put_rule_u64(nlh, NETVIRT_A_FW_RULE_BYTES, 0);
	put_rule_u64(nlh, NETVIRT_A_FW_RULE_CONNS, 0);
	mnl_attr_nest_end(nlh, nest);
	reply_end(i, nlh);
}

/* Rule 3: ICMPv6 echo requests rejected. */
static void reply_rule_icmp(unsigned int i)
{
	struct nlmsghdr *nlh = reply(i, NETVIRT_CMD_FW_RULE_GET);
	struct nlattr *nest = mnl_attr_nest_start(nlh, NETVIRT_A_FW_RULE);

	mnl_attr_put_u32(nlh, NETVIRT_A_FW_RULE_HANDLE, 3);
	mnl_attr_put_u32(nlh, NETVIRT_A_FW_RULE_PRIO, 0);
	mnl_attr_put_u8(nlh, NETVIRT_A_FW_RULE_DIR, NETVIRT_FW_DIR_IN);
	put_fw_prefix(nlh, NETVIRT_A_FW_RULE_SRC, "fd00::", 64);
	mnl_attr_put_u8(nlh, NETVIRT_A_FW_RULE_PROTO, 58);
	mnl_attr_put_u8(nlh, NETVIRT_A_FW_RULE_ICMP_TYPE, 128);
	mnl_attr_put_u8(nlh, NETVIRT_A_FW_RULE_ACTION, NETVIRT_FW_REJECT);
	mnl_attr_nest_end(nlh, nest);
	reply_end(i, nlh);
}

static void test_fw_show(void)
{
	reply_fw(NETVIRT_FW_DENY, 0);
	reply_rule_tcp(1);
	reply_rule_group(1);
	reply_rule_icmp(1);
	check_out("fw show tenant blue", false,
		  "tenant blue policy deny zone 1 epoch 3 rules 2 groups 1\n"
		  "handle 1 prio 1000 dir out port tap1 src 10.0.0.0/24 proto tcp "
		  "sport 1000-2000 dport 80 action allow log\n"
		  "    packets 3 bytes 180 conns 1 last-hit 2.5s ago\n"
		  "handle 2 prio 2000 dir in dst @web proto 47 action deny persist\n"
		  "    packets 0 bytes 0 conns 0 last-hit never\n"
		  "handle 3 prio 0 dir in src fd00::/64 proto icmpv6 icmp-type 128 "
		  "action reject\n");
	reply_fw(NETVIRT_FW_DENY, 0);
	reply_rule_tcp(1);
	reply_rule_group(1);
	reply_rule_icmp(1);
	check_out("fw show tenant blue", true,
		  "{\"tenant\":\"blue\",\"policy\":\"deny\",\"log\":false,\"zone\":1,"
		  "\"epoch\":3,\"rules\":[{\"handle\":1,\"prio\":1000,\"dir\":\"out\","
		  "\"port\":\"tap1\",\"src\":\"10.0.0.0/24\",\"proto\":\"tcp\","
		  "\"sport\":\"1000-2000\",\"dport\":\"80\",\"action\":\"allow\","
		  "\"log\":true,\"persist\":false,\"packets\":3,\"bytes\":180,"
		  "\"conns\":1,\"last_hit_ms\":2500},"
		  "{\"handle\":2,\"prio\":2000,\"dir\":\"in\",\"dst\":\"@web\","
		  "\"proto\":47,\"action\":\"deny\",\"log\":false,\"persist\":true,"
		  "\"packets\":0,\"bytes\":0,\"conns\":0},"
		  "{\"handle\":3,\"prio\":0,\"dir\":\"in\",\"src\":\"fd00::/64\","
		  "\"proto\":\"icmpv6\",\"icmp_type\":128,\"action\":\"reject\","
		  "\"log\":false,\"persist\":false}]}\n");
	reply_fw(NETVIRT_FW_ALLOW, NETVIRT_FW_F_LOG);
	check_out("fw show tenant blue", false,
		  "tenant blue policy allow log zone 1 epoch 3 rules 2 groups 1\n");
	reply_fw(NETVIRT_FW_ALLOW, NETVIRT_FW_F_LOG);
	check_out("fw show tenant blue", true,
		  "{\"tenant\":\"blue\",\"policy\":\"allow\",\"log\":true,\"zone\":1,"
		  "\"epoch\":3,\"rules\":[]}\n");
}

/* fw rule add answers with the rule: its handle is printed. */
static void test_fw_rule_add(void)
{
	reply_rule_tcp(0);
	check_out("fw rule add tenant blue dir out action allow", false,
		  "handle 1\n");
	reply_rule_tcp(0);
	check_out("fw rule add tenant blue dir out action allow", true,
		  "{\"handle\":1}\n");
}

static void reply_group(const char *name, const char *const *prefixes,
			uint32_t rules)
{
	struct nlmsghdr *nlh = reply(0, NETVIRT_CMD_FW_GROUP_GET);
	struct nlattr *nest = mnl_attr_nest_start(nlh, NETVIRT_A_FW_GROUP);
	struct nlattr *list;

	mnl_attr_put_strz(nlh, NETVIRT_A_FW_GROUP_TENANT, "blue");
	mnl_attr_put_strz(nlh, NETVIRT_A_FW_GROUP_NAME, name);
	list = mnl_attr_nest_start(nlh, NETVIRT_A_FW_GROUP_PREFIXES);
	for (; prefixes && *prefixes; prefixes += 2)
		put_fw_prefix(nlh, NETVIRT_A_FW_GROUP_PREFIX, prefixes[0],
			      atoi(prefixes[1]));
	mnl_attr_nest_end(nlh, list);
	mnl_attr_put_u32(nlh, NETVIRT_A_FW_GROUP_RULES, rules);
	mnl_attr_nest_end(nlh, nest);
	reply_end(0, nlh);
}

static void test_fw_group_show(void)
{
	static const char *const web[] = { "10.0.0.2", "32", "fd00::2", "128", NULL };

	reply_group("web", web, 1);
	reply_group("empty", NULL, 0);
	check_out("fw group show tenant blue", false,
		  "group web prefixes 10.0.0.2/32 fd00::2/128 rules 1\n"
		  "group empty rules 0\n");
	reply_group("web", web, 1);
	reply_group("empty", NULL, 0);
	check_out("fw group show tenant blue", true,
		  "[{\"tenant\":\"blue\",\"name\":\"web\","
		  "\"prefixes\":[\"10.0.0.2/32\",\"fd00::2/128\"],\"rules\":1},"
		  "{\"tenant\":\"blue\",\"name\":\"empty\",\"prefixes\":[],\"rules\":0}]\n");
}

/* Rule 4: for the ports of port group "web". */
static void reply_rule_pgroup(unsigned int i)
{
	struct nlmsghdr *nlh = reply(i, NETVIRT_CMD_FW_RULE_GET);
	struct nlattr *nest = mnl_attr_nest_start(nlh, NETVIRT_A_FW_RULE);

	mnl_attr_put_strz(nlh, NETVIRT_A_FW_RULE_TENANT, "blue");
	mnl_attr_put_u32(nlh, NETVIRT_A_FW_RULE_HANDLE, 4);
	mnl_attr_put_u32(nlh, NETVIRT_A_FW_RULE_PRIO, 1000);
	mnl_attr_put_u8(nlh, NETVIRT_A_FW_RULE_DIR, NETVIRT_FW_DIR_IN);
	mnl_attr_put_u8(nlh, NETVIRT_A_FW_RULE_PROTO, 6);
	mnl_attr_put_u16(nlh, NETVIRT_A_FW_RULE_DPORT_LO, 80);
	mnl_attr_put_u16(nlh, NETVIRT_A_FW_RULE_DPORT_HI, 80);
	mnl_attr_put_u8(nlh, NETVIRT_A_FW_RULE_ACTION, NETVIRT_FW_ALLOW);
	mnl_attr_put_strz(nlh, NETVIRT_A_FW_RULE_PGROUP, "web");
	mnl_attr_nest_end(nlh, nest);
	reply_end(i, nlh);
}

static void test_fw_show_pgroup(void)
{
	reply_fw(NETVIRT_FW_DENY, 0);
	reply_rule_pgroup(1);
	check_out("fw show tenant blue", false,
		  "tenant blue policy deny zone 1 epoch 3 rules 2 groups 1\n"
		  "handle 4 prio 1000 dir in pgroup web proto tcp dport 80 action allow\n");
	reply_fw(NETVIRT_FW_DENY, 0);
	reply_rule_pgroup(1);
	check_out("fw show tenant blue", true,
		  "{\"tenant\":\"blue\",\"policy\":\"deny\",\"log\":false,\"zone\":1,"
		  "\"epoch\":3,\"rules\":[{\"handle\":4,\"prio\":1000,\"dir\":\"in\","
		  "\"pgroup\":\"web\",\"proto\":\"tcp\",\"dport\":\"80\","
		  "\"action\":\"allow\",\"log\":false,\"persist\":false}]}\n");
}

/*
 * A port group: @ports are pairs of an ifindex (as a string) and the
 * IFNAME the module gives after it, or NULL for none.
 */
static void reply_pgroup(const char *name, const char *const *ports,
			 size_t n, uint32_t rules)
{
	struct nlmsghdr *nlh = reply(0, NETVIRT_CMD_FW_GROUP_GET);
	struct nlattr *nest = mnl_attr_nest_start(nlh, NETVIRT_A_FW_GROUP);
	struct nlattr *list;
	size_t i;

	mnl_attr_put_strz(nlh, NETVIRT_A_FW_GROUP_TENANT, "blue");
	mnl_attr_put_strz(nlh, NETVIRT_A_FW_GROUP_NAME, name);
	list = mnl_attr_nest_start(nlh, NETVIRT_A_FW_GROUP_PORTS);
	for (i = 0; i + 1 < n; i += 2) {
		mnl_attr_put_u32(nlh, NETVIRT_A_FW_GROUP_IFINDEX, atoi(ports[i]));
		if (ports[i + 1])
			mnl_attr_put_strz(nlh, NETVIRT_A_FW_GROUP_IFNAME,
					  ports[i + 1]);
	}
	mnl_attr_nest_end(nlh, list);
	mnl_attr_put_u32(nlh, NETVIRT_A_FW_GROUP_RULES, rules);
	mnl_attr_nest_end(nlh, nest);
	reply_end(0, nlh);
}

static void check_fails(const char *line, bool json, const char *desc)
{
	struct run r = { .line = line, .json = json };

	run(&r);
	expect(r.rc == EXIT_FAIL && !r.out[0], desc);
	if (r.out[0])
		diag("printed", r.out);
}

static void test_fw_pgroup_show(void)
{
	static const char *const web[] = { "999999", "a1", "999998", "a2" };
	/* Without IFNAME: by its name here, else by its index. */
	static const char *const odd[] = { "1", NULL, "999997", NULL, "999996", "x" };
	static const char *const db[] = { "10.0.0.2", "32", NULL };

	reply_pgroup("web", web, N(web), 1);
	reply_group("db", db, 2);
	reply_pgroup("empty", NULL, 0, 0);
	check_out("fw pgroup show tenant blue", false,
		  "pgroup web ports a1 a2 rules 1\n"
		  "pgroup empty rules 0\n");
	reply_pgroup("web", web, N(web), 1);
	reply_group("db", db, 2);
	reply_pgroup("empty", NULL, 0, 0);
	check_out("fw pgroup show tenant blue", true,
		  "[{\"tenant\":\"blue\",\"name\":\"web\",\"ports\":[\"a1\",\"a2\"],\"rules\":1},"
		  "{\"tenant\":\"blue\",\"name\":\"empty\",\"ports\":[],\"rules\":0}]\n");
	reply_pgroup("odd", odd, N(odd), 0);
	check_out("fw pgroup show tenant blue odd", false,
		  "pgroup odd ports lo 999997 x rules 0\n");
	reply_pgroup("odd", odd, N(odd), 0);
	check_out("fw pgroup show tenant blue odd", true,
		  "[{\"tenant\":\"blue\",\"name\":\"odd\",\"ports\":[\"lo\",999997,\"x\"],"
		  "\"rules\":0}]\n");
	/* group show: address groups only */
	reply_pgroup("web", web, N(web), 1);
	reply_group("db", db, 2);
	check_out("fw group show tenant blue", false,
		  "group db prefixes 10.0.0.2/32 rules 2\n");
	reply_pgroup("web", web, N(web), 1);
	check_out("fw group show tenant blue", true, "[]\n");
	/* A group of the other kind by its name: an error, no output. */
	reply_group("db", db, 2);
	check_fails("fw pgroup show tenant blue db", true,
		    "nvctl -j fw pgroup show tenant blue db: an address group fails");
	reply_pgroup("web", web, N(web), 1);
	check_fails("fw group show tenant blue web", false,
		    "nvctl fw group show tenant blue web: a port group fails");
}

/* A FW_EVENT: a rule's denial of TCP (@handle), or the policy's of ICMPv6. */
static struct nlmsghdr *build_event(char *buf, uint32_t handle)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	struct nlattr *nest;

	genl->cmd = NETVIRT_CMD_FW_EVENT;
	nest = mnl_attr_nest_start(nlh, NETVIRT_A_FW_EVENT);
	mnl_attr_put_strz(nlh, NETVIRT_A_FW_EVENT_TENANT, "blue");
	if (handle) {
		mnl_attr_put_u32(nlh, NETVIRT_A_FW_EVENT_HANDLE, handle);
		mnl_attr_put_u8(nlh, NETVIRT_A_FW_EVENT_DIR, NETVIRT_FW_DIR_IN);
		mnl_attr_put_u32(nlh, NETVIRT_A_FW_EVENT_IFINDEX, 1);
		mnl_attr_put_u8(nlh, NETVIRT_A_FW_EVENT_ACTION, NETVIRT_FW_DENY);
		mnl_attr_put_u32(nlh, NETVIRT_A_FW_EVENT_REASON, NETVIRT_DROP_FW_DENY);
		put_in4(nlh, NETVIRT_A_FW_EVENT_SRC_IN, "10.0.0.1");
		put_in4(nlh, NETVIRT_A_FW_EVENT_DST_IN, "10.0.0.2");
		mnl_attr_put_u8(nlh, NETVIRT_A_FW_EVENT_PROTO, 6);
		mnl_attr_put_u16(nlh, NETVIRT_A_FW_EVENT_SPORT, 40000);
		mnl_attr_put_u16(nlh, NETVIRT_A_FW_EVENT_DPORT, 80);
	} else {
		mnl_attr_put_u8(nlh, NETVIRT_A_FW_EVENT_DIR, NETVIRT_FW_DIR_OUT);
		mnl_attr_put_u32(nlh, NETVIRT_A_FW_EVENT_IFINDEX, 999999);
		mnl_attr_put_u8(nlh, NETVIRT_A_FW_EVENT_ACTION, NETVIRT_FW_REJECT);
		mnl_attr_put_u32(nlh, NETVIRT_A_FW_EVENT_REASON, NETVIRT_DROP_FW_REJECT);
		put_in6(nlh, NETVIRT_A_FW_EVENT_SRC_IN6, "fd00::1");
		put_in6(nlh, NETVIRT_A_FW_EVENT_DST_IN6, "fd00::2");
		mnl_attr_put_u8(nlh, NETVIRT_A_FW_EVENT_PROTO, 58);
		mnl_attr_put_u8(nlh, NETVIRT_A_FW_EVENT_ICMP_TYPE, 128);
	}
	mnl_attr_nest_end(nlh, nest);
	return nlh;
}

/*
 * What nvctl monitor prints of @nlh through @view; "" when it takes it
 * for no event, or filters it out.
 */
static void check_view_of(bool (*print)(const struct nlmsghdr *nlh,
					const struct event_view *view),
			  const struct nlmsghdr *nlh,
			  const struct event_view *view, bool json,
			  const char *want, const char *desc)
{
	FILE *f = tmpfile();
	char out[1024];
	bool printed;
	size_t len;
	int saved;

	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	dup2(fileno(f), STDOUT_FILENO);
	out_init(json);
	printed = print(nlh, view);
	if (printed)
		out_flush();
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	rewind(f);
	len = fread(out, 1, sizeof(out) - 1, f);
	out[len] = '\0';
	fclose(f);
	expect(printed == !!want[0] && !strcmp(out, want), desc);
	if (strcmp(out, want)) {
		diag("printed", out);
		diag("want", want);
	}
}

static void check_view(const struct nlmsghdr *nlh,
		       const struct event_view *view, bool json,
		       const char *want, const char *desc)
{
	check_view_of(print_fw_event, nlh, view, json, want, desc);
}

static void check_event(const struct nlmsghdr *nlh, bool json,
			const char *want, const char *desc)
{
	check_view(nlh, NULL, json, want, desc);
}

/* A NAT_EVENT: SNAT rule 1 had no port, for TCP (IPv4) or UDP (IPv6). */
static struct nlmsghdr *build_nat_event(char *buf, bool v6)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	struct nlattr *nest;

	genl->cmd = NETVIRT_CMD_NAT_EVENT;
	nest = mnl_attr_nest_start(nlh, NETVIRT_A_NAT_EVENT);
	mnl_attr_put_strz(nlh, NETVIRT_A_NAT_EVENT_TENANT, "blue");
	mnl_attr_put_u32(nlh, NETVIRT_A_NAT_EVENT_HANDLE, 1);
	if (v6) {
		put_in6(nlh, NETVIRT_A_NAT_EVENT_ADDR_IN6, "2001:db8::5");
		put_in6(nlh, NETVIRT_A_NAT_EVENT_DST_IN6, "2001:db8:1::7");
		mnl_attr_put_u8(nlh, NETVIRT_A_NAT_EVENT_PROTO, 17);
		mnl_attr_put_u16(nlh, NETVIRT_A_NAT_EVENT_DPORT, 53);
	} else {
		put_in4(nlh, NETVIRT_A_NAT_EVENT_ADDR_IN, "203.0.113.5");
		put_in4(nlh, NETVIRT_A_NAT_EVENT_DST_IN, "198.51.100.7");
		mnl_attr_put_u8(nlh, NETVIRT_A_NAT_EVENT_PROTO, 6);
		mnl_attr_put_u16(nlh, NETVIRT_A_NAT_EVENT_DPORT, 443);
	}
	mnl_attr_nest_end(nlh, nest);
	return nlh;
}

static void check_nat_event(const struct nlmsghdr *nlh,
			    const struct event_view *view, bool json,
			    const char *want, const char *desc)
{
	check_view_of(print_nat_event, nlh, view, json, want, desc);
}

/* A NAT event as a line or object; the tenant filter, the timestamp. */
static void test_nat_events(void)
{
	struct event_view v = { .when = { 1796665636, 42 } };
	char buf[1024];

	check_nat_event(build_nat_event(buf, false), NULL, false,
			"nat-exhausted tenant blue rule 1 addr 203.0.113.5 "
			"dst 198.51.100.7 proto tcp dport 443\n",
			"monitor: a SNAT rule out of ports");
	check_nat_event(build_nat_event(buf, true), NULL, true,
			"{\"event\":\"nat-exhausted\",\"tenant\":\"blue\",\"rule\":1,"
			"\"addr\":\"2001:db8::5\",\"dst\":\"2001:db8:1::7\","
			"\"proto\":\"udp\",\"dport\":53}\n",
			"monitor -j: a SNAT rule out of ports, IPv6");
	strcpy(v.tenant, "red");
	check_nat_event(build_nat_event(buf, false), &v, false, "",
			"monitor tenant red: blue's NAT event filtered out");
	strcpy(v.tenant, "blue");
	v.stamp = STAMP_SHORT;
	setenv("TZ", "UTC", 1);
	tzset();
	check_nat_event(build_nat_event(buf, false), &v, false,
			"[2026-12-07T17:47:16.000042] nat-exhausted tenant blue "
			"rule 1 addr 203.0.113.5 dst 198.51.100.7 proto tcp dport 443\n",
			"monitor -ts tenant blue: blue's NAT event printed");
	check_event(build_nat_event(buf, false), false, "",
		    "monitor: a NAT event is no firewall event");
	check_nat_event(build_event(buf, 3), NULL, false, "",
			"monitor: a firewall event is no NAT event");
}

/* Timestamps as `ip -t monitor` and `ip -ts monitor`; a tenant filter. */
static void test_event_views(void)
{
	struct event_view v = { .when = { 1796665636, 42 } };
	char buf[1024];

	setenv("TZ", "UTC", 1);
	tzset();
	v.stamp = STAMP_LONG;
	check_view(build_event(buf, 3), &v, false,
		   "Timestamp: Mon Dec  7 17:47:16 2026 42 usec\n"
		   "fw tenant blue handle 3 dir in port lo action deny reason fw-deny "
		   "proto tcp src 10.0.0.1 sport 40000 dst 10.0.0.2 dport 80\n",
		   "monitor -t: a timestamp line before the event");
	v.stamp = STAMP_SHORT;
	check_view(build_event(buf, 0), &v, false,
		   "[2026-12-07T17:47:16.000042] fw tenant blue dir out port 999999 "
		   "action reject reason fw-reject proto icmpv6 src fd00::1 "
		   "dst fd00::2 icmp-type 128\n",
		   "monitor -ts: a short timestamp before the event");
	check_view(build_event(buf, 0), &v, true,
		   "{\"timestamp\":\"2026-12-07T17:47:16.000042Z\",\"event\":\"fw\","
		   "\"tenant\":\"blue\",\"dir\":\"out\",\"port\":999999,"
		   "\"action\":\"reject\",\"reason\":\"fw-reject\",\"proto\":\"icmpv6\","
		   "\"src\":\"fd00::1\",\"dst\":\"fd00::2\",\"icmp_type\":128}\n",
		   "monitor -j -t: a timestamp member, in UTC");
	v.stamp = STAMP_NONE;
	strcpy(v.tenant, "red");
	check_view(build_event(buf, 3), &v, false, "",
		   "monitor tenant red: blue's event filtered out");
	strcpy(v.tenant, "blue");
	check_view(build_event(buf, 3), &v, false,
		   "fw tenant blue handle 3 dir in port lo action deny reason fw-deny "
		   "proto tcp src 10.0.0.1 sport 40000 dst 10.0.0.2 dport 80\n",
		   "monitor tenant blue: blue's event printed");
}

static void test_fw_events(void)
{
	struct genlmsghdr *genl;
	struct nlmsghdr *nlh;
	char buf[1024];

	check_event(build_event(buf, 3), false,
		    "fw tenant blue handle 3 dir in port lo action deny reason fw-deny "
		    "proto tcp src 10.0.0.1 sport 40000 dst 10.0.0.2 dport 80\n",
		    "monitor: a rule's denial");
	check_event(build_event(buf, 3), true,
		    "{\"event\":\"fw\",\"tenant\":\"blue\",\"handle\":3,\"dir\":\"in\","
		    "\"port\":\"lo\",\"action\":\"deny\",\"reason\":\"fw-deny\","
		    "\"proto\":\"tcp\",\"src\":\"10.0.0.1\",\"sport\":40000,"
		    "\"dst\":\"10.0.0.2\",\"dport\":80}\n",
		    "monitor -j: a rule's denial");
	check_event(build_event(buf, 0), false,
		    "fw tenant blue dir out port 999999 action reject reason fw-reject "
		    "proto icmpv6 src fd00::1 dst fd00::2 icmp-type 128\n",
		    "monitor: the policy's rejection, a port of another namespace");
	check_event(build_event(buf, 0), true,
		    "{\"event\":\"fw\",\"tenant\":\"blue\",\"dir\":\"out\",\"port\":999999,"
		    "\"action\":\"reject\",\"reason\":\"fw-reject\",\"proto\":\"icmpv6\","
		    "\"src\":\"fd00::1\",\"dst\":\"fd00::2\",\"icmp_type\":128}\n",
		    "monitor -j: the policy's rejection");
	nlh = build_event(buf, 3);
	genl = mnl_nlmsg_get_payload(nlh);
	genl->cmd = NETVIRT_CMD_TENANT_GET;
	check_event(nlh, false, "", "monitor: another command is no event");
}

/*
 * `fw load` of @rules (a file's text), the kernel refusing the @attr-th
 * top-level attribute of the last message, messages of at most @room
 * bytes: expects exactly "FILE:@lineno: Error: ..." on standard error.
 */
static void check_load_refused(const char *rules, int attr, size_t room,
			       unsigned int lineno, const char *desc)
{
	char file[] = "/tmp/nvctl-load-XXXXXX", line[128], err[256], want[300];
	struct run r = { .line = line };
	int fd = mkstemp(file), saved;
	FILE *f = tmpfile();
	size_t len;

	dprintf(fd, "%s", rules);
	close(fd);
	snprintf(line, sizeof(line), "fw load tenant blue %s", file);
	refuse_attr = attr;
	part_room = room;
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	dup2(fileno(f), STDERR_FILENO);
	run(&r);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	refuse_attr = 0;
	part_room = 1 << 20;
	unlink(file);
	rewind(f);
	len = fread(err, 1, sizeof(err) - 1, f);
	err[len] = '\0';
	fclose(f);
	snprintf(want, sizeof(want), "%s:%u: Error: address group does not exist\n",
		 file, lineno);
	expect(r.rc == EXIT_FAIL && !strcmp(err, want), desc);
	if (strcmp(err, want))
		diag("stderr", err);
}

/*
 * The kernel refuses the third rule of a file: the error names its line
 * (skipped lines counted), as a parser's error does.
 */
static void test_fw_load_line(void)
{
	check_load_refused("dir out action allow\n# web\n\ndir in action allow\n"
			   "dir in src @nosuch action allow\n", 3, 1 << 20, 5,
			   "fw load: the kernel's refusal of a rule names its line");
}

/*
 * A load larger than a message: parts of at most two rules (32 bytes
 * each, and the header's 64), the requests of one transaction; a load
 * that fits is one request, no transaction (control).
 */
static void test_fw_load_parts(void)
{
	char file[] = "/tmp/nvctl-load-XXXXXX", line[128];
	const char *rule = "14{2=\"blue\" 5=u8:0 16=u8:0}";
	char want[512];
	int fd = mkstemp(file);

	dprintf(fd, "dir in action allow\n# web\ndir in action allow\n"
		"dir in action allow\n");
	close(fd);
	snprintf(line, sizeof(line), "fw load tenant blue %s", file);
	part_room = 64 + 2 * 32;
	snprintf(want, sizeof(want), "cmd %u | cmd 17 %s %s | cmd 17 %s | cmd %u",
		 NETVIRT_CMD_TXN_BEGIN, rule, rule, rule,
		 NETVIRT_CMD_TXN_COMMIT);
	check_sent(line, want);
	part_room = 1 << 20;
	snprintf(want, sizeof(want), "cmd 17 %s %s %s", rule, rule, rule);
	check_sent(line, want);
	unlink(file);
}

/*
 * The refusal of a rule of the second part names that rule's line: the
 * part at fault and the offset in it locate it.
 */
static void test_fw_load_part_fault(void)
{
	check_load_refused("dir in action allow\n# web\ndir in action allow\n"
			   "dir in action allow\n", 1, 64 + 2 * 32, 4,
			   "fw load: a refused rule of a later part names its line");
}

/* Nothing of a listing that fails reaches standard output. */
static void test_failure(void)
{
	struct run r = { .line = "tenant show", .json = true };
	struct run host = { .line = "host show", .json = true };
	struct run uplink = { .line = "uplink show", .json = true };
	struct run nat = { .line = "nat show tenant blue", .json = true };

	fail = 1;
	run(&r);
	run(&host);
	run(&uplink);
	run(&nat);
	fail = 0;
	expect(r.rc == EXIT_FAIL && !r.out[0],
	       "a failed listing exits 1 and prints no JSON");
	expect(host.rc == EXIT_FAIL && !host.out[0],
	       "a failed host show exits 1 and prints no JSON");
	expect(uplink.rc == EXIT_FAIL && !uplink.out[0],
	       "a failed uplink show exits 1 and prints no JSON");
	expect(nat.rc == EXIT_FAIL && !nat.out[0],
	       "a failed nat show exits 1 and prints no JSON");
}

void test_messages(void)
{
	test_requests();
	test_tenant_show();
	test_port_show();
	test_route_show();
	test_stats();
	test_host_show();
	test_fw_show();
	test_fw_rule_add();
	test_fw_group_show();
	test_fw_show_pgroup();
	test_fw_pgroup_show();
	test_fw_events();
	test_fw_load_line();
	test_fw_load_parts();
	test_fw_load_part_fault();
	test_event_views();
	test_route_uplink();
	test_uplink_show();
	test_nat_show();
	test_nat_add();
	test_nat_events();
	test_failure();
}
