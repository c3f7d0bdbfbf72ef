#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# `make run`: boot GRUB -> Xen 4.17 -> dom0 under QEMU, start the real xl
# toolstack and bring up a PV guest.  From a terminal you are then left at
# a dom0 shell on the console with xl working; otherwise the demo's output
# is printed.
#
# DOM0=ours|upstream (default ours) picks the dom0 kernel, DOMU=ours|upstream
# (default ours) the guest's.  Under our dom0 the demo is the lifecycle
# scenario (a disk and a vif served by our blkback and netback: the data
# the guest writes checked in the backing file, a TCP stream checked by
# md5) and the control one (sysrq, reboot, shutdown).  Under the upstream
# dom0 it is the lifecycle scenario alone, with upstream's backends.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
dom0=${DOM0:-ours}
domu=${DOMU:-ours}
if [ "$dom0" = ours ]; then
	scenarios=dom0-basics,lifecycle,domu-control
else
	scenarios=lifecycle
fi
cmdline="xtest.domu=$domu xtest.run=$scenarios"
echo "run: Xen 4.17 with the $dom0 kernel as dom0, $domu PV guest"
if [ -t 0 ] && [ -t 1 ]; then
	echo "run: the dom0 shell follows the demo; Ctrl-a x quits QEMU"
	BOOT_INTERACTIVE=1 exec "$top/scripts/boot.sh" xen "$top/out/$dom0/bzImage" \
		"$top/out/img/dom0-initrd.gz" /dev/null "$cmdline xtest.shell=1"
fi
log=$top/out/logs/run.serial
mkdir -p "$top/out/logs"
rc=0
BOOT_TIMEOUT=900 "$top/scripts/boot.sh" xen "$top/out/$dom0/bzImage" \
	"$top/out/img/dom0-initrd.gz" "$log" "$cmdline" || rc=$?
tr -d '\r' <"$log" | grep -E '^(XTEST|  )' || true
echo "run: full serial log in $log"
exit $rc
