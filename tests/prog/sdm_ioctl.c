// SPDX-License-Identifier: GPL-2.0-only
/*
 * sdm_ioctl - raw DM ioctl checks against /dev/mapper/control.
 *
 *   sdm_ioctl --list        print the names of all checks
 *   sdm_ioctl CHECK         run one check; exit 0 if it holds
 *
 * SDM_EXPECT_VERSION (e.g. "4.48.0") is the interface version the module
 * was built against; the harness takes it from the kernel headers.
 * Negative checks assert the exact errno.  Checks that list target types
 * look for the striped target, v1.6.0 in sdm and in dm_mod alike (built
 * into both), so that every check runs against either driver.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/dm-ioctl.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PROG		"sdm_ioctl"
#include "dm_prog.h"

#define REPLY		65536	/* a request with room for any reply */
#define TARGET		"striped"	/* a target both drivers have built in */
#define TARGET_V0	1
#define TARGET_V1	6
#define TARGET_V2	0

static unsigned int want[3];

static int version_reports_header_version(void)
{
	struct dm_ioctl *dmi = request(sizeof(*dmi), NULL);
	int r = issue(DM_VERSION, dmi);

	if (expect_errno("DM_VERSION", r, 0))
		return 1;
	if (dmi->version[0] != want[0] || dmi->version[1] != want[1] ||
	    dmi->version[2] != want[2])
		return fail("version %u.%u.%u, expected %u.%u.%u",
			    dmi->version[0], dmi->version[1], dmi->version[2],
			    want[0], want[1], want[2]);
	return 0;
}

static int version_newer_minor_is_einval(void)
{
	struct dm_ioctl *dmi = request(sizeof(*dmi), NULL);
	int r;

	dmi->version[1] = want[1] + 1;
	r = issue(DM_VERSION, dmi);

	if (expect_errno("minor+1", r, EINVAL))
		return 1;
	/* The kernel's own version is reported back even on refusal. */
	if (dmi->version[0] != want[0] || dmi->version[1] != want[1])
		return fail("refusal reported %u.%u, expected %u.%u",
			    dmi->version[0], dmi->version[1], want[0], want[1]);
	dmi = request(sizeof(*dmi), NULL);
	dmi->version[1] = want[1];
	return expect_errno("same minor", issue(DM_LIST_VERSIONS, dmi), 0);
}

static int version_wrong_major_is_einval(void)
{
	static const unsigned int majors[] = { 0, 3, 5, 0xffffffff };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(majors); i++) {
		struct dm_ioctl *dmi = request(sizeof(*dmi), NULL);
		int r;

		dmi->version[0] = majors[i];
		r = issue(DM_VERSION, dmi);
		if (expect_errno("DM_VERSION", r, EINVAL))
			return fail("major %u accepted", majors[i]);
		/* the refusal wrote the kernel's version back: set it again */
		dmi->version[0] = majors[i];
		r = issue(DM_LIST_VERSIONS, dmi);
		if (expect_errno("DM_LIST_VERSIONS", r, EINVAL))
			return fail("major %u accepted", majors[i]);
	}
	return 0;
}

static int unknown_command_is_enotty(void)
{
	static const unsigned int nrs[] = { DM_GET_TARGET_VERSION_CMD + 1,
					    DM_GET_TARGET_VERSION_CMD + 2,
					    0x7f, 0xff };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(nrs); i++) {
		struct dm_ioctl *dmi = request(REPLY, NULL);

		if (expect_errno("unknown nr",
				 issue(_IOWR(DM_IOCTL, nrs[i], struct dm_ioctl), dmi),
				 ENOTTY))
			return fail("command %u accepted", nrs[i]);
	}
	return 0;
}

static int wrong_ioctl_type_is_enotty(void)
{
	struct dm_ioctl *dmi = request(sizeof(*dmi), NULL);

	if (expect_errno("type 'X'",
			 issue(_IOWR('X', DM_VERSION_CMD, struct dm_ioctl), dmi),
			 ENOTTY))
		return 1;
	/* A terminal ioctl on the control device is not ours either. */
	return expect_errno("TCGETS", issue(0x5401, dmi), ENOTTY);
}

