// SPDX-License-Identifier: GPL-2.0-only
/*
 * dax_file - file-level checks of a DAX filesystem on a mapped device
 *
 *   dax_file data FILE RAWDEV MAP
 *	FILE (created) reports STATX_ATTR_DAX; stores through a shared
 *	mapping, msync, pwrite and fsync land where FIEMAP says, checked
 *	with O_DIRECT reads of RAWDEV; reads through read() and a fresh
 *	mapping agree.  MAP says where the mapped device lies on RAWDEV:
 *	BEGIN+LEN@BYTE[,...], sectors BEGIN..BEGIN+LEN-1 of the mapped device
 *	being at byte BYTE of RAWDEV onwards (one entry per linear target).
 *   dax_file poison FILE PAGES
 *	FILE (created, PAGES pages) is mapped shared and each page in turn
 *	poisoned with madvise(MADV_HWPOISON): every one must raise SIGBUS
 *	with si_code BUS_MCEERR_AR, si_addr the poisoned page and
 *	si_addr_lsb PAGE_SHIFT.  With DAX_FILE_FAIL_NTH=N in the
 *	environment, the N-th slab allocation of each madvise() fails
 *	(fail-nth; failslab set up by the caller) and must have been made.
 *   dax_file hold FILE PAGES
 *	FILE (created, PAGES pages) is mapped shared and filled; once it
 *	is, "dax_file: mapped" goes to stdout.  Then every page is written
 *	and read back through the mapping, round after round (every 10 ms),
 *	until a signal: SIGBUS prints "dax_file: SIGBUS" with its si_code
 *	and page, SIGTERM prints "dax_file: terminated"; either way the
 *	mapping is unmapped and the file closed, and the exit status is 0.
 *	A page that reads back wrong fails.
 * Exit status 0 when every check held; otherwise 1 and the reason.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/fiemap.h>
#include <linux/fs.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef STATX_ATTR_DAX
#define STATX_ATTR_DAX 0x00200000
#endif

#define FILE_PAGES	64
#define MAX_EXTENTS	64
#define MAX_SEGMENTS	8

/* Where a range of the mapped device lies on the raw device. */
struct segment {
	unsigned long long begin, len;	/* bytes of the mapped device */
	unsigned long long raw;		/* bytes of the raw device */
};

static struct segment segs[MAX_SEGMENTS];
static int nsegs;

static long page;

