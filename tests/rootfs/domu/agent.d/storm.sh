# Tasks of the event-storm and keep-mapped cases of
# tests/scenarios/frontend-hostile.sh: a timed CPU workload, the guest's
# block and network interrupt counts, a read of every xvd disk, the
# grants the guest could not revoke yet, and I/O from pages holding a
# secret (the untrusted-backend case).

# The same shell loop, three times; the median duration in ms by
# /proc/uptime, then the three.
cpu_loop_ms() {
	local t0 t1 i=0
	t0=$(cut -d' ' -f1 /proc/uptime)
	while [ $i -lt "${CPU_WORK_LOOPS:-20000}" ]; do
		i=$((i + 1))
	done
	t1=$(cut -d' ' -f1 /proc/uptime)
	echo "$t0 $t1" | awk '{ printf "%d", ($2 - $1) * 1000 }'
}

task_cpu_work() {
	local a b c
	a=$(cpu_loop_ms)
	b=$(cpu_loop_ms)
	c=$(cpu_loop_ms)
	say "cpu-work-ms $(printf '%s\n' $a $b $c | sort -n | sed -n 2p) $a $b $c"
}

# irq_count REGEX: events handled by the irqs whose /proc/interrupts
# line matches REGEX, all CPUs, and the flow of the last of them.
irq_count() {
	awk -v re="$1" '$0 ~ re {
		for (i = 2; i <= NF && $i ~ /^[0-9]+$/; i++) n += $i
		flow = $i " " $(i + 1)
	} END { printf "%d %s", n, flow }' /proc/interrupts
}

# Every blkfront queue's, and every netfront queue's.
task_blkif_irqs() { say "blkif-irqs $(irq_count ' blkif-')"; }
task_vif_irqs() { say "vif-irqs $(irq_count ' eth[^ ]*-q[0-9]')"; }

# One 4 KiB direct read of each xvd disk.
task_blk_probe() {
	local d
	for d in /sys/block/xvd*; do
		[ -d "$d" ] || continue
		if dd if=/dev/${d##*/} of=/dev/null bs=4k count=1 iflag=direct 2>/dev/null; then
			say "blk-probe ${d##*/} ok"
		else
			say "blk-probe ${d##*/} fail"
		fi
	done
	say "blk-probe-done"
}

# Grants parked because the other end still maps them.
task_grants_parked() {
	say "grants-parked $(cat /sys/hypervisor/pv/grants_parked 2>/dev/null || echo none)"
}

# Sector I/O from pages otherwise full of a secret, on the newest disk
# (tests/scenarios/frontend-hostile.sh, XSA-403).
task_blk_secret() {
	local d last=
	for d in /sys/block/xvd*; do
		[ -d "$d" ] && last=${d##*/}
	done
	say "blk-secret ${last:-none} $(xbench secret /dev/${last:-none} 2>&1 | tail -n 1)"
}

# Packets out of the newest interface, to a neighbour that never answers:
# pings of two sizes, no ARP (the neighbour is static).
task_net_secret() {
	local d last=
	for d in /sys/class/net/eth*; do
		[ -e "$d" ] && last=${d##*/}
	done
	[ -n "$last" ] || { say "net-secret none"; return; }
	ip link set "$last" up
	ip addr add 10.199.0.1/24 dev "$last" 2>/dev/null
	ip neigh replace 10.199.0.2 lladdr 00:16:3e:5a:00:99 dev "$last"
	ping -c 2 -s 56 -W 1 10.199.0.2 >/dev/null 2>&1
	ping -c 2 -s 1200 -W 1 10.199.0.2 >/dev/null 2>&1
	say "net-secret $last sent"
}
