# sdm-drivers: sdm dm_mod
# The queue's write cache and FUA describe the live table, after every
# reload, as on dm_mod.  A device on a null_blk with a volatile write
# cache (cache_size, FUA on) shows queue/write_cache "write back" and
# queue/fua 1, as null_blk does; an error table (no devices) keeps the
# limits the device had (on 6.1: but no write cache, as dm_mod there); a reload onto a ram disk (no cache) shows "write
# through" and 0; back onto null_blk "write back" and 1 again; a table
# over both "write back" and 1.  Each step is checked against those
# values; on the sdm pass the same steps then run on dm_mod in this boot
# and every step must show exactly what dm_mod showed.
. /sdm/lib.sh
core_start 64
# shellcheck disable=SC2034 # used by core_cleanup
CORE_CLEANUP='dmsetup remove_all > /dev/null 2>&1; rmmod null_blk 2> /dev/null'
run modprobe null_blk nr_devices=1 gb=1 memory_backed=1 cache_size=64 ||
	die "modprobe null_blk failed"
[ -b /dev/nullb0 ] || die "/dev/nullb0 did not appear"
expect_eq "$(cat /sys/block/nullb0/queue/write_cache)" "write back" "null_blk's write cache"
expect_eq "$(cat /sys/block/nullb0/queue/fua)" 1 "null_blk's FUA"
expect_eq "$(cat /sys/block/ram0/queue/write_cache)" "write through" "the ram disk's write cache"
expect_eq "$(cat /sys/block/ram0/queue/fua)" 0 "the ram disk's FUA"

# On 6.1 dm took the write cache and FUA from the table's devices, so an
# error table (none) is written through there.
error_wc="write back|1"
[ "$SDM_KERNEL" != v61 ] || error_wc="write through|0"

# steps DRIVER: create wc on null_blk, then reload it step by step; each
# step's queue/write_cache and queue/fua are checked and appended to SEEN
steps() {
	local drv=$1 d step table wc fua
	SEEN=""
	run dmsetup create wc --table "0 65536 linear /dev/nullb0 0" || die "$drv: create failed"
	d=$(dm_disk wc)
	while IFS='|' read -r step wc fua table; do
		if [ "$step" != create ]; then
			table=$(printf '%b' "$table")
			run dmsetup reload wc --table "$table" || die "$drv: reload ($step) failed"
			run dmsetup resume wc || die "$drv: resume ($step) failed"
		fi
		SEEN="$SEEN$step: $(cat "/sys/block/$d/queue/write_cache"), fua $(cat "/sys/block/$d/queue/fua")
"
		expect_eq "$(cat "/sys/block/$d/queue/write_cache")" "$wc" "$drv, $step: queue/write_cache"
		expect_eq "$(cat "/sys/block/$d/queue/fua")" "$fua" "$drv, $step: queue/fua"
	done <<- EOF
		create|write back|1|
		error|$error_wc|0 65536 error
		ram disk|write through|0|0 65536 linear /dev/ram0 0
		null_blk|write back|1|0 65536 linear /dev/nullb0 0
		both|write back|1|0 32768 linear /dev/ram0 0\n32768 32768 linear /dev/nullb0 0
	EOF
	printf '%s' "$SEEN" | awk -v p="  [$drv] " '{ print p $0 }'
	run dmsetup remove wc || die "$drv: remove failed"
	core_expect_no_devices
}

drv=$(dm_driver)
steps "$drv"
if [ "$drv" = sdm ]; then
	seen_sdm=$SEEN
	expect_eq "$(cat /sys/module/sdm/refcnt)" 0 "sdm module references"
	run rmmod sdm || die "rmmod sdm failed"
	run modprobe dm_mod || die "modprobe dm_mod failed"
	steps dm_mod
	expect_eq "$seen_sdm" "$SEEN" "what sdm showed, against dm_mod in this boot"
	echo "sdm showed what dm_mod showed at every step"
	run rmmod dm_mod || die "rmmod dm_mod failed"
else
	expect_eq "$(cat /sys/module/dm_mod/refcnt)" 0 "dm_mod module references"
	run rmmod dm_mod || die "rmmod dm_mod failed"
fi
run rmmod null_blk || die "rmmod null_blk failed: still held"
run rmmod brd || die "rmmod brd failed: still held"
