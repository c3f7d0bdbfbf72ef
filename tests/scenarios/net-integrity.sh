# Data integrity over our netfront and upstream netback, guest on xenbr0
# with 2 vCPUs (so 2 queues when netback offers them):
#  - the frontend published what we expect in xenstore, backend Connected,
#    split event channels taken when offered;
#  - 8 MiB each way over TCP, md5 checked on both ends;
#  - four flows out of the guest and two into it at the same time;
#  - pings of 56, 1400, 4000 and 9000 bytes (fragmented);
#  - MTU 9000 on both ends: a jumbo ping and 4 MiB each way again;
#  - the guest's interface counters grew by at least what was moved, and
#    no protocol error was logged.
# Guest side: task_net_integrity in tests/rootfs/domu/agent.d/net.sh.
. /tests/lib/xtest.sh
. /tests/lib/net.sh
name=netint
cfg=/tmp/$name.cfg
guest=169.254.100.2
pids=
trap 'cleanup_domain $name; for p in $pids; do kill $p 2>/dev/null; done; ip link set xenbr0 mtu 1500 2>/dev/null' EXIT


blob() { dd if=/dev/urandom of="$1" bs=1M count="$2" 2>/dev/null; }

listen 5002 /tmp/ni-g2d
for p in 0 1 2 3; do listen 501$p /tmp/ni-par$p; done
listen 5031 /tmp/ni-jumbo

rm -f "$(console_log $name)"
write_cfg $cfg $name net-integrity "vcpus = 2" "vif = ['bridge=xenbr0,mac=00:16:3e:5a:00:10']"
xl create $cfg || { fail "xl create"; exit 1; }
domid=$(xl domid $name)
line=$(wait_console $name 'AGENT: up ' 180) || { fail "guest never reached userspace"; exit 1; }
case $line in
*"kernel=6.1."*"-$XTEST_DOMU "*) ;;
*) fail "guest runs the wrong kernel (want the $XTEST_DOMU one)"; exit 1 ;;
esac
agent_value 'net-ready' 60 >/dev/null || { fail "guest network not up"; exit 1; }

fe=/local/domain/$domid/device/vif/0
be=/local/domain/0/backend/vif/$domid/0
say "frontend: state $(xenstore-read $fe/state) queues $(xenstore-read $fe/multi-queue-num-queues 2>/dev/null || echo 1)" \
	"rx-copy $(xenstore-read $fe/request-rx-copy) sg $(xenstore-read $fe/feature-sg)" \
	"split $(xenstore-read $be/feature-split-event-channels 2>/dev/null)"
say "backend: state $(xenstore-read $be/state) max-queues $(xenstore-read $be/multi-queue-max-queues 2>/dev/null)"
[ "$(xenstore-read $fe/state)" = 4 ] || { fail "frontend not Connected"; exit 1; }
[ "$(xenstore-read $be/state)" = 4 ] || { fail "backend not Connected"; exit 1; }
[ "$(xenstore-read $fe/request-rx-copy)" = 1 ] || { fail "no request-rx-copy"; exit 1; }
vif=vif$domid.0
ip link show $vif >/dev/null || { fail "no $vif in dom0"; exit 1; }
# Both netbacks offer split event channels; both netfronts take them.
# With several queues each queue-N/ has its channels.
q=$fe
[ "$(xenstore-read $fe/multi-queue-num-queues 2>/dev/null || echo 1)" -gt 1 ] && q=$fe/queue-0
if [ "$(xenstore-read $be/feature-split-event-channels 2>/dev/null)" = 1 ]; then
	xenstore-read $q/event-channel-tx >/dev/null && xenstore-read $q/event-channel-rx >/dev/null ||
		{ fail "the backend offers split event channels, the frontend took one"; exit 1; }
	case $(uname -r) in
	*-ours)
		# Ours names them vifD.N-tx/-rx, or vifD.N-qI-tx/-rx per queue.
		nq=$(xenstore-read $fe/multi-queue-num-queues 2>/dev/null || echo 1)
		n=$(grep -cE " $vif(-q[0-9]+)?-(tx|rx)\$" /proc/interrupts)
		say "dom0 irqs of $vif's $nq queue(s), tx and rx: $n of $((2 * nq))"
		[ "$n" = $((2 * nq)) ] || { fail "no separate tx and rx irqs for each of $vif's queues"; exit 1; }
		# Our netback offers a queue per dom0 CPU; both frontends take
		# one per guest vCPU (2 here).
		[ "$nq" -ge 2 ] || { fail "$vif has $nq queue: multi-queue was not negotiated"; exit 1; }
		;;
	esac
fi

sum=$(agent_value 'net-g2d-sent' 180) || { fail "guest did not send"; exit 1; }
same_sum "tcp guest->dom0 8 MiB" "$sum" /tmp/ni-g2d || exit 1
say "guest tx: $(agent_value 'net-g2d-avg-pkt' 5) bytes per packet (above 1514: TSO used)"

