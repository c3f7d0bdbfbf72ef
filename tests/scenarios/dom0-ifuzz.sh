# Bad input for the control domain's Xen devices: tests/dom0/ifuzz sends
# thousands of invalid and random requests to privcmd, gntdev and evtchn
# (a running guest as the target where a domain must exist).  dom0 must
# come out intact: no oops or warning in its log, xl still works, and its
# irqs and gntdev mappings are back where they were before the guest.
. /tests/lib/xtest.sh
name=fuzz
cfg=/tmp/$name.cfg
trap 'cleanup_domain $name' EXIT

dom0_counts() {
	echo "$(($(wc -l </proc/interrupts) - 1)) $(cat /proc/[0-9]*/maps 2>/dev/null | grep -c 'xen/gntdev')"
}

# The baseline is taken before the target guest exists: its console and
# store channels are dom0's too while it runs.
counts0=$(dom0_counts)
rm -f "$(console_log $name)"
write_cfg $cfg $name ""
xl create -q $cfg || { fail "xl create"; exit 1; }
wait_console $name 'AGENT: up ' 120 >/dev/null || { fail "guest did not start"; exit 1; }
domid=$(xl domid $name)
dmesg -c >/dev/null
say "target domain $domid; dom0 irqs and gntdev mappings: $counts0 before it, $(dom0_counts) with it"
out=$(ifuzz 0x5eed "${XTEST_FUZZ_ROUNDS:-10}" "$domid" 2>&1)
rc=$?
echo "$out" | sed 's/^/  /'
[ $rc = 0 ] || { fail "a call that must fail succeeded"; exit 1; }
if dmesg | grep -qE 'BUG:|WARNING:|Oops|Call Trace|general protection'; then
	fail "dom0's kernel complained:"
	dmesg | grep -E -A 12 'BUG:|WARNING:|Oops|general protection' | head -n 40 | sed 's/^/    | /'
	exit 1
fi
say "dom0's log: $(dmesg | grep -c .) lines, none an oops or warning"
xl list >/dev/null || { fail "xl list after the fuzzing"; exit 1; }
xl destroy $name && wait_gone $name 30 || { fail "xl destroy"; exit 1; }
t=30
while [ "$(dom0_counts)" != "$counts0" ] && [ $t -gt 0 ]; do
	sleep 1
	t=$((t - 1))
done
say "dom0 irqs and gntdev mappings after: $(dom0_counts)"
[ "$(dom0_counts)" = "$counts0" ] || { fail "leaked irqs or grant mappings"; exit 1; }
