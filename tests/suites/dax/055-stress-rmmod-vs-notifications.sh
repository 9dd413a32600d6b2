# sdm-drivers: sdm -- sdm's holder layer and its module's unloading under notifications
# sdm-kernels: stock debug kcsan
# sdm-cpus: 2
# sdm-timeout: 600
# Unloading sdm while memory-failure notifications come in.  One racer
# poisons pages of pmem by physical address (hard_offline_page), a new
# page every time, in slot 5 (104..127 MiB); nothing maps them as a file
# or as metadata, so each one must fail with EBUSY: memory_failure()'s
# generic handling, whether or not the notification went through sdm.
# The other racer, round after round: creates st, a linear device over
# that range of the whole pmem0 (its table device registers sdm's holder
# on pmem0's dax_device), removes it again (the holder is released:
# fs_put_dax()), unloads sdm (rmmod) and loads it again.  A notification
# that read sdm's holder_ops just before the release may still be in sdm
# code when rmmod comes: module exit must wait for it (the dax_srcu grace
# period of sdm_dax_exit()).  No splat (KASAN, lockdep, debug objects on
# the debug kernel), no hang, every rmmod succeeds, and each racer does a
# minimum of rounds (see MIN below; race_team).
. /sdm/lib.sh
dax_start none
s=$(dax_slot 5 104)
pages=$((23 * DAX_MIB / 8))
# MIN (see race_team): measured in races of 10 s (stock sdm) and of 25 s
# (debug sdm, where the cycler's minimum held the race up): pages
# poisoned 92/11, rounds of the cycler 10/3.
min_poison=10
min_cycle=3
race_team 10

poison() {
	[ "$RACE_N" -lt $pages ] || die "no page left to poison in the range"
	local out
	out=$(dax_poison $(((s + RACE_N * 8) * 512)) "Device or resource busy") ||
		{ echo "$out"; return 1; }
}

cycle() {
	dmsetup create st --table "0 $((24 * DAX_MIB)) linear /dev/pmem0 $s" &&
		dmsetup remove st && rmmod sdm && insmod "$SDM_MODULES/sdm.ko"
}

race_loop poisoner $min_poison "pages poisoned by physical address (notifications)" poison & p1=$!
race_loop cycler $min_cycle "rounds of create, remove, rmmod and insmod of sdm" cycle & p2=$!
core_reap $p1 $p2

module_loaded sdm || die "sdm is not loaded after the race"
core_expect_no_devices
