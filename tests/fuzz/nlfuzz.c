// SPDX-License-Identifier: GPL-2.0
/*
 * nlfuzz - fuzz the "netvirt" generic netlink family.
 *
 *   nlfuzz [--seed N] [--count M] [--unpriv K] [--show S] [--timeout T]
 *          [--trace I] [--stats] [--strict] [-v]
 *
 * Sends M requests (random, corrupted, mutated and valid ones, to every
 * command and to unknown command numbers, with dumps left running or
 * abandoned midway, transactions on a second socket interleaved with the
 * main one's, and the module's limit parameters lowered and raised
 * meanwhile), then K requests from each of four unprivileged setups
 * (see unpriv.c), then checks that the module still answers, that
 * its counts agree with its dumps (each tenant's firewall with its rule
 * and group dumps too) and that the overlay (HOST_GET) has its tunnel
 * device and no other (also every 20000 iterations). Runs as root, in
 * a network namespace holding a few Ethernet devices for ports, some
 * with IPv4 and IPv6 addresses for the overlay's underlay (HOST_SET).
 * Prints TAP: one line per command, then one per phase and check. A
 * run is a function of the seed and of the namespace (and a freshly
 * loaded module): --seed N --count M replays it, and --trace I prints
 * every request of iteration I with its answer.
 *
 * The rule checked: every error answer carries an extended ACK message
 * (NLMSGERR_ATTR_MSG). Exempt are the errors the kernel's core sends
 * before netvirt's code runs, which have none:
 *   -EPERM       the permission check (GENL_UNS_ADMIN_PERM)
 *   -EINVAL      a message too short for the genl header
 *   -EOPNOTSUPP  an unknown command; a dump of a command without dumpit,
 *                or a doit of one without doit (ROUTE_GET, FW_RULE_GET,
 *                NAT_GET); FW_EVENT, NAT_EVENT and CONFIG_EVENT, which
 *                are multicast only: no handler at all
 *   -EBUSY       a dump requested while the socket's dump is running
 * (--strict counts them too, to see the check work.) --stats prints
 * each command's answers by error and message, "@" when the extack
 * points at an attribute: what the run reached.
 * Also checked: no request goes unanswered (10 s receive timeout), every
 * reply's attributes parse, error codes are errnos, no FW_EVENT or
 * NAT_EVENT request is accepted. Exit status 1 when anything fails.
 */
#include <errno.h>
#include <getopt.h>
#include <ifaddrs.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include "nlfuzz.h"

#define CORPUS		64
#define HEX_MAX		256
/*
 * The main socket's receive buffer: the kernel sizes dump parts to the
 * largest read, so a small one makes dumps of several parts. Replies
 * are short with NETLINK_CAP_ACK; a truncated one fails the run.
 */
#define MAIN_RBUF	8192
#define CENSUS_EVERY	20000

enum {
	B_UNKNOWN = NETVIRT_CMD_MAX + 1,	/* command numbers not in the UAPI */
	B_SHORT,				/* no room for the genl header */
	N_BUCKETS
};

/* Per command: what the requests got. */
struct bucket {
	unsigned long msgs;
	unsigned long accepted;		/* ACK 0, data, or a clean DONE */
	unsigned long refused;		/* an error */
	unsigned long silent;		/* no answer: none was asked for */
	unsigned long no_extack;	/* violations of the extack rule */
	unsigned long other;		/* timeouts, malformed replies */
	struct outcome {
		int error;
		bool attr;
		char msg[64];
		unsigned long n;
	} outcomes[64];			/* for --stats */
};

/* Bucket names: one per command, indexed by its number. */
#define CMD_NAME(c)	[NETVIRT_CMD_##c] = #c

