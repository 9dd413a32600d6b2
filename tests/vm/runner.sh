# shellcheck shell=bash
# Guest-side suite runner.  Results go out as TAP on the second serial port
# (/dev/ttyS1); the host never reads the console for a verdict.
#
# What to run comes from the kernel command line, written by the host
# (tests/vm/run.sh):
#   sdmvm.tests=SEL[,SEL...]  SEL is SUITE, SUITE/NNN (one test file) or
#                             SUITE/NNN:CASE (one line of a .cases file)
#   sdmvm.driver=sdm|dm_mod   the driver the tests load (dm_driver)
#   sdmvm.shard=NAME          shown in the TAP header
#
# Tests live in /sdm/suites/<suite>/:
#   NNN-name.sh      one test; exit status 0 means it passed, 77 that it
#                    does not apply here (the last "SKIP: reason" line of
#                    its output says why; see skip in lib.sh)
#   NNN-name.cases   one test per line: "<name> <shell command>"; the lines
#                    of a file run one after another in one shell (a batch)
# Header lines (read here: sdm-timeout; the host reads the others):
#   # sdm-timeout: SECONDS   per .sh test, per .cases line (default 600)
#   # sdm-stress: SECONDS    a stress test racing SECONDS unless the
#                            command line says sdmvm.stress_secs= (make
#                            stress); its limit grows by 3 times that,
#                            and it gets the length in SDM_STRESS_SECS
#   # sdm-fuzz: ITERATIONS   a fuzzer making ITERATIONS requests unless the
#                            command line says sdmvm.fuzz_iterations=
#                            (make fuzz); its limit grows by 50 ms an
#                            iteration given there, and it gets the count
#                            in SDM_FUZZ_ITERATIONS, the seed (1 or
#                            sdmvm.fuzz_seed=) in SDM_FUZZ_SEED
#
# After every test (and every line of a batch) the runner fails it on any
# kernel splat logged since it began, on processes it left running, on
# mounts under /mnt and on mapped devices left behind.  After a .sh test,
# after a whole batch and after any failure it unloads what tests load, so
# that the next test starts from the same state.  On the debug kernel
# kmemleak's periodic scan is off (a scan of guest memory takes minutes
# under emulation); the last test of the run (harness/kmemleak) scans once.
# The same on the KCSAN kernel, which has kmemleak too; there a KCSAN
# report ("BUG: KCSAN: data-race ...") is a splat like any other.
# Before each test a "# sdm-begin N NAME" comment goes to the TAP port, so
# the host can name the test a crash interrupted.  The stream ends with the
# sentinel line "# sdm-sentinel: end"; without it the host fails the run.
. /sdm/lib.sh

SPLATS='WARNING:|BUG:|BUG kmalloc|Oops|KASAN|kernel BUG|general protection fault'
SPLATS="$SPLATS|possible recursive locking|possible circular locking"
SPLATS="$SPLATS|inconsistent lock state|suspicious RCU usage|locking correctness validator"
SPLATS="$SPLATS|sleeping function called from invalid context|refcount_t:"
SPLATS="$SPLATS|blocked for more than|soft lockup|hard LOCKUP|detected stalls"
SPLATS="$SPLATS|ODEBUG|list_add corruption|list_del corruption"
SPLATS="$SPLATS|suspected memory leak|UBSAN|Call Trace:|DEBUG_LOCKS_WARN_ON"

PLAN=/tmp/sdm-plan
KMSG=/tmp/sdm-kmsg

tap() {
	echo "$*" >&3
}

# The runner reads the command line and each test's header lines with
# bash's builtins (no sed, no subshell): on the debug kernel the pipes of
# sed and head it ran before every test took about a second.

