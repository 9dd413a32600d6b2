# sdm-drivers: sdm dm_mod
# The holder links: /sys/block/dm-N/slaves names every device of the live
# table and each of those names dm-N under holders/, for linear, striped
# and stacked devices; as in dm_mod, a load links the new table's devices
# at once and the swap drops the old table's; they go with the device.  lsblk shows the mapped names and the tree exactly.
. /sdm/lib.sh
abi_start 16 3

run dmsetup create lin --table "0 2048 linear /dev/ram0 0" || die "create lin failed"
run dmsetup create st --table "0 4096 striped 2 8 /dev/ram1 0 /dev/ram2 0" || die "create st failed"
lin=$(dm_disk lin)
st=$(dm_disk st)
run dmsetup create top --table "0 2048 linear /dev/mapper/lin 0
2048 4096 linear /dev/mapper/st 0" || die "create top failed"
top=$(dm_disk top)

# links DISK DIR: the entries of /sys/block/DISK/DIR (slaves or holders)
links() {
	# shellcheck disable=SC2012 # sysfs names are plain
	ls "/sys/block/$1/$2" | tr '\n' ' ' | sed 's/ $//'
}

expect_eq "$(links "$lin" slaves)" ram0 "slaves of lin"
expect_eq "$(links "$st" slaves)" "ram1 ram2" "slaves of st"
expect_eq "$(links "$top" slaves)" "$lin $st" "slaves of top"
expect_eq "$(links "ram0" holders)" "$lin" "holders of ram0"
expect_eq "$(links "ram1" holders)" "$st" "holders of ram1"
expect_eq "$(links "$lin" holders)" "$top" "holders of lin"
expect_eq "$(links "$top" holders)" "" "holders of top"
expect_eq "$(readlink "/sys/block/$top/slaves/$lin")" "../../$lin" "slaves link of top"
expect_eq "$(readlink "/sys/block/ram0/holders/$lin")" "../../$lin" "holders link of ram0"

lsblk -o NAME,KNAME,TYPE,SIZE,RO /dev/ram0 /dev/ram1 /dev/ram2 > /tmp/lsblk.out ||
	die "lsblk failed"
cat /tmp/lsblk.out
expect_eq "$(cat /tmp/lsblk.out)" "NAME    KNAME TYPE SIZE RO
ram0    ram0  disk  16M  0
\`-lin   $lin  dm     1M  0
  \`-top $top  dm     3M  0
ram1    ram1  disk  16M  0
\`-st    $st  dm     2M  0
  \`-top $top  dm     3M  0
ram2    ram2  disk  16M  0
\`-st    $st  dm     2M  0
  \`-top $top  dm     3M  0" "lsblk tree"
expect_eq "$(lsblk -rno NAME,KNAME,MAJ:MIN /dev/mapper/top)" \
	"top $top $(dm_block_majors):$(dm_minor top)" "lsblk of top"

echo "a load links the new table's devices, the swap drops the old ones"
run dmsetup reload lin --table "0 2048 linear /dev/ram2 4096" || die "reload failed"
expect_eq "$(links "$lin" slaves)" "ram0 ram2" "slaves of lin after the load"
run dmsetup resume lin || die "resume failed"
expect_eq "$(links "$lin" slaves)" ram2 "slaves of lin after the swap"
expect_eq "$(links "ram0" holders)" "" "holders of ram0 after the swap"
expect_eq "$(links "ram2" holders)" "$lin $st" "holders of ram2"

run dmsetup remove top || die "remove top failed"
expect_eq "$(links "$lin" holders)" "" "holders of lin after top went"
expect_eq "$(links "$st" holders)" "" "holders of st after top went"
run dmsetup remove lin st || die "remove failed"
for r in ram0 ram1 ram2; do
	expect_eq "$(links "$r" holders)" "" "holders of $r"
done
core_expect_no_devices
