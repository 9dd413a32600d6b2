# The oracle: the scripted dmsetup sequence (dmsetup.seq: creates, loads,
# suspends, reloads, clears, removes, renames, messages, geometry, every
# target type, read-only and persistent-minor devices, and the failing
# cases: bad names, unknown targets, gaps, overlaps, wrong arguments,
# renames onto existing names) runs against dm_mod and then against sdm in
# the same boot; the transcripts (command, output, exit status) and the
# uevent logs must be identical.  A difference is printed as a diff, dm_mod
# the "-" side and sdm the "+" side.
# sdm-timeout: 300
. /sdm/lib.sh

oracle_half dm_mod /tmp/oracle-dm_mod || die "dm_mod or brd did not load or unload"
oracle_check_sequence /tmp/oracle-dm_mod
oracle_half sdm /tmp/oracle-sdm || die "sdm or brd did not load or unload"
rc=0
oracle_compare /tmp/oracle-dm_mod /tmp/oracle-sdm "transcripts" || rc=1
oracle_compare /tmp/oracle-dm_mod.uevents /tmp/oracle-sdm.uevents "uevents" || rc=1
[ $rc -eq 0 ] || die "sdm and dm_mod differ"