static const char *const cmd_names[] = {
	CMD_NAME(UNSPEC),
	CMD_NAME(INFO_GET),
	CMD_NAME(TENANT_NEW),
	CMD_NAME(TENANT_DEL),
	CMD_NAME(TENANT_GET),
	CMD_NAME(PORT_NEW),
	CMD_NAME(PORT_DEL),
	CMD_NAME(PORT_GET),
	CMD_NAME(ROUTE_NEW),
	CMD_NAME(ROUTE_DEL),
	CMD_NAME(ROUTE_GET),
	CMD_NAME(STATS_GET),
	CMD_NAME(HOST_SET),
	CMD_NAME(HOST_DEL),
	CMD_NAME(HOST_GET),
	CMD_NAME(FW_SET),
	CMD_NAME(FW_GET),
	CMD_NAME(FW_RULE_NEW),
	CMD_NAME(FW_RULE_DEL),
	CMD_NAME(FW_RULE_GET),
	CMD_NAME(FW_GROUP_NEW),
	CMD_NAME(FW_GROUP_DEL),
	CMD_NAME(FW_GROUP_GET),
	CMD_NAME(FW_EVENT),
	CMD_NAME(UPLINK_SET),
	CMD_NAME(UPLINK_DEL),
	CMD_NAME(UPLINK_GET),
	CMD_NAME(NAT_NEW),
	CMD_NAME(NAT_DEL),
	CMD_NAME(NAT_GET),
	CMD_NAME(NAT_EVENT),
	CMD_NAME(TXN_BEGIN),
	CMD_NAME(TXN_COMMIT),
	CMD_NAME(TXN_ABORT),
	CMD_NAME(CONFIG_EVENT),
};

/* A command added to the UAPI needs its name above (and its grammar). */
_Static_assert(N(cmd_names) == NETVIRT_CMD_MAX + 1,
	       "a netvirt command without a name in cmd_names[]");

static const char *bucket_name(int bucket)
{
	if (bucket == B_UNKNOWN)
		return "unknown";
	if (bucket == B_SHORT)
		return "short-header";
	return cmd_names[bucket] ?: "unnamed";
}

static struct {
	uint64_t seed;
	unsigned long count;
	unsigned long unpriv;
	unsigned int show;
	unsigned int timeout;
	long trace;
	bool verbose;
	bool stats;
	bool strict;
} opt = { .count = 10000, .show = 3, .timeout = 0, .trace = -1 };

static struct bucket buckets[N_BUCKETS];
static struct world world;
static struct nlsock sk;
static struct rng rng;
static unsigned long iter, sent, shown;
static unsigned long busy_dumps, aborted_dumps, bad_dumps, lost, side_txns;
static struct msg cur, bgmsg;
static struct msg *corpus[CORPUS];
static unsigned int n_corpus;
static int tap_n, tap_failed;

