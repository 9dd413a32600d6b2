#!/bin/bash
# make test: install what is missing, build, check, and run every VM suite
# on every kernel, ending with a time table and the total:
#   sdm-tests: N passed, N failed
#
#   test-all.sh          everything of make test (CI runs it, then make
#                        kcsan, the benchmark's smoke and make fuzz)
#   test-all.sh vm       one pass, narrowed by KERNEL, DRIVER, SUITE and
#                        TEST (make vm): no lint, no documented build
#   test-all.sh kcsan    the KCSAN kernel's pass, in shards as make test
#                        runs a pass (make kcsan): no lint, no documented
#                        build
#
# The work is a set of steps with dependencies, each started as soon as
# what it needs is done: the documented `make`, one sparse + W=1 module
# build per kernel (its modules are the ones the VMs load), the test
# programs, one initramfs per kernel, the lint checks, the debug
# kernel (built unless cached; no VM runs beside a cold build), and the VM
# shards.  At most SDM_VM_SLOTS (2) VMs run at a time, longest shard
# first.  The passes: the stock kernel against sdm and against dm_mod
# (every test whose expectations describe upstream behaviour, so that a
# wrong expectation fails here), Debian's PREEMPT_RT kernel and Debian
# 12's own 6.1 against sdm, each with its declared subset
# (tests/vm/subset.rt, tests/vm/subset.v61), the debug kernel against
# sdm with its own (tests/vm/subset.debug).  The KCSAN kernel's pass (the
# races and the stress test) is not in make test: its kernel's build does
# not fit the budget beside the debug kernel's; make kcsan runs it, and
# CI runs make kcsan after make test (.ci/run).  Host steps count as one
# test each, every VM test as one; tests
# that do not apply to a pass (headers sdm-kernels, sdm-not-on,
# sdm-drivers) are reported as skipped, with the reason, and never
# counted as passes.
#
# Environment: SDM_KERNELS (default "stock rt v61 debug"; kcsan may be added), SDM_VM_SLOTS (2),
# SDM_SHARD_SECONDS (estimated guest seconds a shard, see tests/vm/plan.sh),
# and for `vm`: KERNEL, DRIVER, SUITE, TEST, and SDM_STRESS_SECS (make
# stress): how long the stress test races, passed to the guest as
# sdmvm.stress_secs=, the VM's time limit grown by three times that.
set -uo pipefail
. "$(dirname "$0")/common.sh"

MODE=${1:-all}
case $MODE in all | vm | kcsan) ;; *) die "usage: $0 [vm|kcsan]" ;; esac
SLOTS=${SDM_VM_SLOTS:-2}
HOST_CPUS=$(nproc)
SHARD_SECONDS=${SDM_SHARD_SECONDS:-700}
PLAN=$SDM_TOP/tests/vm/plan.sh
LOGS=$SDM_OUT/steps
T0=$(date +%s)

passed=0
failed=0
skipped=0
results=()
times=()

mkdir -p "$LOGS"
# a full run starts without the shards of earlier runs (make durations
# reads every shard's results)
[ "$MODE" != all ] || rm -rf "$SDM_OUT/vm"

mmss() {
	printf '%d:%02d' $(($1 / 60)) $(($1 % 60))
}

record() {	# record NAME STATUS
	if [ "$2" -eq 0 ]; then
		passed=$((passed + 1))
		results+=("ok      $1")
	else
		failed=$((failed + 1))
		results+=("FAILED  $1")
	fi
}

