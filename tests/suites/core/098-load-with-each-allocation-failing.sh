# sdm-kernels: debug -- failslab is built into the debug kernel only
# sdm-drivers: sdm -- sdm's own unwinding; dm_mod allocates differently
# The first table load of a device adds its disk, then makes the holder
# links and dm/.  Every slab allocation of that load is made to fail in
# turn (fail-nth, sleeping allocations included): each load must fail
# with ENOMEM (add_disk() turns one into EINVAL) and leave the device
# either fully there (disk, dm/name and the holder link to ram0) or with
# no disk at all.  A device whose failure came in add_disk() or after it
# has lost its disk for good: a later load gives ENXIO.  Every device
# stays removable.  Some failures must come after add_disk(), or the
# unwinding was not tested.
. /sdm/lib.sh
core_start 4
core_fail_nth_setup

m=$(kmsg_mark)
out=$(dm_abi_ioctl --load-failing /dev/ram0) || die "a load with a failing allocation broke a rule"
echo "$out"
echo Y > "$FS/ignore-gfp-wait"
lost=$(sed -n 's/.* \([0-9]*\) of them left the device without a disk$/\1/p' <<< "$out")
[ "${lost:-0}" -ge 1 ] || die "no failure came after add_disk(): the unwinding was not exercised"
kmsg_since "$m" | grep -m 2 "cannot set up the disk" ||
	die "sdm did not say why the disk was deleted"
core_expect_no_devices
