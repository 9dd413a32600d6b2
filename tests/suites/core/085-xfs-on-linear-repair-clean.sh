# sdm-drivers: sdm dm_mod
# mkfs.xfs on a three-segment linear device (320 MiB, out of order over a
# ram disk), mount, write files, umount, mount again and verify them, and
# xfs_repair -n finds the filesystem clean.
. /sdm/lib.sh
core_start 400
run modprobe xfs || die "modprobe xfs failed"

run dmsetup create fsx --table "0 262144 linear /dev/ram0 409600
262144 262144 linear /dev/ram0 2048
524288 131072 linear /dev/ram0 270336" || die "create failed"
run mkfs.xfs -q -f /dev/mapper/fsx || die "mkfs.xfs failed"
mkdir -p /mnt/core-fsx
run mount -t xfs /dev/mapper/fsx /mnt/core-fsx || die "mount failed"
core_fs_files /mnt/core-fsx 10 400000 777
(cd /mnt/core-fsx && md5sum f*) > /tmp/fsx.sums
core_fs_remount xfs /dev/mapper/fsx /mnt/core-fsx /tmp/fsx.sums
run umount /mnt/core-fsx || die "umount failed"
run xfs_repair -n /dev/mapper/fsx || die "xfs_repair -n found problems"
run dmsetup remove fsx || die "remove failed"
core_expect_no_devices
