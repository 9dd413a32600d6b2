# shellcheck shell=bash
# Helpers for the guest-side tests (sourced by every test; run by bash).
#
# A test is a script that exits 0 when what it checks holds.  It prints
# what it does; on failure the runner shows the tail of that output.

SDM_MODULES=/sdm/modules

die() {
	echo "FAIL: $*"
	exit 1
}

# skip REASON: the test does not apply here.  The runner reports it as
# "ok N name # SKIP REASON", counted apart from passes; the host fails a
# run of CI's kernels on any skip a test reports itself.
skip() {
	echo "SKIP: $*"
	exit 77
}

# expect_eq ACTUAL EXPECTED WHAT
expect_eq() {
	[ "$1" = "$2" ] || die "$3: expected '$2', got '$1'"
}

# run CMD...: echo a command, then run it
run() {
	echo "+ $*"
	"$@"
}

# expect_fail_msg MSG CMD...: CMD must fail and print MSG (stdout+stderr)
expect_fail_msg() {
	_msg=$1
	shift
	echo "+ $* (must fail with: $_msg)"
	if _out=$("$@" 2>&1); then
		echo "$_out"
		die "'$*' succeeded"
	fi
	echo "$_out"
	case "$_out" in
	*"$_msg"*) ;;
	*) die "'$*' failed without '$_msg'" ;;
	esac
}

# module_loaded NAME: the loadable module NAME is loaded (sysfs has its
# initstate; no exec, so the runner can ask after every test)
module_loaded() {
	[ -e "/sys/module/$1/initstate" ]
}

# The helpers load and unload modules with busybox's insmod and rmmod.
# Debian's (kmod) map libcrypto at every start: in a debug guest an
# insmod and rmmod of sdm took 1.3 to 1.8 s with kmod's, 0.65 s with
# busybox's.  A test that checks what kmod's commands print calls insmod
# and rmmod itself.
sdm_load() {
	module_loaded sdm || run busybox insmod "$SDM_MODULES/sdm.ko"
}

# The device-mapper driver under test: sdm (default) or, with
# SDM_DRIVER=dm_mod, upstream's dm_mod, so that suites describing upstream
# behaviour can be checked against the oracle itself.
dm_driver() {
	echo "${SDM_DRIVER:-sdm}"
}

dm_load() {
	case "$(dm_driver)" in
	sdm) sdm_load ;;
	dm_mod) module_loaded dm_mod || run modprobe dm_mod ;;
	*) die "unknown SDM_DRIVER $(dm_driver)" ;;
	esac
}

dm_unload() {
	case "$(dm_driver)" in
	sdm) sdm_unload ;;
	dm_mod) ! module_loaded dm_mod || run busybox rmmod dm_mod ;;
	esac
}

sdm_unload() {
	if module_loaded sdm_test_targets; then
		run busybox rmmod sdm_test_targets || return 1
	fi
	if module_loaded sdm; then
		run busybox rmmod sdm || return 1
	fi
	return 0
}

# test_targets_load [count=N]: register sdmtestN target types
test_targets_load() {
	sdm_load || return 1
	if module_loaded sdm_test_targets; then
		run busybox rmmod sdm_test_targets || return 1
	fi
	run busybox insmod "$SDM_MODULES/sdm_test_targets.ko" "$@"
}

# The block major sdm (or dm_mod) registered as "device-mapper", if any.
dm_block_majors() {
	dm_majors_read
	[ -z "$DM_MAJORS" ] || echo "${DM_MAJORS// /$'\n'}"
}

# dm_majors_read: set DM_MAJORS to the block majors named device-mapper,
# separated by spaces (no subshell: the runner calls it after every test)
dm_majors_read() {
	local major name block=0
	DM_MAJORS=""
	while read -r major name; do
		if [ "$major" = "Block" ]; then
			block=1
		elif [ $block = 1 ] && [ "$name" = device-mapper ]; then
			DM_MAJORS+="${DM_MAJORS:+ }$major"
		fi
	done < /proc/devices
}

# dm_minor NAME: the minor of mapped device NAME (fails if there is none)
dm_minor() {
	local m
	m=$(dmsetup info -c --noheadings -o minor "$1") || return 1
	echo "${m// /}"
}

# dm_disk NAME: the disk name (dm-N) of mapped device NAME
dm_disk() {
	local m
	m=$(dm_minor "$1") || return 1
	echo "dm-$m"
}

# char_dev PATH: "major:minor" of a character device node
char_dev() {
	[ -c "$1" ] || return 1
	# shellcheck disable=SC2046
	set -- $(stat -c '%t %T' "$1")
	echo "$((0x$1)):$((0x$2))"
}

