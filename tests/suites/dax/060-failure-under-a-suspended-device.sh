# sdm-drivers: sdm -- what sdm's holder layer does with a failure under a suspended device
# sdm-timeout: 300
# A memory failure under a suspended mapped device is held for its
# filesystem until the resume.  Forwarded at once, the filesystem's handler
# (which may do I/O to the suspended device) would run inside the kernel's
# dax_srcu read section until the resume, and every kill_dax() meanwhile
# (any DAX device's removal, any pmem unbind) would wait for it.  So while
# ds is suspended, poisoning its XFS superblock (by physical address, as
# in 040) must leave XFS untold ("told on resume" in the log instead) and
# let memory_failure() run its generic handling now, as under dm_mod
# ("recovery action for dax page: Failed"); removing dz, another DAX device
# on the same pmem, must complete; and the resume must tell XFS, which
# shuts down ("Corruption of on-disk metadata").  Uses slot 3's first half.
. /sdm/lib.sh
dax_start
s3=$(dax_slot 3)

run dmsetup create ds --table "0 98304 linear /dev/pmem0 $s3" || die "create ds failed"
run dmsetup create dz --table "0 2048 linear /dev/pmem0 $((s3 + 102400))" || die "create dz failed"
expect_eq "$(dax_queue dz)" 1 "dz queue/dax"
dax_mkfs_xfs /dev/mapper/ds
dax_mount xfs /dev/mapper/ds /mnt/core-ds
dax_fs_works /mnt/core-ds || die "the filesystem does not work"
disk=$(dm_disk ds)

run dmsetup suspend ds || die "suspend ds failed"
m=$(kmsg_mark)
dax_hard_offline $((s3 * 512)) & p=$!
core_expect_completes $p "poisoning the superblock of the suspended ds"
sleep 1
log=$(kmsg_since "$m")
awk '{ print "  [suspended] " $0 }' <<< "$log"
echo "$log" | grep -q "$disk: memory failure under the suspended device: its filesystem is told on resume" ||
	die "sdm did not hold the failure for the resume"
echo "$log" | grep -q "recovery action for dax page: Failed" ||
	die "memory_failure() did not run its generic handling"
if echo "$log" | grep -q "XFS ($disk): Corruption of on-disk metadata"; then
	die "XFS on the suspended ds was told while it was suspended"
fi

# kill_dax() of dz waits for every dax_srcu reader: none may be stuck on ds
dmsetup remove dz & p=$!
core_expect_completes $p "removing dz while ds is suspended"

m=$(kmsg_mark)
run dmsetup resume ds || die "resume ds failed"
sleep 1
log=$(kmsg_since "$m")
awk '{ print "  [resumed] " $0 }' <<< "$log"
echo "$log" | grep -q "XFS ($disk): Corruption of on-disk metadata" ||
	die "the resume did not tell XFS on ds"
dax_fs_shut_down /mnt/core-ds || die "XFS on ds did not shut down"

run umount /mnt/core-ds || die "umount failed"
run dmsetup remove ds || die "remove ds failed"
core_expect_no_devices
