# sdm-kernels: stock -- watches the queue's usage counter with a kprobe (the debug kernels have no kprobes)
# sdm-drivers: sdm -- the counter's mode at a removal is sdm's own design; dm_mod leaves it per-CPU
# Removing a closed device waits for no RCU grace period.  sdm keeps its
# queue's usage counter (q_usage_counter) atomic while nobody has the disk
# open, so the kill in del_gendisk() takes it to zero at once and its
# release function runs right there, in the remover's process context.
# The kill of a per-CPU counter waits for a grace period, and the release
# runs from an RCU callback instead: brd's disks, removed at the end,
# show that in the same boot.  A kprobe on the release function records
# who ran it.
. /sdm/lib.sh
core_start 16
# shellcheck disable=SC2034 # used by core_cleanup
CORE_CLEANUP="echo 0 > $DAX_TRACING/tracing_on; dax_kprobe_stop sdm_usage_release"
dax_kprobe_start sdm_usage_release blk_queue_usage_counter_release
echo 1 > "$DAX_TRACING/tracing_on"

# releases CMD...: run CMD and print, for each counter release meanwhile,
# "own" if CMD's own process ran it outside interrupts and softirqs, or
# "other:" with the context that did
releases() {
	local comm=${1##*/}
	echo > "$DAX_TRACING/trace"
	"$@" > /dev/null || die "$* failed"
	awk -v comm="$comm" '/ sdm_usage_release: / {
		task = $1
		sub(/-[0-9]+$/, "", task)
		# the flags column: irqs-off, need-resched, hardirq/softirq, ...
		if (task == comm && substr($3, 3, 1) == ".")
			print "own"
		else
			print "other:" task ":" $3
	}' "$DAX_TRACING/trace"
}

echo "a device never opened"
run dmsetup create uc1 --table "0 1024 linear /dev/ram0 0" || die "create uc1 failed"
expect_eq "$(releases dmsetup remove uc1)" own "release of uc1's counter at its removal"

echo "a device opened, read and closed again"
run dmsetup create uc2 --table "0 1024 linear /dev/ram0 0" || die "create uc2 failed"
run dd if=/dev/mapper/uc2 of=/dev/null bs=4k count=16 iflag=direct 2> /dev/null ||
	die "read of uc2 failed"
# the close queued the switch back to atomic mode, which a kworker makes
sleep 1
expect_eq "$(releases dmsetup remove uc2)" own "release of uc2's counter at its removal"
core_expect_no_devices

echo "the control: brd's per-CPU counters"
r=$(releases busybox rmmod brd)
case $r in
other:*) echo "brd's counter was released from ${r#other:}" ;;
own*) die "rmmod released brd's counter itself ($r): the probe cannot tell the modes apart" ;;
*) die "no release of brd's counter was seen ('$r'): the probe sees nothing" ;;
esac
