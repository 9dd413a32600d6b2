#!/bin/bash
# Install the Debian packages the build, the checks and the VM suites need.
# As root it runs apt-get; otherwise it prints the exact command to run.
#
#   deps.sh          all of them
#   deps.sh kernel   only what building the debug kernels needs, so that
#                    make test can start those builds while the rest of
#                    the packages install
#   deps.sh bench    all of them and what only make bench needs (gnuplot
#                    for its plot)
set -euo pipefail
. "$(dirname "$0")/common.sh"

KERNEL_PACKAGES=(build-essential bc bison flex libelf-dev libssl-dev cpio
	xz-utils kmod perl patch linux-source-6.12)
PACKAGES=("${KERNEL_PACKAGES[@]}" sparse linux-headers-6.12-amd64
	linux-image-6.12-amd64 qemu-system-x86 busybox-static dmsetup lvm2
	e2fsprogs xfsprogs fio util-linux dkms udev linux-headers-6.12-rt-amd64
	linux-image-6.12-rt-amd64 linux-headers-amd64 linux-image-amd64)
BENCH_PACKAGES=(gnuplot-nox)
case "${1:-}" in
"") ;;
kernel) PACKAGES=("${KERNEL_PACKAGES[@]}") ;;
bench) PACKAGES+=("${BENCH_PACKAGES[@]}") ;;
*) die "usage: deps.sh [kernel|bench]" ;;
esac

missing() {
	local p
	for p in "$@"; do
		dpkg-query -W -f '${Status}\n' "$p" 2>/dev/null |
			grep -q '^install ok installed$' || echo "$p"
	done
}

install() {
	local cmd="apt-get install -y --no-install-recommends $*"
	if [ "$(id -u)" -ne 0 ]; then
		echo "missing packages; run as root:" >&2
		echo "  apt-get update && $cmd" >&2
		exit 1
	fi
	echo "installing: $*" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q >&2
	apt-get install -q -y --no-install-recommends "$@" >&2
}

mapfile -t need < <(missing "${PACKAGES[@]}")
[ ${#need[@]} -eq 0 ] || install "${need[@]}"
[ "${1:-}" != kernel ] || exit 0

# The stock, rt and v61 runs boot the images that match the newest
# headers of their kernel (linux-image-amd64 is bookworm's 6.1).
for kind in stock rt v61; do
	kver=$(debian_kver $kind)
	[ -e "/boot/vmlinuz-$kver" ] || install "linux-image-$kver"
	[ -r "/boot/vmlinuz-$kver" ] ||
		die "/boot/vmlinuz-$kver is not readable: run the tests as root"
done