/* DM_LIST_VERSIONS with each of the @n data sizes @sizes is EINVAL. */
static int data_sizes_are_einval(const unsigned int *sizes, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct dm_ioctl *dmi = request(REPLY, NULL);

		dmi->data_size = sizes[i];
		if (expect_errno("DM_LIST_VERSIONS",
				 issue(DM_LIST_VERSIONS, dmi), EINVAL))
			return fail("data_size %u accepted", sizes[i]);
	}
	return 0;
}

static int short_data_size_is_einval(void)
{
	static const unsigned int sizes[] = { 0, 1, MIN_SIZE - 1 };
	struct dm_ioctl *dmi;

	if (data_sizes_are_einval(sizes, ARRAY_SIZE(sizes)))
		return 1;
	/* The smallest legal request has no room for a reply. */
	dmi = request(REPLY, NULL);
	dmi->data_size = MIN_SIZE;
	return expect_errno("data_size MIN", issue(DM_LIST_VERSIONS, dmi), 0);
}

static int huge_data_size_is_einval(void)
{
	static const unsigned int sizes[] = { (1U << 30) + 1, 0x80000000U,
					      0xffffffffU };

	return data_sizes_are_einval(sizes, ARRAY_SIZE(sizes));
}

/*
 * @size bytes that end where an inaccessible page begins (kept until the
 * program exits), or NULL.
 */
static void *before_guard(size_t size)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t span = (size + page - 1) / page * page;
	char *map = mmap(NULL, span + page, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (map == MAP_FAILED || mprotect(map + span, page, PROT_NONE))
		return NULL;
	return map + span - size;
}

static int data_size_beyond_buffer_is_efault(void)
{
	long page = sysconf(_SC_PAGESIZE);
	struct dm_ioctl *dmi = before_guard(page);

	if (!dmi)
		return fail("mmap: %m");
	memset(dmi, 0, sizeof(*dmi));
	dmi->version[0] = 4;
	dmi->data_size = 2 * page;	/* runs into the guard page */
	dmi->data_start = HDR;
	return expect_errno("DM_LIST_VERSIONS", issue(DM_LIST_VERSIONS, dmi),
			    EFAULT);
}

static int null_pointer_is_efault(void)
{
	if (expect_errno("DM_VERSION", issue(DM_VERSION, NULL), EFAULT))
		return 1;
	return expect_errno("DM_LIST_VERSIONS", issue(DM_LIST_VERSIONS, NULL),
			    EFAULT);
}

static int nobody_gets_eacces(void)
{
	struct dm_ioctl *dmi = request(REPLY, NULL);

	return expect_errno("DM_VERSION as nobody", issue(DM_VERSION, dmi), EACCES) ||
	       expect_errno("DM_LIST_VERSIONS as nobody",
			    issue(DM_LIST_VERSIONS, dmi), EACCES);
}

static int non_root_is_eacces(void)
{
	return as_nobody(nobody_gets_eacces);
}

static int list_versions_small_buffer_sets_buffer_full(void)
{
	struct dm_ioctl *dmi = request(sizeof(*dmi), NULL);
	int r = issue(DM_LIST_VERSIONS, dmi);

	if (expect_errno("DM_LIST_VERSIONS", r, 0))
		return 1;
	if (!(dmi->flags & DM_BUFFER_FULL_FLAG))
		return fail("DM_BUFFER_FULL_FLAG not set for a %zu byte buffer",
			    sizeof(*dmi));
	if (dmi->data_size != MIN_SIZE)
		return fail("data_size %u after BUFFER_FULL, expected %zu",
			    dmi->data_size, MIN_SIZE);
	return 0;
}

static int list_versions_echoes_flags(void)
{
	struct dm_ioctl *dmi = request(REPLY, NULL);
	int r;

	/* libdevmapper's DM_EXISTS_FLAG (bit 2) and a stale BUFFER_FULL */
	dmi->flags = (1U << 2) | DM_BUFFER_FULL_FLAG;
	r = issue(DM_LIST_VERSIONS, dmi);
	if (expect_errno("DM_LIST_VERSIONS", r, 0))
		return 1;
	if (dmi->flags != (1U << 2))
		return fail("flags 0x%x, expected 0x4", dmi->flags);
	return 0;
}

