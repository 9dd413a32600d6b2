#!/bin/bash
# Build the guest initramfs (an uncompressed newc cpio) for one kernel:
# $SDM_OUT/initramfs-KIND.cpio, one for every VM run on that kernel (the
# host picks the tests and the mode on the kernel command line).
#
#   mkinitramfs.sh userland
#   mkinitramfs.sh stock|rt|v61|debug|kcsan
#
# The image is two archives, one after the other (the kernel unpacks
# both into the same root).  The first, $SDM_OUT/initramfs-userland.cpio,
# is the same for every kernel: busybox-static, the real Debian userland
# the tests drive (bash, dmsetup, lvm, mkfs.ext4, mkfs.xfs, xfs_io, fio,
# lsblk, blockdev, kmod, systemd-udevd and its rules) with their
# libraries, the test programs and the suites; "userland" builds it, and
# a KIND build uses the one $SDM_INITRAMFS_USERLAND names (make test
# builds it once for all kernels) or builds its own.  The second holds
# what is the kernel's: the kernel modules the suites need (decompressed,
# with a depmod index) and sdm's modules as tests/scripts/build-modules.sh
# built them for KIND.
set -euo pipefail
. "$(dirname "$0")/../scripts/common.sh"

usage="usage: $0 userland|stock|rt|v61|debug|kcsan"
[ $# -eq 1 ] || die "$usage"
KIND=$1
case "$KIND" in
userland) ;;
stock | rt | v61)
	KVER=$(debian_kver "$KIND")
	MODROOT=$(debian_image "$KVER")
	;;
debug | kcsan)
	DK=$("$SDM_TOP/tests/scripts/debug-kernel.sh" "$KIND" path)
	[ -f "$DK/done" ] || die "$KIND kernel not built"
	KVER=$(cat "$DK/kernelrelease")
	MODROOT=$DK/modroot
	;;
*) die "$usage" ;;
esac
KODIR=$SDM_OUT/kbuild-$KIND
OUT=$SDM_OUT/initramfs-$KIND.cpio

TMP=$(mktemp -d "${TMPDIR:-/tmp}/sdm-initramfs.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

# new_root NAME: ROOT, an empty tree under $TMP to archive
new_root() {
	ROOT=$TMP/$1
	mkdir "$ROOT"
	# the root directory of the guest: searchable by everyone (mktemp
	# made $TMP 0700, and a non-root caller could not reach /dev)
	chmod 0755 "$ROOT"
	# Merged /usr, as on the host, so every path ldd and command -v
	# report resolves the same way in the guest.  The kernel's tree has
	# the same links for depmod, but leaves them out of its archive: an
	# entry for lib there that is not a link would replace the
	# userland's.
	mkdir -p "$ROOT"/usr/{bin,sbin,lib,lib64}
	for d in bin sbin lib lib64; do
		ln -s "usr/$d" "$ROOT/$d"
	done
}

# write_cpio OUT PATH...: the archive of PATHs under $ROOT
write_cpio() {
	local out=$1
	shift
	(cd "$ROOT" && find "$@" | LC_ALL=C sort | cpio -o -H newc --quiet) > "$out.tmp"
	mv "$out.tmp" "$out"
}

# Userland binaries, found on PATH at build time.
BINARIES="bash dmsetup lvm mkfs.ext4 e2fsck mkfs.xfs xfs_io xfs_repair fio lsblk
blockdev kmod udevadm"
# Kernel modules the suites may load (built-in ones are skipped).
KMODULES="dm_mod dm_zero brd null_blk loop nd_e820 nd_pmem ext4 xfs
crc32c_generic"
# asynchronous pmem (dax/013; with its PCI transport, a module on 6.1),
# and zram (make bench: a bare gendisk's memory); the debug kernels have
# neither
case "$KIND" in stock | rt | v61) KMODULES="$KMODULES virtio_pci virtio_pmem zram" ;; esac
# the KCSAN kernel is built without ext4 (tests/kernel/kcsan.config)
[ "$KIND" != kcsan ] || KMODULES=${KMODULES/ ext4 / }

