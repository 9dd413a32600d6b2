#!/bin/bash
# Build sdm.ko and the test modules for one kernel, out of the source tree,
# with sparse on every file (C=2) and W=1: the one build per kernel that
# serves both `make check` and the VM runs.
#
#   build-modules.sh stock|rt|v61|debug|kcsan [extra make arguments]
#
# The sources are copied to $SDM_OUT/kbuild-KIND so builds for different
# kernels never share objects.  Any compiler or sparse warning fails the
# build.  The dm-ioctl.h the build really used is recorded in .uapi-header
# (the tests check the version sdm reports against it).
set -euo pipefail
. "$(dirname "$0")/common.sh"

KIND=${1:?usage: build-modules.sh stock|rt|v61|debug|kcsan [make args]}
shift
case "$KIND" in
stock | rt | v61) KDIR=/usr/src/linux-headers-$(debian_kver "$KIND") ;;
debug | kcsan) KDIR=$("$SDM_TOP/tests/scripts/debug-kernel.sh" "$KIND" path)/build ;;
*) die "unknown kernel kind $KIND" ;;
esac
[ -f "$KDIR/Makefile" ] || die "no kernel tree at $KDIR"

# Always from scratch (about 10 s): an incremental external-module build
# was once seen to link a module without the symbol version of an import
# a change had just added, and the module then failed to load.
dst=$SDM_OUT/kbuild-$KIND
rm -rf "$dst"
copy_sources "$dst"

log=$dst/build.log
# SDM_SPARSE=0: W=1 only (a mutant's build: the same sources were checked
# in the unmutated builds)
sparse=C=2
[ "${SDM_SPARSE:-1}" != 0 ] || sparse=
make -C "$KDIR" M="$dst" -j"$(nproc)" $sparse W=1 SDM_TEST_MODULES=y "$@" modules \
	> "$log" 2>&1 ||
	{ cat "$log" >&2; die "module build for $KIND failed"; }
if grep -E '(warning|error):' "$log" >&2; then
	die "module build for $KIND has warnings (log: $log)"
fi
if [ -n "$sparse" ]; then
	checked=$(grep -c '^  CHECK ' "$log" || true)
	[ "$checked" -gt 0 ] || die "sparse checked nothing (log: $log)"
	echo "build-modules: $KIND: sparse and W=1 clean on $checked files" >&2
else
	echo "build-modules: $KIND: W=1 clean (no sparse)" >&2
fi
hdr=$(grep -oE '[^ ]*include/uapi/linux/dm-ioctl\.h' "$dst/.dm_ioctl.o.cmd" |
	head -n 1)
[ -n "$hdr" ] || die "cannot tell which dm-ioctl.h was used"
case "$hdr" in
/*) ;;
*) hdr=$KDIR/$hdr ;;	# kbuild ran in the kernel tree
esac
[ -f "$hdr" ] || die "$hdr missing"
echo "$hdr" > "$dst/.uapi-header"
echo "$dst"