/* Walk a version chain; return the record named @name or NULL. */
static struct dm_target_versions *walk(struct dm_ioctl *dmi, const char *name,
				       int *count)
{
	char *start = (char *)dmi + dmi->data_start;
	char *end = (char *)dmi + dmi->data_size;
	struct dm_target_versions *v = (void *)start, *found = NULL;

	*count = 0;
	while ((char *)v + sizeof(*v) < end) {
		if (((char *)v - (char *)dmi) % 8)
			return NULL;
		(*count)++;
		if (!strcmp(v->name, name))
			found = v;
		if (!v->next)
			break;
		v = (void *)((char *)v + v->next);
	}
	return found;
}

static int list_versions_copies_back_only_data_size(void)
{
	struct dm_ioctl *dmi = request(REPLY, NULL);
	struct dm_target_versions *v;
	unsigned char *p = (unsigned char *)dmi;
	int r, count;
	size_t i;

	memset(p + MIN_SIZE, 0xaa, REPLY - MIN_SIZE);
	r = issue(DM_LIST_VERSIONS, dmi);
	if (expect_errno("DM_LIST_VERSIONS", r, 0))
		return 1;
	if (dmi->data_start != HDR)
		return fail("data_start %u, expected %zu", dmi->data_start,
			    HDR);
	if (dmi->data_size <= HDR || dmi->data_size > REPLY)
		return fail("data_size %u", dmi->data_size);
	for (i = dmi->data_size; i < REPLY; i++)
		if (p[i] != 0xaa)
			return fail("byte %zu beyond data_size %u was written",
				    i, dmi->data_size);
	v = walk(dmi, TARGET, &count);
	if (!v)
		return fail(TARGET " not in a chain of %d records", count);
	if (v->version[0] != TARGET_V0 || v->version[1] != TARGET_V1 ||
	    v->version[2] != TARGET_V2)
		return fail(TARGET " v%u.%u.%u, expected v%u.%u.%u",
			    v->version[0], v->version[1], v->version[2],
			    TARGET_V0, TARGET_V1, TARGET_V2);
	return 0;
}

static int get_target_version_reports_one(void)
{
	struct dm_ioctl *dmi = request(REPLY, TARGET);
	struct dm_target_versions *v;
	int r, count;

	r = issue(DM_GET_TARGET_VERSION, dmi);
	if (expect_errno("DM_GET_TARGET_VERSION", r, 0))
		return 1;
	v = walk(dmi, TARGET, &count);
	if (!v || count != 1 || v->next)
		return fail("expected exactly one record, got %d", count);
	if (v->version[0] != TARGET_V0 || v->version[1] != TARGET_V1 ||
	    v->version[2] != TARGET_V2)
		return fail(TARGET " v%u.%u.%u", v->version[0], v->version[1],
			    v->version[2]);
	return 0;
}

static int get_target_version_unknown_is_einval(void)
{
	struct dm_ioctl *dmi = request(REPLY, "nosuchtarget");

	return expect_errno("DM_GET_TARGET_VERSION",
			    issue(DM_GET_TARGET_VERSION, dmi), EINVAL);
}

static int get_target_version_unterminated_name_is_einval(void)
{
	struct dm_ioctl *dmi = request(REPLY, NULL);

	memset(dmi->name, 's', sizeof(dmi->name));
	return expect_errno("DM_GET_TARGET_VERSION",
			    issue(DM_GET_TARGET_VERSION, dmi), EINVAL);
}

static int name_and_uuid_together_is_einval(void)
{
	struct dm_ioctl *dmi = request(REPLY, TARGET);

	snprintf(dmi->uuid, sizeof(dmi->uuid), "%s", "some-uuid");
	return expect_errno("DM_GET_TARGET_VERSION",
			    issue(DM_GET_TARGET_VERSION, dmi), EINVAL);
}

