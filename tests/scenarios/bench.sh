# make bench: the same guest workloads on each guest kernel in this one
# boot.  Host noise under QEMU/TCG is large, so the kernels take turns:
# XTEST_BENCH_ROUNDS rounds (default 3), each booting every kernel once
# (order alternating between rounds so drift cancels out), and each metric
# is the median of all its runs.  Prints "BENCH: KIND METRIC VALUE" lines
# that scripts/run-bench.sh turns into ratios.
#
# A guest's workloads are agent tasks that print "AGENT: bench METRIC VALUE
# UNIT" lines: "bench" (fork/exec, page faults, mprotect), and with
# XTEST_BENCH_IO set, "blk-bench" (fio on a disk) and "net-bench" (iperf3
# against dom0).
. /tests/lib/xtest.sh
name=bench
cfg=/tmp/$name.cfg
vals=/tmp/bench-vals
disk=/tmp/bench-disk.img
trap 'cleanup_domain $name; [ -n "$iperf" ] && kill $iperf 2>/dev/null' EXIT

rounds=${XTEST_BENCH_ROUNDS:-3}
kinds=${XTEST_BENCH_KINDS:-upstream ours}
tasks=bench
disk_cfg=
vif_cfg=
iperf=
if [ -n "${XTEST_BENCH_IO:-}" ]; then
	tasks=bench,blk-bench,net-bench
	dd if=/dev/zero of=$disk bs=1M count=256 2>/dev/null
	disk_cfg="disk = ['format=raw, vdev=xvda, access=rw, target=$disk']"
	vif_cfg="vif = ['bridge=xenbr0,mac=00:16:3e:5a:00:09']"
	iperf3 -s -D -p 5201 >/dev/null 2>&1 && iperf=$(pidof iperf3)
fi
rm -f $vals

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'; }

# run_kind KIND: one guest of KIND, its workloads, its numbers into $vals.
run_kind() {
	local kind=$1 start up log
	XTEST_DOMU=$kind
	GUEST_KERNEL=/guest/$kind/vmlinuz
	GUEST_INITRD=/guest/domu-bench-initrd.gz
	rm -f "$(console_log $name)"
	write_cfg $cfg $name $tasks "$disk_cfg" "$vif_cfg"
	sed -i 's/^memory = .*/memory = 512/' $cfg
	# Our test kernel has KUnit built in: keep its boot-time tests out of
	# the boot time (upstream's kernel just ignores the parameter).
	sed -i "s/^extra = '/extra = 'kunit.enable=0 /" $cfg
	start=$(cut -d' ' -f1 /proc/uptime)
	if ! xl create $cfg >/tmp/bench-create.log 2>&1; then
		echo "BENCH: $kind unavailable ($(grep -m1 -iE "error|fail" /tmp/bench-create.log))"
		return 1
	fi
	if ! wait_console $name 'AGENT: up ' 300 >/dev/null; then
		echo "BENCH: $kind unavailable (no userspace)"
		cleanup_domain $name
		return 1
	fi
	up=$(cut -d' ' -f1 /proc/uptime)
	echo "$kind boot_to_userspace_s $(awk -v a=$start -v b=$up 'BEGIN { printf "%.1f", b - a }')" >>$vals
	wait_console $name 'AGENT: tasks-done' 1200 >/dev/null || say "$kind: benchmarks did not finish"
	log=$(console_log $name)
	tr -d '\r' <"$log" | awk -v k=$kind '$1 == "AGENT:" && $2 == "bench" &&
		$4 ~ /^[0-9.]+$/ { print k, $3, $4 }' >>$vals
	tr -d '\r' <"$log" | grep -E '^AGENT: (bench-(detail|error)|blk-error|net-error)' |
		sed "s/^/  $kind: /"
	xl destroy $name
	wait_gone $name 30
}

r=1
while [ $r -le $rounds ]; do
	order=$kinds
	[ $((r % 2)) = 0 ] && order=$(echo "$kinds" | awk '{ for (i = NF; i > 0; i--) printf "%s ", $i }')
	for kind in $order; do
		if [ ! -f /guest/$kind/vmlinuz ]; then
			echo "BENCH: $kind unavailable (no kernel)"
			continue
		fi
		say "round $r: $kind"
		run_kind $kind
	done
	r=$((r + 1))
done

for kind in $kinds; do
	for m in $(awk -v k=$kind '$1 == k { print $2 }' $vals | sort -u); do
		v=$(awk -v k=$kind -v m=$m '$1 == k && $2 == m { print $3 }' $vals | median)
		n=$(awk -v k=$kind -v m=$m '$1 == k && $2 == m' $vals | wc -l)
		echo "BENCH: $kind $m $v"
		say "$kind $m: median of $n runs: $(awk -v k=$kind -v m=$m '$1 == k && $2 == m { printf "%s ", $3 }' $vals)"
	done
done
