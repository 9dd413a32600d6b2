# sdm-drivers: sdm dm_mod
# mkfs.ext4 on a two-segment linear device over two ram disks, mount,
# write files, umount, mount again and verify them, and e2fsck -fn finds
# the filesystem clean.
. /sdm/lib.sh
core_start 64 2
run modprobe ext4 || die "modprobe ext4 failed"

run dmsetup create fs4 --table "0 65536 linear /dev/ram1 32768
65536 65536 linear /dev/ram0 0" || die "create failed"
run mkfs.ext4 -q -F /dev/mapper/fs4 || die "mkfs.ext4 failed"
mkdir -p /mnt/core-fs4
run mount -t ext4 /dev/mapper/fs4 /mnt/core-fs4 || die "mount failed"
core_fs_files /mnt/core-fs4 12 300000 1234
mkdir -p /mnt/core-fs4/dir/sub
cp /mnt/core-fs4/f11 /mnt/core-fs4/dir/sub/copy
(cd /mnt/core-fs4 && md5sum f* dir/sub/copy) > /tmp/fs4.sums
sync
core_expect_info fs4 "Open count" 1
core_fs_remount ext4 /dev/mapper/fs4 /mnt/core-fs4 /tmp/fs4.sums
used=$(df -k /mnt/core-fs4 | awk 'NR == 2 { print $3 }')
[ "$used" -gt 20000 ] || die "only $used KiB used: the files did not land on the device"
run umount /mnt/core-fs4 || die "umount failed"
run e2fsck -fn /dev/mapper/fs4 || die "e2fsck -fn found problems"
run dmsetup remove fs4 || die "remove failed"
core_expect_no_devices
