# sdm-drivers: sdm -- needs sdm_test_targets.ko, which registers with sdm
# dmsetup targets / target-version list exactly the registered types, in
# upstream's order (latest registration first), with their versions: the
# test types, then sdm's own.
. /sdm/lib.sh

test_targets_load count=3 || die "cannot load the test targets"
out=$(dmsetup targets) || die "dmsetup targets failed"
echo "$out"
expected=$(printf '%-16s v%s\n' sdmtest2 1.2.7 sdmtest1 1.1.7 sdmtest0 1.0.7 \
	zero 1.2.0 striped 1.6.0 linear 1.4.0 error 1.7.0)
expect_eq "$out" "$expected" "dmsetup targets"

out=$(dmsetup target-version sdmtest1) || die "dmsetup target-version failed"
echo "$out"
expect_eq "$out" "$(printf '%-16s v%s' sdmtest1 1.1.7)" "target-version"
expect_fail_msg "Invalid argument" dmsetup target-version nosuchtarget

run rmmod sdm_test_targets || die "rmmod sdm_test_targets failed"
expect_fail_msg "Invalid argument" dmsetup target-version sdmtest1
