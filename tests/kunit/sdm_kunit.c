// SPDX-License-Identifier: GPL-2.0-only
/*
 * sdm_kunit.ko - KUnit tests for sdm's internal helpers.
 *
 * Built only against a kernel with CONFIG_KUNIT (the debug kernel of the
 * VM harness); the suites run when the module is loaded and the harness
 * reads their results from /sys/kernel/debug/kunit/<suite>/results.
 */
#include <kunit/test.h>
#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/dax.h>
#include <linux/delay.h>
#include <linux/highmem.h>
#include <linux/kdev_t.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/sched/task.h>
#include <linux/string.h>
#include <linux/unaligned.h>

#include "sdm.h"

/* ---- target registry ---- */

static struct sdm_target_type *make_type(struct kunit *test, const char *name,
					 unsigned int major, unsigned int minor,
					 unsigned int patch)
{
	struct sdm_target_type *tt = kunit_kzalloc(test, sizeof(*tt), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, tt);
	tt->name = name;
	tt->module = THIS_MODULE;
	tt->version[0] = major;
	tt->version[1] = minor;
	tt->version[2] = patch;
	return tt;
}

static void register_rejects_empty_and_long_names(struct kunit *test)
{
	struct sdm_target_type *tt = make_type(test, "", 1, 0, 0);

	KUNIT_EXPECT_EQ(test, sdm_register_target(tt), -EINVAL);
	tt->name = NULL;
	KUNIT_EXPECT_EQ(test, sdm_register_target(tt), -EINVAL);
	tt->name = "abcdefghijklmnop";	/* 16 characters: one too many */
	KUNIT_EXPECT_EQ(test, sdm_register_target(tt), -EINVAL);
	tt->name = "abcdefghijklmno";	/* 15 characters: the longest */
	KUNIT_ASSERT_EQ(test, sdm_register_target(tt), 0);
	sdm_unregister_target(tt);
}

static void register_rejects_duplicate_name(struct kunit *test)
{
	struct sdm_target_type *a = make_type(test, "kunit_dup", 1, 0, 0);
	struct sdm_target_type *b = make_type(test, "kunit_dup", 2, 0, 0);

	KUNIT_ASSERT_EQ(test, sdm_register_target(a), 0);
	KUNIT_EXPECT_EQ(test, sdm_register_target(b), -EEXIST);
	sdm_unregister_target(a);
	/* Once the first is gone the name is free again. */
	KUNIT_EXPECT_EQ(test, sdm_register_target(b), 0);
	sdm_unregister_target(b);
}

static void get_pins_module_and_put_releases_it(struct kunit *test)
{
	struct sdm_target_type *tt = make_type(test, "kunit_pin", 1, 0, 0);
	struct sdm_target_type *got;
	int before;

	KUNIT_ASSERT_EQ(test, sdm_register_target(tt), 0);
	before = module_refcount(THIS_MODULE);

	got = sdm_get_target_type("kunit_pin");
	KUNIT_EXPECT_PTR_EQ(test, got, tt);
	KUNIT_EXPECT_EQ(test, module_refcount(THIS_MODULE), before + 1);
	if (got)
		sdm_put_target_type(got);
	KUNIT_EXPECT_EQ(test, module_refcount(THIS_MODULE), before);

	KUNIT_EXPECT_NULL(test, sdm_get_target_type("kunit_nosuch"));
	sdm_unregister_target(tt);
	KUNIT_EXPECT_NULL(test, sdm_get_target_type("kunit_pin"));
}

static void versions_fill_one_by_name(struct kunit *test)
{
	struct sdm_target_type *tt = make_type(test, "kunit_ver", 3, 2, 1);
	u64 buf[8] = { };
	struct dm_target_versions *rec = (void *)buf;
	size_t needed = 0;

	KUNIT_ASSERT_EQ(test, sdm_register_target(tt), 0);
	KUNIT_EXPECT_EQ(test, sdm_target_versions_fill("kunit_ver", buf,
						       sizeof(buf), &needed), 0);
	/* 16-byte record header + "kunit_ver" + NUL, rounded up to 8. */
	KUNIT_EXPECT_EQ(test, needed, (size_t)32);
	KUNIT_EXPECT_EQ(test, rec->next, 0U);
	KUNIT_EXPECT_EQ(test, rec->version[0], 3U);
	KUNIT_EXPECT_EQ(test, rec->version[1], 2U);
	KUNIT_EXPECT_EQ(test, rec->version[2], 1U);
	KUNIT_EXPECT_STREQ(test, rec->name, "kunit_ver");
	sdm_unregister_target(tt);
}

static void versions_fill_unknown_name_is_einval(struct kunit *test)
{
	u64 buf[8];
	size_t needed = 1;

	KUNIT_EXPECT_EQ(test, sdm_target_versions_fill("kunit_nosuch", buf,
						       sizeof(buf), &needed),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, needed, (size_t)0);
}

static void versions_fill_short_buffer_writes_nothing(struct kunit *test)
{
	struct sdm_target_type *tt = make_type(test, "kunit_short", 1, 0, 0);
	u8 buf[64];
	size_t needed = 0;
	unsigned int i;

	KUNIT_ASSERT_EQ(test, sdm_register_target(tt), 0);
	memset(buf, 0xa5, sizeof(buf));
	KUNIT_EXPECT_EQ(test, sdm_target_versions_fill("kunit_short", buf, 31,
						       &needed), 0);
	KUNIT_EXPECT_EQ(test, needed, (size_t)32);
	for (i = 0; i < sizeof(buf); i++)
		KUNIT_EXPECT_EQ(test, buf[i], 0xa5);
	sdm_unregister_target(tt);
}

static void versions_fill_chains_aligned_records(struct kunit *test)
{
	static const char * const names[] = { "kunit_c1", "kunit_chain2",
					      "kunit_c3_longer" };
	struct sdm_target_type *tt[ARRAY_SIZE(names)];
	unsigned int i, seen = 0;
	size_t needed = 0, off = 0;
	size_t len = 16384;
	void *buf = kunit_kzalloc(test, len, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		tt[i] = make_type(test, names[i], 1, i, 0);
		KUNIT_ASSERT_EQ(test, sdm_register_target(tt[i]), 0);
	}

	KUNIT_ASSERT_EQ(test, sdm_target_versions_fill(NULL, buf, len, &needed),
			0);
	KUNIT_ASSERT_LE(test, needed, len);

	/* Walk the chain: every record aligned, inside needed, last next 0. */
	for (;;) {
		struct dm_target_versions *rec = buf + off;
		size_t reclen = sizeof(*rec) + strlen(rec->name) + 1;

		KUNIT_ASSERT_EQ(test, off % 8, (size_t)0);
		KUNIT_ASSERT_LE(test, off + reclen, needed);
		for (i = 0; i < ARRAY_SIZE(names); i++)
			if (!strcmp(rec->name, names[i])) {
				KUNIT_EXPECT_EQ(test, rec->version[1], i);
				seen |= BIT(i);
			}
		if (!rec->next) {
			KUNIT_EXPECT_EQ(test, ALIGN(off + reclen, 8), needed);
			break;
		}
		KUNIT_ASSERT_GE(test, (size_t)rec->next, reclen);
		off += rec->next;
	}
	KUNIT_EXPECT_EQ(test, seen, (unsigned int)GENMASK(ARRAY_SIZE(names) - 1, 0));

	for (i = 0; i < ARRAY_SIZE(names); i++)
		sdm_unregister_target(tt[i]);
}

static struct kunit_case sdm_targets_cases[] = {
	KUNIT_CASE(register_rejects_empty_and_long_names),
	KUNIT_CASE(register_rejects_duplicate_name),
	KUNIT_CASE(get_pins_module_and_put_releases_it),
	KUNIT_CASE(versions_fill_one_by_name),
	KUNIT_CASE(versions_fill_unknown_name_is_einval),
	KUNIT_CASE(versions_fill_short_buffer_writes_nothing),
	KUNIT_CASE(versions_fill_chains_aligned_records),
	{}
};

static struct kunit_suite sdm_targets_suite = {
	.name = "sdm_targets",
	.test_cases = sdm_targets_cases,
};

/* ---- request validation ---- */

