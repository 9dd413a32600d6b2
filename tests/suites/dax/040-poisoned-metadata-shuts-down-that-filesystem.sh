# sdm-drivers: sdm -- runs its dm_mod half itself, next to sdm's
# sdm-timeout: 600
# A poisoned page of XFS metadata (the superblock of the second of two
# filesystems, by physical address through hard_offline_page) reaches that
# filesystem through sdm's holder layer: it shuts down ("Corruption of
# on-disk metadata"), and the other one, on the other half of the same
# pmem, keeps working.  The same script then runs on upstream's dm_mod in
# this boot (slot 7 instead of slot 6): dm_mod registers no holder on the
# pmem, memory_failure() falls back to its generic handling, which cannot
# recover a page no file maps ("recovery action for dax page: Failed"),
# and the filesystem never learns of it: it goes on as if nothing
# happened.  That difference is what this test shows.
. /sdm/lib.sh
dax_start
run modprobe -n dm_mod || die "dm_mod is not available"
half=$((DAX_SLOT / 2))

# poison_second_sb DRIVER SLOT: two XFS on the two halves of SLOT, the
# second one's superblock poisoned; prints what happened to each
poison_second_sb() {
	local drv=$1 s=$2 m log
	echo "== $drv: mm1 and mm2 on the two halves of slot $((s / DAX_SLOT))"
	run dmsetup create mm1 --table "0 $half linear /dev/pmem0 $s" || die "$drv: create mm1 failed"
	run dmsetup create mm2 --table "0 $half linear /dev/pmem0 $((s + half))" || die "$drv: create mm2 failed"
	for d in mm1 mm2; do
		dax_mkfs_xfs /dev/mapper/$d
		dax_mount xfs /dev/mapper/$d /mnt/core-$d
		dax_fs_works /mnt/core-$d || die "$drv: $d does not work before the poisoning"
	done
	m=$(kmsg_mark)
	dax_hard_offline $(((s + half) * 512))
	sleep 1
	log=$(kmsg_since "$m")
	awk -v p="  [$drv] " '{ print p $0 }' <<< "$log"
	if dax_fs_shut_down /mnt/core-mm2; then
		echo "$drv: mm2 shut down"
		DAX_RESULT=shutdown
	else
		echo "$drv: mm2 still accepts writes"
		DAX_RESULT=running
	fi
	DAX_LOG=$log
	dax_fs_works /mnt/core-mm1 || die "$drv: mm1 stopped working"
	for d in mm1 mm2; do
		run umount /mnt/core-$d || die "$drv: umount $d failed"
		run dmsetup remove $d || die "$drv: remove $d failed"
	done
}

run rmmod sdm || die "rmmod sdm failed"
run modprobe dm_mod || die "modprobe dm_mod failed"
poison_second_sb dm_mod "$(dax_slot 7)"
upstream=$DAX_RESULT
upstream_log=$DAX_LOG
run rmmod dm_mod || die "rmmod dm_mod failed"
sdm_load || die "cannot load sdm again"
poison_second_sb sdm "$(dax_slot 6)"

expect_eq "$DAX_RESULT" shutdown "sdm: the filesystem over the poisoned superblock"
echo "$DAX_LOG" | grep -q "Corruption of on-disk metadata" ||
	die "sdm: XFS did not report corrupt metadata"
expect_eq "$upstream" running "dm_mod: the filesystem over the poisoned superblock"
echo "$upstream_log" | grep -q "recovery action for dax page: Failed" ||
	die "dm_mod: memory_failure() did not report the failed recovery"
echo "difference: on dm_mod the poisoned superblock went unnoticed by XFS (recovery Failed);"
echo "            on sdm the failure reached XFS through the holder layer and it shut down"
core_expect_no_devices
