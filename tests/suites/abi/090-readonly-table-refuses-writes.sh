# sdm-drivers: sdm dm_mod
# A read-only table (dmsetup create --readonly): info shows
# "ACTIVE (READ-ONLY)" and attr L--r, blockdev --getro is 1, every write
# fails with EPERM ("Operation not permitted", buffered or direct, and
# discards where the disk below has them) and the disk underneath is
# unchanged; reads work.  A writable reload makes the
# device writable again at resume (not at load), a read-only reload of a
# writable device makes it read-only.
. /sdm/lib.sh
abi_start 16

core_random /tmp/ro.data 2048
core_put /tmp/ro.data /dev/ram0 0
run dmsetup create --readonly ro --table "0 2048 linear /dev/ram0 0" || die "create failed"
core_expect_info ro State "ACTIVE (READ-ONLY)"
expect_eq "$(dmsetup info -c --noheadings -o attr ro)" "L--r" "attr"
expect_eq "$(blockdev --getro /dev/mapper/ro)" 1 "blockdev --getro"
expect_eq "$(cat "/sys/block/$(dm_disk ro)/ro")" 1 "sysfs ro"
expect_fail_msg "Operation not permitted" dd if=/dev/zero of=/dev/mapper/ro bs=4096 count=1 oflag=direct
expect_fail_msg "Operation not permitted" dd if=/dev/zero of=/dev/mapper/ro bs=4096 count=1 conv=notrunc
# BLKDISCARD on a device without discards fails for that first (brd
# has none on 6.1)
if [ "$(cat /sys/block/ram0/queue/discard_max_bytes)" = 0 ]; then
	expect_fail_msg "Operation not supported" blkdiscard /dev/mapper/ro
else
	expect_fail_msg "Operation not permitted" blkdiscard /dev/mapper/ro
fi
core_expect_data /tmp/ro.data /dev/mapper/ro 0 "the read-only device does not read its data"
core_expect_data /tmp/ro.data /dev/ram0 0 "a refused write reached ram0"

echo "writable reload"
run dmsetup reload ro --table "0 2048 linear /dev/ram0 0" || die "reload failed"
expect_eq "$(blockdev --getro /dev/mapper/ro)" 1 "read-only after the load"
run dmsetup resume ro || die "resume failed"
core_expect_info ro State ACTIVE
expect_eq "$(blockdev --getro /dev/mapper/ro)" 0 "read-only after the swap"
run dd if=/dev/zero of=/dev/mapper/ro bs=4096 count=1 oflag=direct 2> /dev/null ||
	die "write after the writable reload failed"

echo "read-only reload"
run dmsetup reload --readonly ro --table "0 2048 linear /dev/ram0 0" || die "reload -r failed"
run dmsetup resume ro || die "resume failed"
core_expect_info ro State "ACTIVE (READ-ONLY)"
expect_fail_msg "Operation not permitted" dd if=/dev/zero of=/dev/mapper/ro bs=4096 count=1 oflag=direct
run dmsetup remove ro || die "remove failed"
core_expect_no_devices
