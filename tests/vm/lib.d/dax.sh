# shellcheck shell=bash
# Helpers of the dax suite (tests/suites/dax): mapped devices over the
# guest's legacy pmem (memmap=1G!1G, /dev/pmem0, raw mode: pmem byte N is
# physical address start + N), DAX filesystems on them, memory failures.
#
# The 1 GiB of pmem is cut into eight 128 MiB slots, because poisoned pages
# stay poisoned for the rest of the boot and the tests of the suite may
# run in any order, in one boot or several: a test poisons only pages no
# other test uses, and formats only pages no other test poisons.  In MiB
# from the start of each slot:
#   0    0..1 core/150 (the stress test: its devices; pages poisoned
#        by address), 1..4 small devices of 050 (rb, rc), 4..64 090 and
#        091 (unbind; nothing poisoned), 64..128 050's ra (poisoned files)
#   1    010, 020 and 025 (pmem0p1); nothing poisoned
#   2    020 (pmem0p2); nothing poisoned
#   3    0..51 060 (superblock poisoned at 0);  52..64 032 (ext4,
#        poisoned files);  64..80 and 80..96
#        043's partitions (metadata poisoned in the first);  96..112 031
#        (ext4, poisoned files);  112..128 a spare XFS that is never
#        poisoned (041, 042, 050's rm)
#   4    0..32 030 A on sdm, 32..64 030 A on dm_mod (poisoned files);
#        64..76 and 84..104 041's two targets (metadata poisoned at 88);
#        104..120 044 (poisoned files)
#   5    0..32 030 B (striped) on sdm, 32..64 030 B on dm_mod (poisoned
#        files);  64..80.1 and 84..100.1 042's stripes (metadata poisoned
#        at 92);  104..127 055 (pages poisoned by address, one a round);
#        127..128 070 (one page poisoned by address)
#   6    040 on sdm (superblock of the second half poisoned)
#   7    040 on dm_mod (the same); 16..32 012, 32..48 013 (inside
#        040's first half, which is never poisoned)

DAX_SLOT=262144		# sectors in a slot
DAX_MIB=2048		# sectors in a MiB

# dax_slot N [MIB]: first sector of slot N (plus MIB MiB)
dax_slot() {
	echo $(($1 * DAX_SLOT + ${2:-0} * DAX_MIB))
}

