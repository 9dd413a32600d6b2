# fio random writes with crc32c verification (libaio, direct, iodepth 8)
# through a single-target linear device at a non-zero offset; a second
# verify-only pass through a fresh mapping of the same sectors finds the
# data where the first one put it.
. /sdm/lib.sh
core_start 64

run dmsetup create fio1 --table "0 81920 linear /dev/ram0 40000" || die "create failed"
r=$(core_fio /tmp/fio1.json --name=verify --filename=/dev/mapper/fio1 --rw=randwrite \
	--bs=4k --size=32M --ioengine=libaio --iodepth=8 --direct=1 --verify=crc32c \
	--verify_fatal=1 --do_verify=1 --randrepeat=0) || exit 1
echo "fio: error, KiB verified, KiB written: $r"
expect_eq "$r" "0 32768 32768" "fio error, KiB verified, KiB written"
run dmsetup remove fio1 || die "remove failed"

run dmsetup create fio1b --table "0 65536 linear /dev/ram0 40000" || die "re-create failed"
r=$(core_fio /tmp/fio1.json --name=verify --filename=/dev/mapper/fio1b --rw=randwrite \
	--bs=4k --size=32M --ioengine=libaio --iodepth=8 --direct=1 --verify=crc32c \
	--verify_fatal=1 --verify_only=1 --randrepeat=0) || exit 1
echo "fio verify-only: $r"
expect_eq "${r% *}" "0 32768" "fio error, KiB verified of the verify-only pass"
run dmsetup remove fio1b || die "remove failed"
core_expect_no_devices
