# sdm-drivers: sdm dm_mod
# sdm-kernels: stock debug kcsan
# sdm-cpus: 2
# sdm-timeout: 180
# Lifetime race: devices are created (dynamic and persistent minors) and
# removed in a loop while lookups by name, uuid and major:minor (raw
# DEV_STATUS, TABLE_STATUS, LIST_DEVICES) and dmsetup info / ls / table
# keep asking for them.  A lookup either finds the device it asked for or
# fails with ENXIO; listings stay well formed; nothing may splat; at the
# end everything is gone.  Each racer must also have got somewhere (see
# MIN below): full create/load/resume/remove cycles, lookups of each kind
# (raw by name, uuid and dev) that found the device asked for, and dmsetup
# info (by name and by number) and table lookups that did; the race goes
# on past its 10 s until they all have (race_team).
. /sdm/lib.sh
core_start 16
secs=10
major=$(dm_block_majors)
# MIN (see race_team): fewest measured in races of 20 s, stock sdm / stock dm_mod /
# debug sdm: churn cycles 155/67/33, raw lookups of one kind that found
# the device 1793/350/270, dmsetup lookups that did 15/5/about 4.
min_churn=10
min_lookup=100
min_dmsetup=3
race_team $secs

race_role $min_churn churn $secs la 4 /dev/ram0 & p1=$!
race_role $min_churn churn $secs lp 4 /dev/ram0 0 & p2=$!
race_role $min_lookup lookup $((secs + 1)) la 4 & p3=$!
race_role $min_lookup lookup $((secs + 1)) lp 4 & p4=$!
race_join dmsetup
(
	# Each round: dmsetup info and dmsetup table of every device (each
	# looked up by the name the listing just gave), dmsetup info by
	# number (the minor of the first device listed, an la: the lowest
	# free minor, given again to the next la at once), dmsetup ls.
	# Counted: info blocks and tables of la*/lp* devices, and lookups by
	# number, that found their device; under the debug kernel a dmsetup
	# takes seconds, so the three are required together.
	i=0 by_name=0 by_number=0 tables=0
	name_re='^Name: +l[ap][0-3]$'
	table_re='^l[ap]([0-3]): 0 ([0-9]+) linear 1:0 ([0-9]+)$'
	while race_on; do
		minor=""
		while IFS= read -r line; do
			if [[ $line =~ $name_re ]]; then
				by_name=$((by_name + 1))
			elif [ -z "$minor" ] &&
				[[ $line =~ ^"Major, minor: "+"$major, "([0-9]+)$ ]]; then
				minor=${BASH_REMATCH[1]}
			fi
		done <<< "$(dmsetup info 2> /dev/null)"
		minor=${minor:-0}
		while IFS= read -r line; do
			# the table dm_race churn loads into la$k and lp$k
			[[ $line =~ $table_re ]] &&
				[ "${BASH_REMATCH[2]}" = $((64 + 8 * BASH_REMATCH[1])) ] &&
				[ "${BASH_REMATCH[3]}" = $((8 * BASH_REMATCH[1])) ] &&
				tables=$((tables + 1))
		done <<< "$(dmsetup table 2> /dev/null)"
		[[ "$(dmsetup info -j "$major" -m "$minor" 2> /dev/null)" =~ \
			$'\n'"Major, minor: "+"$major, $minor"($'\n'|$) ]] &&
			by_number=$((by_number + 1))
		dmsetup ls > /dev/null 2>&1 || die "dmsetup ls failed"
		i=$((i + 1))
		race_reached dmsetup $((by_name + by_number + tables)) $min_dmsetup
	done
	echo "dmsetup lookups: $i rounds; found by name $by_name, by number $by_number, tables $tables"
	race_expect "dmsetup info and table" $((by_name + by_number + tables)) $min_dmsetup \
		"lookups found the device asked for"
) & p5=$!
core_reap $p1 $p2 $p3 $p4 $p5
core_expect_no_devices
core_unload_clean
