# Network throughput of a guest through netfront/netback: iperf3 from the
# guest to a server in dom0 (net_tx_mbits) and back with -R (net_rx_mbits),
# 10 s each (guest side: task_net_bench in agent.d/net.sh).
#
# For make bench: source this file with NET_BENCH_LIB=1 to get only the
# helpers:
#   net_bench_dom0_start       iperf3 server in dom0 (port 5201, xenbr0)
#   net_bench_dom0_stop
#   NET_BENCH_GUEST_IP         the address the guest takes on eth0
#   NET_BENCH_VIF              the vif line to add to the guest's xl.cfg
#   net_bench_results NAME     the guest's "bench net_*" lines, as
#                              "METRIC VALUE", once both are there
# Run as a scenario it boots one guest and prints BENCH: lines.
NET_BENCH_GUEST_IP=169.254.100.2
NET_BENCH_VIF="vif = ['bridge=xenbr0,mac=00:16:3e:5a:00:30']"

net_bench_dom0_start() {
	net_bench_dom0_stop
	iperf3 -s -D -B 169.254.100.1 -p 5201 --pidfile /tmp/iperf3.pid ||
		{ echo "  iperf3 server did not start"; return 1; }
}

net_bench_dom0_stop() {
	[ -f /tmp/iperf3.pid ] && kill "$(cat /tmp/iperf3.pid)" 2>/dev/null
	rm -f /tmp/iperf3.pid
	true
}

# net_bench_results NAME [SECONDS]
net_bench_results() {
	wait_console "$1" 'AGENT: (bench net_rx_mbits|bench-error)' "${2:-180}" >/dev/null || return 1
	tr -d '\r' <"$(console_log "$1")" | sed -n 's/^AGENT: bench \(net_[a-z]*_mbits\) \([0-9.]*\)$/\1 \2/p'
}

[ -n "$NET_BENCH_LIB" ] && return 0

. /tests/lib/xtest.sh
name=netbench
cfg=/tmp/$name.cfg
trap 'cleanup_domain $name; net_bench_dom0_stop' EXIT

net_bench_dom0_start || { fail "iperf3 server"; exit 1; }
rm -f "$(console_log $name)"
write_cfg $cfg $name net-bench "$NET_BENCH_VIF" "memory = 256"
xl create $cfg || { fail "xl create"; exit 1; }
wait_console $name 'AGENT: up ' 180 >/dev/null || { fail "guest never reached userspace"; exit 1; }
res=$(net_bench_results $name 240) || { fail "no bench results"; exit 1; }
n=0
while read -r m v; do
	[ -n "$v" ] || continue
	echo "BENCH: $XTEST_DOMU $m $v"
	n=$((n + 1))
done <<EOF
$res
EOF
[ $n = 2 ] || { fail "expected 2 results, got $n"; tr -d '\r' <"$(console_log $name)" | grep 'AGENT: bench'; exit 1; }
