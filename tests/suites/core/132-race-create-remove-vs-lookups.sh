# sdm-timeout: 180
# Lifetime race: devices are created (dynamic and persistent minors) and
# removed in a loop while lookups by name, uuid and major:minor (raw
# DEV_STATUS, TABLE_STATUS, LIST_DEVICES) and dmsetup info / ls / table
# keep asking for them.  A lookup either finds the device it asked for or
# fails with ENXIO; listings stay well formed; nothing may splat; at the
# end everything is gone.
. /sdm/lib.sh
core_start 16
secs=20
end=$(core_race_end $secs)
major=$(dm_block_majors)

dm_race churn $secs la 4 /dev/ram0 & p1=$!
dm_race churn $secs lp 4 /dev/ram0 0 & p2=$!
dm_race lookup $((secs + 1)) la 4 & p3=$!
dm_race lookup $((secs + 1)) lp 4 & p4=$!
(
	i=0
	while [ "$(date +%s)" -lt "$end" ]; do
		dmsetup info "la$((i % 4))" > /dev/null 2>&1
		dmsetup info -j "$major" -m $((i % 4)) > /dev/null 2>&1
		dmsetup table "lp$((i % 4))" > /dev/null 2>&1
		dmsetup ls > /dev/null 2>&1 || { echo "dmsetup ls failed"; exit 1; }
		i=$((i + 1))
	done
	echo "dmsetup lookups: $i rounds"
) & p5=$!
core_reap $p1 $p2 $p3 $p4 $p5
core_expect_no_devices
core_unload_clean
