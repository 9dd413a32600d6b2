// SPDX-License-Identifier: GPL-2.0-only
/*
 * The zero target: reads return zeros, writes and discards vanish.
 *
 * Table line: <start> <length> zero
 */
#include <linux/bio.h>
#include <linux/module.h>

#include "sdm.h"

static int zero_ctr(struct sdm_target *ti, unsigned int argc, char **argv)
{
	if (argc) {
		ti->error = "No arguments required";
		return -EINVAL;
	}
	/* discards succeed (as no-ops) rather than fail as unsupported */
	ti->num_discard_bios = 1;
	return 0;
}

static int zero_map(struct sdm_target *ti, struct bio *bio)
{
	switch (bio_op(bio)) {
	case REQ_OP_READ:
		/* read-ahead of zeros is not worth doing */
		if (bio->bi_opf & REQ_RAHEAD)
			return SDM_MAPIO_KILL;
		zero_fill_bio(bio);
		break;
	case REQ_OP_WRITE:
	case REQ_OP_DISCARD:
		break;
	default:
		return SDM_MAPIO_KILL;
	}
	bio_endio(bio);
	return SDM_MAPIO_SUBMITTED;
}

static void zero_io_hints(struct sdm_target *ti, struct queue_limits *lim)
{
	lim->max_hw_discard_sectors = UINT_MAX;
	lim->discard_granularity = SECTOR_SIZE;
}

static struct sdm_target_type zero_target = {
	.name		= "zero",
	.module		= THIS_MODULE,
	.version	= { 1, 2, 0 },
	.features	= SDM_TARGET_NOWAIT,
	.ctr		= zero_ctr,
	.map		= zero_map,
	.io_hints	= zero_io_hints,
};

int sdm_zero_init(void)
{
	return sdm_register_target(&zero_target);
}

void sdm_zero_exit(void)
{
	sdm_unregister_target(&zero_target);
}