# SDMVM[NAME]: the value of sdmvm.NAME= on the kernel command line (the
# first, if it is there twice), read once
declare -A SDMVM=()
read_cmdline() {
	local -a words
	local w
	read -r -a words < /proc/cmdline
	for w in "${words[@]}"; do
		[[ $w == sdmvm.*=* ]] || continue
		w=${w#sdmvm.}
		[[ -v SDMVM[${w%%=*}] ]] || SDMVM[${w%%=*}]=${w#*=}
	done
}

# test_headers FILE: HDR[NAME] for each "# sdm-NAME: VALUE" line of FILE
# (the first, if a name is there twice)
declare -A HDR=()
test_headers() {
	local -a lines
	local l re='^# sdm-([a-z_-]+): *(.*)$'
	HDR=()
	[ -f "$1" ] || return 0
	mapfile -t lines < "$1"
	for l in "${lines[@]}"; do
		[[ $l =~ $re ]] || continue
		[[ -v HDR[${BASH_REMATCH[1]}] ]] || HDR[${BASH_REMATCH[1]}]=${BASH_REMATCH[2]}
	done
}

# plan_file SUITE NNN[:CASE]: the units of one test file (or one case
# of it): "sh|NAME|FILE" for a .sh test; for a .cases file one unit
# "batch|FILE|LINES", LINES a file of "name|command" lines
plan_file() {
	local suite=$1 num=${2%%:*} case="" f base name cmd lines
	[ "$2" != "$num" ] && case=${2#*:}
	for f in /sdm/suites/"$suite"/"$num"-*; do
		[ -f "$f" ] || continue
		base=$(basename "$f")
		case "$f" in
		*.sh) echo "sh|$suite/${base%.sh}|$f" ;;
		*.cases)
			# one file a selection: two cases of one file are
			# two selections
			lines=/tmp/sdm-batch.$suite.$num${case:+.$case}
			grep -v -e '^#' -e '^[[:space:]]*$' "$f" |
			while read -r name cmd; do
				[ -z "$case" ] || [ "$case" = "$name" ] || continue
				echo "$suite/${base%.cases}:$name|$cmd"
			done > "$lines"
			[ -s "$lines" ] && echo "batch|$f|$lines"
			;;
		esac
	done
}

# build_plan SEL,...: the units to run, one a line, into $PLAN (see
# plan_file); the host checked every selection, so one that matches
# nothing is an error ("fail|harness/selection:SEL|").  Prints the number
# of tests.
build_plan() {
	local sel suite rest f before kind name file
	: > "$PLAN"
	for sel in ${1//,/ }; do
		suite=${sel%%/*}
		before=$(wc -l < "$PLAN")
		if [ "$sel" = "$suite" ]; then
			for f in /sdm/suites/"$suite"/[0-9]*; do
				rest=$(basename "$f")
				case "$rest" in
				*.sh | *.cases) plan_file "$suite" "${rest%%-*}" >> "$PLAN" ;;
				esac
			done
		else
			plan_file "$suite" "${sel#*/}" >> "$PLAN"
		fi
		[ "$(wc -l < "$PLAN")" -gt "$before" ] ||
			echo "fail|harness/selection:$sel|" >> "$PLAN"
	done
	if [ "$SDM_KERNEL" = kcsan ]; then
		echo "cmd|harness/kcsan|check_kcsan" >> "$PLAN"
	fi
	# the debug kernels have kmemleak; Debian's stock and rt do not
	case "$SDM_KERNEL" in
	debug | kcsan) echo "cmd|harness/kmemleak|check_kmemleak" >> "$PLAN" ;;
	esac
	while IFS='|' read -r kind name file; do
		if [ "$kind" = batch ]; then
			wc -l < "$file"
		else
			echo 1
		fi
	done < "$PLAN" | awk '{ n += $1 } END { print n + 0 }'
}

# session_processes SID [PID...]: set SESSION_LEFT to "pid command" lines,
# one for every live process of session SID but the PIDs given and the
# shell calling this (it may run in the session it looks at).  Zombies are
# already dead (PID 1 reaps them).  Plain bash, no exec and no subshell:
# it runs after every test.
session_processes() {
	local sid=$1 skip=" ${*:2} $BASHPID " f line
	SESSION_LEFT=""
	# "pid (comm) state ppid pgrp session ...": comm may hold anything,
	# so the fields are read after its last ")", with a regular expression
	# that a zombie's state (Z) does not match (splitting the fields into
	# an array made this scan half a second of every test on the debug
	# kernel)
	local re="^[A-Ya-z] -?[0-9]+ -?[0-9]+ $sid "
	for f in /proc/[0-9]*/stat; do
		# (the redirection's own error, for a process gone meanwhile,
		# is silenced too)
		{ read -r line < "$f"; } 2> /dev/null || continue
		[[ "${line##*) }" =~ $re ]] || continue
		[[ "$skip" != *" ${line%% *} "* ]] || continue
		line=${line%) *}
		SESSION_LEFT+="${SESSION_LEFT:+$'\n'}${line%% (*} ${line#* (}"
	done
}

