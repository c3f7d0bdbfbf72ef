# SPDX-License-Identifier: GPL-2.0
# Helpers shared by the initramfs builders.  Source, do not run.

# copy_bin ROOT FILE...: copy host binaries into ROOT at the same path, with
# every shared library ldd lists (dereferenced, so links to versioned .so
# files work inside the image).
copy_bin() {
	local root=$1 f lib
	shift
	for f in "$@"; do
		[ -e "$f" ] || { echo "copy_bin: missing $f" >&2; return 1; }
		mkdir -p "$root$(dirname "$f")"
		cp -L "$f" "$root$f"
		ldd "$f" 2>/dev/null | grep -oE '/[^ ]+\.so[^ ]*' | while read -r lib; do
			[ -e "$root$lib" ] && continue
			mkdir -p "$root$(dirname "$lib")"
			cp -L "$lib" "$root$lib"
		done
	done
}

# install_busybox ROOT: the static busybox as /bin/busybox with a link per
# applet, never overwriting a real binary already copied in.
install_busybox() {
	local root=$1 applet
	mkdir -p "$root/bin" "$root/sbin" "$root/usr/bin" "$root/usr/sbin"
	cp /bin/busybox "$root/bin/busybox"
	for applet in $(/bin/busybox --list-full); do
		[ -e "$root/$applet" ] || [ -L "$root/$applet" ] || ln -s /bin/busybox "$root/$applet"
	done
}

# base_dirs ROOT: directories every image needs.
base_dirs() {
	mkdir -p "$1"/{dev,proc,sys,tmp,run,etc,root,var/log,mnt}
	ln -sfn /run "$1/var/run"
	# The kernel opens /dev/console for init before devtmpfs is mounted.
	mknod -m 600 "$1/dev/console" c 5 1
}

# pack ROOT OUT: newc cpio, gzip; reproducible member order.
pack() {
	(cd "$1" && find . -print0 | sort -z | cpio --null -o -H newc --quiet -R 0:0) |
		gzip -9n >"$2.tmp"
	mv "$2.tmp" "$2"
}
