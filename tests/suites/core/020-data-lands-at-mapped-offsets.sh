# sdm-drivers: sdm dm_mod
# Data written through a four-segment linear table lands at the mapped
# sectors of the backing device (segments out of order, odd offsets and
# lengths, so pages straddle the target boundaries), and data written to
# the backing device reads back through the mapping.  Sectors next to the
# segments stay untouched.
. /sdm/lib.sh
core_start 64

# dm start, length, ram0 offset
segs="0 3000 90001
3000 1001 17
4001 4096 60000
8097 2503 5003"
total=10600
table=$(echo "$segs" | while read -r s l o; do echo "$s $l linear /dev/ram0 $o"; done)
run dmsetup create seg --table "$table" || die "create failed"
expect_eq "$(blockdev --getsz /dev/mapper/seg)" $total "size of seg"
expect_eq "$(dmsetup table seg | awk '{ print $1, $2, $5 }')" "$segs" "table of seg"

echo "write through the mapping, read the backing device"
core_random /tmp/seg.src $total
core_put /tmp/seg.src /dev/mapper/seg 0
core_drop_caches
echo "$segs" | while read -r s l o; do
	core_get /tmp/seg.src "$s" "$l" /tmp/seg.want
	core_get /dev/ram0 "$o" "$l" /tmp/seg.got
	cmp -s /tmp/seg.want /tmp/seg.got ||
		die "segment at $s: ram0 sectors $o+$l differ from what was written"
	core_zero_sectors /dev/ram0 $((o - 1)) 1
	core_zero_sectors /dev/ram0 $((o + l)) 1
done || exit 1
expect_eq "$(md5sum < /dev/mapper/seg)" "$(md5sum < /tmp/seg.src)" "read back through seg"

echo "write the backing device, read through the mapping"
: > /tmp/seg.want
echo "$segs" | while read -r s l o; do
	core_random /tmp/seg.part "$l"
	core_put /tmp/seg.part /dev/ram0 "$o"
	cat /tmp/seg.part >> /tmp/seg.want
done || exit 1
core_expect_data /tmp/seg.want /dev/mapper/seg 0 "seg does not show the backing data in table order"
# reads at and beyond the end return nothing
expect_eq "$(dd if=/dev/mapper/seg bs=512 skip=$total count=4 2> /dev/null | wc -c)" 0 \
	"bytes read beyond the end"

run dmsetup remove seg || die "remove failed"
core_expect_no_devices
