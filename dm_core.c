// SPDX-License-Identifier: GPL-2.0-only
/*
 * The core of sdm: module entry points, the life of a mapped device from
 * sdm_create() to sdm_teardown(), the bio path, and suspend/resume.
 *
 * Loading sdm registers the block major named "device-mapper" (dm-N disks
 * live there; libdevmapper finds it in /proc/devices) and the control
 * device.  Loading fails with -EBUSY when dm_mod already owns the control
 * device's misc minor; nothing is left registered then.
 *
 * The bio path (rule 8): a bio is looked up in the live table under SRCU,
 * split where it crosses a target boundary (the remainder is resubmitted),
 * and mapped, through a clone or in place, with its completion counted
 * per CPU, so that suspend can wait for in-flight I/O without a global
 * counter.
 */
#include <linux/blkdev.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/sched/mm.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>

#include "sdm.h"

static int major;
module_param(major, int, 0444);
MODULE_PARM_DESC(major, "block major for dm-N devices (0 = dynamic)");

/* The block major in use, fixed for the lifetime of the module. */
int sdm_major;

/*
 * Global events (a device created, removed or renamed, a table swapped, a
 * table event): poll() on the control device reports them.
 */
static atomic_t global_event_nr = ATOMIC_INIT(0);
DECLARE_WAIT_QUEUE_HEAD(sdm_global_eventq);

void sdm_issue_global_event(void)
{
	atomic_inc(&global_event_nr);
	wake_up(&sdm_global_eventq);
}

u32 sdm_global_event_nr(void)
{
	return atomic_read(&global_event_nr);
}

/* A table event of @md: DM_DEV_WAIT callers and poll() wake up. */
void sdm_md_event(struct mapped_device *md)
{
	atomic_inc(&md->event_nr);
	wake_up(&md->eventq);
	sdm_issue_global_event();
}

/* Teardowns that may not run where the last reference was dropped. */
static struct workqueue_struct *sdm_teardown_wq;
/* I/O that must be resubmitted from process context (flush, then data). */
static struct workqueue_struct *sdm_io_wq;

dev_t sdm_disk_devt(struct mapped_device *md)
{
	return MKDEV(sdm_major, md->minor);
}

bool sdm_suspended(struct mapped_device *md)
{
	return test_bit(DMF_SUSPENDED, &md->flags);
}

/* ---- the live table ---- */

struct sdm_table *sdm_get_live_table(struct mapped_device *md, int *srcu_idx)
	__acquires(md->io_barrier)
{
	*srcu_idx = srcu_read_lock(&md->io_barrier);
	return srcu_dereference(md->map, &md->io_barrier);
}

void sdm_put_live_table(struct mapped_device *md, int srcu_idx)
	__releases(md->io_barrier)
{
	srcu_read_unlock(&md->io_barrier, srcu_idx);
}

/* ---- in-flight accounting ---- */

/*
 * A snapshot, read without a lock while other CPUs count their own clones
 * in and out (this_cpu_inc/dec, which KCSAN does not see): the marked read
 * keeps the compiler from tearing or re-reading it and tells KCSAN the race
 * is intended.  A waiter that reads a stale sum is woken again by the
 * sdm_io_done() that changes it.
 */
static long sdm_in_flight(struct mapped_device *md)
{
	long sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += READ_ONCE(*per_cpu_ptr(md->pending, cpu));
	return sum;
}

/*
 * One unit of in-flight I/O finished.  The device may be torn down as soon
 * as the count reads zero, so the decrement and the wake-up run inside an
 * RCU read section and the teardown frees @md only after a grace period.
 */
static void sdm_io_done(struct mapped_device *md)
{
	rcu_read_lock();
	this_cpu_dec(*md->pending);
	if (unlikely(wq_has_sleeper(&md->wait)))
		wake_up(&md->wait);
	rcu_read_unlock();
}

/* ---- the queue's usage counter ---- */

/*
 * Every bio holds its queue's usage counter (q_usage_counter, a percpu_ref)
 * while it is being submitted.  add_disk() leaves the counter per-CPU, and
 * del_gendisk() kills it and waits for it to drain, which for a per-CPU
 * counter takes an RCU grace period: nearly all of a removal's time.
 * Killing a counter that is atomic already waits for nothing.
 *
 * Only a closed device can be removed, and nothing submits bios to a disk
 * that nobody holds open, so sdm keeps the counter atomic while open_count
 * is zero and per-CPU while it is not.  A removal then finds it atomic,
 * its switch's grace period long past.  The mode only decides speed: bios
 * are counted correctly in either.
 *
 * The switches run in usage_work, never in the open or release path: a
 * switch waits for a switch to atomic mode that is still in progress, and
 * an opener must not.  The work reads open_count when it runs, and a change
 * after that queues it again, so the last run sets the mode the last
 * change asked for.  Only the first switch, right after add_disk(), runs
 * in place (sdm_usage_atomic_after_add()): it saves a create the work's
 * round trip.
 */
static void sdm_usage_work(struct work_struct *work)
{
	struct mapped_device *md = container_of(work, struct mapped_device,
						usage_work);
	struct percpu_ref *usage = &md->disk->queue->q_usage_counter;

	if (atomic_read(&md->open_count))
		percpu_ref_switch_to_percpu(usage);
	else
		percpu_ref_switch_to_atomic(usage, NULL);
}

/* open_count went from zero to one or back. */
void sdm_usage_mode_changed(struct mapped_device *md)
{
	schedule_work(&md->usage_work);
}

/*
 * add_disk() has just made the counter per-CPU: make it atomic, unless an
 * opener came in meanwhile.  An opener counts itself before it queues
 * usage_work, and that work's switch and this one serialise on the
 * percpu_ref's own lock: if its switch to per-CPU mode ran first, its
 * count is seen below and the work runs again after this switch; if it
 * runs later, it switches back itself.
 */
static void sdm_usage_atomic_after_add(struct mapped_device *md)
{
	percpu_ref_switch_to_atomic(&md->disk->queue->q_usage_counter, NULL);
	if (atomic_read(&md->open_count))
		sdm_usage_mode_changed(md);
}

/* ---- the bio path ---- */

unsigned int sdm_bio_target_nr(const struct bio *clone)
{
	return container_of(clone, struct sdm_io, clone)->target_bio_nr;
}
EXPORT_SYMBOL_GPL(sdm_bio_target_nr);

