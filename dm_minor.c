// SPDX-License-Identifier: GPL-2.0-only
/*
 * Minors, references and block open/close: the lifetime rules of a mapped
 * device that the minor lock enforces (Documentation/lifetime.rst).
 *
 * Rule 1: a minor is reserved in the IDR with a placeholder, never with
 *         the half-built device; idr_preload() runs outside _minor_lock.
 * Rule 2: sdm_minor_publish() replaces the placeholder only once the
 *         device is completely initialised.
 * Rule 3: the last dm_put() takes _minor_lock through atomic_dec_and_lock()
 *         and, under it, marks DMF_FREEING, puts the placeholder back and
 *         clears disk->private_data; the sleeping teardown runs after.
 * Rule 4: block open validates the device under _minor_lock and takes its
 *         reference before dropping the lock.
 * Rule 5: lookups take their reference under the lock of the index they
 *         searched (here: dm_get_md() under _minor_lock).
 */
#include <linux/idr.h>
#include <linux/rcupdate.h>
#include <linux/lockdep.h>
#include <linux/module.h>

#include "sdm.h"

/*
 * _minor_lock guards _minor_idr, every disk->private_data, the setting of
 * DMF_FREEING and DMF_DELETING, open_count changes, and the transition of
 * md->holders to zero.  It is a spinlock so that the last dm_put() can
 * take it with atomic_dec_and_lock().
 *
 * Lock order: innermost of the device locks; only md->deferred_lock and
 * _targets_lock are never taken together with it.  Nothing sleeps under it.
 */
static DEFINE_SPINLOCK(_minor_lock);
static DEFINE_IDR(_minor_idr);

/* The IDR entry of a minor whose device is being built or torn down. */
#define MINOR_ALLOCED ((void *)-1)

/**
 * sdm_minor_reserve() - reserve a minor with the placeholder
 * @minor: the minor wanted, or -1 for the lowest free one
 *
 * Return: the minor, -EBUSY if @minor is taken, -EINVAL if it is out of
 * range, -ENOSPC if none is free, or -ENOMEM.
 */
int sdm_minor_reserve(int minor)
{
	int start = 0, end = 1 << MINORBITS;
	int r;

	if (minor >= 0) {
		if (minor >= end)
			return -EINVAL;
		start = minor;
		end = minor + 1;
	}

	if (SDM_MUTANT(sleeping_alloc_under_minor_lock)) {
		spin_lock(&_minor_lock);
		r = idr_alloc(&_minor_idr, MINOR_ALLOCED, start, end, GFP_KERNEL);
		spin_unlock(&_minor_lock);
	} else {
		sdm_idr_preload(GFP_KERNEL);
		spin_lock(&_minor_lock);
		r = idr_alloc(&_minor_idr, MINOR_ALLOCED, start, end,
			      GFP_NOWAIT);
		spin_unlock(&_minor_lock);
		idr_preload_end();
	}

	if (r == -ENOSPC && minor >= 0)
		return -EBUSY;
	return r;
}
EXPORT_SYMBOL_IF_KUNIT(sdm_minor_reserve);

/* Rule 2: make a completely initialised device findable by its minor. */
void sdm_minor_publish(struct mapped_device *md)
{
	void *old;

	spin_lock(&_minor_lock);
	old = idr_replace(&_minor_idr, md, md->minor);
	spin_unlock(&_minor_lock);
	WARN_ON_ONCE(old != MINOR_ALLOCED);
}
EXPORT_SYMBOL_IF_KUNIT(sdm_minor_publish);

/* Give a minor back; its device (if any) is gone. */
void sdm_minor_release(int minor)
{
	spin_lock(&_minor_lock);
	idr_remove(&_minor_idr, minor);
	spin_unlock(&_minor_lock);
}
EXPORT_SYMBOL_IF_KUNIT(sdm_minor_release);

/* Take a reference; the caller already holds one or holds _minor_lock. */
void dm_get(struct mapped_device *md)
{
	atomic_inc(&md->holders);
	WARN_ON_ONCE(test_bit(DMF_FREEING, &md->flags));
}

/*
 * Rule 3: the holder of the last reference comes here with _minor_lock
 * held (atomic_dec_and_lock() took it as the count reached zero).  Every
 * lookup takes its reference under that lock, so none can resurrect the
 * device: it is unpublished before the lock is dropped.
 */
