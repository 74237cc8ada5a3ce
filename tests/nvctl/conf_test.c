// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the configuration as lines (conf.c): reading a file, the
 * spelling of prefixes, and the plan sync runs from the module's lines to
 * a file's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "tap.h"

/* @text as a file, read into @c; handles 1, 2, ... on rules and NAT. */
static int read_text(struct conf *c, const char *text, const char *tenant)
{
	char path[] = "/tmp/nvctl-conf-XXXXXX";
	uint32_t handle = 0;
	FILE *f;
	size_t i;
	int fd = mkstemp(path), ret;

	if (fd < 0)
		return -1;
	f = fdopen(fd, "w");
	fputs(text, f);
	fclose(f);
	ret = conf_read_file(c, path, tenant);
	unlink(path);
	for (i = 0; i < c->n; i++)
		if (c->lines[i].kind == CONF_RULE || c->lines[i].kind == CONF_NAT)
			c->lines[i].handle = ++handle;
	return ret;
}

/* The plan from @cur to @want, as text; @n gets its number of commands. */
static char *plan_of(const char *cur_text, const char *want_text, int *n)
{
	struct conf cur = { 0 }, want = { 0 };
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	if (read_text(&cur, cur_text, NULL) || read_text(&want, want_text, NULL))
		return strdup("(unreadable)");
	f = open_memstream(&buf, &len);
	*n = conf_plan(&cur, &want, f, NULL);
	fclose(f);
	conf_free(&cur);
	conf_free(&want);
	return buf;
}

/* @s with the first @from made @to; leaks, as tests may. */
static const char *sub(const char *s, const char *from, const char *to)
{
	const char *at = strstr(s, from);
	char *out = malloc(strlen(s) + strlen(to) + 1);

	if (!at || !out)
		return "(no such text)";
	sprintf(out, "%.*s%s%s", (int)(at - s), s, to, at + strlen(from));
	return out;
}

static void expect_plan(const char *desc, const char *cur, const char *want,
			const char *plan)
{
	int n = -1;
	char *got = plan_of(cur, want, &n);
	char line[512];

	snprintf(line, sizeof(line), "conf: %s", desc);
	expect(!strcmp(got, plan), line);
	if (strcmp(got, plan))
		printf("# got:\n%s# want:\n%s", got, plan);
	free(got);
}

#define BASE \
	"host set underlay 192.0.2.10 dev dummy0 encap geneve port 6081\n" \
	"uplink set dev up0\n" \
	"tenant add blue id 7 vni 700 router-mac 02:76:00:07:00:01\n" \
	"tenant add red id 8 vni 800 router-mac 02:76:00:08:00:01\n" \
	"fw policy tenant blue deny\n" \
	"fw group add tenant blue ops 192.0.2.0/24\n" \
	"port add b1 tenant blue mac 02:00:00:00:00:01 ip 10.0.0.1\n" \
	"port add r1 tenant red mac 02:00:00:00:00:03 ip 10.0.0.1\n" \
	"fw pgroup add tenant blue web b1\n" \
	"route add tenant blue 10.20.0.0/16 dev b1\n" \
	"route add tenant red 10.30.0.0/16 dev r1\n" \
	"fw rule add tenant blue prio 1000 dir out action allow\n" \
	"fw rule add tenant blue prio 1000 dir in port b1 proto tcp dport 22 action allow\n" \
	"nat add tenant blue fip 198.51.100.30 to 10.0.0.1\n"

static void test_conf_read(void)
{
	struct conf c = { 0 };

	expect(!read_text(&c, "# a comment\n\n  route add tenant blue 10.0.0.1 dev b1\n"
			  "fw rule add tenant blue  dir in src 10.0.0.1 dst 2001:DB8:0::1 action allow\n"
			  "fw group add tenant blue g 10.0.0.2 2001:db8::0/64 @x\n", NULL) &&
	       c.n == 3 &&
	       !strcmp(c.lines[0].text, "fw group add tenant blue g 10.0.0.2/32 2001:db8::/64 @x") &&
	       !strcmp(c.lines[1].text, "route add tenant blue 10.0.0.1/32 dev b1") &&
	       !strcmp(c.lines[1].key, "10.0.0.1/32") &&
	       !strcmp(c.lines[2].text, "fw rule add tenant blue dir in src 10.0.0.1/32 dst 2001:db8::1/128 action allow"),
	       "conf: comments skipped, words single-spaced, prefixes as printed, build order");
	conf_free(&c);
	expect(read_text(&c, "route show tenant blue\n", NULL) == -1,
	       "conf: a line no save prints is refused");
	conf_free(&c);
	expect(read_text(&c, "tenant add red id 8 vni 8\n", "blue") == -1 &&
	       read_text(&c, "host set underlay 192.0.2.1\n", "blue") == -1,
	       "conf: with a tenant, another tenant's line and the host's are refused");
	conf_free(&c);
	expect(!read_text(&c, "{\"gen\":3,\"lines\":[\"uplink set dev up0\"]}", NULL) &&
	       c.n == 1 && c.lines[0].kind == CONF_UPLINK,
	       "conf: save -j's document is read");
	conf_free(&c);
}

