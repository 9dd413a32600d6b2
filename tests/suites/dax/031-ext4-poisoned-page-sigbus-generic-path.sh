# sdm-drivers: sdm -- the generic path under sdm's holder layer, for a filesystem that registers no holder
# sdm-timeout: 300
# ext4 registers no holder on the dax_device of the device it is mounted
# on, so a failure sdm's holder maps back to it has nobody to go to: sdm
# returns -EOPNOTSUPP and memory_failure() runs its generic handling,
# which finds the process that maps the poisoned page of the file.  On
# ext4 -o dax=always on sdm over pmem (slot 3, 96..112 MiB), a process
# poisons 8 pages of a mapped file with madvise(MADV_HWPOISON): each
# raises SIGBUS with BUS_MCEERR_AR at that page's address, the generic
# handling recovers it ("recovery action for dax page: Recovered", as
# nothing but the process needs telling), and ext4 goes on working and
# checks clean.
. /sdm/lib.sh
dax_start
s=$(dax_slot 3 96)

run dmsetup create e4 --table "0 $((16 * DAX_MIB)) linear /dev/pmem0 $s" || die "create e4 failed"
expect_eq "$(dax_queue e4)" 1 "e4 queue/dax"
run mkfs.ext4 -q -b 4096 /dev/mapper/e4 || die "mkfs.ext4 failed"
dax_mount ext4 /dev/mapper/e4 /mnt/core-e4
grep -q "/mnt/core-e4 ext4 .*dax=always" /proc/mounts || die "ext4 is not mounted with dax=always"

m=$(kmsg_mark)
run dax_file poison /mnt/core-e4/victim 8 || die "poisoning on ext4"
log=$(kmsg_since "$m")
awk '{ print "  " $0 }' <<< "$log"
expect_eq "$(grep -c "Sending SIGBUS to dax_file" <<< "$log")" 8 "SIGBUS sent by memory_failure()"
expect_eq "$(grep -c "recovery action for dax page: Recovered" <<< "$log")" 8 \
	"pages recovered by memory_failure()'s generic handling"

dax_fs_works /mnt/core-e4 || die "ext4 stopped working after its data pages were poisoned"
run umount /mnt/core-e4 || die "umount failed"
run e2fsck -fn /dev/mapper/e4 || die "e2fsck found problems"
run dmsetup remove e4 || die "remove e4 failed"
core_expect_no_devices
