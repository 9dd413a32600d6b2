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
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
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

static inline int fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: %s: ", PROG, check_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
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
 * A header-only command on @name with @flags and @cookie (event_nr); the
 * reply is left in *@out if asked.
 */
static inline int simple_c(unsigned long cmd, const char *name,
			   unsigned int flags, unsigned int cookie,
			   struct dm_ioctl **out)
{
	struct dm_ioctl *dmi = request(sizeof(*dmi), name);
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

static inline int simple(unsigned long cmd, const char *name,
			 unsigned int flags, struct dm_ioctl **out)
{
	return simple_c(cmd, name, flags, 0, out);
}

static inline int create(const char *name, const char *uuid)
{
	struct dm_ioctl *dmi = request(sizeof(*dmi), name);
	int r;

	if (uuid)
		snprintf(dmi->uuid, sizeof(dmi->uuid), "%s", uuid);
	r = issue(DM_DEV_CREATE, dmi);
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

static inline void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/*
 * Remove every device a check may have made, whatever it left behind:
 * names starting with @prefix ("dmt-"), "." followed by its first three
 * characters, and the odd names the name checks use.  An open one is
 * retried a few times.
 */
static inline void remove_test_devices(const char *prefix)
{
	struct dm_name_list *nl;
	struct dm_ioctl *dmi;
	int again = 1, round;
	char dot[8];

	snprintf(dot, sizeof(dot), ".%.3s", prefix);
	for (round = 0; again && round < 20; round++) {
		again = 0;
		dmi = request(BIG, NULL);
		if (issue(DM_LIST_DEVICES, dmi))
			break;
		nl = (void *)((char *)dmi + dmi->data_start);
		while (nl->dev) {
			if (!strncmp(nl->name, prefix, strlen(prefix)) ||
			    !strcmp(nl->name, dot) ||
			    !strcmp(nl->name, "controller") || !strcmp(nl->name, "...") ||
			    strspn(nl->name, "n") == DM_NAME_LEN - 1) {
				if (dev_remove(nl->name) == EBUSY)
					again = 1;
			}
			if (!nl->next)
				break;
			nl = (void *)((char *)nl + nl->next);
		}
		free(dmi);
		if (again)
			sleep_ms(100);
	}
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
	struct stat st;
	size_t i;
	int r;

	if (argc != 2) {
		fprintf(stderr, "usage: %s --list | CHECK\n", argv[0]);
		return 2;
	}
	if (!strcmp(argv[1], "--list")) {
		for (i = 0; i < count; i++)
			puts(checks[i].name);
		return 0;
	}
	backing = getenv(backing_env);
	if (!backing)
		backing = "/dev/ram0";
	if (stat(backing, &st) || !S_ISBLK(st.st_mode)) {
		fprintf(stderr, "%s is not a block device\n", backing);
		return 2;
	}
	snprintf(backing_dev, sizeof(backing_dev), "%u:%u", major(st.st_rdev),
		 minor(st.st_rdev));
	ctl = open(CONTROL, O_RDWR | O_CLOEXEC);
	if (ctl < 0) {
		perror(CONTROL);
		return 2;
	}
	for (i = 0; i < count; i++) {
		if (strcmp(argv[1], checks[i].name))
			continue;
		check_name = checks[i].name;
		r = checks[i].fn();
		remove_test_devices(prefix);
		return r;
	}
	fprintf(stderr, "unknown check %s\n", argv[1]);
	return 2;
}

#endif /* DM_PROG_H */
