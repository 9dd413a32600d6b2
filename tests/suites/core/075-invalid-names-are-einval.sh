# sdm-drivers: sdm dm_mod
# The kernel refuses device names "control", "." and ".." and an empty
# name with EINVAL ("Invalid argument"), with or without a table, and
# creates nothing.  (dmsetup itself refuses names with "/" before asking
# the kernel; the raw ioctl checks cover those.)
. /sdm/lib.sh
core_start 16

for name in control . ..; do
	expect_fail_msg "Invalid argument" dmsetup create "$name" --notable
	expect_fail_msg "Invalid argument" dmsetup create "$name" --table "0 8 linear /dev/ram0 0"
	expect_fail_msg "Invalid argument" dmsetup create "$name" -u "uuid-$name" --notable
done
echo "no name"
expect_fail_msg "Invalid argument" dmsetup create "" --notable
expect_fail_msg "Invalid argument" dmsetup create "" -u only-a-uuid --notable
core_expect_no_devices
expect_eq "$(char_dev /dev/mapper/control)" "10:236" "/dev/mapper/control"

echo "names that only look special are fine"
run dmsetup create ... --notable || die "create ... failed"
run dmsetup create .control --notable || die "create .control failed"
run dmsetup create control2 --table "0 8 linear /dev/ram0 0" || die "create control2 failed"
run dmsetup remove ... .control control2 || die "remove failed"
core_expect_no_devices
