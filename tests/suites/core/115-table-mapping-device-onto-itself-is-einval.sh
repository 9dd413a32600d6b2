# sdm-drivers: sdm dm_mod
# A table that maps a device onto itself is refused with EINVAL, by path
# or by major:minor, as a reload of a live (and of a suspended) device
# and as the first table of a new one (blktests dm/001).
. /sdm/lib.sh
core_start 16

run dmsetup create self --table "0 1024 linear /dev/ram0 0" || die "create failed"
mm=$(dm_block_majors):$(dm_minor self)
expect_fail_msg "Invalid argument" dmsetup reload self --table "0 100 linear /dev/mapper/self 0"
expect_fail_msg "Invalid argument" dmsetup reload self --table "0 100 linear $mm 0"
expect_fail_msg "Invalid argument" dmsetup reload self --table "0 100 linear /dev/ram0 0
100 100 linear $mm 0"
core_expect_info self "Tables present" LIVE
run dmsetup suspend self || die "suspend failed"
expect_fail_msg "Invalid argument" dmsetup reload self --table "0 100 linear /dev/mapper/self 0"
run dmsetup resume self || die "resume failed"
core_expect_info self State ACTIVE
expect_eq "$(dmsetup table self)" "0 1024 linear 1:0 0" "table of self"

run dmsetup create --notable self2 || die "create failed"
mm2=$(dm_block_majors):$(dm_minor self2)
expect_fail_msg "Invalid argument" dmsetup load self2 --table "0 100 linear $mm2 0"
core_expect_info self2 "Tables present" None
# mapping another dm device is fine
run dmsetup load self2 --table "0 100 linear $mm 0" || die "stacking on self failed"
run dmsetup resume self2 || die "resume failed"
run dmsetup remove self2 self || die "remove failed"
core_expect_no_devices
