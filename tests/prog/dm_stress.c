// SPDX-License-Identifier: GPL-2.0-only
/*
 * dm_stress - every lifetime operation of mapped devices at once, one
 * thread a role, with invariants checked while they race.
 *
 *   dm_stress [--min N] [--unbound-eio] [--poison ADDR] SECS PREFIX BACKING
 *
 * Devices are PREFIX<k> (k < SLOTS, dynamic minors; renamed to
 * PREFIX<k>r and back) and PREFIXf<k> (persistent minors FIXED_MINOR + k),
 * each creation with a uuid of its own (PREFIX-u<creation>), and linear
 * tables over the block device BACKING.  The roles (sixteen threads, two
 * each for create, create-fixed, open, lookup and reload, and one more
 * with --poison):
 *
 *   create	create a named device (dynamic minor), load, resume
 *   create-fixed	the same with a persistent minor
 *   remove	DEV_REMOVE by name (either name of a slot)
 *   deferred	DEV_REMOVE with DM_DEFERRED_REMOVE
 *   remove-all	DM_REMOVE_ALL, one call every REMOVE_ALL_MS
 *   open	open a device node by number, read 4 KiB, close; the nodes
 *		are the test's own (as /dev/mapper's are), so those of
 *		removed devices stay: their opens must fail with ENXIO
 *   open-devtmpfs	the same through /dev/dm-N (ENOENT once gone)
 *   lookup	LIST_DEVICES, then DEV_STATUS by name, uuid and dev
 *   rename	DEV_RENAME PREFIX<k> <-> PREFIX<k>r
 *   reload	TABLE_LOAD, suspend, resume
 *   sysfs	read dm/name, dm/uuid and holders/ of every dm-N, and the
 *		backing device's holders/
 *   poison	with --poison (BACKING is then a pmem whose byte 0 is at the
 *		physical address ADDR): one thread poisons the pages of
 *		BACKING's first MiB by address (hard_offline_page), one at a
 *		time, spread over SECS; each memory failure notification
 *		walks the devices mapping BACKING while they come and go.
 *		Nothing maps the pages as a file, so each must end in
 *		memory_failure()'s generic handling: EBUSY.
 *
 * Invariants, checked during the run:
 *   - every call ends in success or one of the errnos its role allows;
 *   - a device found by name, uuid or number has the minor its creation
 *     got (a name maps to the minor it was created with);
 *   - a minor handed out again belongs to no device still there: the
 *     creation that had it before cannot be found by its uuid;
 *   - while a node is held open its device stays and keeps its uuid,
 *     and a read from it succeeds (with --unbound-eio, a read may fail
 *     with EIO if the device had no live table just before it);
 *   - an open of a removed device fails with ENXIO.
 * Every role must reach --min successful operations (default 1; one for
 * REMOVE_ALL, whose calls can last seconds under dm_mod): after
 * SECS, while a role is short of it, all go on for up to OVERTIME seconds
 * more.  At the end every device is removed (none busy), none is left,
 * and a new device gets the lowest minor it had before the run.
 *
 * The counts are printed as "measured: dm_stress ROLE CALLS calls DONE
 * done" lines (a passing test's are kept in its TAP output).
 *
 * Exit: 0 if all held, 1 if not (each violation printed), 2 on a usage
 * or setup error.
 */
#define PROG "dm_stress"
#include "dm_prog.h"
#include <dirent.h>
#include <getopt.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <unistd.h>

#define SLOTS		6
#define FIXED_MINOR	1000
#define MAX_CREATIONS	1048576
#define MAX_MINOR	(FIXED_MINOR + SLOTS)
#define REMOVE_ALL_MS	1500
#define OVERTIME	240
#define STUCK		60
#define NODE_DIR	"/tmp/dm_stress"
#define OK(e)		(1ULL << (e))
/* with the offsets of pick(r, 8) * 8, all inside BACKING's first MiB */
#define TABLE_LEN	1984
#define POISON_PAGES	240
#define HARD_OFFLINE	"/sys/devices/system/memory/hard_offline_page"

