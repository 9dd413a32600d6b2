# sdm-timeout: 600
# Memory-failure notifications while the tables they walk change: one
# process keeps poisoning pages of files on XFS over sdm device ra (each
# one a notification through sdm's holder on pmem0, which visits every
# user of that holder), while ra itself is suspended, reloaded and resumed,
# device rb (another user of the same holder) has its table swapped between
# two pmem ranges, and devices rc come and go (users joining and leaving
# the holder).  Every poisoned page must still raise SIGBUS at its address;
# nothing may splat (KASAN, lockdep on the debug kernel) or hang.
. /sdm/lib.sh
dax_start
s0=$(dax_slot 0)
half=$((DAX_SLOT / 2))
ra_table="0 $half linear /dev/pmem0 $((s0 + half))"

run dmsetup create ra --table "$ra_table" || die "create ra failed"
run dmsetup create rb --table "0 2048 linear /dev/pmem0 $((s0 + 4096))" || die "create rb failed"
dax_mkfs_xfs /dev/mapper/ra
dax_mount xfs /dev/mapper/ra /mnt/core-ra
end=$(core_race_end 20)

poisoner() {
	local n=0
	while [ "$(date +%s)" -lt "$end" ]; do
		dax_file poison /mnt/core-ra/f$n 4 > /dev/null || return 1
		n=$((n + 1))
	done
	echo "poisoner: $n files, $((n * 4)) pages poisoned"
	[ $n -gt 0 ]
}

swap_ra() {
	while [ "$(date +%s)" -lt "$end" ]; do
		dmsetup suspend --nolockfs ra && dmsetup reload ra --table "$ra_table" &&
			dmsetup resume ra || return 1
	done
}

swap_rb() {
	local off=4096
	while [ "$(date +%s)" -lt "$end" ]; do
		off=$((6144 + 4096 - off))
		dmsetup reload rb --table "0 2048 linear /dev/pmem0 $((s0 + off))" &&
			dmsetup suspend rb && dmsetup resume rb || return 1
	done
}

churn_rc() {
	local n=0
	while [ "$(date +%s)" -lt "$end" ]; do
		dmsetup create rc$n --table "0 2048 linear /dev/pmem0 $((s0 + 2048))" &&
			dmsetup remove rc$n || return 1
		n=$((n + 1))
	done
}

poisoner & p1=$!
swap_ra & p2=$!
swap_rb & p3=$!
churn_rc & p4=$!
core_reap $p1 $p2 $p3 $p4

dax_fs_works /mnt/core-ra || die "ra stopped working"
run umount /mnt/core-ra || die "umount failed"
run dmsetup remove ra || die "remove ra failed"
run dmsetup remove rb || die "remove rb failed"
core_expect_no_devices
