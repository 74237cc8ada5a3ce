/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nlfuzz: a generic netlink fuzzer for the netvirt family. Shared
 * declarations of the generator (gen.c), the mutator (mutate.c), the
 * transport (nlio.c) and the unprivileged phases (unpriv.c).
 */
#ifndef NLFUZZ_H
#define NLFUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <net/if.h>
#include <linux/netlink.h>
#include <linux/genetlink.h>
#include <linux/netvirt.h>

#define N(a)		(sizeof(a) / sizeof((a)[0]))

/* Largest request; attributes stay below 64 kB (nla_len is 16 bits). */
#define MSG_MAX		(160 * 1024)
#define HDRS_LEN	(NLMSG_HDRLEN + GENL_HDRLEN)
#define MAX_DEVS	32
#define MAX_ADDRS	16

/* xorshift64*: small, fast, and the same sequence on every machine. */
struct rng {
	uint64_t s;
};

void rng_seed(struct rng *r, uint64_t seed);
uint64_t rng_next(struct rng *r);
uint32_t rnd(struct rng *r, uint32_t n);	/* [0, n) */
bool chance(struct rng *r, unsigned int percent);
void rnd_bytes(struct rng *r, void *buf, size_t len);

struct msg {
	size_t len;		/* bytes sent: nlmsg_len, unless mutated */
	uint8_t buf[MSG_MAX];
};

static inline struct nlmsghdr *msg_nlh(struct msg *m)
{
	return (struct nlmsghdr *)m->buf;
}

static inline struct genlmsghdr *msg_genl(struct msg *m)
{
	return (struct genlmsghdr *)(m->buf + NLMSG_HDRLEN);
}

/* An address of the namespace, and the index in struct world of its device. */
struct waddr {
	bool v6;
	uint8_t a[16];
	int dev;
};

/*
 * The netns the fuzzer runs in: devices that requests can name, and the
 * addresses they hold (global scope only: link-local ones come from
 * random MACs and DAD timing, which would make replays differ).
 */
struct world {
	uint16_t family;
	int n_devs;
	uint32_t ifindex[MAX_DEVS];
	char ifname[MAX_DEVS][IF_NAMESIZE];
	int n_addrs;
	struct waddr addr[MAX_ADDRS];
};

/* gen.c: requests, from valid to garbage. */
enum gen_kind {
	GEN_VALID,	/* well-formed, values often valid */
	GEN_CHAOS,	/* well-formed outline, corrupted attributes */
	GEN_RANDOM,	/* random command and attribute soup */
};

/* Header constraints of the unprivileged phases (see unpriv.c). */
#define GEN_F_SANE_HDR	(1 << 0)

void gen_request(struct rng *r, const struct world *w, struct msg *m,
		 enum gen_kind kind, int cmd, unsigned int flags);
void gen_dump_request(struct rng *r, const struct world *w, struct msg *m,
		      int cmd);
void gen_info_get(struct msg *m, uint16_t family);
void gen_get(struct msg *m, uint16_t family, uint8_t cmd);
void gen_dump(struct msg *m, uint16_t family, uint8_t cmd,
	      const char *tenant);
void gen_tenant_get(struct msg *m, uint16_t family, uint8_t cmd,
		    const char *tenant);
int gen_pick_cmd(struct rng *r);
bool gen_has_dumpit(uint8_t cmd);
bool gen_has_doit(uint8_t cmd);
void gen_learn(const struct nlmsghdr *nlh, void *data);
void gen_sanitize_hdr(struct msg *m, uint16_t family);

/* mutate.c: byte- and attribute-level changes of a finished request. */
void mutate(struct rng *r, struct msg *m, const struct msg *other);

/* nlio.c: one socket, requests answered up to a barrier. */
struct reply {
	int error;		/* errno of the NLMSG_ERROR or DONE, negative */
	bool acked;		/* an NLMSG_ERROR arrived (error 0: success) */
	bool done;		/* NLMSG_DONE arrived */
	bool multi;		/* NLM_F_MULTI data: a dump */
	bool intr;		/* NLM_F_DUMP_INTR seen */
	bool has_msg;		/* NLMSGERR_ATTR_MSG on the error or DONE */
	bool has_attr;		/* NLMSGERR_ATTR_OFFS or _MISS_TYPE */
	char msg[160];
	unsigned int n_data;	/* data messages */
	unsigned int malformed;	/* replies whose attributes do not parse */
	bool lost;		/* ENOBUFS: some replies were dropped */
	bool timeout;		/* no barrier within the receive timeout */
};

struct nlsock {
	int fd;
	uint32_t seq;
	uint16_t family;
	uint8_t *rbuf;
	size_t rbuf_size;
	/* A dump left running by nl_transact(..., true). */
	bool bg_active;
	uint32_t bg_seq;
	struct reply bg;
	unsigned int stray;	/* replies to no request of ours */
	/* write() instead of sendto(): the opener's credentials count. */
	bool no_addr;
	/* Called with each data reply, when set (the final checks). */
	void (*cb)(const struct nlmsghdr *nlh, void *data);
	void *cb_data;
};

int nl_open(struct nlsock *s, int fd, bool cap_ack, size_t rbuf_size);
void nl_close(struct nlsock *s);
int nl_resolve(struct nlsock *s);
int nl_transact(struct nlsock *s, struct msg *m, struct reply *rep,
		bool leave_dump);
int nl_drain_bg(struct nlsock *s);
int nl_send_raw(struct nlsock *s, struct msg *m);
int nl_recv_once(struct nlsock *s, size_t len);
void hexdump(const char *prefix, const void *buf, size_t len, size_t max);

static inline bool msg_is_dump(struct msg *m)
{
	return m->len >= NLMSG_HDRLEN &&
	       (msg_nlh(m)->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
}

/* check.c: the module's own counts against its dumps. */
struct info {
	uint64_t gen;
	uint64_t features;	/* NETVIRT_FEAT_* */
	uint32_t counts[NETVIRT_A_COUNT_MAX + 1];
	bool has_version;
	bool has_counts;
};

int check_info(struct nlsock *s, struct info *info);
int check_census(struct nlsock *s, const struct info *info, bool report);

/* unpriv.c: requests that must all be refused with EPERM. */
struct unpriv_result {
	unsigned long msgs;
	unsigned long eperm;
	unsigned long violations;
};

int unpriv_run(int mode, const struct world *w, uint64_t seed,
	       unsigned long count, struct unpriv_result *res);
const char *unpriv_name(int mode);
#define UNPRIV_MODES	4

#endif
