# sdm-drivers: sdm -- needs sdm_test_targets.ko, which registers with sdm
# 1000 test target types need ~32 KiB of reply, twice libdevmapper's
# first buffer: sdm sets DM_BUFFER_FULL_FLAG and libdevmapper retries with
# a bigger one.  Every type (and sdm's own four) comes back exactly once.
. /sdm/lib.sh

test_targets_load count=1000 || die "cannot load the test targets"
dmsetup targets > /tmp/targets || die "dmsetup targets failed"
expect_eq "$(grep -c '^sdmtest' /tmp/targets)" 1000 "number of listed test targets"
expect_eq "$(sort -u /tmp/targets | wc -l)" 1004 "distinct listed targets"
expect_eq "$(head -n 1 /tmp/targets)" "$(printf '%-16s v1.999.7' sdmtest999)" "first line"
expect_eq "$(tail -n 5 /tmp/targets | head -n 1)" "$(printf '%-16s v1.0.7' sdmtest0)" "last test target"
expect_eq "$(tail -n 1 /tmp/targets)" "$(printf '%-16s v1.7.0' error)" "last line"
