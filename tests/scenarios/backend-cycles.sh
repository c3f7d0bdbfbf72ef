# Our backends under guest churn: 20 guests in a row, each with a disk and
# a vif, each destroyed (xl destroy, no shutdown) while it writes and
# reads its disk and streams to and from dom0 over the bridge.  The first
# guest's traffic is checked to really reach the backends.  Afterwards
# the hypervisor's free memory is back (a grant still mapped by a backend
# would keep the destroyed domain alive), and dom0's irqs, gntdev
# mappings, backend devices and vif interfaces are back at their count;
# the loop device the disks came from can be detached.  (With our dom0
# this replaces domu-cycles, whose checks it includes.)
. /tests/lib/xtest.sh
. /tests/lib/blk.sh
name=bcyc
cfg=/tmp/$name.cfg
img=/tmp/$name.img
cycles=${XTEST_CYCLES:-20}
loop=
pids=
trap 'rm -f /tmp/$name.send; cleanup_domain $name; for p in $pids; do kill $p 2>/dev/null; done; [ -n "$loop" ] && /usr/sbin/losetup -d $loop 2>/dev/null; rm -f $img; true' EXIT

# dom0_counts: "IRQS GNTDEV-MAPPINGS BACKEND-DEVICES VIFS".
dom0_counts() {
	echo "$(($(wc -l </proc/interrupts) - 1))" \
		"$(cat /proc/[0-9]*/maps 2>/dev/null | grep -c 'xen/gntdev')" \
		"$(ls /sys/bus/xen-backend/devices 2>/dev/null | wc -l)" \
		"$(ls /sys/class/net | grep -c '^vif')"
}

dd if=/dev/zero of=$img bs=1M count=32 2>/dev/null
loop=$(/usr/sbin/losetup -f --show $img) || { fail "losetup"; exit 1; }
# dom0's end of the guests' streams.
(while :; do nc -l -p 5090 >/dev/null 2>&1; done) &
pids="$pids $!"

dmesg -c >/dev/null
mem0=$(free_mem_mb)
counts0=$(dom0_counts)
say "free memory before: $mem0 MiB; dom0 irqs, gntdev mappings, backend devices, vifs: $counts0"
write_cfg $cfg $name io-storm "vcpus = 2" \
	"disk = ['format=raw, script=$(blk_phy_script), vdev=xvda, access=rw, target=$loop']" \
	"vif = ['bridge=xenbr0,mac=00:16:3e:5a:00:30']"
i=1
while [ $i -le "$cycles" ]; do
	rm -f "$(console_log $name)"
	xl create -q $cfg || { fail "cycle $i: xl create"; exit 1; }
	wait_console $name 'AGENT: io-storm running' 120 >/dev/null ||
		{ fail "cycle $i: guest did not start its traffic"; exit 1; }
	domid=$(xl domid $name)
	: >/tmp/$name.send
	(while [ -e /tmp/$name.send ]; do
		nc 169.254.100.2 5091 </dev/zero >/dev/null 2>&1
		sleep 0.2
	done) &
	sender=$!
	sleep 2
	if [ $i = 1 ]; then
		# Disk writes and 64 KiB each way within 30 s: traffic through
		# both backends (TCG shares two host cores between the domains;
		# locally the first seconds move ~300-450 KB each way).
		st=/sys/bus/xen-backend/devices/vbd-$domid-51712/statistics
		vif=/sys/class/net/vif$domid.0/statistics
		t=30
		until [ "$(cat $st/wr)" -gt 0 ] && [ "$(cat $vif/rx_bytes)" -gt 65536 ] &&
			[ "$(cat $vif/tx_bytes)" -gt 65536 ]; do
			t=$((t - 1))
			[ $t -gt 0 ] || { fail "cycle 1: not enough traffic reached the backends"; break; }
			sleep 1
		done
		say "cycle 1 traffic: vbd rd $(cat $st/rd) wr $(cat $st/wr)," \
			"vif from guest $(cat $vif/rx_bytes) B, to guest $(cat $vif/tx_bytes) B"
		[ $t -gt 0 ] || exit 1
	fi
	xl destroy $name || { fail "cycle $i: xl destroy"; exit 1; }
	rm -f /tmp/$name.send
	kill $sender 2>/dev/null
	pkill -f 'nc 169.254.100.2 5091' 2>/dev/null
	wait_gone $name 30 || { fail "cycle $i: still listed after destroy"; exit 1; }
	i=$((i + 1))
done
say "$cycles cycles done"
wait_free_mem $((mem0 - 1)) 30 || { xl list; exit 1; }
say "free memory after: $(free_mem_mb) MiB"
t=30
while [ "$(dom0_counts)" != "$counts0" ] && [ $t -gt 0 ]; do
	sleep 1
	t=$((t - 1))
done
say "dom0 irqs, gntdev mappings, backend devices, vifs after: $(dom0_counts)"
[ "$(dom0_counts)" = "$counts0" ] || { fail "dom0 leaked irqs, backend devices or vifs"; exit 1; }
if dmesg | grep -qE 'BUG:|WARNING:|Oops|Call Trace|general protection'; then
	dmesg | grep -E -A5 'BUG:|WARNING:|Oops' | head -n 30
	fail "dom0's kernel complained"
	exit 1
fi
/usr/sbin/losetup -d $loop || { fail "the loop device is still busy"; exit 1; }
loop=
say "loop device detached"
