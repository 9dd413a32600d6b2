/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The one place where kernel API differences live.
 *
 * Kbuild force-includes this header into every sdm source file, so driver
 * code is written against the 6.12 API under its upstream names and never
 * tests LINUX_VERSION_CODE.  Each entry names the API, the kernels that
 * differ, and how the difference is detected (a header check or compile
 * probe in Kbuild, which passes the result as an SDM_HAVE_* define).
 */
#ifndef SDM_COMPAT_H
#define SDM_COMPAT_H

#include <linux/blkdev.h>
#include <linux/file.h>

/*
 * <kunit/visibility.h> (VISIBLE_IF_KUNIT, EXPORT_SYMBOL_IF_KUNIT) appeared
 * in 6.2; Kbuild defines SDM_HAVE_KUNIT_VISIBILITY when the kernel tree has
 * it.  Older kernels keep the helpers static and export nothing, which
 * means sdm_kunit.ko needs 6.2 or later (Debian's 6.1 has no KUnit).
 */
#ifdef SDM_HAVE_KUNIT_VISIBILITY
#include <kunit/visibility.h>
#else
#define VISIBLE_IF_KUNIT static
/* A harmless declaration, so the semicolon after it stays legal. */
#define EXPORT_SYMBOL_IF_KUNIT(symbol) struct sdm_kunit_unexported_##symbol
#endif

/*
 * idr_preload() returns holding a per-CPU local_lock, which
 * idr_preload_end() releases.  On PREEMPT_RT that is a real (sleeping)
 * lock whose release sparse sees, but idr_preload() is out of line and
 * unannotated, so sparse takes the release for an unbalanced one; on the
 * other kernels it only disables preemption.  sdm_idr_preload() is
 * idr_preload() with the acquisition told to sparse on RT (a no-op for
 * the compiler everywhere).
 */
#ifdef CONFIG_PREEMPT_RT
#define sdm_idr_preload(gfp)						\
	do {								\
		idr_preload(gfp);					\
		__acquire(&radix_tree_preloads.lock);			\
	} while (0)
#else
#define sdm_idr_preload(gfp) idr_preload(gfp)
#endif

/*
 * Block device open modes (blk_mode_t, BLK_OPEN_*) replaced fmode_t in
 * 6.5.  Kbuild defines SDM_HAVE_BLK_MODE_T when blkdev.h has them; older
 * kernels get them as fmode_t bits.
 */
#ifndef SDM_HAVE_BLK_MODE_T
#define blk_mode_t	fmode_t
#define BLK_OPEN_READ	FMODE_READ
#define BLK_OPEN_WRITE	FMODE_WRITE
#endif

/*
 * block_device_operations: since 6.5 ->open takes the gendisk and
 * ->release takes only the gendisk; before, both took the block device
 * (open) or gendisk (release) and an fmode_t.  sdm writes the 6.5 forms
 * and puts SDM_BLK_OPEN(fn) and SDM_BLK_RELEASE(fn) into its ops table;
 * SDM_BLK_OPS_ADAPTERS(open, release) after the two functions defines
 * what the older kernels call instead.
 */
#ifdef SDM_HAVE_BLK_MODE_T
#define SDM_BLK_OPS_ADAPTERS(open_fn, release_fn)			\
	static_assert(__same_type(&(open_fn),				\
				  int (*)(struct gendisk *, blk_mode_t)) && \
		      __same_type(&(release_fn), void (*)(struct gendisk *)))
#define SDM_BLK_OPEN(open_fn)		(open_fn)
#define SDM_BLK_RELEASE(release_fn)	(release_fn)
#else
#define SDM_BLK_OPS_ADAPTERS(open_fn, release_fn)			\
	static int open_fn##_fmode(struct block_device *bdev, fmode_t mode) \
	{								\
		return open_fn(bdev->bd_disk, mode);			\
	}								\
	static void release_fn##_fmode(struct gendisk *disk, fmode_t mode) \
	{								\
		release_fn(disk);					\
	}								\
	struct sdm_blk_ops_adapters_unused
#define SDM_BLK_OPEN(open_fn)		(open_fn##_fmode)
#define SDM_BLK_RELEASE(release_fn)	(release_fn##_fmode)
#endif

