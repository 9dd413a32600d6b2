// SPDX-License-Identifier: GPL-2.0-only
/*
 * The control device, /dev/mapper/control.
 *
 * sdm speaks the DM ioctl ABI v4 of the uapi header it is built against,
 * so the real libdevmapper (dmsetup, LVM2) drives it unmodified.  The
 * control device takes the same misc minor and node name as dm_mod's;
 * libdevmapper hard-codes 10:236, which is why the two cannot be loaded
 * together.
 *
 * Every request goes through the same gate before a handler sees it:
 * CAP_SYS_ADMIN, the ioctl type, the interface version (fetched once),
 * the command number (bounds-checked, then clamped against speculation),
 * data_size (validated before it sizes anything) and the identifiers.
 * Rejections return upstream's errno with a short rate-limited message.
 */
#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/kdev_t.h>
#include <linux/lockdep.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/nospec.h>
#include <linux/poll.h>
#include <linux/rbtree.h>
#include <linux/rwsem.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "sdm.h"

/* Only the fixed header is copied in and back; data_size is not used. */
#define NO_PARAMS	BIT(0)
/* Success is a global event (poll() on the control device). */
#define GLOBAL_EVENT	BIT(1)

/* Flags that only the kernel sets: a request's own values are dropped. */
#define SDM_OUT_ONLY_FLAGS	(DM_BUFFER_FULL_FLAG | DM_UEVENT_GENERATED_FLAG | \
				 DM_SECURE_DATA_FLAG | DM_DATA_OUT_FLAG)

struct sdm_ioctl_cmd {
	unsigned int flags;
	int (*fn)(struct file *filp, struct dm_ioctl *param, size_t param_size);
};

/*
 * The reply area of a request: it starts at data_start, the first 8-byte
 * boundary after the header, and runs to the end of the caller's buffer.
 * Returns its address and stores its size in *@len (0 if the caller's
 * buffer ends before it).
 */
static void *reply_area(struct dm_ioctl *param, size_t param_size, size_t *len)
{
	param->data_start = SDM_IOCTL_DATA_START;
	*len = param_size > SDM_IOCTL_DATA_START ?
	       param_size - SDM_IOCTL_DATA_START : 0;
	return (void *)param + SDM_IOCTL_DATA_START;
}

/* Shared by DM_LIST_VERSIONS (@name NULL) and DM_GET_TARGET_VERSION. */
static int report_versions(struct dm_ioctl *param, size_t param_size,
			   const char *name)
{
	size_t len, needed;
	void *area;
	int r;

	area = reply_area(param, param_size, &len);
	r = sdm_target_versions_fill(name, area, len, &needed);
	if (r)
		return r;
	if (needed > len) {
		param->flags |= DM_BUFFER_FULL_FLAG;
		return 0;
	}
	param->data_size = param->data_start + needed;
	return 0;
}

static int list_versions(struct file *filp, struct dm_ioctl *param,
			 size_t param_size)
{
	return report_versions(param, param_size, NULL);
}

static int get_target_version(struct file *filp, struct dm_ioctl *param,
			      size_t param_size)
{
	int r = report_versions(param, param_size, param->name);

	if (r == -EINVAL)
		pr_err_ratelimited("ioctl: unknown target type %s\n",
				   param->name);
	return r;
}

/* ---- the name and uuid index ---- */

/*
 * A device's entry in the index: its name, optional uuid, a reference on
 * the device, and the inactive table loaded but not yet resumed.
 */
struct sdm_cell {
	struct rb_node name_node;
	struct rb_node uuid_node;	/* on uuid_tree only if uuid is set */
	char *name;
	char *uuid;
	struct mapped_device *md;
	struct sdm_table *new_map;
};

/*
 * _hash_lock guards name_tree, uuid_tree, every cell and md->cell.  Lookups
 * read, changes write.  Lock order: outermost; it is never held across a
 * call that sleeps on a device (table construction, suspend, teardown),
 * and in particular never around a dm_put() that may be the last, nor
 * around sdm_dev_status() (which takes it itself: the nested-lock bug of
 * upstream's table_clear() cannot happen).
 */
static DECLARE_RWSEM(_hash_lock);
static struct rb_root name_tree = RB_ROOT;
static struct rb_root uuid_tree = RB_ROOT;

static struct sdm_cell *cell_by_name(const char *name)
{
	struct rb_node *n = name_tree.rb_node;

	lockdep_assert_held(&_hash_lock);
	while (n) {
		struct sdm_cell *c = rb_entry(n, struct sdm_cell, name_node);
		int cmp = strcmp(name, c->name);

		if (!cmp)
			return c;
		n = cmp < 0 ? n->rb_left : n->rb_right;
	}
	return NULL;
}

static struct sdm_cell *cell_by_uuid(const char *uuid)
{
	struct rb_node *n = uuid_tree.rb_node;

	lockdep_assert_held(&_hash_lock);
	while (n) {
		struct sdm_cell *c = rb_entry(n, struct sdm_cell, uuid_node);
		int cmp = strcmp(uuid, c->uuid);

		if (!cmp)
			return c;
		n = cmp < 0 ? n->rb_left : n->rb_right;
	}
	return NULL;
}

static void insert_by_name(struct sdm_cell *cell)
{
	struct rb_node **n = &name_tree.rb_node, *parent = NULL;

	while (*n) {
		struct sdm_cell *c = rb_entry(*n, struct sdm_cell, name_node);

		parent = *n;
		n = strcmp(cell->name, c->name) < 0 ? &(*n)->rb_left :
						       &(*n)->rb_right;
	}
	rb_link_node(&cell->name_node, parent, n);
	rb_insert_color(&cell->name_node, &name_tree);
}

static void insert_by_uuid(struct sdm_cell *cell)
{
	struct rb_node **n = &uuid_tree.rb_node, *parent = NULL;

	while (*n) {
		struct sdm_cell *c = rb_entry(*n, struct sdm_cell, uuid_node);

		parent = *n;
		n = strcmp(cell->uuid, c->uuid) < 0 ? &(*n)->rb_left :
						       &(*n)->rb_right;
	}
	rb_link_node(&cell->uuid_node, parent, n);
	rb_insert_color(&cell->uuid_node, &uuid_tree);
}

static void free_cell(struct sdm_cell *cell)
{
	kfree(cell->name);
	kfree(cell->uuid);
	kfree(cell);
}

/*
 * Enter @md in the index under @name (and @uuid, if not NULL).  The cell
 * takes its own reference on @md.  Returns -EBUSY if the name or the uuid
 * is taken.
 */
static int cell_insert(const char *name, const char *uuid,
		       struct mapped_device *md)
{
	struct sdm_cell *cell;

	cell = kzalloc(sizeof(*cell), GFP_KERNEL);
	if (!cell)
		return -ENOMEM;
	cell->name = kstrdup(name, GFP_KERNEL);
	cell->uuid = uuid ? kstrdup(uuid, GFP_KERNEL) : NULL;
	if (!cell->name || (uuid && !cell->uuid)) {
		free_cell(cell);
		return -ENOMEM;
	}
	cell->md = md;

