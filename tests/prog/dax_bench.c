// SPDX-License-Identifier: GPL-2.0-only
/*
 * dax_bench - make bench's DAX rows: what a file on a DAX filesystem costs
 * to map, fault, read and write, timed in the guest.
 *
 *   dax_bench FILE SECS [NAME...]
 *	FILE exists, is written (no unwritten extents) and is a multiple
 *	of 2 MiB long.  Each measurement repeats for at least SECS seconds;
 *	one line each, "NAME VALUE UNIT":
 *	  fault_4k    faults/s   shared mapping, MADV_NOHUGEPAGE, one write
 *	                         to every 4 KiB page (one fault each)
 *	  fault_2m    faults/s   shared mapping at a 2 MiB aligned address,
 *	                         one write to every 2 MiB (a PMD fault where
 *	                         the filesystem gives one, else a PTE fault:
 *	                         the caller counts which with the fs_dax
 *	                         trace events)
 *	  fault_sync  faults/s   as fault_4k with MAP_SHARED_VALIDATE|MAP_SYNC
 *	  read_4k, write_4k, read_1m, write_1m
 *	              MiB/s      pread/pwrite of the whole file in those sizes
 *	  memcpy      MiB/s      the control: the whole file copied out of a
 *	                         mapping whose pages were all faulted before
 *	With NAMEs, only those measurements run.
 * Exit status 0, or 1 and the reason.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifndef MAP_SYNC
#define MAP_SYNC		0x80000
#endif
#ifndef MAP_SHARED_VALIDATE
#define MAP_SHARED_VALIDATE	0x03
#endif

#define KIB		1024UL
#define MIB		(1024 * KIB)
#define PMD		(2 * MIB)

static int fd;
static size_t size;
static double secs;

static void fail(const char *what)
{
	fprintf(stderr, "dax_bench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Map the file at a 2 MiB aligned address (+ @skew bytes), shared. */
static char *map_file(int flags, size_t skew)
{
	char *area, *at, *p;

	area = mmap(NULL, size + 2 * PMD, PROT_NONE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED)
		fail("reserving address space");
	at = (char *)(((uintptr_t)area + PMD - 1) & ~(PMD - 1)) + skew;
	p = mmap(at, size, PROT_READ | PROT_WRITE, flags | MAP_FIXED, fd, 0);
	if (p == MAP_FAILED)
		fail("mmap");
	/* give back the reservation around the mapping */
	if (at > area)
		munmap(area, at - area);
	munmap(at + size, area + size + 2 * PMD - (at + size));
	return p;
}

/* One write to every @step bytes of a fresh mapping, until @secs passed. */
static void fault_rate(const char *name, int flags, int advice, size_t step)
{
	double start = now(), t;
	unsigned long n = 0;
	size_t off;
	char *p;

	do {
		p = map_file(flags, 0);
		if (advice && madvise(p, size, advice))
			fail("madvise");
		for (off = 0; off < size; off += step)
			p[off] = (char)off;
		n += size / step;
		if (munmap(p, size))
			fail("munmap");
		t = now() - start;
	} while (t < secs);
	printf("%s %.0f faults/s\n", name, n / t);
}

static void io(const char *name, size_t bs, int write)
{
	double start = now(), t;
	unsigned long long bytes = 0;
	size_t off;
	ssize_t r;
	char *buf;

	if (posix_memalign((void **)&buf, 4096, bs))
		fail("allocating a buffer");
	memset(buf, 0x5a, bs);
	do {
		for (off = 0; off < size; off += bs) {
			r = write ? pwrite(fd, buf, bs, off) : pread(fd, buf, bs, off);
			if (r != (ssize_t)bs)
				fail(write ? "pwrite" : "pread");
		}
		bytes += size;
		t = now() - start;
	} while (t < secs);
	printf("%s %.1f MiB/s\n", name, bytes / t / MIB);
	free(buf);
}

static void copy(void)
{
	double start, t;
	unsigned long long bytes = 0;
	size_t off;
	char *p, *buf;

	buf = malloc(size);
	if (!buf)
		fail("allocating a buffer");
	memset(buf, 0, size);
	p = map_file(MAP_SHARED, 0);
	for (off = 0; off < size; off += 4096)
		buf[off] = p[off];	/* every page faulted in */
	start = now();
	do {
		memcpy(buf, p, size);
		bytes += size;
		t = now() - start;
	} while (t < secs);
	printf("memcpy %.1f MiB/s\n", bytes / t / MIB);
	munmap(p, size);
	free(buf);
}

/* Whether measurement @name was asked for (all of them without NAMEs). */
static int wanted(int argc, char **argv, const char *name)
{
	int i;

	if (argc == 3)
		return 1;
	for (i = 3; i < argc; i++)
		if (!strcmp(argv[i], name))
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	struct stat st;

	if (argc < 3) {
		fprintf(stderr, "usage: dax_bench FILE SECS [NAME...]\n");
		return 1;
	}
	secs = atof(argv[2]);
	fd = open(argv[1], O_RDWR);
	if (fd < 0 || fstat(fd, &st))
		fail(argv[1]);
	size = st.st_size;
	if (!size || size % PMD) {
		fprintf(stderr, "dax_bench: %s is not a multiple of 2 MiB\n", argv[1]);
		return 1;
	}
	if (wanted(argc, argv, "fault_4k"))
		fault_rate("fault_4k", MAP_SHARED, MADV_NOHUGEPAGE, 4096);
	if (wanted(argc, argv, "fault_2m"))
		fault_rate("fault_2m", MAP_SHARED, 0, PMD);
	if (wanted(argc, argv, "fault_sync"))
		fault_rate("fault_sync", MAP_SHARED_VALIDATE | MAP_SYNC,
			   MADV_NOHUGEPAGE, 4096);
	if (wanted(argc, argv, "read_4k"))
		io("read_4k", 4096, 0);
	if (wanted(argc, argv, "write_4k"))
		io("write_4k", 4096, 1);
	if (wanted(argc, argv, "read_1m"))
		io("read_1m", MIB, 0);
	if (wanted(argc, argv, "write_1m"))
		io("write_1m", MIB, 1);
	if (wanted(argc, argv, "memcpy"))
		copy();
	return 0;
}
