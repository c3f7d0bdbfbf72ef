# Guest side of the netfront scenarios (tests/scenarios/net-*.sh).
# dom0 is 169.254.100.1 on xenbr0; eth0 here is 169.254.100.2, a hot
# attached eth1 gets 169.254.101.2 (dom0 adds 169.254.101.1 to xenbr0,
# so both are on one bridge: ARP is answered only by the right interface).
# Data goes both ways with busybox nc; the scenario compares checksums.
# Listeners read their stdin from a sleep so nc does not quit early.

NET_DOM0=169.254.100.1
# Our address; xtest.ip=A.B.C.D for guests that share the bridge.
NET_SELF=$(sed -n 's/.*xtest\.ip=\([0-9.]*\).*/\1/p' /proc/cmdline)
NET_SELF=${NET_SELF:-169.254.100.2}

net_stat() { cat "/sys/class/net/$1/statistics/$2" 2>/dev/null || echo 0; }

net_ifup() { # DEV ADDR/PREFIX (again: a no-op)
	ip link set lo up
	ip link set "$1" up || { say "net-error no $1"; return 1; }
	ip addr show dev "$1" | grep -q "inet ${2%/*}/" && return 0
	ip addr add "$2" dev "$1"
}

net_blob() { dd if=/dev/urandom of="$1" bs=1M count="$2" 2>/dev/null; }

# net_push FILE PORT [HOST]: send FILE, retrying the connect for a minute.
net_push() {
	local i=0
	until nc "${3:-$NET_DOM0}" "$2" <"$1" 2>/dev/null; do
		i=$((i + 1))
		[ $i -ge 60 ] && return 1
		sleep 1
	done
}

# net_listen PORT FILE: receive one connection into FILE, in the background.
net_listen() {
	rm -f "$2"
	: >"$2"
	sleep 600 | nc -l -p "$1" >"$2" &
}

# net_wait_size FILE BYTES SECONDS
net_wait_size() {
	local t=$3
	while [ "$(wc -c <"$1")" -lt "$2" ] && [ "$t" -gt 0 ]; do
		sleep 1
		t=$((t - 1))
	done
	[ "$(wc -c <"$1")" -ge "$2" ]
}

