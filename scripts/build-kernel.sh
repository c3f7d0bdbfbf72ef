#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build out/IMPL/bzImage from the tree prepare-tree.sh made.
# The .config is tinyconfig + scripts/config/base.config + IMPL's Xen
# fragment; it is regenerated only when a fragment changes, so a one-file
# change to our code is an incremental build.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
impl=${1:-ours}
out=$top/out/$impl
tree=$out/linux
cfgdir=$top/scripts/config
frags="$cfgdir/base.config $cfgdir/$impl-xen.config"
jobs=${JOBS:-$(nproc)}

"$top/scripts/prepare-tree.sh" "$impl"

cc=gcc
if command -v ccache >/dev/null; then
	# Outside the clone, so fresh clones on the same machine (CI) reuse it.
	export CCACHE_DIR=${CCACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/xen-scratch-ccache}
	export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-4G}
	cc="ccache gcc"
fi
kmake() { make -C "$tree" -s ARCH=x86_64 CC="$cc" HOSTCC=gcc -j"$jobs" "$@"; }

sum=$(cat $frags | sha1sum | cut -d' ' -f1)
if [ ! -f "$tree/.config" ] || [ "$(cat "$out/.config-sum" 2>/dev/null)" != "$sum" ]; then
	echo "build[$impl]: configuring (tinyconfig + fragments)"
	kmake tinyconfig >/dev/null
	(cd "$tree" && ARCH=x86_64 scripts/kconfig/merge_config.sh -m .config $frags) \
		>"$out/config.log" 2>&1 || { cat "$out/config.log"; exit 1; }
	kmake olddefconfig >>"$out/config.log" 2>&1 || { cat "$out/config.log"; exit 1; }
	# Every option we asked for must have survived olddefconfig.
	missing=$(cat $frags | grep -E '^CONFIG_[A-Z0-9_]+=' | while IFS= read -r want; do
		sym=${want%%=*} val=${want#*=}
		have=$(grep -E "^$sym=" "$tree/.config" | cut -d= -f2- || true)
		if [ "$val" = n ]; then
			[ -z "$have" ] || echo "$want (got $have)"
		elif [ "$have" != "$val" ]; then
			echo "$want (got ${have:-unset})"
		fi
	done)
	if [ -n "$missing" ]; then
		echo "build[$impl]: config options did not take:" >&2
		echo "$missing" >&2
		exit 1
	fi
	echo "$sum" >"$out/.config-sum"
fi

echo "build[$impl]: make bzImage (-j$jobs)"
start=$(date +%s)
kmake bzImage
cp "$tree/arch/x86/boot/bzImage" "$out/bzImage"
echo "build[$impl]: $out/bzImage ($(($(date +%s) - start)) s)"
