// SPDX-License-Identifier: GPL-2.0-only
/*
 * Module entry points of sdm, a race-safe device-mapper core.
 *
 * Loading sdm registers the block major named "device-mapper" (dm-N disks
 * live there; libdevmapper finds it in /proc/devices) and the control
 * device.  Loading fails with -EBUSY when dm_mod already owns the control
 * device's misc minor; nothing is left registered then.
 */
#include <linux/blkdev.h>
#include <linux/module.h>

#include "sdm.h"

static int major;
module_param(major, int, 0444);
MODULE_PARM_DESC(major, "block major for dm-N devices (0 = dynamic)");

/* The block major in use, fixed for the lifetime of the module. */
int sdm_major;

static int __init sdm_init(void)
{
	int r;

	r = register_blkdev(major, SDM_NAME);
	if (r < 0) {
		pr_err("cannot register block major %d: %d\n", major, r);
		return r;
	}
	sdm_major = major ? major : r;

	r = sdm_ioctl_init();
	if (r)
		goto out_unregister_blkdev;

	pr_info("%d.%d.%d%s initialised, block major %d\n",
		DM_VERSION_MAJOR, DM_VERSION_MINOR, DM_VERSION_PATCHLEVEL,
		DM_VERSION_EXTRA, sdm_major);
	return 0;

out_unregister_blkdev:
	unregister_blkdev(sdm_major, SDM_NAME);
	return r;
}

static void __exit sdm_exit(void)
{
	sdm_ioctl_exit();
	unregister_blkdev(sdm_major, SDM_NAME);
}

module_init(sdm_init);
module_exit(sdm_exit);

MODULE_DESCRIPTION("sdm: a race-safe device-mapper core");
MODULE_AUTHOR("The sdm developers");
MODULE_LICENSE("GPL");
