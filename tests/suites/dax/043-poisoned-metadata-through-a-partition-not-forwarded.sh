# sdm-drivers: sdm -- what sdm's holder layer does not forward, on purpose
# sdm-timeout: 300
# sdm registers its holder with the kernel only through a whole disk
# (Documentation/dax.rst, "Who holds the kernel's slot"), so that a
# filesystem on another partition of the pmem keeps DAX.  The price: a
# failure under a mapped device whose devices are partitions reaches
# nobody through sdm, and memory_failure() runs its generic handling, as
# under dm_mod.  Device mp on pmem0p1 (slot 3, 64..80 MiB), XFS on it: its
# superblock poisoned by physical address, hard_offline_page fails with
# EBUSY ("recovery action for dax page: Failed"), no XFS is told, sdm
# never tried to register ("has another holder" would say it did), and
# the filesystem goes on working unaware.  (041 and 042 show the same
# page shutting XFS down when the device maps the whole disk.)
. /sdm/lib.sh
dax_start
# shellcheck disable=SC2034 # used by core_cleanup
CORE_CLEANUP='umount /mnt/core-mp 2> /dev/null; dmsetup remove_all > /dev/null 2>&1; dax_unpartition'
p1=$(dax_slot 3 64)
dax_partitions "$p1" "$(dax_slot 3 80)" $((16 * DAX_MIB))

m=$(kmsg_mark)
run dmsetup create mp --table "0 $((16 * DAX_MIB)) linear /dev/pmem0p1 0" || die "create mp failed"
expect_eq "$(dax_queue mp)" 1 "mp queue/dax"
dax_mkfs_xfs /dev/mapper/mp
dax_mount xfs /dev/mapper/mp /mnt/core-mp
dax_fs_works /mnt/core-mp || die "mp does not work before the poisoning"
if kmsg_since "$m" | grep -q "has another holder"; then
	die "sdm tried to register through a partition"
fi

echo "the primary superblock of the XFS on mp: pmem sector $p1"
dax_expect_unforwarded $((p1 * 512)) /mnt/core-mp

run umount /mnt/core-mp || die "umount failed"
run dmsetup remove mp || die "remove mp failed"
core_expect_no_devices
eval "$CORE_CLEANUP"
[ ! -e /sys/block/pmem0/pmem0p1 ] || die "pmem0p1 is still there"
