#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the test initramfs images:
#   mk-initramfs.sh domu  -> out/img/domu-initrd.gz  busybox + test agent +
#                            e2fsprogs, iperf3; domu-bench-initrd.gz adds fio,
#                            domu-selftest-initrd.gz the kernel's selftests
#   mk-initramfs.sh dom0  -> out/img/dom0-initrd.gz  busybox + the real xl
#                            toolstack from xen-utils-4.17 + hotplug scripts
#                            + scenarios + guest kernels and initrd
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib/rootfs.sh"
img=$top/out/img
mkdir -p "$img"

# Real tools the guest tests use: a filesystem to make and check, TCP
# throughput.  fio (with its ~80 MiB of libraries) only goes into the bench
# image, which guests boot with enough memory for it.
DOMU_BINS="/usr/sbin/mke2fs /usr/sbin/e2fsck /usr/bin/iperf3"
DOMU_BENCH_BINS="/usr/bin/fio"

# fill_domu ROOT: the test guest's userland.
fill_domu() {
	local root=$1
	rm -rf "$root"
	base_dirs "$root"
	copy_bin "$root" $DOMU_BINS
	ln -sf mke2fs "$root/usr/sbin/mkfs.ext4"
	ln -sf e2fsck "$root/usr/sbin/fsck.ext4"
	install_busybox "$root"
	install -m 0644 "$top/tests/rootfs/domu/inittab" "$root/etc/inittab"
	install -m 0755 "$top/tests/rootfs/domu/agent" "$root/etc/agent"
	mkdir -p "$root/etc/agent.d"
	cp "$top"/tests/rootfs/domu/agent.d/*.sh "$root/etc/agent.d/" 2>/dev/null || true
	gcc -static -O2 -Wall -o "$root/usr/bin/xbench" "$top/tests/guest/xbench.c"
	# 32-bit, no libc: only the assembler and linker are needed.
	gcc -m32 -c -o "$root/compat32.o" "$top/tests/guest/compat32.S"
	ld -m elf_i386 -static -o "$root/usr/bin/compat32" "$root/compat32.o"
	rm "$root/compat32.o"
	ln -sf /bin/busybox "$root/init"
}

build_domu() {
	fill_domu "$img/domu-root"
	pack "$img/domu-root" "$img/domu-initrd.gz"
	echo "initramfs: $img/domu-initrd.gz ($(du -h "$img/domu-initrd.gz" | cut -f1))"
	# The kernel's own selftests, from the untouched tree, for issue-style
	# conformance runs (tests/scenarios/selftests.sh).
	fill_domu "$img/domu-selftest-root"
	"$top/tests/selftests/build.sh" "$top/out/upstream/linux" \
		"$img/domu-selftest-root/selftests"
	pack "$img/domu-selftest-root" "$img/domu-selftest-initrd.gz"
	echo "initramfs: $img/domu-selftest-initrd.gz ($(du -h "$img/domu-selftest-initrd.gz" | cut -f1))"
	fill_domu "$img/domu-bench-root"
	copy_bin "$img/domu-bench-root" $DOMU_BENCH_BINS
	pack "$img/domu-bench-root" "$img/domu-bench-initrd.gz"
	echo "initramfs: $img/domu-bench-initrd.gz ($(du -h "$img/domu-bench-initrd.gz" | cut -f1))"
}

XEN_BIN=/usr/lib/xen-4.17/bin
# What the toolstack and the hotplug scripts (block, vif-bridge) run.
DOM0_BINS="$XEN_BIN/xl $XEN_BIN/xenstored $XEN_BIN/xenconsoled $XEN_BIN/xenconsole
	$XEN_BIN/xen-init-dom0 $XEN_BIN/libxl-save-helper /usr/bin/xenstore
	$XEN_BIN/xenctx
	/usr/bin/iperf3 /usr/sbin/e2fsck /usr/sbin/mke2fs
	/usr/bin/bash /usr/sbin/ip /usr/bin/stat /usr/bin/readlink /usr/sbin/losetup
	/usr/bin/flock /usr/bin/logger /usr/libexec/xen-qemu-system-i386"

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
	# qemu (the qdisk backend) insists on its keymap even with no display.
	mkdir -p "$root/usr/share/qemu/keymaps"
	cp /usr/share/qemu/keymaps/en-us "$root/usr/share/qemu/keymaps/"
	# busybox last: it fills only the names no real binary took.
	install_busybox "$root"
	ln -sfn /usr/bin/bash "$root/bin/bash"
	install -m 0755 "$top/tests/rootfs/dom0/init" "$root/init"
	# The hostile backend of tests/scenarios/frontend-hostile.sh.
	gcc -static -O2 -Wall -o "$root/usr/bin/fakeback" "$top/tests/dom0/fakeback.c"
	# The hostile frontend of tests/scenarios/backend-hostile.sh.
	gcc -static -O2 -Wall -o "$root/usr/bin/fakefront" "$top/tests/dom0/fakefront.c"
	# Bad input for the toolstack devices (tests/scenarios/dom0-ifuzz.sh).
	gcc -static -O2 -Wall -o "$root/usr/bin/ifuzz" "$top/tests/dom0/ifuzz.c"
	# /dev/xen/xenbus_backend as init-xenstore-domain drives it (init,
	# tests/scenarios/dom0-xsbackend.sh).
	gcc -static -O2 -Wall -o "$root/usr/bin/xsbe" "$top/tests/dom0/xsbe.c"
	# make bench's gntdev map/unmap rate (tests/bench/bench-dom0.sh).
	gcc -static -O2 -Wall -o "$root/usr/bin/gntbench" "$top/tests/dom0/gntbench.c"
	# Xen's CPU time of a guest, for make bench (tests/bench/bench.sh);
	# xl brought its libraries in already.
	gcc -O2 -Wall -o "$root/usr/bin/domcpu" "$top/tests/dom0/domcpu.c" -lxenctrl
	mkdir -p "$root/tests"
	cp -a "$top/tests/lib" "$top/tests/scenarios" "$top/tests/bench" "$root/tests/"
	mkdir -p "$root/tests/selftests"
	cp "$top/tests/selftests/xfail" "$top/tests/selftests/upstream-skip" \
		"$root/tests/selftests/"
	cp "$top/tests/rootfs/dom0/demo.cfg" "$root/tests/"
	mkdir -p "$root/guest"
	cp "$img/domu-initrd.gz" "$img/domu-bench-initrd.gz" \
		"$img/domu-selftest-initrd.gz" "$root/guest/"
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