static const char *prefix;
static unsigned long long poison_base;	/* --poison: BACKING's address */
static int secs;
static unsigned int dm_major;
static unsigned long min_ops = 1;
static time_t deadline, cap;
static atomic_bool stop;
static atomic_ulong violations;
static atomic_uint creations;
/*
 * --unbound-eio: a read may fail with EIO if, just before it, the device
 * had no live table.  dm_mod (6.12) sets a device's size before it
 * publishes its first table, and fails a bio that finds no table even
 * while the device is suspended for that first resume.
 */
static bool unbound_eio;
static atomic_ulong unbound_eios;
/* creation c's minor + 1, once its creator knows it (0 before) */
static atomic_uint created_minor[MAX_CREATIONS];
/* creation + 1 that a minor was last handed out to, as far as known */
static atomic_uint minor_owner[MAX_MINOR];
static pthread_mutex_t print_lock = PTHREAD_MUTEX_INITIALIZER;

struct role {
	const char *name;
	void (*fn)(struct role *r);
	unsigned long long allowed;	/* errnos a call may end with */
	atomic_ulong calls, ok;
	unsigned int seed;
	bool off;			/* not in this run */
	pthread_t thread;
};

static void violation(const char *fmt, ...)
{
	va_list ap;

	atomic_fetch_add(&violations, 1);
	pthread_mutex_lock(&print_lock);
	fprintf(stderr, "dm_stress: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	pthread_mutex_unlock(&print_lock);
}

static void die(const char *msg)
{
	fprintf(stderr, "dm_stress: %s\n", msg);
	exit(2);
}

/* Count a call ending in @e; a violation unless it is allowed. */
static int note(struct role *r, const char *what, const char *name, int e)
{
	atomic_fetch_add(&r->calls, 1);
	if (e && !(e < 64 && (r->allowed & OK(e))))
		violation("%s: %s %s: unexpected %s", r->name, what,
			  name ? name : "", ename(e));
	return e;
}

static void role_remove_all(struct role *r);

/*
 * The operations @r must get done: --min, but one REMOVE_ALL: against
 * creators, one call of dm_mod's can last seconds (it walks again after
 * every removal).
 */
static unsigned long role_min(struct role *r)
{
	if (r->off)
		return 0;
	return r->fn == role_remove_all && min_ops ? 1 : min_ops;
}

static bool some_role_short(void);

/*
 * Go on: before SECS, or after it while any role is short, until cap.
 * Every role goes on, not only the short one: a creator short of its
 * minimum needs the removers to free names and minors (on a busy host a
 * creator's first resumes can take most of SECS).
 */
static bool racing(void)
{
	time_t now = time(NULL);

	if (atomic_load(&stop))
		return false;
	if (now < deadline)
		return true;
	return now < cap && some_role_short();
}

static unsigned int pick(struct role *r, unsigned int n)
{
	return rand_r(&r->seed) % n;
}

static void slot_name(char *buf, size_t size, unsigned int k, bool renamed)
{
	snprintf(buf, size, "%s%u%s", prefix, k, renamed ? "r" : "");
}

static void fixed_name(char *buf, size_t size, unsigned int k)
{
	snprintf(buf, size, "%sf%u", prefix, k);
}

/* Either name of a random slot, or a fixed-minor device's. */
static void any_name(struct role *r, char *buf, size_t size)
{
	unsigned int k = pick(r, 3 * SLOTS);

	if (k < 2 * SLOTS)
		slot_name(buf, size, k / 2, k & 1);
	else
		fixed_name(buf, size, k - 2 * SLOTS);
}

/* The creation a uuid PREFIX-u<c> names, or -1 if it is not one. */
static long creation_of(const char *uuid)
{
	size_t n = strlen(prefix);
	char *end;
	long c;

	if (strncmp(uuid, prefix, n) || strncmp(uuid + n, "-u", 2))
		return -1;
	c = strtol(uuid + n + 2, &end, 10);
	return *end || c < 0 || c >= MAX_CREATIONS ? -1 : c;
}

/*
 * A device was found as @dmi (name, uuid, dev): it must have the minor
 * its creation got, if that is known yet.
 */
static void check_found(struct role *r, const char *how, struct dm_ioctl *dmi)
{
	long c = creation_of(dmi->uuid);
	unsigned int m;

	if (c < 0) {
		if (has_prefix(dmi->name, prefix))
			violation("%s: %s found %s with uuid '%s', not one of ours",
				  r->name, how, dmi->name, dmi->uuid);
		return;
	}
	m = atomic_load(&created_minor[c]);
	if (m && m - 1 != minor(dmi->dev))
		violation("%s: %s found %s (creation %ld) at minor %u, created at %u",
			  r->name, how, dmi->name, c, minor(dmi->dev), m - 1);
}

/*
 * DEV_STATUS of the device named @name, or with @uuid, or @dev (the one
 * given): 0 or the errno; the reply in *@out (the caller frees it).
 */
static int status_of(const char *name, const char *uuid,
		     unsigned long long dev, struct dm_ioctl **out)
{
	struct dm_ioctl *dmi = request(sizeof(*dmi), name);

	if (uuid)
		snprintf(dmi->uuid, sizeof(dmi->uuid), "%s", uuid);
	dmi->dev = dev;
	*out = dmi;
	return issue(DM_DEV_STATUS, dmi);
}

/* DEV_STATUS by uuid PREFIX-u<@c>: 0 or the errno; its dev in *@dev. */
static int status_of_creation(unsigned int c, unsigned long long *dev)
{
	char uuid[DM_UUID_LEN];
	struct dm_ioctl *dmi;
	int e;

	snprintf(uuid, sizeof(uuid), "%s-u%u", prefix, c);
	e = status_of(NULL, uuid, 0, &dmi);
	*dev = dmi->dev;
	free(dmi);
	return e;
}

/*
 * Creation @c got @dev: record it, and check that the creation known to
 * have had that minor before is gone.  Records can come late (a creator
 * is preempted after its create), so the one found may be an older
 * creation than ours: both being there at once is what counts.  The
 * other was found at t1, ours after it, and ours was there before t1
 * (its create had returned), so a uuid is never reused: both were there
 * at t1, with one minor.
 */
static void created(struct role *r, unsigned int c, unsigned long long dev)
{
	unsigned int m = minor(dev), prev;
	unsigned long long prev_dev, our_dev;

	if (major(dev) != dm_major) {
		violation("%s: creation %u got %u:%u, not the dm major %u",
			  r->name, c, major(dev), m, dm_major);
		return;
	}
	atomic_store(&created_minor[c], m + 1);
	if (m >= MAX_MINOR)
		return;
	prev = atomic_exchange(&minor_owner[m], c + 1);
	if (!prev || prev == c + 1)
		return;
	if (status_of_creation(prev - 1, &prev_dev))
		return;
	if (prev_dev != dev || status_of_creation(c, &our_dev))
		return;
	violation("%s: creations %u and %u are both there with minor %u",
		  r->name, prev - 1, c, m);
}

/* Create @name (minor @minor if >= 0), load a table, resume. */
static void create_load_resume(struct role *r, const char *name, int minor)
{
	unsigned int c = atomic_fetch_add(&creations, 1);
	struct dm_ioctl *dmi;
	int e;

	if (c >= MAX_CREATIONS) {
		atomic_store(&stop, true);
		return;
	}
	dmi = request(sizeof(*dmi), name);
	snprintf(dmi->uuid, sizeof(dmi->uuid), "%s-u%u", prefix, c);
	if (minor >= 0) {
		dmi->flags = DM_PERSISTENT_DEV_FLAG;
		dmi->dev = makedev(dm_major, minor);
	}
	e = note(r, "create", name, issue(DM_DEV_CREATE, dmi));
	if (!e)
		created(r, c, dmi->dev);
	free(dmi);
	if (e == EBUSY) {
		/* the name or minor is taken: give the removers a turn */
		sleep_ms(2);
		return;
	} else if (e) {
		return;
	}
	/* someone may remove or rename it meanwhile: ENXIO */
	if (note(r, "load", name, load_one_linear(name, backing_dev, TABLE_LEN,
						  pick(r, 8) * 8, 0)))
		return;
	if (!note(r, "resume", name, resume(name)))
		atomic_fetch_add(&r->ok, 1);
}

static void role_create(struct role *r)
{
	char name[DM_NAME_LEN];

	slot_name(name, sizeof(name), pick(r, SLOTS), false);
	create_load_resume(r, name, -1);
}

static void role_create_fixed(struct role *r)
{
	char name[DM_NAME_LEN];
	unsigned int k = pick(r, SLOTS);

	fixed_name(name, sizeof(name), k);
	create_load_resume(r, name, FIXED_MINOR + k);
}

static void role_remove(struct role *r)
{
	char name[DM_NAME_LEN];

	any_name(r, name, sizeof(name));
	if (!note(r, "remove", name, dev_remove(name)))
		atomic_fetch_add(&r->ok, 1);
	sleep_ms(5);
}

static void role_deferred(struct role *r)
{
	char name[DM_NAME_LEN];

	any_name(r, name, sizeof(name));
	if (!note(r, "deferred remove", name,
		  simple(DM_DEV_REMOVE, name, DM_DEFERRED_REMOVE, NULL)))
		atomic_fetch_add(&r->ok, 1);
	sleep_ms(5);
}

static void role_remove_all(struct role *r)
{
	if (!note(r, "remove_all", NULL,
		  simple(DM_REMOVE_ALL, NULL, 0, NULL)))
		atomic_fetch_add(&r->ok, 1);
	sleep_ms(REMOVE_ALL_MS);
}

/* The uuid of the device @dev, into @uuid, and its flags (if @flags); 0 or the errno. */
static int uuid_of_dev(unsigned long long dev, char *uuid, __u32 *flags)
{
	struct dm_ioctl *dmi;
	int e = status_of(NULL, NULL, dev, &dmi);

	if (!e) {
		memcpy(uuid, dmi->uuid, DM_UUID_LEN);
		if (flags)
			*flags = dmi->flags;
	}
	free(dmi);
	return e;
}

/*
 * Minor @k (k < NR_OURS) of those that are, were or will be ours: the
 * dynamic ones the slots get (each slot's device may be created while
 * its renamed twin still holds a minor) and the fixed ones.
 */
#define NR_OURS		(3 * SLOTS)
static unsigned int our_minor(unsigned int k)
{
	return k < 2 * SLOTS ? k : FIXED_MINOR + k - 2 * SLOTS;
}

static unsigned int any_minor(struct role *r)
{
	return our_minor(pick(r, NR_OURS));
}

/*
 * Open @path (the device @dev), read from it, and check its device stays
 * with the same uuid while it is open.
 */
static void open_read(struct role *r, const char *path, unsigned long long dev)
{
	char buf[4096], before[DM_UUID_LEN], after[DM_UUID_LEN];
	__u32 flags = 0;
	ssize_t got;
	int fd, e;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (note(r, "open", path, fd < 0 ? errno : 0))
		return;
	e = uuid_of_dev(dev, before, &flags);
	got = pread(fd, buf, sizeof(buf), 0);
	if (got < 0 && errno == EIO && unbound_eio && !e &&
	    !(flags & DM_ACTIVE_PRESENT_FLAG))
		atomic_fetch_add(&unbound_eios, 1);
	else if (got < 0)
		violation("%s: read %s: %s", r->name, path, ename(errno));
	if (!e)
		e = uuid_of_dev(dev, after, NULL);
	if (e)
		violation("%s: %s is open but DEV_STATUS by its number gives %s",
			  r->name, path, ename(e));
	else if (strcmp(before, after))
		violation("%s: %s changed from %s to %s while open", r->name,
			  path, before, after);
	close(fd);
	if (!e && got >= 0)
		atomic_fetch_add(&r->ok, 1);
}

/*
 * Whether to try minor @m now: always if it has a disk, else one time in
 * sixteen.  An open of a minor without a disk makes the kernel try to
 * load a module for it (a user-space helper: slow), so most such opens
 * are left out; those done still show that a removed device's node gives
 * ENXIO.
 */
static bool worth_opening(struct role *r, unsigned int m)
{
	char path[64];

	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u", dm_major, m);
	return !access(path, F_OK) || !pick(r, 16);
}

static void role_open(struct role *r)
{
	unsigned int m = any_minor(r);
	char path[64];

	if (!worth_opening(r, m))
		return;
	snprintf(path, sizeof(path), NODE_DIR "/%u", m);
	open_read(r, path, makedev(dm_major, m));
}

static void role_open_devtmpfs(struct role *r)
{
	unsigned int m = any_minor(r);
	char path[64];

	if (!worth_opening(r, m))
		return;
	snprintf(path, sizeof(path), "/dev/dm-%u", m);
	open_read(r, path, makedev(dm_major, m));
}

static struct dm_ioctl *list_devices(struct role *r)
{
	struct dm_ioctl *dmi = request(BIG, NULL);

	if (note(r, "list", NULL, issue(DM_LIST_DEVICES, dmi))) {
		free(dmi);
		return NULL;
	}
	return dmi;
}

/* DEV_STATUS by name, uuid or dev (the one given); the reply if found. */
static struct dm_ioctl *status_by(struct role *r, const char *how,
				  const char *name, const char *uuid,
				  unsigned long long dev)
{
	struct dm_ioctl *dmi;

	if (note(r, how, name ? name : uuid, status_of(name, uuid, dev, &dmi))) {
		free(dmi);
		return NULL;
	}
	check_found(r, how, dmi);
	return dmi;
}

static void role_lookup(struct role *r)
{
	struct dm_ioctl *list, *by_name, *by_uuid, *by_dev;
	struct dm_name_list *nl;
	bool all = false;

	list = list_devices(r);
	if (!list)
		return;
	for (nl = first_name(list); nl; nl = next_name(nl)) {
		if (!has_prefix(nl->name, prefix))
			continue;
		by_name = status_by(r, "status by name", nl->name, NULL, 0);
		if (!by_name)
			continue;
		if (strcmp(by_name->name, nl->name))
			violation("%s: status by name %s found %s", r->name,
				  nl->name, by_name->name);
		by_uuid = status_by(r, "status by uuid", NULL, by_name->uuid, 0);
		by_dev = status_by(r, "status by dev", NULL, NULL, by_name->dev);
		if (by_uuid && strcmp(by_uuid->uuid, by_name->uuid))
			violation("%s: status by uuid %s found %s", r->name,
				  by_name->uuid, by_uuid->uuid);
		if (by_dev && by_dev->dev != by_name->dev)
			violation("%s: status by dev %llx found %llx", r->name,
				  (unsigned long long)by_name->dev,
				  (unsigned long long)by_dev->dev);
		all = by_uuid && by_dev;
		free(by_uuid);
		free(by_dev);
		free(by_name);
		if (all)
			atomic_fetch_add(&r->ok, 1);
	}
	free(list);
}

static void role_rename(struct role *r)
{
	char from[DM_NAME_LEN], to[DM_NAME_LEN];
	unsigned int k = pick(r, SLOTS);
	bool back = pick(r, 2);
	struct dm_ioctl *dmi;

	slot_name(from, sizeof(from), k, back);
	slot_name(to, sizeof(to), k, !back);
	dmi = request(HDR + DM_NAME_LEN, from);
	snprintf((char *)dmi + HDR, DM_NAME_LEN, "%s", to);
	if (!note(r, "rename", from, issue(DM_DEV_RENAME, dmi)))
		atomic_fetch_add(&r->ok, 1);
	free(dmi);
	sleep_ms(2);
}

/* @cmd on the device with @uuid (a TABLE_LOAD if @load): 0 or the errno */
static int on_uuid(unsigned long cmd, const char *uuid, unsigned int flags,
		   struct dm_ioctl *load)
{
	struct dm_ioctl *dmi = load ? load : request(sizeof(*dmi), NULL);
	int e;

	memset(dmi->name, 0, sizeof(dmi->name));
	snprintf(dmi->uuid, sizeof(dmi->uuid), "%s", uuid);
	dmi->flags = flags;
	e = issue(cmd, dmi);
	free(dmi);
	return e;
}

/*
 * Load, suspend and resume one device, found by name and then named by
 * its uuid: a rename between the suspend and the resume must not leave
 * it suspended (a reader of it would wait for good).
 */
static void role_reload(struct role *r)
{
	char name[DM_NAME_LEN], uuid[DM_UUID_LEN];
	struct dm_ioctl *dmi;

	any_name(r, name, sizeof(name));
	if (note(r, "status", name, dev_status(name, &dmi))) {
		free(dmi);
		return;
	}
	memcpy(uuid, dmi->uuid, sizeof(uuid));
	free(dmi);
	if (note(r, "load", uuid, on_uuid(DM_TABLE_LOAD, uuid, 0,
					  linear_request(NULL, backing_dev,
							 TABLE_LEN,
							 pick(r, 8) * 8))))
		return;
	if (note(r, "suspend", uuid,
		 on_uuid(DM_DEV_SUSPEND, uuid, DM_SUSPEND_FLAG, NULL)))
		return;
	if (!note(r, "resume", uuid, on_uuid(DM_DEV_SUSPEND, uuid, 0, NULL)))
		atomic_fetch_add(&r->ok, 1);
}

/* Read a sysfs file (ENOENT and the errnos of a going device allowed). */
static bool read_attr(struct role *r, const char *path)
{
	char buf[512];
	ssize_t got;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (note(r, "open", path, fd < 0 ? errno : 0))
		return false;
	got = read(fd, buf, sizeof(buf));
	note(r, "read", path, got < 0 ? errno : 0);
	close(fd);
	return got > 0;
}

/* List a holders/ directory; each entry must be a dm-N or nothing. */
static bool read_holders(struct role *r, const char *dir)
{
	struct dirent *de;
	bool any = false;
	DIR *d;

	d = opendir(dir);
	if (note(r, "opendir", dir, d ? 0 : errno))
		return false;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (!has_prefix(de->d_name, "dm-"))
			violation("%s: %s holds %s", r->name, dir, de->d_name);
		any = true;
	}
	closedir(d);
	return any;
}

