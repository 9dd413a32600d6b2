# sdm-drivers: sdm -- memory failures reach the filesystem only through sdm's holder layer
# sdm-timeout: 600
# Two sdm devices over two halves of one pmem (slots 4 and 5), sharing the
# one holder sdm registers on pmem0's dax_device: A linear, B striped over
# the two quarters of slot 5 (64 KiB chunks), XFS (rmapbt) -o dax=always
# on each.  A process maps a file on each and poisons its pages with
# madvise(MADV_HWPOISON): pmem reports the failure to sdm's holder, which
# maps it back through the right table and forwards it to that XFS, which
# finds the file and the process: SIGBUS with BUS_MCEERR_AR at the page's
# address, for every page, on both devices.
. /sdm/lib.sh
dax_start
s4=$(dax_slot 4)
s5=$(dax_slot 5)

run dmsetup create pa --table "0 $DAX_SLOT linear /dev/pmem0 $s4" || die "create pa failed"
run dmsetup create pb --table "0 $DAX_SLOT striped 2 128 /dev/pmem0 $s5 /dev/pmem0 $((s5 + DAX_SLOT / 2))" ||
	die "create pb failed"
for d in pa pb; do
	dax_mkfs_xfs /dev/mapper/$d
	dax_mount xfs /dev/mapper/$d /mnt/core-$d
done

m=$(kmsg_mark)
run dax_file poison /mnt/core-pa/victim 4 || die "poisoning on pa"
run dax_file poison /mnt/core-pb/victim 32 || die "poisoning on pb (striped)"
kmsg_since "$m" | grep "Memory failure" | head -n 4

for d in pa pb; do
	dax_fs_works /mnt/core-$d || die "$d stopped working after its data pages were poisoned"
	run umount /mnt/core-$d || die "umount $d failed"
	run dmsetup remove $d || die "remove $d failed"
done
core_expect_no_devices
