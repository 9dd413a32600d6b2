// SPDX-License-Identifier: GPL-2.0-only
/*
 * sdm_ioctl - raw DM ioctl checks against /dev/mapper/control.
 *
 *   sdm_ioctl --list        print the names of all checks
 *   sdm_ioctl CHECK         run one check; exit 0 if it holds
 *
 * SDM_EXPECT_VERSION (e.g. "4.48.0") is the interface version the module
 * was built against; the harness takes it from the kernel headers.
 * Negative checks assert the exact errno.  Checks that list target types
 * expect sdm_test_targets.ko to be loaded (sdmtest0 registered).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/dm-ioctl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define CONTROL		"/dev/mapper/control"
#define DATA_START	((sizeof(struct dm_ioctl) + 7) & ~7UL)
#define MIN_SIZE	offsetof(struct dm_ioctl, data)
#define BIG		65536
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static const char *check_name;
static unsigned int want[3];

static int fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "sdm_ioctl: %s: ", check_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

static int control_fd(void)
{
	int fd = open(CONTROL, O_RDWR);

	if (fd < 0) {
		perror(CONTROL);
		exit(2);
	}
	return fd;
}

/* A request buffer of @size bytes with a v4 header filling it. */
static struct dm_ioctl *request(size_t size, unsigned int minor)
{
	struct dm_ioctl *dmi = calloc(1, size);

	if (!dmi) {
		perror("calloc");
		exit(2);
	}
	dmi->version[0] = 4;
	dmi->version[1] = minor;
	dmi->data_size = size;
	dmi->data_start = DATA_START;
	return dmi;
}

/* Issue @cmd; return 0 or the errno. */
static int issue(unsigned long cmd, void *arg)
{
	int fd = control_fd();
	int r = ioctl(fd, cmd, arg) ? errno : 0;

	close(fd);
	return r;
}

static int expect_errno(const char *what, int got, int wanted)
{
	if (got == wanted)
		return 0;
	return fail("%s: expected %s, got %s", what,
		    wanted ? strerrorname_np(wanted) : "success",
		    got ? strerrorname_np(got) : "success");
}

static int version_reports_header_version(void)
{
	struct dm_ioctl *dmi = request(sizeof(*dmi), 0);
	int r = issue(DM_VERSION, dmi);

	if (expect_errno("DM_VERSION", r, 0))
		return 1;
	if (dmi->version[0] != want[0] || dmi->version[1] != want[1] ||
	    dmi->version[2] != want[2])
		return fail("version %u.%u.%u, expected %u.%u.%u",
			    dmi->version[0], dmi->version[1], dmi->version[2],
			    want[0], want[1], want[2]);
	return 0;
}

static int version_newer_minor_is_einval(void)
{
	struct dm_ioctl *dmi = request(sizeof(*dmi), want[1] + 1);
	int r = issue(DM_VERSION, dmi);

	if (expect_errno("minor+1", r, EINVAL))
		return 1;
	/* The kernel's own version is reported back even on refusal. */
	if (dmi->version[0] != want[0] || dmi->version[1] != want[1])
		return fail("refusal reported %u.%u, expected %u.%u",
			    dmi->version[0], dmi->version[1], want[0], want[1]);
	dmi = request(sizeof(*dmi), want[1]);
	return expect_errno("same minor", issue(DM_LIST_VERSIONS, dmi), 0);
}

static int version_wrong_major_is_einval(void)
{
	static const unsigned int majors[] = { 0, 3, 5, 0xffffffff };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(majors); i++) {
		struct dm_ioctl *dmi = request(sizeof(*dmi), 0);
		int r;

		dmi->version[0] = majors[i];
		r = issue(DM_VERSION, dmi);
		if (expect_errno("DM_VERSION", r, EINVAL))
			return fail("major %u accepted", majors[i]);
		/* the refusal wrote the kernel's version back: set it again */
		dmi->version[0] = majors[i];
		r = issue(DM_LIST_VERSIONS, dmi);
		if (expect_errno("DM_LIST_VERSIONS", r, EINVAL))
			return fail("major %u accepted", majors[i]);
	}
	return 0;
}

