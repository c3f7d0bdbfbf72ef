#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Prepare a kernel tree under out/IMPL/linux.
#
#   IMPL=ours      Linux 6.1 with upstream's Xen removed (strip-upstream-xen.py),
#                  our directories overlaid, patches/series applied in order.
#   IMPL=upstream  the unmodified Linux 6.1 tree: the reference peer.
#
# Idempotent and incremental: the tarball is extracted once; the overlay copies
# only files whose content changed (so make rebuilds only what changed); a
# patch is applied once and only re-applied (after reverting it and the ones
# after it) when its content changes.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
impl=${1:-ours}
out=$top/out/$impl
tree=$out/linux
tarball=${LINUX_TARBALL:-/usr/src/linux-source-6.1.tar.xz}

# Our directories, mirrored 1:1 into the kernel tree.
OVERLAY_DIRS="arch/x86/xen arch/x86/include/asm/xen drivers/xen include/xen
	include/uapi/xen Documentation/xen drivers/block/xen-blkfront
	drivers/block/xen-blkback drivers/net/xen-netfront drivers/net/xen-netback"

log() { echo "prepare[$impl]: $*"; }

extract() {
	[ -f "$out/.extracted" ] && return 0
	[ -f "$tarball" ] || { echo "missing $tarball (apt-get install linux-source-6.1)" >&2; exit 1; }
	log "extracting $(basename "$tarball")"
	rm -rf "$tree" "$out/.applied" "$out/.overlay-files"
	mkdir -p "$tree"
	tar xf "$tarball" -C "$tree" --strip-components=1
	if [ "$impl" = ours ]; then
		log "removing the upstream Xen implementation"
		python3 "$top/scripts/strip-upstream-xen.py" "$tree" "$top/scripts/upstream-xen.manifest"
	fi
	touch "$out/.extracted"
}

# Copy our files in; only changed ones get a new mtime.
overlay() {
	local list=$out/.overlay-files.new f
	(cd "$top" && for d in $OVERLAY_DIRS; do
		[ -d "$d" ] && find "$d" -type f ! -name '.*'
	done; echo Kconfig.xen) | sort >"$list"
	rsync -rc --files-from="$list" "$top/" "$tree/"
	# Files we shipped before but no longer do.
	if [ -f "$out/.overlay-files" ]; then
		comm -23 "$out/.overlay-files" "$list" | while read -r f; do
			log "removing stale $f"
			rm -f "$tree/$f"
		done
	fi
	mv "$list" "$out/.overlay-files"
}

series() {
	[ -f "$top/patches/series" ] || return 0
	sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$top/patches/series"
}

# out/ours/.applied/NN holds a copy of every applied patch, in order, so a
# changed patch can be reverted with the text it was applied with.
apply_series() {
	local applied=$out/.applied n=0 keep p i
	mkdir -p "$applied"
	mapfile -t want < <(series)
	# How many already-applied patches are still identical to the series?
	keep=0
	for p in "${want[@]}"; do
		i=$(printf '%04d' $keep)
		[ -f "$applied/$i" ] && cmp -s "$applied/$i" "$top/patches/$p" || break
		keep=$((keep + 1))
	done
	# Revert, newest first, everything after that point.
	for i in $(ls "$applied" | grep -v "\.name$" | sort -r); do
		[ $((10#$i)) -lt $keep ] && break
		log "reverting $(head -n1 "$applied/$i.name" 2>/dev/null || echo "$i")"
		patch -d "$tree" -p1 -R -s -f <"$applied/$i"
		rm -f "$applied/$i" "$applied/$i.name"
	done
	n=$keep
	for p in "${want[@]:$keep}"; do
		i=$(printf '%04d' $n)
		log "applying $p"
		if ! patch -d "$tree" -p1 -N -s -f --no-backup-if-mismatch <"$top/patches/$p"; then
			echo "patch $p does not apply" >&2
			exit 1
		fi
		cp "$top/patches/$p" "$applied/$i"
		echo "$p" >"$applied/$i.name"
		n=$((n + 1))
	done
}

extract
if [ "$impl" = ours ]; then
	overlay
	apply_series
fi
log "tree ready: $tree"
