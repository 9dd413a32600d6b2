# sdm-drivers: sdm dm_mod
# The block uevents of each dmsetup command (heard on the kernel's uevent
# netlink socket by dm_uevent), as upstream sends them: the first table
# load adds the disk (ADD, no cookie), a resume that resumes sends CHANGE
# with dmsetup's cookie (plus RESIZE=1 when the size changed, and a
# DISK_RO change first when the read-only state flips), a rename CHANGE
# with the cookie, a remove REMOVE with the cookie then the disk's own
# REMOVE.  Creating a device without a table, suspending, resuming a live
# device, loading a second table and failed commands send nothing.
. /sdm/lib.sh
abi_start 16
c=$ABI_DMSETUP_COOKIE

dm_uevent -- dmsetup create u --table "0 2048 linear /dev/ram0 0" > /tmp/ue.out ||
	die "create failed"
dm=$(dm_disk u)
expect_eq "$(abi_uevents /tmp/ue.out)" "add $dm
change $dm cookie=$c" "uevents of create with a table"
grep -qx "DEVPATH=/devices/virtual/block/$dm" /tmp/ue.out || die "no DEVPATH of $dm"
grep -qx "DEVTYPE=disk" /tmp/ue.out || die "no DEVTYPE=disk"
grep -qx "DEVPATH=/devices/virtual/bdi/$(dm_block_majors):$(dm_minor u)" /tmp/ue.out ||
	die "no bdi ADD"

abi_expect_uevents "suspend" "" dmsetup suspend u
abi_expect_uevents "resume" "change $dm cookie=$c" dmsetup resume u
abi_expect_uevents "resume of a live device" "" dmsetup resume u
abi_expect_uevents "reload" "" dmsetup reload u --table "0 2048 linear /dev/ram0 8"
abi_expect_uevents "resume with a new table" "change $dm cookie=$c" dmsetup resume u
abi_expect_uevents "reload" "" dmsetup reload u --table "0 4096 linear /dev/ram0 0"
abi_expect_uevents "resume of a grown table" "change $dm cookie=$c resize" dmsetup resume u
abi_expect_uevents "rename" "change $dm cookie=$c" dmsetup rename u u2
abi_expect_uevents "rename --setuuid" "change $dm cookie=$c" dmsetup rename u2 --setuuid u2-uuid
abi_expect_uevents "message" "" dmsetup message u2 0 @cancel_deferred_remove
abi_expect_uevents "setgeometry" "" dmsetup setgeometry u2 1 1 1 0
abi_expect_uevents "info, table, status, deps, ls" "" \
	sh -c 'dmsetup info u2 && dmsetup table u2 && dmsetup status u2 && dmsetup deps u2 && dmsetup ls'
abi_expect_uevents "reload read-only" "" dmsetup reload -r u2 --table "0 4096 linear /dev/ram0 0"
abi_expect_uevents "resume of a read-only table" "change $dm ro=1
change $dm cookie=$c" dmsetup resume u2
abi_expect_uevents "reload writable" "" dmsetup reload u2 --table "0 4096 linear /dev/ram0 0"
abi_expect_uevents "resume of a writable table" "change $dm ro=0
change $dm cookie=$c" dmsetup resume u2

echo "failed commands"
exec 5< /dev/mapper/u2 || die "cannot open u2"
dm_uevent -- dmsetup remove u2 > /tmp/ue.out 2>&1 && die "remove of an open device worked"
expect_eq "$(abi_uevents /tmp/ue.out)" "" "uevents of a refused remove"
dm_uevent -- dmsetup rename nosuch x > /tmp/ue.out 2>&1 && die "rename of a missing device worked"
expect_eq "$(abi_uevents /tmp/ue.out)" "" "uevents of a refused rename"
exec 5<&-

abi_expect_uevents "remove" "remove $dm cookie=$c
remove $dm" dmsetup remove u2

echo "no disk before the first table"
abi_expect_uevents "create --notable" "" dmsetup create nt --notable
abi_expect_uevents "rename without a table" "" dmsetup rename nt nt2
abi_expect_uevents "remove without a table" "" dmsetup remove nt2
abi_expect_uevents "create --notable" "" dmsetup create nt --notable
dm_uevent -- dmsetup load nt --table "0 2048 linear /dev/ram0 0" > /tmp/ue.out ||
	die "load failed"
dm=$(dm_disk nt)
expect_eq "$(abi_uevents /tmp/ue.out)" "add $dm" "uevents of the first load"
abi_expect_uevents "resume" "change $dm cookie=$c" dmsetup resume nt
abi_expect_uevents "remove --deferred of a closed device" "remove $dm cookie=$c
remove $dm" dmsetup remove --deferred nt

echo "a read-only device from the start"
dm_uevent -- dmsetup create -r ro --table "0 2048 linear /dev/ram0 0" > /tmp/ue.out ||
	die "create -r failed"
dm=$(dm_disk ro)
expect_eq "$(abi_uevents /tmp/ue.out)" "add $dm
change $dm ro=1
change $dm cookie=$c" "uevents of create -r"
abi_expect_uevents "remove_all" "remove $dm" dmsetup remove_all
core_expect_no_devices
