# sdm-kernels: stock -- counts the filesystem's notifications with a kprobe (the debug kernel has no kprobes)
# sdm-drivers: sdm -- what sdm's holder layer forwards; dm_mod registers no holder
# A failure is forwarded to a mapped device once per device under it, even
# when the mapped device has that device open twice.  A read-only table
# loaded (inactive) over the pmem that the live read-write table maps
# opens pmem0 a second time (a table device is shared only by tables of
# the same open mode), and each open table device is a user of sdm's
# holder; both map back through the live table.  One poisoned page of a
# mapped file on the XFS -o dax=always on top must reach XFS exactly once
# (a kprobe counts the calls of xfs_dax_notify_failure), with the process
# getting its SIGBUS BUS_MCEERR_AR; after the inactive table is cleared,
# once again.  (The fix's commit says how this failed before: twice.)
# Slot 4, 104..120 MiB (files poisoned).
. /sdm/lib.sh
dax_start
# shellcheck disable=SC2034 # used by core_cleanup
CORE_CLEANUP="umount /mnt/core-dup 2> /dev/null; dax_kprobe_stop sdm_xn"
dax_kprobe_start sdm_xn xfs_dax_notify_failure

# notifications: the calls of xfs_dax_notify_failure so far
notifications() {
	dax_kprobe_calls sdm_xn
}

# poison_one FILE: poison one page of FILE (created, mapped); N is set to
# how many notifications reached XFS meanwhile
poison_one() {
	local before
	before=$(notifications)
	run dax_file poison "$1" 1 || die "poisoning a page of $1"
	N=$(($(notifications) - before))
}

table="0 $((16 * DAX_MIB)) linear /dev/pmem0 $(dax_slot 4 104)"
run dmsetup create dup --table "$table" || die "create failed"
dax_mkfs_xfs /dev/mapper/dup
dax_mount xfs /dev/mapper/dup /mnt/core-dup
dax_fs_works /mnt/core-dup || die "the filesystem does not work"

run dmsetup reload --readonly dup --table "$table" || die "read-only reload failed"
core_expect_info dup "Tables present" "LIVE & INACTIVE"
poison_one /mnt/core-dup/victim1
echo "read-write live table, read-only inactive table: $N notification(s) reached XFS"
expect_eq "$N" 1 "notifications of one poisoned page, pmem0 open twice"
dax_fs_works /mnt/core-dup || die "the filesystem stopped working"

run dmsetup clear dup || die "clear failed"
core_expect_info dup "Tables present" LIVE
poison_one /mnt/core-dup/victim2
echo "the live table alone: $N notification(s) reached XFS"
expect_eq "$N" 1 "notifications of one poisoned page, pmem0 open once"
dax_fs_works /mnt/core-dup || die "the filesystem stopped working"

run umount /mnt/core-dup || die "umount failed"
run dmsetup remove dup || die "remove failed"
core_expect_no_devices