static int secure_data_wipes_caller_buffer(void)
{
	struct dm_ioctl *dmi = request(REPLY, NULL);
	unsigned char *p = (unsigned char *)dmi;
	int r;
	size_t i;

	memset(p + MIN_SIZE, 0x5a, REPLY - MIN_SIZE);
	dmi->flags = DM_SECURE_DATA_FLAG;
	r = issue(DM_LIST_VERSIONS, dmi);
	if (expect_errno("DM_LIST_VERSIONS", r, 0))
		return 1;
	if (dmi->flags & DM_SECURE_DATA_FLAG)
		return fail("DM_SECURE_DATA_FLAG echoed back");
	for (i = dmi->data_size; i < REPLY; i++)
		if (p[i])
			return fail("byte %zu of the request survived", i);
	return 0;
}

/*
 * The commands that take no parameters (create, status, clear, remove,
 * ARM_POLL) copy back the header up to its data field, with data_size
 * saying so, and nothing beyond, however large the caller's data_size;
 * VERSION writes the version alone and REMOVE_ALL nothing (data_size is
 * left as sent).  Upstream once copied kernel stack past the header ("dm
 * ioctl: prevent stack leak in dm ioctl call").
 */
static int no_params_commands_copy_back_only_the_header(void)
{
	/* the first four make, look at and remove the device sdmi-np */
	static const struct {
		unsigned long cmd;
		const char *name;
	} cmds[] = {
		{ DM_DEV_CREATE, "DM_DEV_CREATE" },
		{ DM_DEV_STATUS, "DM_DEV_STATUS" },
		{ DM_TABLE_CLEAR, "DM_TABLE_CLEAR" },
		{ DM_DEV_REMOVE, "DM_DEV_REMOVE" },
		{ DM_REMOVE_ALL, "DM_REMOVE_ALL" },
		{ DM_DEV_ARM_POLL, "DM_DEV_ARM_POLL" },
		{ DM_VERSION, "DM_VERSION" },
	};
	size_t c, i;

	for (c = 0; c < ARRAY_SIZE(cmds); c++) {
		bool named = c < 4;
		bool as_sent = cmds[c].cmd == DM_VERSION || cmds[c].cmd == DM_REMOVE_ALL;
		struct dm_ioctl *dmi = request(REPLY, named ? "sdmi-np" : NULL);
		unsigned char *p = (unsigned char *)dmi;

		memset(p + MIN_SIZE, POISON, REPLY - MIN_SIZE);
		if (expect_errno(cmds[c].name, issue(cmds[c].cmd, dmi), 0))
			return 1;
		if (dmi->data_size != (as_sent ? REPLY : MIN_SIZE))
			return fail("%s: data_size %u, expected %zu", cmds[c].name,
				    dmi->data_size, as_sent ? REPLY : MIN_SIZE);
		for (i = MIN_SIZE; i < REPLY; i++)
			if (p[i] != POISON)
				return fail("%s: byte %zu was written", cmds[c].name, i);
		free(dmi);
	}
	return 0;
}

/*
 * The request is a struct dm_ioctl whatever the command number says: its
 * size and direction bits are not looked at ("dm ioctl: use constant
 * struct size"), only its type and number.
 */
static int ioctl_size_and_direction_are_ignored(void)
{
	static const unsigned long cmds[] = {
		_IO(DM_IOCTL, DM_VERSION_CMD),
		_IOR(DM_IOCTL, DM_VERSION_CMD, int),
		_IOW(DM_IOCTL, DM_VERSION_CMD, char[8]),
		_IOC(_IOC_READ | _IOC_WRITE, DM_IOCTL, DM_VERSION_CMD, 0x3fff),
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		struct dm_ioctl *dmi = request(sizeof(*dmi), NULL);

		if (expect_errno("DM_VERSION", issue(cmds[i], dmi), 0))
			return fail("ioctl number %#lx refused", cmds[i]);
		if (dmi->version[0] != want[0] || dmi->version[1] != want[1])
			return fail("ioctl number %#lx: version %u.%u", cmds[i],
				    dmi->version[0], dmi->version[1]);
		free(dmi);
	}
	return 0;
}

