# Not run by make test or make bench: how far the guest's sequential disk
# I/O is from the limit (issue 12 §6), and where dom0's part goes.
# Upstream's guest reads and writes 64 MiB in 1 MiB direct I/Os (agent
# tasks blk-bench-read / -write) on a file-backed disk; between two guest
# steps dom0 does the same with dd on the loop device that serves it.
# Each line "BLK-LIMIT: round R read GUEST LIMIT write GUEST LIMIT"
# (MB/s) also carries Xen's CPU time of dom0 and of the guest over the
# guest's read (domcpu, ms).  With dom0 booted with profile=N, the
# busiest buckets of dom0's /proc/profile over the first round's guest
# read are printed as "BLK-LIMIT-PROFILE shift=..."
# (scripts/profile-symbols.py names them).  xtest.guest_extra= adds to the
# guest's command line, e.g. xen_blkfront.feature_persistent=0.
. /tests/lib/xtest.sh
name=blim
cfg=/tmp/$name.cfg
disk=/tmp/$name.img
trap 'cleanup_domain $name; rm -f $disk' EXIT
truncate -s 128M $disk
dd if=/dev/urandom of=$disk bs=1M count=64 conv=notrunc 2>/dev/null
GUEST_KERNEL=/guest/upstream/vmlinuz GUEST_INITRD=/guest/domu-bench-initrd.gz \
	write_cfg $cfg $name serve "memory = 512" "extra += kunit.enable=0" \
	"disk = ['format=raw, vdev=xvda, access=rw, target=$disk']"
xl create $cfg >/dev/null || { fail "xl create"; exit 1; }
wait_console $name 'AGENT: serving' 300 >/dev/null || { fail "guest never served"; exit 1; }
id=$(xl domid $name)
loop=$(/usr/sbin/losetup -j $disk | cut -d: -f1 | head -n 1)
[ -b "$loop" ] || { fail "no loop device for $disk"; exit 1; }

latest() {
	tr -d '\r' <"$(console_log $name)" |
		awk -v m="$1" '$2 == "bench" && $3 == m { v = $4 } END { print v }'
}
mbs() { awk -v d="$1" 'BEGIN { if (d > 0) printf "%.1f", 64000 / d }'; }

# The pool of pages for foreign mappings fills at the first requests:
# one write and one read before anything is measured.
guest_serve $name 1 blk-bench-write && guest_serve $name 2 blk-bench-read ||
	{ fail "warm-up"; exit 1; }
n=2
for r in 1 2 3; do
	[ $r = 1 ] && [ -w /proc/profile ] && echo 0 >/proc/profile
	d0=$(domcpu 0)
	g0=$(domcpu "$id")
	n=$((n + 1))
	guest_serve $name $n blk-bench-read || { fail "guest read"; exit 1; }
	d1=$(domcpu 0)
	g1=$(domcpu "$id")
	[ $r = 1 ] && [ -r /proc/profile ] &&
		echo "BLK-LIMIT-PROFILE shift=$(od -An -tu4 -N4 /proc/profile | tr -d ' ')$(
			od -An -tu4 -v /proc/profile | tr -s ' ' '\n' |
			awk 'NF && n++ > 0 && $1 > 0 { print $1, n - 2 }' |
			sort -k1,1nr | head -n 60 | awk '{ printf " %d:%d", $2, $1 }')"
	t0=$(now_ms)
	dd if="$loop" of=/dev/null bs=1M count=64 iflag=direct 2>/dev/null
	t1=$(now_ms)
	n=$((n + 1))
	guest_serve $name $n blk-bench-write || { fail "guest write"; exit 1; }
	t2=$(now_ms)
	dd if=/dev/zero of="$loop" bs=1M count=64 oflag=direct 2>/dev/null
	t3=$(now_ms)
	echo "BLK-LIMIT: round $r read $(latest blk_seq_read_mbs) $(mbs $((t1 - t0)))" \
		"write $(latest blk_seq_write_mbs) $(mbs $((t3 - t2)))" \
		"dom0_ms $(((d1 - d0) / 1000000)) guest_ms $(((g1 - g0) / 1000000))"
done
xl destroy $name
