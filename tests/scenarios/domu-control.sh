# The toolstack's control requests reach the guest through xenstore and end
# in an orderly way: xl sysrq runs a SysRq handler, xl reboot runs init's
# shutdown and the domain comes back, xl shutdown runs it again and the
# domain goes away.
. /tests/lib/xtest.sh
name=ctl
cfg=/tmp/$name.cfg
trap 'cleanup_domain $name' EXIT

ups() { tr -d '\r' <"$(console_log $name)" | grep -c '^AGENT: up '; }
downs() { tr -d '\r' <"$(console_log $name)" | grep -c '^AGENT: shutdown'; }

# wait_count FUNC N SECONDS: FUNC's count reaches N.
wait_count() {
	local t=$3
	while [ "$t" -gt 0 ]; do
		[ "$($1)" -ge "$2" ] && return 0
		sleep 1
		t=$((t - 1))
	done
	return 1
}

rm -f "$(console_log $name)"
write_cfg $cfg $name ""
xl create $cfg || { fail "xl create"; exit 1; }
wait_console $name 'AGENT: up ' 120 >/dev/null || { fail "guest never reached userspace"; exit 1; }
first=$(xl domid $name)

xl sysrq $name h || { fail "xl sysrq"; exit 1; }
wait_console $name 'sysrq: HELP' 30 >/dev/null || { fail "xl sysrq h: no SysRq help on the console"; exit 1; }
say "xl sysrq: the guest ran the SysRq help handler"

xl reboot $name || { fail "xl reboot"; exit 1; }
wait_count downs 1 60 || { fail "xl reboot: init's shutdown did not run"; exit 1; }
wait_count ups 2 120 || { fail "xl reboot: the guest did not come back"; exit 1; }
second=$(xl domid $name)
[ -n "$second" ] && [ "$second" != "$first" ] || { fail "xl reboot: domain id $first -> '$second'"; exit 1; }
say "xl reboot: orderly shutdown, back as domain $second"

timeout 120 xl shutdown -w $name || { fail "xl shutdown -w"; exit 1; }
wait_count downs 2 10 || { fail "xl shutdown: init's shutdown did not run"; exit 1; }
wait_gone $name 30 || { fail "$name still listed after shutdown"; exit 1; }
say "xl shutdown: orderly, domain gone"
