# sdm-drivers: sdm dm_mod
# striped over 2 and 3 devices (power-of-two and other chunk sizes and
# stripe counts): table, status and deps text as upstream, and every chunk
# of checksummed data lands on its leg at the right offset, both ways.
. /sdm/lib.sh
abi_start 16 3

# check_stripes NAME START LEN CHUNK DEV:OFFSET...: the striped target at
# START of NAME, LEN sectors: write random data through the device and find
# chunk c on leg c % n at offset + (c / n) * chunk; then write each chunk
# to its leg directly and read the device back (stripe_chunks: one process
# for all the chunks).
check_stripes() {
	local name=$1 start=$2 len=$3 chunk=$4 out
	shift 4
	core_random /tmp/st.data "$len"
	core_put /tmp/st.data "/dev/mapper/$name" "$start"
	core_drop_caches
	out=$(stripe_chunks check /tmp/st.data "$chunk" "$@" 2>&1) || die "$name: $out"
	core_random /tmp/st.data "$len"
	out=$(stripe_chunks scatter /tmp/st.data "$chunk" "$@" 2>&1) ||
		die "$name: writing the chunks to the legs failed: $out"
	core_expect_data /tmp/st.data "/dev/mapper/$name" "$start" "$name does not read back its legs"
}

run dmsetup create s2 --table "0 2048 striped 2 64 /dev/ram0 0 /dev/ram1 0" ||
	die "create s2 failed"
expect_eq "$(dmsetup table s2)" "0 2048 striped 2 64 1:0 0 1:1 0" "table of s2"
expect_eq "$(dmsetup status s2)" "0 2048 striped 2 1:0 1:1 1 AA" "status of s2"
expect_eq "$(dmsetup deps s2)" "$(printf '2 dependencies\t: (1, 1) (1, 0)')" "deps of s2"
expect_eq "$(blockdev --getsz /dev/mapper/s2)" 2048 "size of s2"
check_stripes s2 0 2048 64 /dev/ram0:0 /dev/ram1:0

run dmsetup create s3 --table "0 3072 striped 3 64 /dev/ram0 8192 /dev/ram1 10000 /dev/ram2 4" ||
	die "create s3 failed"
expect_eq "$(dmsetup table s3)" "0 3072 striped 3 64 1:0 8192 1:1 10000 1:2 4" "table of s3"
expect_eq "$(dmsetup status s3)" "0 3072 striped 3 1:0 1:1 1:2 1 AAA" "status of s3"
check_stripes s3 0 3072 64 /dev/ram0:8192 /dev/ram1:10000 /dev/ram2:4

echo "a chunk size that is not a power of two, behind a linear target"
run dmsetup create s3b --table "0 1000 linear /dev/ram2 20000
1000 960 striped 3 40 /dev/ram0 16384 /dev/ram1 16384 /dev/ram2 16384" ||
	die "create s3b failed"
expect_eq "$(dmsetup table s3b)" "0 1000 linear 1:2 20000
1000 960 striped 3 40 1:0 16384 1:1 16384 1:2 16384" "table of s3b"
expect_eq "$(dmsetup status s3b)" "0 1000 linear 
1000 960 striped 3 1:0 1:1 1:2 1 AAA" "status of s3b"
check_stripes s3b 1000 960 40 /dev/ram0:16384 /dev/ram1:16384 /dev/ram2:16384

echo "one stripe, an odd chunk size"
run dmsetup create s1 --table "0 140 striped 1 7 /dev/ram2 100" || die "create s1 failed"
expect_eq "$(dmsetup status s1)" "0 140 striped 1 1:2 1 A" "status of s1"
check_stripes s1 0 140 7 /dev/ram2:100
run dmsetup remove s2 s3 s3b s1 || die "remove failed"
core_expect_no_devices
