# shellcheck shell=bash
# Helpers of the dax suite (tests/suites/dax): mapped devices over the
# guest's legacy pmem (memmap=1G!1G, /dev/pmem0, raw mode: pmem byte N is
# physical address start + N), DAX filesystems on them, memory failures.
#
# The 1 GiB of pmem is cut into eight 128 MiB slots, one per test, because
# poisoned pages stay poisoned for the rest of the boot:
#   0 unbind (4..64 MiB), race   1 partition pmem0p1   2 data, second target
#   3 (unused)                  4 SIGBUS A           5 SIGBUS B (striped)
#   6 metadata on sdm           7 metadata on dm_mod
#   0 (64..128 MiB) race, with small devices at 1..4 MiB

DAX_SLOT=262144		# sectors in a slot

# dax_slot N: first sector of slot N
dax_slot() {
	echo $(($1 * DAX_SLOT))
}

# dax_start: the driver (core_start) plus pmem, ext4 and xfs; /dev/pmem0
# must be a DAX device.
dax_start() {
	core_start
	pmem_load
	run modprobe ext4 || die "modprobe ext4 failed"
	run modprobe xfs || die "modprobe xfs failed"
	expect_eq "$(cat /sys/block/pmem0/queue/dax)" 1 "pmem0 queue/dax"
}

# dax_partitions START1 START2: an MBR on pmem0 with two Linux partitions
# of one slot each, pmem0p1 at sector START1 and pmem0p2 at START2, read
# in by the kernel.  The caller wipes it again (dax_unpartition).
dax_partitions() {
	local i start
	dd if=/dev/zero of=/dev/pmem0 bs=512 count=1 conv=fsync 2> /dev/null
	i=0
	for start in "$1" "$2"; do
		printf '%b' "\\x00\\x00\\x00\\x00\\x83\\x00\\x00\\x00$(dax_le32 "$start")$(dax_le32 "$DAX_SLOT")" |
			dd of=/dev/pmem0 bs=1 seek=$((446 + 16 * i)) conv=notrunc,fsync 2> /dev/null
		i=$((i + 1))
	done
	printf '\x55\xaa' | dd of=/dev/pmem0 bs=1 seek=510 conv=notrunc,fsync 2> /dev/null
	run blockdev --rereadpt /dev/pmem0 || die "re-reading the partition table failed"
	expect_eq "$(cat /sys/block/pmem0/pmem0p1/start)" "$1" "pmem0p1 start"
	expect_eq "$(cat /sys/block/pmem0/pmem0p2/start)" "$2" "pmem0p2 start"
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
