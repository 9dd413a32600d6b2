# sdm-drivers: sdm dm_mod
# RWF_NOWAIT (how io_uring first issues a read, before it falls back to a
# worker thread) on the mapped device: it works over devices that take
# REQ_NOWAIT (brd) and with targets that never block (linear, striped,
# zero); a table with the error target, or over a device without it (pmem),
# refuses it with EOPNOTSUPP; a reload recomputes it either way, also to a
# table without devices (which otherwise keeps the device's queue limits);
# a suspended device answers EAGAIN.  The same
# expectations run against dm_mod.
. /sdm/lib.sh
core_start 16 2
pmem_load

# expect_nowait DEV WANT [DATA SECTOR]: a 4 KiB RWF_NOWAIT read of DEV at
# SECTOR (0) gives WANT; with DATA, "ok" must also return DATA's first 4 KiB
expect_nowait() {
	local got
	got=$(nowait_read "$1" "${4:-0}" 4096 /tmp/nw.got) || die "nowait_read $1 failed"
	expect_eq "$got" "$2" "RWF_NOWAIT read of $1"
	if [ "$2" = ok ] && [ -n "${3:-}" ]; then
		head -c 4096 "$3" | cmp -s - /tmp/nw.got || die "RWF_NOWAIT read of $1 returned other data"
	fi
}

core_random /tmp/nw.a 64
core_put /tmp/nw.a /dev/ram0 0
core_put /tmp/nw.a /dev/ram1 0

echo "linear over brd"
run dmsetup create nw --table "0 1024 linear /dev/ram0 0" || die "create failed"
expect_nowait /dev/mapper/nw ok /tmp/nw.a

echo "striped over two brd"
run dmsetup create nws --table "0 1024 striped 2 8 /dev/ram0 0 /dev/ram1 0" || die "create striped failed"
expect_nowait /dev/mapper/nws ok /tmp/nw.a
run dmsetup remove nws || die "remove striped failed"

echo "suspended: EAGAIN"
run dmsetup suspend nw || die "suspend failed"
expect_nowait /dev/mapper/nw EAGAIN
run dmsetup resume nw || die "resume failed"
expect_nowait /dev/mapper/nw ok /tmp/nw.a

echo "an error table (no devices): EOPNOTSUPP"
run dmsetup load nw --table "0 1024 error" || die "load of error failed"
run dmsetup resume nw || die "resume with error failed"
expect_nowait /dev/mapper/nw EOPNOTSUPP

echo "a zero table (no devices) after it"
run dmsetup load nw --table "0 1024 zero" || die "load of zero failed"
run dmsetup resume nw || die "resume with zero failed"
expect_nowait /dev/mapper/nw ok
head -c 4096 /dev/zero | cmp -s - /tmp/nw.got || die "the zero table read other than zeroes"

echo "back to brd"
run dmsetup load nw --table "0 1024 linear /dev/ram0 0" || die "load of brd failed"
run dmsetup resume nw || die "resume with brd failed"
expect_nowait /dev/mapper/nw ok /tmp/nw.a

echo "over pmem, which does not take REQ_NOWAIT"
run dmsetup create nwp --table "0 1024 linear /dev/pmem0 0" || die "create over pmem failed"
expect_nowait /dev/mapper/nwp EOPNOTSUPP

echo "one target over pmem is enough"
run dmsetup create nwm --table "0 512 linear /dev/ram0 0
512 512 linear /dev/pmem0 0" || die "create with the mixed table failed"
expect_nowait /dev/mapper/nwm EOPNOTSUPP

echo "a zero table (no devices) after pmem"
run dmsetup load nwp --table "0 1024 zero" || die "load of zero over nwp failed"
run dmsetup resume nwp || die "resume of nwp with zero failed"
expect_nowait /dev/mapper/nwp ok

run dmsetup remove nw nwp nwm || die "remove failed"
core_expect_no_devices
