#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Install the Debian packages the build and the test harness need (only the
# missing ones; as root, or through sudo).
set -euo pipefail

PKGS="linux-source-6.1 xen-hypervisor-4.17-amd64 xen-utils-4.17 xenstore-utils
	qemu-system-xen qemu-system-data
	libxen-dev qemu-system-x86 grub-pc-bin grub-common xorriso mtools
	busybox-static flex bison libelf-dev libssl-dev bc cpio dwarves unifdef
	ccache rsync gcc gcc-multilib make python3 kmod fio iperf3 e2fsprogs"

missing=$(for p in $PKGS; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'install ok installed' || echo "$p"
done)
[ -z "$missing" ] && exit 0

sudo=
[ "$(id -u)" = 0 ] || sudo=sudo
echo "deps: installing:" $missing
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
