# The toolstack's control requests reach the guest through xenstore and end
# in an orderly way: xl sysrq runs a SysRq handler, xl reboot runs init's
# shutdown and the domain comes back, xl shutdown runs it again and the
# domain goes away.  Malformed requests written straight into the guest's
# xenstore directory are logged and refused, and the guest carries on; so
# is a suspend request already there when the guest boots, and a second
# one sent while a checkpoint's suspend is under way.
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
# A suspend request waiting for the guest before it runs: refused at boot.
xl create -p $cfg || { fail "xl create -p"; exit 1; }
first=$(xl domid $name)
xenstore-write /local/domain/$first/control/shutdown suspend || { fail "xenstore-write"; exit 1; }
xl unpause $name || { fail "xl unpause"; exit 1; }
wait_console $name 'AGENT: up ' 120 >/dev/null || { fail "guest never reached userspace"; exit 1; }
tr -d '\r' <"$(console_log $name)" | grep -q 'asked to suspend during boot: refused' ||
	{ fail "a suspend request at boot was not refused"; exit 1; }
# State: r (running) or b (blocked), neither p (paused) nor s (shut down).
st=$(xl list $name | awk 'NR == 2 { print $5 }')
case "$st" in
*[rb]*) ;;
*) fail "guest in state '$st' after the refused suspend"; exit 1 ;;
esac
say "suspend request at boot: refused, guest booted"

xl sysrq $name h || { fail "xl sysrq"; exit 1; }
wait_console $name 'sysrq: HELP' 30 >/dev/null || { fail "xl sysrq h: no SysRq help on the console"; exit 1; }
say "xl sysrq: the guest ran the SysRq help handler"

# Hostile input: an unknown shutdown word, a multi-key sysrq, a vCPU
# availability that is neither online nor offline.
dom=/local/domain/$first
xenstore-write $dom/control/shutdown 'melt-down' || { fail "xenstore-write"; exit 1; }
wait_console $name 'unknown shutdown request' 30 >/dev/null || { fail "bad shutdown word not reported"; exit 1; }
xenstore-write $dom/control/sysrq 'bh' || { fail "xenstore-write"; exit 1; }
wait_console $name 'is not one key' 30 >/dev/null || { fail "bad sysrq not reported"; exit 1; }
xenstore-write $dom/cpu/0/availability 'sideways' || { fail "xenstore-write"; exit 1; }
wait_console $name 'neither online nor offline' 30 >/dev/null || { fail "bad availability not reported"; exit 1; }
domain_exists $name && [ "$(xl domid $name)" = "$first" ] || { fail "guest did not survive bad input"; exit 1; }
xl sysrq $name h && sleep 2
[ "$(tr -d '\r' <"$(console_log $name)" | grep -c 'sysrq: HELP')" -ge 2 ] ||
	{ fail "guest stopped answering after bad input"; exit 1; }
say "bad xenstore input: logged and refused, guest still answers"

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

# A second suspend request while a checkpoint's suspend is under way:
# written as soon as the guest has taken the first one (the third event
# on the node: the watch's own, libxl's "suspend", the guest's clearing).
# The checkpoint completes and the guest runs on; it must not suspend
# again with nobody waiting for it.  A guest of its own: after a
# checkpoint, the xl that created the domain is gone ("Domain has
# suspended", xl's own behaviour), and nobody would restart it on reboot.
rm -f "$(console_log $name)"
xl create $cfg || { fail "xl create"; exit 1; }
wait_console $name 'AGENT: up ' 120 >/dev/null || { fail "guest never reached userspace"; exit 1; }
first=$(xl domid $name)
dom=/local/domain/$first
ckpt=/tmp/$name.save
timeout 120 xenstore-watch -n 3 $dom/control/shutdown >/tmp/$name.watch 2>&1 &
watcher=$!
sleep 1
timeout 180 xl save -c $name $ckpt >/tmp/$name.ckpt 2>&1 &
saver=$!
wait $watcher || { fail "no request taken: $(cat /tmp/$name.watch)"; exit 1; }
xenstore-write $dom/control/shutdown suspend || { fail "xenstore-write"; exit 1; }
wait $saver || { fail "xl save -c: $(tail -n 3 /tmp/$name.ckpt)"; exit 1; }
rm -f $ckpt
wait_console $name 'asked to suspend during a suspend: ignored' 30 >/dev/null ||
	{ fail "second suspend request not refused"; exit 1; }
sleep 3
st=$(xl list $name | awk 'NR == 2 { print $5 }')
case "$st" in
*[rb]*) ;;
*) fail "guest in state '$st' after the second suspend request"; exit 1 ;;
esac
[ "$(xl domid $name)" = "$first" ] || { fail "checkpoint: domain id changed"; exit 1; }
[ -z "$(xenstore-read $dom/control/shutdown)" ] || { fail "second request left in control/shutdown"; exit 1; }
xl sysrq $name h && sleep 2
[ "$(tr -d '\r' <"$(console_log $name)" | grep -c 'sysrq: HELP')" -ge 1 ] ||
	{ fail "guest stopped answering after the checkpoint"; exit 1; }
say "suspend request during a checkpoint's suspend: refused, guest runs on"
xl destroy $name
