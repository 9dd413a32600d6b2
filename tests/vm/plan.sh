#!/bin/bash
# Which tests a VM pass runs, and how they are cut into shards.
#
#   plan.sh units KIND DRIVER [SUITE [TEST]]
#	one line a test file (a unit): "run|UNIT|TESTS|SECONDS|CPUS" for one
#	the pass runs, "skip|UNIT|TESTS|REASON" for one that does not apply
#	to KIND or DRIVER.  UNIT is SUITE/NNN (or SUITE/NNN:CASE), TESTS the
#	number of TAP results it gives, SECONDS its estimated duration, CPUS
#	the guest CPUs it needs.
#   plan.sh shards KIND DRIVER SECONDS [FIXED]
#	the runnable units cut into shards of about SECONDS each (longest
#	first, each to the least loaded shard; units needing two or four
#	CPUs in shards of their own, a few one-CPU units with the two-CPU
#	ones, see shards below), one a line: "SHARD-ESTIMATE CPUS SELECTION",
#	SELECTION as sdmvm.tests= takes it; the estimate includes FIXED
#	seconds a shard costs anyway (boot, the kmemleak scan of the debug
#	kernel)
#   plan.sh check
#	every test file declares its drivers (see below); exits 1 if not
#
# Headers of a test file:
#   # sdm-kernels: KIND... [-- REASON]   kernels it runs on (default stock
#	and debug); the KCSAN kernel (kcsan) runs only the tests that name
#	it, the races and the stress test: a pass of its own, not a copy of
#	the debug pass, and the tests it does not run are not skips of it
#   # sdm-not-on: KIND... -- REASON       kernels it would run on (as a
#	test of the stock kernel runs on rt and v61) that it does not
#	apply to, and why: reported as skipped with the reason
#   # sdm-drivers: DRIVER... [-- REASON] drivers it is meaningful for,
#	required; a test that is not run against dm_mod says why
#   # sdm-on-demand: REASON              not part of make test's passes (nor
#	of make vm without TEST=): it runs when selected by its number,
#	as make fuzz does; REASON says why (what it costs)
#   # sdm-cpus: 2                        the test needs two guest CPUs (the
#	races: racers must run at the same time, not only interleaved).
#	Other tests run in guests of one CPU: under TCG, two VMs of two
#	vCPUs each on two host cores ran a raw-ioctl batch 1.9 times slower
#	than one VM alone, two VMs of one vCPU 1.4 times, so one-CPU shards
#	get about a quarter more done in the same time.  4: the stress test,
#	whose threads must run on more CPUs than the host has cores.
# The PREEMPT_RT kernel (rt) is Debian's 6.12 built with PREEMPT_RT, and
# v61 is Debian 12's own 6.1: a test that runs on the stock kernel runs
# on them too, and one may name rt or v61 alone.  A pass of make test on a kernel with a declared subset
# (tests/vm/subset.KIND, one unit a line, SUITE/NNN) runs only the listed
# test files, when plan.sh is called with SDM_PLAN_SUBSET=1; the others
# are not part of that pass (not skips of it).  A line "-SUITE/NNN"
# leaves that file out instead; a subset of such lines alone is every
# test but those.  make vm runs them all.
# Durations come from tests/vm/durations ("KIND DRIVER UNIT SECONDS",
# written by tests/scripts/durations.sh from a measured run); a unit
# without one is estimated at DEFAULT_SECONDS a TAP result.
set -euo pipefail
. "$(dirname "$0")/../scripts/common.sh"

SUITES=$SDM_TOP/tests/suites
DURATIONS=$SDM_TOP/tests/vm/durations
DEFAULT_SECONDS=30

# values/reason of a header value "VALUES [-- REASON]" (plan.sh check)
values() {
	echo "${1%% -- *}"
}

reason() {
	case "$1" in
	*" -- "*) echo "${1#* -- }" ;;
	esac
}

header() {
	sed -n "s/^# sdm-$1: *//p" "$2" | head -n 1
}

# suite_files SUITE: its test files, in order
suite_files() {
	local f
	for f in "$SUITES/$1"/[0-9]*; do
		case "$f" in
		*.sh | *.cases) echo "$f" ;;
		esac
	done
}

