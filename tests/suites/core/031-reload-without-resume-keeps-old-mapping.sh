# sdm-drivers: sdm dm_mod
# A reload without resume leaves the old mapping live (writes still go to
# the old sectors) and shows the staged table; a second reload replaces
# the staged one; dmsetup clear drops it and a resume then changes
# nothing; a staged table of another size resizes the device on resume.
. /sdm/lib.sh
core_start 16

core_random /tmp/keep.a 1024
core_put /tmp/keep.a /dev/ram0 0
run dmsetup create keep --table "0 1024 linear /dev/ram0 0" || die "create failed"
run dmsetup load keep --table "0 1024 linear /dev/ram0 8192" || die "load failed"
core_expect_info keep "Tables present" "LIVE & INACTIVE"
core_expect_info keep State ACTIVE
expect_eq "$(dmsetup info -c --noheadings -o tables_loaded keep)" Both "tables loaded"
expect_eq "$(dmsetup table keep)" "0 1024 linear 1:0 0" "live table"
expect_eq "$(dmsetup table --inactive keep)" "0 1024 linear 1:0 8192" "inactive table"
expect_eq "$(dmsetup status --inactive keep)" "0 1024 linear " "inactive status"

echo "I/O still uses the live table"
core_expect_data /tmp/keep.a /dev/mapper/keep 0 "keep does not show the live region"
core_random /tmp/keep.w 8
core_put /tmp/keep.w /dev/mapper/keep 100
core_expect_data /tmp/keep.w /dev/ram0 100 "a write did not reach the live region"
core_zero_sectors /dev/ram0 8192 1024

echo "a second load replaces the staged table"
run dmsetup load keep --table "0 1024 linear /dev/ram0 4096" || die "second load failed"
expect_eq "$(dmsetup table --inactive keep)" "0 1024 linear 1:0 4096" "inactive table"

echo "clear drops it"
run dmsetup clear keep || die "clear failed"
core_expect_info keep "Tables present" LIVE
expect_eq "$(dmsetup table --inactive keep)" "" "inactive table after clear"
run dmsetup clear keep || die "clear without a staged table failed"
run dmsetup resume keep || die "resume after clear failed"
expect_eq "$(dmsetup table keep)" "0 1024 linear 1:0 0" "live table after clear + resume"
core_drop_caches
core_get /dev/mapper/keep 0 8 /tmp/keep.got
head -c 4096 /tmp/keep.a | cmp -s - /tmp/keep.got || die "clear + resume changed the mapping"

echo "a bigger staged table resizes the device on resume"
run dmsetup load keep --table "0 1024 linear /dev/ram0 0
1024 3072 linear /dev/ram0 16384" || die "load of the bigger table failed"
expect_eq "$(blockdev --getsz /dev/mapper/keep)" 1024 "size before resume"
core_expect_info keep "Number of targets" 1
run dmsetup resume keep || die "resume failed"
expect_eq "$(blockdev --getsz /dev/mapper/keep)" 4096 "size after resume"
core_expect_info keep "Number of targets" 2

run dmsetup remove keep || die "remove failed"
core_expect_no_devices