static struct dm_ioctl *make_request(struct kunit *test)
{
	struct dm_ioctl *p = kunit_kzalloc(test, sizeof(*p), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	p->version[0] = DM_VERSION_MAJOR;
	p->data_size = sizeof(*p);
	return p;
}

static void validate_drops_out_only_flags_keeps_others(struct kunit *test)
{
	struct dm_ioctl *p = make_request(test);
	const u32 out_only = DM_BUFFER_FULL_FLAG | DM_UEVENT_GENERATED_FLAG |
			     DM_SECURE_DATA_FLAG | DM_DATA_OUT_FLAG;

	/* Bit 2 is libdevmapper's DM_EXISTS_FLAG: it must come back. */
	p->flags = out_only | BIT(2) | DM_READONLY_FLAG;
	KUNIT_EXPECT_EQ(test, sdm_validate_request(DM_LIST_VERSIONS_CMD, p), 0);
	KUNIT_EXPECT_EQ(test, p->flags, (u32)(BIT(2) | DM_READONLY_FLAG));
}

static void validate_create_without_name_is_einval(struct kunit *test)
{
	struct dm_ioctl *p = make_request(test);

	KUNIT_EXPECT_EQ(test, sdm_validate_request(DM_DEV_CREATE_CMD, p),
			-EINVAL);
	strscpy(p->name, "a", sizeof(p->name));
	KUNIT_EXPECT_EQ(test, sdm_validate_request(DM_DEV_CREATE_CMD, p), 0);
}

static void validate_name_and_uuid_together_is_einval(struct kunit *test)
{
	struct dm_ioctl *p = make_request(test);

	strscpy(p->name, "a", sizeof(p->name));
	strscpy(p->uuid, "b", sizeof(p->uuid));
	KUNIT_EXPECT_EQ(test, sdm_validate_request(DM_DEV_STATUS_CMD, p),
			-EINVAL);
	/* Create may name both; the listings ignore them. */
	KUNIT_EXPECT_EQ(test, sdm_validate_request(DM_DEV_CREATE_CMD, p), 0);
	KUNIT_EXPECT_EQ(test, sdm_validate_request(DM_LIST_DEVICES_CMD, p), 0);
}

static void validate_terminates_unterminated_strings(struct kunit *test)
{
	struct dm_ioctl *p = make_request(test);

	memset(p->name, 'n', sizeof(p->name));
	KUNIT_EXPECT_EQ(test, sdm_validate_request(DM_DEV_STATUS_CMD, p), 0);
	KUNIT_EXPECT_EQ(test, strlen(p->name), (size_t)(DM_NAME_LEN - 1));

	memset(p->name, 0, sizeof(p->name));
	memset(p->uuid, 'u', sizeof(p->uuid));
	KUNIT_EXPECT_EQ(test, sdm_validate_request(DM_DEV_STATUS_CMD, p), 0);
	KUNIT_EXPECT_EQ(test, strlen(p->uuid), (size_t)(DM_UUID_LEN - 1));
}

static struct kunit_case sdm_ioctl_cases[] = {
	KUNIT_CASE(validate_drops_out_only_flags_keeps_others),
	KUNIT_CASE(validate_create_without_name_is_einval),
	KUNIT_CASE(validate_name_and_uuid_together_is_einval),
	KUNIT_CASE(validate_terminates_unterminated_strings),
	{}
};

static struct kunit_suite sdm_ioctl_suite = {
	.name = "sdm_ioctl",
	.test_cases = sdm_ioctl_cases,
};

/* ---- parameter splitting ---- */

static void expect_split(struct kunit *test, const char *input,
			 const char * const *words, int nwords)
{
	char *buf = kunit_kstrdup(test, input, GFP_KERNEL);
	char **argv;
	int argc, i;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_EQ(test, sdm_split_args(buf, &argc, &argv), 0);
	KUNIT_EXPECT_EQ(test, argc, nwords);
	for (i = 0; i < argc && i < nwords; i++)
		KUNIT_EXPECT_STREQ(test, argv[i], words[i]);
	kfree(argv);
}

static void split_separates_on_any_white_space(struct kunit *test)
{
	static const char * const words[] = { "8:16", "2048", "x" };

	expect_split(test, "8:16 2048 x", words, 3);
	expect_split(test, "\t 8:16\n\n2048   x \t", words, 3);
}

static void split_backslash_quotes_the_next_character(struct kunit *test)
{
	static const char * const words[] = { "a b", "c\\d", "e" };
	static const char * const trailing[] = { "abc\\" };

	/* a\ b  c\\d  \e  (libdevmapper doubles backslashes it sends) */
	expect_split(test, "a\\ b c\\\\d \\e", words, 3);
	/* a backslash with nothing after it stays */
	expect_split(test, "abc\\", trailing, 1);
}

static void split_empty_input_has_no_words(struct kunit *test)
{
	expect_split(test, "", NULL, 0);
	expect_split(test, " \t\n ", NULL, 0);
}

static struct kunit_case sdm_args_cases[] = {
	KUNIT_CASE(split_separates_on_any_white_space),
	KUNIT_CASE(split_backslash_quotes_the_next_character),
	KUNIT_CASE(split_empty_input_has_no_words),
	{}
};

static struct kunit_suite sdm_args_suite = {
	.name = "sdm_args",
	.test_cases = sdm_args_cases,
};

/* ---- tables ---- */

/* A target type that maps nothing and records its argument count. */
static int span_ctr(struct sdm_target *ti, unsigned int argc, char **argv)
{
	if (argc && !strcmp(argv[0], "fail")) {
		ti->error = "asked to fail";
		return -ENOSPC;
	}
	ti->private = (void *)(uintptr_t)argc;
	return 0;
}

static struct sdm_target_type span_type = {
	.name = "kunit_span",
	.module = THIS_MODULE,
	.version = { 1, 0, 0 },
	.ctr = span_ctr,
};

struct table_fixture {
	struct mapped_device *md;
	struct sdm_table *t;
	unsigned int openers;		/* of kdisk, before the case */
};

static int table_init(struct kunit *test)
{
	struct table_fixture *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_ASSERT_EQ(test, sdm_register_target(&span_type), 0);
	KUNIT_ASSERT_EQ(test, sdm_create(-1, &f->md), 0);
	KUNIT_ASSERT_EQ(test, sdm_table_create(&f->t, f->md, false, 4), 0);
	test->priv = f;
	return 0;
}

static void table_exit(struct kunit *test)
{
	struct table_fixture *f = test->priv;

	if (f->t)
		sdm_table_destroy(f->t);
	if (f->md)
		sdm_destroy(f->md);
	sdm_unregister_target(&span_type);
}

static int add(struct sdm_table *t, const char *type, sector_t start,
	       sector_t len, const char *params)
{
	char buf[64];

	strscpy(buf, params, sizeof(buf));
	return sdm_table_add_target(t, type, start, len, buf);
}

static void add_target_refuses_gaps_overlaps_and_zero_length(struct kunit *test)
{
	struct table_fixture *f = test->priv;

	KUNIT_ASSERT_EQ(test, add(f->t, "kunit_span", 0, 100, ""), 0);
	KUNIT_EXPECT_EQ(test, add(f->t, "kunit_span", 200, 10, ""), -EINVAL);
	KUNIT_EXPECT_EQ(test, add(f->t, "kunit_span", 50, 10, ""), -EINVAL);
	KUNIT_EXPECT_EQ(test, add(f->t, "kunit_span", 100, 0, ""), -EINVAL);
	KUNIT_EXPECT_EQ(test, add(f->t, "kunit_nosuch", 100, 10, ""), -EINVAL);
	KUNIT_EXPECT_EQ(test, add(f->t, "kunit_span", 100, 10, "fail"),
			-ENOSPC);
	KUNIT_EXPECT_EQ(test, add(f->t, "kunit_span", 100, 50, "a b\\ c"), 0);
	KUNIT_ASSERT_EQ(test, sdm_table_complete(f->t), 0);
	KUNIT_EXPECT_EQ(test, sdm_table_size(f->t), (sector_t)150);
	/* the constructor saw two words: "a" and "b c" */
	KUNIT_EXPECT_PTR_EQ(test, sdm_table_find_target(f->t, 120)->private,
			    (void *)2);
}

static void add_target_refuses_more_than_announced(struct kunit *test)
{
	struct table_fixture *f = test->priv;
	sector_t s;

	for (s = 0; s < 4; s++)
		KUNIT_ASSERT_EQ(test, add(f->t, "kunit_span", s, 1, ""), 0);
	KUNIT_EXPECT_EQ(test, add(f->t, "kunit_span", 4, 1, ""), -EINVAL);
}

static void add_target_refuses_overflowing_length(struct kunit *test)
{
	struct table_fixture *f = test->priv;

	KUNIT_ASSERT_EQ(test, add(f->t, "kunit_span", 0, 8, ""), 0);
	KUNIT_EXPECT_EQ(test, add(f->t, "kunit_span", 8, (sector_t)-4, ""),
			-EINVAL);
}

static void find_target_at_every_boundary(struct kunit *test)
{
	struct table_fixture *f = test->priv;
	struct sdm_target *t0, *t1, *t2;

	KUNIT_ASSERT_EQ(test, add(f->t, "kunit_span", 0, 100, ""), 0);
	KUNIT_ASSERT_EQ(test, add(f->t, "kunit_span", 100, 1, ""), 0);
	KUNIT_ASSERT_EQ(test, add(f->t, "kunit_span", 101, 899, ""), 0);
	KUNIT_ASSERT_EQ(test, sdm_table_complete(f->t), 0);

	t0 = sdm_table_find_target(f->t, 0);
	t1 = sdm_table_find_target(f->t, 100);
	t2 = sdm_table_find_target(f->t, 101);
	KUNIT_ASSERT_NOT_NULL(test, t0);
	KUNIT_ASSERT_NOT_NULL(test, t1);
	KUNIT_ASSERT_NOT_NULL(test, t2);
	KUNIT_EXPECT_EQ(test, t0->begin, (sector_t)0);
	KUNIT_EXPECT_EQ(test, t1->begin, (sector_t)100);
	KUNIT_EXPECT_EQ(test, t2->begin, (sector_t)101);
	KUNIT_EXPECT_PTR_EQ(test, sdm_table_find_target(f->t, 99), t0);
	KUNIT_EXPECT_PTR_EQ(test, sdm_table_find_target(f->t, 999), t2);
	KUNIT_EXPECT_NULL(test, sdm_table_find_target(f->t, 1000));
	KUNIT_EXPECT_EQ(test, sdm_table_size(f->t), (sector_t)1000);
}

static void complete_refuses_an_empty_table(struct kunit *test)
{
	struct table_fixture *f = test->priv;

	KUNIT_EXPECT_EQ(test, sdm_table_complete(f->t), -EINVAL);
}

static void create_refuses_too_many_targets(struct kunit *test)
{
	struct table_fixture *f = test->priv;
	struct sdm_table *t;

	KUNIT_EXPECT_EQ(test, sdm_table_create(&t, f->md, false,
					       SDM_MAX_TARGETS + 1),
			-EOVERFLOW);
}

/* A device pays for DAX only with its first DAX table. */
static void device_without_dax_table_has_no_dax_device(struct kunit *test)
{
	struct table_fixture *f = test->priv;

	KUNIT_EXPECT_NULL(test, f->md->dax_dev);
	KUNIT_ASSERT_EQ(test, add(f->t, "kunit_span", 0, 8, ""), 0);
	KUNIT_ASSERT_EQ(test, sdm_table_complete(f->t), 0);
	KUNIT_EXPECT_FALSE(test, sdm_table_dax(f->t));
	KUNIT_EXPECT_NULL(test, f->md->dax_dev);
}

/* Whether @md's queue counts its bios per CPU (else in one atomic). */
static bool usage_percpu(struct mapped_device *md)
{
	unsigned long __percpu *count;
	bool percpu;

	rcu_read_lock();
	percpu = __ref_is_percpu(&md->disk->queue->q_usage_counter, &count);
	rcu_read_unlock();
	return percpu;
}

/*
 * The queue's usage counter is atomic while nobody has the disk open, so
 * that removing the device waits for no grace period, and per-CPU while it
 * is open (dm_core.c, "the queue's usage counter").
 */
static void usage_counter_atomic_only_while_closed(struct kunit *test)
{
	struct table_fixture *f = test->priv;
	struct sdm_bdev_handle h;
	int r;

	KUNIT_ASSERT_EQ(test, add(f->t, "zero", 0, 8, ""), 0);
	KUNIT_ASSERT_EQ(test, sdm_table_complete(f->t), 0);
	mutex_lock(&f->md->type_lock);
	r = sdm_setup_disk(f->md, f->t);
	mutex_unlock(&f->md->type_lock);
	KUNIT_ASSERT_EQ(test, r, 0);
	flush_work(&f->md->usage_work);
	KUNIT_EXPECT_FALSE(test, usage_percpu(f->md));

	r = sdm_bdev_open(&h, disk_devt(f->md->disk), BLK_OPEN_READ, test);
	KUNIT_ASSERT_EQ(test, r, 0);
	flush_work(&f->md->usage_work);
	KUNIT_EXPECT_TRUE(test, usage_percpu(f->md));

	sdm_bdev_close(&h, BLK_OPEN_READ);
	flush_work(&f->md->usage_work);
	KUNIT_EXPECT_FALSE(test, usage_percpu(f->md));
}

static struct kunit_case sdm_table_cases[] = {
	KUNIT_CASE(add_target_refuses_gaps_overlaps_and_zero_length),
	KUNIT_CASE(add_target_refuses_more_than_announced),
	KUNIT_CASE(add_target_refuses_overflowing_length),
	KUNIT_CASE(find_target_at_every_boundary),
	KUNIT_CASE(complete_refuses_an_empty_table),
	KUNIT_CASE(create_refuses_too_many_targets),
	KUNIT_CASE(device_without_dax_table_has_no_dax_device),
	KUNIT_CASE(usage_counter_atomic_only_while_closed),
	{}
};

static struct kunit_suite sdm_table_suite = {
	.name = "sdm_table",
	.init = table_init,
	.exit = table_exit,
	.test_cases = sdm_table_cases,
};

/* ---- the DAX holder layer's range arithmetic ---- */

/* @offset, @len bytes against a device of 64 sectors at byte @part_off */
static void expect_clip(struct kunit *test, u64 offset, u64 len, u64 part_off,
			bool hit, sector_t want_start, sector_t want_end)
{
	sector_t start = ~0ULL, end = ~0ULL;

	KUNIT_EXPECT_EQ(test, sdm_dax_clip(offset, len, part_off, 64, &start, &end),
			hit);
	if (!hit)
		return;
	KUNIT_EXPECT_EQ(test, start, want_start);
	KUNIT_EXPECT_EQ(test, end, want_end);
}

static void clip_inside_whole_disk(struct kunit *test)
{
	expect_clip(test, 0, 4096, 0, true, 0, 8);
	expect_clip(test, 8192, 4096, 0, true, 16, 24);
	/* a sector counts if any of its bytes failed */
	expect_clip(test, 100, 10, 0, true, 0, 1);
	expect_clip(test, 511, 2, 0, true, 0, 2);
}

static void clip_misses_outside_the_partition(struct kunit *test)
{
	/* the partition is bytes 65536 .. 65536 + 32768 */
	expect_clip(test, 0, 65536, 65536, false, 0, 0);
	expect_clip(test, 65536 + 32768, 4096, 65536, false, 0, 0);
	expect_clip(test, 65536, 0, 65536, false, 0, 0);
}

static void clip_range_starting_before_the_partition(struct kunit *test)
{
	/* 4 KiB before the partition and 4 KiB into it: its first 8 sectors */
	expect_clip(test, 61440, 8192, 65536, true, 0, 8);
	/* and the length too: not 16 sectors from its start */
	expect_clip(test, 57344, 12288, 65536, true, 0, 8);
}

static void clip_range_ending_past_the_partition(struct kunit *test)
{
	expect_clip(test, 65536 + 28672, 8192, 65536, true, 56, 64);
	expect_clip(test, 0, 1ULL << 40, 65536, true, 0, 64);
	/* no overflow at the top of the byte space */
	expect_clip(test, 65536, U64_MAX, 65536, true, 0, 64);
	expect_clip(test, 65536 + 4096, U64_MAX - 4096, 65536, true, 8, 64);
}

static void merge_keeps_any_failure(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, sdm_dax_merge_result(0, -EIO), -EIO);
	KUNIT_EXPECT_EQ(test, sdm_dax_merge_result(-EIO, 0), -EIO);
	KUNIT_EXPECT_EQ(test, sdm_dax_merge_result(-EUCLEAN, -EIO), -EUCLEAN);
	KUNIT_EXPECT_EQ(test, sdm_dax_merge_result(-EIO, -EOPNOTSUPP), -EIO);
}