static void unpublish(struct mapped_device *md)
	__releases(&_minor_lock)
{
	lockdep_assert_held(&_minor_lock);
	set_bit(DMF_FREEING, &md->flags);
	idr_replace(&_minor_idr, MINOR_ALLOCED, md->minor);
	/* sdm_submit_bio() reads it without the lock */
	WRITE_ONCE(md->disk->private_data, NULL);
	spin_unlock(&_minor_lock);
}

/*
 * A put that was not the last, of a device being deleted: its remover
 * waits on md->wait for the other holders to go (sdm_wait_for_holders())
 * and may free the device as soon as the count allows, so the caller runs
 * this inside an RCU read section (the teardown frees @md only after a
 * grace period).
 */
static void wake_remover(struct mapped_device *md)
{
	RCU_LOCKDEP_WARN(!rcu_read_lock_held(), "remover woken outside RCU");
	if (test_bit(DMF_DELETING, &md->flags))
		wake_up(&md->wait);
}

/*
 * Mutant dec_then_lock: the count reaches zero before _minor_lock is
 * taken, so a lookup in between takes a reference on a device whose
 * teardown has begun.
 */
static void mutant_dec_then_lock(struct mapped_device *md)
{
	if (!atomic_dec_and_test(&md->holders)) {
		rcu_read_lock();
		wake_remover(md);
		rcu_read_unlock();
		return;
	}
	sdm_delay(SDM_DELAY_UNPUBLISHED);
	spin_lock(&_minor_lock);
	unpublish(md);
	sdm_teardown(md);
}

/**
 * dm_put() - drop a reference, tearing the device down if it was the last
 * @md: the device
 *
 * For process context holding no lock: the teardown, if due, runs inline.
 * Callers that may hold the last reference inside a block device or sysfs
 * callback, or under _hash_lock, use dm_put_deferred().
 */
void dm_put(struct mapped_device *md)
{
	might_sleep();
	if (SDM_MUTANT(dec_then_lock)) {
		mutant_dec_then_lock(md);
		return;
	}
	rcu_read_lock();
	if (!atomic_dec_and_lock(&md->holders, &_minor_lock)) {
		if (!SDM_MUTANT(put_without_waking_remover))
			wake_remover(md);
		rcu_read_unlock();
		return;
	}
	rcu_read_unlock();
	unpublish(md);
	sdm_teardown(md);
}

/**
 * dm_put_deferred() - drop a reference; a due teardown runs from a work item
 * @md: the device
 *
 * For callers inside ->release() (which holds disk->open_mutex, taken
 * again by del_gendisk()) and other contexts where the teardown must not
 * run inline.
 */
void dm_put_deferred(struct mapped_device *md)
{
	rcu_read_lock();
	if (!atomic_dec_and_lock(&md->holders, &_minor_lock)) {
		if (!SDM_MUTANT(put_without_waking_remover))
			wake_remover(md);
		rcu_read_unlock();
		return;
	}
	rcu_read_unlock();
	unpublish(md);
	sdm_queue_teardown(md);
}

/*
 * Rules 4 and 5: take a reference on a device found under _minor_lock,
 * unless it is being deleted or freed.
 */
static bool is_live(struct mapped_device *md)
{
	lockdep_assert_held(&_minor_lock);
	return !test_bit(DMF_FREEING, &md->flags) &&
	       !test_bit(DMF_DELETING, &md->flags);
}

static bool get_if_live(struct mapped_device *md)
{
	if (!is_live(md))
		return false;
	dm_get(md);
	return true;
}

/**
 * dm_get_md() - find a device by dev_t and take a reference
 * @dev: the device number
 *
 * Rule 5: the reference is taken under _minor_lock, where the placeholder,
 * DMF_FREEING and DMF_DELETING are checked.
 *
 * Return: the device, or NULL.
 */
struct mapped_device *dm_get_md(dev_t dev)
{
	struct mapped_device *md;

	if (MAJOR(dev) != sdm_major || MINOR(dev) >= (1U << MINORBITS))
		return NULL;

	spin_lock(&_minor_lock);
	md = idr_find(&_minor_idr, MINOR(dev));
	if ((md == MINOR_ALLOCED && !SDM_MUTANT(lookup_returns_placeholder)) ||
	    (md && !get_if_live(md)))
		md = NULL;
	spin_unlock(&_minor_lock);
	if (md)
		sdm_delay(SDM_DELAY_MINOR_REF);

	return md;
}

/**
 * sdm_get_from_kobject() - the device of a dm/ sysfs attribute, referenced
 * @kobj: the kobject of the device's dm/ directory, still in sysfs (an
 *	attribute call)
 *
 * Rule 5: the reference is taken under _minor_lock, and not at all for a
 * device being deleted or freed.
 *
 * Return: the device, or NULL.
 */
