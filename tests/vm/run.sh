#!/bin/bash
# Boot one kernel under QEMU (TCG) with its test initramfs, run one shard
# of tests in it and judge the run.
#
#   run.sh KIND DRIVER SHARD SELECTION TIMEOUT [CPUS]
#	KIND stock|rt|v61|debug|kcsan, DRIVER sdm|dm_mod, SHARD a name, SELECTION the
#	tests (sdmvm.tests=, see tests/vm/runner.sh), TIMEOUT in seconds,
#	CPUS the guest's (default 2; see tests/vm/plan.sh for why most
#	shards get one).  Needs $SDM_OUT/initramfs-KIND.cpio
#	(tests/vm/mkinitramfs.sh).
#   run.sh demo
#	the demo on the stock kernel, its console shown live
#   run.sh bench CPUS TIMEOUT PARAMS
#	make bench's guest (tests/vm/bench.sh) on the stock kernel with CPUS
#	CPUs and the kernel parameters PARAMS, its console shown live; its
#	results in $SDM_OUT/vm/bench-cpusCPUS/result.csv
#
# The verdict comes only from the TAP stream the guest writes to its second
# serial port: the run fails if the end sentinel is missing (panic, hang,
# timeout), if the number of results differs from the plan, if there are
# no results, if any test failed, or if a test skipped itself on one of
# CI's kernels.  A guest that crashes or hangs is named by the test it was
# running, with the kernel's messages since that test began: a panic
# replays the whole kernel log on the console (panic_print=0x20, and
# panic() lifts the console loglevel), and at the time limit the host
# sends an NMI through the QEMU monitor, which panics the guest
# (unknown_nmi_panic) and so replays the log too, before QEMU is killed.
# The results go to $SDM_OUT/vm/KIND-DRIVER-SHARD/: result.tap,
# console.log, and summary ("PASSED FAILED SKIPPED SECONDS").
set -euo pipefail
. "$(dirname "$0")/../scripts/common.sh"

SENTINEL='# sdm-sentinel: end'

kernel_of() {	# sets KVER and IMAGE for KIND
	case "$1" in
	stock | rt | v61)
		KVER=$(debian_kver "$1")
		IMAGE=$(debian_image "$KVER")/boot/vmlinuz-$KVER
		[ -r "$IMAGE" ] || die "$IMAGE missing (tests/scripts/deps.sh unpacks it)"
		;;
	debug | kcsan)
		local dk
		dk=$("$SDM_TOP/tests/scripts/debug-kernel.sh" "$1" path)
		[ -f "$dk/done" ] || die "$1 kernel not built (tests/scripts/debug-kernel.sh $1 build)"
		KVER=$(cat "$dk/kernelrelease")
		IMAGE=$dk/bzImage
		;;
	*) die "unknown kernel kind $1" ;;
	esac
}

# pmem: the guest's 1G..2G of RAM becomes a legacy pmem region (nd_e820).
APPEND="console=ttyS0 loglevel=3 log_buf_len=8M panic=-1 panic_on_warn=1"
APPEND="$APPEND oops=panic hung_task_panic=1 softlockup_panic=1"
APPEND="$APPEND panic_print=0x20 unknown_nmi_panic memmap=1G!1G rdinit=/init"

# SDM_VM_MEM: the guest's memory in GiB (3; make bench sets it)
qemu_cmd() {	# qemu_cmd INITRAMFS APPEND [CPUS]
	qemu=(qemu-system-x86_64 -machine pc -accel tcg -cpu max -smp "${3:-2}"
		-m "${SDM_VM_MEM:-3}G,slots=1,maxmem=$((${SDM_VM_MEM:-3} + 1))G"
		-kernel "$IMAGE" -initrd "$1" -append "$2"
		-display none -vga none -nic none -no-reboot)
}

# vpmem DIR: a 64 MiB virtio-pmem device backed by a sparse file in DIR:
# pmem that is DAX but not synchronous (no MAP_SYNC), for dax/013.  The
# stock, rt and v61 kernels have a driver for it, which the guest's runner
# loads at boot (tests/vm/runner.sh); the debug kernels have none.
vpmem() {
	qemu+=(-object "memory-backend-file,id=vpmem,share=on,mem-path=$1/vpmem.img,size=64M"
		-device "virtio-pmem-pci,memdev=vpmem")
}

