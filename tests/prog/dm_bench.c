// SPDX-License-Identifier: GPL-2.0-only
/*
 * dm_bench - the control path and the memory of mapped devices, timed
 * with raw DM ioctls (no libdevmapper, no udev), for make bench.
 *
 *   dm_bench control N BACKING K...
 *	create N devices, each with a one-target linear table over the
 *	block device BACKING, and resume them (DEV_CREATE, TABLE_LOAD,
 *	DEV_SUSPEND), timed as a whole and each of the three ioctls
 *	apart; LIST_DEVICES with the N devices present,
 *	repeated for at least LIST_MS, timed; DEV_REMOVE of the N, timed.
 *	Then for every K: K such devices are created (not timed), BATCH
 *	more are created, loaded and resumed (timed), LIST_DEVICES with
 *	the K + BATCH present is timed as above and reported as devices
 *	listed per second (which, where a list costs the same for every
 *	device it lists, rises with K while the fixed cost of the ioctl
 *	counts, then stays flat), and all are removed.
 *   dm_bench memory N BACKING
 *	MemAvailable and Slab of /proc/meminfo before and after creating N
 *	devices without a table, then before and after creating N with a
 *	linear table over BACKING, resumed; caches are dropped and RCU
 *	given SETTLE_MS before each reading.
 *   dm_bench gendisk N
 *	the same readings around adding N zram disks (hot_add; zram loaded
 *	by the caller), then removing them: what a bare bio-based gendisk
 *	costs, the block layer's share of any mapped device (a zram disk
 *	allocates little of its own until it is configured).  The adds and
 *	the removes are timed too, reported as "create_N" and "remove_N":
 *	the rates of a driver that does nothing but add and delete a
 *	gendisk.
 *
 * Output, one line a measurement: "NAME VALUE UNIT", e.g.
 * "create_1000 812.3 ops/s" or "mem_linear_avail 31.2 KiB/dev" (the
 * memory a device costs: the drop of MemAvailable, the growth of Slab).
 * Devices are named dmb-<k>; any left from an earlier run are removed
 * first, and all are removed at the end.
 *
 * Exit status: 0, 1 if a DM ioctl failed (said), 2 on a usage error.
 */
#define PROG "dm_bench"
#include "dm_prog.h"
#include <unistd.h>

#define PREFIX		"dmb-"
#define TABLE_LEN	8	/* sectors each device maps */
#define BATCH		50	/* creates timed with K devices present */
#define LIST_MS		1000
#define LIST_MIN	5
#define SETTLE_MS	1000
#define NAME_SIZE	16

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Seconds spent in DEV_CREATE, TABLE_LOAD and resume, if timed. */
static double phase_s[3];
static int time_phases;

static void name_of(char *buf, unsigned int k)
{
	snprintf(buf, NAME_SIZE, PREFIX "%u", k);
}

/* Create device @k; with @table, load a linear table and resume it. */
static int make_dev(unsigned int k, int table)
{
	char name[NAME_SIZE];
	double t0, t1, t2;
	int r;

	name_of(name, k);
	t0 = time_phases ? now_s() : 0;
	r = create(name, NULL);
	if (r)
		return fail("DEV_CREATE %s: %s", name, ename(r));
	if (!table)
		return 0;
	t1 = time_phases ? now_s() : 0;
	r = load_one_linear(name, backing_dev, TABLE_LEN, 0, 0);
	if (r)
		return fail("TABLE_LOAD %s: %s", name, ename(r));
	t2 = time_phases ? now_s() : 0;
	r = resume(name);
	if (r)
		return fail("resume %s: %s", name, ename(r));
	if (time_phases) {
		phase_s[0] += t1 - t0;
		phase_s[1] += t2 - t1;
		phase_s[2] += now_s() - t2;
	}
	return 0;
}

/* Devices @from to @to - 1, each with a table if @table. */
static int make_devs(unsigned int from, unsigned int to, int table)
{
	unsigned int k;

	for (k = from; k < to; k++)
		if (make_dev(k, table))
			return 1;
	return 0;
}

