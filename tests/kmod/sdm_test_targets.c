// SPDX-License-Identifier: GPL-2.0-only
/*
 * sdm_test_targets.ko - test-only target types for the VM suites.
 *
 * Registers "count" placeholder target types named sdmtestN with version
 * 1.N.7, so the suites can check DM_LIST_VERSIONS, DM_GET_TARGET_VERSION
 * and libdevmapper's DM_BUFFER_FULL_FLAG retry through the real dmsetup.
 * The types have no mapping functions and are never shipped.
 *
 * With hold=1 it also registers "sdmhold": a target that fails all I/O
 * and takes one message, "hold", which sleeps until the caller gets a
 * signal.  DM_TARGET_MSG holds a reference on the mapped device while it
 * runs, so a test gets a holder that lets go only when it says so.
 *
 * With defer=1 it also registers "sdmdefer <dev> <start> <ms>": linear,
 * but every bio waits <ms> milliseconds in a work item before it goes to
 * <dev>, so I/O stays in flight for a while and completes in process
 * context (a kworker), not in its submitter's.  "sdmdeferip" is the same
 * target with SDM_TARGET_IN_PLACE: the core hands it the submitted bios
 * themselves instead of clones.  The waiting bios belong
 * to the module, not to a table: a table destroyed early (a mutant that
 * does not drain I/O before a swap) leaves them to complete later.
 */
#include <linux/blkdev.h>
#include <linux/delay.h>
#include <linux/module.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/wait.h>

#include "sdm.h"

#define TEST_TARGETS_MAX	4096

struct test_target {
	struct sdm_target_type type;
	char name[DM_MAX_TYPE_NAME];
};

static unsigned int count = 1;
module_param(count, uint, 0444);
MODULE_PARM_DESC(count, "number of target types to register (1-4096)");

static bool hold;
module_param(hold, bool, 0444);
MODULE_PARM_DESC(hold, "also register the sdmhold target type");

static bool defer;
module_param(defer, bool, 0444);
MODULE_PARM_DESC(defer, "also register the sdmdefer target type");

static struct test_target *targets;
static unsigned int registered;

static int hold_ctr(struct sdm_target *ti, unsigned int argc, char **argv)
{
	if (argc) {
		ti->error = "takes no arguments";
		return -EINVAL;
	}
	return 0;
}

static int hold_map(struct sdm_target *ti, struct bio *bio)
{
	return SDM_MAPIO_KILL;
}

/* Nothing wakes it but a signal. */
static DECLARE_WAIT_QUEUE_HEAD(hold_wq);

static int hold_message(struct sdm_target *ti, unsigned int argc, char **argv,
			char *result, unsigned int maxlen)
{
	if (argc != 1 || strcmp(argv[0], "hold"))
		return -EINVAL;
	wait_event_interruptible(hold_wq, signal_pending(current));
	return -EINTR;
}

static struct sdm_target_type hold_type = {
	.name = "sdmhold",
	.module = THIS_MODULE,
	.version = { 1, 0, 0 },
	.ctr = hold_ctr,
	.map = hold_map,
	.message = hold_message,
};

/* bios held back by sdmdefer targets, and when each may go */
struct deferred_bio {
	struct list_head list;
	struct bio *bio;
	unsigned long due;		/* jiffies */
};

/* defer_lock guards defer_list; taken alone, from any context */
static DEFINE_SPINLOCK(defer_lock);
static LIST_HEAD(defer_list);
static void defer_work_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(defer_work, defer_work_fn);

struct defer_ctx {
	struct sdm_dev *dev;
	sector_t start;
	unsigned int ms;
};

static int defer_ctr(struct sdm_target *ti, unsigned int argc, char **argv)
{
	struct defer_ctx *dc;
	unsigned long long start;
	unsigned int ms;
	char dummy;
	int r;

	if (argc != 3 || sscanf(argv[1], "%llu%c", &start, &dummy) != 1 ||
	    sscanf(argv[2], "%u%c", &ms, &dummy) != 1 || ms > 10000) {
		ti->error = "wants <dev> <start> <ms up to 10000>";
		return -EINVAL;
	}
	dc = kzalloc(sizeof(*dc), GFP_KERNEL);
	if (!dc)
		return -ENOMEM;
	dc->start = start;
	dc->ms = ms;
	r = sdm_get_device(ti, argv[0], &dc->dev);
	if (r) {
		kfree(dc);
		return r;
	}
	ti->num_flush_bios = 1;
	ti->private = dc;
	return 0;
}

static void defer_dtr(struct sdm_target *ti)
{
	struct defer_ctx *dc = ti->private;

	sdm_put_device(ti, dc->dev);
	kfree(dc);
}

