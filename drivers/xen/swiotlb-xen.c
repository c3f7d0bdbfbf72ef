// SPDX-License-Identifier: GPL-2.0
/*
 * DMA for the control domain's devices.
 *
 * A device sees machine addresses, while a buffer's pages are
 * pseudo-physical: consecutive pfns are usually not consecutive frames.
 * These dma_map_ops translate each page through the P2M, and a buffer
 * the device can take as it is (its frames machine-contiguous, all below
 * the device's DMA mask) goes to the device directly; any other is
 * bounced through the generic swiotlb pool, which we made machine
 * contiguous, segment by segment and below 4 GiB, at boot
 * (XENMEM_exchange).  Coherent allocations get the same treatment: pages
 * whose frames are exchanged for a contiguous run below the coherent
 * mask, and exchanged back for ordinary frames when freed.
 *
 * A page holding another domain's grant (a backend's) has the foreign
 * frame in the P2M, so it translates like any other and a device DMAs
 * straight into the guest's memory.
 *
 * x86 DMA is cache-coherent: there is nothing to do for a buffer that is
 * not bounced beyond translating its address.
 */
#define pr_fmt(fmt) "xen-swiotlb: " fmt

#include <linux/dma-direct.h>
#include <linux/dma-map-ops.h>
#include <linux/export.h>
#include <linux/init.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/swiotlb.h>

#include <asm/dma-mapping.h>
#include <asm/iommu.h>
#include <asm/xen/page.h>
#include <xen/reservation.h>
#include <xen/swiotlb-xen.h>
#include <xen/xen.h>

/* Coherent allocations of more than this are refused (Xen's limit too). */
#define XEN_DMA_MAX_ORDER	ilog2(XEN_EXCHANGE_MAX_PAGES)

static dma_addr_t xen_phys_to_dma(phys_addr_t phys)
{
	unsigned long mfn = pfn_to_mfn(PFN_DOWN(phys));

	if (mfn == XEN_INVALID_MFN)
		return DMA_MAPPING_ERROR;
	return ((dma_addr_t)mfn << PAGE_SHIFT) | offset_in_page(phys);
}

/* Only bounce buffers (ours) need going back; others may be foreign. */
static phys_addr_t xen_dma_to_phys(dma_addr_t dma)
{
	unsigned long pfn = mfn_to_pfn(PFN_DOWN(dma));

	if (pfn == XEN_INVALID_MFN)
		return 0;
	return PFN_PHYS(pfn) | offset_in_page(dma);
}

/* Do the frames under [phys, phys + size) follow each other? */
static bool xen_machine_contiguous(phys_addr_t phys, size_t size)
{
	unsigned long pfn = PFN_DOWN(phys);
	unsigned long last = PFN_DOWN(phys + size - 1);
	unsigned long mfn = pfn_to_mfn(pfn);

	for (pfn++; pfn <= last; pfn++)
		if (pfn_to_mfn(pfn) != ++mfn)
			return false;
	return true;
}

static bool xen_dma_direct_ok(struct device *dev, phys_addr_t phys,
			      dma_addr_t dma, size_t size)
{
	return dma != DMA_MAPPING_ERROR && dma_capable(dev, dma, size, true) &&
	       xen_machine_contiguous(phys, size) && !is_swiotlb_force_bounce(dev);
}

static bool xen_is_bounce(struct device *dev, dma_addr_t dma)
{
	phys_addr_t phys = xen_dma_to_phys(dma);

	return phys && is_swiotlb_buffer(dev, phys);
}

/* ---- streaming mappings ----------------------------------------------------- */

static dma_addr_t xen_map_phys(struct device *dev, phys_addr_t phys,
			       size_t size, enum dma_data_direction dir,
			       unsigned long attrs)
{
	dma_addr_t dma = xen_phys_to_dma(phys);
	phys_addr_t tlb;

	if (xen_dma_direct_ok(dev, phys, dma, size))
		return dma;
	tlb = swiotlb_tbl_map_single(dev, phys, size, size, 0, dir, attrs);
	if (tlb == (phys_addr_t)DMA_MAPPING_ERROR)
		return DMA_MAPPING_ERROR;
	dma = xen_phys_to_dma(tlb);
	if (unlikely(!dma_capable(dev, dma, size, true))) {
		swiotlb_tbl_unmap_single(dev, tlb, size, dir,
					 attrs | DMA_ATTR_SKIP_CPU_SYNC);
		dev_warn_once(dev, "bounce buffer above the DMA mask %llx\n",
			      *dev->dma_mask);
		return DMA_MAPPING_ERROR;
	}
	return dma;
}

