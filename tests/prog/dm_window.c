// SPDX-License-Identifier: GPL-2.0-only
/*
 * dm_window - the lifetime windows of a mapped device, each opened on
 * purpose and raced through, with the invariant that must hold in it.
 *
 *   dm_window --list | CHECK
 *
 * Each check makes devices named win-* over $DM_WINDOW_BACKING (default
 * /dev/ram0), and plays both sides of one window: a device being built,
 * unpublished, removed, resumed or swapped while another process looks
 * it up, opens it, reads its sysfs files or its table, or does I/O.
 * Every call must end with the result the window allows (exact errnos).
 *
 * In a test build of sdm (Documentation/testing.rst, "Mutants") the check
 * also stretches its window with the delay point that sits in it
 * (/sys/kernel/debug/sdm/delay/POINT/us), so that every round lands in
 * it, and requires that the point was passed (its hits went up): the
 * window was raced through, not missed.  A mutant that puts the race
 * back then makes the check fail or the kernel report it, every time.
 * Against dm_mod or a product build of sdm there is no delay point: the
 * checks then show that the driver keeps the same rules.
 *
 * Exit status: 0 if the check passed, 1 if not (the reason is printed),
 * 2 on a usage or setup error.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define PROG		"dm_window"
#include "dm_prog.h"

#define DELAYS		"/sys/kernel/debug/sdm/delay/"
#define PREFIX		"win-"
/* the persistent minors the checks use: far from dynamic ones */
#define MINOR_FILL	100
#define MINOR_WIN	200

static unsigned int dm_major;
static bool hooks;		/* sdm's delay points are there */

/* What a racing child saw, shared with its parent. */
struct shared {
	int stop;		/* atomic: __atomic_load_n() */
	long ok;		/* calls that found what they looked for */
	long absent;		/* calls that found nothing (allowed) */
	int bad;		/* a result the window does not allow */
	char why[256];
};

static struct shared *sh;

static void setup_error(const char *what)
{
	fprintf(stderr, "%s: %s: %s: %m\n", PROG, check_name, what);
	exit(2);
}

static void find_dm_major(void)
{
	dm_major = dm_block_major();
	if (!dm_major) {
		errno = ENODEV;
		setup_error("no device-mapper block major in /proc/devices");
	}
}

/* Write @val into DELAYS/@point/@file; false if there is no such point. */
static bool write_point(const char *point, const char *file, long val)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), DELAYS "%s/%s", point, file);
	f = fopen(path, "w");
	if (!f)
		return false;
	fprintf(f, "%ld\n", val);
	if (fclose(f))
		setup_error(path);
	return true;
}

