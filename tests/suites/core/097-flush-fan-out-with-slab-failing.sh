# sdm-kernels: debug -- failslab is built into the debug kernel only
# sdm-drivers: sdm dm_mod
# An empty flush to a table of four targets needs four clones at once,
# more than a bio pool keeps in reserve.  With every slab allocation of
# the flushing task failing (failslab, task-filter, sleeping allocations
# included), the fsync of the mapped device must still complete: taking
# the fourth clone must not wait for the three the same submission holds
# and has not sent yet.  Each fsync reaches null_blk's write cache.
. /sdm/lib.sh
core_start
FS=/sys/kernel/debug/failslab
# shellcheck disable=SC2034 # used by core_cleanup
CORE_CLEANUP="echo 0 > $FS/probability; dmsetup remove_all > /dev/null 2>&1; rmmod null_blk 2> /dev/null"
[ -d "$FS" ] || die "no $FS"
run modprobe null_blk nr_devices=1 gb=1 memory_backed=1 cache_size=16 ||
	die "modprobe null_blk failed"
[ -b /dev/nullb0 ] || die "/dev/nullb0 did not appear"

run dmsetup create ff --table "0 2048 linear /dev/nullb0 0
2048 2048 linear /dev/nullb0 8192
4096 2048 linear /dev/nullb0 4096
6144 2048 linear /dev/nullb0 16384" || die "create failed"

echo Y > "$FS/task-filter"
echo N > "$FS/ignore-gfp-wait"
echo 0 > "$FS/verbose"
echo -1 > "$FS/times"
echo 1 > "$FS/interval"
echo 100 > "$FS/probability"
for i in 1 2 3 4 5; do
	before=$(core_nullb0_flushes)
	dm_abi_ioctl --fsync-failing /dev/mapper/ff &
	pid=$!
	for _ in $(seq 100); do
		kill -0 "$pid" 2> /dev/null || break
		sleep 0.2
	done
	if kill -0 "$pid" 2> /dev/null; then
		# a bio allocation retries every 5 s: let it succeed and end
		echo 0 > "$FS/probability"
		wait "$pid"
		die "fsync $i hung while slab allocations failed"
	fi
	wait "$pid" || die "fsync $i failed"
	[ "$(core_nullb0_flushes)" -gt "$before" ] || die "fsync $i did not flush null_blk"
done
echo 0 > "$FS/probability"

run dmsetup remove ff || die "remove failed"
core_expect_no_devices
run rmmod null_blk || die "rmmod null_blk failed: still held"
core_unload_clean
