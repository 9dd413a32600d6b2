# sdm-drivers: sdm dm_mod
# The error target (no arguments, or a device and offset it ignores; any
# other count is accepted too) fails every read, write and discard with EIO;
# its table and status show no parameters; a device it is given is its one
# dependency (as in dm_mod, which opens it for its queue limits).  Next to a
# linear target, only its own sectors fail.
. /sdm/lib.sh
abi_start 16

run dmsetup create e --table "0 4096 error" || die "create failed"
run dmsetup create e2 --table "0 4096 error /dev/ram0 0" || die "create e2 failed"
run dmsetup create e3 --table "0 4096 error 1" || die "create e3 failed"
for d in e e2 e3; do
	expect_eq "$(dmsetup table $d)" "0 4096 error " "table of $d"
	expect_eq "$(dmsetup status $d)" "0 4096 error " "status of $d"
	if [ $d = e2 ]; then
		want=$(printf '1 dependencies\t: (1, 0)')
	else
		want=$(printf '0 dependencies\t:')
	fi
	expect_eq "$(dmsetup deps $d)" "$want" "deps of $d"
	expect_fail_msg "Input/output error" dd if=/dev/mapper/$d of=/dev/null bs=4096 count=1 iflag=direct
	expect_fail_msg "Input/output error" dd if=/dev/zero of=/dev/mapper/$d bs=4096 count=1 oflag=direct
done
expect_fail_msg "Input/output error" dd if=/dev/mapper/e of=/dev/null bs=4096 count=1
expect_fail_msg "Input/output error" blkdiscard /dev/mapper/e

echo "error behind linear"
run dmsetup create el --table "0 1024 linear /dev/ram0 0
1024 1024 error" || die "create el failed"
run dd if=/dev/mapper/el of=/dev/null bs=512 count=1024 iflag=direct 2> /dev/null ||
	die "read of the linear part failed"
expect_fail_msg "Input/output error" dd if=/dev/mapper/el of=/dev/null bs=512 skip=1024 count=1 iflag=direct
expect_fail_msg "Input/output error" dd if=/dev/mapper/el of=/dev/null bs=512 skip=1023 count=2 iflag=direct
run dmsetup remove e e2 e3 el || die "remove failed"
core_expect_no_devices
