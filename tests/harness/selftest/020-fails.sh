# A test that fails: exit status 1.
. /sdm/lib.sh
die "deliberate failure"