# One transfer each way over eth0, parallel flows, pings of several sizes,
# the same again with MTU 9000, and the interface counters.
task_net_integrity() {
	local tx0 rx0 p s pids
	net_ifup eth0 $NET_SELF/16 || return
	tx0=$(net_stat eth0 tx_bytes)
	rx0=$(net_stat eth0 rx_bytes)
	say "net-ready mtu=$(cat /sys/class/net/eth0/mtu) features=$(ls /sys/class/net/eth0/queues | tr '\n' ' ')"

	# guest -> dom0, 8 MiB
	net_blob /tmp/a 8
	p=$(net_stat eth0 tx_packets)
	s=$(net_stat eth0 tx_bytes)
	net_push /tmp/a 5002 || { say "net-error cannot send to dom0:5002"; return; }
	# Bytes per packet above the MTU: the stack handed us GSO packets.
	say "net-g2d-avg-pkt $((($(net_stat eth0 tx_bytes) - s) / ($(net_stat eth0 tx_packets) - p + 1)))"
	say "net-g2d-sent $(md5 /tmp/a)"
	rm -f /tmp/a

	# dom0 -> guest, 8 MiB
	net_listen 5003 /tmp/b
	p=$(net_stat eth0 rx_packets)
	s=$(net_stat eth0 rx_bytes)
	say "net-d2g-listening"
	net_wait_size /tmp/b 8388608 120 || say "net-error d2g only $(wc -c </tmp/b) bytes"
	# Above the MTU: netback sent GSO packets (counted before GRO).
	say "net-d2g-avg-pkt $((($(net_stat eth0 rx_bytes) - s) / ($(net_stat eth0 rx_packets) - p + 1)))"
	say "net-d2g-md5 $(md5 /tmp/b)"
	rm -f /tmp/b

	# four flows out and two in, all at once, 2 MiB each
	net_listen 5020 /tmp/in0
	net_listen 5021 /tmp/in1
	for p in 0 1 2 3; do net_blob /tmp/out$p 2; done
	say "net-par-listening"
	pids=
	for p in 0 1 2 3; do
		net_push /tmp/out$p 501$p &
		pids="$pids $!"
	done
	# shellcheck disable=SC2086
	wait $pids
	for p in 0 1; do
		net_wait_size /tmp/in$p 2097152 120 || say "net-error par-in $p short"
	done
	for p in 0 1 2 3; do say "net-par-out $p $(md5 /tmp/out$p)"; done
	for p in 0 1; do say "net-par-in $p $(md5 /tmp/in$p)"; done
	rm -f /tmp/out? /tmp/in?

	# pings, fragmented above the MTU
	for s in 56 1400 4000 9000; do
		if ping -c 3 -W 5 -s $s $NET_DOM0 >/tmp/ping 2>&1; then
			say "net-ping $s ok"
		else
			say "net-ping $s fail $(tail -n 2 /tmp/ping | tr '\n' ' ')"
		fi
	done

	# jumbo frames: dom0 sets its side to 9000 and says go
	ip link set eth0 mtu 9000 || say "net-error cannot set mtu 9000"
	net_listen 5030 /tmp/go
	say "net-mtu-wait mtu=$(cat /sys/class/net/eth0/mtu)"
	net_wait_size /tmp/go 2 180 || say "net-error no go from dom0"
	if ping -c 3 -W 5 -s 8900 $NET_DOM0 >/tmp/ping 2>&1; then
		say "net-ping-jumbo ok"
	else
		say "net-ping-jumbo fail $(tail -n 2 /tmp/ping | tr '\n' ' ')"
	fi
	net_blob /tmp/j 4
	net_push /tmp/j 5031 || say "net-error cannot send to dom0:5031"
	say "net-jumbo-sent $(md5 /tmp/j)"
	rm -f /tmp/j
	net_listen 5032 /tmp/k
	say "net-jumbo-listening"
	net_wait_size /tmp/k 4194304 120 || say "net-error jumbo d2g short"
	say "net-jumbo-md5 $(md5 /tmp/k)"
	rm -f /tmp/k

	# What ip -s link shows (busybox ip has no -s): the stats64 counters.
	say "ip-s $(grep 'eth0:' /proc/net/dev)"
	say "net-fe-errors $(dmesg | grep -c 'protocol error')"
	say "net-counters tx=$(($(net_stat eth0 tx_bytes) - tx0)) rx=$(($(net_stat eth0 rx_bytes) - rx0)) rx_errors=$(net_stat eth0 rx_errors) tx_errors=$(net_stat eth0 tx_errors)"
}

