# sdm-drivers: sdm dm_mod
# dmsetup remove --deferred of an open device succeeds, dmsetup info shows
# "(DEFERRED REMOVE)", a plain remove is still EBUSY, new opens still work,
# and the kernel removes the device after the last close (libdm does not
# know: the /dev/mapper node stays behind, a stale node).
# @cancel_deferred_remove keeps it.  remove_all --deferred defers the open
# devices and removes the closed ones.  A closed device goes at once.
. /sdm/lib.sh
abi_start 16
# shellcheck disable=SC2034 # used by core_cleanup
CORE_CLEANUP='exec 5<&- 6<&-; rm -f /dev/mapper/d /dev/mapper/keep'

# stale_node NAME: /dev/mapper/NAME is a leftover of a device the kernel
# removed by itself; remove it
stale_node() {
	[ -b "/dev/mapper/$1" ] || die "/dev/mapper/$1: expected a stale node"
	dmsetup info "$1" 2>&1 | grep -q "Device does not exist." || die "$1 still exists"
	rm -f "/dev/mapper/$1"
}

run dmsetup create d --table "0 2048 linear /dev/ram0 0" || die "create failed"
disk=$(dm_disk d)
exec 5< /dev/mapper/d || die "cannot open d"
run dmsetup remove --deferred d || die "remove --deferred of an open device failed"
core_expect_info d State "ACTIVE (DEFERRED REMOVE)"
core_expect_info d "Open count" 1
expect_fail_msg "Device or resource busy" dmsetup remove d
run dmsetup remove --deferred d || die "a second remove --deferred failed"
run dmsetup suspend d || die "suspend failed"
core_expect_info d State "SUSPENDED (DEFERRED REMOVE)"
run dmsetup resume d || die "resume failed"
exec 6< /dev/mapper/d || die "a new open of a device pending removal failed"
core_expect_info d "Open count" 2
exec 5<&-
sleep 0.5
core_expect_info d State "ACTIVE (DEFERRED REMOVE)"
exec 6<&-
abi_wait_gone d
[ ! -e "/sys/block/$disk" ] || die "$disk survived the deferred removal"
stale_node d
core_expect_no_devices

echo "cancelled"
run dmsetup create d --table "0 2048 linear /dev/ram0 0" || die "create failed"
exec 5< /dev/mapper/d || die "cannot open d"
run dmsetup remove --deferred d || die "remove --deferred failed"
run dmsetup message d 0 @cancel_deferred_remove || die "@cancel_deferred_remove failed"
core_expect_info d State ACTIVE
run dmsetup message d 0 @cancel_deferred_remove || die "a second @cancel_deferred_remove failed"
exec 5<&-
sleep 0.5
core_expect_info d State ACTIVE
run dmsetup remove d || die "remove failed"

echo "a closed device is removed at once"
run dmsetup create d --table "0 2048 linear /dev/ram0 0" || die "create failed"
run dmsetup create --notable nt || die "create --notable failed"
run dmsetup remove --deferred d || die "remove --deferred failed"
run dmsetup remove --deferred nt || die "remove --deferred of nt failed"
core_expect_no_devices

echo "remove_all --deferred"
run dmsetup create keep --table "0 2048 linear /dev/ram0 0" || die "create failed"
run dmsetup create gone --table "0 2048 linear /dev/ram0 2048" || die "create failed"
exec 5< /dev/mapper/keep || die "cannot open keep"
run dmsetup remove_all --deferred || die "remove_all --deferred failed"
expect_eq "$(dmsetup ls | cut -f1)" keep "devices after remove_all --deferred"
core_expect_info keep State "ACTIVE (DEFERRED REMOVE)"
exec 5<&-
abi_wait_gone keep
stale_node keep
core_expect_no_devices