	down_write(&_hash_lock);
	if (cell_by_name(name)) {
		up_write(&_hash_lock);
		pr_err_ratelimited("ioctl: device %s already exists\n", name);
		free_cell(cell);
		return -EBUSY;
	}
	if (uuid && cell_by_uuid(uuid)) {
		up_write(&_hash_lock);
		pr_err_ratelimited("ioctl: uuid %s is already in use\n", uuid);
		free_cell(cell);
		return -EBUSY;
	}
	insert_by_name(cell);
	if (uuid)
		insert_by_uuid(cell);
	dm_get(md);
	md->cell = cell;
	up_write(&_hash_lock);
	return 0;
}

/* Take @cell out of the index; its reference on the device passes to the caller. */
static void cell_unlink(struct sdm_cell *cell)
{
	lockdep_assert_held_write(&_hash_lock);
	rb_erase(&cell->name_node, &name_tree);
	if (cell->uuid)
		rb_erase(&cell->uuid_node, &uuid_tree);
	cell->md->cell = NULL;
}

/*
 * A cell whose device a remover marked DMF_DELETING stays in the index
 * while the remover waits for the device's other holders, so that a
 * remover killed meanwhile can leave the device as it was.  Lookups and
 * listings pass over it; its name and uuid stay taken.  The flag is set
 * and cleared under _hash_lock held for writing, so it is stable here.
 */
static bool being_removed(struct sdm_cell *cell)
{
	lockdep_assert_held(&_hash_lock);
	return test_bit(DMF_DELETING, &cell->md->flags);
}

/*
 * The cell a request names: by uuid, else by name, else by device number.
 * Naming a device in two ways at once finds nothing, as upstream.  On
 * success the name and uuid are written back into the request and
 * DM_INACTIVE_PRESENT_FLAG tells whether an inactive table is loaded.
 */
static struct sdm_cell *find_cell(struct dm_ioctl *param)
{
	struct sdm_cell *cell = NULL;
	struct mapped_device *md;

	lockdep_assert_held(&_hash_lock);

	if (param->uuid[0]) {
		if (param->name[0] || param->dev)
			goto invalid;
		cell = cell_by_uuid(param->uuid);
	} else if (param->name[0]) {
		if (param->dev)
			goto invalid;
		cell = cell_by_name(param->name);
	} else if (param->dev) {
		/* rule 5: the reference is taken under _minor_lock */
		md = dm_get_md(huge_decode_dev(param->dev));
		if (md) {
			cell = md->cell;
			/* a device without a cell may be going: not inline */
			dm_put_deferred(md);
		}
	}
	/* one being removed is no longer there, as in dm_mod's index */
	if (!cell || being_removed(cell))
		return NULL;

	strscpy(param->name, cell->name, sizeof(param->name));
	strscpy(param->uuid, cell->uuid ?: "", sizeof(param->uuid));
	if (cell->new_map)
		param->flags |= DM_INACTIVE_PRESENT_FLAG;
	else
		param->flags &= ~DM_INACTIVE_PRESENT_FLAG;
	return cell;

invalid:
	pr_err_ratelimited("ioctl: device named both ways: uuid %s, name %s, dev %llx\n",
			   param->uuid, param->name,
			   (unsigned long long)param->dev);
	return NULL;
}

/* Find the device a request names and take a reference on it. */
static struct mapped_device *find_device(struct dm_ioctl *param)
{
	struct mapped_device *md = NULL;
	struct sdm_cell *cell;

	down_read(&_hash_lock);
	cell = find_cell(param);
	if (cell) {
		md = cell->md;
		if (!SDM_MUTANT(ref_after_unlock_name))
			dm_get(md);
	}
	up_read(&_hash_lock);
	sdm_delay(SDM_DELAY_UNLOCKED_REF);
	if (SDM_MUTANT(ref_after_unlock_name) && md)
		dm_get(md);
	return md;
}

static int check_name(const char *name)
{
	if (strchr(name, '/')) {
		pr_err_ratelimited("ioctl: device name cannot contain '/'\n");
		return -EINVAL;
	}
	if (!strcmp(name, DM_CONTROL_NODE) || !strcmp(name, ".") ||
	    !strcmp(name, "..")) {
		pr_err_ratelimited("ioctl: device name cannot be \"%s\", \".\" or \"..\"\n",
				   DM_CONTROL_NODE);
		return -EINVAL;
	}
	return 0;
}

/*
 * Fill the status fields of a reply.  Takes _hash_lock itself for the
 * inactive table, so callers must not hold it.
 */
static void sdm_dev_status(struct mapped_device *md, struct dm_ioctl *param)
{
	struct sdm_table *t;
	int idx;

	lockdep_assert_not_held(&_hash_lock);

	param->flags &= ~(DM_SUSPEND_FLAG | DM_READONLY_FLAG |
			  DM_ACTIVE_PRESENT_FLAG | DM_INTERNAL_SUSPEND_FLAG);
	if (sdm_suspended(md))
		param->flags |= DM_SUSPEND_FLAG;
	if (test_bit(DMF_DEFERRED_REMOVE, &md->flags))
		param->flags |= DM_DEFERRED_REMOVE;
	param->dev = huge_encode_dev(sdm_disk_devt(md));
	param->open_count = sdm_open_count(md);
	param->event_nr = atomic_read(&md->event_nr);
	param->target_count = 0;

	t = sdm_get_live_table(md, &idx);
	if (t) {
		param->flags |= DM_ACTIVE_PRESENT_FLAG;
		if (!(param->flags & DM_QUERY_INACTIVE_TABLE_FLAG)) {
			if (get_disk_ro(md->disk))
				param->flags |= DM_READONLY_FLAG;
			param->target_count = sdm_table_num_targets(t);
		}
	}
	sdm_put_live_table(md, idx);

	if (param->flags & DM_QUERY_INACTIVE_TABLE_FLAG) {
		down_read(&_hash_lock);
		t = md->cell ? md->cell->new_map : NULL;
		if (t) {
			if (sdm_table_read_only(t))
				param->flags |= DM_READONLY_FLAG;
			param->target_count = sdm_table_num_targets(t);
		}
		up_read(&_hash_lock);
	}
}

/**
 * sdm_copy_name_and_uuid() - copy a device's name and uuid
 * @md: the device, referenced by the caller
 * @name: DM_NAME_LEN bytes, or NULL
 * @uuid: DM_UUID_LEN bytes, or NULL; "" if the device has none
 *
 * Return: 0, or -ENXIO if the device is no longer in the index.
 */
int sdm_copy_name_and_uuid(struct mapped_device *md, char *name, char *uuid)
{
	int r = 0;

	down_read(&_hash_lock);
	if (!md->cell) {
		r = -ENXIO;
	} else {
		if (name)
			strscpy(name, md->cell->name, DM_NAME_LEN);
		if (uuid)
			strscpy(uuid, md->cell->uuid ?: "", DM_UUID_LEN);
	}
	up_read(&_hash_lock);
	return r;
}

