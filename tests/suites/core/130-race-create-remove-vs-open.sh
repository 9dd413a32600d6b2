# sdm-timeout: 180
# Lifetime race: devices are created, loaded, resumed and removed in a
# loop (raw ioctls, dynamic and persistent minors, and dmsetup, which also
# makes and deletes /dev/mapper nodes) while other processes open, read
# and close every /dev/dm-* and /dev/mapper/* node they find.  Opens may
# fail only with ENOENT/ENXIO/ENODEV, reads only with EIO (no table yet),
# removes only with EBUSY (open); nothing may splat, and at the end
# everything is gone and the driver and ram disk unload.
. /sdm/lib.sh
core_start 16
secs=25
end=$(core_race_end $secs)

dm_race churn $secs ra 4 /dev/ram0 & p1=$!
dm_race churn $secs rp 4 /dev/ram0 200 & p2=$!
dm_race open $((secs + 2)) & p3=$!
dm_race open $((secs + 2)) & p4=$!
(
	i=0
	while [ "$(date +%s)" -lt "$end" ]; do
		dmsetup create "rs$((i % 2))" --table "0 64 linear /dev/ram0 $((i % 2 * 64))" \
			> /dev/null 2>&1
		dmsetup remove "rs$((i % 2))" > /dev/null 2>&1
		i=$((i + 1))
	done
	echo "dmsetup churn: $i create/remove rounds"
) & p5=$!
core_reap $p1 $p2 $p3 $p4 $p5
# the dmsetup loop may have stopped between its create and its remove
for n in rs0 rs1; do
	if dmsetup info "$n" > /dev/null 2>&1; then
		run dmsetup remove "$n" || die "remove of $n failed"
	fi
done
core_expect_no_devices
core_unload_clean
