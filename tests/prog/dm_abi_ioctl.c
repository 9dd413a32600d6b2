// SPDX-License-Identifier: GPL-2.0-only
/*
 * dm_abi_ioctl - raw DM ioctl checks of DEV_RENAME, DEV_WAIT, TARGET_MSG,
 * DEV_SET_GEOMETRY, DEV_ARM_POLL (with poll() on the control device),
 * deferred removal and the uevents (with DM_UEVENT_GENERATED_FLAG) of the
 * device commands: what dmsetup cannot send or cannot show.
 *
 *   dm_abi_ioctl --list      print the names of all checks
 *   dm_abi_ioctl CHECK       run one check; exit 0 if it holds
 *   dm_abi_ioctl --getgeo DEV
 *                            print HDIO_GETGEO of the block device DEV as
 *                            "cylinders heads sectors start"
 *   dm_abi_ioctl --names     print the names of all mapped devices
 *   dm_abi_ioctl --fsync-failing DEV
 *                            fsync the block device DEV with every slab
 *                            allocation of this task failing (failslab,
 *                            set up by the caller with task-filter);
 *                            exit 0 if fsync succeeded
 *   dm_abi_ioctl --load-failing DEV
 *                            the first TABLE_LOAD of a new device (a
 *                            linear table over DEV) with its 1st, 2nd, ...
 *                            slab allocation failing (fail-nth; failslab
 *                            set up by the caller), until a load succeeds:
 *                            each failed load gives ENOMEM (add_disk() once
 *                            EINVAL) and leaves the device fully there or
 *                            without a disk
 *   dm_abi_ioctl --failing OP|all
 *                            create, load, first-resume, swap-resume,
 *                            suspend, rename, message, clear and remove
 *                            (or the one named) with their 1st, 2nd, ...
 *                            slab allocation failing, until one runs
 *                            without reaching it: each succeeds or gives
 *                            ENOMEM (create ENXIO) and leaves the device
 *                            as before or as after it (see failing())
 *   dm_abi_ioctl --io-failing
 *                            O_DIRECT writes and reads split between two
 *                            targets, with each slab allocation failing in
 *                            turn (see io_failing())
 *   dm_abi_ioctl --cycles NAME A B SECTORS COUNT
 *                            COUNT suspend/reload/resume cycles of the
 *                            live device NAME, some noflush, some moving
 *                            its data between disks A and B (see run_cycles())
 *
 * The linear tables map DM_ABI_IOCTL_BACKING (default /dev/ram0, at least
 * 4 MiB).  Devices are named "dma-*" and removed again on every exit path;
 * the checks expect no other mapped device to exist.  Negative checks
 * assert the exact errno upstream's dm_mod returns.  Uevents are read from
 * a NETLINK_KOBJECT_UEVENT socket bound before the commands run: the
 * kernel sends them before the ioctl returns.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/dm-ioctl.h>
#include <linux/hdreg.h>
#include <linux/netlink.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PROG		"dm_abi_ioctl"
#include "dm_prog.h"

#define QUIET_MS	300	/* no further uevent within this: none is coming */

static int uev = -1;

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* DEV_STATUS of @name: one field, or (unsigned)-1 if it does not exist. */
static unsigned int status_flags(const char *name)
{
	struct dm_ioctl *dmi;
	unsigned int v = -1U;

	if (!dev_status(name, &dmi))
		v = dmi->flags;
	free(dmi);
	return v;
}

static int exists(const char *name)
{
	return dev_of(name) != 0;
}

/* TABLE_LOAD of one linear target of @len sectors at @off of backing */
static int load_linear(const char *name, unsigned long long len,
		       unsigned long long off, unsigned int flags)
{
	return load_one_linear(name, backing, len, off, flags);
}

/* Create @name (with @uuid) with a live linear table of @len sectors. */
static int make_live_len(const char *name, const char *uuid, unsigned long long len)
{
	if (expect_errno("DEV_CREATE", create(name, uuid), 0) ||
	    expect_errno("TABLE_LOAD", load_linear(name, len, 0, 0), 0) ||
	    expect_errno("resume", resume(name), 0))
		return 1;
	return 0;
}

static int make_live(const char *name, const char *uuid)
{
	return make_live_len(name, uuid, 1024);
}

/* "dm-N" of an existing device */
static const char *disk_name(const char *name)
{
	static char buf[4][32];
	static int i;
	char *b = buf[i++ % 4];

	snprintf(b, 32, "dm-%u", minor(dev_of(name)));
	return b;
}

/* Open the mapped device @name (its /dev/dm-N node); exit on failure. */
static int open_dev(const char *name, int flags)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/dev/%s", disk_name(name));
	fd = open(path, flags);
	if (fd < 0) {
		perror(path);
		exit(2);
	}
	return fd;
}

static int read_sysfs(const char *dm, const char *attr, char *buf, size_t len)
{
	char path[128];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/sys/block/%s/%s", dm, attr);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	if (n && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	return 0;
}

/*
 * A request whose payload (at data_start) is the string @s with its NUL,
 * for DEV_RENAME and DEV_SET_GEOMETRY.
 */
static struct dm_ioctl *string_request(const char *name, const char *s)
{
	struct dm_ioctl *dmi = request(BIG, name);

	memcpy((char *)dmi + HDR, s, strlen(s) + 1);
	dmi->data_size = HDR + strlen(s) + 1;
	return dmi;
}

static int rename_c(const char *name, const char *new, unsigned int flags,
		    unsigned int cookie, struct dm_ioctl **out)
{
	return issue_c(DM_DEV_RENAME, string_request(name, new), flags, cookie, out);
}

static int do_rename(const char *name, const char *new)
{
	return rename_c(name, new, 0, 0, NULL);
}

static int set_uuid(const char *name, const char *uuid)
{
	return rename_c(name, uuid, DM_UUID_FLAG, 0, NULL);
}

/* A TARGET_MSG request: @msg at @sector */
static struct dm_ioctl *message_request(const char *name, unsigned long long sector,
					const char *msg)
{
	struct dm_ioctl *dmi = request(BIG, name);
	struct dm_target_msg *tm = (void *)((char *)dmi + HDR);

	tm->sector = sector;
	memcpy((char *)tm + sizeof(*tm), msg, strlen(msg) + 1);
	dmi->data_size = HDR + sizeof(*tm) + strlen(msg) + 1;
	return dmi;
}

/* TARGET_MSG @msg at @sector; the reply in *@out if asked */
static int message(const char *name, unsigned long long sector, const char *msg,
		   struct dm_ioctl **out)
{
	struct dm_ioctl *dmi = message_request(name, sector, msg);
	int r;

	r = issue(DM_TARGET_MSG, dmi);
	if (out)
		*out = dmi;
	else
		free(dmi);
	return r;
}

static int set_geometry(const char *name, const char *geo)
{
	struct dm_ioctl *dmi = string_request(name, geo);
	int r = issue(DM_DEV_SET_GEOMETRY, dmi);

	free(dmi);
	return r;
}

/* HDIO_GETGEO of @name as "cyl heads sectors start" in @buf */
static int get_geometry(const char *name, char *buf, size_t len)
{
	struct hd_geometry g;
	int fd = open_dev(name, O_RDONLY), r;

	memset(&g, POISON, sizeof(g));
	r = ioctl(fd, HDIO_GETGEO, &g) ? errno : 0;
	close(fd);
	snprintf(buf, len, "%u %u %u %lu", g.cylinders, g.heads, g.sectors, g.start);
	return r;
}

static int expect_geometry(const char *name, const char *want)
{
	char got[96];

	if (expect_errno("HDIO_GETGEO", get_geometry(name, got, sizeof(got)), 0))
		return 1;
	if (strcmp(got, want))
		return fail("HDIO_GETGEO of %s: expected '%s', got '%s'", name, want, got);
	return 0;
}

/* ---- uevents ---- */

static void uev_open(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = 1 };
	int rcvbuf = 4 << 20;

	uev = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_KOBJECT_UEVENT);
	if (uev < 0 || bind(uev, (struct sockaddr *)&sa, sizeof(sa))) {
		perror("uevent socket");
		exit(2);
	}
	setsockopt(uev, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf));
}

static const char *ev_value(const char *buf, size_t len, const char *key)
{
	size_t klen = strlen(key), off;

	for (off = strlen(buf) + 1; off < len; off += strlen(buf + off) + 1)
		if (!strncmp(buf + off, key, klen) && buf[off + klen] == '=')
			return buf + off + klen + 1;
	return NULL;
}

/*
 * The block-subsystem uevents received until none came for QUIET_MS, as
 * "ACTION DEVNAME[ cookie=N][ resize][ ro=N]" joined by "; ".  Other
 * subsystems (bdi) are left out.
 */
static char *uev_collect(void)
{
	static char out[4096];
	char buf[8192];
	long long last = now_ms();

	out[0] = '\0';
	for (;;) {
		struct pollfd pfd = { .fd = uev, .events = POLLIN };
		long long left = last + QUIET_MS - now_ms();
		const char *sub, *v;
		char one[256];
		ssize_t len;

		if (left <= 0 || poll(&pfd, 1, left) <= 0)
			break;
		len = recv(uev, buf, sizeof(buf) - 1, MSG_DONTWAIT);
		if (len <= 0)
			continue;
		buf[len] = '\0';
		last = now_ms();
		sub = ev_value(buf, len, "SUBSYSTEM");
		if (!strchr(buf, '@') || !sub || strcmp(sub, "block"))
			continue;
		snprintf(one, sizeof(one), "%s %s", ev_value(buf, len, "ACTION") ?: "?",
			 ev_value(buf, len, "DEVNAME") ?: "?");
		v = ev_value(buf, len, "DM_COOKIE");
		if (v)
			snprintf(one + strlen(one), sizeof(one) - strlen(one), " cookie=%s", v);
		if (ev_value(buf, len, "RESIZE"))
			strcat(one, " resize");
		v = ev_value(buf, len, "DISK_RO");
		if (v)
			snprintf(one + strlen(one), sizeof(one) - strlen(one), " ro=%s", v);
		if (out[0])
			strcat(out, "; ");
		if (strlen(out) + strlen(one) < sizeof(out) - 1)
			strcat(out, one);
	}
	return out;
}

/* The uevents since the last call must be exactly @fmt (printf-style). */
static int expect_uevents(const char *what, const char *fmt, ...)
{
	char want[1024];
	const char *got = uev_collect();
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(want, sizeof(want), fmt, ap);
	va_end(ap);
	if (strcmp(got, want))
		return fail("uevents of %s: expected '%s', got '%s'", what, want, got);
	return 0;
}

/* DM_UEVENT_GENERATED_FLAG in the reply @dmi must be @want */
static int expect_generated(const char *what, struct dm_ioctl *dmi, int want)
{
	int got = !!(dmi->flags & DM_UEVENT_GENERATED_FLAG);

	free(dmi);
	if (got != want)
		return fail("%s: DM_UEVENT_GENERATED_FLAG %s", what,
			    got ? "set without a uevent" : "missing");
	return 0;
}

/*
 * With the uevent socket open, @name made with a live linear table of @len
 * sectors and the uevents of that read: its disk name, or NULL.
 */
static const char *watched_live(const char *name, unsigned long long len)
{
	uev_open();
	if (make_live_len(name, NULL, len))
		return NULL;
	uev_collect();
	return disk_name(name);
}

/*
 * @cmd (@what) on @name with data_start at each of the @n @starts, inside
 * the header fields: EINVAL every time.
 */
static int starts_are_einval(unsigned long cmd, const char *what, const char *name,
			     const unsigned int *starts, size_t n)
{
	struct dm_ioctl *dmi;
	size_t i;

	for (i = 0; i < n; i++) {
		dmi = request(BIG, name);
		dmi->data_start = starts[i];
		if (expect_errno(what, issue(cmd, dmi), EINVAL))
			return fail("data_start %u accepted", starts[i]);
		free(dmi);
	}
	return 0;
}

/*
 * A command that returned @r succeeded, and its reply *@dmi (freed here)
 * says @gen in DM_UEVENT_GENERATED_FLAG.
 */
static int expect_done(const char *what, int r, struct dm_ioctl **dmi, int gen)
{
	return expect_errno(what, r, 0) || expect_generated(what, *dmi, gen);
}

/* ---- DEV_RENAME ---- */

