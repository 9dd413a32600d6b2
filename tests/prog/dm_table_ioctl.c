// SPDX-License-Identifier: GPL-2.0-only
/*
 * dm_table_ioctl - raw DM ioctl checks of the device and table commands
 * (DEV_CREATE, DEV_REMOVE, REMOVE_ALL, DEV_SUSPEND, DEV_STATUS, TABLE_LOAD,
 * TABLE_CLEAR, TABLE_STATUS, LIST_DEVICES) for what dmsetup cannot send.
 *
 *   dm_table_ioctl --list      print the names of all checks
 *   dm_table_ioctl CHECK       run one check; exit 0 if it holds
 *
 * The linear tables map DM_TABLE_IOCTL_BACKING (default /dev/ram0, at least
 * 1 MiB).  Devices are named "dmt-*" and removed again on every exit path;
 * the checks expect no other mapped device to exist.  Negative checks
 * assert the exact errno upstream's dm_mod returns.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/dm-ioctl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define PROG		"dm_table_ioctl"
#include "dm_prog.h"

#define BIT2		0x4U	/* flag bit 2, libdevmapper's DM_EXISTS_FLAG */
#define MAX_TARGETS	1048576U	/* upstream DM_MAX_TARGETS */

struct tgt {
	unsigned long long start;
	unsigned long long len;
	const char *type;
	char params[64];
};

/*
 * Lay out @n targets as libdevmapper does: each spec is followed by its
 * NUL-terminated parameters, 8-byte aligned, and its next field is the
 * offset of the following spec from this one (for the last spec, the end
 * of the data).  Spec offsets go to @offs if given.
 */
static struct dm_ioctl *table_request(const char *name, const struct tgt *t,
				      unsigned int n, size_t *offs)
{
	struct dm_ioctl *dmi = request(BIG, name);
	size_t off = HDR;
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct dm_target_spec *sp = (void *)((char *)dmi + off);
		size_t plen = strlen(t[i].params) + 1;
		size_t next = (SPEC + plen + 7) & ~7UL;

		sp->sector_start = t[i].start;
		sp->length = t[i].len;
		snprintf(sp->target_type, sizeof(sp->target_type), "%s", t[i].type);
		memcpy(sp + 1, t[i].params, plen);
		sp->next = next;
		if (offs)
			offs[i] = off;
		off += next;
	}
	dmi->target_count = n;
	dmi->data_size = off;
	return dmi;
}

static struct dm_target_spec *spec_at(struct dm_ioctl *dmi, size_t off)
{
	return (struct dm_target_spec *)((char *)dmi + off);
}

static void linear(struct tgt *t, unsigned long long start,
		   unsigned long long len, unsigned long long off)
{
	t->start = start;
	t->len = len;
	t->type = "linear";
	snprintf(t->params, sizeof(t->params), "%s %llu", backing, off);
}

/* The valid two-target table every malformed load is derived from. */
static struct dm_ioctl *good_table(const char *name, size_t *offs)
{
	struct tgt t[2];

	linear(&t[0], 0, 100, 0);
	linear(&t[1], 100, 100, 1000);
	return table_request(name, t, 2, offs);
}

static int load_good(const char *name)
{
	struct dm_ioctl *dmi = good_table(name, NULL);
	int r = issue(DM_TABLE_LOAD, dmi);

	free(dmi);
	return r;
}

/* Create @name with a live two-target table. */
static int make_live(const char *name)
{
	if (expect_errno("DEV_CREATE", create(name, NULL), 0) ||
	    expect_errno("TABLE_LOAD", load_good(name), 0) ||
	    expect_errno("resume", resume(name), 0))
		return 1;
	return 0;
}

/*
 * @bad is a malformed TABLE_LOAD for a device: it must fail with @err both
 * as the device's first load and as a reload over a staged valid table,
 * and leave that staged table (two targets) in place.
 */
static int expect_bad_load(struct dm_ioctl *bad, int err)
{
	const char *name = "dmt-bad";
	struct dm_ioctl *dmi, *copy = malloc(BIG);
	int r;

	if (!copy)
		return fail("malloc");
	snprintf(bad->name, sizeof(bad->name), "%s", name);
	memcpy(copy, bad, BIG);
	if (expect_errno("DEV_CREATE", create(name, NULL), 0))
		return 1;
	if (expect_errno("first TABLE_LOAD", issue(DM_TABLE_LOAD, bad), err))
		return 1;
	if (expect_errno("DEV_STATUS", dev_status(name, &dmi), 0))
		return 1;
	if (dmi->flags & (DM_INACTIVE_PRESENT_FLAG | DM_ACTIVE_PRESENT_FLAG))
		return fail("a table is present after the failed first load (flags 0x%x)",
			    dmi->flags);
	if (expect_errno("valid TABLE_LOAD", load_good(name), 0))
		return 1;
	if (expect_errno("second TABLE_LOAD", issue(DM_TABLE_LOAD, copy), err))
		return 1;
	dmi = request(BIG, name);
	dmi->flags = DM_QUERY_INACTIVE_TABLE_FLAG;
	if (expect_errno("TABLE_STATUS inactive", issue(DM_TABLE_STATUS, dmi), 0))
		return 1;
	if (!(dmi->flags & DM_INACTIVE_PRESENT_FLAG) || dmi->target_count != 2)
		return fail("staged table lost by the failed reload (flags 0x%x, %u targets)",
			    dmi->flags, dmi->target_count);
	r = resume(name);
	if (expect_errno("resume of the staged table", r, 0))
		return 1;
	return expect_errno("DEV_REMOVE", dev_remove(name), 0);
}

static int table_load_valid_two_targets_goes_live(void)
{
	struct dm_ioctl *dmi;

	if (expect_errno("DEV_CREATE", create("dmt-good", NULL), 0))
		return 1;
	dmi = good_table("dmt-good", NULL);
	if (expect_errno("TABLE_LOAD", issue(DM_TABLE_LOAD, dmi), 0))
		return 1;
	if (!(dmi->flags & DM_INACTIVE_PRESENT_FLAG) ||
	    (dmi->flags & DM_ACTIVE_PRESENT_FLAG))
		return fail("TABLE_LOAD reply flags 0x%x: want INACTIVE_PRESENT only",
			    dmi->flags);
	if (expect_errno("resume", resume("dmt-good"), 0))
		return 1;
	if (expect_errno("DEV_STATUS", dev_status("dmt-good", &dmi), 0))
		return 1;
	if (!(dmi->flags & DM_ACTIVE_PRESENT_FLAG) ||
	    (dmi->flags & (DM_INACTIVE_PRESENT_FLAG | DM_SUSPEND_FLAG)) ||
	    dmi->target_count != 2)
		return fail("after resume: flags 0x%x, %u targets", dmi->flags,
			    dmi->target_count);
	return expect_errno("DEV_REMOVE", dev_remove("dmt-good"), 0);
}

