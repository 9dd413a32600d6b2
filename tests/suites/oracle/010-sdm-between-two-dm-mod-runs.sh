# sdm-drivers: sdm -- runs the sequence against dm_mod and sdm itself
# sdm-not-on: v61 -- 6.1's dm_mod has an older ABI than the 6.12 one sdm keeps everywhere (it takes control, . and .. as names, reports zero v1.1.0 and error v1.5.0, ENODEV for a path that does not exist)
# sdm-timeout: 450
# The oracle: the scripted dmsetup sequence (dmsetup.seq: creates, loads,
# suspends, reloads, clears, removes, renames, messages, geometry, every
# target type, read-only and persistent-minor devices, and the failing
# cases: bad names, unknown targets, gaps, overlaps, wrong arguments,
# renames onto existing names) runs against dm_mod, then against sdm, then
# against dm_mod again, in one boot.  The two dm_mod runs must give
# identical transcripts (command, output, exit status) and uevent logs, so
# the sequence is deterministic and a difference can only come from the
# driver; sdm's must be identical to them.  A difference is printed as a
# diff, dm_mod the "-" side.  The sequence has at least 60 dmsetup
# operations, with many successful and many failing ones.
#
# On the debug kernel (under KASAN and lockdep, where a run costs four
# times as much) only sdm's run is made, for what KASAN, lockdep and
# kmemleak find in sdm under the sequence; its transcript must still show
# the sequence run through (the counts below).  Whether sdm answers as
# dm_mod does and whether the sequence is deterministic does not depend
# on the kernel: the stock pass of the same make test proves both.
. /sdm/lib.sh
# shellcheck disable=SC2034 # used by oracle_run_sequence
ORACLE_TRACE=/dev/ttyS0

if [ "$SDM_KERNEL" = debug ]; then
	oracle_half sdm /tmp/oracle-sdm || die "sdm or brd did not load or unload"
	oracle_check_sequence /tmp/oracle-sdm
	exit 0
fi
oracle_half dm_mod /tmp/oracle-dm_mod.1 || die "dm_mod or brd did not load or unload"
oracle_check_sequence /tmp/oracle-dm_mod.1
oracle_half sdm /tmp/oracle-sdm || die "sdm or brd did not load or unload"
oracle_half dm_mod /tmp/oracle-dm_mod.2 || die "dm_mod or brd did not load or unload"
same=0
oracle_compare /tmp/oracle-dm_mod.1 /tmp/oracle-dm_mod.2 "dm_mod transcripts" || same=1
oracle_compare /tmp/oracle-dm_mod.1.uevents /tmp/oracle-dm_mod.2.uevents \
	"dm_mod uevents" || same=1
rc=0
oracle_compare /tmp/oracle-dm_mod.1 /tmp/oracle-sdm "transcripts" || rc=1
oracle_compare /tmp/oracle-dm_mod.1.uevents /tmp/oracle-sdm.uevents "uevents" || rc=1
[ $same -eq 0 ] || die "the two runs against dm_mod differ: the sequence is not deterministic"
[ $rc -eq 0 ] || die "sdm and dm_mod differ"
