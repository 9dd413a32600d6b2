# sdm-drivers: sdm dm_mod
# Every command on a device that does not exist fails with ENXIO: dmsetup
# prints "No such device or address" for suspend, resume, remove, load,
# clear and table, and "Device does not exist." for info and status (libdm
# reads ENXIO as "not present" there).  By name, by uuid and by
# major:minor; with and without other devices around.
. /sdm/lib.sh
core_start 16
major=$(dm_block_majors)

for round in empty populated; do
	echo "== $round"
	for sel in "nosuch" "-u nosuch-uuid" "-j $major -m 77"; do
		# shellcheck disable=SC2086 # $sel is one to four arguments
		{
		expect_fail_msg "No such device or address" dmsetup suspend $sel
		expect_fail_msg "No such device or address" dmsetup resume $sel
		expect_fail_msg "No such device or address" dmsetup remove $sel
		expect_fail_msg "No such device or address" dmsetup clear $sel
		expect_fail_msg "No such device or address" dmsetup table $sel
		expect_fail_msg "No such device or address" dmsetup load $sel --table "0 8 linear /dev/ram0 0"
		expect_fail_msg "Device does not exist." dmsetup info $sel
		expect_fail_msg "Device does not exist." dmsetup status $sel
		}
	done
	[ $round = populated ] && break
	run dmsetup create other -u other-uuid --table "0 8 linear /dev/ram0 0" || die "create failed"
	run dmsetup create --notable other2 || die "create failed"
done
core_expect_info other State ACTIVE
run dmsetup remove other other2 || die "remove failed"
core_expect_no_devices
