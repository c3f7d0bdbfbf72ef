# xl save / xl restore of a running PV guest (seed test plan): the guest's
# heartbeat counter continues after restore, so its state survived.
. /tests/lib/xtest.sh
name=saved
cfg=/tmp/$name.cfg
img=/tmp/$name.save
trap 'cleanup_domain $name; rm -f $img' EXIT
write_cfg $cfg $name heartbeat
xl create $cfg || { fail "xl create"; exit 1; }
wait_console $name 'AGENT: tick 3 ' 180 >/dev/null || { fail "guest heartbeat"; exit 1; }
timeout 180 xl save $name $img || { fail "xl save"; exit 1; }
wait_gone $name 30 || { fail "$name still listed after save"; exit 1; }
before=$(last_tick $name)
say "saved at tick $before ($(du -k $img | cut -f1) KiB image)"
sleep 5
timeout 180 xl restore $img || { fail "xl restore"; exit 1; }
wait_tick_after $name "$before" 60 || exit 1
say "restored: heartbeat continues at tick $(last_tick $name)"
xl destroy $name
