# shellcheck shell=bash
# Helpers of the lvm suite (tests/suites/lvm): the real, unmodified LVM2
# tools drive the driver under test (sdm, or dm_mod as the oracle) over
# two brd disks.  No udev runs for these tests, so LVM is told to make
# the /dev/mapper nodes and /dev/VG links itself (libdevmapper does, with
# DM_DISABLE_UDEV=1), to scan only the two RAM disks and to keep no
# metadata backups.  activation/checks makes LVM read back every device
# it activates from the driver and compare it with what it asked for.

LVM_VG=sdmvg

# lvm_start MIB: the driver, two brd disks of MIB MiB and an LVM
# configuration of the test's own
lvm_start() {
	core_start "$1" 2
	mkdir -p /tmp/lvm-etc /run/lvm /run/lock/lvm
	cat > /tmp/lvm-etc/lvm.conf <<-'CONF'
	devices {
		filter = [ "a|^/dev/ram[01]$|", "r|.*|" ]
		obtain_device_list_from_udev = 0
		external_device_info_source = "none"
		use_devicesfile = 0
		scan_lvs = 0
	}
	activation {
		udev_sync = 0
		udev_rules = 0
		verify_udev_operations = 0
		monitoring = 0
		checks = 1
	}
	global {
		use_lvmpolld = 0
		event_activation = 0
	}
	backup {
		backup = 0
		archive = 0
	}
	CONF
	export LVM_SYSTEM_DIR=/tmp/lvm-etc
	# LVM warns about descriptors it inherits; the runner's are harmless
	export LVM_SUPPRESS_FD_WARNINGS=1
	# shellcheck disable=SC2034 # used by core_cleanup
	CORE_CLEANUP='lvm_cleanup'
}

# lvm_cleanup: the EXIT trap's part for LVM (a safety net only)
lvm_cleanup() {
	awk '$2 ~ "^/mnt/lvm" { print $2 }' /proc/mounts | while read -r m; do
		umount "$m"
	done
	if [ -n "$(dm_block_majors)" ]; then
		vgchange -an "$LVM_VG" > /dev/null 2>&1
		vgremove -ff "$LVM_VG" > /dev/null 2>&1
	fi
	pvremove -ff -y /dev/ram0 /dev/ram1 > /dev/null 2>&1
	return 0
}

# lvm_vg: PVs on both RAM disks and the volume group over them
lvm_vg() {
	run pvcreate -q /dev/ram0 /dev/ram1 || die "pvcreate failed"
	run vgcreate -q "$LVM_VG" /dev/ram0 /dev/ram1 || die "vgcreate failed"
}

# lvm_field LV FIELD: one lvs field of VG/LV, without padding
lvm_field() {
	lvs --noheadings --nosuffix --units s -o "$2" "$LVM_VG/$1" | tr -d ' '
}

# lvm_pe_start PV: the sector where PV's first extent starts
lvm_pe_start() {
	pvs --noheadings --nosuffix --units s -o pe_start "$1" | tr -d ' '
}

# lvm_devt DISK: "major:minor" of a block device node
lvm_devt() {
	local ma mi
	read -r ma mi <<< "$(stat -L -c '%t %T' "$1")" || return 1
	echo "$((0x$ma)):$((0x$mi))"
}

# lvm_expect_active LV: the LV is active in LVM's view and in the
# driver's: lvs says so, dmsetup shows VG-LV live with an LVM- uuid,
# and /dev/VG/LV leads to the driver's disk
lvm_expect_active() {
	local dm="$LVM_VG-$1"
	expect_eq "$(lvm_field "$1" lv_active)" active "lv_active of $1"
	core_expect_info "$dm" State ACTIVE
	core_expect_info "$dm" "Tables present" LIVE
	case "$(core_info "$dm" UUID)" in
	LVM-*) ;;
	*) die "$dm has uuid '$(core_info "$dm" UUID)', not LVM-..." ;;
	esac
	[ -b "/dev/$LVM_VG/$1" ] || die "/dev/$LVM_VG/$1 is missing"
	expect_eq "$(lvm_devt "/dev/$LVM_VG/$1")" "$(lvm_devt "/dev/mapper/$dm")" \
		"device of /dev/$LVM_VG/$1"
}

# lvm_expect_inactive LV: deactivated everywhere
lvm_expect_inactive() {
	local dm="$LVM_VG-$1"
	expect_eq "$(lvm_field "$1" lv_active)" "" "lv_active of $1"
	dmsetup info "$dm" > /dev/null 2>&1 && die "$dm still exists in the driver"
	[ -e "/dev/$LVM_VG/$1" ] && die "/dev/$LVM_VG/$1 still exists"
	[ -e "/dev/mapper/$dm" ] && die "/dev/mapper/$dm still exists"
	return 0
}

# lvm_teardown: remove the VG and the PVs; nothing may be left
lvm_teardown() {
	run vgremove -q -y "$LVM_VG" || die "vgremove failed"
	run pvremove -q /dev/ram0 /dev/ram1 || die "pvremove failed"
	core_expect_no_devices
	core_unload_clean
}
