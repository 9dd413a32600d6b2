# sdm-drivers: sdm dm_mod
# A backing device held exclusively by someone else (a mounted
# filesystem) cannot be mapped: create and load fail with EBUSY ("Device
# or resource busy").  The other way round, a device mapped by a table is
# claimed: mounting it fails with EBUSY until the table is gone.  Several
# tables may map the same device.
. /sdm/lib.sh
core_start 16 2
run modprobe ext4 || die "modprobe ext4 failed"
mkdir -p /mnt/core-held

mkfs.ext4 -q /dev/ram1 || die "mkfs.ext4 failed"
run mount -t ext4 /dev/ram1 /mnt/core-held || die "mount failed"
expect_fail_msg "Device or resource busy" dmsetup create held --table "0 100 linear /dev/ram1 0"
run dmsetup create --notable held || die "create failed"
expect_fail_msg "Device or resource busy" dmsetup load held --table "0 100 linear /dev/ram1 0"
run dmsetup load held --table "0 100 linear /dev/ram0 0" || die "load on ram0 failed"
run dmsetup resume held || die "resume failed"
expect_fail_msg "Device or resource busy" dmsetup reload held --table "0 100 linear /dev/ram0 0
100 100 linear /dev/ram1 0"
expect_eq "$(dmsetup table held)" "0 100 linear 1:0 0" "table of held"
run umount /mnt/core-held || die "umount failed"

run dmsetup create claim --table "0 100 linear /dev/ram1 0" || die "create on ram1 failed"
run dmsetup create claim2 --table "0 100 linear /dev/ram1 100" || die "second table on ram1 failed"
expect_fail_msg "Device or resource busy" mount -t ext4 /dev/ram1 /mnt/core-held
run dmsetup remove claim || die "remove failed"
expect_fail_msg "Device or resource busy" mount -t ext4 /dev/ram1 /mnt/core-held
run dmsetup remove claim2 || die "remove failed"
run mount -t ext4 /dev/ram1 /mnt/core-held || die "mount after the remove failed"
run umount /mnt/core-held || die "umount failed"
run dmsetup remove held || die "remove failed"
core_expect_no_devices
