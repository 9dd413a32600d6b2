# sdm-timeout: 3600
# The guest never finishes (the VM's time limit is short): the host must
# send the NMI, name this test and show the kernel's messages.
. /sdm/lib.sh
echo "harness selftest: hanging" > /dev/kmsg
sleep 3600