if [ "${1:-}" = demo ]; then
	kernel_of stock
	out=$SDM_OUT/vm/demo
	mkdir -p "$out"
	rm -f "$out/result.raw"
	qemu_cmd "$SDM_OUT/initramfs-stock.cpio" "$APPEND sdmvm.mode=demo"
	timeout --foreground 1200 "${qemu[@]}" -monitor none \
		-serial stdio -serial "file:$out/result.raw" || true
	if tr -d '\r' < "$out/result.raw" | grep -qx 'demo: ok'; then
		echo "demo: ok"
		exit 0
	fi
	die "the demo did not finish (see above)"
fi

if [ "${1:-}" = bench ]; then
	[ $# -eq 4 ] || die "usage: run.sh bench CPUS TIMEOUT PARAMS"
	kernel_of stock
	out=$SDM_OUT/vm/bench-cpus$2
	mkdir -p "$out"
	rm -f "$out"/{result.raw,result.csv,console.log}
	qemu_cmd "$SDM_OUT/initramfs-stock.cpio" "$APPEND sdmvm.mode=bench $4" "$2"
	# the console shown and kept; stdin closed so that QEMU leaves the
	# terminal alone and ^C stops it
	timeout "$3" "${qemu[@]}" -monitor none -serial stdio \
		-serial "file:$out/result.raw" < /dev/null |
		tee "$out/console.log" || true
	tr -d '\r' < "$out/result.raw" > "$out/result.csv"
	grep -qx 'bench: end' "$out/result.csv" ||
		die "the benchmark did not finish (console: $out/console.log)"
	exit 0
fi

[ $# -eq 5 ] || [ $# -eq 6 ] ||
	die "usage: run.sh KIND DRIVER SHARD SELECTION TIMEOUT [CPUS] | run.sh demo | run.sh bench ..."
KIND=$1 DRIVER=$2 SHARD=$3 SELECTION=$4 TIMEOUT=$5 CPUS=${6:-2}
case "$CPUS" in
1 | 2 | 4) ;;
*) die "CPUS must be 1, 2 or 4, not '$CPUS'" ;;
esac
kernel_of "$KIND"
initramfs=$SDM_OUT/initramfs-$KIND.cpio
[ -f "$initramfs" ] || die "$initramfs missing"
out=$SDM_OUT/vm/$KIND-$DRIVER-$SHARD
rm -rf "$out"
mkdir -p "$out"
append="$APPEND sdmvm.driver=$DRIVER sdmvm.shard=$KIND-$DRIVER-$SHARD"
# SDM_APPEND: extra kernel parameters while investigating (slub_debug=...)
append="$append sdmvm.tests=$SELECTION ${SDM_APPEND:-}"
# KCSAN is turned on by the guest's init once it has set up the report
# filter of tests/kernel/kcsan.ignore
[ "$KIND" != kcsan ] || append="$append kcsan.early_enable=0"
[ ${#append} -lt 2000 ] || die "kernel command line too long (${#append} bytes)"
qemu_cmd "$initramfs" "$append" "$CPUS"
vpmem "$out"

# boot: run QEMU until it exits or TIMEOUT passes; then NMI, and kill it
# if the guest does not go down by itself within a minute.  Sets rc (124
# for the time limit, as timeout(1)).
boot() {
	local t=0 pid drain
	rm -f "$out"/{console.log,result.raw,mon.in,mon.out}
	mkfifo "$out/mon.in" "$out/mon.out"
	"${qemu[@]}" -monitor "pipe:$out/mon" \
		-serial "file:$out/console.log" -serial "file:$out/result.raw" &
	pid=$!
	# drain the monitor's output, or QEMU blocks on a full pipe
	cat "$out/mon.out" > /dev/null &
	drain=$!
	rc=0
	while kill -0 $pid 2> /dev/null && [ $t -lt "$TIMEOUT" ]; do
		sleep 1
		t=$((t + 1))
	done
	if kill -0 $pid 2> /dev/null; then
		rc=124
		echo "nmi" > "$out/mon.in"
		t=0
		while kill -0 $pid 2> /dev/null && [ $t -lt 60 ]; do
			sleep 1
			t=$((t + 1))
		done
		kill -KILL $pid 2> /dev/null || true
		wait $pid 2> /dev/null || true
	else
		wait $pid || rc=$?
	fi
	kill $drain 2> /dev/null || true
	tr -d '\r' < "$out/result.raw" > "$out/result.tap"
}

start=$(date +%s)
echo "vm[$KIND $DRIVER $SHARD]: booting $KVER on $CPUS CPU(s) (console log: $out/console.log)"
boot
# A guest that died before its runner printed the plan never loaded sdm
# (only tests do): that is the emulator or the kernel failing to boot
# (seen once: an int3 oops in early text patching under MTTCG).  Show it
# and boot once more; anything later counts as a failure.
if [ $rc -ne 124 ] && ! grep -q '^1\.\.' "$out/result.tap"; then
	echo "vm[$KIND $DRIVER $SHARD]: the guest died before running any test; its console:"
	tail -n 40 "$out/console.log" | tr -d '\r' | sed 's/^/  /'
	echo "vm[$KIND $DRIVER $SHARD]: booting again"
	cp "$out/console.log" "$out/console-failed-boot.log"
	boot
fi
seconds=$(($(date +%s) - start))
grep -v '^# sdm-begin ' "$out/result.tap" || true

passed=$(grep -E '^ok [0-9]+' "$out/result.tap" | grep -cv '# SKIP' || true)
skipped=$(grep -cE '^ok [0-9]+ .*# SKIP' "$out/result.tap" || true)
failed=$(grep -cE '^not ok [0-9]+' "$out/result.tap" || true)
plan=$(sed -n 's/^1\.\.\([0-9][0-9]*\)$/\1/p' "$out/result.tap" | head -n 1)
harness=""
if [ $rc -eq 124 ]; then
	harness="VM stopped after its time limit of ${TIMEOUT}s"
elif ! grep -qxF "$SENTINEL" "$out/result.tap"; then
	harness="no end sentinel: the guest crashed or hung (qemu exit $rc)"
elif [ -z "$plan" ] || [ "$plan" -eq 0 ]; then
	harness="no tests were run"
elif [ $((passed + skipped + failed)) -ne "$plan" ]; then
	harness="$((passed + skipped + failed)) results for a plan of $plan"
fi
if [ "$skipped" -gt 0 ]; then
	# the kernels make test runs have everything every test needs
	echo "vm[$KIND $DRIVER $SHARD]: $skipped test(s) skipped themselves on the $KIND kernel:"
	grep -E '^ok [0-9]+ .*# SKIP' "$out/result.tap" | sed 's/^/  /'
	failed=$((failed + skipped))
	skipped=0
fi
if [ -n "$harness" ]; then
	echo "vm[$KIND $DRIVER $SHARD]: harness failure: $harness"
	failed=$((failed + 1))
	# the test that was running: the last one begun without a result
	last=$(awk '/^# sdm-begin / { n = $3; name = $4 } /^(not )?ok [0-9]+/ {
			r = ($1 == "ok") ? $2 : $3; if (r == n) n = "" }
		END { if (n != "") print n, name }' "$out/result.tap")
	if [ -n "$last" ]; then
		echo "vm[$KIND $DRIVER $SHARD]: the guest went down during test $last"
		echo "vm[$KIND $DRIVER $SHARD]: kernel log since it began:"
		tr -d '\r' < "$out/console.log" |
			awk -v m="sdm-test: begin $last" 'index($0, m) { out = ""; seen = 1 } seen { out = out $0 "\n" } END { printf "%s", out }' |
			tail -n 80 | sed 's/^/  /'
	fi
fi
if [ "$failed" -ne 0 ] && [ -z "$harness" ]; then
	echo "vm[$KIND $DRIVER $SHARD]: last console lines:"
	tail -n 30 "$out/console.log" | tr -d '\r' | sed 's/^/  /'
fi
echo "$passed $failed $skipped $seconds" > "$out/summary"
echo "vm[$KIND $DRIVER $SHARD]: $passed passed, $failed failed in ${seconds}s (limit ${TIMEOUT}s)"
[ "$failed" -eq 0 ]
