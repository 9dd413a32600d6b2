# sdm-drivers: sdm dm_mod
# sdm-kernels: stock debug kcsan
# sdm-cpus: 2
# sdm-timeout: 180
# Lifetime race: a device is removed while another process opens and
# closes its dev_t in a loop.  Each remove either succeeds, and then the
# device is gone (no lookup by name or dev_t, no sysfs directory, open
# gives ENXIO), or fails with EBUSY, and then the device is whole: live
# table, not suspended, no inactive table, still readable.  Both outcomes
# must happen, each at least MIN times (after its 10 s dm_race goes on
# for up to 60 s more until they have); nothing may splat; at the end
# everything is gone.  The opener's reads must not fail on sdm; on dm_mod
# one racing a device's first resume may get EIO (upstream fails a bio
# that finds no table yet, where sdm holds it until the resume is done),
# and dm_race counts those.
. /sdm/lib.sh
core_start 16
# MIN (see race_team in lib.d/core.sh): fewest measured in races of 20 s,
# stock sdm / stock dm_mod / debug sdm: removes done 39/62/54, refused as
# busy 28/52/49; 24 and 9 in 20 s next to a cold kernel build.
min=10

dm_race --min $min remove-vs-open 10 rv /dev/ram0 150 || die "remove-vs-open failed"
core_expect_no_devices
core_unload_clean
