# dmsetup wait NAME [EVENT_NR] (DEV_WAIT) returns at once when the device's
# event number differs from EVENT_NR (default 0) and otherwise blocks until
# the next dm event: a rename, an I/O error on a striped leg (one event per
# failed I/O), or the removal of the device, which a waiter does not
# prevent.  Suspend, resume, load, clear and a table swap are not events.
# A missing device is ENXIO.
. /sdm/lib.sh
abi_start 16
# shellcheck disable=SC2034 # used by core_cleanup
CORE_CLEANUP='rm -f /dev/mapper/w /dev/mapper/w2'

expect_fail_msg "No such device or address" dmsetup wait nosuch

run dmsetup create w --table "0 2048 linear /dev/ram0 0" || die "create failed"
run timeout 10 dmsetup wait w 5 || die "wait for another event number blocked or failed"
echo "wait for the current event number (0) blocks"
dmsetup wait w &
waiter=$!
sleep 1
kill -0 $waiter 2> /dev/null || die "dmsetup wait w returned at once"
run dmsetup suspend w || die "suspend failed"
run dmsetup resume w || die "resume failed"
run dmsetup reload w --table "0 2048 linear /dev/ram0 8" || die "reload failed"
run dmsetup clear w || die "clear failed"
# a table swap before the rename: upstream's IMA code (Debian's kernel)
# double-frees after clear + rename, see dm_abi_ioctl.c
run dmsetup reload w --table "0 2048 linear /dev/ram0 16" || die "reload failed"
run dmsetup resume w || die "resume with the new table failed"
sleep 0.5
kill -0 $waiter 2> /dev/null || die "suspend, resume, load, clear or a table swap woke the waiter"
run dmsetup rename w w2 || die "rename failed"
core_expect_completes $waiter "dmsetup wait woken by a rename"
core_expect_info w2 "Event number" 1
run timeout 10 dmsetup wait w2 || die "wait for event 0 after an event blocked"
expect_eq "$(timeout 10 dmsetup wait -v w2 0 | sed -n 's/^Event number: *//p')" 1 \
	"event number printed by wait -v"

echo "the removal wakes a waiter and is not held up by it"
dmsetup wait w2 1 &
waiter=$!
sleep 1
kill -0 $waiter 2> /dev/null || die "dmsetup wait w2 1 returned at once"
run dmsetup remove w2 || die "remove with a waiter failed"
core_expect_completes $waiter "dmsetup wait woken by the removal"

echo "an I/O error on a striped leg is an event"
run dmsetup create bad --table "0 2048 error" || die "create error failed"
run dmsetup create st --table "0 2048 striped 2 8 /dev/ram0 0 /dev/mapper/bad 0" ||
	die "create striped failed"
expect_eq "$(dmsetup status st)" "0 2048 striped 2 1:0 $(dm_block_majors):$(abi_minor bad) 1 AA" \
	"status before the error"
dmsetup wait st 0 &
waiter=$!
sleep 1
kill -0 $waiter 2> /dev/null || die "dmsetup wait st returned at once"
# chunk 1 (sectors 8-15) is on the error leg
expect_fail_msg "Input/output error" dd if=/dev/mapper/st of=/dev/null bs=4096 count=1 skip=1 iflag=direct
core_expect_completes $waiter "dmsetup wait woken by a striped I/O error"
core_expect_info st "Event number" 1
expect_eq "$(dmsetup status st)" "0 2048 striped 2 1:0 $(dm_block_majors):$(abi_minor bad) 1 AD" \
	"status after the error"
# reads on the good leg are no event
run dd if=/dev/mapper/st of=/dev/null bs=4096 count=1 iflag=direct || die "read of chunk 0 failed"
core_expect_info st "Event number" 1
run dmsetup remove st bad || die "remove failed"
core_expect_no_devices