static dma_addr_t xen_map_page(struct device *dev, struct page *page,
			       unsigned long offset, size_t size,
			       enum dma_data_direction dir, unsigned long attrs)
{
	return xen_map_phys(dev, page_to_phys(page) + offset, size, dir, attrs);
}

static void xen_unmap_page(struct device *dev, dma_addr_t dma, size_t size,
			   enum dma_data_direction dir, unsigned long attrs)
{
	if (xen_is_bounce(dev, dma))
		swiotlb_tbl_unmap_single(dev, xen_dma_to_phys(dma), size, dir,
					 attrs);
}

static void xen_sync_for_cpu(struct device *dev, dma_addr_t dma, size_t size,
			     enum dma_data_direction dir)
{
	if (xen_is_bounce(dev, dma))
		swiotlb_sync_single_for_cpu(dev, xen_dma_to_phys(dma), size, dir);
}

static void xen_sync_for_device(struct device *dev, dma_addr_t dma,
				size_t size, enum dma_data_direction dir)
{
	if (xen_is_bounce(dev, dma))
		swiotlb_sync_single_for_device(dev, xen_dma_to_phys(dma), size,
					       dir);
}

static void xen_unmap_sg(struct device *dev, struct scatterlist *sgl,
			 int nents, enum dma_data_direction dir,
			 unsigned long attrs)
{
	struct scatterlist *sg;
	int i;

	for_each_sg(sgl, sg, nents, i)
		xen_unmap_page(dev, sg->dma_address, sg_dma_len(sg), dir, attrs);
}

static int xen_map_sg(struct device *dev, struct scatterlist *sgl, int nents,
		      enum dma_data_direction dir, unsigned long attrs)
{
	struct scatterlist *sg;
	int i;

	for_each_sg(sgl, sg, nents, i) {
		sg->dma_address = xen_map_phys(dev, sg_phys(sg), sg->length,
					       dir, attrs);
		if (sg->dma_address == DMA_MAPPING_ERROR) {
			xen_unmap_sg(dev, sgl, i, dir,
				     attrs | DMA_ATTR_SKIP_CPU_SYNC);
			sg_dma_len(sgl) = 0;
			return -EIO;
		}
		sg_dma_len(sg) = sg->length;
	}
	return nents;
}

static void xen_sync_sg_for_cpu(struct device *dev, struct scatterlist *sgl,
				int nents, enum dma_data_direction dir)
{
	struct scatterlist *sg;
	int i;

	for_each_sg(sgl, sg, nents, i)
		xen_sync_for_cpu(dev, sg->dma_address, sg->length, dir);
}

static void xen_sync_sg_for_device(struct device *dev, struct scatterlist *sgl,
				   int nents, enum dma_data_direction dir)
{
	struct scatterlist *sg;
	int i;

	for_each_sg(sgl, sg, nents, i)
		xen_sync_for_device(dev, sg->dma_address, sg->length, dir);
}

/* Device memory (a peer's BAR) is identity-mapped: its address is its own. */
static dma_addr_t xen_map_resource(struct device *dev, phys_addr_t phys,
				   size_t size, enum dma_data_direction dir,
				   unsigned long attrs)
{
	return dma_capable(dev, phys, size, false) ? phys : DMA_MAPPING_ERROR;
}

/* ---- coherent memory ------------------------------------------------------- */