static void merge_success_beats_not_handled(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, sdm_dax_merge_result(-EOPNOTSUPP, 0), 0);
	KUNIT_EXPECT_EQ(test, sdm_dax_merge_result(0, -EOPNOTSUPP), 0);
	KUNIT_EXPECT_EQ(test, sdm_dax_merge_result(-EOPNOTSUPP, -EOPNOTSUPP),
			-EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, sdm_dax_merge_result(-EOPNOTSUPP, -EIO), -EIO);
}

/* A whole-device report reaches each mapped device once. */
static void whole_report_goes_to_each_device_once(struct kunit *test)
{
	struct mapped_device *a = kunit_kzalloc(test, sizeof(*a), GFP_KERNEL);
	struct mapped_device *b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	struct sdm_failed_user users[4] = {
		{ .md = a, .sent = false },	/* mapped none of it */
		{ .md = a, .sent = true },
		{ .md = b },
		{ .md = a },
	};

	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	/* nothing sent to a yet: its second table device is told */
	KUNIT_EXPECT_FALSE(test, sdm_dax_whole_sent(users, 1, 0, U64_MAX));
	/* b is another device */
	KUNIT_EXPECT_FALSE(test, sdm_dax_whole_sent(users, 2, 0, U64_MAX));
	/* a was told through its second table device */
	KUNIT_EXPECT_TRUE(test, sdm_dax_whole_sent(users, 3, 0, U64_MAX));
	/* ranges are never skipped: each maps back through one device */
	KUNIT_EXPECT_FALSE(test, sdm_dax_whole_sent(users, 3, 0, 4096));
	KUNIT_EXPECT_FALSE(test, sdm_dax_whole_sent(users, 3, 4096,
						    U64_MAX - 4096));
}

static struct kunit_case sdm_dax_cases[] = {
	KUNIT_CASE(clip_inside_whole_disk),
	KUNIT_CASE(clip_misses_outside_the_partition),
	KUNIT_CASE(clip_range_starting_before_the_partition),
	KUNIT_CASE(clip_range_ending_past_the_partition),
	KUNIT_CASE(merge_keeps_any_failure),
	KUNIT_CASE(merge_success_beats_not_handled),
	KUNIT_CASE(whole_report_goes_to_each_device_once),
	{}
};

static struct kunit_suite sdm_dax_suite = {
	.name = "sdm_dax",
	.test_cases = sdm_dax_cases,
};

/* ---- the minor allocator ---- */

/* sdm's block major, from a device's disk (sdm_major is not exported) */
static unsigned int sdm_major_nr;

static int minor_suite_init(struct kunit_suite *suite)
{
	struct mapped_device *md;
	int r = sdm_create(-1, &md);

	if (r)
		return r;
	sdm_major_nr = md->disk->major;
	sdm_destroy(md);
	return 0;
}

static dev_t minor_devt(int minor)
{
	return MKDEV(sdm_major_nr, minor);
}

/*
 * A minor goes from reserved (the placeholder) to published and back to
 * free.  The published "device" is a bare structure: dm_get_md() only
 * reads its flags and counts a reference on it, and it is never put to
 * zero, so no teardown runs.
 */
static void placeholder_is_found_only_once_published(struct kunit *test)
{
	struct mapped_device *fake = kunit_kzalloc(test, sizeof(*fake),
						   GFP_KERNEL);
	int m;

	KUNIT_ASSERT_NOT_NULL(test, fake);
	m = sdm_minor_reserve(-1);
	KUNIT_ASSERT_GE(test, m, 0);

	/* reserved: the lookup never returns the placeholder */
	KUNIT_EXPECT_NULL(test, sdm_kunit_dm_get_md(minor_devt(m)));

	fake->minor = m;
	atomic_set(&fake->holders, 1);
	sdm_minor_publish(fake);
	KUNIT_EXPECT_PTR_EQ(test, sdm_kunit_dm_get_md(minor_devt(m)), fake);
	KUNIT_EXPECT_EQ(test, atomic_read(&fake->holders), 2);
	/* another major's device of that minor is not sdm's */
	KUNIT_EXPECT_NULL(test, sdm_kunit_dm_get_md(MKDEV(sdm_major_nr + 1, m)));
	KUNIT_EXPECT_EQ(test, atomic_read(&fake->holders), 2);

	/* released: gone from the lookup, free for the next reservation */
	sdm_minor_release(m);
	KUNIT_EXPECT_NULL(test, sdm_kunit_dm_get_md(minor_devt(m)));
	KUNIT_EXPECT_EQ(test, atomic_read(&fake->holders), 2);
	KUNIT_EXPECT_EQ(test, sdm_minor_reserve(m), m);
	sdm_minor_release(m);
}

