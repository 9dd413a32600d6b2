// SPDX-License-Identifier: GPL-2.0-only
/*
 * Tables: a sequence of targets that covers a mapped device contiguously
 * from sector 0, the underlying devices they hold open, and the queue
 * limits stacked from those devices.
 *
 * A table is built by one TABLE_LOAD (under md->type_lock), is immutable
 * once sdm_table_complete() succeeded, and is destroyed by whoever
 * replaced or dropped it after no reader can see it any more.
 */
#include <linux/blkdev.h>
#include <linux/ctype.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kdev_t.h>
#include <linux/module.h>
#include <linux/refcount.h>
#include <linux/slab.h>

#include "sdm.h"

struct sdm_table {
	struct mapped_device *md;
	bool read_only;
	unsigned int num_targets;
	unsigned int num_allocated;
	struct sdm_target *targets;
	sector_t *highs;		/* last sector of each target */
	struct list_head devices;	/* struct sdm_dev_ref */
	bool single_device;
	bool dax;			/* every target can map DAX */
};

/*
 * An underlying device open for a mapped device, shared by all its tables
 * and kept on md->table_devices under md->table_devices_lock.  It is
 * opened exclusively with one holder common to every sdm device, so that
 * several mapped devices (LVs of one PV) can map one disk while a mounted
 * filesystem or another driver cannot.
 */
struct sdm_table_device {
	struct list_head list;
	refcount_t count;		/* tables using it */
	struct sdm_bdev_handle bdev_h;
	blk_mode_t mode;
	bool linked;			/* holders/slaves link made */
	struct sdm_dev dev;
	struct sdm_dax_user dax;	/* if dev.dax_dev */
};

/* A table's use of a table device, counted per target. */
struct sdm_dev_ref {
	struct list_head list;
	unsigned int count;
	struct sdm_table_device *td;
};

/* The holder of every underlying device; only its address matters. */
static char sdm_claim;

static void drop_dev_ref(struct sdm_table *t, struct sdm_dev_ref *ref);

unsigned int sdm_table_num_targets(struct sdm_table *t)
{
	return t->num_targets;
}
EXPORT_SYMBOL_IF_KUNIT(sdm_table_num_targets);

struct sdm_target *sdm_table_get_target(struct sdm_table *t,
					unsigned int index)
{
	return &t->targets[index];
}
EXPORT_SYMBOL_IF_KUNIT(sdm_table_get_target);

sector_t sdm_table_size(struct sdm_table *t)
{
	return t->num_targets ? t->highs[t->num_targets - 1] + 1 : 0;
}
EXPORT_SYMBOL_IF_KUNIT(sdm_table_size);

bool sdm_table_read_only(struct sdm_table *t)
{
	return t->read_only;
}

bool sdm_table_single_device(struct sdm_table *t)
{
	return t->single_device;
}

bool sdm_table_dax(struct sdm_table *t)
{
	return t->dax;
}
EXPORT_SYMBOL_IF_KUNIT(sdm_table_dax);

/**
 * sdm_table_create() - start an empty table for @md
 * @result: set to the table
 * @md: the device it is for (referenced by the caller)
 * @read_only: open the underlying devices for reading only
 * @num_targets: how many targets will be added
 *
 * Return: 0, -EOVERFLOW above SDM_MAX_TARGETS, or -ENOMEM.
 */
