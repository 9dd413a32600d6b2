// SPDX-License-Identifier: GPL-2.0-only
/*
 * dm_race - racers for the mapped-device lifetime tests.  Each invocation
 * plays one role until its deadline, then prints what it did: its calls
 * and how many of its operations succeeded.
 *
 *   dm_race [--min N] [--team DIR] ROLE SECS [ARGS...]
 *
 * It exits 0 if every call ended with one of the results the role allows
 * and each count the role requires (below) reached N (default 1), 1 if
 * not (the unexpected result, or the count that fell short, is printed),
 * 2 on a usage or setup error.  The minimum is what makes a race test
 * prove that it raced: a role that did nothing, or whose operations never
 * got anywhere (no device to open, nothing to remove), fails.
 *
 * With --team, the role races together with the other members of the team
 * DIR (other dm_race roles, or shell loops doing the same by hand): it
 * holds the team up by a file DIR/ROLE.PID until its counts reach N, and
 * after SECS it goes on while any file is left in DIR, for up to
 * OVERTIME seconds more.  So a slow machine races longer instead of
 * failing the minimum, and a fast one stops at SECS.
 *
 *   dm_race churn SECS PREFIX COUNT BACKING [MINOR]
 *	create PREFIX0..COUNT-1 (uuid PREFIXk-uuid; persistent minors
 *	MINOR+k if given), load a linear table over BACKING, resume,
 *	remove; at the end remove whatever is left.
 *	Required: full cycles (the create, load, resume and remove of one
 *	device all done).
 *   dm_race reload SECS PREFIX COUNT BACKING
 *	keep PREFIX0..COUNT-1 alive (re-create them if they vanish) and
 *	reload + resume them with alternating tables.
 *	Required: resumes with a new table (load and resume done, and the
 *	resume left a live table), and devices found gone (after their
 *	first create) and re-created: someone else removed them meanwhile.
 *   dm_race remove-all SECS
 *	DM_REMOVE_ALL in a loop, each call between two LIST_DEVICES.
 *	Required: calls after which a device listed before them (name and
 *	dev_t) was gone.  Another remover running at the same time may have
 *	removed it instead; REMOVE_ALL restarts its walk after every removal
 *	and returns only after a pass that removed nothing, so against
 *	processes that keep creating devices one call can last seconds.
 *   dm_race open SECS
 *	open, read and close every dm node in /dev and in /dev/mapper.
 *	Required: opens that got a device.
 *   dm_race sysfs SECS
 *	read dm/name, dm/uuid, dm/suspended, dev and size of every dm-*.
 *	Required: attribute reads that returned data.
 *   dm_race lookup SECS PREFIX COUNT
 *	DEV_STATUS by name, uuid and dev, TABLE_STATUS and LIST_DEVICES;
 *	what is found must be what was asked for.
 *	Required: each of the lookups by name, by uuid and by dev that found
 *	the device asked for.
 *   dm_race remove-vs-open SECS PREFIX BACKING MINOR
 *	a child opens PREFIX's dev_t (MINOR) in a loop while the parent
 *	creates it, removes it (retrying EBUSY) and checks each time that a
 *	refused remove left the device live and resumed, and that a done
 *	remove left nothing behind; if by SECS either count below is short,
 *	it goes on until both are reached, for up to OVERTIME (60) s more.
 *	Required: removes done, and removes refused as busy (the race
 *	happened: the child had the device open).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/dm-ioctl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PROG		"dm_race"
#include "dm_prog.h"

/* bit masks of allowed errnos (all the ones used are below 64) */
#define OK(e)		(1ULL << (e))

/* how long past SECS a team may race on for a member short of its minimum */
#define OVERTIME 60

static time_t deadline, cap;
static const char *team;		/* --team */
static char team_file[PATH_MAX];	/* while this role holds it up */
static unsigned int dm_major;
static unsigned long calls, failures;
static unsigned long min_ops = 1;	/* --min */

/* A usage or setup error: the role cannot run. */
static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(fmt, ap);
	va_end(ap);
	exit(2);
}

/* Something the role does not allow: it will exit 1. */
static void bad(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(fmt, ap);
	va_end(ap);
	failures++;
}