static int table_load_zero_target_count_is_einval(void)
{
	struct dm_ioctl *dmi = good_table(NULL, NULL);

	dmi->target_count = 0;
	return expect_bad_load(dmi, EINVAL);
}

static int table_load_data_start_inside_header_is_einval(void)
{
	static const unsigned int starts[] = { 0, 8, 296, 304, HDR - 8 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(starts); i++) {
		struct dm_ioctl *dmi = good_table(NULL, NULL);

		dmi->data_start = starts[i];
		if (expect_bad_load(dmi, EINVAL))
			return fail("data_start %u accepted", starts[i]);
	}
	return 0;
}

static int table_load_data_start_misaligned_is_einval(void)
{
	struct dm_ioctl *dmi = good_table(NULL, NULL);

	/* move the whole payload up by 4 bytes and point data_start at it */
	memmove((char *)dmi + HDR + 4, (char *)dmi + HDR, dmi->data_size - HDR);
	dmi->data_start = HDR + 4;
	dmi->data_size += 4;
	return expect_bad_load(dmi, EINVAL);
}

static int table_load_data_start_beyond_buffer_is_einval(void)
{
	struct dm_ioctl *dmi = good_table(NULL, NULL);

	dmi->data_start = dmi->data_size;
	if (expect_bad_load(dmi, EINVAL))
		return 1;
	dmi = good_table(NULL, NULL);
	dmi->data_start = dmi->data_size + 4096;
	if (expect_bad_load(dmi, EINVAL))
		return 1;
	dmi = good_table(NULL, NULL);
	dmi->data_start = 0xfffffff8U;
	return expect_bad_load(dmi, EINVAL);
}

static int table_load_next_misaligned_is_einval(void)
{
	size_t offs[2];
	struct dm_ioctl *dmi = good_table(NULL, offs);
	struct dm_target_spec *sp = spec_at(dmi, offs[0]);

	/* the second spec really is there, 4 bytes further on */
	memmove((char *)sp + sp->next + 4, (char *)sp + sp->next,
		dmi->data_size - offs[1]);
	sp->next += 4;
	dmi->data_size += 4;
	return expect_bad_load(dmi, EINVAL);
}

static int table_load_next_zero_is_einval(void)
{
	size_t offs[2];
	struct dm_ioctl *dmi = good_table(NULL, offs);

	/* the second spec would be the first one again */
	spec_at(dmi, offs[0])->next = 0;
	return expect_bad_load(dmi, EINVAL);
}

static int table_load_next_into_previous_params_is_einval(void)
{
	size_t offs[2];
	struct dm_ioctl *dmi = good_table(NULL, offs);
	struct dm_target_spec *sp = spec_at(dmi, offs[0]);
	size_t plen = strlen((char *)(sp + 1));

	/* 8-aligned, but inside the first spec's parameter string */
	if (plen < 9)
		return fail("backing path too short for this check");
	sp->next = SPEC + 8;
	return expect_bad_load(dmi, EINVAL);
}

static int table_load_params_running_into_next_spec_is_einval(void)
{
	size_t offs[2];
	struct dm_ioctl *dmi = good_table(NULL, offs);
	char *p = (char *)(spec_at(dmi, offs[0]) + 1);
	size_t plen = strlen(p);

	/*
	 * No NUL before the second spec: the first NUL is inside it, so the
	 * second spec overlaps the first one's parameters.
	 */
	memset(p + plen, ' ', (char *)dmi + offs[1] - (p + plen));
	return expect_bad_load(dmi, EINVAL);
}

static int table_load_next_wrapping_backwards_is_einval(void)
{
	static const unsigned int nexts[] = { 0xfffffff8U, 0x80000000U,
					      0xffffffffU - HDR + 1 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(nexts); i++) {
		size_t offs[2];
		struct dm_ioctl *dmi = good_table(NULL, offs);

		spec_at(dmi, offs[0])->next = nexts[i];
		if (expect_bad_load(dmi, EINVAL))
			return fail("next 0x%x accepted", nexts[i]);
	}
	return 0;
}

static int table_load_next_beyond_buffer_is_einval(void)
{
	size_t offs[2];
	struct dm_ioctl *dmi = good_table(NULL, offs);
	struct dm_target_spec *sp = spec_at(dmi, offs[0]);

	sp->next = dmi->data_size - offs[0];
	if (expect_bad_load(dmi, EINVAL))
		return 1;
	dmi = good_table(NULL, offs);
	sp = spec_at(dmi, offs[0]);
	sp->next = dmi->data_size - offs[0] + 4096;
	return expect_bad_load(dmi, EINVAL);
}

static int table_load_spec_without_room_for_params_is_einval(void)
{
	size_t offs[2];
	struct dm_ioctl *dmi = good_table(NULL, offs);
	struct dm_target_spec *sp = spec_at(dmi, offs[0]);

	/* a whole spec fits before the end, but not one byte of parameters */
	dmi->data_size = offs[1] + SPEC;
	sp->next = offs[1] - offs[0];
	memset((char *)dmi + offs[1] + SPEC, 0, 8);
	return expect_bad_load(dmi, EINVAL);
}

static int table_load_params_not_terminated_is_einval(void)
{
	size_t offs[2];
	struct dm_ioctl *dmi = good_table(NULL, offs);
	char *p = (char *)(spec_at(dmi, offs[1]) + 1);

	/* the buffer ends right after the last parameter character */
	dmi->data_size = p + strlen(p) - (char *)dmi;
	return expect_bad_load(dmi, EINVAL);
}

static int table_load_target_type_not_terminated_is_einval(void)
{
	size_t offs[2];
	struct dm_ioctl *dmi = good_table(NULL, offs);
	struct dm_target_spec *sp = spec_at(dmi, offs[1]);

	memcpy(sp->target_type, "linearlinearline", sizeof(sp->target_type));
	return expect_bad_load(dmi, EINVAL);
}