static int rename_moves_name_and_keeps_device(void)
{
	unsigned long long dev;
	struct dm_ioctl *dmi;
	char buf[256];
	const char *dm;

	if (make_live("dma-old", "dma-uuid"))
		return 1;
	dev = dev_of("dma-old");
	dm = disk_name("dma-old");
	if (expect_errno("DEV_RENAME", rename_c("dma-old", "dma-new", 0, 0, &dmi), 0))
		return 1;
	/* the reply is the device's status; the event is the rename's */
	if (dmi->dev != dev || dmi->event_nr != 1 || dmi->target_count != 1 ||
	    !(dmi->flags & DM_ACTIVE_PRESENT_FLAG))
		return fail("reply: dev 0x%llx event_nr %u targets %u flags 0x%x",
			    (unsigned long long)dmi->dev, dmi->event_nr,
			    dmi->target_count, dmi->flags);
	free(dmi);
	if (expect_errno("DEV_STATUS of the old name", dev_status("dma-old", NULL), ENXIO))
		return 1;
	if (dev_of("dma-new") != dev)
		return fail("dma-new is not the renamed device");
	if (read_sysfs(dm, "dm/name", buf, sizeof(buf)) || strcmp(buf, "dma-new"))
		return fail("%s/dm/name is '%s'", dm, buf);
	if (read_sysfs(dm, "dm/uuid", buf, sizeof(buf)) || strcmp(buf, "dma-uuid"))
		return fail("%s/dm/uuid is '%s'", dm, buf);
	dmi = request(sizeof(*dmi), NULL);
	snprintf(dmi->uuid, sizeof(dmi->uuid), "dma-uuid");
	if (expect_errno("DEV_STATUS by uuid", issue(DM_DEV_STATUS, dmi), 0))
		return 1;
	if (dmi->dev != dev)
		return fail("the uuid no longer finds the device");
	free(dmi);
	return expect_errno("DEV_REMOVE", dev_remove("dma-new"), 0);
}

static int rename_payload_not_terminated_is_einval(void)
{
	struct dm_ioctl *dmi;

	if (make_live("dma-r", NULL))
		return 1;
	dmi = string_request("dma-r", "dma-x");
	/* the name runs to the end of data_size without a NUL */
	dmi->data_size = HDR + strlen("dma-x");
	if (expect_errno("DEV_RENAME", issue(DM_DEV_RENAME, dmi), EINVAL))
		return 1;
	free(dmi);
	if (!exists("dma-r") || exists("dma-x"))
		return fail("the refused rename renamed the device");
	return 0;
}

static int rename_payload_inside_header_is_einval(void)
{
	static const unsigned int starts[] = { 0, 8, 16, 296, 304 };

	if (make_live("dma-r", NULL) ||
	    starts_are_einval(DM_DEV_RENAME, "DEV_RENAME", "dma-r", starts,
			      ARRAY_SIZE(starts)))
		return 1;
	if (!exists("dma-r"))
		return fail("a refused rename renamed the device");
	return 0;
}

static int rename_payload_unaligned_after_header_is_accepted(void)
{
	struct dm_ioctl *dmi;

	if (make_live("dma-r", NULL))
		return 1;
	/* data_start only has to be at or after the data[] field */
	dmi = request(BIG, "dma-r");
	dmi->data_start = MIN_SIZE;
	memcpy((char *)dmi + MIN_SIZE, "dma-s", 6);
	dmi->data_size = MIN_SIZE + 6;
	if (expect_errno("DEV_RENAME at offset 305", issue(DM_DEV_RENAME, dmi), 0))
		return 1;
	free(dmi);
	dmi = request(BIG, "dma-s");
	dmi->data_start = HDR + 3;
	memcpy((char *)dmi + HDR + 3, "dma-t", 6);
	dmi->data_size = HDR + 3 + 6;
	if (expect_errno("DEV_RENAME at offset 315", issue(DM_DEV_RENAME, dmi), 0))
		return 1;
	free(dmi);
	if (!exists("dma-t"))
		return fail("dma-t missing");
	return 0;
}

static int rename_payload_beyond_data_size_is_einval(void)
{
	struct dm_ioctl *dmi;

	if (make_live("dma-r", NULL))
		return 1;
	/* the name is in the buffer, but past data_size: not copied in */
	dmi = string_request("dma-r", "dma-x");
	dmi->data_size = HDR;
	if (expect_errno("DEV_RENAME, data_start == data_size",
			 issue(DM_DEV_RENAME, dmi), EINVAL))
		return 1;
	free(dmi);
	dmi = request(BIG, "dma-r");
	memcpy((char *)dmi + 1024, "dma-x", 6);
	dmi->data_size = 1024;
	dmi->data_start = 1024 + 8;
	if (expect_errno("DEV_RENAME, data_start > data_size",
			 issue(DM_DEV_RENAME, dmi), EINVAL))
		return 1;
	dmi->data_start = 0xfffffff8U;
	if (expect_errno("DEV_RENAME, data_start 0xfffffff8",
			 issue(DM_DEV_RENAME, dmi), EINVAL))
		return 1;
	free(dmi);
	if (!exists("dma-r"))
		return fail("a refused rename renamed the device");
	return 0;
}

static int rename_length_limits(void)
{
	char s[DM_NAME_LEN + 1], u[DM_UUID_LEN + 1];

	if (make_live("dma-r", NULL))
		return 1;
	memset(s, 'n', sizeof(s));
	s[DM_NAME_LEN] = '\0';		/* 128 characters */
	if (expect_errno("DEV_RENAME to 128 characters", do_rename("dma-r", s), EINVAL))
		return 1;
	s[DM_NAME_LEN - 1] = '\0';	/* 127 */
	if (expect_errno("DEV_RENAME to 127 characters", do_rename("dma-r", s), 0))
		return 1;
	if (!exists(s))
		return fail("the 127-character name does not find the device");
	memset(u, 'u', sizeof(u));
	u[DM_UUID_LEN] = '\0';		/* 129 */
	if (expect_errno("set uuid of 129 characters", set_uuid(s, u), EINVAL))
		return 1;
	u[DM_UUID_LEN - 1] = '\0';	/* 128 */
	if (expect_errno("set uuid of 128 characters", set_uuid(s, u), 0))
		return 1;
	return expect_errno("DEV_REMOVE", dev_remove(s), 0);
}

static int rename_empty_name_or_uuid_is_einval(void)
{
	if (make_live("dma-r", NULL))
		return 1;
	if (expect_errno("DEV_RENAME to \"\"", do_rename("dma-r", ""), EINVAL) ||
	    expect_errno("set uuid \"\"", set_uuid("dma-r", ""), EINVAL))
		return 1;
	if (!exists("dma-r"))
		return fail("the device lost its name");
	return 0;
}

static int rename_to_reserved_names_is_einval(void)
{
	static const char *const bad[] = { "control", ".", "..", "a/b", "/", "dma/" };
	unsigned int i;

	if (make_live("dma-r", NULL))
		return 1;
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		if (expect_errno(bad[i], do_rename("dma-r", bad[i]), EINVAL))
			return 1;
	if (!exists("dma-r"))
		return fail("the device lost its name");
	/* names that only look special are fine */
	if (expect_errno("DEV_RENAME to .dma", do_rename("dma-r", ".dma"), 0) ||
	    expect_errno("DEV_RENAME to controller", do_rename(".dma", "controller"), 0) ||
	    expect_errno("DEV_RENAME to ...", do_rename("controller", "..."), 0))
		return 1;
	return expect_errno("DEV_REMOVE", dev_remove("..."), 0);
}

static int rename_setuuid_skips_name_checks(void)
{
	struct dm_ioctl *dmi;

	if (make_live("dma-r", NULL))
		return 1;
	/* the name rules (no '/', not "control") do not apply to uuids */
	if (expect_errno("set uuid a/b", set_uuid("dma-r", "a/b"), 0))
		return 1;
	dmi = request(sizeof(*dmi), NULL);
	snprintf(dmi->uuid, sizeof(dmi->uuid), "a/b");
	if (expect_errno("DEV_STATUS by uuid a/b", issue(DM_DEV_STATUS, dmi), 0))
		return 1;
	free(dmi);
	if (expect_errno("DEV_CREATE", create("dma-s", NULL), 0) ||
	    expect_errno("set uuid control", set_uuid("dma-s", "control"), 0))
		return 1;
	return 0;
}

static int rename_onto_existing_name_is_ebusy(void)
{
	if (make_live("dma-a", NULL) || make_live("dma-b", NULL))
		return 1;
	if (expect_errno("DEV_RENAME onto dma-b", do_rename("dma-a", "dma-b"), EBUSY) ||
	    expect_errno("DEV_RENAME onto itself", do_rename("dma-a", "dma-a"), EBUSY))
		return 1;
	if (!exists("dma-a") || !exists("dma-b"))
		return fail("a refused rename changed a device");
	return 0;
}

static int rename_missing_device_is_enxio_unless_new_name_taken(void)
{
	if (expect_errno("DEV_RENAME of a missing device",
			 do_rename("dma-missing", "dma-x"), ENXIO))
		return 1;
	if (make_live("dma-b", NULL))
		return 1;
	/* the new name is checked first */
	return expect_errno("DEV_RENAME of a missing device onto dma-b",
			    do_rename("dma-missing", "dma-b"), EBUSY);
}

static int rename_addresses_device_by_name_only(void)
{
	struct dm_ioctl *dmi;

	if (make_live("dma-r", "dma-r-uuid"))
		return 1;
	dmi = string_request(NULL, "dma-x");
	snprintf(dmi->uuid, sizeof(dmi->uuid), "dma-r-uuid");
	if (expect_errno("DEV_RENAME by uuid", issue(DM_DEV_RENAME, dmi), ENXIO))
		return 1;
	free(dmi);
	dmi = string_request(NULL, "dma-x");
	dmi->dev = dev_of("dma-r");
	if (expect_errno("DEV_RENAME by dev", issue(DM_DEV_RENAME, dmi), ENXIO))
		return 1;
	free(dmi);
	dmi = string_request("dma-r", "dma-x");
	snprintf(dmi->uuid, sizeof(dmi->uuid), "dma-r-uuid");
	if (expect_errno("DEV_RENAME by name and uuid", issue(DM_DEV_RENAME, dmi), EINVAL))
		return 1;
	free(dmi);
	if (!exists("dma-r"))
		return fail("a refused rename renamed the device");
	return 0;
}

static int rename_setuuid_only_when_unset(void)
{
	struct dm_ioctl *dmi;
	char buf[256];

	if (make_live("dma-a", NULL) || make_live("dma-b", "dma-b-uuid"))
		return 1;
	if (expect_errno("set uuid of dma-a", set_uuid("dma-a", "dma-a-uuid"), 0))
		return 1;
	if (read_sysfs(disk_name("dma-a"), "dm/uuid", buf, sizeof(buf)) ||
	    strcmp(buf, "dma-a-uuid"))
		return fail("dm/uuid is '%s'", buf);
	dmi = request(sizeof(*dmi), NULL);
	snprintf(dmi->uuid, sizeof(dmi->uuid), "dma-a-uuid");
	if (expect_errno("DEV_STATUS by the new uuid", issue(DM_DEV_STATUS, dmi), 0))
		return 1;
	if (dmi->dev != dev_of("dma-a"))
		return fail("the new uuid finds another device");
	free(dmi);
	if (expect_errno("set uuid again", set_uuid("dma-a", "dma-a-uuid2"), EINVAL) ||
	    expect_errno("set uuid to the same", set_uuid("dma-a", "dma-a-uuid"), EBUSY) ||
	    expect_errno("set uuid to dma-b's", set_uuid("dma-a", "dma-b-uuid"), EBUSY))
		return 1;
	/* the new uuid is checked before the device */
	if (expect_errno("set uuid of a missing device to dma-b's",
			 set_uuid("dma-missing", "dma-b-uuid"), EBUSY) ||
	    expect_errno("set uuid of a missing device",
			 set_uuid("dma-missing", "dma-x-uuid"), ENXIO))
		return 1;
	return 0;
}

static int rename_event_only_with_live_table(void)
{
	struct dm_ioctl *dmi;

	if (expect_errno("DEV_CREATE", create("dma-n", NULL), 0))
		return 1;
	if (expect_errno("DEV_RENAME", rename_c("dma-n", "dma-m", 0, 0, &dmi), 0))
		return 1;
	if (dmi->event_nr != 0)
		return fail("rename without a table: event_nr %u", dmi->event_nr);
	free(dmi);
	/* an inactive table does not count */
	if (expect_errno("TABLE_LOAD", load_linear("dma-m", 1024, 0, 0), 0) ||
	    expect_errno("DEV_RENAME", rename_c("dma-m", "dma-n", 0, 0, &dmi), 0))
		return 1;
	if (dmi->event_nr != 0)
		return fail("rename with an inactive table: event_nr %u", dmi->event_nr);
	free(dmi);
	if (expect_errno("resume", resume("dma-n"), 0) ||
	    expect_errno("DEV_RENAME", rename_c("dma-n", "dma-m", 0, 0, &dmi), 0))
		return 1;
	if (dmi->event_nr != 1)
		return fail("rename with a live table: event_nr %u", dmi->event_nr);
	free(dmi);
	if (expect_errno("set uuid", rename_c("dma-m", "dma-u", DM_UUID_FLAG, 0, &dmi), 0))
		return 1;
	if (dmi->event_nr != 2)
		return fail("set uuid with a live table: event_nr %u", dmi->event_nr);
	free(dmi);
	return 0;
}

