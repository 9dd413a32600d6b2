# sdm-drivers: sdm dm_mod
# --inactive (DM_QUERY_INACTIVE_TABLE_FLAG) on table, status and info:
# without an inactive table the table and status are empty and info
# reports 0 targets; with one, they describe it, and info's read-only
# state is the inactive table's (not the live one's).  The live table
# queries are unchanged throughout, and a clear drops only the inactive
# table.
. /sdm/lib.sh
abi_start 16

run dmsetup create --readonly q --table "0 2048 linear /dev/ram0 0" || die "create failed"
expect_eq "$(dmsetup table --inactive q)" "" "inactive table, none loaded"
expect_eq "$(dmsetup status --inactive q)" "" "inactive status, none loaded"
core_expect_info q "Tables present" LIVE
expect_eq "$(dmsetup info --inactive q | sed -n 's/^Number of targets: *//p')" 0 \
	"targets of info --inactive, none loaded"
expect_eq "$(dmsetup info --inactive q | sed -n 's/^State: *//p')" ACTIVE \
	"state of info --inactive of a read-only device, none loaded"

run dmsetup reload q --table "0 1024 linear /dev/ram0 8
1024 1024 zero" || die "reload failed"
expect_eq "$(dmsetup table --inactive q)" "0 1024 linear 1:0 8
1024 1024 zero " "inactive table"
expect_eq "$(dmsetup status --inactive q)" "0 1024 linear 
1024 1024 zero " "inactive status"
expect_eq "$(dmsetup info --inactive q | sed -n 's/^Number of targets: *//p')" 2 \
	"targets of info --inactive"
expect_eq "$(dmsetup info --inactive q | sed -n 's/^State: *//p')" ACTIVE \
	"state of info --inactive with a writable inactive table"
expect_eq "$(dmsetup info --inactive q | sed -n 's/^Tables present: *//p')" "LIVE & INACTIVE" \
	"tables present"
core_expect_info q State "ACTIVE (READ-ONLY)"
core_expect_info q "Number of targets" 1
expect_eq "$(dmsetup table q)" "0 2048 linear 1:0 0" "live table"

run dmsetup reload --readonly q --table "0 2048 error" || die "reload -r failed"
expect_eq "$(dmsetup info --inactive q | sed -n 's/^State: *//p')" "ACTIVE (READ-ONLY)" \
	"state of info --inactive with a read-only inactive table"
expect_eq "$(dmsetup table --inactive q)" "0 2048 error " "inactive table"

run dmsetup clear q || die "clear failed"
expect_eq "$(dmsetup table --inactive q)" "" "inactive table after clear"
core_expect_info q "Tables present" LIVE
expect_eq "$(dmsetup table q)" "0 2048 linear 1:0 0" "live table after clear"

echo "a device without any table"
run dmsetup create --notable nt || die "create --notable failed"
expect_eq "$(dmsetup table --inactive nt)" "" "inactive table of nt"
expect_eq "$(dmsetup table nt)" "" "table of nt"
run dmsetup load nt --table "0 8 zero" || die "load failed"
expect_eq "$(dmsetup table --inactive nt)" "0 8 zero " "inactive table of nt"
expect_eq "$(dmsetup table nt)" "" "live table of nt"
run dmsetup remove q nt || die "remove failed"
core_expect_no_devices
