#!/bin/bash
# make check: sparse (C=2) and W=1 over every module source, and
# checkpatch.pl --strict on every C source and header of the repository.
# Any finding fails.  checkpatch.pl, spelling.txt and
# const_structs.checkpatch come from Debian's linux-source-6.12 tarball.
#
# The modules are checked against Debian's 6.12 headers and, when it is in
# the cache (make test builds it first), against the debug kernel tree,
# which is the only tree with KUnit and so the only one that compiles
# tests/kunit/.
set -euo pipefail
. "$(dirname "$0")/common.sh"

TARBALL=/usr/src/linux-source-6.12.tar.xz
fail=0

checkpatch_dir() {
	local ver dir files
	ver=$(pkg_version linux-source-6.12)
	[ -n "$ver" ] || die "linux-source-6.12 is not installed"
	dir=$SDM_CACHE/checkpatch-$ver
	if [ ! -f "$dir/checkpatch.pl" ]; then
		files="scripts/checkpatch.pl scripts/spelling.txt scripts/const_structs.checkpatch"
		mkdir -p "$dir.tmp"
		# shellcheck disable=SC2046
		tar -xJf "$TARBALL" -C "$dir.tmp" --strip-components=2 \
			$(for f in $files; do echo "linux-source-6.12/$f"; done)
		rm -rf "$dir"
		mv "$dir.tmp" "$dir"
	fi
	echo "$dir"
}

sparse_w1() {
	local kind=$1 kdir=$2 dst log
	dst=$SDM_OUT/check-$kind
	rm -rf "$dst"
	copy_sources "$dst"
	log=$dst/check.log
	echo "check: sparse C=2 + W=1 against $kdir"
	if ! make -C "$kdir" M="$dst" C=2 W=1 SDM_TEST_MODULES=y modules \
		> "$log" 2>&1; then
		cat "$log"
		echo "check: build failed against $kdir"
		return 1
	fi
	if grep -E '(warning|error):' "$log"; then
		echo "check: findings against $kdir (log: $log)"
		return 1
	fi
	grep -c '^  CHECK ' "$log" | sed 's/^/check: sparse checked /; s/$/ files/'
}

sparse_w1 stock "/usr/src/linux-headers-$(stock_kver)" || fail=1
dk=$("$SDM_TOP/tests/scripts/debug-kernel.sh" path)
if [ -f "$dk/done" ]; then
	sparse_w1 debug "$dk/build" || fail=1
else
	echo "check: debug kernel not built yet; tests/kunit/ is compiled by make test"
fi

# Exported names share one namespace with dm_mod's (dm_get, dm_put, ...):
# a duplicate makes insmod fail, so every export of sdm starts with sdm_.
bad_exports=$(cd "$SDM_TOP" && grep -ohE 'EXPORT_SYMBOL[A-Z_]*\([a-z_0-9]+' -- *.c |
	sed 's/.*(//' | grep -v '^sdm_' || true)
if [ -n "$bad_exports" ]; then
	echo "check: exports without the sdm_ prefix: $bad_exports"
	fail=1
fi

# The VM sources tests/vm/lib.sh and every tests/vm/lib.d/*.sh into one
# shell: a function defined twice silently replaces the first definition.
dup_funcs=$(cd "$SDM_TOP/tests/vm" &&
	grep -ohE '^[a-z_][a-z0-9_]*\(\)' lib.sh lib.d/*.sh | sort | uniq -d)
if [ -n "$dup_funcs" ]; then
	echo "check: shell functions defined twice in tests/vm/lib*: $dup_funcs"
	fail=1
fi

cp=$(checkpatch_dir)
mapfile -t sources < <(cd "$SDM_TOP" && git ls-files -co --exclude-standard -- '*.c' '*.h')
[ ${#sources[@]} -gt 0 ] || die "no sources found"
echo "check: checkpatch --strict on ${#sources[@]} files"
if ! (cd "$SDM_TOP" && perl "$cp/checkpatch.pl" --no-tree --strict -f --terse \
	--show-types --quiet "${sources[@]}"); then
	echo "check: checkpatch findings"
	fail=1
fi

if [ $fail -ne 0 ]; then
	echo "check: FAILED"
	exit 1
fi
echo "check: clean"