/* ---- uevents and DM_UEVENT_GENERATED_FLAG ---- */

static int uevent_first_load_adds_disk_without_cookie(void)
{
	struct dm_ioctl *dmi;

	uev_open();
	if (expect_errno("DEV_CREATE", create("dma-u", NULL), 0) ||
	    expect_uevents("DEV_CREATE", ""))
		return 1;
	if (expect_errno("TABLE_LOAD", load_linear("dma-u", 1024, 0, 0), 0) ||
	    expect_uevents("the first TABLE_LOAD", "add %s", disk_name("dma-u")))
		return 1;
	if (expect_errno("TABLE_LOAD", load_linear("dma-u", 2048, 0, 0), 0) ||
	    expect_uevents("the second TABLE_LOAD", ""))
		return 1;
	if (expect_errno("TABLE_CLEAR", simple(DM_TABLE_CLEAR, "dma-u", 0, NULL), 0) ||
	    expect_uevents("TABLE_CLEAR", ""))
		return 1;
	if (expect_done("DEV_STATUS", dev_status("dma-u", &dmi), &dmi, 0))
		return 1;
	if (expect_errno("DEV_REMOVE", simple_c(DM_DEV_REMOVE, "dma-u", 0, 7, &dmi), 0))
		return 1;
	return expect_generated("DEV_REMOVE", dmi, 1);
}

static int uevent_resume_sends_change_only_when_resuming(void)
{
	const unsigned int c1 = 0x0d4d0001, c2 = 0x00430000, c3 = 0xffffffff;
	struct dm_ioctl *dmi;
	const char *dm;

	uev_open();
	if (expect_errno("DEV_CREATE", create("dma-u", NULL), 0) ||
	    expect_errno("TABLE_LOAD", load_linear("dma-u", 1024, 0, 0), 0))
		return 1;
	dm = disk_name("dma-u");
	uev_collect();
	if (expect_done("first resume", simple_c(DM_DEV_SUSPEND, "dma-u", 0, c1, &dmi), &dmi, 1) ||
	    expect_uevents("the first resume", "change %s cookie=%u", dm, c1))
		return 1;
	if (expect_done("resume of a live device",
			simple_c(DM_DEV_SUSPEND, "dma-u", 0, c2, &dmi), &dmi, 0) ||
	    expect_uevents("a resume of a live device", ""))
		return 1;
	if (expect_done("suspend",
			simple_c(DM_DEV_SUSPEND, "dma-u", DM_SUSPEND_FLAG, c2, &dmi), &dmi, 0) ||
	    expect_uevents("suspend", ""))
		return 1;
	if (expect_done("resume", simple_c(DM_DEV_SUSPEND, "dma-u", 0, c3, &dmi), &dmi, 1) ||
	    expect_uevents("resume", "change %s cookie=%u", dm, c3))
		return 1;
	/* cookie 0: the uevent carries no DM_COOKIE */
	if (expect_errno("suspend", suspend("dma-u"), 0) ||
	    expect_done("resume without cookie",
			simple_c(DM_DEV_SUSPEND, "dma-u", 0, 0, &dmi), &dmi, 1) ||
	    expect_uevents("resume without cookie", "change %s", dm))
		return 1;
	/* a new table of the same size: no RESIZE */
	if (expect_errno("TABLE_LOAD", load_linear("dma-u", 1024, 8, 0), 0) ||
	    expect_done("resume with a new table",
			simple_c(DM_DEV_SUSPEND, "dma-u", 0, c2, &dmi), &dmi, 1) ||
	    expect_uevents("resume with a new table", "change %s cookie=%u", dm, c2))
		return 1;
	return 0;
}

static int uevent_resume_with_resized_table_adds_resize(void)
{
	struct dm_ioctl *dmi;
	const char *dm;

	dm = watched_live("dma-u", 1024);
	if (!dm)
		return 1;
	if (expect_errno("TABLE_LOAD", load_linear("dma-u", 2048, 0, 0), 0) ||
	    expect_done("resume", simple_c(DM_DEV_SUSPEND, "dma-u", 0, 42, &dmi), &dmi, 1) ||
	    expect_uevents("resume of a grown table", "change %s cookie=42 resize", dm))
		return 1;
	if (expect_errno("TABLE_LOAD", load_linear("dma-u", 512, 0, 0), 0) ||
	    expect_done("resume", simple_c(DM_DEV_SUSPEND, "dma-u", 0, 0, &dmi), &dmi, 1) ||
	    expect_uevents("resume of a shrunk table", "change %s resize", dm))
		return 1;
	return 0;
}

static int uevent_rename_sends_change_with_cookie(void)
{
	struct dm_ioctl *dmi;
	const char *dm;

	dm = watched_live("dma-u", 1024);
	if (!dm)
		return 1;
	if (expect_done("DEV_RENAME", rename_c("dma-u", "dma-v", 0, 0x1234, &dmi), &dmi, 1) ||
	    expect_uevents("DEV_RENAME", "change %s cookie=%u", dm, 0x1234))
		return 1;
	if (expect_done("set uuid",
			rename_c("dma-v", "dma-v-uuid", DM_UUID_FLAG, 0, &dmi), &dmi, 1) ||
	    expect_uevents("set uuid", "change %s", dm))
		return 1;
	return 0;
}

static int uevent_remove_sends_remove_with_cookie_then_disk_removal(void)
{
	struct dm_ioctl *dmi;
	const char *dm;

	dm = watched_live("dma-u", 1024);
	if (!dm)
		return 1;
	if (expect_done("DEV_REMOVE", simple_c(DM_DEV_REMOVE, "dma-u", 0, 99, &dmi), &dmi, 1))
		return 1;
	return expect_uevents("DEV_REMOVE", "remove %s cookie=99; remove %s", dm, dm);
}

static int uevent_failed_commands_send_nothing_and_copy_nothing(void)
{
	struct dm_ioctl *dmi;
	int fd;

	uev_open();
	if (make_live("dma-u", NULL) || make_live("dma-w", NULL))
		return 1;
	uev_collect();
	fd = open_dev("dma-u", O_RDONLY);
	/* a failing command leaves the caller's buffer as it was */
	dmi = request(sizeof(*dmi), "dma-u");
	dmi->event_nr = 5;
	dmi->flags = DM_UEVENT_GENERATED_FLAG;
	dmi->open_count = -7;
	if (expect_errno("DEV_REMOVE of an open device", issue(DM_DEV_REMOVE, dmi), EBUSY))
		return 1;
	if (dmi->flags != DM_UEVENT_GENERATED_FLAG || dmi->open_count != -7 ||
	    dmi->event_nr != 5 || dmi->dev)
		return fail("the failed DEV_REMOVE wrote its reply: flags 0x%x open %d",
			    dmi->flags, dmi->open_count);
	free(dmi);
	if (expect_errno("DEV_RENAME onto dma-w", rename_c("dma-u", "dma-w", 0, 5, NULL), EBUSY) ||
	    expect_errno("resume of a missing device",
			 simple_c(DM_DEV_SUSPEND, "dma-x", 0, 5, NULL), ENXIO) ||
	    expect_uevents("failed commands", ""))
		return 1;
	close(fd);
	return 0;
}

static int uevent_device_without_disk_sends_none_and_says_so(void)
{
	struct dm_ioctl *dmi;

	uev_open();
	if (expect_errno("DEV_CREATE", create("dma-n", NULL), 0))
		return 1;
	/*
	 * No table was ever loaded, so no gendisk was added: sending the
	 * uevent fails, and the reply says none was generated.
	 */
	if (expect_done("DEV_RENAME without a disk",
			rename_c("dma-n", "dma-m", 0, 5, &dmi), &dmi, 0) ||
	    expect_uevents("DEV_RENAME without a disk", ""))
		return 1;
	if (expect_done("DEV_REMOVE without a disk",
			simple_c(DM_DEV_REMOVE, "dma-m", 0, 5, &dmi), &dmi, 0) ||
	    expect_uevents("DEV_REMOVE without a disk", ""))
		return 1;
	return 0;
}

static int uevent_readonly_table_switches_disk_ro(void)
{
	const char *dm;

	uev_open();
	if (expect_errno("DEV_CREATE", create("dma-u", NULL), 0) ||
	    expect_errno("TABLE_LOAD read-only",
			 load_linear("dma-u", 1024, 0, DM_READONLY_FLAG), 0))
		return 1;
	dm = disk_name("dma-u");
	uev_collect();
	if (expect_errno("resume", simple_c(DM_DEV_SUSPEND, "dma-u", 0, 3, NULL), 0) ||
	    expect_uevents("resume of a read-only table", "change %s ro=1; change %s cookie=3",
			   dm, dm))
		return 1;
	if (!(status_flags("dma-u") & DM_READONLY_FLAG))
		return fail("DEV_STATUS: no DM_READONLY_FLAG");
	if (expect_errno("TABLE_LOAD read-only",
			 load_linear("dma-u", 1024, 0, DM_READONLY_FLAG), 0) ||
	    expect_errno("resume", simple_c(DM_DEV_SUSPEND, "dma-u", 0, 4, NULL), 0) ||
	    expect_uevents("resume of another read-only table", "change %s cookie=4", dm))
		return 1;
	if (expect_errno("TABLE_LOAD", load_linear("dma-u", 1024, 0, 0), 0) ||
	    expect_errno("resume", simple_c(DM_DEV_SUSPEND, "dma-u", 0, 5, NULL), 0) ||
	    expect_uevents("resume of a writable table", "change %s ro=0; change %s cookie=5",
			   dm, dm))
		return 1;
	if (status_flags("dma-u") & DM_READONLY_FLAG)
		return fail("DEV_STATUS: DM_READONLY_FLAG on a writable table");
	return 0;
}

/* ---- DEV_WAIT ---- */

static int dev_wait_returns_at_once_for_another_event_nr(void)
{
	struct dm_ioctl *dmi;
	struct dm_target_spec *sp;
	long long t;

	if (make_live("dma-w", NULL))
		return 1;
	dmi = request(BIG, "dma-w");
	dmi->event_nr = 5;
	t = now_ms();
	if (expect_errno("DEV_WAIT", issue(DM_DEV_WAIT, dmi), 0))
		return 1;
	if (now_ms() - t > 2000)
		return fail("DEV_WAIT for another event number waited");
	/* the reply is the device's status and its table's status */
	sp = (void *)((char *)dmi + dmi->data_start);
	if (dmi->event_nr != 0 || dmi->target_count != 1 ||
	    !(dmi->flags & DM_ACTIVE_PRESENT_FLAG) || dmi->data_start != HDR ||
	    sp->length != 1024 || strcmp(sp->target_type, "linear") ||
	    strcmp((char *)(sp + 1), ""))
		return fail("reply: event_nr %u targets %u flags 0x%x data_start %u '%s' '%s'",
			    dmi->event_nr, dmi->target_count, dmi->flags,
			    dmi->data_start, sp->target_type, (char *)(sp + 1));
	free(dmi);
	dmi = request(BIG, "dma-w");
	dmi->event_nr = 1;
	dmi->flags = DM_STATUS_TABLE_FLAG;
	if (expect_errno("DEV_WAIT with DM_STATUS_TABLE_FLAG", issue(DM_DEV_WAIT, dmi), 0))
		return 1;
	sp = (void *)((char *)dmi + dmi->data_start);
	if (strncmp((char *)(sp + 1), backing_dev, strlen(backing_dev)) ||
	    strcmp((char *)(sp + 1) + strlen(backing_dev), " 0"))
		return fail("table in the reply: '%s'", (char *)(sp + 1));
	free(dmi);
	return 0;
}

/* Fork a DEV_WAIT on @name for @event_nr; the child exits with its errno. */
static pid_t spawn_wait(const char *name, unsigned int event_nr, unsigned int want_event)
{
	pid_t pid = fork();

	if (pid < 0) {
		perror("fork");
		exit(2);
	}
	if (!pid) {
		struct dm_ioctl *dmi = request(BIG, name);
		int r;

		dmi->event_nr = event_nr;
		r = issue(DM_DEV_WAIT, dmi);
		if (!r && dmi->event_nr != want_event) {
			fprintf(stderr, "DEV_WAIT returned event_nr %u, not %u\n",
				dmi->event_nr, want_event);
			_exit(100);
		}
		_exit(r);
	}
	return pid;
}

/* The child @pid must still be running after @ms. */
static int expect_running(pid_t pid, long ms, const char *what)
{
	int st;

	sleep_ms(ms);
	if (waitpid(pid, &st, WNOHANG) == pid)
		return fail("%s returned (status 0x%x) instead of waiting", what, st);
	return 0;
}

