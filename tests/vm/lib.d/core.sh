# shellcheck shell=bash
# Helpers of the core suite (tests/suites/core): mapped devices driven by
# the real dmsetup, over brd ram disks, against the driver under test
# (dm_driver: sdm, or upstream's dm_mod as the oracle).

# core_start [MIB [COUNT]]: load the driver and, with MIB, COUNT (default 1)
# brd disks of MIB MiB (/dev/ram0...).  Installs core_cleanup as the EXIT
# trap; a test sets CORE_CLEANUP to extra shell code to run there first.
core_start() {
	dm_load > /dev/null || die "cannot load $(dm_driver)"
	if [ -n "${1:-}" ]; then
		run modprobe brd rd_nr="${2:-1}" rd_size=$(($1 * 1024)) max_part=0 ||
			die "modprobe brd failed"
		[ -b /dev/ram0 ] || die "/dev/ram0 did not appear"
	fi
	trap core_cleanup EXIT
}

# The EXIT trap: a safety net only.  Tests check their own cleanup (see
# core_expect_no_devices); this just keeps a failed test from leaving
# state to the next one.
core_cleanup() {
	eval "${CORE_CLEANUP:-}"
	local j
	for j in $(jobs -p); do
		kill "$j" 2> /dev/null
	done
	wait 2> /dev/null
	awk '$2 ~ "^/mnt/core" { print $2 }' /proc/mounts | while read -r m; do
		umount "$m"
	done
	# only with a driver loaded: through a stale node, dmsetup would
	# autoload dm_mod
	if [ -e /dev/mapper/control ] && [ -n "$(dm_block_majors)" ]; then
		dmsetup remove_all --force > /dev/null 2>&1
	fi
	return 0
}

# core_info NAME FIELD: one field of `dmsetup info NAME` ("State",
# "Tables present", "Open count", "Major, minor", "Number of targets", ...)
core_info() {
	dmsetup info "$1" | sed -n "s/^$2: *//p"
}

# core_expect_info NAME FIELD VALUE
core_expect_info() {
	expect_eq "$(core_info "$1" "$2")" "$3" "dmsetup info $1: $2"
}

# core_expect_no_devices: dmsetup lists nothing, no dm disk exists and
# /dev/mapper holds only the control node.
core_expect_no_devices() {
	local out d
	out=$(dmsetup ls 2>&1) || die "dmsetup ls failed: $out"
	expect_eq "$out" "No devices found" "dmsetup ls"
	for d in /sys/block/dm-*; do
		[ -e "$d" ] && die "${d##*/} still exists"
	done
	expect_eq "$(ls /dev/mapper)" "control" "/dev/mapper contents"
}

# core_drop_caches: write back and drop the page cache, so that the next
# buffered read of any block device comes from the device itself.
core_drop_caches() {
	sync
	echo 3 > /proc/sys/vm/drop_caches
}

# core_get DEV SECTOR COUNT OUT: copy COUNT sectors at SECTOR of DEV (or of
# a file) to OUT
core_get() {
	dd if="$1" of="$4" bs=65536 skip=$(($2 * 512)) count=$(($3 * 512)) \
		iflag=skip_bytes,count_bytes 2> /dev/null || die "read of $1 failed"
	expect_eq "$(stat -c %s "$4")" $(($3 * 512)) "bytes read from $1 at sector $2"
}

# core_put FILE DEV SECTOR: write FILE to DEV at SECTOR and sync it
core_put() {
	dd if="$1" of="$2" bs=65536 seek=$(($3 * 512)) oflag=seek_bytes \
		conv=notrunc,fsync 2> /dev/null || die "write to $2 at sector $3 failed"
}

# core_random FILE SECTORS: FILE gets SECTORS sectors of random data
core_random() {
	head -c $(($2 * 512)) /dev/urandom > "$1"
}

