# sdm-drivers: sdm dm_mod
# Replies larger than libdevmapper's first 16 KiB buffer come back with
# DM_BUFFER_FULL_FLAG and are retried with a bigger buffer by every
# listing and status command: ls, info, table, status (also --inactive),
# wait (whose reply carries the table status), deps of many devices, for
# 130 devices with 124-character names and 128-character uuids and a
# 700-target table.
# sdm-timeout: 300
. /sdm/lib.sh
abi_start 16

echo "130 devices with long names"
pad=$(printf 'x%.0s' $(seq 1 120))
for i in $(seq 100 229); do
	echo "${pad}-$i,${pad}-uuid$i,,,0 8 linear /dev/ram0 $i"
done | tr '\n' ';' | sed 's/;$//' > /tmp/bf.concise
run dmsetup create --concise "$(cat /tmp/bf.concise)" > /dev/null || die "create --concise failed"
expect_eq "$(dmsetup ls | wc -l)" 130 "devices in dmsetup ls"
expect_eq "$(dmsetup ls | head -n 1 | cut -f1)" "${pad}-100" "first name"
expect_eq "$(dmsetup ls | tail -n 1 | cut -f1)" "${pad}-229" "last name"
expect_eq "$(dmsetup info -c --noheadings -o name,uuid | wc -l)" 130 "devices in dmsetup info -c"
expect_eq "$(dmsetup info -c --noheadings -o uuid --sort name | tail -n 1)" "${pad}-uuid229" \
	"last uuid"
expect_eq "$(dmsetup info | grep -c '^Name:')" 130 "devices in dmsetup info"
expect_eq "$(dmsetup table | wc -l)" 130 "lines of dmsetup table"
expect_eq "$(dmsetup table | tail -n 1)" "${pad}-229: 0 8 linear 1:0 229" "last table line"
expect_eq "$(dmsetup status | wc -l)" 130 "lines of dmsetup status"
expect_eq "$(dmsetup table --concise | tr ';' '\n' | wc -l)" 130 "dmsetup table --concise"
run dmsetup remove_all || die "remove_all failed"
core_expect_no_devices

echo "a 700-target table"
for i in $(seq 0 699); do
	echo "$((i * 8)) 8 linear /dev/ram0 $((i * 16))"
done > /tmp/bf.table
run dmsetup create big /tmp/bf.table || die "create big failed"
core_expect_info big "Number of targets" 700
dmsetup table big > /tmp/bf.got || die "dmsetup table failed"
expect_eq "$(wc -l < /tmp/bf.got)" 700 "lines of the table"
expect_eq "$(tail -n 1 /tmp/bf.got)" "5592 8 linear 1:0 11184" "last line of the table"
sed 's|/dev/ram0|1:0|' /tmp/bf.table | cmp -s - /tmp/bf.got || die "the table differs"
expect_eq "$(dmsetup status big | wc -l)" 700 "lines of the status"
expect_eq "$(dmsetup status big | sort -u -k3 | cut -d' ' -f3- | sort -u)" "linear " \
	"status of the targets"
run dmsetup reload big /tmp/bf.table || die "reload failed"
expect_eq "$(dmsetup table --inactive big | wc -l)" 700 "lines of the inactive table"
expect_eq "$(dmsetup status --inactive big | wc -l)" 700 "lines of the inactive status"
run dmsetup rename big big2 || die "rename failed"
expect_eq "$(timeout 10 dmsetup wait -v big2 0 | sed -n 's/^Number of targets: *//p')" 700 \
	"targets reported by wait"
run dmsetup remove big2 || die "remove failed"
core_expect_no_devices
