# "xl migrate" of a running PV guest to this same host (xl migrate-receive
# run in place of ssh).  Debian's Xen 4.17 is built without shadow paging,
# so the toolstack cannot put a PV guest in log-dirty mode and must fail
# for exactly that reason (Documentation/xen/suspend.rst), leaving the
# guest running where it was; on a hypervisor that can, the guest must run
# on after the move.  Either way the heartbeat goes on without a reboot.
. /tests/lib/xtest.sh
name=mig
cfg=/tmp/$name.cfg
out=/tmp/$name.out
trap 'cleanup_domain $name; cleanup_domain $name--incoming; rm -f $out' EXIT
write_cfg $cfg $name heartbeat
xl create $cfg || { fail "xl create"; exit 1; }
wait_console $name 'AGENT: tick 3 ' 180 >/dev/null || { fail "guest heartbeat"; exit 1; }
id=$(xl domid $name)
before=$(last_tick $name)

if timeout 300 xl migrate -s "" $name "xl migrate-receive" >$out 2>&1; then
	say "migrated (domain $id -> $(xl domid $name))"
else
	if ! grep -q 'Failed to enable logdirty: 95' $out; then
		fail "xl migrate failed, and not for want of log-dirty mode:"
		tail -n 15 $out | sed 's/^/    | /'
		exit 1
	fi
	say "xl migrate refused as expected: $(grep -m1 -o 'Failed to enable logdirty: 95' $out)"
	[ "$(xl domid $name)" = "$id" ] || { fail "the guest is not domain $id any more"; exit 1; }
	! domain_exists $name--incoming || { fail "the receiving domain was left behind"; exit 1; }
fi
wait_tick_after $name "$before" 60 || exit 1
say "heartbeat goes on at tick $(last_tick $name)"
xl destroy $name