static void role_sysfs(struct role *r)
{
	char path[300], bdir[300];
	struct dirent *de;
	DIR *d;

	snprintf(bdir, sizeof(bdir), "/sys/dev/block/%s/holders", backing_dev);
	if (read_holders(r, bdir))
		atomic_fetch_add(&r->ok, 1);
	d = opendir("/sys/block");
	if (!d)
		return;
	while ((de = readdir(d))) {
		if (!has_prefix(de->d_name, "dm-"))
			continue;
		snprintf(path, sizeof(path), "/sys/block/%s/dm/name", de->d_name);
		if (read_attr(r, path))
			atomic_fetch_add(&r->ok, 1);
		snprintf(path, sizeof(path), "/sys/block/%s/dm/uuid", de->d_name);
		read_attr(r, path);
		snprintf(path, sizeof(path), "/sys/block/%s/holders", de->d_name);
		read_holders(r, path);
	}
	closedir(d);
}

/*
 * Poison the next page of BACKING's first MiB (page 0 is left alone),
 * then wait for the next one's turn: POISON_PAGES spread over SECS, so
 * a long run does not run out of pages that were never poisoned.
 */
static void role_poison(struct role *r)
{
	unsigned long done = atomic_load(&r->calls);
	char addr[32];
	int fd, e = 0;

	if (done >= POISON_PAGES) {
		sleep_ms(100);
		return;
	}
	snprintf(addr, sizeof(addr), "0x%llx\n",
		 poison_base + (done + 1) * 4096ULL);
	fd = open(HARD_OFFLINE, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, addr, strlen(addr)) >= 0)
		e = fd < 0 ? errno : 0;
	else
		e = errno;
	if (fd >= 0)
		close(fd);
	/* success would mean nobody was left to fail: not what happens */
	if (!e)
		violation("%s: poisoning %s succeeded, expected EBUSY",
			  r->name, addr);
	if (note(r, "poison", addr, e) == EBUSY)
		atomic_fetch_add(&r->ok, 1);
	sleep_ms(secs * 1000L / POISON_PAGES);
}

