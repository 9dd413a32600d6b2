# sdm-drivers: sdm dm_mod
# sdm-timeout: 300
# The partitions of a pmem share its dax_device, and the kernel lets one
# holder register on a dax_device.  XFS mounted with -o dax=always on one
# partition registers as that holder, and without it runs without DAX
# ("Turning off DAX").  A mapped device on the other partition must not
# take that from it, whichever comes first: sdm registers as holder only
# through a whole disk, never through a partition (dm_mod never does).
. /sdm/lib.sh
dax_start
# shellcheck disable=SC2034 # used by core_cleanup
CORE_CLEANUP='umount /mnt/core-sib 2> /dev/null; dmsetup remove_all > /dev/null 2>&1; dax_unpartition'
dax_partitions "$(dax_slot 1)" "$(dax_slot 2)"
# XFS refuses DAX on a partition with reflink ("DAX and reflink cannot
# work with multi-partitions")
dax_mkfs_xfs /dev/pmem0p2 reflink=0

# sibling_is_dax SINCE: XFS on pmem0p2 is mounted with DAX and said
# nothing of turning it off since the kernel log mark SINCE
sibling_is_dax() {
	grep -q "^/dev/pmem0p2 /mnt/core-sib xfs .*dax=always" /proc/mounts ||
		die "XFS on pmem0p2 is not mounted with dax=always: $(grep core-sib /proc/mounts)"
	if kmsg_since "$1" | grep -q "Turning off DAX"; then
		die "XFS on pmem0p2 turned DAX off"
	fi
	if ! { echo dax > /mnt/core-sib/f && sync -f /mnt/core-sib/f &&
		[ "$(cat /mnt/core-sib/f)" = dax ]; }; then
		die "XFS on pmem0p2 does not work"
	fi
}

echo "the mapped device on pmem0p1 first, then XFS on pmem0p2"
m=$(kmsg_mark)
run dmsetup create sib --table "0 65536 linear /dev/pmem0p1 0" || die "create failed"
expect_eq "$(dax_queue sib)" 1 "sib queue/dax"
dax_mount xfs /dev/pmem0p2 /mnt/core-sib
sibling_is_dax "$m"
run umount /mnt/core-sib || die "umount failed"
run dmsetup remove sib || die "remove failed"

echo "XFS on pmem0p2 first, then the mapped device on pmem0p1"
m=$(kmsg_mark)
dax_mount xfs /dev/pmem0p2 /mnt/core-sib
run dmsetup create sib --table "0 65536 linear /dev/pmem0p1 0" || die "create failed"
expect_eq "$(dax_queue sib)" 1 "sib queue/dax"
if kmsg_since "$m" | grep -q "has another holder"; then
	die "the mapped device tried to register through a partition"
fi
run dmsetup remove sib || die "remove failed"
sibling_is_dax "$m"
run umount /mnt/core-sib || die "umount failed"

core_expect_no_devices
eval "$CORE_CLEANUP"
[ ! -e /sys/block/pmem0/pmem0p1 ] || die "pmem0p1 is still there"
