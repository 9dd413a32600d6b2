#!/bin/bash
# make mutants: build sdm with each mutant of tests/mutants/table (one
# historical race put back, include/sdm_test.h), run the tests aimed at it
# on the debug kernel RUNS times, and show what caught it; run the same
# tests on the unmutated test build, which must pass every time.
#
#   mutants.sh [--runs N] [NAME...]   the mutants named (default: all)
#   mutants.sh --list                 the table, and what each still lacks
#
# Prints a table "mutant | caught by | seconds to catch | runs caught",
# then
#   mutants: K/N caught     K: caught in every run
#   baseline: passed R/R    the unmutated test build, all their tests
# and writes it to $SDM_MUTANTS_OUT/table.txt and table.csv (one line a
# run).  Exits 0 only if every mutant was caught in every run and every
# baseline run passed; a failed baseline makes the table void (a test
# that fails without a mutant proves nothing), and once one has failed no
# further run is started.
#
# Caught: the VM run failed: a test failed (its reason: an exit status, a
# kernel splat in dmesg, a time limit, ...), the final kmemleak scan
# found a leak, or the guest went down (panic, hang, missing results).
# Not caught: every test passed, or the run failed only because a test
# skipped itself.  Seconds to catch run from the start of the VM (QEMU,
# firmware and boot included) to the end of the first failed test: the
# VM's wall time less the durations (result.tap's "# Ns") of the tests
# after it; for a guest that went down, the VM's wall time.
#
# A mutant runs only if the sources use SDM_MUTANT(NAME) and its tests
# exist (tests/vm/plan.sh); otherwise its row says what is missing and it
# counts as not caught.  The debug kernel comes from the cache (or is
# built, as make test does).  Every build is a debug-kernel test build
# (tests/scripts/build-modules.sh debug SDM_TEST_HOOKS=y [SDM_MUTANT=NAME],
# W=1 clean; sparse clean too for the unmutated one) in
# $SDM_MUTANTS_OUT/NAME (the unmutated one in .../baseline), apart from
# make test's, or the one already there if it was made from the same
# inputs (sources, kernel, arguments: build.key).  One initramfs is built
# (tests/vm/mkinitramfs.sh, about 15 to 30 s); each other build only
# appends a small cpio archive holding its sdm modules to a copy of it
# (0.2 s): the kernel unpacks concatenated newc archives in order, and a
# regular file of a later archive truncates and rewrites the one of the
# same name before it.  Each run is one VM boot running that mutant's
# tests only, on as many CPUs as they need (# sdm-cpus:); runs go two at
# a time (SDM_VM_SLOTS), a run on two CPUs alone.
#
# Environment: SDM_VM_SLOTS (2), SDM_MUTANTS_OUT ($SDM_OUT/mutants),
# SDM_MUTANTS_BASE (an initramfs-debug.cpio of this tree to overlay
# instead of building one: make test passes its own).
set -uo pipefail
. "$(dirname "$0")/common.sh"

TABLE=$SDM_TOP/tests/mutants/table
PLAN=$SDM_TOP/tests/vm/plan.sh
RUN=$SDM_TOP/tests/vm/run.sh
MDIR=${SDM_MUTANTS_OUT:-$SDM_OUT/mutants}
SLOTS=${SDM_VM_SLOTS:-2}
# a run's fixed cost on the debug kernel: the boot and the final kmemleak
# scans (as tests/scripts/test-all.sh counts it)
FIXED=45
T0=$(date +%s)

usage() {
	echo "usage: mutants.sh [--runs N] [NAME...] | mutants.sh --list" >&2
	exit 2
}

RUNS=3
LIST=0
NAMES=()
while [ $# -gt 0 ]; do
	case "$1" in
	--runs)
		[ $# -ge 2 ] || usage
		RUNS=$2
		shift
		;;
	--runs=*) RUNS=${1#--runs=} ;;
	--list) LIST=1 ;;
	-h | --help) usage ;;
	-*) usage ;;
	*) NAMES+=("$1") ;;
	esac
	shift
done
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "--runs needs a positive number, not '$RUNS'"
[[ "$SLOTS" =~ ^[1-9][0-9]*$ ]] || die "SDM_VM_SLOTS must be a positive number"

# ---- the table ------------------------------------------------------------

