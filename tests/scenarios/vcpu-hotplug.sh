# vCPU hotplug driven by the toolstack: "xl vcpu-set" writes
# cpu/<N>/availability in the guest's xenstore directory; the guest takes
# the CPUs offline and back online, and Xen's view (xl vcpu-list) follows.
. /tests/lib/xtest.sh
name=hotplug
cfg=/tmp/$name.cfg
trap 'cleanup_domain $name' EXIT

dump() {
	echo "  --- xl vcpu-list"
	xl vcpu-list $name 2>&1 | sed 's/^/    | /'
	echo "  --- xl dmesg (tail)"
	xl dmesg | tail -n 30 | sed 's/^/    | /'
	echo "  --- guest console"
	tr -d '\r' <"$(console_log $name)" 2>/dev/null | tail -n 60 | sed 's/^/    | /'
}

# last_cpus: the newest online-CPU count the agent printed.
last_cpus() {
	tr -d '\r' <"$(console_log $name)" |
		sed -n 's/^AGENT: cpus-online \([0-9]*\) .*/\1/p' | tail -n 1
}

# xen_online: vCPUs of the guest that Xen has up (state without 'p').
xen_online() {
	xl vcpu-list $name | awk -v n=$name '$1 == n && $5 !~ /p/' | wc -l
}

# wait_cpus N SECONDS: both the guest and Xen show N online vCPUs.
wait_cpus() {
	local want=$1 t=$2 g x
	while [ "$t" -gt 0 ]; do
		g=$(last_cpus)
		x=$(xen_online)
		[ "$g" = "$want" ] && [ "$x" = "$want" ] && return 0
		sleep 1
		t=$((t - 1))
	done
	fail "want $want online vCPUs: guest says ${g:-nothing}, Xen says $x"
}

rm -f "$(console_log $name)"
write_cfg $cfg $name cpus-online "vcpus = 4" "maxvcpus = 4"
xl create $cfg || { fail "xl create"; dump; exit 1; }
line=$(wait_console $name 'AGENT: up ' 120) || { fail "guest never reached userspace"; dump; exit 1; }
say "guest: ${line#AGENT: up }"
case $line in
*" cpus=4 "*) ;;
*) fail "guest sees the wrong number of vCPUs (want 4)"; dump; exit 1 ;;
esac
wait_cpus 4 30 || { dump; exit 1; }

for n in 2 4 1 3; do
	# More vCPUs than the test host has pCPUs: xl wants --ignore-host.
	xl vcpu-set --ignore-host $name $n || { fail "xl vcpu-set $name $n"; dump; exit 1; }
	wait_cpus $n 60 || { dump; exit 1; }
	say "vcpu-set $n: guest and Xen agree ($(tr -d '\r' <"$(console_log $name)" |
		sed -n 's/^AGENT: cpus-online .* list=//p' | tail -n 1))"
done

# A bad value in xenstore is logged and ignored.
domid=$(xl domid $name)
xenstore-write /local/domain/$domid/cpu/1/availability bogus
sleep 4
wait_cpus 3 10 || { dump; exit 1; }
say "bogus availability ignored"
tr -d '\r' <"$(console_log $name)" | grep -q 'xen-cpu-hotplug:.*bogus' ||
	{ fail "no log line for the bad value"; dump; exit 1; }

# Taking CPUs down and up again must not have upset the kernel.
if tr -d '\r' <"$(console_log $name)" | grep -E 'WARNING:|BUG:|Oops|Call Trace'; then
	fail "kernel warnings on the guest console"; dump; exit 1
fi

xl destroy $name && wait_gone $name 30 || { fail "xl destroy"; exit 1; }
say "destroyed"