# failures: every failed VM test again, with the lines that say why, next
# to the summary (a CI log may keep only the end of the run)
failures() {
	local r any=0
	# (no pipe into grep -q here: with pipefail its early exit would
	# count as a failure of the loop)
	for r in "${results[@]}"; do
		[[ "$r" != FAILED* ]] || any=1
	done
	[ $any = 1 ] || return 0
	echo
	echo "== failures again (the whole output is above)"
	for r in "${!S_STATE[@]}"; do
		if [ "${S_KIND[$r]}" != vm ] || [ "${S_STATE[$r]}" != fail ]; then
			continue
		fi
		echo "-- ${S_LABEL[$r]}"
		# each failed test with the lines that say why, else the end of
		# the shard's log (a crash, a missing sentinel)
		if ! grep -q '^not ok' "$SDM_OUT/vm/${r#vm-}/result.tap" 2> /dev/null; then
			grep -E '^vm\[.*(harness failure|went down|died before)' "$LOGS/$r.log" || true
			# the kernel's first lines of what took it down
			grep -m 12 -E '(BUG|WARNING|Oops|Kernel panic|INFO: task|watchdog|rcu: INFO)[: ]' \
				"$LOGS/$r.log" || true
			tail -n 30 "$LOGS/$r.log"
			continue
		fi
		awk '/^ok / { n = 0 } /^not ok/ { n = 25 } n > 0 && !/^# sdm-/ && (/^not ok/ || /^#/) { print "  " $0; n-- }' \
			"$SDM_OUT/vm/${r#vm-}/result.tap"
	done
}

finish() {
	local t
	echo
	echo "== time table (wall clock; start is minutes into the run)"
	printf '  %-44s %6s %6s  %s\n' step start wall note
	for t in "${times[@]}"; do
		IFS='|' read -r name s w note <<< "$t"
		printf '  %-44s %6s %6s  %s\n' "$name" "$(mmss "$s")" "$(mmss "$w")" "$note"
	done
	printf '  %-44s %6s %6s\n' total "" "$(mmss $(($(date +%s) - T0)))"
	failures
	echo
	echo "== summary"
	printf '  %s\n' "${results[@]}"
	if [ "$skipped" -gt 0 ]; then
		echo "sdm-tests skipped (do not apply, never counted as passed): $skipped"
	fi
	echo "sdm-tests: $passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit
}

# plan_failed KIND: a pass could not be planned; it counts as a failure
plan_failed() {
	record "vm[$1]: planning its tests" 1
	finish
}

# ---- steps ----------------------------------------------------------------
#
# A step: a name, the steps it needs, a command (run in the background,
# output to $LOGS/NAME.log), a kind: "host" steps count as one test named
# by their label, "prep" steps only need to succeed (a failure counts as
# one failed test), "vm" steps are VM shards whose summary adds up.

declare -A S_DEPS S_CMD S_KIND S_LABEL S_STATE S_START S_PID S_EST S_TIMEOUT S_SLOT
ORDER=()

add_step() {	# add_step NAME KIND LABEL "DEPS" CMD...
	local name=$1
	S_KIND[$name]=$2
	S_LABEL[$name]=$3
	S_DEPS[$name]=$4
	# everything but the kernel builds waits for the packages
	case $name in
	deps | *-kernel) ;;
	*) S_DEPS[$name]="deps $4" ;;
	esac
	shift 4
	S_CMD[$name]=$(printf '%q ' "$@")
	S_STATE[$name]="wait"
	S_EST[$name]=0
	S_SLOT[$name]=0
	[ "${S_KIND[$name]}" = vm ] && S_SLOT[$name]=1
	ORDER+=("$name")
}

deps_state() {	# ok if all done, fail if one failed, else wait
	local d
	for d in ${S_DEPS[$1]}; do
		case ${S_STATE[$d]} in
		ok) ;;
		fail | dropped) echo fail; return ;;
		*) echo wait; return ;;
		esac
	done
	echo ok
}

# the VM slots in use: a shard takes one, or all of them when its guest
# has more CPUs than the host has cores (S_SLOT is a step's weight, 0 for
# host and prep steps)
running_vms() {
	local n c=0
	for n in "${ORDER[@]}"; do
		[ "${S_STATE[$n]}" = run ] && c=$((c + S_SLOT[$n]))
	done
	echo $c
}

start_step() {
	local name=$1
	S_STATE[$name]=run
	S_START[$name]=$(date +%s)
	eval "${S_CMD[$name]}" > "$LOGS/$name.log" 2>&1 < /dev/null &
	S_PID[$!]=$name
}