static int unknown_command_is_enotty(void)
{
	static const unsigned int nrs[] = { DM_GET_TARGET_VERSION_CMD + 1,
					    DM_GET_TARGET_VERSION_CMD + 2,
					    0x7f, 0xff };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(nrs); i++) {
		struct dm_ioctl *dmi = request(BIG, 0);

		if (expect_errno("unknown nr",
				 issue(_IOWR(DM_IOCTL, nrs[i], struct dm_ioctl), dmi),
				 ENOTTY))
			return fail("command %u accepted", nrs[i]);
	}
	return 0;
}

static int wrong_ioctl_type_is_enotty(void)
{
	struct dm_ioctl *dmi = request(sizeof(*dmi), 0);

	if (expect_errno("type 'X'",
			 issue(_IOWR('X', DM_VERSION_CMD, struct dm_ioctl), dmi),
			 ENOTTY))
		return 1;
	/* A terminal ioctl on the control device is not ours either. */
	return expect_errno("TCGETS", issue(0x5401, dmi), ENOTTY);
}

static int short_data_size_is_einval(void)
{
	static const unsigned int sizes[] = { 0, 1, MIN_SIZE - 1 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		struct dm_ioctl *dmi = request(BIG, 0);

		dmi->data_size = sizes[i];
		if (expect_errno("DM_LIST_VERSIONS",
				 issue(DM_LIST_VERSIONS, dmi), EINVAL))
			return fail("data_size %u accepted", sizes[i]);
	}
	/* The smallest legal request has no room for a reply. */
	{
		struct dm_ioctl *dmi = request(BIG, 0);

		dmi->data_size = MIN_SIZE;
		return expect_errno("data_size MIN", issue(DM_LIST_VERSIONS, dmi), 0);
	}
}

static int huge_data_size_is_einval(void)
{
	static const unsigned int sizes[] = { (1U << 30) + 1, 0x80000000U,
					      0xffffffffU };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		struct dm_ioctl *dmi = request(BIG, 0);

		dmi->data_size = sizes[i];
		if (expect_errno("DM_LIST_VERSIONS",
				 issue(DM_LIST_VERSIONS, dmi), EINVAL))
			return fail("data_size %u accepted", sizes[i]);
	}
	return 0;
}

static int data_size_beyond_buffer_is_efault(void)
{
	long page = sysconf(_SC_PAGESIZE);
	char *map = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct dm_ioctl *dmi;

	if (map == MAP_FAILED || mprotect(map + page, page, PROT_NONE))
		return fail("mmap: %m");
	dmi = (struct dm_ioctl *)map;
	memset(dmi, 0, sizeof(*dmi));
	dmi->version[0] = 4;
	dmi->data_size = 2 * page;	/* runs into the guard page */
	dmi->data_start = DATA_START;
	return expect_errno("DM_LIST_VERSIONS", issue(DM_LIST_VERSIONS, dmi),
			    EFAULT);
}

static int null_pointer_is_efault(void)
{
	if (expect_errno("DM_VERSION", issue(DM_VERSION, NULL), EFAULT))
		return 1;
	return expect_errno("DM_LIST_VERSIONS", issue(DM_LIST_VERSIONS, NULL),
			    EFAULT);
}

static int non_root_is_eacces(void)
{
	int fd = control_fd();
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return fail("fork: %m");
	if (!pid) {
		struct dm_ioctl *dmi = request(BIG, 0);

		/* nobody: setuid from root to non-root drops every capability */
		if (setgid(65534) || setuid(65534))
			_exit(3);
		if (ioctl(fd, DM_VERSION, dmi) == 0 || errno != EACCES)
			_exit(4);
		if (ioctl(fd, DM_LIST_VERSIONS, dmi) == 0 || errno != EACCES)
			_exit(5);
		_exit(0);
	}
	close(fd);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return fail("child did not exit");
	if (WEXITSTATUS(status))
		return fail("child step %d: expected EACCES", WEXITSTATUS(status));
	return 0;
}

