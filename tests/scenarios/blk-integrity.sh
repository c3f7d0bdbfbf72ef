# Our block frontend's data path against dom0's blkback, 2 vCPUs:
#  - random data written O_DIRECT (1 MiB, 4 KiB, 512 B requests), buffered,
#    and by four concurrent writers reads back identically in the guest,
#    and the backing file in dom0 holds the same bytes;
#  - ext4 made on a second disk, filled, fsck -fn clean, remounted and
#    verified in the guest, and fsck clean again from dom0;
#  - a disk attached access=ro is read-only in the guest: reads match the
#    backing file, writes are refused.
. /tests/lib/xtest.sh
. /tests/lib/blk.sh
name=blkint
cfg=/tmp/$name.cfg
d1=/tmp/$name-a.img
dro=/tmp/$name-ro.img
dfs=/tmp/$name-fs.img
l1= lro= lfs=
trap 'cleanup_domain $name; /usr/sbin/losetup -d $l1 $lro $lfs 2>/dev/null; rm -f $d1 $dro $dfs; true' EXIT

dd if=/dev/zero of=$d1 bs=1M count=64 2>/dev/null
dd if=/dev/urandom of=$dro bs=1M count=4 2>/dev/null
dd if=/dev/zero of=$dfs bs=1M count=48 2>/dev/null
# Loop devices of our own and a minimal hotplug script (tests/lib/blk.sh).
l1=$(/usr/sbin/losetup -f --show $d1) && lro=$(/usr/sbin/losetup -r -f --show $dro) &&
	lfs=$(/usr/sbin/losetup -f --show $dfs) || { fail "losetup"; exit 1; }
script=$(blk_phy_script)
spec="format=raw, script=$script"
write_cfg $cfg $name blk-info,blk-integrity,blk-ro,blk-fs "vcpus = 2" "memory = 256" \
	"disk = ['$spec, vdev=xvda, access=rw, target=$l1', '$spec, vdev=xvdb, access=ro, target=$lro', '$spec, vdev=xvdc, access=rw, target=$lfs']"

say "dom0 $(awk '/^(MemTotal|MemAvailable):/ { printf "%s %d MiB ", $1, $2 / 1024 }' /proc/meminfo)"
xl create $cfg || { fail "xl create"; exit 1; }
xl block-list $name
n=$(xl block-list $name | grep -cE '^517(12|28|44) ')
[ "$n" = 3 ] || { fail "xl block-list shows $n disks, want 3"; exit 1; }

wait_console $name 'AGENT: up ' 180 >/dev/null || { fail "guest never reached userspace"; exit 1; }
wait_console $name 'AGENT: blk-fs-done|AGENT: tasks-done' 300 >/dev/null ||
	{ fail "guest tasks did not finish"; exit 1; }
log=$(console_log $name)
tr -d '\r' <"$log" | grep -E 'AGENT: blk-' | sed 's/^/  /'
tr -d '\r' <"$log" | grep -q 'AGENT: blk-error' && { fail "guest reported errors"; exit 1; }
for what in direct-1M direct-4K direct-512 buffered parallel-0 parallel-3 \
	"read-only write refused" "fsck clean" "fs files"; do
	tr -d '\r' <"$log" | grep -q "AGENT: blk-ok $what" || { fail "no blk-ok $what"; exit 1; }
done
tr -d '\r' <"$log" | grep -q 'AGENT: blk-ro-flag 1' || { fail "xvdb not read-only in the guest"; exit 1; }

guest=$(tr -d '\r' <"$log" | sed -n 's/^AGENT: blk-disk-md5 //p')
host=$(dd if=$d1 bs=1M count=24 2>/dev/null | md5sum | cut -d' ' -f1)
say "xvda first 24 MiB: guest $guest, backing file $host"
[ -n "$guest" ] && [ "$guest" = "$host" ] || { fail "xvda data differs from the backing file"; exit 1; }

guest=$(tr -d '\r' <"$log" | sed -n 's/^AGENT: blk-ro-md5 //p')
host=$(md5sum <$dro | cut -d' ' -f1)
say "xvdb (ro): guest $guest, backing file $host"
[ "$guest" = "$host" ] || { fail "read-only disk data differs"; exit 1; }

xl destroy $name
wait_gone $name 30 || { fail "$name still listed after destroy"; exit 1; }
sync
if e2fsck -fn $dfs >/tmp/$name-fsck.log 2>&1; then
	say "dom0 e2fsck -fn of the guest's ext4: clean"
else
	tail -n 5 /tmp/$name-fsck.log
	fail "dom0 e2fsck finds errors"
	exit 1
fi
rm -f $d1 $dro $dfs