/* The child @pid must exit with @want within 5 s. */
static int expect_exit(pid_t pid, int want, const char *what)
{
	long long end = now_ms() + 5000;
	int st;

	while (waitpid(pid, &st, WNOHANG) != pid) {
		if (now_ms() > end) {
			kill(pid, SIGKILL);
			waitpid(pid, &st, 0);
			return fail("%s still waits after 5 s", what);
		}
		sleep_ms(20);
	}
	if (!WIFEXITED(st))
		return fail("%s: killed by signal %d", what, WTERMSIG(st));
	if (WEXITSTATUS(st) == 100)
		return fail("%s: wrong event number in the reply", what);
	return expect_errno(what, WEXITSTATUS(st), want);
}

/*
 * A live dma-w and a child blocked in a DEV_WAIT on it for the current
 * event number 0 (to come back with event 1): the child, or -1.
 */
static pid_t live_and_waited_for(void)
{
	pid_t pid;

	if (make_live("dma-w", NULL))
		return -1;
	pid = spawn_wait("dma-w", 0, 1);
	if (expect_running(pid, 500, "DEV_WAIT for the current event number"))
		return -1;
	return pid;
}

static int dev_wait_blocks_until_an_event(void)
{
	pid_t pid = live_and_waited_for();

	if (pid < 0)
		return 1;
	/*
	 * Neither a status, a suspend, a resume, a table load, a clear nor a
	 * table swap is an event.  (A clear is followed by a swap before the
	 * rename: upstream's IMA code, on Debian's kernel, frees the live
	 * table's measurement data on a rename while a clear left the
	 * inactive slot pointing at it, and then frees it again.)
	 */
	if (expect_errno("suspend", suspend("dma-w"), 0) ||
	    expect_errno("resume", resume("dma-w"), 0) ||
	    expect_errno("TABLE_LOAD", load_linear("dma-w", 1024, 0, 0), 0) ||
	    expect_errno("TABLE_CLEAR", simple(DM_TABLE_CLEAR, "dma-w", 0, NULL), 0) ||
	    expect_errno("DEV_STATUS", dev_status("dma-w", NULL), 0) ||
	    expect_errno("TABLE_LOAD", load_linear("dma-w", 1024, 8, 0), 0) ||
	    expect_errno("resume with a new table", resume("dma-w"), 0) ||
	    expect_running(pid, 300, "DEV_WAIT"))
		return 1;
	if (expect_errno("DEV_RENAME", do_rename("dma-w", "dma-w2"), 0))
		return 1;
	return expect_exit(pid, 0, "DEV_WAIT woken by a rename");
}

static int dev_wait_woken_by_remove_which_succeeds(void)
{
	pid_t pid = live_and_waited_for();

	if (pid < 0)
		return 1;
	/* the waiter does not keep the device from being removed */
	if (expect_errno("DEV_REMOVE with a waiter", dev_remove("dma-w"), 0))
		return 1;
	if (expect_exit(pid, 0, "DEV_WAIT woken by the removal"))
		return 1;
	return exists("dma-w") ? fail("the device survived its removal") : 0;
}

static void on_signal(int sig)
{
	(void)sig;
}

static int dev_wait_interrupted_by_signal_is_eintr(void)
{
	struct sigaction sa = { .sa_handler = on_signal };	/* no SA_RESTART */
	pid_t pid;

	if (make_live("dma-w", NULL))
		return 1;
	pid = fork();
	if (pid < 0)
		return fail("fork");
	if (!pid) {
		struct dm_ioctl *dmi = request(BIG, "dma-w");

		sigaction(SIGUSR1, &sa, NULL);
		_exit(issue(DM_DEV_WAIT, dmi));
	}
	if (expect_running(pid, 500, "DEV_WAIT"))
		return 1;
	kill(pid, SIGUSR1);
	return expect_exit(pid, EINTR, "DEV_WAIT interrupted by a signal");
}

static int dev_wait_unknown_device_is_enxio(void)
{
	struct dm_ioctl *dmi = request(BIG, "dma-missing");

	return expect_errno("DEV_WAIT", issue(DM_DEV_WAIT, dmi), ENXIO);
}

/* ---- TARGET_MSG ---- */

static int target_msg_cancel_deferred_remove_without_one_pending_is_success(void)
{
	struct dm_ioctl *dmi;

	if (make_live("dma-m", NULL))
		return 1;
	if (expect_errno("@cancel_deferred_remove",
			 message("dma-m", 0, "@cancel_deferred_remove", &dmi), 0))
		return 1;
	if (dmi->flags & (DM_DATA_OUT_FLAG | DM_BUFFER_FULL_FLAG | DM_DEFERRED_REMOVE) ||
	    !(dmi->flags & DM_ACTIVE_PRESENT_FLAG) || dmi->dev != dev_of("dma-m"))
		return fail("reply flags 0x%x", dmi->flags);
	free(dmi);
	/* the sector is not looked at, the keyword is case-insensitive */
	if (expect_errno("@cancel_deferred_remove beyond the end",
			 message("dma-m", 1 << 20, "@cancel_deferred_remove", NULL), 0) ||
	    expect_errno("@CANCEL_Deferred_Remove",
			 message("dma-m", 0, "@CANCEL_Deferred_Remove", NULL), 0) ||
	    expect_errno("@cancel_deferred_remove with an argument",
			 message("dma-m", 0, "@cancel_deferred_remove now", NULL), EINVAL))
		return 1;
	/* a device without a table */
	if (expect_errno("DEV_CREATE", create("dma-n", NULL), 0) ||
	    expect_errno("@cancel_deferred_remove without a table",
			 message("dma-n", 0, "@cancel_deferred_remove", NULL), 0))
		return 1;
	return 0;
}

static int target_msg_refusals_are_einval(void)
{
	if (make_live("dma-m", NULL) ||
	    expect_errno("DEV_CREATE", create("dma-n", NULL), 0))
		return 1;
	if (expect_errno("linear takes no messages", message("dma-m", 0, "hello", NULL), EINVAL) ||
	    expect_errno("last sector", message("dma-m", 1023, "hello", NULL), EINVAL) ||
	    expect_errno("sector beyond the device",
			 message("dma-m", 1024, "hello", NULL), EINVAL) ||
	    expect_errno("no table", message("dma-n", 0, "hello", NULL), EINVAL) ||
	    expect_errno("unknown core message", message("dma-m", 0, "@nosuch", NULL), EINVAL) ||
	    expect_errno("empty message", message("dma-m", 0, "", NULL), EINVAL) ||
	    expect_errno("blank message", message("dma-m", 0, "  ", NULL), EINVAL))
		return 1;
	return 0;
}

static int target_msg_unknown_device_is_enxio(void)
{
	struct dm_ioctl *dmi;

	if (expect_errno("TARGET_MSG", message("dma-missing", 0, "@cancel_deferred_remove", NULL),
			 ENXIO))
		return 1;
	/* the device is looked up before the payload is checked */
	dmi = request(BIG, "dma-missing");
	dmi->data_start = 0;
	return expect_errno("TARGET_MSG with a bad payload", issue(DM_TARGET_MSG, dmi), ENXIO);
}

static int target_msg_bad_payload_is_einval(void)
{
	static const unsigned int starts[] = { 0, 8, 296, 304 };
	struct dm_ioctl *dmi;
	struct dm_target_msg *tm;

	if (make_live("dma-m", NULL) ||
	    starts_are_einval(DM_TARGET_MSG, "TARGET_MSG inside the header", "dma-m",
			      starts, ARRAY_SIZE(starts)))
		return 1;
	dmi = request(BIG, "dma-m");
	tm = (void *)((char *)dmi + HDR);
	memcpy((char *)tm + sizeof(*tm), "@cancel_deferred_remove", 23);
	dmi->data_size = HDR + sizeof(*tm) + 23;	/* no NUL */
	if (expect_errno("TARGET_MSG not terminated", issue(DM_TARGET_MSG, dmi), EINVAL))
		return 1;
	dmi->data_size = HDR + 4;	/* not even the sector */
	if (expect_errno("TARGET_MSG cut short", issue(DM_TARGET_MSG, dmi), EINVAL))
		return 1;
	free(dmi);
	/* an unaligned message right after the header fields is fine */
	dmi = request(BIG, "dma-m");
	dmi->data_start = MIN_SIZE;
	memcpy((char *)dmi + MIN_SIZE + 8, "@cancel_deferred_remove", 24);
	dmi->data_size = MIN_SIZE + 8 + 24;
	if (expect_errno("TARGET_MSG at offset 305", issue(DM_TARGET_MSG, dmi), 0))
		return 1;
	free(dmi);
	return 0;
}

/* ---- DEV_SET_GEOMETRY ---- */

static int geometry_set_is_read_back_by_hdio_getgeo(void)
{
	if (make_live_len("dma-g", NULL, 8192))
		return 1;
	if (expect_geometry("dma-g", "0 0 0 0"))
		return 1;
	if (expect_errno("setgeometry", set_geometry("dma-g", "100 16 63 1000"), 0) ||
	    expect_geometry("dma-g", "100 16 63 1000"))
		return 1;
	/* the limits themselves, a start at the end, leading blanks */
	if (expect_errno("setgeometry", set_geometry("dma-g", "65535 255 255 16581375"), 0) ||
	    expect_geometry("dma-g", "65535 255 255 16581375"))
		return 1;
	if (expect_errno("setgeometry", set_geometry("dma-g", "1 1 1 1"), 0) ||
	    expect_geometry("dma-g", "1 1 1 1"))
		return 1;
	if (expect_errno("setgeometry", set_geometry("dma-g", "  7\t8  9 10"), 0) ||
	    expect_geometry("dma-g", "7 8 9 10"))
		return 1;
	if (expect_errno("setgeometry", set_geometry("dma-g", "0 0 0 0"), 0) ||
	    expect_geometry("dma-g", "0 0 0 0"))
		return 1;
	return 0;
}

static int geometry_bad_values_are_einval(void)
{
	static const char *const bad[] = {
		"65536 1 1 0", "1 256 1 0", "1 1 256 0",	/* range */
		"1 1 1 2", "0 0 0 1", "10 10 10 1001",	/* start beyond c*h*s */
		"abc 1 1 0", "1 1 1", "1 1 1 0 5", "1 1 1 0 ",	/* format */
		"1 1 1 0x", "-1 1 1 0", "", "1,1,1,0",
	};
	unsigned int i;

	if (make_live_len("dma-g", NULL, 8192))
		return 1;
	if (expect_errno("setgeometry", set_geometry("dma-g", "100 16 63 0"), 0))
		return 1;
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		if (expect_errno(bad[i], set_geometry("dma-g", bad[i]), EINVAL))
			return 1;
	/* a refused geometry leaves the old one */
	return expect_geometry("dma-g", "100 16 63 0");
}

static int geometry_bad_payload_is_einval(void)
{
	struct dm_ioctl *dmi;

	if (make_live("dma-g", NULL))
		return 1;
	dmi = string_request("dma-g", "1 1 1 0");
	dmi->data_size = HDR + 7;	/* no NUL */
	if (expect_errno("geometry not terminated", issue(DM_DEV_SET_GEOMETRY, dmi), EINVAL))
		return 1;
	dmi->data_size = HDR + 8;
	dmi->data_start = 304;
	if (expect_errno("geometry inside the header", issue(DM_DEV_SET_GEOMETRY, dmi), EINVAL))
		return 1;
	dmi->data_start = HDR + 8;
	if (expect_errno("geometry beyond data_size", issue(DM_DEV_SET_GEOMETRY, dmi), EINVAL))
		return 1;
	free(dmi);
	return expect_geometry("dma-g", "0 0 0 0");
}

static int geometry_unknown_device_is_enxio(void)
{
	struct dm_ioctl *dmi;

	if (expect_errno("setgeometry", set_geometry("dma-missing", "1 1 1 0"), ENXIO))
		return 1;
	/* the device is looked up before the payload is checked */
	dmi = string_request("dma-missing", "1 1 1 0");
	dmi->data_start = 0;
	return expect_errno("setgeometry with a bad payload",
			    issue(DM_DEV_SET_GEOMETRY, dmi), ENXIO);
}

static int geometry_success_copies_nothing_back(void)
{
	struct dm_ioctl *dmi, *copy = malloc(BIG);

	if (!copy || make_live("dma-g", NULL))
		return 1;
	dmi = string_request("dma-g", "1 2 3 4");
	dmi->flags = DM_BUFFER_FULL_FLAG | DM_UEVENT_GENERATED_FLAG;
	dmi->open_count = -7;
	dmi->event_nr = 77;
	dmi->target_count = 9;
	dmi->version[1] = 0;
	dmi->version[2] = 0;
	memcpy(copy, dmi, BIG);
	if (expect_errno("setgeometry", issue(DM_DEV_SET_GEOMETRY, dmi), 0))
		return 1;
	/* only the version is written back (by the version check) */
	if (dmi->version[0] != 4 || !dmi->version[1])
		return fail("no version written back");
	memcpy(copy->version, dmi->version, sizeof(dmi->version));
	if (memcmp(copy, dmi, BIG))
		return fail("DEV_SET_GEOMETRY wrote a reply: flags 0x%x open %d event_nr %u",
			    dmi->flags, dmi->open_count, dmi->event_nr);
	free(dmi);
	free(copy);
	return expect_geometry("dma-g", "1 2 3 4");
}