/*
 * The errnos each role may meet.  ENXIO: the device is gone (removed,
 * renamed) or being removed; EBUSY: the name or minor is taken, or the
 * device is open; EINVAL: a resume of a device without a table (removed
 * and created again by another thread, and suspended by a reloader,
 * between this thread's load and resume); ENOENT, ENODEV, EIO, EINVAL:
 * a sysfs file or node of a device that went (EINVAL and EIO: dm/ files
 * of a device being freed, or no longer hashed, as upstream).
 */
#define NAMED		OK(ENXIO)
#define GOING		(OK(ENOENT) | OK(ENODEV) | OK(EIO) | OK(EINVAL))
#define ROLE(n, f, e)	{ .name = n, .fn = f, .allowed = e }
static struct role roles[] = {
	ROLE("create", role_create, OK(EBUSY) | NAMED | OK(EINVAL)),
	ROLE("create", role_create, OK(EBUSY) | NAMED | OK(EINVAL)),
	ROLE("create-fixed", role_create_fixed, OK(EBUSY) | NAMED | OK(EINVAL)),
	ROLE("create-fixed", role_create_fixed, OK(EBUSY) | NAMED | OK(EINVAL)),
	ROLE("remove", role_remove, OK(EBUSY) | NAMED),
	ROLE("deferred", role_deferred, OK(EBUSY) | NAMED),
	ROLE("remove-all", role_remove_all, 0),
	ROLE("open", role_open, OK(ENXIO)),
	ROLE("open", role_open, OK(ENXIO)),
	ROLE("open-devtmpfs", role_open_devtmpfs, OK(ENXIO) | OK(ENOENT)),
	ROLE("lookup", role_lookup, NAMED),
	ROLE("lookup", role_lookup, NAMED),
	ROLE("rename", role_rename, OK(EBUSY) | NAMED),
	ROLE("reload", role_reload, NAMED | OK(EINVAL)),
	ROLE("reload", role_reload, NAMED | OK(EINVAL)),
	ROLE("sysfs", role_sysfs, GOING),
	ROLE("poison", role_poison, OK(EBUSY)),
};