/* ---- device commands ---- */

static int dev_create(struct file *filp, struct dm_ioctl *param,
		      size_t param_size)
{
	struct mapped_device *md;
	int minor = -1;
	int r;

	r = check_name(param->name);
	if (r)
		return r;

	if (param->flags & DM_PERSISTENT_DEV_FLAG)
		minor = MINOR(huge_decode_dev(param->dev));

	r = sdm_create(minor, &md);
	if (r) {
		if (r == -EBUSY)
			pr_err_ratelimited("ioctl: minor %d is in use\n", minor);
		/* as dm_mod: whatever stops the device's creation is ENXIO */
		return -ENXIO;
	}

	r = cell_insert(param->name, param->uuid[0] ? param->uuid : NULL, md);
	if (r) {
		sdm_delay(SDM_DELAY_CREATE_FAILED);
		if (SDM_MUTANT(failed_create_returns_early)) {
			dm_put(md);
			return r;
		}
		/*
		 * As dm_mod's, the device is gone and its minor free when the
		 * call returns, so that a caller can create it again at once.
		 * A lookup by minor may hold it meanwhile: marked, it gives no
		 * new reference, and the last put tears it down here.  A
		 * killed creator leaves the teardown to that lookup's put.
		 */
		if (!sdm_lock_for_deletion(md, false, false))
			sdm_wait_for_holders(md, 1);
		dm_put(md);
		return r;
	}

	param->flags &= ~DM_INACTIVE_PRESENT_FLAG;
	sdm_dev_status(md, param);
	dm_put(md);			/* the cell keeps its own */
	return 0;
}

/*
 * Finish the removal of @cell's device, which the caller marked
 * DMF_DELETING under _hash_lock (sdm_lock_for_deletion()) and left in the
 * index.  Wait, killably, until the cell's reference is the last one;
 * then unlink the cell, send the remove uevent of a DEV_REMOVE (@param,
 * if given) and drop that reference, which tears the device down here.
 *
 * Return: 0, or -EINTR if a fatal signal ended the wait: the device is
 * then unmarked and stays listed, openable and removable.
 */
static int remove_marked(struct sdm_cell *cell, struct dm_ioctl *param)
{
	struct mapped_device *md = cell->md;
	int r;

	sdm_delay(SDM_DELAY_REMOVE_MARKED);
	sdm_md_event(md);
	r = sdm_wait_for_holders(md, 1);
	if (r) {
		down_write(&_hash_lock);
		sdm_unlock_for_deletion(md);
		up_write(&_hash_lock);
		return r;
	}

	down_write(&_hash_lock);
	cell_unlink(cell);
	up_write(&_hash_lock);

	if (param) {
		param->flags &= ~DM_DEFERRED_REMOVE;
		if (!sdm_kobject_uevent(md, KOBJ_REMOVE, param->event_nr, false))
			param->flags |= DM_UEVENT_GENERATED_FLAG;
	}
	if (cell->new_map)
		sdm_table_destroy(cell->new_map);
	free_cell(cell);
	dm_put(md);
	return 0;
}

/*
 * Mutant failed_remove_leaves_suspended: a remove suspends the device
 * before it finds it open, and the refusal leaves it suspended.  Drops
 * the caller's reference.
 */
static void mutant_suspend_busy(struct mapped_device *md)
{
	sdm_suspend(md, false, true);
	dm_put(md);
}

static int dev_remove(struct file *filp, struct dm_ioctl *param,
		      size_t param_size)
{
	bool deferred = param->flags & DM_DEFERRED_REMOVE;
	struct mapped_device *md;
	struct sdm_cell *cell;
	int r;

	down_write(&_hash_lock);
	cell = find_cell(param);
	if (!cell) {
		up_write(&_hash_lock);
		return -ENXIO;
	}
	r = sdm_lock_for_deletion(cell->md, deferred, false);
	md = cell->md;
	if (SDM_MUTANT(failed_remove_leaves_suspended) && r == -EBUSY)
		dm_get(md);
	up_write(&_hash_lock);
	if (SDM_MUTANT(failed_remove_leaves_suspended) && r == -EBUSY)
		mutant_suspend_busy(md);
	if (r) {
		/* an open device marked for removal at its last close */
		if (r == -EBUSY && deferred)
			return 0;
		pr_err_ratelimited("ioctl: cannot remove open device %s\n",
				   param->name);
		return r;
	}
	return remove_marked(cell, param);
}

/*
 * Remove every device that is not open (marking open ones for removal at
 * their last close if @mark_deferred), or with @only_deferred just those
 * marked.  Removing one may close another (a device it mapped), so the
 * walk restarts after every removal and ends when a pass removed nothing.
 * A device another remover is removing is left to it, and so is one
 * created after the call began: otherwise a caller that keeps creating
 * devices would keep the call from ever returning.
 *
 * Return: 0, or -EINTR if a fatal signal stopped it.
 */
static int remove_all_devices(bool mark_deferred, bool only_deferred)
{
	u64 last = sdm_created_seq();
	struct sdm_cell *cell;
	unsigned int skipped;
	struct rb_node *n;
	int r;

	for (;;) {
		skipped = 0;
		down_write(&_hash_lock);
		for (n = rb_first(&name_tree); n; n = rb_next(n)) {
			cell = rb_entry(n, struct sdm_cell, name_node);
			if (cell->md->created > last)
				continue;
			r = sdm_lock_for_deletion(cell->md, mark_deferred,
						  only_deferred);
			if (!r)
				break;
			if (r == -EBUSY)
				skipped++;
		}
		up_write(&_hash_lock);
		if (!n)
			break;

		r = remove_marked(cell, NULL);
		if (r)
			return r;
	}

	if (skipped && !only_deferred)
		pr_warn_ratelimited("ioctl: remove_all left %u open device(s)\n",
				    skipped);
	return 0;
}

static int remove_all(struct file *filp, struct dm_ioctl *param,
		      size_t param_size)
{
	/* as dm_mod: nothing of the request is copied back */
	param->data_size = 0;
	return remove_all_devices(param->flags & DM_DEFERRED_REMOVE, false);
}

/* Devices marked for deferred removal go when their last opener closes. */
static void do_deferred_remove(struct work_struct *work)
{
	remove_all_devices(false, true);
}

static DECLARE_WORK(deferred_remove_work, do_deferred_remove);
static struct workqueue_struct *deferred_remove_wq;

/* Called under _minor_lock by the last close of a marked device. */
void sdm_schedule_deferred_remove(void)
{
	queue_work(deferred_remove_wq, &deferred_remove_work);
}

static int do_suspend(struct dm_ioctl *param)
{
	struct mapped_device *md;
	int r;

	md = find_device(param);
	if (!md)
		return -ENXIO;

	r = sdm_suspend(md, !(param->flags & DM_SKIP_LOCKFS_FLAG),
			param->flags & DM_NOFLUSH_FLAG);
	if (!r)
		sdm_dev_status(md, param);
	dm_put(md);
	return r;
}

