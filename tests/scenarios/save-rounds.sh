# Round after round of "xl save -c" (a checkpoint: the guest runs on) and
# of "xl save" + "xl restore" of a 2-vCPU guest: each time its heartbeat
# goes on from where it was (no reboot), its clock never goes back and
# stays within a second or two of dom0's (the heartbeat prints it every
# 2 s and we poll every second), and its console shows no kernel warning
# from the first round on.
. /tests/lib/xtest.sh
name=rounds
cfg=/tmp/$name.cfg
img=/tmp/$name.save
rounds=${XTEST_SAVE_ROUNDS:-3}
trap 'cleanup_domain $name; rm -f $img /tmp/$name.warn0' EXIT

# last_time NAME: the guest's clock (date +%s) in its newest heartbeat.
last_time() {
	tr -d '\r' <"$(console_log "$1")" |
		sed -n 's/^AGENT: tick [0-9]* .*time=\([0-9]*\).*/\1/p' | tail -n 1
}

# check_after WHAT: a heartbeat printed after the resume, with a sane
# clock.  The tick after $before may have been printed just before the
# suspend and reach the console log only after the resume; the one after
# that cannot.
check_after() {
	local now gt skew
	wait_tick_after $name "$((before + 1))" 90 || exit 1
	now=$(date +%s)
	gt=$(last_time $name)
	skew=$((now - gt))
	if [ "$skew" -lt -1 ] || [ "$skew" -gt 2 ]; then
		fail "$1: guest clock $gt, dom0's $now"
		exit 1
	fi
	if [ "$gt" -lt "$before_time" ]; then
		fail "$1: guest clock went back from $before_time to $gt"
		exit 1
	fi
	say "$1: tick $before -> $(last_tick $name), clock $((now - gt))s behind dom0's"
}

# mark: remember where the heartbeat was.
mark() {
	before=$(last_tick $name)
	before_time=$(last_time $name)
}

write_cfg $cfg $name heartbeat "vcpus = 2"
xl create $cfg || { fail "xl create"; exit 1; }
wait_console $name 'AGENT: tick 3 ' 180 >/dev/null || { fail "guest heartbeat"; exit 1; }

# warnings NAME: the kernel warnings on the guest's console, each once.
# After a restore xenconsoled may show the ring's old contents again, so
# only a line not seen before the first round counts (the upstream guest
# has one at boot).
warnings() {
	tr -d '\r' <"$(console_log "$1")" | grep -E 'WARNING:|BUG:|Oops|Call Trace' | sort -u
}
warnings $name >/tmp/$name.warn0

for r in $(seq "$rounds"); do
	mark
	t0=$(now_ms)
	timeout 180 xl save -c $name $img >/dev/null 2>&1 || { fail "checkpoint $r: xl save -c"; exit 1; }
	t1=$(now_ms)
	domain_exists $name || { fail "checkpoint $r: the guest is gone"; exit 1; }
	check_after "checkpoint $r ($((t1 - t0)) ms)"
done

for r in $(seq "$rounds"); do
	t0=$(now_ms)
	timeout 180 xl save $name $img >/dev/null 2>&1 || { fail "save $r: xl save"; exit 1; }
	t1=$(now_ms)
	wait_gone $name 30 || { fail "save $r: $name still listed"; exit 1; }
	mark
	sleep 3
	t2=$(now_ms)
	timeout 180 xl restore $img >/dev/null 2>&1 || { fail "restore $r: xl restore"; exit 1; }
	t3=$(now_ms)
	check_after "save $r ($((t1 - t0)) ms) + restore ($((t3 - t2)) ms)"
done

if warnings $name | grep -vxF -f /tmp/$name.warn0 | head -n 5 | sed 's/^/  | /' | grep .; then
	fail "kernel warnings on the guest's console"
	exit 1
fi
xl destroy $name
