# A test that passes but leaves a process running in its session.
. /sdm/lib.sh
sleep 1000 > /dev/null 2>&1 &