static long read_hits(const char *point)
{
	char path[128];
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), DELAYS "%s/hits", point);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fscanf(f, "%ld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

/*
 * A delay point stretched for one check: stretch() sets it and notes its
 * hits, passed() puts it back to 0 and tells whether it was passed since.
 */
struct window {
	const char *point;
	long hits;
};

static struct window stretch(const char *point, long us)
{
	struct window w = { point, -1 };

	if (!hooks)
		return w;
	/* first: a racer may pass the point as soon as it is stretched */
	w.hits = read_hits(point);
	if (!write_point(point, "us", us)) {
		errno = ENOENT;
		setup_error(point);
	}
	return w;
}

/*
 * Wait until a racer is inside the stretched window @w (its point was
 * reached since stretch()), for up to @ms; without delay points at once.
 */
static int entered(struct window w, long ms)
{
	if (!hooks)
		return 0;
	for (; ms > 0; ms -= 10) {
		if (read_hits(w.point) > w.hits)
			return 0;
		sleep_ms(10);
	}
	return fail("no racer reached the delay point %s", w.point);
}

static int passed(struct window w)
{
	long now;

	if (!hooks)
		return 0;
	write_point(w.point, "us", 0);
	now = read_hits(w.point);
	printf("window %s: entered %ld times\n", w.point, now - w.hits);
	if (now <= w.hits)
		return fail("the delay point %s was never reached: the window was missed",
			    w.point);
	return 0;
}

static unsigned long long win_dev(unsigned int minor)
{
	return makedev(dm_major, minor);
}

/* A node of our own for @minor (no udev, and /dev/dm-N comes and goes). */
static const char *win_node(unsigned int minor)
{
	static char path[64];

	snprintf(path, sizeof(path), "/tmp/" PREFIX "node-%u", minor);
	unlink(path);
	if (mknod(path, S_IFBLK | 0600, win_dev(minor)))
		setup_error(path);
	return path;
}

/* DEV_STATUS by dev_t; the name found in @name (if asked). */
static int status_by_dev(unsigned int minor, char *name, size_t len)
{
	struct dm_ioctl *dmi = request(sizeof(*dmi), NULL);
	int r;

	dmi->dev = win_dev(minor);
	r = issue(DM_DEV_STATUS, dmi);
	if (!r && name)
		snprintf(name, len, "%s", dmi->name);
	free(dmi);
	return r;
}

/* TABLE_LOAD of @len sectors of the backing device at @off; 0 or 1 */
static int load_linear(const char *name, unsigned long long len,
		       unsigned long long off)
{
	return expect_errno("load", load_one_linear(name, backing_dev, len,
						    off, 0), 0);
}

/* create + load (linear over the backing device at @off) + resume */
static int make_live(const char *name, unsigned int minor,
		     unsigned long long off)
{
	int r;

	r = create_dev(name, NULL, minor ? win_dev(minor) : 0);
	if (r)
		return fail("create %s: %s", name, ename(r));
	r = load_one_linear(name, backing_dev, 8, off, 0);
	if (r)
		return fail("load %s: %s", name, ename(r));
	r = resume(name);
	if (r)
		return fail("resume %s: %s", name, ename(r));
	return 0;
}

/* Remove @name, retrying while it is open, for up to @ms. */
static int remove_retrying(const char *name, long ms)
{
	int r;

	while ((r = dev_remove(name)) == EBUSY && ms > 0) {
		sleep_ms(5);
		ms -= 5;
	}
	return r;
}

/* The child's verdict: the first result its window does not allow. */
static void child_bad(const char *fmt, ...)
{
	va_list ap;

	if (sh->bad++)
		return;
	va_start(ap, fmt);
	vsnprintf(sh->why, sizeof(sh->why), fmt, ap);
	va_end(ap);
}

/* Run @fn in a child until the parent sets sh->stop. */
static pid_t spawn(void (*fn)(void *), void *arg)
{
	pid_t pid = fork();

	if (pid < 0)
		setup_error("fork");
	if (!pid) {
		ctl = open_control();
		while (!__atomic_load_n(&sh->stop, __ATOMIC_ACQUIRE))
			fn(arg);
		_exit(0);
	}
	return pid;
}

/*
 * Wait up to @ms until the racing child has succeeded more than @seen
 * times.  A round that waits for this before its remove races at least
 * one success, however late the child gets the CPU (a loaded host, an
 * open that first waits for a module request).
 */
static int child_got_one(long seen, long ms)
{
	long t;

	for (t = 0; t < ms; t += 5) {
		if (__atomic_load_n(&sh->ok, __ATOMIC_RELAXED) > seen)
			return 0;
		sleep_ms(5);
	}
	return fail("the racing child succeeded no more in %ld ms (%ld times before)",
		    ms, seen);
}

/* Stop the child; 1 if it saw something its window does not allow. */
static int reap(pid_t pid)
{
	int status;

	__atomic_store_n(&sh->stop, 1, __ATOMIC_RELEASE);
	if (waitpid(pid, &status, 0) != pid)
		setup_error("waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return fail("the racing child died (status %#x)", status);
	if (sh->bad)
		return fail("%s (%d unexpected results)", sh->why, sh->bad);
	return 0;
}

static void shared_reset(void)
{
	memset(sh, 0, sizeof(*sh));
}

/* ---- a minor being built: found only once its device is complete ---- */

static void look_up_win_minor(void *name)
{
	char found[DM_NAME_LEN];
	int r = status_by_dev(MINOR_WIN, found, sizeof(found));

	if (r == ENXIO)
		sh->absent++;
	else if (r)
		child_bad("status by dev: %s, not success or ENXIO", ename(r));
	else if (strcmp(found, name))
		child_bad("status by dev found '%s', not '%s'", found,
			  (char *)name);
	else
		sh->ok++;
}

/*
 * A device created with a persistent minor while another process looks
 * that minor up: it finds nothing, or the complete device with its name.
 * (A second device first gives the minor index inner nodes, which the
 * reservation then allocates.)
 */
static int create_vs_lookup(void)
{
	struct window w = stretch("reserved", 300000);
	pid_t pid;
	int i, r = 0;

	if (make_live(PREFIX "fill", MINOR_FILL, 0))
		return 1;
	pid = spawn(look_up_win_minor, PREFIX "c");
	for (i = 0; i < 3 && !r; i++) {
		r = make_live(PREFIX "c", MINOR_WIN, 0);
		sleep_ms(50);
		if (!r)
			r = expect_errno("remove", dev_remove(PREFIX "c"), 0);
		/* as long without it: a removal is over too soon to be seen */
		sleep_ms(50);
	}
	r |= reap(pid);
	printf("lookups: %ld found the device, %ld nothing\n", sh->ok,
	       sh->absent);
	if (!r && (!sh->ok || !sh->absent))
		r = fail("the lookups never saw both states");
	return r | passed(w);
}

/* ---- a failed create: its device is never found ---- */

static void look_up_absent_minor(void *what)
{
	int r = status_by_dev(MINOR_WIN, NULL, 0);

	if (r == ENXIO)
		sh->absent++;
	else
		child_bad("status by dev of %s: %s, not ENXIO", (char *)what,
			  ename(r));
}

/*
 * Creates that fail (the name is taken) three times in a row, with the
 * minor of a device that is left, while a child looks that minor up: the
 * lookups find nothing, and each create fails for the name, never for the
 * minor (which the failed create before it must have given back).
 */
static int failed_creates_vs_lookups(void)
{
	pid_t pid;
	int i, r;

	r = expect_errno("create", create(PREFIX "dup", NULL), 0);
	if (r)
		return r;
	pid = spawn(look_up_absent_minor, "a failed create");
	for (i = 0; i < 3 && !r; i++)
		r = expect_errno("create with a taken name",
				 create_dev(PREFIX "dup", NULL,
					    win_dev(MINOR_WIN)), EBUSY);
	r |= reap(pid);
	printf("lookups: %ld found nothing\n", sh->absent);
	if (!r)
		r = expect_errno("status by dev after the failed creates",
				 status_by_dev(MINOR_WIN, NULL, 0), ENXIO);
	return r;
}

/*
 * A create that fails drops the only reference of a device that has its
 * minor: a lookup of that minor meanwhile finds nothing, and nothing is
 * left.  The teardown is stretched (unpublished).
 */
static int failed_create_vs_lookup(void)
{
	struct window w = stretch("unpublished", 300000);
	int r = failed_creates_vs_lookups();

	return r | passed(w);
}

/*
 * A create that fails while a lookup by its minor holds its device: the
 * call returns only once the device is gone and its minor free, as dm_mod's
 * does.  The lookup holds what it found for 300 ms (minor_ref), inside the
 * 200 ms a failing create keeps its device published (create_failed).
 */
static int failed_create_vs_minor_holder(void)
{
	struct window held = stretch("minor_ref", 300000);
	struct window w = stretch("create_failed", 200000);
	int r = failed_creates_vs_lookups();

	r |= passed(w);
	return r | passed(held);
}

/* ---- an open device stays listed ---- */

static void open_and_check(void *node)
{
	char found[DM_NAME_LEN], buf[512], sys[64];
	ssize_t n;
	int fd, r;

	/*
	 * Opens of a minor without a disk make the kernel try to load a
	 * module for it (block-major-N-M), which takes long: look for the
	 * disk first (not for the device: one being removed still has its
	 * disk, and an open of it must fail).
	 */
	snprintf(sys, sizeof(sys), "/sys/dev/block/%u:%u", dm_major, MINOR_WIN);
	if (access(sys, F_OK)) {
		sh->absent++;
		sleep_ms(2);
		return;
	}
	fd = open(node, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENXIO)
			sh->absent++;
		else
			child_bad("open: %s, not success or ENXIO",
				  ename(errno));
		sleep_ms(2);
		return;
	}
	/* while it is open, nobody can have removed it */
	r = status_by_dev(MINOR_WIN, found, sizeof(found));
	if (r)
		child_bad("status by dev of an open device: %s", ename(r));
	else if (strcmp(found, PREFIX "o"))
		child_bad("the open device is '%s'", found);
	/* 0: loaded but not resumed yet (its size is 0 until then) */
	n = pread(fd, buf, sizeof(buf), 0);
	if (n < 0)
		child_bad("read of an open device: %s", ename(errno));
	else if (n && n != sizeof(buf))
		child_bad("read of an open device: %zd bytes", n);
	/*
	 * counted while the device is held, so that a count cannot land
	 * after the remove it held up (open_vs_remove waits for a count
	 * of the device each round makes live)
	 */
	sh->ok++;
	close(fd);
	sleep_ms(5);
}

/*
 * Removes race opens of the device: an open either fails with ENXIO (the
 * remove has begun) or holds the device, which then stays listed and
 * readable, and its remove is refused (EBUSY, retried).
 */
static int open_vs_remove(void)
{
	struct window marked = stretch("remove_marked", 300000);
	const char *node = win_node(MINOR_WIN);
	struct window w;
	long seen;
	pid_t pid;
	int i, r = 0;

	pid = spawn(open_and_check, (void *)node);
	for (i = 0; i < 4 && !r; i++) {
		seen = sh->ok;
		r = make_live(PREFIX "o", MINOR_WIN, 0);
		r = r ?: child_got_one(seen, 10000);
		/* odd rounds: the remove begins while an open is under way */
		w = stretch("open", i % 2 ? 300000 : 0);
		if (!r && i % 2)
			r = entered(w, 5000);
		if (!r)
			r = expect_errno("remove", remove_retrying(PREFIX "o",
								   20000), 0);
		if (i % 2)
			r |= passed(w);
	}
	r |= reap(pid);
	printf("opens: %ld got the device, %ld found none\n", sh->ok,
	       sh->absent);
	if (!r && !sh->ok)
		r = fail("no open ever got the device");
	unlink(node);
	return r | passed(marked);
}

/* Remove @name in a child that gets SIGALRM after @secs; 0 if it did. */
static int remove_within(const char *name, unsigned int secs)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		setup_error("fork");
	if (!pid) {
		alarm(secs);
		_exit(dev_remove(name) ? 1 : 0);
	}
	if (waitpid(pid, &status, 0) != pid)
		setup_error("waitpid");
	if (WIFSIGNALED(status))
		return fail("remove of %s still waiting after %u s", name, secs);
	if (WEXITSTATUS(status))
		return fail("remove of %s failed", name);
	return 0;
}

/* ---- a lookup by name holds what it found ---- */

static void look_up_by_name(void *name)
{
	struct dm_ioctl *dmi;
	int r = dev_status(name, &dmi);

	if (r == ENXIO)
		sh->absent++;
	else if (r)
		child_bad("status by name: %s, not success or ENXIO", ename(r));
	else if (strcmp(dmi->name, name))
		child_bad("status by name found '%s'", dmi->name);
	else
		sh->ok++;
	free(dmi);
}

/*
 * Lookups by name race the device's removal: each finds it whole or not
 * at all, and the remove waits for the lookups that hold it.
 */
static int lookup_vs_remove(void)
{
	struct window w;
	long seen;
	pid_t pid;
	int i, r = 0;

	pid = spawn(look_up_by_name, PREFIX "l");
	for (i = 0; i < 3 && !r; i++) {
		seen = sh->ok;
		r = make_live(PREFIX "l", 0, 0);
		r = r ?: child_got_one(seen, 10000);
		/* stretched only now: the loads look the device up too */
		w = stretch("unlocked_ref", 1000000);
		/* a lookup is in the window when the remove begins */
		r = r ?: entered(w, 5000);
		if (!r)
			r = remove_within(PREFIX "l", 10);
		r |= passed(w);
	}
	r |= reap(pid);
	printf("lookups: %ld found the device, %ld nothing\n", sh->ok,
	       sh->absent);
	if (!r && !sh->ok)
		r = fail("no lookup found the device");
	return r;
}

/* ---- dm/ sysfs attributes of a device being removed ---- */

static void read_dm_name(void *path)
{
	char buf[DM_NAME_LEN + 2];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		/* ENODEV: the attribute is being removed */
		if (errno == ENOENT || errno == ENODEV)
			sh->absent++;
		else
			child_bad("open of dm/name: %s, not ENOENT or ENODEV",
				  ename(errno));
		return;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	if (n < 0) {
		/*
		 * the device is being removed (EINVAL), its name is gone
		 * already (EIO), or its attribute is (ENODEV)
		 */
		if (errno == EINVAL || errno == EIO || errno == ENODEV)
			sh->absent++;
		else
			child_bad("read of dm/name: %s, not EINVAL, EIO or ENODEV",
				  ename(errno));
	} else {
		buf[n] = '\0';
		if (strcmp(buf, PREFIX "s\n"))
			child_bad("dm/name reads '%s'", buf);
		else
			sh->ok++;
	}
	close(fd);
}

/* Reads of dm/name race the removal: the name, EINVAL, EIO, ENODEV or ENOENT. */
static int sysfs_vs_remove(void)
{
	char path[64];
	struct window w;
	long seen;
	pid_t pid;
	int i, r = 0;

	snprintf(path, sizeof(path), "/sys/block/dm-%d/dm/name", MINOR_WIN);
	pid = spawn(read_dm_name, path);
	for (i = 0; i < 3 && !r; i++) {
		seen = sh->ok;
		r = make_live(PREFIX "s", MINOR_WIN, 0);
		r = r ?: child_got_one(seen, 10000);
		w = stretch("unlocked_ref", 1000000);
		r = r ?: entered(w, 5000);
		if (!r)
			r = expect_errno("remove", dev_remove(PREFIX "s"), 0);
		r |= passed(w);
	}
	r |= reap(pid);
	printf("reads: %ld got the name, %ld found none\n", sh->ok, sh->absent);
	if (!r && !sh->ok)
		r = fail("no read got the name");
	return r;
}

/* ---- a resume holds the device it resumes ---- */

/*
 * A resume that swaps in a new table races the device's removal: both
 * succeed (sdm's remove waits for the resume), or the resume finds no
 * device (ENXIO) or one being destroyed (EINVAL: dm_mod's removal
 * suspends the device before it waits for its holders).
 */
static int resume_vs_remove(void)
{
	struct window w;
	pid_t pid;
	int i, r = 0, status;

	for (i = 0; i < 2 && !r; i++) {
		r = make_live(PREFIX "r", 0, 0);
		if (!r)
			r = load_linear(PREFIX "r", 8, 8);
		if (r)
			break;
		w = stretch("unlocked_ref", 1500000);
		pid = fork();
		if (pid < 0)
			setup_error("fork");
		if (!pid) {
			ctl = open_control();
			/* EINVAL: being destroyed (dm_mod suspends it) */
			r = resume(PREFIX "r");
			if (r && r != ENXIO && r != EINVAL) {
				fail("resume: %s, not success, ENXIO or EINVAL",
				     ename(r));
				_exit(1);
			}
			_exit(0);
		}
		r = entered(w, 5000);
		r = r ?: expect_errno("remove", dev_remove(PREFIX "r"), 0);
		if (waitpid(pid, &status, 0) != pid)
			setup_error("waitpid");
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			r = fail("the resume failed (status %#x)", status);
		r |= passed(w);
	}
	return r;
}

/* ---- a failed load leaves nothing that holds the device ---- */

/*
 * Loads that fail (an unknown target type, a target refusing its
 * arguments) leave the device as it was: it is removed at once.
 */
static int failed_load_then_remove(void)
{
	struct dm_ioctl *dmi;
	struct dm_target_spec *sp;
	int r;

	r = expect_errno("create", create(PREFIX "f", NULL), 0);
	if (r)
		return r;
	dmi = linear_request(PREFIX "f", backing_dev, 8, 0);
	sp = (void *)((char *)dmi + HDR);
	snprintf(sp->target_type, sizeof(sp->target_type), "nosuchtarget");
	r = expect_errno("load of an unknown target type",
			 issue(DM_TABLE_LOAD, dmi), EINVAL);
	free(dmi);
	dmi = linear_request(PREFIX "f", backing_dev, 8, 0);
	sp = (void *)((char *)dmi + HDR);
	snprintf((char *)(sp + 1), 64, "%s", backing_dev);	/* no start */
	r |= expect_errno("load of a linear target without its start",
			  issue(DM_TABLE_LOAD, dmi), EINVAL);
	free(dmi);
	return r | remove_within(PREFIX "f", 10);
}

/* ---- a remove refused as busy changes nothing ---- */

static int busy_remove_stays_resumed(void)
{
	const char *node = win_node(MINOR_WIN);
	struct dm_ioctl *dmi;
	char buf[512];
	int fd, r;

	r = make_live(PREFIX "b", MINOR_WIN, 0);
	if (r)
		return r;
	fd = open(node, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		setup_error(node);
	r = expect_errno("remove of an open device", dev_remove(PREFIX "b"),
			 EBUSY);
	if (!r) {
		r = expect_errno("status", dev_status(PREFIX "b", &dmi), 0);
		if (!r && (dmi->flags & DM_SUSPEND_FLAG))
			r = fail("the refused remove left the device suspended");
		free(dmi);
	}
	if (!r && pread(fd, buf, sizeof(buf), 0) != sizeof(buf))
		r = fail("read after the refused remove: %s", ename(errno));
	close(fd);
	unlink(node);
	return r | expect_errno("remove", dev_remove(PREFIX "b"), 0);
}

/* ---- a table being read is not freed by a swap ---- */

static void read_table(void *name)
{
	struct dm_ioctl *dmi = request(BIG, name);
	struct dm_target_spec *sp;
	char want0[48], want8[48];
	const char *params;
	int r;

	r = issue_c(DM_TABLE_STATUS, dmi, DM_STATUS_TABLE_FLAG, 0, &dmi);
	if (r) {
		child_bad("table status: %s", ename(r));
		free(dmi);
		return;
	}
	sp = (void *)((char *)dmi + dmi->data_start);
	params = (const char *)(sp + 1);
	snprintf(want0, sizeof(want0), "%s 0", backing_dev);
	snprintf(want8, sizeof(want8), "%s 8", backing_dev);
	if (dmi->target_count != 1 ||
	    (strcmp(params, want0) && strcmp(params, want8)))
		child_bad("table status: %u targets, '%s'", dmi->target_count,
			  dmi->target_count ? params : "");
	else
		sh->ok++;
	free(dmi);
}

/*
 * Table queries race resumes that swap the table: each query shows one
 * whole table, the old or the new.
 */
static int status_vs_swap(void)
{
	struct window w = stretch("live_table", 300000);
	long seen = 0;
	pid_t pid;
	int i, r;

	r = make_live(PREFIX "t", 0, 0);
	if (r)
		return r;
	pid = spawn(read_table, PREFIX "t");
	for (i = 0; i < 4 && !r; i++) {
		r = load_linear(PREFIX "t", 8, i % 2 ? 0 : 8);
		if (!r)
			r = expect_errno("resume", resume(PREFIX "t"), 0);
		r = r ?: child_got_one(seen, 10000);
		seen = sh->ok;
	}
	r |= reap(pid);
	printf("table queries: %ld\n", sh->ok);
	if (!r && !sh->ok)
		r = fail("no table query got through");
	return r | expect_errno("remove", dev_remove(PREFIX "t"), 0) |
	       passed(w);
}

/* ---- I/O in flight (sdm's sdmdefer test target) ---- */

/* TABLE_LOAD of one @type (sdmdefer or sdmdeferip) target: @ms per bio, at @off. */
static int load_defer_type(const char *name, const char *type,
			   unsigned long long off, unsigned int ms)
{
	struct dm_ioctl *dmi = linear_request(name, backing_dev, 8, 0);
	struct dm_target_spec *sp = (void *)((char *)dmi + HDR);
	char *params = (char *)(sp + 1);
	int r;

	snprintf(sp->target_type, sizeof(sp->target_type), "%s", type);
	snprintf(params, 256, "%s %llu %u", backing_dev, off, ms);
	sp->next = (SPEC + strlen(params) + 1 + 7) & ~7UL;
	dmi->data_size = HDR + sp->next;
	r = issue(DM_TABLE_LOAD, dmi);
	free(dmi);
	return r;
}

/* ... through a clone */
static int load_defer(const char *name, unsigned long long off, unsigned int ms)
{
	return load_defer_type(name, "sdmdefer", off, ms);
}

/* ... in place */
static int load_defer_in_place(const char *name, unsigned long long off,
			       unsigned int ms)
{
	return load_defer_type(name, "sdmdeferip", off, ms);
}

/* One direct read of @node; its errno, or 0. */
static int direct_read(const char *node)
{
	void *buf;
	int fd, r = 0;

	if (posix_memalign(&buf, 4096, 4096))
		setup_error("posix_memalign");
	fd = open(node, O_RDONLY | O_DIRECT | O_CLOEXEC);
	if (fd < 0)
		r = errno;
	else if (pread(fd, buf, 4096, 0) != 4096)
		r = errno ? errno : EIO;
	if (fd >= 0)
		close(fd);
	free(buf);
	return r;
}

/*
 * The device is closed and removed while the completion of its last read
 * is still running (after the reader was woken): the removal waits until
 * the completion is done with the device.  Even rounds read through a
 * clone, odd ones through the submitted bio itself (sdmdeferip).
 */
static int completion_vs_remove(void)
{
	struct window w = stretch("after_endio", 1000000);
	const char *node = win_node(MINOR_WIN);
	int i, r = 0;

	for (i = 0; i < 6 && !r; i++) {
		r = expect_errno("create", create_dev(PREFIX "cv", NULL,
						      win_dev(MINOR_WIN)), 0);
		if (!r)
			r = expect_errno("load", i % 2 ?
					 load_defer_in_place(PREFIX "cv", 0, 50) :
					 load_defer(PREFIX "cv", 0, 50), 0);
		if (!r)
			r = expect_errno("resume", resume(PREFIX "cv"), 0);
		if (!r)
			r = expect_errno("direct read", direct_read(node), 0);
		if (!r)
			r = expect_errno("remove", dev_remove(PREFIX "cv"), 0);
	}
	unlink(node);
	return r | passed(w);
}

static void read_in_flight(void *node)
{
	int r = direct_read(node);

	if (r)
		child_bad("direct read: %s", ename(r));
	else
		sh->ok++;
}

/*
 * Resumes swap the table while reads are in flight through it: the swap
 * waits for them, and every read completes.
 */
static int inflight_vs_swap(void)
{
	const char *node = win_node(MINOR_WIN);
	long seen = 0;
	pid_t pid;
	int i, r;

	r = expect_errno("create", create_dev(PREFIX "i", NULL,
					      win_dev(MINOR_WIN)), 0);
	if (!r)
		r = expect_errno("load", load_defer(PREFIX "i", 0, 300), 0);
	if (!r)
		r = expect_errno("resume", resume(PREFIX "i"), 0);
	if (r)
		return r;
	pid = spawn(read_in_flight, (void *)node);
	for (i = 0; i < 4 && !r; i++) {
		r = child_got_one(seen, 10000);
		seen = sh->ok;
		/* the last two swaps wait for reads mapped in place */
		r = r ?: expect_errno("load", i < 2 ?
				      load_defer(PREFIX "i", i % 2 ? 0 : 8, 300) :
				      load_defer_in_place(PREFIX "i",
							  i % 2 ? 0 : 8, 300),
				      0);
		if (!r)
			r = expect_errno("resume", resume(PREFIX "i"), 0);
	}
	r |= reap(pid);
	printf("reads: %ld\n", sh->ok);
	if (!r && !sh->ok)
		r = fail("no read completed");
	unlink(node);
	return r | expect_errno("remove", dev_remove(PREFIX "i"), 0);
}

/* ---- reads before the first resume ---- */

/*
 * A device with a loaded but never resumed table has a disk of size 0,
 * so no I/O reaches the driver before a live table exists: a read gets
 * end of file.  Once resumed, buffered reads (whose bios their owner
 * frees in their completion) get the data.
 */
static int read_before_first_resume(void)
{
	const char *node = win_node(MINOR_WIN);
	char buf[65536];
	ssize_t n;
	int fd, r;

	r = expect_errno("create", create_dev(PREFIX "n", NULL,
					      win_dev(MINOR_WIN)), 0);
	if (!r)
		r = load_linear(PREFIX "n", 128, 0);
	if (r)
		return r;
	fd = open(node, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		setup_error(node);
	n = read(fd, buf, sizeof(buf));
	if (n)
		r = fail("read before the first resume: %zd bytes (%s), not end of file",
			 n, n < 0 ? ename(errno) : "data");
	close(fd);
	r |= expect_errno("resume", resume(PREFIX "n"), 0);
	fd = open(node, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		setup_error(node);
	if (read(fd, buf, sizeof(buf)) != sizeof(buf))
		r |= fail("buffered read: %s", ename(errno));
	close(fd);
	unlink(node);
	return r | expect_errno("remove", dev_remove(PREFIX "n"), 0);
}

/* ---- a minor comes back only after its disk is gone ---- */

/*
 * The device is removed while another process creates a device with the
 * same persistent minor, again and again: that create fails (ENXIO, the
 * minor is taken) until the old device is gone, and then the new device
 * gets its disk.
 */
static int remove_vs_create_minor(void)
{
	struct window w = stretch("unpublished", 1000000);
	pid_t pid;
	int i, r = 0, status, refused;

	for (i = 0; i < 2 && !r; i++) {
		r = make_live(PREFIX "x", MINOR_WIN, 0);
		if (r)
			break;
		pid = fork();
		if (pid < 0)
			setup_error("fork");
		if (!pid) {
			ctl = open_control();
			_exit(dev_remove(PREFIX "x") ? 1 : 0);
		}
		sleep_ms(100);
		refused = 0;
		while ((r = create_dev(PREFIX "y", NULL,
				       win_dev(MINOR_WIN))) == ENXIO)
			refused++;
		if (r) {
			r = fail("create with the minor: %s", ename(r));
		} else {
			r = load_linear(PREFIX "y", 8, 0);
			r |= expect_errno("remove", dev_remove(PREFIX "y"), 0);
		}
		if (waitpid(pid, &status, 0) != pid)
			setup_error("waitpid");
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			r |= fail("the remove failed (status %#x)", status);
		printf("round %d: %d creates refused meanwhile\n", i, refused);
	}
	return r | passed(w);
}

/* ---- a deferred remove and the last close ---- */

/*
 * A deferred remove arrives while the last opener is closing: whichever
 * comes first, the device is gone once both are done.
 */
static int close_vs_deferred_remove(void)
{
	int i, r = 0, p[2], status, fd;
	struct window w;
	struct dm_ioctl *dmi;
	const char *node;
	pid_t pid;
	char c;

	for (i = 0; i < 2 && !r; i++) {
		/*
		 * A minor each: the deferred removal unlinks the device before
		 * its teardown gives the minor back.
		 */
		node = win_node(MINOR_WIN + 1 + i);
		r = make_live(PREFIX "d", MINOR_WIN + 1 + i, 0);
		if (r)
			break;
		w = stretch("release", 1000000);
		if (pipe(p))
			setup_error("pipe");
		pid = fork();
		if (pid < 0)
			setup_error("fork");
		if (!pid) {
			fd = open(node, O_RDONLY | O_CLOEXEC);
			if (fd < 0)
				_exit(1);
			if (write(p[1], "o", 1) != 1)
				_exit(1);
			close(fd);
			_exit(0);
		}
		close(p[1]);
		if (read(p[0], &c, 1) != 1)
			r = fail("the opener did not open the device");
		close(p[0]);
		/* the opener is closing: without delay points it may be done */
		r |= entered(w, 5000);
		dmi = request(sizeof(*dmi), PREFIX "d");
		r |= expect_errno("deferred remove",
				  issue_c(DM_DEV_REMOVE, dmi, DM_DEFERRED_REMOVE,
					  0, NULL), 0);
		if (waitpid(pid, &status, 0) != pid)
			setup_error("waitpid");
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			r |= fail("the opener failed (status %#x)", status);
		/* the removal runs from a work item after the last close */
		for (int t = 0; t < 100 && dev_status(PREFIX "d", NULL) == 0; t++)
			sleep_ms(100);
		r |= expect_errno("status after the last close",
				  dev_status(PREFIX "d", NULL), ENXIO);
		unlink(node);
		r |= passed(w);
	}
	return r;
}

/* ---- a new disk shows its table's limits from the start ---- */

static void read_block_size(void *want)
{
	char path[64], buf[32];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/sys/block/dm-%d/queue/logical_block_size",
		 MINOR_WIN);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		/* ENOENT: no disk; ENODEV: its attributes are being removed */
		if (errno != ENOENT && errno != ENODEV)
			child_bad("open of logical_block_size: %s, not ENOENT or ENODEV",
				  ename(errno));
		sh->absent++;
		return;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0) {
		/* the disk went away between the open and the read */
		if (n < 0 && errno != ENODEV)
			child_bad("read of logical_block_size: %s", ename(errno));
		return;
	}
	buf[n] = '\0';
	if (strtoul(buf, NULL, 10) != (unsigned long)want)
		child_bad("dm-%d appeared with a logical block size of %lu, not %lu",
			  MINOR_WIN, strtoul(buf, NULL, 10), (unsigned long)want);
	else
		sh->ok++;
}

/*
 * The first load makes the device's disk appear (add_disk): from the
 * moment it is visible, its queue has the limits of the table's devices
 * (here a 4096-byte logical block size; a new disk's default is 512).
 */
static int limits_before_disk_appears(void)
{
	struct window w = stretch("setup_disk", 300000);
	char path[64], buf[32];
	unsigned long want;
	pid_t pid;
	FILE *f;
	int i, r = 0;

	snprintf(path, sizeof(path), "/sys/class/block/%s/queue/logical_block_size",
		 strrchr(backing, '/') + 1);
	f = fopen(path, "r");
	if (!f || !fgets(buf, sizeof(buf), f))
		setup_error(path);
	fclose(f);
	want = strtoul(buf, NULL, 10);
	if (want == 512) {
		fprintf(stderr, "%s has 512-byte blocks: use a 4096-byte device\n",
			backing);
		return 2;
	}
	pid = spawn(read_block_size, (void *)want);
	for (i = 0; i < 3 && !r; i++) {
		r = make_live(PREFIX "lb", MINOR_WIN, 0);
		sleep_ms(50);
		if (!r)
			r = expect_errno("remove", dev_remove(PREFIX "lb"), 0);
	}
	r |= reap(pid);
	printf("reads: %ld of the new disk's block size\n", sh->ok);
	if (!r && !sh->ok)
		r = fail("the disk was never seen");
	return r | passed(w);
}

/* ---- the module and its devices ---- */

/* delete_module(@mod) with no control file open (that holds the module) */
static int try_unload(const char *mod)
{
	int r;

	close(ctl);
	r = syscall(SYS_delete_module, mod, O_NONBLOCK) ? errno : 0;
	ctl = open_control();
	return r;
}

/*
 * The driver's module cannot go while a device exists, with a table (whose
 * targets are the module's) or without one (only the device holds it).
 */
static int rmmod_with_device(void)
{
	const char *mod = getenv("DM_WINDOW_MODULE");
	int r;

	if (!mod) {
		fprintf(stderr, "DM_WINDOW_MODULE (sdm or dm_mod) is not set\n");
		return 2;
	}
	r = expect_errno("create", create(PREFIX "m", NULL), 0);
	if (r)
		return r;
	r = expect_errno("delete_module with a device without a table",
			 try_unload(mod), EWOULDBLOCK);
	r |= load_linear(PREFIX "m", 8, 0);
	r |= expect_errno("resume", resume(PREFIX "m"), 0);
	r |= expect_errno("delete_module with a live device",
			  try_unload(mod), EWOULDBLOCK);
	return r | expect_errno("remove", dev_remove(PREFIX "m"), 0);
}

static const struct check checks[] = {
	CHECK(create_vs_lookup),
	CHECK(failed_create_vs_lookup),
	CHECK(failed_create_vs_minor_holder),
	CHECK(open_vs_remove),
	CHECK(lookup_vs_remove),
	CHECK(sysfs_vs_remove),
	CHECK(resume_vs_remove),
	CHECK(failed_load_then_remove),
	CHECK(busy_remove_stays_resumed),
	CHECK(status_vs_swap),
	CHECK(completion_vs_remove),
	CHECK(inflight_vs_swap),
	CHECK(read_before_first_resume),
	CHECK(remove_vs_create_minor),
	CHECK(close_vs_deferred_remove),
	CHECK(rmmod_with_device),
	CHECK(limits_before_disk_appears),
};

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "--list")) {
		hooks = !access(DELAYS, F_OK);
		find_dm_major();
		sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
			  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		if (sh == MAP_FAILED)
			setup_error("mmap");
		shared_reset();
		printf("delay points: %s\n", hooks ? "yes (a test build)" : "none");
	}
	return run_check(argc, argv, checks, ARRAY_SIZE(checks),
			 "DM_WINDOW_BACKING", PREFIX);
}
