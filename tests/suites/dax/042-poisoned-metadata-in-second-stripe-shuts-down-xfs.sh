# sdm-drivers: sdm -- memory failures reach the filesystem only through sdm's holder layer
# sdm-timeout: 300
# sdm maps a failure back through a striped target: device ms stripes 64
# KiB chunks over two ranges of pmem (64 and 84 MiB into slot 5), with an
# XFS of two allocation groups of 16 MiB + 64 KiB (mkfs -d agsize), so AG 1
# starts at sector 32896 of ms, chunk 257: the first chunk of the second
# stripe's 129th row, pmem sector (slot 5 + 84 MiB + 128 chunks).  Its
# superblock copy (owner XFS_RMAP_OWN_FS) is poisoned by physical address:
# sdm must find the chunk in the second stripe and forward it, and that
# XFS shuts down ("Corruption of on-disk metadata", hard_offline_page fails
# with EUCLEAN), while ok, another XFS on the same pmem (slot 3, 112..128
# MiB), keeps working.
. /sdm/lib.sh
dax_start
s0=$(dax_slot 5 64)
s1=$(dax_slot 5 84)
chunk=128
agsize=$((16 * 1024 * 1024 + 65536))
len=$((2 * agsize / 512))

run dmsetup create ms --table "0 $len striped 2 $chunk /dev/pmem0 $s0 /dev/pmem0 $s1" ||
	die "create ms failed"
run dmsetup create ok --table "0 $((16 * DAX_MIB)) linear /dev/pmem0 $(dax_slot 3 112)" ||
	die "create ok failed"
expect_eq "$(dax_queue ms)" 1 "ms queue/dax"
dax_mkfs_xfs /dev/mapper/ok
TEST_DIR=/tmp TEST_DEV=/dev/mapper/ms QA_CHECK_FS=xfs \
	run mkfs.xfs -q -f -m rmapbt=1 -d agsize=$agsize /dev/mapper/ms || die "mkfs.xfs ms failed"
for d in ms ok; do
	dax_mount xfs /dev/mapper/$d /mnt/core-$d
	dax_fs_works /mnt/core-$d || die "$d does not work before the poisoning"
done

ag1=$(dax_xfs_ag_sector /mnt/core-ms 1)
expect_eq "$ag1" $((agsize / 512)) "first sector of AG 1 of the XFS on ms"
c=$((ag1 / chunk))
expect_eq $((c % 2)) 1 "stripe of chunk $c (AG 1)"
row=$((c / 2))
pmem=$((s1 + row * chunk + ag1 % chunk))
echo "AG 1 superblock: sector $ag1 of ms, chunk $c (stripe 1, row $row), pmem sector $pmem"
dax_expect_shutdown $((pmem * 512)) /mnt/core-ms "$(dm_disk ms)"
dax_fs_works /mnt/core-ok || die "ok stopped working"

for d in ms ok; do
	run umount /mnt/core-$d || die "umount $d failed"
	run dmsetup remove $d || die "remove $d failed"
done
core_expect_no_devices
