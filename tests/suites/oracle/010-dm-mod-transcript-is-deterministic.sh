# The harness checks itself: the oracle's sequence (dmsetup.seq) run twice
# against upstream's dm_mod in one boot gives identical transcripts and
# uevent logs, so any difference the next test reports comes from the
# driver.  The sequence has at least 60 dmsetup operations, with many
# successful and many failing ones.
# sdm-timeout: 300
. /sdm/lib.sh
ORACLE_TRACE=/dev/ttyS0

oracle_half dm_mod /tmp/oracle-dm_mod.1 || die "dm_mod or brd did not load or unload"
oracle_check_sequence /tmp/oracle-dm_mod.1
oracle_half dm_mod /tmp/oracle-dm_mod.2 || die "dm_mod or brd did not load or unload"
rc=0
oracle_compare /tmp/oracle-dm_mod.1 /tmp/oracle-dm_mod.2 "dm_mod transcripts" || rc=1
oracle_compare /tmp/oracle-dm_mod.1.uevents /tmp/oracle-dm_mod.2.uevents "dm_mod uevents" || rc=1
[ $rc -eq 0 ] || die "two runs against dm_mod differ: the sequence is not deterministic"
