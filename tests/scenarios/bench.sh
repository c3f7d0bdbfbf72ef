# make bench: the same guest workloads on each guest kernel, one after the
# other in this one boot.  Prints "BENCH: KIND METRIC VALUE" lines (the
# median of three runs) that scripts/run-bench.sh turns into ratios.
. /tests/lib/xtest.sh
name=bench
cfg=/tmp/$name.cfg
trap 'cleanup_domain $name' EXIT

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'; }

for kind in ${XTEST_BENCH_KINDS:-upstream ours}; do
	if [ ! -f /guest/$kind/vmlinuz ]; then
		echo "BENCH: $kind unavailable (no kernel)"
		continue
	fi
	XTEST_DOMU=$kind
	GUEST_KERNEL=/guest/$kind/vmlinuz
	rm -f "$(console_log $name)"
	write_cfg $cfg $name bench
	sed -i 's/^memory = .*/memory = 512/' $cfg
	start=$(cut -d' ' -f1 /proc/uptime)
	if ! xl create $cfg >/tmp/bench-create.log 2>&1; then
		echo "BENCH: $kind unavailable ($(grep -m1 -iE "error|fail" /tmp/bench-create.log))"
		continue
	fi
	if ! wait_console $name 'AGENT: up ' 300 >/dev/null; then
		echo "BENCH: $kind unavailable (no userspace)"
		cleanup_domain $name
		continue
	fi
	up=$(cut -d' ' -f1 /proc/uptime)
	echo "BENCH: $kind boot_to_userspace_s $(awk -v a=$start -v b=$up 'BEGIN { printf "%.1f", b - a }')"
	wait_console $name 'AGENT: tasks-done' 900 >/dev/null || say "$kind: benchmarks did not finish"
	log=$(console_log $name)
	for m in fork_exec page_fault mprotect hypercalls_per_fork; do
		v=$(tr -d '\r' <"$log" | sed -n "s/^AGENT: bench $m \([0-9.]*\) .*/\1/p" | median)
		[ -n "$v" ] && echo "BENCH: $kind $m $v"
	done
	xl destroy $name
	wait_gone $name 30
done
