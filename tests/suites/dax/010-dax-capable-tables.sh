# sdm-drivers: sdm dm_mod
# sdm-timeout: 300
# Which tables give a mapped device DAX: linear and striped over pmem,
# page aligned, do (queue/dax 1); a ram disk and a table mixing pmem and a
# ram disk do not.  As with dm_mod, the first table fixes the type: a DAX
# device refuses a reload without DAX (EINVAL), except an error table
# (dmsetup remove --force), which turns queue/dax off, while a device that
# started without DAX may take a DAX table later.  An error table and then
# the DAX table again bring queue/dax back to 1 (both drivers).
#
# With XFS mounted -o dax=always on a DAX device, a reload with a table one
# sector off a page boundary is refused by sdm (EINVAL, its message: that
# table is not DAX for sdm, below), and the table, queue/dax and the
# filesystem stay as they were.  dm_mod takes that reload (to it the table
# is DAX, of the same type): its inactive table is cleared unresumed.
#
# Another deliberate difference: having taken a DAX table, such a device
# is a DAX device for sdm and refuses a table without DAX again (a DAX
# filesystem on it would see its pages shift against block I/O), where
# dm_mod, which remembers only its first table's type, accepts it.
#
# A deliberate difference, checked for each driver: dm_mod gives DAX to a
# linear target off a page boundary and to stripes of 2 KiB chunks, as its
# DAX check looks only at the devices; sdm refuses DAX there, because a
# page of the mapped device would then straddle two pages (or two
# devices) below it, and says so in its own words when a reload would
# take DAX away.
. /sdm/lib.sh
if [ "$(dm_driver)" = sdm ]; then
	unaligned_dax=0
	refusal="cannot change a DAX device to a table without DAX"
	dax_sticks=1
else
	unaligned_dax=1
	refusal="can't change device type"
	dax_sticks=0
fi
dax_start
run modprobe brd rd_nr=1 rd_size=65536 max_part=0 || die "modprobe brd failed"
s0=$(dax_slot 1)

run dmsetup create dl --table "0 65536 linear /dev/pmem0 $s0" || die "create dl failed"
expect_eq "$(dax_queue dl)" 1 "linear over pmem: queue/dax"
run dmsetup create ds --table "0 65536 striped 2 128 /dev/pmem0 $((s0 + 65536)) /dev/pmem0 $((s0 + 131072))" ||
	die "create ds failed"
expect_eq "$(dax_queue ds)" 1 "striped over pmem: queue/dax"
run dmsetup create dr --table "0 65536 linear /dev/ram0 0" || die "create dr failed"
expect_eq "$(dax_queue dr)" 0 "linear over a ram disk: queue/dax"
run dmsetup create dm2 --table "0 8192 linear /dev/pmem0 $s0
8192 8192 linear /dev/ram0 0" || die "create dm2 failed"
expect_eq "$(dax_queue dm2)" 0 "pmem and ram disk mixed: queue/dax"
run dmsetup create du --table "0 8192 linear /dev/pmem0 $((s0 + 1))" || die "create du failed"
expect_eq "$(dax_queue du)" $unaligned_dax "linear off a page boundary: queue/dax"
run dmsetup create dc --table "0 16384 striped 2 4 /dev/pmem0 $s0 /dev/pmem0 $((s0 + 8192))" ||
	die "create dc failed"
expect_eq "$(dax_queue dc)" $unaligned_dax "striped with 2 KiB chunks: queue/dax"

# refuses_ram_table NAME: a reload of NAME onto the ram disk fails with
# EINVAL and the driver's message, and NAME keeps only its live table
refuses_ram_table() {
	local m
	m=$(kmsg_mark)
	expect_fail_msg "Invalid argument" dmsetup reload "$1" --table "0 65536 linear /dev/ram0 0"
	kmsg_since "$m" | grep -qF "$refusal" ||
		die "no kernel message for the refused reload of $1"
	core_expect_info "$1" "Tables present" LIVE
}

echo "a DAX device refuses a table without DAX"
refuses_ram_table dl

