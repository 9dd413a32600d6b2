# sdm-drivers: sdm -- loads sdm next to dm_mod itself
# With dm_mod loaded, minor 236 is taken: insmod sdm fails with -EBUSY,
# logs one line naming the conflict and leaves nothing registered.  Once
# dm_mod is gone sdm loads.
. /sdm/lib.sh

run modprobe dm_mod || die "modprobe dm_mod failed"
expect_eq "$(dm_block_majors | wc -l)" 1 "majors with dm_mod alone"
dm_major=$(dm_block_majors)
mark=$(kmsg_mark)
expect_fail_msg "Device or resource busy" insmod "$SDM_MODULES/sdm.ko"
! module_loaded sdm || die "sdm is loaded next to dm_mod"
expect_eq "$(dm_block_majors)" "$dm_major" "device-mapper majors after the failed load"
# (the kernel's own line when the first unsigned or out-of-tree module of
# a boot loads, which may be this one, "tainting kernel" or "taints
# kernel", is not sdm's)
msg=$(kmsg_since "$mark" | grep '^\[[^]]*\] sdm: ' |
	grep -v -e 'tainting kernel$' -e 'taints kernel\.$' || true)
echo "$msg"
expect_eq "$(echo "$msg" | grep -c .)" 1 "sdm kernel messages"
echo "$msg" | grep -q "misc minor 236 (mapper/control) is taken: unload dm_mod first" ||
	die "the message does not name the conflict"

run rmmod dm_mod || die "rmmod dm_mod failed"
sdm_load || die "sdm does not load once dm_mod is gone"
expect_eq "$(char_dev /dev/mapper/control)" "10:236" "control node"
run dmsetup version || die "dmsetup cannot reach sdm"