static int table_load_huge_target_count_is_eoverflow(void)
{
	static const unsigned int counts[] = { MAX_TARGETS + 1, 0x80000000U,
					       0xffffffffU };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(counts); i++) {
		struct dm_ioctl *dmi = good_table(NULL, NULL);

		dmi->target_count = counts[i];
		if (expect_bad_load(dmi, EOVERFLOW))
			return fail("target_count %u", counts[i]);
	}
	return 0;
}

static int table_load_target_count_beyond_specs_is_einval(void)
{
	struct dm_ioctl *dmi = good_table(NULL, NULL);

	dmi->target_count = 3;
	if (expect_bad_load(dmi, EINVAL))
		return 1;
	dmi = good_table(NULL, NULL);
	dmi->target_count = 1000;
	return expect_bad_load(dmi, EINVAL);
}

static int table_load_last_spec_next_is_ignored(void)
{
	size_t offs[2];
	struct dm_ioctl *dmi;
	unsigned int next;
	static const unsigned int nexts[] = { 0, 3, 0xdeadbeefU };
	unsigned int i;

	if (expect_errno("DEV_CREATE", create("dmt-last", NULL), 0))
		return 1;
	for (i = 0; i < ARRAY_SIZE(nexts); i++) {
		next = nexts[i];
		dmi = good_table("dmt-last", offs);
		spec_at(dmi, offs[1])->next = next;
		if (expect_errno("TABLE_LOAD", issue(DM_TABLE_LOAD, dmi), 0))
			return fail("last spec's next 0x%x refused", next);
		free(dmi);
	}
	if (expect_errno("resume", resume("dmt-last"), 0))
		return 1;
	return expect_errno("DEV_REMOVE", dev_remove("dmt-last"), 0);
}

static int table_load_length_overflow_is_einval(void)
{
	struct tgt t[2];
	struct dm_ioctl *dmi;

	linear(&t[0], 0, ~0ULL, 0);
	dmi = table_request(NULL, t, 1, NULL);
	if (expect_bad_load(dmi, EINVAL))
		return 1;
	linear(&t[0], 0, 100, 0);
	linear(&t[1], 100, ~0ULL - 50, 0);
	dmi = table_request(NULL, t, 2, NULL);
	return expect_bad_load(dmi, EINVAL);
}

static int table_load_unknown_device_is_enxio(void)
{
	struct dm_ioctl *dmi = good_table("dmt-nosuch", NULL);

	return expect_errno("TABLE_LOAD", issue(DM_TABLE_LOAD, dmi), ENXIO);
}

/* A device command of the lookup checks, with the flags it is sent with. */
struct dev_cmd {
	const char *what;
	unsigned long cmd;
	unsigned int flags;
};

/* The header-only commands that look a device up. */
static const struct dev_cmd lookup_cmds[] = {
	{ "DEV_STATUS", DM_DEV_STATUS, 0 },
	{ "DEV_REMOVE", DM_DEV_REMOVE, 0 },
	{ "suspend", DM_DEV_SUSPEND, DM_SUSPEND_FLAG },
	{ "resume", DM_DEV_SUSPEND, 0 },
	{ "TABLE_STATUS", DM_TABLE_STATUS, 0 },
	{ "TABLE_CLEAR", DM_TABLE_CLEAR, 0 },
};

/* TABLE_LOAD looks its device up too, but needs a table to get that far. */
static const struct dev_cmd table_load_cmd = {
	"TABLE_LOAD", DM_TABLE_LOAD, 0
};

/* @c naming dmt-nu by both name and uuid is refused with EINVAL. */
static int name_and_uuid_refused(const struct dev_cmd *c)
{
	struct dm_ioctl *dmi;
	int r;

	dmi = c->cmd == DM_TABLE_LOAD ? good_table("dmt-nu", NULL) :
		request(BIG, "dmt-nu");
	snprintf(dmi->uuid, sizeof(dmi->uuid), "%s", "dmt-nu-uuid");
	dmi->flags = c->flags;
	r = expect_errno(c->what, issue(c->cmd, dmi), EINVAL);
	free(dmi);
	return r;
}

/* Name and uuid together are refused before any lookup. */
static int name_and_uuid_together_is_einval(void)
{
	unsigned int i;

	if (expect_errno("DEV_CREATE", create("dmt-nu", "dmt-nu-uuid"), 0))
		return 1;
	for (i = 0; i < ARRAY_SIZE(lookup_cmds); i++)
		if (name_and_uuid_refused(&lookup_cmds[i]))
			return 1;
	if (name_and_uuid_refused(&table_load_cmd))
		return 1;
	if (!dev_of("dmt-nu"))
		return fail("the device vanished");
	return expect_errno("DEV_REMOVE", dev_remove("dmt-nu"), 0);
}

/* Upstream: name with dev, or uuid with dev, finds nothing (ENXIO). */
static int name_or_uuid_with_dev_is_enxio(void)
{
	unsigned long long dev;
	struct dm_ioctl *dmi;
	unsigned int i, pass;

	if (expect_errno("DEV_CREATE", create("dmt-nd", "dmt-nd-uuid"), 0))
		return 1;
	dev = dev_of("dmt-nd");
	if (!dev)
		return fail("no dev for dmt-nd");
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < ARRAY_SIZE(lookup_cmds); i++) {
			/* both identify the same device */
			dmi = request(BIG, pass ? NULL : "dmt-nd");
			if (pass)
				snprintf(dmi->uuid, sizeof(dmi->uuid), "%s", "dmt-nd-uuid");
			dmi->dev = dev;
			dmi->flags = lookup_cmds[i].flags;
			if (expect_errno(lookup_cmds[i].what,
					 issue(lookup_cmds[i].cmd, dmi), ENXIO))
				return fail("%s together with dev", pass ? "uuid" : "name");
			free(dmi);
		}
	}
	if (expect_errno("DEV_STATUS", dev_status("dmt-nd", &dmi), 0))
		return 1;
	if (dmi->flags & DM_SUSPEND_FLAG)
		return fail("the device was suspended");
	return expect_errno("DEV_REMOVE", dev_remove("dmt-nd"), 0);
}