static void specific_minor_taken_or_out_of_range(struct kunit *test)
{
	const int last = (1 << MINORBITS) - 1;
	int m = sdm_minor_reserve(-1);
	int r;

	KUNIT_ASSERT_GE(test, m, 0);
	KUNIT_EXPECT_EQ(test, sdm_minor_reserve(m), -EBUSY);
	sdm_minor_release(m);
	KUNIT_EXPECT_EQ(test, sdm_minor_reserve(m), m);
	KUNIT_EXPECT_EQ(test, sdm_minor_reserve(m), -EBUSY);
	sdm_minor_release(m);

	KUNIT_EXPECT_EQ(test, sdm_minor_reserve(last + 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, sdm_minor_reserve(INT_MAX), -EINVAL);
	/* the last minor of the range can be had */
	r = sdm_minor_reserve(last);
	KUNIT_EXPECT_EQ(test, r, last);
	if (r == last)
		sdm_minor_release(last);
}

static void next_minor_is_the_lowest_free(struct kunit *test)
{
	int a, b, c;

	a = sdm_minor_reserve(-1);
	KUNIT_ASSERT_GE(test, a, 0);
	/* a hole, then a minor taken by number right above it */
	sdm_minor_release(a);
	KUNIT_ASSERT_EQ(test, sdm_minor_reserve(a + 1), a + 1);

	b = sdm_minor_reserve(-1);
	c = sdm_minor_reserve(-1);
	/* the hole is filled first; the specific one is skipped */
	KUNIT_EXPECT_EQ(test, b, a);
	KUNIT_EXPECT_GT(test, c, a + 1);

	/* not handed out round robin: a minor given back comes back next */
	if (b >= 0)
		sdm_minor_release(b);
	KUNIT_EXPECT_EQ(test, sdm_minor_reserve(-1), a);
	sdm_minor_release(a);
	sdm_minor_release(a + 1);
	if (c >= 0)
		sdm_minor_release(c);
}

/*
 * Every one of the 2^20 minors taken, the real limit: the allocator has no
 * smaller one a test could set.  A million reservations and releases take
 * about 25 s in the debug VM (emulated, with KASAN and lockdep), which is
 * affordable once per load of this module.
 */
static void all_minors_taken_is_enospc(struct kunit *test)
{
	const unsigned int nr = 1U << MINORBITS;
	unsigned long *mine = kvcalloc(BITS_TO_LONGS(nr), sizeof(long),
				       GFP_KERNEL);
	struct mapped_device *md;
	unsigned int taken = 0, m;
	ktime_t t0 = ktime_get();
	int r;

	KUNIT_ASSERT_NOT_NULL(test, mine);
	while ((r = sdm_minor_reserve(-1)) >= 0) {
		__set_bit(r, mine);
		if (!(++taken % 4096))
			cond_resched();
	}
	KUNIT_EXPECT_EQ(test, r, -ENOSPC);
	/* handed out to the end of the range, each once */
	KUNIT_EXPECT_TRUE(test, test_bit(nr - 1, mine));
	KUNIT_EXPECT_EQ(test, bitmap_weight(mine, nr), taken);
	/* a device cannot be created; a minor asked for by number is busy */
	KUNIT_EXPECT_EQ(test, sdm_create(-1, &md), -ENOSPC);
	KUNIT_EXPECT_EQ(test, sdm_minor_reserve(nr - 1), -EBUSY);

	/* one given back is the one handed out next */
	m = nr / 2 + 7;
	if (test_bit(m, mine)) {
		sdm_minor_release(m);
		KUNIT_EXPECT_EQ(test, sdm_minor_reserve(-1), m);
		KUNIT_EXPECT_EQ(test, sdm_minor_reserve(-1), -ENOSPC);
	}

	taken = 0;
	for_each_set_bit(m, mine, nr) {
		sdm_minor_release(m);
		if (!(++taken % 4096))
			cond_resched();
	}
	kvfree(mine);
	kunit_info(test, "%u minors taken and released in %lld ms\n", taken,
		   ktime_ms_delta(ktime_get(), t0));
	r = sdm_minor_reserve(-1);
	KUNIT_EXPECT_GE(test, r, 0);
	if (r >= 0)
		sdm_minor_release(r);
}

static struct kunit_case sdm_minor_cases[] = {
	KUNIT_CASE(placeholder_is_found_only_once_published),
	KUNIT_CASE(specific_minor_taken_or_out_of_range),
	KUNIT_CASE(next_minor_is_the_lowest_free),
	KUNIT_CASE_SLOW(all_minors_taken_is_enospc),
	{}
};

static struct kunit_suite sdm_minor_suite = {
	.name = "sdm_minor",
	.suite_init = minor_suite_init,
	.test_cases = sdm_minor_cases,
};

/* ---- references and removal ---- */

static struct mapped_device *new_device(struct kunit *test)
{
	struct mapped_device *md;

	KUNIT_ASSERT_EQ(test, sdm_create(-1, &md), 0);
	return md;
}

/* Wait for a teardown to give @minor back; false after 10 s. */
static bool minor_comes_back(int minor)
{
	unsigned int i;

	for (i = 0; i < 500; i++) {
		if (sdm_minor_reserve(minor) == minor) {
			sdm_minor_release(minor);
			return true;
		}
		msleep(20);
	}
	return false;
}

static void get_then_put(struct kunit *test)
{
	struct mapped_device *md = new_device(test);
	struct mapped_device *found;

	KUNIT_EXPECT_EQ(test, atomic_read(&md->holders), 1);
	sdm_kunit_dm_get(md);
	KUNIT_EXPECT_EQ(test, atomic_read(&md->holders), 2);
	sdm_kunit_dm_put(md);
	KUNIT_EXPECT_EQ(test, atomic_read(&md->holders), 1);

	found = sdm_kunit_dm_get_md(disk_devt(md->disk));
	KUNIT_EXPECT_PTR_EQ(test, found, md);
	KUNIT_EXPECT_EQ(test, atomic_read(&md->holders), 2);
	if (found)
		sdm_kunit_dm_put(found);
	KUNIT_EXPECT_EQ(test, atomic_read(&md->holders), 1);
	KUNIT_EXPECT_TRUE(test, sdm_get_if_live(md));
	KUNIT_EXPECT_EQ(test, atomic_read(&md->holders), 2);
	sdm_kunit_dm_put(md);
	KUNIT_EXPECT_FALSE(test, test_bit(DMF_FREEING, &md->flags));
	sdm_destroy(md);
}

static void last_put_tears_down_and_frees_the_minor(struct kunit *test)
{
	struct mapped_device *md = new_device(test), *ref, *again;
	dev_t dev = disk_devt(md->disk);
	int m = md->minor;

	KUNIT_EXPECT_EQ(test, sdm_create(m, &again), -EBUSY);

	/* a lookup's reference keeps the device after its creator's goes */
	ref = sdm_kunit_dm_get_md(dev);
	KUNIT_ASSERT_PTR_EQ(test, ref, md);
	sdm_destroy(md);
	KUNIT_EXPECT_EQ(test, atomic_read(&ref->holders), 1);
	KUNIT_EXPECT_FALSE(test, test_bit(DMF_FREEING, &ref->flags));
	KUNIT_EXPECT_PTR_EQ(test, ref->disk->private_data, (void *)ref);

	/* whoever drops the last reference tears it down */
	sdm_kunit_dm_put(ref);
	KUNIT_EXPECT_NULL(test, sdm_kunit_dm_get_md(dev));
	KUNIT_ASSERT_EQ(test, sdm_create(m, &again), 0);
	KUNIT_EXPECT_EQ(test, again->minor, m);
	sdm_destroy(again);
}

/*
 * Between the last put and the end of the teardown the device is FREEING:
 * unpublished at once, under the lock the put took, while its minor stays
 * reserved.  An I/O counted in flight holds the deferred teardown in its
 * wait for completions long enough to look.
 */
static void last_put_unpublishes_before_the_teardown(struct kunit *test)
{
	struct mapped_device *md = new_device(test);
	dev_t dev = disk_devt(md->disk);
	int m = md->minor;

	this_cpu_inc(*md->pending);
	sdm_kunit_dm_put_deferred(md);

	KUNIT_EXPECT_TRUE(test, test_bit(DMF_FREEING, &md->flags));
	KUNIT_EXPECT_EQ(test, atomic_read(&md->holders), 0);
	KUNIT_EXPECT_NULL(test, md->disk->private_data);
	KUNIT_EXPECT_NULL(test, sdm_kunit_dm_get_md(dev));
	KUNIT_EXPECT_FALSE(test, sdm_get_if_live(md));
	KUNIT_EXPECT_EQ(test, atomic_read(&md->holders), 0);
	KUNIT_EXPECT_EQ(test, sdm_minor_reserve(m), -EBUSY);

	/* the I/O completes: the teardown goes on and gives the minor back */
	rcu_read_lock();
	this_cpu_dec(*md->pending);
	wake_up(&md->wait);
	rcu_read_unlock();
	KUNIT_EXPECT_TRUE(test, minor_comes_back(m));
}

static void deleting_refuses_new_references(struct kunit *test)
{
	struct mapped_device *md = new_device(test);
	dev_t dev = disk_devt(md->disk);
	struct mapped_device *found;

	KUNIT_EXPECT_EQ(test, sdm_lock_for_deletion(md, false, false), 0);
	KUNIT_EXPECT_TRUE(test, test_bit(DMF_DELETING, &md->flags));
	KUNIT_EXPECT_FALSE(test, sdm_get_if_live(md));
	KUNIT_EXPECT_NULL(test, sdm_kunit_dm_get_md(dev));
	KUNIT_EXPECT_EQ(test, atomic_read(&md->holders), 1);

	/* a remover that gives up lets references be taken again */
	sdm_unlock_for_deletion(md);
	KUNIT_EXPECT_FALSE(test, test_bit(DMF_DELETING, &md->flags));
	KUNIT_EXPECT_TRUE(test, sdm_get_if_live(md));
	KUNIT_EXPECT_EQ(test, atomic_read(&md->holders), 2);
	found = sdm_kunit_dm_get_md(dev);
	KUNIT_EXPECT_PTR_EQ(test, found, md);
	KUNIT_EXPECT_EQ(test, atomic_read(&md->holders), 3);
	if (found)
		sdm_kunit_dm_put(found);
	sdm_kunit_dm_put(md);
	sdm_destroy(md);
}

static void second_remover_gets_enxio(struct kunit *test)
{
	struct mapped_device *md = new_device(test);

	KUNIT_EXPECT_EQ(test, sdm_lock_for_deletion(md, false, false), 0);
	KUNIT_EXPECT_EQ(test, sdm_lock_for_deletion(md, false, false), -ENXIO);
	KUNIT_EXPECT_EQ(test, sdm_lock_for_deletion(md, true, false), -ENXIO);
	KUNIT_EXPECT_FALSE(test, test_bit(DMF_DEFERRED_REMOVE, &md->flags));
	KUNIT_EXPECT_TRUE(test, test_bit(DMF_DELETING, &md->flags));
	sdm_unlock_for_deletion(md);
	/* once given up, the next remover has it */
	KUNIT_EXPECT_EQ(test, sdm_lock_for_deletion(md, false, false), 0);
	sdm_destroy(md);
}

/* Opening needs an added disk; the open count stands in for an opener. */
static void open_device_is_busy_and_marked_if_asked(struct kunit *test)
{
	struct mapped_device *md = new_device(test);

	atomic_set(&md->open_count, 1);
	KUNIT_EXPECT_EQ(test, sdm_lock_for_deletion(md, false, false), -EBUSY);
	KUNIT_EXPECT_FALSE(test, test_bit(DMF_DEFERRED_REMOVE, &md->flags));
	KUNIT_EXPECT_EQ(test, sdm_lock_for_deletion(md, true, false), -EBUSY);
	KUNIT_EXPECT_TRUE(test, test_bit(DMF_DEFERRED_REMOVE, &md->flags));
	KUNIT_EXPECT_FALSE(test, test_bit(DMF_DELETING, &md->flags));
	/* marked, it is still in use */
	KUNIT_EXPECT_TRUE(test, sdm_get_if_live(md));
	sdm_kunit_dm_put(md);
	/* open, even the deferred removal waits */
	KUNIT_EXPECT_EQ(test, sdm_lock_for_deletion(md, false, true), -EBUSY);

	/* closed: the deferred removal goes ahead */
	atomic_set(&md->open_count, 0);
	KUNIT_EXPECT_EQ(test, sdm_lock_for_deletion(md, false, true), 0);
	KUNIT_EXPECT_TRUE(test, test_bit(DMF_DELETING, &md->flags));
	sdm_destroy(md);
}

static void only_deferred_without_the_mark_is_eexist(struct kunit *test)
{
	struct mapped_device *md = new_device(test);

	KUNIT_EXPECT_EQ(test, sdm_lock_for_deletion(md, false, true), -EEXIST);
	KUNIT_EXPECT_FALSE(test, test_bit(DMF_DELETING, &md->flags));
	KUNIT_EXPECT_TRUE(test, sdm_get_if_live(md));
	sdm_kunit_dm_put(md);
	sdm_destroy(md);
}

static void cancel_clears_the_mark_until_deleting(struct kunit *test)
{
	struct mapped_device *md = new_device(test);

	/* nothing pending: nothing to do */
	KUNIT_EXPECT_EQ(test, sdm_cancel_deferred_remove(md), 0);

	atomic_set(&md->open_count, 1);
	KUNIT_EXPECT_EQ(test, sdm_lock_for_deletion(md, true, false), -EBUSY);
	KUNIT_EXPECT_EQ(test, sdm_cancel_deferred_remove(md), 0);
	KUNIT_EXPECT_FALSE(test, test_bit(DMF_DEFERRED_REMOVE, &md->flags));

	/* marked again, closed, the removal starts: too late to cancel */
	KUNIT_EXPECT_EQ(test, sdm_lock_for_deletion(md, true, false), -EBUSY);
	atomic_set(&md->open_count, 0);
	KUNIT_EXPECT_EQ(test, sdm_lock_for_deletion(md, false, true), 0);
	KUNIT_EXPECT_EQ(test, sdm_cancel_deferred_remove(md), -EBUSY);
	KUNIT_EXPECT_TRUE(test, test_bit(DMF_DEFERRED_REMOVE, &md->flags));

	/* the remover gave up: it can be cancelled again */
	sdm_unlock_for_deletion(md);
	KUNIT_EXPECT_EQ(test, sdm_cancel_deferred_remove(md), 0);
	KUNIT_EXPECT_FALSE(test, test_bit(DMF_DEFERRED_REMOVE, &md->flags));
	sdm_destroy(md);
}

static int last_put_fn(void *md)
{
	sdm_kunit_dm_put(md);
	return 0;
}

/*
 * The last put takes _minor_lock as the count reaches zero and unpublishes
 * the device before it lets go: a lookup that comes after the count went
 * to zero finds nothing, and no reference can be taken on a device whose
 * teardown has begun.  A device never marked deleting, so that only this
 * rule keeps the lookup out (a remover's mark would refuse it anyway).
 * Mutant dec_then_lock (3.1.2) decrements before it locks; a test build
 * stretches that window (delay point "unpublished") so the lookup lands in
 * it every time.  An I/O counted in flight holds the teardown before it
 * frees the device, so the test can look at it.
 */
static void no_lookup_after_the_last_decrement(struct kunit *test)
{
	struct mapped_device *md = new_device(test), *found;
	dev_t dev = disk_devt(md->disk);
	struct task_struct *putter;
	unsigned long until;
	int m = md->minor;

	this_cpu_inc(*md->pending);
	sdm_delay_set(SDM_DELAY_UNPUBLISHED, 300 * USEC_PER_MSEC);
	putter = kthread_run(last_put_fn, md, "sdm-kunit-put");
	if (IS_ERR(putter)) {
		sdm_delay_set(SDM_DELAY_UNPUBLISHED, 0);
		this_cpu_dec(*md->pending);
		sdm_destroy(md);
		KUNIT_FAIL(test, "kthread_run: %ld", PTR_ERR(putter));
		return;
	}
	get_task_struct(putter);

	until = jiffies + 10 * HZ;
	while (atomic_read(&md->holders) && time_before(jiffies, until))
		usleep_range(50, 100);
	KUNIT_EXPECT_EQ(test, atomic_read(&md->holders), 0);
	/* a count of zero is only ever seen on an unpublished device */
	KUNIT_EXPECT_TRUE(test, test_bit(DMF_FREEING, &md->flags));
	found = sdm_kunit_dm_get_md(dev);
	/* if it was found, the teardown frees it anyway: hands off */
	KUNIT_EXPECT_NULL_MSG(test, found,
			      "a lookup took a reference after the last put");

	rcu_read_lock();
	this_cpu_dec(*md->pending);
	wake_up(&md->wait);
	rcu_read_unlock();
	kthread_stop(putter);
	put_task_struct(putter);
	sdm_delay_set(SDM_DELAY_UNPUBLISHED, 0);
	KUNIT_EXPECT_TRUE(test, minor_comes_back(m));
}

static struct kunit_case sdm_refs_cases[] = {
	KUNIT_CASE(get_then_put),
	KUNIT_CASE(last_put_tears_down_and_frees_the_minor),
	KUNIT_CASE(last_put_unpublishes_before_the_teardown),
	KUNIT_CASE(no_lookup_after_the_last_decrement),
	KUNIT_CASE(deleting_refuses_new_references),
	KUNIT_CASE(second_remover_gets_enxio),
	KUNIT_CASE(open_device_is_busy_and_marked_if_asked),
	KUNIT_CASE(only_deferred_without_the_mark_is_eexist),
	KUNIT_CASE(cancel_clears_the_mark_until_deleting),
	{}
};

static struct kunit_suite sdm_refs_suite = {
	.name = "sdm_refs",
	.test_cases = sdm_refs_cases,
};

/* ---- a disk for targets to map ---- */

/*
 * kdisk: KDISK_SECTORS sectors that read as zeros, but for an MBR in
 * sector 0 with two partitions, and a dax_device that maps nothing.  Real
 * enough for sdm_get_device() to open it and its partitions, and for a
 * table over it to be a DAX table.  Built by the suites that map it.
 */
#define KDISK_SECTORS	32768
#define KDISK_MINORS	4	/* the disk, two partitions, one missing */
#define KDISK_P1_START	2048
#define KDISK_P1_LEN	8192
#define KDISK_P2_START	10240
#define KDISK_P2_LEN	8192
#define MBR_TABLE	446	/* four 16-byte partition entries */
#define MBR_ENTRY	16

static struct {
	int major;
	struct gendisk *disk;
	struct dax_device *dax_dev;
	u8 mbr[SECTOR_SIZE];
	/* the last bio submitted to kdisk, as it arrived */
	struct bio *last_bio;
	struct block_device *last_bdev;
	sector_t last_sector;
} kdisk;

static void kdisk_submit_bio(struct bio *bio)
{
	sector_t sector = bio->bi_iter.bi_sector;
	struct bvec_iter iter;
	struct bio_vec bv;

	kdisk.last_bio = bio;
	kdisk.last_bdev = bio->bi_bdev;
	kdisk.last_sector = sector;

	if (bio_op(bio) == REQ_OP_READ) {
		bio_for_each_segment(bv, bio, iter) {
			memzero_bvec(&bv);
			if (!sector)
				memcpy_to_page(bv.bv_page, bv.bv_offset,
					       kdisk.mbr, SECTOR_SIZE);
			sector += bv.bv_len >> SECTOR_SHIFT;
		}
	}
	bio_endio(bio);
}

static const struct block_device_operations kdisk_fops = {
	.owner		= THIS_MODULE,
	.submit_bio	= kdisk_submit_bio,
};

/* Nothing translates through it: sdm only needs it to exist. */
static long kdisk_direct_access(struct dax_device *dax_dev, pgoff_t pgoff,
				long nr_pages, enum dax_access_mode mode,
				void **kaddr, pfn_t *pfn)
{
	return -EIO;
}

static int kdisk_zero_page_range(struct dax_device *dax_dev, pgoff_t pgoff,
				 size_t nr_pages)
{
	return -EIO;
}

static const struct dax_operations kdisk_dax_ops = {
	.direct_access		= kdisk_direct_access,
	.zero_page_range	= kdisk_zero_page_range,
};

static void kdisk_set_partition(unsigned int slot, u32 start, u32 len)
{
	u8 *entry = kdisk.mbr + MBR_TABLE + slot * MBR_ENTRY;

	entry[4] = 0x83;			/* type: Linux */
	put_unaligned_le32(start, entry + 8);
	put_unaligned_le32(len, entry + 12);
}

static bool kdisk_has_partition(unsigned int partno, sector_t start,
				sector_t len)
{
	struct block_device *part = xa_load(&kdisk.disk->part_tbl, partno);

	return part && get_start_sect(part) == start &&
	       bdev_nr_sectors(part) == len;
}

static void kdisk_exit(struct kunit_suite *suite)
{
	dax_remove_host(kdisk.disk);
	kill_dax(kdisk.dax_dev);
	put_dax(kdisk.dax_dev);
	del_gendisk(kdisk.disk);
	put_disk(kdisk.disk);
	unregister_blkdev(kdisk.major, "sdm_kunit");
}

static int kdisk_init(struct kunit_suite *suite)
{
	struct queue_limits lim = { .features = BLK_FEAT_DAX };
	int r;

	memset(kdisk.mbr, 0, sizeof(kdisk.mbr));
	kdisk_set_partition(0, KDISK_P1_START, KDISK_P1_LEN);
	kdisk_set_partition(1, KDISK_P2_START, KDISK_P2_LEN);
	kdisk.mbr[510] = 0x55;			/* the boot signature */
	kdisk.mbr[511] = 0xaa;

	kdisk.major = register_blkdev(0, "sdm_kunit");
	if (kdisk.major < 0)
		return kdisk.major;
	kdisk.disk = blk_alloc_disk(&lim, NUMA_NO_NODE);
	if (IS_ERR(kdisk.disk)) {
		r = PTR_ERR(kdisk.disk);
		goto out_unregister;
	}
	kdisk.disk->major = kdisk.major;
	kdisk.disk->first_minor = 0;
	kdisk.disk->minors = KDISK_MINORS;
	kdisk.disk->fops = &kdisk_fops;
	strscpy(kdisk.disk->disk_name, "sdmkunit", DISK_NAME_LEN);
	set_capacity(kdisk.disk, KDISK_SECTORS);

	kdisk.dax_dev = alloc_dax(NULL, &kdisk_dax_ops);
	if (IS_ERR(kdisk.dax_dev)) {
		r = PTR_ERR(kdisk.dax_dev);
		goto out_put_disk;
	}
	r = dax_add_host(kdisk.dax_dev, kdisk.disk);
	if (r)
		goto out_put_dax;
	r = add_disk(kdisk.disk);
	if (r)
		goto out_remove_host;

	if (kdisk_has_partition(1, KDISK_P1_START, KDISK_P1_LEN) &&
	    kdisk_has_partition(2, KDISK_P2_START, KDISK_P2_LEN))
		return 0;
	pr_err("sdm_kunit: the partitions of sdmkunit were not found\n");
	kdisk_exit(suite);
	return -ENODEV;

out_remove_host:
	dax_remove_host(kdisk.disk);
out_put_dax:
	kill_dax(kdisk.dax_dev);
	put_dax(kdisk.dax_dev);
out_put_disk:
	put_disk(kdisk.disk);
out_unregister:
	unregister_blkdev(kdisk.major, "sdm_kunit");
	return r;
}

/* The device number of partition @partno of kdisk (0: the whole disk) */
static dev_t kdisk_devt(unsigned int partno)
{
	return MKDEV(kdisk.major, partno);
}

static __printf(2, 3) char *kformat(struct kunit *test, const char *fmt, ...)
{
	char *buf = kunit_kzalloc(test, 160, GFP_KERNEL);
	va_list args;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	va_start(args, fmt);
	vsnprintf(buf, 160, fmt, args);
	va_end(args);
	return buf;
}

/* A device and an empty table of four targets for it. */
static int kdisk_table_init(struct kunit *test)
{
	struct table_fixture *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_ASSERT_EQ(test, sdm_create(-1, &f->md), 0);
	KUNIT_ASSERT_EQ(test, sdm_table_create(&f->t, f->md, false, 4), 0);
	f->openers = disk_openers(kdisk.disk);
	test->priv = f;
	return 0;
}

/*
 * How many times the case's tables opened kdisk.  (Counted from the start
 * of the case: the partition scan's opening is closed only once insmod
 * returns to user space.)
 */
static unsigned int kdisk_opened(struct table_fixture *f)
{
	return disk_openers(kdisk.disk) - f->openers;
}

static void kdisk_table_exit(struct kunit *test)
{
	struct table_fixture *f = test->priv;

	if (f->t)
		sdm_table_destroy(f->t);
	if (f->md)
		sdm_destroy(f->md);
}

/*
 * Add a @len-sector @type target with @params at the end of @t, expecting
 * @want; a refused one must leave @why as its error.
 */
static int expect_target(struct kunit *test, struct sdm_table *t,
			 const char *type, sector_t len, const char *params,
			 int want, const char *why)
{
	unsigned int n = sdm_table_num_targets(t);
	char *buf = kunit_kstrdup(test, params, GFP_KERNEL);
	const char *error;
	int r;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	r = sdm_table_add_target(t, type, sdm_table_size(t), len, buf);
	KUNIT_EXPECT_EQ_MSG(test, r, want, "%s \"%s\"", type, params);
	if (!want || r != want)
		return r;
	/* the refused target's slot still holds what its constructor said */
	error = sdm_table_get_target(t, n)->error ?: "(none)";
	KUNIT_EXPECT_STREQ_MSG(test, error, why, "%s \"%s\"", type, params);
	KUNIT_EXPECT_EQ(test, sdm_table_num_targets(t), n);
	return r;
}

/* ---- target constructors ---- */

/*
 * The errnos are dm_mod's (drivers/md/dm-linear.c, dm-stripe.c and the
 * device lookup of dm-table.c in 6.12); the messages are the targets'.
 */
static void linear_refuses_wrong_argument_counts(struct kunit *test)
{
	struct table_fixture *f = test->priv;
	const char *d = kformat(test, "%d:0", kdisk.major);

	expect_target(test, f->t, "linear", 8, "", -EINVAL,
		      "Invalid argument count");
	expect_target(test, f->t, "linear", 8, d, -EINVAL,
		      "Invalid argument count");
	expect_target(test, f->t, "linear", 8, kformat(test, "%s 0 0", d),
		      -EINVAL, "Invalid argument count");
	KUNIT_EXPECT_EQ(test, kdisk_opened(f), 0U);
}

static void linear_refuses_bad_offsets(struct kunit *test)
{
	/* "8\\ " is the word "8 " */
	static const char * const bad[] = { "x", "8x", "-8", "0x10", "8\\ " };
	struct table_fixture *f = test->priv;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		expect_target(test, f->t, "linear", 8,
			      kformat(test, "%d:0 %s", kdisk.major, bad[i]),
			      -EINVAL, "Invalid device sector");
	/* refused before the device is opened */
	KUNIT_EXPECT_EQ(test, kdisk_opened(f), 0U);
}

static void linear_refuses_unknown_devices(struct kunit *test)
{
	struct table_fixture *f = test->priv;
	const char *lookup = "Device lookup failed";

	expect_target(test, f->t, "linear", 8, "/sdm_kunit/no/such 0",
		      -ENOENT, lookup);
	expect_target(test, f->t, "linear", 8, "/ 0", -ENOTBLK, lookup);
	expect_target(test, f->t, "linear", 8, "4096:0 0", -EOVERFLOW, lookup);
	expect_target(test, f->t, "linear", 8, "8:1048576 0", -EOVERFLOW,
		      lookup);
	/* kdisk has no third partition */
	expect_target(test, f->t, "linear", 8,
		      kformat(test, "%d:3 0", kdisk.major), -ENXIO, lookup);
	expect_target(test, f->t, "linear", 8,
		      kformat(test, "%u:%u 0", MAJOR(disk_devt(f->md->disk)),
			      MINOR(disk_devt(f->md->disk))),
		      -EINVAL, "a device cannot map itself");
	KUNIT_EXPECT_EQ(test, kdisk_opened(f), 0U);
}

static void linear_maps_the_disk(struct kunit *test)
{
	struct table_fixture *f = test->priv;
	struct sdm_target *ti;

	expect_target(test, f->t, "linear", 64,
		      kformat(test, "%d:0 4096", kdisk.major), 0, NULL);
	KUNIT_ASSERT_EQ(test, sdm_table_num_targets(f->t), 1U);
	ti = sdm_table_get_target(f->t, 0);
	KUNIT_EXPECT_EQ(test, ti->max_io_len, (sector_t)0);
	KUNIT_EXPECT_EQ(test, ti->num_flush_bios, 1U);
	KUNIT_EXPECT_EQ(test, kdisk_opened(f), 1U);
	/* a second target on the same device shares its opening */
	expect_target(test, f->t, "linear", 64,
		      kformat(test, "%d:0 0", kdisk.major), 0, NULL);
	KUNIT_EXPECT_EQ(test, kdisk_opened(f), 1U);
}

/* What a bio looked like when it came back to its submitter. */
struct bio_seen {
	struct completion done;
	struct block_device *bdev;
	sector_t sector;
	unsigned int size;
};

static void bio_seen_endio(struct bio *bio)
{
	struct bio_seen *seen = bio->bi_private;

	seen->bdev = bio->bi_bdev;
	seen->sector = bio->bi_iter.bi_sector;
	seen->size = bio->bi_iter.bi_size;
	complete(&seen->done);
}

/*
 * A read inside a linear target goes to kdisk as the very bio that was
 * submitted, moved to kdisk's sector, and comes back to its submitter
 * with its device, position and private data as they were
 * (SDM_TARGET_IN_PLACE).
 */
static void linear_maps_reads_in_place(struct kunit *test)
{
	struct table_fixture *f = test->priv;
	struct sdm_resume_result res;
	struct sdm_bdev_handle h;
	struct block_device *bdev;
	struct bio_seen seen;
	struct page *page;
	struct bio *bio;
	int r;

	expect_target(test, f->t, "linear", 64,
		      kformat(test, "%d:0 4096", kdisk.major), 0, NULL);
	KUNIT_ASSERT_EQ(test, sdm_table_complete(f->t), 0);
	/* what a TABLE_LOAD does with it (kdisk's tables are DAX tables) */
	mutex_lock(&f->md->type_lock);
	r = sdm_dax_check_type(f->md, f->t);
	if (!r)
		r = sdm_setup_disk(f->md, f->t);
	if (!r)
		sdm_dax_set_type(f->md, f->t);
	mutex_unlock(&f->md->type_lock);
	KUNIT_ASSERT_EQ(test, r, 0);
	KUNIT_ASSERT_EQ(test, sdm_suspend(f->md, false, true), 0);
	KUNIT_ASSERT_EQ(test, sdm_resume(f->md, f->t, &res), 0);
	f->t = NULL;			/* the device's live table now */
	KUNIT_ASSERT_TRUE(test, res.resumed);

	r = sdm_bdev_open(&h, disk_devt(f->md->disk), BLK_OPEN_READ, test);
	KUNIT_ASSERT_EQ(test, r, 0);
	bdev = sdm_bdev(&h);
	page = alloc_page(GFP_KERNEL);
	bio = bio_alloc(bdev, 1, REQ_OP_READ, GFP_KERNEL);
	if (!page || !bio) {
		if (bio)
			bio_put(bio);
		if (page)
			__free_page(page);
		sdm_bdev_close(&h, BLK_OPEN_READ);
		KUNIT_FAIL(test, "no page or bio");
		return;
	}
	__bio_add_page(bio, page, PAGE_SIZE, 0);
	bio->bi_iter.bi_sector = 16;
	init_completion(&seen.done);
	bio->bi_private = &seen;
	bio->bi_end_io = bio_seen_endio;
	submit_bio(bio);
	wait_for_completion(&seen.done);

	/* kdisk completed it before the completion above was signalled */
	KUNIT_EXPECT_PTR_EQ(test, kdisk.last_bio, bio);
	KUNIT_EXPECT_PTR_EQ(test, kdisk.last_bdev, kdisk.disk->part0);
	KUNIT_EXPECT_EQ(test, kdisk.last_sector, (sector_t)4112);
	KUNIT_EXPECT_PTR_EQ(test, seen.bdev, bdev);
	KUNIT_EXPECT_EQ(test, seen.sector, (sector_t)16);
	KUNIT_EXPECT_EQ(test, seen.size, (unsigned int)PAGE_SIZE);
	KUNIT_EXPECT_TRUE(test, bio->bi_status == BLK_STS_OK);
	bio_put(bio);
	__free_page(page);
	sdm_bdev_close(&h, BLK_OPEN_READ);
}

static void striped_refuses_wrong_argument_counts(struct kunit *test)
{
	struct table_fixture *f = test->priv;
	const char *d = kformat(test, "%d:0", kdisk.major);
	const char *few = "Not enough arguments";
	const char *dests = "Not enough destinations specified";

	expect_target(test, f->t, "striped", 64, "", -EINVAL, few);
	expect_target(test, f->t, "striped", 64, "2", -EINVAL, few);
	expect_target(test, f->t, "striped", 64, "2 8", -EINVAL, dests);
	expect_target(test, f->t, "striped", 64, kformat(test, "2 8 %s 0", d),
		      -EINVAL, dests);
	expect_target(test, f->t, "striped", 64,
		      kformat(test, "2 8 %s 0 %s", d, d), -EINVAL, dests);
	expect_target(test, f->t, "striped", 64,
		      kformat(test, "2 8 %s 0 %s 0 %s 0", d, d, d), -EINVAL,
		      dests);
	/*
	 * 2^31 stripes want 2^32 + 2 arguments, a count that does not fit
	 * in 32 bits (dm-stripe computes it in 32 bits, where it is 2).
	 */
	expect_target(test, f->t, "striped", 1ULL << 34, "2147483648 8",
		      -EINVAL, dests);
	KUNIT_EXPECT_EQ(test, kdisk_opened(f), 0U);
}

static void striped_refuses_bad_stripe_counts(struct kunit *test)
{
	static const char * const bad[] = { "0", "x", "-1", "2k",
					    "4294967296" };
	struct table_fixture *f = test->priv;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		expect_target(test, f->t, "striped", 64,
			      kformat(test, "%s 8 %d:0 0", bad[i], kdisk.major),
			      -EINVAL, "Invalid stripe count");
}

static void striped_refuses_bad_chunk_sizes(struct kunit *test)
{
	static const char * const bad[] = { "0", "x", "-8", "8k",
					    "4294967296" };
	struct table_fixture *f = test->priv;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		expect_target(test, f->t, "striped", 64,
			      kformat(test, "2 %s %d:0 0 %d:0 0", bad[i],
				      kdisk.major, kdisk.major),
			      -EINVAL, "Invalid chunk_size");
}

static void striped_refuses_lengths_that_do_not_divide(struct kunit *test)
{
	struct table_fixture *f = test->priv;
	int mj = kdisk.major;

	expect_target(test, f->t, "striped", 64,
		      kformat(test, "3 8 %d:0 0 %d:0 0 %d:0 0", mj, mj, mj),
		      -EINVAL, "Target length not divisible by number of stripes");
	/* 32 sectors a stripe: chunks of 12 or 64 do not divide them */
	expect_target(test, f->t, "striped", 64,
		      kformat(test, "2 12 %d:0 0 %d:0 0", mj, mj),
		      -EINVAL, "Target length not divisible by chunk size");
	expect_target(test, f->t, "striped", 64,
		      kformat(test, "2 64 %d:0 0 %d:0 0", mj, mj),
		      -EINVAL, "Target length not divisible by chunk size");
}

/* dm_mod takes any chunk size that divides the stripes; sdm too. */
static void striped_takes_odd_and_small_chunks(struct kunit *test)
{
	struct table_fixture *f = test->priv;
	int mj = kdisk.major;
	struct sdm_target *ti;

	/* not a power of two */
	expect_target(test, f->t, "striped", 96,
		      kformat(test, "2 24 %d:0 0 %d:0 4096", mj, mj), 0, NULL);
	/* smaller than a page */
	expect_target(test, f->t, "striped", 4,
		      kformat(test, "2 1 %d:0 8192 %d:0 8200", mj, mj), 0, NULL);
	KUNIT_ASSERT_EQ(test, sdm_table_num_targets(f->t), 2U);
	ti = sdm_table_get_target(f->t, 0);
	KUNIT_EXPECT_EQ(test, ti->max_io_len, (sector_t)24);
	KUNIT_EXPECT_EQ(test, ti->num_flush_bios, 2U);
	ti = sdm_table_get_target(f->t, 1);
	KUNIT_EXPECT_EQ(test, ti->begin, (sector_t)96);
	KUNIT_EXPECT_EQ(test, ti->max_io_len, (sector_t)1);
	/* four stripes of one device: opened once */
	KUNIT_EXPECT_EQ(test, kdisk_opened(f), 1U);
}

/* A stripe that cannot be had gives back those opened before it. */
static void striped_refuses_a_bad_destination(struct kunit *test)
{
	struct table_fixture *f = test->priv;
	const char *why = "Couldn't parse stripe destination";
	const char *d = kformat(test, "%d:0", kdisk.major);

	expect_target(test, f->t, "striped", 64,
		      kformat(test, "2 8 %s -8 %s 0", d, d), -EINVAL, why);
	expect_target(test, f->t, "striped", 64,
		      kformat(test, "2 8 %s 0 %s x", d, d), -EINVAL, why);
	expect_target(test, f->t, "striped", 64,
		      kformat(test, "2 8 %s 0 /sdm_kunit/no/such 0", d),
		      -ENOENT, why);
	expect_target(test, f->t, "striped", 64,
		      kformat(test, "2 8 %s 0 %d:3 0", d, kdisk.major),
		      -ENXIO, why);
	expect_target(test, f->t, "striped", 64,
		      kformat(test, "2 8 %s 0 %u:%u 0", d,
			      MAJOR(disk_devt(f->md->disk)),
			      MINOR(disk_devt(f->md->disk))),
		      -EINVAL, why);
	KUNIT_EXPECT_EQ(test, sdm_table_num_targets(f->t), 0U);
	KUNIT_EXPECT_EQ(test, kdisk_opened(f), 0U);
}

static struct kunit_case sdm_target_args_cases[] = {
	KUNIT_CASE(linear_refuses_wrong_argument_counts),
	KUNIT_CASE(linear_refuses_bad_offsets),
	KUNIT_CASE(linear_refuses_unknown_devices),
	KUNIT_CASE(linear_maps_the_disk),
	KUNIT_CASE(linear_maps_reads_in_place),
	KUNIT_CASE(striped_refuses_wrong_argument_counts),
	KUNIT_CASE(striped_refuses_bad_stripe_counts),
	KUNIT_CASE(striped_refuses_bad_chunk_sizes),
	KUNIT_CASE(striped_refuses_lengths_that_do_not_divide),
	KUNIT_CASE(striped_takes_odd_and_small_chunks),
	KUNIT_CASE(striped_refuses_a_bad_destination),
	{}
};

static struct kunit_suite sdm_target_args_suite = {
	.name = "sdm_target_args",
	.suite_init = kdisk_init,
	.suite_exit = kdisk_exit,
	.init = kdisk_table_init,
	.exit = kdisk_table_exit,
	.test_cases = sdm_target_args_cases,
};

/* ---- DAX: pages of a mapped device, and failed sectors back to it ---- */

static void add_target(struct kunit *test, struct sdm_table *t,
		       const char *type, sector_t len, const char *params)
{
	KUNIT_ASSERT_EQ(test, expect_target(test, t, type, len, params, 0, NULL),
			0);
}

/* Page @pgoff of @t maps to page @want of kdisk, @pages of them in a row. */
static void expect_page(struct kunit *test, struct sdm_table *t,
			pgoff_t pgoff, pgoff_t want, long pages)
{
	pgoff_t got = pgoff;
	long n = -1;

	KUNIT_EXPECT_PTR_EQ_MSG(test, sdm_dax_lookup(t, &got, &n),
				kdisk.dax_dev, "page %lu", pgoff);
	KUNIT_EXPECT_EQ_MSG(test, got, want, "page %lu", pgoff);
	KUNIT_EXPECT_EQ_MSG(test, n, pages, "page %lu", pgoff);
}

static void expect_no_page(struct kunit *test, struct sdm_table *t,
			   pgoff_t pgoff)
{
	long n = 0;

	KUNIT_EXPECT_NULL_MSG(test, sdm_dax_lookup(t, &pgoff, &n),
			      "page %lu", pgoff);
}

static void lookup_linear_adds_the_offset(struct kunit *test)
{
	struct table_fixture *f = test->priv;

	add_target(test, f->t, "linear", 256,
		   kformat(test, "%d:0 64", kdisk.major));
	KUNIT_ASSERT_EQ(test, sdm_table_complete(f->t), 0);
	KUNIT_ASSERT_TRUE(test, sdm_table_dax(f->t));

	expect_page(test, f->t, 0, 8, 32);
	expect_page(test, f->t, 5, 13, 27);
	expect_page(test, f->t, 31, 39, 1);
	expect_no_page(test, f->t, 32);
	expect_no_page(test, NULL, 0);
}

static void lookup_crosses_targets(struct kunit *test)
{
	struct table_fixture *f = test->priv;

	add_target(test, f->t, "linear", 64,
		   kformat(test, "%d:0 1024", kdisk.major));
	add_target(test, f->t, "linear", 64,
		   kformat(test, "%d:0 0", kdisk.major));
	KUNIT_ASSERT_EQ(test, sdm_table_complete(f->t), 0);
	KUNIT_ASSERT_TRUE(test, sdm_table_dax(f->t));

	/* a run of pages ends with its target */
	expect_page(test, f->t, 0, 128, 8);
	expect_page(test, f->t, 7, 135, 1);
	expect_page(test, f->t, 8, 0, 8);
	expect_page(test, f->t, 15, 7, 1);
	expect_no_page(test, f->t, 16);
}

static void lookup_striped_stops_at_chunk_ends(struct kunit *test)
{
	struct table_fixture *f = test->priv;

	/* chunks of two pages, the second stripe 4096 sectors (page 512) in */
	add_target(test, f->t, "striped", 128,
		   kformat(test, "2 16 %d:0 0 %d:0 4096", kdisk.major,
			   kdisk.major));
	KUNIT_ASSERT_EQ(test, sdm_table_complete(f->t), 0);
	KUNIT_ASSERT_TRUE(test, sdm_table_dax(f->t));

	expect_page(test, f->t, 0, 0, 2);
	expect_page(test, f->t, 1, 1, 1);
	expect_page(test, f->t, 2, 512, 2);
	expect_page(test, f->t, 3, 513, 1);
	expect_page(test, f->t, 4, 2, 2);
	expect_page(test, f->t, 7, 515, 1);
	expect_page(test, f->t, 15, 519, 1);
	expect_no_page(test, f->t, 16);
}

/* A dax_device's pages count from the start of its whole disk. */
static void lookup_through_partitions(struct kunit *test)
{
	struct table_fixture *f = test->priv;

	add_target(test, f->t, "linear", 64,
		   kformat(test, "%d:1 8", kdisk.major));
	add_target(test, f->t, "striped", 64,
		   kformat(test, "2 8 %d:2 0 %d:1 16", kdisk.major,
			   kdisk.major));
	KUNIT_ASSERT_EQ(test, sdm_table_complete(f->t), 0);
	KUNIT_ASSERT_TRUE(test, sdm_table_dax(f->t));

	expect_page(test, f->t, 0, (KDISK_P1_START + 8) / 8, 8);
	expect_page(test, f->t, 7, (KDISK_P1_START + 8) / 8 + 7, 1);
	/* striped, chunk 0 on p2, chunk 1 on p1, chunk 2 on p2 a row down */
	expect_page(test, f->t, 8, KDISK_P2_START / 8, 1);
	expect_page(test, f->t, 9, (KDISK_P1_START + 16) / 8, 1);
	expect_page(test, f->t, 10, KDISK_P2_START / 8 + 1, 1);
}

/* Tables that are not page aligned, to the chunk, have no DAX pages. */
static void lookup_needs_a_dax_table(struct kunit *test)
{
	static const struct {
		const char *type, *params;
		sector_t len;
		bool dax;
	} tables[] = {
		{ "linear", "%d:0 1", 64, false },
		{ "linear", "%d:0 8", 60, false },
		{ "striped", "2 4 %d:0 0 %d:0 64", 64, false },
		{ "striped", "2 12 %d:0 0 %d:0 96", 96, false },
		{ "striped", "2 24 %d:0 0 %d:0 96", 96, true },
		{ "linear", "%d:1 0", 64, true },
	};
	struct table_fixture *f = test->priv;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(tables); i++) {
		struct sdm_table *t;

		KUNIT_ASSERT_EQ(test, sdm_table_create(&t, f->md, false, 1), 0);
		add_target(test, t, tables[i].type, tables[i].len,
			   kformat(test, tables[i].params, kdisk.major,
				   kdisk.major));
		KUNIT_EXPECT_EQ(test, sdm_table_complete(t), 0);
		KUNIT_EXPECT_EQ_MSG(test, sdm_table_dax(t), tables[i].dax,
				    "%s %s", tables[i].type, tables[i].params);
		if (!tables[i].dax)
			expect_no_page(test, t, 0);
		sdm_table_destroy(t);
	}
}