# Hot plug: wait for eth1 to appear, move data both ways on it, report,
# and wait for it to go; ROUNDS times.  The scenario drives attach/detach.
task_net_hotplug() {
	local r=1 t busy
	echo 1 >/proc/sys/net/ipv4/conf/all/arp_ignore
	echo 2 >/proc/sys/net/ipv4/conf/all/arp_announce
	net_ifup eth0 $NET_SELF/16 || return
	say "net-hp-ready"
	while [ $r -le 2 ]; do
		t=120
		while [ ! -d /sys/class/net/eth1 ] && [ $t -gt 0 ]; do
			sleep 1
			t=$((t - 1))
		done
		[ -d /sys/class/net/eth1 ] || { say "net-error round $r: no eth1"; return; }
		ip link set eth1 up
		ip addr add 169.254.101.2/24 dev eth1
		say "net-hp-up $r mac=$(cat /sys/class/net/eth1/address)"
		net_listen 5041 /tmp/hin
		net_blob /tmp/hout 4
		say "net-hp-listening $r"
		net_push /tmp/hout 5040 169.254.101.1 || say "net-error round $r: cannot send"
		say "net-hp-sent $r $(md5 /tmp/hout)"
		net_wait_size /tmp/hin 4194304 120 || say "net-error round $r: short receive"
		say "net-hp-md5 $r $(md5 /tmp/hin)"
		rm -f /tmp/hin /tmp/hout
		t=120
		while [ -d /sys/class/net/eth1 ] && [ $t -gt 0 ]; do
			sleep 1
			t=$((t - 1))
		done
		[ -d /sys/class/net/eth1 ] && { say "net-error round $r: eth1 stays"; return; }
		say "net-hp-gone $r"
		r=$((r + 1))
	done
	# Busy round: detach while a transfer runs; we only need to survive it.
	t=120
	while [ ! -d /sys/class/net/eth1 ] && [ $t -gt 0 ]; do
		sleep 1
		t=$((t - 1))
	done
	[ -d /sys/class/net/eth1 ] || { say "net-error busy round: no eth1"; return; }
	ip link set eth1 up
	ip addr add 169.254.101.2/24 dev eth1
	net_blob /tmp/hout 16
	say "net-hp-busy-start"
	(
		while [ -d /sys/class/net/eth1 ]; do
			nc 169.254.101.1 5042 </tmp/hout 2>/dev/null || sleep 1
		done
	) &
	busy=$!
	t=180
	while [ -d /sys/class/net/eth1 ] && [ $t -gt 0 ]; do
		sleep 1
		t=$((t - 1))
	done
	# The nc cut off with eth1 would hold the file (and tmpfs) forever.
	kill $busy 2>/dev/null
	for t in /proc/[0-9]*; do
		tr '\0' ' ' <$t/cmdline 2>/dev/null | grep -q '^nc 169.254.101.1 5042' &&
			kill "${t#/proc/}" 2>/dev/null
	done
	rm -f /tmp/hout
	say "net-hp-busy-gone"
	# eth0 still works after all that
	net_blob /tmp/hout 4 || say "net-error cannot make the final blob"
	net_push /tmp/hout 5043 || say "net-error eth0 dead after hotplug"
	say "net-hp-final $(md5 /tmp/hout) fe-errors=$(dmesg | grep -c 'protocol error')"
}

# iperf3 against the server the scenario started in dom0: 10 s each way.
net_iperf_mbits() {
	awk '/receiver/ { for (i = 1; i < NF; i++) if ($(i + 1) == "Mbits/sec") v = $i; else if ($(i + 1) == "Gbits/sec") v = $i * 1000 } END { print v }'
}

# MB moved in iperf3's 10 s at MBITS Mbit/s.
net_mbytes() { awk -v m="$1" 'BEGIN { printf "%.1f", m * 10 / 8 }'; }

# net_bench_dir tx|rx: one 10 s iperf3 run against dom0's server and
# the MB per busy CPU-second it cost.
net_bench_dir() {
	local out v c0 c1 s0 opt=
	[ "$1" = rx ] && opt=-R
	s0=$(head -n 1 /proc/stat)
	c0=$(cpu_busy_ms)
	# shellcheck disable=SC2086
	out=$(iperf3 -c $NET_DOM0 -t 10 -f m $opt 2>&1) || say "bench-error iperf3 $1"
	c1=$(cpu_busy_ms)
	v=$(echo "$out" | net_iperf_mbits)
	say "bench net_$1_mbits $v"
	[ -n "$v" ] && say "bench net_$1_mb_per_cpu_s $(per_cpu_s $(net_mbytes $v) $c0 $c1)"
	# Where the CPU went, in ticks of 10 ms (for profiling).
	say "profile-cpu net_$1 $(echo "$s0 $(head -n 1 /proc/stat)" | awk '{ n = NF / 2
		printf "user=%d sys=%d irq=%d softirq=%d steal=%d",
			$(n + 2) - $2, $(n + 4) - $4, $(n + 7) - $7, $(n + 8) - $8, $(n + 9) - $9 }')"
}

