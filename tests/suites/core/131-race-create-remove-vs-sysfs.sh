# sdm-drivers: sdm dm_mod
# sdm-kernels: stock debug kcsan
# sdm-cpus: 2
# sdm-timeout: 180
# Lifetime race (upstream CVE-2017-18203, dm_get_from_kobject vs
# __dm_destroy): devices are created and removed in a loop while two
# readers keep reading dm/name, dm/uuid, dm/suspended, dev and size of
# every /sys/block/dm-*.  Reads may fail only as the device goes away;
# nothing may splat; at the end everything is gone.  Each racer must also
# have got somewhere (see MIN below): full create/load/resume/remove
# cycles, attribute reads that returned data; the race goes on past its
# 10 s until they all have (race_team).
. /sdm/lib.sh
core_start 16
secs=10
# MIN (see race_team): fewest measured in races of 20 s, stock sdm / stock dm_mod /
# debug sdm: churn cycles 192/151/29, attribute reads that returned data
# 37584/49462/267.
min_churn=10
min_sysfs=100
race_team $secs

race_role $min_churn churn $secs sa 3 /dev/ram0 & p1=$!
race_role $min_churn churn $secs sp 3 /dev/ram0 300 & p2=$!
race_role $min_sysfs sysfs $((secs + 2)) & p3=$!
race_role $min_sysfs sysfs $((secs + 2)) & p4=$!
core_reap $p1 $p2 $p3 $p4
core_expect_no_devices
core_unload_clean