static int remove_devs(unsigned int from, unsigned int to)
{
	char name[NAME_SIZE];
	unsigned int k;
	int r;

	for (k = from; k < to; k++) {
		name_of(name, k);
		r = dev_remove(name);
		if (r)
			return fail("DEV_REMOVE %s: %s", name, ename(r));
	}
	return 0;
}

/* One LIST_DEVICES; the number of devices it listed, or -1. */
static long list_once(size_t size)
{
	struct dm_name_list *nl;
	struct dm_ioctl *dmi = request(size, NULL);
	long count = 0;
	int r;

	r = issue(DM_LIST_DEVICES, dmi);
	if (r) {
		fail("LIST_DEVICES: %s", ename(r));
		count = -1;
	} else if (dmi->flags & DM_BUFFER_FULL_FLAG) {
		fail("LIST_DEVICES: %zu bytes were not enough", size);
		count = -1;
	} else {
		for (nl = first_name(dmi); nl; nl = next_name(nl))
			count++;
	}
	free(dmi);
	return count;
}

static void report(const char *what, unsigned long n, double value,
		   const char *unit)
{
	printf("%s_%lu %.1f %s\n", what, n, value, unit);
	fflush(stdout);
}

/*
 * LIST_DEVICES with @n devices present, repeated for at least LIST_MS and
 * LIST_MIN calls, each reply checked to list the @n: calls per second, or
 * a negative number if a call failed.
 */
static double list_rate(unsigned int n)
{
	/* a name list entry: header, name, event_nr and flags, aligned */
	size_t list_size = BIG + (size_t)n * 64;
	unsigned long calls = 0;
	double t = now_s(), elapsed;
	long listed;

	do {
		listed = list_once(list_size);
		if (listed < 0)
			return -1;
		if (listed != n) {
			fail("LIST_DEVICES listed %ld devices, not %u", listed, n);
			return -1;
		}
		calls++;
		elapsed = now_s() - t;
	} while (elapsed * 1000 < LIST_MS || calls < LIST_MIN);
	return calls / elapsed;
}

static int bench_control(unsigned int n, int nk, char **ks)
{
	double t, rate;
	int i;

	t = now_s();
	time_phases = 1;
	if (make_devs(0, n, 1))
		return 1;
	time_phases = 0;
	report("create", n, n / (now_s() - t), "ops/s");
	report("create_only", n, n / phase_s[0], "ops/s");
	report("load", n, n / phase_s[1], "ops/s");
	report("resume", n, n / phase_s[2], "ops/s");

	rate = list_rate(n);
	if (rate < 0)
		return 1;
	report("list", n, rate, "calls/s");

	t = now_s();
	if (remove_devs(0, n))
		return 1;
	report("remove", n, n / (now_s() - t), "ops/s");

	for (i = 0; i < nk; i++) {
		unsigned int k = strtoul(ks[i], NULL, 10);

		if (make_devs(0, k, 1))
			return 1;
		t = now_s();
		if (make_devs(k, k + BATCH, 1))
			return 1;
		report("create_at", k, BATCH / (now_s() - t), "ops/s");
		rate = list_rate(k + BATCH);
		if (rate < 0)
			return 1;
		report("list_at", k, rate * (k + BATCH), "devices/s");
		if (remove_devs(0, k + BATCH))
			return 1;
	}
	return 0;
}

/* Field @key of /proc/meminfo in KiB; exits if it is missing. */
static long long meminfo_kib(const char *key)
{
	FILE *f = fopen("/proc/meminfo", "r");
	char line[128];
	size_t len = strlen(key);
	long long v = -1;

	if (!f) {
		perror("/proc/meminfo");
		exit(2);
	}
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, len) && line[len] == ':')
			v = strtoll(line + len + 1, NULL, 10);
	fclose(f);
	if (v < 0) {
		fprintf(stderr, "%s: no %s in /proc/meminfo\n", PROG, key);
		exit(2);
	}
	return v;
}

