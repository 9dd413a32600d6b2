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
#include <sys/ioctl.h>

#define CONTROL		"/dev/mapper/control"
#define HDR		((sizeof(struct dm_ioctl) + 7) & ~7UL)
#define MIN_SIZE	offsetof(struct dm_ioctl, data)
#define SPEC		sizeof(struct dm_target_spec)
#define BIG		16384
#define POISON		0xa5
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static const char *check_name;
static int ctl = -1;

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

#endif /* DM_PROG_H */
