# sdm-drivers: sdm dm_mod
# sdm-timeout: 400
# The common LVM life of a filesystem: ext4 on a linear LV, files written,
# lvextend while mounted (LVM suspends the mounted device, reloads and
# resumes it), the mounted device grows, the filesystem stays clean, and
# after -an/-ay the files are still there.
. /sdm/lib.sh
lvm_start 32
run modprobe ext4 || die "modprobe ext4 failed"
lvm_vg
dm="$LVM_VG-fs"

run lvcreate -q -L 16M -n fs "$LVM_VG" /dev/ram0 || die "lvcreate failed"
run mkfs.ext4 -q "/dev/$LVM_VG/fs" || die "mkfs.ext4 failed"
mkdir -p /mnt/lvm
run mount "/dev/$LVM_VG/fs" /mnt/lvm || die "mount failed"
core_random /tmp/fs.data 2048
cp /tmp/fs.data /mnt/lvm/data || die "cp failed"
echo "written before lvextend" > /mnt/lvm/note
core_expect_info "$dm" "Open count" 1

run lvextend -q -L +16M "$LVM_VG/fs" /dev/ram1 || die "lvextend of a mounted LV failed"
core_expect_info "$dm" State ACTIVE
expect_eq "$(blockdev --getsz "/dev/$LVM_VG/fs")" 65536 "sectors of the mounted LV"
echo "written after lvextend" >> /mnt/lvm/note
run umount /mnt/lvm || die "umount failed"
run e2fsck -fn "/dev/$LVM_VG/fs" || die "the filesystem is not clean"

run lvchange -q -an "$LVM_VG/fs" || die "lvchange -an failed"
lvm_expect_inactive fs
run lvchange -q -ay "$LVM_VG/fs" || die "lvchange -ay failed"
run mount -o ro "/dev/$LVM_VG/fs" /mnt/lvm || die "mount after -ay failed"
cmp -s /tmp/fs.data /mnt/lvm/data || die "the file changed"
expect_eq "$(cat /mnt/lvm/note)" "written before lvextend
written after lvextend" "the note"
run umount /mnt/lvm || die "umount failed"
run lvremove -q -y "$LVM_VG/fs" || die "lvremove failed"
lvm_teardown
