# shellcheck shell=bash
# Helpers of the abi suite (tests/suites/abi): the rest of the DM ioctl ABI
# (rename, wait, messages, geometry, poll, deferred removal, uevents, the
# striped/zero/error targets, read-only tables, buffer-full retries),
# driven by the real dmsetup and by tests/prog/dm_abi_ioctl.c, against the
# driver under test (dm_driver: sdm, or upstream's dm_mod as the oracle).
# The core suite's helpers (core_info, core_expect_info, core_get, ...)
# are used as they are.

# The cookie dmsetup puts in event_nr (and the kernel in DM_COOKIE=) with
# DM_DISABLE_UDEV set: no udev semaphore (base 0), only the flags
# DISABLE_DM_RULES | DISABLE_SUBSYSTEM_RULES | PRIMARY_SOURCE (0x43) in the
# upper 16 bits.
# shellcheck disable=SC2034 # used by the tests
ABI_DMSETUP_COOKIE=$((0x43 << 16))

# abi_start [MIB [COUNT]]: core_start, plus upstream's zero target (a
# module of its own next to dm_mod; sdm has it built in).
abi_start() {
	core_start "$@"
	if [ "$(dm_driver)" = dm_mod ]; then
		run modprobe dm_zero > /dev/null || die "modprobe dm_zero failed"
	fi
}

# abi_uevents FILE: the block uevents dm_uevent wrote to FILE, one a line:
# "ACTION DEVNAME[ cookie=N][ resize][ ro=N]" (bdi and other subsystems
# left out).
abi_uevents() {
	awk 'BEGIN { RS = ""; FS = "\n" }
	{
		delete kv
		for (i = 1; i <= NF; i++) {
			p = index($i, "=")
			kv[substr($i, 1, p - 1)] = substr($i, p + 1)
		}
		if (kv["SUBSYSTEM"] != "block")
			next
		line = kv["ACTION"] " " kv["DEVNAME"]
		if ("DM_COOKIE" in kv)
			line = line " cookie=" kv["DM_COOKIE"]
		if ("RESIZE" in kv)
			line = line " resize"
		if ("DISK_RO" in kv)
			line = line " ro=" kv["DISK_RO"]
		print line
	}' "$1"
}

# abi_expect_uevents WHAT EXPECTED CMD...: run CMD under dm_uevent; it
# must succeed and produce exactly the block uevents EXPECTED (lines as
# abi_uevents prints them, "" for none).
abi_expect_uevents() {
	local what=$1 want=$2
	shift 2
	echo "+ $* (uevents)"
	dm_uevent -- "$@" > /tmp/abi-uevents || die "$what: '$*' failed"
	expect_eq "$(abi_uevents /tmp/abi-uevents)" "$want" "uevents of $what"
}

# abi_minor NAME: the minor of a mapped device
abi_minor() {
	local mm
	mm=$(core_info "$1" "Major, minor")
	echo "${mm#*, }"
}

# abi_getgeo DEV: HDIO_GETGEO of DEV as "cylinders heads sectors start"
abi_getgeo() {
	dm_abi_ioctl --getgeo "$1"
}

# abi_ioctl CHECK: one check of dm_abi_ioctl (see prog_check)
abi_ioctl() {
	prog_check dm_abi_ioctl "$1"
}

# abi_ioctl_all_listed CASES: every check dm_abi_ioctl knows has a line
abi_ioctl_all_listed() {
	prog_all_listed dm_abi_ioctl abi_ioctl "$1"
}

# abi_wait_gone NAME: the device disappears within 5 s (a deferred
# removal runs from a workqueue after the last close).
abi_wait_gone() {
	local i=0
	while [ $i -lt 50 ] && dmsetup info "$1" > /dev/null 2>&1; do
		sleep 0.1
		i=$((i + 1))
	done
	dmsetup info "$1" > /dev/null 2>&1 && die "$1 still exists 5 s later"
	return 0
}
