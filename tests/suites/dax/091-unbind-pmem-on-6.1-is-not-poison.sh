# sdm-kernels: v61 -- 6.1's kill_dax() has no MF_MEM_PRE_REMOVE (dax/090 is the test of the kernels that have it)
# sdm-drivers: sdm dm_mod
# sdm-timeout: 600
# Removing the pmem under a mounted DAX XFS on Debian's 6.1, whose
# kill_dax() tells the holder of the pmem's dax_device with a report of
# the whole device that carries no MF_MEM_PRE_REMOVE: an XFS told of it
# would take all of its memory for poisoned and shut down as corrupt.
# sdm holds the pmem's dax_device and gets that report; it does not
# forward it, and says so in one line.  dm_mod holds nothing and is never
# told.  So on both drivers (on the sdm pass both, in this boot; slot 0's
# MiB 4..64, which dax/090 uses on the other kernels): unbinding the namespace
# returns, no XFS shuts down or reports corruption while it does, and
# umount and dmsetup remove succeed (whatever the umount's writes to the
# vanished pmem report).  The namespace is bound again after each half.
. /sdm/lib.sh

# unbind_under DRIVER: one half of the test, the driver loaded
unbind_under() {
	local ns disk log m
	dax_pmem0_namespace
	ns=$DAX_NS

	run dmsetup create un --table "0 $((DAX_SLOT / 2 - 8192)) linear /dev/pmem0 8192" ||
		die "$1: create failed"
	dax_mkfs_xfs /dev/mapper/un
	dax_mount xfs /dev/mapper/un /mnt/core-un
	dax_fs_works /mnt/core-un || die "$1: the filesystem does not work"
	disk=$(dm_disk un)

	m=$(kmsg_mark)
	echo "$1: unbinding $ns"
	echo "$ns" > /sys/bus/nd/drivers/nd_pmem/unbind || die "$1: unbind failed"
	[ ! -b /dev/pmem0 ] || die "$1: pmem0 is still there"
	log=$(kmsg_since "$m")
	awk '{ print "  " $0 }' <<< "$log"
	if grep -E "XFS \\($disk\\).*([Ss]hut|[Cc]orrupt)" <<< "$log"; then
		die "$1: the XFS on $disk shut down when the pmem went away"
	fi
	local said=0
	grep -q "sdm: a DAX device under sdm goes away: not forwarded" <<< "$log" && said=1
	if [ "$1" = sdm ]; then
		expect_eq $said 1 "sdm: the line saying the removal was not forwarded"
	else
		expect_eq $said 0 "dm_mod: a line of sdm's"
	fi

	run umount /mnt/core-un || die "$1: umount failed"
	run dmsetup remove un || die "$1: remove failed"
	core_expect_no_devices
	echo "$ns" > /sys/bus/nd/drivers/nd_pmem/bind || die "$1: bind failed"
	pmem_wait
}

dax_start
drv=$(dm_driver)
unbind_under "$drv"
if [ "$drv" = sdm ]; then
	run rmmod sdm || die "rmmod sdm failed"
	run modprobe dm_mod || die "modprobe dm_mod failed"
	unbind_under dm_mod
	echo "sdm and dm_mod in this boot: the same outcome"
	run rmmod dm_mod || die "rmmod dm_mod failed"
fi
