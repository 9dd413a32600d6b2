// SPDX-License-Identifier: GPL-2.0-only
/*
 * The registry of target types.
 *
 * Target types register here under a unique name.  Table loading looks a
 * type up by name and pins its module; the control device reports the
 * registered types and their versions (DM_LIST_VERSIONS and
 * DM_GET_TARGET_VERSION).  Unlike dm_mod, sdm never calls request_module()
 * for an unknown name: a "dm-<name>" module would pull dm_mod in behind it.
 */
#include <linux/lockdep.h>
#include <linux/module.h>
#include <linux/rwsem.h>
#include <linux/string.h>

#include "sdm.h"

/*
 * _targets_lock guards _targets, the list of registered target types, and
 * the list linkage of every type on it.  Lookups and listings take it for
 * reading, (un)registration for writing.
 *
 * Lock order: innermost.  Nothing else is acquired while it is held and no
 * target callback runs under it.
 */
static DECLARE_RWSEM(_targets_lock);
static LIST_HEAD(_targets);

static struct sdm_target_type *find_target_type(const char *name)
{
	struct sdm_target_type *tt;

	lockdep_assert_held(&_targets_lock);

	list_for_each_entry(tt, &_targets, list)
		if (!strcmp(tt->name, name))
			return tt;
	return NULL;
}

/**
 * sdm_register_target() - make a target type available to tables
 * @tt: the type; name, module and version must be set
 *
 * Return: 0, -EINVAL for a name that is empty or does not fit
 * DM_MAX_TYPE_NAME, or -EEXIST if the name is taken.
 */
int sdm_register_target(struct sdm_target_type *tt)
{
	size_t len = tt->name ? strnlen(tt->name, DM_MAX_TYPE_NAME) : 0;
	int r = 0;

	if (!len || len == DM_MAX_TYPE_NAME) {
		pr_err("target type name must be 1 to %d characters\n",
		       DM_MAX_TYPE_NAME - 1);
		return -EINVAL;
	}

	down_write(&_targets_lock);
	if (find_target_type(tt->name))
		r = -EEXIST;
	else
		list_add(&tt->list, &_targets);
	up_write(&_targets_lock);

	if (r)
		pr_err("target type %s is already registered\n", tt->name);
	return r;
}
EXPORT_SYMBOL_GPL(sdm_register_target);

/**
 * sdm_unregister_target() - withdraw a target type
 * @tt: a type registered with sdm_register_target()
 *
 * Tables that use the type pin its module, so this only runs from the
 * module's exit path once no table refers to it.
 */
void sdm_unregister_target(struct sdm_target_type *tt)
{
	down_write(&_targets_lock);
	list_del(&tt->list);
	up_write(&_targets_lock);
}
EXPORT_SYMBOL_GPL(sdm_unregister_target);

/**
 * sdm_get_target_type() - look a target type up and pin its module
 * @name: the type's name
 *
 * Return: the type, to be released with sdm_put_target_type(), or NULL if
 * no such type is registered or its module is going away.
 */
struct sdm_target_type *sdm_get_target_type(const char *name)
{
	struct sdm_target_type *tt;

	down_read(&_targets_lock);
	tt = find_target_type(name);
	if (tt && !try_module_get(tt->module))
		tt = NULL;
	up_read(&_targets_lock);

	return tt;
}
EXPORT_SYMBOL_IF_KUNIT(sdm_get_target_type);

void sdm_put_target_type(struct sdm_target_type *tt)
{
	module_put(tt->module);
}
EXPORT_SYMBOL_IF_KUNIT(sdm_put_target_type);

/* Bytes one struct dm_target_versions record takes, padding included. */
static size_t versions_record_size(const struct sdm_target_type *tt)
{
	return ALIGN(sizeof(struct dm_target_versions) + strlen(tt->name) + 1,
		     8);
}

/**
 * sdm_target_versions_fill() - encode target versions for userspace
 * @name: report only this type, or every type if NULL
 * @buf: where the records go (8-byte aligned)
 * @len: bytes available at @buf
 * @needed: set to the bytes the records take
 *
 * Writes a chain of struct dm_target_versions records, each 8-byte
 * aligned, each ->next giving the offset of the following record from its
 * own start and 0 in the last one.  Sizing and writing happen under one
 * hold of _targets_lock, so a type registered in between cannot make the
 * second pass overrun what the first pass measured.  If the records do not
 * fit, nothing is written and *@needed exceeds @len.
 *
 * Return: 0, or -EINVAL if @name names no registered type.
 */
int sdm_target_versions_fill(const char *name, void *buf, size_t len,
			     size_t *needed)
{
	struct dm_target_versions *rec, *prev = NULL;
	struct sdm_target_type *tt;
	size_t total = 0;
	int r = 0;

	down_read(&_targets_lock);

	list_for_each_entry(tt, &_targets, list)
		if (!name || !strcmp(tt->name, name))
			total += versions_record_size(tt);
	*needed = total;

	if (name && !total) {
		r = -EINVAL;
		goto out_unlock;
	}
	if (total > len)
		goto out_unlock;

	rec = buf;
	list_for_each_entry(tt, &_targets, list) {
		if (name && strcmp(tt->name, name))
			continue;
		if (prev)
			prev->next = (void *)rec - (void *)prev;
		rec->next = 0;
		rec->version[0] = tt->version[0];
		rec->version[1] = tt->version[1];
		rec->version[2] = tt->version[2];
		memcpy(rec->name, tt->name, strlen(tt->name) + 1);
		prev = rec;
		rec = (void *)rec + versions_record_size(tt);
	}

out_unlock:
	up_read(&_targets_lock);
	return r;
}
EXPORT_SYMBOL_IF_KUNIT(sdm_target_versions_fill);
