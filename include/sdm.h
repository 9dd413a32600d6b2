/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Private declarations shared by the files of sdm.ko.
 */
#ifndef SDM_H
#define SDM_H

#include <linux/types.h>
#include <linux/dm-ioctl.h>

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

extern int sdm_major;

/* dm_ioctl.c */
int sdm_ioctl_init(void);
void sdm_ioctl_exit(void);

/* dm_target.c */
int sdm_target_versions_fill(const char *name, void *buf, size_t len,
			     size_t *needed);

#if IS_ENABLED(CONFIG_KUNIT)
/* Internal helpers made visible to tests/kunit/sdm_kunit.c. */
int sdm_validate_request(unsigned int nr, struct dm_ioctl *param);
#endif

#endif /* SDM_H */