# the steps whose dependencies are met: host and prep steps at once, VM
# shards while a slot is free, the longest first, but a shard that takes
# every slot (the stress test's guest) only when no other can start; it
# then waits for its slots, and no other starts before it.  (Taken in
# turn with the others, the stress shards, whose estimates are short,
# came last anyway, but each waited with a slot idle for a longer shard
# to end, and a short shard behind them ran alone.)
start_ready() {
	local n st free best
	for n in "${ORDER[@]}"; do
		if [ "${S_STATE[$n]}" != wait ] || [ "${S_SLOT[$n]}" != 0 ]; then
			continue
		fi
		st=$(deps_state "$n")
		if [ "$st" = ok ]; then
			start_step "$n"
		elif [ "$st" = fail ]; then
			S_STATE[$n]=dropped
			step_done_dropped "$n"
		fi
	done
	free=$((SLOTS - $(running_vms)))
	while [ $free -gt 0 ]; do
		best=""
		for n in "${ORDER[@]}"; do
			if [ "${S_STATE[$n]}" != wait ] || [ "${S_SLOT[$n]}" = 0 ]; then
				continue
			fi
			st=$(deps_state "$n")
			if [ "$st" = fail ]; then
				S_STATE[$n]=dropped
				step_done_dropped "$n"
				continue
			fi
			[ "$st" = ok ] || continue
			if [ -z "$best" ] || before "$n" "$best"; then
				best=$n
			fi
		done
		if [ -z "$best" ] || [ "${S_SLOT[$best]}" -gt "$free" ]; then
			break
		fi
		start_step "$best"
		free=$((free - S_SLOT[$best]))
	done
}

# before A B: VM shard A starts before B: one that takes fewer slots
# first, then the longer
before() {
	[ "${S_SLOT[$1]}" -lt "${S_SLOT[$2]}" ] ||
		{ [ "${S_SLOT[$1]}" -eq "${S_SLOT[$2]}" ] && [ "${S_EST[$1]}" -gt "${S_EST[$2]}" ]; }
}

step_done_dropped() {	# a step not run because a step it needs failed
	echo
	echo "== ${S_LABEL[$1]}: not run (a step it needs failed)"
	results+=("NOT RUN ${S_LABEL[$1]}")
}

# a VM shard's result: its report, then its counts into the totals
vm_done() {
	local name=$1 rc=$2 wall=$3 p=0 f=1
	local sum=$SDM_OUT/vm/${name#vm-}/summary
	[ -f "$sum" ] && read -r p f _ < "$sum"
	passed=$((passed + p))
	failed=$((failed + f))
	results+=("$(printf '%-7s %s: %d passed, %d failed' \
		"$([ "$f" -eq 0 ] && [ "$rc" -eq 0 ] && echo ok || echo FAILED)" \
		"${S_LABEL[$name]}" "$p" "$f")")
	times+=("${S_LABEL[$name]}|$((S_START[$name] - T0))|$wall|$((wall * 100 / S_TIMEOUT[$name]))% of its ${S_TIMEOUT[$name]}s limit")
}

# wait for one step to end, report it
reap_one() {
	local pid="" rc name wall
	wait -n -p pid
	rc=$?
	[ -n "$pid" ] || return 0
	name=${S_PID[$pid]:-}
	[ -n "$name" ] || return 0
	unset "S_PID[$pid]"
	wall=$(($(date +%s) - S_START[$name]))
	echo
	echo "== ${S_LABEL[$name]} ($(mmss "$wall"))"
	if [ $rc -eq 0 ]; then
		S_STATE[$name]=ok
	else
		S_STATE[$name]=fail
	fi
	case ${S_KIND[$name]} in
	vm)
		cat "$LOGS/$name.log"
		vm_done "$name" $rc "$wall"
		return 0
		;;
	host) record "${S_LABEL[$name]}" $rc ;;
	prep) [ $rc -eq 0 ] || record "${S_LABEL[$name]}" 1 ;;
	esac
	times+=("${S_LABEL[$name]}|$((S_START[$name] - T0))|$wall|$([ $rc -eq 0 ] || echo FAILED)")
	if [ $rc -ne 0 ]; then
		tail -n 60 "$LOGS/$name.log"
	elif [ "$name" = mutants ]; then
		# its table
		sed -n '/^# mutants\.sh /,/^time: /p' "$LOGS/$name.log"
	else
		grep -E '^(build-modules|lint|check|selftest|(debug|kcsan) kernel):' "$LOGS/$name.log" || true
	fi
}

