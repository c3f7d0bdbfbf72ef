# Ballooning (seed test plan): xl mem-set shrinks and grows a running PV
# guest; xl list follows and the guest sees its memory change.
. /tests/lib/xtest.sh
name=balloon
cfg=/tmp/$name.cfg
trap 'cleanup_domain $name' EXIT
write_cfg $cfg $name heartbeat "maxmem = 256"
sed -i 's/^memory = .*/memory = 256/' $cfg
xl create $cfg || { fail "xl create"; exit 1; }
wait_console $name 'AGENT: tick 2 ' 180 >/dev/null || { fail "guest heartbeat"; exit 1; }
full=$(last_mem_kb $name)
say "guest MemTotal at 256 MiB: $full kB"
xl mem-set $name 160m || { fail "xl mem-set 160m"; exit 1; }
t=60
while [ $t -gt 0 ]; do
	mem=$(xl list $name | awk 'NR == 2 { print $3 }')
	now=$(last_mem_kb $name)
	[ "$mem" -le 165 ] && [ "$now" -le $((full - 80 * 1024)) ] && break
	sleep 1
	t=$((t - 1))
done
say "after mem-set 160m: xl list $mem MiB, guest MemTotal $now kB"
[ $t -gt 0 ] || { fail "guest did not balloon down"; exit 1; }
xl mem-set $name 256m || { fail "xl mem-set 256m"; exit 1; }
t=60
while [ $t -gt 0 ]; do
	now=$(last_mem_kb $name)
	[ "$now" -ge $((full - 4 * 1024)) ] && break
	sleep 1
	t=$((t - 1))
done
say "after mem-set 256m: guest MemTotal $now kB"
[ $t -gt 0 ] || { fail "guest did not balloon back up"; exit 1; }
xl destroy $name