agent_value 'net-d2g-listening' 60 >/dev/null || { fail "guest not listening"; exit 1; }
blob /tmp/ni-d2g 8
push /tmp/ni-d2g $guest 5003 || { fail "cannot connect to the guest"; exit 1; }
want=$(md5sum </tmp/ni-d2g | cut -d' ' -f1)
got=$(agent_value 'net-d2g-md5' 180) || { fail "guest did not receive"; exit 1; }
say "tcp dom0->guest 8 MiB: sent $want, guest got $got"
[ "$want" = "$got" ] || { fail "dom0->guest data differs"; exit 1; }
say "guest rx: $(agent_value 'net-d2g-avg-pkt' 5) bytes per packet (above 1514: GSO from netback)"
rm -f /tmp/ni-d2g /tmp/ni-g2d

agent_value 'net-par-listening' 120 >/dev/null || { fail "guest not ready for parallel flows"; exit 1; }
blob /tmp/ni-in0 2
blob /tmp/ni-in1 2
push /tmp/ni-in0 $guest 5020 &
p0=$!
push /tmp/ni-in1 $guest 5021 &
p1=$!
wait $p0 $p1
for p in 0 1 2 3; do
	sum=$(agent_value "net-par-out $p " 180) || { fail "flow $p: no checksum"; exit 1; }
	same_sum "parallel flow $p guest->dom0" "$sum" /tmp/ni-par$p || exit 1
done
for p in 0 1; do
	got=$(agent_value "net-par-in $p " 60) || { fail "flow in $p: no checksum"; exit 1; }
	want=$(md5sum </tmp/ni-in$p | cut -d' ' -f1)
	say "parallel flow $p dom0->guest: sent $want, guest got $got"
	[ "$want" = "$got" ] || { fail "parallel flow $p dom0->guest differs"; exit 1; }
done
rm -f /tmp/ni-par? /tmp/ni-in?

for s in 56 1400 4000 9000; do
	res=$(agent_value "net-ping $s " 120) || { fail "no ping result for $s"; exit 1; }
	say "ping -s $s: $res"
	[ "$res" = ok ] || { fail "ping -s $s failed"; exit 1; }
done

mtu=$(agent_value 'net-mtu-wait' 60) || { fail "guest did not get to the MTU step"; exit 1; }
say "guest eth0 $mtu"
[ "$mtu" = mtu=9000 ] || { fail "guest refused MTU 9000"; exit 1; }
ip link set $vif mtu 9000 && ip link set xenbr0 mtu 9000 || { fail "dom0 MTU 9000"; exit 1; }
echo go >/tmp/ni-go
push /tmp/ni-go $guest 5030 || { fail "cannot signal the guest"; exit 1; }
res=$(agent_value 'net-ping-jumbo' 60) || { fail "no jumbo ping"; exit 1; }
say "ping -s 8900 at MTU 9000: $res"
[ "$res" = ok ] || { fail "jumbo ping failed"; exit 1; }
sum=$(agent_value 'net-jumbo-sent' 180) || { fail "guest did not send jumbo"; exit 1; }
same_sum "tcp guest->dom0 at MTU 9000, 4 MiB" "$sum" /tmp/ni-jumbo || exit 1
agent_value 'net-jumbo-listening' 60 >/dev/null || { fail "guest not listening (jumbo)"; exit 1; }
blob /tmp/ni-d2g 4
push /tmp/ni-d2g $guest 5032 || { fail "cannot connect to the guest (jumbo)"; exit 1; }
want=$(md5sum </tmp/ni-d2g | cut -d' ' -f1)
got=$(agent_value 'net-jumbo-md5' 180) || { fail "guest did not receive (jumbo)"; exit 1; }
say "tcp dom0->guest at MTU 9000, 4 MiB: sent $want, guest got $got"
[ "$want" = "$got" ] || { fail "jumbo dom0->guest data differs"; exit 1; }
rm -f /tmp/ni-d2g /tmp/ni-jumbo

errs=$(agent_value 'net-fe-errors' 60) || { fail "no error count"; exit 1; }
line=$(wait_console $name 'AGENT: net-counters' 30) || { fail "no counters"; exit 1; }
tr -d '\r' <"$(console_log $name)" | sed -n 's/^AGENT: ip-s /  guest \/proc\/net\/dev: /p'
say "guest ${line#AGENT: }"
tx=$(echo "$line" | sed -n 's/.* tx=\([0-9]*\).*/\1/p')
rx=$(echo "$line" | sed -n 's/.* rx=\([0-9]*\).*/\1/p')
# Moved: out 8 + 4*2 + 4 MiB, in 8 + 2*2 + 4 MiB (payload only).
[ "${tx:-0}" -ge $((20 * 1048576)) ] || { fail "tx_bytes grew by $tx only"; exit 1; }
[ "${rx:-0}" -ge $((16 * 1048576)) ] || { fail "rx_bytes grew by $rx only"; exit 1; }
[ "$errs" = 0 ] || { fail "guest logged $errs protocol errors"; exit 1; }
domain_exists $name || { fail "guest died"; exit 1; }
say "counters grew by tx $tx rx $rx bytes; no protocol error"
