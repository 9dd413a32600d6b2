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

#endif /* SDM_COMPAT_H */