static int do_resume(struct dm_ioctl *param)
{
	struct sdm_resume_result res;
	struct sdm_table *new_map;
	struct mapped_device *md;
	struct sdm_cell *cell;
	int r;

	down_write(&_hash_lock);
	cell = find_cell(param);
	if (!cell) {
		up_write(&_hash_lock);
		return -ENXIO;
	}
	md = cell->md;
	if (!SDM_MUTANT(resume_without_reference))
		dm_get(md);
	new_map = cell->new_map;
	cell->new_map = NULL;
	param->flags &= ~DM_INACTIVE_PRESENT_FLAG;
	up_write(&_hash_lock);
	sdm_delay(SDM_DELAY_UNLOCKED_REF);

	/* a new table replaces the live one only on a suspended device */
	if (new_map && !sdm_suspended(md)) {
		r = sdm_suspend(md, !(param->flags & DM_SKIP_LOCKFS_FLAG),
				param->flags & DM_NOFLUSH_FLAG);
		if (r) {
			/* give the table back unless another load replaced it */
			down_write(&_hash_lock);
			if (md->cell && !md->cell->new_map) {
				md->cell->new_map = new_map;
				new_map = NULL;
			} else {
				r = -ENXIO;
			}
			up_write(&_hash_lock);
			if (new_map)
				sdm_table_destroy(new_map);
			if (!SDM_MUTANT(resume_without_reference))
				dm_put(md);
			return r;
		}
	}

	r = sdm_resume(md, new_map, &res);
	if (r) {
		if (new_map)
			sdm_table_destroy(new_map);
	} else {
		if (res.old_map)
			sdm_table_destroy(res.old_map);
		if (res.resumed &&
		    !sdm_kobject_uevent(md, KOBJ_CHANGE, param->event_nr,
					res.resized))
			param->flags |= DM_UEVENT_GENERATED_FLAG;
		sdm_dev_status(md, param);
	}
	if (!SDM_MUTANT(resume_without_reference))
		dm_put(md);
	return r;
}

static int dev_suspend(struct file *filp, struct dm_ioctl *param,
		       size_t param_size)
{
	if (param->flags & DM_SUSPEND_FLAG)
		return do_suspend(param);
	return do_resume(param);
}

static int dev_status(struct file *filp, struct dm_ioctl *param,
		      size_t param_size)
{
	struct mapped_device *md = find_device(param);

	if (!md)
		return -ENXIO;
	sdm_dev_status(md, param);
	dm_put(md);
	return 0;
}

/* Does @val start with @prefix (at most @max bytes, maybe unterminated)? */
static bool starts_with(const char *val, const char *prefix, size_t max)
{
	return !strncmp(val, prefix, strnlen(prefix, max));
}

static bool list_filter(struct sdm_cell *cell, struct dm_ioctl *param)
{
	return starts_with(cell->name, param->name, DM_NAME_LEN) &&
	       starts_with(cell->uuid ?: "", param->uuid, DM_UUID_LEN);
}

/*
 * One struct dm_name_list record per device, in name order, optionally
 * only those whose name and uuid start with the request's name and uuid.
 * Each record: dev, next (offset from this record), the name, then at
 * the next 8-byte boundary event_nr and flags, then (with DM_UUID_FLAG)
 * the uuid.  An empty list is a first record with dev 0.
 */
static int list_devices(struct file *filp, struct dm_ioctl *param,
			size_t param_size)
{
	bool with_uuid = param->flags & DM_UUID_FLAG;
	struct dm_name_list *nl, *prev = NULL;
	size_t len, needed = 0;
	struct sdm_cell *cell;
	struct rb_node *n;
	void *area;

	down_read(&_hash_lock);
	for (n = rb_first(&name_tree); n; n = rb_next(n)) {
		cell = rb_entry(n, struct sdm_cell, name_node);
		if (being_removed(cell) || !list_filter(cell, param))
			continue;
		needed += ALIGN(offsetof(struct dm_name_list, name) +
				strlen(cell->name) + 1, 8);
		needed += ALIGN(2 * sizeof(u32), 8);
		if (with_uuid && cell->uuid)
			needed += ALIGN(strlen(cell->uuid) + 1, 8);
	}

	area = reply_area(param, param_size, &len);
	if (len < needed || len < sizeof(nl->dev)) {
		param->flags |= DM_BUFFER_FULL_FLAG;
		goto out_unlock;
	}
	/* as upstream: an empty list's dev 0 lies beyond data_size */
	param->data_size = param->data_start + needed;

	nl = area;
	nl->dev = 0;
	for (n = rb_first(&name_tree); n; n = rb_next(n)) {
		u32 *event_nr;
		char *p;

		cell = rb_entry(n, struct sdm_cell, name_node);
		if (being_removed(cell) || !list_filter(cell, param))
			continue;
		if (prev)
			prev->next = (void *)nl - (void *)prev;
		nl->dev = huge_encode_dev(sdm_disk_devt(cell->md));
		nl->next = 0;
		memcpy(nl->name, cell->name, strlen(cell->name) + 1);
		event_nr = PTR_ALIGN((void *)nl->name + strlen(cell->name) + 1, 8);
		event_nr[0] = atomic_read(&cell->md->event_nr);
		event_nr[1] = 0;
		p = (char *)(event_nr + 2);
		if (with_uuid) {
			if (cell->uuid) {
				event_nr[1] |= DM_NAME_LIST_FLAG_HAS_UUID;
				memcpy(p, cell->uuid, strlen(cell->uuid) + 1);
				p += strlen(cell->uuid) + 1;
			} else {
				event_nr[1] |= DM_NAME_LIST_FLAG_DOESNT_HAVE_UUID;
			}
		}
		prev = nl;
		nl = PTR_ALIGN((void *)p, 8);
	}
out_unlock:
	up_read(&_hash_lock);
	return 0;
}

/* ---- table commands ---- */

/*
 * Walk the target specs of a TABLE_LOAD and add each target.  Every spec
 * must start 8-byte aligned, after the header and after the previous
 * spec's parameter string, and leave room for itself plus a NUL before
 * the end of the buffer; every parameter string must end inside it.
 */
