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

# abi_wait_gone NAME: the device disappears within 30 s (a deferred
# removal runs from a workqueue after the last close).
abi_wait_gone() {
	local i=0
	while [ $i -lt 300 ] && dmsetup info "$1" > /dev/null 2>&1; do
		sleep 0.1
		i=$((i + 1))
	done
	dmsetup info "$1" > /dev/null 2>&1 && die "$1 still exists 30 s later"
	return 0
}

# A dmsetup wait is proven to block by being seen asleep in the ioctl:
# /proc/PID/syscall of a task blocked in a system call shows its number
# (16, ioctl, on x86_64) and arguments, the request being DM_DEV_WAIT,
# _IOWR(0xfd, 8, struct dm_ioctl) with the struct's 312 bytes.
ABI_DEV_WAIT=0xc138fd08

# abi_state PID: the state letter of PID (R, S, D, Z, ...), empty if gone
abi_state() {
	local stat rest
	read -r stat 2> /dev/null < "/proc/$1/stat" || return 0
	rest=${stat##*) }
	echo "${rest%% *}"
}

# abi_alive PID: PID exists and has not exited (a zombie has)
abi_alive() {
	local s
	s=$(abi_state "$1")
	[ -n "$s" ] && [ "$s" != Z ] && [ "$s" != X ]
}

# abi_dmsetup_of PID: PID if it is a dmsetup process, else the first
# dmsetup process among its descendants (a background job may be a
# subshell that runs dmsetup); nothing if there is none (yet).
abi_dmsetup_of() {
	local pids=$1 next p f stat rest
	while [ -n "$pids" ]; do
		next=""
		for p in $pids; do
			if [ "$(cat "/proc/$p/comm" 2> /dev/null)" = dmsetup ]; then
				echo "$p"
				return 0
			fi
			for f in /proc/[0-9]*/stat; do
				read -r stat 2> /dev/null < "$f" || continue
				rest=${stat##*) }
				rest=${rest#* }
				[ "${rest%% *}" = "$p" ] && next="$next ${stat%% *}"
			done
		done
		pids=$next
	done
	return 0
}

# abi_syscall PID: the first three fields of /proc/PID/syscall (number,
# first two arguments), "running" if the task is not blocked in one
abi_syscall() {
	local nr a1 a2
	read -r nr a1 a2 _ 2> /dev/null < "/proc/$1/syscall" || { echo gone; return 0; }
	echo "$nr${a1:+ $a1}${a2:+ $a2}"
}

# abi_in_dev_wait PID: PID sleeps in the DM_DEV_WAIT ioctl
abi_in_dev_wait() {
	local s
	s=$(abi_syscall "$1")
	[ "${s%% *}" = 16 ] && [ "${s##* }" = "$ABI_DEV_WAIT" ] &&
		[ "$(abi_state "$1")" = S ]
}

# abi_expect_waiting PID WHAT: the dmsetup wait started as job PID (the
# dmsetup process itself or one under it) gets to sleep in DM_DEV_WAIT
# within 60 s, and does not exit before; sets ABI_WAITER to the dmsetup
# process.
abi_expect_waiting() {
	local i=0 p=""
	while [ $i -lt 600 ]; do
		abi_alive "$1" || die "$2 returned at once"
		[ -n "$p" ] || p=$(abi_dmsetup_of "$1")
		if [ -n "$p" ] && abi_in_dev_wait "$p"; then
			ABI_WAITER=$p
			echo "$2: process $p sleeps in DM_DEV_WAIT ($(abi_syscall "$p"))"
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	die "$2 is not asleep in DM_DEV_WAIT 60 s later (${p:-no dmsetup process}: $(abi_syscall "${p:-$1}"))"
}

# abi_expect_still_waiting WHAT: the waiter (ABI_WAITER) still sleeps in
# DM_DEV_WAIT after WHAT.  A task that is only passing through a wake-up
# reads as "running" and is looked at again (for up to 10 s); one that
# returned is gone or in another system call.
abi_expect_still_waiting() {
	local i=0 s
	while [ $i -lt 100 ]; do
		abi_in_dev_wait "$ABI_WAITER" && return 0
		s=$(abi_syscall "$ABI_WAITER")
		[ "$s" = running ] || die "$1 woke the waiter: it left DM_DEV_WAIT ($s)"
		sleep 0.1
		i=$((i + 1))
	done
	die "after $1 the waiter has been running for 10 s, not waiting"
}

# abi_expect_stays_waiting WHAT SECONDS: abi_expect_still_waiting WHAT,
# every 0.2 s for SECONDS (an event may be raised from a work queue,
# after the command that caused it returned)
abi_expect_stays_waiting() {
	local i=0
	while [ $i -lt $(($2 * 5)) ]; do
		abi_expect_still_waiting "$1"
		sleep 0.2
		i=$((i + 1))
	done
	echo "the waiter still sleeps in DM_DEV_WAIT $2 s after $1"
}

# abi_expect_released PID WHAT OUT EVENT: the dmsetup wait -v of job PID
# returns within 60 s, succeeds, and its output (file OUT) reports
# "Event number: EVENT"
abi_expect_released() {
	local i=0
	while [ $i -lt 600 ] && abi_alive "$1"; do
		sleep 0.1
		i=$((i + 1))
	done
	abi_alive "$1" && die "$2: still waiting 60 s after the event"
	wait "$1" || die "$2 failed: $(cat "$3")"
	cat "$3"
	expect_eq "$(sed -n 's/^Event number: *//p' "$3")" "$4" "event number $2 reports"
}