static void sdm_clone_endio(struct bio *clone)
{
	struct sdm_io *io = container_of(clone, struct sdm_io, clone);
	struct mapped_device *md = io->md;
	struct bio *orig = io->orig;
	blk_status_t status = clone->bi_status;

	if (io->ti->type->end_io)
		io->ti->type->end_io(io->ti, clone, status);
	/*
	 * The clones of one bio (a split, a flush fan-out) can end at once on
	 * several CPUs: any error may win, and the marked store says the
	 * race between them is intended.
	 */
	if (unlikely(status))
		WRITE_ONCE(orig->bi_status, status);
	if (io->acct)
		sdm_io_acct_end(md->disk->part0, bio_op(orig), io->sectors,
				io->start_time);
	if (SDM_MUTANT(io_done_before_last_use)) {
		bio_endio(orig);
		sdm_io_done(md);
		sdm_delay(SDM_DELAY_AFTER_ENDIO);
		bio_put(clone);
		return;
	}
	bio_put(clone);
	bio_endio(orig);
	sdm_delay(SDM_DELAY_AFTER_ENDIO);
	sdm_io_done(md);
}

/* Sectors from @sector to the end of @ti or of its current I/O chunk. */
sector_t sdm_max_io_len(struct sdm_target *ti, sector_t sector)
{
	sector_t len = ti->begin + ti->len - sector;

	if (ti->max_io_len) {
		sector_t offset = sector - ti->begin;
		sector_t boundary = ti->max_io_len -
				    sector_div(offset, ti->max_io_len);

		len = min(len, boundary);
	}
	return len;
}

static bool target_supports(struct sdm_target *ti, struct bio *bio)
{
	/*
	 * Only a table whose targets all take REQ_NOWAIT gives the queue
	 * BLK_FEAT_NOWAIT, but a bio sent before a table swap may meet another.
	 */
	if ((bio->bi_opf & REQ_NOWAIT) &&
	    !(ti->type->features & SDM_TARGET_NOWAIT))
		return false;
	switch (bio_op(bio)) {
	case REQ_OP_READ:
	case REQ_OP_WRITE:
		return true;
	case REQ_OP_DISCARD:
	case REQ_OP_SECURE_ERASE:
		return ti->num_discard_bios;
	case REQ_OP_WRITE_ZEROES:
		return ti->num_write_zeroes_bios;
	default:
		return false;
	}
}

/*
 * Run @ti's ->map() on @bio (a clone, or a bio mapped in place, already
 * counted in flight) and do what it asks.
 */
static void map_and_send(struct sdm_target *ti, struct bio *bio)
{
	switch (ti->type->map(ti, bio)) {
	case SDM_MAPIO_REMAPPED:
		submit_bio_noacct(bio);
		break;
	case SDM_MAPIO_SUBMITTED:
		break;
	case SDM_MAPIO_KILL:
	default:
		bio->bi_status = BLK_STS_IOERR;
		bio_endio(bio);
		break;
	}
}

/*
 * Map @bio (which lies inside @ti) through @clone, a clone of it from
 * clone_bs.  The clone counts as in flight until sdm_clone_endio() runs;
 * it completes @bio, which may carry further clones (bio_inc_remaining()).
 */
static void map_clone(struct mapped_device *md, struct sdm_target *ti,
		      struct bio *bio, struct bio *clone,
		      unsigned int target_bio_nr, bool acct)
{
	struct sdm_io *io = container_of(clone, struct sdm_io, clone);

	io->md = md;
	io->ti = ti;
	io->orig = bio;
	io->target_bio_nr = target_bio_nr;
	io->acct = acct;
	if (acct) {
		io->sectors = bio_sectors(bio);
		io->start_time = sdm_io_acct_start(md->disk->part0,
						   bio_op(bio), io->sectors,
						   jiffies);
	}
	clone->bi_end_io = sdm_clone_endio;
	this_cpu_inc(*md->pending);

	map_and_send(ti, clone);
}

/*
 * A read or write inside one SDM_TARGET_IN_PLACE target needs no clone:
 * ->map() gets the bio itself, after its completion, private data, device
 * and position are set aside in a struct sdm_remap from md->remap_pool.
 * When the target's device completes it, sdm_remap_endio() gives it to
 * the target's ->end_io(), puts them back and completes it again, now to
 * its submitter.  bio_endio() allows that second run: the first released
 * the bio's cgroup, which the second then finds gone.  The bio counts as
 * in flight in between, like a clone.
 */
static void sdm_remap_endio(struct bio *bio)
{
	struct sdm_remap *rm = bio->bi_private;
	struct mapped_device *md = rm->md;

	if (rm->ti->type->end_io)
		rm->ti->type->end_io(rm->ti, bio, bio->bi_status);
	bio->bi_end_io = rm->end_io;
	bio->bi_private = rm->private;
	bio->bi_bdev = rm->bdev;
	bio->bi_iter = rm->iter;
	sdm_io_acct_end(md->disk->part0, bio_op(bio), bio_sectors(bio),
			rm->start_time);
	if (SDM_MUTANT(io_done_before_last_use)) {
		bio_endio(bio);
		sdm_io_done(md);
		sdm_delay(SDM_DELAY_AFTER_ENDIO);
		mempool_free(rm, &md->remap_pool);
		return;
	}
	mempool_free(rm, &md->remap_pool);
	bio_endio(bio);
	sdm_delay(SDM_DELAY_AFTER_ENDIO);
	sdm_io_done(md);
}

static bool remap_in_place(struct sdm_target *ti, struct bio *bio)
{
	return (ti->type->features & SDM_TARGET_IN_PLACE) &&
	       (bio_op(bio) == REQ_OP_READ || bio_op(bio) == REQ_OP_WRITE) &&
	       bio_sectors(bio) && !(bio->bi_opf & REQ_INTEGRITY);
}

/* Map @bio in place; @gfp as for a clone (see sdm_map_bio()). */
static void map_in_place(struct mapped_device *md, struct sdm_target *ti,
			 struct bio *bio, gfp_t gfp)
{
	struct sdm_remap *rm = mempool_alloc(&md->remap_pool, gfp);