static int unknown_device_is_enxio(void)
{
	unsigned long long dev;
	struct dm_ioctl *dmi;
	unsigned int i, how;

	/* one real device, so that the lookups have something to miss */
	if (expect_errno("DEV_CREATE", create("dmt-real", "dmt-real-uuid"), 0))
		return 1;
	dev = dev_of("dmt-real");
	for (how = 0; how < 4; how++) {
		for (i = 0; i < ARRAY_SIZE(lookup_cmds); i++) {
			dmi = request(BIG, NULL);
			if (how == 0)
				snprintf(dmi->name, sizeof(dmi->name), "%s", "dmt-nosuch");
			else if (how == 1)
				snprintf(dmi->uuid, sizeof(dmi->uuid), "%s", "dmt-nosuch");
			else if (how == 2)
				dmi->dev = makedev(major(dev), minor(dev) + 1);
			/* how == 3: no identifier at all */
			dmi->flags = lookup_cmds[i].flags;
			if (expect_errno(lookup_cmds[i].what,
					 issue(lookup_cmds[i].cmd, dmi), ENXIO))
				return fail("lookup %s", how == 0 ? "by name" :
					    how == 1 ? "by uuid" : how == 2 ?
					    "by dev" : "without identifier");
			free(dmi);
		}
	}
	return expect_errno("DEV_REMOVE", dev_remove("dmt-real"), 0);
}

static int dev_create_reply_describes_new_device(void)
{
	struct dm_ioctl *dmi = request(sizeof(*dmi), "dmt-new");
	struct dm_ioctl *st;

	dmi->flags = DM_INACTIVE_PRESENT_FLAG;
	if (expect_errno("DEV_CREATE", issue(DM_DEV_CREATE, dmi), 0))
		return 1;
	if (!dmi->dev || dmi->open_count || dmi->target_count ||
	    (dmi->flags & (DM_ACTIVE_PRESENT_FLAG | DM_INACTIVE_PRESENT_FLAG |
			   DM_SUSPEND_FLAG | DM_READONLY_FLAG)))
		return fail("reply: dev 0x%llx open %d targets %u flags 0x%x",
			    (unsigned long long)dmi->dev, dmi->open_count,
			    dmi->target_count, dmi->flags);
	if (strcmp(dmi->name, "dmt-new") || dmi->uuid[0])
		return fail("reply name '%s' uuid '%s'", dmi->name, dmi->uuid);
	if (expect_errno("DEV_STATUS", dev_status("dmt-new", &st), 0))
		return 1;
	if (st->dev != dmi->dev)
		return fail("DEV_STATUS dev 0x%llx, create said 0x%llx",
			    (unsigned long long)st->dev, (unsigned long long)dmi->dev);
	return expect_errno("DEV_REMOVE", dev_remove("dmt-new"), 0);
}

static int dev_create_without_name_is_einval(void)
{
	struct dm_ioctl *dmi = request(sizeof(*dmi), NULL);
	int r;

	if (expect_errno("DEV_CREATE no name", issue(DM_DEV_CREATE, dmi), EINVAL))
		return 1;
	snprintf(dmi->uuid, sizeof(dmi->uuid), "%s", "dmt-uuid-only");
	r = issue(DM_DEV_CREATE, dmi);
	return expect_errno("DEV_CREATE uuid only", r, EINVAL);
}

static int dev_create_bad_names_are_einval(void)
{
	static const char *const names[] = { "control", ".", "..", "a/b", "/",
					     "dmt/", "/dmt" };
	struct dm_ioctl *dmi;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		dmi = request(sizeof(*dmi), names[i]);
		if (expect_errno("DEV_CREATE", issue(DM_DEV_CREATE, dmi), EINVAL))
			return fail("name '%s' accepted", names[i]);
		free(dmi);
	}
	dmi = request(BIG, NULL);
	if (expect_errno("LIST_DEVICES", issue(DM_LIST_DEVICES, dmi), 0))
		return 1;
	if (((struct dm_name_list *)((char *)dmi + dmi->data_start))->dev)
		return fail("a refused name left a device behind");
	/* names that merely look odd are fine */
	if (expect_errno("DEV_CREATE .dmt", create(".dmt", NULL), 0) ||
	    expect_errno("DEV_CREATE controller", create("controller", NULL), 0) ||
	    expect_errno("DEV_CREATE ...", create("...", NULL), 0))
		return 1;
	if (dev_remove(".dmt") || dev_remove("controller") || dev_remove("..."))
		return fail("cannot remove the odd names");
	return 0;
}

/* validate_params forces name[127] and uuid[128] to NUL. */
static int dev_create_unterminated_name_and_uuid_are_cut(void)
{
	struct dm_ioctl *dmi = request(sizeof(*dmi), NULL);
	char name[DM_NAME_LEN], uuid[DM_UUID_LEN];

	memset(dmi->name, 'n', sizeof(dmi->name));
	memset(dmi->uuid, 'u', sizeof(dmi->uuid));
	if (expect_errno("DEV_CREATE", issue(DM_DEV_CREATE, dmi), 0))
		return 1;
	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = 0;
	memset(uuid, 'u', sizeof(uuid) - 1);
	uuid[sizeof(uuid) - 1] = 0;
	if (strcmp(dmi->name, name) || strcmp(dmi->uuid, uuid))
		return fail("reply name/uuid are not the first 127/128 characters");
	if (!dev_of(name))
		return fail("no device named by the first 127 characters");
	return expect_errno("DEV_REMOVE", dev_remove(name), 0);
}

static int dev_create_duplicate_name_or_uuid_is_ebusy(void)
{
	unsigned long long dev;

	if (expect_errno("DEV_CREATE", create("dmt-dup", "dmt-dup-uuid"), 0))
		return 1;
	dev = dev_of("dmt-dup");
	if (expect_errno("same name", create("dmt-dup", NULL), EBUSY) ||
	    expect_errno("same name, other uuid", create("dmt-dup", "dmt-other"), EBUSY) ||
	    expect_errno("same uuid", create("dmt-dup2", "dmt-dup-uuid"), EBUSY))
		return 1;
	if (dev_of("dmt-dup") != dev)
		return fail("the original device changed");
	if (dev_of("dmt-dup2") || dev_of("dmt-other"))
		return fail("a refused create left a device behind");
	return expect_errno("DEV_REMOVE", dev_remove("dmt-dup"), 0);
}

