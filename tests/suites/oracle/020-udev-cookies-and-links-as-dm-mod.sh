# sdm-drivers: sdm -- runs the scenario against dm_mod and sdm itself, in one boot
# sdm-kernels: stock -- systemd-udevd needs inotify, which the debug kernels are built without
# sdm-timeout: 400
# A real host has udev.  Debian's systemd-udevd runs here with Debian's
# own rules for device-mapper, LVM and persistent storage (55-dm = 10-dm,
# 56-lvm = 11-dm-lvm, 60-persistent-storage-dm = 13-dm-disk,
# 60-persistent-storage, 60-block, 50-udev-default, 95-dm-notify), and
# dmsetup and LVM run without DM_DISABLE_UDEV: they let udev make the
# nodes and links and wait on their udev cookies, which only 95-dm-notify
# completes once the uevents are processed.  The same scenario runs
# against dm_mod, then against sdm:
#   dmsetup create (linear, over an ext4 of known UUID and label), a rename,
#   pvcreate, vgcreate and lvcreate, then the links are read; then
#   lvremove, vgremove, dmsetup remove, and the links are read again.
# Every command must finish (60 s each; a cookie nobody completes hangs
# it) with nothing on stderr (libdevmapper warns there about a udev cookie
# it gave up on and about nodes udev did not make), no cookie may be left
# (dmsetup udevcookies), and the links under /dev/mapper, /dev/disk and
# /dev/VG, with their targets and the udev properties of the mapped
# disks, must be what dm_mod gives.  dm_mod's own result is checked
# against what the rules promise, so a scenario that makes no links
# fails even on both drivers.
. /sdm/lib.sh

UDEV_RULES="50-udev-default 55-dm 56-lvm 60-block 60-persistent-storage
60-persistent-storage-dm 95-dm-notify"
FS_UUID=5d3a1c07-7e52-4e8b-9a30-2b1f6c0d9e44
FS_LABEL=sdmudev
VG=sdmudev
UDEVD_LOG=/tmp/udevd.log

# udev_sort_devlinks: DEVLINKS's links sorted (udev lists them in the
# order of a hash table)
udev_sort_devlinks() {
	local p
	local -a links
	while IFS= read -r p; do
		case "$p" in
		DEVLINKS=*)
			read -r -a links <<< "${p#DEVLINKS=}"
			echo "DEVLINKS=$(printf '%s\n' "${links[@]}" | sort | tr '\n' ' ')"
			;;
		*) echo "$p" ;;
		esac
	done
}

# the links udev manages here, each with its target, and the udev
# properties of every mapped disk, less the per-event counters and the
# cookie (libdevmapper picks it at random); the VG's and LV's UUIDs in the
# LV's dm UUID (LVM- and 64 characters) are random too
udev_snapshot() {
	local d
	{
		for d in /dev/mapper /dev/disk /dev/$VG; do
			[ -d "$d" ] || continue
			find "$d" -type l | sort | while read -r l; do
				echo "$l -> $(readlink "$l")"
			done
		done
		for d in /sys/block/dm-*; do
			[ -e "$d" ] || continue
			echo "== udev properties of ${d##*/}"
			udevadm info --query=property --path="$d" |
				grep -Ev '^(SEQNUM|USEC_INITIALIZED|DISKSEQ|MAJOR|DM_COOKIE)=' |
				sort | udev_sort_devlinks
		done
	} | sed -E 's/LVM-[A-Za-z0-9]{64}/LVM-(uuid)/g'
}

# udev_flush: every uevent of the mapped disks processed before the
# snapshot.  udevadm settle does not wait for an event udevd has not read
# yet: in one make test the LV of sdm's half still had the properties of
# its first activation (DM_NOSCAN, which LVM sets while it zeroes the LV's
# start) where dm_mod's had a later event's.  A change event for every
# mapped disk, waited for (udev handles one device's events in order),
# comes after all of them and leaves the disks as a coldplug would, the
# same for both drivers.
udev_flush() {
	if compgen -G "/sys/block/dm-*" > /dev/null; then
		udevadm trigger --settle --action=change --subsystem-match=block \
			--sysname-match='dm-*' || die "udevadm trigger failed"
	fi
	udevadm settle --timeout=60 || die "udev did not settle"
}

