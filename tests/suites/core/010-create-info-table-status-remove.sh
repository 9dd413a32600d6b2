# sdm-drivers: sdm dm_mod
# dmsetup create, ls, info, table, status, deps, suspend, resume and remove
# of a linear device: every field dmsetup reports is exactly upstream's,
# and the device, its node, its sysfs directory and its holder links come
# and go with it.
. /sdm/lib.sh
core_start 16

major=$(dm_block_majors)
[ -n "$major" ] || die "no device-mapper block major"
ram=$(stat -c '%t %T' /dev/ram0 | { read -r a b; echo "$((0x$a)):$((0x$b))"; })

run dmsetup create lin -u core-uuid-1 --table "0 2048 linear /dev/ram0 4096" ||
	die "dmsetup create failed"
minor=$(dm_minor lin)
core_expect_info lin "Major, minor" "$major, $minor"
dm=$(dm_disk lin)

dmsetup info lin
core_expect_info lin Name lin
core_expect_info lin State ACTIVE
core_expect_info lin "Tables present" LIVE
core_expect_info lin "Open count" 0
core_expect_info lin "Event number" 0
core_expect_info lin "Number of targets" 1
core_expect_info lin UUID core-uuid-1
expect_eq "$(dmsetup info -c --noheadings --separator : \
	-o name,uuid,major,minor,attr,open,segments,events,tables_loaded lin)" \
	"lin:core-uuid-1:$major:$minor:L--w:0:1:0:Live" "dmsetup info -c"
expect_eq "$(dmsetup ls)" "$(printf 'lin\t(%s:%s)' "$major" "$minor")" "dmsetup ls"
expect_eq "$(dmsetup table lin)" "0 2048 linear $ram 4096" "dmsetup table"
expect_eq "$(dmsetup table --concise)" "lin,core-uuid-1,$minor,rw,0 2048 linear $ram 4096" \
	"dmsetup table --concise"
expect_eq "$(dmsetup status lin)" "0 2048 linear " "dmsetup status"
expect_eq "$(dmsetup deps lin)" "$(printf '1 dependencies\t: (%s)' "${ram/:/, }")" "dmsetup deps"

# the block device, its node and its sysfs directory
expect_eq "$(stat -c '%F %t %T' /dev/mapper/lin)" \
	"block special file $(printf '%x %x' "$major" "$minor")" "/dev/mapper/lin"
[ -b "/dev/$dm" ] || die "/dev/$dm missing"
expect_eq "$(blockdev --getsz /dev/mapper/lin)" 2048 "size in sectors"
expect_eq "$(blockdev --getro /dev/mapper/lin)" 0 "read-only"
expect_eq "$(cat "/sys/block/${dm}/dev")" "$major:$minor" "sysfs dev"
expect_eq "$(cat "/sys/block/${dm}/dm/name")" lin "sysfs dm/name"
expect_eq "$(cat "/sys/block/${dm}/dm/uuid")" core-uuid-1 "sysfs dm/uuid"
expect_eq "$(cat "/sys/block/${dm}/dm/suspended")" 0 "sysfs dm/suspended"
expect_eq "$(ls "/sys/block/${dm}/slaves")" ram0 "slaves of $dm"
expect_eq "$(ls /sys/block/ram0/holders)" "$dm" "holders of ram0"

run dmsetup suspend lin || die "suspend failed"
core_expect_info lin State SUSPENDED
core_expect_info lin "Tables present" LIVE
expect_eq "$(dmsetup info -c --noheadings -o attr lin)" "L-sw" "attr while suspended"
expect_eq "$(cat "/sys/block/${dm}/dm/suspended")" 1 "sysfs dm/suspended while suspended"
run dmsetup resume lin || die "resume failed"
core_expect_info lin State ACTIVE
expect_eq "$(cat "/sys/block/${dm}/dm/suspended")" 0 "sysfs dm/suspended after resume"

# a read-only device, and a second and third device in the listing
run dmsetup create -r ro --table "0 1024 linear /dev/ram0 0" || die "create -r failed"
core_expect_info ro State "ACTIVE (READ-ONLY)"
expect_eq "$(dmsetup info -c --noheadings -o attr ro)" "L--r" "attr of ro"
expect_eq "$(blockdev --getro /dev/mapper/ro)" 1 "ro is read-only"
run dmsetup create a-first --table "0 8 linear /dev/ram0 8" || die "create a-first failed"
expect_eq "$(dmsetup ls | cut -f1 | tr '\n' ' ')" "a-first lin ro " "dmsetup ls order"
expect_eq "$(dmsetup info -c --noheadings -o name | tr '\n' ' ')" "a-first lin ro " \
	"dmsetup info of all devices"

run dmsetup remove lin || die "remove failed"
[ ! -e /dev/mapper/lin ] || die "/dev/mapper/lin survived remove"
[ ! -e "/sys/block/${dm}" ] || die "$dm survived remove"
[ ! -e "/dev/$dm" ] || die "/dev/$dm survived remove"
expect_fail_msg "Device does not exist." dmsetup info lin
run dmsetup remove ro a-first || die "remove of ro and a-first failed"
[ -z "$(ls /sys/block/ram0/holders)" ] || die "ram0 still has holders"
core_expect_no_devices