static int geometry_kept_on_same_size_reload_cleared_on_resize(void)
{
	if (expect_errno("DEV_CREATE", create("dma-g", NULL), 0))
		return 1;
	/* set without a table: it is wiped when the first table goes live */
	if (expect_errno("setgeometry without a table", set_geometry("dma-g", "1 2 3 4"), 0) ||
	    expect_errno("TABLE_LOAD", load_linear("dma-g", 1024, 0, 0), 0) ||
	    expect_errno("resume", resume("dma-g"), 0) ||
	    expect_geometry("dma-g", "0 0 0 0"))
		return 1;
	if (expect_errno("setgeometry", set_geometry("dma-g", "1 2 3 4"), 0) ||
	    expect_errno("TABLE_LOAD", load_linear("dma-g", 1024, 8, 0), 0) ||
	    expect_errno("resume", resume("dma-g"), 0) ||
	    expect_geometry("dma-g", "1 2 3 4"))
		return 1;
	if (expect_errno("suspend", suspend("dma-g"), 0) ||
	    expect_errno("resume", resume("dma-g"), 0) ||
	    expect_geometry("dma-g", "1 2 3 4"))
		return 1;
	if (expect_errno("TABLE_LOAD", load_linear("dma-g", 2048, 0, 0), 0) ||
	    expect_errno("resume", resume("dma-g"), 0) ||
	    expect_geometry("dma-g", "0 0 0 0"))
		return 1;
	return 0;
}

/* ---- DEV_ARM_POLL and poll() ---- */

/* poll() @fd with @ms timeout: 1 if readable (POLLIN), 0 if not */
static int readable(int fd, int ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int r = poll(&pfd, 1, ms);

	if (r < 0) {
		perror("poll");
		exit(2);
	}
	if (r && (pfd.revents & ~POLLIN)) {
		fprintf(stderr, "poll: revents 0x%x\n", pfd.revents);
		exit(2);
	}
	return r;
}

static int arm(int fd)
{
	struct dm_ioctl *dmi = request(sizeof(*dmi), NULL);
	int r = issue_on(fd, DM_DEV_ARM_POLL, dmi);

	free(dmi);
	return r;
}

static int poll_fresh_fd_is_not_readable(void)
{
	int fd;

	/* events before the open do not count */
	if (make_live("dma-p", NULL) || expect_errno("DEV_REMOVE", dev_remove("dma-p"), 0))
		return 1;
	fd = open_control();
	if (readable(fd, 0))
		return fail("a freshly opened control fd polls readable");
	/* an event after the open is seen even before any DEV_ARM_POLL */
	if (expect_errno("DEV_CREATE", create("dma-p", NULL), 0))
		return 1;
	if (!readable(fd, 0))
		return fail("a create after the open is not seen");
	if (expect_errno("DEV_ARM_POLL", arm(fd), 0))
		return 1;
	if (readable(fd, 0))
		return fail("readable right after DEV_ARM_POLL");
	close(fd);
	return 0;
}

/* @what must make the armed @fd readable (@want 1) or not (0); re-arms */
static int expect_poll(int fd, int want, const char *what)
{
	int got = readable(fd, 0);

	if (got != want)
		return fail("%s: the armed control fd %s", what,
			    got ? "polls readable" : "does not poll readable");
	if (got && expect_errno("DEV_ARM_POLL", arm(fd), 0))
		return 1;
	if (readable(fd, 0))
		return fail("%s: still readable after DEV_ARM_POLL", what);
	return 0;
}

static int poll_sees_global_events(void)
{
	struct dm_ioctl *dmi;
	int fd = open_control();

	if (expect_errno("DEV_ARM_POLL", arm(fd), 0) || expect_poll(fd, 0, "nothing"))
		return 1;
	if (expect_errno("DEV_CREATE", create("dma-p", NULL), 0) ||
	    expect_poll(fd, 1, "DEV_CREATE"))
		return 1;
	if (expect_errno("TABLE_LOAD", load_linear("dma-p", 1024, 0, 0), 0) ||
	    expect_poll(fd, 0, "TABLE_LOAD"))
		return 1;
	if (expect_errno("resume", resume("dma-p"), 0) ||
	    expect_poll(fd, 1, "a resume that swaps in a table"))
		return 1;
	if (expect_errno("suspend", suspend("dma-p"), 0) ||
	    expect_poll(fd, 0, "suspend"))
		return 1;
	if (expect_errno("resume", resume("dma-p"), 0) ||
	    expect_poll(fd, 0, "a resume without a new table"))
		return 1;
	if (expect_errno("DEV_RENAME", do_rename("dma-p", "dma-q"), 0) ||
	    expect_poll(fd, 1, "DEV_RENAME"))
		return 1;
	/* failures are not events */
	if (expect_errno("DEV_CREATE duplicate", create("dma-q", NULL), EBUSY) ||
	    expect_errno("DEV_RENAME missing", do_rename("dma-x", "dma-y"), ENXIO) ||
	    expect_errno("DEV_REMOVE missing", dev_remove("dma-x"), ENXIO) ||
	    expect_poll(fd, 0, "failed create, rename and remove"))
		return 1;
	/* (no rename after the clear: see dev_wait_blocks_until_an_event) */
	if (expect_errno("TABLE_LOAD", load_linear("dma-q", 1024, 0, 0), 0) ||
	    expect_errno("TABLE_CLEAR", simple(DM_TABLE_CLEAR, "dma-q", 0, NULL), 0) ||
	    expect_errno("DEV_STATUS", dev_status("dma-q", NULL), 0) ||
	    expect_errno("@cancel_deferred_remove",
			 message("dma-q", 0, "@cancel_deferred_remove", NULL), 0) ||
	    expect_errno("setgeometry", set_geometry("dma-q", "1 1 1 0"), 0) ||
	    expect_poll(fd, 0, "load, clear, status, message, geometry"))
		return 1;
	if (expect_errno("DEV_REMOVE", dev_remove("dma-q"), 0) ||
	    expect_poll(fd, 1, "DEV_REMOVE"))
		return 1;
	/* REMOVE_ALL is one even with nothing to remove */
	dmi = request(sizeof(*dmi), NULL);
	if (expect_errno("REMOVE_ALL", issue(DM_REMOVE_ALL, dmi), 0) ||
	    expect_poll(fd, 1, "REMOVE_ALL of nothing"))
		return 1;
	free(dmi);
	close(fd);
	return 0;
}

static int poll_wakes_a_blocked_poller(void)
{
	int fd = open_control(), st;
	long long t;
	pid_t pid;

	if (expect_errno("DEV_ARM_POLL", arm(fd), 0))
		return 1;
	pid = fork();
	if (pid < 0)
		return fail("fork");
	if (!pid) {
		sleep_ms(700);
		_exit(create("dma-p", NULL));
	}
	t = now_ms();
	if (!readable(fd, 10000))
		return fail("poll timed out after 10 s");
	t = now_ms() - t;
	waitpid(pid, &st, 0);
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		return fail("the creating child failed (0x%x)", st);
	if (t < 500)
		return fail("poll returned after %lld ms, before the create", t);
	if (t > 5000)
		return fail("poll returned %lld ms after the create", t);
	close(fd);
	return 0;
}

static int poll_stays_readable_until_rearmed_per_fd(void)
{
	int a = open_control(), b = open_control();

	if (expect_errno("DEV_ARM_POLL", arm(a), 0) ||
	    expect_errno("DEV_ARM_POLL", arm(b), 0))
		return 1;
	if (expect_errno("DEV_CREATE", create("dma-p", NULL), 0))
		return 1;
	if (!readable(a, 0) || !readable(a, 0) || !readable(b, 0))
		return fail("a create is not seen on both fds, twice");
	if (expect_errno("DEV_ARM_POLL on one fd", arm(a), 0))
		return 1;
	if (readable(a, 0) || !readable(b, 0))
		return fail("re-arming one fd changed the other");
	/* DEV_ARM_POLL takes no device and replies with the header */
	{
		struct dm_ioctl *dmi = request(sizeof(*dmi), "dma-missing");

		dmi->flags = 0x4;
		if (expect_errno("DEV_ARM_POLL with a missing name",
				 issue_on(b, DM_DEV_ARM_POLL, dmi), 0))
			return 1;
		if (dmi->flags != 0x4 || dmi->data_size != MIN_SIZE)
			return fail("DEV_ARM_POLL reply: flags 0x%x data_size %u",
				    dmi->flags, dmi->data_size);
		free(dmi);
	}
	if (readable(b, 0))
		return fail("still readable after DEV_ARM_POLL");
	close(a);
	close(b);
	return 0;
}

/* ---- deferred remove ---- */

static int deferred_remove_of_closed_device_removes_at_once(void)
{
	struct dm_ioctl *dmi;

	if (!watched_live("dma-d", 1024))
		return 1;
	if (expect_errno("deferred DEV_REMOVE",
			 simple_c(DM_DEV_REMOVE, "dma-d", DM_DEFERRED_REMOVE, 8, &dmi), 0))
		return 1;
	if (dmi->flags & DM_DEFERRED_REMOVE || !(dmi->flags & DM_UEVENT_GENERATED_FLAG))
		return fail("reply flags 0x%x", dmi->flags);
	free(dmi);
	if (exists("dma-d"))
		return fail("the closed device was not removed");
	return 0;
}

static int deferred_remove_waits_for_last_close(void)
{
	struct dm_ioctl *dmi;
	const char *live;
	long long end;
	int fd, fd2;
	char dm[32];

	live = watched_live("dma-d", 1024);
	if (!live)
		return 1;
	snprintf(dm, sizeof(dm), "%s", live);
	fd = open_dev("dma-d", O_RDONLY);
	dmi = request(sizeof(*dmi), "dma-d");
	dmi->flags = DM_DEFERRED_REMOVE;
	dmi->event_nr = 8;
	dmi->open_count = -7;
	if (expect_errno("deferred DEV_REMOVE of an open device", issue(DM_DEV_REMOVE, dmi), 0))
		return 1;
	/* success, but nothing is copied back */
	if (dmi->open_count != -7 || dmi->dev || dmi->flags != DM_DEFERRED_REMOVE)
		return fail("reply written: flags 0x%x open %d", dmi->flags, dmi->open_count);
	free(dmi);
	if (expect_uevents("the deferred DEV_REMOVE", ""))
		return 1;
	if (!(status_flags("dma-d") & DM_DEFERRED_REMOVE))
		return fail("DEV_STATUS does not show the pending removal");
	/* still usable: a plain remove is refused, a new open works */
	if (expect_errno("DEV_REMOVE", dev_remove("dma-d"), EBUSY))
		return 1;
	fd2 = open_dev("dma-d", O_RDONLY);
	close(fd);
	sleep_ms(300);
	if (!exists("dma-d"))
		return fail("removed while still open");
	close(fd2);
	end = now_ms() + 5000;
	while (exists("dma-d") && now_ms() < end)
		sleep_ms(20);
	if (exists("dma-d"))
		return fail("not removed 5 s after the last close");
	/* removed by the kernel: no cookie */
	return expect_uevents("the deferred removal", "remove %s", dm);
}

static int deferred_remove_cancelled_keeps_device(void)
{
	int fd;

	if (make_live("dma-d", NULL))
		return 1;
	fd = open_dev("dma-d", O_RDONLY);
	if (expect_errno("deferred DEV_REMOVE",
			 simple(DM_DEV_REMOVE, "dma-d", DM_DEFERRED_REMOVE, NULL), 0) ||
	    expect_errno("@cancel_deferred_remove",
			 message("dma-d", 0, "@cancel_deferred_remove", NULL), 0))
		return 1;
	if (status_flags("dma-d") & DM_DEFERRED_REMOVE)
		return fail("DEV_STATUS still shows the pending removal");
	close(fd);
	sleep_ms(500);
	if (!exists("dma-d"))
		return fail("removed although the removal was cancelled");
	/* a second deferral of the same device, and REMOVE_ALL's */
	fd = open_dev("dma-d", O_RDONLY);
	if (expect_errno("deferred DEV_REMOVE",
			 simple(DM_DEV_REMOVE, "dma-d", DM_DEFERRED_REMOVE, NULL), 0) ||
	    expect_errno("deferred DEV_REMOVE again",
			 simple(DM_DEV_REMOVE, "dma-d", DM_DEFERRED_REMOVE, NULL), 0) ||
	    expect_errno("@cancel_deferred_remove",
			 message("dma-d", 0, "@cancel_deferred_remove", NULL), 0) ||
	    expect_errno("deferred REMOVE_ALL",
			 simple(DM_REMOVE_ALL, NULL, DM_DEFERRED_REMOVE, NULL), 0))
		return 1;
	if (!(status_flags("dma-d") & DM_DEFERRED_REMOVE))
		return fail("REMOVE_ALL did not defer the open device's removal");
	if (expect_errno("@cancel_deferred_remove",
			 message("dma-d", 0, "@cancel_deferred_remove", NULL), 0))
		return 1;
	close(fd);
	sleep_ms(500);
	if (!exists("dma-d"))
		return fail("removed although the removal was cancelled");
	return 0;
}