# add_pass KIND DRIVER [SUITE [TEST]]: the pass's shards as VM steps, its
# skipped tests reported (and counted) now
add_pass() {
	local kind=$1 drv=$2 est cpus sel i=0 n units timeout name fixed label
	# make test's pass on a kernel with a declared subset runs only that
	# (tests/vm/plan.sh); make vm runs everything
	local subset=1
	[ "$MODE" != vm ] || subset=0
	if [ $# -gt 2 ]; then
		units=$("$PLAN" units "$kind" "$drv" "${3:-}" "${4:-}") || return 1
		sel=$(echo "$units" | awk -F'|' '$1 == "run" { print $2 }' | paste -sd, -)
		# one shard: as many CPUs as its most demanding test needs
		est=$(echo "$units" | awk -F'|' '
			$1 == "run" { t += $4; if ($5 > c) c = $5 }
			END { print t + 0, c + 0 }')
		shards=""
		[ -z "$sel" ] || shards="$est $sel"
	else
		units=$(SDM_PLAN_SUBSET=$subset "$PLAN" units "$kind" "$drv") || return 1
		# a shard's fixed cost: the boot, and on the debug kernels
		# the final kmemleak scan (about 15 and 25 s)
		fixed=45
		case "$kind" in stock | rt | v61) fixed=20 ;; esac
		shards=$(SDM_PLAN_SUBSET=$subset "$PLAN" shards "$kind" "$drv" "$SHARD_SECONDS" $fixed) ||
			return 1
	fi
	n=$(echo "$units" | awk -F'|' '$1 == "skip" { n += $3 } END { print n + 0 }')
	if [ "$n" -gt 0 ]; then
		skipped=$((skipped + n))
		echo "vm[$kind $drv]: $n test(s) skipped, not applicable:"
		echo "$units" | awk -F'|' '$1 == "skip" { printf "  ok - %s # SKIP %s\n", $2, $4 }'
	fi
	[ -n "$shards" ] || return 0
	local count
	count=$(echo "$shards" | wc -l)
	while read -r est cpus sel; do
		i=$((i + 1))
		# a third to spare: a shard may take three times its estimate
		timeout=$((est * 3 > 900 ? est * 3 : 900))
		timeout=$((timeout + 3 * ${SDM_STRESS_SECS:-0} + ${SDM_FUZZ_ITERATIONS:-0} / 20))
		name=vm-$kind-$drv-$i
		label="vm[$kind $drv $i/$count]"
		[ "$cpus" = 1 ] || label="$label, $cpus CPUs"
		add_step "$name" vm "$label" "initramfs-$kind $VM_AFTER" \
			"$SDM_TOP/tests/vm/run.sh" "$kind" "$drv" "$i" "$sel" "$timeout" "$cpus"
		S_EST[$name]=$est
		# A guest with more CPUs than the host has cores (the stress
		# test's four) runs with no other VM beside it: its vCPUs
		# already share the cores, and with another VM's beside them
		# a spinning vCPU waits out whole host time slices.  In one CI
		# run the KCSAN stress test, beside other VMs, got 1 to 6
		# creations done per creating role in 255 s and failed its
		# minimum of 5, where the make test before had 5 to 15 in 46 s.
		# On Debian's kernels the stress test's slowest role does 7 to
		# 18 times its minimum alone (make test at 0781d91: 62 and 91
		# fixed-minor creations on stock, 35 and 36 on rt), so there
		# it takes one slot and shares the cores.
		case $kind in
		debug | kcsan) [ "$cpus" -le "$HOST_CPUS" ] || S_SLOT[$name]=$SLOTS ;;
		esac
		S_TIMEOUT[$name]=$timeout
	done <<< "$shards"
}

