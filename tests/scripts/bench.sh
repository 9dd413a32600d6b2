#!/bin/bash
# make bench: the raw backing devices, dm_mod and sdm side by side in one
# boot of Debian's stock 6.12 kernel (tests/vm/bench.sh runs in the
# guest; Documentation/performance.rst says what is measured and how).
#
#   bench.sh          ROUNDS (5) rounds, fio runs of BENCH_SECS (5) s,
#                     BENCH_N (1000) devices for the control path and the
#                     memory, one create timed with BENCH_K (10,1000)
#                     devices present (BENCH_FULL=1 adds 10000,20000), on
#                     CPUS (1) vCPUs with as many fio jobs; CPUS="1 2"
#                     boots once for each; BENCH_PARTS (data,dax,control,
#                     memory) the measurements to make, BENCH_MEM (3, 8
#                     with BENCH_FULL) the guest's GiB of memory;
#                     BENCH_WORKLOADS, BENCH_BACKINGS and BENCH_TABLES
#                     (each all, comma separated) narrow the data rows
#   bench.sh smoke    one round, 2 s runs, 50 devices, K=10,100 (the
#                     variables above still apply)
#   bench.sh report   the table and the plot again from the last run's
#                     bench.csv and header.txt
#
# Results in $SDM_OUT/bench: bench.csv (every measurement of every round,
# raw values), table.txt (what is printed: ratios, spreads), bench.png.
set -euo pipefail
. "$(dirname "$0")/common.sh"

case "${1:-}" in
"") ;;
smoke)
	ROUNDS=${ROUNDS:-1}
	BENCH_SECS=${BENCH_SECS:-2}
	BENCH_N=${BENCH_N:-50}
	BENCH_K=${BENCH_K:-10,100}
	;;
report) ;;
*) die "usage: bench.sh [smoke|report]" ;;
esac
ROUNDS=${ROUNDS:-5}
BENCH_SECS=${BENCH_SECS:-5}
BENCH_N=${BENCH_N:-1000}
BENCH_K=${BENCH_K:-10,1000}
CPUS=${CPUS:-1}
BENCH_PARTS=${BENCH_PARTS:-data,dax,control,memory}
BENCH_MEM=${BENCH_MEM:-3}
[[ $BENCH_PARTS =~ ^(data|dax|control|memory)(,(data|dax|control|memory))*$ ]] ||
	die "BENCH_PARTS must be some of data,dax,control,memory, not '$BENCH_PARTS'"
WL='(rand)?(read|write)-(psync|io_uring)'
BENCH_WORKLOADS=${BENCH_WORKLOADS:-all}
[[ $BENCH_WORKLOADS =~ ^(all|$WL(,$WL)*)$ ]] ||
	die "BENCH_WORKLOADS must be all or some of randread-psync,write-io_uring,..., not '$BENCH_WORKLOADS'"
BENCH_BACKINGS=${BENCH_BACKINGS:-null_blk,brd}
[[ $BENCH_BACKINGS =~ ^(null_blk|brd)(,(null_blk|brd))*$ ]] ||
	die "BENCH_BACKINGS must be some of null_blk,brd, not '$BENCH_BACKINGS'"
BENCH_TABLES=${BENCH_TABLES:-linear,striped}
[[ $BENCH_TABLES =~ ^(linear|striped)(,(linear|striped))*$ ]] ||
	die "BENCH_TABLES must be some of linear,striped, not '$BENCH_TABLES'"
