# Ballooning (seed test plan): xl mem-set shrinks and grows a running PV
# guest; xl list follows and the guest sees its memory change.  The guest
# boots with 256 MiB and maxmem 384: it then grows above its boot size
# and a workload uses more memory than it booted with.  Then (our
# guest) bad targets written straight into its memory/target (not a
# number, negative, absurdly large) are refused or survived: the guest
# keeps running at its size.  Last, dom0 itself is ballooned down and back up
# with the guest running.
. /tests/lib/xtest.sh
name=balloon
cfg=/tmp/$name.cfg
trap 'cleanup_domain $name' EXIT
write_cfg $cfg $name heartbeat,grow-use "memory = 256" "maxmem = 384"
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

# Above the boot size, into the room maxmem left: the memory map gave the
# guest 384 MiB of RAM, 128 of it without frames until now.
xl mem-max $name 384m || { fail "xl mem-max 384m"; exit 1; }
xl mem-set $name 384m || { fail "xl mem-set 384m"; exit 1; }
t=90
while [ $t -gt 0 ]; do
	mem=$(xl list $name | awk 'NR == 2 { print $3 }')
	now=$(last_mem_kb $name)
	[ "$mem" -ge 383 ] && [ "$now" -ge $((full + 120 * 1024)) ] && break
	sleep 1
	t=$((t - 1))
done
say "after mem-set 384m: xl list $mem MiB, guest MemTotal $now kB (booted with $full)"
[ $t -gt 0 ] || { fail "guest did not grow above its boot size"; exit 1; }
r=$(wait_console $name 'AGENT: grow-use ' 240) || { fail "no workload result above the boot size"; exit 1; }
say "${r#*AGENT: }"
case $r in
*"grow-use ok"*) ;;
*) fail "workload above the boot size failed"; exit 1 ;;
esac
xl mem-set $name 256m || { fail "xl mem-set 256m (from 384m)"; exit 1; }

# Bad targets, for our guest (the upstream one takes "12x" as 12 kB and
# "-5" as 2^64 - 5).  Each is written, then the guest must still tick, keep
# its size and say on its console why it refused.
if [ "$XTEST_DOMU" = ours ]; then
	domid=$(xl domid $name)
	log=$(console_log $name)
	for bad in abc -5 "" 12x 999999999999999999999999; do
		xenstore-write -- /local/domain/$domid/memory/target "$bad" ||
			{ fail "xenstore-write memory/target"; exit 1; }
		sleep 1
	done
	wait_tick_after $name "$(last_tick $name)" 60 || { fail "guest stopped after bad targets"; exit 1; }
	mem=$(xl list $name | awk 'NR == 2 { print $3 }')
	n=$(tr -d '\r' <"$log" | grep -c 'xen-balloon: memory/target ".*" is not a number of kB: ignored')
	say "after 5 bad targets: xl list $mem MiB, $n refusals on the console"
	[ "$mem" -ge 250 ] || { fail "guest shrank on a bad target"; exit 1; }
	[ "$n" -ge 5 ] || { fail "bad targets not refused with a message"; exit 1; }
	# Far above maxmem: the guest grows as far as Xen lets it (xl mem-set
	# 256m also set Xen's limit to 257 MiB) or its room goes, says where
	# it stopped, and stays usable.
	xenstore-write /local/domain/$domid/memory/target 1099511627776
	sleep 3
	wait_tick_after $name "$(last_tick $name)" 60 || { fail "guest stopped after a huge target"; exit 1; }
	tr -d '\r' <"$log" | grep -qE 'xen-balloon: (target .* is beyond what this domain can hold|growing stalled at)' ||
		{ fail "no message for a target beyond the domain"; exit 1; }
fi
xl mem-set $name 256m || { fail "xl mem-set 256m (after bad targets)"; exit 1; }

# Dom0, with the guest running: 64 MiB down and back.
d0=$(xl list 0 | awk 'NR == 2 { print $3 }')
xl mem-set 0 $((d0 - 64))m || { fail "xl mem-set 0 $((d0 - 64))m"; exit 1; }
t=60
while [ $t -gt 0 ]; do
	now=$(xl list 0 | awk 'NR == 2 { print $3 }')
	[ "$now" -le $((d0 - 60)) ] && break
	sleep 1
	t=$((t - 1))
done
say "dom0: $d0 MiB, after mem-set $((d0 - 64))m: $now MiB"
[ $t -gt 0 ] || { fail "dom0 did not balloon down"; exit 1; }
xl mem-set 0 ${d0}m || { fail "xl mem-set 0 ${d0}m"; exit 1; }
t=60
while [ $t -gt 0 ]; do
	now=$(xl list 0 | awk 'NR == 2 { print $3 }')
	[ "$now" -ge $((d0 - 2)) ] && break
	sleep 1
	t=$((t - 1))
done
say "dom0 after mem-set ${d0}m: $now MiB"
[ $t -gt 0 ] || { fail "dom0 did not balloon back up"; exit 1; }
wait_tick_after $name "$(last_tick $name)" 60 || { fail "guest stopped while dom0 ballooned"; exit 1; }
xl destroy $name