struct mapped_device *sdm_get_from_kobject(struct kobject *kobj)
{
	struct mapped_device *md = container_of(kobj, struct sdm_sysfs_dir,
						kobj)->md;
	bool live;

	if (SDM_MUTANT(ref_after_unlock_kobject)) {
		spin_lock(&_minor_lock);
		live = is_live(md);
		spin_unlock(&_minor_lock);
		sdm_delay(SDM_DELAY_UNLOCKED_REF);
		if (live)
			dm_get(md);
		return live ? md : NULL;
	}
	live = sdm_get_if_live(md);
	sdm_delay(SDM_DELAY_UNLOCKED_REF);
	return live ? md : NULL;
}

/**
 * sdm_get_if_live() - take a reference unless the device is going away
 * @md: a device whose memory the caller knows to be valid (found in an
 *	index whose lock the caller holds, rule 5), referenced or not
 *
 * Return: true with a reference taken; false if @md is being deleted or
 * its last reference is already gone.
 */
bool sdm_get_if_live(struct mapped_device *md)
{
	bool live;

	spin_lock(&_minor_lock);
	live = get_if_live(md);
	spin_unlock(&_minor_lock);
	return live;
}
EXPORT_SYMBOL_IF_KUNIT(sdm_get_if_live);

/**
 * sdm_lock_for_deletion() - refuse new opens before a removal
 * @md: the device, referenced by the caller
 * @mark_deferred: if the device is open, remove it at its last close
 * @only_deferred: refuse unless a deferred removal is pending
 *
 * Return: 0 with DMF_DELETING set; -EBUSY if the device is open (marked
 * for deferred removal if asked); -EEXIST if @only_deferred and no
 * deferred removal is pending; -ENXIO if another remover marked it.
 */
int sdm_lock_for_deletion(struct mapped_device *md, bool mark_deferred,
			  bool only_deferred)
{
	int r = 0;

	spin_lock(&_minor_lock);
	if (atomic_read(&md->open_count)) {
		r = -EBUSY;
		if (mark_deferred)
			set_bit(DMF_DEFERRED_REMOVE, &md->flags);
	} else if (only_deferred &&
		   !test_bit(DMF_DEFERRED_REMOVE, &md->flags)) {
		r = -EEXIST;
	} else if (test_and_set_bit(DMF_DELETING, &md->flags)) {
		r = -ENXIO;		/* another remover has it */
	}
	spin_unlock(&_minor_lock);

	return r;
}
EXPORT_SYMBOL_IF_KUNIT(sdm_lock_for_deletion);

/**
 * sdm_unlock_for_deletion() - give up a removal, allowing opens again
 * @md: the device, marked by sdm_lock_for_deletion()
 *
 * For a remover whose wait for the device's holders was interrupted; the
 * device is as it was before.
 */
void sdm_unlock_for_deletion(struct mapped_device *md)
{
	spin_lock(&_minor_lock);
	clear_bit(DMF_DELETING, &md->flags);
	spin_unlock(&_minor_lock);
}
EXPORT_SYMBOL_IF_KUNIT(sdm_unlock_for_deletion);

/**
 * sdm_cancel_deferred_remove() - keep a device marked for deferred removal
 * @md: the device
 *
 * Return: 0 (also when none was pending), or -EBUSY if the removal has
 * already started.
 */
int sdm_cancel_deferred_remove(struct mapped_device *md)
{
	int r = 0;

	spin_lock(&_minor_lock);
	if (test_bit(DMF_DELETING, &md->flags))
		r = -EBUSY;
	else
		clear_bit(DMF_DEFERRED_REMOVE, &md->flags);
	spin_unlock(&_minor_lock);

	return r;
}
EXPORT_SYMBOL_IF_KUNIT(sdm_cancel_deferred_remove);

int sdm_open_count(struct mapped_device *md)
{
	return atomic_read(&md->open_count);
}

/*
 * Rule 4: disk->private_data is a pointer without a reference of its own.
 * It is read, checked and turned into a reference under _minor_lock, the
 * lock under which the last put clears it.
 */