for v in ROUNDS BENCH_SECS BENCH_N BENCH_MEM; do
	[[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "$v must be a positive number, not '${!v}'"
done
[[ $BENCH_K =~ ^[0-9]+(,[0-9]+)*$ ]] || die "BENCH_K must be numbers separated by commas"
if [ "${BENCH_FULL:-0}" = 1 ]; then
	BENCH_K=$BENCH_K,10000,20000
	# room for 20050 devices: the default guest has 2 GiB of RAM
	# beside its 1 GiB of pmem
	[ "$BENCH_MEM" -ge 8 ] || BENCH_MEM=8
fi
for c in $CPUS; do
	[ "$c" = 1 ] || [ "$c" = 2 ] || die "CPUS must be 1, 2 or \"1 2\", not '$CPUS'"
done

out=$SDM_OUT/bench
csv=$out/bench.csv

# run: build, boot once for every CPUS, collect bench.csv and header.txt
run() {
	local rev
	# the commit measured: the tree as it is now, when it is built
	rev=$(git -C "$SDM_TOP" describe --always --dirty)
	"$SDM_TOP/tests/scripts/deps.sh" bench
	"$SDM_TOP/tests/scripts/build-progs.sh"
	# the floor probe (SDM_FLOOR=y: remap in place, no clone, no
	# accounting), kept aside, then a product build of sdm (no test hooks,
	# no mutant); W=1 without sparse
	SDM_SPARSE=0 "$SDM_TOP/tests/scripts/build-modules.sh" stock SDM_TEST_HOOKS= \
		SDM_MUTANT= SDM_FLOOR=y > /dev/null
	mkdir -p "$SDM_OUT/bench-floor"
	cp "$SDM_OUT/kbuild-stock/sdm.ko" "$SDM_OUT/bench-floor/sdm.ko"
	SDM_SPARSE=0 "$SDM_TOP/tests/scripts/build-modules.sh" stock SDM_TEST_HOOKS= \
		SDM_MUTANT= SDM_FLOOR= > /dev/null
	SDM_BENCH_FLOOR=$SDM_OUT/bench-floor/sdm.ko "$SDM_TOP/tests/vm/mkinitramfs.sh" stock

	# The time limit of a boot: every round runs 128 fio runs (32 for each
	# of the raw device, dm_mod, sdm and the floor probe, with io_uring;
	# a driver is loaded and unloaded for each group of 8) and each
	# driver's control path and memory measurements, which take longer the
	# more devices.
	nk=$(tr ',' '\n' <<< "$BENCH_K" | awk '{ s += $1 } END { print s }')
	limit=$((600 + ROUNDS * (128 * (BENCH_SECS + 5) + 2 * (60 + (4 * BENCH_N + nk) / 10))))

	mkdir -p "$out"
	echo "cpus,round,group,backing,table,workload,config,value,unit" > "$csv.tmp"
	notes=""
	start=$(date +%s)
	for c in $CPUS; do
		params="sdmvm.bench_rounds=$ROUNDS sdmvm.bench_secs=$BENCH_SECS"
		params="$params sdmvm.bench_n=$BENCH_N sdmvm.bench_k=$BENCH_K"
		params="$params sdmvm.bench_parts=$BENCH_PARTS"
		params="$params sdmvm.bench_workloads=$BENCH_WORKLOADS"
		params="$params sdmvm.bench_backings=$BENCH_BACKINGS"
		params="$params sdmvm.bench_tables=$BENCH_TABLES"
		echo "bench: booting with $c CPU(s), ${BENCH_MEM} GiB, time limit ${limit}s"
		SDM_VM_MEM=$BENCH_MEM "$SDM_TOP/tests/vm/run.sh" bench "$c" "$limit" "$params"
		res=$SDM_OUT/vm/bench-cpus$c/result.csv
		grep -E '^[0-9]+,' "$res" | sed "s/^/$c,/" >> "$csv.tmp"
		notes="$notes$(sed -n "s/^# /cpus=$c: /p" "$res")"$'\n'
	done
	mv "$csv.tmp" "$csv"
	secs=$(($(date +%s) - start))
	{
		echo "make bench: $ROUNDS round(s), fio runs of ${BENCH_SECS}s," \
			"N=$BENCH_N, K=$BENCH_K, CPUS=$CPUS, parts $BENCH_PARTS," \
			"workloads $BENCH_WORKLOADS, backings $BENCH_BACKINGS," \
			"tables $BENCH_TABLES," \
			"$rev, VM time ${secs}s"
		printf '%s' "$notes" | sed '/^$/d'
	} > "$out/header.txt"
}

# The table: for every measurement, each configuration's spread over the
# rounds and the ratios of the medians, with the range of the per-round
# ratios.  plot.dat: the same ratios for gnuplot.
report() {
	local multi
	multi=$(tail -n +2 "$csv" | cut -d, -f1 | sort -u | wc -l)
	awk -F, -v dat="$out/plot.dat" -v multi="$multi" '
	function sort(a, n,   i, j, t) {
		for (i = 2; i <= n; i++)
			for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
				t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
			}
	}
	# median, min and max of the values of list l (space separated)
	function stats(l,   a, n, i) {
		n = split(l, a, " ")
		if (!n)
			return 0
		for (i = 1; i <= n; i++)
			a[i] += 0
		sort(a, n)
		s_min = a[1]; s_max = a[n]
		s_med = n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
		return n
	}
	function spread(l) {
		if (!stats(l))
			return "-"
		if (s_med == 0)
			return "?"
		return sprintf("%.0f%%", 100 * (s_max - s_min) / (s_med < 0 ? -s_med : s_med))
	}
	# ratio of the medians of lists a and b, the per-round range after
	# it; sets r_med, r_lo, r_hi (or returns "-")
	function ratio(a, b, pa, pb, nr,   r, l, med) {
		if (!stats(b) || s_med == 0)
			return "-"
		med = s_med
		if (!stats(a))
			return "-"
		r_med = s_med / med
		l = ""
		for (r = 1; r <= nr; r++)
			if ((pa, r) in V && (pb, r) in V && V[pb, r] != 0)
				l = l " " V[pa, r] / V[pb, r]
		stats(l)
		r_lo = s_min; r_hi = s_max
		return sprintf("%.2f [%.2f-%.2f]", r_med, r_lo, r_hi)
	}
	# the ratio of the largest values of lists a and b, or "-"
	function bratio(a, b,   x) {
		if (!stats(a))
			return "-"
		x = s_max
		if (!stats(b) || s_max == 0)
			return "-"
		return sprintf("%.2f", x / s_max)
	}
	# add ratio x (as printed) to the 4 KiB random rows summary column c
	function sum4k(c, x) {
		if (x != "-")
			S[c] = S[c] " " (x + 0)
	}
	# the median of summary column c of CPUs n, or "-"
	function m4k(n, c) {
		if (!stats(S[n, c]))
			return "-"
		return sprintf("%.2f", s_med)
	}
	function plot(x) {
		return x == "-" ? "-\t-\t-" : sprintf("%.3f\t%.3f\t%.3f", r_med, r_lo, r_hi)
	}
	function label(g, b, t, w,   rw, n) {
		if (g == "data") {
			rw = w; sub(/-.*/, "", rw)
			return b " " t " " (rw ~ /^rand/ ? "4k " : "128k ") rw \
				" " substr(w, length(rw) + 2)
		}
		if (g == "dax") {
			n = w
			sub(/^fault_4k$/, "4k page faults", n)
			sub(/^fault_2m$/, "2m-step faults", n)
			sub(/^pmd_share$/, "% of them 2m (PMD)", n)
			sub(/^fault_sync$/, "MAP_SYNC 4k faults", n)
			sub(/^memcpy$/, "memcpy, pre-faulted", n)
			sub(/_/, " ", n)
			return "dax xfs " t " " n
		}
		if (g == "memory")
			return "memory/dev, " (t == "none" ? "no table" : t " table") \
				": " (w == "avail" ? "MemAvailable" : "Slab")
		n = w; sub(/.*_/, "", n)
		if (w ~ /^create_at_/)
			return "one create, " n " devices present"
		if (w ~ /^create_only_/)
			return "  of it DEV_CREATE, " n " devices"
		if (w ~ /^load_/)
			return "  of it TABLE_LOAD, " n " devices"
		if (w ~ /^resume_/)
			return "  of it resume, " n " devices"
		if (w ~ /^create_/)
			return "create+load+resume, " n " devices"
		if (w ~ /^list_at_/)
			return "LIST_DEVICES, " n "+50 present: devices/s"
		if (w ~ /^list_/)
			return "LIST_DEVICES, " n " devices present"
		if (w ~ /^remove_/)
			return "remove, " n " devices"
		return w
	}
	NR == 1 { next }
	{
		# the raw device of a data row is that of its group (backing
		# and table); the other groups have one raw row for all tables
		k = $1 SUBSEP $4 SUBSEP ($3 == "data" ? $5 : "-") SUBSEP $6
		if ($7 == "raw") {
			L[k, "raw"] = L[k, "raw"] " " $8
			V[k, "raw", $2] = $8
		} else {
			key = $1 SUBSEP $3 SUBSEP $4 SUBSEP $5 SUBSEP $6
			if (!(key in seen)) {
				seen[key] = 1
				keys[++nkeys] = key
				rawkey[key] = k
			}
			L[key, $7] = L[key, $7] " " $8
			V[key, $7, $2] = $8
		}
		if ($2 > nr)
			nr = $2
	}
	END {
		fmt = "%-44s %-6s %-16s %-18s %-18s %-18s %-18s %s\n"
		bfmt = "%-44s %-12s %-12s %-12s %-12s %s\n"
		cpus = ""
		for (i = 1; i <= nkeys; i++) {
			split(keys[i], f, SUBSEP)
			if (f[1] != cpus) {
				cpus = f[1]
				printf "\n%s vCPU(s), %s fio job(s)\n", cpus, cpus
				printf "%-44s %-6s %s\n", "", "", "spread"
				printf fmt, "measurement", "better", "raw/dm_mod/sdm",
					"sdm/dm_mod", "sdm/raw", "dm_mod/raw", "floor/raw",
					"floor/dm_mod"
			}
			key = keys[i]
			rk = rawkey[key]
			sp = spread(L[rk, "raw"]) "/" \
				spread(L[key, "dm_mod"]) "/" spread(L[key, "sdm"])
			lab = label(f[2], f[3], f[4], f[5])
			sd = ratio(L[key, "sdm"], L[key, "dm_mod"], key SUBSEP "sdm",
				key SUBSEP "dm_mod", nr)
			p1 = plot(sd)
			sr = dr = fr = fd = "-"
			p2 = p3 = p4 = plot("-")
			if (L[key, "floor"] != "") {
				fr = ratio(L[key, "floor"], L[rk, "raw"],
					key SUBSEP "floor", rk SUBSEP "raw", nr)
				p4 = plot(fr)
				fd = ratio(L[key, "floor"], L[key, "dm_mod"],
					key SUBSEP "floor", key SUBSEP "dm_mod", nr)
			}
			if (L[rk, "raw"] != "") {
				sr = ratio(L[key, "sdm"], L[rk, "raw"], key SUBSEP "sdm",
					rk SUBSEP "raw", nr)
				p2 = plot(sr)
				dr = ratio(L[key, "dm_mod"], L[rk, "raw"],
					key SUBSEP "dm_mod", rk SUBSEP "raw", nr)
				p3 = plot(dr)
			}
			printf fmt, lab, f[2] == "memory" ? "lower" : "higher", sp,
				sd, sr, dr, fr, fd
			if (f[2] != "memory") {
				bd = bratio(L[key, "sdm"], L[key, "dm_mod"])
				bs = bratio(L[key, "sdm"], L[rk, "raw"])
				bdr = bratio(L[key, "dm_mod"], L[rk, "raw"])
				bf = bratio(L[key, "floor"], L[rk, "raw"])
				bfd = bratio(L[key, "floor"], L[key, "dm_mod"])
				B[++nb] = sprintf(bfmt, lab, bd, bs, bdr, bf, bfd)
				BC[nb] = cpus
			}
			if (f[2] == "data" && f[5] ~ /^rand/) {
				sum4k(cpus SUBSEP 1, sd); sum4k(cpus SUBSEP 2, sr)
				sum4k(cpus SUBSEP 3, dr); sum4k(cpus SUBSEP 4, fr)
				sum4k(cpus SUBSEP 5, fd); sum4k(cpus SUBSEP 6, bd)
				sum4k(cpus SUBSEP 7, bs); sum4k(cpus SUBSEP 8, bdr)
				sum4k(cpus SUBSEP 9, bf); sum4k(cpus SUBSEP 10, bfd)
				n4k[cpus]++
			}
			printf "%s%s\t%s\t%s\t%s\t%s\n", (multi > 1 ? cpus " CPUs: " : ""),
				lab, p1, p2, p3, p4 > dat
		}
		# The rates again, each configuration by its best round (its
		# largest rate): the round the rest of the machine slowed the
		# least, as far as it only ever slows.  Not the memory rows,
		# whose readings stray both ways.
		printf "\nThe ratios of the best rounds (each configuration'"'"'s largest rate):\n"
		cpus = ""
		for (i = 1; i <= nb; i++) {
			if (BC[i] != cpus) {
				cpus = BC[i]
				printf "\n%s vCPU(s), %s fio job(s)\n", cpus, cpus
				printf bfmt, "measurement", "sdm/dm_mod",
					"sdm/raw", "dm_mod/raw", "floor/raw", "floor/dm_mod"
			}
			printf "%s", B[i]
		}
		for (c in n4k) {
			printf "\n%s vCPU(s): the medians over the %d rows of 4 KiB random I/O\n", c, n4k[c]
			printf "  of the ratios of medians: "
			printf "sdm/dm_mod %s, sdm/raw %s, dm_mod/raw %s, floor/raw %s, floor/dm_mod %s\n",
				m4k(c, 1), m4k(c, 2), m4k(c, 3), m4k(c, 4), m4k(c, 5)
			printf "  of the ratios of the best rounds: "
			printf "sdm/dm_mod %s, sdm/raw %s, dm_mod/raw %s, floor/raw %s, floor/dm_mod %s\n",
				m4k(c, 6), m4k(c, 7), m4k(c, 8), m4k(c, 9), m4k(c, 10)
		}
	}' "$csv"
}

