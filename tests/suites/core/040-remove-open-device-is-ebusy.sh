# sdm-drivers: sdm dm_mod
# An open device cannot be removed (EBUSY, "Device or resource busy");
# dmsetup info counts the opens, the refused remove leaves the device
# live and resumed, and once the last opener closes the remove works.
. /sdm/lib.sh
core_start 16

run dmsetup create busy --table "0 2048 linear /dev/ram0 0" || die "create failed"
disk=$(dm_disk busy)
# shellcheck disable=SC2034 # used by core_cleanup
CORE_CLEANUP='exec 5<&- 6<&-'
exec 5< /dev/mapper/busy || die "cannot open /dev/mapper/busy"
core_expect_info busy "Open count" 1
exec 6< "/dev/$disk" || die "cannot open /dev/$disk"
core_expect_info busy "Open count" 2
expect_eq "$(dmsetup info -c --noheadings -o open busy)" 2 "dmsetup info -c open"

expect_fail_msg "Device or resource busy" dmsetup remove busy
core_expect_info busy State ACTIVE
core_expect_info busy "Tables present" LIVE
core_expect_info busy "Open count" 2
[ -b /dev/mapper/busy ] || die "the refused remove deleted /dev/mapper/busy"
expect_eq "$(dd if=/dev/mapper/busy bs=512 count=8 2> /dev/null | wc -c)" 4096 \
	"bytes read after the refused remove"

exec 5<&-
core_expect_info busy "Open count" 1
expect_fail_msg "Device or resource busy" dmsetup remove busy
exec 6<&-
core_expect_info busy "Open count" 0
run dmsetup remove busy || die "remove after the last close failed"
core_expect_no_devices

echo "a mounted device is busy too"
run modprobe ext4 || die "modprobe ext4 failed"
run dmsetup create busyfs --table "0 32768 linear /dev/ram0 0" || die "create failed"
mkfs.ext4 -q /dev/mapper/busyfs || die "mkfs.ext4 failed"
mkdir -p /mnt/core-busy
run mount -t ext4 /dev/mapper/busyfs /mnt/core-busy || die "mount failed"
core_expect_info busyfs "Open count" 1
expect_fail_msg "Device or resource busy" dmsetup remove busyfs
run umount /mnt/core-busy || die "umount failed"
run dmsetup remove busyfs || die "remove after umount failed"
core_expect_no_devices