# eth0 up and dom0's iperf3 server answering.
net_bench_ready() {
	local i=0
	# Once answered, the server stays: later runs start right away.
	[ -f /tmp/net-bench-ready ] && return 0
	[ -n "$(ip -4 addr show dev eth0 2>/dev/null | grep inet)" ] ||
		net_ifup eth0 $NET_SELF/16 || return 1
	until iperf3 -c $NET_DOM0 -t 1 >/dev/null 2>&1; do
		i=$((i + 1))
		[ $i -ge 60 ] && { say "bench-error no iperf3 server in dom0"; return 1; }
		sleep 1
	done
	: >/tmp/net-bench-ready
}

task_net_bench() {
	net_bench_ready || return
	net_bench_dir tx
	net_bench_dir rx
}

# One direction only: for profiling (tests/bench/sample.sh), and for make
# bench, which takes Xen's CPU time of the guest around each of them after
# a net-bench-ready step.
task_net_bench_ready() { net_bench_ready; }
task_net_bench_tx() { net_bench_ready && net_bench_dir tx; }
task_net_bench_rx() { net_bench_ready && net_bench_dir rx; }

# Guest to guest (make bench's backends part): one guest serves iperf3,
# the other (xtest.peer=its address) sends to it for 10 s, through both
# vifs and dom0's bridge.
task_net_bench_server() {
	net_ifup eth0 $NET_SELF/16 || return
	iperf3 -s -D -p 5201 && say "net-bench-server up"
}

task_net_bench_peer() {
	local peer out i=0
	peer=$(sed -n 's/.*xtest\.peer=\([0-9.]*\).*/\1/p' /proc/cmdline)
	[ -n "$peer" ] || { say "bench-error no xtest.peer"; return; }
	net_ifup eth0 $NET_SELF/16 || return
	until iperf3 -c $peer -t 1 >/dev/null 2>&1; do
		i=$((i + 1))
		[ $i -ge 60 ] && { say "bench-error no iperf3 server at $peer"; return; }
		sleep 1
	done
	out=$(iperf3 -c $peer -t 10 -f m 2>&1) || say "bench-error iperf3 to $peer"
	say "bench net_peer_mbits $(echo "$out" | net_iperf_mbits)"
}

# Every ethN up, no address: a frontend polls its rings only while up
# (tests/scenarios/frontend-hostile.sh).
task_net_up_all() {
	local d
	for d in /sys/class/net/eth*; do
		[ -e "$d" ] && ip link set "${d##*/}" up && say "net-up ${d##*/}"
	done
}

# Each ethN's MAC and rx counters (tests/scenarios/frontend-hostile.sh).
task_net_stats() {
	local d
	for d in /sys/class/net/eth*; do
		[ -e "$d" ] || continue
		say "net-stats $(cat $d/address) rx_packets=$(net_stat ${d##*/} rx_packets) rx_errors=$(net_stat ${d##*/} rx_errors)"
	done
}

# Guest to guest over the bridge (tests/scenarios/net-guests.sh): the
# receiver (xtest.ip=169.254.100.2) takes 8 MiB on port 5100; the sender
# (another address) makes them and sends them to it.  Both print the md5.
task_net_peer_recv() {
	net_ifup eth0 $NET_SELF/16 || return
	net_listen 5100 /tmp/peer
	say "net-peer-listening"
	net_wait_size /tmp/peer 8388608 180 || say "net-error peer got only $(wc -c </tmp/peer) bytes"
	say "net-peer-got $(md5 /tmp/peer)"
}

task_net_peer_send() {
	net_ifup eth0 $NET_SELF/16 || return
	net_blob /tmp/peer 8
	say "net-peer-made $(md5 /tmp/peer)"
	net_push /tmp/peer 5100 169.254.100.2 || { say "net-error cannot reach the peer"; return; }
	say "net-peer-sent"
}
