// SPDX-License-Identifier: GPL-2.0-only
/*
 * Delay points of test builds (include/sdm_test.h).  Built only with
 * SDM_TEST_HOOKS=y (tests/scripts/mutants.sh); never part of a product
 * module.
 */
#include <linux/atomic.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/module.h>
#include <linux/preempt.h>
#include <linux/rcupdate.h>

#include "sdm.h"

static const char * const point_names[SDM_DELAY_NR] = {
	[SDM_DELAY_RESERVED]		= "reserved",
	[SDM_DELAY_UNLOCKED_REF]	= "unlocked_ref",
	[SDM_DELAY_OPEN]		= "open",
	[SDM_DELAY_UNPUBLISHED]		= "unpublished",
	[SDM_DELAY_REMOVE_MARKED]	= "remove_marked",
	[SDM_DELAY_AFTER_ENDIO]		= "after_endio",
	[SDM_DELAY_LIVE_TABLE]		= "live_table",
	[SDM_DELAY_SETUP_DISK]		= "setup_disk",
	[SDM_DELAY_RELEASE]		= "release",
	[SDM_DELAY_NOTIFY]		= "notify",
	[SDM_DELAY_LATE_RELEASE]	= "late_release",
	[SDM_DELAY_CREATE_FAILED]	= "create_failed",
	[SDM_DELAY_MINOR_REF]		= "minor_ref",
};

/* written by tests through debugfs at any time: read once per pass */
static u32 delay_us[SDM_DELAY_NR];
static atomic_t delay_hits[SDM_DELAY_NR];
static struct dentry *sdm_debugfs;

/**
 * sdm_delay() - stretch a lifetime window in a test build
 * @point: the window
 *
 * Sleeps where the caller may sleep, spins where it may not (a spinlock,
 * an RCU read section, interrupt context).
 */
void sdm_delay(enum sdm_delay_point point)
{
	u32 us = READ_ONCE(delay_us[point]);

	if (!us)
		return;
	atomic_inc(&delay_hits[point]);
	if (preemptible() && !rcu_preempt_depth()) {
		fsleep(us);
		return;
	}
	while (us > 1000) {
		mdelay(1);
		us -= 1000;
	}
	udelay(us);
}

/**
 * sdm_delay_set() - stretch a delay point from inside the kernel
 * @point: the window
 * @us: how long it waits, 0 for not at all
 *
 * For KUnit cases, which cannot write the debugfs file a VM test writes.
 */
void sdm_delay_set(enum sdm_delay_point point, u32 us)
{
	WRITE_ONCE(delay_us[point], us);
}
EXPORT_SYMBOL_IF_KUNIT(sdm_delay_set);

void sdm_test_init(void)
{
	struct dentry *dir;
	int i;

	sdm_debugfs = debugfs_create_dir("sdm", NULL);
	dir = debugfs_create_dir("delay", sdm_debugfs);
	for (i = 0; i < SDM_DELAY_NR; i++) {
		struct dentry *d = debugfs_create_dir(point_names[i], dir);

		debugfs_create_u32("us", 0600, d, &delay_us[i]);
		debugfs_create_atomic_t("hits", 0400, d, &delay_hits[i]);
	}
#ifdef SDM_MUTANT_NAME
	pr_warn("MUTANT %s: a historical race is put back, for tests only\n",
		SDM_MUTANT_NAME);
	add_taint(TAINT_TEST, LOCKDEP_STILL_OK);
#endif
}

void sdm_test_exit(void)
{
	debugfs_remove(sdm_debugfs);
}
