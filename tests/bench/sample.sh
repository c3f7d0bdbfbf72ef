# Not run by make test: a guest of each kind (xtest.kinds) runs agent tasks
# (xtest.tasks, default profstat) with a disk and a vif while this scenario
# copies each result line to dom0's console as soon as it appears, as
# "XTEST-MARK: KIND LINE".  Samples taken from outside the machine
# (scripts/vcpu-sample.py) can then be matched to the run they fall in:
# the phase named by a mark ends with the next mark.
. /tests/lib/xtest.sh
NET_BENCH_LIB=1 . /tests/bench/net-bench.sh
name=sample
cfg=/tmp/$name.cfg
disk=/tmp/$name.img
trap 'cleanup_domain $name; rm -f $disk; net_bench_dom0_stop' EXIT
truncate -s 128M $disk
# The net-bench task needs dom0's iperf3 server.
case ",${XTEST_TASKS:-}," in
*,net-bench*) net_bench_dom0_start || exit 1 ;;
esac
for kind in ${XTEST_BENCH_KINDS:-upstream ours}; do
	XTEST_DOMU=$kind
	GUEST_KERNEL=/guest/$kind/vmlinuz
	GUEST_INITRD=/guest/domu-bench-initrd.gz
	rm -f "$(console_log $name)"
	write_cfg $cfg $name "${XTEST_TASKS:-profstat}" "memory = 512" \
		"extra += kunit.enable=0 xtest.ip=169.254.100.10" \
		"disk = ['format=raw, vdev=xvda, access=rw, target=$disk']" \
		"vif = ['bridge=xenbr0,mac=00:16:3e:5a:00:0a']"
	# xtest.cpus: pin the guest's vCPUs to these physical CPUs.
	[ -n "${XTEST_CPUS:-}" ] && echo "cpus = '$XTEST_CPUS'" >>$cfg
	xl create $cfg || exit 1
	wait_console $name 'AGENT: up ' 300 >/dev/null || exit 1
	echo "XTEST-MARK: $kind up"
	seen=0
	for t in $(seq 900); do
		log=$(tr -d '\r' <"$(console_log $name)")
		n=$(echo "$log" | grep -cE '^AGENT: (profstat|bench|profile|hypercalls)')
		if [ "$n" -gt "$seen" ]; then
			echo "$log" | grep -E '^AGENT: (profstat|bench|profile|hypercalls)' | tail -n $((n - seen)) |
				sed "s/^/XTEST-MARK: $kind /"
			seen=$n
		fi
		echo "$log" | grep -q 'AGENT: tasks-done' && break
		sleep 1
	done
	xl destroy $name
	wait_gone $name 30
done
