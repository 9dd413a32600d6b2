/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The target type interface of sdm.
 *
 * A target type (linear, striped, ...) describes one kind of mapping that
 * a table may contain.  Types register with sdm_register_target() and are
 * found by name when a table is loaded; DM_LIST_VERSIONS and
 * DM_GET_TARGET_VERSION report them with their version triple.
 */
#ifndef SDM_TARGET_H
#define SDM_TARGET_H

#include <linux/list.h>
#include <linux/module.h>
#include <linux/types.h>

struct sdm_target_type {
	/* Set by the target before registration, constant afterwards. */
	const char *name;		/* 1..DM_MAX_TYPE_NAME-1 characters */
	struct module *module;		/* pinned while a table uses the type */
	unsigned int version[3];	/* major, minor, patchlevel */

	/* Owned by the registry, under _targets_lock. */
	struct list_head list;
};

int sdm_register_target(struct sdm_target_type *tt);
void sdm_unregister_target(struct sdm_target_type *tt);

struct sdm_target_type *sdm_get_target_type(const char *name);
void sdm_put_target_type(struct sdm_target_type *tt);

#endif /* SDM_TARGET_H */
