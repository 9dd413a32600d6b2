#!/bin/bash
# The harness tests itself on the stock kernel: fixtures that fail in every
# way a test can (tests/harness/selftest, in the initramfs as the suite
# "selftest") must each be reported as such, and a guest that panics or
# hangs must be named by the test it was running, with its kernel log.
#
#   1. 010-080: each result and its reason as tests/harness/expected says
#      (result lines without their "# Ns" times), the self-skip counted as
#      a failure, the run failing;
#   2. 090 panics (sysrq c): the run fails, names selftest/090-panics and
#      shows the kernel's messages since it began (the panic replays the
#      log at every level);
#   3. 095 hangs past the VM's limit: the host's NMI panics the guest; the
#      run names selftest/095-hangs and shows the log.
# Exits 0 if the harness caught all of it.
set -uo pipefail
. "$(dirname "$0")/common.sh"

RUN=$SDM_TOP/tests/vm/run.sh
fail=0

bad() {
	echo "selftest: $*"
	fail=1
}

# expect_in FILE TEXT WHAT
expect_in() {
	grep -qF -- "$2" "$1" || bad "$3: '$2' missing"
}

echo "== selftest 1: failing, skipping and leaving-behind fixtures"
out=$SDM_OUT/vm/stock-sdm-selftest1
sel=selftest/010,selftest/020,selftest/030,selftest/040,selftest/050,selftest/060,selftest/065,selftest/070,selftest/080
if "$RUN" stock sdm selftest1 "$sel" 300 > "$SDM_OUT/selftest1.log" 2>&1; then
	bad "run 1 passed"
fi
cat "$SDM_OUT/selftest1.log"
got=$(grep -E '^((not )?ok [0-9]|# [a-z])' "$out/result.tap" |
	grep -vE '^# (sdm|guest count|kernel log|processes|device|mounted)' |
	sed -E 's/ # [0-9]+s$//; s/^(# [a-z][^;]*).*/\1/')
if [ "$got" != "$(cat "$SDM_TOP/tests/harness/expected")" ]; then
	bad "results differ from tests/harness/expected:"
	diff <(cat "$SDM_TOP/tests/harness/expected") <(echo "$got") | sed 's/^/  /'
fi
expect_in "$SDM_OUT/selftest1.log" "1 test(s) skipped themselves" "run 1 report"
expect_in "$SDM_OUT/selftest1.log" "4 passed, 9 failed" "run 1 count (the skip is a failure)"

echo "== selftest 2: a kernel panic"
if "$RUN" stock sdm selftest2 selftest/090 300 > "$SDM_OUT/selftest2.log" 2>&1; then
	bad "run 2 passed"
fi
cat "$SDM_OUT/selftest2.log"
expect_in "$SDM_OUT/selftest2.log" "the guest went down during test 1 selftest/090-panics" "run 2"
expect_in "$SDM_OUT/selftest2.log" "harness selftest: about to crash" "run 2 kernel log"
expect_in "$SDM_OUT/selftest2.log" "Kernel panic" "run 2 kernel log"

echo "== selftest 3: a hang past the VM's time limit"
if "$RUN" stock sdm selftest3 selftest/095 40 > "$SDM_OUT/selftest3.log" 2>&1; then
	bad "run 3 passed"
fi
cat "$SDM_OUT/selftest3.log"
expect_in "$SDM_OUT/selftest3.log" "VM stopped after its time limit" "run 3"
expect_in "$SDM_OUT/selftest3.log" "the guest went down during test 1 selftest/095-hangs" "run 3"
expect_in "$SDM_OUT/selftest3.log" "harness selftest: hanging" "run 3 kernel log"
expect_in "$SDM_OUT/selftest3.log" "NMI" "run 3 kernel log"

if [ $fail -ne 0 ]; then
	echo "selftest: FAILED: the harness missed something"
	exit 1
fi
echo "selftest: the harness caught every failure"
