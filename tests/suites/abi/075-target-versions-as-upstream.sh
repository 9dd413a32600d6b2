# sdm-drivers: sdm dm_mod
# dmsetup targets (LIST_VERSIONS) lists linear v1.4.0, striped v1.6.0,
# error v1.7.0 and zero v1.2.0 (sdm may list more, so each line is checked
# on its own); dmsetup target-version (GET_TARGET_VERSION) prints the same
# lines for the named targets and fails an unknown one with EINVAL.
. /sdm/lib.sh
abi_start

dmsetup targets > /tmp/tv.out || die "dmsetup targets failed"
cat /tmp/tv.out
for t in "linear           v1.4.0" "striped          v1.6.0" "error            v1.7.0" \
	"zero             v1.2.0"; do
	grep -qx "$t" /tmp/tv.out || die "dmsetup targets: no line '$t'"
done
expect_eq "$(dmsetup target-version striped zero error linear)" \
	"striped          v1.6.0
zero             v1.2.0
error            v1.7.0
linear           v1.4.0" "dmsetup target-version"
expect_fail_msg "Invalid argument" dmsetup target-version nosuch
expect_fail_msg "Invalid argument" dmsetup target-version linear nosuch
