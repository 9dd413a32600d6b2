# sdm-drivers: sdm -- dm_mod's IMA code double-frees on this path and would take the VM down
# A device whose inactive table was cleared, then renamed and given a
# uuid, then removed: the path on which dm_mod's IMA measurement code
# (Debian 6.12.117) frees the same buffer twice and corrupts the slab,
# which is why the oracle's sequence keeps clears and renames on separate
# devices.  sdm keeps no shared per-table state, so every step works and
# nothing splats (KASAN watches on the debug kernel).  Not run against
# dm_mod: it would take the VM down.
. /sdm/lib.sh
[ "$(dm_driver)" = sdm ] || die "not run against $(dm_driver): its IMA code double-frees here"
abi_start 16

run dmsetup create cr --table "0 64 linear /dev/ram0 0" || die "create failed"
run dmsetup reload cr --table "0 128 zero" || die "reload failed"
run dmsetup clear cr || die "clear failed"
core_expect_info cr "Tables present" LIVE
run dmsetup rename cr cr2 || die "rename failed"
run dmsetup rename cr2 --setuuid cr2-uuid || die "rename --setuuid failed"
run dmsetup reload cr2 --table "0 256 zero" || die "second reload failed"
run dmsetup clear cr2 || die "second clear failed"
run dmsetup rename cr2 cr3 || die "second rename failed"
expect_eq "$(dmsetup table cr3)" "0 64 linear 1:0 0" "table of cr3"
expect_eq "$(dmsetup info -c --noheadings -o uuid cr3)" cr2-uuid "uuid of cr3"
run dmsetup remove cr3 || die "remove failed"
core_expect_no_devices
core_unload_clean