[ "${1:-}" = report ] || run
[ -f "$csv" ] || die "no $csv: run make bench first"
{
	cat "$out/header.txt"
	echo "Ratios of the medians over the rounds, the per-round ratios' range in"
	echo "brackets; spread: (max - min) / median of each configuration's rounds."
	echo "Emulated machine (QEMU TCG): only the ratios mean anything."
	report
} | tee "$out/table.txt"

rows=$(wc -l < "$out/plot.dat")
gnuplot <<EOF
set terminal pngcairo size $((400 + 28 * rows)),720 font "sans,9" noenhanced
set output "$out/bench.png"
set datafile separator "\t"
set datafile missing "-"
set title "sdm vs dm_mod vs the raw device: ratios of medians (bars: range of the per-round ratios)"
set style data histogram
set style histogram errorbars gap 1 lw 1
set style fill solid 0.7 border -1
set xtics rotate by 90 right
set bmargin 24
set grid ytics
set yrange [0:*]
set ylabel "ratio"
set key top right
set arrow from graph 0, first 1 to graph 1, first 1 nohead front lw 2 dt 2
plot "$out/plot.dat" using 2:3:4:xtic(1) title "sdm/dm_mod", \
	"" using 5:6:7 title "sdm/raw", \
	"" using 8:9:10 title "dm_mod/raw", \
	"" using 11:12:13 title "floor/raw"
EOF
echo "bench: $out/table.txt, $out/bench.csv, $out/bench.png"
