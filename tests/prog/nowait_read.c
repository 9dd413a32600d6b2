// SPDX-License-Identifier: GPL-2.0-only
/*
 * nowait_read - one O_DIRECT read with RWF_NOWAIT, as io_uring issues them
 * before it falls back to a worker thread.
 *
 *   nowait_read DEVICE SECTOR BYTES [OUT]
 *	read BYTES (a multiple of 4096) at SECTOR of DEVICE with
 *	preadv2(RWF_NOWAIT); print "ok" and write what was read to OUT, or
 *	print the errno's name (EAGAIN, EOPNOTSUPP, EIO, ...).
 *
 * Exit status 0 when the read ran (whatever it returned), 2 on a usage
 * error or when DEVICE cannot be opened.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

static const char *errno_name(int e)
{
	switch (e) {
	case EAGAIN:		return "EAGAIN";
	case EOPNOTSUPP:	return "EOPNOTSUPP";
	case EIO:		return "EIO";
	case EINVAL:		return "EINVAL";
	case ENXIO:		return "ENXIO";
	default:		return strerror(e);
	}
}

int main(int argc, char **argv)
{
	unsigned long long sector;
	struct iovec iov;
	size_t bytes;
	ssize_t got;
	void *buf;
	int fd;

	if (argc < 4 || argc > 5) {
		fprintf(stderr, "usage: nowait_read DEVICE SECTOR BYTES [OUT]\n");
		return 2;
	}
	sector = strtoull(argv[2], NULL, 0);
	bytes = strtoul(argv[3], NULL, 0);
	if (!bytes || bytes % 4096) {
		fprintf(stderr, "nowait_read: BYTES must be a multiple of 4096\n");
		return 2;
	}
	if (posix_memalign(&buf, 4096, bytes))
		return 2;
	fd = open(argv[1], O_RDONLY | O_DIRECT);
	if (fd < 0) {
		perror(argv[1]);
		return 2;
	}
	iov.iov_base = buf;
	iov.iov_len = bytes;
	got = preadv2(fd, &iov, 1, (off_t)(sector * 512), RWF_NOWAIT);
	if (got < 0) {
		printf("%s\n", errno_name(errno));
		return 0;
	}
	if ((size_t)got != bytes) {
		printf("short read of %zd bytes\n", got);
		return 0;
	}
	if (argc == 5) {
		FILE *out = fopen(argv[4], "w");

		if (!out || fwrite(buf, 1, bytes, out) != bytes || fclose(out)) {
			perror(argv[4]);
			return 2;
		}
	}
	printf("ok\n");
	return 0;
}