if [ -n "${SDM_STRESS_SECS:-}" ]; then
	[[ $SDM_STRESS_SECS =~ ^[1-9][0-9]*$ ]] ||
		die "SDM_STRESS_SECS must be a number of seconds, not '$SDM_STRESS_SECS'"
	export SDM_APPEND="${SDM_APPEND:-} sdmvm.stress_secs=$SDM_STRESS_SECS"
fi
if [ -n "${SDM_FUZZ_ITERATIONS:-}" ]; then
	[[ $SDM_FUZZ_ITERATIONS =~ ^[1-9][0-9]*$ ]] ||
		die "SDM_FUZZ_ITERATIONS must be a number, not '$SDM_FUZZ_ITERATIONS'"
	[[ ${SDM_FUZZ_SEED:-1} =~ ^[0-9]+$ ]] ||
		die "SDM_FUZZ_SEED must be a number, not '$SDM_FUZZ_SEED'"
	# The kernel log must hold all the fuzzer makes, or the runner loses
	# the test's start mark and cannot check it: on the debug kernel a
	# million requests and half as many racing overflowed the 8 MiB
	# buffer (every device's kobjects log their delayed release there;
	# 20 bytes of text a request measured over 30 000 of them).  64
	# bytes a request (ITERATIONS plain ones, then half as many racing),
	# rounded up to a power of two, at least 8 MiB.
	fuzz_log=$((8 << 20))
	while [ "$fuzz_log" -lt $((SDM_FUZZ_ITERATIONS * 96)) ]; do
		fuzz_log=$((fuzz_log * 2))
	done
	export SDM_APPEND="${SDM_APPEND:-} sdmvm.fuzz_iterations=$SDM_FUZZ_ITERATIONS sdmvm.fuzz_seed=${SDM_FUZZ_SEED:-1} log_buf_len=$fuzz_log"
	# A larger log costs the guest more than its text: the ring's
	# descriptors come on top (MemTotal of the debug guest 1.68 GB with
	# 8 MiB, 1.13 GB with 128 MiB), and a million requests then ran for
	# hours, the guest's time sampled in reclaim (shrink_slab).  With a
	# log over the usual 8 MiB, the guest gets one GiB more memory than
	# tests/vm/run.sh's 3 GiB for every 200 MiB of log.
	if [ "$fuzz_log" -gt $((8 << 20)) ] && [ -z "${SDM_VM_MEM:-}" ]; then
		export SDM_VM_MEM=$((3 + (fuzz_log + (200 << 20) - 1) / (200 << 20)))
	fi
fi

# The packages come in two steps: first what the debug kernels' builds
# need (they start at once), then the rest, while those builds run (on a
# fresh machine apt-get is mostly waiting for the network and the disk).
echo "== dependencies of the kernel builds"
t=$(date +%s)
if ! "$SDM_TOP/tests/scripts/deps.sh" kernel; then
	record "install dependencies" 1
	finish
fi
times+=("dependencies of the kernel builds (apt-get)|$((t - T0))|$(($(date +%s) - t))|")
add_step deps prep "dependencies (apt-get)" "" "$SDM_TOP/tests/scripts/deps.sh"

if [ "$MODE" = vm ]; then
	KERNELS=${KERNEL:-stock}
elif [ "$MODE" = kcsan ]; then
	KERNELS=kcsan
else
	KERNELS=${SDM_KERNELS:-stock rt v61 debug}
fi

