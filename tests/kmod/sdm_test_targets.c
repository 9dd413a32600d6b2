// SPDX-License-Identifier: GPL-2.0-only
/*
 * sdm_test_targets.ko - test-only target types for the VM suites.
 *
 * Registers "count" placeholder target types named sdmtestN with version
 * 1.N.7, so the suites can check DM_LIST_VERSIONS, DM_GET_TARGET_VERSION
 * and libdevmapper's DM_BUFFER_FULL_FLAG retry through the real dmsetup.
 * The types have no mapping functions and are never shipped.
 */
#include <linux/module.h>
#include <linux/slab.h>

#include "sdm.h"

#define TEST_TARGETS_MAX	4096

struct test_target {
	struct sdm_target_type type;
	char name[DM_MAX_TYPE_NAME];
};

static unsigned int count = 1;
module_param(count, uint, 0444);
MODULE_PARM_DESC(count, "number of target types to register (1-4096)");

static struct test_target *targets;
static unsigned int registered;

static void unregister_all(void)
{
	while (registered)
		sdm_unregister_target(&targets[--registered].type);
}

static int __init test_targets_init(void)
{
	int r;

	if (!count || count > TEST_TARGETS_MAX)
		return -EINVAL;

	targets = kcalloc(count, sizeof(*targets), GFP_KERNEL);
	if (!targets)
		return -ENOMEM;

	for (registered = 0; registered < count; registered++) {
		struct test_target *t = &targets[registered];

		/* count is at most 4096: the u16 lets the compiler see it fits */
		snprintf(t->name, sizeof(t->name), "sdmtest%u", (u16)registered);
		t->type.name = t->name;
		t->type.module = THIS_MODULE;
		t->type.version[0] = 1;
		t->type.version[1] = registered;
		t->type.version[2] = 7;
		r = sdm_register_target(&t->type);
		if (r)
			goto out_unregister;
	}
	return 0;

out_unregister:
	unregister_all();
	kfree(targets);
	return r;
}

static void __exit test_targets_exit(void)
{
	unregister_all();
	kfree(targets);
}

module_init(test_targets_init);
module_exit(test_targets_exit);

MODULE_DESCRIPTION("sdm test-only target types");
MODULE_LICENSE("GPL");
