# shellcheck shell=bash
# make bench, in the guest (sdmvm.mode=bench): the raw backing devices,
# dm_mod, sdm and sdm's floor probe (when the initramfs has it) measured
# in one boot, alternated round by round.  Each round runs them in an
# order rotated by one every round (raw dm_mod sdm floor, then dm_mod sdm
# floor raw, ...); dm_mod is loaded with modprobe and sdm with insmod for
# their turn and unloaded after it (the two cannot be loaded at once:
# both take /dev/mapper/control).
#
# The host sets on the kernel command line: sdmvm.bench_rounds,
# sdmvm.bench_secs (seconds of each fio run), sdmvm.bench_n (devices of
# the control path and memory measurements) and sdmvm.bench_k (the
# numbers of devices present when one create is timed, comma separated).
#
# Results go to the second serial port as CSV lines
#   ROUND,GROUP,BACKING,TABLE,WORKLOAD,CONFIG,VALUE,UNIT
# with notes as "# ..." lines, and "bench: end" once all went well; the
# host (tests/scripts/bench.sh) turns them into the table, CSV and plot.
# Progress goes to the console.
set -euo pipefail
. /sdm/lib.sh

param() {
	tr ' ' '\n' < /proc/cmdline | sed -n "s/^sdmvm\.$1=//p"
}

ROUNDS=$(param bench_rounds)
SECS=$(param bench_secs)
N=$(param bench_n)
KS=$(param bench_k)
JOBS=$(nproc)
CONFIGS=(raw dm_mod sdm)
# make bench's floor probe: sdm built to remap in place and do nothing
# else (data path only)
[ ! -f /sdm/modules/floor/sdm.ko ] || CONFIGS+=(floor)
exec 3> /dev/ttyS1

note() {
	echo "bench: $*"
	echo "# $*" >&3
}

# emit ROUND GROUP BACKING TABLE WORKLOAD CONFIG VALUE UNIT
emit() {
	local IFS=,
	echo "$*" >&3
}

# The backing devices: four of each, so that a striped table has four
# legs.  null_blk completes in the submitting context (irqmode=0) and
# keeps no data; brd is filled once so that reads find pages.
modprobe null_blk queue_mode=2 irqmode=0 nr_devices=4 gb=4
modprobe brd rd_nr=4 rd_size=65536
for i in 0 1 2 3; do
	fio --name=fill --filename="/dev/ram$i" --rw=write --bs=1M --direct=1 \
		--eta=never --output=/dev/null
done
declare -A FIRST=([null_blk]=/dev/nullb [brd]=/dev/ram)
BACKINGS=(null_blk brd)
note "null_blk: queue_mode=2 irqmode=0 nr_devices=4 gb=4; brd: rd_nr=4 rd_size=65536, filled"
note "$JOBS CPU(s), $JOBS fio job(s), ${SECS}s a run, $ROUNDS round(s), N=$N, K=$KS"

# RW-ENGINE: 4 KiB random (randread, randwrite) and 128 KiB sequential
# (read, write), psync at depth 1 and io_uring at depth 32
WORKLOADS=(randread-psync randwrite-psync read-psync write-psync)
if ! fio --enghelp 2> /dev/null | grep -qw io_uring; then
	note "io_uring: fio has no io_uring engine, io_uring rows left out"
elif ! fio --name=probe --filename=/dev/nullb0 --rw=randread --bs=4k \
	--ioengine=io_uring --iodepth=32 --direct=1 --runtime=1 --time_based \
	--eta=never --output=/dev/null > /dev/null 2>&1; then
	note "io_uring: a probe run failed on this kernel, io_uring rows left out"
else
	WORKLOADS+=(randread-io_uring randwrite-io_uring read-io_uring write-io_uring)
fi