/* @got operations described by @what: at least the minimum, or bad. */
static void require(unsigned long got, const char *what)
{
	if (got < min_ops)
		bad("only %lu %s, fewer than the %lu required", got, what, min_ops);
}

/* Someone in the team is still short of the minimum. */
static bool team_short(void)
{
	DIR *d = opendir(team);
	struct dirent *de;
	bool any = false;

	while (d && !any && (de = readdir(d)))
		any = de->d_name[0] != '.';
	if (d)
		closedir(d);
	return any;
}

/*
 * Go on?  Until the deadline, yes; after it only in a team with someone
 * still short of the minimum, until the cap.  @enough: this role's counts
 * have reached the minimum, it no longer holds the team up.
 */
static bool racing(bool enough)
{
	if (enough && team_file[0]) {
		unlink(team_file);
		team_file[0] = '\0';
	}
	if (time(NULL) < deadline)
		return true;
	return team && time(NULL) < cap && team_short();
}

/* Join the team: hold it up until the role has done enough. */
static void join_team(void)
{
	int fd;

	cap = deadline + OVERTIME;
	snprintf(team_file, sizeof(team_file), "%s/%s.%d", team, check_name, getpid());
	fd = open(team_file, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		die("%s: %m", team_file);
	close(fd);
}

/* Record result @r (0 or an errno) of @what; complain unless allowed. */
static int note(const char *what, const char *name, int r, unsigned long long allowed)
{
	calls++;
	if (!(r < 64 && (allowed & OK(r))))
		bad("%s %s: unexpected %s", what, name ? name : "", ename(r));
	return r;
}

/* DEV_CREATE @name with uuid "@name-uuid", persistent @minor if >= 0. */
static int create_one(const char *name, int minor)
{
	char uuid[DM_UUID_LEN];

	snprintf(uuid, sizeof(uuid), "%s-uuid", name);
	return create_dev(name, uuid, minor < 0 ? 0 : makedev(dm_major, minor));
}

static void find_dm_major(void)
{
	dm_major = dm_block_major();
	if (!dm_major)
		die("no device-mapper block major in /proc/devices");
}

static void name_of(char *buf, size_t size, const char *prefix, unsigned int k)
{
	snprintf(buf, size, "%s%u", prefix, k);
}

/* COUNT of a role's arguments: a positive number */
static unsigned int count_arg(const char *s)
{
	int n = atoi(s);

	if (n <= 0)
		die("COUNT must be positive, not '%s'", s);
	return n;
}

/* PREFIX COUNT BACKING, the first arguments of churn and reload */
static void device_args(int argc, char **argv, const char *usage,
			const char **prefix, unsigned int *count)
{
	if (argc < 3)
		die("usage: %s", usage);
	*prefix = argv[0];
	*count = count_arg(argv[1]);
	backing = argv[2];
}

/* Remove every device named @prefix*, retrying open ones for 30 s. */
static void remove_prefixed(const char *prefix)
{
	int left = remove_devices(has_prefix, prefix, 30000);

	if (left < 0)
		bad("LIST_DEVICES failed at the end");
	else if (left)
		bad("%d device(s) %s* still there at the end", left, prefix);
}

static int role_churn(int argc, char **argv)
{
	unsigned int count, k = 0;
	unsigned long cycles = 0;
	const char *prefix;
	int base = -1, r, setup;
	char name[64];

	device_args(argc, argv, "churn SECS PREFIX COUNT BACKING [MINOR]", &prefix, &count);
	if (argc > 3)
		base = atoi(argv[3]);
	while (racing(cycles >= min_ops)) {
		name_of(name, sizeof(name), prefix, k);
		r = note("create", name, create_one(name, base < 0 ? -1 : base + (int)k),
			 OK(0) | OK(EBUSY) | OK(ENXIO));
		setup = r ||
			note("load", name, load_one_linear(name, backing, 64 + 8 * k, 8 * k, 0),
			     OK(0)) ||
			note("resume", name, resume(name), OK(0));
		/* a refused create (name or minor taken) may leave no device */
		if (!note("remove", name, dev_remove(name),
			  OK(0) | OK(EBUSY) | (r ? OK(ENXIO) : 0)) && !setup)
			cycles++;
		k = (k + 1) % count;
	}
	remove_prefixed(prefix);
	printf("dm_race churn: %lu full create/load/resume/remove cycles, %lu calls\n",
	       cycles, calls);
	require(cycles, "full create/load/resume/remove cycles");
	return failures != 0;
}

static int role_reload(int argc, char **argv)
{
	unsigned long long any = OK(0) | OK(ENXIO) | OK(EINVAL) | OK(EBUSY);
	unsigned long resumes = 0, recreated = 0;
	unsigned int count, k = 0, flip = 0;
	struct dm_ioctl *dmi;
	const char *prefix;
	bool *made;
	char name[64];

	device_args(argc, argv, "reload SECS PREFIX COUNT BACKING", &prefix, &count);
	made = calloc(count, sizeof(*made));
	if (!made)
		die("calloc: %m");
	while (racing(resumes >= min_ops && recreated >= min_ops)) {
		dmi = NULL;
		name_of(name, sizeof(name), prefix, k);
		if (simple(DM_DEV_STATUS, name, 0, NULL) == ENXIO) {
			recreated += made[k];
			made[k] = true;
			note("create", name, create_one(name, -1), any);
		}
		flip ^= 1;
		/*
		 * The device may vanish and come back between the load and
		 * the resume: a resume that leaves no live table swapped none.
		 */
		if (!note("load", name, load_one_linear(name, backing, 64 + 8 * flip, 8 * k, 0),
			  any) &&
		    !note("resume", name, simple(DM_DEV_SUSPEND, name, 0, &dmi), any) &&
		    (dmi->flags & DM_ACTIVE_PRESENT_FLAG))
			resumes++;
		free(dmi);
		k = (k + 1) % count;
	}
	free(made);
	remove_prefixed(prefix);
	printf("dm_race reload: %lu resumes with a new table, %lu devices found gone, %lu calls\n",
	       resumes, recreated, calls);
	require(resumes, "resumes with a new table");
	require(recreated, "devices found gone");
	return failures != 0;
}

/* LIST_DEVICES; the reply lists nothing if it failed */
static struct dm_ioctl *list_devices(void)
{
	struct dm_ioctl *dmi = request(BIG, NULL);

	note("LIST_DEVICES", NULL, issue(DM_LIST_DEVICES, dmi), OK(0));
	if (dmi->flags & DM_BUFFER_FULL_FLAG)
		bad("LIST_DEVICES: buffer full");
	return dmi;
}

/* The LIST_DEVICES reply @list has the device of entry @dev. */
static bool listed(struct dm_ioctl *list, const struct dm_name_list *dev)
{
	struct dm_name_list *nl;

	for (nl = first_name(list); nl; nl = next_name(nl))
		if (nl->dev == dev->dev && !strcmp(nl->name, dev->name))
			return true;
	return false;
}

static int role_remove_all(int argc, char **argv)
{
	unsigned long n = 0, removing = 0, removed = 0;
	struct dm_ioctl *before, *after;
	struct dm_name_list *nl;
	unsigned int gone;

	(void)argc;
	(void)argv;
	while (racing(removing >= min_ops)) {
		n++;
		before = list_devices();
		note("REMOVE_ALL", NULL, simple(DM_REMOVE_ALL, NULL, 0, NULL), OK(0));
		after = list_devices();
		gone = 0;
		for (nl = first_name(before); nl; nl = next_name(nl))
			gone += !listed(after, nl);
		removing += gone != 0;
		removed += gone;
		free(before);
		free(after);
		sleep_ms(n % 5);
	}
	printf("dm_race remove-all: %lu calls, %lu of them removed devices (%lu in all)\n",
	       n, removing, removed);
	require(removing, "calls removed devices");
	return failures != 0;
}

/* Open, read a block and close @path; a vanished device is fine. */
static void open_one(const char *path, unsigned long *opened)
{
	char buf[4096];
	ssize_t got;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		note("open", path, errno, OK(ENOENT) | OK(ENXIO) | OK(ENODEV));
		return;
	}
	(*opened)++;
	calls++;
	got = pread(fd, buf, sizeof(buf), 0);
	/* no live table yet (or any more): EIO; an empty device: 0 bytes */
	if (got < 0)
		note("read", path, errno, OK(EIO));
	close(fd);
}

