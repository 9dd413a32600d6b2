# sdm-drivers: sdm dm_mod
# sdm-timeout: 400
# LVM2, unmodified, on the driver: pvcreate and vgcreate over two disks,
# lvcreate of a linear LV (its table is what LVM asked for, its data lands
# on the PV after pe_start), lvchange -an removes it from the driver and
# -ay brings it back with the same data, lvextend onto the second PV while
# the LV is held open keeps the data and grows the open device, then
# lvremove, vgremove and pvremove leave nothing behind.
. /sdm/lib.sh
lvm_start 32
lvm_vg
dm="$LVM_VG-lin"

run lvcreate -q -L 12M -n lin "$LVM_VG" /dev/ram0 || die "lvcreate failed"
lvm_expect_active lin
pe0=$(lvm_pe_start /dev/ram0)
expect_eq "$(dmsetup table "$dm")" "0 24576 linear $(lvm_devt /dev/ram0) $pe0" "table of $dm"
expect_eq "$(lvm_field lin lv_size)" 24576 "lv_size"
expect_eq "$(lvm_field lin segtype)" linear "segtype"
expect_eq "$(blockdev --getsz "/dev/$LVM_VG/lin")" 24576 "sectors of /dev/$LVM_VG/lin"
expect_eq "$(dmsetup deps -o devname "$dm")" "1 dependencies	: (ram0)" "deps of $dm"

core_random /tmp/lin.data 24576
core_put /tmp/lin.data "/dev/$LVM_VG/lin" 0
core_expect_data /tmp/lin.data /dev/ram0 "$pe0" "the LV's data is not on /dev/ram0 at sector $pe0"

run lvchange -q -an "$LVM_VG/lin" || die "lvchange -an failed"
lvm_expect_inactive lin
core_expect_no_devices
run lvchange -q -ay "$LVM_VG/lin" || die "lvchange -ay failed"
lvm_expect_active lin
core_expect_data /tmp/lin.data "/dev/$LVM_VG/lin" 0 "the data changed across -an/-ay"

echo "lvextend onto /dev/ram1 while the LV is open"
exec 5< "/dev/$LVM_VG/lin" || die "cannot open the LV"
run lvextend -q -L 24M "$LVM_VG/lin" /dev/ram1 || die "lvextend failed"
lvm_expect_active lin
pe1=$(lvm_pe_start /dev/ram1)
expect_eq "$(dmsetup table "$dm")" "0 24576 linear $(lvm_devt /dev/ram0) $pe0
24576 24576 linear $(lvm_devt /dev/ram1) $pe1" "table of $dm after lvextend"
core_expect_info "$dm" "Open count" 1
expect_eq "$(blockdev --getsz "/dev/$LVM_VG/lin")" 49152 "sectors after lvextend"
exec 5<&-
core_expect_data /tmp/lin.data "/dev/$LVM_VG/lin" 0 "lvextend changed the data"
core_random /tmp/lin.more 24576
core_put /tmp/lin.more "/dev/$LVM_VG/lin" 24576
core_expect_data /tmp/lin.more /dev/ram1 "$pe1" \
	"the extension's data is not on /dev/ram1 at sector $pe1"

run lvremove -q -y "$LVM_VG/lin" || die "lvremove failed"
lvm_expect_inactive lin
expect_eq "$(lvs --noheadings "$LVM_VG" | wc -l)" 0 "LVs left in $LVM_VG"
lvm_teardown
