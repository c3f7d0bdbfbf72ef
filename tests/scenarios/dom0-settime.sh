# Dom0 owns the platform clock: setting its time ("date -s") sets Xen's
# wallclock (XENPF_settime64), so a guest created afterwards boots with
# the new time.  The clock goes one day ahead; without the hypercall the
# guest would boot with the hardware clock's time, a day behind dom0's.
. /tests/lib/xtest.sh
name=settime
cfg=/tmp/$name.cfg
ahead=86400
restore() { date -s "@$(($(date +%s) - ahead))" >/dev/null; }
trap 'cleanup_domain $name; restore' EXIT
date -s "@$(($(date +%s) + ahead))" >/dev/null || { ahead=0; fail "date -s"; exit 1; }
say "dom0 clock set to $(date -u '+%F %T') UTC"
# The hypercall is issued from a work item: give it a moment.
sleep 1
write_cfg $cfg $name heartbeat
xl create $cfg || { fail "xl create"; exit 1; }
line=$(wait_console $name 'AGENT: tick 1 ' 180) || { fail "guest heartbeat"; exit 1; }
d0=$(date +%s)
g=$(echo "$line" | sed -n 's/.* time=\([0-9]*\).*/\1/p')
[ -n "$g" ] || { fail "no time on the guest's heartbeat: $line"; exit 1; }
say "guest wall clock $g, dom0 $d0 (difference $((g - d0)) s)"
[ $((g - d0)) -le 5 ] && [ $((d0 - g)) -le 5 ] ||
	{ fail "the guest did not boot with dom0's new time"; exit 1; }
xl destroy $name