/* Is any role still short of its minimum? */
static bool some_role_short(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(roles); i++)
		if (atomic_load(&roles[i].ok) < role_min(&roles[i]))
			return true;
	return false;
}

/*
 * Wait for @r's thread until STUCK seconds past the cap: a thread still
 * running then is stuck (a device left suspended under a reader, a
 * call that never returns); say which and where the devices stand.
 */
static void join_role(struct role *r)
{
	struct timespec until = { .tv_sec = cap + STUCK };
	struct dm_ioctl *dmi;
	struct dm_name_list *nl;

	if (!pthread_timedjoin_np(r->thread, NULL, &until))
		return;
	violation("%s: still running %d s after the race ended", r->name,
		  (int)(time(NULL) - deadline));
	dmi = request(BIG, NULL);
	if (!issue(DM_LIST_DEVICES, dmi)) {
		for (nl = first_name(dmi); nl; nl = next_name(nl)) {
			struct dm_ioctl *st;

			if (!dev_status(nl->name, &st))
				fprintf(stderr, "  %s %u:%u flags %#x\n", nl->name,
					major(st->dev), minor(st->dev),
					st->flags);
			free(st);
		}
	}
	free(dmi);
	_exit(1);
}

static void *run_role(void *arg)
{
	struct role *r = arg;

	while (racing())
		r->fn(r);
	return NULL;
}