	if (unlikely(!rm)) {
		bio_wouldblock_error(bio);
		return;
	}
	rm->md = md;
	rm->ti = ti;
	rm->end_io = bio->bi_end_io;
	rm->private = bio->bi_private;
	rm->bdev = bio->bi_bdev;
	rm->iter = bio->bi_iter;
	rm->start_time = sdm_io_acct_start(md->disk->part0, bio_op(bio),
					   bio_sectors(bio), jiffies);
	bio->bi_end_io = sdm_remap_endio;
	bio->bi_private = rm;
	this_cpu_inc(*md->pending);

	map_and_send(ti, bio);
}

static void clone_and_map(struct mapped_device *md, struct sdm_target *ti,
			  struct bio *bio, unsigned int target_bio_nr,
			  bool acct)
{
	map_clone(md, ti, bio,
		  bio_alloc_clone(bio->bi_bdev, bio, GFP_NOIO, &md->clone_bs),
		  target_bio_nr, acct);
}

/* ---- flushes ---- */

/*
 * A flush goes to every target, num_flush_bios times each, and all its
 * clones come from clone_bs, whose pool keeps only BIO_POOL_SIZE in
 * reserve.  Inside ->submit_bio a submitted clone is merely queued until
 * the call returns, so a fan-out there must not wait on the pool for a
 * clone while holding others: it takes every clone it needs without
 * sleeping, or none.  When the pool cannot give them at once the flush is
 * held for flush_work, which, outside any submission, allocates one clone
 * at a time and sends each on before taking the next, so the reserve
 * always refills from completions.  flush_work never runs twice at once,
 * so only one such fan-out per device waits on the pool.
 */
static unsigned int flush_clones(struct sdm_table *map)
{
	unsigned int i, clones = 0;

	for (i = 0; i < sdm_table_num_targets(map); i++)
		clones += sdm_table_get_target(map, i)->num_flush_bios;
	return clones;
}

/*
 * Send the empty flush @bio to every target, @count clones in all.  With
 * @clones (a list of @count clones) the clones are those; without, each is
 * allocated with GFP_NOIO and sent before the next (flush_work only).
 */
static void fan_out_flush(struct mapped_device *md, struct sdm_table *map,
			  struct bio *bio, struct bio_list *clones,
			  unsigned int count)
{
	unsigned int i, n;

	if (!count) {
		bio_endio(bio);
		return;
	}
	/* bio completes when the last of its clones does */
	for (n = 1; n < count; n++)
		bio_inc_remaining(bio);
	for (i = 0; i < sdm_table_num_targets(map); i++) {
		struct sdm_target *ti = sdm_table_get_target(map, i);

		for (n = 0; n < ti->num_flush_bios; n++) {
			if (clones)
				map_clone(md, ti, bio, bio_list_pop(clones), n,
					  false);
			else
				clone_and_map(md, ti, bio, n, false);
		}
	}
}

/* Hand @bio (a flush, or a write with REQ_PREFLUSH) to flush_work. */
static void hold_flush(struct mapped_device *md, struct bio *bio)
{
	unsigned long flags;

	this_cpu_inc(*md->pending);	/* until flush_work sent it on */
	spin_lock_irqsave(&md->deferred_lock, flags);
	bio_list_add(&md->held_flushes, bio);
	spin_unlock_irqrestore(&md->deferred_lock, flags);
	queue_work(sdm_io_wq, &md->flush_work);
}

/* The empty flush @bio, from ->submit_bio: see "flushes" above. */
static void send_empty_flush(struct mapped_device *md, struct sdm_table *map,
			     struct bio *bio)
{
	unsigned int n, count = flush_clones(map);
	struct bio_list clones;
	struct bio *clone;

	bio_list_init(&clones);
	for (n = 0; n < count; n++) {
		clone = bio_alloc_clone(bio->bi_bdev, bio, GFP_NOWAIT,
					&md->clone_bs);
		if (!clone) {
			while ((clone = bio_list_pop(&clones)))
				bio_put(clone);
			hold_flush(md, bio);
			return;
		}
		bio_list_add(&clones, clone);
	}
	fan_out_flush(md, map, bio, &clones, count);
}

/* Move every bio of @from (a list under deferred_lock) to @to. */
static void take_bios(struct mapped_device *md, struct bio_list *from,
		      struct bio_list *to)
{
	spin_lock_irq(&md->deferred_lock);
	*to = *from;
	bio_list_init(from);
	spin_unlock_irq(&md->deferred_lock);
}

/*
 * A flush with data on a table over several devices: every device is
 * flushed first, and the data goes out (without the flush) only once all
 * flushes completed, so it cannot become durable before the writes the
 * flush orders it after.  The flush is an empty bio, a carrier from
 * clone_bs that points at the original; the original counts as in flight
 * meanwhile.
 */
static void flush_then_data_endio(struct bio *flush)
{
	struct sdm_io *io = container_of(flush, struct sdm_io, clone);
	struct mapped_device *md = io->md;
	struct bio *orig = io->orig;
	blk_status_t status = flush->bi_status;
	unsigned long flags;

	bio_put(flush);
	if (status) {
		orig->bi_status = status;
		bio_endio(orig);
		sdm_io_done(md);
		return;
	}
	orig->bi_opf &= ~REQ_PREFLUSH;
	spin_lock_irqsave(&md->deferred_lock, flags);
	bio_list_add(&md->flushed, orig);
	spin_unlock_irqrestore(&md->deferred_lock, flags);
	queue_work(sdm_io_wq, &md->flush_work);
}

/* The carrier of @bio's flush, or NULL if @gfp cannot get one. */
static struct bio *flush_carrier(struct mapped_device *md, struct bio *bio,
				 gfp_t gfp)
{
	struct bio *flush;
	struct sdm_io *io;

	flush = bio_alloc_bioset(bio->bi_bdev, 0,
				 REQ_OP_WRITE | REQ_PREFLUSH | REQ_SYNC,
				 gfp, &md->clone_bs);
	if (!flush)
		return NULL;
	io = container_of(flush, struct sdm_io, clone);
	io->md = md;
	io->ti = NULL;
	io->orig = bio;
	flush->bi_end_io = flush_then_data_endio;
	this_cpu_inc(*md->pending);
	return flush;
}

static void flush_then_data(struct mapped_device *md, struct sdm_table *map,
			    struct bio *bio)
{
	struct bio *flush = flush_carrier(md, bio, GFP_NOWAIT);

	if (flush)
		send_empty_flush(md, map, flush);
	else
		hold_flush(md, bio);
}

