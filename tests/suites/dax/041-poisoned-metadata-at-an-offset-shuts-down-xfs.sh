# sdm-drivers: sdm -- memory failures reach the filesystem only through sdm's holder layer
# sdm-timeout: 300
# sdm maps a failure back through the table at any offset: device mo has
# two linear targets, 12 MiB at 64 MiB of slot 4 and 20 MiB at 84 MiB,
# with an XFS of two allocation groups (16 MiB each).  The superblock copy
# at the start of AG 1 (owner XFS_RMAP_OWN_FS in the reverse map) is at
# sector 32768 of mo, 8192 sectors into the second target, at pmem byte
# (slot 4 + 88 MiB): neither offset is zero, and the target's offset on
# pmem differs from its offset in mo.  Poisoning that page by physical
# address must reach that XFS, which shuts down ("Corruption of on-disk
# metadata", hard_offline_page fails with EUCLEAN), while ok, another XFS
# on the same pmem (slot 3, 112..128 MiB, sharing sdm's holder), keeps
# working.  On dm_mod nothing would reach XFS (040).
. /sdm/lib.sh
dax_start
t0=$(dax_slot 4 64)
t1=$(dax_slot 4 84)
len0=$((12 * DAX_MIB))

run dmsetup create mo --table "0 $len0 linear /dev/pmem0 $t0
$len0 $((20 * DAX_MIB)) linear /dev/pmem0 $t1" || die "create mo failed"
run dmsetup create ok --table "0 $((16 * DAX_MIB)) linear /dev/pmem0 $(dax_slot 3 112)" ||
	die "create ok failed"
expect_eq "$(dax_queue mo)" 1 "mo queue/dax"
for d in mo ok; do
	dax_mkfs_xfs /dev/mapper/$d
	dax_mount xfs /dev/mapper/$d /mnt/core-$d
	dax_fs_works /mnt/core-$d || die "$d does not work before the poisoning"
done

ag1=$(dax_xfs_ag_sector /mnt/core-mo 1)
expect_eq "$ag1" 32768 "first sector of AG 1 of the XFS on mo"
pmem=$((t1 + ag1 - len0))
echo "AG 1 superblock: sector $ag1 of mo, sector $((ag1 - len0)) of its second target, pmem sector $pmem"
dax_expect_shutdown $((pmem * 512)) /mnt/core-mo "$(dm_disk mo)"
dax_fs_works /mnt/core-ok || die "ok stopped working"

for d in mo ok; do
	run umount /mnt/core-$d || die "umount $d failed"
	run dmsetup remove $d || die "remove $d failed"
done
core_expect_no_devices