/* How many devices named PREFIX* are listed; -1 if the listing fails. */
static int count_ours(void)
{
	struct dm_ioctl *dmi = request(BIG, NULL);
	struct dm_name_list *nl;
	int n = 0;

	if (issue(DM_LIST_DEVICES, dmi))
		n = -1;
	for (nl = n ? NULL : first_name(dmi); nl; nl = next_name(nl))
		n += has_prefix(nl->name, prefix);
	free(dmi);
	return n;
}

/* The lowest minor a new device gets now (it is removed again). */
static int lowest_free_minor(void)
{
	char name[DM_NAME_LEN];
	unsigned long long dev;

	snprintf(name, sizeof(name), "%sprobe", prefix);
	if (create(name, NULL))
		return -1;
	dev = dev_of(name);
	if (dev_remove(name))
		return -1;
	return dev ? (int)minor(dev) : -1;
}

static void make_nodes(void)
{
	char path[64];
	unsigned int k;

	mkdir(NODE_DIR, 0700);
	for (k = 0; k < NR_OURS; k++) {
		snprintf(path, sizeof(path), NODE_DIR "/%u", our_minor(k));
		unlink(path);
		if (mknod(path, S_IFBLK | 0600, makedev(dm_major, our_minor(k))))
			die("mknod failed");
	}
}

