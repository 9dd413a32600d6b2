# shellcheck shell=bash
# Guest-side suite runner.  Results go out as TAP on the second serial port
# (/dev/ttyS1); the host never reads the console for a verdict.
#
# Tests live in /sdm/suites/<suite>/:
#   NNN-name.sh      one test; exit status 0 means it passed
#   NNN-name.cases   one test per line: "<name> <shell command>"
# Header lines in either file:
#   # sdm-kernels: stock debug     kernels the tests run on (default: all)
#   # sdm-timeout: SECONDS         per test (default 600)
#
# After every test a dmesg gate fails it on any kernel splat logged since
# its start marker, and the runner restores the baseline (no sdm, test or
# dm_mod modules loaded).  On the debug kernel kmemleak is cleared before
# the first test and scanned as the last one.  The stream ends with the
# sentinel line "# sdm-sentinel: end"; without it the host fails the run.
. /sdm/lib.sh

exec 3>/dev/ttyS1

SPLATS='WARNING:|BUG:|BUG kmalloc|Oops|KASAN|kernel BUG|general protection fault'
SPLATS="$SPLATS|possible recursive locking|possible circular locking"
SPLATS="$SPLATS|inconsistent lock state|suspicious RCU usage|locking correctness validator"
SPLATS="$SPLATS|sleeping function called from invalid context|refcount_t:"
SPLATS="$SPLATS|blocked for more than|soft lockup|hard LOCKUP|detected stalls"
SPLATS="$SPLATS|ODEBUG|list_add corruption|list_del corruption"
SPLATS="$SPLATS|unreferenced object|UBSAN|Call Trace:|DEBUG_LOCKS_WARN_ON"

PLAN=/tmp/sdm-plan

tap() {
	echo "$*" >&3
}

header() {
	sed -n "s/^# sdm-$1: *//p" "$2" | head -n 1
}

wanted_here() {
	_k=$(header kernels "$1")
	[ -z "$_k" ] && return 0
	case " $_k " in
	*" $SDM_KERNEL "*) return 0 ;;
	esac
	return 1
}

# Plan lines: name|file|command (command empty for .sh tests).
build_plan() {
	: > "$PLAN"
	for suite in ${SDM_SUITES:-$(ls /sdm/suites)}; do
		[ -d "/sdm/suites/$suite" ] || {
			echo "unknown suite $suite" >&2
			continue
		}
		for f in /sdm/suites/"$suite"/*; do
			wanted_here "$f" || continue
			base=$(basename "$f")
			case "$f" in
			*.sh)
				echo "$suite/${base%.sh}||$f" >> "$PLAN"
				;;
			*.cases)
				grep -v -e '^#' -e '^[[:space:]]*$' "$f" |
				while read -r name cmd; do
					echo "$suite/${base%.cases}:$name|$cmd|$f" >> "$PLAN"
				done
				;;
			esac
		done
	done
	# SDM_ONLY (an extended regex on test names) narrows a run while
	# iterating on a few tests; CI never sets it.
	if [ -n "${SDM_ONLY:-}" ]; then
		grep -E "^[^|]*(${SDM_ONLY})" "$PLAN" > "$PLAN.only"
		mv "$PLAN.only" "$PLAN"
	fi
	if [ "$SDM_KERNEL" = debug ]; then
		echo "harness/kmemleak|check_kmemleak|" >> "$PLAN"
	fi
}

# session_processes SID: "pid command" of every process in session SID
session_processes() {
	local st
	for st in /proc/[0-9]*/stat; do
		sed 's/^\([0-9]*\) (\(.*\)) [A-Za-z] [0-9-]* [0-9-]* \([0-9-]*\) .*/\3 \1 \2/' "$st" 2> /dev/null
	done | awk -v sid="$1" '$1 == sid { print $2, $3 }'
}

# What a test must not leave behind: mounts under /mnt and dm disks.
leftovers() {
	awk '$2 ~ "^/mnt" { print "mounted: " $2 }' /proc/mounts
	for d in /sys/block/dm-*; do
		[ -e "$d" ] && echo "device left: ${d##*/}"
	done
	# devices without a table have no disk: ask the driver
	if [ -c /dev/mapper/control ] && [ -n "$(dm_block_majors)" ]; then
		dmsetup ls 2>&1 | grep -vx 'No devices found' | sed 's/^/device left: /'
	fi
	return 0
}

