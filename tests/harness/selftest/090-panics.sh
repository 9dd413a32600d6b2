# The kernel panics during this test (sysrq c): the host must name it and
# show the kernel's messages since it began.
. /sdm/lib.sh
echo "harness selftest: about to crash" > /dev/kmsg
echo c > /proc/sysrq-trigger
