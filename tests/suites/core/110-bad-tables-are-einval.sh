# sdm-drivers: sdm dm_mod
# Malformed linear tables are refused with EINVAL ("Invalid argument"),
# both as the first table of a new device (dmsetup create then removes
# the device again) and as a reload of a live device (which keeps its
# table and gets no inactive one): a gap, an overlap, a first target not
# at sector 0, a zero length, an unknown target type, the wrong number of
# linear arguments, an offset that is not a number.
. /sdm/lib.sh
core_start 16

run dmsetup create live --table "0 1024 linear /dev/ram0 0" || die "create failed"
# On the debug kernel, where a dmsetup takes a third of a second, the
# first two tables (one refused once all its targets are built, one by
# its target's constructor) take all three ways in, the others only the
# reload: where a table is refused does not depend on the state of its
# device, and each way's unwinding is taken from both places.
ways=3
bad() {
	echo "== $1"
	if [ "$ways" = 3 ]; then
		core_expect_refused_create "Invalid argument" "$2" live
		core_expect_refused_first_load "Invalid argument" new2 "$2"
	fi
	core_expect_refused_reload "Invalid argument" live "$2" "0 1024 linear 1:0 0"
	core_expect_info live State ACTIVE
}
bad "gap" "0 100 linear /dev/ram0 0
200 100 linear /dev/ram0 0"
bad "offset abc" "0 100 linear /dev/ram0 abc"
[ "$SDM_KERNEL" != debug ] || ways=1
bad "overlap" "0 100 linear /dev/ram0 0
50 100 linear /dev/ram0 200"
bad "first target not at 0" "8 100 linear /dev/ram0 0"
bad "zero length" "0 0 linear /dev/ram0 0"
bad "zero length second target" "0 100 linear /dev/ram0 0
100 0 linear /dev/ram0 0"
bad "unknown target type" "0 100 nosuchtarget /dev/ram0 0"
bad "one linear argument" "0 100 linear /dev/ram0"
bad "three linear arguments" "0 100 linear /dev/ram0 0 1"
bad "no linear arguments" "0 100 linear"
bad "offset 12x" "0 100 linear /dev/ram0 12x"
bad "offset 0x10" "0 100 linear /dev/ram0 0x10"
run dmsetup remove live || die "remove failed"
core_expect_no_devices
