# sdm-drivers: sdm dm_mod
# sdm-kernels: stock debug
# sdm-timeout: 600
# sdm-fuzz: 3000
# The control device fuzzed (tests/prog/dm_fuzz.c): SDM_FUZZ_ITERATIONS
# requests of every command, built as a caller would and then mutated,
# over a brd disk, then half as many with a second thread rewriting each
# request while the call runs.  Every call must end in success or a
# rejection's errno, REMOVE_ALL must leave no device, and the driver must
# unload (the harness checks the kernel log and, on the debug kernel,
# kmemleak).  make fuzz ITERATIONS=N SEED=S sets the count and the seed
# (3000 and 1 here; see the runner for the sdm-fuzz header).
. /sdm/lib.sh
iters=${SDM_FUZZ_ITERATIONS:?not run by the runner}
seed=${SDM_FUZZ_SEED:?not run by the runner}
dm_load || die "$(dm_driver) did not load"
run modprobe brd rd_nr=1 rd_size=8192 || die "brd did not load"
# dm_mod's IMA code frees a buffer twice when a device whose inactive
# table was cleared is renamed and removed (abi/111): the fuzzer sends it
# no TABLE_CLEAR, or the first such sequence takes the VM down
skip=()
[ "$(dm_driver)" = sdm ] || skip=(--skip table_clear)
mark=$(kmsg_mark)
run dm_fuzz "${skip[@]}" "$iters" "$seed" /dev/ram0 || die "dm_fuzz failed"
run dm_fuzz "${skip[@]}" --race "$((iters / 2))" "$((seed + 1))" /dev/ram0 ||
	die "dm_fuzz --race failed"
# sdm's rejections log at most a rate-limited line (ten in five seconds
# from one place, so at most twenty in one five-second bucket; messages
# told apart by their first six words, numbers ignored: with four, the
# three "ioctl: target spec N ..." messages counted as one and 200 000
# requests on the debug kernel found 21 of them in five seconds).
# Upstream's dm_mod logs many of its rejections without a limit: not
# checked there.
# On the debug kernel every delayed kobject release logs a line (20 bytes
# a request, 30 MB for a million and half as many racing): klog reads it
# all (busybox's dmesg only the newest 16 MiB), and grep keeps the mark
# and sdm's lines before awk parses any.
if [ "$(dm_driver)" = sdm ]; then
	klog | grep -F -e "$mark" -e '] sdm: ' | awk -v m="$mark" '
	index($0, m) { seen = 1; next }
	!seen { next }
	match($0, /^\[ *[0-9]+\.[0-9]+\] sdm: /) {
		t = substr($0, 2, index($0, "]") - 2) + 0
		msg = substr($0, RLENGTH + 1)
		gsub(/[0-9]+/, "N", msg)
		split(msg, w, " ")
		c[w[1] " " w[2] " " w[3] " " w[4] " " w[5] " " w[6], int(t / 5)]++
		lines++
	}
	END {
		for (k in c)
			if (c[k] > 20) {
				split(k, p, SUBSEP)
				printf "not rate-limited: %d lines \"%s ...\" in 5 s\n", c[k], p[1]
				bad = 1
			}
		printf "measured: dm_fuzz: %d lines of sdm in the kernel log\n", lines
		exit bad
	}' || die "sdm logged rejections without a rate limit"
fi
# zero tables made the kernel load dm_zero for dm_mod
! module_loaded dm_zero || run rmmod dm_zero
dm_unload || die "$(dm_driver) did not unload after the fuzzing"
