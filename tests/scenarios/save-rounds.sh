# Round after round of "xl save -c" (a checkpoint: the guest runs on) and
# of "xl save" + "xl restore" of a 2-vCPU guest: each time its heartbeat
# goes on from where it was (no reboot), its clock never goes back and
# stays within 1 s of dom0's (to the millisecond: dom0 stamps a heartbeat
# as it arrives), and its console shows no kernel warning from the first
# round on.  Between the two, a checkpoint restored into a domain with
# fewer frames than it holds is refused (issue 13 §6).
. /tests/lib/xtest.sh
name=rounds
cfg=/tmp/$name.cfg
img=/tmp/$name.save
rounds=${XTEST_SAVE_ROUNDS:-3}
trap 'cleanup_domain $name; cleanup_domain $name-small; rm -f $img /tmp/$name.warn0' EXIT

write_cfg $cfg $name heartbeat "vcpus = 2"
xl create $cfg || { fail "xl create"; exit 1; }
wait_console $name 'AGENT: tick 3 ' 180 >/dev/null || { fail "guest heartbeat"; exit 1; }

console_warnings $name >/tmp/$name.warn0
# The same measure before any round: the console's own delay.
now=$(fresh_tick $name) && say "before the rounds: clock $((now - $(guest_time_ms $name))) ms behind dom0's"

for r in $(seq "$rounds"); do
	checkpoint_round $name $img $r || exit 1
done
# The last checkpoint restored into a domain too small for it (64 MiB
# for 128): refused while the frames are loaded, nothing left behind, and
# the checkpointed guest runs on.
small=$name-small
sed -e "s/^name = .*/name = '$small'/" -e '/^memory = /d' $cfg >/tmp/$small.cfg
echo "memory = 64" >>/tmp/$small.cfg
mark=$(last_tick $name)
doms=$(xl list | wc -l)
if timeout 180 xl restore /tmp/$small.cfg $img >/tmp/$small.log 2>&1; then
	cleanup_domain $small
	fail "a 128 MiB image restored into 64 MiB"
	exit 1
fi
say "restore into 64 MiB refused:"
grep -iE 'error|fail' /tmp/$small.log | head -n 4 | sed 's/^/  | /'
if domain_exists $small || [ "$(xl list | wc -l)" != "$doms" ]; then
	xl list | sed 's/^/  | /'
	cleanup_domain $small
	fail "the refused restore left a domain behind"
	exit 1
fi
wait_tick_after $name "$mark" 30 || exit 1

for r in $(seq "$rounds"); do
	restore_round $name $img $r || exit 1
done

if console_warnings $name | grep -vxF -f /tmp/$name.warn0 | head -n 5 | sed 's/^/  | /' | grep .; then
	fail "kernel warnings on the guest's console"
	exit 1
fi
xl destroy $name
