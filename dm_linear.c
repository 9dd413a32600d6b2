// SPDX-License-Identifier: GPL-2.0-only
/*
 * The linear target: maps its range onto a range of one underlying device.
 *
 * Table line: <start> <length> linear <device> <offset>
 *   <device>  "major:minor" or a block device path
 *   <offset>  first sector on <device>
 */
#include <linux/module.h>
#include <linux/slab.h>

#include "sdm.h"

struct linear_ctx {
	struct sdm_dev *dev;
	sector_t start;		/* on dev */
};

static int linear_ctr(struct sdm_target *ti, unsigned int argc, char **argv)
{
	struct linear_ctx *lc;
	unsigned long long start;
	char dummy;
	int r;

	if (argc != 2) {
		ti->error = "Invalid argument count";
		return -EINVAL;
	}
	if (sscanf(argv[1], "%llu%c", &start, &dummy) != 1 ||
	    start != (sector_t)start) {
		ti->error = "Invalid device sector";
		return -EINVAL;
	}

	lc = kmalloc(sizeof(*lc), GFP_KERNEL);
	if (!lc) {
		ti->error = "Cannot allocate linear context";
		return -ENOMEM;
	}
	lc->start = start;

	r = sdm_get_device(ti, argv[0], &lc->dev);
	if (r) {
		if (!ti->error)
			ti->error = "Device lookup failed";
		kfree(lc);
		return r;
	}

	ti->num_flush_bios = 1;
	ti->num_discard_bios = 1;
	ti->num_write_zeroes_bios = 1;
	ti->private = lc;
	return 0;
}

static void linear_dtr(struct sdm_target *ti)
{
	struct linear_ctx *lc = ti->private;

	sdm_put_device(ti, lc->dev);
	kfree(lc);
}

static int linear_map(struct sdm_target *ti, struct bio *bio)
{
	struct linear_ctx *lc = ti->private;

	bio_set_dev(bio, lc->dev->bdev);
	if (bio_sectors(bio))
		bio->bi_iter.bi_sector = lc->start +
					 (bio->bi_iter.bi_sector - ti->begin);
	return SDM_MAPIO_REMAPPED;
}

static void linear_status(struct sdm_target *ti, enum sdm_status_type type,
			  char *result, unsigned int maxlen)
{
	struct linear_ctx *lc = ti->private;
	unsigned int used = 0;

	result[0] = '\0';
	if (type == SDM_STATUS_TABLE)
		sdm_emit(result, maxlen, &used, "%s %llu", lc->dev->name,
			 (unsigned long long)lc->start);
}

static int linear_iterate_devices(struct sdm_target *ti,
				  sdm_iterate_devices_callout_fn fn, void *data)
{
	struct linear_ctx *lc = ti->private;

	return fn(ti, lc->dev, lc->start, ti->len, data);
}

static struct sdm_dev *linear_dax_map(struct sdm_target *ti, sector_t sector,
				      sector_t *dev_sector)
{
	struct linear_ctx *lc = ti->private;

	*dev_sector = lc->start + (sector - ti->begin);
	return lc->dev;
}

static int linear_dax_rmap(struct sdm_target *ti, dev_t dev, sector_t start,
			   sector_t len, sdm_rmap_callout_fn fn, void *data)
{
	struct linear_ctx *lc = ti->private;

	if (lc->dev->bdev->bd_dev != dev)
		return 0;
	return sdm_rmap_extent(ti, lc->start, ti->len, ti->begin, start, len,
			       fn, data);
}

static struct sdm_target_type linear_target = {
	.name		 = "linear",
	.module		 = THIS_MODULE,
	.version	 = { 1, 4, 0 },
	.features	 = SDM_TARGET_NOWAIT | SDM_TARGET_IN_PLACE,
	.ctr		 = linear_ctr,
	.dtr		 = linear_dtr,
	.map		 = linear_map,
	.status		 = linear_status,
	.iterate_devices = linear_iterate_devices,
	.dax_map	 = linear_dax_map,
	.dax_rmap	 = linear_dax_rmap,
};

int sdm_linear_init(void)
{
	return sdm_register_target(&linear_target);
}

void sdm_linear_exit(void)
{
	sdm_unregister_target(&linear_target);
}