/* Send held flushes one clone at a time, then resubmit flushed data. */
static void sdm_flush_work(struct work_struct *work)
{
	struct mapped_device *md = container_of(work, struct mapped_device,
						flush_work);
	struct sdm_table *map;
	struct bio_list list;
	struct bio *bio;
	int idx;

	take_bios(md, &md->held_flushes, &list);
	if (!bio_list_empty(&list)) {
		/* a held flush keeps suspend (and so a table swap) waiting */
		map = sdm_get_live_table(md, &idx);
		while ((bio = bio_list_pop(&list))) {
			/* a write with data is flushed through a carrier */
			if (bio_sectors(bio))
				bio = flush_carrier(md, bio, GFP_NOIO);
			fan_out_flush(md, map, bio, NULL, flush_clones(map));
			sdm_io_done(md);
		}
		sdm_put_live_table(md, idx);
	}

	take_bios(md, &md->flushed, &list);
	while ((bio = bio_list_pop(&list))) {
		submit_bio_noacct(bio);
		sdm_io_done(md);
	}
}

static void sdm_map_bio(struct mapped_device *md, struct sdm_table *map,
			struct bio *bio)
{
	struct sdm_target *ti;
	struct bio *clone;
	sector_t len;
	gfp_t gfp;

	if (unlikely(bio->bi_opf & REQ_PREFLUSH)) {
		if (!bio_sectors(bio)) {
			send_empty_flush(md, map, bio);
			return;
		}
		/*
		 * Every target maps onto one device, which flushes before
		 * it writes: pass it through.
		 */
		if (!sdm_table_single_device(map)) {
			flush_then_data(md, map, bio);
			return;
		}
	}

	ti = sdm_table_find_target(map, bio->bi_iter.bi_sector);
	if (unlikely(!ti)) {
		bio_io_error(bio);	/* beyond the end of the table */
		return;
	}
	if (unlikely(!target_supports(ti, bio))) {
		bio->bi_status = BLK_STS_NOTSUPP;
		bio_endio(bio);
		return;
	}

	/*
	 * A bio with REQ_NOWAIT gets its split and clone only from what the
	 * pools hold at hand, and without them ends with BLK_STS_AGAIN for its
	 * submitter to retry where it may wait; otherwise the pools' reserves
	 * guarantee both.
	 */
	gfp = bio->bi_opf & REQ_NOWAIT ? GFP_NOWAIT : GFP_NOIO;

	/* Split at the target (or chunk) boundary; the rest comes back. */
	len = sdm_max_io_len(ti, bio->bi_iter.bi_sector);
	if (bio_sectors(bio) > len) {
		struct bio *split = bio_split(bio, len, gfp, &md->split_bs);

		if (unlikely(!split)) {
			bio_wouldblock_error(bio);
			return;
		}
		bio_chain(split, bio);
		submit_bio_noacct(bio);
		bio = split;
	}
	if (SDM_FLOOR) {
		/* make bench's floor probe: remap in place, nothing else */
		int r = ti->type->map(ti, bio);

		if (r == SDM_MAPIO_REMAPPED)
			submit_bio_noacct(bio);
		else if (r != SDM_MAPIO_SUBMITTED)
			bio_io_error(bio);
		return;
	}
	if (remap_in_place(ti, bio)) {
		map_in_place(md, ti, bio, gfp);
		return;
	}
	clone = bio_alloc_clone(bio->bi_bdev, bio, gfp, &md->clone_bs);
	if (unlikely(!clone)) {
		bio_wouldblock_error(bio);
		return;
	}
	map_clone(md, ti, bio, clone, 0, true);
}

/*
 * Hold @bio until the resume.  The flag is checked again under
 * deferred_lock: a resume clears it before it takes the list under that
 * lock, so a bio either makes it into the list the resume takes or finds
 * the flag clear and is sent again, to the table live by then.
 */
static void defer_bio(struct mapped_device *md, struct bio *bio)
{
	unsigned long flags;
	bool held;

	spin_lock_irqsave(&md->deferred_lock, flags);
	held = test_bit(DMF_BLOCK_IO_FOR_SUSPEND, &md->flags);
	if (held)
		bio_list_add(&md->deferred, bio);
	spin_unlock_irqrestore(&md->deferred_lock, flags);
	if (!held)
		submit_bio_noacct(bio);
}

void sdm_submit_bio(struct bio *bio)
{
	/* read without _minor_lock: the last put clears it with WRITE_ONCE */
	struct mapped_device *md = READ_ONCE(bio->bi_bdev->bd_disk->private_data);
	struct sdm_table *map;
	int idx;

	/* Only once the last reference is gone, and then no bio comes. */
	if (unlikely(!md)) {
		bio_io_error(bio);
		return;
	}

	map = sdm_get_live_table(md, &idx);
	if (unlikely(test_bit(DMF_BLOCK_IO_FOR_SUSPEND, &md->flags))) {
		if (bio->bi_opf & REQ_NOWAIT)
			bio_wouldblock_error(bio);
		else if (bio->bi_opf & REQ_RAHEAD)
			bio_io_error(bio);
		else
			defer_bio(md, bio);
	} else if (unlikely(!map) && !SDM_MUTANT(io_without_table)) {
		bio_io_error(bio);
	} else {
		sdm_map_bio(md, map, bio);
	}
	sdm_put_live_table(md, idx);
}

/* Resubmit what was held back while suspended. */
static void submit_deferred(struct mapped_device *md)
{
	struct bio_list list;
	struct bio *bio;

	take_bios(md, &md->deferred, &list);
	while ((bio = bio_list_pop(&list)))
		submit_bio_noacct(bio);
}

/* ---- suspend and resume ---- */

/*
 * Let new bios through again and send the ones held back.  A submitter
 * that saw the flag set and queues its bio after this took the list finds
 * the flag clear under deferred_lock (see defer_bio()), so no grace period
 * is needed here.
 */
static void unblock_io(struct mapped_device *md)
{
	clear_bit(DMF_BLOCK_IO_FOR_SUSPEND, &md->flags);
	submit_deferred(md);
}

static void unlock_fs(struct mapped_device *md)
{
	if (test_and_clear_bit(DMF_FROZEN, &md->flags))
		bdev_thaw(md->disk->part0);
}