/* What ->dax_rmap() reports, in order; the walk stops after @stop_after. */
struct rmap_log {
	unsigned int nr, stop_after;
	sector_t r[8][2];
};

static int log_range(struct sdm_target *ti, sector_t begin, sector_t len,
		     void *data)
{
	struct rmap_log *log = data;

	if (log->nr < ARRAY_SIZE(log->r)) {
		log->r[log->nr][0] = begin;
		log->r[log->nr][1] = len;
	}
	return ++log->nr == log->stop_after ? 7 : 0;
}

/*
 * The ranges of @t that map sectors [@start, @start + @len) of @dev: each
 * target's ->dax_rmap() in table order, as a memory failure walks the
 * live table.
 */
static int rmap_table(struct sdm_table *t, dev_t dev, sector_t start,
		      sector_t len, struct rmap_log *log)
{
	unsigned int i;
	int r = 0;

	for (i = 0; !r && i < sdm_table_num_targets(t); i++) {
		struct sdm_target *ti = sdm_table_get_target(t, i);

		r = ti->type->dax_rmap(ti, dev, start, len, log_range, log);
	}
	return r;
}

static void expect_ranges(struct kunit *test, struct rmap_log *log,
			  const sector_t (*want)[2], unsigned int nr)
{
	unsigned int i;

	KUNIT_EXPECT_EQ(test, log->nr, nr);
	for (i = 0; i < nr && i < log->nr && i < ARRAY_SIZE(log->r); i++) {
		KUNIT_EXPECT_EQ_MSG(test, log->r[i][0], want[i][0], "range %u", i);
		KUNIT_EXPECT_EQ_MSG(test, log->r[i][1], want[i][1], "range %u", i);
	}
	memset(log, 0, sizeof(*log));
}

