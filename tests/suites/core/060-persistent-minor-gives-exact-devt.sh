# sdm-drivers: sdm dm_mod
# dmsetup create -j MAJOR -m MINOR gives exactly that dev_t (node, sysfs,
# info, ls); asking for a minor that is taken fails with ENXIO ("No such
# device or address", as dm_mod says for any failed creation) and leaves
# nothing behind; the minor is free again after the remove.
. /sdm/lib.sh
core_start 16

major=$(dm_block_majors)
busy="No such device or address"
run dmsetup create -j "$major" -m 77 p77 --table "0 1024 linear /dev/ram0 0" ||
	die "create with minor 77 failed"
core_expect_info p77 "Major, minor" "$major, 77"
expect_eq "$(dmsetup ls)" "$(printf 'p77\t(%s:77)' "$major")" "dmsetup ls"
expect_eq "$(stat -c '%t %T' /dev/mapper/p77)" "$(printf '%x 4d' "$major")" "dev_t of /dev/mapper/p77"
expect_eq "$(cat /sys/block/dm-77/dev)" "$major:77" "sysfs dev of dm-77"
expect_eq "$(cat /sys/block/dm-77/dm/name)" p77 "dm-77 name"
core_expect_info p77 State ACTIVE

echo "the taken minor is refused"
expect_fail_msg "$busy" dmsetup create -j "$major" -m 77 other --table "0 1024 linear /dev/ram0 0"
expect_fail_msg "$busy" dmsetup create -j "$major" -m 77 --notable other
expect_eq "$(dmsetup ls)" "$(printf 'p77\t(%s:77)' "$major")" "dmsetup ls after the refusals"
expect_eq "$(cat /sys/block/dm-77/dm/name)" p77 "dm-77 name after the refusals"

echo "another persistent minor, with no table"
run dmsetup create -j "$major" -m 1000 --notable p1000 || die "create with minor 1000 failed"
core_expect_info p1000 "Major, minor" "$major, 1000"
run dmsetup load p1000 --table "0 8 linear /dev/ram0 0" || die "load failed"
run dmsetup resume p1000 || die "resume failed"
expect_eq "$(cat /sys/block/dm-1000/dev)" "$major:1000" "sysfs dev of dm-1000"

echo "a dynamic minor is neither of them"
run dmsetup create dyn --table "0 8 linear /dev/ram0 0" || die "create failed"
m=$(core_info dyn "Major, minor")
case "$m" in
"$major, 77" | "$major, 1000") die "dynamic create got a persistent minor: $m" ;;
esac

echo "after the remove the minor is free"
run dmsetup remove p77 || die "remove failed"
run dmsetup create -j "$major" -m 77 again --table "0 1024 linear /dev/ram0 0" ||
	die "minor 77 not reusable"
core_expect_info again "Major, minor" "$major, 77"
run dmsetup remove again p1000 dyn || die "remove failed"
core_expect_no_devices