static int deferred_flag_is_echoed_by_status(void)
{
	struct dm_ioctl *dmi;

	if (make_live("dma-d", NULL))
		return 1;
	/* DEV_STATUS only ever adds DM_DEFERRED_REMOVE: an input bit stays */
	if (expect_errno("DEV_STATUS", simple(DM_DEV_STATUS, "dma-d", DM_DEFERRED_REMOVE, &dmi), 0))
		return 1;
	if (!(dmi->flags & DM_DEFERRED_REMOVE))
		return fail("DM_DEFERRED_REMOVE dropped from the reply (0x%x)", dmi->flags);
	free(dmi);
	if (expect_errno("DEV_STATUS", simple(DM_DEV_STATUS, "dma-d", 0, &dmi), 0))
		return 1;
	if (dmi->flags & DM_DEFERRED_REMOVE)
		return fail("DM_DEFERRED_REMOVE without a pending removal (0x%x)", dmi->flags);
	free(dmi);
	return 0;
}

/*
 * Every command leaves the driver's interface version in the caller's
 * header, whether it succeeded or failed and whatever version the caller
 * sent (an old minor or the driver's own): the reply is assembled around
 * the version the driver checked, never around uninitialised bytes.
 */
static unsigned int driver_version[3];
static unsigned int caller_minor;

/* Issue @cmd with @dmi as from a caller of 4.caller_minor.0; check the reply. */
static int versioned(const char *what, unsigned long cmd, struct dm_ioctl *dmi,
		     int want)
{
	int r;

	dmi->version[0] = 4;
	dmi->version[1] = caller_minor;
	dmi->version[2] = 0;
	r = expect_errno(what, issue(cmd, dmi), want);
	if (!r && memcmp(dmi->version, driver_version, sizeof(driver_version)))
		r = fail("%s (caller 4.%u.0): reply carries version %u.%u.%u, not %u.%u.%u",
			 what, caller_minor, dmi->version[0], dmi->version[1],
			 dmi->version[2], driver_version[0], driver_version[1],
			 driver_version[2]);
	free(dmi);
	return r;
}

static int header(const char *what, unsigned long cmd, const char *name, int want)
{
	return versioned(what, cmd, request(sizeof(struct dm_ioctl), name), want);
}

static int big(const char *what, unsigned long cmd, const char *name, int want)
{
	return versioned(what, cmd, request(BIG, name), want);
}

static int every_reply_carries_the_driver_version(void)
{
	struct dm_ioctl *dmi = request(sizeof(*dmi), NULL);
	int i;

	if (expect_errno("DM_VERSION", issue(DM_VERSION, dmi), 0))
		return 1;
	memcpy(driver_version, dmi->version, sizeof(driver_version));
	free(dmi);
	if (driver_version[0] != 4 || !driver_version[1])
		return fail("DM_VERSION says %u.%u.%u", driver_version[0],
			    driver_version[1], driver_version[2]);

	/* an old caller (4.0.0), then one of the driver's own minor */
	for (i = 0; i < 2; i++) {
		caller_minor = i ? driver_version[1] : 0;
		if (header("DM_VERSION", DM_VERSION, NULL, 0) ||
		    header("DEV_CREATE", DM_DEV_CREATE, "dma-v", 0) ||
		    header("DEV_CREATE of a taken name", DM_DEV_CREATE, "dma-v", EBUSY) ||
		    versioned("TABLE_LOAD", DM_TABLE_LOAD,
			      linear_request("dma-v", backing, 1024, 0), 0) ||
		    big("TABLE_STATUS", DM_TABLE_STATUS, "dma-v", 0) ||
		    big("TABLE_DEPS", DM_TABLE_DEPS, "dma-v", 0) ||
		    header("TABLE_CLEAR", DM_TABLE_CLEAR, "dma-v", 0) ||
		    versioned("TABLE_LOAD", DM_TABLE_LOAD,
			      linear_request("dma-v", backing, 1024, 0), 0) ||
		    header("resume", DM_DEV_SUSPEND, "dma-v", 0) ||
		    header("DEV_STATUS", DM_DEV_STATUS, "dma-v", 0) ||
		    header("DEV_STATUS of a missing device", DM_DEV_STATUS, "dma-x", ENXIO) ||
		    big("LIST_DEVICES", DM_LIST_DEVICES, NULL, 0) ||
		    big("LIST_VERSIONS", DM_LIST_VERSIONS, NULL, 0) ||
		    big("GET_TARGET_VERSION", DM_GET_TARGET_VERSION, "linear", 0) ||
		    versioned("TARGET_MSG", DM_TARGET_MSG,
			      message_request("dma-v", 0, "@cancel_deferred_remove"), 0) ||
		    versioned("DEV_SET_GEOMETRY", DM_DEV_SET_GEOMETRY,
			      string_request("dma-v", "2 64 8 0"), 0) ||
		    header("DEV_ARM_POLL", DM_DEV_ARM_POLL, NULL, 0) ||
		    header("suspend", DM_DEV_SUSPEND, "dma-v", 0))
			return 1;
		dmi = request(BIG, "dma-v");
		dmi->event_nr = 7;	/* not the current one: answered at once */
		if (versioned("DEV_WAIT", DM_DEV_WAIT, dmi, 0) ||
		    header("resume", DM_DEV_SUSPEND, "dma-v", 0) ||
		    versioned("DEV_RENAME", DM_DEV_RENAME,
			      string_request("dma-v", "dma-v2"), 0) ||
		    header("DEV_REMOVE", DM_DEV_REMOVE, "dma-v2", 0) ||
		    header("DEV_REMOVE of a missing device", DM_DEV_REMOVE, "dma-v2", ENXIO) ||
		    header("REMOVE_ALL", DM_REMOVE_ALL, NULL, 0))
			return 1;
	}
	/* a caller of a newer minor is refused, and still told ours */
	caller_minor = driver_version[1] + 1;
	return header("DM_VERSION of a newer minor", DM_VERSION, NULL, EINVAL);
}

/* ---- permissions ------------------------------------------------------ */

/*
 * Every command, the unknown ones and one of another ioctl type, each
 * naming the live device "dma-perm" the way the command would: EACCES
 * before anything else is looked at.
 */
static int nobody_gets_eacces(void)
{
	static const unsigned int extra[] = { 18, 19, 0x3f, 0xff };
	struct dm_ioctl *dmi;
	unsigned int nr;
	char what[48];
	int r;

	for (nr = 0; nr < 18 + ARRAY_SIZE(extra); nr++) {
		unsigned int cmd = nr < 18 ? nr : extra[nr - 18];

		dmi = string_request("dma-perm", "dma-gone");
		snprintf(what, sizeof(what), "command %u as nobody", cmd);
		if (expect_errno(what, issue(_IOWR(DM_IOCTL, cmd, struct dm_ioctl), dmi),
				 EACCES))
			return 1;
		free(dmi);
	}
	dmi = request(BIG, NULL);
	r = expect_errno("another ioctl type as nobody",
			 issue(_IOWR('x', DM_VERSION_CMD, struct dm_ioctl), dmi), EACCES);
	free(dmi);
	return r;
}

static int every_command_as_non_root_is_eacces(void)
{
	char buf[64];

	if (make_live("dma-perm", "dma-perm-uuid"))
		return 1;
	if (as_nobody(nobody_gets_eacces))
		return 1;
	/* nothing the commands named happened */
	if (expect_errno("DEV_STATUS of dma-perm", dev_status("dma-perm", NULL), 0) ||
	    expect_errno("DEV_STATUS of dma-gone", dev_status("dma-gone", NULL), ENXIO))
		return 1;
	if (read_sysfs(disk_name("dma-perm"), "dm/suspended", buf, sizeof(buf)) ||
	    strcmp(buf, "0"))
		return fail("dma-perm is suspended after the commands of nobody");
	return expect_errno("DEV_REMOVE", dev_remove("dma-perm"), 0);
}

static char perm_node[64];

/* nobody (in group nobody): reads the node, cannot open it for writing */
static int nobody_opens_as_the_mode_says(void)
{
	int fd = open(perm_node, O_RDONLY);

	if (fd < 0)
		return fail("open %s O_RDONLY as nobody: %m", perm_node);
	close(fd);
	fd = open(perm_node, O_RDWR);
	if (fd >= 0)
		return fail("open %s O_RDWR as nobody succeeded", perm_node);
	return expect_errno("open O_RDWR as nobody", errno, EACCES);
}

/* nobody: no access at all */
static int nobody_cannot_open(void)
{
	int fd = open(perm_node, O_RDONLY);

	if (fd >= 0)
		return fail("open %s as nobody succeeded", perm_node);
	return expect_errno("open as nobody", errno, EACCES);
}

static int node_mode_is(const char *when, mode_t mode, uid_t uid, gid_t gid)
{
	struct stat st;

	if (stat(perm_node, &st))
		return fail("stat %s %s: %m", perm_node, when);
	if ((st.st_mode & 07777) != mode || st.st_uid != uid || st.st_gid != gid)
		return fail("%s %s: mode %o owner %u:%u, not %o %u:%u", perm_node,
			    when, st.st_mode & 07777, st.st_uid, st.st_gid,
			    mode, uid, gid);
	return 0;
}

/*
 * The device node as devtmpfs makes it (0600 root:root) keeps nobody
 * out; a mode and owner set on it hold across a reload that resizes, a
 * suspend and resume, and a rename, and the open of a non-root caller
 * obeys them.
 */
static int device_node_mode_is_kept_and_obeyed(void)
{
	if (make_live("dma-node", NULL))
		return 1;
	snprintf(perm_node, sizeof(perm_node), "/dev/%s", disk_name("dma-node"));
	if (node_mode_is("as made", 0600, 0, 0) || as_nobody(nobody_cannot_open))
		return 1;
	if (chmod(perm_node, 0640) || chown(perm_node, 0, NOBODY))
		return fail("chmod/chown %s: %m", perm_node);
	if (expect_errno("TABLE_LOAD", load_linear("dma-node", 2048, 0, 0), 0) ||
	    expect_errno("suspend", suspend("dma-node"), 0) ||
	    expect_errno("resume", resume("dma-node"), 0) ||
	    expect_errno("DEV_RENAME", do_rename("dma-node", "dma-node2"), 0))
		return 1;
	if (node_mode_is("after reload, resume and rename", 0640, 0, NOBODY) ||
	    as_nobody(nobody_opens_as_the_mode_says))
		return 1;
	return expect_errno("DEV_REMOVE", dev_remove("dma-node2"), 0);
}

static const struct check checks[] = {
	CHECK(rename_moves_name_and_keeps_device),
	CHECK(rename_payload_not_terminated_is_einval),
	CHECK(rename_payload_inside_header_is_einval),
	CHECK(rename_payload_unaligned_after_header_is_accepted),
	CHECK(rename_payload_beyond_data_size_is_einval),
	CHECK(rename_length_limits),
	CHECK(rename_empty_name_or_uuid_is_einval),
	CHECK(rename_to_reserved_names_is_einval),
	CHECK(rename_setuuid_skips_name_checks),
	CHECK(rename_onto_existing_name_is_ebusy),
	CHECK(rename_missing_device_is_enxio_unless_new_name_taken),
	CHECK(rename_addresses_device_by_name_only),
	CHECK(rename_setuuid_only_when_unset),
	CHECK(rename_event_only_with_live_table),
	CHECK(uevent_first_load_adds_disk_without_cookie),
	CHECK(uevent_resume_sends_change_only_when_resuming),
	CHECK(uevent_resume_with_resized_table_adds_resize),
	CHECK(uevent_rename_sends_change_with_cookie),
	CHECK(uevent_remove_sends_remove_with_cookie_then_disk_removal),
	CHECK(uevent_failed_commands_send_nothing_and_copy_nothing),
	CHECK(uevent_device_without_disk_sends_none_and_says_so),
	CHECK(uevent_readonly_table_switches_disk_ro),
	CHECK(dev_wait_returns_at_once_for_another_event_nr),
	CHECK(dev_wait_blocks_until_an_event),
	CHECK(dev_wait_woken_by_remove_which_succeeds),
	CHECK(dev_wait_interrupted_by_signal_is_eintr),
	CHECK(dev_wait_unknown_device_is_enxio),
	CHECK(target_msg_cancel_deferred_remove_without_one_pending_is_success),
	CHECK(target_msg_refusals_are_einval),
	CHECK(target_msg_unknown_device_is_enxio),
	CHECK(target_msg_bad_payload_is_einval),
	CHECK(geometry_set_is_read_back_by_hdio_getgeo),
	CHECK(geometry_bad_values_are_einval),
	CHECK(geometry_bad_payload_is_einval),
	CHECK(geometry_unknown_device_is_enxio),
	CHECK(geometry_success_copies_nothing_back),
	CHECK(geometry_kept_on_same_size_reload_cleared_on_resize),
	CHECK(poll_fresh_fd_is_not_readable),
	CHECK(poll_sees_global_events),
	CHECK(poll_wakes_a_blocked_poller),
	CHECK(poll_stays_readable_until_rearmed_per_fd),
	CHECK(deferred_remove_of_closed_device_removes_at_once),
	CHECK(deferred_remove_waits_for_last_close),
	CHECK(deferred_remove_cancelled_keeps_device),
	CHECK(deferred_flag_is_echoed_by_status),
	CHECK(every_reply_carries_the_driver_version),
	CHECK(every_command_as_non_root_is_eacces),
	CHECK(device_node_mode_is_kept_and_obeyed),
};

