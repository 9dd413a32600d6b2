# A test that passes but leaves a mapped device behind.
. /sdm/lib.sh
sdm_load > /dev/null || die "cannot load sdm"
dmsetup create selftest-left --table "0 8 zero" || die "create failed"
