# Block frontend throughput for make bench: fio in the bench image on a
# 128 MiB file-backed disk; prints the guest's "AGENT: bench" lines.
. /tests/lib/xtest.sh
name=blkbench
cfg=/tmp/$name.cfg
d1=/tmp/$name.img
trap 'cleanup_domain $name; rm -f $d1' EXIT

dd if=/dev/zero of=$d1 bs=1M count=128 2>/dev/null
GUEST_INITRD=/guest/domu-bench-initrd.gz write_cfg $cfg $name blk-info,blk-bench \
	"memory = 512" "disk = ['format=raw, vdev=xvda, access=rw, target=$d1']"
xl create $cfg || { fail "xl create"; exit 1; }
wait_console $name 'AGENT: tasks-done' 600 >/dev/null || { fail "bench did not finish"; exit 1; }
tr -d '\r' <"$(console_log $name)" | grep -E 'AGENT: (bench|blk-)' | sed 's/^/  /'
n=$(tr -d '\r' <"$(console_log $name)" | grep -cE 'AGENT: bench blk_(seq_read_mbs|seq_write_mbs|randread_iops) [0-9]')
[ "$n" = 3 ] || { fail "want 3 numbers, got $n"; exit 1; }