#define FLIPS		4000	/* calls at least while the header changes */
#define FLIP_SECS	60	/* and until both outcomes were seen, at most */
/*
 * The refused data_size differs from REPLY (0x00010000) in its top byte
 * only.  copy_from_user() need not read a field in one access, so a
 * header fetched while the flipper writes can mix the bytes of the two
 * values; with one byte differing, every mix is REPLY or too big, and an
 * EFAULT means a copy with a size that was never validated.  (The value
 * was 0xffffffff once: on 6.1 with 4 CPUs under TCG, sdm read mixes such
 * as 0x00ffffff and 0x000100ff, valid sizes beyond the buffer, and the
 * copy of the payload ran into the guard page.)
 */
#define BAD_SIZE	(REPLY | 0x80000000U)

static struct dm_ioctl *flipped;	/* the request the flipper rewrites */
static atomic_bool flipping;
static atomic_uint flips;		/* rewrites done so far */

/* Rewrite data_size and version[0] of @flipped, one and the other. */
static void *flip_header(void *arg)
{
	unsigned int i = 0;

	(void)arg;
	/* relaxed atomic stores: each one reaches memory, none is merged */
	while (atomic_load(&flipping)) {
		__atomic_store_n(&flipped->data_size, i & 1 ? BAD_SIZE : REPLY,
				 __ATOMIC_RELAXED);
		__atomic_store_n(&flipped->version[0], i & 2 ? 5 : 4, __ATOMIC_RELAXED);
		i++;
		atomic_store(&flips, i);
	}
	return NULL;
}

/*
 * data_size and version rewritten by a second thread while the calls run
 * (upstream fetched them twice: "dm ioctl: prevent unsafe change to
 * dm_ioctl data_size", and the version race of 249bed821b4d).  The
 * request ends at a guard page: a call that validated REPLY but copied
 * with the rewritten size would fault (EFAULT).  Every call sees one
 * value of each and succeeds or gives EINVAL; both must happen, so the
 * calls go on past FLIPS until they have (a call sees a success only when
 * it read version 4 and then data_size REPLY, which with the flipper on
 * another CPU can take more than FLIPS calls).
 */
static int header_rewritten_during_call(void)
{
	unsigned int ok = 0, einval = 0, i;
	time_t end = time(NULL) + FLIP_SECS;
	pthread_t t;
	int r = 0, e;

	flipped = before_guard(REPLY);
	if (!flipped)
		return fail("mmap: %m");
	memset(flipped, 0, REPLY);
	flipped->version[0] = 4;
	flipped->data_size = REPLY;
	flipped->data_start = HDR;
	atomic_store(&flipping, true);
	if (pthread_create(&t, NULL, flip_header, NULL))
		return fail("pthread_create failed");
	/*
	 * On one CPU the flipper runs only when this thread gives way: wait
	 * for its first rewrite, and give way every 64 calls
	 */
	while (!atomic_load(&flips))
		sched_yield();
	for (i = 0; !r && (i < FLIPS || ((!ok || !einval) && time(NULL) < end)); i++) {
		if (!(i % 64))
			sched_yield();
		flipped->data_start = HDR;
		e = issue(DM_LIST_VERSIONS, flipped);
		if (!e)
			ok++;
		else if (e == EINVAL)
			einval++;
		else
			r = fail("call %u: %s, not success or EINVAL", i, ename(e));
	}
	atomic_store(&flipping, false);
	pthread_join(t, NULL);
	printf("measured: %u calls succeeded, %u got EINVAL\n", ok, einval);
	if (!r && (!ok || !einval))
		r = fail("the rewrites never showed in %d s (%u succeeded, %u EINVAL)",
			 FLIP_SECS, ok, einval);
	return r;
}

/*
 * LIST_VERSIONS while the caller loads and unloads a target module
 * (basic/065): the reply grows and shrinks between calls and during them.
 * In a buffer of exactly the smaller listing's size, ending at a guard
 * page, every reply either fits (a chain within data_size) or sets
 * DM_BUFFER_FULL_FLAG, and nothing past data_size is written (upstream's
 * second pass could overrun the first pass's size).  The change of size
 * must be seen a few times.
 */
