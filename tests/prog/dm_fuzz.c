// SPDX-License-Identifier: GPL-2.0-only
/*
 * dm_fuzz - a structure-aware fuzzer of the DM control device.
 *
 *   dm_fuzz [--race] [--trace] [--from I] [--skip COMMAND]... ITERATIONS SEED BACKING
 *
 * Each iteration builds one request for one of the 18 commands (VERSION
 * to GET_TARGET_VERSION, REMOVE_ALL and LIST_DEVICES included) the way a
 * caller would, then mutates it: header fields (version, data_size,
 * data_start, flags, target_count, event_nr, dev), names and uuids left
 * unterminated, and for TABLE_LOAD a chain of target specs with broken
 * `next` offsets, overlaps, gaps, misaligned and huge starts and
 * lengths, huge counts, unknown and unterminated target names and
 * malformed parameters for linear, striped, zero and error over the
 * block device BACKING.  Devices are named from a small pool so that
 * commands find what earlier ones made.  The request is the whole of
 * one mapping with a guard page after it, so that a size that claims
 * more than the buffer reaches the fault path.
 *
 * With --race a second thread rewrites random bytes of the request while
 * the call runs (the driver must read each field of the caller's buffer
 * once).  The run is deterministic by SEED (each iteration's choices
 * come from SEED and its number alone; --from I starts at iteration I to
 * replay one), except with --race and for DEV_WAIT, which a timer
 * interrupts after WAIT_MS (and every WAIT_MS after that: a signal that
 * lands before the call sleeps cannot wake it: with a one-shot timer a
 * debug run of a million requests once sat idle for an hour, no task
 * blocked uninterruptibly).  --skip leaves a command out (its name as
 * the time table spells it, table_clear say).
 *
 * Checks: every call ends in success or one of the errnos a rejection
 * may give (anything else, ENOTSUPP's 524 leaking to user space for
 * one, is a failure); at the end REMOVE_ALL leaves no device.  The
 * kernel's side (no splat, no leak, the module unloads) is the
 * harness's.  With --trace every iteration prints "I CMD ERRNO", so that
 * runs against two drivers can be compared.
 *
 * Prints a table of the time spent in each command and the errnos it
 * got, then the five slowest calls (iteration, command, header sizes: what
 * to replay with --from), "measured: ..." lines.
 * Exit: 0 if all held, 1 if not, 2 on a usage or setup error.
 */
#define PROG "dm_fuzz"
#include "dm_prog.h"
#include <getopt.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/mman.h>
#include <time.h>
#include <sys/time.h>
#include <unistd.h>

#define NCMDS		18
#define POOL		6	/* device names fz0..fz5, uuids fz-u0..fz-u5 */
#define BUF_SIZE	(64 * 1024)
#define WAIT_MS		20
#define MAX_ERRNO	600	/* 524 (ENOTSUPP) included */

static const char *const cmd_names[NCMDS] = {
	"version", "remove_all", "list_devices", "dev_create", "dev_remove",
	"dev_rename", "dev_suspend", "dev_status", "dev_wait", "table_load",
	"table_clear", "table_deps", "table_status", "list_versions",
	"target_msg", "set_geometry", "arm_poll", "get_target_version",
};

/*
 * How often each command is picked, out of the sum.  A device made costs
 * far more than a request refused (a disk, its sysfs, its uevents): the
 * removals that make room for new ones are the rarest.
 */
static unsigned int cmd_weight[NCMDS] = {
	8, 1, 16, 40, 12, 20, 32, 24, 8, 64, 16, 16, 24, 12, 24, 16, 8, 12,
};

/* what a rejection may give */
static const int allowed[] = {
	EINVAL, ENXIO, EBUSY, EFAULT, ENOMEM, ENOTTY, EPERM, EINTR, ENODEV,
	ENOTBLK, ENOENT, EEXIST, ENOSPC, EOPNOTSUPP, ERANGE, EOVERFLOW,
};

