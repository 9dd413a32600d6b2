# sdm-drivers: sdm dm_mod
# Queue limits are stacked from the underlying devices: a linear device
# over a 4 KiB-sector null_blk reports that device's logical and physical
# block sizes and transfer limit, a table over a 512-byte and a 4 KiB
# device takes the larger block size, and targets that start or end off
# the 4 KiB boundary are refused (EINVAL) at the first load.
. /sdm/lib.sh
core_start 16
# shellcheck disable=SC2034 # used by core_cleanup
CORE_CLEANUP='dmsetup remove_all > /dev/null 2>&1; rmmod null_blk 2> /dev/null'
run modprobe null_blk nr_devices=1 bs=4096 gb=1 || die "modprobe null_blk failed"
[ -b /dev/nullb0 ] || die "/dev/nullb0 did not appear"

# q DISK ATTR: a queue attribute of a disk
q() {
	cat "/sys/block/$1/queue/$2"
}

run dmsetup create lim4k --table "0 8192 linear /dev/nullb0 8" || die "create failed"
d=$(dm_disk lim4k)
for attr in logical_block_size physical_block_size max_hw_sectors_kb; do
	expect_eq "$(q "$d" "$attr")" "$(q nullb0 "$attr")" "$attr of $d"
done
expect_eq "$(blockdev --getss /dev/mapper/lim4k)" 4096 "sector size through the device"

run dmsetup create mixed --table "0 8192 linear /dev/ram0 0
8192 8192 linear /dev/nullb0 0" || die "create of the mixed table failed"
expect_eq "$(q "$(dm_disk mixed)" logical_block_size)" 4096 "logical block size of a mixed table"

for table in "0 8192 linear /dev/nullb0 1" "0 8191 linear /dev/nullb0 0" \
	"0 4096 linear /dev/ram0 0
4096 4097 linear /dev/nullb0 0"; do
	expect_fail_msg "Invalid argument" dmsetup create misaligned --table "$table"
	! dmsetup info misaligned > /dev/null 2>&1 || die "a refused device was left"
done

run dmsetup remove lim4k || die "remove failed"
run dmsetup remove mixed || die "remove failed"
core_expect_no_devices
run rmmod null_blk || die "rmmod null_blk failed: still held"
core_unload_clean