# leftovers: set LEFTOVERS to what a test must not leave behind, a line
# each: mounts under /mnt and mapped devices (no exec unless a driver is
# loaded, no subshell)
leftovers() {
	local mnt rest d
	LEFTOVERS=""
	while read -r _ mnt rest; do
		[[ "$mnt" != /mnt* ]] || LEFTOVERS+="mounted: $mnt"$'\n'
	done < /proc/mounts
	for d in /sys/block/dm-*; do
		[ -e "$d" ] && LEFTOVERS+="device left: ${d##*/}"$'\n'
	done
	# devices without a table have no disk: ask the driver, if one is
	# loaded (it registered its block major)
	dm_majors_read
	if [ -c /dev/mapper/control ] && [ -n "$DM_MAJORS" ]; then
		rest=$(/sdm/bin/dm_abi_ioctl --names 2>&1)
		[ -z "$rest" ] || LEFTOVERS+="device left: ${rest//$'\n'/ }"$'\n'
	fi
	LEFTOVERS=${LEFTOVERS%$'\n'}
}

# restore_baseline [nodevices]: unload what tests load, so every test
# starts from the same state; "nodevices" when leftovers has just found no
# mapped device (that saves a dmsetup, a third of a second on the debug
# kernel)
restore_baseline() {
	local mnt rest m
	local -a mounts=()
	while read -r _ mnt rest; do
		[[ "$mnt" != /mnt* ]] || mounts=("$mnt" "${mounts[@]}")
	done < /proc/mounts
	for m in "${mounts[@]}"; do
		umount -l "$m"
	done
	# bounded: a device whose references leaked (a mutant) keeps its
	# remover waiting, killably, for good; the rmmod below then fails
	if [ -e /dev/mapper/control ] && [ "${1:-}" != nodevices ]; then
		timeout -s KILL 60 dmsetup remove_all --force > /dev/null 2>&1 || true
	fi
	for m in sdm_kunit sdm_test_targets sdm dm_zero dm_mod brd null_blk; do
		if module_loaded "$m"; then
			busybox rmmod "$m" || return 1
		fi
	done
	# libdevmapper makes the control node itself when it finds none (as
	# it does when no driver is loaded); devtmpfs does not delete a node
	# it did not make, so such a node would outlive every driver and
	# the next opener would autoload dm_mod through it.  (rm only if
	# there is one: an exec is 50 ms of every test on the debug kernel)
	[ ! -e /dev/mapper/control ] || rm -f /dev/mapper/control
	return 0
}

# begin N NAME: announce a test to the host and to the kernel log
begin() {
	tap "# sdm-begin $1 $2"
	echo "sdm-test: begin $1 $2" > /dev/kmsg
	[ -z "${SDMVM[idle]:-}" ] || idle_ticks IDLE_AT_BEGIN
}

# idle_ticks VAR: the guest's idle time so far (all CPUs, in USER_HZ
# ticks), into VAR.  With sdmvm.idle=1 each test's result is preceded by
# its idle seconds: where a guest sleeps, its host core has nothing to
# run (finding where make test waits instead of working)
idle_ticks() {
	local _cpu _user _nice _sys idle iowait _rest
	read -r _cpu _user _nice _sys idle iowait _rest < /proc/stat
	printf -v "$1" '%s' $((idle + iowait))
}

