# sdm-drivers: sdm -- sdm's holder layer and its module's unloading
# A memory failure notification is inside sdm's holder_ops when its last
# device goes and rmmod comes: module exit waits for it (the dax_srcu
# grace period of sdm_dax_exit()), and it then finds no holder and lets
# memory_failure() run its generic handling (EBUSY: nobody maps the
# page).  The device, nt, maps a range of the whole pmem0 at an offset
# that is not page aligned: its table device holds pmem0's dax_device for
# sdm, but nt has no DAX table and so no dax_device of its own, whose
# kill_dax() would wait for the notification before rmmod could start.
# In a test build of sdm the notification is held in sdm for 3 s (delay
# point "notify") and must have been: the deterministic form of the race
# dax/055 stresses.  Page 127..128 MiB of slot 5 (lib.d/dax.sh).
. /sdm/lib.sh
dax_start
s=$(dax_slot 5 127)
delay=/sys/kernel/debug/sdm/delay/notify

run dmsetup create nt --table "0 1024 linear /dev/pmem0 $((s + 1))" ||
	die "create nt failed"
expect_eq "$(dax_queue nt)" 0 "nt queue/dax (not page aligned)"
hits=""
if [ -d "$delay" ]; then
	hits=$(cat "$delay/hits")
	echo 3000000 > "$delay/us" || die "cannot set the notify delay"
fi
(dax_poison $((s * 512 + 8192)) "Device or resource busy") & p=$!
sleep 1
if [ -n "$hits" ]; then
	expect_eq "$(cat "$delay/hits")" $((hits + 1)) "notifications held in sdm"
	echo 0 > "$delay/us"
fi
run dmsetup remove nt || die "remove nt failed"
core_expect_no_devices
start=$EPOCHSECONDS
run rmmod sdm || die "rmmod sdm failed"
echo "rmmod took $((EPOCHSECONDS - start)) s"
wait $p || die "the notification did not end as memory_failure()'s generic handling"
