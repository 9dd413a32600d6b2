# sdm-drivers: sdm dm_mod
# A linear target naming a device that cannot be used fails with the
# errno of the lookup, at create and at reload: a missing path (ENOENT),
# a path that is not a block device (ENOTBLK), a major:minor with no
# device (ENXIO), a major:minor out of range (EOVERFLOW).
. /sdm/lib.sh
core_start 16

run dmsetup create live --table "0 1024 linear /dev/ram0 0" || die "create failed"
bad() {
	echo "== $2"
	core_expect_refused_create "$1" "0 100 linear $2 0" live
	core_expect_refused_reload "$1" live "0 100 linear $2 0" "0 1024 linear 1:0 0"
}
bad "No such file or directory" /dev/nonexistent
bad "No such file or directory" /dev/mapper/nonexistent
bad "Block device required" /dev/null
bad "Block device required" /tmp
bad "No such device or address" 240:0
bad "Value too large for defined data type" 4096:0
run dmsetup remove live || die "remove failed"
core_expect_no_devices
