# sdm-drivers: sdm dm_mod
# The driver cannot be unloaded while any mapped device exists, with or
# without a table ("in use"); the devices keep working; after the last
# remove it unloads.
. /sdm/lib.sh
core_start 16
drv=$(dm_driver)

run dmsetup create live --table "0 1024 linear /dev/ram0 0" || die "create failed"
run dmsetup create --notable empty || die "create --notable failed"
expect_fail_msg "in use" rmmod "$drv"
module_loaded "$drv" || die "$drv unloaded with two devices"
core_expect_info live State ACTIVE
expect_eq "$(dd if=/dev/mapper/live bs=512 count=2 2> /dev/null | wc -c)" 1024 \
	"bytes read after the refused rmmod"

run dmsetup remove live || die "remove live failed"
expect_fail_msg "in use" rmmod "$drv"
module_loaded "$drv" || die "$drv unloaded with a device without table"
run dmsetup remove empty || die "remove empty failed"
core_expect_no_devices
core_unload_clean
module_loaded "$drv" && die "$drv still loaded"
grep -q " device-mapper\$" /proc/misc && die "the control device survived rmmod"
[ ! -e /dev/mapper/control ] || die "/dev/mapper/control survived rmmod"
exit 0
