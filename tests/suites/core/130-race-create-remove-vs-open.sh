# sdm-drivers: sdm dm_mod
# sdm-kernels: stock debug kcsan
# sdm-cpus: 2
# sdm-timeout: 180
# Lifetime race: devices are created, loaded, resumed and removed in a
# loop (raw ioctls, dynamic and persistent minors, and dmsetup, which also
# makes and deletes /dev/mapper nodes) while other processes open, read
# and close every /dev/dm-* and /dev/mapper/* node they find.  Opens may
# fail only with ENOENT/ENXIO/ENODEV, reads only with EIO (no table yet),
# removes only with EBUSY (open); nothing may splat, and at the end
# everything is gone and the driver and ram disk unload.  Each racer must
# also have got somewhere (see MIN below): full create/load/resume/remove
# cycles, opens that got a device, dmsetup create + remove rounds; the
# race goes on past its 10 s until they all have (race_team).
. /sdm/lib.sh
core_start 16
secs=10
# MIN (see race_team): fewest measured in races of 25 s, stock sdm / stock dm_mod /
# debug sdm: churn cycles 191/219/19, opens that got a device 354/383/730,
# dmsetup rounds 24/25/4 (a dmsetup takes seconds on the debug kernel).
min_churn=10
min_open=50
min_dmsetup=3
# An opener finds a device only between its create and its removal, a
# small share of a churn cycle, and fewer on PREEMPT_RT, which has no
# expedited grace periods after boot (rcupdate.rcu_normal_after_boot).
# Opens that got a device in 72 s (SECS and the whole overtime), two
# openers, beside a kernel build: stock 185/190; rt 106/124, and 140/153
# with rcu_normal_after_boot=0; rt in CI beside another VM: 70/123; one
# rt run beside a kernel build took 42 s to reach 30.  Since d0bd330 a
# removal waits for no grace period, so a device lives shorter: one
# stock sdm run at d216a4b got 90/118 in the whole overtime (the minimum
# was 100 then).
[ "$SDM_KERNEL" != rt ] || min_open=20
race_team $secs

race_role $min_churn churn $secs ra 4 /dev/ram0 & p1=$!
race_role $min_churn churn $secs rp 4 /dev/ram0 200 & p2=$!
race_role $min_open open $((secs + 2)) & p3=$!
race_role $min_open open $((secs + 2)) & p4=$!
race_join dmsetup
(
	i=0 rounds=0
	while race_on; do
		n=rs$((i % 2))
		created=0
		dmsetup create "$n" --table "0 64 linear /dev/ram0 $((i % 2 * 64))" \
			> /dev/null 2>&1 && created=1
		# also after a failed create: a remove refused (open) last time;
		# --retry: libdevmapper retries a remove refused as busy
		if dmsetup remove --retry "$n" > /dev/null 2>&1 && [ $created = 1 ]; then
			rounds=$((rounds + 1))
		fi
		i=$((i + 1))
		race_reached dmsetup $rounds $min_dmsetup
	done
	race_expect "dmsetup churn" $rounds $min_dmsetup "create/remove rounds done (of $i)"
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
