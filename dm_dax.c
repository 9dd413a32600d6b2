// SPDX-License-Identifier: GPL-2.0-only
/*
 * DAX on mapped devices, and the holder layer that forwards memory
 * failures of the DAX devices underneath to the filesystem on top.
 *
 * Data path: a mapped device gets a dax_device of its own with its first
 * table whose targets can all map DAX (linear, striped) over DAX-capable
 * devices, page aligned; such a table turns BLK_FEAT_DAX on, and the
 * dax_operations below translate a page of the mapped device through the
 * live table to a page of the device under it.  Devices that never get a
 * DAX table pay nothing for DAX.
 *
 * Holder layer (SPEC rule 7): the kernel lets one holder register on a
 * dax_device, and pmem reports a failed range of memory to that holder.
 * sdm keeps one holder object per underlying dax_device, shared by every
 * table device of every mapped device on it (the users).  On a failure it
 * walks the users, maps the failed range back through each user's live
 * table and forwards each resulting range to the holder of that mapped
 * device's own dax_device: the filesystem on top.
 * Documentation/dax.rst explains the rules and the races they close.
 */
#include <linux/dax.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/slab.h>

#include "sdm.h"

/* ---- the mapped device's dax_device ---- */

/*
 * Translate page *@pgoff of the mapped device whose live table @map is (or
 * NULL), in place, to the underlying dax_device and its page; *@pages is
 * how many pages from there the same target and chunk map contiguously.
 * NULL if no target maps the page or the target cannot do DAX.  The
 * caller holds the live table until its access is done.
 */
VISIBLE_IF_KUNIT struct dax_device *sdm_dax_lookup(struct sdm_table *map,
						   pgoff_t *pgoff, long *pages)
{
	sector_t sector = (sector_t)*pgoff << PAGE_SECTORS_SHIFT;
	struct sdm_target *ti;
	sector_t dev_sector;
	struct sdm_dev *dev;

	/* a table that cannot do DAX (error, zero) maps no page */
	if (!map || !sdm_table_dax(map))
		return NULL;
	ti = sdm_table_find_target(map, sector);
	if (!ti || !ti->type->dax_map)
		return NULL;
	*pages = sdm_max_io_len(ti, sector) >> PAGE_SECTORS_SHIFT;
	if (!*pages)
		return NULL;
	dev = ti->type->dax_map(ti, sector, &dev_sector);
	/* a dax_device's pages count from the start of the whole disk */
	*pgoff = (get_start_sect(dev->bdev) + dev_sector) >> PAGE_SECTORS_SHIFT;
	return dev->dax_dev;
}
EXPORT_SYMBOL_IF_KUNIT(sdm_dax_lookup);

static long sdm_dax_direct_access(struct dax_device *dax_dev, pgoff_t pgoff,
				  long nr_pages, enum dax_access_mode mode,
				  void **kaddr, pfn_t *pfn)
{
	struct mapped_device *md = dax_get_private(dax_dev);
	long pages, r = -EIO;
	int srcu_idx;

	dax_dev = sdm_dax_lookup(sdm_get_live_table(md, &srcu_idx), &pgoff, &pages);
	if (dax_dev)
		r = dax_direct_access(dax_dev, pgoff, min(nr_pages, pages),
				      mode, kaddr, pfn);
	sdm_put_live_table(md, srcu_idx);
	return r;
}

static int sdm_dax_zero_page_range(struct dax_device *dax_dev, pgoff_t pgoff,
				   size_t nr_pages)
{
	struct mapped_device *md = dax_get_private(dax_dev);
	int srcu_idx, r = -EIO;
	long pages;

	dax_dev = sdm_dax_lookup(sdm_get_live_table(md, &srcu_idx), &pgoff, &pages);
	/* dax_zero_page_range() passes one page at a time */
	if (dax_dev && nr_pages <= pages)
		r = dax_zero_page_range(dax_dev, pgoff, nr_pages);
	sdm_put_live_table(md, srcu_idx);
	return r;
}

static size_t sdm_dax_recovery_write(struct dax_device *dax_dev,
				     pgoff_t pgoff, void *addr, size_t bytes,
				     struct iov_iter *iter)
{
	struct mapped_device *md = dax_get_private(dax_dev);
	size_t done = 0;
	int srcu_idx;
	long pages;