static int populate_table(struct sdm_table *t, struct dm_ioctl *param,
			  size_t param_size)
{
	const char *end = (const char *)param + param_size;
	size_t min_off = SDM_IOCTL_MIN_SIZE;
	size_t off = param->data_start;
	unsigned int i;
	int r;

	if (!param->target_count) {
		pr_err_ratelimited("ioctl: table load without targets\n");
		return -EINVAL;
	}

	for (i = 0; i < param->target_count; i++) {
		char type[DM_MAX_TYPE_NAME + 1];
		struct dm_target_spec *spec;
		char *params, *nul;

		if (off < min_off) {
			pr_err_ratelimited("ioctl: target spec %u overlaps %s\n",
					   i, i ? "the previous parameters" :
					   "the ioctl header");
			return -EINVAL;
		}
		if (off % 8) {
			pr_err_ratelimited("ioctl: target spec %u is not 8-byte aligned\n",
					   i);
			return -EINVAL;
		}
		if (off >= param_size ||
		    param_size - off <= sizeof(struct dm_target_spec)) {
			pr_err_ratelimited("ioctl: target spec %u extends beyond the buffer\n",
					   i);
			return -EINVAL;
		}

		spec = (void *)param + off;
		params = (char *)(spec + 1);
		nul = memchr(params, '\0', end - params);
		if (!nul) {
			pr_err_ratelimited("ioctl: parameters of target %u are not terminated\n",
					   i);
			return -EINVAL;
		}
		memcpy(type, spec->target_type, DM_MAX_TYPE_NAME);
		type[DM_MAX_TYPE_NAME] = '\0';

		r = sdm_table_add_target(t, type, spec->sector_start,
					 spec->length, params);
		if (r)
			return r;

		min_off = nul + 1 - (const char *)param;
		off += spec->next;	/* relative to this spec on input */
	}
	return sdm_table_complete(t);
}

static int table_load(struct file *filp, struct dm_ioctl *param,
		      size_t param_size)
{
	struct sdm_table *t, *old;
	struct mapped_device *md;
	size_t room;
	int r;

	md = find_device(param);
	if (!md)
		return -ENXIO;

	/* each spec needs its own bytes plus a NUL: refuse impossible counts */
	room = param_size > param->data_start ? param_size - param->data_start : 0;
	if (param->target_count > SDM_MAX_TARGETS) {
		r = -EOVERFLOW;
		goto out_put;
	}
	if (param->target_count > room / (sizeof(struct dm_target_spec) + 1)) {
		pr_err_ratelimited("ioctl: %u targets cannot fit in %zu bytes\n",
				   param->target_count, room);
		r = -EINVAL;
		goto out_put;
	}

	r = sdm_table_create(&t, md, param->flags & DM_READONLY_FLAG,
			     param->target_count);
	if (r)
		goto out_put;

	mutex_lock(&md->type_lock);
	r = populate_table(t, param, param_size);
	if (!r)
		r = sdm_dax_check_type(md, t);
	if (!r)
		r = sdm_setup_disk(md, t);
	if (!r)
		sdm_dax_set_type(md, t);
	mutex_unlock(&md->type_lock);
	if (r)
		goto out_destroy;

	down_write(&_hash_lock);
	if (!md->cell) {
		up_write(&_hash_lock);
		pr_err_ratelimited("ioctl: device was removed during the load\n");
		r = -ENXIO;
		goto out_destroy;
	}
	old = md->cell->new_map;
	md->cell->new_map = t;
	up_write(&_hash_lock);

	param->flags |= DM_INACTIVE_PRESENT_FLAG;
	if (old)
		sdm_table_destroy(old);
	sdm_dev_status(md, param);
	dm_put(md);
	return 0;

out_destroy:
	sdm_table_destroy(t);
out_put:
	if (!SDM_MUTANT(load_error_leaks_reference))
		dm_put(md);
	return r;
}

static int table_clear(struct file *filp, struct dm_ioctl *param,
		       size_t param_size)
{
	struct mapped_device *md;
	struct sdm_cell *cell;
	struct sdm_table *old;

	down_write(&_hash_lock);
	cell = find_cell(param);
	if (!cell) {
		up_write(&_hash_lock);
		return -ENXIO;
	}
	old = cell->new_map;
	cell->new_map = NULL;
	md = cell->md;
	dm_get(md);
	/* mutant status_under_hash_lock: upstream's nested _hash_lock */
	if (SDM_MUTANT(status_under_hash_lock))
		sdm_dev_status(md, param);
	up_write(&_hash_lock);

	param->flags &= ~DM_INACTIVE_PRESENT_FLAG;
	if (old)
		sdm_table_destroy(old);
	sdm_dev_status(md, param);
	dm_put(md);
	return 0;
}

/*
 * The devices the live (or, with DM_QUERY_INACTIVE_TABLE_FLAG, the
 * inactive) table maps onto: a struct dm_target_deps with their numbers.
 */
static void retrieve_deps(struct sdm_table *t, struct dm_ioctl *param,
			  size_t param_size)
{
	struct dm_target_deps *deps;
	unsigned int count;
	size_t len, needed;

	deps = reply_area(param, param_size, &len);
	count = sdm_table_deps(t, NULL, 0);
	needed = struct_size(deps, dev, count);
	if (len < needed) {
		param->flags |= DM_BUFFER_FULL_FLAG;
		return;
	}
	deps->count = count;
	deps->padding = 0;
	sdm_table_deps(t, deps->dev, count);
	param->data_size = param->data_start + needed;
}

/*
 * Fill in the status of @md, then run @fn on its live table, or on its
 * inactive one with DM_QUERY_INACTIVE_TABLE_FLAG.  The table stays valid
 * during @fn: the live one under SRCU, the inactive one under _hash_lock.
 * A device without that table gets only the status.
 */
static void query_table_of(struct mapped_device *md, struct dm_ioctl *param,
			   size_t param_size,
			   void (*fn)(struct sdm_table *t,
				      struct dm_ioctl *param,
				      size_t param_size))
{
	struct sdm_table *t;
	int idx;

	sdm_dev_status(md, param);
	if (param->flags & DM_QUERY_INACTIVE_TABLE_FLAG) {
		down_read(&_hash_lock);
		t = md->cell ? md->cell->new_map : NULL;
		if (t)
			fn(t, param, param_size);
		up_read(&_hash_lock);
	} else {
		t = sdm_get_live_table(md, &idx);
		sdm_delay(SDM_DELAY_LIVE_TABLE);
		if (t)
			fn(t, param, param_size);
		sdm_put_live_table(md, idx);
	}
}

/* query_table_of() for the device a request names. */
static int query_table(struct dm_ioctl *param, size_t param_size,
		       void (*fn)(struct sdm_table *t, struct dm_ioctl *param,
				  size_t param_size))
{
	struct mapped_device *md = find_device(param);

	if (!md)
		return -ENXIO;
	query_table_of(md, param, param_size, fn);
	dm_put(md);
	return 0;
}

static int table_deps(struct file *filp, struct dm_ioctl *param,
		      size_t param_size)
{
	return query_table(param, param_size, retrieve_deps);
}

/*
 * One struct dm_target_spec per target, each followed by the target's
 * status (or table) string; spec->next is the offset of the following
 * spec from the start of the reply, as libdevmapper reads it.  A reply
 * that does not fit is cut short with DM_BUFFER_FULL_FLAG.
 */