echo "but takes an error table, and remove --force works"
run dmsetup reload dl --table "0 65536 error" || die "error reload failed"
run dmsetup resume dl || die "resume with the error table failed"
expect_eq "$(dax_queue dl)" 0 "dl with the error table: queue/dax"
run dmsetup remove --force dl || die "remove --force failed"

echo "a device without DAX may take a DAX table"
run dmsetup reload dr --table "0 65536 linear /dev/pmem0 $s0" || die "reload of dr failed"
run dmsetup resume dr || die "resume of dr failed"
expect_eq "$(dax_queue dr)" 1 "dr after a pmem table: queue/dax"

if [ $dax_sticks = 1 ]; then
	echo "and, having had DAX, refuses a table without DAX (sdm)"
	refuses_ram_table dr
	expect_eq "$(dmsetup table dr)" "0 65536 linear $(cat /sys/block/pmem0/dev) $s0" "table of dr"
else
	echo "and takes a table without DAX again (dm_mod)"
	run dmsetup reload dr --table "0 65536 linear /dev/ram0 0" || die "reload of dr failed"
	run dmsetup resume dr || die "resume of dr failed"
	expect_eq "$(dax_queue dr)" 0 "dr back on a ram disk: queue/dax"
fi

# dx_is_dax SINCE: the XFS on dx is mounted with dax=always and said
# nothing of turning DAX off since the kernel log mark SINCE, and works
dx_is_dax() {
	grep -q "^/dev/mapper/dx /mnt/core-dx xfs .*dax=always" /proc/mounts ||
		die "XFS on dx is not mounted with dax=always: $(grep core-dx /proc/mounts)"
	if kmsg_since "$1" | grep -q "Turning off DAX"; then
		die "XFS on dx turned DAX off"
	fi
	dax_fs_works /mnt/core-dx || die "XFS on dx does not work"
}

echo "XFS -o dax=always on a DAX device, then a reload one sector off a page boundary"
sx=$((s0 + 196608))
dx_table="0 65536 linear $(cat /sys/block/pmem0/dev) $sx"
run dmsetup create dx --table "$dx_table" || die "create dx failed"
dax_mkfs_xfs /dev/mapper/dx
m=$(kmsg_mark)
dax_mount xfs /dev/mapper/dx /mnt/core-dx
dx_is_dax "$m"
if [ "$(dm_driver)" = sdm ]; then
	m=$(kmsg_mark)
	expect_fail_msg "Invalid argument" dmsetup reload dx --table "0 65536 linear /dev/pmem0 $((sx + 1))"
	kmsg_since "$m" | grep -qF "$refusal" || die "no kernel message for the refused reload of dx"
else
	# dm_mod: the table is DAX to it (it ignores alignment), so the
	# type does not change and the reload is taken; not resumed here
	run dmsetup reload dx --table "0 65536 linear /dev/pmem0 $((sx + 1))" ||
		die "dm_mod refused the unaligned reload of dx"
	core_expect_info dx "Tables present" "LIVE & INACTIVE"
	run dmsetup clear dx || die "clear of dx failed"
	echo "dm_mod took the unaligned table (dropped again with clear)"
fi
core_expect_info dx "Tables present" LIVE
expect_eq "$(dmsetup table dx)" "$dx_table" "table of dx"
expect_eq "$(dax_queue dx)" 1 "dx queue/dax"
dx_is_dax "$m"

echo "an error table under dx, then its DAX table again"
run umount /mnt/core-dx || die "umount of dx failed"
run dmsetup reload dx --table "0 65536 error" || die "error reload of dx failed"
run dmsetup resume dx || die "resume of dx with the error table failed"
expect_eq "$(dax_queue dx)" 0 "dx with the error table: queue/dax"
run dmsetup reload dx --table "$dx_table" || die "DAX reload of dx failed"
run dmsetup resume dx || die "resume of dx with its DAX table failed"
expect_eq "$(dax_queue dx)" 1 "dx with its DAX table again: queue/dax"
m=$(kmsg_mark)
dax_mount xfs /dev/mapper/dx /mnt/core-dx
dx_is_dax "$m"
run umount /mnt/core-dx || die "umount of dx failed"

for d in ds dr dm2 du dc dx; do
	run dmsetup remove $d || die "remove $d failed"
done
core_expect_no_devices
