#!/bin/bash
# Write tests/vm/durations from the TAP results of the last VM runs
# ($SDM_OUT/vm/*/result.tap): one line a test file and pass,
# "KIND DRIVER SUITE/NNN SECONDS", the seconds its tests took (each
# result line ends with "# Ns") plus one for the runner's own work after
# it.  tests/vm/plan.sh cuts the passes into shards with these estimates.
#
#   durations.sh          print them
#   durations.sh write    put them into tests/vm/durations (make
#                         durations), keeping the entries of tests the
#                         last runs did not make
set -euo pipefail
. "$(dirname "$0")/common.sh"

collect() {
	local d kind driver
	for d in "$SDM_OUT"/vm/*/; do
		[ -f "$d/result.tap" ] || continue
		# the harness's self-test boots are not a pass
		case "$d" in *-selftest*/) continue ;; esac
		# the directory is KIND-DRIVER-SHARD
		IFS=- read -r kind driver _ <<< "$(basename "$d")"
		awk -v k="$kind" -v drv="$driver" '
			/^(not )?ok [0-9]+ [a-z_0-9]+\/[0-9]+/ {
				name = ($1 == "ok") ? $3 : $4
				split(name, p, "/")
				unit = p[1] "/" substr(p[2], 1, 3)
				s = $NF
				if (s !~ /^[0-9]+s$/)
					next
				t[unit] += s + 0
				if (!(unit in seen)) { seen[unit] = 1; t[unit] += 1 }
			}
			END { for (u in t) print k, drv, u, t[u] }' "$d/result.tap"
	done | sort -k1,1 -k2,2 -k3,3
}

case "${1:-}" in
"") collect ;;
write)
	# the measured entries replace theirs; the others stay, so that the
	# tests a run did not make (those left out of a pass's subset, those
	# run on demand) keep their last measurement
	out=$SDM_TOP/tests/vm/durations
	collect > "$out.new"
	{
		echo "# Measured seconds a test file takes in a VM pass: KIND DRIVER UNIT SECONDS."
		echo "# Written by tests/scripts/durations.sh write (make durations) after a"
		echo "# make test; tests/vm/plan.sh cuts the passes into shards with them."
		awk 'FNR == NR { new[$1 " " $2 " " $3] = 1; print; next }
			/^#/ { next }
			!(($1 " " $2 " " $3) in new)' "$out.new" "$out" |
			sort -k1,1 -k2,2 -k3,3
	} > "$out.tmp"
	echo "wrote $out ($(grep -vc '^#' "$out.tmp") entries, $(wc -l < "$out.new") measured)"
	rm -f "$out.new"
	mv "$out.tmp" "$out"
	;;
*) die "usage: durations.sh [write]" ;;
esac
