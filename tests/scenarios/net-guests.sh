# Two guests on xenbr0 exchange a checksummed TCP stream: the receiver
# (169.254.100.2) listens, the sender (169.254.100.3) sends it 8 MiB of
# random data; the md5 the sender made is the md5 the receiver got.  Both
# vifs are ours when dom0 is ours: the stream goes guest -> netback tx ->
# bridge -> netback rx -> guest, never through dom0's own stack.
. /tests/lib/xtest.sh
rx=netrx
tx=nettx
trap 'cleanup_domain $rx; cleanup_domain $tx' EXIT

rm -f "$(console_log $rx)" "$(console_log $tx)"
write_cfg /tmp/$rx.cfg $rx net-peer-recv "vif = ['bridge=xenbr0,mac=00:16:3e:5a:00:40']"
write_cfg /tmp/$tx.cfg $tx net-peer-send "extra += xtest.ip=169.254.100.3" \
	"vif = ['bridge=xenbr0,mac=00:16:3e:5a:00:41']"
xl create -q /tmp/$rx.cfg || { fail "xl create $rx"; exit 1; }
wait_console $rx 'AGENT: (net-peer-listening|net-error)' 180 | grep -q listening ||
	{ fail "receiver not listening"; exit 1; }
xl create -q /tmp/$tx.cfg || { fail "xl create $tx"; exit 1; }
made=$(wait_console $tx 'AGENT: (net-peer-made|net-error)' 180) || { fail "sender did not start"; exit 1; }
got=$(wait_console $rx 'AGENT: (net-peer-got|net-error)' 240) || { fail "receiver got nothing"; exit 1; }
made=${made##* }
got=${got##* }
say "sender made $made, receiver got $got"
[ -n "$made" ] && [ "$made" = "$got" ] || { fail "the stream differs between the guests"; exit 1; }
for d in $rx $tx; do
	say "$d: vif$(xl domid $d).0 from guest $(cat /sys/class/net/vif$(xl domid $d).0/statistics/rx_bytes) B," \
		"to guest $(cat /sys/class/net/vif$(xl domid $d).0/statistics/tx_bytes) B"
done
xl destroy $tx
xl destroy $rx
wait_gone $tx 30 && wait_gone $rx 30 || { fail "guests still listed"; exit 1; }