# verdict N NAME RC START RESTORE SID [PID...]: judge what the test that
# ran in session SID (its output in /tmp/out) left behind and write its
# TAP result; the PIDs are the harness's own processes in that session.
# The baseline is restored before the kernel log is read (so what the
# unloading logs counts for this test) if RESTORE is 1, and after any
# failure.  Returns 0 if it passed (or was skipped), 1 if not.
verdict() {
	local n=$1 name=$2 rc=$3 start=$4 restore=$5 sid=$6 problem="" left took skip="" kmsg klog=clean
	local idle_now
	shift 6
	case $rc in
	0) ;;
	77)
		skip=$(sed -n 's/^SKIP: //p' /tmp/out | tail -n 1)
		[ -n "$skip" ] || problem="exit status 77 without a SKIP: line"
		;;
	137) problem="killed after its time limit" ;;
	*) problem="exit status $rc" ;;
	esac
	session_processes "$sid" "$@"
	left=$SESSION_LEFT
	if [ -n "$left" ]; then
		{ echo "processes left running:"; echo "$left"; } >> /tmp/out
		echo "$left" | awk '{ print $1 }' | xargs -r kill -KILL 2> /dev/null
		problem="${problem:+$problem; }left processes running"
	fi
	leftovers
	if [ -n "$LEFTOVERS" ]; then
		echo "$LEFTOVERS" >> /tmp/out
		problem="${problem:+$problem; }left state behind"
	fi
	if [ -n "$problem" ] || [ "$restore" = 1 ]; then
		# a process just killed may still finish a create: only a
		# test that passed every check spares the remove_all
		if [ -n "$problem" ]; then
			restore_baseline
		else
			restore_baseline nodevices
		fi >> /tmp/out 2>&1 ||
			problem="${problem:+$problem; }could not unload modules after the test"
	fi
	# What the kernel logged since the last test ended, this test's
	# begin line first: klog (tests/prog/klog.c) reads all of it, where
	# busybox's dmesg stops at the newest 16 MiB.
	klog -c > "$KMSG" 2>> /tmp/out
	if [ -n "${HDR[fuzz]:-}${HDR[stress]:-}" ]; then
		# A fuzzer's or a stress test's log can hold tens of MB (on
		# the debug kernel every kobject release logs a line): grep
		# reads the file a line at a time, where bash holds it all.
		# On the host, bash's read and =~ of a 149 MB log took 13.5 s
		# and GNU grep 0.3 s (the guest's busybox grep is not timed).
		# Other tests log a few KB, and bash spares them an exec.
		grep -qF -- "sdm-test: begin $n $name" "$KMSG" || klog=lost
		[ "$klog" = lost ] || ! grep -qE -- "$SPLATS" "$KMSG" || klog=splat
	else
		kmsg=$(< "$KMSG")
		[[ "$kmsg" == *"sdm-test: begin $n $name"* ]] || klog=lost
		[ "$klog" = lost ] || [[ ! "$kmsg" =~ $SPLATS ]] || klog=splat
	fi
	case $klog in
	lost) problem="${problem:+$problem; }start marker lost from the kernel log" ;;
	splat) problem="${problem:+$problem; }kernel splat in dmesg" ;;
	esac
	took="$((EPOCHSECONDS - start))s"
	if [ -n "${SDMVM[idle]:-}" ]; then
		idle_ticks idle_now
		tap "#   idle: $(((idle_now - IDLE_AT_BEGIN) / 100)) s of $took"
	fi
	if [ -z "$problem" ]; then
		if [ -n "$skip" ]; then
			tap "ok $n $name # SKIP $skip"
			echo skip >> "$RESULTS"
		else
			tap "ok $n $name # $took"
			# what a passing test measured, for its minimums
			sed -n 's/^measured: /#   /p' /tmp/out >&3
			echo pass >> "$RESULTS"
		fi
		return 0
	fi
	tap "not ok $n $name # $took"
	tap "# $problem"
	# the first splat and what follows it, ahead of the test's output
	# (a long log's tail, printed last, may not reach back to it)
	if [ "$klog" = splat ]; then
		grep -E -m 1 -A 11 -- "$SPLATS" "$KMSG" | sed 's/^/#   splat: /' >&3
	fi
	echo fail >> "$RESULTS"
	tail -n 40 /tmp/out | sed 's/^/#   /' >&3
	if [ -s "$KMSG" ]; then
		tap "# kernel log since the test started:"
		tail -n 60 "$KMSG" | sed 's/^/#   /' >&3
	fi
	return 1
}