static void rmap_extent_reports_the_overlap(struct kunit *test)
{
	/* device sectors [100, 150) mapped from sector 1000 */
	static const sector_t head[][2] = { { 1000, 10 } };
	static const sector_t tail[][2] = { { 1040, 10 } };
	static const sector_t inside[][2] = { { 1020, 5 } };
	static const sector_t all[][2] = { { 1000, 50 } };
	struct rmap_log log = { };

	sdm_rmap_extent(NULL, 100, 50, 1000, 90, 20, log_range, &log);
	expect_ranges(test, &log, head, 1);
	sdm_rmap_extent(NULL, 100, 50, 1000, 140, 60, log_range, &log);
	expect_ranges(test, &log, tail, 1);
	sdm_rmap_extent(NULL, 100, 50, 1000, 120, 5, log_range, &log);
	expect_ranges(test, &log, inside, 1);
	sdm_rmap_extent(NULL, 100, 50, 1000, 0, 1000, log_range, &log);
	expect_ranges(test, &log, all, 1);
	/* touching either end is not overlapping */
	sdm_rmap_extent(NULL, 100, 50, 1000, 0, 100, log_range, &log);
	sdm_rmap_extent(NULL, 100, 50, 1000, 150, 10, log_range, &log);
	sdm_rmap_extent(NULL, 100, 50, 1000, 120, 0, log_range, &log);
	expect_ranges(test, &log, NULL, 0);
	/* the callout's verdict comes back */
	log.stop_after = 1;
	KUNIT_EXPECT_EQ(test, sdm_rmap_extent(NULL, 100, 50, 1000, 90, 20,
					      log_range, &log), 7);
	expect_ranges(test, &log, head, 1);
}

