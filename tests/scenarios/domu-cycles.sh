# 10 create/destroy cycles of the guest leave dom0's view of free memory
# where it was: nothing leaks in the hypervisor, the toolstack or dom0.
# dom0's own event channels (its irqs) and grant mappings (the gntdev
# mappings of xenstored and xenconsoled) are back at their count too.
# The first and last guests are followed to userspace; the others until
# the kernel says it runs on Xen.
. /tests/lib/xtest.sh
name=cyc
cfg=/tmp/$name.cfg
cycles=${XTEST_CYCLES:-10}
trap 'cleanup_domain $name' EXIT

# dom0_counts: "IRQS MAPS", every irq dom0 has and its processes'
# mappings of /dev/xen/gntdev.
dom0_counts() {
	echo "$(($(wc -l </proc/interrupts) - 1)) $(cat /proc/[0-9]*/maps 2>/dev/null | grep -c 'xen/gntdev')"
}

mem0=$(free_mem_mb)
counts0=$(dom0_counts)
say "free memory before: $mem0 MiB; dom0 irqs and gntdev mappings: $counts0"
write_cfg $cfg $name ""
i=1
while [ $i -le $cycles ]; do
	rm -f "$(console_log $name)"
	xl create -q $cfg || { fail "cycle $i: xl create"; exit 1; }
	if [ $i = 1 ] || [ $i = "$cycles" ]; then
		marker='AGENT: up '
	else
		marker='Booting on Xen|Booting (paravirtualized )?kernel on Xen'
	fi
	wait_console $name "$marker" 120 >/dev/null || { fail "cycle $i: guest did not start"; exit 1; }
	xl destroy $name || { fail "cycle $i: xl destroy"; exit 1; }
	wait_gone $name 30 || { fail "cycle $i: still listed after destroy"; exit 1; }
	i=$((i + 1))
done
say "$cycles cycles done"
wait_free_mem $((mem0 - 1)) 30 || exit 1
say "free memory after: $(free_mem_mb) MiB"
t=30
while [ "$(dom0_counts)" != "$counts0" ] && [ $t -gt 0 ]; do
	sleep 1
	t=$((t - 1))
done
say "dom0 irqs and gntdev mappings after: $(dom0_counts)"
[ "$(dom0_counts)" = "$counts0" ] || { fail "dom0 leaked irqs or grant mappings"; exit 1; }