# header_value VAR NAME ARG: set VAR to the value of the "# sdm-NAME:"
# header test_headers read, replaced by sdmvm.ARG= of the command line if
# there is one; empty if the file has no such header.  For a stress test
# (stress, stress_secs: how long it races) and a fuzzer (fuzz,
# fuzz_iterations: how many requests it makes)
header_value() {
	if [ -n "${HDR[$2]:-}" ]; then
		printf -v "$1" '%s' "${SDMVM[$3]:-${HDR[$2]}}"
	else
		printf -v "$1" '%s' ""
	fi
}

# limit_of FILE: LIMIT, the per-test time limit FILE declares; a stress
# test (# sdm-stress: header) gets three times sdmvm.stress_secs more, a
# fuzzer (# sdm-fuzz: header) 50 ms for each of sdmvm.fuzz_iterations.
# Leaves FILE's headers in HDR.
limit_of() {
	local s=0 f=0
	test_headers "$1"
	[ -z "${HDR[stress]:-}" ] || s=${SDMVM[stress_secs]:-0}
	[ -z "${HDR[fuzz]:-}" ] || f=${SDMVM[fuzz_iterations]:-0}
	LIMIT=$((${HDR[timeout]:-600} + 3 * s + f / 20))
}

# run_one N NAME FILE|COMMAND: one .sh test (or one command with lib.sh
# sourced) in a session of its own (its id is the pid of the subshell), so
# that whatever it leaves running can be found; then back to the baseline
run_one() {
	local n=$1 name=$2 what=$3 start rc session
	begin "$n" "$name"
	start=$EPOCHSECONDS
	if [ -f "$what" ]; then
		limit_of "$what"
		(cd /tmp && header_value SDM_STRESS_SECS stress stress_secs &&
			header_value SDM_FUZZ_ITERATIONS fuzz fuzz_iterations &&
			export SDM_STRESS_SECS SDM_FUZZ_ITERATIONS &&
			export SDM_FUZZ_SEED=${SDMVM[fuzz_seed]:-1} &&
			exec setsid timeout -s KILL "$LIMIT" \
			/bin/bash "$what") > /tmp/out 2>&1 < /dev/null &
	else
		(cd /tmp && exec setsid timeout -s KILL 600 \
			/bin/bash -c ". /sdm/lib.sh; $what") > /tmp/out 2>&1 < /dev/null &
	fi
	session=$!
	wait $session
	rc=$?
	verdict "$n" "$name" $rc "$start" 1 $session
}

