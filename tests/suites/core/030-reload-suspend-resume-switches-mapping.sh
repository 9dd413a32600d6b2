# sdm-drivers: sdm dm_mod
# reload + suspend + resume switches the mapping: before the resume the old
# table stays live (I/O goes to the old sectors), a read issued while the
# device is suspended waits and is then served by the new table, and after
# the resume the new table is live.  A plain resume after a reload
# suspends and resumes by itself.
. /sdm/lib.sh
core_start 16

core_random /tmp/sw.a 2048
core_random /tmp/sw.b 2048
core_put /tmp/sw.a /dev/ram0 0
core_put /tmp/sw.b /dev/ram0 8192

run dmsetup create sw --table "0 2048 linear /dev/ram0 0" || die "create failed"
core_expect_data /tmp/sw.a /dev/mapper/sw 0 "sw does not show region A"

run dmsetup reload sw --table "0 2048 linear /dev/ram0 8192" || die "reload failed"
core_expect_info sw "Tables present" "LIVE & INACTIVE"
core_expect_info sw State ACTIVE
expect_eq "$(dmsetup table sw)" "0 2048 linear 1:0 0" "live table after reload"
expect_eq "$(dmsetup table --inactive sw)" "0 2048 linear 1:0 8192" "inactive table"
core_expect_data /tmp/sw.a /dev/mapper/sw 0 "the reload changed the mapping before resume"

run dmsetup suspend sw || die "suspend failed"
core_expect_info sw State SUSPENDED
core_expect_info sw "Tables present" "LIVE & INACTIVE"
dd if=/dev/mapper/sw of=/tmp/sw.blocked bs=4096 count=1 iflag=direct 2> /dev/null &
reader=$!
# the read must be issued and then wait (uninterruptibly, for its bio)
core_expect_blocked $reader "a read while the device is suspended"
run dmsetup resume sw || die "resume failed"
wait $reader || die "the read held during the suspend failed"
head -c 4096 /tmp/sw.b | cmp -s - /tmp/sw.blocked ||
	die "the read held during the suspend was not served by the new table"
core_expect_info sw State ACTIVE
core_expect_info sw "Tables present" LIVE
expect_eq "$(dmsetup table sw)" "0 2048 linear 1:0 8192" "live table after resume"
core_expect_data /tmp/sw.b /dev/mapper/sw 0 "sw does not show region B after resume"

echo "reload and resume without an explicit suspend"
run dmsetup reload sw --table "0 2048 linear /dev/ram0 0" || die "reload failed"
run dmsetup resume sw || die "resume failed"
core_expect_info sw State ACTIVE
core_expect_info sw "Tables present" LIVE
core_expect_data /tmp/sw.a /dev/mapper/sw 0 "sw does not show region A again"

echo "suspend and resume without a new table keep the mapping"
run dmsetup suspend sw || die "suspend failed"
run dmsetup resume sw || die "resume failed"
expect_eq "$(dmsetup table sw)" "0 2048 linear 1:0 0" "table after suspend/resume"
core_expect_data /tmp/sw.a /dev/mapper/sw 0 "suspend/resume changed the data"

run dmsetup remove sw || die "remove failed"
core_expect_no_devices