static int dev_create_persistent_minor(void)
{
	struct dm_ioctl *dmi = request(sizeof(*dmi), "dmt-p1");
	unsigned int dm_major;

	/* the major is ignored: only the minor is used */
	dmi->flags = DM_PERSISTENT_DEV_FLAG;
	dmi->dev = makedev(7, 200);
	if (expect_errno("DEV_CREATE minor 200", issue(DM_DEV_CREATE, dmi), 0))
		return 1;
	dm_major = major(dmi->dev);
	if (minor(dmi->dev) != 200 || dm_major == 7)
		return fail("got %u:%u for persistent minor 200", major(dmi->dev),
			    minor(dmi->dev));
	free(dmi);
	dmi = request(sizeof(*dmi), "dmt-p2");
	dmi->flags = DM_PERSISTENT_DEV_FLAG;
	dmi->dev = makedev(dm_major, 200);
	if (expect_errno("DEV_CREATE busy minor 200", issue(DM_DEV_CREATE, dmi), ENXIO))
		return 1;
	if (dev_of("dmt-p2"))
		return fail("the refused create left dmt-p2 behind");
	/* without the flag, dev is ignored */
	dmi->flags = 0;
	dmi->dev = makedev(dm_major, 201);
	if (expect_errno("DEV_CREATE without flag", issue(DM_DEV_CREATE, dmi), 0))
		return 1;
	if (minor(dmi->dev) == 200 || minor(dmi->dev) == 201)
		return fail("non-persistent create got minor %u", minor(dmi->dev));
	if (dev_remove("dmt-p1") || dev_remove("dmt-p2"))
		return fail("remove failed");
	return 0;
}

static int dev_status_by_dev_and_by_uuid(void)
{
	struct dm_ioctl *dmi;
	unsigned long long dev;

	if (expect_errno("DEV_CREATE", create("dmt-st", "dmt-st-uuid"), 0))
		return 1;
	dev = dev_of("dmt-st");
	dmi = request(sizeof(*dmi), NULL);
	dmi->dev = dev;
	if (expect_errno("DEV_STATUS by dev", issue(DM_DEV_STATUS, dmi), 0))
		return 1;
	if (strcmp(dmi->name, "dmt-st") || strcmp(dmi->uuid, "dmt-st-uuid") ||
	    dmi->dev != dev)
		return fail("by dev: name '%s' uuid '%s' dev 0x%llx", dmi->name,
			    dmi->uuid, (unsigned long long)dmi->dev);
	free(dmi);
	dmi = request(sizeof(*dmi), NULL);
	snprintf(dmi->uuid, sizeof(dmi->uuid), "%s", "dmt-st-uuid");
	if (expect_errno("DEV_STATUS by uuid", issue(DM_DEV_STATUS, dmi), 0))
		return 1;
	if (strcmp(dmi->name, "dmt-st") || dmi->dev != dev)
		return fail("by uuid: name '%s' dev 0x%llx", dmi->name,
			    (unsigned long long)dmi->dev);
	free(dmi);
	/* a device without a uuid reports an empty one */
	if (expect_errno("DEV_CREATE", create("dmt-st2", NULL), 0))
		return 1;
	dmi = request(sizeof(*dmi), NULL);
	dmi->dev = dev_of("dmt-st2");
	memset(dmi->uuid, 0, sizeof(dmi->uuid));
	if (expect_errno("DEV_STATUS by dev", issue(DM_DEV_STATUS, dmi), 0))
		return 1;
	if (strcmp(dmi->name, "dmt-st2") || dmi->uuid[0])
		return fail("dmt-st2: name '%s' uuid '%s'", dmi->name, dmi->uuid);
	/* remove by dev and by uuid */
	free(dmi);
	dmi = request(sizeof(*dmi), NULL);
	dmi->dev = dev_of("dmt-st2");
	if (expect_errno("DEV_REMOVE by dev", issue(DM_DEV_REMOVE, dmi), 0))
		return 1;
	free(dmi);
	dmi = request(sizeof(*dmi), NULL);
	snprintf(dmi->uuid, sizeof(dmi->uuid), "%s", "dmt-st-uuid");
	if (expect_errno("DEV_REMOVE by uuid", issue(DM_DEV_REMOVE, dmi), 0))
		return 1;
	if (dev_of("dmt-st") || dev_of("dmt-st2"))
		return fail("removed devices still answer");
	return 0;
}

/* Every command keeps the flag bits it does not own (libdm's bit 2). */
static int device_commands_echo_flag_bit2(void)
{
	static const struct dev_cmd cmds[] = {
		{ "DEV_CREATE", DM_DEV_CREATE, 0 },
		{ "TABLE_LOAD", DM_TABLE_LOAD, 0 },
		{ "DEV_STATUS", DM_DEV_STATUS, 0 },
		{ "resume", DM_DEV_SUSPEND, 0 },
		{ "TABLE_STATUS", DM_TABLE_STATUS, DM_STATUS_TABLE_FLAG },
		{ "LIST_DEVICES", DM_LIST_DEVICES, 0 },
		{ "suspend", DM_DEV_SUSPEND, DM_SUSPEND_FLAG },
		{ "TABLE_CLEAR", DM_TABLE_CLEAR, 0 },
		{ "DEV_REMOVE", DM_DEV_REMOVE, 0 },
		{ "REMOVE_ALL", DM_REMOVE_ALL, 0 },
	};
	struct dm_ioctl *dmi;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		dmi = cmds[i].cmd == DM_TABLE_LOAD ? good_table("dmt-echo", NULL) :
			request(BIG, "dmt-echo");
		dmi->flags = cmds[i].flags | BIT2;
		if (expect_errno(cmds[i].what, issue(cmds[i].cmd, dmi), 0))
			return 1;
		if (!(dmi->flags & BIT2))
			return fail("%s dropped flag bit 2 (flags 0x%x)", cmds[i].what,
				    dmi->flags);
		free(dmi);
	}
	return 0;
}

