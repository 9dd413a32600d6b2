#!/bin/bash
# The install targets README.md documents, run for Debian's 6.12 kernel
# into a staging directory (nothing outside it changes, whatever kernel
# the host runs), and what each must leave:
#   make install          updates/sdm.ko for the kernel, indexed by depmod
#                         with dm_mod's aliases (char-major-10-236,
#                         devname:mapper/control), so that opening
#                         /dev/mapper/control can load it
#   make uninstall        the module and its index entries gone
#   make install-policy   /etc/modprobe.d/sdm.conf as in the tree
#   make uninstall-policy and gone again
#   make dkms-install     a DKMS build and install (its own DKMS tree)
#   dkms install -k 6.1   the same for Debian 12's 6.1 (its headers)
#   dkms build            refused for a kernel outside dkms.conf's
#                         BUILD_EXCLUSIVE_KERNEL (exit status 77)
#   make dkms-uninstall   DKMS knows the module no more
# What loading on demand and the policy do in a running kernel is
# tests/suites/basic/100 (in a VM).  Run by make test as a host step.
set -euo pipefail
. "$(dirname "$0")/common.sh"

kver=$(stock_kver)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
src=$stage/src
root=$stage/root
mdir=$root/lib/modules/$kver
fails=0

check() {	# check DESCRIPTION COMMAND...: one expectation
	if "${@:2}"; then
		echo "ok: $1"
	else
		echo "FAILED: $1"
		fails=$((fails + 1))
	fi
}

# the module file under DIR (modules_install compresses it as the kernel
# does), or nothing
module_in() {
	local f
	for f in "$1/sdm.ko" "$1/sdm.ko.xz"; do
		[ -f "$f" ] && { echo "$f"; return 0; }
	done
	return 1
}

no_module_in() {	# no module file under DIR
	! module_in "$1" > /dev/null
}

# make_in_stage LOG TARGET VAR=VALUE...: a make target of the staged
# sources, its output shown only if it fails
make_in_stage() {
	make -s -C "$src" "${@:2}" > "$stage/$1.log" 2>&1 ||
		{ cat "$stage/$1.log"; die "make $2 failed"; }
}

vermagic_is() {	# vermagic_is MODULE KVER: MODULE was built for KVER
	local v
	v=$(modinfo -F vermagic "$1") || return 1
	[ "${v%% *}" = "$2" ]
}

# no_delay_points MODULE: a product build, without the test builds' delay
# points (nm must read the symbols, or this fails)
no_delay_points() {
	xzcat -f "$1" > "$stage/plain.ko" || return 1
	nm "$stage/plain.ko" > "$stage/symbols" || return 1
	grep -qw sdm_delay "$stage/symbols" && return 1
	grep -qw sdm_create "$stage/symbols"
}

# The sources as a user has them, apart from the tree make test builds in.
copy_sources "$src"
cp -p "$SDM_TOP"/Makefile "$SDM_TOP"/dkms.conf "$src/"
cp -pr "$SDM_TOP"/modprobe.d "$src/"
mkdir -p "$src/tests/scripts"
cp -p "$SDM_TOP"/tests/scripts/common.sh "$src/tests/scripts/"
mkdir -p "$mdir"

echo "== make install KVER=$kver INSTALL_MOD_PATH=<stage>"
make_in_stage install install KVER="$kver" INSTALL_MOD_PATH="$root"
ko=$(module_in "$mdir/updates") || ko=""
check "make install put sdm.ko under lib/modules/$kver/updates" test -n "$ko"
[ -z "$ko" ] || check "the installed module is built for $kver" vermagic_is "$ko" "$kver"
check "depmod indexed alias char-major-10-236 for sdm" \
	grep -qx "alias char-major-10-236 sdm" "$mdir/modules.alias"
check "depmod indexed alias devname:mapper/control for sdm" \
	grep -qx "alias devname:mapper/control sdm" "$mdir/modules.alias"
check "modules.devname gives the node for kmod static-nodes" \
	grep -qx "sdm mapper/control c10:236" "$mdir/modules.devname"
[ -z "$ko" ] || check "the installed module is a product build (no delay points)" \
	no_delay_points "$ko"

echo "== make uninstall"
make_in_stage uninstall uninstall KVER="$kver" INSTALL_MOD_PATH="$root"
check "make uninstall removed the module" no_module_in "$mdir/updates"
check "make uninstall removed sdm from modules.alias" \
	bash -c "! grep -q ' sdm\$' '$mdir/modules.alias'"

echo "== make install-policy DESTDIR=<stage>"
make_in_stage policy install-policy DESTDIR="$stage/etc-root"
check "the policy is installed as in the tree" \
	cmp "$src/modprobe.d/sdm.conf" "$stage/etc-root/etc/modprobe.d/sdm.conf"
make_in_stage unpolicy uninstall-policy DESTDIR="$stage/etc-root"
check "make uninstall-policy removed it" test ! -e "$stage/etc-root/etc/modprobe.d/sdm.conf"

echo "== make dkms-install KVER=$kver (a DKMS tree of its own)"
dkms_flags="--dkmstree $stage/dkms --sourcetree $stage/usrsrc --installtree $root/lib/modules --no-depmod"
mkdir -p "$stage/dkms" "$stage/usrsrc"
make_in_stage dkms dkms-install KVER="$kver" DKMS_SOURCETREE="$stage/usrsrc" \
	DKMS_FLAGS="$dkms_flags"
ko=$(module_in "$mdir/updates/dkms") || ko=""
check "DKMS installed sdm.ko under lib/modules/$kver/updates/dkms" test -n "$ko"
[ -z "$ko" ] || check "the DKMS module is built for $kver" vermagic_is "$ko" "$kver"
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$src/dkms.conf")
# the other kernel dkms.conf allows, Debian 12's own 6.1
kver61=$(debian_kver v61)
echo "== dkms build and install for $kver61"
mkdir -p "$root/lib/modules/$kver61"
rc=0
# shellcheck disable=SC2086 # the flags are words
dkms install $dkms_flags "sdm/$ver" -k "$kver61" > "$stage/dkms61.log" 2>&1 || rc=$?
check "a DKMS build and install for $kver61 succeeds (got $rc)" test "$rc" -eq 0
[ "$rc" -eq 0 ] || tail -n 20 "$stage/dkms61.log"
ko=$(module_in "$root/lib/modules/$kver61/updates/dkms") || ko=""
check "DKMS installed sdm.ko under lib/modules/$kver61/updates/dkms" test -n "$ko"
[ -z "$ko" ] || check "the DKMS module is built for $kver61" vermagic_is "$ko" "$kver61"
rc=0
# shellcheck disable=SC2086 # the flags are words
dkms build $dkms_flags "sdm/$ver" -k 6.6.0-99-amd64 > "$stage/exclusive.log" 2>&1 || rc=$?
check "a DKMS build for 6.6 is refused by BUILD_EXCLUSIVE_KERNEL (77, got $rc)" test "$rc" -eq 77
make_in_stage dkms-remove dkms-uninstall DKMS_SOURCETREE="$stage/usrsrc" \
	DKMS_FLAGS="$dkms_flags"
# shellcheck disable=SC2086
check "after make dkms-uninstall DKMS lists no sdm" \
	bash -c "[ -z \"\$(dkms status $dkms_flags sdm)\" ]"
check "and the modules it installed are gone" no_module_in "$mdir/updates/dkms"
check "for $kver61 too" no_module_in "$root/lib/modules/$kver61/updates/dkms"

[ "$fails" -eq 0 ] || die "$fails check(s) failed"
echo "install-check: every install target does what README.md says"