	dax_dev = sdm_dax_lookup(sdm_get_live_table(md, &srcu_idx), &pgoff, &pages);
	if (dax_dev)
		done = dax_recovery_write(dax_dev, pgoff, addr, bytes, iter);
	sdm_put_live_table(md, srcu_idx);
	return done;
}

static const struct dax_operations sdm_dax_ops = {
	.direct_access		= sdm_dax_direct_access,
	.zero_page_range	= sdm_dax_zero_page_range,
	.recovery_write		= sdm_dax_recovery_write,
};

/*
 * A new dax_device, not synchronous unless @sync.  alloc_dax() may hand
 * back a recycled one whose flags are left from its last user (6.12 clears
 * them only when the slab object is first built), and MAP_SYNC cannot be
 * cleared: such ones are kept aside, so that the next allocation cannot
 * return them, until one without MAP_SYNC comes; then they are freed.
 * That ends: the freed objects run out, and a new slab page is built
 * clean.  How many there are depends on the slab; the whole suite on RT
 * needed more than 16, an earlier fixed limit.
 */
static struct dax_device *alloc_unsynced_dax(struct mapped_device *md, bool sync)
{
	struct dax_device **stale = NULL, **more;
	struct dax_device *dax_dev;
	unsigned int nr = 0, room = 0;

	for (;;) {
		dax_dev = alloc_dax(md, &sdm_dax_ops);
		if (IS_ERR(dax_dev) || sync || !dax_synchronous(dax_dev))
			break;
		if (nr == room) {
			room = room ? 2 * room : 16;
			more = krealloc_array(stale, room, sizeof(*stale), GFP_KERNEL);
			if (!more) {
				kill_dax(dax_dev);
				put_dax(dax_dev);
				dax_dev = ERR_PTR(-ENOMEM);
				break;
			}
			stale = more;
		}
		stale[nr++] = dax_dev;
	}
	while (nr--) {
		kill_dax(stale[nr]);
		put_dax(stale[nr]);
	}
	kfree(stale);
	return dax_dev;
}

/*
 * Give @md its dax_device, for its first DAX table @t.  The copies through
 * it flush the cache and tolerate machine checks, as the pmem underneath
 * may need either.  It is published with a release store: a
 * memory-failure notification reads md->dax_dev without md->type_lock.
 */
static int dax_create(struct mapped_device *md, struct sdm_table *t)
{
	struct dax_device *dax_dev;
	int r;

	lockdep_assert_held(&md->type_lock);
	dax_dev = alloc_unsynced_dax(md, sdm_table_dax_synchronous(t));
	if (IS_ERR(dax_dev))
		return PTR_ERR(dax_dev);

	set_dax_nocache(dax_dev);
	set_dax_nomc(dax_dev);
	r = dax_add_host(dax_dev, md->disk);
	if (r) {
		kill_dax(dax_dev);
		put_dax(dax_dev);
		return r;
	}
	/* pairs with the acquire in forward(): the device is set up first */
	smp_store_release(&md->dax_dev, dax_dev);
	return 0;
}

/**
 * sdm_dax_kill() - end DAX on a device being torn down
 * @md: the device; nobody has it open any more
 *
 * kill_dax() waits for dax_srcu readers, so this must not run inside a
 * memory-failure notification: the holder layer drops its references
 * with dm_put_deferred() for that reason.
 */
void sdm_dax_kill(struct mapped_device *md)
{
	if (!md->dax_dev)
		return;
	dax_remove_host(md->disk);
	kill_dax(md->dax_dev);
}

/* The last of the device: after its tables are gone. */
void sdm_dax_free(struct mapped_device *md)
{
	if (md->dax_dev)
		put_dax(md->dax_dev);
	md->dax_dev = NULL;
}

/**
 * sdm_dax_check_type() - may @t be loaded into @md?
 * @md: the device, under md->type_lock
 * @t: a complete table
 *
 * A device becomes a DAX device with the first table that can do DAX,
 * and stays one: from then on it refuses tables that cannot, except
 * tables without devices (error, zero), which `dmsetup remove --force`
 * needs.  A DAX filesystem on it may have pages mapped through the live
 * table, so a table that maps the same sectors without DAX (unaligned,
 * or over a device without DAX) would shift them against block I/O.
 * dm_mod remembers only its first table's type, so a device that started
 * without DAX accepts a non-DAX table again after a DAX one; sdm does not
 * (Documentation/dax.rst).  Likewise a device whose dax_device offers
 * MAP_SYNC refuses a DAX table over a device without it: the kernel
 * cannot take MAP_SYNC back, and mappings made with it rely on it.
 *
 * The first DAX table also allocates the device's dax_device.
 *
 * Return: 0, -EINVAL, or the error of allocating the dax_device.
 */
