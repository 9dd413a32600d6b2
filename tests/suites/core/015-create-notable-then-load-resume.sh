# sdm-drivers: sdm dm_mod
# dmsetup create --notable makes a device with a number but no table and
# no disk yet; the first load registers the (empty) disk and stages the
# table, and resume makes it live.
. /sdm/lib.sh
core_start 16

major=$(dm_block_majors)
run dmsetup create --notable nt || die "create --notable failed"
minor=$(dm_minor nt)
core_expect_info nt "Major, minor" "$major, $minor"
disk=$(dm_disk nt)
core_expect_info nt State ACTIVE
core_expect_info nt "Tables present" None
core_expect_info nt "Open count" 0
core_expect_info nt "Number of targets" 0
expect_eq "$(dmsetup info -c --noheadings --separator : -o attr,tables_loaded,segments nt)" \
	"---w:None:0" "dmsetup info -c of nt"
expect_eq "$(dmsetup ls)" "$(printf 'nt\t(%s:%s)' "$major" "$minor")" "dmsetup ls"
expect_eq "$(dmsetup table nt)" "" "table of nt"
expect_eq "$(dmsetup status nt)" "" "status of nt"
# upstream registers the disk only with the first table
[ ! -e "/sys/block/$disk" ] || die "$disk exists before any table was loaded"

run dmsetup load nt --table "0 1000 linear /dev/ram0 100" || die "load failed"
core_expect_info nt State ACTIVE
core_expect_info nt "Tables present" INACTIVE
core_expect_info nt "Number of targets" 0
expect_eq "$(dmsetup table nt)" "" "live table after load"
expect_eq "$(dmsetup table --inactive nt)" "0 1000 linear 1:0 100" "inactive table"
[ -e "/sys/block/$disk" ] || die "$disk missing after the first load"
expect_eq "$(cat "/sys/block/$disk/size")" 0 "size before resume"

run dmsetup resume nt || die "resume failed"
core_expect_info nt State ACTIVE
core_expect_info nt "Tables present" LIVE
core_expect_info nt "Number of targets" 1
expect_eq "$(dmsetup table nt)" "0 1000 linear 1:0 100" "live table after resume"
expect_eq "$(dmsetup table --inactive nt)" "" "inactive table after resume"
expect_eq "$(blockdev --getsz /dev/mapper/nt)" 1000 "size after resume"
head -c 512 /dev/urandom > /tmp/nt.sec
core_put /tmp/nt.sec /dev/mapper/nt 7
core_expect_data /tmp/nt.sec /dev/ram0 107 "sector 7 of nt is not sector 107 of ram0"

run dmsetup remove nt || die "remove failed"
core_expect_no_devices
