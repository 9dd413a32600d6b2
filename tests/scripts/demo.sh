#!/bin/bash
# make demo: build sdm for Debian's stock 6.12, boot it under QEMU and show
# dmsetup driving it.
set -euo pipefail
. "$(dirname "$0")/common.sh"

"$SDM_TOP/tests/scripts/deps.sh"
"$SDM_TOP/tests/scripts/build-progs.sh"
"$SDM_TOP/tests/scripts/build-modules.sh" stock > /dev/null
"$SDM_TOP/tests/vm/mkinitramfs.sh" stock
exec "$SDM_TOP/tests/vm/run.sh" demo