static int __suspend(struct mapped_device *md, bool lockfs, bool noflush)
{
	bool has_map = rcu_access_pointer(md->map);
	int r;

	lockdep_assert_held(&md->suspend_lock);

	if (!has_map)
		lockfs = false;		/* nothing can be mounted on it */
	if (noflush) {
		set_bit(DMF_NOFLUSH_SUSPENDING, &md->flags);
		lockfs = false;
	}

	/*
	 * From here to the resume a memory failure is held for the filesystem
	 * instead of being forwarded to it: its handler may do I/O, which
	 * would wait for the resume inside the kernel's dax_srcu section and
	 * stall every kill_dax() meanwhile.  Forwards already running finish
	 * first, while I/O still flows.
	 */
	r = sdm_dax_hold_failures(md);
	if (r)
		goto out_clear_noflush;

	if (lockfs) {
		r = bdev_freeze(md->disk->part0);
		if (r)
			goto out_clear_noflush;
		set_bit(DMF_FROZEN, &md->flags);
	}

	/*
	 * Hold new bios back, wait until every submitter that did not see the
	 * flag has counted its clones, then wait for the count to drain.
	 */
	set_bit(DMF_BLOCK_IO_FOR_SUSPEND, &md->flags);
	/*
	 * Without a table a submitter that missed the flag fails its bio and
	 * counts nothing; the first table is published (a release) after the
	 * flag is set.  That spares a new device's first resume the wait.
	 */
	if (has_map) {
		synchronize_srcu(&md->io_barrier);
		if (!SDM_MUTANT(suspend_without_drain))
			r = wait_event_interruptible(md->wait,
						     !sdm_in_flight(md));
		if (r)
			goto out_unblock;
	}

	set_bit(DMF_SUSPENDED, &md->flags);
	clear_bit(DMF_NOFLUSH_SUSPENDING, &md->flags);
	return 0;

out_unblock:
	unblock_io(md);
	unlock_fs(md);
out_clear_noflush:
	clear_bit(DMF_NOFLUSH_SUSPENDING, &md->flags);
	return r;
}

/**
 * sdm_suspend() - suspend a device
 * @md: the device, referenced by the caller
 * @lockfs: freeze the filesystem on top first
 * @noflush: neither freeze nor flush (implies !@lockfs)
 *
 * Return: 0 (also if already suspended), -ERESTARTSYS if a signal
 * interrupted the wait for in-flight I/O or for a memory failure being
 * forwarded, or the freeze error.
 */
int sdm_suspend(struct mapped_device *md, bool lockfs, bool noflush)
{
	int r = 0;

	mutex_lock(&md->suspend_lock);
	if (!sdm_suspended(md))
		r = __suspend(md, lockfs, noflush);
	mutex_unlock(&md->suspend_lock);
	/* a failed suspend tells the filesystem what it held meanwhile */
	if (r)
		sdm_dax_release_failures(md);
	return r;
}
EXPORT_SYMBOL_IF_KUNIT(sdm_suspend);

/* Give @md's queue the limits stacked from @t's devices and targets. */
static int set_table_limits(struct mapped_device *md, struct sdm_table *t)
{
	struct sdm_limits lim;
	int r;

	r = sdm_table_limits(t, &lim);
	if (r)
		return r;
	r = sdm_limits_set(md->disk, &lim);
	if (!r)
		sdm_table_set_dax_flags(t);
	return r;
}

/* Make @t the live table of the suspended @md; return the old one. */
static int bind_table(struct mapped_device *md, struct sdm_table *t,
		      struct sdm_table **old)
{
	sector_t size = sdm_table_size(t);
	int r;

	lockdep_assert_held(&md->suspend_lock);

	/*
	 * A table without devices (zero, error) keeps the limits the device
	 * has, so an LV replaced by an error table keeps its queue shape.
	 */
	if (sdm_table_has_devices(t) || !rcu_access_pointer(md->map)) {
		r = set_table_limits(md, t);
		if (r)
			return r;
	} else {
		/*
		 * But it maps no DAX page (queue/dax says so, as on dm_mod),
		 * takes REQ_NOWAIT if its targets do, and on kernels where dm
		 * took the write cache from the table's devices, has none
		 * (SDM_FEAT_NOT_KEPT).
		 */
		struct sdm_limits lim;

		sdm_limits_start_update(md->disk, &lim);
		sdm_lim_features(&lim) &= ~SDM_FEAT_NOT_KEPT;
		if (sdm_table_nowait_targets(t))
			sdm_lim_features(&lim) |= BLK_FEAT_NOWAIT;
		r = sdm_limits_commit_update(md->disk, &lim);
		if (r)
			return r;
	}

	if (size != get_capacity(md->disk))
		memset(&md->geometry, 0, sizeof(md->geometry));
	set_capacity(md->disk, size);
	set_disk_ro(md->disk, sdm_table_read_only(t));
	*old = rcu_replace_pointer(md->map, t,
				   lockdep_is_held(&md->suspend_lock));
	/*
	 * Readers that saw the old table are done with it.  A first table
	 * replaces none: a reader that saw no table failed its bio.
	 */
	if (*old && !SDM_MUTANT(table_swap_without_grace))
		synchronize_srcu(&md->io_barrier);
	sdm_issue_global_event();
	return 0;
}

/**
 * sdm_resume() - swap in a new table (if any) and resume
 * @md: the device, referenced by the caller
 * @new_map: the table to make live, or NULL; needs @md suspended
 * @res: what happened: the replaced table (for the caller to destroy),
 *	whether the device was resumed, whether its size changed
 *
 * A device that is not suspended and gets no new table is left alone.
 *
 * Return: 0; -EINVAL if @new_map is given and @md is not suspended, or if
 * there is no live table to resume with; or the error of applying
 * @new_map's queue limits (the device then stays suspended and the caller
 * still owns @new_map).
 */
int sdm_resume(struct mapped_device *md, struct sdm_table *new_map,
	       struct sdm_resume_result *res)
{
	struct sdm_table *map;
	sector_t old_size;
	int r = 0;

	memset(res, 0, sizeof(*res));
	mutex_lock(&md->suspend_lock);

	if (new_map) {
		if (!sdm_suspended(md)) {
			r = -EINVAL;
			goto out_unlock;
		}
		old_size = get_capacity(md->disk);
		r = bind_table(md, new_map, &res->old_map);
		if (r)
			goto out_unlock;
		res->resized = old_size && old_size != get_capacity(md->disk);
	}

