// SPDX-License-Identifier: GPL-2.0-only
/*
 * The striped target: spreads its range over several devices in chunks,
 * round robin (RAID 0).
 *
 * Table line: <start> <length> striped <#stripes> <chunk sectors>
 *             <device> <offset> [<device> <offset>]...
 *   <length> must divide by <#stripes>, and each stripe's share by
 *   <chunk sectors>.
 *
 * The core splits every bio at chunk boundaries (max_io_len), so a bio
 * reaching ->map() lies inside one chunk of one stripe, discards and
 * write-zeroes included; only empty flushes fan out, one per stripe.
 */
#include <linux/bio.h>
#include <linux/log2.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "sdm.h"

/* Stop reporting events for a stripe after this many errors. */
#define STRIPE_ERROR_EVENTS	15

struct stripe {
	struct sdm_dev *dev;
	sector_t physical_start;
	atomic_t error_count;		/* I/O errors seen; 'D' in status */
};

struct stripe_ctx {
	struct sdm_target *ti;
	unsigned int stripes;
	u32 chunk_size;			/* sectors */
	sector_t stripe_width;		/* sectors of the target per stripe */
	struct work_struct trigger_event;
	struct stripe stripe[];
};

static void trigger_event(struct work_struct *work)
{
	struct stripe_ctx *sc = container_of(work, struct stripe_ctx,
					     trigger_event);

	sdm_table_event(sc->ti->table);
}

static int get_stripe(struct sdm_target *ti, struct stripe_ctx *sc,
		      unsigned int i, char **argv)
{
	unsigned long long start;
	char dummy;

	if (sscanf(argv[1], "%llu%c", &start, &dummy) != 1 ||
	    start != (sector_t)start)
		return -EINVAL;
	sc->stripe[i].physical_start = start;
	atomic_set(&sc->stripe[i].error_count, 0);
	return sdm_get_device(ti, argv[0], &sc->stripe[i].dev);
}

static int stripe_ctr(struct sdm_target *ti, unsigned int argc, char **argv)
{
	unsigned int stripes, chunk_size, i;
	struct stripe_ctx *sc;
	sector_t width, chunks;
	int r;

	if (argc < 2) {
		ti->error = "Not enough arguments";
		return -EINVAL;
	}
	if (kstrtouint(argv[0], 10, &stripes) || !stripes) {
		ti->error = "Invalid stripe count";
		return -EINVAL;
	}
	if (kstrtouint(argv[1], 10, &chunk_size) || !chunk_size) {
		ti->error = "Invalid chunk_size";
		return -EINVAL;
	}

	width = div64_u64_rem(ti->len, stripes, &chunks);
	if (chunks) {
		ti->error = "Target length not divisible by number of stripes";
		return -EINVAL;
	}
	div64_u64_rem(width, chunk_size, &chunks);
	if (chunks) {
		ti->error = "Target length not divisible by chunk size";
		return -EINVAL;
	}
	if (argc != 2 + 2ULL * stripes) {
		ti->error = "Not enough destinations specified";
		return -EINVAL;
	}

	sc = kzalloc(struct_size(sc, stripe, stripes), GFP_KERNEL);
	if (!sc) {
		ti->error = "Memory allocation for striped context failed";
		return -ENOMEM;
	}
	INIT_WORK(&sc->trigger_event, trigger_event);
	sc->ti = ti;
	sc->stripes = stripes;
	sc->chunk_size = chunk_size;
	sc->stripe_width = width;

	for (i = 0; i < stripes; i++) {
		argv += 2;
		r = get_stripe(ti, sc, i, argv);
		if (r) {
			ti->error = "Couldn't parse stripe destination";
			while (i--)
				sdm_put_device(ti, sc->stripe[i].dev);
			kfree(sc);
			return r;
		}
	}

	ti->max_io_len = chunk_size;
	ti->num_flush_bios = stripes;
	ti->num_discard_bios = 1;	/* per chunk, after the core's split */
	ti->num_write_zeroes_bios = 1;
	ti->private = sc;
	return 0;
}

static void stripe_dtr(struct sdm_target *ti)
{
	struct stripe_ctx *sc = ti->private;
	unsigned int i;

	flush_work(&sc->trigger_event);
	for (i = 0; i < sc->stripes; i++)
		sdm_put_device(ti, sc->stripe[i].dev);
	kfree(sc);
}

/* The stripe holding target-relative @offset, and the sector there. */
static unsigned int map_sector(struct stripe_ctx *sc, sector_t offset,
			       sector_t *result)
{
	u64 chunk, in_chunk, row;
	u32 stripe;

	chunk = div64_u64_rem(offset, sc->chunk_size, &in_chunk);
	row = div_u64_rem(chunk, sc->stripes, &stripe);
	*result = row * sc->chunk_size + in_chunk;
	return stripe;
}

static int stripe_map(struct sdm_target *ti, struct bio *bio)
{
	struct stripe_ctx *sc = ti->private;
	unsigned int stripe;
	sector_t sector;

	if (!bio_sectors(bio)) {
		/* an empty flush: clone n goes to stripe n */
		stripe = sdm_bio_target_nr(bio);
		bio_set_dev(bio, sc->stripe[stripe].dev->bdev);
		return SDM_MAPIO_REMAPPED;
	}

	stripe = map_sector(sc, bio->bi_iter.bi_sector - ti->begin, &sector);
	bio_set_dev(bio, sc->stripe[stripe].dev->bdev);
	bio->bi_iter.bi_sector = sc->stripe[stripe].physical_start + sector;
	return SDM_MAPIO_REMAPPED;
}

