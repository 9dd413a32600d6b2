// SPDX-License-Identifier: GPL-2.0-only
/*
 * sdm_kunit.ko - KUnit tests for sdm's internal helpers.
 *
 * Built only against a kernel with CONFIG_KUNIT (the debug kernel of the
 * VM harness); the suites run when the module is loaded and the harness
 * reads their results from /sys/kernel/debug/kunit/<suite>/results.
 */
#include <kunit/test.h>
#include <linux/module.h>
#include <linux/string.h>

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

static struct kunit_case sdm_table_cases[] = {
	KUNIT_CASE(add_target_refuses_gaps_overlaps_and_zero_length),
	KUNIT_CASE(add_target_refuses_more_than_announced),
	KUNIT_CASE(add_target_refuses_overflowing_length),
	KUNIT_CASE(find_target_at_every_boundary),
	KUNIT_CASE(complete_refuses_an_empty_table),
	KUNIT_CASE(create_refuses_too_many_targets),
	KUNIT_CASE(device_without_dax_table_has_no_dax_device),
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

static struct kunit_case sdm_dax_cases[] = {
	KUNIT_CASE(clip_inside_whole_disk),
	KUNIT_CASE(clip_misses_outside_the_partition),
	KUNIT_CASE(clip_range_starting_before_the_partition),
	KUNIT_CASE(clip_range_ending_past_the_partition),
	KUNIT_CASE(merge_keeps_any_failure),
	KUNIT_CASE(merge_success_beats_not_handled),
	{}
};

static struct kunit_suite sdm_dax_suite = {
	.name = "sdm_dax",
	.test_cases = sdm_dax_cases,
};

kunit_test_suites(&sdm_targets_suite, &sdm_ioctl_suite, &sdm_args_suite,
		  &sdm_table_suite, &sdm_dax_suite);

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
MODULE_DESCRIPTION("KUnit tests for sdm");
MODULE_LICENSE("GPL");
