# sdm-drivers: sdm dm_mod
# I/O beyond the end after a shrink (upstream's "dm table: fix invalid
# memory accesses with too high sector number"): a direct read and a
# direct write reach a suspended device near its end and are held; a
# smaller table is loaded and the device resumed, so the held I/O meets a
# table that does not map its sectors.  Both fail with EIO (no hang, no
# access past the table), I/O inside the new end works, and the device
# stays removable.
. /sdm/lib.sh
abi_start 16

run dmsetup create s --table "0 8192 linear /dev/ram0 0" || die "create failed"
run dd if=/dev/zero of=/dev/mapper/s bs=4096 seek=1000 count=1 oflag=direct 2> /dev/null ||
	die "a write near the end failed before the shrink"
run dmsetup suspend s || die "suspend failed"
timeout -s KILL 60 dd if=/dev/mapper/s of=/dev/null bs=4096 skip=1000 count=1 iflag=direct \
	> /tmp/held-read.out 2>&1 &
reader=$!
timeout -s KILL 60 dd if=/dev/zero of=/dev/mapper/s bs=4096 seek=1001 count=1 oflag=direct \
	> /tmp/held-write.out 2>&1 &
writer=$!
core_expect_blocked "$reader" "a read of a suspended device"
core_expect_blocked "$writer" "a write to a suspended device"
run dmsetup reload s --table "0 4096 linear /dev/ram0 0" || die "reload failed"
run dmsetup resume s || die "resume failed"
rc=0
wait "$reader" || rc=$?
cat /tmp/held-read.out
[ "$rc" != 0 ] || die "the held read past the new end succeeded"
grep -q "Input/output error" /tmp/held-read.out || die "the held read did not fail with EIO"
rc=0
wait "$writer" || rc=$?
cat /tmp/held-write.out
[ "$rc" != 0 ] || die "the held write past the new end succeeded"
grep -q "Input/output error" /tmp/held-write.out || die "the held write did not fail with EIO"
expect_eq "$(blockdev --getsz /dev/mapper/s)" 4096 "size after the shrink"
run dd if=/dev/mapper/s of=/dev/null bs=4096 skip=511 count=1 iflag=direct 2> /dev/null ||
	die "a read inside the new end failed"
run dmsetup remove s || die "remove failed"
core_expect_no_devices