static int suspend_and_resume_are_idempotent(void)
{
	struct dm_ioctl *dmi;

	if (make_live("dmt-idem"))
		return 1;
	/* resume of an active device without a new table: no-op success */
	if (expect_errno("resume active", resume("dmt-idem"), 0) ||
	    expect_errno("suspend", suspend("dmt-idem"), 0) ||
	    expect_errno("suspend suspended", suspend("dmt-idem"), 0))
		return 1;
	if (expect_errno("DEV_STATUS", dev_status("dmt-idem", &dmi), 0))
		return 1;
	if (!(dmi->flags & DM_SUSPEND_FLAG))
		return fail("not suspended after suspend (flags 0x%x)", dmi->flags);
	if (expect_errno("resume", resume("dmt-idem"), 0) ||
	    expect_errno("DEV_STATUS", dev_status("dmt-idem", &dmi), 0))
		return 1;
	if (dmi->flags & DM_SUSPEND_FLAG)
		return fail("still suspended after resume (flags 0x%x)", dmi->flags);
	return expect_errno("DEV_REMOVE", dev_remove("dmt-idem"), 0);
}

static int resume_suspended_device_without_table_is_einval(void)
{
	struct dm_ioctl *dmi;

	if (expect_errno("DEV_CREATE", create("dmt-empty", NULL), 0) ||
	    expect_errno("resume of a fresh device", resume("dmt-empty"), 0) ||
	    expect_errno("suspend", suspend("dmt-empty"), 0) ||
	    expect_errno("resume without table", resume("dmt-empty"), EINVAL))
		return 1;
	if (expect_errno("DEV_STATUS", dev_status("dmt-empty", &dmi), 0))
		return 1;
	if (!(dmi->flags & DM_SUSPEND_FLAG) || (dmi->flags & DM_ACTIVE_PRESENT_FLAG))
		return fail("flags 0x%x after the failed resume", dmi->flags);
	/* a table makes it resumable; suspended devices can be removed too */
	if (expect_errno("TABLE_LOAD", load_good("dmt-empty"), 0) ||
	    expect_errno("resume with table", resume("dmt-empty"), 0) ||
	    expect_errno("suspend", suspend("dmt-empty"), 0))
		return 1;
	return expect_errno("DEV_REMOVE suspended", dev_remove("dmt-empty"), 0);
}

static int table_clear_drops_only_the_inactive_table(void)
{
	struct dm_ioctl *dmi;

	if (expect_errno("DEV_CREATE", create("dmt-clr", NULL), 0))
		return 1;
	dmi = request(sizeof(*dmi), "dmt-clr");
	dmi->flags = DM_INACTIVE_PRESENT_FLAG;
	if (expect_errno("TABLE_CLEAR without tables", issue(DM_TABLE_CLEAR, dmi), 0))
		return 1;
	if (dmi->flags & (DM_INACTIVE_PRESENT_FLAG | DM_ACTIVE_PRESENT_FLAG))
		return fail("TABLE_CLEAR reply flags 0x%x", dmi->flags);
	if (expect_errno("TABLE_LOAD", load_good("dmt-clr"), 0) ||
	    expect_errno("resume", resume("dmt-clr"), 0) ||
	    expect_errno("TABLE_LOAD", load_good("dmt-clr"), 0))
		return 1;
	free(dmi);
	dmi = request(sizeof(*dmi), "dmt-clr");
	if (expect_errno("TABLE_CLEAR", issue(DM_TABLE_CLEAR, dmi), 0))
		return 1;
	if ((dmi->flags & DM_INACTIVE_PRESENT_FLAG) ||
	    !(dmi->flags & DM_ACTIVE_PRESENT_FLAG) || dmi->target_count != 2)
		return fail("TABLE_CLEAR reply flags 0x%x, %u targets", dmi->flags,
			    dmi->target_count);
	if (expect_errno("DEV_STATUS", dev_status("dmt-clr", &dmi), 0))
		return 1;
	if (dmi->flags & DM_INACTIVE_PRESENT_FLAG)
		return fail("inactive table still present (flags 0x%x)", dmi->flags);
	return expect_errno("DEV_REMOVE", dev_remove("dmt-clr"), 0);
}

/* Load three targets and resume them; fill @expect with the table lines. */
static int three_targets(const char *name, char expect[3][64])
{
	struct tgt t[3];
	struct dm_ioctl *dmi;

	linear(&t[0], 0, 100, 0);
	linear(&t[1], 100, 50, 7);
	linear(&t[2], 150, 8, 1000);
	snprintf(expect[0], 64, "%s 0", backing_dev);
	snprintf(expect[1], 64, "%s 7", backing_dev);
	snprintf(expect[2], 64, "%s 1000", backing_dev);
	if (expect_errno("DEV_CREATE", create(name, NULL), 0))
		return 1;
	dmi = table_request(name, t, 3, NULL);
	if (expect_errno("TABLE_LOAD", issue(DM_TABLE_LOAD, dmi), 0))
		return 1;
	free(dmi);
	return expect_errno("resume", resume(name), 0);
}

static int table_status_next_is_relative_to_first_spec(void)
{
	static const unsigned long long starts[] = { 0, 100, 150 };
	static const unsigned long long lens[] = { 100, 50, 8 };
	char expect[3][64];
	struct dm_ioctl *dmi;
	char *out, *str = NULL;
	size_t off = 0, end = 0;
	unsigned int i, pass;

	if (three_targets("dmt-ts", expect))
		return 1;
	for (pass = 0; pass < 2; pass++) {
		dmi = request(BIG, "dmt-ts");
		dmi->flags = pass ? DM_STATUS_TABLE_FLAG : 0;
		if (expect_errno("TABLE_STATUS", issue(DM_TABLE_STATUS, dmi), 0))
			return 1;
		if (dmi->target_count != 3 || dmi->data_start != HDR ||
		    (dmi->flags & DM_BUFFER_FULL_FLAG))
			return fail("%u targets, data_start %u, flags 0x%x",
				    dmi->target_count, dmi->data_start, dmi->flags);
		out = (char *)dmi + dmi->data_start;
		off = 0;
		for (i = 0; i < 3; i++) {
			struct dm_target_spec *sp = (void *)(out + off);

			str = (char *)(sp + 1);
			if (sp->sector_start != starts[i] || sp->length != lens[i] ||
			    strcmp(sp->target_type, "linear") || sp->status)
				return fail("spec %u: %llu %llu '%s' status %d", i,
					    (unsigned long long)sp->sector_start,
					    (unsigned long long)sp->length,
					    sp->target_type, sp->status);
			if (strcmp(str, pass ? expect[i] : ""))
				return fail("spec %u: '%s', expected '%s'", i, str,
					    pass ? expect[i] : "");
			end = str + strlen(str) + 1 - out;
			/* offset of the next spec from the first one */
			if (sp->next != ((end + 7) & ~7UL))
				return fail("spec %u next %u, expected %zu", i,
					    sp->next, (end + 7) & ~7UL);
			off = sp->next;
		}
		if (dmi->data_size != dmi->data_start + end)
			return fail("data_size %u, expected %zu", dmi->data_size,
				    dmi->data_start + end);
		free(dmi);
	}
	return expect_errno("DEV_REMOVE", dev_remove("dmt-ts"), 0);
}

