# shellcheck shell=bash
# make bench, in the guest (sdmvm.mode=bench): the raw backing devices,
# dm_mod, sdm and sdm's floor probe (when the initramfs has it) measured
# in one boot, alternated.  A round measures the data rows one group (a
# backing device and a table) at a time, every configuration in turn,
# and then the other rows, every configuration in turn; each of these
# sequences starts one configuration later than the one before (raw
# dm_mod sdm floor, then dm_mod sdm floor raw, ...).  So the two values
# a round's ratio of a data row compares were measured a minute or two
# apart, and no configuration always comes first.  dm_mod is loaded with modprobe and
# sdm with insmod for every turn and unloaded after it (the two cannot be
# loaded at once: both take /dev/mapper/control).
#
# The host sets on the kernel command line: sdmvm.bench_rounds,
# sdmvm.bench_secs (seconds of each fio run), sdmvm.bench_n (devices of
# the control path and memory measurements), sdmvm.bench_k (the
# numbers of devices present when one create is timed, comma separated),
# sdmvm.bench_parts (which of data, dax, control and memory to measure,
# comma separated) and, for the data rows, sdmvm.bench_workloads (all, or
# some of the WORKLOADS below), sdmvm.bench_backings and
# sdmvm.bench_tables (comma separated).
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
PARTS=" $(param bench_parts | tr , ' ') "
JOBS=$(nproc)
CONFIGS=(raw dm_mod sdm)

# part NAME: whether this run measures NAME (data, dax, control, memory)
part() {
	[[ "$PARTS" == *" $1 "* ]]
}

# make bench's floor probe: sdm built to remap in place and do nothing
# else (data path only)
if [ -f /sdm/modules/floor/sdm.ko ] && part data; then
	CONFIGS+=(floor)
fi
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
read -ra BACKINGS < <(param bench_backings | tr , ' ')
read -ra TABLES < <(param bench_tables | tr , ' ')
note "null_blk: queue_mode=2 irqmode=0 nr_devices=4 gb=4; brd: rd_nr=4 rd_size=65536, filled"
note "$JOBS CPU(s), $JOBS fio job(s), ${SECS}s a run, $ROUNDS round(s), N=$N, K=$KS, parts:$PARTS"

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
if [ "$(param bench_workloads)" != all ]; then
	read -ra wanted < <(param bench_workloads | tr , ' ')
	kept=()
	for w in "${wanted[@]}"; do
		if [[ " ${WORKLOADS[*]} " == *" $w "* ]]; then
			kept+=("$w")
		else
			note "$w: not run on this kernel (see above)"
		fi
	done
	WORKLOADS=("${kept[@]}")
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

# DAX: XFS -o dax=always over the first 512 MiB of /dev/pmem0, raw or
# through a linear table, 2 MiB stripe unit; one 256 MiB file, written
# (no unwritten extents) with a 2 MiB extent size hint, measured by
# tests/prog/dax_bench.  DAX_MIB: that range, in MiB (0: no pmem, no rows).
DAX_MIB=0
# The 2 MiB faults come first, on the fresh file: once a 4 KiB fault has
# put a small entry into a 2 MiB range of the file, every later PMD fault
# there falls back to 4 KiB pages (seen: 128 of 128).
DAX_WORKLOADS=(fault_2m fault_4k fault_sync read_4k write_4k read_1m write_1m memcpy)
TRACING=/sys/kernel/tracing
if ! { modprobe nd_e820 && modprobe nd_pmem; } 2> /dev/null; then
	note "dax: no pmem driver, DAX rows left out"
else
	for _ in $(seq 50); do
		[ -b /dev/pmem0 ] && break
		sleep 0.1
	done
	if [ -b /dev/pmem0 ]; then
		DAX_MIB=512
		mkdir -p /mnt/bench
		[ -d $TRACING/events ] || mount -t tracefs tracefs $TRACING
		note "dax: XFS -o dax=always over ${DAX_MIB} MiB of /dev/pmem0 (legacy, memmap=1G!1G), a 256 MiB file"
	else
		note "dax: /dev/pmem0 did not appear, DAX rows left out"
	fi
fi

# pmd_share FILE: the percentage of PMD (2 MiB) faults that did not fall
# back to 4 KiB pages, over one pass of fault_2m (fs_dax trace events)
pmd_share() {
	local ev=$TRACING/events/fs_dax/dax_pmd_fault_done all fell
	echo > $TRACING/trace
	echo 1 > "$ev/enable"
	dax_bench "$1" 0 fault_2m > /dev/null || die "dax_bench fault_2m pass failed"
	echo 0 > "$ev/enable"
	all=$(grep -c 'dax_pmd_fault_done' $TRACING/trace || true)
	fell=$(grep 'dax_pmd_fault_done' $TRACING/trace | grep -c FALLBACK || true)
	echo "bench: $all PMD faults on $1, $fell of them fell back" >&2
	# every 2 MiB step tries a PMD fault first: none traced is a failure
	[ "$all" -gt 0 ] || die "no fs_dax:dax_pmd_fault_done event traced"
	echo $((100 * (all - fell) / all))
}

