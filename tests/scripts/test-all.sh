#!/bin/bash
# make test: install what is missing, build, check, and run every VM suite
# on every kernel.  The host steps (the documented `make` build and `make
# check`) count as one test each; every VM test counts as one.  The last
# line is the total:
#   sdm-tests: N passed, N failed
#
# SDM_KERNELS (default "stock debug") and SDM_SUITES (default: all) narrow
# a run while iterating; CI always runs everything.
set -uo pipefail
. "$(dirname "$0")/common.sh"

KERNELS=${SDM_KERNELS:-stock debug}
passed=0
failed=0
results=()

record() {	# record NAME STATUS
	if [ "$2" -eq 0 ]; then
		passed=$((passed + 1))
		results+=("ok      $1")
	else
		failed=$((failed + 1))
		results+=("FAILED  $1")
	fi
}

finish() {
	echo
	echo "== summary"
	printf '  %s\n' "${results[@]}"
	echo "sdm-tests: $passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit
}

step() {
	echo
	echo "== $*"
}

step "dependencies"
if ! "$SDM_TOP/tests/scripts/deps.sh"; then
	record "install dependencies" 1
	finish
fi

step "make (sdm.ko at the repository root, Debian 6.12 headers)"
make -C "$SDM_TOP" modules
record "host: make builds sdm.ko" $?

have_debug=0
if [[ " $KERNELS " == *" debug "* ]]; then
	step "debug kernel (cached by its inputs)"
	if "$SDM_TOP/tests/scripts/debug-kernel.sh" build; then
		have_debug=1
	else
		record "host: debug kernel build" 1
	fi
fi

step "make check"
"$SDM_TOP/tests/scripts/check.sh"
record "host: make check (sparse, W=1, checkpatch)" $?

step "test programs"
if ! "$SDM_TOP/tests/scripts/build-progs.sh"; then
	record "host: test programs build" 1
	finish
fi

for kind in $KERNELS; do
	[ "$kind" = debug ] && [ $have_debug -eq 0 ] && continue
	step "modules for the $kind kernel"
	if ! "$SDM_TOP/tests/scripts/build-modules.sh" "$kind"; then
		record "host: modules for $kind" 1
		continue
	fi
	step "VM suites on the $kind kernel"
	"$SDM_TOP/tests/vm/run.sh" "$kind"
	if [ -f "$SDM_OUT/vm-$kind/summary" ]; then
		read -r p f < "$SDM_OUT/vm-$kind/summary"
	else
		p=0 f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	results+=("$(printf '%-7s vm[%s]: %d passed, %d failed' \
		"$([ "$f" -eq 0 ] && echo ok || echo FAILED)" "$kind" "$p" "$f")")
done

finish