static void retrieve_status(struct sdm_table *t, struct dm_ioctl *param,
			    size_t param_size)
{
	enum sdm_status_type type = param->flags & DM_STATUS_TABLE_FLAG ?
				    SDM_STATUS_TABLE : SDM_STATUS_INFO;
	size_t len, off = 0, used = 0;
	unsigned int i;
	char *area;

	area = reply_area(param, param_size, &len);
	for (i = 0; i < sdm_table_num_targets(t); i++) {
		struct sdm_target *ti = sdm_table_get_target(t, i);
		struct dm_target_spec *spec;
		size_t room, slen;
		char *str;

		/* room for the spec and at least one byte of string */
		if (off >= len || len - off <= sizeof(*spec)) {
			param->flags |= DM_BUFFER_FULL_FLAG;
			break;
		}
		spec = (struct dm_target_spec *)(area + off);
		spec->status = 0;
		spec->sector_start = ti->begin;
		spec->length = ti->len;
		strscpy_pad(spec->target_type, ti->type->name,
			    sizeof(spec->target_type));

		str = (char *)(spec + 1);
		room = len - off - sizeof(*spec);
		room = min_t(size_t, room, UINT_MAX);
		if (ti->type->status)
			ti->type->status(ti, type, str, room);
		else
			str[0] = '\0';
		slen = strnlen(str, room);
		if (slen + 1 >= room) {
			/* the string filled the rest: it may be cut */
			param->flags |= DM_BUFFER_FULL_FLAG;
			break;
		}
		off = str + slen + 1 - area;
		used = param->data_start + off;
		off = ALIGN(off, 8);
		spec->next = off;
	}
	if (used)
		param->data_size = used;
	param->target_count = sdm_table_num_targets(t);
}

static int table_status(struct file *filp, struct dm_ioctl *param,
			size_t param_size)
{
	return query_table(param, param_size, retrieve_status);
}

/* ---- rename, wait, messages, geometry, poll ---- */

/*
 * A string argument in the payload: it must start inside the payload
 * (at or after data[], so it cannot alias the header) and end with a NUL
 * before the end of what was copied in.  Returns it, or NULL.
 */
static char *payload_string(struct dm_ioctl *param, size_t param_size,
			    size_t offset)
{
	char *str = (char *)param + offset;

	if (offset < SDM_IOCTL_MIN_SIZE || offset >= param_size ||
	    !memchr(str, '\0', param_size - offset))
		return NULL;
	return str;
}

static int dev_rename(struct file *filp, struct dm_ioctl *param,
		      size_t param_size)
{
	bool set_uuid = param->flags & DM_UUID_FLAG;
	size_t max = set_uuid ? DM_UUID_LEN - 1 : DM_NAME_LEN - 1;
	struct mapped_device *md;
	struct sdm_cell *cell;
	char *new, *dup;
	int idx, r = 0;

	new = payload_string(param, param_size, param->data_start);
	if (!new || !*new || strlen(new) > max) {
		pr_err_ratelimited("ioctl: invalid new device name or uuid\n");
		return -EINVAL;
	}
	if (!set_uuid) {
		r = check_name(new);
		if (r)
			return r;
	}
	dup = kstrdup(new, GFP_KERNEL);
	if (!dup)
		return -ENOMEM;

	down_write(&_hash_lock);
	if (set_uuid ? cell_by_uuid(new) : cell_by_name(new)) {
		pr_err_ratelimited("ioctl: cannot rename to %s: it exists\n",
				   new);
		r = -EBUSY;
		goto out_unlock;
	}
	/* as dm_mod: the device to rename is named, never found by uuid */
	cell = cell_by_name(param->name);
	if (!cell || being_removed(cell)) {
		pr_err_ratelimited("ioctl: cannot rename %s: no such device\n",
				   param->name);
		r = -ENXIO;
		goto out_unlock;
	}
	if (set_uuid && cell->uuid) {
		pr_err_ratelimited("ioctl: %s already has uuid %s\n",
				   cell->name, cell->uuid);
		r = -EINVAL;
		goto out_unlock;
	}

	if (set_uuid) {
		cell->uuid = dup;
		insert_by_uuid(cell);
	} else {
		rb_erase(&cell->name_node, &name_tree);
		kfree(cell->name);
		cell->name = dup;
		insert_by_name(cell);
	}
	dup = NULL;

	md = cell->md;
	dm_get(md);
	/* as dm_mod: a device with a live table reports a table event */
	if (sdm_get_live_table(md, &idx))
		sdm_md_event(md);
	sdm_put_live_table(md, idx);
	if (!sdm_kobject_uevent(md, KOBJ_CHANGE, param->event_nr, false))
		param->flags |= DM_UEVENT_GENERATED_FLAG;
	up_write(&_hash_lock);

	sdm_dev_status(md, param);
	dm_put(md);
	return 0;

out_unlock:
	up_write(&_hash_lock);
	kfree(dup);
	return r;
}

/*
 * Sleep until the device's event number differs from the request's, then
 * answer as TABLE_STATUS does.  Removal wakes the sleeper.
 */
static int dev_wait(struct file *filp, struct dm_ioctl *param,
		    size_t param_size)
{
	struct mapped_device *md = find_device(param);
	u32 event_nr = param->event_nr;
	int r;

	if (!md)
		return -ENXIO;

	r = wait_event_interruptible(md->eventq,
				     atomic_read(&md->event_nr) != event_nr);
	if (!r)
		query_table_of(md, param, param_size, retrieve_status);
	dm_put(md);
	return r;
}

/* Messages to the core start with '@'; the rest go to a target. */
static int message_for_core(struct mapped_device *md, unsigned int argc,
			    char **argv)
{
	if (!strcasecmp(argv[0], "@cancel_deferred_remove")) {
		if (argc != 1) {
			pr_err_ratelimited("ioctl: invalid arguments for @cancel_deferred_remove\n");
			return -EINVAL;
		}
		return sdm_cancel_deferred_remove(md);
	}
	pr_err_ratelimited("ioctl: unsupported message to the core: %s\n",
			   argv[0]);
	return -EINVAL;
}

static int target_message(struct file *filp, struct dm_ioctl *param,
			  size_t param_size)
{
	struct dm_target_msg *msg;
	struct mapped_device *md;
	struct sdm_table *t;
	struct sdm_target *ti;
	size_t off = param->data_start;
	char **argv, *result;
	size_t maxlen;
	int argc, idx, r;

	md = find_device(param);
	if (!md)
		return -ENXIO;

	msg = (struct dm_target_msg *)((char *)param + off);
	if (off < SDM_IOCTL_MIN_SIZE || off >= param_size ||
	    param_size - off <= sizeof(*msg) ||
	    !payload_string(param, param_size, off + sizeof(*msg))) {
		pr_err_ratelimited("ioctl: invalid target message parameters\n");
		r = -EINVAL;
		goto out_put;
	}

	r = sdm_split_args(msg->message, &argc, &argv);
	if (r)
		goto out_put;
	if (!argc) {
		pr_err_ratelimited("ioctl: empty message\n");
		r = -EINVAL;
		goto out_free_argv;
	}

	result = reply_area(param, param_size, &maxlen);
	if (argv[0][0] == '@') {
		r = message_for_core(md, argc, argv);
		goto out_free_argv;
	}

	t = sdm_get_live_table(md, &idx);
	if (!t) {
		pr_err_ratelimited("ioctl: message to a device without a table\n");
		r = -EINVAL;
		goto out_put_table;
	}
	if (test_bit(DMF_DELETING, &md->flags)) {
		r = -ENXIO;
		goto out_put_table;
	}
	ti = sdm_table_find_target(t, msg->sector);
	if (!ti) {
		pr_err_ratelimited("ioctl: target message sector outside the device\n");
		r = -EINVAL;
	} else if (ti->type->message) {
		r = ti->type->message(ti, argc, argv, result,
				      min_t(size_t, maxlen, UINT_MAX));
	} else {
		pr_err_ratelimited("ioctl: target type %s takes no messages\n",
				   ti->type->name);
		r = -EINVAL;
	}
out_put_table:
	sdm_put_live_table(md, idx);
out_free_argv:
	kfree(argv);
	if (r >= 0)
		sdm_dev_status(md, param);
	if (r == 1) {
		/* the target wrote a reply */
		param->flags |= DM_DATA_OUT_FLAG;
		if (!maxlen || strnlen(result, maxlen) + 1 >= maxlen)
			param->flags |= DM_BUFFER_FULL_FLAG;
		else
			param->data_size = param->data_start +
					   strlen(result) + 1;
		r = 0;
	}
out_put:
	dm_put(md);
	return r;
}