static int sdm_blk_open(struct gendisk *disk, blk_mode_t mode)
{
	struct mapped_device *md;
	bool first = false;
	int r = 0;

	spin_lock(&_minor_lock);
	md = disk->private_data;
	if (SDM_MUTANT(open_ignores_deleting) && md) {
		dm_get(md);
		first = atomic_inc_return(&md->open_count) == 1;
	} else if (SDM_MUTANT(open_ref_after_unlock) && md && is_live(md)) {
		/* referenced below, after the lock */
	} else if (md && get_if_live(md)) {
		first = atomic_inc_return(&md->open_count) == 1;
	} else {
		r = -ENXIO;
	}
	spin_unlock(&_minor_lock);
	sdm_delay(SDM_DELAY_OPEN);
	if (SDM_MUTANT(open_ref_after_unlock) && !r) {
		dm_get(md);
		first = atomic_inc_return(&md->open_count) == 1;
	}
	/* the first opener asks for the per-CPU usage counter */
	if (first)
		sdm_usage_mode_changed(md);

	return r;
}

/*
 * Mutant deferred_remove_unlocked_close: the last close looks for a
 * deferred removal before its count drops, outside _minor_lock, and a
 * remover marking the device in between is never answered.
 */
static void mutant_unlocked_close(struct mapped_device *md)
{
	bool deferred = test_bit(DMF_DEFERRED_REMOVE, &md->flags);

	sdm_delay(SDM_DELAY_RELEASE);
	if (atomic_dec_and_test(&md->open_count)) {
		if (deferred)
			sdm_schedule_deferred_remove();
		sdm_usage_mode_changed(md);
	}
}

static void sdm_blk_release(struct gendisk *disk)
{
	struct mapped_device *md;
	bool last;

	if (SDM_MUTANT(deferred_remove_unlocked_close)) {
		md = disk->private_data;
		mutant_unlocked_close(md);
		dm_put_deferred(md);
		return;
	}
	sdm_delay(SDM_DELAY_RELEASE);
	spin_lock(&_minor_lock);
	md = disk->private_data;	/* our open reference keeps it set */
	last = atomic_dec_and_test(&md->open_count);
	if (last && test_bit(DMF_DEFERRED_REMOVE, &md->flags))
		sdm_schedule_deferred_remove();
	spin_unlock(&_minor_lock);
	/* the last closer asks for the atomic usage counter */
	if (last)
		sdm_usage_mode_changed(md);

	/* disk->open_mutex is held here and del_gendisk() takes it */
	dm_put_deferred(md);
}

/* The geometry set with DM_DEV_SET_GEOMETRY (zero until then). */
static int sdm_blk_getgeo(struct block_device *bdev, struct hd_geometry *geo)
{
	struct mapped_device *md = bdev->bd_disk->private_data;

	mutex_lock(&md->suspend_lock);
	*geo = md->geometry;
	mutex_unlock(&md->suspend_lock);
	return 0;
}

/*
 * The gendisk's last put, which can come after the device's teardown (a
 * reference held elsewhere, or DEBUG_KOBJECT_RELEASE's delay).  The disk
 * no longer points to the device; only the module's exit waits for this.
 */
static void sdm_blk_free_disk(struct gendisk *disk)
{
	sdm_release_done();
}

SDM_BLK_OPS_ADAPTERS(sdm_blk_open, sdm_blk_release);

const struct block_device_operations sdm_blk_dops = {
	.owner		= THIS_MODULE,
	.submit_bio	= sdm_submit_bio,
	.open		= SDM_BLK_OPEN(sdm_blk_open),
	.release	= SDM_BLK_RELEASE(sdm_blk_release),
	.getgeo		= sdm_blk_getgeo,
	.free_disk	= sdm_blk_free_disk,
};

void sdm_minor_exit(void)
{
	idr_destroy(&_minor_idr);
}

#if IS_ENABLED(CONFIG_KUNIT)
/* dm_mod exports the dm_ names (see sdm.h): KUnit gets sdm_ aliases. */
struct mapped_device *sdm_kunit_dm_get_md(dev_t dev) __alias(dm_get_md);
EXPORT_SYMBOL_IF_KUNIT(sdm_kunit_dm_get_md);
void sdm_kunit_dm_get(struct mapped_device *md) __alias(dm_get);
EXPORT_SYMBOL_IF_KUNIT(sdm_kunit_dm_get);
void sdm_kunit_dm_put(struct mapped_device *md) __alias(dm_put);
EXPORT_SYMBOL_IF_KUNIT(sdm_kunit_dm_put);
void sdm_kunit_dm_put_deferred(struct mapped_device *md) __alias(dm_put_deferred);
EXPORT_SYMBOL_IF_KUNIT(sdm_kunit_dm_put_deferred);
#endif