declare -A M_TESTS M_SEED M_WHY M_SEL M_CPUS M_EST
ALL=()
while read -r name tests sep seed; do
	case "$name" in "" | "#"*) continue ;; esac
	if [ "$sep" != "--" ] || [ -z "$tests" ]; then
		die "tests/mutants/table: bad line for '$name' (NAME TESTS -- SEED)"
	fi
	[ -z "${M_TESTS[$name]:-}" ] || die "tests/mutants/table: $name twice"
	[ "$name" != baseline ] || die "tests/mutants/table: 'baseline' names the unmutated build"
	ALL+=("$name")
	M_TESTS[$name]=$tests
	M_SEED[$name]=$seed
done < "$TABLE"
[ ${#ALL[@]} -gt 0 ] || die "no mutants in $TABLE"

if [ ${#NAMES[@]} -eq 0 ]; then
	NAMES=("${ALL[@]}")
fi
for name in "${NAMES[@]}"; do
	[ -n "${M_TESTS[$name]:-}" ] || die "no mutant '$name' in tests/mutants/table"
done

# check NAME: can it run?  Sets M_WHY (empty if it can), M_SEL (the tests
# as sdmvm.tests= takes them), M_CPUS and M_EST (estimated guest seconds).
check() {
	local name=$1 t units err c e cpus=1 est=0 missing=() notrun=()
	M_WHY[$name]=""
	M_SEL[$name]=${M_TESTS[$name]}
	if ! grep -qF "SDM_MUTANT($name)" "$SDM_TOP"/*.c "$SDM_TOP"/include/*.h; then
		M_WHY[$name]="not in the sources (no SDM_MUTANT($name))"
	fi
	for t in ${M_TESTS[$name]//,/ }; do
		if [[ "$t" == */* ]]; then
			units=$("$PLAN" units debug sdm "${t%%/*}" "${t#*/}" 2>&1)
		else
			units=$("$PLAN" units debug sdm "$t" 2>&1)
		fi
		err=$?
		if [ $err -ne 0 ] || ! grep -q '^run|' <<< "$units"; then
			if grep -q '^skip|' <<< "$units"; then
				notrun+=("$t")
			else
				missing+=("$t")
			fi
			continue
		fi
		read -r c e < <(awk -F'|' '$1 == "run" { t += $4; if ($5 > c) c = $5 }
			END { print c + 0, t + 0 }' <<< "$units")
		[ "$c" -le "$cpus" ] || cpus=$c
		est=$((est + e))
	done
	if [ ${#missing[@]} -gt 0 ]; then
		M_WHY[$name]="${M_WHY[$name]:+${M_WHY[$name]}; }no such test: ${missing[*]}"
	fi
	if [ ${#notrun[@]} -gt 0 ]; then
		M_WHY[$name]="${M_WHY[$name]:+${M_WHY[$name]}; }not run on debug sdm: ${notrun[*]}"
	fi
	M_CPUS[$name]=$cpus
	M_EST[$name]=$est
}

for name in "${NAMES[@]}"; do
	check "$name"
done

if [ $LIST = 1 ]; then
	for name in "${NAMES[@]}"; do
		printf '%-32s %s\n    seed: %s\n    %s\n' "$name" "${M_TESTS[$name]}" \
			"${M_SEED[$name]}" \
			"${M_WHY[$name]:-ready: ${M_CPUS[$name]} CPU(s), about $((M_EST[$name] + FIXED))s a run}"
	done
	exit 0
fi

READY=()
for name in "${NAMES[@]}"; do
	[ -n "${M_WHY[$name]}" ] || READY+=("$name")
done

# the baseline: every test of the mutants that run, once each, in one boot
declare -A seen
bsel="" bcpus=1 best=0
for name in "${READY[@]}"; do
	for t in ${M_SEL[$name]//,/ }; do
		[ -z "${seen[$t]:-}" ] || continue
		seen[$t]=1
		bsel=${bsel:+$bsel,}$t
	done
	[ "${M_CPUS[$name]}" -le "$bcpus" ] || bcpus=${M_CPUS[$name]}
	best=$((best + M_EST[$name]))
done
# shared units counted twice above: estimate again for the timeout only
M_SEL[baseline]=$bsel
M_CPUS[baseline]=$bcpus
M_EST[baseline]=$best
M_WHY[baseline]=""

mkdir -p "$MDIR"
log() {	# a progress line, with the minutes into the run
	local s=$(($(date +%s) - T0))
	printf '[%d:%02d] %s\n' $((s / 60)) $((s % 60)) "$*"
}

# ---- builds ---------------------------------------------------------------

declare -A B_SECS
BASE=${SDM_MUTANTS_BASE:-}

# overlay NAME: NAME's initramfs: the base with NAME's sdm modules appended
# as a second archive (see the header)
overlay() {
	local d=$MDIR/$1 tmp
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/sdm-mutant.XXXXXX")
	mkdir -p "$tmp/sdm/modules"
	cp "$d"/kbuild-debug/*.ko "$tmp/sdm/modules/" &&
		(cd "$tmp" && find sdm/modules -name '*.ko' | LC_ALL=C sort |
			cpio -o -H newc --quiet) > "$d/overlay.cpio" &&
		cat "$BASE" "$d/overlay.cpio" > "$d/initramfs-debug.cpio"
	local rc=$?
	rm -rf "$tmp"
	return $rc
}

# build_key [make args]: what a build depends on: the sources kbuild
# gets, the build script, the kernel tree (its path hashes its inputs)
# and the make arguments
build_key() {
	{
		(cd "$SDM_TOP" && cat Kbuild ./*.c include/*.h tests/kmod/*.c \
			tests/kunit/*.c tests/scripts/build-modules.sh 2> /dev/null)
		"$SDM_TOP/tests/scripts/debug-kernel.sh" path
		echo "$*"
	} | sha256sum | cut -c1-16
}

# build NAME [make args]: NAME's test build into $MDIR/NAME, unless the
# one there was made from the same inputs (B_SECS says "reused"); the
# results of earlier runs go either way
build() {
	local name=$1 d=$MDIR/$1 t key
	shift
	t=$(date +%s)
	key=$(build_key "$@")
	if [ -f "$d/kbuild-debug/sdm.ko" ] && [ "$(cat "$d/build.key" 2> /dev/null)" = "$key" ]; then
		find "$d" -mindepth 1 -maxdepth 1 -not -name kbuild-debug \
			-not -name build.key -not -name build.out -exec rm -rf {} +
		B_SECS[$name]=reused
		return 0
	fi
	rm -rf "$d"
	mkdir -p "$d"
	# sparse on the unmutated test build only: a mutant adds no file
	if ! SDM_OUT=$d SDM_SPARSE=$([ "$name" = baseline ] && echo 1 || echo 0) \
		"$SDM_TOP/tests/scripts/build-modules.sh" debug \
		SDM_TEST_HOOKS=y "$@" > "$d/build.out" 2>&1; then
		tail -n 30 "$d/build.out" | sed 's/^/  /'
		return 1
	fi
	echo "$key" > "$d/build.key"
	B_SECS[$name]="built in $(($(date +%s) - t))s"
}

# the runs under way (pid: "NAME K"), the VM time limit of each build
declare -A J_PID M_TIMEOUT

# drop_copies: the initramfs copies (100 MB each; overlay.cpio stays)
drop_copies() {
	local name
	for name in baseline "${READY[@]}"; do
		if [ "$MDIR/$name/initramfs-debug.cpio" != "$BASE" ]; then
			rm -f "$MDIR/$name/initramfs-debug.cpio"
		fi
	done
}

stop_all() {
	local p
	for p in "${!J_PID[@]}"; do
		kill -- -"$p" 2> /dev/null
	done
	drop_copies
	echo "mutants: interrupted" >&2
	exit 130
}
trap stop_all INT TERM

log "mutants: ${#READY[@]} of ${#NAMES[@]} to run, $RUNS run(s) each, $SLOTS VM slot(s); output in $MDIR"

# build_all: the unmutated test build, the base initramfs, every mutant
build_all() {
	local name t
	# from the cache (make test builds it), or built now: 13 minutes
	"$SDM_TOP/tests/scripts/debug-kernel.sh" build > /dev/null ||
		die "no debug kernel"
	"$SDM_TOP/tests/scripts/build-progs.sh" || die "building the test programs failed"
	if ! build baseline; then
		die "the unmutated test build failed (log: $MDIR/baseline/build.out)"
	fi
	if [ -z "$BASE" ]; then
		t=$(date +%s)
		ln -sfn "$SDM_OUT/prog" "$MDIR/baseline/prog"
		SDM_OUT=$MDIR/baseline "$SDM_TOP/tests/vm/mkinitramfs.sh" debug ||
			die "building the initramfs failed"
		BASE=$MDIR/baseline/initramfs-debug.cpio
		log "baseline: ${B_SECS[baseline]}, its initramfs in $(($(date +%s) - t))s"
	else
		[ -f "$BASE" ] || die "SDM_MUTANTS_BASE: $BASE missing"
		overlay baseline || die "the baseline's initramfs failed"
		log "baseline: ${B_SECS[baseline]}, on the initramfs $BASE"
	fi

	for name in "${READY[@]}"; do
		if ! build "$name" "SDM_MUTANT=$name"; then
			M_WHY[$name]="the build failed (log: $MDIR/$name/build.out)"
		elif ! overlay "$name"; then
			M_WHY[$name]="its initramfs failed"
		else
			log "$name: ${B_SECS[$name]}"
			continue
		fi
		log "$name: ${M_WHY[$name]}"
	done
}
if [ ${#READY[@]} -gt 0 ]; then
	build_all
else
	M_WHY[baseline]="no mutant to run"
fi
T_BUILT=$(date +%s)

# ---- runs -----------------------------------------------------------------

# the kernel's reports, as the runner's dmesg gate knows them, and a panic
SPLATS=""
eval "$(grep -E '^SPLATS=' "$SDM_TOP/tests/vm/runner.sh")"
[ -n "$SPLATS" ] || die "cannot read SPLATS from tests/vm/runner.sh"
SPLATS="$SPLATS|Kernel panic"

# report_line: a kernel log line, short: no timestamp, no CPU and PID,
# the source file without its directory
report_line() {
	sed -E 's/^#? *//; s/^\[ *[0-9.]+\] //
		s/ CPU: [0-9]+ PID: [0-9]+ at [^ ]*\/([^/ ]+:[0-9]+)/ at \1/
		s/\|/\//g' | cut -c1-110
}

# unrun NAME TAP: the tests of NAME's selection without a result in TAP
unrun() {
	local t suite rest num re miss=()
	for t in ${M_SEL[$1]//,/ }; do
		suite=${t%%/*} rest=${t#*/}
		num=${rest%%:*}
		if [ "$t" = "$suite" ]; then
			re="$suite/"
		elif [ "$rest" = "$num" ]; then
			re="$suite/$num-"
		else
			re="$suite/$num-[^ :]*:${rest#*:}( |\$)"
		fi
		grep -qE "^(not )?ok [0-9]+ $re" "$2" 2> /dev/null || miss+=("$t")
	done
	echo "${miss[*]}"
}

# judge NAME K RC: the verdict of run K of NAME (run.sh's exit status RC)
# as "caught|test|reason|seconds|vm-seconds" into $MDIR/NAME/runK.verdict.
# The reason is the runner's (exit status, kernel splat in dmesg, ...)
# with the kernel's first report or the test's last FAIL: line.
judge() {
	local name=$1 k=$2 rc=$3 d=$MDIR/$1 out tap log
	local caught=no test="" why="" secs="" vm=0 parsed total upto detail
	out=$d/vm/debug-sdm-run$k
	tap=$out/result.tap
	log=$d/run$k.log
	[ -f "$out/summary" ] && read -r _ _ _ vm < "$out/summary"
	if [ "$rc" -eq 0 ]; then
		why="all tests passed"
		# a test that did not run passed nothing
		detail=$(unrun "$name" "$tap")
		[ -z "$detail" ] || why="no result for $detail"
	else
		# the first failed test: the seconds of the tests up to it
		# and of all, its name, the runner's reason, the kernel's
		# first report in its diagnostics, its last FAIL: line
		parsed=$(awk -v re="$SPLATS" '
			function dur(l) {
				if (match(l, / # [0-9]+s$/))
					return substr(l, RSTART + 3, RLENGTH - 4) + 0
				return 0
			}
			/^(not )?ok [0-9]+ / && name != "" { done = 1 }
			/^ok [0-9]+ / { t += dur($0); next }
			/^not ok [0-9]+ / {
				t += dur($0)
				if (name != "")
					next
				name = $4
				upto = t
				if (match($0, / # [0-9]+s$/)) {
					want = 1
				} else {
					reason = $0
					sub(/^not ok [0-9]+ [^ ]+ (# )?/, "", reason)
				}
				next
			}
			want { reason = substr($0, 3); want = 0; next }
			name != "" && !done && /^# / {
				if (splat == "" && $0 ~ re)
					splat = $0
				if ($0 ~ /^#   FAIL: /)
					fail = $0
			}
			END {
				gsub(/\|/, "/", reason)
				printf "%d|%d|%s|%s\n", t, upto, name, reason
				print (splat != "" ? splat : fail)
			}' "$tap" 2> /dev/null)
		IFS='|' read -r total upto test why <<< "$(head -n 1 <<< "$parsed")"
		detail=$(sed -n 2p <<< "$parsed" | report_line)
		if [ -n "$test" ]; then
			caught=yes
			why=${why:-failed}${detail:+: $detail}
			secs=$((vm - (total - upto)))
		elif grep -q 'harness failure: ' "$log"; then
			why=$(sed -n 's/.*harness failure: //p' "$log" | head -n 1 |
				sed 's/ (qemu exit [0-9]*)$//')
			test=$(sed -n 's/.*the guest went down during test [0-9]* //p' "$log" | head -n 1)
			if [ -n "$test" ]; then
				caught=yes
				# the kernel's first report since the test began
				detail=$(tr -d '\r' < "$out/console.log" | awk -v m="sdm-test: begin " \
					-v t=" $test" -v re="$SPLATS" '
					index($0, m) && substr($0, length($0) - length(t) + 1) == t { seen = 1; next }
					seen && $0 ~ re { print; exit }' | report_line)
				why="the guest went down: ${detail:-$why}"
				secs=$vm
				[[ "$why" != *"time limit"* ]] || secs=${M_TIMEOUT[$name]}
			else
				# no test had begun: the boot failed (twice), which
				# no mutant can do (only tests load sdm)
				why="the guest died before any test began: $why"
			fi
		elif grep -q 'skipped themselves' "$log"; then
			why="a test skipped itself: $(grep -m 1 -E '^  ok [0-9]+ .*# SKIP' "$log" | sed 's/^ *//')"
		else
			why="run.sh failed: $(tail -n 1 "$log")"
		fi
	fi
	printf '%s|%s|%s|%s|%s\n' "$caught" "$test" "${why//|//}" "$secs" "$vm" > "$d/run$k.verdict"
}

QUEUE=()
for name in baseline "${READY[@]}"; do
	[ -z "${M_WHY[$name]}" ] || continue
	# as make test: three times the estimate, at least 900 s
	t=$(((M_EST[$name] + FIXED) * 3))
	M_TIMEOUT[$name]=$((t > 900 ? t : 900))
	for k in $(seq 1 "$RUNS"); do
		QUEUE+=("$name $k")
	done
done

used=0
need() {	# need NAME: the VM slots a run of NAME takes
	if [ "${M_CPUS[$1]}" -gt 1 ]; then
		echo "$SLOTS"
	else
		echo 1
	fi
}

start_job() {	# start_job NAME K
	local name=$1 k=$2 d=$MDIR/$1
	rm -f "$d/run$k.verdict"
	# a session of its own: stopping it stops its QEMU too
	SDM_OUT=$d setsid "$RUN" debug sdm "run$k" "${M_SEL[$name]}" \
		"${M_TIMEOUT[$name]}" "${M_CPUS[$name]}" > "$d/run$k.log" 2>&1 < /dev/null &
	J_PID[$!]="$name $k"
	used=$((used + $(need "$name")))
	log "$name run $k/$RUNS: started on ${M_CPUS[$name]} CPU(s): ${M_SEL[$name]}"
}

baseline_failed=0
while :; do
	# start what fits, in order; after a failed baseline nothing more
	rest=()
	for j in "${QUEUE[@]}"; do
		read -r name k <<< "$j"
		if [ $baseline_failed = 0 ] && [ $((used + $(need "$name"))) -le "$SLOTS" ]; then
			start_job "$name" "$k"
		else
			rest+=("$j")
		fi
	done
	QUEUE=("${rest[@]}")
	[ ${#J_PID[@]} -gt 0 ] || break
	pid=""
	wait -n -p pid
	rc=$?
	# (pid is unset if wait returned without a job)
	if [ -z "${pid:-}" ] || [ -z "${J_PID[$pid]:-}" ]; then
		continue
	fi
	read -r name k <<< "${J_PID[$pid]}"
	unset "J_PID[$pid]"
	used=$((used - $(need "$name")))
	judge "$name" "$k" "$rc"
	IFS='|' read -r caught test why secs vm < "$MDIR/$name/run$k.verdict"
	if [ "$name" = baseline ]; then
		if [ "$why" = "all tests passed" ]; then
			log "baseline run $k/$RUNS: passed (VM ${vm}s)"
		else
			log "baseline run $k/$RUNS: FAILED: ${test:+$test: }$why (VM ${vm}s; log: $MDIR/baseline/run$k.log)"
			baseline_failed=1
		fi
	elif [ "$caught" = yes ]; then
		log "$name run $k/$RUNS: caught by $test ($why) after ${secs}s (VM ${vm}s)"
	else
		log "$name run $k/$RUNS: NOT caught: $why (VM ${vm}s)"
	fi
done
trap - INT TERM
T_RUN=$(date +%s)

drop_copies

# ---- the table ------------------------------------------------------------

csv=$MDIR/table.csv
txt=$MDIR/table.txt
echo "mutant,run,caught,test,reason,seconds_to_catch,vm_seconds" > "$csv"
caught_all=0
rows=()
for name in "${NAMES[@]}"; do
	if [ -n "${M_WHY[$name]}" ]; then
		rows+=("$name|not run: ${M_WHY[$name]}|-|0/$RUNS")
		echo "$name,,no,,\"not run: ${M_WHY[$name]//\"/\"\"}\",," >> "$csv"
		continue
	fi
	n=0 secs_list="" by=()
	for k in $(seq 1 "$RUNS"); do
		v=$MDIR/$name/run$k.verdict
		if [ ! -f "$v" ]; then
			secs_list="$secs_list -"
			echo "$name,$k,no,,not run (the baseline failed),," >> "$csv"
			continue
		fi
		IFS='|' read -r caught test why secs vm < "$v"
		printf '%s,%s,%s,%s,"%s",%s,%s\n' "$name" "$k" "$caught" "$test" \
			"${why//\"/\"\"}" "$secs" "$vm" >> "$csv"
		if [ "$caught" = yes ]; then
			n=$((n + 1))
			secs_list="$secs_list $secs"
			by+=("$test ($why)")
		else
			secs_list="$secs_list -"
			by+=("not caught: $why")
		fi
	done
	[ $n -ne "$RUNS" ] || caught_all=$((caught_all + 1))
	# each distinct verdict once, in the order of the runs
	by_text=$(printf '%s\n' "${by[@]}" | awk '!s[$0]++' | paste -sd';' - | sed 's/;/; /g')
	rows+=("$name|${by_text:-not run (the baseline failed)}|${secs_list# }|$n/$RUNS")
done

bpass=0
for k in $(seq 1 "$RUNS"); do
	v=$MDIR/baseline/run$k.verdict
	[ -f "$v" ] || continue
	IFS='|' read -r caught test why secs vm < "$v"
	[ "$why" != "all tests passed" ] || bpass=$((bpass + 1))
	printf 'baseline,%s,%s,%s,"%s",,%s\n' "$k" \
		"$([ "$why" = "all tests passed" ] && echo passed || echo failed)" \
		"$test" "${why//\"/\"\"}" "$vm" >> "$csv"
done

{
	echo "# mutants.sh --runs $RUNS ${NAMES[*]}"
	echo "# at $(git -C "$SDM_TOP" describe --always --dirty 2> /dev/null || echo unknown), $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) host cores, $SLOTS VM slot(s)"
	{
		echo "mutant|caught by|seconds to catch|runs caught"
		printf '%s\n' "${rows[@]}"
	} | column -t -s '|' -o ' | '
	echo "mutants: $caught_all/${#NAMES[@]} caught"
	if [ -z "$bsel" ]; then
		echo "baseline: not run (no mutant ran)"
	elif [ $bpass -eq "$RUNS" ]; then
		echo "baseline: passed $bpass/$RUNS ($bsel)"
	else
		echo "baseline: passed $bpass/$RUNS ($bsel): unmutated sdm fails these tests, so the table is void"
		for k in $(seq 1 "$RUNS"); do
			v=$MDIR/baseline/run$k.verdict
			[ -f "$v" ] || continue
			IFS='|' read -r caught test why secs vm < "$v"
			[ "$why" = "all tests passed" ] ||
				echo "  run $k: ${test:+$test: }$why (log: $MDIR/baseline/run$k.log)"
		done
	fi
	echo "time: builds $((T_BUILT - T0))s, VM runs $((T_RUN - T_BUILT))s, total $(($(date +%s) - T0))s"
} > "$txt"
echo
cat "$txt"
echo "(also in $txt and $csv)"
[ "$caught_all" -eq "${#NAMES[@]}" ] && [ -n "$bsel" ] && [ $bpass -eq "$RUNS" ]
