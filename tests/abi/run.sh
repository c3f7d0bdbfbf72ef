#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# ABI conformance: our include/xen/interface against Xen's public headers
# (/usr/include/xen, package libxen-dev).
#
# 1. checks.list must cover everything our headers define (gen.py --check).
# 2. abi.c is built twice, with our headers (through the userspace shims
#    in shim/) and with Xen's; each prints one line per check plus a trace
#    of the ring macros.  The two outputs must be identical.
#
# Exits non-zero on a missing or stale check, a build failure on either
# side, or any difference.  Work files go to $ABI_OUT (default: a temp dir).
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
out=${ABI_OUT:-$(mktemp -d)}
[ -n "${ABI_OUT:-}" ] || trap 'rm -rf "$out"' EXIT
mkdir -p "$out"
cflags=(-m64 -std=gnu11 -O1 -Wall -Wextra -Wno-sign-compare
	-Wno-unused-parameter -Wno-type-limits -Werror)

[ -f /usr/include/xen/xen.h ] || { echo "Xen headers missing (apt-get install libxen-dev)"; exit 1; }

echo "== coverage: checks.list against the headers"
"$here/gen.py" --check "$here/checks.list" || { echo "FAIL: checks.list does not match the headers"; exit 1; }
nr=$(grep -vc '^#' "$here/checks.list")

build() { # SIDE -> $out/SIDE
	local side=$1
	mkdir -p "$out/$side"
	"$here/gen.py" --emit "$here/checks.list" "$side" >"$out/$side/checks.inc" || return 1
	if [ "$side" = ours ]; then
		gcc "${cflags[@]}" -DSIDE_OURS -I "$out/$side" -I "$here" \
			-I "$here/shim" -I "$top/include" -o "$out/$side/abi" "$here/abi.c"
	else
		gcc "${cflags[@]}" -D__XEN_TOOLS__ -D__XEN_INTERFACE_VERSION__=0x00040e00 \
			-I "$out/$side" -I "$here" -o "$out/$side/abi" "$here/abi.c"
	fi
}

rc=0
for side in ours xen; do
	echo "== build against $side headers"
	if ! build $side; then
		echo "FAIL: the check program does not build against $side headers"
		rc=1
	elif ! "$out/$side/abi" >"$out/$side.txt"; then
		echo "FAIL: the check program failed against $side headers"
		rc=1
	fi
done
[ $rc = 0 ] || exit 1

echo "== compare ($nr checks + ring trace)"
if ! diff -u --label xen "$out/xen.txt" --label ours "$out/ours.txt" >"$out/diff"; then
	echo "FAIL: our headers differ from Xen's (- xen, + ours):"
	grep '^[-+][^-+]' "$out/diff"
	exit 1
fi
grep -q MISSING "$out/ours.txt" && { echo "FAIL: macros missing:"; grep MISSING "$out/ours.txt"; exit 1; }
echo "abi: $nr checks and $(grep -c '^ring' "$out/ours.txt") ring trace lines match Xen 4.17"
"$here/blkif32.sh"
