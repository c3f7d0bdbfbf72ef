# Tasks of the event-storm and keep-mapped cases of
# tests/scenarios/frontend-hostile.sh: a timed CPU workload, the guest's
# block and network interrupt counts, a read of every xvd disk, and the
# grants the guest could not revoke yet.

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
