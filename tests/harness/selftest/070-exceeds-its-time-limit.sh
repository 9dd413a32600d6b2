# sdm-timeout: 3
# A test that runs past its own time limit.
. /sdm/lib.sh
sleep 60
