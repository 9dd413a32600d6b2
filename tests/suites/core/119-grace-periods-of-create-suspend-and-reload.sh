# sdm-kernels: stock -- counts grace periods with kprobes (the debug kernels have no kprobes)
# sdm-drivers: sdm -- how many grace periods sdm waits for is sdm's own design; dm_mod waits for others
# How many grace periods dmsetup's ioctls wait for (kprobes on the
# synchronize_* calls, counted in the trace for the dmsetup process only):
# a new device's create + load + first resume waits for none (no bio can
# have seen a table that does not exist); a suspend of a live device waits
# for one (every submitter sees the flag or is counted) and its resume for
# none; a reload's suspend + table swap + resume for two.
. /sdm/lib.sh
core_start 16
PROBES="synchronize_srcu synchronize_srcu_expedited synchronize_rcu synchronize_rcu_expedited"
probe_all() {	# probe_all start|stop
	local f
	for f in $PROBES; do
		if [ "$1" = start ]; then
			dax_kprobe_start "sdm_gp_$f" "$f"
		else
			dax_kprobe_stop "sdm_gp_$f"
		fi
	done
}
# shellcheck disable=SC2034 # used by core_cleanup
CORE_CLEANUP="echo 0 > $DAX_TRACING/tracing_on; probe_all stop"
probe_all start
echo 1 > "$DAX_TRACING/tracing_on"

# grace_periods CMD...: run CMD, print how many synchronize_* calls dmsetup
# made meanwhile (and which, on stderr)
grace_periods() {
	echo > "$DAX_TRACING/trace"
	"$@" > /dev/null || die "$* failed"
	grep -E '^ *dmsetup-[0-9]+ .* sdm_gp_' "$DAX_TRACING/trace" |
		sed -n 's/.*\(sdm_gp_[a-z_]*\).*/\1/p' | sort | uniq -c >&2
	grep -cE '^ *dmsetup-[0-9]+ .* sdm_gp_' "$DAX_TRACING/trace"
}

expect_eq "$(grace_periods dmsetup create gp --table "0 1024 linear /dev/ram0 0")" 0 \
	"grace periods of create + load + first resume"
expect_eq "$(grace_periods dmsetup create gpz --table "0 1024 zero")" 0 \
	"grace periods of a zero device's create"
expect_eq "$(grace_periods dmsetup suspend gp)" 1 "grace periods of a suspend"
expect_eq "$(grace_periods dmsetup resume gp)" 0 "grace periods of its resume"
run dmsetup load gp --table "0 1024 linear /dev/ram0 8" || die "load failed"
expect_eq "$(grace_periods dmsetup resume gp)" 2 "grace periods of a reload's resume"
expect_eq "$(dmsetup table gp)" "0 1024 linear 1:0 8" "the new table is live"

echo "a new device loaded, then suspended before its first resume"
run dmsetup create gpn --notable || die "create --notable failed"
run dmsetup load gpn --table "0 1024 linear /dev/ram0 0" || die "load of gpn failed"
expect_eq "$(grace_periods dmsetup suspend gpn)" 0 "grace periods of a suspend without a table"
expect_eq "$(grace_periods dmsetup resume gpn)" 0 "grace periods of the first resume"

probe_all stop
run dmsetup remove gp gpz gpn || die "remove failed"
core_expect_no_devices
