# sdm-drivers: sdm dm_mod
# fio random writes with crc32c verification (libaio, direct, iodepth 8)
# through a single-target linear device at a non-zero offset; a second
# verify-only pass through a fresh mapping of the same sectors finds the
# data where the first one put it.  The debug kernels check what each
# I/O touches, not how much there is: they write 8 MiB, the stock 32 MiB.
. /sdm/lib.sh
core_start 64
mib=32
[ "$SDM_KERNEL" = stock ] || mib=8
kib=$((mib * 1024))

run dmsetup create fio1 --table "0 81920 linear /dev/ram0 40000" || die "create failed"
core_fio_verify "0 $kib $kib" /dev/mapper/fio1 --bs=4k --size="${mib}M" --iodepth=8 --do_verify=1
run dmsetup remove fio1 || die "remove failed"

run dmsetup create fio1b --table "0 65536 linear /dev/ram0 40000" || die "re-create failed"
core_fio_verify "0 $kib" /dev/mapper/fio1b --bs=4k --size="${mib}M" --iodepth=8 --verify_only=1
run dmsetup remove fio1b || die "remove failed"
core_expect_no_devices
