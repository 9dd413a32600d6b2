// SPDX-License-Identifier: GPL-2.0-only
/*
 * dm_race - racers for the mapped-device lifetime tests.  Each invocation
 * plays one role until its deadline, then prints what it did.  It exits 0
 * if every call ended with one of the results the role allows, 1 if not
 * (the unexpected result is printed), 2 on a usage or setup error.
 *
 *   dm_race churn SECS PREFIX COUNT BACKING [MINOR]
 *	create PREFIX0..COUNT-1 (uuid PREFIXk-uuid; persistent minors
 *	MINOR+k if given), load a linear table over BACKING, resume,
 *	remove; at the end remove whatever is left
 *   dm_race reload SECS PREFIX COUNT BACKING
 *	keep PREFIX0..COUNT-1 alive (re-create them if they vanish) and
 *	reload + resume them with alternating tables
 *   dm_race remove-all SECS
 *	DM_REMOVE_ALL in a loop
 *   dm_race open SECS
 *	open, read and close every dm node in /dev and in /dev/mapper
 *   dm_race sysfs SECS
 *	read dm/name, dm/uuid, dm/suspended, dev and size of every dm-*
 *   dm_race lookup SECS PREFIX COUNT
 *	DEV_STATUS by name, uuid and dev, TABLE_STATUS and LIST_DEVICES;
 *	what is found must be what was asked for
 *   dm_race remove-vs-open SECS PREFIX BACKING MINOR
 *	a child opens PREFIX's dev_t (MINOR) in a loop while the parent
 *	creates it, removes it (retrying EBUSY) and checks each time that a
 *	refused remove left the device live and resumed, and that a done
 *	remove left nothing behind; if no remove was refused by SECS, it
 *	goes on for up to SECS more (the race must happen at least once)
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/dm-ioctl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdarg.h>
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

#define CONTROL		"/dev/mapper/control"
#define HDR		((sizeof(struct dm_ioctl) + 7) & ~7UL)
#define BIG		65536
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* bit masks of allowed errnos (all the ones used are below 64) */
#define OK(e)		(1ULL << (e))

static const char *role;
static time_t deadline;
static int ctl = -1;
static unsigned int dm_major;
static unsigned long calls, unexpected;

static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "dm_race %s: ", role);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static int running(void)
{
	return time(NULL) < deadline;
}

/* Record result @r (0 or an errno) of @what; complain unless allowed. */
static int note(const char *what, const char *name, int r, unsigned long long allowed)
{
	calls++;
	if (r < 64 && (allowed & OK(r)))
		return r;
	unexpected++;
	fprintf(stderr, "dm_race %s: %s %s: unexpected %s\n", role, what,
		name ? name : "", r ? strerrorname_np(r) : "success");
	return r;
}

static struct dm_ioctl *request(const char *name)
{
	struct dm_ioctl *dmi = calloc(1, BIG);

	if (!dmi)
		die("calloc");
	dmi->version[0] = 4;
	dmi->data_size = BIG;
	dmi->data_start = HDR;
	if (name)
		snprintf(dmi->name, sizeof(dmi->name), "%s", name);
	return dmi;
}

static int issue(unsigned long cmd, struct dm_ioctl *dmi)
{
	return ioctl(ctl, cmd, dmi) ? errno : 0;
}

static int simple(unsigned long cmd, const char *name, unsigned int flags)
{
	struct dm_ioctl *dmi = request(name);
	int r;

	dmi->flags = flags;
	r = issue(cmd, dmi);
	free(dmi);
	return r;
}

/* DEV_CREATE @name with uuid "@name-uuid", persistent @minor if >= 0. */
static int create(const char *name, int minor)
{
	struct dm_ioctl *dmi = request(name);
	int r;

	snprintf(dmi->uuid, sizeof(dmi->uuid), "%s-uuid", name);
	if (minor >= 0) {
		dmi->flags = DM_PERSISTENT_DEV_FLAG;
		dmi->dev = makedev(dm_major, minor);
	}
	r = issue(DM_DEV_CREATE, dmi);
	free(dmi);
	return r;
}

/* TABLE_LOAD of one linear target of @len sectors at @off of @backing. */
static int load(const char *name, const char *backing, unsigned int len,
		unsigned int off)
{
	struct dm_ioctl *dmi = request(name);
	struct dm_target_spec *sp = (void *)((char *)dmi + HDR);
	char *params = (char *)(sp + 1);
	int r;

	sp->sector_start = 0;
	sp->length = len;
	snprintf(sp->target_type, sizeof(sp->target_type), "%s", "linear");
	snprintf(params, 256, "%s %u", backing, off);
	sp->next = (sizeof(*sp) + strlen(params) + 1 + 7) & ~7UL;
	dmi->target_count = 1;
	dmi->data_size = HDR + sp->next;
	r = issue(DM_TABLE_LOAD, dmi);
	free(dmi);
	return r;
}

