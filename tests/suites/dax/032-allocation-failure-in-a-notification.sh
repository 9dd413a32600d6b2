# sdm-kernels: debug -- failslab (fail-nth) is built into the debug kernel only
# sdm-drivers: sdm -- sdm's holder layer when it runs out of memory
# A notification that cannot allocate what it needs to work out the
# ranges must let memory_failure() run its generic handling: -ENOMEM from
# the holder would suppress it, and the process that maps the poisoned
# page would not be signalled.  ext4 -o dax=always on a whole-disk sdm
# device over pmem0 (so sdm's holder is registered there); each page of a
# mapped file is poisoned with madvise(MADV_HWPOISON) while the first
# slab allocation of that call fails (fail-nth 1: the list of users the
# notification collects): every page must still raise SIGBUS
# BUS_MCEERR_AR at its address.  Uses slot 3, 52..64 MiB.
. /sdm/lib.sh
dax_start
FS=/sys/kernel/debug/failslab
# shellcheck disable=SC2034 # used by core_cleanup
CORE_CLEANUP="echo Y > $FS/ignore-gfp-wait; umount /mnt/core-nm 2> /dev/null"
[ -d "$FS" ] || die "no $FS"
run dmsetup create nm --table "0 $((12 * DAX_MIB)) linear /dev/pmem0 $(dax_slot 3 52)" ||
	die "create nm failed"
run mkfs.ext4 -q -F -b 4096 /dev/mapper/nm || die "mkfs.ext4 failed"
dax_mount ext4 /dev/mapper/nm /mnt/core-nm

echo N > "$FS/ignore-gfp-wait"
echo 0 > "$FS/verbose"
echo 0 > "$FS/probability"
m=$(kmsg_mark)
DAX_FILE_FAIL_NTH=1 run dax_file poison /mnt/core-nm/victim 4 ||
	die "a page poisoned while the notification ran out of memory raised no SIGBUS"
echo Y > "$FS/ignore-gfp-wait"
kmsg_since "$m" | grep "Memory failure" | head -n 4

dax_fs_works /mnt/core-nm || die "ext4 stopped working"
run umount /mnt/core-nm || die "umount failed"
run dmsetup remove nm || die "remove failed"
core_expect_no_devices