static void rmap_linear_across_targets(struct kunit *test)
{
	static const sector_t first[][2] = { { 0, 6 } };
	static const sector_t both[][2] = { { 0, 6 }, { 124, 4 } };
	struct table_fixture *f = test->priv;
	struct rmap_log log = { };

	add_target(test, f->t, "linear", 64,
		   kformat(test, "%d:0 1024", kdisk.major));
	add_target(test, f->t, "linear", 64,
		   kformat(test, "%d:0 0", kdisk.major));
	KUNIT_ASSERT_EQ(test, sdm_table_complete(f->t), 0);

	KUNIT_EXPECT_EQ(test, rmap_table(f->t, kdisk_devt(0), 1020, 10, &log),
			0);
	expect_ranges(test, &log, first, 1);
	KUNIT_EXPECT_EQ(test, rmap_table(f->t, kdisk_devt(0), 60, 970, &log),
			0);
	expect_ranges(test, &log, both, 2);
	/* unmapped sectors, and another device */
	rmap_table(f->t, kdisk_devt(0), 2000, 10, &log);
	rmap_table(f->t, kdisk_devt(1), 0, KDISK_P1_LEN, &log);
	expect_ranges(test, &log, NULL, 0);
}

static void rmap_striped_splits_at_chunks(struct kunit *test)
{
	/* the striped target starts at sector 64, chunks of 16 */
	static const sector_t p1[][2] = { { 74, 6 }, { 96, 16 }, { 128, 8 } };
	static const sector_t p2[][2] = { { 80, 16 }, { 112, 16 },
					  { 144, 16 }, { 176, 16 } };
	static const sector_t linear[][2] = { { 0, 6 } };
	struct table_fixture *f = test->priv;
	struct rmap_log log = { };

	add_target(test, f->t, "linear", 64,
		   kformat(test, "%d:1 1024", kdisk.major));
	add_target(test, f->t, "striped", 128,
		   kformat(test, "2 16 %d:1 0 %d:2 0", kdisk.major,
			   kdisk.major));
	KUNIT_ASSERT_EQ(test, sdm_table_complete(f->t), 0);

	rmap_table(f->t, kdisk_devt(1), 10, 30, &log);
	expect_ranges(test, &log, p1, ARRAY_SIZE(p1));
	rmap_table(f->t, kdisk_devt(2), 0, 64, &log);
	expect_ranges(test, &log, p2, ARRAY_SIZE(p2));
	/* past the stripe's share of p2 */
	rmap_table(f->t, kdisk_devt(2), 64, 36, &log);
	expect_ranges(test, &log, NULL, 0);
	/* sectors of p1 only the linear target maps */
	rmap_table(f->t, kdisk_devt(1), 1020, 10, &log);
	expect_ranges(test, &log, linear, 1);
	/* a callout that says stop stops the walk over the chunks */
	log.stop_after = 2;
	KUNIT_EXPECT_EQ(test, rmap_table(f->t, kdisk_devt(1), 10, 30, &log), 7);
	expect_ranges(test, &log, p1, 2);
}

