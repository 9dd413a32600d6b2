# sdm-drivers: sdm -- loads and unloads sdm.ko itself
# Repeated load/unload leaves nothing behind and never splats.  The debug
# kernel checks each cycle (KASAN, lockdep, kmemleak at the end) at about
# 1.5 s a cycle: five there, 25 elsewhere.
. /sdm/lib.sh

cycles=25
[ "$SDM_KERNEL" != debug ] || cycles=5
i=0
while [ $i -lt $cycles ]; do
	insmod "$SDM_MODULES/sdm.ko" || die "insmod #$i failed"
	[ "$(char_dev /dev/mapper/control)" = "10:236" ] || die "cycle $i: no control node"
	[ -n "$(dm_block_majors)" ] || die "cycle $i: no block major"
	rmmod sdm || die "rmmod #$i failed"
	[ ! -e /dev/mapper/control ] || die "cycle $i: control node survived"
	[ -z "$(dm_block_majors)" ] || die "cycle $i: block major survived"
	i=$((i + 1))
done
echo "$cycles load/unload cycles"