int sdm_dax_check_type(struct mapped_device *md, struct sdm_table *t)
{
	lockdep_assert_held(&md->type_lock);

	if (test_bit(DMF_DAX_TYPE, &md->flags) && !sdm_table_dax(t) &&
	    sdm_table_has_devices(t)) {
		pr_err_ratelimited("%s: cannot change a DAX device to a table without DAX\n",
				   md->disk->disk_name);
		return -EINVAL;
	}
	if (sdm_table_dax(t) && md->dax_dev && dax_synchronous(md->dax_dev) &&
	    !sdm_table_dax_synchronous(t)) {
		pr_err_ratelimited("%s: cannot give a MAP_SYNC device a table without synchronous DAX\n",
				   md->disk->disk_name);
		return -EINVAL;
	}
	if (sdm_table_dax(t) && !md->dax_dev)
		return dax_create(md, t);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(sdm_dax_check_type);

/* @t, which sdm_dax_check_type() accepted, is loaded into @md. */
void sdm_dax_set_type(struct mapped_device *md, struct sdm_table *t)
{
	lockdep_assert_held(&md->type_lock);
	if (sdm_table_dax(t))
		set_bit(DMF_DAX_TYPE, &md->flags);
}
EXPORT_SYMBOL_IF_KUNIT(sdm_dax_set_type);

/* ---- the holder layer ---- */

/*
 * sdm_dax_lock guards sdm_dax_holders, every holder's @users and the
 * claim and release of the kernel-side holder (so a release and a new
 * claim of one dax_device never interleave).  Lock order: taken inside
 * md->table_devices_lock (table devices join and leave) and inside a
 * dax_srcu read section (notify_failure runs in one); takes _minor_lock
 * inside.  Never held while forwarding a notification or across anything
 * that waits for dax_srcu (kill_dax()).
 */
static DEFINE_MUTEX(sdm_dax_lock);
static LIST_HEAD(sdm_dax_holders);
/*
 * A dax_device of sdm's own, allocated with the first claim and killed at
 * module exit: kill_dax() ends with a grace period of the kernel's
 * dax_srcu, which no exported call offers otherwise.  A notification
 * that read sdm's holder_ops before the last fs_put_dax() released them
 * runs inside that section; once the grace period is over none is left,
 * and the module text may go.  Set under sdm_dax_lock.
 */
static struct dax_device *sdm_dax_grace;

/*
 * One per underlying dax_device that any table device maps; freed when
 * its last user leaves.  Every user holds a reference on @dax_dev of its
 * own, so the pointer stays valid for as long as the holder exists.
 */
struct sdm_dax_holder {
	struct list_head list;		/* on sdm_dax_holders */
	struct kref ref;		/* one per user */
	struct dax_device *dax_dev;
	bool claimed;			/* registered as its kernel holder */
	struct list_head users;		/* struct sdm_dax_user */
};

static int sdm_dax_notify_failure(struct dax_device *dax_dev, u64 offset,
				  u64 len, int mf_flags);

static const struct dax_holder_operations sdm_dax_holder_ops = {
	.notify_failure = sdm_dax_notify_failure,
};

static struct sdm_dax_holder *find_holder(struct dax_device *dax_dev)
{
	struct sdm_dax_holder *h;

	lockdep_assert_held(&sdm_dax_lock);
	list_for_each_entry(h, &sdm_dax_holders, list)
		if (h->dax_dev == dax_dev)
			return h;
	return NULL;
}

/*
 * The release discipline of the 2026 review, on sdm's side of the API: the
 * holder leaves sdm_dax_holders (so a notification already past the
 * kernel's ops pointer finds nothing to forward to) before the kernel-side
 * holder pointer is released, both under sdm_dax_lock, whose unlock
 * orders them before any later claim.  A dax_device whose holder is
 * someone else is an API violation and warns; one whose holder kill_dax()
 * already cleared (the device under it was removed) is expected.
 */
static void release_holder(struct kref *ref)
{
	struct sdm_dax_holder *h = container_of(ref, struct sdm_dax_holder, ref);
	void *current_holder;

	lockdep_assert_held(&sdm_dax_lock);
	list_del(&h->list);
	if (h->claimed) {
		current_holder = dax_holder(h->dax_dev);
		WARN_ON_ONCE(current_holder && current_holder != h);
		fs_put_dax(h->dax_dev, h);
	}
	kfree(h);
}

/*
 * Register @h as the kernel-side holder of its dax_device, through @bdev,
 * a whole disk: the kernel allows one holder per dax_device, and the
 * partitions of a disk share its dax_device.  sdm claims it only through
 * a whole disk, which it holds open exclusively, so that no filesystem
 * can be on a partition of it meanwhile; a table device that is a
 * partition never claims, and a filesystem mounted with DAX on another
 * partition keeps DAX whichever comes first.  If a filesystem holds the
 * dax_device already, DAX still works but failures cannot be forwarded,
 * and the load says so.  (The holder is looked at first because
 * fs_dax_get_by_bdev() keeps an inode reference when its claim fails.)
 */
static void claim(struct sdm_dax_holder *h, struct block_device *bdev)
{
	struct dax_device *claimed = NULL;
	u64 off;

	lockdep_assert_held(&sdm_dax_lock);
	if (!sdm_dax_grace) {
		claimed = alloc_dax(NULL, NULL);
		if (IS_ERR(claimed)) {
			pr_warn_ratelimited("%pg: no memory to become the holder of its DAX device\n",
					    bdev);
			return;
		}
		sdm_dax_grace = claimed;
		claimed = NULL;
	}
	if (!dax_holder(h->dax_dev))
		claimed = fs_dax_get_by_bdev(bdev, &off, h,
					     &sdm_dax_holder_ops);
	if (claimed == h->dax_dev) {
		h->claimed = true;
	} else {
		fs_put_dax(claimed, h);
		pr_warn_ratelimited("%pg: its DAX device has another holder: memory failures will not reach the mapped devices\n",
				    bdev);
	}
}

/* A new holder for @dax_dev, a dax_device no table device had open. */
static struct sdm_dax_holder *new_holder(struct dax_device *dax_dev)
{
	struct sdm_dax_holder *h;

	lockdep_assert_held(&sdm_dax_lock);
	h = kzalloc(sizeof(*h), GFP_KERNEL);
	if (!h)
		return NULL;
	kref_init(&h->ref);
	INIT_LIST_HEAD(&h->users);
	h->dax_dev = dax_dev;
	list_add(&h->list, &sdm_dax_holders);
	return h;
}

/**
 * sdm_dax_get_device() - DAX for a table device being opened
 * @md: the mapped device it is opened for
 * @dev: the device; dev->dax_dev is set if it can do DAX
 * @user: the table device's membership of the holder, filled in
 *
 * Return: 0 (also when @dev cannot do DAX) or -ENOMEM.
 */
int sdm_dax_get_device(struct mapped_device *md, struct sdm_dev *dev,
		       struct sdm_dax_user *user)
{
	struct dax_device *dax_dev;
	struct sdm_dax_holder *h;
	u64 part_off;

	memset(user, 0, sizeof(*user));
	dev->dax_dev = NULL;
	dax_dev = fs_dax_get_by_bdev(dev->bdev, &part_off, NULL, NULL);
	if (!dax_dev)
		return 0;

	mutex_lock(&sdm_dax_lock);
	h = find_holder(dax_dev);
	if (h)
		kref_get(&h->ref);
	else
		h = new_holder(dax_dev);
	if (!h) {
		mutex_unlock(&sdm_dax_lock);
		put_dax(dax_dev);
		return -ENOMEM;
	}
	if (!h->claimed && !bdev_is_partition(dev->bdev))
		claim(h, dev->bdev);
	user->holder = h;
	user->md = md;
	user->dev = dev->bdev->bd_dev;
	user->nr_sectors = bdev_nr_sectors(dev->bdev);
	user->part_off = part_off;
	list_add_tail(&user->list, &h->users);
	mutex_unlock(&sdm_dax_lock);

	dev->dax_dev = dax_dev;
	return 0;
}

/**
 * sdm_dax_put_device() - undo sdm_dax_get_device() for a closing device
 * @dev: the device
 * @user: its membership
 */
void sdm_dax_put_device(struct sdm_dev *dev, struct sdm_dax_user *user)
{
	if (!dev->dax_dev)
		return;

	mutex_lock(&sdm_dax_lock);
	list_del(&user->list);
	kref_put(&user->holder->ref, release_holder);
	mutex_unlock(&sdm_dax_lock);
	put_dax(dev->dax_dev);
	dev->dax_dev = NULL;
}

/* Module exit: wait out every notification that may still run sdm code. */
void sdm_dax_exit(void)
{
	if (!sdm_dax_grace || SDM_MUTANT(exit_without_dax_grace))
		return;
	kill_dax(sdm_dax_grace);
	put_dax(sdm_dax_grace);
	sdm_dax_grace = NULL;
}

/* ---- forwarding a failure ---- */

/* Ranges of one mapped device that map failed memory, merged. */
struct failed_ranges {
	sector_t (*r)[2];		/* begin, length */
	unsigned int nr, room;
	bool whole;			/* stop at the first hit */
};

static int add_failed_range(struct sdm_target *ti, sector_t begin,
			    sector_t len, void *data)
{
	struct failed_ranges *fr = data;
	sector_t (*grown)[2];

	if (fr->nr && fr->r[fr->nr - 1][0] + fr->r[fr->nr - 1][1] == begin) {
		fr->r[fr->nr - 1][1] += len;
		return 0;
	}
	if (fr->nr == fr->room) {
		grown = krealloc_array(fr->r, fr->room * 2 + 4, sizeof(*fr->r),
				       GFP_KERNEL);
		if (!grown)
			return -ENOMEM;
		fr->r = grown;
		fr->room = fr->room * 2 + 4;
	}
	fr->r[fr->nr][0] = begin;
	fr->r[fr->nr][1] = len;
	fr->nr++;
	/* a whole-device notification only needs to know the device is hit */
	return fr->whole ? 1 : 0;
}

int sdm_rmap_extent(struct sdm_target *ti, sector_t ext_start,
		    sector_t ext_len, sector_t begin, sector_t start,
		    sector_t len, sdm_rmap_callout_fn fn, void *data)
{
	sector_t s = max(start, ext_start);
	sector_t e = min(start + len, ext_start + ext_len);

	if (s >= e)
		return 0;
	return fn(ti, begin + (s - ext_start), e - s, data);
}
EXPORT_SYMBOL_IF_KUNIT(sdm_rmap_extent);

/*
 * The ranges of @u's mapped device that map [@start, @start + @len) of
 * its table device, from the live table.  The table is only read here:
 * forwarding happens after the live table is released, so a suspend,
 * resume or table swap never waits for a filesystem's failure handling.
 */
static int map_back(struct sdm_failed_user *u, sector_t start, sector_t len,
		    struct failed_ranges *fr)
{
	struct sdm_table *map;
	unsigned int i;
	int srcu_idx, r = 0;

	map = sdm_get_live_table(u->md, &srcu_idx);
	for (i = 0; map && i < sdm_table_num_targets(map); i++) {
		struct sdm_target *ti = sdm_table_get_target(map, i);

		if (!ti->type->dax_rmap)
			continue;
		r = ti->type->dax_rmap(ti, u->dev, start, len, add_failed_range, fr);
		if (r)
			break;
	}
	sdm_put_live_table(u->md, srcu_idx);
	return r < 0 ? r : 0;
}

/**
 * sdm_dax_merge_result() - combine the results of forwarding
 * @acc: the result so far (-EOPNOTSUPP before any)
 * @r: the result of one more forward
 *
 * Return: the first error of any filesystem, else 0 if one handled the
 * failure, else -EOPNOTSUPP: one device's success never hides another's
 * failure, and "not handled" only stands if nobody handled it.
 */
VISIBLE_IF_KUNIT int sdm_dax_merge_result(int acc, int r)
{
	if (acc == -EOPNOTSUPP || (acc == 0 && r != -EOPNOTSUPP))
		return r;
	return acc;
}
EXPORT_SYMBOL_IF_KUNIT(sdm_dax_merge_result);

/**
 * sdm_dax_clip() - the sectors of a table device that failed bytes cover
 * @offset: the first failed byte of the dax_device
 * @len: how many bytes failed
 * @part_off: where the table device starts in the dax_device, in bytes
 * @nr_sectors: the table device's size
 * @start: set to its first sector that failed
 * @end: set past its last sector that failed
 *
 * Both ends are clipped to the table device (a partition, or the whole
 * disk at 0), and a sector counts if any of its bytes failed.
 *
 * Return: false if no byte of the table device failed.
 */
VISIBLE_IF_KUNIT bool sdm_dax_clip(u64 offset, u64 len, u64 part_off,
				   sector_t nr_sectors, sector_t *start,
				   sector_t *end)
{
	u64 dev_bytes = (u64)nr_sectors << SECTOR_SHIFT;
	u64 last = offset + min(len, U64_MAX - offset);

	if (!len || last <= part_off || offset >= part_off + dev_bytes)
		return false;
	offset = max(offset, part_off) - part_off;
	last = min(last - part_off, dev_bytes);
	*start = offset >> SECTOR_SHIFT;
	*end = DIV_ROUND_UP_ULL(last, SECTOR_SIZE);
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(sdm_dax_clip);

/*
 * Forward [@offset, @offset + @len) of the underlying dax_device, as far
 * as @u maps it, to the holder of @u's mapped device, now.
 */
static int forward_now(struct sdm_failed_user *u, u64 offset, u64 len,
		       int mf_flags)
{
	struct failed_ranges fr = { .whole = !offset && len == U64_MAX };
	/* none until the device's first DAX table: then nobody maps it */
	struct dax_device *dax_dev = smp_load_acquire(&u->md->dax_dev);
	sector_t start = 0, end = u->nr_sectors;
	unsigned int i;
	int rc;

	if (!dax_dev)
		return -EOPNOTSUPP;
	/* the failed sectors of this (partition) device */
	if (!fr.whole &&
	    !sdm_dax_clip(offset, len, u->part_off, u->nr_sectors, &start, &end))
		return -EOPNOTSUPP;

	/* without the ranges nothing is forwarded: the generic path runs */
	rc = map_back(u, start, end - start, &fr) ? -EOPNOTSUPP : 0;
	if (rc)
		goto out_free;

	rc = -EOPNOTSUPP;
	u->sent = fr.nr;
	if (fr.whole && fr.nr) {
		rc = dax_holder_notify_failure(dax_dev, 0, U64_MAX, mf_flags);
		goto out_free;
	}
	for (i = 0; i < fr.nr; i++) {
		int r = dax_holder_notify_failure(dax_dev,
						  (u64)fr.r[i][0] << SECTOR_SHIFT,
						  (u64)fr.r[i][1] << SECTOR_SHIFT,
						  mf_flags);

		rc = sdm_dax_merge_result(rc, r);
	}
out_free:
	kfree(fr.r);
	return rc;
}

/*
 * A failure under a suspended device, kept for its filesystem until the
 * resume: where it is in one table device, which is mapped back through
 * whatever table is live then.
 */
struct held_failure {
	struct list_head list;		/* on md->dax_failures */
	struct sdm_failed_user u;	/* its md is referenced by the resumer */
	u64 offset, len;
	int mf_flags;
};

/*
 * Keep a failure for @u's suspended device.  Return: -EOPNOTSUPP if it
 * was kept (or lost for want of memory): memory_failure() runs its
 * generic handling now, as it would under dm_mod; -EAGAIN if the device
 * is not held any more, and the caller forwards it.
 */
static int hold_failure(struct sdm_failed_user *u, u64 offset, u64 len,
			int mf_flags)
{
	struct mapped_device *md = u->md;
	struct held_failure *hf;

	/* without memory the filesystem is never told; the allocator says so */
	hf = kmalloc(sizeof(*hf), GFP_KERNEL);
	if (!hf)
		return -EOPNOTSUPP;
	hf->u = *u;
	hf->u.sent = false;
	hf->offset = offset;
	hf->len = len;
	/* the task that hit it is dealt with now, by the generic handling */
	hf->mf_flags = mf_flags & ~MF_ACTION_REQUIRED;

	spin_lock(&md->dax_failures_lock);
	if (!test_bit(DMF_DAX_HOLD_FAILURES, &md->flags)) {
		spin_unlock(&md->dax_failures_lock);
		kfree(hf);
		return -EAGAIN;
	}
	list_add_tail(&hf->list, &md->dax_failures);
	spin_unlock(&md->dax_failures_lock);
	u->sent = true;
	pr_info_ratelimited("%s: memory failure under the suspended device: its filesystem is told on resume\n",
			    md->disk->disk_name);
	return -EOPNOTSUPP;
}

/*
 * Forward a failure to @u's device, or hold it while the device is
 * suspended.  A suspend waits for forwards in progress (dax_forwarding)
 * before it blocks I/O, so a filesystem handler never waits for a resume
 * inside the kernel's dax_srcu section; one that starts after the suspend
 * set DMF_DAX_HOLD_FAILURES sees the flag.
 */
static int forward(struct sdm_failed_user *u, u64 offset, u64 len,
		   int mf_flags)
{
	struct mapped_device *md = u->md;
	int rc = -EAGAIN;

	atomic_inc(&md->dax_forwarding);
	/* pairs with the barrier in sdm_dax_hold_failures() */
	smp_mb__after_atomic();
	if (test_bit(DMF_DAX_HOLD_FAILURES, &md->flags))
		rc = hold_failure(u, offset, len, mf_flags);
	if (rc == -EAGAIN)
		rc = forward_now(u, offset, len, mf_flags);
	if (atomic_dec_and_test(&md->dax_forwarding))
		wake_up(&md->wait);
	return rc;
}

/**
 * sdm_dax_hold_failures() - hold memory failures of a device being suspended
 * @md: the device, under md->suspend_lock
 *
 * From now on until sdm_dax_release_failures(), failures under @md are
 * kept for its filesystem.  Waits for forwards already running: their
 * filesystem handlers may still do I/O, which must not wait for a resume.
 *
 * Return: 0, or -ERESTARTSYS if a signal came first; the caller then
 * calls sdm_dax_release_failures().
 */
int sdm_dax_hold_failures(struct mapped_device *md)
{
	lockdep_assert_held(&md->suspend_lock);

	spin_lock(&md->dax_failures_lock);
	set_bit(DMF_DAX_HOLD_FAILURES, &md->flags);
	spin_unlock(&md->dax_failures_lock);
	/* pairs with the barrier in forward(): it sees the flag, or we it */
	smp_mb();
	return wait_event_interruptible(md->wait,
					!atomic_read(&md->dax_forwarding));
}

/**
 * sdm_dax_release_failures() - forward what was held, and stop holding
 * @md: a device that was resumed (or failed to suspend), referenced
 *
 * Each held failure is mapped back through the table live now: if the
 * resume brought a table that no longer maps the failed memory, the
 * filesystem is not told.  Runs without sdm locks, as any forward.
 */
void sdm_dax_release_failures(struct mapped_device *md)
{
	struct held_failure *hf, *next;
	LIST_HEAD(held);

	spin_lock(&md->dax_failures_lock);
	clear_bit(DMF_DAX_HOLD_FAILURES, &md->flags);
	list_splice_init(&md->dax_failures, &held);
	spin_unlock(&md->dax_failures_lock);

	list_for_each_entry_safe(hf, next, &held, list) {
		forward(&hf->u, hf->offset, hf->len, hf->mf_flags);
		kfree(hf);
	}
}

/* Teardown: the filesystem that failures were held for is gone. */
void sdm_dax_drop_failures(struct mapped_device *md)
{
	struct held_failure *hf, *next;

	list_for_each_entry_safe(hf, next, &md->dax_failures, list)
		kfree(hf);
	INIT_LIST_HEAD(&md->dax_failures);
}

/*
 * Is the table device @dev of @md among the first @n users collected?  A
 * mapped device may have one device open twice, as two table devices (a
 * table device is shared only by tables of the same open mode, so a
 * read-only table loaded beside a read-write one opens it again): each is
 * a user, but both map back through the one live table, and a failure
 * would reach the filesystem twice.
 */
static bool collected(const struct sdm_failed_user *users, unsigned int n,
		      struct mapped_device *md, dev_t dev)
{
	while (n--)
		if (users[n].md == md && users[n].dev == dev)
			return true;
	return false;
}

/*
 * The users of @h that are live, once per mapped device and table device,
 * each with a reference taken under sdm_dax_lock (rule 5): a user is on
 * the list only while its table device is open, and its mapped device is
 * not freed while it has one.
 */
static struct sdm_failed_user *collect_users(struct sdm_dax_holder *h,
					     unsigned int *nr)
{
	struct sdm_failed_user *users;
	struct sdm_dax_user *user;
	unsigned int n = 0;

	lockdep_assert_held(&sdm_dax_lock);
	list_for_each_entry(user, &h->users, list)
		n++;
	users = kcalloc(n, sizeof(*users), GFP_KERNEL);
	if (!users)
		return NULL;

	n = 0;
	list_for_each_entry(user, &h->users, list) {
		if (collected(users, n, user->md, user->dev) ||
		    !sdm_get_if_live(user->md))
			continue;
		users[n].md = user->md;
		users[n].dev = user->dev;
		users[n].nr_sectors = user->nr_sectors;
		users[n].part_off = user->part_off;
		n++;
	}
	*nr = n;
	return users;
}

/**
 * sdm_dax_whole_sent() - was a whole-device report already sent to a device
 * @users: the users a notification found, in the order they are told
 * @i: the one about to be told
 * @offset: the failed bytes' start
 * @len: their length
 *
 * A whole-device report goes to each mapped device once, even if several
 * of its table devices (partitions of one pmem) are users of the holder.
 * Ranges need no such check: each target maps back only through
 * the one table device it uses, and collect_users() lists each table
 * device of a mapped device once, so no range is found twice.
 *
 * Return: true if @users[@i] is not to be told.
 */
VISIBLE_IF_KUNIT bool sdm_dax_whole_sent(const struct sdm_failed_user *users,
					 unsigned int i, u64 offset, u64 len)
{
	unsigned int j;

	if (offset || len != U64_MAX)
		return false;
	for (j = 0; j < i; j++)
		if (users[j].md == users[i].md && users[j].sent)
			return true;
	return false;
}
EXPORT_SYMBOL_IF_KUNIT(sdm_dax_whole_sent);

/*
 * The holder callback: runs inside the caller's dax_srcu read section
 * (memory_failure() through pmem, or kill_dax() with MF_MEM_PRE_REMOVE).
 *
 * The kernel-side holder pointer is read once and only compared, never
 * dereferenced: between a release and a new claim it may briefly name
 * another holder, and only an entry found in sdm's own list under
 * sdm_dax_lock is used.  The references taken on the mapped devices are
 * dropped with dm_put_deferred(): a teardown run here would call
 * kill_dax(), whose synchronize_srcu() would wait for this very section.
 *
 * Return: 0 if a filesystem on top handled it, its error if it failed,
 * -EOPNOTSUPP if no mapped device maps the range, none has a holder, or
 * memory to work out the ranges ran out (memory_failure() then falls back
 * to its generic handling, which unmaps the page and signals the
 * processes that map it; -ENOMEM would suppress that).
 */
static int sdm_dax_notify_failure(struct dax_device *dax_dev, u64 offset,
				  u64 len, int mf_flags)
{
	void *claimed_by = dax_holder(dax_dev);
	struct sdm_failed_user *users = NULL;
	struct sdm_dax_holder *h;
	unsigned int i, nr = 0;
	int rc = -EOPNOTSUPP;

	sdm_delay(SDM_DELAY_NOTIFY);
	if (!len)
		return -EINVAL;
	/*
	 * Without MF_MEM_PRE_REMOVE, kill_dax()'s whole-device report says
	 * that the device below goes away, not that its memory failed: a
	 * filesystem would treat it as poison everywhere, so nobody is told.
	 */
	if (!SDM_KILL_DAX_FLAGGED && !offset && len == U64_MAX) {
		pr_info_ratelimited("a DAX device under sdm goes away: not forwarded as a memory failure\n");
		return -EOPNOTSUPP;
	}

	mutex_lock(&sdm_dax_lock);
	h = find_holder(dax_dev);
	/* out of memory, nobody is told: -EOPNOTSUPP lets the generic path run */
	if (h && h == claimed_by)
		users = collect_users(h, &nr);
	mutex_unlock(&sdm_dax_lock);

	for (i = 0; i < nr; i++) {
		if (!sdm_dax_whole_sent(users, i, offset, len)) {
			int r = forward(&users[i], offset, len, mf_flags);

			rc = sdm_dax_merge_result(rc, r);
		}
		dm_put_deferred(users[i].md);
	}
	kfree(users);
	return rc;
}
