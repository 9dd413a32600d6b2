# sdm-kernels: stock -- counts CPU cache write-backs with a kprobe (the debug kernel has no kprobes)
# sdm-drivers: sdm dm_mod
# Whether msync() of a DAX mapping writes CPU caches back to pmem
# (dax_flush(), arch_wb_cache_pmem) depends on the mapped device's
# dax_device, which must flush if any device under the live table has a
# write cache (pmem0's dax/write_cache, switchable here).  Each table
# decides anew: with pmem0's write cache off, then on, then off again,
# each followed by a reload of the same table, an msync after stores must
# write back nothing, then something, then nothing, also when the device's
# dax_device is a recycled one whose flags 6.12 left set.  dm_mod only
# ever turns flushing on, so its last msync still writes back (checked in
# the same boot; its first one writes back too when its dax_device was
# recycled, which is printed, not checked).  Uses 16 MiB of slot 7 that
# 040 formats but never poisons.
. /sdm/lib.sh
dax_start
wc=/sys/block/pmem0/dax/write_cache
[ -w "$wc" ] || die "no writable $wc"
orig=$(cat "$wc")
# shellcheck disable=SC2034 # used by core_cleanup
CORE_CLEANUP="umount /mnt/core-wc 2> /dev/null; echo $orig > $wc; dax_kprobe_stop sdm_wb"
dax_kprobe_start sdm_wb arch_wb_cache_pmem

# writebacks: the calls of arch_wb_cache_pmem so far
writebacks() {
	dax_kprobe_calls sdm_wb
}

# msync_writebacks: stores to a mapped file on the filesystem, then
# msync; prints the cache write-backs that took
msync_writebacks() {
	local before
	xfs_io -f -c "truncate 1m" /mnt/core-wc/f > /dev/null || die "cannot size the file"
	before=$(writebacks)
	xfs_io -c "mmap -w 0 1m" -c "mwrite -S 0x5a 0 1m" -c "msync -s 0 1m" /mnt/core-wc/f ||
		die "mmap, store and msync failed"
	echo $(($(writebacks) - before))
}

table="0 32768 linear /dev/pmem0 $(($(dax_slot 7) + 32768))"
echo 0 > "$wc"
run dmsetup create wc --table "$table" || die "create failed"
dax_mkfs_xfs /dev/mapper/wc
dax_mount xfs /dev/mapper/wc /mnt/core-wc

# same_table_again: the same table, reloaded after the mode change
same_table_again() {
	if ! { run dmsetup suspend wc && run dmsetup reload wc --table "$table" &&
		run dmsetup resume wc; }; then
		die "reload of the same table failed"
	fi
}

off=$(msync_writebacks)
echo "pmem0 without write cache: $off write-backs"
if [ "$(dm_driver)" = sdm ]; then
	expect_eq "$off" 0 "write-backs with no write cache under the table"
else
	# 6.12 recycles dax_devices with their flags, and dm_mod never clears one
	echo "dm_mod: $off write-backs (a recycled dax_device keeps its last write-cache flag)"
fi

echo 1 > "$wc"
same_table_again
on=$(msync_writebacks)
echo "pmem0 with write cache, table reloaded: $on write-backs"
[ "$on" -gt 0 ] || die "msync wrote nothing back although pmem0 has a write cache"

echo 0 > "$wc"
same_table_again
again=$(msync_writebacks)
echo "pmem0 without write cache again, table reloaded: $again write-backs"
if [ "$(dm_driver)" = sdm ]; then
	expect_eq "$again" 0 "write-backs after the write cache went away (sdm)"
else
	[ "$again" -gt 0 ] || die "dm_mod stopped writing back: it no longer keeps flushing on"
fi

run umount /mnt/core-wc || die "umount failed"
run dmsetup remove wc || die "remove failed"
echo "$orig" > "$wc"
core_expect_no_devices