static int print_geometry(const char *path)
{
	struct hd_geometry g;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || ioctl(fd, HDIO_GETGEO, &g)) {
		perror(path);
		return 1;
	}
	printf("%u %u %u %lu\n", g.cylinders, g.heads, g.sectors, g.start);
	close(fd);
	return 0;
}

/*
 * --names: print the name of every mapped device, one a line (what
 * "dmsetup ls" lists, for the harness's check that a test left no device
 * behind, at a fraction of a dynamically linked dmsetup's cost).
 */
static int print_names(void)
{
	struct dm_name_list *nl;
	struct dm_ioctl *dmi;

	ctl = open_control();
	dmi = request(BIG, NULL);
	if (issue(DM_LIST_DEVICES, dmi)) {
		perror("DM_LIST_DEVICES");
		return 2;
	}
	if (dmi->flags & DM_BUFFER_FULL_FLAG) {
		fprintf(stderr, "DM_LIST_DEVICES: more devices than %d bytes hold\n", BIG);
		return 2;
	}
	for (nl = first_name(dmi); nl; nl = next_name(nl))
		printf("%s\n", nl->name);
	free(dmi);
	return 0;
}

/*
 * --fsync-failing: the flush an fsync of DEV sends is mapped in this
 * task, so with /proc/self/make-it-fail set every slab allocation the
 * driver tries there fails and bios come from the reserves alone.
 */
static int fsync_failing(const char *path)
{
	int fd = open(path, O_RDWR), fail_fd = open("/proc/self/make-it-fail", O_WRONLY);
	int r;

	if (fd < 0 || fail_fd < 0) {
		perror(fd < 0 ? path : "/proc/self/make-it-fail");
		return 2;
	}
	if (pwrite(fail_fd, "1", 1, 0) != 1) {
		perror("make-it-fail");
		return 2;
	}
	r = fsync(fd) ? errno : 0;
	if (pwrite(fail_fd, "0", 1, 0) != 1) {
		perror("make-it-fail");
		return 2;
	}
	if (r) {
		fprintf(stderr, "fsync %s: %s\n", path, strerror(r));
		return 1;
	}
	return 0;
}

/* Write @n to this thread's fail-nth; -1 on error. */
static int set_fail_nth(int fd, unsigned int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%u", n);

	return pwrite(fd, buf, len, 0) == len ? 0 : -1;
}

/* This thread's fail-nth, opened; exit 2 if the kernel has none. */
static int open_fail_nth(void)
{
	int fd = open("/proc/thread-self/fail-nth", O_RDWR);

	if (fd < 0) {
		perror("/proc/thread-self/fail-nth");
		exit(2);
	}
	return fd;
}

/* Make the @n-th slab allocation of this thread from now on fail. */
static void fail_nth_arm(int fd, unsigned int n)
{
	if (set_fail_nth(fd, n)) {
		perror("fail-nth");
		exit(2);
	}
}

/* Disarm fail-nth; 1 if the armed failure was injected meanwhile. */
static int fail_nth_disarm(int fd)
{
	char left[16] = "";

	if (pread(fd, left, sizeof(left) - 1, 0) <= 0 || set_fail_nth(fd, 0)) {
		perror("fail-nth");
		exit(2);
	}
	return atoi(left) == 0;
}

/* Is there a file at /sys/block/@disk/@rel? */
static int sys_block_has(const char *disk, const char *rel)
{
	char path[256];
	struct stat st;

	snprintf(path, sizeof(path), "/sys/block/%s%s%s", disk, *rel ? "/" : "",
		 rel);
	return !stat(path, &st);
}

/*
 * One device, one first load with its @n-th allocation failing.  Return:
 * 0 with *@injected clear if the load got fewer than @n allocations (and
 * succeeded), 0 with it set if the failure was injected and everything
 * held, 1 if a check failed.  *@no_disk counts devices that lost their
 * disk (the failure came after add_disk()); *@einval is the one
 * allocation whose failure gave EINVAL.
 */
static int load_failing_once(int fail_fd, const char *dev, unsigned int n,
			     int *injected, unsigned int *no_disk,
			     unsigned int *einval)
{
	unsigned long long devt;
	char disk[32], slave[64];
	struct dm_ioctl *dmi;
	int r, rc = 1;

	*injected = 0;
	if (create("dma-lf", NULL))
		return fail("create failed");
	devt = dev_of("dma-lf");
	snprintf(disk, sizeof(disk), "dm-%u", minor(devt));
	snprintf(slave, sizeof(slave), "slaves/%s", strrchr(backing, '/') + 1);

	dmi = linear_request("dma-lf", dev, 2048, 0);
	fail_nth_arm(fail_fd, n);
	r = issue(DM_TABLE_LOAD, dmi);
	*injected = fail_nth_disarm(fail_fd);
	free(dmi);

	if (!*injected) {
		if (r) {
			fail("load %u: %s without an injected failure", n, ename(r));
			goto out_remove;
		}
	} else if (r == EINVAL && !*einval) {
		/*
		 * add_disk() ignores a failed dev_set_name() and device_add()
		 * then refuses the nameless device: the kernel's EINVAL, once
		 */
		*einval = n;
	} else if (r && r != ENOMEM) {
		fail("load with allocation %u failing: %s, not ENOMEM", n, ename(r));
		goto out_remove;
	}
	/* the disk is there with dm/ and its holder link, or not at all */
	if (sys_block_has(disk, "") &&
	    (!sys_block_has(disk, "dm/name") || !sys_block_has(disk, slave))) {
		fail("load %u (%s): %s is there without dm/name or %s", n,
		     r ? ename(r) : "succeeded", disk, slave);
		goto out_remove;
	}
	if (r) {
		/* a later load works, or finds the device without a disk */
		r = load_one_linear("dma-lf", dev, 2048, 0, 0);
		if (r == ENXIO) {
			(*no_disk)++;
			if (sys_block_has(disk, "")) {
				fail("allocation %u: a load gives ENXIO but %s is there", n, disk);
				goto out_remove;
			}
		} else if (r) {
			fail("allocation %u: the load after the failed one: %s", n, ename(r));
			goto out_remove;
		}
	}
	rc = 0;
out_remove:
	r = dev_remove("dma-lf");
	if (r) {
		fail("allocation %u: remove: %s", n, ename(r));
		return 1;
	}
	return rc;
}

/* --load-failing: every slab allocation of a first table load failing in turn */
static int load_failing(const char *dev)
{
	unsigned int n, no_disk = 0, einval = 0;
	int fail_fd, injected = 1;

	check_name = "load-failing";
	ctl = open_control();
	/* the node's name is its disk's name under slaves/ */
	if (!strchr(dev, '/') || set_backing(dev)) {
		fprintf(stderr, "usage: --load-failing /dev/NAME\n");
		return 2;
	}
	fail_fd = open_fail_nth();
	for (n = 1; injected; n++)
		/* by number: a path lookup would fail allocations of its own */
		if (load_failing_once(fail_fd, backing_dev, n, &injected,
				      &no_disk, &einval))
			return 1;
	printf("load-failing: %u allocations failed in turn ", n - 2);
	printf("(allocation %u gave EINVAL, the others ENOMEM), ", einval);
	printf("%u of them left the device without a disk\n", no_disk);
	return 0;
}

/* ---- every allocation of one command failing in turn -------------------- */

#define FO_NAME		"dma-fo"
#define FO_UUID		"dma-fo-uuid"
#define FO_NEW		"dma-fo-new"
#define FO_KEEP		"dma-fo-keep"
#define FO_MAX_N	4000	/* no command of these makes more allocations */

/* a two-target table: 1024 sectors at 0 of backing, 1024 at 4096 */
static int load_two(const char *name)
{
	struct dm_ioctl *dmi = request(BIG, name);
	struct dm_target_spec *sp = (void *)((char *)dmi + HDR);
	unsigned int i;
	size_t at = 0;
	int r;

	for (i = 0; i < 2; i++) {
		char *params;

		sp = (void *)((char *)dmi + HDR + at);
		params = (char *)(sp + 1);
		sp->sector_start = i * 1024;
		sp->length = 1024;
		snprintf(sp->target_type, sizeof(sp->target_type), "linear");
		snprintf(params, 64, "%s %u", backing_dev, i * 4096);
		sp->next = (SPEC + strlen(params) + 1 + 7) & ~7UL;
		at += sp->next;
	}
	dmi->target_count = 2;
	dmi->data_size = HDR + at;
	r = issue(DM_TABLE_LOAD, dmi);
	free(dmi);
	return r;
}

static int fo_nothing(void)
{
	return 0;
}

/* FO_NAME with a table of 1024 sectors loaded, not resumed */
static int fo_loaded(void)
{
	if (expect_errno("DEV_CREATE", create(FO_NAME, FO_UUID), 0) ||
	    expect_errno("TABLE_LOAD", load_one_linear(FO_NAME, backing_dev, 1024, 0, 0), 0))
		return 1;
	return 0;
}

/* FO_NAME live with a table of 1024 sectors */
static int fo_live(void)
{
	return fo_loaded() || expect_errno("resume", resume(FO_NAME), 0);
}

static int fo_live_and_loaded(void)
{
	return fo_live() || expect_errno("TABLE_LOAD", load_two(FO_NAME), 0);
}

static int fo_create(void)
{
	return create(FO_NAME, FO_UUID);
}

static int fo_load(void)
{
	return load_two(FO_NAME);
}

static int fo_resume(void)
{
	return resume(FO_NAME);
}

static int fo_suspend(void)
{
	return suspend(FO_NAME);
}

static int fo_rename(void)
{
	return do_rename(FO_NAME, FO_NEW);
}

static int fo_message(void)
{
	return message(FO_NAME, 0, "@cancel_deferred_remove", NULL);
}

static int fo_clear(void)
{
	return simple(DM_TABLE_CLEAR, FO_NAME, 0, NULL);
}

static int fo_remove(void)
{
	return dev_remove(FO_NAME);
}

/* The device @name has a disk of @sectors, neither suspended nor with an inactive table. */
static int fo_expect_live(const char *name, const char *sectors)
{
	unsigned int f = status_flags(name);
	char size[32];

	if (f == -1U)
		return fail("%s is gone", name);
	if (!(f & DM_ACTIVE_PRESENT_FLAG) || (f & (DM_SUSPEND_FLAG | DM_INACTIVE_PRESENT_FLAG)))
		return fail("%s: flags %#x, not live alone", name, f);
	if (read_sysfs(disk_name(name), "size", size, sizeof(size)) || strcmp(size, sectors))
		return fail("%s: a disk of %s sectors, not %s", name, size, sectors);
	return 0;
}

static int fo_create_check(int r)
{
	struct dm_ioctl *dmi = request(sizeof(*dmi), NULL);
	int by_uuid;

	snprintf(dmi->uuid, sizeof(dmi->uuid), "%s", FO_UUID);
	by_uuid = issue(DM_DEV_STATUS, dmi);
	free(dmi);
	if (!r && (!exists(FO_NAME) || by_uuid))
		return fail("created, but not found by name and uuid (%s)", ename(by_uuid));
	if (r && (exists(FO_NAME) || by_uuid != ENXIO))
		return fail("a failed create left the device (by uuid: %s)", ename(by_uuid));
	return 0;
}

static int fo_load_check(int r)
{
	unsigned int f = status_flags(FO_NAME);

	if (f == -1U || !(f & DM_ACTIVE_PRESENT_FLAG) || (f & DM_SUSPEND_FLAG))
		return fail("the live table was touched: flags %#x", f);
	if (!!(f & DM_INACTIVE_PRESENT_FLAG) != !r)
		return fail("load %s, but flags %#x", r ? "failed" : "succeeded", f);
	return 0;
}

