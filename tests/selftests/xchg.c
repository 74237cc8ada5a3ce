// SPDX-License-Identifier: GPL-2.0
/*
 * One exchange with the selftests' echo servers:
 *
 *   xchg { tcp | udp } ADDR PORT    prints "OUTCOME SECONDS"
 *   xchg hold ADDR PORT DIR         a TCP exchange, then DIR/held; another
 *                                   once DIR/go exists; prints both outcomes
 *   xchg serve PORT                 accepts one TCP connection (IPv4 or
 *                                   IPv6, within 15 s) and echoes the first
 *                                   BULK bytes it sends back, then closes
 *   xchg bulk ADDR PORT             sends BULK bytes to a server, reads
 *                                   what comes back; prints how many bytes,
 *                                   or garbled when they differ
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
#define BULK 100000
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

/* The bulk payload: a pattern, so that a reordered echo is told apart. */
static void bulk_fill(char *buf)
{
	int i;

	for (i = 0; i < BULK; i++)
		buf[i] = i < BULK - 160 ? i % 256 : 'x';
}

static int serve(const char *port)
{
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6,
				   .sin6_port = htons(atoi(port)) };
	static char buf[BULK];
	int one = 1, fd, c;
	size_t n = 0;
	ssize_t r;

	fd = socket(AF_INET6, SOCK_STREAM, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(fd, 1)) {
		perror("xchg: serve");
		return 1;
	}
	if (wait_for(fd, POLLIN, 15000)) {
		fprintf(stderr, "xchg: no connection in 15 s\n");
		return 1;
	}
	c = accept(fd, NULL, NULL);
	while (c >= 0 && n < BULK && (r = recv(c, buf + n, BULK - n, 0)) > 0)
		n += r;
	if (c < 0 || send(c, buf, n, MSG_NOSIGNAL) != (ssize_t)n) {
		perror("xchg: serve");
		return 1;
	}
	close(c);
	return 0;
}

/* The server may still be starting: a refused connection is retried. */
static int bulk(const char *addr, const char *port)
{
	static char out[BULK], in[BULK + 1];
	int fd = -1, err = ECONNREFUSED, i;
	size_t got = 0;
	ssize_t r;

	for (i = 0; i < 20 && err == ECONNREFUSED; i++) {
		if (i)
			usleep(250000);
		fd = connect_to(SOCK_STREAM, addr, port, &err);
	}
	if (fd < 0) {
		printf("%s\n", outcome(err));
		return 1;
	}
	bulk_fill(out);
	fcntl(fd, F_SETFL, 0);
	if (send(fd, out, BULK, MSG_NOSIGNAL) != BULK || shutdown(fd, SHUT_WR)) {
		printf("%s\n", outcome(errno));
		return 1;
	}
	while (got <= BULK && !wait_for(fd, POLLIN, 5000) &&
	       (r = recv(fd, in + got, sizeof(in) - got, 0)) > 0)
		got += r;
	if (got == BULK && memcmp(in, out, BULK)) {
		printf("garbled\n");
		return 1;
	}
	printf("%zu\n", got);
	return got != BULK;
}

int main(int argc, char **argv)
{
	double t0 = now();
	int fd, err, type;

	if (argc == 3 && !strcmp(argv[1], "serve"))
		return serve(argv[2]);
	if (argc < 4 || (!strcmp(argv[1], "hold") && argc != 5)) {
		fprintf(stderr, "Usage: xchg { tcp | udp } ADDR PORT\n"
			"       xchg hold ADDR PORT DIR\n"
			"       xchg serve PORT\n"
			"       xchg bulk ADDR PORT\n");
		return 2;
	}
	if (!strcmp(argv[1], "bulk"))
		return bulk(argv[2], argv[3]);
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