	if (!sdm_suspended(md))
		goto out_unlock;

	map = rcu_dereference_protected(md->map,
					lockdep_is_held(&md->suspend_lock));
	if (!map || !sdm_table_size(map)) {
		r = -EINVAL;
		goto out_unlock;
	}

	clear_bit(DMF_SUSPENDED, &md->flags);
	unblock_io(md);
	unlock_fs(md);
	res->resumed = true;

out_unlock:
	mutex_unlock(&md->suspend_lock);
	/*
	 * Memory failures held while the device was suspended go to its
	 * filesystem now, through the table that is live now, outside
	 * suspend_lock: its handler may do I/O, or suspend the device again.
	 */
	if (res->resumed)
		sdm_dax_release_failures(md);
	return r;
}
EXPORT_SYMBOL_IF_KUNIT(sdm_resume);

/**
 * sdm_set_geometry() - set what HDIO_GETGEO reports
 * @md: the device
 * @geo: the geometry; its start must lie inside cylinders * heads * sectors
 *
 * Return: 0 or -EINVAL.
 */
int sdm_set_geometry(struct mapped_device *md, struct hd_geometry *geo)
{
	sector_t size = (sector_t)geo->cylinders * geo->heads * geo->sectors;

	if (geo->start > size) {
		pr_err_ratelimited("%s: start sector is beyond the geometry\n",
				   md->disk->disk_name);
		return -EINVAL;
	}
	mutex_lock(&md->suspend_lock);
	md->geometry = *geo;
	mutex_unlock(&md->suspend_lock);
	return 0;
}

/**
 * sdm_kobject_uevent() - send a uevent for the device's disk
 * @md: the device
 * @action: KOBJ_CHANGE or KOBJ_REMOVE
 * @cookie: libdevmapper's udev cookie (the request's event_nr), 0 for none
 * @resized: add RESIZE=1
 *
 * Return: 0 if the uevent went out (the caller then reports
 * DM_UEVENT_GENERATED_FLAG), or the error: a device whose disk was never
 * added has nothing to send it for.
 */
int sdm_kobject_uevent(struct mapped_device *md, enum kobject_action action,
		       u32 cookie, bool resized)
{
	char cookie_env[sizeof("DM_COOKIE=") + 10];
	char resize_env[] = "RESIZE=1";
	char *envp[3] = { NULL, NULL, NULL };
	unsigned int noio, n = 0;
	int r;

	if (cookie) {
		snprintf(cookie_env, sizeof(cookie_env), "DM_COOKIE=%u", cookie);
		envp[n++] = cookie_env;
	}
	if (resized)
		envp[n++] = resize_env;

	/* a uevent allocates; it must not recurse into I/O on a device */
	noio = memalloc_noio_save();
	r = kobject_uevent_env(&disk_to_dev(md->disk)->kobj, action, envp);
	memalloc_noio_restore(noio);
	return r;
}

/* ---- creation and teardown ---- */

/* Numbers devices in the order they were created, from 1. */
static atomic64_t created_seq = ATOMIC64_INIT(0);

/* The number of the most recently created device (0: none yet). */
u64 sdm_created_seq(void)
{
	return atomic64_read(&created_seq);
}

/**
 * sdm_setup_disk() - make the device visible with its first table
 * @md: the device; md->type_lock held
 * @t: the table being loaded
 *
 * Like dm_mod, sdm registers the gendisk at the first table load: the
 * queue limits then describe the underlying devices from the start, and a
 * device that never gets a table never appears in /dev or sysfs.  The
 * device was complete long before (rule 2).  Table devices opened before
 * add_disk() get their holder links here.
 *
 * If the holder links or dm/ cannot be made once the disk is added, the
 * disk is deleted again, so that no disk stays visible without them.  A
 * gendisk cannot be added twice (nor again after add_disk() failed: its
 * queue's kobject stays initialised), so the device is then left without
 * a disk: it stays listed and removable, and refuses every later table
 * (Documentation/lifetime.rst).
 *
 * Return: 0, or the error of the limits, add_disk(), the links or dm/;
 * -ENXIO for a device left without a disk.
 */
int sdm_setup_disk(struct mapped_device *md, struct sdm_table *t)
{
	int r;

	lockdep_assert_held(&md->type_lock);
	if (test_bit(DMF_DISK_ADDED, &md->flags))
		return 0;
	if (test_bit(DMF_NO_DISK, &md->flags)) {
		pr_err_ratelimited("%s: the device lost its disk to an earlier error: remove it\n",
				   md->disk->disk_name);
		return -ENXIO;
	}

	if (!SDM_MUTANT(add_disk_before_limits)) {
		r = set_table_limits(md, t);
		if (r)
			return r;
	}

	sdm_delay(SDM_DELAY_SETUP_DISK);
	mutex_lock(&md->table_devices_lock);
	r = add_disk(md->disk);
	if (r) {
		/* its queue kobject stays initialised: it cannot be added again */
		mutex_unlock(&md->table_devices_lock);
		goto out_no_disk;
	}
	set_bit(DMF_DISK_ADDED, &md->flags);
	sdm_usage_atomic_after_add(md);
	/* an added disk gets ->free_disk() at its last put */
	sdm_expect_release();
	/* mutant add_disk_before_limits: a visible disk with default limits */
	if (SDM_MUTANT(add_disk_before_limits)) {
		sdm_delay(SDM_DELAY_SETUP_DISK);
		set_table_limits(md, t);
	}
	r = sdm_table_link_holders(md);
	mutex_unlock(&md->table_devices_lock);
	if (r)
		goto out_del_disk;
	r = sdm_sysfs_init(md);
	if (r)
		goto out_del_disk;
	return 0;

out_del_disk:
	sdm_table_unlink_holders(md);
	del_gendisk(md->disk);
	clear_bit(DMF_DISK_ADDED, &md->flags);
out_no_disk:
	pr_err_ratelimited("%s: cannot set up the disk (%d): remove the device\n",
			   md->disk->disk_name, r);
	set_bit(DMF_NO_DISK, &md->flags);
	return r;
}
EXPORT_SYMBOL_IF_KUNIT(sdm_setup_disk);

/*
 * Late releases: the dm/ kobject and the gendisk are released at their
 * last put, which can come after the device's teardown and runs sdm code
 * (sdm_sysfs_release(), sdm_blk_free_disk()).  Each one expected is
 * counted here, and module exit waits until all have run, so no release
 * enters the module after it is gone (3.1.4).
 */
