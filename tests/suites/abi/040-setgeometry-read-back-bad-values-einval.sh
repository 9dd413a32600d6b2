# sdm-drivers: sdm dm_mod
# dmsetup setgeometry (DEV_SET_GEOMETRY) sets what HDIO_GETGEO returns:
# zeroes until set, cylinders up to 65535, heads and sectors up to 255, a
# start up to cylinders*heads*sectors.  Out of range, non-numeric or
# trailing garbage is EINVAL and keeps the old geometry; an unknown device
# is ENXIO.  A reload of the same size keeps the geometry, a resize wipes
# it, and one set before the first table is wiped when it goes live.
. /sdm/lib.sh
abi_start 16

run dmsetup create g --table "0 8192 linear /dev/ram0 0" || die "create failed"
expect_eq "$(abi_getgeo /dev/mapper/g)" "0 0 0 0" "geometry before setgeometry"
run dmsetup setgeometry g 100 16 63 1000 || die "setgeometry failed"
expect_eq "$(abi_getgeo /dev/mapper/g)" "100 16 63 1000" "geometry"
run dmsetup setgeometry g 65535 255 255 4261413375 || die "setgeometry at the limits failed"
expect_eq "$(abi_getgeo /dev/mapper/g)" "65535 255 255 4261413375" "geometry at the limits"
run dmsetup setgeometry g 1 1 1 1 || die "setgeometry 1 1 1 1 failed"
run dmsetup setgeometry g 100 16 63 0 || die "setgeometry failed"

for bad in "65536 1 1 0" "1 256 1 0" "1 1 256 0" "1 1 1 2" "0 0 0 1" \
	"abc 1 1 0" "1x 1 1 0" "1 1 1 0x" "-1 1 1 0"; do
	# shellcheck disable=SC2086 # four arguments
	expect_fail_msg "Invalid argument" dmsetup setgeometry g -- $bad
done
expect_eq "$(abi_getgeo /dev/mapper/g)" "100 16 63 0" "geometry after the refusals"
expect_fail_msg "No such device or address" dmsetup setgeometry nosuch 1 1 1 0

echo "same-size reload keeps it, resize wipes it"
run dmsetup reload g --table "0 8192 linear /dev/ram0 8" || die "reload failed"
run dmsetup resume g || die "resume failed"
expect_eq "$(abi_getgeo /dev/mapper/g)" "100 16 63 0" "geometry after a same-size reload"
run dmsetup reload g --table "0 4096 linear /dev/ram0 8" || die "reload failed"
run dmsetup resume g || die "resume failed"
expect_eq "$(abi_getgeo /dev/mapper/g)" "0 0 0 0" "geometry after a resize"

echo "before the first table"
run dmsetup create nt --notable || die "create --notable failed"
run dmsetup setgeometry nt 1 2 3 4 || die "setgeometry without a table failed"
run dmsetup load nt --table "0 2048 linear /dev/ram0 0" || die "load failed"
run dmsetup resume nt || die "resume failed"
expect_eq "$(abi_getgeo /dev/mapper/nt)" "0 0 0 0" "geometry set before the first table"
run dmsetup remove g nt || die "remove failed"
core_expect_no_devices
