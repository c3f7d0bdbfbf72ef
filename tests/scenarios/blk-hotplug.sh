# Hot attach/detach of disks on a running guest with our block frontend:
#  - three rounds of xl block-attach xvdd: the guest sees the disk, writes
#    2 MiB that read back identically in the guest and from the backing
#    file; xl block-detach: the disk leaves the guest and xl block-list;
#  - xl block-detach of xvde while a dd writes to it: the dd ends (with
#    an I/O error, or done), the guest's heartbeat goes on, no oops.
. /tests/lib/xtest.sh
. /tests/lib/blk.sh
name=blkhp
cfg=/tmp/$name.cfg
hp=/tmp/$name-hp.img
busy=/tmp/$name-busy.img
lhp= lbusy=
trap 'cleanup_domain $name; /usr/sbin/losetup -d $lhp $lbusy 2>/dev/null; rm -f $hp $busy; true' EXIT

dd if=/dev/zero of=$hp bs=1M count=8 2>/dev/null
dd if=/dev/zero of=$busy bs=1M count=16 2>/dev/null
script=$(blk_phy_script)
lhp=$(/usr/sbin/losetup -f --show $hp) && lbusy=$(/usr/sbin/losetup -f --show $busy) || { fail "losetup"; exit 1; }
write_cfg $cfg $name heartbeat,blk-hotplug,blk-hp-busy "vcpus = 2"
xl create $cfg || { fail "xl create"; exit 1; }
wait_console $name 'AGENT: tasks-done' 180 >/dev/null || { fail "guest never ran its tasks"; exit 1; }
log=$(console_log $name)

for round in 1 2 3; do
	xl block-attach $name "format=raw, script=$script, vdev=xvdd, access=rw, target=$lhp" ||
		{ fail "round $round: xl block-attach"; exit 1; }
	xl block-list $name | grep -q '^51760 ' || { fail "round $round: not in xl block-list"; exit 1; }
	line=$(wait_console $name "AGENT: blk-hp-(ok|error) $round( |\$)" 90) ||
		{ fail "round $round: guest never used xvdd"; exit 1; }
	g=${line##* }
	h=$(dd if=$hp bs=1M count=2 2>/dev/null | md5sum | cut -d' ' -f1)
	say "round $round: guest $g, backing file $h"
	[ "$g" = "$h" ] || { fail "round $round: data differs"; exit 1; }
	timeout 90 xl block-detach $name xvdd || { fail "round $round: xl block-detach"; exit 1; }
	wait_console $name "AGENT: blk-hp-gone $round\$" 60 >/dev/null ||
		{ fail "round $round: xvdd still in the guest"; exit 1; }
	xl block-list $name | grep -q '^51760 ' && { fail "round $round: still in xl block-list"; exit 1; }
done

# Detach under load.
xl block-attach $name "format=raw, script=$script, vdev=xvde, access=rw, target=$lbusy" ||
	{ fail "xl block-attach xvde"; exit 1; }
wait_console $name 'AGENT: blk-busy-start' 90 >/dev/null || { fail "busy writer did not start"; exit 1; }
sleep 5
tick=$(last_tick $name)
timeout 120 xl block-detach $name xvde
say "xl block-detach under load: exit $?"
line=$(wait_console $name 'AGENT: blk-busy-end' 90) || { fail "dd on the detached disk hangs"; exit 1; }
say "guest: ${line#AGENT: }"
wait_tick_after $name "${tick:-0}" 30 || { fail "guest stopped answering"; exit 1; }
xl block-list $name | grep -q '^51776 ' && { fail "xvde still in xl block-list"; exit 1; }
if tr -d '\r' <"$log" | grep -E 'Oops|BUG:|WARNING:|general protection|KASAN'; then
	fail "kernel trouble on the guest console"
	exit 1
fi
tr -d '\r' <"$log" | grep -E 'vbd|xvd' | grep -v AGENT | tail -n 8 | sed 's/^/  | /'
xl destroy $name
wait_gone $name 30
