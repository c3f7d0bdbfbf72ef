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

write_cfg $cfg $name heartbeat "vcpus = 2"
xl create $cfg || { fail "xl create"; exit 1; }
wait_console $name 'AGENT: tick 3 ' 180 >/dev/null || { fail "guest heartbeat"; exit 1; }

console_warnings $name >/tmp/$name.warn0

for r in $(seq "$rounds"); do
	t0=$(now_ms)
	timeout 180 xl save -c $name $img >/dev/null 2>&1 || { fail "checkpoint $r: xl save -c"; exit 1; }
	t1=$(now_ms)
	domain_exists $name || { fail "checkpoint $r: the guest is gone"; exit 1; }
	# Only now: the guest ran on while xl prepared the checkpoint.
	save_mark $name
	save_check $name "checkpoint $r ($((t1 - t0)) ms)" || exit 1
done

for r in $(seq "$rounds"); do
	t0=$(now_ms)
	timeout 180 xl save $name $img >/dev/null 2>&1 || { fail "save $r: xl save"; exit 1; }
	t1=$(now_ms)
	wait_gone $name 30 || { fail "save $r: $name still listed"; exit 1; }
	save_mark $name
	sleep 3
	t2=$(now_ms)
	timeout 180 xl restore $img >/dev/null 2>&1 || { fail "restore $r: xl restore"; exit 1; }
	t3=$(now_ms)
	save_check $name "save $r ($((t1 - t0)) ms) + restore ($((t3 - t2)) ms)" || exit 1
done

if console_warnings $name | grep -vxF -f /tmp/$name.warn0 | head -n 5 | sed 's/^/  | /' | grep .; then
	fail "kernel warnings on the guest's console"
	exit 1
fi
xl destroy $name