/*
 * Opening a device exclusively: since 6.9 bdev_file_open_by_dev() gives a
 * file, which __fput_sync() closes; before, blkdev_get_by_dev() with
 * FMODE_EXCL gives the block device, which blkdev_put() with the same mode
 * closes (6.5 to 6.8 had a third API, bdev_handle, that sdm does not
 * support).  struct sdm_bdev_handle is what sdm keeps for an open device;
 * the holder makes every open exclusive, and no holder_ops are passed
 * (sdm needs no calls back from the block layer for the devices under a
 * table).
 */
#ifdef SDM_HAVE_BDEV_FILE_OPEN
struct sdm_bdev_handle {
	struct file *file;
};

static inline int sdm_bdev_open(struct sdm_bdev_handle *h, dev_t dev,
				blk_mode_t mode, void *holder)
{
	h->file = bdev_file_open_by_dev(dev, mode, holder, NULL);
	return PTR_ERR_OR_ZERO(h->file);
}

static inline struct block_device *sdm_bdev(struct sdm_bdev_handle *h)
{
	return file_bdev(h->file);
}

/* Close @h now, so the device is free when the caller returns. */
static inline void sdm_bdev_close(struct sdm_bdev_handle *h, blk_mode_t mode)
{
	__fput_sync(h->file);
}
#else
struct sdm_bdev_handle {
	struct block_device *bdev;
};

static inline int sdm_bdev_open(struct sdm_bdev_handle *h, dev_t dev,
				blk_mode_t mode, void *holder)
{
	h->bdev = blkdev_get_by_dev(dev, mode | FMODE_EXCL, holder);
	return PTR_ERR_OR_ZERO(h->bdev);
}

static inline struct block_device *sdm_bdev(struct sdm_bdev_handle *h)
{
	return h->bdev;
}

static inline void sdm_bdev_close(struct sdm_bdev_handle *h, blk_mode_t mode)
{
	blkdev_put(h->bdev, mode | FMODE_EXCL);
}
#endif

/*
 * Freezing the filesystem on a block device: bdev_freeze() and
 * bdev_thaw() since 6.8, freeze_bdev() and thaw_bdev() before.
 */
#ifndef SDM_HAVE_BDEV_FREEZE
#define bdev_freeze(bdev)	freeze_bdev(bdev)
#define bdev_thaw(bdev)		thaw_bdev(bdev)
#endif

/*
 * I/O accounting of a bio-based device: since 6.3 the sectors are given
 * at the end (bdev_end_io_acct), before they were given at the start.
 * sdm_io_acct_start() and sdm_io_acct_end() take them at both.
 */
#ifdef SDM_HAVE_IO_ACCT_SECTORS_AT_END
static inline unsigned long sdm_io_acct_start(struct block_device *bdev,
					      enum req_op op,
					      unsigned int sectors,
					      unsigned long start)
{
	return bdev_start_io_acct(bdev, op, start);
}

static inline void sdm_io_acct_end(struct block_device *bdev, enum req_op op,
				   unsigned int sectors, unsigned long start)
{
	bdev_end_io_acct(bdev, op, sectors, start);
}
#else
static inline unsigned long sdm_io_acct_start(struct block_device *bdev,
					      enum req_op op,
					      unsigned int sectors,
					      unsigned long start)
{
	return bdev_start_io_acct(bdev, sectors, op, start);
}

static inline void sdm_io_acct_end(struct block_device *bdev, enum req_op op,
				   unsigned int sectors, unsigned long start)
{
	bdev_end_io_acct(bdev, op, start);
}
#endif

/*
 * Queue limits and features.  Since 6.11 a queue's features (write cache,
 * FUA, rotational, I/O accounting, NOWAIT, DAX, ...) are bits in struct
 * queue_limits, set with the limits in one update (queue_limits_set(),
 * queue_limits_start_update() and _commit_update()) and stacked by
 * blk_stack_limits(); blk_alloc_disk() takes the first limits.  Before,
 * they were queue flags that a stacking driver set itself.
 *
 * sdm keeps its limits in struct sdm_limits and reaches the features
 * through sdm_lim_features().  On 6.11 and later that is the
 * queue_limits' own field and every helper below is the block layer's.
 * Before 6.11 (Kbuild: no SDM_HAVE_BLK_FEAT) struct sdm_limits carries the
 * features beside the limits, under 6.11's names and bits (those sdm
 * uses), stacks them by 6.11's rules (the inherited ones from any device,
 * NOWAIT only if every device has it) and turns them into queue flags
 * when the limits are set.
 */