static int dev_set_geometry(struct file *filp, struct dm_ioctl *param,
			    size_t param_size)
{
	unsigned long cyl, heads, sectors, start;
	struct hd_geometry geo;
	struct mapped_device *md;
	char *str, dummy;
	int r = -EINVAL;

	md = find_device(param);
	if (!md)
		return -ENXIO;

	str = payload_string(param, param_size, param->data_start);
	if (!str) {
		pr_err_ratelimited("ioctl: invalid geometry string\n");
		goto out_put;
	}
	if (sscanf(str, "%lu %lu %lu %lu%c", &cyl, &heads, &sectors, &start,
		   &dummy) != 4) {
		pr_err_ratelimited("ioctl: cannot parse geometry \"%s\"\n", str);
		goto out_put;
	}
	if (cyl > 65535 || heads > 255 || sectors > 255) {
		pr_err_ratelimited("ioctl: geometry exceeds range limits\n");
		goto out_put;
	}

	geo.cylinders = cyl;
	geo.heads = heads;
	geo.sectors = sectors;
	geo.start = start;
	r = sdm_set_geometry(md, &geo);
	/* as dm_mod: nothing of the request is copied back */
	param->data_size = 0;
out_put:
	dm_put(md);
	return r;
}

/* Per open control file: the global event number poll() compares with. */
struct sdm_ctl_file {
	u32 global_event_nr;
};

static int dev_arm_poll(struct file *filp, struct dm_ioctl *param,
			size_t param_size)
{
	struct sdm_ctl_file *cf = filp->private_data;

	cf->global_event_nr = sdm_global_event_nr();
	return 0;
}

/*
 * Indexed by command number.  DM_VERSION is answered by the version check
 * itself; a command without a handler is unknown (-ENOTTY), as upstream
 * treats numbers it does not implement.
 */
static const struct sdm_ioctl_cmd sdm_ioctl_cmds[] = {
	[DM_VERSION_CMD]		= { 0, NULL },
	[DM_REMOVE_ALL_CMD]		= { NO_PARAMS | GLOBAL_EVENT, remove_all },
	[DM_LIST_DEVICES_CMD]		= { 0, list_devices },
	[DM_DEV_CREATE_CMD]		= { NO_PARAMS | GLOBAL_EVENT, dev_create },
	[DM_DEV_REMOVE_CMD]		= { NO_PARAMS | GLOBAL_EVENT, dev_remove },
	[DM_DEV_RENAME_CMD]		= { GLOBAL_EVENT, dev_rename },
	[DM_DEV_SUSPEND_CMD]		= { NO_PARAMS, dev_suspend },
	[DM_DEV_STATUS_CMD]		= { NO_PARAMS, dev_status },
	[DM_DEV_WAIT_CMD]		= { 0, dev_wait },
	[DM_TABLE_LOAD_CMD]		= { 0, table_load },
	[DM_TABLE_CLEAR_CMD]		= { NO_PARAMS, table_clear },
	[DM_TABLE_DEPS_CMD]		= { 0, table_deps },
	[DM_TABLE_STATUS_CMD]		= { 0, table_status },
	[DM_LIST_VERSIONS_CMD]		= { 0, list_versions },
	[DM_TARGET_MSG_CMD]		= { 0, target_message },
	[DM_DEV_SET_GEOMETRY_CMD]	= { 0, dev_set_geometry },
	[DM_DEV_ARM_POLL_CMD]		= { NO_PARAMS, dev_arm_poll },
	[DM_GET_TARGET_VERSION_CMD]	= { 0, get_target_version },
};

/*
 * Fetch the interface version once, check it and always report ours back,
 * both in the caller's buffer and in @hdr, the header the reply is built
 * from.  A different major or a newer minor than ours is -EINVAL.
 */
static int check_version(struct dm_ioctl __user *user, struct dm_ioctl *hdr)
{
	static const u32 ours[3] = {
		DM_VERSION_MAJOR, DM_VERSION_MINOR, DM_VERSION_PATCHLEVEL,
	};
	u32 theirs[3];
	int r = 0;

	if (copy_from_user(theirs, user->version, sizeof(theirs)))
		return -EFAULT;

	if (theirs[0] != ours[0] || theirs[1] > ours[1]) {
		pr_err_ratelimited("ioctl: interface %u.%u.%u is incompatible with %u.%u.%u\n",
				   theirs[0], theirs[1], theirs[2],
				   ours[0], ours[1], ours[2]);
		r = -EINVAL;
	}

	memcpy(hdr->version, ours, sizeof(ours));
	if (copy_to_user(user->version, ours, sizeof(ours)))
		return -EFAULT;
	return r;
}

/*
 * Bring a request into the kernel.  The fixed header, apart from the
 * version that check_version() already put there, is copied once into
 * @hdr; data_size is validated there before it sizes an allocation, and
 * the buffer is assembled from @hdr plus the payload, so no field is
 * fetched twice.  Header-only commands work on @hdr itself.  With
 * DM_SECURE_DATA_FLAG the caller's buffer is wiped once copied.
 */
static int copy_request(struct dm_ioctl __user *user, struct dm_ioctl *hdr,
			const struct sdm_ioctl_cmd *cmd,
			struct dm_ioctl **paramp)
{
	const size_t vlen = sizeof(hdr->version);
	struct dm_ioctl *param;

	if (copy_from_user((void *)hdr + vlen, (void __user *)user + vlen,
			   SDM_IOCTL_MIN_SIZE - vlen))
		return -EFAULT;

	if (hdr->data_size < SDM_IOCTL_MIN_SIZE ||
	    hdr->data_size > SDM_IOCTL_MAX_SIZE) {
		pr_err_ratelimited("ioctl: invalid data_size %u\n",
				   hdr->data_size);
		return -EINVAL;
	}

