#!/bin/bash
# Boot one kernel under QEMU (TCG) with the test initramfs and judge the run.
#
#   run.sh stock|debug [test|demo]
#
# The verdict comes only from the TAP stream the guest writes to its second
# serial port: the run fails if the end sentinel is missing (panic, hang,
# timeout), if the number of results differs from the plan, if there are
# no results, or if any test failed.  The last line printed is
#   sdm-tests: N passed, N failed
# and $SDM_OUT/vm-KIND/summary holds the two numbers.  In demo mode the
# console is shown live and the guest's "demo: ok" line is the verdict.
set -euo pipefail
. "$(dirname "$0")/../scripts/common.sh"

KIND=${1:?usage: run.sh stock|debug [test|demo]}
MODE=${2:-test}
TIMEOUT=${SDM_VM_TIMEOUT:-3000}
SENTINEL='# sdm-sentinel: end'

case "$KIND" in
stock)
	KVER=$(stock_kver)
	IMAGE=/boot/vmlinuz-$KVER
	MODROOT=/
	;;
debug)
	DK=$("$SDM_TOP/tests/scripts/debug-kernel.sh" path)
	[ -f "$DK/done" ] || die "debug kernel not built (tests/scripts/debug-kernel.sh build)"
	KVER=$(cat "$DK/kernelrelease")
	IMAGE=$DK/bzImage
	MODROOT=$DK/modroot
	;;
*) die "unknown kernel kind $KIND" ;;
esac

out=$SDM_OUT/vm-$KIND
mkdir -p "$out"
rm -f "$out"/{console.log,result.raw,result.tap,summary}
"$SDM_TOP/tests/scripts/build-progs.sh"
"$SDM_TOP/tests/vm/mkinitramfs.sh" "$KIND" "$KVER" "$MODROOT" \
	"$SDM_OUT/kbuild-$KIND" "$MODE" "$out/initramfs.cpio"

# pmem: the guest's 1G..2G of RAM becomes a legacy pmem region (nd_e820).
append="console=ttyS0 loglevel=3 log_buf_len=8M panic=-1 panic_on_warn=1"
append="$append oops=panic hung_task_panic=1 softlockup_panic=1"
append="$append memmap=1G!1G rdinit=/init"
# SDM_APPEND: extra kernel parameters while investigating (slub_debug=...)
append="$append ${SDM_APPEND:-}"
qemu=(qemu-system-x86_64 -machine pc -accel tcg -cpu max -smp 2 -m 3G
	-kernel "$IMAGE" -initrd "$out/initramfs.cpio" -append "$append"
	-display none -vga none -nic none -monitor none -no-reboot)

if [ "$MODE" = demo ]; then
	timeout --foreground "$TIMEOUT" "${qemu[@]}" \
		-serial stdio -serial "file:$out/result.raw" || true
	if tr -d '\r' < "$out/result.raw" | grep -qx 'demo: ok'; then
		echo "demo: ok"
		exit 0
	fi
	die "the demo did not finish (see above)"
fi

boot() {
	rc=0
	timeout --foreground "$TIMEOUT" "${qemu[@]}" \
		-serial "file:$out/console.log" -serial "file:$out/result.raw" ||
		rc=$?
	tr -d '\r' < "$out/result.raw" > "$out/result.tap"
}

echo "vm[$KIND]: booting $KVER (console log: $out/console.log)"
boot
# A guest that died before its runner printed the plan never loaded sdm
# (only tests do): that is the emulator or the kernel failing to boot
# (seen once: an int3 oops in early text patching under MTTCG).  Show it
# and boot once more; anything later counts as a failure.
if ! grep -q '^1\.\.' "$out/result.tap"; then
	echo "vm[$KIND]: the guest died before running any test; its console:"
	tail -n 40 "$out/console.log" | tr -d '\r' | sed 's/^/  /'
	echo "vm[$KIND]: booting again"
	cp "$out/console.log" "$out/console-failed-boot.log"
	boot
fi
cat "$out/result.tap"

passed=$(grep -cE '^ok [0-9]+' "$out/result.tap" || true)
failed=$(grep -cE '^not ok [0-9]+' "$out/result.tap" || true)
plan=$(sed -n 's/^1\.\.\([0-9][0-9]*\)$/\1/p' "$out/result.tap" | head -n 1)
harness=""
if [ $rc -eq 124 ]; then
	harness="VM killed after ${TIMEOUT}s"
elif ! grep -qxF "$SENTINEL" "$out/result.tap"; then
	harness="no end sentinel: the guest crashed or hung (qemu exit $rc)"
elif [ -z "$plan" ] || [ "$plan" -eq 0 ]; then
	harness="no tests were run"
elif [ $((passed + failed)) -ne "$plan" ]; then
	harness="$((passed + failed)) results for a plan of $plan"
fi
if [ -n "$harness" ]; then
	echo "vm[$KIND]: harness failure: $harness"
	failed=$((failed + 1))
fi
if [ "$failed" -ne 0 ]; then
	echo "vm[$KIND]: last console lines:"
	tail -n 60 "$out/console.log" | tr -d '\r' | sed 's/^/  /'
fi
echo "$passed $failed" > "$out/summary"
echo "vm[$KIND]: $KVER"
echo "sdm-tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
