# Tasks of the event-storm case of tests/scenarios/frontend-hostile.sh:
# a timed CPU workload, the guest's block interrupt count, and a read of
# every xvd disk.

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

# Events handled by every blkfront queue irq, all CPUs, and their flow.
task_blkif_irqs() {
	say "blkif-irqs $(awk '/ blkif-/ {
		for (i = 2; i <= NF && $i ~ /^[0-9]+$/; i++) n += $i
		flow = $i " " $(i + 1)
	} END { printf "%d %s", n, flow }' /proc/interrupts)"
}

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
