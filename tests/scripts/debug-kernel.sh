#!/bin/bash
# Build (or find in the cache) one of the two debug 6.12 kernels, from
# Debian's linux-source-6.12 with the patches in tests/kernel/patches
# applied (each says why it is needed):
#   debug   allnoconfig plus tests/kernel/debug.config: KASAN, lockdep,
#           kmemleak, DEBUG_OBJECTS, KUnit, failslab, full preemption
#   kcsan   the same with tests/kernel/kcsan.config laid over it: KCSAN,
#           which cannot be built with KASAN, instead of KASAN
#
#   debug-kernel.sh [debug|kcsan] path    print the cache directory for
#                                         the current inputs
#   debug-kernel.sh [debug|kcsan] build   build it unless cached, then
#                                         print the directory
#
# The cache key hashes every input that changes the result: the config
# fragments, the patches, this script (its comments left out), the
# linux-source-6.12 package version and the compiler version.  The
# directory holds bzImage, the prepared build tree (for building sdm.ko
# against it) and the installed modules.
set -euo pipefail
. "$(dirname "$0")/common.sh"

FLAVOUR=debug
case "${1:-}" in
debug | kcsan)
	FLAVOUR=$1
	shift
	;;
esac
BASE_FRAG=$SDM_TOP/tests/kernel/debug.config
OVER_FRAG=""
[ "$FLAVOUR" = debug ] || OVER_FRAG=$SDM_TOP/tests/kernel/$FLAVOUR.config
PATCHES=$SDM_TOP/tests/kernel/patches
TARBALL=/usr/src/linux-source-6.12.tar.xz
# the cache directories of a flavour: debug-kernel-KEY, kcsan-kernel-KEY
PREFIX=$FLAVOUR-kernel

# fragment: the flavour's config fragment on stdout, its CONFIG_ lines
# only (a comment changes no kernel): debug.config with the flavour's
# lines laid over it, a symbol the flavour sets to n dropped
fragment() {
	awk '
		FNR == 1 { second = (NR != FNR) }
		/^CONFIG_[A-Za-z0-9_]+=/ {
			sym = $0
			sub(/=.*/, "", sym)
			if (second) {
				over[sym] = 1
				if ($0 !~ /=n$/)
					print
				next
			}
			line[++n] = $0
			name[n] = sym
			next
		}
		END {
			for (i = 1; i <= n; i++)
				if (!(name[i] in over))
					print line[i]
		}' "$BASE_FRAG" ${OVER_FRAG:+"$OVER_FRAG"}
}

cache_dir() {
	local srcver key
	srcver=$(pkg_version linux-source-6.12)
	[ -n "$srcver" ] || die "linux-source-6.12 is not installed"
	# the script without its comments: a comment changes no kernel
	key=$( { fragment; cat "$PATCHES"/*.patch
		grep -v '^[[:space:]]*#' "$0"; echo "$srcver"
		gcc --version | head -n 1; } |
		sha256sum | cut -c1-16)
	echo "$SDM_CACHE/$PREFIX-$key"
}

# verify_config CONFIG FRAGMENT: every line of FRAGMENT survived into the
# .config CONFIG (Kconfig drops what it cannot satisfy, silently)
verify_config() {
	local cfg=$1 line sym want got bad=0
	while IFS= read -r line; do
		case "$line" in ''|'#'*) continue ;; esac
		sym=${line%%=*}
		want=${line#*=}
		got=$(grep -E "^$sym=" "$cfg" | head -n 1 | cut -d= -f2- || true)
		if [ "$got" != "$want" ]; then
			echo "$FLAVOUR kernel: $sym wanted $want, got '${got:-unset}'" >&2
			bad=1
		fi
	done < "$2"
	# what the flavour turns off must be off
	if [ -n "$OVER_FRAG" ]; then
		while IFS= read -r sym; do
			if grep -qE "^$sym=" "$cfg"; then
				echo "$FLAVOUR kernel: $sym still set" >&2
				bad=1
			fi
		done < <(sed -n 's/^\(CONFIG_[A-Za-z0-9_]*\)=n$/\1/p' "$OVER_FRAG")
	fi
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
	exec 9>"$SDM_CACHE/.$PREFIX.lock"
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
	echo "$FLAVOUR kernel: building in $tmp (about 8 minutes on 2 cores)" >&2
	tar -xJf "$TARBALL" -C "$tmp"
	fragment > "$tmp/fragment.config"
	mv "$tmp/linux-source-6.12" "$tmp/build"
	local log=$tmp/build.log p
	(
		cd "$tmp/build"
		for p in "$PATCHES"/*.patch; do
			patch -p1 --forward --batch < "$p"
		done
		KCONFIG_ALLCONFIG=$tmp/fragment.config make ARCH=x86_64 allnoconfig
		make ARCH=x86_64 -j"$jobs" bzImage modules
		make ARCH=x86_64 INSTALL_MOD_PATH="$tmp/modroot" \
			INSTALL_MOD_STRIP=1 modules_install
	) > "$log" 2>&1 || { tail -n 60 "$log" >&2; die "$FLAVOUR kernel build failed (log: $log)"; }
	verify_config "$tmp/build/.config" "$tmp/fragment.config" ||
		die "config fragment not honoured"
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
	find "$SDM_CACHE" -maxdepth 1 -name "$PREFIX-*" \
		-not -path "$dir" -exec rm -rf {} +
	echo "$dir"
}

case "${1:-}" in
path) cache_dir ;;
build) build ;;
*) die "usage: $0 [debug|kcsan] path|build" ;;
esac
