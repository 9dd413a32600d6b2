/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Test builds only: delay points and mutants (Documentation/testing.rst,
 * "Mutants").
 *
 * A delay point, sdm_delay(SDM_DELAY_x), sits in one lifetime window; a
 * test build (SDM_TEST_HOOKS) lets a test stretch it through
 * /sys/kernel/debug/sdm/delay/<point>/us and counts in .../hits how often
 * it was passed, so that a race test can make a window of a few
 * instructions last long enough to be hit every time, and prove that it
 * was.  In a product build every point compiles to nothing.
 *
 * A mutant puts one historical race back: SDM_MUTANT(name) is true only
 * in a test build made with MUTANT=name (tests/scripts/mutants.sh), and a
 * constant false otherwise, so the compiler drops the mutated line.  The
 * names, their seeds and the tests aimed at each are listed in
 * tests/mutants/table; a mutant module says so when it loads.
 */
#ifndef SDM_TEST_H
#define SDM_TEST_H

#include <linux/kconfig.h>
#include <linux/types.h>

#if defined(SDM_MUTANT_NAME) && !defined(SDM_TEST_HOOKS)
#error "a mutant is only built as a test build"
#endif

/* true in the build of mutant @name only */
#define SDM_MUTANT(name)	IS_ENABLED(SDM_MUTANT_##name)

/*
 * The floor probe of make bench (SDM_FLOOR=y, Documentation/performance.rst):
 * a bio inside one target is remapped in place and sent on, with no clone,
 * no accounting and no in-flight count, so that suspend cannot drain it.
 * It measures what a bio-based stacked device costs at least; never a
 * product, and only make bench builds it.
 */
#ifdef SDM_FLOOR_PROBE
#ifndef SDM_BENCH_ONLY
#error "the floor probe is only built by make bench"
#endif
#define SDM_FLOOR	true
#else
#define SDM_FLOOR	false
#endif

enum sdm_delay_point {
	/* between a minor's reservation and its device's publication */
	SDM_DELAY_RESERVED,
	/* after a lookup dropped the lock it found a device under */
	SDM_DELAY_UNLOCKED_REF,
	/* a block device open, after it dropped _minor_lock */
	SDM_DELAY_OPEN,
	/* a device unpublished by its last put, at the start of its teardown */
	SDM_DELAY_UNPUBLISHED,
	/* after a remover marked a device DMF_DELETING, before its wait */
	SDM_DELAY_REMOVE_MARKED,
	/* in a completion, after the original bio's bio_endio() */
	SDM_DELAY_AFTER_ENDIO,
	/* a reader holding the live table (table queries) */
	SDM_DELAY_LIVE_TABLE,
	/* a first table load, before add_disk() */
	SDM_DELAY_SETUP_DISK,
	/* a block device release, before the open count drops */
	SDM_DELAY_RELEASE,
	/* a memory failure notification entering sdm's holder_ops */
	SDM_DELAY_NOTIFY,
	/* a release of dm/ or of the gendisk, possibly after the teardown */
	SDM_DELAY_LATE_RELEASE,
	/* a create whose name was taken, its device still published */
	SDM_DELAY_CREATE_FAILED,
	/* a lookup by minor, holding the device it found */
	SDM_DELAY_MINOR_REF,
	SDM_DELAY_NR
};

#ifdef SDM_TEST_HOOKS
void sdm_delay(enum sdm_delay_point point);
void sdm_delay_set(enum sdm_delay_point point, u32 us);
void sdm_test_init(void);
void sdm_test_exit(void);
#else
static inline void sdm_delay(enum sdm_delay_point point)
{
}

/* KUnit cases stretch a window where they can and run unstretched here */
static inline void sdm_delay_set(enum sdm_delay_point point, u32 us)
{
}

static inline void sdm_test_init(void)
{
}

static inline void sdm_test_exit(void)
{
}
#endif

#endif /* SDM_TEST_H */
