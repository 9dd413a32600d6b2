# sdm-fuzz: 1
# A fuzzer's test that passes while the kernel log shows a splat: the
# runner greps the log file of such tests (their logs can be large).
. /sdm/lib.sh
echo "WARNING: CPU: 0 PID: $$ at harness-selftest (fuzz)" > /dev/kmsg