# units KIND DRIVER [SUITE [TEST]]: one awk over the durations and every
# test file of the selection (this runs for every pass of make test)
units() {
	local kind=$1 drv=$2 only_suite=${3:-} test=${4:-} suite
	local -a files=()
	if [ -n "$only_suite" ] && [ ! -d "$SUITES/$only_suite" ]; then
		die "unknown suite '$only_suite' (suites: $(cd "$SUITES" && echo */ | tr -d /))"
	fi
	[ -z "$test" ] || [ -n "$only_suite" ] || die "a TEST needs its SUITE"
	for suite in ${only_suite:-$(cd "$SUITES" && echo */ | tr -d /)}; do
		mapfile -t -O ${#files[@]} files < <(suite_files "$suite")
	done
	[ ${#files[@]} -gt 0 ] || die "no test files"
	touch "$DURATIONS"
	local subset=""
	if [ "${SDM_PLAN_SUBSET:-0}" = 1 ] && [ -f "$SDM_TOP/tests/vm/subset.$kind" ]; then
		subset=$SDM_TOP/tests/vm/subset.$kind
	fi
	awk -v kind="$kind" -v drv="$drv" -v test="$test" -v dflt="$DEFAULT_SECONDS" \
		-v subset="$subset" '
		function flush(   unit, why, n) {
			if (file == "")
				return
			if (drivers == "") {
				print "plan.sh: " file " declares no drivers (# sdm-drivers:)" > "/dev/stderr"
				bad = 1
				return
			}
			if (test != "" && num != tnum)
				return
			unit = suite "/" num
			n = 1
			if (file ~ /\.cases$/) {
				if (tcase != "") {
					if (!(tcase in cases)) {
						print "plan.sh: " file " has no case \"" tcase "\"" > "/dev/stderr"
						bad = 1
						return
					}
					unit = unit ":" tcase
				} else {
					n = ncases
				}
			} else if (tcase != "") {
				print "plan.sh: " file " is not a .cases file" > "/dev/stderr"
				bad = 1
				return
			}
			matched = 1
			# a test run on demand is not part of a pass (not a
			# skip of it) unless selected by its number
			if (ondemand != "" && test == "")
				return
			# the KCSAN kernel runs only the tests that name it;
			# the others are not its pass (not skips of it)
			if (kind == "kcsan" && index(" " vals(kernels) " ", " kcsan ") == 0)
				return
			# a declared subset: the tests it leaves out are not
			# part of the pass
			key = suite "/" num
			if (subset != "" && (key in leftout || (listed && !(key in insubset))))
				return
			if (kernels != "" && index(" " vals(kernels) " ", " " kind " ") == 0 &&
			    !((kind == "rt" || kind == "v61") &&
			      index(" " vals(kernels) " ", " stock ") > 0)) {
				why = rsn(kernels)
				print "skip|" unit "|" n "|" (why != "" ? why : "not for the " kind " kernel")
			} else if (noton != "" && index(" " vals(noton) " ", " " kind " ") > 0) {
				why = rsn(noton)
				print "skip|" unit "|" n "|" (why != "" ? why : "not for the " kind " kernel")
			} else if (index(" " vals(drivers) " ", " " drv " ") == 0) {
				why = rsn(drivers)
				print "skip|" unit "|" n "|" (why != "" ? why : "not for " drv)
			} else {
				est = (unit in dur) ? dur[unit] : n * dflt
				print "run|" unit "|" n "|" est "|" (cpus == "" ? 1 : cpus)
			}
		}
		function vals(h) { sub(/ -- .*/, "", h); return h }
		function rsn(h) { return (index(h, " -- ") ? substr(h, index(h, " -- ") + 4) : "") }
		BEGIN {
			if (subset != "")
				while ((getline line < subset) > 0)
					if (line !~ /^#/ && line !~ /^[ \t]*$/) {
						sub(/[ \t].*/, "", line)
						if (line ~ /^-/) {
							leftout[substr(line, 2)] = 1
						} else {
							insubset[line] = 1
							listed = 1
						}
					}
			tnum = test
			sub(/:.*/, "", tnum)
			tcase = (index(test, ":") ? substr(test, index(test, ":") + 1) : "")
		}
		FILENAME ~ /durations$/ {
			if ($0 !~ /^#/ && $1 == kind && $2 == drv)
				dur[$3] = $4
			next
		}
		FNR == 1 {
			flush()
			file = FILENAME
			n = split(file, parts, "/")
			suite = parts[n - 1]
			num = substr(parts[n], 1, 3)
			kernels = drivers = cpus = ondemand = noton = ""
			ncases = 0
			delete cases
		}
		/^# sdm-kernels:/ && kernels == "" { kernels = $0; sub(/^# sdm-kernels: */, "", kernels) }
		/^# sdm-drivers:/ && drivers == "" { drivers = $0; sub(/^# sdm-drivers: */, "", drivers) }
		/^# sdm-on-demand:/ { ondemand = $0 }
		/^# sdm-not-on:/ && noton == "" { noton = $0; sub(/^# sdm-not-on: */, "", noton) }
		/^# sdm-cpus:/ && cpus == "" {
			cpus = $0
			sub(/^# sdm-cpus: */, "", cpus)
			if (cpus != "1" && cpus != "2" && cpus != "4") {
				print "plan.sh: " FILENAME ": sdm-cpus must be 1, 2 or 4" > "/dev/stderr"
				bad = 1
			}
		}
		file ~ /\.cases$/ && $0 !~ /^#/ && $0 !~ /^[ \t]*$/ { ncases++; cases[$1] = 1 }
		END {
			flush()
			if (test != "" && !matched && !bad) {
				print "plan.sh: no test " test > "/dev/stderr"
				bad = 1
			}
			exit bad
		}' "$DURATIONS" "${files[@]}" || die "cannot plan the tests"
}

# shards KIND DRIVER SECONDS [FIXED]: the shards of one pass.  When the
# pass's one-CPU tests add up to no more than twice FIXED and it has
# two-CPU tests, they go in the two-CPU shard: there they run about a
# third slower (see sdm-cpus above), which costs less than a shard of
# their own (the KCSAN pass's lifetime-window cases, 50 s, in a shard
# that took 2:41)
shards() {
	local cpus one plan=$SDM_OUT/.plan.$$
	units "$1" "$2" | awk -F'|' '$1 == "run" { print $4, $2, $5 }' > "$plan"
	one=$(awk '$3 == 1 { t += $1 } END { print t + 0 }' "$plan")
	if [ "$one" -le $((2 * ${4:-0})) ] && awk '$3 == 2 { f = 1 } END { exit !f }' "$plan"; then
		sed -i 's/ 1$/ 2/' "$plan"
	fi
	for cpus in 1 2 4; do
		awk -v c=$cpus '$3 == c { print $1, $2 }' "$plan" > "$plan.$cpus"
		[ -s "$plan.$cpus" ] && cut_shards "$plan.$cpus" "$3" "${4:-0}" "$cpus"
		rm -f "$plan.$cpus"
	done
	rm -f "$plan"
}

# cut_shards FILE SECONDS FIXED CPUS: FILE's units ("SECONDS UNIT" lines)
# into shards
cut_shards() {
	local total count fixed=$3
	total=$(awk '{ t += $1 } END { print t + 0 }' "$1")
	count=$(( (total + $2 - fixed - 1) / ($2 - fixed) ))
	[ "$count" -ge 1 ] || count=1
	sort -k1,1nr -k2,2 "$1" |
	awk -v count="$count" '
		{
			best = 1
			for (i = 2; i <= count; i++)
				if (load[i] < load[best])
					best = i
			load[best] += $1
			units[best] = units[best] " " $2
		}
		END {
			for (i = 1; i <= count; i++)
				if (units[i] != "")
					print load[i], units[i]
		}' |
	while read -r est list; do
		echo "$((est + fixed)) $4 $(echo "$list" | tr ' ' '\n' | sort | paste -sd, -)"
	done
}

# check: every test file declares its drivers, a test that is not run
# against dm_mod says why, and every unit a subset lists exists
check() {
	local f d u bad=0
	for f in "$SDM_TOP"/tests/vm/subset.*; do
		[ -f "$f" ] || continue
		while read -r u _; do
			case "$u" in "" | "#"*) continue ;; esac
			u=${u#-}
			compgen -G "$SUITES/${u%/*}/${u#*/}-*" > /dev/null || {
				echo "${f#"$SDM_TOP"/}: no test $u"
				bad=1
			}
		done < "$f"
	done
	for f in "$SUITES"/*/[0-9]*; do
		case "$f" in *.sh | *.cases) ;; *) continue ;; esac
		d=$(header drivers "$f")
		if [ -z "$d" ]; then
			echo "${f#"$SDM_TOP"/}: no '# sdm-drivers:' header"
			bad=1
		elif [[ " $(values "$d") " != *" dm_mod "* ]] && [ -z "$(reason "$d")" ]; then
			echo "${f#"$SDM_TOP"/}: not run against dm_mod, and the header does not say why"
			bad=1
		fi
	done
	return $bad
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	mkdir -p "$SDM_OUT"
	cmd=${1:-}
	shift || true
	case "$cmd" in
	units) units "$@" ;;
	shards) shards "$@" ;;
	check) check ;;
	*) die "usage: plan.sh units|shards|check ..." ;;
	esac
fi
