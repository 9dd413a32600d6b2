#!/bin/bash
# The checks of `make check` that need no kernel tree: checkpatch.pl
# --strict on every C source and header, shellcheck on every shell script,
# the sdm_ prefix of every export, shell helpers defined once, and every
# test declaring its drivers.  Any finding fails.  checkpatch.pl,
# spelling.txt and const_structs.checkpatch come from Debian's
# linux-source-6.12 tarball.
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

cd "$SDM_TOP"

# Exported names share one namespace with dm_mod's (dm_get, dm_put, ...):
# a duplicate makes insmod fail, so every export of sdm starts with sdm_.
bad_exports=$(grep -ohE 'EXPORT_SYMBOL[A-Z_]*\([a-z_0-9]+' -- *.c |
	sed 's/.*(//' | grep -v '^sdm_' || true)
if [ -n "$bad_exports" ]; then
	echo "lint: exports without the sdm_ prefix: $bad_exports"
	fail=1
fi

# The VM sources tests/vm/lib.sh and every tests/vm/lib.d/*.sh into one
# shell (runner.sh too): a function defined twice silently replaces the
# first definition.
dup_funcs=$(cd tests/vm &&
	grep -ohE '^[a-z_][a-z0-9_]*\(\)' lib.sh lib.d/*.sh runner.sh | sort | uniq -d)
if [ -n "$dup_funcs" ]; then
	echo "lint: shell functions defined twice in tests/vm: $dup_funcs"
	fail=1
fi

if ! tests/vm/plan.sh check; then
	echo "lint: test headers incomplete"
	fail=1
fi

mapfile -t scripts < <(git ls-files -co --exclude-standard -- '*.sh' tests/vm/init .ci/run)
echo "lint: shellcheck on ${#scripts[@]} scripts"
if ! shellcheck -x -P SCRIPTDIR "${scripts[@]}"; then
	echo "lint: shellcheck findings"
	fail=1
fi

cp=$(checkpatch_dir)
mapfile -t sources < <(git ls-files -co --exclude-standard -- '*.c' '*.h')
[ ${#sources[@]} -gt 0 ] || die "no sources found"
echo "lint: checkpatch --strict on ${#sources[@]} files"
if ! perl "$cp/checkpatch.pl" --no-tree --strict -f --terse \
	--show-types --quiet "${sources[@]}"; then
	echo "lint: checkpatch findings"
	fail=1
fi

if [ $fail -ne 0 ]; then
	echo "lint: FAILED"
	exit 1
fi
echo "lint: clean"
