# sdm-drivers: sdm dm_mod
# dmsetup wait NAME [EVENT_NR] (DEV_WAIT) returns at once when the device's
# event number differs from EVENT_NR (default 0) and otherwise blocks until
# the next dm event: a rename, an I/O error on a striped leg (one event per
# failed I/O), or the removal of the device, which a waiter does not
# prevent.  Suspend, resume, load, clear, a table swap and I/O that does
# not fail are not events.  A missing device is ENXIO.
# Each waiter is seen asleep in the DEV_WAIT ioctl (/proc/PID/syscall)
# before anything happens, is still there after each thing that is not an
# event (and a second later), and returns after the event, reporting the
# new event number (dmsetup wait -v): a wait that returned at once, or
# that something else woke, fails.
. /sdm/lib.sh
abi_start 16
# shellcheck disable=SC2034 # used by core_cleanup
CORE_CLEANUP='rm -f /dev/mapper/w /dev/mapper/w2'
out=/tmp/abi-wait.out

expect_fail_msg "No such device or address" dmsetup wait nosuch

run dmsetup create w --table "0 2048 linear /dev/ram0 0" || die "create failed"
run timeout 60 dmsetup wait w 5 || die "wait for another event number blocked or failed"
echo "wait for the current event number (0) blocks"
dmsetup wait -v w > $out 2>&1 &
waiter=$!
abi_expect_waiting $waiter "dmsetup wait w"
run dmsetup suspend w || die "suspend failed"
abi_expect_still_waiting "suspend"
run dmsetup resume w || die "resume failed"
abi_expect_still_waiting "resume"
run dmsetup reload w --table "0 2048 linear /dev/ram0 8" || die "reload failed"
abi_expect_still_waiting "load"
run dmsetup clear w || die "clear failed"
abi_expect_still_waiting "clear"
# a table swap before the rename: upstream's IMA code (Debian's kernel)
# double-frees after clear + rename, see dm_abi_ioctl.c
run dmsetup reload w --table "0 2048 linear /dev/ram0 16" || die "reload failed"
run dmsetup resume w || die "resume with the new table failed"
abi_expect_still_waiting "a table swap"
abi_expect_stays_waiting "suspend, resume, load, clear and a table swap" 1
core_expect_info w "Event number" 0
run dmsetup rename w w2 || die "rename failed"
abi_expect_released $waiter "dmsetup wait w, woken by a rename" $out 1
core_expect_info w2 "Event number" 1
run timeout 60 dmsetup wait w2 || die "wait for event 0 after an event blocked"
expect_eq "$(timeout 60 dmsetup wait -v w2 0 | sed -n 's/^Event number: *//p')" 1 \
	"event number printed by wait -v"

echo "the removal wakes a waiter and is not held up by it"
dmsetup wait -v w2 1 > $out 2>&1 &
waiter=$!
abi_expect_waiting $waiter "dmsetup wait w2 1"
run dmsetup suspend w2 || die "suspend failed"
abi_expect_still_waiting "suspend"
run dmsetup resume w2 || die "resume failed"
abi_expect_stays_waiting "suspend and resume" 1
run dmsetup remove w2 || die "remove with a waiter failed"
abi_expect_released $waiter "dmsetup wait w2 1, woken by the removal" $out 2

echo "an I/O error on a striped leg is an event"
run dmsetup create bad --table "0 2048 error" || die "create error failed"
run dmsetup create st --table "0 2048 striped 2 8 /dev/ram0 0 /dev/mapper/bad 0" ||
	die "create striped failed"
expect_eq "$(dmsetup status st)" "0 2048 striped 2 1:0 $(dm_block_majors):$(dm_minor bad) 1 AA" \
	"status before the error"
dmsetup wait -v st 0 > $out 2>&1 &
waiter=$!
abi_expect_waiting $waiter "dmsetup wait st 0"
# reads on the good leg (chunk 0) are no event
run dd if=/dev/mapper/st of=/dev/null bs=4096 count=1 iflag=direct || die "read of chunk 0 failed"
abi_expect_stays_waiting "a read on the good leg" 1
core_expect_info st "Event number" 0
# chunk 1 (sectors 8-15) is on the error leg
expect_fail_msg "Input/output error" dd if=/dev/mapper/st of=/dev/null bs=4096 count=1 skip=1 iflag=direct
abi_expect_released $waiter "dmsetup wait st 0, woken by a striped I/O error" $out 1
core_expect_info st "Event number" 1
expect_eq "$(dmsetup status st)" "0 2048 striped 2 1:0 $(dm_block_majors):$(dm_minor bad) 1 AD" \
	"status after the error"
# nor after it
run dd if=/dev/mapper/st of=/dev/null bs=4096 count=1 iflag=direct || die "read of chunk 0 failed"
core_expect_info st "Event number" 1
run dmsetup remove st bad || die "remove failed"
core_expect_no_devices