static atomic_t sdm_late_releases = ATOMIC_INIT(0);
static DECLARE_WAIT_QUEUE_HEAD(sdm_late_releases_wait);

void sdm_expect_release(void)
{
	atomic_inc(&sdm_late_releases);
}

/*
 * After the wake-up the caller only returns, through a few instructions of
 * this module; unload tears down the module's sysfs and waits for an RCU
 * grace period before it frees the text, the margin that every release
 * function in a module relies on.
 */
void sdm_release_done(void)
{
	sdm_delay(SDM_DELAY_LATE_RELEASE);
	if (atomic_dec_and_test(&sdm_late_releases))
		wake_up(&sdm_late_releases_wait);
}

static void sdm_teardown_work(struct work_struct *work)
{
	sdm_teardown(container_of(work, struct mapped_device, free_work));
}

/**
 * sdm_create() - build a mapped device and publish its minor
 * @minor: the minor wanted, or -1 for the lowest free one
 * @mdp: set to the device, with one reference for the caller
 *
 * Rules 1, 2 and 6: the minor is reserved with a placeholder, everything
 * is initialised, then the device is published; it pins the module until
 * its teardown.
 *
 * Return: 0, -EBUSY if @minor is taken, or another negative errno.
 */
int sdm_create(int minor, struct mapped_device **mdp)
{
	struct sdm_limits lim = {};
	struct mapped_device *md;
	int r;

	sdm_lim_features(&lim) = BLK_FEAT_IO_STAT;
	md = kzalloc(sizeof(*md), GFP_KERNEL);
	if (!md)
		return -ENOMEM;

	/* The ioctl caller holds the control file, so this cannot fail. */
	if (!SDM_MUTANT(no_module_ref) && !try_module_get(THIS_MODULE)) {
		r = -ENODEV;
		goto out_free_md;
	}

	r = sdm_minor_reserve(minor);
	if (r < 0)
		goto out_module_put;
	md->minor = r;
	if (SDM_MUTANT(publish_before_init))
		sdm_minor_publish(md);
	sdm_delay(SDM_DELAY_RESERVED);

	r = init_srcu_struct(&md->io_barrier);
	if (r)
		goto out_release_minor;

	atomic_set(&md->holders, 1);
	atomic_set(&md->open_count, 0);
	md->created = atomic64_inc_return(&created_seq);
	atomic_set(&md->event_nr, 0);
	mutex_init(&md->type_lock);
	mutex_init(&md->suspend_lock);
	mutex_init(&md->table_devices_lock);
	INIT_LIST_HEAD(&md->table_devices);
	init_waitqueue_head(&md->wait);
	init_waitqueue_head(&md->eventq);
	spin_lock_init(&md->deferred_lock);
	spin_lock_init(&md->dax_failures_lock);
	INIT_LIST_HEAD(&md->dax_failures);
	bio_list_init(&md->deferred);
	bio_list_init(&md->flushed);
	bio_list_init(&md->held_flushes);
	INIT_WORK(&md->flush_work, sdm_flush_work);
	INIT_WORK(&md->usage_work, sdm_usage_work);
	INIT_WORK(&md->free_work, sdm_teardown_work);

	md->pending = alloc_percpu(long);
	if (!md->pending) {
		r = -ENOMEM;
		goto out_cleanup_srcu;
	}

	r = bioset_init(&md->clone_bs, BIO_POOL_SIZE,
			offsetof(struct sdm_io, clone), BIOSET_PERCPU_CACHE);
	if (r)
		goto out_free_pending;
	r = bioset_init(&md->split_bs, BIO_POOL_SIZE, 0, 0);
	if (r)
		goto out_exit_clone_bs;
	r = mempool_init_kmalloc_pool(&md->remap_pool, BIO_POOL_SIZE,
				      sizeof(struct sdm_remap));
	if (r)
		goto out_exit_split_bs;

	/* default limits until the first table brings its devices' ones */
	md->disk = sdm_alloc_disk(&lim, NUMA_NO_NODE);
	if (IS_ERR(md->disk)) {
		r = PTR_ERR(md->disk);
		goto out_exit_remap_pool;
	}
	md->disk->major = sdm_major;
	md->disk->first_minor = md->minor;
	md->disk->minors = 1;
	md->disk->flags |= GENHD_FL_NO_PART;
	md->disk->fops = &sdm_blk_dops;
	md->disk->private_data = md;
	snprintf(md->disk->disk_name, DISK_NAME_LEN, "dm-%d", md->minor);

	/* its dax_device comes with its first DAX table (sdm_dax_check_type) */
	if (!SDM_MUTANT(publish_before_init))
		sdm_minor_publish(md);
	*mdp = md;
	return 0;

out_exit_remap_pool:
	mempool_exit(&md->remap_pool);
out_exit_split_bs:
	bioset_exit(&md->split_bs);
out_exit_clone_bs:
	bioset_exit(&md->clone_bs);
out_free_pending:
	free_percpu(md->pending);
out_cleanup_srcu:
	cleanup_srcu_struct(&md->io_barrier);
out_release_minor:
	sdm_minor_release(md->minor);
out_module_put:
	if (!SDM_MUTANT(no_module_ref))
		module_put(THIS_MODULE);
out_free_md:
	kfree(md);
	return r;
}
EXPORT_SYMBOL_IF_KUNIT(sdm_create);

/**
 * sdm_teardown() - free a device whose last reference is gone
 * @md: the device, already unpublished by the last put (rule 3)
 *
 * Runs where the last reference was dropped if that context may sleep, or
 * from sdm_teardown_wq.  Either way the module cannot go away underneath:
 * an ioctl caller holds the control file, and module exit flushes the
 * work queue.  The minor is given back only once the disk is gone, so a
 * new device can never collide with the old one's dm-N name.
 */