static int fail(const char *fmt, ...)
{
	va_list ap;

	fputs("dax_file: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

/* The byte every page-sized block @n of the file is filled with. */
static unsigned char pattern(unsigned long n)
{
	return (unsigned char)(0x11 + n * 7);
}

static int check_dax_attr(const char *path)
{
	struct statx stx;

	if (statx(AT_FDCWD, path, 0, STATX_BASIC_STATS, &stx))
		return fail("statx %s: %s", path, strerror(errno));
	if (!(stx.stx_attributes_mask & STATX_ATTR_DAX))
		return fail("%s: the kernel does not report the DAX attribute",
			    path);
	if (!(stx.stx_attributes & STATX_ATTR_DAX))
		return fail("%s: not a DAX file", path);
	return 0;
}

/*
 * Compare file page @n with what RAWDEV holds at @raw (bytes), read with
 * O_DIRECT so that no page cache of RAWDEV answers.
 */
static int check_raw(int rawfd, off_t raw, unsigned long n)
{
	unsigned char *buf;
	long i;
	int r = 0;

	if (posix_memalign((void **)&buf, page, page))
		return fail("out of memory");
	if (pread(rawfd, buf, page, raw) != page) {
		r = fail("O_DIRECT read of the raw device at %lld: %s",
			 (long long)raw, strerror(errno));
		goto out;
	}
	for (i = 0; i < page; i++) {
		if (buf[i] != pattern(n)) {
			r = fail("file page %lu: raw device byte %lld is 0x%02x, not 0x%02x",
				 n, (long long)raw + i, buf[i], pattern(n));
			break;
		}
	}
out:
	free(buf);
	return r;
}

static int parse_map(char *map)
{
	char *tok, *save = NULL;

	for (tok = strtok_r(map, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		unsigned long long b, l, r;
		char dummy;

		if (nsegs == MAX_SEGMENTS ||
		    sscanf(tok, "%llu+%llu@%llu%c", &b, &l, &r, &dummy) != 3)
			return fail("bad MAP entry '%s'", tok);
		segs[nsegs].begin = b * 512;
		segs[nsegs].len = l * 512;
		segs[nsegs].raw = r;
		nsegs++;
	}
	return nsegs ? 0 : fail("empty MAP");
}

/* The raw device byte holding byte @dev of the mapped device, or -1. */
static off_t raw_offset(unsigned long long dev)
{
	int i;

	for (i = 0; i < nsegs; i++)
		if (dev >= segs[i].begin && dev - segs[i].begin < segs[i].len)
			return segs[i].raw + dev - segs[i].begin;
	return -1;
}

/* Check every file page against the raw device, extent by extent. */
static int check_extents(int fd, int rawfd)
{
	struct fiemap *fm;
	unsigned int e;
	unsigned long checked = 0;
	int r = 0;

	fm = calloc(1, sizeof(*fm) + MAX_EXTENTS * sizeof(struct fiemap_extent));
	if (!fm)
		return fail("out of memory");
	fm->fm_length = FIEMAP_MAX_OFFSET;
	fm->fm_flags = FIEMAP_FLAG_SYNC;
	fm->fm_extent_count = MAX_EXTENTS;
	if (ioctl(fd, FS_IOC_FIEMAP, fm)) {
		r = fail("FIEMAP: %s", strerror(errno));
		goto out;
	}
	for (e = 0; !r && e < fm->fm_mapped_extents; e++) {
		struct fiemap_extent *fe = &fm->fm_extents[e];
		unsigned long long off;

		if (fe->fe_flags & (FIEMAP_EXTENT_UNKNOWN |
				    FIEMAP_EXTENT_UNWRITTEN)) {
			r = fail("extent %u has flags 0x%x", e, fe->fe_flags);
			break;
		}
		for (off = 0; !r && off < fe->fe_length; off += page) {
			unsigned long n = (fe->fe_logical + off) / page;
			off_t raw = raw_offset(fe->fe_physical + off);

			if (raw < 0)
				r = fail("file page %lu is at byte %llu of the device, outside MAP",
					 n, (unsigned long long)(fe->fe_physical + off));
			else
				r = check_raw(rawfd, raw, n);
			checked++;
		}
	}
	if (!r && checked != FILE_PAGES)
		r = fail("FIEMAP covered %lu pages, not %d", checked,
			 FILE_PAGES);
out:
	free(fm);
	return r;
}

static int check_contents(int fd, const unsigned char *map)
{
	unsigned char *buf = malloc(page);
	unsigned long n;
	long i;
	int r = 0;

	if (!buf)
		return fail("out of memory");
	for (n = 0; !r && n < FILE_PAGES; n++) {
		if (pread(fd, buf, page, n * page) != page) {
			r = fail("read of page %lu: %s", n, strerror(errno));
			break;
		}
		for (i = 0; i < page; i++) {
			if (buf[i] != pattern(n) || map[n * page + i] != pattern(n)) {
				r = fail("page %lu byte %ld: read %#x, mapped %#x, not %#x",
					 n, i, buf[i], map[n * page + i],
					 pattern(n));
				break;
			}
		}
	}
	free(buf);
	return r;
}

/*
 * Create the DAX file @path of @pages pages, map it shared and fill pages
 * 0..@filled-1 with their patterns through the mapping, synced.  Returns
 * the mapping (and the descriptor in *@fdp), or NULL after a message.
 */
static unsigned char *create_mapped(const char *path, unsigned long pages,
				    unsigned long filled, int *fdp)
{
	unsigned char *map;
	unsigned long n;
	int fd;

	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		fail("open %s: %s", path, strerror(errno));
		return NULL;
	}
	if (ftruncate(fd, pages * page)) {
		fail("ftruncate: %s", strerror(errno));
		return NULL;
	}
	if (check_dax_attr(path))
		return NULL;
	map = mmap(NULL, pages * page, PROT_READ | PROT_WRITE, MAP_SHARED,
		   fd, 0);
	if (map == MAP_FAILED) {
		fail("mmap: %s", strerror(errno));
		return NULL;
	}
	for (n = 0; n < filled; n++)
		memset(map + n * page, pattern(n), page);
	if (msync(map, pages * page, MS_SYNC)) {
		fail("msync: %s", strerror(errno));
		return NULL;
	}
	*fdp = fd;
	return map;
}

static int cmd_data(const char *path, const char *rawdev, char *rawmap)
{
	unsigned char *map, *buf;
	unsigned long n;
	int fd, rawfd, r;

	if (parse_map(rawmap))
		return 1;
	/* the first half through a shared mapping */
	map = create_mapped(path, FILE_PAGES, FILE_PAGES / 2, &fd);
	if (!map)
		return 1;
	munmap(map, FILE_PAGES * page);

	/* the second half with write() */
	buf = malloc(page);
	if (!buf)
		return fail("out of memory");
	for (n = FILE_PAGES / 2; n < FILE_PAGES; n++) {
		memset(buf, pattern(n), page);
		if (pwrite(fd, buf, page, n * page) != page)
			return fail("write of page %lu: %s", n, strerror(errno));
	}
	free(buf);
	if (fsync(fd))
		return fail("fsync: %s", strerror(errno));

	map = mmap(NULL, FILE_PAGES * page, PROT_READ, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED)
		return fail("second mmap: %s", strerror(errno));
	r = check_contents(fd, map);
	munmap(map, FILE_PAGES * page);
	if (r)
		return r;

	rawfd = open(rawdev, O_RDONLY | O_DIRECT);
	if (rawfd < 0)
		return fail("open %s: %s", rawdev, strerror(errno));
	r = check_extents(fd, rawfd);
	close(rawfd);
	close(fd);
	return r;
}

static sigjmp_buf poisoned;
/* What the last SIGBUS said; set by the handler before it jumps back. */
static int bus_code, bus_lsb;
static void *bus_addr;

static void on_sigbus(int sig, siginfo_t *si, void *ctx)
{
	(void)sig;
	(void)ctx;
	bus_code = si->si_code;
	bus_addr = si->si_addr;
	bus_lsb = si->si_addr_lsb;
	siglongjmp(poisoned, 1);
}

/* Send SIGBUS to on_sigbus(), with its siginfo. */
static int catch_sigbus(void)
{
	struct sigaction sa = { 0 };

	sa.sa_sigaction = on_sigbus;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGBUS, &sa, NULL))
		return fail("sigaction: %s", strerror(errno));
	return 0;
}

