# sdm-drivers: sdm -- forwards the namespace removal through sdm's holder layer
# sdm-timeout: 600
# Removing the pmem under a mounted DAX filesystem on sdm: unbinding the
# namespace makes kill_dax() send MF_MEM_PRE_REMOVE to sdm's holder, which
# forwards it to the XFS on the mapped device ("Device is about to be
# removed!"); XFS shuts down instead of touching memory that is going
# away, a process that had a file mapped is not left hanging, nothing
# hangs or splats, and umount and dmsetup remove succeed.  The holder
# kill_dax() cleared is released without a warning.  The namespace is
# bound again at the end for whatever runs next.  (Last in the suite.)
. /sdm/lib.sh
dax_start
ns=$(basename "$(readlink -f /sys/block/pmem0/device)")
case "$ns" in
namespace*) ;;
*) die "cannot find the namespace of pmem0 (got '$ns')" ;;
esac
# shellcheck disable=SC2034 # used by core_cleanup
CORE_CLEANUP="[ -b /dev/pmem0 ] || echo $ns > /sys/bus/nd/drivers/nd_pmem/bind"

run dmsetup create un --table "0 $((DAX_SLOT / 2 - 8192)) linear /dev/pmem0 8192" || die "create failed"
dax_mkfs_xfs /dev/mapper/un
dax_mount xfs /dev/mapper/un /mnt/core-un
dax_fs_works /mnt/core-un || die "the filesystem does not work"
disk=$(dm_disk un)

m=$(kmsg_mark)
echo "unbinding $ns"
echo "$ns" > /sys/bus/nd/drivers/nd_pmem/unbind || die "unbind failed"
[ ! -b /dev/pmem0 ] || die "pmem0 is still there"
log=$(kmsg_since "$m")
awk '{ print "  " $0 }' <<< "$log"
echo "$log" | grep -q "XFS ($disk): Device is about to be removed" ||
	die "the pre-remove notification did not reach the XFS on $disk"
dax_fs_shut_down /mnt/core-un || die "XFS on $disk did not shut down"

run umount /mnt/core-un || die "umount failed"
run dmsetup remove un || die "remove failed"
core_expect_no_devices

echo "$ns" > /sys/bus/nd/drivers/nd_pmem/bind || die "bind failed"
pmem_wait
