# sdm-kernels: debug -- failslab (fail-nth) is built into the debug kernel only
# sdm-drivers: sdm -- sdm's holder layer when it runs out of memory
# A notification that cannot allocate what it needs to work out the
# ranges must let memory_failure() run its generic handling: -ENOMEM from
# the holder would suppress it, and the process that maps the poisoned
# page would not be signalled.  ext4 -o dax=always on a whole-disk sdm
# device over pmem0 (so sdm's holder is registered there); each page of a
# mapped file is poisoned with madvise(MADV_HWPOISON) while the N-th slab
# allocation of that call fails, for N = 1, 2 and 3, a file each: every
# page must still raise SIGBUS BUS_MCEERR_AR at its address, and the
# allocation must have been made.  On the debug kernel the slab
# allocations of one such call are, in order (seen with failslab's
# verbose=2 stacks): 1, the list of users the notification collects
# (collect_users()); 2, kmemleak's record of it (its failure is silent:
# kmemleak falls back to its pool); 3, the array of failed ranges
# (add_failed_range(), from the target's ->dax_rmap()), the other place
# where sdm gives up and returns -EOPNOTSUPP; 5 is already
# memory_failure()'s own (__add_to_kill(): without it the generic
# handling signals nobody, whatever the holder returned), so the loop
# stops at 3.  Uses slot 3, 52..64 MiB.
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
for nth in 1 2 3; do
	m=$(kmsg_mark)
	DAX_FILE_FAIL_NTH=$nth run dax_file poison /mnt/core-nm/victim$nth 2 ||
		die "fail-nth $nth: a page poisoned while the notification ran out of memory raised no SIGBUS"
	kmsg_since "$m" | grep "Memory failure" | head -n 2
done
echo Y > "$FS/ignore-gfp-wait"

dax_fs_works /mnt/core-nm || die "ext4 stopped working"
run umount /mnt/core-nm || die "umount failed"
run dmsetup remove nm || die "remove failed"
core_expect_no_devices