/* fail-nth of this thread, armed with @nth (a decimal string) or read */
static int fail_nth_fd = -1;

static int arm_fail_nth(const char *nth)
{
	if (fail_nth_fd < 0)
		fail_nth_fd = open("/proc/thread-self/fail-nth", O_RDWR);
	if (fail_nth_fd < 0 || pwrite(fail_nth_fd, nth, strlen(nth), 0) < 0)
		return fail("fail-nth: %s", strerror(errno));
	return 0;
}

/* 0 if the armed failure was injected; disarms it either way */
static int fail_nth_injected(unsigned long n)
{
	char left[16] = "";

	if (pread(fail_nth_fd, left, sizeof(left) - 1, 0) <= 0)
		return fail("fail-nth: %s", strerror(errno));
	if (atoi(left) != 0) {
		arm_fail_nth("0");
		return fail("page %lu: madvise() made fewer allocations than DAX_FILE_FAIL_NTH", n);
	}
	return 0;
}

static int cmd_poison(const char *path, unsigned long pages)
{
	const char *nth = getenv("DAX_FILE_FAIL_NTH");
	unsigned char *map;
	unsigned long n;
	int fd;

	map = create_mapped(path, pages, pages, &fd);
	if (!map || catch_sigbus())
		return 1;

	for (n = 0; n < pages; n++) {
		unsigned char *addr = map + n * page;

		bus_code = 0;
		bus_addr = NULL;
		bus_lsb = 0;
		if (nth && arm_fail_nth(nth))
			return 1;
		if (!sigsetjmp(poisoned, 1)) {
			int r = madvise(addr, page, MADV_HWPOISON);

			if (nth && fail_nth_injected(n))
				return 1;
			return fail("page %lu: MADV_HWPOISON returned %d (%s), no SIGBUS",
				    n, r, r ? strerror(errno) : "no error");
		}
		if (nth && fail_nth_injected(n))
			return 1;
		if (bus_code != BUS_MCEERR_AR)
			return fail("page %lu: SIGBUS si_code %d, not BUS_MCEERR_AR (%d)",
				    n, bus_code, BUS_MCEERR_AR);
		if (bus_addr != addr)
			return fail("page %lu: SIGBUS at %p, not at the poisoned page %p",
				    n, bus_addr, (void *)addr);
		if (1L << bus_lsb != page)
			return fail("page %lu: si_addr_lsb %d", n, bus_lsb);
	}
	printf("dax_file: %lu poisoned pages, %lu SIGBUS BUS_MCEERR_AR at their addresses\n",
	       pages, pages);
	return 0;
}

