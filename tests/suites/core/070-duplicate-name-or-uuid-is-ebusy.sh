# sdm-drivers: sdm dm_mod
# Creating a device with a name or a uuid already in use fails with EBUSY
# ("Device or resource busy") and leaves the existing device as it was.
. /sdm/lib.sh
core_start 16

run dmsetup create dup -u dup-uuid --table "0 1024 linear /dev/ram0 0" || die "create failed"
expect_fail_msg "Device or resource busy" dmsetup create dup --table "0 8 linear /dev/ram0 8"
expect_fail_msg "Device or resource busy" dmsetup create dup --notable
expect_fail_msg "Device or resource busy" dmsetup create dup -u other-uuid --notable
expect_fail_msg "Device or resource busy" dmsetup create dup2 -u dup-uuid --table "0 8 linear /dev/ram0 8"
expect_fail_msg "Device or resource busy" dmsetup create dup2 -u dup-uuid --notable
expect_eq "$(dmsetup ls | cut -f1)" dup "devices after the refusals"
expect_eq "$(dmsetup table dup)" "0 1024 linear 1:0 0" "table of dup"
core_expect_info dup UUID dup-uuid
core_expect_info dup State ACTIVE
core_expect_info dup "Tables present" LIVE
expect_fail_msg "Device does not exist." dmsetup info -u other-uuid

echo "the uuid and name are free again after the remove"
run dmsetup remove dup || die "remove failed"
run dmsetup create dup2 -u dup-uuid --notable || die "dup-uuid not reusable"
run dmsetup create dup --notable || die "name dup not reusable"
run dmsetup remove dup dup2 || die "remove failed"
core_expect_no_devices