struct rng {
	unsigned long long s;
};

/* splitmix64: a seed per iteration, so one can be replayed alone */
static unsigned long long next_u64(struct rng *r)
{
	unsigned long long z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned int below(struct rng *r, unsigned int n)
{
	return n ? next_u64(r) % n : 0;
}

static bool chance(struct rng *r, unsigned int percent)
{
	return below(r, 100) < percent;
}

static unsigned char *buf;		/* BUF_SIZE, a guard page after it */
static atomic_bool racing;		/* the racer rewrites buf meanwhile */
static atomic_size_t race_len;		/* over its first race_len bytes */
static unsigned long counts[NCMDS][MAX_ERRNO + 1];
static double cmd_ms[NCMDS];		/* time spent in each command's calls */
static unsigned long unexpected;
static unsigned int dm_major;		/* device-mapper's block major */

static void *racer(void *arg)
{
	const size_t size_hi = offsetof(struct dm_ioctl, data_size) + 2;
	struct rng r = { .s = (uintptr_t)arg };
	size_t len, at;

	for (;;) {
		if (!atomic_load_explicit(&racing, memory_order_relaxed)) {
			sched_yield();
			continue;
		}
		len = atomic_load_explicit(&race_len, memory_order_relaxed);
		if (!len)
			continue;
		at = below(&r, len);
		/*
		 * data_size changes only below 64 KiB: a size up to 1 GiB
		 * makes the kernel allocate that much first, which costs
		 * and tests nothing a smaller change does not
		 */
		if (at == size_hi || at == size_hi + 1)
			continue;
		buf[at] = next_u64(&r);
	}
	return NULL;
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* ---- building requests ---------------------------------------------- */

static void pool_name(struct rng *r, char *dst, size_t size)
{
	snprintf(dst, size, "fz%u", below(r, POOL));
}

static void pool_uuid(struct rng *r, char *dst, size_t size)
{
	snprintf(dst, size, "fz-u%u", below(r, POOL));
}

/* A string as a caller might give one, or one that is not. */
static void fuzz_string(struct rng *r, char *dst, size_t size, bool uuid)
{
	static const char *const odd[] = {
		"", ".", "..", "a/b", "-", "control", "fz0 ", "\n", "\xff\xfe",
	};

	switch (below(r, 6)) {
	case 0:
	case 1:
	case 2:
		if (uuid)
			pool_uuid(r, dst, size);
		else
			pool_name(r, dst, size);
		break;
	case 3:
		snprintf(dst, size, "%s", odd[below(r, ARRAY_SIZE(odd))]);
		break;
	case 4:	/* unterminated: every byte set */
		memset(dst, 'a' + below(r, 26), size);
		break;
	default: /* exactly full, terminated */
		memset(dst, 'z', size - 1);
		dst[size - 1] = 0;
		break;
	}
}

/* where a command finds its device: name, uuid, number, several, none */
static void identity(struct rng *r, struct dm_ioctl *dmi)
{
	switch (below(r, 8)) {
	case 0:
	case 1:
	case 2:
	case 3:
		pool_name(r, dmi->name, sizeof(dmi->name));
		break;
	case 4:
		pool_uuid(r, dmi->uuid, sizeof(dmi->uuid));
		break;
	case 5:
		dmi->dev = makedev(dm_major, below(r, 8));
		break;
	case 6:
		fuzz_string(r, dmi->name, sizeof(dmi->name), false);
		if (chance(r, 50))
			fuzz_string(r, dmi->uuid, sizeof(dmi->uuid), true);
		break;
	default:
		break;
	}
}

/* parameters for a target, well formed or not */
static void target_params(struct rng *r, const char *type, char *p, size_t size)
{
	static const char *const offsets[] = {
		"0", "8", "1", "-1", "18446744073709551615", "abc", "0x10",
		"99999999999999999999", "",
	};
	static const char *const chunks[] = {
		"8", "16", "128", "7", "0", "1", "1073741824", "x", "-8",
	};
	static const char *const junk[] = {
		"", " ", "1 2 3", "\t", "0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0",
	};
	const char *dev = chance(r, 80) ? backing_dev :
			  chance(r, 50) ? "/dev/nonexistent" :
			  chance(r, 50) ? "0:0" : "4095:1048575";
	unsigned int legs, n, i;
	size_t at;

	if (!strcmp(type, "linear")) {
		snprintf(p, size, "%s %s%s", dev,
			 chance(r, 80) ? "0" : offsets[below(r, ARRAY_SIZE(offsets))],
			 chance(r, 10) ? " extra" : "");
	} else if (!strcmp(type, "striped")) {
		legs = chance(r, 80) ? 1 + below(r, 4) : below(r, 100000);
		n = chance(r, 80) ? legs : below(r, 6);
		at = snprintf(p, size, "%u %s", legs,
			      chance(r, 80) ? "8" : chunks[below(r, ARRAY_SIZE(chunks))]);
		for (i = 0; i < n && at < size; i++)
			at += snprintf(p + at, size - at, " %s %s", dev,
				       chance(r, 80) ? "0" :
				       offsets[below(r, ARRAY_SIZE(offsets))]);
	} else {
		snprintf(p, size, "%s", chance(r, 70) ? "" : junk[below(r, ARRAY_SIZE(junk))]);
	}
}

/*
 * TABLE_LOAD's payload at @data (@room bytes): a chain of target specs,
 * each followed by its parameters; returns the bytes used and sets the
 * header's target_count.
 */
static size_t table_payload(struct rng *r, struct dm_ioctl *dmi,
			    unsigned char *data, size_t room)
{
	static const char *const types[] = {
		"linear", "linear", "linear", "striped", "striped", "zero",
		"error", "nosuch", "",
	};
	unsigned int count = chance(r, 85) ? 1 + below(r, 4) : below(r, 64);
	unsigned long long sector = 0, len;
	size_t at = 0, start;
	unsigned int i;

	dmi->target_count = count;
	for (i = 0; i < count && at + SPEC + 256 < room; i++) {
		struct dm_target_spec *spec = (void *)(data + at);
		const char *type = types[below(r, ARRAY_SIZE(types))];
		char *params = (char *)(spec + 1);
		size_t plen;

		start = at;
		len = chance(r, 85) ? 8 * (1 + below(r, 64)) :
		      chance(r, 50) ? 0 : next_u64(r) >> below(r, 64);
		spec->sector_start = sector;
		if (chance(r, 8))		/* a gap or an overlap */
			spec->sector_start += (int64_t)below(r, 32) - 16;
		if (chance(r, 3))
			spec->sector_start = next_u64(r);
		spec->length = len;
		sector = spec->sector_start + len;
		if (chance(r, 3))		/* unterminated name */
			memset(spec->target_type, 'x', sizeof(spec->target_type));
		else
			snprintf(spec->target_type, sizeof(spec->target_type),
				 "%s", type);
		target_params(r, type, params, 200);
		plen = strlen(params) + 1;
		if (chance(r, 3))		/* unterminated parameters */
			params[plen - 1] = 'q';
		at += SPEC + plen;
		at = (at + 7) & ~7UL;
		spec->next = at - start;
		if (chance(r, 5)) {
			static const unsigned int bad[] = {
				0, 1, 7, SPEC - 8, 0xfffffff8, 0x7fffffff,
				BUF_SIZE, BUF_SIZE * 2,
			};

			spec->next = bad[below(r, ARRAY_SIZE(bad))];
		}
	}
	return at;
}

/*
 * The request of one iteration for command @cmd, well formed, before
 * mutate(): the header at buf, the payload after it; returns the bytes
 * the request uses.
 */
static size_t build(struct rng *r, unsigned int cmd)
{
	struct dm_ioctl *dmi = (void *)buf;
	unsigned char *data = buf + HDR;
	size_t room = BUF_SIZE - HDR, used = 0;

	memset(buf, 0, BUF_SIZE);
	dmi->version[0] = DM_VERSION_MAJOR;
	dmi->version[1] = chance(r, 90) ? DM_VERSION_MINOR : below(r, 60);
	dmi->data_start = HDR;
	switch (cmd) {
	case DM_REMOVE_ALL_CMD:
		if (chance(r, 30))
			dmi->flags |= DM_DEFERRED_REMOVE;
		break;
	case DM_DEV_CREATE_CMD:
		if (chance(r, 90))
			pool_name(r, dmi->name, sizeof(dmi->name));
		else
			fuzz_string(r, dmi->name, sizeof(dmi->name), false);
		if (chance(r, 50))
			fuzz_string(r, dmi->uuid, sizeof(dmi->uuid), true);
		if (chance(r, 30)) {
			dmi->flags |= DM_PERSISTENT_DEV_FLAG;
			dmi->dev = makedev(dm_major,
					   chance(r, 80) ? below(r, 16) :
					   (unsigned int)next_u64(r));
		}
		if (chance(r, 10))
			dmi->flags |= DM_READONLY_FLAG;
		break;
	case DM_DEV_RENAME_CMD:
		identity(r, dmi);
		if (chance(r, 30))
			dmi->flags |= DM_UUID_FLAG;
		fuzz_string(r, (char *)data, DM_NAME_LEN,
			    dmi->flags & DM_UUID_FLAG);
		used = strnlen((char *)data, DM_NAME_LEN) + 1;
		break;
	case DM_DEV_SUSPEND_CMD:
		identity(r, dmi);
		if (chance(r, 50))
			dmi->flags |= DM_SUSPEND_FLAG;
		if (chance(r, 30))
			dmi->flags |= DM_NOFLUSH_FLAG;
		if (chance(r, 30))
			dmi->flags |= DM_SKIP_LOCKFS_FLAG;
		break;
	case DM_DEV_WAIT_CMD:
		identity(r, dmi);
		dmi->event_nr = chance(r, 50) ? below(r, 4) : next_u64(r);
		used = below(r, 4096);
		break;
	case DM_TABLE_LOAD_CMD:
		identity(r, dmi);
		if (chance(r, 10))
			dmi->flags |= DM_READONLY_FLAG;
		used = table_payload(r, dmi, data, room);
		break;
	case DM_TARGET_MSG_CMD: {
		static const char *const msgs[] = {
			"", "hello", "@cancel_deferred_remove", "@stats_list",
			"@stats_create - /1", "1 2 3", "@", "@x",
		};
		struct dm_target_msg *msg = (void *)data;

		identity(r, dmi);
		msg->sector = chance(r, 80) ? below(r, 64) : next_u64(r);
		snprintf(msg->message, 200, "%s", msgs[below(r, ARRAY_SIZE(msgs))]);
		used = sizeof(*msg) + strlen(msg->message) + 1;
		if (chance(r, 10))	/* unterminated */
			msg->message[used - sizeof(*msg) - 1] = 'm';
		break;
	}
	case DM_DEV_SET_GEOMETRY_CMD: {
		static const char *const geo[] = {
			"1 2 3 4", "1024 255 63 0", "0 0 0 0", "1 2 3",
			"1 2 3 4 5", "x y z w", "4294967296 1 1 1",
			"-1 1 1 1", "",
		};

		identity(r, dmi);
		used = snprintf((char *)data, 64, "%s", geo[below(r, ARRAY_SIZE(geo))]) + 1;
		if (chance(r, 10))
			data[used - 1] = '9';
		break;
	}
	case DM_GET_TARGET_VERSION_CMD: {
		static const char *const t[] = {
			"linear", "striped", "zero", "error", "nosuch", "",
		};

		/* the target's name goes where a device's would */
		snprintf(dmi->name, sizeof(dmi->name), "%s", t[below(r, ARRAY_SIZE(t))]);
		used = chance(r, 50) ? below(r, 64) : below(r, 1024);
		break;
	}
	case DM_VERSION_CMD:
	case DM_LIST_DEVICES_CMD:
	case DM_LIST_VERSIONS_CMD:
		/* room for the reply, often too little */
		used = chance(r, 50) ? below(r, 64) : below(r, 8192);
		break;
	default:	/* status, deps, clear, remove, arm_poll */
		identity(r, dmi);
		if (cmd == DM_DEV_REMOVE_CMD && chance(r, 30))
			dmi->flags |= DM_DEFERRED_REMOVE;
		if (cmd == DM_TABLE_STATUS_CMD || cmd == DM_DEV_STATUS_CMD ||
		    cmd == DM_TABLE_DEPS_CMD) {
			if (chance(r, 40))
				dmi->flags |= DM_STATUS_TABLE_FLAG;
			if (chance(r, 30))
				dmi->flags |= DM_QUERY_INACTIVE_TABLE_FLAG;
			used = chance(r, 50) ? below(r, 64) : below(r, 8192);
		}
		break;
	}
	dmi->data_size = HDR + used;
	return HDR + used;
}

/* Mutate the header (and sometimes the payload) of a built request. */
static void mutate(struct rng *r, size_t used)
{
	struct dm_ioctl *dmi = (void *)buf;
	unsigned int n = below(r, 4), i;

	for (i = 0; i < n; i++) {
		switch (below(r, 12)) {
		case 0:
			dmi->version[below(r, 3)] = chance(r, 50) ?
				below(r, 8) : (unsigned int)next_u64(r);
			break;
		case 1: {
			static const unsigned int sizes[] = {
				0, 1, MIN_SIZE - 1, MIN_SIZE, HDR, HDR + 1,
				BUF_SIZE, BUF_SIZE + 1, 0x7fffffff, 0xffffffff,
			};

			/*
			 * A size the kernel accepts makes it allocate that
			 * much before the copy from the 64 KiB buffer fails
			 * (368 MB took 7 s on the stock kernel): sizes far
			 * past the buffer stay rare, each is costly and takes
			 * the same path as the next.
			 */
			if (chance(r, 70))
				dmi->data_size = sizes[below(r, ARRAY_SIZE(sizes))];
			else if (below(r, 1000))
				dmi->data_size = below(r, 2 * BUF_SIZE);
			else
				dmi->data_size = (unsigned int)next_u64(r);
			break;
		}
		case 2:
			dmi->data_size = used - 1 - below(r, 8);
			break;
		case 3: {
			static const unsigned int starts[] = {
				0, 1, HDR - 8, HDR + 1, HDR + 4, 0xfffffff0,
			};

			dmi->data_start = chance(r, 70) ? starts[below(r, ARRAY_SIZE(starts))] :
					  (unsigned int)next_u64(r);
			break;
		}
		case 4:
			dmi->flags ^= 1U << below(r, 32);
			break;
		case 5:
			dmi->target_count = chance(r, 50) ? below(r, 8) :
					    (unsigned int)next_u64(r);
			break;
		case 6:
			dmi->event_nr = (unsigned int)next_u64(r);
			break;
		case 7:
			dmi->dev = next_u64(r);
			break;
		case 8:
			memset(dmi->name, 'n', sizeof(dmi->name));
			break;
		case 9:
			memset(dmi->uuid, 'u', sizeof(dmi->uuid));
			break;
		case 10:
			if (used > HDR)
				buf[HDR + below(r, used - HDR)] = next_u64(r);
			break;
		default:
			dmi->open_count = next_u64(r);
			break;
		}
	}
}

/* ---- running ---------------------------------------------------------- */

/* --skip NAME: never pick the command NAME (as cmd_names spells it) */
static int skip_cmd(const char *name)
{
	unsigned int i;

	for (i = 0; i < NCMDS; i++)
		if (!strcmp(cmd_names[i], name)) {
			cmd_weight[i] = 0;
			return 0;
		}
	fprintf(stderr, "%s: no command %s\n", PROG, name);
	return 1;
}

static unsigned int pick_cmd(struct rng *r)
{
	unsigned int sum = 0, i, x;

	for (i = 0; i < NCMDS; i++)
		sum += cmd_weight[i];
	x = below(r, sum);
	for (i = 0; x >= cmd_weight[i]; i++)
		x -= cmd_weight[i];
	return i;
}

static bool is_allowed(int e)
{
	size_t i;

	if (!e)
		return true;
	for (i = 0; i < ARRAY_SIZE(allowed); i++)
		if (allowed[i] == e)
			return true;
	return false;
}

/* an errno's name, or its number if libc has none (ENOTSUPP, 524) */
static const char *errno_name(int e, char *tmp, size_t size)
{
	const char *n = e == MAX_ERRNO ? "other" : ename(e);

	if (n)
		return n;
	snprintf(tmp, size, "errno%d", e);
	return tmp;
}

/* the slowest calls, slowest first: what to replay with --from */
static struct slow {
	unsigned long it;
	unsigned int cmd, data_size, target_count;
	double ms;
	int e;
} slowest[5];

/* @dmi: the request's header as sent */
static void note_slow(unsigned long it, unsigned int cmd, double ms, int e,
		      const struct dm_ioctl *dmi)
{
	size_t i = ARRAY_SIZE(slowest);

	if (ms <= slowest[i - 1].ms)
		return;
	while (i > 0 && ms > slowest[i - 1].ms) {
		if (i < ARRAY_SIZE(slowest))
			slowest[i] = slowest[i - 1];
		i--;
	}
	slowest[i] = (struct slow){ it, cmd, dmi->data_size, dmi->target_count, ms, e };
}

static int one(unsigned long long seed, unsigned long it, bool race, bool trace)
{
	struct rng r = { .s = seed ^ (it * 0xd1342543de82ef95ULL) };
	unsigned int cmd = pick_cmd(&r);
	struct itimerval tv = {
		.it_value.tv_usec = WAIT_MS * 1000,
		.it_interval.tv_usec = WAIT_MS * 1000,
	};
	struct timespec t0, t1;
	char tmp[16];
	struct dm_ioctl sent;
	size_t used;
	double ms;
	int e;

	used = build(&r, cmd);
	mutate(&r, used);
	if (cmd == DM_DEV_WAIT_CMD)
		setitimer(ITIMER_REAL, &tv, NULL);
	if (race) {
		atomic_store(&race_len, used < BUF_SIZE ? used : BUF_SIZE);
		atomic_store(&racing, true);
	}
	memcpy(&sent, buf, sizeof(sent));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	e = ioctl(ctl, _IOWR(DM_IOCTL, cmd, struct dm_ioctl), buf) ? errno : 0;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
	cmd_ms[cmd] += ms;
	note_slow(it, cmd, ms, e, &sent);
	if (race)
		atomic_store(&racing, false);
	if (cmd == DM_DEV_WAIT_CMD) {
		memset(&tv, 0, sizeof(tv));
		setitimer(ITIMER_REAL, &tv, NULL);
	}
	if (trace)
		printf("%lu %s %s\n", it, cmd_names[cmd],
		       errno_name(e, tmp, sizeof(tmp)));
	counts[cmd][e <= MAX_ERRNO && e >= 0 ? e : MAX_ERRNO]++;
	if (!is_allowed(e)) {
		unexpected++;
		fprintf(stderr, "%s: iteration %lu: %s gave errno %d (%s)\n",
			PROG, it, cmd_names[cmd], e,
			errno_name(e, tmp, sizeof(tmp)));
		return 1;
	}
	return 0;
}

static void report(void)
{
	unsigned int c, e;
	char tmp[16];

	for (c = 0; c < NCMDS; c++) {
		printf("measured: dm_fuzz %-18s %7.0f ms", cmd_names[c],
		       cmd_ms[c]);
		for (e = 0; e <= MAX_ERRNO; e++)
			if (counts[c][e])
				printf(" %s:%lu", errno_name(e, tmp, sizeof(tmp)),
				       counts[c][e]);
		printf("\n");
	}
	for (c = 0; c < ARRAY_SIZE(slowest) && slowest[c].ms > 0; c++)
		printf("measured: dm_fuzz slow: iteration %lu %s %.0f ms %s %s %u, %s %u)\n",
		       slowest[c].it, cmd_names[slowest[c].cmd], slowest[c].ms,
		       errno_name(slowest[c].e, tmp, sizeof(tmp)),
		       "(data_size", slowest[c].data_size,
		       "target_count", slowest[c].target_count);
	memset(slowest, 0, sizeof(slowest));
}

/* REMOVE_ALL, then no device may be left. */
static int cleanup(void)
{
	struct dm_ioctl *dmi = request(BIG, NULL);
	int e;

	e = issue(DM_REMOVE_ALL, dmi);
	if (e)
		return fail("REMOVE_ALL at the end: %s", ename(e));
	memset(dmi, 0, BIG);
	dmi->version[0] = DM_VERSION_MAJOR;
	dmi->data_size = BIG;
	dmi->data_start = HDR;
	e = issue(DM_LIST_DEVICES, dmi);
	if (e)
		return fail("LIST_DEVICES at the end: %s", ename(e));
	if (first_name(dmi))
		return fail("devices left after REMOVE_ALL, %s the first",
			    first_name(dmi)->name);
	free(dmi);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "race", no_argument, NULL, 'r' },
		{ "trace", no_argument, NULL, 't' },
		{ "from", required_argument, NULL, 'f' },
		{ "skip", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	struct sigaction sa = { .sa_handler = on_alarm };
	unsigned long iterations, from = 0, it;
	bool race = false, trace = false;
	pthread_t thread;
	sigset_t alrm;
	unsigned long long seed;
	int o, bad = 0;

	check_name = "fuzz";
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'r':
			race = true;
			break;
		case 't':
			trace = true;
			break;
		case 'f':
			from = strtoul(optarg, NULL, 0);
			break;
		case 's':
			if (skip_cmd(optarg))
				return 2;
			break;
		default:
			return 2;
		}
	}
	if (argc - optind != 3) {
		fprintf(stderr, "usage: %s %s ITERATIONS SEED BACKING\n", PROG,
			"[--race] [--trace] [--from I] [--skip COMMAND]...");
		return 2;
	}
	iterations = strtoul(argv[optind], NULL, 0);
	seed = strtoull(argv[optind + 1], NULL, 0);
	if (set_backing(argv[optind + 2]))
		return 2;
	ctl = open_control();
	dm_major = dm_block_major();

	buf = mmap(NULL, BUF_SIZE + 4096, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED || mprotect(buf + BUF_SIZE, 4096, PROT_NONE)) {
		perror("mmap");
		return 2;
	}
	/* no SA_RESTART: the timer interrupts a DEV_WAIT with EINTR */
	sigaction(SIGALRM, &sa, NULL);
	if (race) {
		/* the timer's signal must reach this thread, not the racer */
		sigemptyset(&alrm);
		sigaddset(&alrm, SIGALRM);
		pthread_sigmask(SIG_BLOCK, &alrm, NULL);
		if (pthread_create(&thread, NULL, racer,
				   (void *)(uintptr_t)(seed + 1))) {
			fprintf(stderr, "%s: pthread_create failed\n", PROG);
			return 2;
		}
		pthread_sigmask(SIG_UNBLOCK, &alrm, NULL);
	}
	for (it = from; it < from + iterations; it++)
		bad |= one(seed, it, race, trace);
	report();
	printf("measured: dm_fuzz %lu iterations from %lu, seed %llu%s, %lu unexpected errno(s)\n",
	       iterations, from, (unsigned long long)seed,
	       race ? ", racing rewrites" : "", unexpected);
	bad |= cleanup();
	return bad;
}