static int resume(const char *name)
{
	return simple(DM_DEV_SUSPEND, name, 0);
}

static int dev_remove(const char *name)
{
	return simple(DM_DEV_REMOVE, name, 0);
}

static void find_dm_major(void)
{
	FILE *f = fopen("/proc/devices", "r");
	char line[128], name[64];
	unsigned int maj;
	int block = 0;

	if (!f)
		die("/proc/devices: %m");
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "Block devices:", 14))
			block = 1;
		else if (block && sscanf(line, "%u %63s", &maj, name) == 2 &&
			 !strcmp(name, "device-mapper"))
			dm_major = maj;
	}
	fclose(f);
	if (!dm_major)
		die("no device-mapper block major");
}

static void name_of(char *buf, size_t size, const char *prefix, unsigned int k)
{
	snprintf(buf, size, "%s%u", prefix, k);
}

/* Remove every device named @prefix*; retry EBUSY until @secs pass. */
static void remove_prefixed(const char *prefix, int secs)
{
	time_t end = time(NULL) + secs;
	struct dm_ioctl *dmi;
	struct dm_name_list *nl;
	int left;

	do {
		left = 0;
		dmi = request(NULL);
		if (note("LIST_DEVICES", NULL, issue(DM_LIST_DEVICES, dmi), OK(0))) {
			free(dmi);
			return;
		}
		nl = (void *)((char *)dmi + dmi->data_start);
		while (nl->dev) {
			if (!strncmp(nl->name, prefix, strlen(prefix)) &&
			    note("final remove", nl->name, dev_remove(nl->name),
				 OK(0) | OK(EBUSY) | OK(ENXIO)) == EBUSY)
				left++;
			if (!nl->next)
				break;
			nl = (void *)((char *)nl + nl->next);
		}
		free(dmi);
		if (left)
			usleep(100000);
	} while (left && time(NULL) < end);
	if (left) {
		unexpected++;
		fprintf(stderr, "dm_race %s: %d device(s) still busy at the end\n",
			role, left);
	}
}

static int role_churn(int argc, char **argv)
{
	const char *prefix, *backing;
	unsigned int count, k = 0;
	int base = -1, r;
	unsigned long cycles = 0;
	char name[64];

	if (argc < 3)
		die("usage: %s SECS PREFIX COUNT BACKING [MINOR]", role);
	prefix = argv[0];
	count = atoi(argv[1]);
	backing = argv[2];
	if (argc > 3)
		base = atoi(argv[3]);
	while (running()) {
		name_of(name, sizeof(name), prefix, k);
		r = note("create", name, create(name, base < 0 ? -1 : base + (int)k),
			 OK(0) | OK(EBUSY) | OK(ENXIO));
		if (!r) {
			note("load", name, load(name, backing, 64 + 8 * k, 8 * k), OK(0));
			note("resume", name, resume(name), OK(0));
		}
		/* a refused create (name or minor taken) may leave no device */
		if (!note("remove", name, dev_remove(name),
			  OK(0) | OK(EBUSY) | (r ? OK(ENXIO) : 0)))
			cycles++;
		k = (k + 1) % count;
	}
	remove_prefixed(prefix, 30);
	printf("dm_race %s: %lu create/remove cycles, %lu calls\n", role, cycles, calls);
	return unexpected != 0;
}

static int role_reload(int argc, char **argv)
{
	const char *prefix, *backing;
	unsigned int count, k = 0, flip = 0;
	unsigned long resumes = 0, recreated = 0;
	unsigned long long any = OK(0) | OK(ENXIO) | OK(EINVAL) | OK(EBUSY);
	char name[64];

	if (argc < 3)
		die("usage: %s SECS PREFIX COUNT BACKING", role);
	prefix = argv[0];
	count = atoi(argv[1]);
	backing = argv[2];
	while (running()) {
		name_of(name, sizeof(name), prefix, k);
		if (simple(DM_DEV_STATUS, name, 0) == ENXIO) {
			recreated++;
			note("create", name, create(name, -1), any);
		}
		flip ^= 1;
		if (!note("load", name, load(name, backing, 64 + 8 * flip, 8 * k), any) &&
		    !note("resume", name, resume(name), any))
			resumes++;
		k = (k + 1) % count;
	}
	remove_prefixed(prefix, 30);
	printf("dm_race %s: %lu resumes with a new table, %lu re-creates, %lu calls\n",
	       role, resumes, recreated, calls);
	return unexpected != 0;
}