void sdm_teardown(struct mapped_device *md)
{
	struct sdm_table *map;
	struct bio *bio;

	might_sleep();

	if (SDM_MUTANT(minor_released_before_disk_gone))
		sdm_minor_release(md->minor);
	sdm_delay(SDM_DELAY_UNPUBLISHED);
	/* a device suspended with lockfs whose filesystem went away */
	unlock_fs(md);
	/* no open or release is left to queue it again */
	cancel_work_sync(&md->usage_work);
	if (test_bit(DMF_DISK_ADDED, &md->flags)) {
		sdm_sysfs_exit(md);
		sdm_table_unlink_holders(md);
		del_gendisk(md->disk);
	}

	/* No opener is left and the disk is gone: only completions remain. */
	wait_event(md->wait, !sdm_in_flight(md));
	flush_work(&md->flush_work);
	while ((bio = bio_list_pop(&md->deferred)))
		bio_io_error(bio);

	/*
	 * The table's devices give up their DAX holders (fs_put_dax()) before
	 * kill_dax() of our own dax_device waits for the kernel's dax_srcu:
	 * no notification that loaded sdm's holder_ops before that is left
	 * once it returns.  Module exit does the same for devices without one.
	 */
	map = rcu_dereference_protected(md->map, true);
	RCU_INIT_POINTER(md->map, NULL);
	if (map)
		sdm_table_destroy(map);
	sdm_dax_kill(md);
	sdm_dax_free(md);
	/* held for a filesystem that is gone with the disk */
	sdm_dax_drop_failures(md);

	put_disk(md->disk);
	mempool_exit(&md->remap_pool);
	bioset_exit(&md->split_bs);
	bioset_exit(&md->clone_bs);
	free_percpu(md->pending);
	cleanup_srcu_struct(&md->io_barrier);
	if (!SDM_MUTANT(minor_released_before_disk_gone))
		sdm_minor_release(md->minor);
	/* a completion may still be leaving its RCU section: see sdm_io_done */
	kfree_rcu(md, rcu);

	if (!SDM_MUTANT(no_module_ref))
		module_put(THIS_MODULE);
}

void sdm_queue_teardown(struct mapped_device *md)
{
	queue_work(sdm_teardown_wq, &md->free_work);
}

/**
 * sdm_wait_for_holders() - wait until the caller's references are the last
 * @md: a device marked DMF_DELETING, so that no lookup, open or sysfs
 *	access takes a new reference; those already taken are dropped soon
 * @refs: how many references the caller holds
 *
 * A remover wakes DM_DEV_WAIT callers first (sdm_md_event()), whose
 * reference would otherwise hold it up.  Every put of a deleting device
 * wakes us, so nothing polls a counter; the wait is killable, so a holder
 * that never lets go cannot leave its remover unkillable.
 *
 * Return: 0, or -EINTR if a fatal signal came first.
 */
int sdm_wait_for_holders(struct mapped_device *md, int refs)
{
	if (wait_event_killable(md->wait, atomic_read(&md->holders) == refs))
		return -EINTR;
	return 0;
}

/**
 * sdm_destroy() - drop the only reference of a device outside the index
 * @md: a device from sdm_create() that never got a cell (KUnit)
 *
 * The teardown runs here.
 */
void sdm_destroy(struct mapped_device *md)
{
	dm_put(md);
}
EXPORT_SYMBOL_IF_KUNIT(sdm_destroy);

/* ---- module ---- */

/*
 * The built-in targets, registered in this order; listings show the most
 * recent registration first (zero, striped, linear, error), as dm_mod's.
 */
static const struct {
	int (*init)(void);
	void (*exit)(void);
} sdm_builtin_targets[] = {
	{ sdm_error_init, sdm_error_exit },
	{ sdm_linear_init, sdm_linear_exit },
	{ sdm_stripe_init, sdm_stripe_exit },
	{ sdm_zero_init, sdm_zero_exit },
};

static int __init sdm_targets_init(void)
{
	unsigned int i;
	int r;

	for (i = 0; i < ARRAY_SIZE(sdm_builtin_targets); i++) {
		r = sdm_builtin_targets[i].init();
		if (r)
			goto out_exit_registered;
	}
	return 0;

out_exit_registered:
	while (i--)
		sdm_builtin_targets[i].exit();
	return r;
}

static void sdm_targets_exit(void)
{
	unsigned int i = ARRAY_SIZE(sdm_builtin_targets);

	while (i--)
		sdm_builtin_targets[i].exit();
}

static int __init sdm_init(void)
{
	int r;

	r = register_blkdev(major, SDM_NAME);
	if (r < 0) {
		pr_err("cannot register block major %d: %d\n", major, r);
		return r;
	}
	sdm_major = major ? major : r;

	r = -ENOMEM;
	sdm_teardown_wq = alloc_workqueue("sdm_teardown", WQ_UNBOUND, 0);
	if (!sdm_teardown_wq)
		goto out_unregister_blkdev;
	sdm_io_wq = alloc_workqueue("sdm_io", WQ_MEM_RECLAIM, 0);
	if (!sdm_io_wq)
		goto out_destroy_teardown_wq;

	r = sdm_targets_init();
	if (r)
		goto out_destroy_io_wq;

	r = sdm_ioctl_init();
	if (r)
		goto out_targets_exit;
	/* a test build's delay points (nothing in a product build) */
	sdm_test_init();

	pr_info("%d.%d.%d%s initialised, block major %d\n",
		DM_VERSION_MAJOR, DM_VERSION_MINOR, DM_VERSION_PATCHLEVEL,
		DM_VERSION_EXTRA, sdm_major);
	return 0;

out_targets_exit:
	sdm_targets_exit();
out_destroy_io_wq:
	destroy_workqueue(sdm_io_wq);
out_destroy_teardown_wq:
	destroy_workqueue(sdm_teardown_wq);
out_unregister_blkdev:
	unregister_blkdev(sdm_major, SDM_NAME);
	return r;
}

static void __exit sdm_exit(void)
{
	sdm_test_exit();
	sdm_ioctl_exit();
	sdm_targets_exit();
	/* every device is gone (each pinned the module); finish teardowns */
	destroy_workqueue(sdm_teardown_wq);
	sdm_dax_exit();
	destroy_workqueue(sdm_io_wq);
	sdm_minor_exit();
	unregister_blkdev(sdm_major, SDM_NAME);
	/* mutant exit_before_late_releases: a release may run in a freed module */
	if (!SDM_MUTANT(exit_before_late_releases))
		wait_event(sdm_late_releases_wait,
			   !atomic_read(&sdm_late_releases));
}

module_init(sdm_init);
module_exit(sdm_exit);

MODULE_DESCRIPTION("sdm: a race-safe device-mapper core");
MODULE_AUTHOR("The sdm developers");
MODULE_LICENSE("GPL");