#ifdef SDM_HAVE_BLK_FEAT
struct sdm_limits {
	struct queue_limits lim;
};

#define sdm_lim_features(l)	((l)->lim.features)

/* what a table without devices does not keep of the device's features */
#define SDM_FEAT_NOT_KEPT	(BLK_FEAT_DAX | BLK_FEAT_NOWAIT)

static inline void sdm_limits_stacking(struct sdm_limits *l)
{
	blk_set_stacking_limits(&l->lim);
}

static inline int sdm_limits_stack(struct sdm_limits *t, struct sdm_limits *b)
{
	return blk_stack_limits(&t->lim, &b->lim, 0);
}

static inline void sdm_limits_stack_bdev(struct sdm_limits *l,
					 struct block_device *bdev,
					 sector_t start, const char *name)
{
	queue_limits_stack_bdev(&l->lim, bdev, start, name);
}

/* the device's limits to @l; sdm_limits_commit_update() applies them */
static inline void sdm_limits_start_update(struct gendisk *disk,
					   struct sdm_limits *l)
{
	l->lim = queue_limits_start_update(disk->queue);
}

static inline int sdm_limits_commit_update(struct gendisk *disk,
					   struct sdm_limits *l)
{
	return queue_limits_commit_update(disk->queue, &l->lim);
}

static inline int sdm_limits_set(struct gendisk *disk, struct sdm_limits *l)
{
	return queue_limits_set(disk->queue, &l->lim);
}

/* a bio-based disk with @l's limits, or an ERR_PTR() */
static inline struct gendisk *sdm_alloc_disk(struct sdm_limits *l, int node)
{
	return blk_alloc_disk(&l->lim, node);
}
#else
#define BLK_FEAT_WRITE_CACHE	BIT(0)
#define BLK_FEAT_FUA		BIT(1)
#define BLK_FEAT_ROTATIONAL	BIT(2)
#define BLK_FEAT_IO_STAT	BIT(4)
#define BLK_FEAT_STABLE_WRITES	BIT(5)
#define BLK_FEAT_NOWAIT		BIT(7)
#define BLK_FEAT_DAX		BIT(8)
/* what a stacked device takes from any device under it */
#define SDM_FEAT_INHERITED	(BLK_FEAT_WRITE_CACHE | BLK_FEAT_FUA |	\
				 BLK_FEAT_ROTATIONAL | BLK_FEAT_STABLE_WRITES)

struct sdm_limits {
	struct queue_limits lim;
	unsigned int features;	/* BLK_FEAT_* */
};

#define sdm_lim_features(l)	((l)->features)

/*
 * What a table without devices does not keep of the device's features:
 * dm before 6.11 took the write cache and FUA from the table's devices
 * too, so such a table is written through there.
 */
#define SDM_FEAT_NOT_KEPT	(BLK_FEAT_DAX | BLK_FEAT_NOWAIT |	\
				 BLK_FEAT_WRITE_CACHE | BLK_FEAT_FUA)

/* the features @q's flags stand for */
static inline unsigned int sdm_queue_features(struct request_queue *q)
{
	unsigned int f = 0;

	if (test_bit(QUEUE_FLAG_WC, &q->queue_flags))
		f |= BLK_FEAT_WRITE_CACHE;
	if (test_bit(QUEUE_FLAG_FUA, &q->queue_flags))
		f |= BLK_FEAT_FUA;
	if (!blk_queue_nonrot(q))
		f |= BLK_FEAT_ROTATIONAL;
	if (blk_queue_io_stat(q))
		f |= BLK_FEAT_IO_STAT;
	if (blk_queue_stable_writes(q))
		f |= BLK_FEAT_STABLE_WRITES;
	if (test_bit(QUEUE_FLAG_NOWAIT, &q->queue_flags))
		f |= BLK_FEAT_NOWAIT;
	if (blk_queue_dax(q))
		f |= BLK_FEAT_DAX;
	return f;
}

static inline void sdm_queue_flag(struct request_queue *q, unsigned int flag,
				  bool on)
{
	if (on)
		blk_queue_flag_set(flag, q);
	else
		blk_queue_flag_clear(flag, q);
}

