# sdm-drivers: sdm dm_mod
# Striped tables upstream refuses with EINVAL: a length not divisible by
# the stripe count or by the chunk size, a chunk size or stripe count of 0
# or not a number, too few or too many destinations, no arguments.
. /sdm/lib.sh
abi_start 16 2

bad() {
	echo "== $1"
	expect_fail_msg "Invalid argument" dmsetup create bad --table "$2"
}
bad "length not divisible by stripes" "0 4095 striped 2 8 /dev/ram0 0 /dev/ram1 0"
bad "width not divisible by chunk" "0 4096 striped 2 3 /dev/ram0 0 /dev/ram1 0"
bad "one stripe, length not divisible by chunk" "0 1024 striped 1 7 /dev/ram0 0"
bad "chunk size 0" "0 4096 striped 2 0 /dev/ram0 0 /dev/ram1 0"
bad "chunk size x" "0 4096 striped 2 x /dev/ram0 0 /dev/ram1 0"
bad "stripe count 0" "0 4096 striped 0 8 /dev/ram0 0 /dev/ram1 0"
bad "stripe count -1" "0 4096 striped -1 8 /dev/ram0 0 /dev/ram1 0"
bad "one destination for two stripes" "0 4096 striped 2 8 /dev/ram0 0"
bad "three destinations for two stripes" "0 4096 striped 2 8 /dev/ram0 0 /dev/ram1 0 /dev/ram0 8"
bad "a destination without offset" "0 4096 striped 2 8 /dev/ram0 0 /dev/ram1"
bad "offset not a number" "0 4096 striped 2 8 /dev/ram0 0 /dev/ram1 x"
bad "only the stripe count" "0 4096 striped 2"
bad "no arguments" "0 4096 striped"
core_expect_no_devices

echo "a missing destination fails the lookup"
expect_fail_msg "No such file or directory" dmsetup create bad --table \
	"0 4096 striped 2 8 /dev/ram0 0 /dev/nosuch 0"
core_expect_no_devices