/*
 * A failure arrives in bytes of the whole dax_device: clipped to a
 * partition it becomes sectors of the partition, which its users map
 * back.  The same bytes are nothing to the other partition.
 */
static void failure_in_a_partition_maps_back(struct kunit *test)
{
	static const sector_t want[][2] = { { 4, 8 } };
	const u64 p1_off = (u64)KDISK_P1_START << SECTOR_SHIFT;
	const u64 p2_off = (u64)KDISK_P2_START << SECTOR_SHIFT;
	const u64 offset = p2_off + (20 << SECTOR_SHIFT);
	struct table_fixture *f = test->priv;
	struct rmap_log log = { };
	sector_t start, end;

	add_target(test, f->t, "linear", 64,
		   kformat(test, "%d:2 16", kdisk.major));
	KUNIT_ASSERT_EQ(test, sdm_table_complete(f->t), 0);

	KUNIT_EXPECT_FALSE(test, sdm_dax_clip(offset, 4096, p1_off,
					      KDISK_P1_LEN, &start, &end));
	KUNIT_ASSERT_TRUE(test, sdm_dax_clip(offset, 4096, p2_off,
					     KDISK_P2_LEN, &start, &end));
	KUNIT_EXPECT_EQ(test, start, (sector_t)20);
	KUNIT_EXPECT_EQ(test, end, (sector_t)28);
	rmap_table(f->t, kdisk_devt(2), start, end - start, &log);
	expect_ranges(test, &log, want, 1);
}

/*
 * Failed bytes across the border of two partitions, both in one table
 * (a disk and its partition cannot both be opened: EBUSY): each table
 * device clips them to itself and maps back only through its own
 * target, so every failed range of the mapped device is found once.
 */
static void failure_across_two_partitions_found_once(struct kunit *test)
{
	static const sector_t via_p1[][2] = { { 60, 4 } };
	static const sector_t via_p2[][2] = { { 64, 4 } };
	const u64 p1_off = (u64)KDISK_P1_START << SECTOR_SHIFT;
	const u64 p2_off = (u64)KDISK_P2_START << SECTOR_SHIFT;
	const u64 offset = p2_off - (4 << SECTOR_SHIFT);
	struct table_fixture *f = test->priv;
	struct rmap_log log = { };
	sector_t start, end;

	add_target(test, f->t, "linear", 64,
		   kformat(test, "%d:1 %d", kdisk.major, KDISK_P1_LEN - 64));
	add_target(test, f->t, "linear", 64,
		   kformat(test, "%d:2 0", kdisk.major));
	KUNIT_ASSERT_EQ(test, sdm_table_complete(f->t), 0);

	KUNIT_ASSERT_TRUE(test, sdm_dax_clip(offset, 4096, p1_off,
					     KDISK_P1_LEN, &start, &end));
	KUNIT_EXPECT_EQ(test, end - start, (sector_t)4);
	rmap_table(f->t, kdisk_devt(1), start, end - start, &log);
	expect_ranges(test, &log, via_p1, 1);
	KUNIT_ASSERT_TRUE(test, sdm_dax_clip(offset, 4096, p2_off,
					     KDISK_P2_LEN, &start, &end));
	KUNIT_EXPECT_EQ(test, end - start, (sector_t)4);
	rmap_table(f->t, kdisk_devt(2), start, end - start, &log);
	expect_ranges(test, &log, via_p2, 1);
}

static struct kunit_case sdm_dax_map_cases[] = {
	KUNIT_CASE(lookup_linear_adds_the_offset),
	KUNIT_CASE(lookup_crosses_targets),
	KUNIT_CASE(lookup_striped_stops_at_chunk_ends),
	KUNIT_CASE(lookup_through_partitions),
	KUNIT_CASE(lookup_needs_a_dax_table),
	KUNIT_CASE(rmap_extent_reports_the_overlap),
	KUNIT_CASE(rmap_linear_across_targets),
	KUNIT_CASE(rmap_striped_splits_at_chunks),
	KUNIT_CASE(failure_in_a_partition_maps_back),
	KUNIT_CASE(failure_across_two_partitions_found_once),
	{}
};

static struct kunit_suite sdm_dax_map_suite = {
	.name = "sdm_dax_map",
	.suite_init = kdisk_init,
	.suite_exit = kdisk_exit,
	.init = kdisk_table_init,
	.exit = kdisk_table_exit,
	.test_cases = sdm_dax_map_cases,
};

kunit_test_suites(&sdm_targets_suite, &sdm_ioctl_suite, &sdm_args_suite,
		  &sdm_table_suite, &sdm_dax_suite, &sdm_minor_suite,
		  &sdm_refs_suite, &sdm_target_args_suite, &sdm_dax_map_suite);

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
MODULE_DESCRIPTION("KUnit tests for sdm");
MODULE_LICENSE("GPL");