static int table_status_small_buffer_sets_buffer_full(void)
{
	static const unsigned int sizes[] = { MIN_SIZE, HDR, HDR + SPEC,
					      HDR + SPEC + 6, HDR + 60 };
	char expect[3][64];
	unsigned char *p;
	struct dm_ioctl *dmi;
	unsigned int i, j;

	if (three_targets("dmt-tsf", expect))
		return 1;
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		dmi = request(sizes[i], "dmt-tsf");
		p = (unsigned char *)dmi;
		memset(p + sizes[i], POISON, BIG - sizes[i]);
		dmi->flags = DM_STATUS_TABLE_FLAG;
		if (expect_errno("TABLE_STATUS", issue(DM_TABLE_STATUS, dmi), 0))
			return fail("buffer of %u bytes", sizes[i]);
		if (!(dmi->flags & DM_BUFFER_FULL_FLAG))
			return fail("no DM_BUFFER_FULL_FLAG with %u bytes", sizes[i]);
		if (dmi->data_size > sizes[i] || dmi->target_count != 3)
			return fail("%u-byte buffer: data_size %u, %u targets",
				    sizes[i], dmi->data_size, dmi->target_count);
		for (j = sizes[i]; j < BIG; j++)
			if (p[j] != POISON)
				return fail("%u-byte buffer: byte %u was written",
					    sizes[i], j);
		free(dmi);
	}
	return expect_errno("DEV_REMOVE", dev_remove("dmt-tsf"), 0);
}

static int table_status_inactive_and_empty(void)
{
	struct dm_ioctl *dmi;
	struct dm_target_spec *sp;
	char first[64];

	snprintf(first, sizeof(first), "%s 0", backing_dev);
	if (expect_errno("DEV_CREATE", create("dmt-tsi", NULL), 0))
		return 1;
	/* no table at all */
	dmi = request(BIG, "dmt-tsi");
	dmi->flags = DM_STATUS_TABLE_FLAG;
	if (expect_errno("TABLE_STATUS", issue(DM_TABLE_STATUS, dmi), 0))
		return 1;
	if (dmi->target_count || (dmi->flags & DM_ACTIVE_PRESENT_FLAG) ||
	    dmi->data_size > dmi->data_start)
		return fail("no table: %u targets, flags 0x%x, data_size %u",
			    dmi->target_count, dmi->flags, dmi->data_size);
	free(dmi);
	if (expect_errno("TABLE_LOAD", load_good("dmt-tsi"), 0))
		return 1;
	/* the live table is still empty, the inactive one has two targets */
	dmi = request(BIG, "dmt-tsi");
	dmi->flags = DM_STATUS_TABLE_FLAG;
	if (expect_errno("TABLE_STATUS live", issue(DM_TABLE_STATUS, dmi), 0))
		return 1;
	if (dmi->target_count || !(dmi->flags & DM_INACTIVE_PRESENT_FLAG))
		return fail("live: %u targets, flags 0x%x", dmi->target_count,
			    dmi->flags);
	free(dmi);
	dmi = request(BIG, "dmt-tsi");
	dmi->flags = DM_STATUS_TABLE_FLAG | DM_QUERY_INACTIVE_TABLE_FLAG;
	if (expect_errno("TABLE_STATUS inactive", issue(DM_TABLE_STATUS, dmi), 0))
		return 1;
	sp = (void *)((char *)dmi + dmi->data_start);
	if (dmi->target_count != 2 || sp->length != 100 ||
	    strcmp((char *)(sp + 1), first))
		return fail("inactive: %u targets, first '%s'", dmi->target_count,
			    (char *)(sp + 1));
	return expect_errno("DEV_REMOVE", dev_remove("dmt-tsi"), 0);
}

static int list_devices_empty_reports_dev_zero(void)
{
	struct dm_ioctl *dmi = request(BIG, NULL);
	struct dm_name_list *nl;

	/* libdevmapper hands in a zeroed buffer */
	dmi->flags = BIT2;
	if (expect_errno("LIST_DEVICES", issue(DM_LIST_DEVICES, dmi), 0))
		return 1;
	nl = (void *)((char *)dmi + dmi->data_start);
	if (dmi->data_start != HDR || (dmi->flags & DM_BUFFER_FULL_FLAG))
		return fail("data_start %u flags 0x%x", dmi->data_start, dmi->flags);
	if (nl->dev)
		return fail("first entry dev 0x%llx with no devices",
			    (unsigned long long)nl->dev);
	/* upstream does not count the terminating entry in data_size */
	if (dmi->data_size != HDR)
		return fail("data_size %u, expected %zu", dmi->data_size, HDR);
	return 0;
}

static int list_devices_tiny_buffer_sets_buffer_full(void)
{
	static const unsigned int sizes[] = { MIN_SIZE, HDR, HDR + 4, HDR + 7 };
	unsigned int i, j;

	/* no devices: the empty reply still needs 8 bytes for dev */
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		struct dm_ioctl *dmi = request(sizes[i], NULL);
		unsigned char *p = (unsigned char *)dmi;

		memset(p + sizes[i], POISON, BIG - sizes[i]);
		if (expect_errno("LIST_DEVICES", issue(DM_LIST_DEVICES, dmi), 0))
			return 1;
		if (!(dmi->flags & DM_BUFFER_FULL_FLAG) || dmi->data_size > sizes[i])
			return fail("%u-byte buffer: flags 0x%x data_size %u", sizes[i],
				    dmi->flags, dmi->data_size);
		for (j = sizes[i]; j < BIG; j++)
			if (p[j] != POISON)
				return fail("%u-byte buffer: byte %u was written",
					    sizes[i], j);
		free(dmi);
	}
	return 0;
}

