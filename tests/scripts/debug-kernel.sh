#!/bin/bash
# Build (or find in the cache) the debug 6.12 kernel: allnoconfig plus
# tests/kernel/debug.config, from Debian's linux-source-6.12 with the
# patches in tests/kernel/patches applied (each says why it is needed).
#
#   debug-kernel.sh path    print the cache directory for the current inputs
#   debug-kernel.sh build   build it unless cached, then print the directory
#
# The cache key hashes every input that changes the result: the config
# fragment, the patches, this script, the linux-source-6.12 package version
# and the compiler version.  The directory holds bzImage, the prepared build tree
# (for building sdm.ko against it) and the installed modules.
set -euo pipefail
. "$(dirname "$0")/common.sh"

FRAG=$SDM_TOP/tests/kernel/debug.config
PATCHES=$SDM_TOP/tests/kernel/patches
TARBALL=/usr/src/linux-source-6.12.tar.xz

cache_dir() {
	local srcver key
	srcver=$(pkg_version linux-source-6.12)
	[ -n "$srcver" ] || die "linux-source-6.12 is not installed"
	key=$( { cat "$FRAG" "$PATCHES"/*.patch "$0"; echo "$srcver"
		gcc --version | head -n 1; } |
		sha256sum | cut -c1-16)
	echo "$SDM_CACHE/debug-kernel-$key"
}

verify_config() {
	local cfg=$1 line sym want got bad=0
	while IFS= read -r line; do
		case "$line" in ''|'#'*) continue ;; esac
		sym=${line%%=*}
		want=${line#*=}
		got=$(grep -E "^$sym=" "$cfg" | head -n 1 | cut -d= -f2- || true)
		if [ "$got" != "$want" ]; then
			echo "debug.config: $sym wanted $want, got '${got:-unset}'" >&2
			bad=1
		fi
	done < "$FRAG"
	return $bad
}

build() {
	local dir tmp jobs
	dir=$(cache_dir)
	if [ -f "$dir/done" ]; then
		echo "$dir"
		return 0
	fi
	mkdir -p "$SDM_CACHE"
	exec 9>"$SDM_CACHE/.debug-kernel.lock"
	flock 9
	if [ -f "$dir/done" ]; then
		echo "$dir"
		return 0
	fi
	[ -r "$TARBALL" ] || die "$TARBALL missing (apt-get install linux-source-6.12)"
	tmp=$dir.tmp
	rm -rf "$tmp"
	mkdir -p "$tmp"
	jobs=$(nproc)
	echo "debug kernel: building in $tmp (about 13-15 minutes on 2 cores)" >&2
	tar -xJf "$TARBALL" -C "$tmp"
	mv "$tmp/linux-source-6.12" "$tmp/build"
	local log=$tmp/build.log p
	(
		cd "$tmp/build"
		for p in "$PATCHES"/*.patch; do
			patch -p1 --forward --batch < "$p"
		done
		KCONFIG_ALLCONFIG=$FRAG make ARCH=x86_64 allnoconfig
		make ARCH=x86_64 -j"$jobs" bzImage modules
		make ARCH=x86_64 INSTALL_MOD_PATH="$tmp/modroot" \
			INSTALL_MOD_STRIP=1 modules_install
	) > "$log" 2>&1 || { tail -n 60 "$log" >&2; die "debug kernel build failed (log: $log)"; }
	verify_config "$tmp/build/.config" || die "config fragment not honoured"
	cp "$tmp/build/arch/x86/boot/bzImage" "$tmp/bzImage"
	make -s -C "$tmp/build" kernelrelease > "$tmp/kernelrelease"
	# Objects are not needed to build external modules; drop them to
	# keep the cache small (the host tools and generated headers stay).
	find "$tmp/build" -name '*.o' -not -path '*/scripts/*' \
		-not -path '*/tools/*' -delete
	touch "$tmp/done"
	rm -rf "$dir"
	mv "$tmp" "$dir"
	# Keep only the current build; older keys are stale inputs.
	find "$SDM_CACHE" -maxdepth 1 -name 'debug-kernel-*' \
		-not -path "$dir" -exec rm -rf {} +
	echo "$dir"
}

case "${1:-}" in
path) cache_dir ;;
build) build ;;
*) die "usage: $0 path|build" ;;
esac