# dax ROUND CONFIG TABLE DEV: every DAX measurement on DEV
dax() {
	local w name v unit
	# a 64 MiB log, as mkfs.xfs wants one at least that big, in 128 MiB AGs
	mkfs.xfs -f -q -K -d agcount=4,su=2m,sw=1,size=${DAX_MIB}m -l size=64m \
		-m reflink=0 "$4" || die "mkfs.xfs on $4 failed"
	mount -t xfs -o dax=always "$4" /mnt/bench || die "mount -o dax=always $4 failed"
	xfs_io -f -c "extsize 2m" -c "falloc 0 256m" -c "pwrite -q -b 2m 0 256m" \
		-c fsync /mnt/bench/f || die "cannot prepare the DAX file on $4"
	for w in "${DAX_WORKLOADS[@]}"; do
		read -r name v unit < <(dax_bench /mnt/bench/f "$SECS" "$w") ||
			die "dax_bench $w on $4 failed"
		emit "$1" dax pmem "$3" "$name" "$2" "$v" "$unit"
		if [ "$w" = fault_2m ]; then
			emit "$1" dax pmem "$3" pmd_share "$2" "$(pmd_share /mnt/bench/f)" "%"
		fi
	done
	umount /mnt/bench || die "umount of $4 failed"
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

# gendisk ROUND: the raw configuration's memory and control rows: the
# memory of N bare zram disks (the block layer's share of a mapped
# device), and how fast they are added and removed
gendisk() {
	local name value unit
	if ! modprobe zram num_devices=0 2> /dev/null; then
		[ "$1" != 1 ] || note "zram: no zram module, no raw memory or control rows"
		return
	fi
	dm_bench gendisk "$N" > /tmp/gendisk || die "dm_bench gendisk failed"
	rmmod zram
	while read -r name value unit; do
		case "$name" in
		mem_*)
			# mem_gendisk_avail: workload avail
			! part memory ||
				emit "$1" memory brd - "${name##*_}" raw "$value" "$unit"
			;;
		*)
			! part control ||
				emit "$1" control brd - "$name" raw "$value" "$unit"
			;;
		esac
	done < /tmp/gendisk
}

load_driver() {
	case "$1" in
	dm_mod) modprobe dm_mod ;;
	sdm) insmod /sdm/modules/sdm.ko ;;
	floor) insmod /sdm/modules/floor/sdm.ko ;;
	esac
}

unload_driver() {
	case "$1" in
	dm_mod) rmmod dm_mod ;;
	sdm | floor) rmmod sdm ;;
	esac
}

# data_turn ROUND CONFIG BACKING TABLE: CONFIG's data rows of one group;
# the raw device's rows carry the group's table, so that every ratio of
# a round compares values of the same group
data_turn() {
	local r=$1 c=$2 b=$3 t=$4
	echo "bench: round $r/$ROUNDS: $b $t: $c (at $(cut -d. -f1 /proc/uptime)s)"
	if [ "$c" = raw ]; then
		data "$r" raw "$b" "$t" "${FIRST[$b]}0"
		return
	fi
	load_driver "$c"
	dmsetup create bench --table "$(table "$b" "$t")"
	data "$r" "$c" "$b" "$t" /dev/mapper/bench
	dmsetup remove bench
	unload_driver "$c"
}

# other_turn ROUND CONFIG: CONFIG's DAX, control path and memory rows
other_turn() {
	local r=$1 c=$2 name value unit t
	echo "bench: round $r/$ROUNDS: $c (at $(cut -d. -f1 /proc/uptime)s)"
	if [ "$c" = raw ]; then
		[ "$DAX_MIB" = 0 ] || ! part dax || dax "$r" raw - /dev/pmem0
		if part memory || part control; then
			gendisk "$r"
		fi
		return
	fi
	load_driver "$c"
	if [ "$DAX_MIB" != 0 ] && part dax; then
		dmsetup create bench --table "0 $((DAX_MIB * 2048)) linear /dev/pmem0 0"
		dax "$r" "$c" linear /dev/mapper/bench
		dmsetup remove bench
	fi
	if part control; then
		# shellcheck disable=SC2086 # KS: one argument a number
		dm_bench control "$N" /dev/ram0 ${KS//,/ } > /tmp/control ||
			die "dm_bench control failed with $c"
		while read -r name value unit; do
			emit "$r" control brd linear "$name" "$c" "$value" "$unit"
		done < /tmp/control
	fi
	if part memory; then
		dm_bench memory "$N" /dev/ram0 > /tmp/memory ||
			die "dm_bench memory failed with $c"
		while read -r name value unit; do
			# mem_linear_avail: table linear, workload avail
			t=${name#mem_}
			emit "$r" memory brd "${t%_*}" "${t#*_}" "$c" "$value" "$unit"
		done < /tmp/memory
	fi
	unload_driver "$c"
}

# a short warm-up, not counted
fio --name=warm --filename=/dev/nullb0 --rw=randread --bs=4k --direct=1 \
	--runtime=1 --time_based --eta=never --output=/dev/null

# OTHERS: the configurations of the DAX, control and memory rows (the
# floor probe has none)
OTHERS=(raw dm_mod sdm)
for ((r = 1; r <= ROUNDS; r++)); do
	# the g-th group of round r starts with configuration r - 1 + g
	g=0
	if part data; then
		for b in "${BACKINGS[@]}"; do
			for t in "${TABLES[@]}"; do
				for ((i = 0; i < ${#CONFIGS[@]}; i++)); do
					data_turn "$r" "${CONFIGS[(r - 1 + g + i) % ${#CONFIGS[@]}]}" "$b" "$t"
				done
				g=$((g + 1))
			done
		done
	fi
	if part dax || part control || part memory; then
		for ((i = 0; i < ${#OTHERS[@]}; i++)); do
			other_turn "$r" "${OTHERS[(r - 1 + i) % ${#OTHERS[@]}]}"
		done
	fi
done
echo "bench: end" >&3
echo "bench: end (at $(cut -d. -f1 /proc/uptime)s)"