static int role_remove_all(int argc, char **argv)
{
	unsigned long n = 0;

	(void)argc;
	(void)argv;
	while (running()) {
		note("REMOVE_ALL", NULL, simple(DM_REMOVE_ALL, NULL, 0), OK(0));
		n++;
		usleep(1000 * (n % 5));
	}
	printf("dm_race remove-all: %lu calls\n", n);
	return unexpected != 0;
}

/* Open, read a block and close @path; a vanished device is fine. */
static int open_one(const char *path, unsigned long *opened)
{
	char buf[4096];
	ssize_t got;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		note("open", path, errno, OK(ENOENT) | OK(ENXIO) | OK(ENODEV));
		return 0;
	}
	(*opened)++;
	calls++;
	got = pread(fd, buf, sizeof(buf), 0);
	/* no live table yet (or any more): EIO; an empty device: 0 bytes */
	if (got < 0)
		note("read", path, errno, OK(EIO));
	close(fd);
	return 0;
}

static int role_open(int argc, char **argv)
{
	unsigned long opened = 0, rounds = 0;
	char path[300];
	struct dirent *de;
	DIR *d;

	(void)argc;
	(void)argv;
	while (running()) {
		d = opendir("/dev");
		while (d && (de = readdir(d))) {
			if (strncmp(de->d_name, "dm-", 3))
				continue;
			snprintf(path, sizeof(path), "/dev/%s", de->d_name);
			open_one(path, &opened);
		}
		if (d)
			closedir(d);
		d = opendir("/dev/mapper");
		while (d && (de = readdir(d))) {
			if (de->d_name[0] == '.' || !strcmp(de->d_name, "control"))
				continue;
			snprintf(path, sizeof(path), "/dev/mapper/%s", de->d_name);
			open_one(path, &opened);
		}
		if (d)
			closedir(d);
		rounds++;
	}
	printf("dm_race open: %lu rounds, %lu opens succeeded\n", rounds, opened);
	return unexpected != 0;
}

static int role_sysfs(int argc, char **argv)
{
	static const char *const attrs[] = { "dm/name", "dm/uuid", "dm/suspended",
					     "dev", "size" };
	unsigned long reads = 0;
	char path[300], buf[512];
	struct dirent *de;
	unsigned int i;
	DIR *d;
	int fd;

	(void)argc;
	(void)argv;
	while (running()) {
		d = opendir("/sys/block");
		while (d && (de = readdir(d))) {
			if (strncmp(de->d_name, "dm-", 3))
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
				if (read(fd, buf, sizeof(buf)) < 0)
					note("read", path, errno,
					     OK(EINVAL) | OK(EIO) | OK(ENODEV));
				else
					reads++;
				close(fd);
			}
		}
		if (d)
			closedir(d);
	}
	printf("dm_race sysfs: %lu attribute reads\n", reads);
	return unexpected != 0;
}