/* Drop the page and slab caches and let RCU callbacks run. */
static void settle(void)
{
	int fd;

	sync();
	fd = open("/proc/sys/vm/drop_caches", O_WRONLY);
	if (fd >= 0) {
		if (write(fd, "3", 1) != 1)
			perror("drop_caches");
		close(fd);
	}
	sleep_ms(SETTLE_MS);
}

struct mem_mark {
	long long avail, slab;	/* KiB */
};

/* Settle, then note MemAvailable and Slab. */
static void mem_start(struct mem_mark *m)
{
	settle();
	m->avail = meminfo_kib("MemAvailable");
	m->slab = meminfo_kib("Slab");
}

/* Settle, then print what @n things made since mem_start() cost each. */
static void mem_report(const struct mem_mark *m, unsigned int n,
		       const char *what)
{
	settle();
	printf("mem_%s_avail %.1f KiB/dev\n", what,
	       (double)(m->avail - meminfo_kib("MemAvailable")) / n);
	printf("mem_%s_slab %.1f KiB/dev\n", what,
	       (double)(meminfo_kib("Slab") - m->slab) / n);
	fflush(stdout);
}

/* The memory @n devices cost, with a linear table if @table. */
static int bench_memory_one(unsigned int n, int table, const char *what)
{
	struct mem_mark m;

	mem_start(&m);
	if (make_devs(0, n, table))
		return 1;
	mem_report(&m, n, what);
	return remove_devs(0, n);
}

#define ZRAM_CONTROL	"/sys/class/zram-control/"

/* Write @value to the file @path; 0 or -1 (said). */
static int write_file(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY);
	ssize_t len = strlen(value);

	if (fd < 0 || write(fd, value, len) != len) {
		perror(path);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

static int bench_gendisk(unsigned int n)
{
	unsigned int i, added = 0;
	struct mem_mark m;
	char buf[16];
	int *ids, r = 0;
	double t;

	ids = calloc(n, sizeof(*ids));
	if (!ids)
		return 2;
	mem_start(&m);
	t = now_s();
	for (i = 0; i < n; i++) {
		int fd = open(ZRAM_CONTROL "hot_add", O_RDONLY);
		ssize_t len = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

		if (fd >= 0)
			close(fd);
		if (len <= 0) {
			perror(ZRAM_CONTROL "hot_add");
			r = 1;
			break;
		}
		buf[len] = 0;
		ids[added++] = atoi(buf);
	}
	if (!r) {
		report("create", n, n / (now_s() - t), "ops/s");
		mem_report(&m, n, "gendisk");
	}
	t = now_s();
	for (i = 0; i < added; i++) {
		snprintf(buf, sizeof(buf), "%d", ids[i]);
		if (write_file(ZRAM_CONTROL "hot_remove", buf))
			r = 1;
	}
	if (!r)
		report("remove", n, n / (now_s() - t), "ops/s");
	free(ids);
	return r;
}

static int bench_memory(unsigned int n)
{
	return bench_memory_one(n, 0, "none") ||
	       bench_memory_one(n, 1, "linear");
}

static int bad_usage(void)
{
	fprintf(stderr, "usage: %s control N BACKING K... | memory N BACKING | gendisk N\n",
		PROG);
	return 2;
}

int main(int argc, char **argv)
{
	unsigned int n;
	int r;

	if (argc < 3)
		return bad_usage();
	n = strtoul(argv[2], NULL, 10);
	if (!n)
		return bad_usage();
	if (!strcmp(argv[1], "gendisk") && argc == 3)
		return bench_gendisk(n);
	if (argc < 4)
		return bad_usage();
	if (set_backing(argv[3]))
		return 2;
	ctl = open_control();
	remove_devices(has_prefix, PREFIX, 0);
	if (!strcmp(argv[1], "control")) {
		check_name = "control";
		r = bench_control(n, argc - 4, argv + 4);
	} else if (!strcmp(argv[1], "memory") && argc == 4) {
		check_name = "memory";
		r = bench_memory(n);
	} else {
		return bad_usage();
	}
	remove_devices(has_prefix, PREFIX, 2000);
	return r;
}
