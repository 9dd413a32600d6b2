# sdm-drivers: sdm dm_mod
# A table reaching beyond the end of its device is refused with EINVAL at
# load time when it is the device's first table, but a reload of a live
# device accepts it and the resume refuses it: upstream checks the device
# areas when it computes the queue limits (first load, and table swap on
# resume).  The failed resume drops the staged table and leaves the
# device suspended with its old table; a plain resume then brings that
# table back.
. /sdm/lib.sh
core_start 16

# ram0 has 32768 sectors
for t in "0 32769 linear /dev/ram0 0" "0 100 linear /dev/ram0 32700" \
	"0 100 linear /dev/ram0 32768" "0 100 linear /dev/ram0 0
100 32768 linear /dev/ram0 1"; do
	echo "== $t"
	expect_fail_msg "Invalid argument" dmsetup create big --table "$t"
	core_expect_no_devices
	core_expect_refused_first_load "Invalid argument" big "$t"
done

echo "== reload of a live device"
core_random /tmp/small.a 64
core_put /tmp/small.a /dev/ram0 0
run dmsetup create small --table "0 64 linear /dev/ram0 0" || die "create failed"
run dmsetup load small --table "0 32769 linear /dev/ram0 0" || die "the reload was refused"
core_expect_info small "Tables present" "LIVE & INACTIVE"
expect_fail_msg "Invalid argument" dmsetup resume small
core_expect_info small State SUSPENDED
core_expect_info small "Tables present" LIVE
expect_eq "$(dmsetup table small)" "0 64 linear 1:0 0" "table after the failed resume"
run dmsetup resume small || die "resume of the old table failed"
core_expect_info small State ACTIVE
core_expect_data /tmp/small.a /dev/mapper/small 0 "the old mapping does not show its data"

echo "== the same after an explicit suspend"
run dmsetup load small --table "0 100 linear /dev/ram0 32700" || die "the reload was refused"
run dmsetup suspend small || die "suspend failed"
expect_fail_msg "Invalid argument" dmsetup resume small
core_expect_info small State SUSPENDED
core_expect_info small "Tables present" LIVE
run dmsetup resume small || die "resume failed"
expect_eq "$(dmsetup table small)" "0 64 linear 1:0 0" "table"
run dmsetup remove small || die "remove failed"
core_expect_no_devices