copy_with_libs() {
	local path=$1 lib
	mkdir -p "$ROOT$(dirname "$path")"
	rm -f "$ROOT$path"
	cp -L "$path" "$ROOT$path"
	for lib in $(ldd "$path" | grep -oE '/[^ ]+' || true); do
		[ -e "$ROOT$lib" ] && continue
		mkdir -p "$ROOT$(dirname "$lib")"
		cp -L "$lib" "$ROOT$lib"
	done
}

# userland OUT: the first archive, everything but the kernel's
userland() {
	new_root userland
	mkdir -p "$ROOT"/{etc,proc,sys,dev,tmp,run,mnt} "$ROOT"/sdm/{bin,modules,suites}
	# busybox first; real binaries copied later replace its applet links.
	cp /bin/busybox "$ROOT/bin/busybox"
	for applet in $(/bin/busybox --list-full); do
		[ -e "$ROOT/$applet" ] || ln -s /bin/busybox "$ROOT/$applet"
	done

	for b in $BINARIES; do
		p=$(command -v "$b") || die "$b not found (run tests/scripts/deps.sh)"
		copy_with_libs "$p"
	done
	for tool in modprobe insmod rmmod lsmod modinfo depmod; do
		rm -f "$ROOT/usr/sbin/$tool" "$ROOT/usr/bin/$tool"
		ln -s "$(command -v kmod)" "$ROOT/usr/sbin/$tool"
	done
	# LVM's commands are names of the one lvm binary, as Debian installs them.
	lvm_bin=$(command -v lvm)
	for tool in pvcreate pvremove pvs vgcreate vgremove vgchange vgs lvcreate \
		lvextend lvchange lvremove lvs; do
		rm -f "$ROOT/usr/sbin/$tool" "$ROOT/usr/bin/$tool"
		ln -s "$lvm_bin" "$ROOT/usr/sbin/$tool"
	done
	# systemd-udevd is udevadm under another name, as Debian installs it, with
	# Debian's rules for device-mapper, LVM and persistent storage names
	# (tests/suites/oracle/020); not 69-lvm.rules, whose event activation
	# would activate VGs behind the tests' backs
	mkdir -p "$ROOT/usr/lib/systemd" "$ROOT/usr/lib/udev/rules.d"
	ln -s "$(command -v udevadm)" "$ROOT/usr/lib/systemd/systemd-udevd"
	for r in 50-udev-default 55-dm 56-lvm 60-block 60-persistent-storage \
		60-persistent-storage-dm 95-dm-notify; do
		cp "/usr/lib/udev/rules.d/$r.rules" "$ROOT/usr/lib/udev/rules.d/" ||
			die "no udev rules $r (run tests/scripts/deps.sh)"
	done
	# The dynamic loader's cache.  Without one the loader looks for a
	# program's first library in the glibc-hwcaps, tls and x86_64
	# subdirectories before /lib/x86_64-linux-gnu, at every exec of every
	# guest: dmsetup version made 117 system calls, 101 with the cache.
	printf '%s\n' /lib/x86_64-linux-gnu /usr/lib/x86_64-linux-gnu > "$ROOT/etc/ld.so.conf"
	ldconfig -X -r "$ROOT" || die "ldconfig failed"
	echo "root:x:0:0:root:/root:/bin/sh" > "$ROOT/etc/passwd"
	echo "nobody:x:65534:65534:nobody:/nonexistent:/bin/false" >> "$ROOT/etc/passwd"
	printf 'root:x:0:\nnogroup:x:65534:\n' > "$ROOT/etc/group"

	# Test programs (static, kernel independent), harness and suites.
	cp "$SDM_OUT"/prog/* "$ROOT/sdm/bin/"
	cp "$SDM_TOP"/tests/vm/init "$ROOT/init"
	cp "$SDM_TOP"/tests/vm/lib.sh "$SDM_TOP"/tests/vm/runner.sh \
		"$SDM_TOP"/tests/vm/demo.sh "$SDM_TOP"/tests/vm/bench.sh "$ROOT/sdm/"
	cp -r "$SDM_TOP"/tests/suites/. "$ROOT/sdm/suites/"
	# the modprobe.d policy README.md installs (tests/suites/basic/100)
	cp -r "$SDM_TOP"/modprobe.d "$ROOT/sdm/"
	# the report filter of the KCSAN guest (tests/vm/init)
	cp "$SDM_TOP"/tests/kernel/kcsan.ignore "$ROOT/sdm/"
	# the harness's own fixtures (tests/scripts/selftest.sh)
	cp -r "$SDM_TOP"/tests/harness/selftest "$ROOT/sdm/suites/selftest"
	mkdir -p "$ROOT/sdm/lib.d"
	if [ -d "$SDM_TOP/tests/vm/lib.d" ]; then
		cp -r "$SDM_TOP"/tests/vm/lib.d/. "$ROOT/sdm/lib.d/"
	fi
	chmod +x "$ROOT/init"
	write_cpio "$1" .
}

# kernel_part OUT: the second archive, the kernel's modules and sdm's
kernel_part() {
	new_root kernel
	# Kernel modules: resolve dependencies with the host's modprobe against
	# MODROOT, decompress, and index them with depmod for the guest.
	mdir=$MODROOT/lib/modules/$KVER
	[ -d "$mdir" ] || die "$mdir missing"
	gdir=$ROOT/lib/modules/$KVER
	mkdir -p "$gdir"
	for f in modules.builtin modules.builtin.modinfo modules.order; do
		[ -f "$mdir/$f" ] && cp "$mdir/$f" "$gdir/"
	done
	# shellcheck disable=SC2086
	deps=$(modprobe -a --show-depends -d "$MODROOT" -S "$KVER" $KMODULES) ||
		die "cannot resolve kernel modules for $KVER"
	for ko in $(echo "$deps" | awk '$1 == "insmod" { print $2 }' | sort -u); do
		rel=${ko#"$mdir"/}
		dst=$gdir/${rel%.xz}
		mkdir -p "$(dirname "$dst")"
		case "$ko" in
		*.xz) xz -dc "$ko" > "$dst" ;;
		*) cp "$ko" "$dst" ;;
		esac
	done
	depmod -b "$ROOT" "$KVER"

	# sdm's modules for this kernel.
	mkdir -p "$ROOT/sdm/modules"
	cp "$KODIR"/sdm.ko "$KODIR"/sdm_test_targets.ko "$ROOT/sdm/modules/"
	# make bench's floor probe (tests/scripts/bench.sh), when it gives one
	if [ -n "${SDM_BENCH_FLOOR:-}" ]; then
		mkdir -p "$ROOT/sdm/modules/floor"
		cp "$SDM_BENCH_FLOOR" "$ROOT/sdm/modules/floor/sdm.ko"
	fi
	if [ -f "$KODIR/sdm_kunit.ko" ]; then
		cp "$KODIR/sdm_kunit.ko" "$ROOT/sdm/modules/"
	fi

	# The interface version sdm reports is the one of the uapi header it was
	# built against; tests compare dmsetup's output with it.
	hdr=$(cat "$KODIR/.uapi-header")
	ver=$(awk '/#define DM_VERSION_(MAJOR|MINOR|PATCHLEVEL)/ { printf "%s%s", sep, $3; sep = "." }' "$hdr")
	printf 'SDM_KERNEL=%s\nSDM_KVER=%s\nSDM_EXPECT_VERSION=%s\n' \
		"$KIND" "$KVER" "$ver" > "$ROOT/sdm/env"
	write_cpio "$1" usr/lib/modules sdm
}

if [ "$KIND" = userland ]; then
	userland "$OUT"
	exit 0
fi
USERLAND=${SDM_INITRAMFS_USERLAND:-}
if [ -z "$USERLAND" ]; then
	USERLAND=$TMP/userland.cpio
	userland "$USERLAND"
fi
[ -f "$USERLAND" ] || die "$USERLAND missing (mkinitramfs.sh userland)"
kernel_part "$TMP/kernel.cpio"
cat "$USERLAND" "$TMP/kernel.cpio" > "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