# iops DEV WORKLOAD: the IOPS of one fio run of SECS seconds
iops() {
	local dev=$1 rw=${2%-*} engine=${2#*-} depth=1 bs=4k out
	[ "$engine" != io_uring ] || depth=32
	[ "${rw#rand}" != "$rw" ] || bs=128k
	out=$(fio --name=bench --filename="$dev" --rw="$rw" --bs=$bs \
		--ioengine="$engine" --iodepth=$depth --direct=1 \
		--numjobs="$JOBS" --group_reporting --runtime="$SECS" \
		--time_based --eta=never --output-format=terse --terse-version=3) ||
		die "fio $rw $engine on $dev failed"
	# terse v3: field 5 the error, 8 read IOPS, 49 write IOPS
	echo "$out" | awk -F';' -v rw="$rw" '$1 == 3 && $5 == 0 {
		print (rw ~ /read/) ? $8 : $49; found = 1 }
		END { exit !found }' || die "no fio result for $rw $engine on $dev"
}

# data ROUND CONFIG BACKING TABLE DEV: every workload on DEV
data() {
	local w v
	for w in "${WORKLOADS[@]}"; do
		v=$(iops "$5" "$w")
		emit "$1" data "$3" "$4" "$w" "$2" "$v" IOPS
	done
}

# table BACKING KIND: a dmsetup table over the backing devices: linear
# over the whole first one, or striped over all four (64 KiB chunks)
table() {
	local dev=${FIRST[$1]} size i legs=""
	size=$(blockdev --getsz "${dev}0")
	if [ "$2" = linear ]; then
		echo "0 $size linear ${dev}0 0"
		return
	fi
	size=$((size / 128 * 128))
	for i in 0 1 2 3; do
		legs="$legs ${dev}$i 0"
	done
	echo "0 $((size * 4)) striped 4 128$legs"
}

load_driver() {
	case "$1" in
	dm_mod) modprobe dm_mod ;;
	sdm) insmod /sdm/modules/sdm.ko ;;
	floor) insmod /sdm/modules/floor/sdm.ko ;;
	esac
}

# one_config ROUND CONFIG
one_config() {
	local r=$1 c=$2 b t name value unit
	echo "bench: round $r/$ROUNDS: $c (at $(cut -d. -f1 /proc/uptime)s)"
	if [ "$c" = raw ]; then
		for b in "${BACKINGS[@]}"; do
			data "$r" raw "$b" - "${FIRST[$b]}0"
		done
		return
	fi
	load_driver "$c"
	for b in "${BACKINGS[@]}"; do
		for t in linear striped; do
			dmsetup create bench --table "$(table "$b" $t)"
			data "$r" "$c" "$b" "$t" /dev/mapper/bench
			dmsetup remove bench
		done
	done
	if [ "$c" = floor ]; then
		rmmod sdm
		return
	fi
	# shellcheck disable=SC2086 # KS: one argument a number
	dm_bench control "$N" /dev/ram0 ${KS//,/ } > /tmp/control ||
		die "dm_bench control failed with $c"
	while read -r name value unit; do
		emit "$r" control brd linear "$name" "$c" "$value" "$unit"
	done < /tmp/control
	dm_bench memory "$N" /dev/ram0 > /tmp/memory ||
		die "dm_bench memory failed with $c"
	while read -r name value unit; do
		# mem_linear_avail: table linear, workload avail
		t=${name#mem_}
		emit "$r" memory brd "${t%_*}" "${t#*_}" "$c" "$value" "$unit"
	done < /tmp/memory
	rmmod "$c"
}

# a short warm-up, not counted
fio --name=warm --filename=/dev/nullb0 --rw=randread --bs=4k --direct=1 \
	--runtime=1 --time_based --eta=never --output=/dev/null

for ((r = 1; r <= ROUNDS; r++)); do
	for ((i = 0; i < ${#CONFIGS[@]}; i++)); do
		one_config "$r" "${CONFIGS[(r - 1 + i) % ${#CONFIGS[@]}]}"
	done
done
echo "bench: end" >&3
echo "bench: end (at $(cut -d. -f1 /proc/uptime)s)"