static void test_conf_plan(void)
{
	expect_plan("the same lines: nothing to do", BASE, BASE, "");
	expect_plan("a rule changed: deleted by handle, then added", BASE,
		    sub(BASE, "dport 22 ", "dport 2222 "),
		    "fw rule del tenant blue handle 2\n"
		    "fw rule add tenant blue prio 1000 dir in port b1 proto tcp dport 2222 action allow\n");
	expect_plan("a group with other prefixes is set", BASE,
		    sub(BASE, "ops 192.0.2.0/24", "ops 203.0.113.0/24"),
		    "fw group set tenant blue ops 203.0.113.0/24\n");
	expect_plan("a tenant gone: deleted with force, its objects with it",
		    BASE,
		    "host set underlay 192.0.2.10 dev dummy0 encap geneve port 6081\n"
		    "uplink set dev up0\n"
		    "tenant add blue id 7 vni 700 router-mac 02:76:00:07:00:01\n"
		    "fw policy tenant blue deny\n"
		    "fw group add tenant blue ops 192.0.2.0/24\n"
		    "port add b1 tenant blue mac 02:00:00:00:00:01 ip 10.0.0.1\n"
		    "fw pgroup add tenant blue web b1\n"
		    "route add tenant blue 10.20.0.0/16 dev b1\n"
		    "fw rule add tenant blue prio 1000 dir out action allow\n"
		    "fw rule add tenant blue prio 1000 dir in port b1 proto tcp dport 22 action allow\n"
		    "nat add tenant blue fip 198.51.100.30 to 10.0.0.1\n",
		    "tenant del red force\n");
	expect_plan("a port with another address: made again, with what names it",
		    BASE,
		    "host set underlay 192.0.2.10 dev dummy0 encap geneve port 6081\n"
		    "uplink set dev up0\n"
		    "tenant add blue id 7 vni 700 router-mac 02:76:00:07:00:01\n"
		    "tenant add red id 8 vni 800 router-mac 02:76:00:08:00:01\n"
		    "fw policy tenant blue deny\n"
		    "fw group add tenant blue ops 192.0.2.0/24\n"
		    "port add b1 tenant blue mac 02:00:00:00:00:01 ip 10.0.0.9\n"
		    "port add r1 tenant red mac 02:00:00:00:00:03 ip 10.0.0.1\n"
		    "fw pgroup add tenant blue web b1\n"
		    "route add tenant blue 10.20.0.0/16 dev b1\n"
		    "route add tenant red 10.30.0.0/16 dev r1\n"
		    "fw rule add tenant blue prio 1000 dir out action allow\n"
		    "fw rule add tenant blue prio 1000 dir in port b1 proto tcp dport 22 action allow\n"
		    "nat add tenant blue fip 198.51.100.30 to 10.0.0.9\n",
		    "nat del tenant blue handle 3\n"
		    "port del b1 force\n"
		    "port add b1 tenant blue mac 02:00:00:00:00:01 ip 10.0.0.9\n"
		    "fw pgroup set tenant blue web b1\n"
		    "route add tenant blue 10.20.0.0/16 dev b1\n"
		    "fw rule add tenant blue prio 1000 dir in port b1 proto tcp dport 22 action allow\n"
		    "nat add tenant blue fip 198.51.100.30 to 10.0.0.9\n");
	expect_plan("the host set anew, the uplink gone",
		    BASE,
		    "host set underlay 192.0.2.10 dev dummy0 encap vxlan port 4789\n"
		    "tenant add blue id 7 vni 700 router-mac 02:76:00:07:00:01\n"
		    "tenant add red id 8 vni 800 router-mac 02:76:00:08:00:01\n"
		    "fw policy tenant blue deny\n"
		    "fw group add tenant blue ops 192.0.2.0/24\n"
		    "port add b1 tenant blue mac 02:00:00:00:00:01 ip 10.0.0.1\n"
		    "port add r1 tenant red mac 02:00:00:00:00:03 ip 10.0.0.1\n"
		    "fw pgroup add tenant blue web b1\n"
		    "route add tenant blue 10.20.0.0/16 dev b1\n"
		    "route add tenant red 10.30.0.0/16 dev r1\n"
		    "fw rule add tenant blue prio 1000 dir out action allow\n"
		    "fw rule add tenant blue prio 1000 dir in port b1 proto tcp dport 22 action allow\n"
		    "nat add tenant blue fip 198.51.100.30 to 10.0.0.1\n",
		    "uplink del\n"
		    "host set underlay 192.0.2.10 dev dummy0 encap vxlan port 4789\n");
}

void test_conf(void)
{
	test_conf_read();
	test_conf_plan();
}