# kmsg_since MARK: kernel log lines after the last line containing MARK.
# The lines are kept in an array: busybox awk copies a string it appends
# to, so gathering them in one string cost time quadratic in their number
# (300 s of the debug kernel's time after 30000 fuzzer requests, core/160).
kmsg_since() {
	klog | awk -v m="$1" 'index($0, m) { n = 0; seen = 1; next }
		seen { l[++n] = $0 }
		END { for (i = 1; i <= n; i++) print l[i] }'
}

# kmsg_mark: write a unique marker to the kernel log and print it (the
# subshell's own pid and the time in microseconds: busybox's date has no
# %N, so two marks of one second used to be the same)
kmsg_mark() {
	_m="sdm-mark-$$-$BASHPID-$EPOCHREALTIME"
	echo "$_m" > /dev/kmsg
	echo "$_m"
}

# check_kcsan: on the KCSAN kernel, after the tests: fail unless KCSAN was
# enabled and set up watchpoints, so that the silence of the kernel log
# (where every report is a splat) means KCSAN was watching.  Its counters
# are shown: data_races also counts races it does not report, by design
# of the kernel's default configuration (a write that left the value as
# it was, a race whose watcher had already gone), and races_unknown_origin
# those whose other side is not instrumented (not reported on our KCSAN
# kernel: tests/kernel/kcsan.config says why).
check_kcsan() {
	_kc=/sys/kernel/debug/kcsan
	[ -r "$_kc" ] || die "$_kc missing on the $SDM_KERNEL kernel"
	_info=$(cat "$_kc")
	echo "$_info" | sed -n '1,10p'
	# shellcheck disable=SC2046 # five numbers, split on purpose
	set -- $(echo "$_info" | awk -F': ' '
		$1 == "enabled" { e = $2 }
		$1 == "setup_watchpoints" { w = $2 }
		$1 == "data_races" { r = $2 }
		$1 == "report_races" { u = $2 }
		$1 == "races_unknown_origin" { o = $2 }
		END { print e + 0, w + 0, r + 0, u + 0, o + 0 }')
	[ "$1" = 1 ] || die "KCSAN is not enabled"
	echo "measured: KCSAN set up $2 watchpoints, counted $3 data races ($4 after their watcher had gone) and $5 value changes of unknown origin; a report fails the test it came in"
	[ "$2" -gt 0 ] || die "KCSAN set up no watchpoint"
	# the report filter tests/vm/init set up: the functions of
	# tests/kernel/kcsan.ignore, each found in this kernel, and no other
	_want=$(grep -v -e '^#' -e '^[[:space:]]*$' /sdm/kcsan.ignore | sort)
	_have=$(echo "$_info" | sed -n '/^blacklisted functions:/,$p' |
		sed -e '1d' -e 's/^ *//' | sort)
	echo "measured: KCSAN's report filter holds $(echo "$_have" | tr '\n' ' ')(tests/kernel/kcsan.ignore)"
	if [ -z "$_want" ] || [ "$_want" != "$_have" ]; then
		die "KCSAN's report filter is not tests/kernel/kcsan.ignore's list"
	fi
}

# kmemleak_scan FILE: have kmemleak scan now, through its debugfs FILE.
# It refuses a scan (EPERM) once it is off: turned off at boot
# (kmemleak=off), or by itself when it ran out of its object pool.  Its
# report would then be empty and prove nothing.
kmemleak_scan() {
	echo scan > "$1" ||
		die "kmemleak refused to scan: it is off, nothing was checked"
}

# check_kmemleak: fail if kmemleak (debug kernels) reports any leak.  The
# runner clears its list before the first test, so only leaks made while
# the suites ran are reported.
check_kmemleak() {
	_kl=/sys/kernel/debug/kmemleak
	[ -w "$_kl" ] || die "$_kl missing on the $SDM_KERNEL kernel"
	# A scan reports only objects allocated 5 s before it began: let what
	# the last test freed age, then scan.  A scan takes seconds of the
	# debug kernel's time, so a second one (which drops what the first
	# reported but finds referenced now, a pointer it missed in flight)
	# runs only when the first reported something.
	sleep 6
	kmemleak_scan "$_kl"
	_leaks=$(cat "$_kl")
	if [ -n "$_leaks" ]; then
		kmemleak_scan "$_kl"
		_leaks=$(cat "$_kl")
	fi
	[ -z "$_leaks" ] || {
		echo "$_leaks" | head -n 60
		die "kmemleak reports leaks"
	}
}

# pmem_wait: /dev/pmem0 (the guest's memmap= pmem) exists within 30 s (a
# bound only: two VMs may share the host's cores)
pmem_wait() {
	_i=0
	while [ ! -b /dev/pmem0 ] && [ $_i -lt 300 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	[ -b /dev/pmem0 ] || die "/dev/pmem0 did not appear"
}

# pmem_load: the legacy pmem drivers loaded and /dev/pmem0 there
pmem_load() {
	run modprobe nd_e820 || die "modprobe nd_e820 failed"
	run modprobe nd_pmem || die "modprobe nd_pmem failed"
	pmem_wait
}

# basic_ioctl CHECK: one raw-ioctl check of sdm_ioctl against the driver
# under test
basic_ioctl() {
	dm_load > /dev/null || die "cannot load $(dm_driver)"
	sdm_ioctl "$1"
}

# with_target_module_churn CMD...: run CMD while a target module of the
# driver under test is loaded and unloaded over and over (sdm's test
# targets, dm_mod's dm_zero); CMD's status
with_target_module_churn() {
	local load unload pid rc=0
	dm_load > /dev/null || die "cannot load $(dm_driver)"
	if [ "$(dm_driver)" = sdm ]; then
		load=(insmod "$SDM_MODULES/sdm_test_targets.ko")
		unload=sdm_test_targets
	else
		load=(modprobe dm_zero)
		unload=dm_zero
	fi
	rm -f /tmp/churn-stop
	(
		while [ ! -e /tmp/churn-stop ]; do
			"${load[@]}" && rmmod "$unload"
		done
	) &
	pid=$!
	"$@" || rc=$?
	touch /tmp/churn-stop
	wait "$pid"
	if module_loaded "$unload"; then
		run rmmod "$unload" || rc=1
	fi
	return $rc
}

# basic_ioctl_all_listed CASES: every check sdm_ioctl knows has a line in
# CASES.
basic_ioctl_all_listed() {
	_missing=$(sdm_ioctl --list | while read -r _c; do
		grep -q "basic_ioctl $_c\$" "$1" || echo "$_c"
	done)
	[ -z "$_missing" ] || die "checks without a case line: $_missing"
}

# kunit_suite SUITE: load sdm_kunit.ko (its suites run at load) and pass
# if SUITE ran at least one test case and none failed.
kunit_suite() {
	sdm_load > /dev/null || die "cannot load sdm"
	if ! module_loaded sdm_kunit; then
		run busybox insmod "$SDM_MODULES/sdm_kunit.ko" || die "insmod sdm_kunit failed"
	fi
	_res=/sys/kernel/debug/kunit/$1/results
	[ -r "$_res" ] || die "no KUnit results for suite $1"
	cat "$_res"
	# The suite's own plan and cases are indented under a one-line
	# top-level plan; the last line is the suite's verdict.
	_plan=$(sed -n 's/^[[:space:]]\{1,\}1\.\.\([0-9][0-9]*\)$/\1/p' "$_res" | head -n 1)
	_ok=$(grep -cE '^[[:space:]]+ok [0-9]+ ' "$_res")
	! grep -qE '^[[:space:]]*not ok ' "$_res" || die "suite $1 has failures"
	[ "${_plan:-0}" -gt 0 ] || die "suite $1 has no test plan"
	expect_eq "$_ok" "$_plan" "passed cases of suite $1"
	grep -qE "^ok [0-9]+ $1\$" "$_res" || die "no passing verdict line for suite $1"
}

# kunit_all_listed CASES: the suites sdm_kunit.ko brings (the debugfs
# KUnit directories named sdm_*: every suite of the module is named so)
# are exactly the kunit_suite lines of CASES, so a suite added to the
# module without a line fails.
kunit_all_listed() {
	local built listed
	sdm_load > /dev/null || die "cannot load sdm"
	# loaded by the cases before (no second run of every suite, the
	# minor exhaustion case alone takes 25 s on the debug kernel)
	if ! module_loaded sdm_kunit; then
		run busybox insmod "$SDM_MODULES/sdm_kunit.ko" || die "insmod sdm_kunit failed"
	fi
	# sdm's suites are named sdm_*; no suite of the kernel is
	built=$(cd /sys/kernel/debug/kunit && printf '%s\n' sdm_* | sort)
	listed=$(sed -n 's/.*[[:space:]]kunit_suite \([a-z_0-9]*\)$/\1/p' "$1" | sort)
	echo "suites of sdm_kunit.ko: $(echo "$built" | tr '\n' ' ')"
	[ "$built" != 'sdm_*' ] || die "sdm_kunit.ko brought no KUnit suite"
	expect_eq "$built" "$listed" "KUnit suites of sdm_kunit.ko against the lines of $1"
}

# Helpers of other suites (tests/vm/lib.d/*.sh).
for _f in /sdm/lib.d/*.sh; do
	# shellcheck source=/dev/null # the suites' helpers, in lib.d
	[ -e "$_f" ] && . "$_f"
done