/* After the run: every node of ours must be of a removed device. */
static void check_nodes_gone(void)
{
	unsigned int k;
	char path[64];
	int fd;

	for (k = 0; k < NR_OURS; k++) {
		snprintf(path, sizeof(path), NODE_DIR "/%u", our_minor(k));
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			violation("end: %s opened after every device was removed", path);
			close(fd);
		} else if (errno != ENXIO) {
			violation("end: opening %s: %s, not ENXIO", path,
				  ename(errno));
		}
		unlink(path);
	}
}

int main(int argc, char **argv)
{
	unsigned int i, short_roles = 0;
	int low_before, low_after, left;

	static const char usage[] =
		"usage: dm_stress [--min N] [--unbound-eio] [--poison ADDR] SECS PREFIX BACKING";
	static const struct option opts[] = {
		{ "min", required_argument, NULL, 'm' },
		{ "unbound-eio", no_argument, NULL, 'u' },
		{ "poison", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 }
	};
	int opt;

	while ((opt = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		switch (opt) {
		case 'm':
			min_ops = strtoul(optarg, NULL, 10);
			break;
		case 'u':
			unbound_eio = true;
			break;
		case 'p':
			poison_base = strtoull(optarg, NULL, 0);
			break;
		default:
			die(usage);
		}
	}
	argc -= optind - 1;
	argv += optind - 1;
	secs = argc == 4 ? atoi(argv[1]) : 0;
	if (secs <= 0)
		die(usage);
	prefix = argv[2];
	check_name = "stress";
	if (set_backing(argv[3]))
		return 2;
	ctl = open_control();
	dm_major = dm_block_major();
	if (!dm_major)
		die("no device-mapper block major");
	make_nodes();
	low_before = lowest_free_minor();
	if (low_before < 0)
		die("cannot create and remove a probe device");

	deadline = time(NULL) + secs;
	cap = deadline + OVERTIME;
	for (i = 0; i < ARRAY_SIZE(roles); i++) {
		roles[i].seed = i * 7919 + (unsigned int)getpid();
		roles[i].off = roles[i].fn == role_poison && !poison_base;
		if (roles[i].off)
			continue;
		if (pthread_create(&roles[i].thread, NULL, run_role, &roles[i]))
			die("pthread_create failed");
	}
	for (i = 0; i < ARRAY_SIZE(roles); i++)
		if (!roles[i].off)
			join_role(&roles[i]);

	for (i = 0; i < ARRAY_SIZE(roles); i++) {
		unsigned long ok = atomic_load(&roles[i].ok);

		if (roles[i].off)
			continue;
		printf("measured: dm_stress %-14s %8lu calls %8lu done\n", roles[i].name,
		       atomic_load(&roles[i].calls), ok);
		if (ok < role_min(&roles[i])) {
			violation("%s: %lu operations done, fewer than %lu",
				  roles[i].name, ok, role_min(&roles[i]));
			short_roles++;
		}
	}
	if (unbound_eio)
		printf("measured: dm_stress %lu reads EIO before a first table was live\n",
		       atomic_load(&unbound_eios));
	printf("measured: dm_stress %u creations, %lu violations during the run\n",
	       atomic_load(&creations), atomic_load(&violations));

	/* nothing is open now: every device goes at the first try */
	left = remove_devices(has_prefix, prefix, 0);
	if (left)
		violation("end: %d device(s) could not be removed", left);
	left = count_ours();
	if (left)
		violation("end: %d device(s) still listed after removal", left);
	check_nodes_gone();
	low_after = lowest_free_minor();
	if (low_after != low_before)
		violation("end: a new device gets minor %d, before the run %d",
			  low_after, low_before);
	rmdir(NODE_DIR);
	return atomic_load(&violations) ? 1 : 0;
}