# udev_cmd OUT CMD...: CMD with udev in charge, at most 60 s, into OUT's
# transcript; its stderr must be empty
udev_cmd() {
	local out=$1 rc
	shift
	echo "+ $*"
	env -u DM_DISABLE_UDEV timeout 60 "$@" > /tmp/udev-cmd.out 2> /tmp/udev-cmd.err
	rc=$?
	cat /tmp/udev-cmd.out /tmp/udev-cmd.err
	{
		echo "### $* (exit $rc)"
		cat /tmp/udev-cmd.err
	} >> "$out"
	# busybox's timeout: the command killed by SIGTERM
	[ $rc -ne 143 ] || die "'$*' did not finish within 60 s (a udev cookie not completed?)"
	[ $rc -eq 0 ] || die "'$*' failed ($rc)"
	[ ! -s /tmp/udev-cmd.err ] || die "'$*' wrote to stderr"
	udevadm settle --timeout=60 || die "udev did not settle after '$*'"
	# every cookie completed by 95-dm-notify, none left over
	[ -z "$(dmsetup udevcookies 2>&1 | sed 1d)" ] ||
		die "cookies left after '$*': $(dmsetup udevcookies 2>&1)"
}

udev_stop() {
	local j
	umount /mnt/udev 2> /dev/null
	if [ -n "$(dm_block_majors)" ]; then
		lvremove -y -ff "$VG" > /dev/null 2>&1
		vgremove -ff "$VG" > /dev/null 2>&1
		dmsetup remove_all --force > /dev/null 2>&1
		dmsetup udevcomplete_all -y > /dev/null 2>&1
	fi
	udevadm control --exit 2> /dev/null
	for j in $(jobs -p); do
		kill "$j" 2> /dev/null
	done
	wait 2> /dev/null
	rm -rf /run/udev /dev/disk "/dev/${VG:?}"
	find /dev/mapper -type l -delete 2> /dev/null
	return 0
}

# udev_half DRIVER OUT: the scenario against DRIVER; OUT.created and
# OUT.removed get the snapshots, OUT the commands' stderr
udev_half() {
	local drv=$1 out=$2
	echo "== the scenario against $drv"
	: > "$out"
	oracle_driver_load "$drv" || die "cannot load $drv"
	run modprobe brd rd_nr=2 rd_size=16384 max_part=0 || die "modprobe brd failed"
	udevadm settle --timeout=60 || die "udev did not settle after loading $drv"
	run mkfs.ext4 -q -F -U "$FS_UUID" -L "$FS_LABEL" /dev/ram0 || die "mkfs.ext4 failed"

	udev_cmd "$out" dmsetup create udev-lin --uuid SDM-UDEV-lin \
		--table "0 32768 linear /dev/ram0 0"
	[ -L /dev/mapper/udev-lin ] || die "udev made no /dev/mapper/udev-lin"
	udev_cmd "$out" dmsetup rename udev-lin udev-ren
	udev_cmd "$out" pvcreate -q /dev/ram1
	udev_cmd "$out" vgcreate -q "$VG" /dev/ram1
	udev_cmd "$out" lvcreate -q -y -n lv -L 8M "$VG"
	# the filesystem on the mapped device mounts through its links
	mkdir -p /mnt/udev
	run mount -t ext4 "/dev/disk/by-uuid/$FS_UUID" /mnt/udev || die "cannot mount by UUID"
	run umount /mnt/udev || die "umount failed"
	udev_flush
	udev_snapshot > "$out.created"

	udev_cmd "$out" lvremove -q -y "$VG/lv"
	udev_cmd "$out" vgremove -q "$VG"
	udev_cmd "$out" pvremove -q /dev/ram1
	udev_cmd "$out" dmsetup remove udev-ren
	udev_flush
	udev_snapshot > "$out.removed"

	oracle_driver_unload "$drv" || die "cannot unload $drv"
	run rmmod brd || die "cannot unload brd"
	udevadm settle --timeout=60 || die "udev did not settle after unloading $drv"
}

