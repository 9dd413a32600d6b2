// SPDX-License-Identifier: GPL-2.0-only
/*
 * dm_uevent - print the kernel's uevents (NETLINK_KOBJECT_UEVENT), so that
 * tests can assert which uevents an operation produced.
 *
 *   dm_uevent [-s SUBSYSTEM] [-n COUNT] [-t MS] [-r FILE] [-- CMD [ARG...]]
 *
 * The socket is bound before anything else happens.  With a command, the
 * command runs (stdin, stdout and stderr inherited) and the events are
 * printed after it exited; the exit status is the command's.  Without a
 * command, FILE (-r) is created once the socket listens, so a test that
 * starts the listener in the background knows when to go on.
 *
 * Events are collected until COUNT events were printed (-n) or MS
 * milliseconds passed without one (-t, default 500; with -n the wait for
 * the missing events is at most MS in total).  Only events of SUBSYSTEM
 * (-s) count.  Each event is printed as its KEY=VALUE lines in the order
 * the kernel sent them (ACTION, DEVPATH, SUBSYSTEM, ..., SEQNUM), followed
 * by an empty line.  Fewer than COUNT events make the exit status 3 (when
 * the command, if any, succeeded).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BUF_SIZE	16384

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static int bad_args(void)
{
	fprintf(stderr,
		"usage: dm_uevent [-s SUBSYSTEM] [-n COUNT] [-t MS] [-r FILE] [-- CMD [ARG...]]\n");
	return 2;
}

/* The value of @key in the event @buf of @len bytes, or NULL. */
static const char *event_value(const char *buf, size_t len, const char *key)
{
	size_t klen = strlen(key);
	size_t off = strlen(buf) + 1;	/* skip "ACTION@DEVPATH" */

	while (off < len) {
		const char *kv = buf + off;

		if (!strncmp(kv, key, klen) && kv[klen] == '=')
			return kv + klen + 1;
		off += strlen(kv) + 1;
	}
	return NULL;
}

/* Print the KEY=VALUE lines of one event; return 1 if it was printed. */
static int print_event(char *buf, size_t len, const char *subsystem)
{
	const char *sub;
	size_t off;

	if (len >= BUF_SIZE)
		len = BUF_SIZE - 1;
	buf[len] = '\0';
	/* kernel events start with "ACTION@DEVPATH"; skip anything else */
	if (!strchr(buf, '@') || !strncmp(buf, "libudev", 7))
		return 0;
	sub = event_value(buf, len, "SUBSYSTEM");
	if (subsystem && (!sub || strcmp(sub, subsystem)))
		return 0;
	for (off = strlen(buf) + 1; off < len; off += strlen(buf + off) + 1)
		if (buf[off])
			printf("%s\n", buf + off);
	printf("\n");
	fflush(stdout);
	return 1;
}

int main(int argc, char **argv)
{
	struct sockaddr_nl sa = {
		.nl_family = AF_NETLINK,
		.nl_groups = 1,
	};
	const char *subsystem = NULL, *ready = NULL;
	long count = -1, quiet = 500, got = 0;
	int rcvbuf = 4 << 20, sock, opt, status = 0;
	long long start, last;
	char *buf;

	while ((opt = getopt(argc, argv, "+s:n:t:r:")) != -1) {
		switch (opt) {
		case 's':
			subsystem = optarg;
			break;
		case 'n':
			count = strtol(optarg, NULL, 10);
			break;
		case 't':
			quiet = strtol(optarg, NULL, 10);
			break;
		case 'r':
			ready = optarg;
			break;
		default:
			return bad_args();
		}
	}

	buf = malloc(BUF_SIZE);
	sock = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_KOBJECT_UEVENT);
	if (!buf || sock < 0) {
		perror("dm_uevent: socket");
		return 2;
	}
	setsockopt(sock, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf));
	if (bind(sock, (struct sockaddr *)&sa, sizeof(sa))) {
		perror("dm_uevent: bind");
		return 2;
	}
	if (ready) {
		int fd = open(ready, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

		if (fd < 0) {
			perror(ready);
			return 2;
		}
		close(fd);
	}

	if (optind < argc) {
		pid_t pid = fork();

		if (pid < 0) {
			perror("dm_uevent: fork");
			return 2;
		}
		if (!pid) {
			execvp(argv[optind], argv + optind);
			perror(argv[optind]);
			_exit(127);
		}
		while (waitpid(pid, &status, 0) < 0)
			if (errno != EINTR) {
				perror("dm_uevent: waitpid");
				return 2;
			}
		status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	}

	start = now_ms();
	last = start;
	while (count < 0 || got < count) {
		struct pollfd pfd = { .fd = sock, .events = POLLIN };
		long long deadline = (count < 0 ? last : start) + quiet;
		long long left = deadline - now_ms();
		ssize_t len;

		if (left <= 0)
			break;
		if (poll(&pfd, 1, left) <= 0)
			continue;
		len = recv(sock, buf, BUF_SIZE - 1, MSG_DONTWAIT);
		if (len < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			perror("dm_uevent: recv");
			return 2;
		}
		if (print_event(buf, len, subsystem)) {
			got++;
			last = now_ms();
		}
	}
	if (count >= 0 && got < count) {
		fprintf(stderr, "dm_uevent: %ld of %ld events\n", got, count);
		if (!status)
			status = 3;
	}
	return status;
}