static int list_versions_small_buffer_sets_buffer_full(void)
{
	struct dm_ioctl *dmi = request(sizeof(*dmi), 0);
	int r = issue(DM_LIST_VERSIONS, dmi);

	if (expect_errno("DM_LIST_VERSIONS", r, 0))
		return 1;
	if (!(dmi->flags & DM_BUFFER_FULL_FLAG))
		return fail("DM_BUFFER_FULL_FLAG not set for a %zu byte buffer",
			    sizeof(*dmi));
	if (dmi->data_size != MIN_SIZE)
		return fail("data_size %u after BUFFER_FULL, expected %zu",
			    dmi->data_size, MIN_SIZE);
	return 0;
}

static int list_versions_echoes_flags(void)
{
	struct dm_ioctl *dmi = request(BIG, 0);
	int r;

	/* libdevmapper's DM_EXISTS_FLAG (bit 2) and a stale BUFFER_FULL */
	dmi->flags = (1U << 2) | DM_BUFFER_FULL_FLAG;
	r = issue(DM_LIST_VERSIONS, dmi);
	if (expect_errno("DM_LIST_VERSIONS", r, 0))
		return 1;
	if (dmi->flags != (1U << 2))
		return fail("flags 0x%x, expected 0x4", dmi->flags);
	return 0;
}

/* Walk a version chain; return the record named @name or NULL. */
static struct dm_target_versions *walk(struct dm_ioctl *dmi, const char *name,
				       int *count)
{
	char *start = (char *)dmi + dmi->data_start;
	char *end = (char *)dmi + dmi->data_size;
	struct dm_target_versions *v = (void *)start, *found = NULL;

	*count = 0;
	while ((char *)v + sizeof(*v) < end) {
		if (((char *)v - (char *)dmi) % 8)
			return NULL;
		(*count)++;
		if (!strcmp(v->name, name))
			found = v;
		if (!v->next)
			break;
		v = (void *)((char *)v + v->next);
	}
	return found;
}

static int list_versions_copies_back_only_data_size(void)
{
	struct dm_ioctl *dmi = request(BIG, 0);
	struct dm_target_versions *v;
	unsigned char *p = (unsigned char *)dmi;
	int r, count;
	size_t i;

	memset(p + MIN_SIZE, 0xaa, BIG - MIN_SIZE);
	r = issue(DM_LIST_VERSIONS, dmi);
	if (expect_errno("DM_LIST_VERSIONS", r, 0))
		return 1;
	if (dmi->data_start != DATA_START)
		return fail("data_start %u, expected %zu", dmi->data_start,
			    DATA_START);
	if (dmi->data_size <= DATA_START || dmi->data_size > BIG)
		return fail("data_size %u", dmi->data_size);
	for (i = dmi->data_size; i < BIG; i++)
		if (p[i] != 0xaa)
			return fail("byte %zu beyond data_size %u was written",
				    i, dmi->data_size);
	v = walk(dmi, "sdmtest0", &count);
	if (!v)
		return fail("sdmtest0 not in a chain of %d records", count);
	if (v->version[0] != 1 || v->version[1] != 0 || v->version[2] != 7)
		return fail("sdmtest0 v%u.%u.%u, expected v1.0.7",
			    v->version[0], v->version[1], v->version[2]);
	return 0;
}

static int get_target_version_reports_one(void)
{
	struct dm_ioctl *dmi = request(BIG, 0);
	struct dm_target_versions *v;
	int r, count;

	snprintf(dmi->name, sizeof(dmi->name), "%s", "sdmtest0");
	r = issue(DM_GET_TARGET_VERSION, dmi);
	if (expect_errno("DM_GET_TARGET_VERSION", r, 0))
		return 1;
	v = walk(dmi, "sdmtest0", &count);
	if (!v || count != 1 || v->next)
		return fail("expected exactly one record, got %d", count);
	if (v->version[0] != 1 || v->version[1] != 0 || v->version[2] != 7)
		return fail("sdmtest0 v%u.%u.%u", v->version[0], v->version[1],
			    v->version[2]);
	return 0;
}

