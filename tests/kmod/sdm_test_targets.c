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
 */
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
	return 0;

out_unregister:
	unregister_all();
	kfree(targets);
	return r;
}

static void __exit test_targets_exit(void)
{
	if (hold)
		sdm_unregister_target(&hold_type);
	unregister_all();
	kfree(targets);
}

module_init(test_targets_init);
module_exit(test_targets_exit);

MODULE_DESCRIPTION("sdm test-only target types");
MODULE_LICENSE("GPL");
