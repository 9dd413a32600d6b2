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
show dmsetup targets

step "A 64 MiB RAM disk to map onto"
show modprobe brd rd_nr=1 rd_size=65536
show blockdev --getsz /dev/ram0

step "Two linear devices over its two halves"
show dmsetup create left --table "0 65536 linear /dev/ram0 0"
show dmsetup create right --table "0 65536 linear /dev/ram0 65536"
show dmsetup ls
show dmsetup table
show dmsetup info left

step "A filesystem on one of them"
show modprobe ext4
show mkfs.ext4 -q /dev/mapper/left
mkdir -p /mnt/left
show mount /dev/mapper/left /mnt/left
echo "hello from sdm" > /mnt/left/greeting
show cat /mnt/left/greeting
show df -h /mnt/left

step "A mounted device cannot be removed"
echo "\$ dmsetup remove left"
dmsetup remove left 2>&1 || echo "(refused: it is open)"
show dmsetup info -c -o name,open left

step "Suspend freezes the filesystem and holds I/O; resume lets it go"
show dmsetup suspend left
show dmsetup info -c -o name,attr left
show dmsetup resume left
show umount /mnt/left
show e2fsck -fn /dev/mapper/left

step "Reload switches the mapping: left now shows what right wrote"
echo "written through right" | dd of=/dev/mapper/right bs=512 conv=sync 2>/dev/null
show dmsetup reload left --table "0 65536 linear /dev/ram0 65536"
show dmsetup resume left
show head -c 21 /dev/mapper/left
echo

step "dm_mod cannot load next to it (minor 236 is sdm's)"
echo "\$ modprobe dm_mod"
modprobe dm_mod 2>&1 || echo "(refused, as expected)"

step "Bad requests get upstream's errno: here from user nobody"
show sdm_ioctl non_root_is_eacces && echo "EACCES for non-root, as dm_mod"

step "DAX: XFS -o dax=always on sdm over pmem (the guest's memmap=1G!1G)"
show modprobe nd_e820
show modprobe nd_pmem
show modprobe xfs
pmem_wait
show dmsetup create fast --table "0 262144 linear /dev/pmem0 262144"
show cat "/sys/block/$(dm_disk fast)/queue/dax"
TEST_DIR=/tmp TEST_DEV=/dev/mapper/fast QA_CHECK_FS=xfs \
	show mkfs.xfs -q -m rmapbt=1 /dev/mapper/fast
mkdir -p /mnt/fast
show mount -t xfs -o dax=always /dev/mapper/fast /mnt/fast
show grep /mnt/fast /proc/mounts

step "A poisoned pmem page reaches XFS through sdm: SIGBUS at the right address"
show dax_file poison /mnt/fast/victim 2
show umount /mnt/fast
show dmsetup remove fast

step "Remove everything and unload"
show dmsetup remove_all
show dmsetup ls
show rmmod sdm
show rmmod brd

echo
echo "demo: ok" > /dev/ttyS1
echo "demo: ok"
