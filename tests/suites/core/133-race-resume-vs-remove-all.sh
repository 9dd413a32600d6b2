# sdm-drivers: sdm -- dm_mod's IMA code double-frees when a load races a remove and takes the VM down
# sdm-kernels: stock debug kcsan
# sdm-cpus: 2
# sdm-timeout: 180
# Lifetime race (upstream 2022 UAF of a resume racing remove_all): two
# processes keep devices alive and reload + resume them with alternating
# tables, while REMOVE_ALL (raw, and dmsetup remove_all) keeps removing
# them.  Loads and resumes may fail only with ENXIO (gone), EINVAL (being
# destroyed) or EBUSY (name re-created meanwhile); nothing may splat; at
# the end everything is gone.  Each racer must also have got somewhere:
# resumes with a new table, devices the reloaders found gone (removed
# under them), raw REMOVE_ALLs after which a device listed before was
# gone, dmsetup remove_all calls, opens that got a device.  Which of the
# two removers removed a device cannot be told without keeping them from
# racing each other, and as long as the reloaders keep re-creating
# devices one REMOVE_ALL call can last seconds (it returns only after a
# walk that removed nothing): the removers' own counts are small, the
# reloaders' count of devices found gone is what shows the removals.
# See MIN below; the race goes on past its 10 s until every racer has
# reached its minimum (race_team).
# Not run against dm_mod: on Debian's 6.12.117, table_load() measures the
# new table for IMA (dm_ima_measure_on_table_load) without any lock
# against a remove of the same device, and both free the device's
# inactive-table IMA buffers; within seconds the slab is corrupt and the
# next kmalloc oopses (general protection fault in __kmalloc_noprof under
# dm_ima_alloc_and_copy_device_data or dm_table_complete: CI's run of
# 358c47a, and 3 of 4 runs of this test alone on 2026-12-01).  abi/111
# is left out for the same code.
. /sdm/lib.sh
[ "$(dm_driver)" = sdm ] || die "not run against $(dm_driver): its IMA code double-frees here"
core_start 16
secs=10
# MIN (see race_team): fewest measured in races of 20 s, stock sdm / debug
# sdm: resumes or devices found gone of a reloader 88/15, REMOVE_ALLs that
# removed devices 7/1, dmsetup remove_all calls 16/4, opens that got a
# device 269/412.
min_reload=8
min_remove_all=1
min_dmsetup=2
min_open=100
race_team $secs

race_role $min_reload reload $secs ma 3 /dev/ram0 & p1=$!
race_role $min_reload reload $secs mb 3 /dev/ram0 & p2=$!
race_role $min_remove_all remove-all $secs & p3=$!
race_loop dmsetup $min_dmsetup "remove_all calls done" dmsetup remove_all & p4=$!
race_role $min_open open $((secs + 1)) & p5=$!
core_reap $p1 $p2 $p3 $p4 $p5
run dmsetup remove_all || die "final remove_all failed"
core_expect_no_devices
core_unload_clean
