# A test that passes.
. /sdm/lib.sh
echo "nothing to see"
