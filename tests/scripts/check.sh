#!/bin/bash
# make check: sparse (C=2) and W=1 over every module source, against
# Debian's 6.12 headers, its PREEMPT_RT ones and Debian 12's 6.1 ones and,
# when it is in the cache (make test builds it
# first), against the debug kernel tree, which is the only tree with KUnit
# and so the only one that compiles tests/kunit/; then the lint checks
# (tests/scripts/lint.sh: checkpatch --strict, shellcheck, ...).  Any
# finding fails.  make test runs the same steps (the module builds are the
# ones its VMs boot with).
set -euo pipefail
. "$(dirname "$0")/common.sh"

fail=0
for kind in stock rt v61; do
	"$SDM_TOP/tests/scripts/build-modules.sh" $kind > /dev/null || fail=1
done
dk=$("$SDM_TOP/tests/scripts/debug-kernel.sh" path)
if [ -f "$dk/done" ]; then
	"$SDM_TOP/tests/scripts/build-modules.sh" debug > /dev/null || fail=1
else
	echo "check: debug kernel not built yet; tests/kunit/ is compiled by make test"
fi
"$SDM_TOP/tests/scripts/lint.sh" || fail=1
if [ $fail -ne 0 ]; then
	echo "check: FAILED"
	exit 1
fi
echo "check: clean"