/* open_one() every entry of @dir whose name starts with @prefix */
static void open_all(const char *dir, const char *prefix, unsigned long *opened)
{
	char path[300];
	struct dirent *de;
	DIR *d;

	d = opendir(dir);
	while (d && (de = readdir(d))) {
		if (!has_prefix(de->d_name, prefix) || de->d_name[0] == '.' ||
		    !strcmp(de->d_name, "control"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		open_one(path, opened);
	}
	if (d)
		closedir(d);
}

static int role_open(int argc, char **argv)
{
	unsigned long opened = 0, rounds = 0;

	(void)argc;
	(void)argv;
	while (racing(opened >= min_ops)) {
		open_all("/dev", "dm-", &opened);
		open_all("/dev/mapper", "", &opened);
		rounds++;
	}
	printf("dm_race open: %lu rounds, %lu opens got a device\n", rounds, opened);
	require(opened, "opens got a device");
	return failures != 0;
}

static int role_sysfs(int argc, char **argv)
{
	static const char *const attrs[] = { "dm/name", "dm/uuid", "dm/suspended",
					     "dev", "size" };
	unsigned long reads = 0;
	char path[300], buf[512];
	struct dirent *de;
	unsigned int i;
	ssize_t got;
	DIR *d;
	int fd;

	(void)argc;
	(void)argv;
	while (racing(reads >= min_ops)) {
		d = opendir("/sys/block");
		while (d && (de = readdir(d))) {
			if (!has_prefix(de->d_name, "dm-"))
				continue;
			for (i = 0; i < ARRAY_SIZE(attrs); i++) {
				snprintf(path, sizeof(path), "/sys/block/%s/%s",
					 de->d_name, attrs[i]);
				fd = open(path, O_RDONLY | O_CLOEXEC);
				if (fd < 0) {
					note("open", path, errno, OK(ENOENT) | OK(ENODEV));
					continue;
				}
				calls++;
				/*
				 * As the device goes: EINVAL (upstream: being
				 * freed or deleted), EIO (name and uuid: no
				 * longer hashed), ENODEV (attribute removed).
				 */
				got = read(fd, buf, sizeof(buf));
				if (got < 0)
					note("read", path, errno,
					     OK(EINVAL) | OK(EIO) | OK(ENODEV));
				else if (got > 0)
					reads++;
				close(fd);
			}
		}
		if (d)
			closedir(d);
	}
	printf("dm_race sysfs: %lu attribute reads returned data\n", reads);
	require(reads, "attribute reads returned data");
	return failures != 0;
}

/* LIST_DEVICES: every entry must lie inside the reply. */
static void list_check(void)
{
	struct dm_ioctl *dmi = request(BIG, NULL);
	char *start, *end, *p;
	struct dm_name_list *nl;

	if (note("LIST_DEVICES", NULL, issue(DM_LIST_DEVICES, dmi), OK(0)))
		goto out;
	if (dmi->flags & DM_BUFFER_FULL_FLAG)
		goto out;
	start = (char *)dmi + dmi->data_start;
	end = (char *)dmi + dmi->data_size;
	nl = (void *)start;
	while (nl->dev) {
		p = memchr(nl->name, 0, end - nl->name);
		if ((char *)nl + sizeof(*nl) > end || !p) {
			note("LIST_DEVICES entry", NULL, EPROTO, 0);
			break;
		}
		if (!nl->next)
			break;
		nl = (void *)((char *)nl + nl->next);
	}
out:
	free(dmi);
}

/*
 * DEV_STATUS of @dmi (asking by name, uuid or dev): 1 if it found the
 * device asked for, 0 if there is none (ENXIO); anything else is bad.
 */
static int lookup_one(const char *how, const char *name, struct dm_ioctl *dmi)
{
	unsigned long long dev = dmi->dev;
	int found = 0;

	if (!note(how, name, issue(DM_DEV_STATUS, dmi), OK(0) | OK(ENXIO))) {
		if (dev && dmi->dev != dev)
			bad("%s %s: got dev %llu", how, name, (unsigned long long)dmi->dev);
		else if (!dev && strcmp(dmi->name, name))
			bad("%s %s: got %s", how, name, dmi->name);
		else
			found = 1;
	}
	free(dmi);
	return found;
}

static int role_lookup(int argc, char **argv)
{
	unsigned long by_name = 0, by_uuid = 0, by_dev = 0;
	unsigned int count, k = 0;
	struct dm_ioctl *dmi;
	const char *prefix;
	char name[64];

	if (argc < 2)
		die("usage: lookup SECS PREFIX COUNT");
	prefix = argv[0];
	count = count_arg(argv[1]);
	while (racing(by_name >= min_ops && by_uuid >= min_ops && by_dev >= min_ops)) {
		name_of(name, sizeof(name), prefix, k);
		by_name += lookup_one("DEV_STATUS by name", name, request(BIG, name));
		dmi = request(BIG, NULL);
		snprintf(dmi->uuid, sizeof(dmi->uuid), "%s-uuid", name);
		by_uuid += lookup_one("DEV_STATUS by uuid", name, dmi);
		dmi = request(BIG, NULL);
		dmi->dev = makedev(dm_major, k);
		by_dev += lookup_one("DEV_STATUS by dev", name, dmi);
		note("TABLE_STATUS", name,
		     simple(DM_TABLE_STATUS, name, DM_STATUS_TABLE_FLAG, NULL),
		     OK(0) | OK(ENXIO));
		list_check();
		k = (k + 1) % count;
	}
	printf("dm_race lookup: %lu calls; the device asked for found ", calls);
	printf("by name %lu, by uuid %lu, by dev %lu times\n", by_name, by_uuid, by_dev);
	require(by_name, "lookups by name found the device");
	require(by_uuid, "lookups by uuid found the device");
	require(by_dev, "lookups by dev found the device");
	return failures != 0;
}

/* After a refused remove the device must be whole: live table, resumed. */
static void check_live(const char *name)
{
	struct dm_ioctl *dmi;

	if (!note("DEV_STATUS after EBUSY", name, dev_status(name, &dmi), OK(0)) &&
	    ((dmi->flags & (DM_SUSPEND_FLAG | DM_INACTIVE_PRESENT_FLAG)) ||
	     !(dmi->flags & DM_ACTIVE_PRESENT_FLAG) || dmi->target_count != 1))
		bad("%s after a refused remove: flags 0x%x, %u targets",
		    name, dmi->flags, dmi->target_count);
	free(dmi);
}

/* After a done remove nothing of the device may remain. */
static void check_gone(const char *name, const char *node, unsigned int minor)
{
	struct dm_ioctl *dmi = request(BIG, NULL);
	char path[64];
	struct stat st;
	int fd;

	note("DEV_STATUS by name after remove", name, simple(DM_DEV_STATUS, name, 0, NULL),
	     OK(ENXIO));
	dmi->dev = makedev(dm_major, minor);
	note("DEV_STATUS by dev after remove", name, issue(DM_DEV_STATUS, dmi), OK(ENXIO));
	free(dmi);
	snprintf(path, sizeof(path), "/sys/block/dm-%u", minor);
	if (!stat(path, &st))
		note("stat after remove", path, 0, 0);
	fd = open(node, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		close(fd);
		note("open after remove", node, 0, 0);
	} else {
		note("open after remove", node, errno, OK(ENXIO));
	}
}

/* the parent of remove-vs-open is done once it closed the pipe's end */
static bool parent_done(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	return poll(&pfd, 1, 0) != 0;
}

static int child_opener(const char *node, unsigned int minor, int done_fd)
{
	/*
	 * Upstream's first resume sets the disk's size before it publishes
	 * the table, and its submit_bio fails a bio that finds no table
	 * before it looks whether the device is suspended: a read in that
	 * window gets EIO on dm_mod ("mapping table unavailable", seen in
	 * a make test).  sdm holds such a bio until the resume is done, so
	 * EIO is a failure there.
	 */
	const char *driver = getenv("SDM_DRIVER");
	bool upstream = driver && !strcmp(driver, "dm_mod");
	unsigned long opened = 0, eio = 0;
	char buf[512], sys[64];
	struct stat st;
	ssize_t got;
	int fd;

	/*
	 * Wait for the disk to exist before opening it: opening a dev_t
	 * without a disk makes the block layer run modprobe, which would
	 * slow the race to a crawl.
	 */
	snprintf(sys, sizeof(sys), "/sys/dev/block/%u:%u", dm_major, minor);
	check_name = "remove-vs-open child";
	calls = 0;
	while (!parent_done(done_fd)) {
		if (stat(sys, &st)) {
			usleep(100);
			continue;
		}
		fd = open(node, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			note("open", node, errno, OK(ENXIO));
			continue;
		}
		opened++;
		got = pread(fd, buf, sizeof(buf), 0);
		/* before the first resume the device is empty */
		if (got < 0) {
			if (errno == EIO)
				eio++;
			note("read", node, errno, upstream ? OK(EIO) : 0);
		} else if (got != sizeof(buf) && got != 0) {
			note("short read", node, EPROTO, 0);
		}
		usleep(rand() % 3000);
		close(fd);
		usleep(rand() % 1000);
	}
	printf("dm_race remove-vs-open child: %lu opens got the device, %lu reads got EIO\n",
	       opened, eio);
	fflush(stdout);
	return failures != 0;
}

static int role_remove_vs_open(int argc, char **argv)
{
	unsigned long cycles = 0, busy = 0;
	const char *name;
	int done[2];
	time_t grace;
	char node[64];
	int minor, r, status;
	pid_t pid;

	if (argc < 3)
		die("usage: remove-vs-open SECS PREFIX BACKING MINOR");
	name = argv[0];
	backing = argv[1];
	minor = atoi(argv[2]);
	snprintf(node, sizeof(node), "/tmp/dm_race.%d", getpid());
	unlink(node);
	if (mknod(node, S_IFBLK | 0600, makedev(dm_major, minor)))
		die("mknod %s: %m", node);
	if (pipe(done))
		die("pipe: %m");
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		die("fork: %m");
	if (!pid) {
		close(done[1]);
		_exit(child_opener(node, minor, done[0]));
	}
	close(done[0]);
	grace = deadline + OVERTIME;
	while (racing(cycles >= min_ops && busy >= min_ops) ||
	       ((cycles < min_ops || busy < min_ops) && time(NULL) < grace)) {
		if (note("create", name, create_one(name, minor), OK(0)) ||
		    note("load", name, load_one_linear(name, backing, 64, 0, 0), OK(0)) ||
		    note("resume", name, resume(name), OK(0)))
			break;
		usleep(rand() % 3000);
		for (;;) {
			r = note("remove", name, dev_remove(name), OK(0) | OK(EBUSY));
			if (r != EBUSY)
				break;
			busy++;
			check_live(name);
			usleep(rand() % 300);
		}
		if (r)
			break;
		check_gone(name, node, minor);
		cycles++;
	}
	close(done[1]);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		bad("the opener failed");
	remove_prefixed(name);
	unlink(node);
	printf("dm_race remove-vs-open: %lu removes done, %lu refused as busy\n",
	       cycles, busy);
	require(cycles, "removes done");
	require(busy, "removes refused as busy");
	return failures != 0;
}

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} roles[] = {
	{ "churn", role_churn },
	{ "reload", role_reload },
	{ "remove-all", role_remove_all },
	{ "open", role_open },
	{ "sysfs", role_sysfs },
	{ "lookup", role_lookup },
	{ "remove-vs-open", role_remove_vs_open },
};

int main(int argc, char **argv)
{
	char *end;
	size_t i;

	check_name = "usage";
	while (argc > 2 && !strncmp(argv[1], "--", 2)) {
		if (!strcmp(argv[1], "--min")) {
			min_ops = strtoul(argv[2], &end, 10);
			if (*end || !min_ops)
				die("--min wants a positive number, not '%s'", argv[2]);
		} else if (!strcmp(argv[1], "--team")) {
			team = argv[2];
		} else {
			die("unknown option %s", argv[1]);
		}
		argc -= 2;
		argv += 2;
	}
	if (argc < 3)
		die("dm_race [--min N] [--team DIR] ROLE SECS [ARGS...]");
	check_name = argv[1];
	deadline = time(NULL) + atoi(argv[2]);
	if (team)
		join_team();
	srand(getpid());
	signal(SIGPIPE, SIG_IGN);
	ctl = open(CONTROL, O_RDWR | O_CLOEXEC);
	if (ctl < 0)
		die("%s: %m", CONTROL);
	find_dm_major();
	for (i = 0; i < ARRAY_SIZE(roles); i++)
		if (!strcmp(check_name, roles[i].name))
			return roles[i].fn(argc - 3, argv + 3);
	die("unknown role");
	return 2;
}
