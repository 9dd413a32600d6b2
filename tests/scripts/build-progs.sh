#!/bin/bash
# Build the guest's test programs (static, so they need no libraries).
set -euo pipefail
. "$(dirname "$0")/common.sh"

mkdir -p "$SDM_OUT/prog"
for src in "$SDM_TOP"/tests/prog/*.c; do
	bin=$SDM_OUT/prog/$(basename "$src" .c)
	newer=$(find "$src" "$SDM_TOP"/tests/prog/*.h -newer "$bin" 2> /dev/null || echo "$src")
	if [ ! -e "$bin" ] || [ -n "$newer" ]; then
		gcc -static -O2 -Wall -Wextra -Werror -o "$bin" "$src"
	fi
done
