# sdm-drivers: sdm -- what it checks is sdm's exit waiting for its own releases
# A device's dm/ directory and gendisk are released at their last put,
# which may come after the device's teardown: someone else held them, or
# the debug kernel's DEBUG_KOBJECT_RELEASE runs every release some time
# later from a work item.  Both releases run sdm code, so the removal
# does not wait for them but the module's exit does: rmmod right after a
# remove succeeds, and no release enters the unloaded module (it would
# fault).  On the debug kernel the kernel log must show both releases
# delayed; in a test build each release also sleeps 3 s in sdm (delay
# point late_release), well past the unload of a module that would not
# wait.
. /sdm/lib.sh
core_start 16
late=/sys/kernel/debug/sdm/delay/late_release
if [ -d "$late" ]; then
	echo 3000000 > "$late/us" || die "cannot set the late_release delay"
fi
run dmsetup create late --table "0 1024 linear /dev/ram0 0" || die "create failed"
minor=$(dm_minor late) || die "no minor for late"
major=$(dm_block_majors)
expect_eq "$(cat "/sys/dev/block/$major:$minor/dm/name")" late \
	"dm/name of the new device"
mark=$(kmsg_mark)
run dmsetup remove late || die "remove failed"
core_expect_no_devices
start=$EPOCHREALTIME
core_unload_clean
echo "measured: rmmod of sdm and brd took $(awk -v a="$start" -v b="$EPOCHREALTIME" \
	'BEGIN { printf "%.1f", b - a }') s"
if [ "$SDM_KERNEL" = debug ]; then
	log=$(kmsg_since "$mark")
	for k in dm "dm-$minor"; do
		grep -qE "'$k' \([0-9a-f]+\): kobject_release, parent [0-9a-f]+ \(delayed [0-9]+\)" <<< "$log" ||
			die "the release of '$k' was not delayed (DEBUG_KOBJECT_RELEASE)"
	done
fi
# a release that ran in the freed module would fault by now
sleep 5
exit 0
