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

# core_fail_nth_setup: failslab ready for fail-nth (the debug kernels):
# sleeping allocations fail too, an injected failure logs nothing, no
# random failures.  Sets FS to failslab's debugfs directory; core_cleanup
# then sets ignore-gfp-wait back and removes every device.
core_fail_nth_setup() {
	FS=/sys/kernel/debug/failslab
	[ -d "$FS" ] || die "no $FS"
	CORE_CLEANUP="echo Y > $FS/ignore-gfp-wait; dmsetup remove_all > /dev/null 2>&1"
	echo N > "$FS/ignore-gfp-wait"
	echo 0 > "$FS/verbose"
	echo 0 > "$FS/probability"
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

# core_nullb0_flushes: the flush requests /dev/nullb0 has completed
core_nullb0_flushes() {
	local s
	read -ra s < /sys/block/nullb0/stat
	echo "${s[15]}"
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

# core_expect_data FILE DEV SECTOR WHAT: with the page cache dropped, DEV
# (or a file) holds FILE at SECTOR; the test fails with WHAT if not
core_expect_data() {
	core_drop_caches
	core_get "$2" "$3" $(($(stat -c %s "$1") / 512)) /tmp/core-data.got
	cmp -s "$1" /tmp/core-data.got || die "$4"
}

# core_expect_refused_create MSG TABLE LEFT: dmsetup create of a device
# "new" with TABLE fails with MSG, and the devices dmsetup ls lists
# afterwards are LEFT
core_expect_refused_create() {
	expect_fail_msg "$1" dmsetup create new --table "$2"
	expect_eq "$(dmsetup ls | cut -f1)" "$3" "devices after the refused create"
}

# core_expect_refused_first_load MSG NAME TABLE: TABLE as the first table
# of a new device NAME (create --notable, then load) fails with MSG and
# leaves no table; NAME is removed again
core_expect_refused_first_load() {
	run dmsetup create --notable "$2" > /dev/null || die "create --notable failed"
	expect_fail_msg "$1" dmsetup load "$2" --table "$3"
	core_expect_info "$2" "Tables present" None
	run dmsetup remove "$2" || die "remove $2 failed"
}

# core_expect_refused_reload MSG NAME TABLE LIVE: TABLE as a reload of the
# live device NAME fails with MSG; NAME keeps its table LIVE and gets no
# inactive one
core_expect_refused_reload() {
	expect_fail_msg "$1" dmsetup load "$2" --table "$3"
	core_expect_info "$2" "Tables present" LIVE
	expect_eq "$(dmsetup table "$2")" "$4" "table of $2"
}

# core_fs_files DIR COUNT STEP BASE: COUNT files f0, f1... of random data
# in DIR, file fI of I * STEP + BASE bytes
core_fs_files() {
	local i=0
	while [ $i -lt "$2" ]; do
		head -c $((i * $3 + $4)) /dev/urandom > "$1/f$i" || die "write f$i failed"
		i=$((i + 1))
	done
}

# core_fs_remount TYPE DEV DIR SUMS: umount DIR, drop the page cache and
# mount DEV (a TYPE filesystem) there again; the files in SUMS (md5sum
# output, paths relative to DIR) read back unchanged
core_fs_remount() {
	run umount "$3" || die "umount failed"
	core_drop_caches
	run mount -t "$1" "$2" "$3" || die "second mount failed"
	(cd "$3" && md5sum -c "$4") || die "files changed across umount/mount"
}

# prog_check PROG CHECK: one check of a raw-ioctl program (PROG --list
# names them), with the driver loaded and a 16 MiB /dev/ram0 to map.
prog_check() {
	dm_load > /dev/null || die "cannot load $(dm_driver)"
	# the cases of a batch share brd (it stays loaded between them)
	if ! module_loaded brd; then
		modprobe brd rd_nr=1 rd_size=16384 max_part=0 || die "modprobe brd failed"
	fi
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

# core_window CHECK: one lifetime window of dm_window (tests/prog/
# dm_window.c), which stretches the window in a test build of sdm
core_window() {
	DM_WINDOW_MODULE=$(dm_driver) prog_check dm_window "$1"
}

# core_window_defer CHECK: a window that needs sdm's sdmdefer test target
core_window_defer() {
	local p=/sys/module/sdm_test_targets/parameters/defer
	dm_load > /dev/null || die "cannot load $(dm_driver)"
	if [ "$(cat "$p" 2> /dev/null)" != Y ]; then
		! module_loaded sdm_test_targets || run busybox rmmod sdm_test_targets ||
			die "rmmod sdm_test_targets failed"
		run busybox insmod "$SDM_MODULES/sdm_test_targets.ko" defer=1 ||
			die "insmod sdm_test_targets defer=1 failed"
	fi
	core_window "$1"
}

# core_window_4k CHECK: a window over /dev/nullb0 with 4096-byte blocks
core_window_4k() {
	dm_load > /dev/null || die "cannot load $(dm_driver)"
	if ! module_loaded null_blk; then
		run modprobe null_blk nr_devices=1 bs=4096 gb=1 ||
			die "modprobe null_blk failed"
	fi
	DM_WINDOW_BACKING=/dev/nullb0 core_window "$1"
}

# core_window_all_listed CASES...: every check of dm_window has a line in
# one of the CASES files
core_window_all_listed() {
	local missing
	missing=$(dm_window --list | while read -r c; do
		cat "$@" | grep -qE "core_window(_defer|_4k)? $c\$" || echo "$c"
	done)
	[ -z "$missing" ] || die "checks without a case line: $missing"
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
	run busybox rmmod "$drv" || die "rmmod $drv failed"
	if module_loaded brd; then
		run busybox rmmod brd || die "rmmod brd failed: a block device is still held"
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

# core_fio_verify WANT DEV FIO-ARGS...: fio's random writes to DEV
# (libaio, direct I/O, no repeated random sequence) verified by crc32c,
# stopping at the first bad block; FIO-ARGS add the sizes, the queue depth
# and whether to write and verify or only verify.  The first words of
# "ERROR READ_KIB WRITE_KIB" (core_fio) must be WANT: "0 N M" checks all
# three, "0 N" the error and the KiB verified.
core_fio_verify() {
	local want=$1 dev=$2 r words
	shift 2
	r=$(core_fio /tmp/core-fio.json --name=verify --filename="$dev" --rw=randwrite \
		--ioengine=libaio --direct=1 --verify=crc32c --verify_fatal=1 --randrepeat=0 "$@") ||
		die "fio on $dev failed"
	echo "fio: error, KiB verified, KiB written: $r"
	read -ra words <<< "$want"
	expect_eq "$(cut -d ' ' -f 1-${#words[@]} <<< "$r")" "$want" \
		"fio on $dev: error, KiB verified, KiB written"
}

# core_expect_blocked PID WHAT: PID must reach state D (waiting
# uninterruptibly, for I/O or a frozen filesystem) within 30 s and still
# be there a second later.  (The bounds here are generous because two VMs
# may share the host's cores; they cost nothing when things are fast.)
core_expect_blocked() {
	local state="" i=0
	while [ $i -lt 150 ] && [ "$state" != D ]; do
		sleep 0.2
		state=$(awk '{ print $3 }' "/proc/$1/stat" 2> /dev/null)
		[ -n "$state" ] || die "$2 completed instead of waiting"
		i=$((i + 1))
	done
	expect_eq "$state" D "state of $2"
	sleep 1
	kill -0 "$1" 2> /dev/null || die "$2 completed instead of waiting"
}

# core_expect_completes PID WHAT: PID must exit successfully within 30 s.
core_expect_completes() {
	local i=0
	while [ $i -lt 150 ] && kill -0 "$1" 2> /dev/null; do
		sleep 0.2
		i=$((i + 1))
	done
	kill -0 "$1" 2> /dev/null && die "$2 is still waiting after 30 s"
	wait "$1" || die "$2 failed"
}

# Races that go on until every racer has done enough (the race tests of
# core and dax): each racer, a dm_race --team role or a shell loop using
# race_on, holds the team up by a file in RACE_DIR until its counts reach
# its minimum.  The race runs
# for SECS (10 in every race test), then on while any racer is short, for
# up to RACE_OVERTIME (60) seconds more: a slow machine races longer
# rather than failing a minimum that a fast one reaches in a fraction of
# SECS.  The minimums (MIN in each test) come from runs of stock sdm,
# stock dm_mod and debug sdm (KASAN and lockdep under TCG, the two host
# cores shared with other VMs, load average 4 to 7) over 20 or 25 s: the
# slowest debug racer reached its minimum within 20 s, so the overtime
# leaves three times that for a slower machine; the stock kernel reaches
# them within SECS.

# seconds past SECS a team may race on (as dm_race's OVERTIME)
RACE_OVERTIME=60

# race_team SECS: a fresh team (RACE_DIR), its end and its cap
race_team() {
	RACE_DIR=/tmp/race-team
	rm -rf "$RACE_DIR"
	mkdir "$RACE_DIR" || die "mkdir $RACE_DIR failed"
	RACE_END=$((EPOCHSECONDS + $1))
	RACE_CAP=$((RACE_END + RACE_OVERTIME))
}

# race_role MIN ROLE SECS [ARGS...]: dm_race playing ROLE in the team,
# holding it up until its counts reach MIN
race_role() {
	dm_race --min "$1" --team "$RACE_DIR" "${@:2}"
}

# race_join NAME: shell racer NAME holds the team up
race_join() {
	: > "$RACE_DIR/$1" || die "cannot join the race team"
}

# race_on: the race goes on (see race_team)
race_on() {
	local left=("$RACE_DIR"/*)
	[ "$EPOCHSECONDS" -lt "$RACE_END" ] ||
		{ [ -e "${left[0]}" ] && [ "$EPOCHSECONDS" -lt "$RACE_CAP" ]; }
}

# race_reached NAME COUNT MIN: once COUNT >= MIN, racer NAME no longer
# holds the team up
race_reached() {
	if [ "$2" -ge "$3" ] && [ -e "$RACE_DIR/$1" ]; then
		rm -f "$RACE_DIR/$1"
	fi
}

# race_loop NAME MIN WHAT CMD...: shell racer NAME runs CMD (RACE_N: the
# rounds done before) while the race goes on; CMD failing fails it, and
# it must have done at least MIN rounds (WHAT)
race_loop() {
	local name=$1 min=$2 what=$3
	shift 3
	RACE_N=0
	race_join "$name"
	while race_on; do
		"$@" || die "$name: '$*' failed"
		RACE_N=$((RACE_N + 1))
		race_reached "$name" $RACE_N "$min"
	done
	race_expect "$name" $RACE_N "$min" "$what"
}

# race_expect WHO COUNT MIN WHAT: WHO did COUNT WHAT, at least MIN
race_expect() {
	echo "$1: $2 $4"
	[ "$2" -ge "$3" ] || die "$1: only $2 $4, fewer than the $3 required"
}
