# shellcheck shell=bash
# The demo a newcomer runs with `make demo`: sdm loaded into Debian's stock
# kernel and driven by the real dmsetup.  Every command is shown before it
# runs; the demo stops at the first failure.
set -e
. /sdm/lib.sh

step() {
	echo
	echo "== $*"
}

show() {
	echo "\$ $*"
	"$@"
}

echo
echo "sdm demo on $(uname -r)"

step "Load sdm: it takes the control device dm_mod would own"
show insmod /sdm/modules/sdm.ko
show ls -l /dev/mapper/control
show grep device-mapper /proc/misc /proc/devices
dmesg | grep 'sdm: ' | tail -n 1

step "The unmodified dmsetup talks to it"
show dmsetup version

step "dm_mod cannot load next to it (minor 236 is sdm's)"
echo "\$ modprobe dm_mod"
modprobe dm_mod 2>&1 || echo "(refused, as expected)"

step "Bad requests get upstream's errno: here from user nobody"
show sdm_ioctl non_root_is_eacces && echo "EACCES for non-root, as dm_mod"

step "Unload"
show rmmod sdm
show ls /dev/mapper

echo
echo "demo: ok" > /dev/ttyS1
echo "demo: ok"
