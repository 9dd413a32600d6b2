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
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/nospec.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "sdm.h"

/* Only the fixed header is copied in and back; data_size is not used. */
#define SDM_IOCTL_NO_PARAMS	BIT(0)

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

/*
 * Indexed by command number.  DM_VERSION is answered by the version check
 * itself; a command without a handler is unknown (-ENOTTY), as upstream
 * treats numbers it does not implement.
 */
static const struct sdm_ioctl_cmd sdm_ioctl_cmds[] = {
	[DM_VERSION_CMD]		= { 0, NULL },
	[DM_LIST_VERSIONS_CMD]		= { 0, list_versions },
	[DM_GET_TARGET_VERSION_CMD]	= { 0, get_target_version },
};

/*
 * Fetch the interface version once, check it and always report ours back.
 * A different major or a newer minor than ours is -EINVAL.
 */
static int check_version(struct dm_ioctl __user *user)
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

	if (copy_to_user(user->version, ours, sizeof(ours)))
		return -EFAULT;
	return r;
}

/*
 * Bring a request into the kernel.  The fixed header, apart from the
 * version that check_version() already consumed, is copied once into
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

	if (cmd->flags & SDM_IOCTL_NO_PARAMS) {
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

	r = check_version(user);
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

static const struct file_operations sdm_ctl_fops = {
	.owner		= THIS_MODULE,
	.open		= nonseekable_open,
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
	int r = misc_register(&sdm_ctl_misc);

	if (r == -EBUSY)
		pr_err("misc minor %d (%s/%s) is taken: unload dm_mod first\n",
		       MAPPER_CTRL_MINOR, DM_DIR, DM_CONTROL_NODE);
	else if (r)
		pr_err("cannot register %s/%s: %d\n", DM_DIR, DM_CONTROL_NODE, r);
	return r;
}

void sdm_ioctl_exit(void)
{
	misc_deregister(&sdm_ctl_misc);
}

/*
 * Opening /dev/mapper/control (created at boot from modules.devname) loads
 * the module behind these aliases; with dm_mod blacklisted that is sdm.
 */
MODULE_ALIAS_MISCDEV(MAPPER_CTRL_MINOR);
MODULE_ALIAS("devname:" DM_DIR "/" DM_CONTROL_NODE);