# A run that builds a debug kernel starts no VM before the build is
# done.  Measured on two cores: overlapped, the build took 27.5 minutes
# instead of 13 and the stock shards 2.3 to 2.7 times as long, so the
# overlap cost more than it saved.  The host checks still run beside it.
VM_AFTER=""
for kind in $KERNELS; do
	case $kind in
	stock | rt | v61) ;;
	debug | kcsan)
		[ -f "$("$SDM_TOP/tests/scripts/debug-kernel.sh" "$kind" path)/done" ] ||
			VM_AFTER="$VM_AFTER $kind-kernel"
		;;
	*) die "unknown kernel '$kind' (stock, rt, v61, debug, kcsan)" ;;
	esac
done

add_step progs prep "host: test programs" "" "$SDM_TOP/tests/scripts/build-progs.sh"
if [ "$MODE" = all ]; then
	add_step make host "host: make builds sdm.ko" "" make -C "$SDM_TOP" -j"$(nproc)" modules
	add_step lint host "host: lint (checkpatch --strict, shellcheck, headers)" "" \
		"$SDM_TOP/tests/scripts/lint.sh"
	add_step install host "host: make install, install-policy and DKMS (staged)" "deps" \
		"$SDM_TOP/tests/scripts/install-check.sh"
fi
# what every kernel's initramfs holds but its modules, built once
add_step initramfs-userland prep "host: initramfs, userland" progs \
	"$SDM_TOP/tests/vm/mkinitramfs.sh" userland
for kind in $KERNELS; do
	deps=""
	if [ "$kind" = debug ] || [ "$kind" = kcsan ]; then
		add_step "$kind-kernel" prep "host: $kind kernel" "" \
			"$SDM_TOP/tests/scripts/debug-kernel.sh" "$kind" build
		deps=$kind-kernel
	fi
	add_step "modules-$kind" host "host: sparse + W=1 module build, $kind" "$deps" \
		"$SDM_TOP/tests/scripts/build-modules.sh" "$kind"
	add_step "initramfs-$kind" prep "host: initramfs, $kind" \
		"modules-$kind initramfs-userland" \
		env SDM_INITRAMFS_USERLAND="$SDM_OUT/initramfs-userland.cpio" \
		"$SDM_TOP/tests/vm/mkinitramfs.sh" "$kind"
	if [ "$kind" = stock ] && [ "$MODE" = all ]; then
		add_step selftest host "host: harness selftest (each way a test fails is caught)" \
			"initramfs-stock $VM_AFTER" "$SDM_TOP/tests/scripts/selftest.sh"
		S_SLOT[selftest]=1
		S_EST[selftest]=120
	fi
	if [ "$kind" = debug ] && [ "$MODE" = all ]; then
		# make mutants on two mutants, once each, and the unmutated
		# build once, so that the machinery cannot rot: one VM at a
		# time in one slot, on this run's debug initramfs with the
		# test builds' modules appended (tests/scripts/mutants.sh).
		# Both are caught by core/140:create_vs_lookup, one by the
		# dmesg gate, one by a guest that goes down.  Measured in make
		# test: 7:27, of which 3:34 for the three builds and 3:52 for
		# the VM runs (105 s the baseline, 83 and 39 s the mutants)
		add_step mutants host "host: mutants smoke (2 caught, baseline passes)" \
			"debug-kernel progs initramfs-debug $VM_AFTER" \
			env SDM_VM_SLOTS=1 SDM_MUTANTS_OUT="$SDM_OUT/mutants/smoke" \
			SDM_MUTANTS_BASE="$SDM_OUT/initramfs-debug.cpio" \
			"$SDM_TOP/tests/scripts/mutants.sh" --runs 1 \
			sleeping_alloc_under_minor_lock publish_before_init
		S_SLOT[mutants]=1
		S_EST[mutants]=450
	fi
	if [ "$MODE" = vm ]; then
		add_pass "$kind" "${DRIVER:-sdm}" "${SUITE:-}" "${TEST:-}" || plan_failed "$kind"
	else
		add_pass "$kind" sdm || plan_failed "$kind"
		if [ "$kind" = stock ]; then
			add_pass "$kind" dm_mod || plan_failed "$kind"
		fi
	fi
done

while :; do
	start_ready
	[ ${#S_PID[@]} -gt 0 ] || break
	reap_one
done
finish
