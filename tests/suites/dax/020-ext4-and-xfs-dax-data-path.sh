# sdm-drivers: sdm dm_mod
# sdm-timeout: 600
# ext4 and XFS mount with -o dax=always on sdm over pmem, through both
# partition offsets (pmem0p1 is slot 1, pmem0p2 slot 2; a whole disk cannot
# be claimed while a partition of it is, so no table here maps pmem0
# itself) and target offsets (two linear targets each): files report the DAX attribute, stores through
# shared mappings, write(), msync and fsync land at the pmem bytes the
# table and FIEMAP predict (read back raw with O_DIRECT), and read() and a
# fresh mapping see them.  Both filesystems check clean afterwards.
. /sdm/lib.sh
dax_start
p1=$(dax_slot 1)
p2=$(dax_slot 2)
# shellcheck disable=SC2034 # used by core_cleanup
CORE_CLEANUP='dax_unpartition'

echo "an MBR with two partitions: slots 1 and 2 of pmem0"
dax_partitions "$p1" "$p2"

echo "ext4: target 0 on pmem0p1 at 8 sectors, target 1 on pmem0p2 at 16"
run dmsetup create d4 --table "0 65536 linear /dev/pmem0p1 8
65536 65536 linear /dev/pmem0p2 16" || die "create d4 failed"
expect_eq "$(dax_queue d4)" 1 "d4 queue/dax"
run mkfs.ext4 -q -b 4096 /dev/mapper/d4 || die "mkfs.ext4 failed"
dax_mount ext4 /dev/mapper/d4 /mnt/core-d4
map4="0+65536@$(((p1 + 8) * 512)),65536+65536@$(((p2 + 16) * 512))"
for i in 1 2 3 4; do
	mkdir -p /mnt/core-d4/dir$i
	run dax_file data /mnt/core-d4/dir$i/f /dev/pmem0 "$map4" || die "ext4 file $i"
done

echo "xfs: target 0 on pmem0p1 at 64 MiB, target 1 on pmem0p2 at 64 MiB"
run dmsetup create dx --table "0 131072 linear /dev/pmem0p1 131072
131072 131072 linear /dev/pmem0p2 131072" || die "create dx failed"
expect_eq "$(dax_queue dx)" 1 "dx queue/dax"
dax_mkfs_xfs /dev/mapper/dx
dax_mount xfs /dev/mapper/dx /mnt/core-dx
mapx="0+131072@$(((p1 + 131072) * 512)),131072+131072@$(((p2 + 131072) * 512))"
for i in 1 2 3 4 5 6 7 8; do
	mkdir -p /mnt/core-dx/dir$i
	run dax_file data /mnt/core-dx/dir$i/f /dev/pmem0 "$mapx" || die "xfs file $i"
done

grep -q "/mnt/core-d4 ext4 .*dax=always" /proc/mounts || die "ext4 is not mounted with dax=always"
grep -q "/mnt/core-dx xfs .*dax=always" /proc/mounts || die "xfs is not mounted with dax=always"
run umount /mnt/core-d4 || die "umount d4 failed"
run umount /mnt/core-dx || die "umount dx failed"
run e2fsck -fn /dev/mapper/d4 || die "e2fsck found problems"
run xfs_repair -n /dev/mapper/dx || die "xfs_repair -n found problems"
run dmsetup remove d4 || die "remove d4 failed"
run dmsetup remove dx || die "remove dx failed"
core_expect_no_devices
eval "$CORE_CLEANUP"
[ ! -e /sys/block/pmem0/pmem0p1 ] || die "pmem0p1 is still there"
