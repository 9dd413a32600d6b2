# sdm-drivers: sdm -- sdm reports the version of the header it was built against
# The real dmsetup talks to sdm and reports the interface version of the
# uapi header sdm was built against.
. /sdm/lib.sh

sdm_load || die "insmod failed"
out=$(dmsetup version 2>&1) || { echo "$out"; die "dmsetup version failed"; }
echo "$out"
drv=$(echo "$out" | sed -n 's/^Driver version: *//p')
expect_eq "$drv" "$SDM_EXPECT_VERSION" "dmsetup driver version"
