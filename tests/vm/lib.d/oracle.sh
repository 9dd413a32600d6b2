# shellcheck shell=bash
# Helpers of the oracle suite (tests/suites/oracle): one scripted sequence
# of dmsetup operations (tests/suites/oracle/dmsetup.seq) runs against
# upstream's dm_mod and then against sdm in the same boot, and the two
# transcripts must be identical.
#
# The sequence is a plain list of command lines, run one by one by
# oracle_run_sequence over two 16 MiB brd disks (/dev/ram0, /dev/ram1)
# created the same way for each driver.  Each line is evaluated by bash in
# the runner's own shell (so oracle_hold can keep a device open across
# lines) with its stdout and stderr combined; the transcript records the
# line as written, its output and its exit status:
#
#   ### 12: dmsetup create a --table "0 8 zero"
#   <output>
#   ### exit 0
#
# Normalised, because the driver cannot matter there: the "Driver version"
# line of dmsetup version (sdm reports the interface version of the header
# it was built against, dm_mod its own).  Nothing else is.
#
# Besides the per-line transcript, the kernel's uevents for device-mapper
# devices are recorded for the whole sequence (oracle_uevents_*), with the
# two global counters that differ between any two runs (SEQNUM, DISKSEQ)
# left out.

ORACLE_SEQ=${ORACLE_SEQ:-/sdm/suites/oracle/dmsetup.seq}
ORACLE_HOLD=/tmp/oracle-hold
ORACLE_RAM_MIB=16

# The dmsetup of the guest.  A line that never returns is caught by the
# test's time limit; ORACLE_TRACE (the console) names the line.
ORACLE_DMSETUP=$(command -v dmsetup)

# oracle_hold NAME: keep /dev/mapper/NAME open (read-only) until
# oracle_release NAME, from a background process.
oracle_hold() {
	mkdir -p "$ORACLE_HOLD"
	exec 9< "/dev/mapper/$1" || return 1
	sleep 100000 <&9 > /dev/null 2>&1 &
	echo $! > "$ORACLE_HOLD/$1"
	exec 9<&-
}

# oracle_release NAME: close what oracle_hold NAME opened (the holder has
# exited, and so closed the device, when this returns).
oracle_release() {
	local pid
	pid=$(cat "$ORACLE_HOLD/$1" 2> /dev/null) || return 1
	rm -f "$ORACLE_HOLD/$1"
	kill "$pid"
	wait "$pid" 2> /dev/null
	return 0
}

# oracle_release_all: the safety net of the teardown
oracle_release_all() {
	local f
	for f in "$ORACLE_HOLD"/*; do
		[ -e "$f" ] && oracle_release "${f##*/}"
	done
	return 0
}

# oracle_settle NAME: wait (up to 30 s, silently) until NAME no longer
# exists; the deferred removal on last close runs from a work queue.  The
# next line of the sequence shows whether it went.
oracle_settle() {
	local i=0
	while [ $i -lt 150 ] && "$ORACLE_DMSETUP" info "$1" > /dev/null 2>&1 &&
		[ "$("$ORACLE_DMSETUP" info -c --noheadings -o name "$1" 2> /dev/null)" = "$1" ]; do
		sleep 0.2
		i=$((i + 1))
	done
	return 0
}

# oracle_count_ops SEQ: the number of dmsetup operations in SEQ
oracle_count_ops() {
	grep -cE '^[[:space:]]*dmsetup[[:space:]]' "$1"
}

