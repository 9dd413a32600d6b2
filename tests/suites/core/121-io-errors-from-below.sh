# sdm-drivers: sdm dm_mod
# I/O errors from below: a mapped device (upper) stacked on another
# (lower) whose table turns to error, by a reload and then by dmsetup
# remove --force of lower while upper holds it open.  Through upper,
# direct and buffered reads, direct writes and the fsync after buffered
# writes fail with EIO, each within a time limit (no hang), and upper
# still suspends and resumes.  Once lower maps the disk again, the data
# written before the errors is there.  Both stay removable.
. /sdm/lib.sh
abi_start 16

# every I/O below gets 60 s: failing must not mean waiting for good
io() {
	timeout -s KILL 60 dd "$@"
}

run dmsetup create lower --table "0 8192 linear /dev/ram0 0" || die "create lower failed"
run dmsetup create upper --table "0 8192 linear /dev/mapper/lower 0" ||
	die "create upper failed"
run io if=/dev/urandom of=/tmp/pattern bs=4096 count=16 2> /dev/null ||
	die "cannot make the pattern"
run io if=/tmp/pattern of=/dev/mapper/upper bs=4096 oflag=direct 2> /dev/null ||
	die "cannot write the pattern"
want=$(md5sum < /tmp/pattern)

# errors_through_upper: every kind of I/O through upper fails with EIO
errors_through_upper() {
	expect_fail_msg "Input/output error" io if=/dev/mapper/upper of=/dev/null bs=4096 count=1 iflag=direct
	expect_fail_msg "Input/output error" io if=/dev/mapper/upper of=/dev/null bs=4096 count=1 skip=3
	expect_fail_msg "Input/output error" io if=/dev/zero of=/dev/mapper/upper bs=4096 count=1 oflag=direct
	expect_fail_msg "Input/output error" io if=/dev/zero of=/dev/mapper/upper bs=4096 count=1 seek=5 conv=fsync
	run timeout -s KILL 60 dmsetup suspend upper || die "upper did not suspend"
	run timeout -s KILL 60 dmsetup resume upper || die "upper did not resume"
}

# the pattern is still there, read from the disk (not the page cache)
pattern_intact() {
	local got
	got=$(io if=/dev/mapper/upper bs=4096 count=16 iflag=direct 2> /dev/null | md5sum)
	expect_eq "$got" "$want" "md5 of what upper reads back $1"
}

echo "== lower reloaded with an error table"
run dmsetup load lower --table "0 8192 error" || die "load of the error table failed"
run dmsetup resume lower || die "resume of lower failed"
errors_through_upper
run dmsetup load lower --table "0 8192 linear /dev/ram0 0" || die "load of linear failed"
run dmsetup resume lower || die "resume of lower failed"
pattern_intact "after the errors"

echo "== lower removed with --force while upper holds it"
expect_fail_msg "Device or resource busy" dmsetup remove --force lower
core_expect_info lower "Open count" 1
errors_through_upper
run dmsetup remove upper || die "remove of upper failed"
run dmsetup remove lower || die "remove of lower failed"
core_expect_no_devices