int sdm_table_create(struct sdm_table **result, struct mapped_device *md,
		     bool read_only, unsigned int num_targets)
{
	struct sdm_table *t;

	if (num_targets > SDM_MAX_TARGETS)
		return -EOVERFLOW;

	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	t->md = md;
	t->read_only = read_only;
	INIT_LIST_HEAD(&t->devices);

	if (num_targets) {
		t->targets = kvcalloc(num_targets, sizeof(*t->targets),
				      GFP_KERNEL);
		t->highs = kvcalloc(num_targets, sizeof(*t->highs),
				    GFP_KERNEL);
		if (!t->targets || !t->highs) {
			kvfree(t->targets);
			kvfree(t->highs);
			kfree(t);
			return -ENOMEM;
		}
	}
	t->num_allocated = num_targets;
	*result = t;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(sdm_table_create);

void sdm_table_destroy(struct sdm_table *t)
{
	struct sdm_dev_ref *ref, *tmp;
	unsigned int i;

	for (i = 0; i < t->num_targets; i++) {
		struct sdm_target *ti = &t->targets[i];

		if (ti->type->dtr)
			ti->type->dtr(ti);
		sdm_put_target_type(ti->type);
	}

	/* every target put its devices back; anything left is a target bug */
	list_for_each_entry_safe(ref, tmp, &t->devices, list) {
		pr_err("%s: a target left %s open\n", t->md->disk->disk_name,
		       ref->td->dev.name);
		drop_dev_ref(t, ref);
	}

	kvfree(t->highs);
	kvfree(t->targets);
	kfree(t);
}
EXPORT_SYMBOL_IF_KUNIT(sdm_table_destroy);

/* ---- argument splitting ---- */

/**
 * sdm_split_args() - split a parameter string into words, in place
 * @input: the string; modified
 * @argc: set to the number of words
 * @argvp: set to a kmalloc'ed array of pointers into @input
 *
 * Words are separated by white space.  A backslash makes the character
 * after it part of the word, so "\ " keeps a space and "\\" a backslash
 * (libdevmapper escapes table parameters this way); a backslash at the
 * very end stays as it is.
 *
 * Return: 0 or -ENOMEM.
 */
int sdm_split_args(char *input, int *argc, char ***argvp)
{
	char **argv, *src = input, *dst = input;
	int n = 0;

	/* a word takes at least two characters of input, with its separator */
	argv = kcalloc(strlen(input) / 2 + 2, sizeof(*argv), GFP_KERNEL);
	if (!argv)
		return -ENOMEM;

	for (;;) {
		while (isspace(*src))
			src++;
		if (!*src)
			break;

		argv[n++] = dst;
		while (*src && !isspace(*src)) {
			if (*src == '\\' && src[1])
				src++;
			*dst++ = *src++;
		}
		/* read the separator before the terminator may overwrite it */
		if (*src)
			src++;
		*dst++ = '\0';
	}

	*argc = n;
	*argvp = argv;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(sdm_split_args);

/* ---- targets ---- */

/**
 * sdm_table_add_target() - construct the next target of a table
 * @t: the table
 * @type: the target type name
 * @start: its first sector; must continue the previous target
 * @len: its length in sectors
 * @params: its parameter string (split in place)
 *
 * Return: 0; -EINVAL for a zero or overflowing length, a gap or overlap,
 * an unknown type or too many targets; or the error of the type's ->ctr().
 */
int sdm_table_add_target(struct sdm_table *t, const char *type,
			 sector_t start, sector_t len, char *params)
{
	const char *name = t->md->disk->disk_name;
	sector_t expected = sdm_table_size(t);
	struct sdm_target *ti;
	char **argv;
	int argc, r;

	if (t->num_targets >= t->num_allocated) {
		pr_err_ratelimited("%s: more targets than announced\n", name);
		return -EINVAL;
	}
	if (!len) {
		pr_err_ratelimited("%s: zero-length target\n", name);
		return -EINVAL;
	}
	if (start != expected) {
		pr_err_ratelimited("%s: target at %llu does not follow the previous one (%s at %llu)\n",
				   name, (unsigned long long)start,
				   start > expected ? "gap" : "overlap",
				   (unsigned long long)expected);
		return -EINVAL;
	}
	if (start + len < start || start + len > (sector_t)LLONG_MAX >> SECTOR_SHIFT) {
		pr_err_ratelimited("%s: target too large\n", name);
		return -EINVAL;
	}

	ti = &t->targets[t->num_targets];
	memset(ti, 0, sizeof(*ti));
	ti->table = t;
	ti->begin = start;
	ti->len = len;
	ti->type = sdm_get_target_type(type);
	if (!ti->type) {
		pr_err_ratelimited("%s: unknown target type %.*s\n", name,
				   DM_MAX_TYPE_NAME, type);
		return -EINVAL;
	}

	r = sdm_split_args(params, &argc, &argv);
	if (r) {
		ti->error = "cannot split the parameters";
		goto out_put_type;
	}
	r = ti->type->ctr(ti, argc, argv);
	kfree(argv);
	if (r)
		goto out_put_type;

	t->highs[t->num_targets++] = start + len - 1;
	return 0;

out_put_type:
	pr_err_ratelimited("%s: %s: %s (%pe)\n", name, ti->type->name,
			   ti->error ?: "constructor failed", ERR_PTR(r));
	sdm_put_target_type(ti->type);
	return r;
}
EXPORT_SYMBOL_IF_KUNIT(sdm_table_add_target);

/*
 * A device extent a target maps cannot be used for DAX if the device has
 * no DAX, or if the extent does not start and end on a page of the whole
 * disk (pages of the mapped device must be pages of the device).
 */
static int device_not_dax(struct sdm_target *ti, struct sdm_dev *dev,
			  sector_t start, sector_t len, void *data)
{
	return !dev->dax_dev ||
	       !IS_ALIGNED(get_start_sect(dev->bdev) + start, PAGE_SECTORS) ||
	       !IS_ALIGNED(len, PAGE_SECTORS);
}

/*
 * DAX needs every target to translate pages both ways (->dax_map for
 * accesses, ->dax_rmap for memory failures), page aligned, including its
 * chunk boundaries, over devices that all have DAX.  Unlike dm_mod, an
 * unaligned table is not DAX rather than DAX with shifted pages.
 */
static bool supports_dax(struct sdm_table *t)
{
	unsigned int i;

	for (i = 0; i < t->num_targets; i++) {
		struct sdm_target *ti = &t->targets[i];

		if (!ti->type->dax_map || !ti->type->dax_rmap ||
		    !ti->type->iterate_devices ||
		    !IS_ALIGNED(ti->begin | ti->len | ti->max_io_len,
				PAGE_SECTORS) ||
		    ti->type->iterate_devices(ti, device_not_dax, NULL))
			return false;
	}
	return true;
}

/*
 * Whether every target hands flushes on to the table's devices.  Only then
 * may a flush with data bypass the flush-then-data path on a table over
 * one device: a zero or error target completes what it is given, so a
 * flush whose data lands there would never reach the device's cache.
 */
static bool every_target_flushes(struct sdm_table *t)
{
	unsigned int i;

	for (i = 0; i < t->num_targets; i++)
		if (!t->targets[i].type->iterate_devices ||
		    !t->targets[i].num_flush_bios)
			return false;
	return true;
}

/**
 * sdm_table_complete() - finish a table once all targets are added
 * @t: the table
 *
 * Return: 0, or -EINVAL if it has no targets.
 */
int sdm_table_complete(struct sdm_table *t)
{
	struct sdm_dev_ref *ref;

	if (!t->num_targets)
		return -EINVAL;

	ref = list_first_entry_or_null(&t->devices, struct sdm_dev_ref, list);
	t->single_device = ref && list_is_singular(&t->devices) &&
			   every_target_flushes(t);
	t->dax = supports_dax(t);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(sdm_table_complete);

/**
 * sdm_table_find_target() - the target that maps @sector
 * @t: a complete table
 * @sector: a sector of the mapped device
 *
 * Return: the target, or NULL beyond the end of the table.
 */
struct sdm_target *sdm_table_find_target(struct sdm_table *t, sector_t sector)
{
	unsigned int lo = 0, hi = t->num_targets;

	/* the first target whose last sector is at or after @sector */
	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (t->highs[mid] < sector)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < t->num_targets ? &t->targets[lo] : NULL;
}
EXPORT_SYMBOL_IF_KUNIT(sdm_table_find_target);

/* ---- underlying devices ---- */

static int devt_from_path(const char *path, dev_t *dev)
{
	unsigned int maj, min;
	char dummy;

	if (sscanf(path, "%u:%u%c", &maj, &min, &dummy) == 2) {
		*dev = MKDEV(maj, min);
		if (MAJOR(*dev) != maj || MINOR(*dev) != min)
			return -EOVERFLOW;
		return 0;
	}
	return lookup_bdev(path, dev);
}

static struct sdm_table_device *get_table_device(struct mapped_device *md,
						 dev_t dev, blk_mode_t mode)
{
	struct sdm_table_device *td;
	int r;

	mutex_lock(&md->table_devices_lock);
	list_for_each_entry(td, &md->table_devices, list) {
		if (td->dev.bdev->bd_dev == dev && td->mode == mode) {
			refcount_inc(&td->count);
			goto out_unlock;
		}
	}

	td = kzalloc(sizeof(*td), GFP_KERNEL);
	if (!td) {
		td = ERR_PTR(-ENOMEM);
		goto out_unlock;
	}
	r = sdm_bdev_open(&td->bdev_h, dev, mode, &sdm_claim);
	if (r)
		goto out_free_td;
	td->dev.bdev = sdm_bdev(&td->bdev_h);
	td->mode = mode;
	snprintf(td->dev.name, sizeof(td->dev.name), "%u:%u",
		 MAJOR(dev), MINOR(dev));

	if (bdev_is_zoned(td->dev.bdev)) {
		r = -EINVAL;
		goto out_close;
	}
	r = sdm_dax_get_device(md, &td->dev, &td->dax);
	if (r)
		goto out_close;
	/* before the first add_disk() the links are made by setup */
	if (test_bit(DMF_DISK_ADDED, &md->flags)) {
		r = bd_link_disk_holder(td->dev.bdev, md->disk);
		if (r)
			goto out_put_dax;
		td->linked = true;
	}

	refcount_set(&td->count, 1);
	list_add(&td->list, &md->table_devices);
	goto out_unlock;

out_put_dax:
	sdm_dax_put_device(&td->dev, &td->dax);
out_close:
	sdm_bdev_close(&td->bdev_h, mode);
out_free_td:
	kfree(td);
	td = ERR_PTR(r);
out_unlock:
	mutex_unlock(&md->table_devices_lock);
	return td;
}

static void put_table_device(struct mapped_device *md,
			     struct sdm_table_device *td)
{
	mutex_lock(&md->table_devices_lock);
	if (refcount_dec_and_test(&td->count)) {
		if (td->linked)
			bd_unlink_disk_holder(td->dev.bdev, md->disk);
		list_del(&td->list);
		sdm_dax_put_device(&td->dev, &td->dax);
		/* closed now, so the device is free when the ioctl returns */
		sdm_bdev_close(&td->bdev_h, td->mode);
		kfree(td);
	}
	mutex_unlock(&md->table_devices_lock);
}

bool sdm_table_has_devices(struct sdm_table *t)
{
	return !list_empty(&t->devices);
}

/* Every target of @t takes REQ_NOWAIT bios (its devices aside). */
bool sdm_table_nowait_targets(struct sdm_table *t)
{
	unsigned int i;

	for (i = 0; i < t->num_targets; i++)
		if (!(t->targets[i].type->features & SDM_TARGET_NOWAIT))
			return false;
	return true;
}

void sdm_table_event(struct sdm_table *t)
{
	sdm_md_event(t->md);
}
EXPORT_SYMBOL_GPL(sdm_table_event);

/**
 * sdm_table_deps() - the device numbers a table depends on
 * @t: a complete table
 * @devs: filled with huge_encode_dev() values, if not NULL
 * @max: room in @devs
 *
 * Return: the number of devices (which may exceed @max).
 */
unsigned int sdm_table_deps(struct sdm_table *t, u64 *devs, unsigned int max)
{
	struct sdm_dev_ref *ref;
	unsigned int n = 0;

	list_for_each_entry(ref, &t->devices, list) {
		if (devs && n < max)
			devs[n] = huge_encode_dev(ref->td->dev.bdev->bd_dev);
		n++;
	}
	return n;
}

/* Holder links for every open table device, right after add_disk(). */
int sdm_table_link_holders(struct mapped_device *md)
{
	struct sdm_table_device *td;
	int r;

	lockdep_assert_held(&md->table_devices_lock);

	list_for_each_entry(td, &md->table_devices, list) {
		if (td->linked)
			continue;
		r = bd_link_disk_holder(td->dev.bdev, md->disk);
		if (r)
			return r;
		td->linked = true;
	}
	return 0;
}

/* Undo every holder link, right before del_gendisk(). */
void sdm_table_unlink_holders(struct mapped_device *md)
{
	struct sdm_table_device *td;

	mutex_lock(&md->table_devices_lock);
	list_for_each_entry(td, &md->table_devices, list) {
		if (td->linked)
			bd_unlink_disk_holder(td->dev.bdev, md->disk);
		td->linked = false;
	}
	mutex_unlock(&md->table_devices_lock);
}

/**
 * sdm_get_device() - open an underlying device for a target
 * @ti: the target being constructed
 * @path: "major:minor" or the path of a block device node
 * @result: set to the device
 *
 * Return: 0; -EINVAL if @path is the mapped device itself or a zoned
 * device; the lookup error (-ENOENT, -ENOTBLK, -EOVERFLOW, ...); or the
 * open error (-EBUSY when someone else holds it exclusively, -ENXIO).
 */
int sdm_get_device(struct sdm_target *ti, const char *path,
		   struct sdm_dev **result)
{
	struct sdm_table *t = ti->table;
	struct mapped_device *md = t->md;
	blk_mode_t mode = BLK_OPEN_READ;
	struct sdm_table_device *td;
	struct sdm_dev_ref *ref;
	dev_t dev;
	int r;

	r = devt_from_path(path, &dev);
	if (r)
		return r;
	if (dev == sdm_disk_devt(md)) {
		ti->error = "a device cannot map itself";
		return -EINVAL;
	}
	if (!t->read_only)
		mode |= BLK_OPEN_WRITE;

	list_for_each_entry(ref, &t->devices, list) {
		if (ref->td->dev.bdev->bd_dev == dev) {
			ref->count++;
			*result = &ref->td->dev;
			return 0;
		}
	}

	ref = kzalloc(sizeof(*ref), GFP_KERNEL);
	if (!ref)
		return -ENOMEM;
	td = get_table_device(md, dev, mode);
	if (IS_ERR(td)) {
		kfree(ref);
		return PTR_ERR(td);
	}
	ref->td = td;
	ref->count = 1;
	/* newest first: the order dm_mod reports dependencies in */
	list_add(&ref->list, &t->devices);
	*result = &td->dev;
	return 0;
}
EXPORT_SYMBOL_GPL(sdm_get_device);

static void drop_dev_ref(struct sdm_table *t, struct sdm_dev_ref *ref)
{
	list_del(&ref->list);
	put_table_device(t->md, ref->td);
	kfree(ref);
}

/**
 * sdm_put_device() - release a device from sdm_get_device()
 * @ti: the target that got it
 * @dev: the device
 */
void sdm_put_device(struct sdm_target *ti, struct sdm_dev *dev)
{
	struct sdm_dev_ref *ref;

	list_for_each_entry(ref, &ti->table->devices, list) {
		if (&ref->td->dev == dev) {
			if (!--ref->count)
				drop_dev_ref(ti->table, ref);
			return;
		}
	}
	pr_err("%s: %s put a device it does not hold\n",
	       ti->table->md->disk->disk_name, ti->type->name);
}
EXPORT_SYMBOL_GPL(sdm_put_device);

/* ---- queue limits ---- */

/*
 * Stack one underlying device into @data (the target's limits), after
 * checking that the range the target maps lies inside it and on its
 * logical block boundaries.
 */
static int stack_device(struct sdm_target *ti, struct sdm_dev *dev,
			sector_t start, sector_t len, void *data)
{
	struct sdm_limits *lim = data;
	struct block_device *bdev = dev->bdev;
	sector_t dev_size = bdev_nr_sectors(bdev);
	unsigned int lbs = bdev_logical_block_size(bdev) >> SECTOR_SHIFT;
	const char *name = ti->table->md->disk->disk_name;

	if (dev_size && (start >= dev_size || len > dev_size - start)) {
		pr_err_ratelimited("%s: %pg too small for target: start=%llu, len=%llu, dev_size=%llu\n",
				   name, bdev, (unsigned long long)start,
				   (unsigned long long)len,
				   (unsigned long long)dev_size);
		return -EINVAL;
	}
	if (lbs > 1 && ((start | len) & (lbs - 1))) {
		pr_err_ratelimited("%s: start=%llu len=%llu not aligned to the logical block size of %pg\n",
				   name, (unsigned long long)start,
				   (unsigned long long)len, bdev);
		return -EINVAL;
	}

	sdm_limits_stack_bdev(lim, bdev, start, name);
	return 0;
}

/**
 * sdm_table_limits() - the queue limits of a table
 * @t: a complete table
 * @lim: set to the limits of every underlying device, stacked
 *
 * Return: 0, or -EINVAL if a target maps beyond the end of its device or
 * off the logical block size.
 */
int sdm_table_limits(struct sdm_table *t, struct sdm_limits *lim)
{
	unsigned int i, lbs;
	int r;

	sdm_limits_stacking(lim);
	sdm_lim_features(lim) |= BLK_FEAT_IO_STAT;
	/* kept only if every device takes REQ_NOWAIT too (blk_stack_limits) */
	if (sdm_table_nowait_targets(t))
		sdm_lim_features(lim) |= BLK_FEAT_NOWAIT;

	for (i = 0; i < t->num_targets; i++) {
		struct sdm_target *ti = &t->targets[i];
		struct sdm_limits ti_lim;

		sdm_limits_stacking(&ti_lim);
		sdm_lim_features(&ti_lim) |= BLK_FEAT_NOWAIT;
		if (ti->type->iterate_devices) {
			r = ti->type->iterate_devices(ti, stack_device, &ti_lim);
			if (r)
				return r;
		}
		if (ti->type->io_hints)
			ti->type->io_hints(ti, &ti_lim.lim);
		if (!ti->num_discard_bios)
			ti_lim.lim.max_hw_discard_sectors = 0;
		if (!ti->num_write_zeroes_bios)
			ti_lim.lim.max_write_zeroes_sectors = 0;
		if (sdm_limits_stack(lim, &ti_lim) < 0)
			pr_warn_ratelimited("%s: target %u is misaligned\n",
					    t->md->disk->disk_name, i);
	}

	/* zoned devices are refused, so nothing here appends to zones */
	lim->lim.max_zone_append_sectors = 0;
	if (t->dax)
		sdm_lim_features(lim) |= BLK_FEAT_DAX;

	/* every target boundary must fall on a logical block */
	lbs = lim->lim.logical_block_size >> SECTOR_SHIFT;
	for (i = 0; lbs > 1 && i < t->num_targets; i++) {
		if ((t->targets[i].begin | t->targets[i].len) & (lbs - 1)) {
			pr_err_ratelimited("%s: target %u is not aligned to the logical block size %u\n",
					   t->md->disk->disk_name, i,
					   lim->lim.logical_block_size);
			return -EINVAL;
		}
	}
	return 0;
}

static int device_dax_async(struct sdm_target *ti, struct sdm_dev *dev,
			    sector_t start, sector_t len, void *data)
{
	return !dax_synchronous(dev->dax_dev);
}

static int device_dax_write_cache(struct sdm_target *ti, struct sdm_dev *dev,
				  sector_t start, sector_t len, void *data)
{
	return dax_write_cache_enabled(dev->dax_dev);
}

/* Does any device of @t answer @fn with nonzero? */
static bool any_device(struct sdm_table *t, sdm_iterate_devices_callout_fn fn)
{
	unsigned int i;

	for (i = 0; i < t->num_targets; i++) {
		struct sdm_target *ti = &t->targets[i];

		if (ti->type->iterate_devices &&
		    ti->type->iterate_devices(ti, fn, NULL))
			return true;
	}
	return false;
}

/* Is every device of DAX table @t synchronous (MAP_SYNC)? */
bool sdm_table_dax_synchronous(struct sdm_table *t)
{
	return !any_device(t, device_dax_async);
}

/**
 * sdm_table_set_dax_flags() - the DAX flags of a DAX table's device
 * @t: a complete table about to become live
 *
 * Each DAX table sets them anew: the mapped device's dax_device flushes
 * CPU caches if any device under this table does, and not otherwise
 * (dm_mod only ever turns that on); it is synchronous (MAP_SYNC) if every
 * device is.  The kernel cannot take MAP_SYNC back, so
 * sdm_dax_check_type() refuses a table that would need it taken back.
 */
void sdm_table_set_dax_flags(struct sdm_table *t)
{
	if (!t->dax)
		return;
	if (sdm_table_dax_synchronous(t))
		set_dax_synchronous(t->md->dax_dev);
	dax_write_cache(t->md->dax_dev, any_device(t, device_dax_write_cache));
}

/* ---- status strings ---- */

void sdm_emit(char *result, unsigned int maxlen, unsigned int *used,
	      const char *fmt, ...)
{
	va_list args;

	if (*used >= maxlen)
		return;
	va_start(args, fmt);
	*used += vscnprintf(result + *used, maxlen - *used, fmt, args);
	va_end(args);
}
EXPORT_SYMBOL_GPL(sdm_emit);
