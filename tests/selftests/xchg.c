// SPDX-License-Identifier: GPL-2.0
/*
 * One exchange with the selftests' echo servers:
 *
 *   xchg { tcp | udp } ADDR PORT    prints "OUTCOME SECONDS"
 *   xchg hold ADDR PORT DIR         a TCP exchange, then DIR/held; another
 *                                   once DIR/go exists; prints both outcomes
 *
 * OUTCOME is ok, garbled, timeout (1.5 s per step, 2 s for the second
 * exchange of hold) or the errno's name (ECONNREFUSED, EHOSTUNREACH...).
 * A held connection ends with a reset, not a FIN that a firewall which
 * cut it would see retransmitted for minutes.
 *
 * A program rather than an interpreter's one-liner: the tests run it
 * hundreds of times in an emulated guest.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MSG "netvirt"
#define TIMED_OUT (-1)

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static const char *outcome(int err)
{
	const char *name;

	if (err == 0)
		return "ok";
	if (err == TIMED_OUT)
		return "timeout";
	name = strerrorname_np(err);
	return name ? name : "unknown";
}

/* Waits for @events on @fd: 0, TIMED_OUT or an errno. */
static int wait_for(int fd, short events, int ms)
{
	struct pollfd p = { .fd = fd, .events = events };
	int n = poll(&p, 1, ms);

	if (n < 0)
		return errno;
	return n ? 0 : TIMED_OUT;
}

/* The socket's pending error, as an errno. */
static int sock_error(int fd)
{
	socklen_t len = sizeof(int);
	int err = 0;

	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len))
		return errno;
	return err;
}

/* Sends MSG, reads the echo: 0 (ok), 1 (garbled), TIMED_OUT or errno. */
static int xchg(int fd, int ms)
{
	char buf[64];
	ssize_t n;
	int err;

	if (send(fd, MSG, strlen(MSG), 0) < 0)
		return errno;
	err = wait_for(fd, POLLIN, ms);
	if (err)
		return err;
	n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
	if (n < 0)
		return errno == EAGAIN ? sock_error(fd) : errno;
	return n == (ssize_t)strlen(MSG) && !memcmp(buf, MSG, n) ? 0 : 1;
}

static const char *xchg_outcome(int fd, int ms)
{
	int r = xchg(fd, ms);

	return r == 1 ? "garbled" : outcome(r);
}

/* A socket connected to ADDR PORT, or -1 with *err set. */
static int connect_to(int type, const char *addr, const char *port, int *err)
{
	struct sockaddr_storage ss = {};
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
	int fam = strchr(addr, ':') ? AF_INET6 : AF_INET;
	int fd;

	ss.ss_family = fam;
	if (fam == AF_INET6) {
		s6->sin6_port = htons(atoi(port));
		inet_pton(fam, addr, &s6->sin6_addr);
	} else {
		s4->sin_port = htons(atoi(port));
		inet_pton(fam, addr, &s4->sin_addr);
	}
	fd = socket(fam, type | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		*err = errno;
		return -1;
	}
	*err = 0;
	if (connect(fd, (struct sockaddr *)&ss, sizeof(ss)) && errno != EINPROGRESS)
		*err = errno;
	else if (type == SOCK_STREAM)
		*err = wait_for(fd, POLLOUT, 1500) ?: sock_error(fd);
	if (*err) {
		close(fd);
		return -1;
	}
	return fd;
}

static int hold(int fd, const char *dir)
{
	char path[4096];
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	int i, held;

	printf("%s\n", xchg_outcome(fd, 1500));
	fflush(stdout);
	snprintf(path, sizeof(path), "%s/held", dir);
	held = open(path, O_WRONLY | O_CREAT, 0644);
	if (held >= 0)
		close(held);
	snprintf(path, sizeof(path), "%s/go", dir);
	for (i = 0; i < 300 && access(path, F_OK); i++)
		usleep(100000);
	printf("%s\n", xchg_outcome(fd, 2000));
	fflush(stdout);
	setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	double t0 = now();
	int fd, err, type;

	if (argc < 4 || (!strcmp(argv[1], "hold") && argc != 5)) {
		fprintf(stderr, "Usage: xchg { tcp | udp } ADDR PORT\n"
			"       xchg hold ADDR PORT DIR\n");
		return 2;
	}
	type = strcmp(argv[1], "udp") ? SOCK_STREAM : SOCK_DGRAM;
	fd = connect_to(type, argv[2], argv[3], &err);
	if (fd < 0) {
		printf("%s %.2f\n", outcome(err), now() - t0);
		return 0;
	}
	if (!strcmp(argv[1], "hold"))
		return hold(fd, argv[4]);
	printf("%s %.2f\n", xchg_outcome(fd, 1500), now() - t0);
	close(fd);
	return 0;
}
