# sdm-drivers: sdm -- loads and unloads sdm.ko itself
# Repeated load/unload leaves nothing behind and never splats.
. /sdm/lib.sh

i=0
while [ $i -lt 25 ]; do
	insmod "$SDM_MODULES/sdm.ko" || die "insmod #$i failed"
	[ "$(char_dev /dev/mapper/control)" = "10:236" ] || die "cycle $i: no control node"
	[ -n "$(dm_block_majors)" ] || die "cycle $i: no block major"
	rmmod sdm || die "rmmod #$i failed"
	[ ! -e /dev/mapper/control ] || die "cycle $i: control node survived"
	[ -z "$(dm_block_majors)" ] || die "cycle $i: block major survived"
	i=$((i + 1))
done
echo "25 load/unload cycles"
