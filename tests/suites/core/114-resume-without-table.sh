# sdm-drivers: sdm dm_mod
# A device without any table: resume is a no-op success while it is not
# suspended; it can be suspended; then resume fails with EINVAL ("Invalid
# argument") and the device stays suspended; it can still be removed.
. /sdm/lib.sh
core_start 16

run dmsetup create --notable empty || die "create failed"
run dmsetup resume empty || die "resume of a device that is not suspended failed"
core_expect_info empty State ACTIVE
run dmsetup suspend empty || die "suspend failed"
core_expect_info empty State SUSPENDED
expect_fail_msg "Invalid argument" dmsetup resume empty
core_expect_info empty State SUSPENDED
core_expect_info empty "Tables present" None
run dmsetup remove empty || die "remove of the suspended device failed"

echo "the first table makes a suspended device resumable"
run dmsetup create --notable empty || die "create failed"
run dmsetup suspend empty || die "suspend failed"
run dmsetup load empty --table "0 8 linear /dev/ram0 0" || die "load failed"
run dmsetup resume empty || die "resume with a table failed"
core_expect_info empty State ACTIVE
core_expect_info empty "Tables present" LIVE
run dmsetup remove empty || die "remove failed"
core_expect_no_devices
