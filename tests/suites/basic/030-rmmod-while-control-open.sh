# sdm-drivers: sdm -- sdm's module reference count
# An open control file pins the module: rmmod is refused until it closes.
. /sdm/lib.sh

sdm_load || die "insmod failed"
exec 5<>/dev/mapper/control || die "cannot open /dev/mapper/control"
expect_eq "$(cat /sys/module/sdm/refcnt)" 1 "refcnt with the control file open"
expect_fail_msg "in use" rmmod sdm
module_loaded sdm || die "sdm unloaded while its control file was open"
exec 5>&-
expect_eq "$(cat /sys/module/sdm/refcnt)" 0 "refcnt after close"
run rmmod sdm || die "rmmod after close failed"
