/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Private declarations shared by the files of sdm.ko.
 *
 * Lock order (outermost first; Documentation/lifetime.rst explains each):
 *
 *   _hash_lock          rw_semaphore, dm_ioctl.c: the name and uuid index
 *   md->type_lock       mutex: table loads of one device, add_disk()
 *   md->suspend_lock    mutex: suspend state and the live table of one device
 *   md->table_devices_lock  mutex: the underlying devices a device holds open
 *   dax_srcu            SRCU (the kernel's): a memory-failure notification
 *                       runs inside its read section
 *   sdm_dax_lock        mutex, dm_dax.c: the DAX holders and their users
 *   md->io_barrier      SRCU: readers of the live table (bio submission,
 *                       DAX translation)
 *   _minor_lock         spinlock, dm_minor.c: the minor IDR, disk private
 *                       data, the FREEING/DELETING flags, the last put
 *   md->deferred_lock   spinlock: bios held back while suspended
 *   md->dax_failures_lock  spinlock, dm_dax.c: memory failures held for
 *                       the filesystem of a suspended device
 *   _targets_lock       rw_semaphore, dm_target.c: the target type registry
 *
 * _hash_lock is never held across a call that can sleep on a device (table
 * construction, suspend, teardown); those run on a reference instead.
 * Nothing that waits for dax_srcu (kill_dax() in a teardown) runs inside a
 * notification: references taken there are dropped with dm_put_deferred().
 */
#ifndef SDM_H
#define SDM_H

#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/dax.h>
#include <linux/hdreg.h>
#include <linux/dm-ioctl.h>
#include <linux/kobject.h>
#include <linux/mempool.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/srcu.h>

#include "sdm_test.h"
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "sdm_target.h"

/* The name dm_mod uses for its block major and control device. */
#define SDM_NAME		"device-mapper"

/*
 * Requests carry at least the fixed part of struct dm_ioctl, up to data[];
 * data_size is capped the way upstream caps it (1M targets of 1 KiB
 * parameters), which keeps every allocation below INT_MAX.
 */
#define SDM_IOCTL_MIN_SIZE	offsetof(struct dm_ioctl, data)
#define SDM_MAX_TARGETS		1048576U
#define SDM_MAX_TARGET_PARAMS	1024U
#define SDM_IOCTL_MAX_SIZE	(SDM_MAX_TARGETS * SDM_MAX_TARGET_PARAMS)

/* Replies start at the first 8-byte boundary after the header. */
#define SDM_IOCTL_DATA_START	ALIGN(sizeof(struct dm_ioctl), 8)

/* md->flags */
enum {
	DMF_BLOCK_IO_FOR_SUSPEND,	/* new bios wait on md->deferred */
	DMF_SUSPENDED,
	DMF_FROZEN,			/* the filesystem on top is frozen */
	DMF_FREEING,			/* last reference gone: unpublished */
	DMF_DELETING,			/* being removed: no new opens */
	DMF_NOFLUSH_SUSPENDING,
	DMF_DISK_ADDED,			/* add_disk() done (first table load) */
	DMF_NO_DISK,			/* its disk was deleted after an error */
	DMF_DEFERRED_REMOVE,		/* remove at last close */
	DMF_DAX_TYPE,			/* a DAX table was loaded (type_lock) */
	DMF_DAX_HOLD_FAILURES,		/* suspending: failures wait for resume */
};

struct sdm_table;
struct sdm_cell;

/*
 * /sys/block/dm-N/dm.  Its kobject is allocated apart from the device:
 * the last put of a kobject can come after the device's teardown
 * (DEBUG_KOBJECT_RELEASE, for one, runs every release later), so the
 * teardown only deletes the directory and the release frees it.  @md is
 * valid while the directory is in sysfs: kobject_del() waits for the
 * attribute calls in progress, and none starts after it.
 */
struct sdm_sysfs_dir {
	struct kobject kobj;
	struct mapped_device *md;
};

/*
 * A mapped device.  Its lifetime (Documentation/lifetime.rst):
 *
 *   reserved    minor held by the MINOR_ALLOCED placeholder, being built
 *   published   idr_replace() made it findable by minor; the creator's
 *               reference is handed to the name index (its cell)
 *   visible     add_disk() at the first table load made /dev/dm-N appear
 *   deleting    DMF_DELETING: being removed, new opens are refused
 *   freeing     DMF_FREEING: the last reference is gone; under _minor_lock
 *               the placeholder went back and disk->private_data was
 *               cleared; sleeping teardown runs outside the lock
 */
struct mapped_device {
	int minor;
	unsigned long flags;		/* DMF_*, atomic bitops */

	/*
	 * References.  The last dm_put() goes through atomic_dec_and_lock()
	 * on _minor_lock, so no lookup can take a new reference once the
	 * count has reached zero.
	 */
	atomic_t holders;
	atomic_t open_count;		/* block opens, under _minor_lock */
	u64 created;			/* sdm_created_seq() at creation */

	struct gendisk *disk;
	/* from the first DAX table on (type_lock); NULL before and without DAX */
	struct dax_device *dax_dev;

	/* Name index entry; under _hash_lock (dm_ioctl.c). */
	struct sdm_cell *cell;

	/* Serialises table loads and the first load's add_disk(). */
	struct mutex type_lock;

	/* Guards suspend state changes and swaps of md->map. */
	struct mutex suspend_lock;
	struct sdm_table __rcu *map;	/* live table, NULL if none */
	struct srcu_struct io_barrier;	/* readers of map: bio submission */

	/* The underlying devices open for any table of this device. */
	struct mutex table_devices_lock;
	struct list_head table_devices;

	/* In-flight clones, per CPU; suspend waits on @wait for zero. */
	long __percpu *pending;
	wait_queue_head_t wait;

	/*
	 * deferred_lock guards @deferred (bios held back while
	 * DMF_BLOCK_IO_FOR_SUSPEND is set), @flushed (flush-then-data bios
	 * waiting for flush_work to resubmit them) and @held_flushes
	 * (flushes whose clones the pool could not give at once, for
	 * flush_work to send).  Taken from completion context: irq-safe.
	 * Innermost.
	 */
	spinlock_t deferred_lock;
	struct bio_list deferred;
	struct bio_list flushed;
	struct bio_list held_flushes;
	struct work_struct flush_work;

	struct bio_set clone_bs;	/* struct sdm_io + clone */
	struct bio_set split_bs;	/* splits at target boundaries */
	mempool_t remap_pool;		/* struct sdm_remap */

	/*
	 * Memory failures under the device (dm_dax.c).  From the start of a
	 * suspend to the resume, DMF_DAX_HOLD_FAILURES is set and failures
	 * wait on @dax_failures for the resume to forward them to the
	 * filesystem; dax_failures_lock guards the list and the flag's
	 * changes.  Innermost.  @dax_forwarding counts forwards in progress,
	 * which a suspend waits out on @wait before it blocks I/O.
	 */
	spinlock_t dax_failures_lock;
	struct list_head dax_failures;
	atomic_t dax_forwarding;

	/* Table events: DM_DEV_WAIT sleeps on @eventq for @event_nr to move. */
	atomic_t event_nr;
	wait_queue_head_t eventq;

	/* DM_DEV_SET_GEOMETRY; under suspend_lock, wiped on resize. */
	struct hd_geometry geometry;

	/* /sys/block/dm-N/dm, from the first table load on; else NULL */
	struct sdm_sysfs_dir *sysfs_dir;

	/*
	 * Puts the queue's usage counter in the mode @open_count asks for:
	 * per-CPU while the disk is open, atomic while it is not (dm_core.c,
	 * "the queue's usage counter").
	 */
	struct work_struct usage_work;

	/* Teardown from contexts that must not sleep in it. */
	struct work_struct free_work;
	struct rcu_head rcu;
};

/* Per-clone state, in the front pad of every clone bio. */
struct sdm_io {
	struct mapped_device *md;
	struct sdm_target *ti;		/* NULL for a flush-then-data flush */
	struct bio *orig;		/* completed once per clone */
	unsigned long start_time;
	unsigned int sectors;		/* for accounting */
	unsigned int target_bio_nr;	/* index within a flush fan-out */
	bool acct;
	struct bio clone;		/* must be last */
};

/*
 * What a bio remapped in place (SDM_TARGET_IN_PLACE) had before ->map(),
 * put back when the target's device completes it.
 */
struct sdm_remap {
	struct mapped_device *md;
	struct sdm_target *ti;
	bio_end_io_t *end_io;
	void *private;
	struct block_device *bdev;
	struct bvec_iter iter;
	unsigned long start_time;	/* for accounting */
};

extern int sdm_major;

/*
 * dm_minor.c: minors, references, block open/close.  dm_get()/dm_put() keep
 * upstream's names but are never exported: dm_mod exports symbols of those
 * names, and a module exporting a duplicate cannot load.
 */
int sdm_minor_reserve(int minor);
void sdm_minor_publish(struct mapped_device *md);
void sdm_minor_release(int minor);
struct mapped_device *dm_get_md(dev_t dev);
struct mapped_device *sdm_get_from_kobject(struct kobject *kobj);
void dm_get(struct mapped_device *md);
void dm_put(struct mapped_device *md);
void dm_put_deferred(struct mapped_device *md);
bool sdm_get_if_live(struct mapped_device *md);
int sdm_lock_for_deletion(struct mapped_device *md, bool mark_deferred,
			  bool only_deferred);
void sdm_unlock_for_deletion(struct mapped_device *md);
int sdm_cancel_deferred_remove(struct mapped_device *md);
int sdm_open_count(struct mapped_device *md);
void sdm_usage_mode_changed(struct mapped_device *md);
void sdm_minor_exit(void);
extern const struct block_device_operations sdm_blk_dops;

/* dm_core.c: device lifecycle, bio path, suspend and resume */
int sdm_core_init(void);
void sdm_core_exit(void);
int sdm_create(int minor, struct mapped_device **mdp);
void sdm_teardown(struct mapped_device *md);
void sdm_expect_release(void);
void sdm_release_done(void);
void sdm_queue_teardown(struct mapped_device *md);
void sdm_submit_bio(struct bio *bio);
int sdm_wait_for_holders(struct mapped_device *md, int refs);
void sdm_destroy(struct mapped_device *md);
u64 sdm_created_seq(void);
int sdm_suspend(struct mapped_device *md, bool lockfs, bool noflush);

/* What sdm_resume() did. */
struct sdm_resume_result {
	struct sdm_table *old_map;	/* replaced live table, to destroy */
	bool resumed;			/* the device was suspended and is not */
	bool resized;			/* the new table changed a nonzero size */
};

int sdm_resume(struct mapped_device *md, struct sdm_table *new_map,
	       struct sdm_resume_result *res);
void sdm_issue_global_event(void);
u32 sdm_global_event_nr(void);
extern wait_queue_head_t sdm_global_eventq;
void sdm_md_event(struct mapped_device *md);
int sdm_kobject_uevent(struct mapped_device *md, enum kobject_action action,
		       u32 cookie, bool resized);
int sdm_set_geometry(struct mapped_device *md, struct hd_geometry *geo);
bool sdm_suspended(struct mapped_device *md);
struct sdm_table *sdm_get_live_table(struct mapped_device *md, int *srcu_idx);
void sdm_put_live_table(struct mapped_device *md, int srcu_idx);
int sdm_setup_disk(struct mapped_device *md, struct sdm_table *t);
sector_t sdm_max_io_len(struct sdm_target *ti, sector_t sector);
dev_t sdm_disk_devt(struct mapped_device *md);

/* dm_table.c */
int sdm_table_create(struct sdm_table **result, struct mapped_device *md,
		     bool read_only, unsigned int num_targets);
void sdm_table_destroy(struct sdm_table *t);
int sdm_table_add_target(struct sdm_table *t, const char *type,
			 sector_t start, sector_t len, char *params);
int sdm_table_complete(struct sdm_table *t);
unsigned int sdm_table_num_targets(struct sdm_table *t);
struct sdm_target *sdm_table_get_target(struct sdm_table *t,
					unsigned int index);
struct sdm_target *sdm_table_find_target(struct sdm_table *t, sector_t sector);
sector_t sdm_table_size(struct sdm_table *t);
bool sdm_table_read_only(struct sdm_table *t);
bool sdm_table_single_device(struct sdm_table *t);
int sdm_table_limits(struct sdm_table *t, struct sdm_limits *lim);
bool sdm_table_has_devices(struct sdm_table *t);
bool sdm_table_nowait_targets(struct sdm_table *t);
bool sdm_table_dax(struct sdm_table *t);
void sdm_table_set_dax_flags(struct sdm_table *t);
bool sdm_table_dax_synchronous(struct sdm_table *t);
int sdm_split_args(char *input, int *argc, char ***argv);
unsigned int sdm_table_deps(struct sdm_table *t, u64 *devs,
			    unsigned int max);
int sdm_table_link_holders(struct mapped_device *md);
void sdm_table_unlink_holders(struct mapped_device *md);

/* dm_dax.c */
struct sdm_dax_holder;

/*
 * A table device's place among the users of the holder of its DAX device
 * (dm_dax.c); everything but @list is constant while it is a user.
 */
struct sdm_dax_user {
	struct list_head list;		/* on the holder, under sdm_dax_lock */
	struct sdm_dax_holder *holder;
	struct mapped_device *md;	/* the device the table device is for */
	dev_t dev;			/* the table device */
	sector_t nr_sectors;		/* its size */
	u64 part_off;			/* bytes: where it starts in the dax_device */
};

/*
 * A user found by a memory failure notification: its device referenced,
 * and a copy of the geometry it had under sdm_dax_lock (dm_dax.c).
 */
struct sdm_failed_user {
	struct mapped_device *md;
	dev_t dev;
	sector_t nr_sectors;
	u64 part_off;
	bool sent;			/* something was forwarded to md */
};

void sdm_dax_kill(struct mapped_device *md);
void sdm_dax_free(struct mapped_device *md);
int sdm_dax_check_type(struct mapped_device *md, struct sdm_table *t);
void sdm_dax_set_type(struct mapped_device *md, struct sdm_table *t);
int sdm_dax_get_device(struct mapped_device *md, struct sdm_dev *dev,
		       struct sdm_dax_user *user);
void sdm_dax_put_device(struct sdm_dev *dev, struct sdm_dax_user *user);
int sdm_dax_hold_failures(struct mapped_device *md);
void sdm_dax_release_failures(struct mapped_device *md);
void sdm_dax_drop_failures(struct mapped_device *md);
void sdm_dax_exit(void);

/* dm_ioctl.c */
int sdm_ioctl_init(void);
void sdm_ioctl_exit(void);
int sdm_copy_name_and_uuid(struct mapped_device *md, char *name, char *uuid);
void sdm_schedule_deferred_remove(void);

/* dm_sysfs.c */
int sdm_sysfs_init(struct mapped_device *md);
void sdm_sysfs_exit(struct mapped_device *md);

/* dm_target.c, dm_linear.c */
int sdm_target_versions_fill(const char *name, void *buf, size_t len,
			     size_t *needed);
int sdm_linear_init(void);
void sdm_linear_exit(void);

/* dm_stripe.c, dm_zero.c, dm_error.c */
int sdm_stripe_init(void);
void sdm_stripe_exit(void);
int sdm_zero_init(void);
void sdm_zero_exit(void);
int sdm_error_init(void);
void sdm_error_exit(void);

#if IS_ENABLED(CONFIG_KUNIT)
/* Internal helpers made visible to tests/kunit/sdm_kunit.c. */
int sdm_validate_request(unsigned int nr, struct dm_ioctl *param);
int sdm_dax_merge_result(int acc, int r);
bool sdm_dax_clip(u64 offset, u64 len, u64 part_off, sector_t nr_sectors,
		  sector_t *start, sector_t *end);
bool sdm_dax_whole_sent(const struct sdm_failed_user *users, unsigned int i,
			u64 offset, u64 len);
struct dax_device *sdm_dax_lookup(struct sdm_table *map, pgoff_t *pgoff,
				  long *pages);
/* dm_minor.c's dm_get_md(), dm_get(), dm_put(), dm_put_deferred() */
struct mapped_device *sdm_kunit_dm_get_md(dev_t dev);
void sdm_kunit_dm_get(struct mapped_device *md);
void sdm_kunit_dm_put(struct mapped_device *md);
void sdm_kunit_dm_put_deferred(struct mapped_device *md);
#endif

#endif /* SDM_H */
