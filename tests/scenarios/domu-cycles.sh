# 20 create/destroy cycles of the guest leave dom0's view of free memory
# where it was: nothing leaks in the hypervisor, the toolstack or dom0.
# The first and last guests are followed to userspace; the others until
# the kernel says it runs on Xen.
. /tests/lib/xtest.sh
name=cyc
cfg=/tmp/$name.cfg
cycles=${XTEST_CYCLES:-20}
trap 'cleanup_domain $name' EXIT

mem0=$(free_mem_mb)
say "free memory before: $mem0 MiB"
write_cfg $cfg $name ""
i=1
while [ $i -le $cycles ]; do
	rm -f "$(console_log $name)"
	xl create -q $cfg || { fail "cycle $i: xl create"; exit 1; }
	if [ $i = 1 ] || [ $i = "$cycles" ]; then
		marker='AGENT: up '
	else
		marker='Booting on Xen|Booting paravirtualized kernel on Xen'
	fi
	wait_console $name "$marker" 120 >/dev/null || { fail "cycle $i: guest did not start"; exit 1; }
	xl destroy $name || { fail "cycle $i: xl destroy"; exit 1; }
	wait_gone $name 30 || { fail "cycle $i: still listed after destroy"; exit 1; }
	i=$((i + 1))
done
say "$cycles cycles done"
wait_free_mem $((mem0 - 1)) 30 || exit 1
say "free memory after: $(free_mem_mb) MiB"