# oracle_run_sequence SEQ OUT: run every line of SEQ, transcript to OUT
oracle_run_sequence() {
	local seq=$1 out=$2 n=0 line rc
	local -a got
	: > "$out"
	while IFS= read -r line <&4; do
		n=$((n + 1))
		case "$line" in
		"" | "#"*) continue ;;
		esac
		[ -n "${ORACLE_TRACE:-}" ] && echo "oracle $n: $line" > "$ORACLE_TRACE"
		eval "$line" < /dev/null > /tmp/oracle-line 2>&1
		rc=$?
		# no exec per line: each one costs a tenth of a second or more
		# on the debug kernel
		mapfile -t got < /tmp/oracle-line
		got=("${got[@]/#Driver version: */Driver version: (normalised)}")
		{
			echo "### $n: $line"
			[ ${#got[@]} -eq 0 ] || printf '%s\n' "${got[@]}"
			echo "### exit $rc"
		} >> "$out"
	done 4< "$seq"
}

# oracle_uevents_start OUT: record the kernel's uevents into OUT.raw
oracle_uevents_start() {
	: > "$1.raw"
	# one exec per event: env, in an environment of nothing but the
	# event's variables, ACTION first (as the kernel sends them)
	env -i uevent env >> "$1.raw" 2> /dev/null &
	echo $! > /tmp/oracle-uevent.pid
	sleep 0.5
}

# oracle_uevents_stop OUT: stop the recorder; OUT gets the events of
# device-mapper devices (block devices dm-N and the control node), each
# with its variables sorted, without SEQNUM and DISKSEQ, then an empty line.
oracle_uevents_stop() {
	sleep 1
	kill "$(cat /tmp/oracle-uevent.pid)" 2> /dev/null
	wait "$(cat /tmp/oracle-uevent.pid)" 2> /dev/null
	awk '
		function flush(  i, j, t) {
			if (keep) {
				for (i = 2; i <= nv; i++)
					for (j = i; j > 1 && v[j - 1] > v[j]; j--) {
						t = v[j]; v[j] = v[j - 1]; v[j - 1] = t
					}
				for (i = 1; i <= nv; i++)
					print v[i]
				print ""
			}
			nv = 0
			keep = 0
		}
		/^ACTION=/ { flush() }
		/^(SEQNUM|DISKSEQ)=/ { next }
		/^DEVPATH=.*\/dm-[0-9]+$/ || /^DEVNAME=mapper\/control$/ { keep = 1 }
		{ v[++nv] = $0 }
		END { flush() }' "$1.raw" > "$1"
}

# oracle_driver_load DRIVER: dm_mod (with dm_zero) or sdm
oracle_driver_load() {
	case "$1" in
	dm_mod)
		run modprobe dm_mod || return 1
		run modprobe dm_zero || return 1
		;;
	sdm) run insmod "$SDM_MODULES/sdm.ko" || return 1 ;;
	*) die "unknown driver $1" ;;
	esac
}

# oracle_driver_unload DRIVER
oracle_driver_unload() {
	case "$1" in
	dm_mod)
		run rmmod dm_zero || return 1
		run rmmod dm_mod || return 1
		;;
	sdm) run rmmod sdm || return 1 ;;
	esac
}

# oracle_half DRIVER OUT: with DRIVER loaded and fresh brd disks, run the
# sequence into OUT (uevents into OUT.uevents), then remove whatever is
# left and unload everything.  The teardown's outcome is appended to OUT
# (it must be the same for both drivers).  Returns 1 if the driver or brd
# could not be loaded or unloaded.
oracle_half() {
	local drv=$1 out=$2 left
	echo "== the sequence against $drv"
	oracle_driver_load "$drv" || die "cannot load $drv"
	run modprobe brd rd_nr=2 rd_size=$((ORACLE_RAM_MIB * 1024)) max_part=0 ||
		die "modprobe brd failed"
	oracle_uevents_start "$out.uevents"
	oracle_run_sequence "$ORACLE_SEQ" "$out"
	oracle_uevents_stop "$out.uevents"
	oracle_release_all
	{
		echo "### teardown"
		left=$("$ORACLE_DMSETUP" ls 2>&1)
		echo "devices left by the sequence: $left"
		"$ORACLE_DMSETUP" remove_all --force 2>&1
		echo "after remove_all --force: $("$ORACLE_DMSETUP" ls 2>&1)"
		# shellcheck disable=SC2012 # node names are plain; the transcript shows ls
		echo "/dev/mapper: $(ls /dev/mapper | tr '\n' ' ')"
	} >> "$out"
	# libdm leaves nodes of devices the kernel removed on its own
	"$ORACLE_DMSETUP" mknodes > /dev/null 2>&1
	oracle_driver_unload "$drv" || return 1
	run rmmod brd || return 1
	echo "$(grep -c '^### exit ' "$out") lines run, $(grep -c '^### exit [1-9]' "$out") failed"
	return 0
}

# oracle_compare A B WHAT: pass if files A and B are identical, else print
# a unified diff and fail.
oracle_compare() {
	if cmp -s "$1" "$2"; then
		echo "$3: identical ($(wc -l < "$1") lines)"
		return 0
	fi
	echo "$3 differ (- ${1##*/}, + ${2##*/}):"
	diff -U 3 "$1" "$2"
	return 1
}

# oracle_check_sequence: the sequence has enough operations, the dm_mod
# transcript OUT has successful and failing ones, and its uevent log
# (OUT.uevents) has the events of the devices the sequence makes.
oracle_check_sequence() {
	local ops events
	ops=$(oracle_count_ops "$ORACLE_SEQ")
	echo "the sequence has $ops dmsetup operations"
	[ "$ops" -ge 60 ] || die "only $ops dmsetup operations in $ORACLE_SEQ"
	[ "$(grep -c '^### exit 0$' "$1")" -ge 20 ] || die "fewer than 20 lines succeeded"
	[ "$(grep -c '^### exit [1-9]' "$1")" -ge 20 ] || die "fewer than 20 lines failed"
	events=$(grep -c '^ACTION=' "$1.uevents")
	echo "$events uevents of mapped devices recorded"
	[ "$events" -ge 40 ] || die "only $events uevents of mapped devices recorded"
}
