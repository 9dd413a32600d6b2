/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dm_prog.h - what the raw DM ioctl test programs share: building a
 * request, issuing it on the control file, reporting a failed check with
 * the exact errno, and the header-only device commands.
 *
 * A program defines PROG (its name, for messages) before including this,
 * sets check_name to the check it runs and opens ctl.
 */
#ifndef DM_PROG_H
#define DM_PROG_H

#define _GNU_SOURCE
#include <errno.h>
#include <linux/dm-ioctl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <grp.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>

#define CONTROL		"/dev/mapper/control"
#define HDR		((sizeof(struct dm_ioctl) + 7) & ~7UL)
#define MIN_SIZE	offsetof(struct dm_ioctl, data)
#define SPEC		sizeof(struct dm_target_spec)
#define BIG		16384
#define POISON		0xa5
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static const char *check_name;
static int ctl = -1;
static const char *backing;	/* the block device linear tables map */
static char backing_dev[32];	/* its "major:minor" */

/* One named check: 0 if it passed, 1 if not (the reason is printed). */
struct check {
	const char *name;
	int (*fn)(void);
};

#define CHECK(fn) { #fn, fn }

/* Print "PROG: check_name: " and the message to stderr. */
static inline void vreport(const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: %s: ", PROG, check_name);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

static inline int fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(fmt, ap);
	va_end(ap);
	return 1;
}

static inline const char *ename(int e)
{
	return e ? strerrorname_np(e) : "success";
}

static inline int expect_errno(const char *what, int got, int wanted)
{
	if (got == wanted)
		return 0;
	return fail("%s: expected %s, got %s", what, ename(wanted), ename(got));
}

/* A zeroed request of @size bytes (at least BIG allocated) for @name. */
static inline struct dm_ioctl *request(size_t size, const char *name)
{
	struct dm_ioctl *dmi = calloc(1, size > BIG ? size : BIG);
	size_t i;

	if (!dmi) {
		perror("calloc");
		exit(2);
	}
	dmi->version[0] = 4;
	dmi->data_size = size;
	dmi->data_start = HDR;
	/* cut to what fits, terminated (calloc zeroed the rest) */
	for (i = 0; name && name[i] && i < sizeof(dmi->name) - 1; i++)
		dmi->name[i] = name[i];
	return dmi;
}

/* Issue @cmd on @fd; return 0 or the errno. */
static inline int issue_on(int fd, unsigned long cmd, struct dm_ioctl *dmi)
{
	return ioctl(fd, cmd, dmi) ? errno : 0;
}

static inline int issue(unsigned long cmd, struct dm_ioctl *dmi)
{
	return issue_on(ctl, cmd, dmi);
}

/*
 * Issue @cmd with the request @dmi, its @flags and @cookie (event_nr) set
 * first; the reply is left in *@out if asked, else freed.
 */
static inline int issue_c(unsigned long cmd, struct dm_ioctl *dmi,
			  unsigned int flags, unsigned int cookie,
			  struct dm_ioctl **out)
{
	int r;

	dmi->flags = flags;
	dmi->event_nr = cookie;
	r = issue(cmd, dmi);
	if (out)
		*out = dmi;
	else
		free(dmi);
	return r;
}

/*
 * A header-only command on @name with @flags and @cookie (event_nr); the
 * reply is left in *@out if asked.
 */
static inline int simple_c(unsigned long cmd, const char *name,
			   unsigned int flags, unsigned int cookie,
			   struct dm_ioctl **out)
{
	return issue_c(cmd, request(sizeof(struct dm_ioctl), name), flags,
		       cookie, out);
}

static inline int simple(unsigned long cmd, const char *name,
			 unsigned int flags, struct dm_ioctl **out)
{
	return simple_c(cmd, name, flags, 0, out);
}

/* DEV_CREATE @name with @uuid (if given) and, unless 0, the dev_t @dev. */
static inline int create_dev(const char *name, const char *uuid,
			     unsigned long long dev)
{
	struct dm_ioctl *dmi = request(sizeof(*dmi), name);
	int r;

	if (uuid)
		snprintf(dmi->uuid, sizeof(dmi->uuid), "%s", uuid);
	if (dev) {
		dmi->flags = DM_PERSISTENT_DEV_FLAG;
		dmi->dev = dev;
	}
	r = issue(DM_DEV_CREATE, dmi);
	free(dmi);
	return r;
}

