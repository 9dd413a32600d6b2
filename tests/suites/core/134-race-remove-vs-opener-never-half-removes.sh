# sdm-timeout: 180
# Lifetime race: a device is removed while another process opens and
# closes its dev_t in a loop.  Each remove either succeeds, and then the
# device is gone (no lookup by name or dev_t, no sysfs directory, open
# gives ENXIO), or fails with EBUSY, and then the device is whole: live
# table, not suspended, no inactive table, still readable.  Both outcomes
# must happen; nothing may splat; at the end everything is gone.
. /sdm/lib.sh
core_start 16

dm_race remove-vs-open 20 rv /dev/ram0 150 || die "remove-vs-open failed"
core_expect_no_devices
core_unload_clean
