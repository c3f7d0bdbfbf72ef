#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# checkpatch.pl --strict over our C sources and headers and over every patch
# in patches/series.  Uses the checkpatch of the prepared tree.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cp=$top/out/ours/linux/scripts/checkpatch.pl
[ -x "$cp" ] || { echo "prepare the tree first (make prepare)" >&2; exit 1; }
rc=0
# The ABI headers keep Xen's own names and constant types (include/xen/interface).
files=$(cd "$top" && git ls-files -- '*.c' '*.h' | grep -v -e '^tests/' -e '^include/xen/interface/')
# CAMELCASE: Xen's own names (XenbusState*, start_info's domU) are ABI.
for f in $files; do
	"$cp" --strict --no-tree --quiet --show-types \
		--ignore SPDX_LICENSE_TAG,FILE_PATH_CHANGES,CAMELCASE \
		-f "$top/$f" || rc=1
done
while read -r p; do
	"$cp" --strict --no-tree --quiet --ignore FILE_PATH_CHANGES "$top/patches/$p" || rc=1
done < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$top/patches/series")
[ $rc = 0 ] && echo "checkpatch: clean ($(echo "$files" | wc -w) files, $(grep -cv '^#' "$top/patches/series") patches)"
exit $rc