static void tap(bool pass, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void tap(bool pass, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d nlfuzz: ", pass ? "" : "not ", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	tap_failed += !pass;
}

static int bucket_of(struct msg *m)
{
	uint8_t cmd;

	if (m->len < HDRS_LEN || msg_nlh(m)->nlmsg_len < HDRS_LEN)
		return B_SHORT;
	cmd = msg_genl(m)->cmd;
	return cmd <= NETVIRT_CMD_MAX ? cmd : B_UNKNOWN;
}

/* The documented errors without a message: see the top of the file. */
/* Commands the module sends on its monitor group and never takes. */
static bool is_event(int bucket)
{
	return bucket == NETVIRT_CMD_FW_EVENT || bucket == NETVIRT_CMD_NAT_EVENT ||
	       bucket == NETVIRT_CMD_CONFIG_EVENT;
}

static bool exempt(struct msg *m, int error, bool busy)
{
	uint8_t cmd;
	bool dump;

	if (error == -EPERM)
		return true;
	if (opt.strict)
		return false;
	if (bucket_of(m) == B_SHORT)
		return error == -EINVAL;
	cmd = msg_genl(m)->cmd;
	dump = msg_is_dump(m);
	if (error == -EOPNOTSUPP)
		return !cmd || cmd > NETVIRT_CMD_MAX ||
		       (dump ? !gen_has_dumpit(cmd) : !gen_has_doit(cmd));
	return error == -EBUSY && busy && dump;
}

static void describe(const char *what, struct msg *m, const struct reply *rep,
		     int ret)
{
	printf("# %s: %s, iteration %lu, message %lu: ", what,
	       bucket_name(bucket_of(m)), iter, sent);
	if (ret)
		printf("transport error %d (%s)\n", ret, strerror(-ret));
	else
		printf("error %d (%s)%s%s%s, %u data, %s%s\n", rep->error,
		       strerror(-rep->error), rep->has_msg ? " \"" : "",
		       rep->msg, rep->has_msg ? "\"" : "", rep->n_data,
		       rep->done ? "done" : rep->acked ? "acked" : "no ack",
		       rep->malformed ? ", MALFORMED reply" : "");
	hexdump("  ", m->buf, m->len, HEX_MAX);
}

/* Answers by error and message, for tuning the generator. */
static void tally(struct bucket *b, const struct reply *rep)
{
	struct outcome *o;
	size_t i;

	for (i = 0; i < N(b->outcomes); i++) {
		o = &b->outcomes[i];
		if (!o->n) {
			o->error = rep->error;
			o->attr = rep->has_attr;
			snprintf(o->msg, sizeof(o->msg), "%.63s", rep->msg);
		}
		if (o->error == rep->error && o->attr == rep->has_attr &&
		    !strncmp(o->msg, rep->msg, sizeof(o->msg) - 1)) {
			o->n++;
			return;
		}
	}
}

static void print_tally(void)
{
	const struct outcome *o;
	size_t i, j;

	for (i = 0; i < N_BUCKETS; i++) {
		printf("# %s:\n", bucket_name(i));
		for (j = 0; j < N(buckets[i].outcomes); j++) {
			o = &buckets[i].outcomes[j];
			if (o->n)
				printf("#   %6lu  %4d %s %s\n", o->n, o->error,
				       o->attr ? "@" : " ", o->msg);
		}
	}
}

/* Records the answer to @m, and any rule it breaks. */
static void account(struct msg *m, const struct reply *rep, int ret,
		    bool busy)
{
	struct bucket *b = &buckets[bucket_of(m)];
	const char *why = NULL;
	bool extack = false;

	b->msgs++;
	lost += rep->lost;
	if (ret == -ETIMEDOUT)
		why = "no answer within the timeout";
	else if (ret)
		why = "request not sent";
	else if (rep->malformed)
		why = "malformed reply";
	else if (rep->error > 0 || rep->error < -4095)
		why = "error is not an errno";
	/* Without NLM_F_REQUEST, netlink acks a message it never runs. */
	else if (is_event(bucket_of(m)) && !rep->error &&
		 (msg_nlh(m)->nlmsg_flags & NLM_F_REQUEST) &&
		 (rep->acked || rep->done || rep->n_data))
		why = "an event (multicast only) accepted as a request";
	else if (rep->error && !rep->has_msg && !exempt(m, rep->error, busy))
		extack = true;
	if (extack)
		why = "error without extack message";
	if (!ret && opt.stats)
		tally(b, rep);
	if (!ret && rep->error)
		b->refused++;
	else if (!ret && (rep->acked || rep->done || rep->n_data))
		b->accepted++;
	else if (!ret)
		b->silent++;
	if (opt.verbose || (long)iter == opt.trace)
		describe("trace", m, rep, ret);
	if (!why)
		return;
	if (extack)
		b->no_extack++;
	else
		b->other++;
	if (shown++ < opt.show * N_BUCKETS) {
		describe(why, m, rep, ret);
		printf("# replay: nlfuzz --seed %llu --count %lu --trace %lu\n",
		       (unsigned long long)opt.seed, sent, iter);
	}
}

static void reopen(void)
{
	nl_close(&sk);
	if (nl_open(&sk, -1, true, MAIN_RBUF) || nl_resolve(&sk)) {
		printf("Bail out! nlfuzz: cannot reopen the socket\n");
		exit(1);
	}
}

static void corpus_add(struct msg *m)
{
	unsigned int i = n_corpus < CORPUS ? n_corpus++ : rnd(&rng, CORPUS);

	if (!corpus[i])
		corpus[i] = malloc(sizeof(*m));
	if (corpus[i])
		memcpy(corpus[i], m, offsetof(struct msg, buf) + m->len);
}

static void send_one(struct msg *m, enum gen_kind kind)
{
	bool busy = sk.bg_active;
	struct reply rep;
	int ret;

	sk.cb = gen_learn;	/* rule handles, for the requests to come */
	ret = nl_transact(&sk, m, &rep, false);
	sk.cb = NULL;
	sent++;
	account(m, &rep, ret, busy);
	if (kind == GEN_VALID && !ret && !rep.error && m->len <= 8192)
		corpus_add(m);
	if (ret == -ETIMEDOUT)
		reopen();
}

static void send_mutant(void)
{
	const struct msg *other;

	if (n_corpus && chance(&rng, 70)) {
		other = corpus[rnd(&rng, n_corpus)];
		memcpy(&cur, other, offsetof(struct msg, buf) + other->len);
	} else
		gen_request(&rng, &world, &cur, GEN_VALID, -1, 0);
	other = n_corpus ? corpus[rnd(&rng, n_corpus)] : &cur;
	mutate(&rng, &cur, other);
	send_one(&cur, GEN_CHAOS);
}

static void send_generated(void)
{
	unsigned int k = rnd(&rng, 100);
	enum gen_kind kind;

	if (k < 20) {
		send_mutant();
		return;
	}
	kind = k < 60 ? GEN_VALID : k < 90 ? GEN_CHAOS : GEN_RANDOM;
	gen_request(&rng, &world, &cur, kind, -1, 0);
	send_one(&cur, kind);
}

/* A dump left running while other requests (dumps too: EBUSY) go by. */
static void busy_dump(void)
{
	struct reply rep;
	unsigned int n;
	int ret;

	gen_dump_request(&rng, &world, &bgmsg, -1);
	ret = nl_transact(&sk, &bgmsg, &rep, true);
	sent++;
	if (ret || !sk.bg_active) {
		account(&bgmsg, &rep, ret, false);
		if (ret == -ETIMEDOUT)
			reopen();
		return;
	}
	busy_dumps++;
	for (n = 1 + rnd(&rng, 6); n; n--) {
		if (chance(&rng, 30)) {
			gen_dump_request(&rng, &world, &cur, -1);
			send_one(&cur, GEN_VALID);
		} else {
			send_generated();
		}
	}
	ret = sk.bg_active ? nl_drain_bg(&sk) : 0;
	if (ret || (!sk.bg.done && !sk.bg.acked))
		bad_dumps++;
	account(&bgmsg, &sk.bg, ret, false);
	if (ret)
		reopen();
}

/* A dump on its own socket, read once or not at all, then closed. */
static void abandoned_dump(void)
{
	struct nlsock s;

	if (nl_open(&s, -1, chance(&rng, 50), 1 << 16))
		return;
	s.family = world.family;
	gen_dump_request(&rng, &world, &cur, -1);
	buckets[bucket_of(&cur)].msgs++;
	sent++;
	if (!nl_send_raw(&s, &cur) && chance(&rng, 60))
		nl_recv_once(&s, chance(&rng, 50) ? 4096 : 1 << 16);
	if (chance(&rng, 30)) {
		gen_request(&rng, &world, &cur, GEN_VALID, -1, 0);
		buckets[bucket_of(&cur)].msgs++;
		sent++;
		nl_send_raw(&s, &cur);
	}
	nl_close(&s);
	aborted_dumps++;
}

/* Sends @m on @s, a socket besides the main one, and checks the answer. */
static int side_send(struct nlsock *s, struct msg *m)
{
	struct reply rep;
	int ret;

	ret = nl_transact(s, m, &rep, false);
	sent++;
	account(m, &rep, ret, false);
	return ret;
}

/*
 * A transaction on a socket of its own, interleaved with the main
 * socket's requests (which may be in a transaction of their own): begun,
 * valid and chaotic requests staged, then committed (now and then as a
 * check, or on a generation likely stale), aborted, or dropped with the
 * socket closed.
 */
static void side_txn(void)
{
	static const uint8_t cmds[] = {
		NETVIRT_CMD_TENANT_NEW, NETVIRT_CMD_PORT_NEW,
		NETVIRT_CMD_ROUTE_NEW, NETVIRT_CMD_ROUTE_DEL,
		NETVIRT_CMD_FW_RULE_NEW, NETVIRT_CMD_FW_GROUP_NEW,
		NETVIRT_CMD_NAT_NEW, NETVIRT_CMD_PORT_DEL,
	};
	unsigned int n, end = rnd(&rng, 10);
	struct nlsock s;

	if (nl_open(&s, -1, true, 1 << 16))
		return;
	s.family = world.family;
	gen_request(&rng, &world, &cur, GEN_VALID, NETVIRT_CMD_TXN_BEGIN, 0);
	if (side_send(&s, &cur))
		goto out;
	for (n = 1 + rnd(&rng, 8); n; n--) {
		gen_request(&rng, &world, &cur,
			    chance(&rng, 80) ? GEN_VALID : GEN_CHAOS,
			    cmds[rnd(&rng, N(cmds))], 0);
		if (side_send(&s, &cur))
			goto out;
		if (chance(&rng, 50))
			send_generated();
	}
	if (end < 7)
		gen_request(&rng, &world, &cur, GEN_VALID,
			    NETVIRT_CMD_TXN_COMMIT, 0);
	else if (end < 9)
		gen_request(&rng, &world, &cur, GEN_VALID,
			    NETVIRT_CMD_TXN_ABORT, 0);
	if (end < 9)
		side_send(&s, &cur);
out:
	nl_close(&s);
	side_txns++;
}

/*
 * The module's limits (module parameters, which an administrator may
 * change at any time), lowered below what exists and raised again.
 */
static struct limit {
	const char *name;
	unsigned int low;	/* random values are 1..low */
	unsigned long saved;	/* 0: no such parameter */
} limits[] = {
	{ "max_tenants", 300, 0 },
	{ "max_ports", 8, 0 },
	{ "max_routes", 500, 0 },
	{ "max_tenant_ports", 4, 0 },
	{ "max_tenant_routes", 200, 0 },
	{ "max_rules", 400, 0 },
	{ "max_tenant_rules", 100, 0 },
};
static unsigned long limit_changes;

static int limit_rw(struct limit *l, unsigned long *val, bool write)
{
	char path[128];
	FILE *f;
	int ret;

	snprintf(path, sizeof(path), "/sys/module/netvirt/parameters/%s",
		 l->name);
	f = fopen(path, write ? "w" : "r");
	if (!f)
		return -1;
	ret = write ? fprintf(f, "%lu\n", *val) : fscanf(f, "%lu", val);
	return fclose(f) || ret < 1 ? -1 : 0;
}

static void limits_save(void)
{
	size_t i;

	for (i = 0; i < N(limits); i++)
		if (limit_rw(&limits[i], &limits[i].saved, false))
			limits[i].saved = 0;
}

static void limits_restore(void)
{
	size_t i;

	for (i = 0; i < N(limits); i++)
		if (limits[i].saved)
			limit_rw(&limits[i], &limits[i].saved, true);
}

static void limit_change(void)
{
	struct limit *l = &limits[rnd(&rng, N(limits))];
	unsigned long v = chance(&rng, 50) ? l->saved : 1 + rnd(&rng, l->low);

	if (l->saved && !limit_rw(l, &v, true))
		limit_changes++;
}

/* The module's counts against its dumps, now and then and at the end. */
static unsigned long censuses, census_bad;

static void census(bool report)
{
	struct info info;
	int bad;

	if (check_info(&sk, &info))
		bad = 1;
	else
		bad = check_census(&sk, &info, report);
	censuses++;
	census_bad += bad < 0 ? 1 : bad;
}

static void fuzz(void)
{
	unsigned int k;

	while (sent < opt.count) {
		if (++iter % CENSUS_EVERY == 0)
			census(false);
		k = rnd(&rng, 1000);
		if (k < 940)
			send_generated();
		else if (k < 970)
			busy_dump();
		else if (k < 985)
			side_txn();
		else if (k < 998)
			abandoned_dump();
		else
			limit_change();
	}
}

static void report_buckets(void)
{
	const struct bucket *b;
	int i;

	for (i = 0; i < N_BUCKETS; i++) {
		b = &buckets[i];
		tap(!b->no_extack && !b->other,
		    "cmd %s: %lu messages (%lu accepted, %lu refused, %lu unanswered), %lu without extack, %lu other failures",
		    bucket_name(i), b->msgs, b->accepted, b->refused,
		    b->silent, b->no_extack, b->other);
	}
	tap(!bad_dumps,
	    "dumps: %lu left running under other requests (%lu did not end), %lu abandoned midway; %lu limit changes; %lu transactions of a second socket",
	    busy_dumps, bad_dumps, aborted_dumps, limit_changes, side_txns);
}

static void unprivileged(void)
{
	struct unpriv_result res;
	struct info before, after;
	int mode, ret;

	for (mode = 0; mode < UNPRIV_MODES; mode++) {
		if (check_info(&sk, &before))
			memset(&before, 0xff, sizeof(before));
		ret = unpriv_run(mode, &world, opt.seed ^ (0x51ed27ULL * (mode + 1)),
				 opt.unpriv, &res);
		sent += res.msgs;
		if (check_info(&sk, &after) || after.gen != before.gen) {
			printf("# configuration generation %llu -> %llu\n",
			       (unsigned long long)before.gen,
			       (unsigned long long)after.gen);
			ret = -1;
		}
		tap(!ret && !res.violations && res.msgs == opt.unpriv,
		    "unprivileged (%s): %lu requests, %lu refused (EPERM, or EOPNOTSUPP before it), %lu otherwise",
		    unpriv_name(mode), res.msgs, res.eperm, res.violations);
	}
}

static void final_checks(void)
{
	struct info info;

	tap(!check_info(&sk, &info), "the module answers a valid INFO_GET");
	census(true);
	tap(!census_bad, "info counts agree with the dumps, the overlay with its tunnel device (%lu mismatches in %lu censuses)",
	    census_bad, censuses);
}

static int find_devices(void)
{
	struct if_nameindex *ifs = if_nameindex(), *i;
	int j, k;

	if (!ifs)
		return -1;
	for (i = ifs; i->if_index && world.n_devs < MAX_DEVS; i++) {
		if (!strcmp(i->if_name, "lo"))
			continue;
		/* Sorted by index: the same run for the same namespace. */
		for (j = world.n_devs; j > 0 && world.ifindex[j - 1] > i->if_index; j--)
			;
		for (k = world.n_devs; k > j; k--) {
			world.ifindex[k] = world.ifindex[k - 1];
			memcpy(world.ifname[k], world.ifname[k - 1], IF_NAMESIZE);
		}
		world.ifindex[j] = i->if_index;
		snprintf(world.ifname[j], IF_NAMESIZE, "%s", i->if_name);
		world.n_devs++;
	}
	if_freenameindex(ifs);
	return 0;
}

static int dev_of(const char *label)
{
	size_t len = strcspn(label, ":");	/* IPv4 labels: dev:alias */
	int i;

	for (i = 0; i < world.n_devs; i++)
		if (strlen(world.ifname[i]) == len &&
		    !strncmp(world.ifname[i], label, len))
			return i;
	return -1;
}

static int addr_cmp(const struct waddr *a, const struct waddr *b)
{
	return a->v6 != b->v6 ? a->v6 - b->v6 : memcmp(a->a, b->a, 16);
}

/*
 * The namespace's IPv4 and IPv6 addresses, for the underlay of HOST_SET:
 * global ones of the devices found, sorted, so that the same namespace
 * gives the same run.
 */
static int find_addrs(void)
{
	struct ifaddrs *ifa, *i;
	struct waddr a;
	int j, k;

	if (getifaddrs(&ifa))
		return -1;
	for (i = ifa; i && world.n_addrs < MAX_ADDRS; i = i->ifa_next) {
		if (!i->ifa_addr || (i->ifa_addr->sa_family != AF_INET &&
				     i->ifa_addr->sa_family != AF_INET6))
			continue;
		memset(&a, 0, sizeof(a));
		a.v6 = i->ifa_addr->sa_family == AF_INET6;
		if (a.v6)
			memcpy(a.a, &((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr, 16);
		else
			memcpy(a.a, &((struct sockaddr_in *)i->ifa_addr)->sin_addr, 4);
		a.dev = dev_of(i->ifa_name);
		if (a.dev < 0 || (a.v6 && IN6_IS_ADDR_LINKLOCAL(a.a)))
			continue;
		for (j = world.n_addrs; j > 0 && addr_cmp(&world.addr[j - 1], &a) > 0; j--)
			;
		for (k = world.n_addrs; k > j; k--)
			world.addr[k] = world.addr[k - 1];
		world.addr[j] = a;
		world.n_addrs++;
	}
	freeifaddrs(ifa);
	return 0;
}

static void watchdog(int sig)
{
	static const char msg[] = "Bail out! nlfuzz: watchdog timeout\n";

	(void)sig;
	if (write(STDOUT_FILENO, msg, sizeof(msg) - 1) < 0)
		_exit(2);
	_exit(1);
}

static void usage(void)
{
	fprintf(stderr,
		"Usage: nlfuzz [--seed N] [--count M] [--unpriv K] [--show S]\n"
		"              [--timeout SEC] [--trace ITERATION] [--stats] [--strict]\n"
		"              [-v]\n");
	exit(2);
}

static void parse_args(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "count", required_argument, NULL, 'c' },
		{ "unpriv", required_argument, NULL, 'u' },
		{ "show", required_argument, NULL, 'S' },
		{ "timeout", required_argument, NULL, 't' },
		{ "trace", required_argument, NULL, 'T' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "stats", no_argument, NULL, 'x' },
		{ "strict", no_argument, NULL, 'X' },
		{ NULL, 0, NULL, 0 },
	};
	bool seeded = false;
	int c;

	opt.unpriv = (unsigned long)-1;
	while ((c = getopt_long(argc, argv, "s:c:u:S:t:T:v", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			opt.seed = strtoull(optarg, NULL, 0);
			seeded = true;
			break;
		case 'c':
			opt.count = strtoul(optarg, NULL, 0);
			break;
		case 'u':
			opt.unpriv = strtoul(optarg, NULL, 0);
			break;
		case 'S':
			opt.show = strtoul(optarg, NULL, 0);
			break;
		case 't':
			opt.timeout = strtoul(optarg, NULL, 0);
			break;
		case 'T':
			opt.trace = strtol(optarg, NULL, 0);
			break;
		case 'v':
			opt.verbose = true;
			break;
		case 'x':
			opt.stats = true;
			break;
		case 'X':
			opt.strict = true;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	if (!seeded)
		opt.seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	if (opt.unpriv == (unsigned long)-1)
		opt.unpriv = opt.count / 40 + 1;
}

int main(int argc, char **argv)
{
	char addr[INET6_ADDRSTRLEN];
	struct timespec t0, t1;
	double secs;
	int i;

	parse_args(argc, argv);
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	if (opt.timeout) {
		signal(SIGALRM, watchdog);
		alarm(opt.timeout);
	}
	printf("TAP version 13\n1..%d\n", N_BUCKETS + 1 + UNPRIV_MODES + 2);
	printf("# nlfuzz: seed %llu, %lu requests, %lu per unprivileged phase\n",
	       (unsigned long long)opt.seed, opt.count, opt.unpriv);
	if (nl_open(&sk, -1, true, MAIN_RBUF) || nl_resolve(&sk) ||
	    find_devices() || find_addrs()) {
		printf("Bail out! nlfuzz: cannot reach the netvirt family\n");
		return 1;
	}
	world.family = sk.family;
	printf("# devices:");
	for (i = 0; i < world.n_devs; i++)
		printf(" %s(%u)", world.ifname[i], world.ifindex[i]);
	printf("\n# addresses:");
	for (i = 0; i < world.n_addrs; i++)
		printf(" %s", inet_ntop(world.addr[i].v6 ? AF_INET6 : AF_INET,
					world.addr[i].a, addr, sizeof(addr)));
	printf("\n");
	rng_seed(&rng, opt.seed);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	limits_save();
	fuzz();
	limits_restore();
	report_buckets();
	if (opt.stats)
		print_tally();
	unprivileged();
	final_checks();
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = t1.tv_sec - t0.tv_sec + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("# nlfuzz: %lu messages in %.1f s: %.0f messages/s; %lu iterations, %lu answers lost (ENOBUFS), %u stray\n",
	       sent, secs, sent / (secs > 0 ? secs : 1), iter, lost, sk.stray);
	nl_close(&sk);
	return tap_failed ? 1 : 0;
}
