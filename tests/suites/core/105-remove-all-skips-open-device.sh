# sdm-drivers: sdm dm_mod
# dmsetup remove_all removes every closed device, with or without a table,
# suspended or not, stacked or not, and skips an open one, which stays
# live; once it is closed remove_all removes it too.
. /sdm/lib.sh
core_start 16

run dmsetup create keep --table "0 1024 linear /dev/ram0 0" || die "create failed"
run dmsetup create gone1 --table "0 1024 linear /dev/ram0 1024" || die "create failed"
run dmsetup create --notable gone2 || die "create failed"
run dmsetup create gone3 --table "0 1024 linear /dev/ram0 2048" || die "create failed"
run dmsetup suspend gone3 || die "suspend failed"
run dmsetup create gone4 --table "0 512 linear /dev/mapper/gone1 0" || die "create failed"
run dmsetup load gone2 --table "0 8 linear /dev/ram0 4096" || die "load failed"
# shellcheck disable=SC2034 # used by core_cleanup
CORE_CLEANUP='exec 5<&-'
exec 5< /dev/mapper/keep || die "cannot open keep"

run dmsetup remove_all || die "remove_all failed"
expect_eq "$(dmsetup ls | cut -f1)" keep "devices left by remove_all"
core_expect_info keep State ACTIVE
core_expect_info keep "Tables present" LIVE
core_expect_info keep "Open count" 1
# shellcheck disable=SC2012 # device node names are plain
expect_eq "$(ls /dev/mapper | tr '\n' ' ')" "control keep " "/dev/mapper after remove_all"
expect_eq "$(dd if=/dev/mapper/keep bs=512 count=2 2> /dev/null | wc -c)" 1024 \
	"bytes read from keep"

exec 5<&-
run dmsetup remove_all || die "second remove_all failed"
core_expect_no_devices
