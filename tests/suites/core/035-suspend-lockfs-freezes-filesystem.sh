# sdm-drivers: sdm dm_mod
# sdm-timeout: 300
# Suspend freezes the filesystem on top by default (lockfs): the freeze
# writes back dirty data before I/O stops (a file written just before is
# on the disk while the device is suspended), and writes to the filesystem
# wait for the resume.  --nolockfs and --noflush do not freeze: writes into
# the page cache go on while the device is suspended, and only write-back
# (sync) waits for the resume.  The filesystem is clean afterwards.
. /sdm/lib.sh
core_start 16
run modprobe ext4 || die "modprobe ext4 failed"
# shellcheck disable=SC2034 # used by core_cleanup
CORE_CLEANUP='dmsetup resume fz > /dev/null 2>&1'

# on_disk TOKEN: how many times TOKEN is on the RAM disk itself
on_disk() {
	dd if=/dev/ram0 bs=1M iflag=direct 2> /dev/null | grep -a -c "$1"
}

run dmsetup create fz --table "0 32768 linear /dev/ram0 0" || die "create failed"
run mkfs.ext4 -q /dev/mapper/fz || die "mkfs failed"
mkdir -p /mnt/core
run mount /dev/mapper/fz /mnt/core || die "mount failed"
echo start > /mnt/core/log
run sync

echo "default suspend: the filesystem is frozen"
echo "token-written-before-lockfs-suspend" > /mnt/core/before-lockfs
run dmsetup suspend fz || die "suspend failed"
core_expect_info fz State SUSPENDED
expect_eq "$(cat "/sys/block/$(dm_disk fz)/dm/suspended")" 1 "dm/suspended"
expect_eq "$(on_disk token-written-before-lockfs-suspend)" 1 \
	"copies of the file the freeze wrote back"
echo "appended while frozen" >> /mnt/core/log &
writer=$!
core_expect_blocked $writer "a write to the frozen filesystem"
run dmsetup resume fz || die "resume failed"
wait $writer || die "the write failed after resume"

for flag in --nolockfs --noflush; do
	echo "suspend $flag: the filesystem is not frozen, its I/O waits"
	run sync
	run dmsetup suspend $flag fz || die "suspend $flag failed"
	core_expect_info fz State SUSPENDED
	echo "appended while suspended $flag" >> /mnt/core/log &
	writer=$!
	core_expect_completes $writer "a write into the page cache while suspended $flag"
	sync &
	syncer=$!
	core_expect_blocked $syncer "sync while suspended $flag"
	run dmsetup resume fz || die "resume failed"
	wait $syncer || die "sync failed after resume"
	expect_eq "$(on_disk "appended while suspended $flag")" 1 \
		"copies of the data written while suspended $flag, after sync"
done

run umount /mnt/core || die "umount failed"
run e2fsck -fn /dev/mapper/fz || die "the filesystem is not clean"
run dmsetup remove fz || die "remove failed"
core_expect_no_devices
core_unload_clean
