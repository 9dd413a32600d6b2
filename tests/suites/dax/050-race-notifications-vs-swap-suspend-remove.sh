# sdm-drivers: sdm -- sdm's holder layer under notifications
# sdm-kernels: stock debug kcsan
# sdm-cpus: 2
# sdm-timeout: 600
# Memory-failure notifications while the holders and tables they walk
# change.  One process keeps poisoning pages of files on XFS on sdm device
# ra (madvise(MADV_HWPOISON): each one a notification to sdm's holder on
# pmem0, which visits every user of that holder).  ra is stacked: it maps
# a lower sdm device rlN, a linear over pmem0 (slot 0, 64..128 MiB), so a
# notification goes from pmem0's holder through rlN's to ra's XFS.
# Meanwhile:
#
# * the mapping of ra changes: it is suspended, reloaded with one or two
#   linear targets over rlN (split at another sector each time, the same
#   data) and resumed; and every other round ra moves to a new lower
#   device: rlN+1 is created over the same pmem, ra reloaded onto it and
#   resumed, and rlN removed.  That releases the holder sdm registered on
#   rlN's dax_device (its only whole-disk user, ra's table, is gone) and
#   claims one on rlN+1's, while notifications run through both;
# * device rb (another user of pmem0's holder) has its table swapped
#   between two pmem ranges;
# * devices rc come and go (users joining and leaving the holder);
# * an XFS on device rm (slot 3, 112..128 MiB, another user of pmem0's
#   holder) is mounted, written and unmounted (its holder registers on
#   rm's dax_device and goes again).
#
# Every poisoned page must still raise SIGBUS at its address (forwarded
# to XFS, or by memory_failure()'s generic handling when a notification
# finds no holder on its way); nothing may splat (KASAN, lockdep on the
# debug kernel) or hang.  Each racer must also have got somewhere (see
# MIN below): files poisoned, rounds of ra (both kinds) and rb, rc devices
# made and removed, mounts of rm; the race goes on past its 10 s until
# they all have (race_team).
#
# pmem0's own holder cannot be released here: ra's XFS keeps a table
# device of pmem0 open the whole time.  055 releases and claims it (with
# rmmod) under notifications by physical address.
. /sdm/lib.sh
dax_start xfs
s0=$(dax_slot 0)
half=$((DAX_SLOT / 2))
rl_table="0 $half linear /dev/pmem0 $((s0 + half))"

run dmsetup create rl0 --table "$rl_table" || die "create rl0 failed"
run dmsetup create ra --table "0 $half linear /dev/mapper/rl0 0" || die "create ra failed"
run dmsetup create rb --table "0 2048 linear /dev/pmem0 $((s0 + 4096))" || die "create rb failed"
run dmsetup create rm --table "0 $((16 * DAX_MIB)) linear /dev/pmem0 $(dax_slot 3 112)" ||
	die "create rm failed"
dax_mkfs_xfs /dev/mapper/ra
dax_mkfs_xfs /dev/mapper/rm
dax_mount xfs /dev/mapper/ra /mnt/core-ra
mkdir -p /mnt/core-rm
# MIN (see race_team): measured in a race of 10 s on stock sdm and one of
# about 50 s on debug sdm (held up by a minimum of 6 rounds of ra, up to
# five dmsetup commands each, with the host loaded): files poisoned 53/30,
# rounds of ra 6/6, of rb 10/9, rc devices 13/12, mounts of rm 21/13.
# With these minimums the debug race ended within 15 s.  Three rounds of
# ra move it twice.
min_poison=4
min_ra=3
min_swap=3
min_churn=3
min_mount=3
race_team 10

# one round of each racer (race_loop; RACE_N: the rounds done before)
poison() {
	dax_file poison "/mnt/core-ra/f$RACE_N" 4 > /dev/null
}

# ra: even rounds move it to a new lower device and remove the old one,
# odd rounds keep the lower device; every third round splits the table in
# two targets at another sector, the others have one target
ra_lower=0
ra_round() {
	local k=$(((RACE_N % 15 + 1) * 8192)) table lower=$ra_lower
	if [ $((RACE_N % 2)) = 0 ]; then
		lower=$((ra_lower + 1))
		dmsetup create "rl$lower" --table "$rl_table" || return 1
	fi
	table="0 $half linear /dev/mapper/rl$lower 0"
	if [ $((RACE_N % 3)) = 0 ]; then
		table="0 $k linear /dev/mapper/rl$lower 0
$k $((half - k)) linear /dev/mapper/rl$lower $k"
	fi
	dmsetup suspend --nolockfs ra && dmsetup reload ra --table "$table" &&
		dmsetup resume ra || return 1
	if [ "$lower" != "$ra_lower" ]; then
		dmsetup remove "rl$ra_lower" || return 1
		ra_lower=$lower
	fi
}

swap_rb() {
	dmsetup reload rb --table "0 2048 linear /dev/pmem0 $((s0 + 6144 - RACE_N % 2 * 2048))" &&
		dmsetup suspend rb && dmsetup resume rb
}

churn_rc() {
	dmsetup create "rc$RACE_N" --table "0 2048 linear /dev/pmem0 $((s0 + 2048))" &&
		dmsetup remove "rc$RACE_N"
}

mount_rm() {
	mount -t xfs -o dax=always /dev/mapper/rm /mnt/core-rm &&
		dax_fs_works /mnt/core-rm && umount /mnt/core-rm
}

race_loop poisoner $min_poison "files with 4 pages poisoned each (notifications)" poison & p1=$!
race_loop ra $min_ra "rounds of ra (new tables, every other one on a new lower device)" ra_round & p2=$!
race_loop swap_rb $min_swap "table swaps of rb" swap_rb & p3=$!
race_loop churn_rc $min_churn "creates and removes of an rc device" churn_rc & p4=$!
race_loop mount_rm $min_mount "mounts and unmounts of the XFS on rm" mount_rm & p5=$!
core_reap $p1 $p2 $p3 $p4 $p5

dax_fs_works /mnt/core-ra || die "ra stopped working"
run umount /mnt/core-ra || die "umount failed"
lower=$(dmsetup deps -o devname ra | sed -n 's/.*(\(rl[0-9]*\)).*/\1/p')
[ -n "$lower" ] || die "cannot tell ra's lower device: $(dmsetup deps -o devname ra)"
echo "ra is on $lower now"
for d in ra "$lower" rb rm; do
	run dmsetup remove "$d" || die "remove $d failed"
done
core_expect_no_devices
