# dom0-hw-disk and dom0-hw-net again with every DMA bounced
# (swiotlb=force on dom0's command line): the disks' patterns and the
# NICs' checksummed streams go through our swiotlb-xen's bounce pool,
# machine-contiguous below 4 GiB, in both directions.  (dom0-basics
# checks that the pool outlives boot without the option.)
. /tests/lib/xtest.sh
grep -qw 'swiotlb=force' /proc/cmdline || { fail "dom0 runs without swiotlb=force"; exit 1; }
dmesg | grep -E 'software IO TLB|xen-swiotlb|PCI-DMA' | sed 's/^/  | /'
for s in dom0-hw-disk dom0-hw-net; do
	say "$s, every buffer bounced"
	sh /tests/scenarios/$s.sh || { fail "$s with swiotlb=force"; exit 1; }
done
if dmesg | grep -qiE 'swiotlb buffer is full|Out of SW-IOMMU|DMA-API: '; then
	dmesg | grep -iE 'swiotlb|DMA' | tail -5 | sed 's/^/  | /'
	fail "bounce pool errors in dom0's log"
	exit 1
fi
