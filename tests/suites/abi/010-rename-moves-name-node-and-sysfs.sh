# sdm-drivers: sdm dm_mod
# dmsetup rename: the name, the /dev/mapper node, sysfs dm/name and lsblk
# follow, the device and its data stay, and each rename (also --setuuid)
# of a device with a live table is a dm event (the event number counts).
# Refusals with upstream's errno: onto an existing name or the device's
# own name EBUSY (also for a missing device: the new name is checked
# first), a missing device ENXIO, "control", "." and ".." EINVAL; rename
# addresses the device by name only (-u gives ENXIO).  --setuuid sets a
# uuid once (EINVAL when one is set, EBUSY when another device has it) and
# does not apply the name rules.
. /sdm/lib.sh
abi_start 16

run dmsetup create old --table "0 2048 linear /dev/ram0 0" || die "create failed"
run dmsetup create other -u other-uuid --table "0 2048 linear /dev/ram0 2048" ||
	die "create other failed"
minor=$(dm_minor old)
disk=$(dm_disk old)
core_random /tmp/rn.data 2048
core_put /tmp/rn.data /dev/mapper/old 0

run dmsetup rename old new || die "rename failed"
[ ! -e /dev/mapper/old ] || die "/dev/mapper/old survived the rename"
expect_eq "$(stat -c '%t %T' /dev/mapper/new)" "$(printf '%x %x' "$(dm_block_majors)" "$minor")" \
	"/dev/mapper/new"
expect_eq "$(cat "/sys/block/$disk/dm/name")" new "sysfs dm/name"
expect_fail_msg "Device does not exist." dmsetup info old
core_expect_info new "Major, minor" "$(dm_block_majors), $minor"
core_expect_info new State ACTIVE
core_expect_info new "Event number" 1
expect_eq "$(lsblk -rno NAME,KNAME "/dev/$disk")" "new $disk" "lsblk of the renamed device"
core_expect_data /tmp/rn.data /dev/mapper/new 0 "the data changed with the name"

echo "refusals"
expect_fail_msg "Device or resource busy" dmsetup rename new other
expect_fail_msg "Device or resource busy" dmsetup rename new new
expect_fail_msg "No such device or address" dmsetup rename nosuch zz
expect_fail_msg "Device or resource busy" dmsetup rename nosuch other
for bad in control . ..; do
	expect_fail_msg "Invalid argument" dmsetup rename new "$bad"
done
expect_fail_msg "No such device or address" dmsetup rename -u other-uuid renamed
expect_eq "$(dmsetup ls | cut -f1 | tr '\n' ' ')" "new other " "devices after the refusals"
core_expect_info new "Event number" 1

echo "127 characters are fine"
long=$(printf 'n%.0s' $(seq 1 127))
run dmsetup rename new "$long" || die "rename to 127 characters failed"
expect_eq "$(cat "/sys/block/$disk/dm/name")" "$long" "sysfs dm/name"
[ -b "/dev/mapper/$long" ] || die "no node for the long name"
run dmsetup rename "$long" new || die "rename back failed"
core_expect_info new "Event number" 3

echo "--setuuid"
run dmsetup rename new --setuuid new-uuid || die "rename --setuuid failed"
core_expect_info new UUID new-uuid
expect_eq "$(cat "/sys/block/$disk/dm/uuid")" new-uuid "sysfs dm/uuid"
core_expect_info new "Event number" 4
expect_fail_msg "Invalid argument" dmsetup rename new --setuuid other-uuid-2
expect_fail_msg "Device or resource busy" dmsetup rename new --setuuid other-uuid
run dmsetup create nt --notable || die "create --notable failed"
expect_fail_msg "Device or resource busy" dmsetup rename nt --setuuid other-uuid
run dmsetup rename nt --setuuid "a/b" || die "rename --setuuid a/b failed"
core_expect_info nt UUID "a/b"
# no table, no dm event
core_expect_info nt "Event number" 0
expect_fail_msg "No such device or address" dmsetup rename nosuch --setuuid x-uuid
core_expect_info new UUID new-uuid

run dmsetup remove new other nt || die "remove failed"
core_expect_no_devices
