# sdm-drivers: sdm dm_mod
# dmsetup message (TARGET_MSG): "@cancel_deferred_remove" succeeds with or
# without a pending deferred removal (also without a table, at any sector,
# in any case) and is EINVAL with an argument; a message to a target that
# takes none (linear, zero, error, striped), at a sector beyond the device,
# to a device without a table, an unknown "@" message and an empty one are
# EINVAL; an unknown device is ENXIO.
. /sdm/lib.sh
abi_start 16

run dmsetup create m --table "0 2048 linear /dev/ram0 0
2048 2048 zero
4096 2048 error
6144 2048 striped 2 8 /dev/ram0 4096 /dev/ram0 8192" || die "create failed"
run dmsetup create nt --notable || die "create --notable failed"

run dmsetup message m 0 @cancel_deferred_remove || die "@cancel_deferred_remove failed"
run dmsetup message m 8192 @cancel_deferred_remove || die "@cancel_deferred_remove beyond the end failed"
run dmsetup message m 0 @CANCEL_Deferred_Remove || die "@CANCEL_Deferred_Remove failed"
run dmsetup message nt 0 @cancel_deferred_remove || die "@cancel_deferred_remove without a table failed"
expect_fail_msg "Invalid argument" dmsetup message m 0 @cancel_deferred_remove now
for sector in 0 2048 4096 6144 8191; do
	expect_fail_msg "Invalid argument" dmsetup message m "$sector" hello
done
expect_fail_msg "Invalid argument" dmsetup message m 8192 hello
expect_fail_msg "Invalid argument" dmsetup message nt 0 hello
expect_fail_msg "Invalid argument" dmsetup message m 0 @nosuch
expect_fail_msg "Invalid argument" dmsetup message m 0 ""
expect_fail_msg "No such device or address" dmsetup message nosuch 0 hello
expect_fail_msg "No such device or address" dmsetup message nosuch 0 @cancel_deferred_remove
core_expect_info m State ACTIVE
core_expect_info m "Event number" 0
run dmsetup remove m nt || die "remove failed"
core_expect_no_devices
