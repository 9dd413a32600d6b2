# sdm-drivers: sdm -- runs its dm_mod half itself, next to sdm's
# sdm-timeout: 600
# Two devices over two ranges of one pmem, sharing the one holder sdm
# registers on pmem0's dax_device: A linear, B striped over two ranges
# (64 KiB chunks), XFS (rmapbt) -o dax=always on each.  A process maps a
# file on each and poisons its pages with madvise(MADV_HWPOISON): SIGBUS
# with BUS_MCEERR_AR at the page's address, for every page, on both
# devices, and both filesystems go on working.
#
# This is the data path of a failure, not a proof that sdm forwards it:
# the same SIGBUS comes on dm_mod, which registers no holder, because
# memory_failure()'s generic handling finds the process that maps the
# page of the file and signals it itself.  The same script runs on dm_mod
# in this boot to show it.  That the failure reaches the filesystem
# through sdm's holder layer is what 040 and 041 to 043 prove: metadata,
# which only the filesystem can recover, shuts XFS down on sdm only.
# Slots 4 and 5: 0..32 MiB for sdm, 32..64 MiB for dm_mod.
. /sdm/lib.sh
dax_start
run modprobe -n dm_mod || die "dm_mod is not available"
quarter=$((16 * DAX_MIB))

# poison_files DRIVER MIB: A at MIB MiB of slot 4, B's stripes at MIB and
# MIB + 16 of slot 5; poison 4 pages of a file on A, 32 on B
poison_files() {
	local drv=$1 sa sb d
	sa=$(dax_slot 4 "$2")
	sb=$(dax_slot 5 "$2")
	echo "== $drv: pa at sector $sa, pb striped at $sb and $((sb + quarter))"
	run dmsetup create pa --table "0 $((2 * quarter)) linear /dev/pmem0 $sa" ||
		die "$drv: create pa failed"
	run dmsetup create pb --table "0 $((2 * quarter)) striped 2 128 /dev/pmem0 $sb /dev/pmem0 $((sb + quarter))" ||
		die "$drv: create pb failed"
	for d in pa pb; do
		dax_mkfs_xfs /dev/mapper/$d
		dax_mount xfs /dev/mapper/$d /mnt/core-$d
	done
	run dax_file poison /mnt/core-pa/victim 4 || die "$drv: poisoning on pa"
	run dax_file poison /mnt/core-pb/victim 32 || die "$drv: poisoning on pb (striped)"
	for d in pa pb; do
		dax_fs_works /mnt/core-$d || die "$drv: $d stopped working after its data pages were poisoned"
		run umount /mnt/core-$d || die "$drv: umount $d failed"
		run dmsetup remove $d || die "$drv: remove $d failed"
	done
}

poison_files sdm 0
core_expect_no_devices
run rmmod sdm || die "rmmod sdm failed"
run modprobe dm_mod || die "modprobe dm_mod failed"
poison_files dm_mod 32
core_expect_no_devices
run rmmod dm_mod || die "rmmod dm_mod failed"
echo "the same SIGBUS on both drivers: a poisoned page of a mapped file is the generic path's"
