// SPDX-License-Identifier: GPL-2.0-only
/*
 * klog - the kernel log, all of it, for the guest's runner and tests
 *
 *   klog	print the log since it was last cleared
 *   klog -c	the same, then clear it (one syslog(2) call, so nothing
 *		logged in between is lost)
 *
 * busybox's dmesg reads at most 16 MiB, the newest: a test that logs more
 * (a million fuzzer requests on the debug kernel, where every kobject
 * release logs a line) lost its start mark although log_buf_len held it.
 * klog asks the kernel for the size of its buffer and reads with twice
 * that (the "<level>[time] " prefixes come on top of the stored text),
 * and prints the lines as busybox does, without the "<level>" prefix.
 * Exit status 0, or 1 and the reason on stderr.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <unistd.h>

#define KLOG_READ_ALL 3
#define KLOG_READ_CLEAR 4
#define KLOG_SIZE_BUFFER 10

int main(int argc, char **argv)
{
	int clear = argc == 2 && strcmp(argv[1], "-c") == 0;
	int size, len, i, start = 1;
	char *buf;

	if (argc > 2 || (argc == 2 && !clear)) {
		fprintf(stderr, "usage: klog [-c]\n");
		return 1;
	}
	size = klogctl(KLOG_SIZE_BUFFER, NULL, 0);
	if (size <= 0 || size > (1 << 29)) {
		fprintf(stderr, "klog: kernel log size %d: %s\n", size, strerror(errno));
		return 1;
	}
	size *= 2;
	buf = malloc(size);
	if (!buf) {
		fprintf(stderr, "klog: no memory for %d bytes\n", size);
		return 1;
	}
	len = klogctl(clear ? KLOG_READ_CLEAR : KLOG_READ_ALL, buf, size);
	if (len < 0) {
		fprintf(stderr, "klog: reading the kernel log: %s\n", strerror(errno));
		return 1;
	}
	for (i = 0; i < len; i++) {
		if (start && buf[i] == '<') {
			char *end = memchr(buf + i, '>', len - i);

			if (end) {
				i = end - buf;
				start = 0;
				continue;
			}
		}
		start = buf[i] == '\n';
		putchar(buf[i]);
	}
	if (len && buf[len - 1] != '\n')
		putchar('\n');
	if (fflush(stdout) == EOF) {
		fprintf(stderr, "klog: writing the log: %s\n", strerror(errno));
		return 1;
	}
	free(buf);
	return 0;
}