static int list_versions_while_targets_come_and_go(void)
{
	unsigned int small = -1U, big = 0, fits = 0, full = 0, changes = 0;
	time_t end = time(NULL) + 120;
	struct dm_ioctl *dmi;
	int was_full = -1, count;
	unsigned char *p;
	size_t i;

	while ((small == -1U || small == big) && time(NULL) < end) {
		dmi = request(REPLY, NULL);
		if (expect_errno("DM_LIST_VERSIONS", issue(DM_LIST_VERSIONS, dmi), 0))
			return 1;
		small = dmi->data_size < small ? dmi->data_size : small;
		big = dmi->data_size > big ? dmi->data_size : big;
		free(dmi);
	}
	if (small == big)
		return fail("the listing stayed at %u bytes: no module came or went", small);
	dmi = before_guard(small);
	if (!dmi)
		return fail("mmap: %m");
	p = (unsigned char *)dmi;
	while (changes < 6 && time(NULL) < end) {
		memset(p, POISON, small);
		memset(dmi, 0, MIN_SIZE);
		dmi->version[0] = 4;
		dmi->data_size = small;
		dmi->data_start = HDR;
		if (expect_errno("DM_LIST_VERSIONS", issue(DM_LIST_VERSIONS, dmi), 0))
			return 1;
		if (dmi->data_size > small)
			return fail("data_size %u in a %u-byte buffer", dmi->data_size, small);
		for (i = dmi->data_size; i < small; i++)
			if (p[i] != POISON)
				return fail("byte %zu beyond data_size %u was written",
					    i, dmi->data_size);
		if (dmi->flags & DM_BUFFER_FULL_FLAG) {
			full++;
		} else {
			if (!walk(dmi, TARGET, &count))
				return fail(TARGET " not in a reply of %u bytes (%d records)",
					    dmi->data_size, count);
			fits++;
		}
		if (was_full != -1 && was_full != !!(dmi->flags & DM_BUFFER_FULL_FLAG))
			changes++;
		was_full = !!(dmi->flags & DM_BUFFER_FULL_FLAG);
	}
	printf("measured: listing of %u or %u bytes: %u replies fitted, %u were full, %u changes\n",
	       small, big, fits, full, changes);
	if (changes < 6)
		return fail("the reply changed between fitting and full %u times in 120 s",
			    changes);
	return 0;
}

static const struct check checks[] = {
	CHECK(version_reports_header_version),
	CHECK(version_newer_minor_is_einval),
	CHECK(version_wrong_major_is_einval),
	CHECK(unknown_command_is_enotty),
	CHECK(wrong_ioctl_type_is_enotty),
	CHECK(short_data_size_is_einval),
	CHECK(huge_data_size_is_einval),
	CHECK(data_size_beyond_buffer_is_efault),
	CHECK(null_pointer_is_efault),
	CHECK(non_root_is_eacces),
	CHECK(list_versions_small_buffer_sets_buffer_full),
	CHECK(list_versions_echoes_flags),
	CHECK(list_versions_copies_back_only_data_size),
	CHECK(get_target_version_reports_one),
	CHECK(get_target_version_unknown_is_einval),
	CHECK(get_target_version_unterminated_name_is_einval),
	CHECK(name_and_uuid_together_is_einval),
	CHECK(secure_data_wipes_caller_buffer),
	CHECK(no_params_commands_copy_back_only_the_header),
	CHECK(ioctl_size_and_direction_are_ignored),
	CHECK(header_rewritten_during_call),
	CHECK(list_versions_while_targets_come_and_go),
};

int main(int argc, char **argv)
{
	const char *ver = getenv("SDM_EXPECT_VERSION");
	const struct check *c;
	int r;

	r = list_checks(argc, argv, checks, ARRAY_SIZE(checks));
	if (r >= 0)
		return r;
	if (!ver || sscanf(ver, "%u.%u.%u", &want[0], &want[1], &want[2]) != 3) {
		fprintf(stderr, "SDM_EXPECT_VERSION must be set (major.minor.patch)\n");
		return 2;
	}
	c = select_check(argv[1], checks, ARRAY_SIZE(checks));
	if (!c)
		return 2;
	ctl = open_control();
	return c->fn();
}