/* @q's flags from the features @f */
static inline void sdm_queue_set_features(struct request_queue *q,
					  unsigned int f)
{
	blk_queue_write_cache(q, f & BLK_FEAT_WRITE_CACHE, f & BLK_FEAT_FUA);
	sdm_queue_flag(q, QUEUE_FLAG_NONROT, !(f & BLK_FEAT_ROTATIONAL));
	sdm_queue_flag(q, QUEUE_FLAG_IO_STAT, f & BLK_FEAT_IO_STAT);
	sdm_queue_flag(q, QUEUE_FLAG_STABLE_WRITES, f & BLK_FEAT_STABLE_WRITES);
	sdm_queue_flag(q, QUEUE_FLAG_NOWAIT, f & BLK_FEAT_NOWAIT);
	sdm_queue_flag(q, QUEUE_FLAG_DAX, f & BLK_FEAT_DAX);
}

/* stack the features @b of a lower device onto @t */
static inline void sdm_features_stack(unsigned int *t, unsigned int b)
{
	*t |= b & SDM_FEAT_INHERITED;
	if (!(b & BLK_FEAT_NOWAIT))
		*t &= ~BLK_FEAT_NOWAIT;
}

static inline void sdm_limits_stacking(struct sdm_limits *l)
{
	blk_set_stacking_limits(&l->lim);
	l->features = 0;
}

static inline int sdm_limits_stack(struct sdm_limits *t, struct sdm_limits *b)
{
	sdm_features_stack(&t->features, b->features);
	return blk_stack_limits(&t->lim, &b->lim, 0);
}

static inline void sdm_limits_stack_bdev(struct sdm_limits *l,
					 struct block_device *bdev,
					 sector_t start, const char *name)
{
	struct request_queue *q = bdev_get_queue(bdev);

	sdm_features_stack(&l->features, sdm_queue_features(q));
	if (blk_stack_limits(&l->lim, &q->limits, get_start_sect(bdev) + start))
		pr_notice("%s: %pg is misaligned for this table\n", name, bdev);
}

/*
 * The queue of a bio-based disk has no lock of its own for its limits:
 * sdm changes them only while the device is suspended (under its
 * suspend_lock), when no bio is in flight.
 */
static inline void sdm_limits_start_update(struct gendisk *disk,
					   struct sdm_limits *l)
{
	l->lim = disk->queue->limits;
	l->features = sdm_queue_features(disk->queue);
}

static inline int sdm_limits_set(struct gendisk *disk, struct sdm_limits *l)
{
	/*
	 * What 6.11 derives when it validates stacked limits: discards as
	 * large as the devices and targets take them, no granularity without
	 * discards.
	 */
	l->lim.max_discard_sectors = l->lim.max_hw_discard_sectors;
	if (!l->lim.max_discard_sectors)
		l->lim.discard_granularity = 0;
	disk->queue->limits = l->lim;
	sdm_queue_set_features(disk->queue, l->features);
	disk_update_readahead(disk);
	return 0;
}

static inline int sdm_limits_commit_update(struct gendisk *disk,
					   struct sdm_limits *l)
{
	return sdm_limits_set(disk, l);
}

/*
 * A bio-based disk with @l's features, or an ERR_PTR().  Its limits are
 * the queue's defaults: the fields sdm leaves zero there, which 6.11 fills
 * with the same defaults.
 */
static inline struct gendisk *sdm_alloc_disk(struct sdm_limits *l, int node)
{
	struct gendisk *disk = blk_alloc_disk(node);

	if (!disk)
		return ERR_PTR(-ENOMEM);
	sdm_queue_set_features(disk->queue, l->features);
	return disk;
}
#endif

/*
 * kill_dax() tells the holder of a dax_device that is going away with a
 * report of the whole device (0, U64_MAX).  Kernels with
 * MF_MEM_PRE_REMOVE (6.12; Kbuild: SDM_HAVE_MF_MEM_PRE_REMOVE) flag that
 * report with it, and a filesystem freezes and shuts down; on the others
 * (6.1) it comes without a flag, and a filesystem takes it for poison of
 * all of its memory.  SDM_KILL_DAX_FLAGGED says which (dax.rst).
 */
#ifdef SDM_HAVE_MF_MEM_PRE_REMOVE
#define SDM_KILL_DAX_FLAGGED	true
#else
#define SDM_KILL_DAX_FLAGGED	false
#endif

#endif /* SDM_COMPAT_H */
