# sdm-drivers: sdm -- needs sdm_test_targets.ko (its sdmhold target), which registers with sdm
# A removal waits for the device's other holders, and a holder may never
# let go: here a DM_TARGET_MSG to the test target sdmhold, which sleeps
# until its caller gets a signal.  The waiting `dmsetup remove` must die
# on SIGKILL, and leave the device as it was: listed, openable, and
# removable once the holder is gone.  While the removal waits the device
# is gone for lookups (as dm_mod's, which unlinks it at once).
. /sdm/lib.sh
core_start
# shellcheck disable=SC2034 # used by core_cleanup
CORE_CLEANUP='dmsetup remove_all > /dev/null 2>&1; rmmod sdm_test_targets 2> /dev/null'
test_targets_load hold=1 || die "cannot load the test targets"
run dmsetup create held --table "0 8 sdmhold" || die "create failed"

# state PID: the scheduler state of a process (R, S, D, Z), or "gone"
state() {
	local s
	s=$(abi_state "$1")
	echo "${s:-gone}"
}

# wait_state PID STATES SECONDS: until the state of PID is one of STATES
wait_state() {
	local _
	for _ in $(seq $(($3 * 10))); do
		case " $2 " in
		*" $(state "$1") "*) return 0 ;;
		esac
		sleep 0.1
	done
	return 1
}

dmsetup message held 0 hold 2> /dev/null &
holder=$!
wait_state "$holder" S 10 || die "the hold message is not sleeping ($(state "$holder"))"
sleep 0.5
[ "$(state "$holder")" = S ] || die "the hold message ended ($(state "$holder"))"

dmsetup remove held 2> /tmp/remove.err &
remover=$!
wait_state "$remover" D 10 || die "the removal did not wait for the holder ($(state "$remover"))"
expect_fail_msg "Device does not exist." dmsetup info held
expect_eq "$(dmsetup ls)" "No devices found" "dmsetup ls while the removal waits"

kill -KILL "$remover"
wait_state "$remover" "Z gone" 5 ||
	die "the waiting removal did not die on SIGKILL ($(state "$remover"))"
wait "$remover" 2> /dev/null && die "the killed removal succeeded"

core_expect_info held State ACTIVE
expect_eq "$(blockdev --getsz /dev/mapper/held)" 8 "size through a new open"
expect_eq "$(dmsetup ls | cut -f1)" "held" "dmsetup ls after the killed removal"

kill "$holder"
wait "$holder" && die "the hold message succeeded"
run dmsetup remove held || die "remove after the holder let go failed"
core_expect_no_devices
run rmmod sdm_test_targets || die "rmmod sdm_test_targets failed"
core_unload_clean
