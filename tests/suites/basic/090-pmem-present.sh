# sdm-drivers: sdm -- checks the harness's pmem, the same for any driver
# Harness: memmap=1G!1G gives a 1 GiB legacy pmem device inside guest RAM,
# and data written to it reads back.
. /sdm/lib.sh

pmem_load
expect_eq "$(blockdev --getsize64 /dev/pmem0)" 1073741824 "pmem0 size"
head -c 1048576 /dev/urandom > /tmp/pattern
dd if=/tmp/pattern of=/dev/pmem0 bs=1M seek=700 oflag=direct 2>/dev/null || die "write failed"
dd if=/dev/pmem0 of=/tmp/back bs=1M skip=700 count=1 iflag=direct 2>/dev/null || die "read failed"
cmp /tmp/pattern /tmp/back || die "pmem0 lost data"
