# sdm-drivers: sdm dm_mod
# dmsetup remove --force of an open device: dmsetup first loads and resumes
# an "error" table, then the remove itself fails EBUSY; the device stays,
# open, with the error table live, and every I/O fails with EIO.  Once
# closed, remove --force removes it.
. /sdm/lib.sh
abi_start 16
# shellcheck disable=SC2034 # used by core_cleanup
CORE_CLEANUP='exec 5<&-'

run dmsetup create f --table "0 2048 striped 2 8 /dev/ram0 0 /dev/ram0 8192" ||
	die "create failed"
exec 5< /dev/mapper/f || die "cannot open f"
expect_fail_msg "Device or resource busy" dmsetup remove --force f
core_expect_info f State ACTIVE
core_expect_info f "Tables present" LIVE
core_expect_info f "Open count" 1
expect_eq "$(dmsetup table f)" "0 2048 error " "table after remove --force"
expect_eq "$(dmsetup deps f)" "$(printf '0 dependencies\t:')" "deps after remove --force"
[ -z "$(ls /sys/block/ram0/holders)" ] || die "ram0 still held by the error table"
expect_fail_msg "Input/output error" dd if=/dev/mapper/f of=/dev/null bs=4096 count=1 iflag=direct
expect_fail_msg "Input/output error" dd if=/dev/zero of=/dev/mapper/f bs=4096 count=1 oflag=direct
exec 5<&-
run dmsetup remove --force f || die "remove --force of the closed device failed"
core_expect_no_devices
