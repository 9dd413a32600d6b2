# sdm-kernels: debug -- failslab is built into the debug kernel only
# sdm-drivers: sdm -- sdm's own unwinding; dm_mod allocates differently
# Each command that changes a device, and I/O through one, with its 1st,
# 2nd, ... slab allocation failing in turn (fail-nth on the calling task,
# sleeping allocations included) until it runs without reaching the
# failure: create, a second load, a first resume, a resume that swaps
# tables, suspend, rename, a message, clear and remove must each succeed
# or give ENOMEM and leave the device as it was before or as the command
# leaves it, a failed resume must work when retried, and every device
# stays removable (tests/prog/dm_abi_ioctl.c, failing()).  O_DIRECT writes
# and reads split between two targets must complete with the right data
# or fail with EIO or ENOMEM, never hang.  The first load, which adds the
# disk, is core/098's; the flush fan-out core/097's.
. /sdm/lib.sh
core_start 4
core_fail_nth_setup

out=$(dm_abi_ioctl --failing all) || die "a command with a failing allocation broke a rule: $out"
echo "$out"
# the unwinding ran: failures made create, load, rename and the message fail
for cmd in create load rename message; do
	grep -Eq "^measured: $cmd: [0-9]+ allocations failed in turn, [1-9][0-9]* of them failed" <<< "$out" ||
		die "no failing allocation made $cmd fail"
done
run dm_abi_ioctl --io-failing || die "I/O with a failing allocation broke a rule"
echo Y > "$FS/ignore-gfp-wait"
core_expect_no_devices
