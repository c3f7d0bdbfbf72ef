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
	checkpoint_round $name $img $r || exit 1
done
for r in $(seq "$rounds"); do
	restore_round $name $img $r || exit 1
done

if console_warnings $name | grep -vxF -f /tmp/$name.warn0 | head -n 5 | sed 's/^/  | /' | grep .; then
	fail "kernel warnings on the guest's console"
	exit 1
fi
xl destroy $name
