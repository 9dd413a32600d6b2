# sdm-timeout: 180
# Lifetime race (upstream 2022 UAF of a resume racing remove_all): two
# processes keep devices alive and reload + resume them with alternating
# tables, while REMOVE_ALL (raw, and dmsetup remove_all) keeps removing
# them.  Loads and resumes may fail only with ENXIO (gone), EINVAL (being
# destroyed) or EBUSY (name re-created meanwhile); nothing may splat; at
# the end everything is gone.
. /sdm/lib.sh
core_start 16
secs=20
end=$(core_race_end $secs)

dm_race reload $secs ma 3 /dev/ram0 & p1=$!
dm_race reload $secs mb 3 /dev/ram0 & p2=$!
dm_race remove-all $secs & p3=$!
(
	i=0
	while [ "$(date +%s)" -lt "$end" ]; do
		dmsetup remove_all > /dev/null 2>&1 || { echo "dmsetup remove_all failed"; exit 1; }
		i=$((i + 1))
	done
	echo "dmsetup remove_all: $i calls"
) & p4=$!
dm_race open $((secs + 1)) & p5=$!
core_reap $p1 $p2 $p3 $p4 $p5
run dmsetup remove_all || die "final remove_all failed"
core_expect_no_devices
core_unload_clean
