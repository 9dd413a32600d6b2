# sdm-timeout: 180
# Lifetime race (upstream CVE-2017-18203, dm_get_from_kobject vs
# __dm_destroy): devices are created and removed in a loop while two
# readers keep reading dm/name, dm/uuid, dm/suspended, dev and size of
# every /sys/block/dm-*.  Reads may fail only as the device goes away;
# nothing may splat; at the end everything is gone.
. /sdm/lib.sh
core_start 16
secs=20

dm_race churn $secs sa 3 /dev/ram0 & p1=$!
dm_race churn $secs sp 3 /dev/ram0 300 & p2=$!
dm_race sysfs $((secs + 2)) & p3=$!
dm_race sysfs $((secs + 2)) & p4=$!
core_reap $p1 $p2 $p3 $p4
core_expect_no_devices
core_unload_clean