/* Set by SIGTERM; atomics, so that the loop reads it afresh each round. */
static int terminated;

static void on_sigterm(int sig)
{
	(void)sig;
	__atomic_store_n(&terminated, 1, __ATOMIC_RELAXED);
}

static const char *bus_code_name(int code)
{
	switch (code) {
	case BUS_ADRALN:
		return "BUS_ADRALN";
	case BUS_ADRERR:
		return "BUS_ADRERR";
	case BUS_OBJERR:
		return "BUS_OBJERR";
	case BUS_MCEERR_AR:
		return "BUS_MCEERR_AR";
	case BUS_MCEERR_AO:
		return "BUS_MCEERR_AO";
	}
	return "unknown";
}

/*
 * Write and read back every page of @map, round after round, until
 * SIGTERM.  Returns the rounds done, or -1 after a message.
 */
static long touch_pages(unsigned char *map, unsigned long pages)
{
	unsigned long n;
	long round;

	for (round = 1; !__atomic_load_n(&terminated, __ATOMIC_RELAXED);
	     round++) {
		for (n = 0; n < pages; n++) {
			unsigned char *p = map + n * page;
			unsigned char v = pattern(n + round), got;

			/* atomics: every round really touches the page */
			__atomic_store_n(p, v, __ATOMIC_RELAXED);
			got = __atomic_load_n(p, __ATOMIC_RELAXED);
			if (got != v) {
				fail("page %lu reads back 0x%02x, not 0x%02x",
				     n, got, v);
				return -1;
			}
		}
		usleep(10000);
	}
	return round - 1;
}

static int cmd_hold(const char *path, unsigned long pages)
{
	static unsigned char *map;
	static int fd;
	struct sigaction sa = { 0 };
	long rounds;

	map = create_mapped(path, pages, pages, &fd);
	if (!map || catch_sigbus())
		return 1;

	sa.sa_handler = on_sigterm;
	sa.sa_flags = 0;
	if (sigaction(SIGTERM, &sa, NULL))
		return fail("sigaction: %s", strerror(errno));
	printf("dax_file: mapped\n");
	fflush(stdout);

	if (!sigsetjmp(poisoned, 1)) {
		rounds = touch_pages(map, pages);
		if (rounds < 0)
			return 1;
		printf("dax_file: terminated after %ld rounds\n", rounds);
	} else {
		printf("dax_file: SIGBUS %s (si_code %d) at page %ld of the mapping\n",
		       bus_code_name(bus_code), bus_code,
		       (long)((unsigned char *)bus_addr - map) / page);
	}
	fflush(stdout);
	if (munmap(map, pages * page))
		return fail("munmap: %s", strerror(errno));
	if (close(fd))
		return fail("close: %s", strerror(errno));
	return 0;
}

int main(int argc, char **argv)
{
	page = sysconf(_SC_PAGESIZE);
	if (argc == 5 && !strcmp(argv[1], "data"))
		return cmd_data(argv[2], argv[3], argv[4]);
	if (argc == 4 && !strcmp(argv[1], "poison"))
		return cmd_poison(argv[2], strtoul(argv[3], NULL, 0));
	if (argc == 4 && !strcmp(argv[1], "hold"))
		return cmd_hold(argv[2], strtoul(argv[3], NULL, 0));
	fprintf(stderr, "usage: dax_file data FILE RAWDEV BEGIN+LEN@BYTE[,...]\n"
		"       dax_file poison FILE PAGES\n"
		"       dax_file hold FILE PAGES\n");
	return 2;
}
