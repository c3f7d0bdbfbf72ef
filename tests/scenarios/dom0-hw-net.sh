# dom0 drives the machine's NICs: two e1000s on one QEMU hub and two
# virtio-net NICs on another.  Each pair is split across two network
# namespaces of dom0, so the data really crosses the emulated wire:
# 16 MiB of random bytes over TCP, the checksums compared.  Their
# interrupts (e1000: a GSI line through the IOAPIC; virtio: MSI-X) are
# moved to CPU 1 first through /proc/irq/N/smp_affinity, and the transfer
# must be taken there: Xen notifies the vCPU the PIRQ's port is bound to.
# HW_NET_DRIVERS: other pairs (dom0-hw-high: pcnet32).
. /tests/lib/xtest.sh
# iproute2's ip: busybox's, which its sh prefers, has no netns.
ip() { /usr/sbin/ip "$@"; }
# A namespace outlives "ip netns del" while a process is in it (the
# listener's sleep), and its NIC stays up there: kill them first.
netns_end() {
	local ns
	for ns in hwa hwb; do
		ip netns pids $ns 2>/dev/null | xargs -r kill 2>/dev/null
		ip netns del $ns 2>/dev/null
	done
	true
}
trap netns_end EXIT

# nics DRIVER: the interfaces bound to DRIVER.
nics() {
	for n in /sys/class/net/*; do
		[ "$(basename "$(readlink -f $n/device/driver 2>/dev/null)")" = "$1" ] &&
			basename $n
	done
}

# nic_irqs NIC: the irqs of NIC's PCI function: its MSI vectors, else its
# line.  A virtio NIC's device is the virtio one, the PCI function its parent.
nic_irqs() {
	local dev
	dev=$(readlink -f /sys/class/net/$1/device)
	[ -e $dev/irq ] || dev=${dev%/*}
	if [ -n "$(ls $dev/msi_irqs 2>/dev/null)" ]; then
		ls $dev/msi_irqs
	else
		cat $dev/irq
	fi
}

# irq_count CPU IRQ...: the interrupts CPU took on those irqs, summed.
irq_count() {
	local col=$(($1 + 2)) i
	shift
	for i in "$@"; do
		grep "^ *$i:" /proc/interrupts
	done | awk -v c=$col '{ n += $c } END { print n + 0 }'
}

# to_cpu1 IRQ...: deliver those irqs to CPU 1 only.
to_cpu1() {
	local i
	for i in "$@"; do
		echo 2 >/proc/irq/$i/smp_affinity 2>/dev/null ||
			{ fail "irq $i: smp_affinity refused"; return 1; }
		[ "$(cat /proc/irq/$i/effective_affinity_list)" = 1 ] ||
			{ fail "irq $i: effective affinity $(cat /proc/irq/$i/effective_affinity_list), not 1"; return 1; }
	done
}
ncpu=$(grep -c ^processor /proc/cpuinfo)

dd if=/dev/urandom of=/tmp/hw-send bs=1M count=16 2>/dev/null
sum=$(md5sum </tmp/hw-send | cut -d' ' -f1)
for drv in ${HW_NET_DRIVERS:-e1000 virtio_net}; do
	set -- $(nics $drv)
	[ $# -ge 2 ] || { fail "$drv: want 2 NICs, have: $*"; exit 1; }
	irqs=$( (nic_irqs "$1"; nic_irqs "$2") | sort -un)
	ip netns add hwa && ip netns add hwb || { fail "ip netns"; exit 1; }
	ip link set "$1" netns hwa && ip link set "$2" netns hwb || { fail "$drv: moving NICs"; exit 1; }
	ip -n hwa addr add 10.77.0.1/24 dev "$1"
	ip -n hwb addr add 10.77.0.2/24 dev "$2"
	ip -n hwa link set "$1" up
	ip -n hwb link set "$2" up
	# Up: the drivers have requested their irqs.
	if [ "$ncpu" -ge 2 ]; then
		to_cpu1 $irqs || exit 1
	fi
	c0=$(irq_count 0 $irqs) c1=$(irq_count 1 $irqs)
	rm -f /tmp/hw-recv
	ip netns exec hwb sh -c 'sleep 60 | nc -l -p 5001 >/tmp/hw-recv' &
	listener=$!
	i=0
	until ip netns exec hwa nc 10.77.0.2 5001 </tmp/hw-send 2>/dev/null; do
		i=$((i + 1))
		[ $i -ge 30 ] && { fail "$drv: cannot connect"; exit 1; }
		sleep 1
	done
	t=30
	while [ "$(stat -c %s /tmp/hw-recv 2>/dev/null)" != 16777216 ] && [ $t -gt 0 ]; do
		sleep 1
		t=$((t - 1))
	done
	kill $listener 2>/dev/null
	got=$(md5sum </tmp/hw-recv | cut -d' ' -f1)
	say "$drv ($1 -> $2): sent $sum, received $got"
	[ "$got" = "$sum" ] || { fail "$drv: data differs"; exit 1; }
	d0=$(($(irq_count 0 $irqs) - c0)) d1=$(($(irq_count 1 $irqs) - c1))
	say "$drv: irqs $(echo $irqs) took $d0 interrupts on CPU 0, $d1 on CPU 1"
	if [ "$ncpu" -ge 2 ] && { [ $d1 -eq 0 ] || [ $((d0 * 20)) -gt $d1 ]; }; then
		fail "$drv: moved to CPU 1, the interrupts still come to CPU 0"
		exit 1
	fi
	netns_end
done
grep -E 'eth|virtio' /proc/interrupts | sed 's/^/  | /'
