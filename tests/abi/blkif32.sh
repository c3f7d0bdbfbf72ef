#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# blkback's x86_32-abi ring layout (drivers/block/xen-blkback/abi32.h)
# against Xen's blkif.h as a 32-bit guest's compiler lays it out (-m32).
# Nothing is run: blkif32.c is compiled to assembly on each side and the
# "#CHECK" lines it leaves there must be the same.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

gcc -m64 -S -DSIDE_OURS -I "$here/shim" -I "$top/include" -I "$top" \
	-o "$out/ours.s" "$here/blkif32.c" || { echo "FAIL: blkif32.c does not build against abi32.h"; exit 1; }
gcc -m32 -ffreestanding -S -D__XEN_TOOLS__ -D__XEN_INTERFACE_VERSION__=0x00040e00 \
	-o "$out/xen.s" "$here/blkif32.c" || { echo "FAIL: blkif32.c does not build against Xen's headers at -m32"; exit 1; }
for s in ours xen; do
	sed -n 's/^[[:space:]]*#CHECK //p' "$out/$s.s" >"$out/$s.txt"
done
n=$(wc -l <"$out/xen.txt")
[ "$n" -ge 25 ] || { echo "FAIL: only $n checks found in Xen's side"; exit 1; }
if ! diff -u --label xen-m32 "$out/xen.txt" --label ours "$out/ours.txt"; then
	echo "FAIL: blkback's x86_32 layout differs from Xen's"
	exit 1
fi
echo "abi: $n x86_32 blkif checks match Xen's header at -m32 ($(grep 'SLOT.size' "$out/xen.txt"))"
