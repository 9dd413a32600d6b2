# sdm-drivers: sdm dm_mod
# sdm-timeout: 400
# A striped LV over both PVs (lvcreate -i 2 -I 64k): the driver gets
# upstream's striped table, each 64 KiB chunk of the LV lands on the PV
# the stripe rule says, lvchange -an/-ay keeps the data, and lvextend
# grows both stripes without touching the data.
. /sdm/lib.sh
lvm_start 32
lvm_vg
dm="$LVM_VG-str"

run lvcreate -q -i 2 -I 64k -L 16M -n str "$LVM_VG" || die "lvcreate -i 2 failed"
lvm_expect_active str
pe0=$(lvm_pe_start /dev/ram0)
pe1=$(lvm_pe_start /dev/ram1)
d0=$(lvm_devt /dev/ram0)
d1=$(lvm_devt /dev/ram1)
expect_eq "$(dmsetup table "$dm")" "0 32768 striped 2 128 $d0 $pe0 $d1 $pe1" "table of $dm"
expect_eq "$(lvm_field str stripes)" 2 "stripes"
expect_eq "$(lvm_field str segtype)" striped "segtype"
expect_eq "$(dmsetup status "$dm")" "0 32768 striped 2 $d0 $d1 1 AA" "status of $dm"

core_random /tmp/str.data 32768
core_put /tmp/str.data "/dev/$LVM_VG/str" 0
core_drop_caches
# chunk k (128 sectors) is on PV k % 2 at chunk k / 2 of its extents
for k in 0 1 2 3 4 5 126 127 254 255; do
	core_get /tmp/str.data $((k * 128)) 128 /tmp/str.want
	if [ $((k % 2)) -eq 0 ]; then
		core_get /dev/ram0 $((pe0 + (k / 2) * 128)) 128 /tmp/str.got
	else
		core_get /dev/ram1 $((pe1 + (k / 2) * 128)) 128 /tmp/str.got
	fi
	cmp -s /tmp/str.want /tmp/str.got || die "chunk $k is not where the stripe rule puts it"
done

run lvchange -q -an "$LVM_VG/str" || die "lvchange -an failed"
lvm_expect_inactive str
run lvchange -q -ay "$LVM_VG/str" || die "lvchange -ay failed"
lvm_expect_active str
core_expect_data /tmp/str.data "/dev/$LVM_VG/str" 0 "the data changed across -an/-ay"

run lvextend -q -L 32M "$LVM_VG/str" || die "lvextend failed"
lvm_expect_active str
# the new extents follow the old ones on both PVs: LVM merges the segments
expect_eq "$(dmsetup table "$dm")" "0 65536 striped 2 128 $d0 $pe0 $d1 $pe1" \
	"table of $dm after lvextend"
expect_eq "$(blockdev --getsz "/dev/$LVM_VG/str")" 65536 "sectors after lvextend"
core_expect_data /tmp/str.data "/dev/$LVM_VG/str" 0 "lvextend changed the data"

run lvremove -q -y "$LVM_VG/str" || die "lvremove failed"
lvm_expect_inactive str
lvm_teardown
