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
	linux-headers-6.12-rt-amd64 linux-headers-amd64 qemu-system-x86
	busybox-static dmsetup lvm2 e2fsprogs xfsprogs fio util-linux dkms udev)
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

# download PACKAGE DIR: PACKAGE's .deb into DIR
download() {
	local sandbox=()
	# as root, apt's _apt user could not write into root's cache
	[ "$(id -u)" -ne 0 ] || sandbox=(-o APT::Sandbox::User=root)
	(cd "$2" && apt-get "${sandbox[@]}" download -q "$1") >&2
}

# The stock, rt and v61 runs boot the kernels whose headers debian_kver
# picks (the newest of each series and flavour) in QEMU.  Their
# linux-image packages are downloaded and unpacked into the cache, never
# installed: an install would put three kernels into the host's boot menu
# (the newest its default), and their postinst scripts (an initramfs each)
# took 8 of the 12:50 minutes the packages of a fresh machine took.
fetch_image() {
	local kver=$1 dir tmp
	dir=$(debian_image "$kver")
	[ ! -f "$dir/done" ] || return 0
	tmp=$dir.tmp
	rm -rf "$tmp"
	mkdir -p "$tmp/deb"
	echo "unpacking linux-image-$kver into $dir" >&2
	if ! download "linux-image-$kver" "$tmp/deb"; then
		# package lists older than the archive: refresh them once
		[ "$(id -u)" -eq 0 ] || die "cannot download linux-image-$kver"
		apt-get update -q >&2
		download "linux-image-$kver" "$tmp/deb" ||
			die "cannot download linux-image-$kver"
	fi
	dpkg-deb -x "$tmp"/deb/*.deb "$tmp" ||
		die "cannot unpack linux-image-$kver"
	rm -rf "$tmp/deb"
	[ -r "$tmp/boot/vmlinuz-$kver" ] || die "linux-image-$kver has no vmlinuz"
	[ -d "$tmp/lib/modules/$kver" ] || die "linux-image-$kver has no modules"
	# the index that modprobe --show-depends reads (tests/vm/mkinitramfs.sh)
	depmod -b "$tmp" "$kver" || die "depmod failed for $kver"
	touch "$tmp/done"
	rm -rf "$dir"
	mv "$tmp" "$dir"
}

mkdir -p "$SDM_CACHE"
exec 9> "$SDM_CACHE/.image.lock"
flock 9
keep=()
for kind in stock rt v61; do
	kver=$(debian_kver $kind)
	fetch_image "$kver"
	keep+=("$(debian_image "$kver")")
done
# images of kernels whose headers are gone or superseded
for dir in "$SDM_CACHE"/image-*; do
	[ -d "$dir" ] || continue
	case " ${keep[*]} " in
	*" $dir "*) ;;
	*) rm -rf "$dir" ;;
	esac
done
