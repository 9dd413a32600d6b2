// SPDX-License-Identifier: GPL-2.0-only
/*
 * The error target: every I/O fails with an I/O error.
 *
 * Table line: <start> <length> error [<device> <offset>]
 *   The optional device only lends its queue limits (so that the error
 *   table of an LV keeps the limits of the LV).  As in dm_mod, any other
 *   number of arguments is accepted and ignored.
 *   `dmsetup remove --force` loads this target to fail I/O to an open
 *   device before removing it.
 */
#include <linux/module.h>
#include <linux/slab.h>

#include "sdm.h"

struct error_ctx {
	struct sdm_dev *dev;	/* may be NULL */
	sector_t start;
};

static int error_ctr(struct sdm_target *ti, unsigned int argc, char **argv)
{
	unsigned long long start;
	struct error_ctx *ec;
	char dummy;
	int r;

	ec = kzalloc(sizeof(*ec), GFP_KERNEL);
	if (!ec) {
		ti->error = "Cannot allocate io_err context";
		return -ENOMEM;
	}

	if (argc == 2) {
		if (sscanf(argv[1], "%llu%c", &start, &dummy) != 1 ||
		    start != (sector_t)start) {
			ti->error = "Invalid device sector";
			r = -EINVAL;
			goto out_free;
		}
		ec->start = start;
		r = sdm_get_device(ti, argv[0], &ec->dev);
		if (r) {
			ti->error = "Device lookup failed";
			goto out_free;
		}
	}

	ti->private = ec;
	/* discards fail with an I/O error too, not as unsupported */
	ti->num_discard_bios = 1;
	return 0;

out_free:
	kfree(ec);
	return r;
}

static void error_dtr(struct sdm_target *ti)
{
	struct error_ctx *ec = ti->private;

	if (ec->dev)
		sdm_put_device(ti, ec->dev);
	kfree(ec);
}

static int error_map(struct sdm_target *ti, struct bio *bio)
{
	return SDM_MAPIO_KILL;
}

static int error_iterate_devices(struct sdm_target *ti,
				 sdm_iterate_devices_callout_fn fn, void *data)
{
	struct error_ctx *ec = ti->private;

	return ec->dev ? fn(ti, ec->dev, ec->start, ti->len, data) : 0;
}

static void error_io_hints(struct sdm_target *ti, struct queue_limits *lim)
{
	lim->max_hw_discard_sectors = UINT_MAX;
	lim->discard_granularity = SECTOR_SIZE;
}

static struct sdm_target_type error_target = {
	.name		 = "error",
	.module		 = THIS_MODULE,
	.version	 = { 1, 7, 0 },
	.ctr		 = error_ctr,
	.dtr		 = error_dtr,
	.map		 = error_map,
	.iterate_devices = error_iterate_devices,
	.io_hints	 = error_io_hints,
};

int sdm_error_init(void)
{
	return sdm_register_target(&error_target);
}

void sdm_error_exit(void)
{
	sdm_unregister_target(&error_target);
}