static inline int create(const char *name, const char *uuid)
{
	return create_dev(name, uuid, 0);
}

/* A TABLE_LOAD request of one linear target: @len sectors at @off of @dev. */
static inline struct dm_ioctl *linear_request(const char *name, const char *dev,
					      unsigned long long len,
					      unsigned long long off)
{
	struct dm_ioctl *dmi = request(BIG, name);
	struct dm_target_spec *sp = (void *)((char *)dmi + HDR);
	char *params = (char *)(sp + 1);

	sp->sector_start = 0;
	sp->length = len;
	snprintf(sp->target_type, sizeof(sp->target_type), "linear");
	snprintf(params, 256, "%s %llu", dev, off);
	sp->next = (SPEC + strlen(params) + 1 + 7) & ~7UL;
	dmi->target_count = 1;
	dmi->data_size = HDR + sp->next;
	return dmi;
}

/* TABLE_LOAD of one linear target: @len sectors at @off of @dev. */
static inline int load_one_linear(const char *name, const char *dev,
				  unsigned long long len, unsigned long long off,
				  unsigned int flags)
{
	struct dm_ioctl *dmi = linear_request(name, dev, len, off);
	int r;

	dmi->flags = flags;
	r = issue(DM_TABLE_LOAD, dmi);
	free(dmi);
	return r;
}

static inline int dev_remove(const char *name)
{
	return simple(DM_DEV_REMOVE, name, 0, NULL);
}

static inline int resume(const char *name)
{
	return simple(DM_DEV_SUSPEND, name, 0, NULL);
}

static inline int suspend(const char *name)
{
	return simple(DM_DEV_SUSPEND, name, DM_SUSPEND_FLAG, NULL);
}

/* DEV_STATUS of @name; the reply in *@out (caller frees). */
static inline int dev_status(const char *name, struct dm_ioctl **out)
{
	return simple(DM_DEV_STATUS, name, 0, out);
}

/* The dev_t of an existing device, or 0. */
static inline unsigned long long dev_of(const char *name)
{
	struct dm_ioctl *dmi;
	unsigned long long dev = 0;

	if (!dev_status(name, &dmi))
		dev = dmi->dev;
	free(dmi);
	return dev;
}

/* The block major named "device-mapper" in /proc/devices, or 0. */
static inline unsigned int dm_block_major(void)
{
	FILE *f = fopen("/proc/devices", "r");
	char line[128], name[64];
	unsigned int maj, found = 0;
	int block = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "Block devices:", 14))
			block = 1;
		else if (block && sscanf(line, "%u %63s", &maj, name) == 2 &&
			 !strcmp(name, "device-mapper"))
			found = maj;
	}
	fclose(f);
	return found;
}

static inline void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* The first entry of a LIST_DEVICES reply, NULL if it lists none. */
static inline struct dm_name_list *first_name(struct dm_ioctl *dmi)
{
	struct dm_name_list *nl = (void *)((char *)dmi + dmi->data_start);

	return nl->dev ? nl : NULL;
}

/* The entry after @nl, NULL after the last one. */
static inline struct dm_name_list *next_name(struct dm_name_list *nl)
{
	return nl->next ? (void *)((char *)nl + nl->next) : NULL;
}

/*
 * Remove every device whose name @match accepts (given @arg); the ones
 * still there (open: EBUSY) are tried again every 100 ms for up to @ms.
 * Returns how many were left, or -1 if LIST_DEVICES failed.
 */
static inline int remove_devices(int (*match)(const char *name, const char *arg),
				 const char *arg, long ms)
{
	struct dm_name_list *nl;
	struct dm_ioctl *dmi;
	int left, r;

	for (;;) {
		left = 0;
		dmi = request(BIG, NULL);
		if (issue(DM_LIST_DEVICES, dmi)) {
			free(dmi);
			return -1;
		}
		for (nl = first_name(dmi); nl; nl = next_name(nl)) {
			if (!match(nl->name, arg))
				continue;
			r = dev_remove(nl->name);
			/* ENXIO: someone else removed it meanwhile */
			if (r && r != ENXIO)
				left++;
		}
		free(dmi);
		if (!left || ms <= 0)
			return left;
		sleep_ms(100);
		ms -= 100;
	}
}

