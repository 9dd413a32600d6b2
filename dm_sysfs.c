// SPDX-License-Identifier: GPL-2.0-only
/*
 * /sys/block/dm-N/dm/: name, uuid, suspended, use_blk_mq and
 * rq_based_seq_io_merge_deadline, as dm_mod provides them for udev rules,
 * lsblk and LVM.
 *
 * Every access looks the device up through sdm_get_from_kobject(), which
 * takes its reference under _minor_lock and refuses a device that is
 * being deleted or freed (rule 5; upstream's CVE-2017-18203 was this
 * lookup racing with destruction).  The reference is dropped with
 * dm_put_deferred(): a teardown started here would wait for the removal of
 * the very attribute being read.
 */
#include <linux/kobject.h>
#include <linux/slab.h>
#include <linux/sysfs.h>

#include "sdm.h"

struct sdm_sysfs_attr {
	struct attribute attr;
	ssize_t (*show)(struct mapped_device *md, char *buf);
	ssize_t (*store)(struct mapped_device *md, const char *buf,
			 size_t count);
};

static ssize_t sdm_attr_show(struct kobject *kobj, struct attribute *attr,
			     char *buf)
{
	struct sdm_sysfs_attr *a = container_of(attr, struct sdm_sysfs_attr,
						attr);
	struct mapped_device *md;
	ssize_t r;

	md = sdm_get_from_kobject(kobj);
	if (!md)
		return -EINVAL;
	r = a->show(md, buf);
	dm_put_deferred(md);
	return r;
}

static ssize_t sdm_attr_store(struct kobject *kobj, struct attribute *attr,
			      const char *buf, size_t count)
{
	struct sdm_sysfs_attr *a = container_of(attr, struct sdm_sysfs_attr,
						attr);
	struct mapped_device *md;
	ssize_t r;

	if (!a->store)
		return -EIO;
	md = sdm_get_from_kobject(kobj);
	if (!md)
		return -EINVAL;
	r = a->store(md, buf, count);
	dm_put_deferred(md);
	return r;
}

static ssize_t name_show(struct mapped_device *md, char *buf)
{
	char name[DM_NAME_LEN];

	if (sdm_copy_name_and_uuid(md, name, NULL))
		return -EIO;
	return sysfs_emit(buf, "%s\n", name);
}

static ssize_t uuid_show(struct mapped_device *md, char *buf)
{
	char uuid[DM_UUID_LEN];

	if (sdm_copy_name_and_uuid(md, NULL, uuid))
		return -EIO;
	return sysfs_emit(buf, "%s\n", uuid);
}

static ssize_t suspended_show(struct mapped_device *md, char *buf)
{
	return sysfs_emit(buf, "%d\n", sdm_suspended(md));
}

/* Both exist for userspace compatibility; their values are dm_mod's. */
static ssize_t use_blk_mq_show(struct mapped_device *md, char *buf)
{
	return sysfs_emit(buf, "%d\n", 1);
}

static ssize_t merge_deadline_show(struct mapped_device *md, char *buf)
{
	return sysfs_emit(buf, "%u\n", 0);
}

static ssize_t merge_deadline_store(struct mapped_device *md, const char *buf,
				    size_t count)
{
	return count;
}

static struct sdm_sysfs_attr sdm_attr_name = __ATTR_RO(name);
static struct sdm_sysfs_attr sdm_attr_uuid = __ATTR_RO(uuid);
static struct sdm_sysfs_attr sdm_attr_suspended = __ATTR_RO(suspended);
static struct sdm_sysfs_attr sdm_attr_use_blk_mq = __ATTR_RO(use_blk_mq);
static struct sdm_sysfs_attr sdm_attr_merge_deadline =
	__ATTR(rq_based_seq_io_merge_deadline, 0644, merge_deadline_show,
	       merge_deadline_store);

static struct attribute *sdm_attrs[] = {
	&sdm_attr_name.attr,
	&sdm_attr_uuid.attr,
	&sdm_attr_suspended.attr,
	&sdm_attr_use_blk_mq.attr,
	&sdm_attr_merge_deadline.attr,
	NULL,
};
ATTRIBUTE_GROUPS(sdm);

static const struct sysfs_ops sdm_sysfs_ops = {
	.show	= sdm_attr_show,
	.store	= sdm_attr_store,
};

/*
 * The last put of dm/: after the device's teardown removed the directory,
 * possibly much later.  Module exit waits for it (sdm_release_done()).
 */
static void sdm_sysfs_release(struct kobject *kobj)
{
	struct sdm_sysfs_dir *dir = container_of(kobj, struct sdm_sysfs_dir,
						 kobj);

	/* mutant kobject_freed_while_referenced: the teardown freed it */
	if (!SDM_MUTANT(kobject_freed_while_referenced))
		kfree(dir);
	sdm_release_done();
}

static const struct kobj_type sdm_ktype = {
	.sysfs_ops	= &sdm_sysfs_ops,
	.default_groups	= sdm_groups,
	.release	= sdm_sysfs_release,
};

/* Create dm/ under the added disk. */
int sdm_sysfs_init(struct mapped_device *md)
{
	struct sdm_sysfs_dir *dir;
	int r;

	dir = kzalloc(sizeof(*dir), GFP_KERNEL);
	if (!dir)
		return -ENOMEM;
	dir->md = md;
	/* from here on the release runs, even if the add fails */
	sdm_expect_release();
	r = kobject_init_and_add(&dir->kobj, &sdm_ktype,
				 &disk_to_dev(md->disk)->kobj, "%s", "dm");
	if (r) {
		kobject_put(&dir->kobj);
		return r;
	}
	md->sysfs_dir = dir;
	return 0;
}

/*
 * Remove dm/: once kobject_del() returns no attribute call runs or can
 * start, so nothing reaches the device through it.  Whoever still holds
 * the kobject keeps only the directory's memory, which its release frees.
 */
void sdm_sysfs_exit(struct mapped_device *md)
{
	struct sdm_sysfs_dir *dir = md->sysfs_dir;

	if (!dir)
		return;
	md->sysfs_dir = NULL;
	kobject_del(&dir->kobj);
	kobject_put(&dir->kobj);
	/* mutant kobject_freed_while_referenced: freed at the teardown's put */
	if (SDM_MUTANT(kobject_freed_while_referenced))
		kfree(dir);
}
