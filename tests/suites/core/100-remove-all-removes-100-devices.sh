# sdm-drivers: sdm dm_mod
# 100 linear devices over slices of one ram disk, each mapping its own
# slice; dmsetup remove_all removes them all: dmsetup ls prints "No
# devices found", no dm disk, node or holder link is left, and ram0 and
# the driver can be unloaded.
. /sdm/lib.sh
core_start 16

spec=""
i=0
while [ $i -lt 100 ]; do
	spec="$spec${spec:+;}many$i,many-uuid-$i,,rw,0 128 linear /dev/ram0 $((i * 128))"
	i=$((i + 1))
done
run dmsetup create --concise "$spec" > /dev/null || die "create of 100 devices failed"
expect_eq "$(dmsetup ls | wc -l)" 100 "devices listed"
expect_eq "$(find /sys/block -mindepth 1 -maxdepth 1 -name 'dm-*' | wc -l)" 100 "dm disks"
expect_eq "$(find /dev/mapper -mindepth 1 -maxdepth 1 | wc -l)" 101 "nodes in /dev/mapper"
expect_eq "$(find /sys/block/ram0/holders -mindepth 1 -maxdepth 1 | wc -l)" 100 "holders of ram0"
expect_eq "$(dmsetup table many57)" "0 128 linear 1:0 7296" "table of many57"
core_expect_info many99 UUID many-uuid-99
# each device writes its own slice
for i in 0 1 50 98 99; do
	printf 'slice %03d' $i | dd of=/dev/mapper/many$i conv=fsync 2> /dev/null ||
		die "write to many$i failed"
done
core_drop_caches
for i in 0 1 50 98 99; do
	expect_eq "$(dd if=/dev/ram0 bs=512 skip=$((i * 128)) count=1 2> /dev/null | head -c 9)" \
		"slice $(printf %03d $i)" "ram0 slice $i"
done

run dmsetup remove_all || die "remove_all failed"
core_expect_no_devices
[ -z "$(ls /sys/block/ram0/holders)" ] || die "ram0 still has holders"
core_unload_clean
