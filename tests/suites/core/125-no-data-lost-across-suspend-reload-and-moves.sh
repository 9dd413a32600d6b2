# sdm-drivers: sdm dm_mod
# sdm-timeout: 900
# No acknowledged data is lost while a mapped device is suspended and
# reloaded under I/O.  dm_abi_ioctl --cycles runs 100 cycles on a live
# linear device: a suspend, a reload of the same mapping and a resume; a
# noflush suspend and a resume; a suspend, a copy of the data to a second
# ram disk, a reload mapping that disk and a resume (the data moves
# between ram0 and ram1, or ram2 and ram3).  Meanwhile:
# - fio writes the device at random with crc32c verification (direct
#   I/O), run after run, each verifying what it wrote: no verify failure,
#   no I/O error;
# - on a second device, ext4 takes files written with fsync; afterwards
#   e2fsck finds the filesystem clean and every file reads back as it
#   was acknowledged.
# The cycles start once the first run has written something, so each of
# them overlaps I/O.
. /sdm/lib.sh
core_start 16 4
# shellcheck disable=SC2034 # used by core_cleanup
CORE_CLEANUP='umount /mnt/t 2> /dev/null; dmsetup resume d; dmsetup resume f'
CYCLES=100
MIB=4
SECTORS=$((MIB * 2048))
DONE=/tmp/core125-done

# wait_writes NAME: NAME's disk has completed a write (30 s at most)
wait_writes() {
	local stat i=0
	local -a field
	stat=/sys/block/dm-$(dm_minor "$1")/stat
	while [ $i -lt 300 ]; do
		# the fifth field: writes completed
		read -ra field < "$stat"
		[ "${field[4]}" -eq 0 ] || return 0
		sleep 0.1
		i=$((i + 1))
	done
	die "no write reached the device in 30 s"
}

# io_across_cycles NAME A B WHAT STEP: the command STEP run over and over
# in the background, each run required to succeed and given its number,
# while NAME cycles between disks A and B; the runs are counted as WHAT.
# A failed cycle resumes NAME, so that the I/O waiting on it ends.
io_across_cycles() {
	local name=$1 a=$2 b=$3 what=$4 step=$5 io cycled=0
	rm -f "$DONE"
	(
		n=0
		until [ -e "$DONE" ]; do
			"$step" $n || exit 1
			n=$((n + 1))
			echo $n > /tmp/core125-runs
		done
	) &
	io=$!
	wait_writes "$name"
	if ! run dm_abi_ioctl --cycles "$name" "$a" "$b" "$SECTORS" "$CYCLES"; then
		dmsetup resume "$name"
		cycled=1
	fi
	touch "$DONE"
	wait $io || die "one of the $what failed across the cycles: lost or corrupt data, or an I/O error"
	[ $cycled = 0 ] || die "a cycle of $name failed"
	echo "measured: $(cat /tmp/core125-runs) $what across $CYCLES cycles of $name"
}

# fio_run N: one fio run on d that writes at random and verifies it
fio_run() {
	core_fio_verify "0 $((MIB * 1024)) $((MIB * 1024))" /dev/mapper/d \
		--bs=4k --size=${MIB}M --iodepth=4 --do_verify=1 > /dev/null
}

# file_run N: the Nth write with fsync of one of 40 files of 48 KiB on f
# (written over and over), its md5 kept for the check at the end.  The
# writes are direct: an fsync that finds dirty pages in the page cache
# writes them back without the filesystem's freeze protection, and
# ext4 in 6.12 can then start a journal handle on a filesystem that a
# suspend froze meanwhile (its writeback checks for dirty pages, sleeps,
# and starts the handle after the freeze's own writeback cleaned them),
# which WARNs in ext4_journal_check_start(); the same test against
# dm_mod went down on it in two runs of three.  Direct writes leave no
# dirty page behind, and the fsync still commits the file's metadata.
file_run() {
	local f=/mnt/t/f$(($1 % 40))
	dd if=/dev/urandom of="$f" bs=16k count=3 iflag=fullblock \
		oflag=direct conv=fsync 2> /dev/null || return 1
	md5sum "$f" > /tmp/core125-sum.$(($1 % 40))
}

echo "== fio verify on d while it cycles"
run dmsetup create d --table "0 $SECTORS linear /dev/ram0 0" || die "create d failed"
io_across_cycles d /dev/ram0 /dev/ram1 "fio write+verify runs" fio_run

echo "== ext4 with fsync'd files on f while it cycles"
run dmsetup create f --table "0 $SECTORS linear /dev/ram2 0" || die "create f failed"
run modprobe ext4 || die "modprobe ext4 failed"
run mkfs.ext4 -q -F /dev/mapper/f || die "mkfs.ext4 failed"
mkdir -p /mnt/t
run mount -t ext4 /dev/mapper/f /mnt/t || die "mount failed"
rm -f /tmp/core125-sum.*
io_across_cycles f /dev/ram2 /dev/ram3 "files written with fsync" file_run
run umount /mnt/t || die "umount failed"
run e2fsck -fn /dev/mapper/f || die "e2fsck found the filesystem damaged"
run mount -t ext4 /dev/mapper/f /mnt/t || die "mount after e2fsck failed"
cat /tmp/core125-sum.* > /tmp/core125-sums
run md5sum -c /tmp/core125-sums > /dev/null || die "a file does not read back as written"
run umount /mnt/t || die "umount failed"
run dmsetup remove d f || die "remove failed"
core_expect_no_devices