static void *xen_alloc(struct device *dev, size_t size, dma_addr_t *dma,
		       gfp_t gfp, unsigned long attrs)
{
	unsigned int order = get_order(size);
	u64 mask = dev->coherent_dma_mask ?: DMA_BIT_MASK(32);
	struct page *page;
	phys_addr_t phys;
	void *vaddr;

	if (order > XEN_DMA_MAX_ORDER)
		return NULL;
	/* The frames come from Xen below the mask, not from ZONE_DMA32. */
	page = alloc_pages(gfp & ~(__GFP_DMA | __GFP_DMA32 | __GFP_HIGHMEM),
			   order);
	if (!page)
		return NULL;
	vaddr = page_address(page);
	phys = page_to_phys(page);
	*dma = xen_phys_to_dma(phys);
	if (*dma + (PAGE_SIZE << order) - 1 > mask ||
	    !xen_machine_contiguous(phys, PAGE_SIZE << order)) {
		if (xen_exchange_region(vaddr, order, fls64(mask), dma)) {
			__free_pages(page, order);
			return NULL;
		}
		SetPageXenRemapped(page);
	}
	memset(vaddr, 0, PAGE_SIZE << order);
	return vaddr;
}

static void xen_free(struct device *dev, size_t size, void *vaddr,
		     dma_addr_t dma, unsigned long attrs)
{
	unsigned int order = get_order(size);
	struct page *page = virt_to_page(vaddr);

	/* Contiguous memory below 4 GiB is scarce: hand it back. */
	if (TestClearPageXenRemapped(page) &&
	    xen_exchange_region(vaddr, order, -1, NULL)) {
		pr_warn_ratelimited("cannot give back %zu bytes of DMA memory\n",
				    size);
		return;	/* keep it rather than free frames we lost track of */
	}
	__free_pages(page, order);
}

static int xen_dma_supported(struct device *dev, u64 mask)
{
	/* The bounce pool sits below 4 GiB. */
	return mask >= DMA_BIT_MASK(32);
}

static const struct dma_map_ops xen_swiotlb_dma_ops = {
	.alloc			= xen_alloc,
	.free			= xen_free,
	.mmap			= dma_common_mmap,
	.get_sgtable		= dma_common_get_sgtable,
	.alloc_pages		= dma_common_alloc_pages,
	.free_pages		= dma_common_free_pages,
	.map_page		= xen_map_page,
	.unmap_page		= xen_unmap_page,
	.map_sg			= xen_map_sg,
	.unmap_sg		= xen_unmap_sg,
	.sync_single_for_cpu	= xen_sync_for_cpu,
	.sync_single_for_device	= xen_sync_for_device,
	.sync_sg_for_cpu	= xen_sync_sg_for_cpu,
	.sync_sg_for_device	= xen_sync_sg_for_device,
	.map_resource		= xen_map_resource,
	.dma_supported		= xen_dma_supported,
	.max_mapping_size	= swiotlb_max_mapping_size,
};

/* ---- the bounce pool ---------------------------------------------------- */

/*
 * swiotlb_init_remap()'s callback: every IO_TLB_SEGSIZE slabs of the pool
 * (the most one bounce buffer may span) become machine-contiguous below
 * 4 GiB.
 */
static int __init xen_swiotlb_fixup(void *tlb, unsigned long nslabs)
{
	unsigned long seg = IO_TLB_SEGSIZE << IO_TLB_SHIFT, done;
	unsigned int order = get_order(seg);
	dma_addr_t dma;
	int rc;

	BUILD_BUG_ON((IO_TLB_SEGSIZE << IO_TLB_SHIFT) >
		     XEN_EXCHANGE_MAX_PAGES * PAGE_SIZE);
	for (done = 0; done < nslabs << IO_TLB_SHIFT; done += seg) {
		rc = xen_exchange_region(tlb + done, order, 32, &dma);
		if (rc)
			return rc;
	}
	return 0;
}

void __init xen_swiotlb_setup(void)
{
	if (!xen_initial_domain())
		return;
	swiotlb_init_remap(true, SWIOTLB_VERBOSE, xen_swiotlb_fixup);
	/*
	 * The pool is in use: pci_iommu_init() frees the one x86 did not
	 * enable swiotlb for, and every bounce would then fail.
	 */
	x86_swiotlb_enable = true;
	dma_ops = &xen_swiotlb_dma_ops;
	pr_info("machine addresses for DMA, bounce pool below 4 GiB\n");
}