/* @name starts with @prefix */
static inline int has_prefix(const char *name, const char *prefix)
{
	return !strncmp(name, prefix, strlen(prefix));
}

/*
 * A check's device: its name starts with @prefix ("dmt-"), is "."
 * followed by the prefix's first three characters, or is one of the odd
 * names the name checks use.
 */
static inline int test_device(const char *name, const char *prefix)
{
	char dot[8];

	snprintf(dot, sizeof(dot), ".%.3s", prefix);
	return has_prefix(name, prefix) || !strcmp(name, dot) ||
	       !strcmp(name, "controller") || !strcmp(name, "...") ||
	       strspn(name, "n") == DM_NAME_LEN - 1;
}

/*
 * Remove every device a check may have made, whatever it left behind; an
 * open one is retried for two seconds.
 */
static inline void remove_test_devices(const char *prefix)
{
	remove_devices(test_device, prefix, 2000);
}

/* A new file descriptor of the control file; exit 2 if it cannot be opened. */
static inline int open_control(void)
{
	int fd = open(CONTROL, O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		perror(CONTROL);
		exit(2);
	}
	return fd;
}

#define NOBODY		65534	/* uid and gid of nobody */

/*
 * Run @fn in a child that became nobody (a setuid from root to another
 * user drops every capability); its exit status is the result.
 */
static inline int as_nobody(int (*fn)(void))
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return fail("fork: %m");
	if (!pid) {
		if (setgroups(0, NULL) || setgid(NOBODY) || setuid(NOBODY))
			_exit(fail("cannot become nobody: %m"));
		_exit(fn());
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return fail("the child that became nobody did not exit");
	return WEXITSTATUS(status);
}

/*
 * The command line of a program: "--list" prints the checks' names and
 * gives 0, anything but one argument prints the usage and gives 2; -1
 * means "CHECK", to be run by the caller.
 */
static inline int list_checks(int argc, char **argv,
			      const struct check *checks, size_t count)
{
	size_t i;

	if (argc != 2) {
		fprintf(stderr, "usage: %s --list | CHECK\n", argv[0]);
		return 2;
	}
	if (strcmp(argv[1], "--list"))
		return -1;
	for (i = 0; i < count; i++)
		puts(checks[i].name);
	return 0;
}

/* The check named @name, made check_name; NULL (said) if there is none. */
static inline const struct check *select_check(const char *name,
					       const struct check *checks,
					       size_t count)
{
	size_t i;

	for (i = 0; i < count; i++) {
		if (!strcmp(name, checks[i].name)) {
			check_name = checks[i].name;
			return &checks[i];
		}
	}
	fprintf(stderr, "unknown check %s\n", name);
	return NULL;
}

/*
 * Make the block device @path the one linear tables map (backing, and
 * backing_dev by number).  Return: 0, or 2 if it is not a block device.
 */
static inline int set_backing(const char *path)
{
	struct stat st;

	if (stat(path, &st) || !S_ISBLK(st.st_mode)) {
		fprintf(stderr, "%s is not a block device\n", path);
		return 2;
	}
	backing = path;
	snprintf(backing_dev, sizeof(backing_dev), "%u:%u", major(st.st_rdev),
		 minor(st.st_rdev));
	return 0;
}

/*
 * The programs' main: "--list" prints the checks' names; "CHECK" opens
 * the backing device named by $@backing_env (default /dev/ram0) and the
 * control file, runs that check and removes what it left (devices named
 * @prefix...).  Exit status: the check's, or 2 on a usage or setup error.
 */
static inline int run_check(int argc, char **argv, const struct check *checks,
			    size_t count, const char *backing_env,
			    const char *prefix)
{
	const char *path = getenv(backing_env);
	const struct check *c;
	int r;

	r = list_checks(argc, argv, checks, count);
	if (r >= 0)
		return r;
	if (set_backing(path ? path : "/dev/ram0"))
		return 2;
	ctl = open_control();
	c = select_check(argv[1], checks, count);
	if (!c)
		return 2;
	r = c->fn();
	remove_test_devices(prefix);
	return r;
}

#endif /* DM_PROG_H */