# dax_start [FS...]: the driver (core_start) plus pmem and the filesystems
# the test mounts (ext4 and xfs if none is named, "none" for none: the
# KCSAN kernel has no ext4); /dev/pmem0 must be a DAX device.
dax_start() {
	local fs
	core_start
	pmem_load
	[ $# -gt 0 ] || set -- ext4 xfs
	for fs in "$@"; do
		[ "$fs" = none ] || run modprobe "$fs" || die "modprobe $fs failed"
	done
	expect_eq "$(cat /sys/block/pmem0/queue/dax)" 1 "pmem0 queue/dax"
}

# dax_partitions START1 START2 [SECTORS]: an MBR on pmem0 with two Linux
# partitions of SECTORS each (one slot if not given), pmem0p1 at sector
# START1 and pmem0p2 at START2, read in by the kernel.  The caller wipes
# it again (dax_unpartition).
dax_partitions() {
	local i start len=${3:-$DAX_SLOT}
	dd if=/dev/zero of=/dev/pmem0 bs=512 count=1 conv=fsync 2> /dev/null
	i=0
	for start in "$1" "$2"; do
		printf '%b' "\\x00\\x00\\x00\\x00\\x83\\x00\\x00\\x00$(dax_le32 "$start")$(dax_le32 "$len")" |
			dd of=/dev/pmem0 bs=1 seek=$((446 + 16 * i)) conv=notrunc,fsync 2> /dev/null
		i=$((i + 1))
	done
	printf '\x55\xaa' | dd of=/dev/pmem0 bs=1 seek=510 conv=notrunc,fsync 2> /dev/null
	run blockdev --rereadpt /dev/pmem0 || die "re-reading the partition table failed"
	expect_eq "$(cat /sys/block/pmem0/pmem0p1/start)" "$1" "pmem0p1 start"
	expect_eq "$(cat /sys/block/pmem0/pmem0p2/start)" "$2" "pmem0p2 start"
	expect_eq "$(cat /sys/block/pmem0/pmem0p1/size)" "$len" "pmem0p1 size"
}

# dax_unpartition: wipe the MBR of dax_partitions and let the kernel see it
dax_unpartition() {
	dd if=/dev/zero of=/dev/pmem0 bs=512 count=1 conv=fsync 2> /dev/null
	blockdev --rereadpt /dev/pmem0
}

# dax_le32 N: N as four little-endian bytes, in printf %b escapes
dax_le32() {
	printf '\\x%02x\\x%02x\\x%02x\\x%02x' $(($1 & 255)) $((($1 >> 8) & 255)) \
		$((($1 >> 16) & 255)) $((($1 >> 24) & 255))
}

# dax_queue NAME: the queue/dax attribute of mapped device NAME
dax_queue() {
	cat "/sys/block/$(dm_disk "$1")/queue/dax"
}

# dax_mkfs_xfs DEV [METADATA]: XFS with the reverse map that memory-failure
# handling needs (and more -m options, comma-separated); the fstests
# variables let mkfs.xfs make one below 300 MiB.
dax_mkfs_xfs() {
	TEST_DIR=/tmp TEST_DEV="$1" QA_CHECK_FS=xfs \
		run mkfs.xfs -q -f -m "rmapbt=1${2:+,$2}" "$1" || die "mkfs.xfs $1 failed"
}

# dax_mount TYPE DEV DIR: mount DEV (TYPE ext4 or xfs) with -o dax=always
dax_mount() {
	mkdir -p "$3"
	run mount -t "$1" -o dax=always "$2" "$3" || die "mount -o dax=always $2 failed"
}

# dax_phys_base: physical address of pmem byte 0, from /proc/iomem
dax_phys_base() {
	local start
	start=$(sed -n 's/^ *\([0-9a-f]*\)-.*Persistent Memory.*/\1/p' /proc/iomem | head -n 1)
	[ -n "$start" ] || die "no Persistent Memory range in /proc/iomem"
	echo $((0x$start))
}

# dax_hard_offline BYTE: poison the page at pmem byte BYTE by physical
# address, as a memory error report would
dax_hard_offline() {
	local addr
	addr=$(($(dax_phys_base) + $1))
	printf 'poisoning physical address 0x%x (pmem byte %d)\n' "$addr" "$1"
	printf '0x%x\n' "$addr" > /sys/devices/system/memory/hard_offline_page ||
		echo "hard_offline_page returned an error (expected when nobody recovers the page)"
}

# dax_pmem0_namespace: DAX_NS, the nd namespace under pmem0, for a test
# that unbinds it; CORE_CLEANUP binds it again if the test ends without
dax_pmem0_namespace() {
	DAX_NS=$(basename "$(readlink -f /sys/block/pmem0/device)")
	case "$DAX_NS" in
	namespace*) ;;
	*) die "cannot find the namespace of pmem0 (got '$DAX_NS')" ;;
	esac
	# shellcheck disable=SC2034 # used by core_cleanup
	CORE_CLEANUP="[ -b /dev/pmem0 ] || echo $DAX_NS > /sys/bus/nd/drivers/nd_pmem/bind"
}

# dax_fs_shut_down DIR: the XFS at DIR has shut down (writes fail with EIO)
dax_fs_shut_down() {
	local out
	out=$({ echo x > "$1/after-poison"; } 2>&1) && return 1
	case "$out" in
	*"Input/output error"*) return 0 ;;
	esac
	echo "write to $1 failed, but not with EIO: $out"
	return 1
}

# dax_fs_works DIR: a file written, synced and read back at DIR
dax_fs_works() {
	echo "still-working" > "$1/alive" && sync -f "$1/alive" &&
		[ "$(cat "$1/alive")" = still-working ]
}

