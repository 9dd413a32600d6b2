# sdm-kernels: stock -- the debug kernel has no virtio-pmem driver
# sdm-drivers: sdm dm_mod
# MAP_SYNC (mmap of a DAX file whose page faults make its metadata
# durable, so stores need no fsync) is offered by a mapped device whose
# devices are all synchronous pmem, and the kernel cannot take it back
# from a dax_device.  The guest's virtio-pmem is DAX but asynchronous (a
# flush goes to the host).  A device that starts on pmem0 offers MAP_SYNC
# (xfs_io mmap -S); sdm then refuses a reload onto the virtio-pmem
# (EINVAL, its message), while dm_mod takes it and goes on offering
# MAP_SYNC over pmem that cannot honour it.  A device that starts on the
# virtio-pmem offers no MAP_SYNC on sdm, even with a dax_device that 6.12
# recycled from a removed device with MAP_SYNC (dm_mod then offers it:
# printed, not checked, as it depends on the slab), and may move to pmem0
# (both drivers).  The same recycling could make the virtio-pmem itself
# synchronous, so the runner probes it at boot (tests/vm/runner.sh) and
# this test first checks that it offers no MAP_SYNC.
. /sdm/lib.sh
dax_start
# loaded at boot by the runner; the PCI transport is built in on 6.12, a
# module on 6.1
module_loaded virtio_pmem || die "virtio_pmem was not loaded at boot"
vp=
for _ in $(seq 50); do
	for b in /sys/block/pmem*; do
		[ -e "$b/device" ] || continue
		case "$(readlink -f "$b/device")" in
		*virtio*) vp=/dev/${b##*/} ;;
		esac
	done
	[ -n "$vp" ] && [ -b "$vp" ] && break
	sleep 0.2
done
[ -n "$vp" ] || die "no pmem device of virtio-pmem appeared"
echo "virtio-pmem is $vp"
expect_eq "$(cat "/sys/block/${vp#/dev/}/queue/dax")" 1 "$vp queue/dax"
if [ "$(dm_driver)" = sdm ]; then
	refused=1
else
	refused=0
fi
# shellcheck disable=SC2034 # used by core_cleanup
CORE_CLEANUP="umount /mnt/core-sync 2> /dev/null"
pm_table="0 32768 linear /dev/pmem0 $(($(dax_slot 7) + 65536))"
vp_table="0 32768 linear $vp 0"

# map_sync DEV: can a file on XFS -o dax over DEV be mapped with MAP_SYNC?
map_sync() {
	dax_mkfs_xfs "$1" >&2
	dax_mount xfs "$1" /mnt/core-sync >&2
	xfs_io -f -c "truncate 64k" /mnt/core-sync/f > /dev/null || die "cannot size the file"
	# xfs_io reports a failed mmap but exits 0
	xfs_io -c "mmap -S -w 0 64k" -c "mwrite 0 4k" /mnt/core-sync/f > /tmp/sync.out 2>&1
	if grep -q "Operation not supported" /tmp/sync.out; then
		echo no
	elif [ -s /tmp/sync.out ]; then
		die "mmap -S failed otherwise: $(cat /tmp/sync.out)"
	else
		echo yes
	fi
	run umount /mnt/core-sync >&2 || die "umount failed"
}

expect_eq "$(map_sync "$vp")" no "MAP_SYNC on $vp itself"
run dmsetup create sy --table "$pm_table" || die "create sy failed"
expect_eq "$(map_sync /dev/mapper/sy)" yes "MAP_SYNC on pmem0"
m=$(kmsg_mark)
if [ $refused = 1 ]; then
	expect_fail_msg "Invalid argument" dmsetup reload sy --table "$vp_table"
	kmsg_since "$m" | grep -qF "cannot give a MAP_SYNC device a table without synchronous DAX" ||
		die "no kernel message for the refused reload"
	core_expect_info sy "Tables present" LIVE
else
	run dmsetup reload sy --table "$vp_table" || die "dm_mod refused the reload"
	run dmsetup resume sy || die "resume failed"
	expect_eq "$(map_sync /dev/mapper/sy)" yes "dm_mod: MAP_SYNC over virtio-pmem"
	echo "dm_mod offers MAP_SYNC over asynchronous pmem after the reload"
fi
run dmsetup remove sy || die "remove sy failed"

# dax_devices of removed devices go back to the slab with their flags, and
# alloc_dax() hands them out again with MAP_SYNC still set: 300 devices
# over pmem0, each with a MAP_SYNC dax_device, created and removed (sdm
# once gave up after setting aside 16 such, EBUSY, as the whole suite on
# RT found)
run dm_bench control 300 /dev/pmem0 > /dev/null || die "dm_bench control failed"
sleep 1

run dmsetup create sa --table "$vp_table" || die "create sa failed"
got=$(map_sync /dev/mapper/sa)
if [ $refused = 1 ]; then
	expect_eq "$got" no "MAP_SYNC on virtio-pmem"
else
	echo "dm_mod on virtio-pmem offers MAP_SYNC: $got (yes when its dax_device was recycled)"
fi
run dmsetup suspend sa || die "suspend sa failed"
run dmsetup reload sa --table "$pm_table" || die "reload of sa onto pmem0 failed"
run dmsetup resume sa || die "resume sa failed"
expect_eq "$(map_sync /dev/mapper/sa)" yes "MAP_SYNC after moving to pmem0"
run dmsetup remove sa || die "remove sa failed"
core_expect_no_devices