/* LIST_DEVICES: every entry must lie inside the reply. */
static void list_check(void)
{
	struct dm_ioctl *dmi = request(NULL);
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

static int role_lookup(int argc, char **argv)
{
	unsigned long found = 0;
	unsigned int count, k = 0;
	struct dm_ioctl *dmi;
	char name[64];
	const char *prefix;

	if (argc < 2)
		die("usage: %s SECS PREFIX COUNT", role);
	prefix = argv[0];
	count = atoi(argv[1]);
	while (running()) {
		name_of(name, sizeof(name), prefix, k);
		dmi = request(name);
		if (!note("DEV_STATUS by name", name, issue(DM_DEV_STATUS, dmi),
			  OK(0) | OK(ENXIO))) {
			found++;
			if (strcmp(dmi->name, name))
				note("DEV_STATUS by name: got", dmi->name, EPROTO, 0);
		}
		free(dmi);
		dmi = request(NULL);
		snprintf(dmi->uuid, sizeof(dmi->uuid), "%s-uuid", name);
		if (!note("DEV_STATUS by uuid", name, issue(DM_DEV_STATUS, dmi),
			  OK(0) | OK(ENXIO)) && strcmp(dmi->name, name))
			note("DEV_STATUS by uuid: got", dmi->name, EPROTO, 0);
		free(dmi);
		dmi = request(NULL);
		dmi->dev = makedev(dm_major, k);
		if (!note("DEV_STATUS by dev", name, issue(DM_DEV_STATUS, dmi),
			  OK(0) | OK(ENXIO)) && dmi->dev != makedev(dm_major, k))
			note("DEV_STATUS by dev: other dev", NULL, EPROTO, 0);
		free(dmi);
		dmi = request(name);
		dmi->flags = DM_STATUS_TABLE_FLAG;
		note("TABLE_STATUS", name, issue(DM_TABLE_STATUS, dmi), OK(0) | OK(ENXIO));
		free(dmi);
		list_check();
		k = (k + 1) % count;
	}
	printf("dm_race %s: %lu calls, %lu found by name\n", role, calls, found);
	return unexpected != 0;
}

/* After a refused remove the device must be whole: live table, resumed. */
static void check_live(const char *name)
{
	struct dm_ioctl *dmi = request(name);

	if (!note("DEV_STATUS after EBUSY", name, issue(DM_DEV_STATUS, dmi), OK(0)) &&
	    ((dmi->flags & (DM_SUSPEND_FLAG | DM_INACTIVE_PRESENT_FLAG)) ||
	     !(dmi->flags & DM_ACTIVE_PRESENT_FLAG) || dmi->target_count != 1)) {
		fprintf(stderr, "dm_race %s: %s after a refused remove: flags 0x%x, %u targets\n",
			role, name, dmi->flags, dmi->target_count);
		unexpected++;
	}
	free(dmi);
}

/* After a done remove nothing of the device may remain. */
static void check_gone(const char *name, const char *node, unsigned int minor)
{
	struct dm_ioctl *dmi = request(NULL);
	char path[64];
	struct stat st;
	int fd;

	note("DEV_STATUS by name after remove", name, simple(DM_DEV_STATUS, name, 0),
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
	unsigned long opened = 0;
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
	calls = 0;
	while (!parent_done(done_fd)) {
		if (stat(sys, &st)) {
			usleep(100);
			continue;
		}
		fd = open(node, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			note("child open", node, errno, OK(ENXIO));
			continue;
		}
		opened++;
		got = pread(fd, buf, sizeof(buf), 0);
		/* before the first resume the device is empty */
		if (got < 0)
			note("child read", node, errno, 0);
		else if (got != sizeof(buf) && got != 0)
			note("child short read", node, EPROTO, 0);
		usleep(rand() % 3000);
		close(fd);
		usleep(rand() % 1000);
	}
	printf("dm_race remove-vs-open child: %lu opens succeeded\n", opened);
	fflush(stdout);
	return unexpected != 0;
}

static int role_remove_vs_open(int argc, char **argv)
{
	unsigned long cycles = 0, busy = 0;
	const char *name, *backing;
	int done[2];
	time_t grace;
	char node[64];
	int minor, r, status;
	pid_t pid;

	if (argc < 3)
		die("usage: %s SECS PREFIX BACKING MINOR", role);
	name = argv[0];
	backing = argv[1];
	minor = atoi(argv[2]);
	snprintf(node, sizeof(node), "/tmp/dm_race.%d", getpid());
	unlink(node);
	if (mknod(node, S_IFBLK | 0600, makedev(dm_major, minor)))
		die("mknod %s: %m", node);
	if (pipe(done))
		die("pipe: %m");
	pid = fork();
	if (pid < 0)
		die("fork: %m");
	if (!pid) {
		close(done[1]);
		_exit(child_opener(node, minor, done[0]));
	}
	close(done[0]);
	grace = deadline + (deadline - time(NULL));
	while (running() || (!busy && time(NULL) < grace)) {
		if (note("create", name, create(name, minor), OK(0)) ||
		    note("load", name, load(name, backing, 64, 0), OK(0)) ||
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
	    WEXITSTATUS(status)) {
		fprintf(stderr, "dm_race %s: the opener failed\n", role);
		unexpected++;
	}
	remove_prefixed(name, 30);
	unlink(node);
	printf("dm_race remove-vs-open: %lu removes, %lu refused as busy\n", cycles, busy);
	if (!cycles || !busy) {
		fprintf(stderr, "dm_race %s: the race never happened (%lu removes, %lu busy)\n",
			role, cycles, busy);
		return 1;
	}
	return unexpected != 0;
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
	size_t i;

	if (argc < 3) {
		fprintf(stderr, "usage: %s ROLE SECS [ARGS...]\n", argv[0]);
		return 2;
	}
	role = argv[1];
	deadline = time(NULL) + atoi(argv[2]);
	srand(getpid());
	signal(SIGPIPE, SIG_IGN);
	ctl = open(CONTROL, O_RDWR | O_CLOEXEC);
	if (ctl < 0)
		die("%s: %m", CONTROL);
	find_dm_major();
	for (i = 0; i < ARRAY_SIZE(roles); i++)
		if (!strcmp(role, roles[i].name))
			return roles[i].fn(argc - 3, argv + 3);
	die("unknown role");
	return 2;
}
