# A test that passes while the kernel log shows a splat.
. /sdm/lib.sh
echo "WARNING: CPU: 0 PID: $$ at harness-selftest" > /dev/kmsg