# dax_poison BYTE ERROR: poison the page at pmem byte BYTE by physical
# address (hard_offline_page); the write must fail with ERROR, the
# strerror() of what memory_failure() returned: "Structure needs
# cleaning" (EUCLEAN) when XFS was told of poisoned metadata and shut
# down, "Device or resource busy" (EBUSY) when nobody was told and the
# generic handling found no process to signal ("recovery action for dax
# page: Failed" in the kernel log either way).
dax_poison() {
	local addr out
	addr=$(($(dax_phys_base) + $1))
	printf 'poisoning physical address 0x%x (pmem byte %d), expecting "%s"\n' "$addr" "$1" "$2"
	if out=$({ printf '0x%x\n' "$addr" > /sys/devices/system/memory/hard_offline_page; } 2>&1); then
		die "poisoning 0x$(printf %x "$addr") succeeded, expected '$2'"
	fi
	case "$out" in
	*"write error: $2") ;;
	*) die "poisoning 0x$(printf %x "$addr") failed with '$out', expected '$2'" ;;
	esac
}

# dax_xfs_ag_sector DIR AG: the first sector of allocation group AG of the
# XFS mounted at DIR, counted on its device (geometry from xfs_io statfs)
dax_xfs_ag_sector() {
	local geom bsize agblocks
	geom=$(xfs_io -c statfs "$1") || die "xfs_io statfs $1 failed"
	bsize=$(sed -n 's/^geom\.bsize = //p' <<< "$geom")
	agblocks=$(sed -n 's/^geom\.agblocks = //p' <<< "$geom")
	if [ -z "$bsize" ] || [ -z "$agblocks" ]; then
		die "no XFS geometry for $1: $geom"
	fi
	echo $(($2 * agblocks * bsize / 512))
}

# dax_expect_shutdown BYTE DIR DISK: poisoning the page at pmem byte BYTE,
# XFS metadata of the filesystem at DIR on mapped disk DISK (dm-N), is
# forwarded to it: the poisoning fails with EUCLEAN, that XFS reports
# "Corruption of on-disk metadata" and shuts down
dax_expect_shutdown() {
	local m log
	m=$(kmsg_mark)
	dax_poison "$1" "Structure needs cleaning"
	log=$(kmsg_since "$m")
	awk '{ print "  " $0 }' <<< "$log"
	grep -qF "XFS ($3): Corruption of on-disk metadata" <<< "$log" ||
		die "XFS on $3 did not report corrupt metadata"
	grep -q "recovery action for dax page: Failed" <<< "$log" ||
		die "memory_failure() did not report the page as failed"
	dax_fs_shut_down "$2" || die "XFS on $3 did not shut down"
}

# dax_expect_unforwarded BYTE DIR: poisoning the page at pmem byte BYTE,
# XFS metadata of the filesystem at DIR, reaches nobody: the poisoning
# fails with EBUSY (memory_failure()'s generic handling), no XFS reports
# anything, and the filesystem at DIR goes on as if nothing happened
dax_expect_unforwarded() {
	local m log
	m=$(kmsg_mark)
	dax_poison "$1" "Device or resource busy"
	log=$(kmsg_since "$m")
	awk '{ print "  " $0 }' <<< "$log"
	grep -q "recovery action for dax page: Failed" <<< "$log" ||
		die "memory_failure() did not report the page as failed"
	if grep -q "XFS (" <<< "$log"; then
		die "an XFS was told of the failure"
	fi
	dax_fs_works "$2" || die "the XFS at $2 stopped working"
}

# Counting the calls of a kernel function (the stock kernel has kprobes;
# the debug kernels do not): dax_kprobe_start NAME FUNCTION sets a kprobe
# NAME on FUNCTION, dax_kprobe_calls NAME prints how often it was hit so
# far, dax_kprobe_stop NAME removes it (for CORE_CLEANUP; never fails).
DAX_TRACING=/sys/kernel/tracing

dax_kprobe_start() {
	local t=$DAX_TRACING
	[ -d "$t/events" ] || run mount -t tracefs tracefs "$t" || die "cannot mount tracefs"
	echo "p:$1 $2" >> "$t/kprobe_events" || die "cannot probe $2"
	echo 1 > "$t/events/kprobes/$1/enable" || die "cannot enable the probe on $2"
}

dax_kprobe_calls() {
	awk -v n="$1" '$1 == n { print $2 }' "$DAX_TRACING/kprobe_profile"
}

dax_kprobe_stop() {
	echo 0 > "$DAX_TRACING/events/kprobes/$1/enable" 2> /dev/null
	echo "-:$1" >> "$DAX_TRACING/kprobe_events" 2> /dev/null
	return 0
}
