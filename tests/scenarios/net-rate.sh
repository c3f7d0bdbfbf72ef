# The toolstack's rate limit on a guest's vif ("rate=10Mb/s": libxl
# writes 62500 bytes per 50 ms into the backend's "rate" node): the guest
# sends 8 MiB to dom0 over TCP, which at 10 Mbit/s takes 6.7 s and
# without the limit well under 2 s here.  The transfer must take at least
# 5 s (the bucket starts with one interval's worth and holds at most one
# largest packet), finish within 40 s, and arrive intact.
. /tests/lib/xtest.sh
. /tests/lib/net.sh
name=netrate
cfg=/tmp/$name.cfg
recv=/tmp/$name.recv
size=8388608
listener=
trap 'cleanup_domain $name; kill $listener 2>/dev/null; rm -f $recv' EXIT

rm -f $recv
sleep 120 | nc -l -p 5001 >$recv &
listener=$!
write_cfg $cfg $name net-send "vif = ['bridge=xenbr0,mac=00:16:3e:5a:00:60,rate=10Mb/s']"
xl create -q $cfg || { fail "xl create"; exit 1; }
vif=$(xl network-list $name | awk 'NR == 2 { print $1 }')
be=/local/domain/0/backend/vif/$(xl domid $name)/${vif:-0}
t=120
while [ ! -s $recv ] && [ $t -gt 0 ]; do
	sleep 0.5
	t=$((t - 1))
done
[ -s $recv ] || { fail "no data from the guest"; exit 1; }
t0=$(now_ms)
t=400
while [ "$(stat -c %s $recv)" -lt $size ] && [ $t -gt 0 ]; do
	sleep 0.1
	t=$((t - 1))
done
t1=$(now_ms)
got=$(stat -c %s $recv)
say "backend's rate node: $(xenstore-read $be/rate 2>/dev/null)"
say "$got bytes in $((t1 - t0)) ms: $((got * 8 / (t1 - t0 + 1))) kbit/s"
[ "$got" -ge $size ] || { fail "only $got of $size bytes in 40 s"; exit 1; }
[ $((t1 - t0)) -ge 5000 ] || { fail "8 MiB in $((t1 - t0)) ms: faster than 10 Mbit/s"; exit 1; }
want=$(agent_value 'net-sent' 30) || { fail "the guest did not say what it sent"; exit 1; }
have=$(md5sum <$recv | cut -d' ' -f1)
[ "$want" = "$have" ] || { fail "the guest sent md5 $want, dom0 got $have"; exit 1; }
say "md5 $have on both ends"