/* Send every bio whose time has come; come back for the others. */
static void defer_work_fn(struct work_struct *work)
{
	struct deferred_bio *db, *next;
	unsigned long first = 0;
	bool more = false;
	LIST_HEAD(due);

	spin_lock_irq(&defer_lock);
	list_for_each_entry_safe(db, next, &defer_list, list) {
		if (time_after_eq(jiffies, db->due)) {
			list_move_tail(&db->list, &due);
		} else if (!more || time_before(db->due, first)) {
			first = db->due;
			more = true;
		}
	}
	spin_unlock_irq(&defer_lock);
	list_for_each_entry_safe(db, next, &due, list) {
		submit_bio_noacct(db->bio);
		kfree(db);
	}
	if (more)
		mod_delayed_work(system_unbound_wq, &defer_work,
				 max_t(long, (long)(first - jiffies), 1));
}

static int defer_map(struct sdm_target *ti, struct bio *bio)
{
	struct defer_ctx *dc = ti->private;
	struct deferred_bio *db;
	unsigned long flags;

	db = kmalloc(sizeof(*db), GFP_NOIO);
	if (!db)
		return SDM_MAPIO_KILL;
	bio_set_dev(bio, dc->dev->bdev);
	if (bio_sectors(bio))
		bio->bi_iter.bi_sector = dc->start +
					 (bio->bi_iter.bi_sector - ti->begin);
	db->bio = bio;
	db->due = jiffies + msecs_to_jiffies(dc->ms);
	spin_lock_irqsave(&defer_lock, flags);
	list_add_tail(&db->list, &defer_list);
	spin_unlock_irqrestore(&defer_lock, flags);
	mod_delayed_work(system_unbound_wq, &defer_work,
			 msecs_to_jiffies(dc->ms));
	return SDM_MAPIO_SUBMITTED;
}

static int defer_iterate_devices(struct sdm_target *ti,
				 sdm_iterate_devices_callout_fn fn, void *data)
{
	struct defer_ctx *dc = ti->private;

	return fn(ti, dc->dev, dc->start, ti->len, data);
}

static struct sdm_target_type defer_type = {
	.name = "sdmdefer",
	.module = THIS_MODULE,
	.version = { 1, 0, 0 },
	.ctr = defer_ctr,
	.dtr = defer_dtr,
	.map = defer_map,
	.iterate_devices = defer_iterate_devices,
};

static struct sdm_target_type defer_in_place_type = {
	.name = "sdmdeferip",
	.module = THIS_MODULE,
	.version = { 1, 0, 0 },
	.features = SDM_TARGET_IN_PLACE,
	.ctr = defer_ctr,
	.dtr = defer_dtr,
	.map = defer_map,
	.iterate_devices = defer_iterate_devices,
};

static void unregister_all(void)
{
	while (registered)
		sdm_unregister_target(&targets[--registered].type);
}

static int __init test_targets_init(void)
{
	int r;

	if (!count || count > TEST_TARGETS_MAX)
		return -EINVAL;

	targets = kcalloc(count, sizeof(*targets), GFP_KERNEL);
	if (!targets)
		return -ENOMEM;

	for (registered = 0; registered < count; registered++) {
		struct test_target *t = &targets[registered];

		/* count is at most 4096: the u16 lets the compiler see it fits */
		snprintf(t->name, sizeof(t->name), "sdmtest%u", (u16)registered);
		t->type.name = t->name;
		t->type.module = THIS_MODULE;
		t->type.version[0] = 1;
		t->type.version[1] = registered;
		t->type.version[2] = 7;
		r = sdm_register_target(&t->type);
		if (r)
			goto out_unregister;
	}
	if (hold) {
		r = sdm_register_target(&hold_type);
		if (r)
			goto out_unregister;
	}
	if (defer) {
		r = sdm_register_target(&defer_type);
		if (r)
			goto out_unregister_hold;
		r = sdm_register_target(&defer_in_place_type);
		if (r)
			goto out_unregister_defer;
	}
	return 0;

out_unregister_defer:
	sdm_unregister_target(&defer_type);
out_unregister_hold:
	if (hold)
		sdm_unregister_target(&hold_type);
out_unregister:
	unregister_all();
	kfree(targets);
	return r;
}

static void __exit test_targets_exit(void)
{
	/* a table of its type is gone, but its last bios may still wait */
	if (defer) {
		sdm_unregister_target(&defer_in_place_type);
		sdm_unregister_target(&defer_type);
		while (flush_delayed_work(&defer_work) ||
		       !list_empty_careful(&defer_list))
			msleep(20);
	}
	if (hold)
		sdm_unregister_target(&hold_type);
	unregister_all();
	kfree(targets);
}

module_init(test_targets_init);
module_exit(test_targets_exit);

MODULE_DESCRIPTION("sdm test-only target types");
MODULE_LICENSE("GPL");
