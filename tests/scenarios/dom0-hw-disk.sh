# dom0 drives the machine's disks: a virtio-blk disk (PCI) and an AHCI
# disk, DMA through our swiotlb-xen, interrupts as PIRQs.  The harness
# filled the first 4 MiB of each image with a known pattern; we read it
# back, then write a pattern of our own at 8 MiB that the harness finds
# in the image file after QEMU exits.  Both patterns are
# "yes <text> | head -c 4M", so each side can compute the other's.
. /tests/lib/xtest.sh
ok=0
pattern() { yes "$1" | head -c 4194304; }
for d in vda:virtio sda:ahci; do
	dev=/dev/${d%%:*} kind=${d#*:}
	[ -b $dev ] || { fail "no $dev ($kind disk)"; ls /sys/block; exit 1; }
	want=$(pattern "host-wrote-$kind" | md5sum | cut -d' ' -f1)
	got=$(dd if=$dev bs=1M count=4 2>/dev/null | md5sum | cut -d' ' -f1)
	say "$kind: read $got, host wrote $want"
	[ "$got" = "$want" ] || { fail "$kind: dom0 read something else than the host wrote"; exit 1; }
	pattern "dom0-wrote-$kind" | dd of=$dev bs=1M seek=8 conv=fsync 2>/dev/null ||
		{ fail "$kind: write failed"; exit 1; }
	# Read back past the page cache: what the device holds now.
	echo 3 >/proc/sys/vm/drop_caches
	got=$(dd if=$dev bs=1M skip=8 count=4 2>/dev/null | md5sum | cut -d' ' -f1)
	want=$(pattern "dom0-wrote-$kind" | md5sum | cut -d' ' -f1)
	[ "$got" = "$want" ] || { fail "$kind: read back $got after writing $want"; exit 1; }
	say "$kind: wrote and read back $want"
	ok=$((ok + 1))
done
# Their interrupts are PIRQs, named after the devices.
grep -E 'xen-pirq|virtio|ahci' /proc/interrupts | sed 's/^/  | /'
grep -q 'ahci' /proc/interrupts || { fail "no ahci interrupt in /proc/interrupts"; exit 1; }
grep -q 'virtio' /proc/interrupts || { fail "no virtio interrupt in /proc/interrupts"; exit 1; }
sync
