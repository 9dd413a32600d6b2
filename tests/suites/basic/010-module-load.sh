# sdm-drivers: sdm -- sdm's own module registration and load message
# Loading sdm registers the control device exactly as dm_mod does (misc
# minor 236, "device-mapper", node mapper/control) and a block major named
# "device-mapper"; unloading removes both.
. /sdm/lib.sh

[ -z "$(dm_block_majors)" ] || die "a device-mapper major exists before loading"
mark=$(kmsg_mark)
sdm_load || die "insmod sdm.ko failed"

expect_eq "$(char_dev /dev/mapper/control)" "10:236" "mapper/control dev_t"
expect_eq "$(awk '$2 == "device-mapper" { print $1 }' /proc/misc)" 236 "/proc/misc entry"
major=$(dm_block_majors)
[ -n "$major" ] || die "no block major named device-mapper in /proc/devices"
expect_eq "$(echo "$major" | wc -l)" 1 "device-mapper block majors"
kmsg_since "$mark" | grep -F "sdm: $SDM_EXPECT_VERSION-ioctl" |
	grep -q "initialised, block major $major" ||
	die "no 'initialised' line naming version $SDM_EXPECT_VERSION and major $major"

run rmmod sdm || die "rmmod sdm failed"
[ ! -e /dev/mapper/control ] || die "/dev/mapper/control survived rmmod"
[ -z "$(dm_block_majors)" ] || die "block major survived rmmod"
! grep -q '^236 ' /proc/misc || die "misc minor 236 survived rmmod"
