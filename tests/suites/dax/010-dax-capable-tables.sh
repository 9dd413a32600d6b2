# sdm-drivers: sdm dm_mod
# sdm-timeout: 300
# Which tables give a mapped device DAX: linear and striped over pmem,
# page aligned, do (queue/dax 1); a ram disk and a table mixing pmem and a
# ram disk do not.  As with dm_mod, the first table fixes the type: a DAX
# device refuses a reload without DAX (EINVAL), except an error table
# (dmsetup remove --force), which turns queue/dax off, while a device that
# started without DAX may take a DAX table later.
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

for d in ds dr dm2 du dc; do
	run dmsetup remove $d || die "remove $d failed"
done
core_expect_no_devices
