// SPDX-License-Identifier: GPL-2.0-only
/*
 * stripe_chunks - where the chunks of a striped target live, checked or
 * written in one process instead of one dd or cmp per chunk.
 *
 *   stripe_chunks check DATA CHUNK LEG:OFFSET...
 *	chunk c (CHUNK sectors) of the file DATA is on leg c % n at sector
 *	OFFSET + (c / n) * CHUNK, read with O_DIRECT; the first chunk that
 *	is not is named.
 *   stripe_chunks scatter DATA CHUNK LEG:OFFSET...
 *	write chunk c of DATA to that place on its leg (O_DIRECT).
 *
 * DATA holds a whole number of chunks.  Exit status 0 when done (and
 * every chunk matched), 1 on a mismatch, 2 on a usage or I/O error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SECTOR		512
#define MAX_LEGS	16

struct leg {
	const char *path;
	int fd;
	unsigned long long offset;	/* sectors */
};

static void die(const char *what)
{
	perror(what);
	exit(2);
}

static void bad_args(void)
{
	fprintf(stderr, "usage: stripe_chunks check|scatter DATA CHUNK LEG:OFFSET...\n");
	exit(2);
}

/* Read or write all @len bytes at byte @pos of @fd. */
static void io_all(int fd, char *buf, size_t len, off_t pos, int write_it,
		   const char *path)
{
	ssize_t r;

	while (len) {
		r = write_it ? pwrite(fd, buf, len, pos) : pread(fd, buf, len, pos);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (!r)
				errno = EIO;
			die(path);
		}
		buf += r;
		len -= r;
		pos += r;
	}
}

int main(int argc, char **argv)
{
	struct leg legs[MAX_LEGS];
	unsigned long long chunk, c, chunks;
	int scatter, n, i, fd;
	char *data, *buf, *end;
	size_t bytes;
	struct stat st;

	if (argc < 5 || argc - 4 > MAX_LEGS)
		bad_args();
	if (!strcmp(argv[1], "scatter"))
		scatter = 1;
	else if (!strcmp(argv[1], "check"))
		scatter = 0;
	else
		bad_args();
	chunk = strtoull(argv[3], &end, 10);
	if (*end || !chunk)
		bad_args();
	bytes = chunk * SECTOR;
	n = argc - 4;
	for (i = 0; i < n; i++) {
		char *colon = strrchr(argv[4 + i], ':');

		if (!colon)
			bad_args();
		*colon = '\0';
		legs[i].path = argv[4 + i];
		legs[i].offset = strtoull(colon + 1, &end, 10);
		if (*end)
			bad_args();
		legs[i].fd = open(legs[i].path, (scatter ? O_WRONLY : O_RDONLY) | O_DIRECT);
		if (legs[i].fd < 0)
			die(legs[i].path);
	}
	fd = open(argv[2], O_RDONLY);
	if (fd < 0 || fstat(fd, &st))
		die(argv[2]);
	if (!st.st_size || st.st_size % bytes) {
		fprintf(stderr, "%s: not a whole number of %llu-sector chunks\n", argv[2], chunk);
		return 2;
	}
	chunks = st.st_size / bytes;
	data = malloc(st.st_size);
	if (!data || posix_memalign((void **)&buf, 4096, bytes))
		die("malloc");
	io_all(fd, data, st.st_size, 0, 0, argv[2]);
	close(fd);

	for (c = 0; c < chunks; c++) {
		struct leg *l = &legs[c % n];
		off_t pos = (l->offset + (c / n) * chunk) * SECTOR;

		if (scatter) {
			memcpy(buf, data + c * bytes, bytes);
			io_all(l->fd, buf, bytes, pos, 1, l->path);
			continue;
		}
		io_all(l->fd, buf, bytes, pos, 0, l->path);
		if (memcmp(buf, data + c * bytes, bytes)) {
			printf("chunk %llu is not on %s at sector %llu\n", c, l->path,
			       (unsigned long long)pos / SECTOR);
			return 1;
		}
	}
	for (i = 0; i < n; i++)
		if ((scatter && fsync(legs[i].fd)) || close(legs[i].fd))
			die(legs[i].path);
	free(data);
	free(buf);
	return 0;
}