	if (cmd->flags & NO_PARAMS) {
		hdr->data_size = SDM_IOCTL_MIN_SIZE;
		param = hdr;
	} else {
		param = kvmalloc(hdr->data_size,
				 GFP_NOIO | __GFP_HIGH | __GFP_NOWARN);
		if (!param) {
			pr_err_ratelimited("ioctl: no memory for a %u byte request\n",
					   hdr->data_size);
			return -ENOMEM;
		}
		memcpy(param, hdr, SDM_IOCTL_MIN_SIZE);
		if (copy_from_user(param->data, user->data,
				   hdr->data_size - SDM_IOCTL_MIN_SIZE)) {
			kvfree(param);
			return -EFAULT;
		}
	}

	if ((hdr->flags & DM_SECURE_DATA_FLAG) &&
	    clear_user(user, hdr->data_size)) {
		if (param != hdr)
			kvfree_sensitive(param, hdr->data_size);
		return -EFAULT;
	}

	*paramp = param;
	return 0;
}

static void free_request(struct dm_ioctl *param, struct dm_ioctl *hdr,
			 size_t size, bool secure)
{
	if (param == hdr) {
		if (secure)
			memzero_explicit(hdr, sizeof(*hdr));
		return;
	}
	if (secure)
		kvfree_sensitive(param, size);
	else
		kvfree(param);
}

/*
 * Check the identifiers of a request: drop kernel-only flags, demand a
 * name for DM_DEV_CREATE, refuse a name and a uuid together, and make both
 * strings NUL-terminated whatever the caller sent.
 */
VISIBLE_IF_KUNIT
int sdm_validate_request(unsigned int nr, struct dm_ioctl *param)
{
	param->flags &= ~SDM_OUT_ONLY_FLAGS;

	if (nr == DM_REMOVE_ALL_CMD || nr == DM_LIST_DEVICES_CMD ||
	    nr == DM_LIST_VERSIONS_CMD)
		return 0;

	if (nr == DM_DEV_CREATE_CMD) {
		if (!param->name[0]) {
			pr_err_ratelimited("ioctl: create without a name\n");
			return -EINVAL;
		}
	} else if (param->name[0] && param->uuid[0]) {
		pr_err_ratelimited("ioctl: both name and uuid given (cmd %u)\n",
				   nr);
		return -EINVAL;
	}

	param->name[DM_NAME_LEN - 1] = '\0';
	param->uuid[DM_UUID_LEN - 1] = '\0';
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(sdm_validate_request);

static long sdm_ctl_ioctl(struct file *filp, unsigned int command,
			  unsigned long arg)
{
	struct dm_ioctl __user *user = (struct dm_ioctl __user *)arg;
	unsigned int nr = _IOC_NR(command);
	const struct sdm_ioctl_cmd *cmd;
	struct dm_ioctl hdr, *param;
	size_t param_size;
	bool secure;
	int r;

	if (!capable(CAP_SYS_ADMIN))
		return -EACCES;

	if (_IOC_TYPE(command) != DM_IOCTL)
		return -ENOTTY;

	r = check_version(user, &hdr);
	if (r || nr == DM_VERSION_CMD)
		return r;

	if (nr >= ARRAY_SIZE(sdm_ioctl_cmds))
		goto unknown;
	cmd = &sdm_ioctl_cmds[array_index_nospec(nr, ARRAY_SIZE(sdm_ioctl_cmds))];
	if (!cmd->fn)
		goto unknown;

	r = copy_request(user, &hdr, cmd, &param);
	if (r)
		return r;
	secure = hdr.flags & DM_SECURE_DATA_FLAG;
	param_size = param->data_size;

	r = sdm_validate_request(nr, param);
	if (r)
		goto out_free;

	/* A handler that writes a payload raises data_size to cover it. */
	param->data_size = SDM_IOCTL_MIN_SIZE;
	r = cmd->fn(filp, param, param_size);
	if (r)
		goto out_free;
	if (cmd->flags & GLOBAL_EVENT)
		sdm_issue_global_event();

	if (WARN_ON_ONCE(param->data_size > param_size))
		r = -EINVAL;
	else if (copy_to_user(user, param, param->data_size))
		r = -EFAULT;

out_free:
	free_request(param, &hdr, param_size, secure);
	return r;

unknown:
	pr_err_ratelimited("ioctl: unknown command %u\n", nr);
	return -ENOTTY;
}

static int sdm_ctl_open(struct inode *inode, struct file *filp)
{
	struct sdm_ctl_file *cf;
	int r;

	r = nonseekable_open(inode, filp);
	if (r)
		return r;
	cf = kzalloc(sizeof(*cf), GFP_KERNEL);
	if (!cf)
		return -ENOMEM;
	cf->global_event_nr = sdm_global_event_nr();
	filp->private_data = cf;
	return 0;
}

static int sdm_ctl_release(struct inode *inode, struct file *filp)
{
	kfree(filp->private_data);
	return 0;
}

/* Readable once a global event happened after the last DM_DEV_ARM_POLL. */
static __poll_t sdm_ctl_poll(struct file *filp, poll_table *wait)
{
	struct sdm_ctl_file *cf = filp->private_data;

	poll_wait(filp, &sdm_global_eventq, wait);
	if ((int)(sdm_global_event_nr() - cf->global_event_nr) > 0)
		return EPOLLIN;
	return 0;
}

static const struct file_operations sdm_ctl_fops = {
	.owner		= THIS_MODULE,
	.open		= sdm_ctl_open,
	.release	= sdm_ctl_release,
	.poll		= sdm_ctl_poll,
	.llseek		= noop_llseek,
	.unlocked_ioctl	= sdm_ctl_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
};

static struct miscdevice sdm_ctl_misc = {
	.minor		= MAPPER_CTRL_MINOR,
	.name		= SDM_NAME,
	.nodename	= DM_DIR "/" DM_CONTROL_NODE,
	.fops		= &sdm_ctl_fops,
};

int sdm_ioctl_init(void)
{
	int r;

	deferred_remove_wq = alloc_ordered_workqueue("sdm_deferred_remove", 0);
	if (!deferred_remove_wq)
		return -ENOMEM;

	r = misc_register(&sdm_ctl_misc);
	if (r == -EBUSY)
		pr_err("misc minor %d (%s/%s) is taken: unload dm_mod first\n",
		       MAPPER_CTRL_MINOR, DM_DIR, DM_CONTROL_NODE);
	else if (r)
		pr_err("cannot register %s/%s: %d\n", DM_DIR, DM_CONTROL_NODE, r);
	if (r)
		destroy_workqueue(deferred_remove_wq);
	return r;
}

void sdm_ioctl_exit(void)
{
	misc_deregister(&sdm_ctl_misc);
	/* a deferred removal that freed the last device may still be ending */
	destroy_workqueue(deferred_remove_wq);
}

/*
 * Opening /dev/mapper/control (created at boot from modules.devname) loads
 * the module behind these aliases; with dm_mod blacklisted that is sdm.
 */
MODULE_ALIAS_MISCDEV(MAPPER_CTRL_MINOR);
MODULE_ALIAS("devname:" DM_DIR "/" DM_CONTROL_NODE);
