# make bench, backends part (issue 12 §6): the reference guest (upstream's
# kernel) served by this boot's dom0 kernel.  scripts/run-bench.sh runs it
# in a boot with our kernel as dom0 and one with upstream's, and divides.
# dom0 drives the guest's agent one step at a time (task "serve"), so it
# can count its own busy CPU over each step.  Prints "BENCH-BE: METRIC
# VALUE" lines:
#   blk_seq_write_mbs, blk_seq_read_mbs, blk_randread_iops
#                       the guest's fio on a 128 MiB file-backed disk
#                       (1 MiB direct, then 4 KiB random reads, 1 job)
#   blk_randread4_iops  4 KiB random reads, 4 jobs x 32 in flight
#   net_tx_mbits, net_rx_mbits
#                       iperf3 guest -> dom0 and dom0 -> guest, 10 s each
#   net_peer_mbits      iperf3 from that guest to a second one (vif only)
#                       through dom0's bridge, 10 s
#   dom0_blk_ms_per_mb, dom0_net_ms_per_mb, dom0_peer_ms_per_mb
#                       dom0's busy CPU per MB moved over those steps
#                       (lower is better)
#   limit_seq_read_mbs, limit_seq_write_mbs
#                       dd with O_DIRECT in dom0 on the same loop device:
#                       what the guest's sequential figures could reach
. /tests/lib/xtest.sh
NET_BENCH_LIB=1 . /tests/bench/net-bench.sh
name=bbe
cfg=/tmp/$name.cfg
disk=/tmp/$name.img
peer=bbe-peer
peer_ip=169.254.100.3
trap 'cleanup_domain $name; cleanup_domain $peer; rm -f $disk; net_bench_dom0_stop' EXIT

out() { echo "BENCH-BE: $1 $2"; }
# dom0's busy CPU so far, ms (user, nice, system, irq, softirq).
busy_ms() { awk '/^cpu / { print ($2 + $3 + $4 + $7 + $8) * 10 }' /proc/stat; }
# The guest's "bench METRIC VALUE" of request N.
metric() {
	tr -d '\r' <"$(console_log $name)" | awk -v n="$1" -v m="$2" '
		$1 == "AGENT:" && $2 == "served" { s = $3; next }
		s == n - 1 && $1 == "AGENT:" && $2 == "bench" && $3 == m { print $4 }' | tail -n 1
}
per_mb() { awk -v ms="$1" -v mb="$2" 'BEGIN { if (mb > 0) printf "%.2f", ms / mb }'; }

truncate -s 128M $disk
net_bench_dom0_start || { fail "iperf3 server"; exit 1; }
GUEST_KERNEL=/guest/upstream/vmlinuz GUEST_INITRD=/guest/domu-bench-initrd.gz \
	write_cfg $cfg $name serve "memory = 512" \
	"extra += xtest.ip=$NET_BENCH_GUEST_IP xtest.peer=$peer_ip" \
	"disk = ['format=raw, vdev=xvda, access=rw, target=$disk']" "$NET_BENCH_VIF"
xl create $cfg || { fail "xl create"; exit 1; }
wait_console $name 'AGENT: serving' 300 >/dev/null || { fail "guest never reached userspace"; exit 1; }

c0=$(busy_ms)
guest_serve $name 1 blk-bench || { fail "blk-bench did not finish"; exit 1; }
c1=$(busy_ms)
for m in blk_seq_write_mbs blk_seq_read_mbs blk_randread_iops; do
	out $m "$(metric 1 $m)"
done
# 64 MiB written, 64 read, then 15 s of 4 KiB reads.
mb=$(awk -v i="$(metric 1 blk_randread_iops)" 'BEGIN { print 128 + i * 15 * 4 / 1024 }')
out dom0_blk_ms_per_mb "$(per_mb $((c1 - c0)) $mb)"

guest_serve $name 2 blk-bench-jobs4 || { fail "blk-bench-jobs4 did not finish"; exit 1; }
out blk_randread4_iops "$(metric 2 blk_randread4_iops)"

c0=$(busy_ms)
guest_serve $name 3 net-bench || { fail "net-bench did not finish"; exit 1; }
c1=$(busy_ms)
tx=$(metric 3 net_tx_mbits)
rx=$(metric 3 net_rx_mbits)
out net_tx_mbits "$tx"
out net_rx_mbits "$rx"
out dom0_net_ms_per_mb "$(per_mb $((c1 - c0)) "$(awk -v a="$tx" -v b="$rx" 'BEGIN { print (a + b) * 10 / 8 }')")"

# Guest to guest: the peer serves iperf3, the first guest sends to it.
GUEST_KERNEL=/guest/upstream/vmlinuz GUEST_INITRD=/guest/domu-bench-initrd.gz \
	write_cfg /tmp/$peer.cfg $peer serve "memory = 256" "extra += xtest.ip=$peer_ip" \
	"vif = ['bridge=xenbr0,mac=00:16:3e:5a:00:31']"
xl create /tmp/$peer.cfg || { fail "xl create $peer"; exit 1; }
wait_console $peer 'AGENT: serving' 300 >/dev/null || { fail "$peer never reached userspace"; exit 1; }
guest_serve $peer 1 net-bench-server || { fail "$peer: no iperf3 server"; exit 1; }
c0=$(busy_ms)
guest_serve $name 4 net-bench-peer || { fail "net-bench-peer did not finish"; exit 1; }
c1=$(busy_ms)
pr=$(metric 4 net_peer_mbits)
out net_peer_mbits "$pr"
out dom0_peer_ms_per_mb "$(per_mb $((c1 - c0)) "$(awk -v a="$pr" 'BEGIN { print a * 10 / 8 }')")"
xl destroy $peer

# The limit: the same loop device, from dom0, with the guest idle.
loop=$(/usr/sbin/losetup -j $disk 2>/dev/null | cut -d: -f1 | head -n 1)
if [ -b "$loop" ]; then
	t0=$(now_ms)
	dd if="$loop" of=/dev/null bs=1M count=64 iflag=direct 2>/dev/null
	t1=$(now_ms)
	dd if=/dev/zero of="$loop" bs=1M count=64 oflag=direct 2>/dev/null
	t2=$(now_ms)
	out limit_seq_read_mbs "$(awk -v d=$((t1 - t0)) 'BEGIN { if (d > 0) printf "%.1f", 64000 / d }')"
	out limit_seq_write_mbs "$(awk -v d=$((t2 - t1)) 'BEGIN { if (d > 0) printf "%.1f", 64000 / d }')"
else
	say "no loop device found for $disk: no limit figures"
fi
