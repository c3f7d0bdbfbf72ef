# Hot attach and detach of a second vif on a running guest with our
# netfront, against upstream netback and xl:
#  - two rounds of: xl network-attach (xenbr0, second subnet), the
#    guest sees eth1, 4 MiB each way over it with md5 checked on both
#    ends, xl network-list shows it, xl network-detach, it is gone from
#    the guest and from network-list;
#  - a third attach, then a detach while the guest is sending on eth1;
#  - the guest is alive afterwards and eth0 still carries data.
# Guest side: task_net_hotplug in tests/rootfs/domu/agent.d/net.sh.
. /tests/lib/xtest.sh
. /tests/lib/net.sh
name=nethp
cfg=/tmp/$name.cfg
guest1=169.254.101.2
pids=
trap 'cleanup_domain $name; for p in $pids; do kill $p 2>/dev/null; done; ip addr del 169.254.101.1/24 dev xenbr0 2>/dev/null' EXIT

# The devid of the hot-plugged vif (not 0), from xl network-list.
extra_vif() { xl network-list $name | awk 'NR > 1 && $1 != 0 { print $1 }' | tail -n 1; }
nr_vifs() { xl network-list $name | awk 'NR > 1' | wc -l; }

# eth1 shares xenbr0 with eth0 but has its own subnet; the guest answers
# ARP only on the interface that has the address (arp_ignore=1).
ip addr add 169.254.101.1/24 dev xenbr0 || { fail "cannot add 169.254.101.1"; exit 1; }

# xl network-attach takes each key=value as its own argument.
attach() {
	xl network-attach $name bridge=xenbr0 mac=$1 && return 0
	tail -n 20 /var/log/xen/xen-hotplug.log 2>/dev/null | sed 's/^/    | /'
	return 1
}

rm -f "$(console_log $name)"
write_cfg $cfg $name net-hotplug "vif = ['bridge=xenbr0,mac=00:16:3e:5a:00:20']"
xl create $cfg || { fail "xl create"; exit 1; }
line=$(wait_console $name 'AGENT: up ' 180) || { fail "guest never reached userspace"; exit 1; }
case $line in
*"kernel=6.1."*"-$XTEST_DOMU "*) ;;
*) fail "guest runs the wrong kernel (want the $XTEST_DOMU one)"; exit 1 ;;
esac
agent_value 'net-hp-ready' 60 >/dev/null || { fail "guest eth0 not up"; exit 1; }

for r in 1 2; do
	listen 5040 /tmp/hp-in
	attach 00:16:3e:5a:01:0$r || { fail "round $r: network-attach"; exit 1; }
	[ "$(nr_vifs)" = 2 ] || { fail "round $r: network-list shows $(nr_vifs) vifs"; xl network-list $name; exit 1; }
	mac=$(agent_value "net-hp-up $r " 120) || { fail "round $r: guest never saw eth1"; exit 1; }
	say "round $r: guest eth1 $mac"
	[ "$mac" = mac=00:16:3e:5a:01:0$r ] || { fail "round $r: wrong MAC"; exit 1; }
	agent_value "net-hp-listening $r" 60 >/dev/null || { fail "round $r: guest not listening"; exit 1; }
	dd if=/dev/urandom of=/tmp/hp-out bs=1M count=4 2>/dev/null
	push /tmp/hp-out $guest1 5041 || { fail "round $r: cannot connect to the guest"; exit 1; }
	sum=$(agent_value "net-hp-sent $r " 120) || { fail "round $r: guest did not send"; exit 1; }
	same_sum "round $r guest->dom0 over eth1" "$sum" /tmp/hp-in || exit 1
	want=$(md5sum </tmp/hp-out | cut -d' ' -f1)
	got=$(agent_value "net-hp-md5 $r " 120) || { fail "round $r: guest did not receive"; exit 1; }
	say "round $r dom0->guest over eth1: sent $want, guest got $got"
	[ "$want" = "$got" ] || { fail "round $r: dom0->guest data differs"; exit 1; }
	dev=$(extra_vif)
	timeout 60 xl network-detach $name "$dev" || { fail "round $r: network-detach $dev"; exit 1; }
	agent_value "net-hp-gone $r" 120 >/dev/null || { fail "round $r: eth1 stays in the guest"; exit 1; }
	[ "$(nr_vifs)" = 1 ] || { fail "round $r: network-list shows $(nr_vifs) vifs after detach"; exit 1; }
	say "round $r: attached, data checked, detached"
done

# Detach under load: the guest streams to dom0 on eth1 meanwhile.
(while :; do sleep 600 | nc -l -p 5042 >/dev/null; done) &
pids="$pids $!"
attach 00:16:3e:5a:01:04 || { fail "busy round: network-attach"; exit 1; }
wait_console $name 'AGENT: net-hp-busy-start' 120 >/dev/null || { fail "busy round: guest not streaming"; exit 1; }
dev=$(extra_vif)
domid=$(xl domid $name)
sleep 5
b0=$(cat /sys/class/net/vif$domid.$dev/statistics/rx_bytes 2>/dev/null || echo 0)
sleep 3
b1=$(cat /sys/class/net/vif$domid.$dev/statistics/rx_bytes 2>/dev/null || echo 0)
say "busy round: vif$domid.$dev received $((b1 - b0)) bytes in 3 s before the detach"
[ "$b1" -gt "$b0" ] || { fail "busy round: no traffic on eth1"; exit 1; }
timeout 60 xl network-detach $name "$dev" || { fail "busy round: network-detach under load"; exit 1; }
wait_console $name 'AGENT: net-hp-busy-gone' 120 >/dev/null || { fail "busy round: eth1 stays"; exit 1; }
say "busy round: detached while busy"

listen 5043 /tmp/hp-final
line=$(wait_console $name 'AGENT: (net-hp-final|net-error)' 120) || { fail "no final transfer"; exit 1; }
case $line in *net-error*) fail "$line"; exit 1 ;; esac
set -- $line
same_sum "eth0 after the hotplug rounds" "$3" /tmp/hp-final || exit 1
[ "$(wc -c </tmp/hp-final)" = 4194304 ] || { fail "final transfer is not 4 MiB"; exit 1; }
[ "$4" = fe-errors=0 ] || { fail "guest logged protocol errors: $4"; exit 1; }
domain_exists $name || { fail "guest died"; exit 1; }
say "guest alive, eth0 fine, no protocol error"
