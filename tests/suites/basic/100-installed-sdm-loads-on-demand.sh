# sdm-drivers: sdm -- installs sdm itself and keeps dm_mod away
# sdm-kernels: stock -- module aliases and modprobe.d do not depend on the kernel's debug options
# sdm installed as README.md says, in a running kernel: sdm.ko under
# /lib/modules/KVER/updates and depmod (what make install does, checked
# on the host by tests/scripts/install-check.sh), and the modprobe.d
# policy of make install-policy (the tree's modprobe.d/sdm.conf).  Then
# kmod static-nodes lists /dev/mapper/control, the node systemd makes at
# boot; opening it loads sdm on demand through the alias it shares with
# dm_mod (char-major-10-236), dm_mod's being ignored; modprobe dm_mod and
# modprobe dm_zero (which needs dm_mod) are refused; dmsetup works.
# Uninstalling leaves the guest as it was.
. /sdm/lib.sh

kver=$(uname -r)
mdir=/lib/modules/$kver
! module_loaded sdm || die "sdm is loaded before the test"
! module_loaded dm_mod || die "dm_mod is loaded before the test"
[ ! -e /dev/mapper/control ] || die "/dev/mapper/control exists before the test"

# shellcheck disable=SC2317 # run by the EXIT trap
uninstall() {
	! module_loaded sdm || rmmod sdm
	rm -f /etc/modprobe.d/sdm.conf "$mdir/updates/sdm.ko" /dev/mapper/control \
		/tmp/static-nodes
	depmod -a "$kver"
}
trap uninstall EXIT

mkdir -p /etc/modprobe.d "$mdir/updates"
run cp /sdm/modprobe.d/sdm.conf /etc/modprobe.d/sdm.conf
run cp "$SDM_MODULES/sdm.ko" "$mdir/updates/sdm.ko"
run depmod -a "$kver" || die "depmod failed"

echo "the kernel's module loader: $(cat /proc/sys/kernel/modprobe)"
echo "+ modprobe --show-depends char-major-10-236"
loads=$(modprobe --show-depends char-major-10-236) || die "the alias resolves to nothing"
echo "$loads"
echo "$loads" | grep -q "^insmod $mdir/updates/sdm.ko" ||
	die "modprobe would not load the installed sdm.ko for char-major-10-236"
! echo "$loads" | grep -q "/dm-mod.ko" || die "modprobe would load dm_mod for char-major-10-236"

# (into a file: the guest has no /dev/stdout, its default)
run kmod static-nodes --format=tmpfiles --output=/tmp/static-nodes ||
	die "kmod static-nodes failed"
nodes=$(cat /tmp/static-nodes)
echo "$nodes"
echo "$nodes" | grep -qx "c! /dev/mapper/control 0600 - - - 10:236" ||
	die "kmod static-nodes does not list /dev/mapper/control (devname alias)"
# what systemd-tmpfiles does with that line at boot
run mkdir -p /dev/mapper
run mknod -m 0600 /dev/mapper/control c 10 236 || die "mknod failed"

echo "+ open /dev/mapper/control"
exec 3< /dev/mapper/control || die "opening /dev/mapper/control failed"
exec 3<&-
module_loaded sdm || die "opening /dev/mapper/control did not load sdm"
! module_loaded dm_mod || die "opening /dev/mapper/control loaded dm_mod"
expect_eq "$(cat /sys/module/sdm/initstate)" live "sdm's state"

expect_fail_msg "install command" modprobe dm_mod
! module_loaded dm_mod || die "modprobe dm_mod loaded it despite the policy"
# a module that needs dm_mod's symbols
expect_fail_msg "install command" modprobe dm_zero
! module_loaded dm_mod || die "modprobe dm_zero loaded dm_mod despite the policy"
! module_loaded dm_zero || die "modprobe dm_zero loaded it without dm_mod"

run dmsetup create inst --table "0 8 zero" || die "dmsetup create failed"
dmsetup table inst | grep -q "^0 8 zero" || die "dmsetup table inst: not the zero table"
run dmsetup remove inst || die "dmsetup remove failed"
run rmmod sdm || die "rmmod sdm failed"
exit 0
