#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot one machine under QEMU (TCG) and watch its serial log.
#
#   boot.sh xen    KERNEL INITRD LOG "DOM0-CMDLINE"   GRUB -> Xen 4.17 -> dom0
#   boot.sh native KERNEL INITRD LOG "CMDLINE"        the kernel on bare QEMU
#
# Ends when the log shows the harness's end marker (XTEST-DONE, or for a
# native boot AGENT: tasks-done / the machine powering off), a kernel or
# hypervisor panic, or the time limit (BOOT_TIMEOUT, seconds).  Exit status:
# 0 finished, 2 panic, 3 timeout, 4 QEMU exited without the end marker.
# With BOOT_INTERACTIVE=1 the serial console is the terminal instead.
# XEN_CMDLINE replaces Xen's command line.  BOOT_MONITOR_TRIGGER="REGEX=>CMD"
# sends CMD to QEMU's monitor once the log matches REGEX (say, the ACPI
# power button: "=>system_powerdown"); BOOT_UNTIL_EXIT=1 waits for QEMU to
# exit by itself (the machine powered off or reset) instead of stopping at
# the end marker.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
mode=$1 kernel=$2 initrd=$3 log=$4 cmdline=${5:-}
timeout=${BOOT_TIMEOUT:-900}
mem=${QEMU_MEM:-3072}
smp=${QEMU_SMP:-2}
xen=${XEN_IMAGE:-/boot/xen-4.17-amd64.gz}
xen_cmdline=${XEN_CMDLINE:-"console=com1 com1=115200,8n1 dom0_mem=1024M,max:1024M loglvl=all guest_loglvl=all noreboot"}

PANIC_RE='Kernel panic - not syncing|\(XEN\) Panic on CPU|\(XEN\) \*\*\*\*\*\*\*|Hardware Dom0 crashed|\(XEN\) Domain 0 crashed|\(XEN\) Reboot in five seconds'
DONE_RE='XTEST-DONE|AGENT: tasks-done'

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

qemu=(qemu-system-x86_64 -cpu qemu64 -m "$mem" -smp "$smp" -no-reboot -nic none)
# QEMU_ICOUNT=SHIFT: guest time advances 2^SHIFT ns per instruction executed
# (single-threaded TCG), so timings inside the machine count work done,
# whatever else the host is running.
if [ -n "${QEMU_ICOUNT:-}" ]; then
	qemu+=(-accel tcg,thread=single -icount "shift=$QEMU_ICOUNT,sleep=off")
else
	qemu+=(-accel tcg,thread=multi)
fi
# QEMU_EXTRA: more QEMU arguments (a monitor socket for sampling, say).
# shellcheck disable=SC2206
[ -n "${QEMU_EXTRA:-}" ] && qemu+=($QEMU_EXTRA)

case $mode in
xen)
	iso=$work/iso
	mkdir -p "$iso/boot/grub"
	cp "$xen" "$iso/boot/xen.gz"
	cp "$kernel" "$iso/boot/vmlinuz"
	cp "$initrd" "$iso/boot/initrd.gz"
	cat >"$iso/boot/grub/grub.cfg" <<CFG
serial --unit=0 --speed=115200
terminal_input serial
terminal_output serial
set timeout=0
set default=0
menuentry "Xen 4.17 with the test dom0" {
	multiboot2 /boot/xen.gz $xen_cmdline
	module2 /boot/vmlinuz console=hvc0 earlyprintk=xen $cmdline
	module2 /boot/initrd.gz
}
CFG
	grub-mkrescue -o "$work/xen.iso" "$iso" >"$work/grub.log" 2>&1 || {
		cat "$work/grub.log" >&2
		exit 1
	}
	qemu+=(-cdrom "$work/xen.iso" -boot d)
	;;
native)
	qemu+=(-kernel "$kernel" -initrd "$initrd" -append "console=ttyS0 $cmdline")
	;;
*)
	echo "usage: $0 xen|native KERNEL INITRD LOG [CMDLINE]" >&2
	exit 2
	;;
esac

if [ "${BOOT_INTERACTIVE:-0}" = 1 ]; then
	exec "${qemu[@]}" -nographic
fi
trigger_re= trigger_cmd=
if [ -n "${BOOT_MONITOR_TRIGGER:-}" ]; then
	trigger_re=${BOOT_MONITOR_TRIGGER%%=>*}
	trigger_cmd=${BOOT_MONITOR_TRIGGER#*=>}
	qemu+=(-monitor "unix:$work/monitor.sock,server=on,wait=off")
else
	qemu+=(-monitor none)
fi

: >"$log"
"${qemu[@]}" -display none -serial "file:$log" 2>"$work/qemu.err" &
pid=$!
start=$(date +%s)
status=4
while kill -0 $pid 2>/dev/null; do
	if [ -n "$trigger_re" ] && grep -qE "$trigger_re" "$log"; then
		echo "$trigger_cmd" | python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.sendall(sys.stdin.read().encode())
time.sleep(1)
s.recv(4096)' "$work/monitor.sock" 2>/dev/null || echo "boot: monitor command failed"
		trigger_re=
	fi
	if [ "${BOOT_UNTIL_EXIT:-0}" != 1 ] && grep -qE "$DONE_RE" "$log"; then
		status=0
		sleep 2
		break
	fi
	if grep -qE "$PANIC_RE" "$log"; then
		status=2
		sleep 3 # let the backtrace reach the log
		break
	fi
	if [ $(($(date +%s) - start)) -ge "$timeout" ]; then
		status=3
		break
	fi
	sleep 1
done
kill $pid 2>/dev/null && wait $pid 2>/dev/null
# QEMU may have exited on its own right after printing the end marker.
[ $status = 4 ] && grep -qE "$DONE_RE" "$log" && status=0
[ $status = 4 ] && grep -qE "$PANIC_RE" "$log" && status=2
# Waiting for the machine to go away, it did: that is the end we wanted.
[ $status = 4 ] && [ "${BOOT_UNTIL_EXIT:-0}" = 1 ] && status=0
case $status in
0) echo "boot: finished in $(($(date +%s) - start)) s" ;;
2) echo "boot: PANIC after $(($(date +%s) - start)) s" ;;
3) echo "boot: TIMEOUT after ${timeout} s" ;;
4) echo "boot: QEMU exited without finishing"; cat "$work/qemu.err" ;;
esac
exit $status