static int list_devices_lists_names_devs_uuids(void)
{
	static const char *const names[] = { "dmt-a", "dmt-b", "dmt-c" };
	static const char *const uuids[] = { "dmt-a-uuid", NULL, "dmt-c-uuid" };
	struct dm_ioctl *dmi;
	struct dm_name_list *nl;
	unsigned int *ev, i, pass, size;
	char *uuid;

	for (i = 0; i < 3; i++)
		if (expect_errno("DEV_CREATE", create(names[i], uuids[i]), 0))
			return 1;
	for (pass = 0; pass < 2; pass++) {
		dmi = request(BIG, NULL);
		dmi->flags = pass ? DM_UUID_FLAG : 0;
		if (expect_errno("LIST_DEVICES", issue(DM_LIST_DEVICES, dmi), 0))
			return 1;
		nl = (void *)((char *)dmi + dmi->data_start);
		for (i = 0; i < 3; i++) {
			if (strcmp(nl->name, names[i]) || nl->dev != dev_of(names[i]))
				return fail("entry %u: '%s' dev 0x%llx", i, nl->name,
					    (unsigned long long)nl->dev);
			ev = (void *)(((unsigned long)nl->name + strlen(nl->name) + 8) & ~7UL);
			uuid = (char *)(ev + 2);
			if (ev[0] != 0)
				return fail("%s: event_nr %u", names[i], ev[0]);
			if (!pass && ev[1])
				return fail("%s: flags %u without DM_UUID_FLAG", names[i], ev[1]);
			if (pass && uuids[i] && (ev[1] != DM_NAME_LIST_FLAG_HAS_UUID ||
						 strcmp(uuid, uuids[i])))
				return fail("%s: flags %u uuid '%s'", names[i], ev[1], uuid);
			if (pass && !uuids[i] && ev[1] != DM_NAME_LIST_FLAG_DOESNT_HAVE_UUID)
				return fail("%s: flags %u", names[i], ev[1]);
			if (i == 2 ? nl->next : !nl->next)
				return fail("%s: next %u", names[i], nl->next);
			nl = (void *)((char *)nl + nl->next);
		}
		size = dmi->data_size;
		free(dmi);
		/* one byte short of the full reply */
		dmi = request(size - 1, NULL);
		dmi->flags = pass ? DM_UUID_FLAG : 0;
		if (expect_errno("LIST_DEVICES short", issue(DM_LIST_DEVICES, dmi), 0))
			return 1;
		if (!(dmi->flags & DM_BUFFER_FULL_FLAG))
			return fail("no DM_BUFFER_FULL_FLAG with %u of %u bytes",
				    size - 1, size);
		free(dmi);
	}
	for (i = 0; i < 3; i++)
		if (expect_errno("DEV_REMOVE", dev_remove(names[i]), 0))
			return 1;
	return 0;
}

static int remove_all_removes_every_closed_device(void)
{
	char name[32];
	struct dm_ioctl *dmi;
	unsigned int i;

	for (i = 0; i < 8; i++) {
		snprintf(name, sizeof(name), "dmt-ra%u", i);
		/* some live, one suspended, one with only an inactive table */
		if (i % 2 ? make_live(name) :
		    expect_errno("DEV_CREATE", create(name, NULL), 0))
			return 1;
		if (i == 3 && expect_errno("suspend", suspend(name), 0))
			return 1;
		if (i == 4 && expect_errno("TABLE_LOAD", load_good(name), 0))
			return 1;
	}
	dmi = request(sizeof(*dmi), NULL);
	if (expect_errno("REMOVE_ALL", issue(DM_REMOVE_ALL, dmi), 0))
		return 1;
	free(dmi);
	dmi = request(BIG, NULL);
	if (expect_errno("LIST_DEVICES", issue(DM_LIST_DEVICES, dmi), 0))
		return 1;
	if (((struct dm_name_list *)((char *)dmi + dmi->data_start))->dev)
		return fail("devices left after REMOVE_ALL");
	return 0;
}

static const struct check checks[] = {
	CHECK(table_load_valid_two_targets_goes_live),
	CHECK(table_load_zero_target_count_is_einval),
	CHECK(table_load_data_start_inside_header_is_einval),
	CHECK(table_load_data_start_misaligned_is_einval),
	CHECK(table_load_data_start_beyond_buffer_is_einval),
	CHECK(table_load_next_misaligned_is_einval),
	CHECK(table_load_next_zero_is_einval),
	CHECK(table_load_next_into_previous_params_is_einval),
	CHECK(table_load_params_running_into_next_spec_is_einval),
	CHECK(table_load_next_wrapping_backwards_is_einval),
	CHECK(table_load_next_beyond_buffer_is_einval),
	CHECK(table_load_spec_without_room_for_params_is_einval),
	CHECK(table_load_params_not_terminated_is_einval),
	CHECK(table_load_target_type_not_terminated_is_einval),
	CHECK(table_load_huge_target_count_is_eoverflow),
	CHECK(table_load_target_count_beyond_specs_is_einval),
	CHECK(table_load_last_spec_next_is_ignored),
	CHECK(table_load_length_overflow_is_einval),
	CHECK(table_load_unknown_device_is_enxio),
	CHECK(name_and_uuid_together_is_einval),
	CHECK(name_or_uuid_with_dev_is_enxio),
	CHECK(unknown_device_is_enxio),
	CHECK(dev_create_reply_describes_new_device),
	CHECK(dev_create_without_name_is_einval),
	CHECK(dev_create_bad_names_are_einval),
	CHECK(dev_create_unterminated_name_and_uuid_are_cut),
	CHECK(dev_create_duplicate_name_or_uuid_is_ebusy),
	CHECK(dev_create_persistent_minor),
	CHECK(dev_status_by_dev_and_by_uuid),
	CHECK(device_commands_echo_flag_bit2),
	CHECK(suspend_and_resume_are_idempotent),
	CHECK(resume_suspended_device_without_table_is_einval),
	CHECK(table_clear_drops_only_the_inactive_table),
	CHECK(table_status_next_is_relative_to_first_spec),
	CHECK(table_status_small_buffer_sets_buffer_full),
	CHECK(table_status_inactive_and_empty),
	CHECK(list_devices_empty_reports_dev_zero),
	CHECK(list_devices_tiny_buffer_sets_buffer_full),
	CHECK(list_devices_lists_names_devs_uuids),
	CHECK(remove_all_removes_every_closed_device),
};

int main(int argc, char **argv)
{
	return run_check(argc, argv, checks, ARRAY_SIZE(checks),
			 "DM_TABLE_IOCTL_BACKING", "dmt-");
}
