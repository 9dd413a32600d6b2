# sdm-drivers: sdm -- Debian 6.12.117 dm_mod went down in it (NULL dereference in bioset_exit() under dm_swap_table(), a resume racing the reloads)
# sdm-kernels: stock debug kcsan
# sdm-cpus: 4
# sdm-stress: 15
# sdm-timeout: 420
# Stress (tests/prog/dm_stress.c): seventeen threads on four guest CPUs
# create devices (dynamic and persistent minors), remove them (plain,
# deferred, REMOVE_ALL), open and read them through nodes of their own
# and /dev/dm-N, look them up by name, uuid and number, rename them,
# reload, suspend and resume them, read their sysfs files and holders,
# and poison pages under them by address (each memory failure
# notification walks the devices as they come and go), all at once for
# 15 s (`make stress SECS=N`: N).  The devices map the first MiB of the
# pmem's slot 0 (see lib.d/dax.sh), whose pages are the ones poisoned.
# Every call must end in success or an errno its role allows, each role
# must get MIN operations done, and the invariants hold throughout: a
# device found has the minor its creation got, a minor is never held by
# two devices, an open device stays with its uuid and reads succeed
# (on dm_mod a read may fail with EIO while a first table is being made
# live: 6.12's dm_mod sets the size before it publishes the table, and
# fails bios that find none; sdm holds them), opening a removed device
# is ENXIO, a poisoned page ends in the generic handling (EBUSY).
# Afterwards every device is removable at once, a new device gets the
# minor it got before, the driver unloads, and nothing splats (kmemleak
# runs at the end of the debug pass).
. /sdm/lib.sh
dax_start none
# the runner gives the length: the header's, or make stress's SECS
secs=${SDM_STRESS_SECS:?the runner gives a stress test its length}
# MIN: operations each role must get done (REMOVE_ALL: one).  Fewest
# measured in 15 s, stock sdm / stock dm_mod / debug sdm: creates 117/54/10,
# removes 173/71/27, opens 321/216/109, reloads 648/179/99, pages
# poisoned 190/176/92.  The race goes on (up to 240 s more) until every
# role has its MIN: in a make test whose other VM slot was busy, debug
# sdm's creators had 7 to 10 after 147 s (removals of DAX devices, each
# waiting for a dax_srcu grace period, set their pace).
min=5
opts=(--min "$min")
[ "$(dm_driver)" = sdm ] || opts+=(--unbound-eio)
run dm_stress "${opts[@]}" --poison "$(dax_phys_base)" "$secs" st /dev/pmem0 ||
	die "dm_stress failed"
core_expect_no_devices
dm_unload || die "$(dm_driver) did not unload after the stress"
