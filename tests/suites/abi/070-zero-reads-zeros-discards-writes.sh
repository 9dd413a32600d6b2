# sdm-drivers: sdm dm_mod
# The zero target takes no arguments (one is EINVAL), shows empty table and
# status parameters, reads zeroes, accepts and drops writes and discards;
# behind a linear target the data of the linear part stays.
. /sdm/lib.sh
abi_start 16

expect_fail_msg "Invalid argument" dmsetup create z --table "0 4096 zero 1"
core_expect_no_devices
run dmsetup create z --table "0 4096 zero" || die "create failed"
expect_eq "$(dmsetup table z)" "0 4096 zero " "table of z"
expect_eq "$(dmsetup status z)" "0 4096 zero " "status of z"
expect_eq "$(dmsetup deps z)" "$(printf '0 dependencies\t:')" "deps of z"
expect_eq "$(blockdev --getsz /dev/mapper/z)" 4096 "size of z"
core_zero_sectors /dev/mapper/z 0 4096
core_random /tmp/z.data 4096
core_put /tmp/z.data /dev/mapper/z 0
run dd if=/tmp/z.data of=/dev/mapper/z bs=4096 oflag=direct 2> /dev/null ||
	die "direct write to zero failed"
core_drop_caches
core_zero_sectors /dev/mapper/z 0 4096
dd if=/dev/mapper/z bs=4096 count=512 iflag=direct 2> /dev/null | cmp -s - <(head -c 2097152 /dev/zero) ||
	die "direct read of zero is not zeroes"
run blkdiscard /dev/mapper/z || die "discard failed"

echo "zero behind linear"
core_random /tmp/z.lin 1024
core_put /tmp/z.lin /dev/ram0 0
run dmsetup create zl --table "0 1024 linear /dev/ram0 0
1024 1024 zero" || die "create zl failed"
core_random /tmp/z.data 2048
core_put /tmp/z.data /dev/mapper/zl 0
core_drop_caches
core_get /dev/mapper/zl 0 1024 /tmp/z.got
core_get /tmp/z.data 0 1024 /tmp/z.want
cmp -s /tmp/z.want /tmp/z.got || die "the linear part lost its data"
core_zero_sectors /dev/mapper/zl 1024 1024
run dmsetup remove z zl || die "remove failed"
core_expect_no_devices
