# dom0's RAM above 4 GiB and a NIC that can only reach the first 4 GiB
# (issue 11 §3).  The machine has 6 GiB, and Xen hands dom0 frames from
# above 4 GiB first, so nearly every page dom0 maps for DMA is out of
# reach of the two AMD PCnet NICs on one QEMU hub (pcnet32: a 32-bit DMA
# mask): swiotlb-xen must bounce every packet buffer through its pool,
# exchanged below 4 GiB at boot, and give the rings coherent memory below
# 4 GiB too.  16 MiB of random bytes over TCP between the two, across
# network namespaces, must arrive intact (dom0-hw-net's transfer).  A
# buffer handed to the NIC unbounced would be read from or written to
# the address truncated to 32 bits: other memory.
. /tests/lib/xtest.sh
line=$(dmesg | grep -m 1 'RAM frames at machine')
[ -n "$line" ] || { fail "no 'RAM frames at machine' line in dom0's log"; exit 1; }
say "${line#*] }"
n=$(echo "$line" | sed -n 's/.*Xen: \([0-9]*\) RAM frames.*/\1/p')
low=$(echo "$line" | sed -n 's/.*, \([0-9]*\) below 4 GiB.*/\1/p')
[ -n "$n" ] && [ -n "$low" ] || { fail "cannot read the frame counts"; exit 1; }
if [ $((low * 10)) -gt "$n" ]; then
	fail "$low of dom0's $n frames lie below 4 GiB: nothing for a 32-bit device to bounce"
	exit 1
fi
k=0
for d in /sys/bus/pci/drivers/pcnet32/0000:*; do
	[ -e "$d" ] || continue
	k=$((k + 1))
	bits=$(cat "$d/dma_mask_bits")
	say "pcnet32 ${d##*/}: DMA mask $bits bits"
	[ "$bits" = 32 ] || { fail "${d##*/}: a $bits-bit DMA mask, not 32"; exit 1; }
done
[ $k -ge 2 ] || { fail "want 2 pcnet32 NICs, have $k"; exit 1; }
HW_NET_DRIVERS=pcnet32 sh /tests/scenarios/dom0-hw-net.sh || exit 1
if dmesg | grep -qiE 'swiotlb buffer is full|Out of SW-IOMMU|DMA-API: |pcnet32.*(error|timed out)'; then
	dmesg | grep -iE 'swiotlb|DMA|pcnet' | tail -5 | sed 's/^/  | /'
	fail "DMA errors in dom0's log"
	exit 1
fi
