# A guest disk served by Debian's qemu-system-xen as the qdisk backend
# (backendtype=qdisk): a third-party consumer of dom0's gntdev (grant
# copies and maps), evtchn and privcmd.  4 MiB of random data the guest
# writes to xvda must be read back identically from the backing file in
# dom0; the guest then reads it back itself and compares too.
. /tests/lib/xtest.sh
name=qdisk
cfg=/tmp/$name.cfg
disk=/tmp/$name-disk.img
trap 'cleanup_domain $name' EXIT

# qemu_pid: the backend qemu's pid, if one runs.
qemu_pid() { ps -o pid,args | awk '$2 ~ /xen-qemu-system-i386$/ { print $1; exit }'; }

[ -x /usr/libexec/xen-qemu-system-i386 ] || { fail "qemu-system-xen is not in the dom0 image"; exit 1; }
dd if=/dev/zero of=$disk bs=1M count=16 2>/dev/null
rm -f "$(console_log $name)"
write_cfg $cfg $name disk-write \
	"disk = ['format=raw, vdev=xvda, access=rw, backendtype=qdisk, target=$disk']"
qemu_log() {
	echo "  --- qemu's log"
	tail -n 30 /var/log/xen/qemu-dm-$name.log 2>/dev/null | sed 's/^/    | /'
	dmesg | tail -n 20 | sed 's/^/    | /'
}
xl create $cfg || { fail "xl create"; qemu_log; exit 1; }
line=$(wait_console $name 'AGENT: up ' 180) || { fail "guest never reached userspace"; exit 1; }
say "guest: ${line#AGENT: up }"
[ -n "$(qemu_pid)" ] || { fail "no qemu serving the disk"; exit 1; }
say "qemu (pid $(qemu_pid)) serves the disk"
line=$(wait_console $name 'AGENT: (disk-md5|disk-error)' 120) || { fail "guest never reported its disk write"; exit 1; }
guest_sum=${line##* }
host_sum=$(dd if=$disk bs=1M count=4 2>/dev/null | md5sum | cut -d' ' -f1)
say "disk: guest wrote $guest_sum, backing file holds $host_sum"
[ "$guest_sum" = "$host_sum" ] || { fail "disk data differs"; exit 1; }
xl destroy $name && wait_gone $name 30 || { fail "xl destroy"; exit 1; }
t=20
while [ -n "$(qemu_pid)" ] && [ $t -gt 0 ]; do
	sleep 1
	t=$((t - 1))
done
[ -n "$(qemu_pid)" ] && { fail "qemu outlived its guest"; exit 1; }
say "destroyed; qemu gone"