# run_batch FIRST FILE LINES: the cases in LINES ("name|command" lines of
# the .cases FILE) in one shell of a session of their own; each is judged
# as it ends.  Cases the batch did not get to (it was killed, or died)
# fail.
run_batch() {
	local first=$1 file=$2 lines=$3 count limit session rc ran n name left
	count=$(wc -l < "$lines")
	limit_of "$file"
	limit=$((LIMIT * count))
	echo 0 > /tmp/sdm-batch-done
	(cd /tmp && exec setsid timeout -s KILL "$limit" /bin/bash /sdm/runner.sh \
		batch "$first" "$lines") < /dev/null &
	session=$!
	wait $session
	rc=$?
	read -r ran < /tmp/sdm-batch-done
	n=$((first + ran))
	sed -n "$((ran + 1)),\$p" "$lines" | while IFS='|' read -r name _; do
		tap "not ok $n $name # the batch ended (status $rc) before this case"
		echo fail >> "$RESULTS"
		n=$((n + 1))
	done
	session_processes $session
	left=$SESSION_LEFT
	if [ -n "$left" ]; then
		tap "not ok $((first + count)) ${file#/sdm/suites/} # the batch left processes running: $left"
		echo fail >> "$RESULTS"
		echo "$left" | awk '{ print $1 }' | xargs -r kill -KILL 2> /dev/null
	fi
	restore_baseline > /dev/null 2>&1
}

# batch_main FIRST LINES: the batch side of run_batch (this script, run as
# "runner.sh batch ..."): lib.sh is sourced once for all cases; each case
# runs in a subshell.  Modules stay loaded from one case to the next
# unless a case fails.
batch_main() {
	local n=$1 lines=$2 name cmd start rc ran=0 count last
	count=$(wc -l < "$lines")
	while IFS='|' read -r name cmd; do
		begin "$n" "$name"
		start=$EPOCHSECONDS
		(eval "$cmd") > /tmp/out 2>&1 < /dev/null
		rc=$?
		last=0
		[ $((ran + 1)) -lt "$count" ] || last=1
		# this shell leads the session (timeout execs it)
		verdict "$n" "$name" $rc "$start" $last "$$" "$$"
		ran=$((ran + 1))
		echo $ran > /tmp/sdm-batch-done
		n=$((n + 1))
	done < "$lines"
}

# virtio_pmem_at_boot: where the kernel has a virtio-pmem driver (the guest
# has the device, tests/vm/run.sh), probe it now, before any test frees a
# dax_device, and after the legacy pmem, which stays pmem0.  The kernel
# hands out a freed dax_device again with its last user's flags, MAP_SYNC
# among them (the slab constructor clears them only once), so a
# virtio-pmem probed after a test removed a MAP_SYNC device could come up
# synchronous: dax/013 failed so on 6.1, 4 CPUs, after dax/010.
virtio_pmem_at_boot() {
	grep -q '/virtio_pmem\.ko' "/lib/modules/$(uname -r)/modules.dep" 2> /dev/null || return 0
	pmem_load > /dev/null
	modprobe virtio_pci && modprobe virtio_pmem
}

RESULTS=/tmp/sdm-results
exec 3>/dev/ttyS1
if [ "${1:-}" = batch ]; then
	read_cmdline
	batch_main "$2" "$3"
	exit 0
fi

restore_baseline
virtio_pmem_at_boot || echo "sdm-runner: virtio-pmem could not be loaded" > /dev/kmsg
if [ -w /sys/kernel/debug/kmemleak ]; then
	echo scan=off > /sys/kernel/debug/kmemleak
	echo clear > /sys/kernel/debug/kmemleak
fi
klog -c > /dev/null
: > "$RESULTS"

read_cmdline
total=$(build_plan "${SDMVM[tests]:-}")
tap "TAP version 13"
tap "# sdm shard ${SDMVM[shard]:-} on $SDM_KERNEL kernel $(uname -r), driver $SDM_DRIVER"
tap "1..$total"
n=1
while IFS='|' read -r kind name what; do
	case $kind in
	sh | cmd)
		run_one "$n" "$name" "$what"
		n=$((n + 1))
		;;
	batch)
		run_batch "$n" "$name" "$what"
		n=$((n + $(wc -l < "$what")))
		;;
	fail)
		tap "not ok $n $name # matches no test"
		echo fail >> "$RESULTS"
		n=$((n + 1))
		;;
	esac
done < "$PLAN"
tap "# guest count: $(grep -c pass "$RESULTS") passed, $(grep -c fail "$RESULTS") failed, $(grep -c skip "$RESULTS") skipped"
tap "# sdm-sentinel: end"
