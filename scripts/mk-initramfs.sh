#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the test initramfs images:
#   mk-initramfs.sh domu  -> out/img/domu-initrd.gz  busybox + test agent
#   mk-initramfs.sh dom0  -> out/img/dom0-initrd.gz  busybox + the real xl
#                            toolstack from xen-utils-4.17 + hotplug scripts
#                            + scenarios + guest kernels and initrd
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib/rootfs.sh"
img=$top/out/img
mkdir -p "$img"

build_domu() {
	local root=$img/domu-root
	rm -rf "$root"
	base_dirs "$root"
	install_busybox "$root"
	install -m 0644 "$top/tests/rootfs/domu/inittab" "$root/etc/inittab"
	install -m 0755 "$top/tests/rootfs/domu/agent" "$root/etc/agent"
	gcc -static -O2 -Wall -o "$root/usr/bin/xbench" "$top/tests/guest/xbench.c"
	ln -sf /bin/busybox "$root/init"
	pack "$root" "$img/domu-initrd.gz"
	echo "initramfs: $img/domu-initrd.gz"
}

XEN_BIN=/usr/lib/xen-4.17/bin
# What the toolstack and the hotplug scripts (block, vif-bridge) run.
DOM0_BINS="$XEN_BIN/xl $XEN_BIN/xenstored $XEN_BIN/xenconsoled $XEN_BIN/xenconsole
	$XEN_BIN/xen-init-dom0 $XEN_BIN/libxl-save-helper /usr/bin/xenstore
	/usr/bin/bash /usr/sbin/ip /usr/bin/stat /usr/bin/readlink /usr/sbin/losetup
	/usr/bin/flock /usr/bin/logger"

build_dom0() {
	local root=$img/dom0-root b k
	[ -f "$img/domu-initrd.gz" ] || build_domu
	rm -rf "$root"
	base_dirs "$root"
	copy_bin "$root" $DOM0_BINS
	# libxl's helper threads need libgcc_s at exit (pthread_cancel).
	copy_bin "$root" /lib/x86_64-linux-gnu/libgcc_s.so.1
	for b in xenstore-read xenstore-write xenstore-rm xenstore-exists \
		xenstore-list xenstore-ls xenstore-chmod xenstore-watch; do
		ln -sf xenstore "$root/usr/bin/$b"
	done
	mkdir -p "$root/etc/xen"
	cp -a /etc/xen/scripts /etc/xen/xl.conf "$root/etc/xen/"
	# busybox last: it fills only the names no real binary took.
	install_busybox "$root"
	ln -sfn /usr/bin/bash "$root/bin/bash"
	install -m 0755 "$top/tests/rootfs/dom0/init" "$root/init"
	mkdir -p "$root/tests"
	cp -a "$top/tests/lib" "$top/tests/scenarios" "$root/tests/"
	cp "$top/tests/rootfs/dom0/demo.cfg" "$root/tests/"
	mkdir -p "$root/guest"
	cp "$img/domu-initrd.gz" "$root/guest/"
	for k in ours upstream; do
		if [ -f "$top/out/$k/bzImage" ]; then
			mkdir -p "$root/guest/$k"
			cp "$top/out/$k/bzImage" "$root/guest/$k/vmlinuz"
		fi
	done
	pack "$root" "$img/dom0-initrd.gz"
	echo "initramfs: $img/dom0-initrd.gz ($(du -h "$img/dom0-initrd.gz" | cut -f1))"
}

case ${1:-} in
domu) build_domu ;;
dom0) build_dom0 ;;
*) echo "usage: $0 domu|dom0" >&2; exit 2 ;;
esac
