/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The target type interface of sdm.
 *
 * A target type (linear, striped, ...) describes one kind of mapping that
 * a table may contain.  Types register with sdm_register_target() and are
 * found by name when a table is loaded; DM_LIST_VERSIONS and
 * DM_GET_TARGET_VERSION report them with their version triple.
 *
 * A table is a sequence of targets covering the device contiguously from
 * sector 0.  Each target is constructed from its argument words (ctr),
 * maps the bios that fall inside it (map) and reports itself (status).
 */
#ifndef SDM_TARGET_H
#define SDM_TARGET_H

#include <linux/blk_types.h>
#include <linux/blkdev.h>
#include <linux/dax.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/types.h>

struct sdm_table;
struct sdm_target;

/* An underlying block device as a target sees it. */
struct sdm_dev {
	struct block_device *bdev;
	/*
	 * The DAX device of @bdev's disk, or NULL if @bdev cannot do DAX.  Its
	 * page offsets count from the start of the whole disk: add
	 * get_start_sect(@bdev) to a sector of @bdev before converting.
	 */
	struct dax_device *dax_dev;
	char name[16];			/* "major:minor", as status prints it */
};

/* What ->map() did with the clone it was given. */
enum sdm_mapio {
	SDM_MAPIO_SUBMITTED,		/* the target took it */
	SDM_MAPIO_REMAPPED,		/* the core submits it */
	SDM_MAPIO_KILL,			/* the core fails it with an I/O error */
};

enum sdm_status_type {
	SDM_STATUS_INFO,		/* dmsetup status */
	SDM_STATUS_TABLE,		/* dmsetup table: the ctr arguments */
};

typedef int (*sdm_iterate_devices_callout_fn)(struct sdm_target *ti,
					      struct sdm_dev *dev,
					      sector_t start, sector_t len,
					      void *data);

/*
 * Called by ->dax_rmap() for each range of the mapped device (@begin,
 * @len in sectors of the mapped device) that maps failed memory.  A
 * nonzero return stops the walk and is returned by ->dax_rmap().
 */
typedef int (*sdm_rmap_callout_fn)(struct sdm_target *ti, sector_t begin,
				   sector_t len, void *data);

/*
 * ->map() neither sleeps nor waits for memory, so bios with REQ_NOWAIT may
 * reach it: a table whose targets all say so, over devices that all take
 * REQ_NOWAIT, gives its mapped device BLK_FEAT_NOWAIT.
 */
#define SDM_TARGET_NOWAIT	BIT(0)
/*
 * ->map() only moves a read or write to another device and sector: the
 * core may then hand ->map() and ->end_io() the submitter's bio itself
 * instead of a clone.  ->end_io() sees it as ->map() left it; the core
 * puts its device and sector back afterwards.  Such a bio is no clone:
 * sdm_bio_target_nr() is only for empty flushes, which always come as
 * clones.
 */
#define SDM_TARGET_IN_PLACE	BIT(1)

struct sdm_target_type {
	/* Set by the target before registration, constant afterwards. */
	const char *name;		/* 1..DM_MAX_TYPE_NAME-1 characters */
	struct module *module;		/* pinned while a table uses the type */
	unsigned int version[3];	/* major, minor, patchlevel */
	unsigned int features;		/* SDM_TARGET_* */

	int (*ctr)(struct sdm_target *ti, unsigned int argc, char **argv);
	void (*dtr)(struct sdm_target *ti);
	int (*map)(struct sdm_target *ti, struct bio *bio);
	/* Write a NUL-terminated string of at most @maxlen bytes. */
	void (*status)(struct sdm_target *ti, enum sdm_status_type type,
		       char *result, unsigned int maxlen);
	int (*iterate_devices)(struct sdm_target *ti,
			       sdm_iterate_devices_callout_fn fn, void *data);
	/* Adjust the limits stacked from the target's devices. */
	void (*io_hints)(struct sdm_target *ti, struct queue_limits *lim);
	/*
	 * A clone (or, with SDM_TARGET_IN_PLACE, a bio mapped in place)
	 * completed, in completion context; may not sleep.
	 */
	void (*end_io)(struct sdm_target *ti, struct bio *clone,
		       blk_status_t status);
	/*
	 * A DM_TARGET_MSG: 0 or a negative errno, or 1 if @result (at most
	 * @maxlen bytes, NUL-terminated) holds a reply.
	 */
	int (*message)(struct sdm_target *ti, unsigned int argc, char **argv,
		       char *result, unsigned int maxlen);

	/*
	 * DAX (dm_dax.c).  A table whose targets all have ->dax_map and
	 * ->dax_rmap, and whose devices all have a dax_dev, gives its mapped
	 * device DAX.  ->dax_map() returns the device and its sector that
	 * @sector (a sector of the mapped device, inside the target) maps to;
	 * the core clamps every access to the target's end and to its
	 * max_io_len boundary, so a page never straddles two devices.
	 */
	struct sdm_dev *(*dax_map)(struct sdm_target *ti, sector_t sector,
				   sector_t *dev_sector);
	/*
	 * The reverse of the mapping, for memory failures: call @fn for every
	 * range of the target that maps sectors [@start, @start + @len) of
	 * the device @dev (sectors of @dev itself, partition-relative).
	 */
	int (*dax_rmap)(struct sdm_target *ti, dev_t dev, sector_t start,
			sector_t len, sdm_rmap_callout_fn fn, void *data);

	/* Owned by the registry, under _targets_lock. */
	struct list_head list;
};

struct sdm_target {
	struct sdm_table *table;
	struct sdm_target_type *type;
	sector_t begin;			/* first sector of the device it maps */
	sector_t len;			/* sectors */

	/* Set by ->ctr(). */
	sector_t max_io_len;		/* no bio crosses a multiple; 0: none */
	unsigned int num_flush_bios;	/* empty flushes each flush fans to */
	unsigned int num_discard_bios;	/* 0: discards are not supported */
	unsigned int num_write_zeroes_bios;
	void *private;
	const char *error;		/* reason a ->ctr() failed */
};

int sdm_register_target(struct sdm_target_type *tt);
void sdm_unregister_target(struct sdm_target_type *tt);

struct sdm_target_type *sdm_get_target_type(const char *name);
void sdm_put_target_type(struct sdm_target_type *tt);

/*
 * Open the device named by @path ("major:minor" or a block device node)
 * for the table @ti belongs to, shared with every other target of that
 * device's tables; release it with sdm_put_device().
 */
int sdm_get_device(struct sdm_target *ti, const char *path,
		   struct sdm_dev **result);
void sdm_put_device(struct sdm_target *ti, struct sdm_dev *dev);

/*
 * For ->dax_rmap(): report to @fn the part of device sectors [@start,
 * @start + @len) inside the extent [@ext_start, @ext_start + @ext_len),
 * which the target maps to the mapped device's sectors from @begin.
 */
int sdm_rmap_extent(struct sdm_target *ti, sector_t ext_start,
		    sector_t ext_len, sector_t begin, sector_t start,
		    sector_t len, sdm_rmap_callout_fn fn, void *data);

/* Which of a flush fan-out's clones this is (0..num_flush_bios-1). */
unsigned int sdm_bio_target_nr(const struct bio *clone);

/*
 * Report a change of the target's state: the device's event number moves
 * on, DM_DEV_WAIT callers wake and poll() on the control device fires.
 */
void sdm_table_event(struct sdm_table *t);

/* Append to a status string; output that does not fit is cut. */
__printf(4, 5)
void sdm_emit(char *result, unsigned int maxlen, unsigned int *used,
	      const char *fmt, ...);

#endif /* SDM_TARGET_H */