# udev_expect_link OUT LINK TARGET: OUT's snapshot has LINK -> TARGET
udev_expect_link() {
	grep -qxF "$2 -> $3" "$1" || die "dm_mod's run has no link $2 -> $3"
}

trap udev_stop EXIT
for r in $UDEV_RULES; do
	[ -f "/usr/lib/udev/rules.d/$r.rules" ] || die "no $r.rules in the guest"
done
run modprobe ext4 || die "modprobe ext4 failed"
mkdir -p /run/udev
echo "+ systemd-udevd --resolve-names=never"
SYSTEMD_LOG_TARGET=console SYSTEMD_LOG_LEVEL=info \
	/usr/lib/systemd/systemd-udevd --resolve-names=never > "$UDEVD_LOG" 2>&1 &
for _ in $(seq 100); do
	[ -S /run/udev/control ] && break
	sleep 0.1
done
[ -S /run/udev/control ] || { cat "$UDEVD_LOG"; die "systemd-udevd did not start"; }

# LVM as on a host: udev makes the nodes, LVM waits for it
mkdir -p /tmp/udev-lvm /run/lvm /run/lock/lvm
cat > /tmp/udev-lvm/lvm.conf <<-'CONF'
devices {
	filter = [ "a|^/dev/ram1$|", "r|.*|" ]
	use_devicesfile = 0
}
activation {
	udev_sync = 1
	udev_rules = 1
	monitoring = 0
}
global {
	use_lvmpolld = 0
}
backup {
	backup_dir = "/tmp/udev-lvm/backup"
	archive_dir = "/tmp/udev-lvm/archive"
}
CONF
export LVM_SYSTEM_DIR=/tmp/udev-lvm LVM_SUPPRESS_FD_WARNINGS=1

udev_half dm_mod /tmp/udev-dm_mod
# what the rules promise, on dm_mod (dm-0 the dmsetup device, dm-1 the LV)
c=/tmp/udev-dm_mod.created
udev_expect_link $c /dev/mapper/udev-ren ../dm-0
udev_expect_link $c /dev/disk/by-id/dm-name-udev-ren ../../dm-0
udev_expect_link $c /dev/disk/by-id/dm-uuid-SDM-UDEV-lin ../../dm-0
udev_expect_link $c "/dev/disk/by-uuid/$FS_UUID" ../../dm-0
udev_expect_link $c "/dev/disk/by-label/$FS_LABEL" ../../dm-0
udev_expect_link $c "/dev/mapper/$VG-lv" ../dm-1
udev_expect_link $c "/dev/disk/by-id/dm-name-$VG-lv" ../../dm-1
udev_expect_link $c "/dev/$VG/lv" ../dm-1
udev_expect_link $c "/dev/disk/by-id/dm-uuid-LVM-(uuid)" ../../dm-1
# after the removals no link and no mapped disk is left
[ ! -s /tmp/udev-dm_mod.removed ] ||
	die "dm_mod's links or disks outlived the devices: $(cat /tmp/udev-dm_mod.removed)"

udev_half sdm /tmp/udev-sdm
rc=0
oracle_compare /tmp/udev-dm_mod /tmp/udev-sdm "stderr of the commands" || rc=1
oracle_compare /tmp/udev-dm_mod.created /tmp/udev-sdm.created \
	"links and udev properties after the creates" || rc=1
oracle_compare /tmp/udev-dm_mod.removed /tmp/udev-sdm.removed \
	"links and udev properties after the removals" || rc=1
if [ $rc -ne 0 ]; then
	echo "== systemd-udevd's log (its complaints about rules left out)"
	grep -v "takes no effect" "$UDEVD_LOG" | tail -n 20
	die "sdm and dm_mod differ under udev"
fi
