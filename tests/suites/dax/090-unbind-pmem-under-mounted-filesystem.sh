# sdm-drivers: sdm -- forwards the namespace removal through sdm's holder layer
# sdm-not-on: v61 -- 6.1's kill_dax() says no MF_MEM_PRE_REMOVE, and sdm does not forward what it sends there (dax/091)
# sdm-timeout: 600
# Removing the pmem under a mounted DAX filesystem on sdm: unbinding the
# namespace makes kill_dax() send MF_MEM_PRE_REMOVE to sdm's holder, which
# forwards it to the XFS on the mapped device ("Device is about to be
# removed!"); XFS shuts down instead of touching memory that is going
# away, nothing hangs or splats, and umount and dmsetup remove succeed.
# The holder kill_dax() cleared is released without a warning.
#
# A process has a file of that XFS mapped and keeps writing and reading
# its pages (dax_file hold) when the namespace goes: it must get SIGBUS,
# by itself, and exit (status 0) within 30 s; only then are umount and
# remove tried.  Nothing else is possible: on MF_MEM_PRE_REMOVE, XFS
# walks its reverse map and calls mf_dax_kill_procs() for every page of
# every in-core file, which adds MF_MUST_KILL and, for pre-remove,
# collects every process that maps the page, unmaps it and sends that
# process SIGBUS BUS_MCEERR_AO (it is not the task that unbinds); a
# page it had not faulted in would fault on a filesystem that has shut
# down, SIGBUS again.  So a process that is still running, or that
# ended any other way, fails the test.  The namespace is bound again at
# the end for whatever runs next.  (Last in the suite.)
. /sdm/lib.sh
dax_start
dax_pmem0_namespace
ns=$DAX_NS

run dmsetup create un --table "0 $((DAX_SLOT / 2 - 8192)) linear /dev/pmem0 8192" || die "create failed"
dax_mkfs_xfs /dev/mapper/un
dax_mount xfs /dev/mapper/un /mnt/core-un
dax_fs_works /mnt/core-un || die "the filesystem does not work"
disk=$(dm_disk un)

dax_file hold /mnt/core-un/held 16 > /tmp/dax-hold.out 2>&1 & holder=$!
i=0
while ! grep -q "^dax_file: mapped" /tmp/dax-hold.out && [ $i -lt 300 ]; do
	kill -0 $holder 2> /dev/null || { cat /tmp/dax-hold.out; die "dax_file hold exited early"; }
	sleep 0.1
	i=$((i + 1))
done
grep -q "^dax_file: mapped" /tmp/dax-hold.out || die "dax_file hold did not map its file within 30 s"
echo "dax_file hold ($holder) has 16 pages of /mnt/core-un/held mapped and touches them"

m=$(kmsg_mark)
echo "unbinding $ns"
echo "$ns" > /sys/bus/nd/drivers/nd_pmem/unbind || die "unbind failed"
[ ! -b /dev/pmem0 ] || die "pmem0 is still there"
log=$(kmsg_since "$m")
awk '{ print "  " $0 }' <<< "$log"
echo "$log" | grep -q "XFS ($disk): Device is about to be removed" ||
	die "the pre-remove notification did not reach the XFS on $disk"
dax_fs_shut_down /mnt/core-un || die "XFS on $disk did not shut down"
echo "$log" | grep -q "Sending SIGBUS to dax_file:$holder " ||
	die "memory_failure() did not signal dax_file hold ($holder)"

# the process: SIGBUS by itself; never asked to stop
core_expect_completes $holder "dax_file hold, after the namespace went away"
cat /tmp/dax-hold.out
case "$(tail -n 1 /tmp/dax-hold.out)" in
"dax_file: SIGBUS BUS_MCEERR_AO "*) echo "the process mapping the file got SIGBUS BUS_MCEERR_AO" ;;
*) die "dax_file hold did not end with SIGBUS BUS_MCEERR_AO" ;;
esac

run umount /mnt/core-un || die "umount failed"
run dmsetup remove un || die "remove failed"
core_expect_no_devices

echo "$ns" > /sys/bus/nd/drivers/nd_pmem/bind || die "bind failed"
pmem_wait