/*
 * Count I/O errors per stripe for the status line ('D' for a stripe that
 * failed), and report the first ones as table events.
 */
static void stripe_end_io(struct sdm_target *ti, struct bio *clone,
			  blk_status_t status)
{
	struct stripe_ctx *sc = ti->private;
	unsigned int i;

	if (!status || status == BLK_STS_NOTSUPP ||
	    (clone->bi_opf & REQ_RAHEAD))
		return;

	for (i = 0; i < sc->stripes; i++) {
		if (sc->stripe[i].dev->bdev != clone->bi_bdev)
			continue;
		if (atomic_inc_return(&sc->stripe[i].error_count) <
		    STRIPE_ERROR_EVENTS)
			schedule_work(&sc->trigger_event);
	}
}

static void stripe_status(struct sdm_target *ti, enum sdm_status_type type,
			  char *result, unsigned int maxlen)
{
	struct stripe_ctx *sc = ti->private;
	unsigned int used = 0, i;

	result[0] = '\0';
	switch (type) {
	case SDM_STATUS_INFO:
		sdm_emit(result, maxlen, &used, "%u ", sc->stripes);
		for (i = 0; i < sc->stripes; i++)
			sdm_emit(result, maxlen, &used, "%s ",
				 sc->stripe[i].dev->name);
		sdm_emit(result, maxlen, &used, "1 ");
		for (i = 0; i < sc->stripes; i++)
			sdm_emit(result, maxlen, &used, "%c",
				 atomic_read(&sc->stripe[i].error_count) ?
				 'D' : 'A');
		break;
	case SDM_STATUS_TABLE:
		sdm_emit(result, maxlen, &used, "%u %u", sc->stripes,
			 sc->chunk_size);
		for (i = 0; i < sc->stripes; i++)
			sdm_emit(result, maxlen, &used, " %s %llu",
				 sc->stripe[i].dev->name,
				 (unsigned long long)sc->stripe[i].physical_start);
		break;
	}
}

static int stripe_iterate_devices(struct sdm_target *ti,
				  sdm_iterate_devices_callout_fn fn, void *data)
{
	struct stripe_ctx *sc = ti->private;
	unsigned int i;
	int r = 0;

	for (i = 0; !r && i < sc->stripes; i++)
		r = fn(ti, sc->stripe[i].dev, sc->stripe[i].physical_start,
		       sc->stripe_width, data);
	return r;
}

static void stripe_io_hints(struct sdm_target *ti, struct queue_limits *lim)
{
	struct stripe_ctx *sc = ti->private;
	unsigned int chunk_bytes = sc->chunk_size << SECTOR_SHIFT;

	lim->io_min = chunk_bytes;
	lim->io_opt = chunk_bytes * sc->stripes;
}

static struct sdm_dev *stripe_dax_map(struct sdm_target *ti, sector_t sector,
				      sector_t *dev_sector)
{
	struct stripe_ctx *sc = ti->private;
	unsigned int stripe;

	stripe = map_sector(sc, sector - ti->begin, dev_sector);
	*dev_sector += sc->stripe[stripe].physical_start;
	return sc->stripe[stripe].dev;
}

/*
 * Failed sectors of one stripe's device map to one range of the target per
 * chunk they touch: chunk n of stripe i is chunk (n * stripes + i) of the
 * target.
 */
static int stripe_dax_rmap(struct sdm_target *ti, dev_t dev, sector_t start,
			   sector_t len, sdm_rmap_callout_fn fn, void *data)
{
	struct stripe_ctx *sc = ti->private;
	unsigned int i;
	int r;

	for (i = 0; i < sc->stripes; i++) {
		sector_t ps = sc->stripe[i].physical_start;
		sector_t off, end;

		if (sc->stripe[i].dev->bdev->bd_dev != dev ||
		    start >= ps + sc->stripe_width || start + len <= ps)
			continue;
		off = max(start, ps) - ps;
		end = min(start + len, ps + sc->stripe_width) - ps;
		while (off < end) {
			u64 in_chunk, row;
			sector_t n;

			row = div64_u64_rem(off, sc->chunk_size, &in_chunk);
			n = min_t(sector_t, sc->chunk_size - in_chunk,
				  end - off);
			r = fn(ti, ti->begin +
			       (row * sc->stripes + i) * sc->chunk_size +
			       in_chunk, n, data);
			if (r)
				return r;
			off += n;
		}
	}
	return 0;
}

static struct sdm_target_type stripe_target = {
	.name		 = "striped",
	.module		 = THIS_MODULE,
	.version	 = { 1, 6, 0 },
	.features	 = SDM_TARGET_NOWAIT | SDM_TARGET_IN_PLACE,
	.ctr		 = stripe_ctr,
	.dtr		 = stripe_dtr,
	.map		 = stripe_map,
	.end_io		 = stripe_end_io,
	.status		 = stripe_status,
	.iterate_devices = stripe_iterate_devices,
	.io_hints	 = stripe_io_hints,
	.dax_map	 = stripe_dax_map,
	.dax_rmap	 = stripe_dax_rmap,
};

int sdm_stripe_init(void)
{
	return sdm_register_target(&stripe_target);
}

void sdm_stripe_exit(void)
{
	sdm_unregister_target(&stripe_target);
}