static int get_target_version_unknown_is_einval(void)
{
	struct dm_ioctl *dmi = request(BIG, 0);

	snprintf(dmi->name, sizeof(dmi->name), "%s", "nosuchtarget");
	return expect_errno("DM_GET_TARGET_VERSION",
			    issue(DM_GET_TARGET_VERSION, dmi), EINVAL);
}

static int get_target_version_unterminated_name_is_einval(void)
{
	struct dm_ioctl *dmi = request(BIG, 0);

	memset(dmi->name, 's', sizeof(dmi->name));
	return expect_errno("DM_GET_TARGET_VERSION",
			    issue(DM_GET_TARGET_VERSION, dmi), EINVAL);
}

static int name_and_uuid_together_is_einval(void)
{
	struct dm_ioctl *dmi = request(BIG, 0);

	snprintf(dmi->name, sizeof(dmi->name), "%s", "sdmtest0");
	snprintf(dmi->uuid, sizeof(dmi->uuid), "%s", "some-uuid");
	return expect_errno("DM_GET_TARGET_VERSION",
			    issue(DM_GET_TARGET_VERSION, dmi), EINVAL);
}

static int secure_data_wipes_caller_buffer(void)
{
	struct dm_ioctl *dmi = request(BIG, 0);
	unsigned char *p = (unsigned char *)dmi;
	int r;
	size_t i;

	memset(p + MIN_SIZE, 0x5a, BIG - MIN_SIZE);
	dmi->flags = DM_SECURE_DATA_FLAG;
	r = issue(DM_LIST_VERSIONS, dmi);
	if (expect_errno("DM_LIST_VERSIONS", r, 0))
		return 1;
	if (dmi->flags & DM_SECURE_DATA_FLAG)
		return fail("DM_SECURE_DATA_FLAG echoed back");
	for (i = dmi->data_size; i < BIG; i++)
		if (p[i])
			return fail("byte %zu of the request survived", i);
	return 0;
}

static const struct {
	const char *name;
	int (*fn)(void);
} checks[] = {
#define CHECK(fn) { #fn, fn }
	CHECK(version_reports_header_version),
	CHECK(version_newer_minor_is_einval),
	CHECK(version_wrong_major_is_einval),
	CHECK(unknown_command_is_enotty),
	CHECK(wrong_ioctl_type_is_enotty),
	CHECK(short_data_size_is_einval),
	CHECK(huge_data_size_is_einval),
	CHECK(data_size_beyond_buffer_is_efault),
	CHECK(null_pointer_is_efault),
	CHECK(non_root_is_eacces),
	CHECK(list_versions_small_buffer_sets_buffer_full),
	CHECK(list_versions_echoes_flags),
	CHECK(list_versions_copies_back_only_data_size),
	CHECK(get_target_version_reports_one),
	CHECK(get_target_version_unknown_is_einval),
	CHECK(get_target_version_unterminated_name_is_einval),
	CHECK(name_and_uuid_together_is_einval),
	CHECK(secure_data_wipes_caller_buffer),
#undef CHECK
};

int main(int argc, char **argv)
{
	const char *ver = getenv("SDM_EXPECT_VERSION");
	size_t i;

	if (argc != 2) {
		fprintf(stderr, "usage: %s --list | CHECK\n", argv[0]);
		return 2;
	}
	if (!strcmp(argv[1], "--list")) {
		for (i = 0; i < ARRAY_SIZE(checks); i++)
			puts(checks[i].name);
		return 0;
	}
	if (!ver || sscanf(ver, "%u.%u.%u", &want[0], &want[1], &want[2]) != 3) {
		fprintf(stderr, "SDM_EXPECT_VERSION must be set (major.minor.patch)\n");
		return 2;
	}
	for (i = 0; i < ARRAY_SIZE(checks); i++) {
		if (strcmp(argv[1], checks[i].name))
			continue;
		check_name = checks[i].name;
		return checks[i].fn();
	}
	fprintf(stderr, "unknown check %s\n", argv[1]);
	return 2;
}
