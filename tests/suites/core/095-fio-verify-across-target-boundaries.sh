# sdm-drivers: sdm dm_mod
# fio writes and verifies blocks of 4 KiB to 128 KiB (libaio, direct,
# iodepth 16) through a linear table of seven segments with odd lengths,
# out of order over two ram disks, so most I/O crosses target boundaries
# and is split; then each segment's data is checked at its backing offset.
. /sdm/lib.sh
core_start 32 2

segs="0 1001 /dev/ram1 20000
1001 4099 /dev/ram0 30001
5100 777 /dev/ram1 7
5877 8192 /dev/ram0 1000
14069 3 /dev/ram1 50000
14072 2345 /dev/ram0 20000
16417 8159 /dev/ram1 30000"
total=24576
table=$(echo "$segs" | while read -r s l d o; do echo "$s $l linear $d $o"; done)
run dmsetup create split --table "$table" || die "create failed"
expect_eq "$(blockdev --getsz /dev/mapper/split)" $total "size of split"
core_fio_verify "0 $((total / 2)) $((total / 2))" /dev/mapper/split --bsrange=4k-128k \
	--size=$((total * 512)) --iodepth=16 --do_verify=1

echo "sequential pass with buffered I/O, then each segment at its backing offset"
core_random /tmp/split.src $total
core_put /tmp/split.src /dev/mapper/split 0
core_drop_caches
echo "$segs" | while read -r s l d o; do
	core_get /tmp/split.src "$s" "$l" /tmp/split.want
	core_get "$d" "$o" "$l" /tmp/split.got
	cmp -s /tmp/split.want /tmp/split.got || die "segment at $s is not at $d sector $o"
done || exit 1
run dmsetup remove split || die "remove failed"
core_expect_no_devices
