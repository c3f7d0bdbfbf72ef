# Guest lifecycle with a file-backed disk and a vif on xenbr0:
#  - xl create; xl list shows the guest with its memory;
#  - 4 MiB of random data the guest writes to xvda read back identically
#    from the backing file in dom0;
#  - 8 MiB the guest sends over TCP to dom0 match by checksum;
#  - xl shutdown runs the guest init's shutdown; the domain goes away;
#  - xl create again, xl destroy, and dom0's free memory is back.
. /tests/lib/xtest.sh
name=life
cfg=/tmp/$name.cfg
disk=/tmp/$name-disk.img
trap 'cleanup_domain $name; kill $listener 2>/dev/null' EXIT

mem0=$(free_mem_mb)
say "free memory before: $mem0 MiB"
dd if=/dev/zero of=$disk bs=1M count=16 2>/dev/null
write_cfg $cfg $name disk-write,net-send \
	"disk = ['format=raw, vdev=xvda, access=rw, target=$disk']" \
	"vif = ['bridge=xenbr0,mac=00:16:3e:5a:00:02']"

# Listen before the guest exists; nc's stdin must stay open or it quits early.
rm -f /tmp/net-rx
sleep 600 | nc -l -p 5001 >/tmp/net-rx &
listener=$!

xl create $cfg || { fail "xl create"; exit 1; }
xl list
line=$(xl list | awk -v n=$name '$1 == n')
[ -n "$line" ] || { fail "xl list does not show $name"; exit 1; }
xl list | grep -q "^Domain-0 " || { fail "xl list does not show Domain-0"; exit 1; }
mem=$(echo "$line" | awk '{print $3}')
[ "$mem" -ge 120 ] && [ "$mem" -le 130 ] || { fail "xl list memory $mem, expected ~128"; exit 1; }

line=$(wait_console $name 'AGENT: up ' 180) || { fail "guest never reached userspace"; exit 1; }
say "guest: ${line#AGENT: up }"
case $line in
*"kernel=6.1."*"-$XTEST_DOMU "*) ;;
*) fail "guest runs the wrong kernel (want the $XTEST_DOMU one)"; exit 1 ;;
esac

line=$(wait_console $name 'AGENT: (disk-md5|disk-error)' 120) || { fail "guest never reported its disk write"; exit 1; }
guest_sum=${line##* }
host_sum=$(dd if=$disk bs=1M count=4 2>/dev/null | md5sum | cut -d' ' -f1)
say "disk: guest $guest_sum, backing file $host_sum"
[ "$guest_sum" = "$host_sum" ] || { fail "disk data differs"; exit 1; }

line=$(wait_console $name 'AGENT: (net-sent|net-error)' 120) || { fail "guest never sent its data"; exit 1; }
guest_sum=${line##* }
t=30
while [ "$(md5sum </tmp/net-rx | cut -d' ' -f1)" != "$guest_sum" ] && [ $t -gt 0 ]; do
	sleep 1
	t=$((t - 1))
done
host_sum=$(md5sum </tmp/net-rx | cut -d' ' -f1)
say "tcp guest->dom0: guest $guest_sum, received $host_sum ($(wc -c </tmp/net-rx) bytes)"
[ "$guest_sum" = "$host_sum" ] || { fail "TCP data differs"; exit 1; }

timeout 120 xl shutdown -w $name || { fail "xl shutdown -w"; exit 1; }
wait_console $name 'AGENT: shutdown' 5 >/dev/null || { fail "guest init's shutdown did not run"; exit 1; }
wait_gone $name 30 || { fail "$name still listed 30 s after shutdown"; exit 1; }
say "xl shutdown: clean"

rm -f "$(console_log $name)"
write_cfg $cfg $name ""
xl create $cfg || { fail "second xl create"; exit 1; }
wait_console $name 'AGENT: up' 180 >/dev/null || { fail "second boot"; exit 1; }
xl destroy $name || { fail "xl destroy"; exit 1; }
wait_gone $name 30 || { fail "$name still listed after destroy"; exit 1; }
say "xl destroy: gone"

wait_free_mem $((mem0 - 1)) 30 || exit 1
say "free memory after: $(free_mem_mb) MiB"
