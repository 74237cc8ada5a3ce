// SPDX-License-Identifier: GPL-2.0
/*
 * Requests without CAP_NET_ADMIN over the socket's network namespace.
 * GENL_UNS_ADMIN_PERM checks both the socket's opener and the sender,
 * so each side is tried on its own:
 *
 *   nobody        a child drops to uid/gid 65534, then opens a socket
 *   sender        a child opens a socket as root, then drops to nobody
 *   opener        nobody opens a socket and passes it to root, who
 *                 write()s to it (sendto() with an address would make
 *                 the kernel check the sender only: NETLINK_SKB_DST)
 *   userns        a child in a new user namespace (all capabilities
 *                 there, none over the netns, which init_user_ns owns)
 *
 * The header is kept sane (a known command, flags the core accepts) so
 * that the permission check is reached: every request must be refused
 * with EPERM, whatever its attributes, and nothing may be answered.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "nlfuzz.h"

#define NOBODY		65534
#define SHOW_MAX	3

static const char *const names[UNPRIV_MODES] = {
	"nobody", "sender", "opener", "userns",
};

const char *unpriv_name(int mode)
{
	return names[mode];
}

static int drop_to_nobody(void)
{
	if (setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
	    setresuid(NOBODY, NOBODY, NOBODY))
		return -errno;
	return 0;
}

static struct msg req, prev;

static void make_request(struct rng *r, const struct world *w)
{
	unsigned int k = rnd(r, 100);

	if (k < 80) {
		gen_request(r, w, &req, k < 40 ? GEN_VALID :
			    k < 70 ? GEN_CHAOS : GEN_RANDOM, -1, GEN_F_SANE_HDR);
	} else {
		gen_request(r, w, &req, GEN_VALID, -1, 0);
		mutate(r, &req, &prev);
		gen_sanitize_hdr(&req, w->family);
	}
	memcpy(&prev, &req, sizeof(req));
}

static void show(const char *mode, unsigned long i, const struct reply *rep)
{
	printf("# unpriv %s: request %lu: error %d, %u data replies%s\n",
	       mode, i, rep->error, rep->n_data,
	       rep->timeout ? ", timeout" : "");
	hexdump("  ", req.buf, req.len, 256);
}

static void fuzz(struct nlsock *s, int mode, const struct world *w,
		 uint64_t seed, unsigned long count, struct unpriv_result *res)
{
	struct reply rep;
	struct rng r;
	unsigned long i;
	int ret;

	rng_seed(&r, seed);
	for (i = 0; i < count; i++) {
		make_request(&r, w);
		ret = nl_transact(s, &req, &rep, false);
		res->msgs++;
		if (!ret && rep.acked && rep.error == -EPERM && !rep.n_data) {
			res->eperm++;
			continue;
		}
		/*
		 * A command without the requested handler (a dump of a doit-only
		 * command, or the reverse) is refused by genetlink before the
		 * permission check on newer kernels (6.12): refused all the same.
		 */
		if (!ret && rep.acked && rep.error == -EOPNOTSUPP && !rep.n_data) {
			res->eperm++;
			continue;
		}
		if (ret == -EMSGSIZE)
			continue;
		if (res->violations++ < SHOW_MAX)
			show(names[mode], i, &rep);
		if (ret == -ETIMEDOUT)
			break;
	}
	fflush(stdout);
}

static int send_fd(int sock, int fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	char byte = 0;
	struct iovec iov = { &byte, 1 };
	struct msghdr mh = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);

	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	return sendmsg(sock, &mh, 0) == 1 ? 0 : -1;
}

static int recv_fd(int sock)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	char byte;
	struct iovec iov = { &byte, 1 };
	struct msghdr mh = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *c;
	int fd;

	if (recvmsg(sock, &mh, 0) != 1)
		return -1;
	c = CMSG_FIRSTHDR(&mh);
	if (!c || c->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return fd;
}

/* The child: become unprivileged as @mode says, then fuzz or hand over. */
static int child(int mode, int out, const struct world *w, uint64_t seed,
		 unsigned long count)
{
	struct unpriv_result res = { 0 };
	struct nlsock s;
	int fd;

	if (mode == 1 && nl_open(&s, -1, true, 1 << 18))
		return 2;
	if (mode != 3 && drop_to_nobody())
		return 2;
	if (mode == 3 && unshare(CLONE_NEWUSER))
		return 2;
	if (mode == 2) {
		fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_GENERIC);
		return fd < 0 || send_fd(out, fd) ? 2 : 0;
	}
	if (mode != 1 && nl_open(&s, -1, true, 1 << 18))
		return 2;
	s.family = w->family;
	fuzz(&s, mode, w, seed, count, &res);
	nl_close(&s);
	return write(out, &res, sizeof(res)) == sizeof(res) ? 0 : 2;
}

/**
 * unpriv_run() - one unprivileged phase
 * @mode: 0..UNPRIV_MODES-1, see the top of the file
 * @w: the family and devices
 * @seed: the phase's own random stream
 * @count: requests
 * @res: filled with the counts
 *
 * Return: 0, or -1 when the phase could not be set up (or its child
 * died: a crash of the fuzzer itself).
 */
int unpriv_run(int mode, const struct world *w, uint64_t seed,
	       unsigned long count, struct unpriv_result *res)
{
	struct nlsock s;
	int sp[2], status, fd = -1;
	pid_t pid;

	memset(res, 0, sizeof(*res));
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp))
		return -1;
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		close(sp[0]);
		_exit(child(mode, sp[1], w, seed, count));
	}
	close(sp[1]);
	if (mode == 2) {
		fd = recv_fd(sp[0]);
		if (fd >= 0 && !nl_open(&s, fd, true, 1 << 18)) {
			s.family = w->family;
			s.no_addr = true;
			fuzz(&s, mode, w, seed, count, res);
			nl_close(&s);
		}
	} else if (read(sp[0], res, sizeof(*res)) != sizeof(*res)) {
		res->msgs = 0;
	}
	close(sp[0]);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		return -1;
	return mode == 2 && fd < 0 ? -1 : 0;
}