static int fo_first_resume_check(int r)
{
	if (r && expect_errno("resume after the failed one", resume(FO_NAME), 0))
		return 1;
	return fo_expect_live(FO_NAME, "1024");
}

static int fo_swap_check(int r)
{
	if (r && expect_errno("resume after the failed one", resume(FO_NAME), 0))
		return 1;
	return fo_expect_live(FO_NAME, "2048");
}

static int fo_suspend_check(int r)
{
	unsigned int f = status_flags(FO_NAME);

	if (!!(f & DM_SUSPEND_FLAG) != !r)
		return fail("suspend %s, but flags %#x", r ? "failed" : "succeeded", f);
	if (!r && expect_errno("resume", resume(FO_NAME), 0))
		return 1;
	return fo_expect_live(FO_NAME, "1024");
}

static int fo_rename_check(int r)
{
	unsigned long long old = dev_of(FO_NAME), new = dev_of(FO_NEW);

	if (!r && (old || !new))
		return fail("renamed, but the old name %s and the new one %s",
			    old ? "is there" : "is gone", new ? "is there" : "is not");
	if (r && (!old || new))
		return fail("a failed rename: the old name %s and the new one %s",
			    old ? "is there" : "is gone", new ? "is there" : "is not");
	return fo_expect_live(r ? FO_NAME : FO_NEW, "1024");
}

static int fo_live_check(int r)
{
	(void)r;
	return fo_expect_live(FO_NAME, "1024");
}

static int fo_clear_check(int r)
{
	unsigned int f = status_flags(FO_NAME);

	if (!!(f & DM_INACTIVE_PRESENT_FLAG) != !!r)
		return fail("clear %s, but flags %#x", r ? "failed" : "succeeded", f);
	return 0;
}

static int fo_remove_check(int r)
{
	if (!r && exists(FO_NAME))
		return fail("removed, but still there");
	if (r)
		return fo_expect_live(FO_NAME, "1024");
	return 0;
}

static const struct failing_op {
	const char *name;
	int (*setup)(void);	/* the state before, nothing failing */
	int (*op)(void);	/* the command, one allocation failing */
	int (*check)(int r);	/* the state after it returned r */
	int also;		/* an errno besides ENOMEM it may give */
} failing_ops[] = {
	/* as dm_mod: whatever stops a device's creation is ENXIO */
	{ "create", fo_nothing, fo_create, fo_create_check, ENXIO },
	{ "load", fo_live, fo_load, fo_load_check, 0 },
	{ "first-resume", fo_loaded, fo_resume, fo_first_resume_check, 0 },
	{ "swap-resume", fo_live_and_loaded, fo_resume, fo_swap_check, 0 },
	{ "suspend", fo_live, fo_suspend, fo_suspend_check, 0 },
	{ "rename", fo_live, fo_rename, fo_rename_check, 0 },
	{ "message", fo_live, fo_message, fo_live_check, 0 },
	{ "clear", fo_live_and_loaded, fo_clear, fo_clear_check, 0 },
	{ "remove", fo_live, fo_remove, fo_remove_check, 0 },
};

/* remove what a step left; 1 if that failed */
static int fo_teardown(void)
{
	int r = 0;

	if (exists(FO_NEW))
		r |= expect_errno("remove " FO_NEW, dev_remove(FO_NEW), 0);
	if (exists(FO_NAME))
		r |= expect_errno("remove " FO_NAME, dev_remove(FO_NAME), 0);
	return r;
}

static int failing_each(const char *which, int fail_fd)
{
	const struct failing_op *o;
	unsigned int n, failed, ran = 0;
	int injected, r;

	for (o = failing_ops; o < failing_ops + ARRAY_SIZE(failing_ops); o++) {
		if (strcmp(which, "all") && strcmp(which, o->name))
			continue;
		ran++;
		failed = 0;
		for (n = 1, injected = 1; injected; n++) {
			if (n > FO_MAX_N)
				return fail("%s: still failing allocations at %u", o->name, n);
			if (o->setup())
				return fail("%s, allocation %u: setting up failed", o->name, n);
			fail_nth_arm(fail_fd, n);
			r = o->op();
			injected = fail_nth_disarm(fail_fd);
			if (!injected && r)
				return fail("%s: %s without a failing allocation",
					    o->name, ename(r));
			if (r && r != ENOMEM && (!o->also || r != o->also))
				return fail("%s with allocation %u failing: %s, not ENOMEM",
					    o->name, n, ename(r));
			failed += !!r;
			if (o->check(r)) {
				fprintf(stderr, "%s: the %s with allocation %u failing (%s)\n",
					PROG, o->name, n, r ? ename(r) : "succeeded");
				return 1;
			}
			if (fo_teardown())
				return fail("%s, allocation %u: cleaning up failed", o->name, n);
		}
		printf("measured: %s: %u allocations failed in turn, ", o->name, n - 2);
		printf("%u of them failed the command\n", failed);
	}
	if (!ran)
		return fail("no command %s", which);
	return 0;
}

/*
 * --failing OP: OP (or every command) with its 1st, 2nd, ... slab
 * allocation failing, until one runs without reaching the failure.  Each
 * must succeed or give ENOMEM, and the device be as before it or as after
 * it; a failed resume must work when retried.  Prints one line per command.
 */
static int failing(const char *which)
{
	int fail_fd, r;

	check_name = "failing";
	ctl = open_control();
	if (set_backing(getenv("DM_ABI_IOCTL_BACKING") ?: "/dev/ram0"))
		return 2;
	fail_fd = open_fail_nth();
	/*
	 * A device kept meanwhile keeps the bio slab all devices share, so
	 * no failure lands in the kernel's creation of that slab, which
	 * dumps the stack when it fails (a splat for the harness)
	 */
	if (expect_errno("DEV_CREATE", create(FO_KEEP, NULL), 0))
		return 1;
	r = failing_each(which, fail_fd);
	if (expect_errno("remove " FO_KEEP, dev_remove(FO_KEEP), 0))
		r = 1;
	return r;
}

/*
 * --io-failing: 64 KiB O_DIRECT writes, then reads, across the boundary
 * of a two-target device (a split), with the 1st, 2nd, ... slab
 * allocation of this task failing until one runs without reaching it.
 * Each completes with the data where it belongs, or fails with EIO or
 * ENOMEM; none hangs (the harness's time limit).
 */
static int io_failing(void)
{
	const size_t len = 64 * 1024;
	const off_t at = 1024 * 512 - len / 2;
	unsigned int n, pass, failed;
	unsigned char *buf = NULL, *back = NULL;
	int fail_fd, fd, injected, e, r = 1;
	ssize_t got;

	check_name = "io-failing";
	ctl = open_control();
	if (set_backing(getenv("DM_ABI_IOCTL_BACKING") ?: "/dev/ram0"))
		return 2;
	fail_fd = open_fail_nth();
	if (posix_memalign((void **)&buf, 4096, len) ||
	    posix_memalign((void **)&back, 4096, len)) {
		perror("io-failing");
		return 2;
	}
	if (expect_errno("DEV_CREATE", create(FO_NAME, FO_UUID), 0) ||
	    expect_errno("TABLE_LOAD", load_two(FO_NAME), 0) ||
	    expect_errno("resume", resume(FO_NAME), 0))
		goto out_free;
	fd = open_dev(FO_NAME, O_RDWR | O_DIRECT);
	for (pass = 0; pass < 2; pass++) {
		failed = 0;
		for (n = 1, injected = 1; injected; n++) {
			if (n > FO_MAX_N) {
				fail("%s: still failing allocations at %u",
				     pass ? "read" : "write", n);
				goto out_close;
			}
			memset(buf, (n + pass * 128) & 0xff, len);
			if (pass && pwrite(fd, buf, len, at) != (ssize_t)len) {
				fail("write before read %u: %m", n);
				goto out_close;
			}
			fail_nth_arm(fail_fd, n);
			got = pass ? pread(fd, back, len, at) : pwrite(fd, buf, len, at);
			e = errno;
			injected = fail_nth_disarm(fail_fd);
			if (got != (ssize_t)len) {
				if (!injected || got > 0 || (e != EIO && e != ENOMEM)) {
					fail("%s with allocation %u failing: %zd (%s)",
					     pass ? "read" : "write", n, got,
					     got < 0 ? ename(e) : "short");
					goto out_close;
				}
				failed++;
				continue;
			}
			if (!pass && pread(fd, back, len, at) != (ssize_t)len) {
				fail("read after write %u: %m", n);
				goto out_close;
			}
			if (memcmp(buf, back, len)) {
				fail("%s with allocation %u failing: wrong data",
				     pass ? "read" : "write", n);
				goto out_close;
			}
		}
		printf("measured: %s: %u allocations failed in turn, %u of them failed the I/O\n",
		       pass ? "read" : "write", n - 2, failed);
	}
	r = 0;
out_close:
	close(fd);
out_free:
	if (fo_teardown())
		r = 1;
	free(buf);
	free(back);
	return r;
}

/* Copy @sectors from the start of disk @from to disk @to, with O_DIRECT. */
static int copy_disk(const char *from, const char *to, unsigned long long sectors)
{
	const size_t chunk = 1 << 20;
	unsigned long long at, end = sectors * 512;
	int in = open(from, O_RDONLY | O_DIRECT), out = open(to, O_WRONLY | O_DIRECT);
	void *buf = NULL;
	int r = 0;

	if (in < 0 || out < 0 || posix_memalign(&buf, 4096, chunk)) {
		r = fail("cannot open %s and %s for the copy: %m", from, to);
		goto close_disks;
	}
	for (at = 0; at < end && !r; at += chunk) {
		size_t n = end - at < chunk ? end - at : chunk;

		if (pread(in, buf, n, at) != (ssize_t)n ||
		    pwrite(out, buf, n, at) != (ssize_t)n)
			r = fail("copy %s to %s at %llu: %m", from, to, at);
	}
	if (!r && fdatasync(out))
		r = fail("fdatasync %s: %m", to);
	free(buf);
close_disks:
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	return r;
}

/*
 * --cycles NAME A B SECTORS COUNT: COUNT cycles on the live device NAME,
 * a linear table of SECTORS over disk A, while its users go on with
 * their I/O.  In turn: a suspend, a reload of the same mapping and a
 * resume; a noflush suspend and a resume; a suspend, a copy of the
 * SECTORS from the disk the table maps to the other disk, a reload
 * mapping the other disk and a resume, so that the data moves between A
 * and B.  Every call must succeed.
 */
static int run_cycles(char **argv)
{
	const char *name = argv[0], *disk[2] = { argv[1], argv[2] };
	unsigned long long sectors = strtoull(argv[3], NULL, 0);
	unsigned long count = strtoul(argv[4], NULL, 0), i;
	unsigned int on = 0, moves = 0;
	int r = 0;

	ctl = open_control();
	for (i = 0; i < count && !r; i++) {
		switch (i % 3) {
		case 0:
			r = expect_errno("suspend", suspend(name), 0) ||
			    expect_errno("TABLE_LOAD of the same mapping",
					 load_one_linear(name, disk[on], sectors, 0, 0), 0) ||
			    expect_errno("resume", resume(name), 0);
			break;
		case 1:
			r = expect_errno("noflush suspend",
					 simple(DM_DEV_SUSPEND, name,
						DM_SUSPEND_FLAG | DM_NOFLUSH_FLAG, NULL), 0) ||
			    expect_errno("resume", resume(name), 0);
			break;
		default:
			r = expect_errno("suspend", suspend(name), 0) ||
			    copy_disk(disk[on], disk[!on], sectors) ||
			    expect_errno("TABLE_LOAD of the other disk",
					 load_one_linear(name, disk[!on], sectors, 0, 0), 0) ||
			    expect_errno("resume", resume(name), 0);
			on = !on;
			moves++;
			break;
		}
	}
	printf("measured: cycles of %s: %lu done, %u of them moved the data, now on %s\n",
	       name, i, moves, disk[on]);
	return r;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "--getgeo"))
		return print_geometry(argv[2]);
	if (argc == 2 && !strcmp(argv[1], "--names"))
		return print_names();
	if (argc == 3 && !strcmp(argv[1], "--fsync-failing"))
		return fsync_failing(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "--load-failing"))
		return load_failing(argv[2]);
	if (argc == 2 && !strcmp(argv[1], "--io-failing"))
		return io_failing();
	if (argc == 3 && !strcmp(argv[1], "--failing"))
		return failing(argv[2]);
	if (argc == 7 && !strcmp(argv[1], "--cycles"))
		return run_cycles(argv + 2);
	if (argc != 2) {
		fprintf(stderr, "usage: %s %s\n", argv[0],
			"--list | CHECK | --getgeo DEV | --names | --fsync-failing DEV | --load-failing DEV | --failing OP|all | --io-failing | --cycles NAME A B SECTORS COUNT");
		return 2;
	}
	return run_check(argc, argv, checks, ARRAY_SIZE(checks),
			 "DM_ABI_IOCTL_BACKING", "dma-");
}