# core_zero_sectors DEV SECTOR COUNT: those sectors of DEV read as zeroes
core_zero_sectors() {
	core_get "$1" "$2" "$3" /tmp/core-zero.chk
	head -c $(($3 * 512)) /dev/zero | cmp -s - /tmp/core-zero.chk ||
		die "$1 sectors $2+$3 are not zero"
}

# prog_check PROG CHECK: one check of a raw-ioctl program (PROG --list
# names them), with the driver loaded and a 16 MiB /dev/ram0 to map.
prog_check() {
	dm_load > /dev/null || die "cannot load $(dm_driver)"
	modprobe brd rd_nr=1 rd_size=16384 max_part=0 || die "modprobe brd failed"
	"$1" "$2"
}

# prog_all_listed PROG FUNC CASES: every check PROG knows has a line
# "FUNC CHECK" in the CASES file
prog_all_listed() {
	local missing
	missing=$("$1" --list | while read -r c; do
		grep -q "$2 $c\$" "$3" || echo "$c"
	done)
	[ -z "$missing" ] || die "checks without a case line: $missing"
}

# core_ioctl CHECK: one check of dm_table_ioctl
core_ioctl() {
	prog_check dm_table_ioctl "$1"
}

# core_ioctl_all_listed CASES: every check dm_table_ioctl knows has a line
core_ioctl_all_listed() {
	prog_all_listed dm_table_ioctl core_ioctl "$1"
}

# core_race_end SECONDS: the epoch second a race of SECONDS ends at
core_race_end() {
	echo $(($(date +%s) + $1))
}

# core_reap PID...: wait for racers; fail if any of them failed
core_reap() {
	local p rc=0
	for p in "$@"; do
		wait "$p" || rc=1
	done
	[ $rc -eq 0 ] || die "a racer reported a failure (see above)"
}

# core_unload_clean: after a test removed everything, the driver and brd
# must unload (no leaked module or block device references).
core_unload_clean() {
	local drv
	drv=$(dm_driver)
	expect_eq "$(cat "/sys/module/$drv/refcnt")" 0 "$drv module references"
	run rmmod "$drv" || die "rmmod $drv failed"
	if module_loaded brd; then
		run rmmod brd || die "rmmod brd failed: a block device is still held"
	fi
}

# core_fio OUT FIO-ARGS...: run fio with JSON output to OUT; print
# "ERROR READ_KIB WRITE_KIB" of its (only) job; return 1 if fio fails.
# Messages go to stderr, so that r=$(core_fio ...) || exit 1 works.
core_fio() {
	local out=$1
	shift
	echo "+ fio $*" >&2
	if ! fio --output-format=json "$@" > "$out" 2> "$out.err"; then
		cat "$out" "$out.err" >&2
		echo "FAIL: fio failed" >&2
		return 1
	fi
	awk -F'[:,]' '
		/"error" :/ && err == "" { err = $2 + 0 }
		/"io_kbytes" :/ { kb[n++] = $2 + 0 }
		END { print err, kb[0], kb[1] }' "$out"
}

# core_expect_blocked PID WHAT: PID must reach state D (waiting
# uninterruptibly, for I/O or a frozen filesystem) within 10 s and still
# be there a second later.
core_expect_blocked() {
	local state="" i=0
	while [ $i -lt 50 ] && [ "$state" != D ]; do
		sleep 0.2
		state=$(awk '{ print $3 }' "/proc/$1/stat" 2> /dev/null)
		[ -n "$state" ] || die "$2 completed instead of waiting"
		i=$((i + 1))
	done
	expect_eq "$state" D "state of $2"
	sleep 1
	kill -0 "$1" 2> /dev/null || die "$2 completed instead of waiting"
}

# core_expect_completes PID WHAT: PID must exit successfully within 10 s.
core_expect_completes() {
	local i=0
	while [ $i -lt 50 ] && kill -0 "$1" 2> /dev/null; do
		sleep 0.2
		i=$((i + 1))
	done
	kill -0 "$1" 2> /dev/null && die "$2 is still waiting after 10 s"
	wait "$1" || die "$2 failed"
}