# Unload what tests load, so every test starts from the same state.
restore_baseline() {
	awk '$2 ~ "^/mnt" { print $2 }' /proc/mounts | sort -r |
		while read -r m; do umount -l "$m"; done
	if [ -e /dev/mapper/control ]; then
		dmsetup remove_all --force > /dev/null 2>&1 || true
	fi
	for m in sdm_kunit sdm_test_targets sdm dm_zero dm_mod brd null_blk; do
		if module_loaded "$m"; then
			rmmod "$m" || return 1
		fi
	done
	# libdevmapper makes the control node itself when it finds none (as
	# it does when no driver is loaded); devtmpfs does not delete a node
	# it did not make, so such a node would outlive every driver and
	# the next opener would autoload dm_mod through it.
	rm -f /dev/mapper/control
	return 0
}

run_one() {
	n=$1 name=$2 cmd=$3 file=$4
	mark="sdm-test: begin $n $name"
	echo "$mark" > /dev/kmsg
	start=$(date +%s)
	limit=600
	if [ -n "$file" ]; then
		t=$(header timeout "$file")
		[ -n "$t" ] && limit=$t
	fi
	# Each test runs in a session of its own (its id is the subshell's
	# pid), so that whatever it leaves running can be found and killed.
	if [ -n "$cmd" ]; then
		(cd /tmp && exec setsid timeout -s KILL "$limit" /bin/bash -c ". /sdm/lib.sh; $cmd") > /tmp/out 2>&1 &
	else
		(cd /tmp && exec setsid timeout -s KILL "$limit" /bin/bash "$file") > /tmp/out 2>&1 &
	fi
	session=$!
	wait $session
	rc=$?
	problem=""
	[ $rc -eq 0 ] || problem="exit status $rc"
	[ $rc -eq 137 ] && problem="killed after ${limit}s"
	left=$(session_processes "$session")
	if [ -n "$left" ]; then
		echo "processes left running:" >> /tmp/out
		echo "$left" >> /tmp/out
		echo "$left" | awk '{ print $1 }' | xargs -r kill -KILL 2> /dev/null
		sleep 1
		problem="${problem:+$problem; }left processes running"
	fi
	left=$(leftovers)
	if [ -n "$left" ]; then
		echo "$left" >> /tmp/out
		problem="${problem:+$problem; }left state behind"
	fi
	restore_baseline >> /tmp/out 2>&1 || problem="${problem:+$problem; }could not unload modules after the test"
	dmesg > /tmp/dmesg.all
	if grep -qF "$mark" /tmp/dmesg.all; then
		awk -v m="$mark" 'seen { print } index($0, m) { seen = 1 }' /tmp/dmesg.all > /tmp/dmesg.test
		if grep -qE "$SPLATS" /tmp/dmesg.test; then
			problem="${problem:+$problem; }kernel splat in dmesg"
		fi
	else
		: > /tmp/dmesg.test
		problem="${problem:+$problem; }start marker lost from the kernel log"
	fi
	took="$(($(date +%s) - start))s"
	if [ -z "$problem" ]; then
		tap "ok $n $name # $took"
		return 0
	fi
	tap "not ok $n $name # $took"
	tap "# $problem"
	tail -n 40 /tmp/out | sed 's/^/#   /' >&3
	if [ -s /tmp/dmesg.test ]; then
		tap "# kernel log since the test started:"
		tail -n 60 /tmp/dmesg.test | sed 's/^/#   /' >&3
	fi
	return 1
}

restore_baseline
if [ "$SDM_KERNEL" = debug ] && [ -w /sys/kernel/debug/kmemleak ]; then
	echo clear > /sys/kernel/debug/kmemleak
fi

build_plan
total=$(wc -l < "$PLAN")
tap "TAP version 13"
tap "# sdm suites on $SDM_KERNEL kernel $(uname -r)"
tap "1..$total"
n=0
passed=0
failed=0
while IFS='|' read -r name cmd file; do
	n=$((n + 1))
	if run_one "$n" "$name" "$cmd" "$file" < /dev/null; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
	fi
done < "$PLAN"
tap "# guest count: $passed passed, $failed failed"
tap "# sdm-sentinel: end"
