# sdm-drivers: sdm -- sdm's holder layer under notifications
# sdm-cpus: 2
# sdm-timeout: 600
# Memory-failure notifications while the tables they walk change: one
# process keeps poisoning pages of files on XFS over sdm device ra (each
# one a notification through sdm's holder on pmem0, which visits every
# user of that holder), while ra itself is suspended, reloaded and resumed,
# device rb (another user of the same holder) has its table swapped between
# two pmem ranges, and devices rc come and go (users joining and leaving
# the holder).  Every poisoned page must still raise SIGBUS at its address;
# nothing may splat (KASAN, lockdep on the debug kernel) or hang.  Each
# racer must also have got somewhere (see MIN below): files poisoned,
# rounds of ra and rb, rc devices made and removed; the race goes on past
# its 10 s until they all have (race_team).
. /sdm/lib.sh
dax_start
s0=$(dax_slot 0)
half=$((DAX_SLOT / 2))
ra_table="0 $half linear /dev/pmem0 $((s0 + half))"

run dmsetup create ra --table "$ra_table" || die "create ra failed"
run dmsetup create rb --table "0 2048 linear /dev/pmem0 $((s0 + 4096))" || die "create rb failed"
dax_mkfs_xfs /dev/mapper/ra
dax_mount xfs /dev/mapper/ra /mnt/core-ra
# MIN (see race_team): fewest measured in races of 20 s, stock sdm / debug sdm:
# files poisoned 68/4, rounds of ra or rb 19/2, rc devices 23/2 (a dmsetup
# takes seconds on the debug kernel).
min_poison=4
min_swap=3
min_churn=3
race_team 10

# one round of each racer (race_loop; RACE_N: the rounds done before)
poison() {
	dax_file poison "/mnt/core-ra/f$RACE_N" 4 > /dev/null
}

swap_ra() {
	dmsetup suspend --nolockfs ra && dmsetup reload ra --table "$ra_table" &&
		dmsetup resume ra
}

swap_rb() {
	dmsetup reload rb --table "0 2048 linear /dev/pmem0 $((s0 + 6144 - RACE_N % 2 * 2048))" &&
		dmsetup suspend rb && dmsetup resume rb
}

churn_rc() {
	dmsetup create "rc$RACE_N" --table "0 2048 linear /dev/pmem0 $((s0 + 2048))" &&
		dmsetup remove "rc$RACE_N"
}

race_loop poisoner $min_poison "files with 4 pages poisoned each (notifications)" poison & p1=$!
race_loop swap_ra $min_swap "suspend/reload/resume rounds of ra" swap_ra & p2=$!
race_loop swap_rb $min_swap "table swaps of rb" swap_rb & p3=$!
race_loop churn_rc $min_churn "creates and removes of an rc device" churn_rc & p4=$!
core_reap $p1 $p2 $p3 $p4

dax_fs_works /mnt/core-ra || die "ra stopped working"
run umount /mnt/core-ra || die "umount failed"
run dmsetup remove ra || die "remove ra failed"
run dmsetup remove rb || die "remove rb failed"
core_expect_no_devices
