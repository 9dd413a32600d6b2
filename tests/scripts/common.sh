# shellcheck shell=bash
# Shared helpers for the host-side scripts under tests/scripts and tests/vm.

SDM_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck disable=SC2034 # used by the scripts that source this file
SDM_CACHE=${SDM_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/sdm}
SDM_OUT=${SDM_OUT:-$SDM_TOP/.build}

# debian_kver stock|rt|v61: the Debian kernel a stock, rt or v61 run uses,
# the newest installed linux-headers-*-amd64 of its series and flavour:
# 6.12's PREEMPT_RT ones (-rt-amd64, linux-headers-6.12-rt-amd64) for rt,
# 6.12's others (linux-headers-6.12-amd64) for stock, and bookworm's own 6.1
# (linux-headers-amd64, not its -rt- or -cloud- flavours) for v61
debian_kver() {
	local d series=6.12 rt=0
	case "$1" in
	stock) ;;
	rt) rt=1 ;;
	v61) series=6.1 ;;
	*) echo "debian_kver: no kernel flavour '$1' (stock, rt, v61)" >&2; return 1 ;;
	esac
	d=$(printf '%s\n' /usr/src/linux-headers-"$series".*-amd64 |
		awk -v rt=$rt '!/-cloud-amd64$/ && (/-rt-amd64$/ == rt)' |
		sort -V | tail -n 1)
	[ -d "$d" ] || { echo "no linux-headers-$series ($1) installed" >&2; return 1; }
	basename "$d" | sed 's/^linux-headers-//'
}

# debian_image KVER: where tests/scripts/deps.sh unpacks Debian's
# linux-image-KVER (boot/vmlinuz-KVER, and lib/modules/KVER indexed by
# depmod).  The harness only boots these kernels in QEMU, so they are
# never installed on the host.
debian_image() {
	echo "$SDM_CACHE/image-$1"
}

stock_kver() {
	debian_kver stock
}

die() {
	echo "$(basename "$0"): $*" >&2
	exit 1
}

# copy_sources DIR: the files kbuild needs, with their timestamps.
copy_sources() {
	local f
	mkdir -p "$1"
	(
		cd "$SDM_TOP" || exit 1
		for f in Kbuild *.c include/*.h tests/kmod/*.c tests/kunit/*.c \
			tests/mutants/table; do
			if [ -e "$f" ]; then
				cp -p --parents "$f" "$1/"
			fi
		done
	)
}

pkg_version() {
	dpkg-query -W -f '${Version}' "$1" 2>/dev/null
}

# Run as a script: call one of the helpers above (used by the Makefile).
if [ "${BASH_SOURCE[0]}" = "$0" ] && [ $# -gt 0 ]; then
	"$@"
fi
