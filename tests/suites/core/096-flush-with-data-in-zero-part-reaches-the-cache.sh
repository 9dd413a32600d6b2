# sdm-drivers: sdm dm_mod
# A flush with data must reach every underlying device that has a volatile
# write cache, whatever target the data lands in.  XFS on a device that
# maps a null_blk with a write cache linearly, except for its log, which
# maps to a zero target: the log writes of an fsync carry REQ_PREFLUSH and
# land in the zero part, and the only flush that orders the file's data
# (written to null_blk through the linear parts) is that one.  So an fsync
# must raise null_blk's flush count.  An empty flush (fsync of the mapped
# device itself) raises it too: the counter moves at all.
. /sdm/lib.sh
core_start
# shellcheck disable=SC2034 # used by core_cleanup
CORE_CLEANUP='umount /mnt/core-fl 2> /dev/null; dmsetup remove_all > /dev/null 2>&1; rmmod null_blk 2> /dev/null'
run modprobe xfs || die "modprobe xfs failed"
run modprobe null_blk nr_devices=1 gb=1 memory_backed=1 cache_size=64 ||
	die "modprobe null_blk failed"
[ -b /dev/nullb0 ] || die "/dev/nullb0 did not appear"
expect_eq "$(cat /sys/block/nullb0/queue/write_cache)" "write back" "null_blk's cache"

# be OFF LEN: the big-endian number of LEN bytes at byte OFF of null_blk
be() {
	printf '%d' "0x$(od -An -tx1 -j "$1" -N "$2" /dev/nullb0 | tr -d ' \n')"
}

run mkfs.xfs -q -f /dev/nullb0 || die "mkfs.xfs failed"
# where the superblock says the internal log lies, in sectors
bs=$(be 4 4)
logstart=$(be 48 8)
agblocks=$(be 84 4)
logblocks=$(be 96 4)
agblklog=$(be 124 1)
agno=$((logstart >> agblklog))
agbno=$((logstart & ((1 << agblklog) - 1)))
log=$(((agno * agblocks + agbno) * bs / 512))
loglen=$((logblocks * bs / 512))
size=$(blockdev --getsz /dev/nullb0)
if [ "$log" -le 0 ] || [ $((log + loglen)) -ge "$size" ]; then
	die "log at sector $log, $loglen sectors long, on a device of $size"
fi

run dmsetup create fl --table "0 $log linear /dev/nullb0 0
$log $loglen zero
$((log + loglen)) $((size - log - loglen)) linear /dev/nullb0 $((log + loglen))" ||
	die "create failed"
d=$(dm_disk fl)
expect_eq "$(cat "/sys/block/$d/queue/write_cache")" "write back" "write cache of $d"

mkdir -p /mnt/core-fl
run mount -t xfs /dev/mapper/fl /mnt/core-fl || die "mount failed"
sync
for i in 1 2 3; do
	before=$(core_nullb0_flushes)
	xfs_io -f -c "pwrite -q 0 65536" -c fsync "/mnt/core-fl/f$i" ||
		die "write and fsync of f$i failed"
	after=$(core_nullb0_flushes)
	[ "$after" -gt "$before" ] ||
		die "fsync of a new file did not flush null_blk ($before flushes before, $after after)"
done
run umount /mnt/core-fl || die "umount failed"

before=$(core_nullb0_flushes)
xfs_io -c fsync /dev/mapper/fl || die "fsync of the device failed"
[ "$(core_nullb0_flushes)" -gt "$before" ] || die "an empty flush did not reach null_blk"

run dmsetup remove fl || die "remove failed"
core_expect_no_devices
run rmmod null_blk || die "rmmod null_blk failed: still held"
# dm_mod's zero target is a module of its own, loaded by the table
if module_loaded dm_zero; then
	run rmmod dm_zero || die "rmmod dm_zero failed"
fi
core_unload_clean
