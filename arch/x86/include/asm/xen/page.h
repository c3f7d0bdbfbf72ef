/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pseudo-physical <-> machine frame translation for a PV guest.
 *
 * A PV guest sees its memory as a contiguous range of pseudo-physical frames
 * (pfns) while page tables, grant and DMA operations name machine frames
 * (mfns).  The P2M table (ours, indexed by pfn) and Xen's read-only M2P
 * table (indexed by mfn, mapped at MACH2PHYS_VIRT_START) translate.
 */
#ifndef _ASM_X86_XEN_PAGE_H
#define _ASM_X86_XEN_PAGE_H

#include <linux/types.h>
#include <linux/pfn.h>
#include <linux/mm.h>
#include <linux/mm_types.h>
#include <linux/uaccess.h>
#include <asm/page.h>
#include <xen/interface/xen.h>

#define XEN_PAGE_SHIFT		12
#define XEN_PAGE_SIZE		BIT(XEN_PAGE_SHIFT)

/* A P2M slot with no machine frame behind it (ballooned out, a hole). */
#define XEN_INVALID_MFN		(~0UL)
/* Marks a P2M entry whose pfn maps the same-numbered mfn (dom0 I/O space). */
#define XEN_IDENTITY_BIT	(1UL << (BITS_PER_LONG - 2))

extern unsigned long *xen_p2m;
extern unsigned long xen_p2m_size;
extern unsigned long *xen_m2p;
extern unsigned long xen_m2p_size;

static inline unsigned long pfn_to_mfn(unsigned long pfn)
{
	unsigned long mfn;

	if (unlikely(pfn >= xen_p2m_size))
		return XEN_INVALID_MFN;
	mfn = READ_ONCE(xen_p2m[pfn]);
	if (mfn != XEN_INVALID_MFN)
		mfn &= ~XEN_IDENTITY_BIT;
	return mfn;
}

/*
 * The M2P entry of an mfn that is not ours may hold anything, so check the
 * answer against the P2M before trusting it.  Frames that are not ours
 * (foreign, I/O) translate to XEN_INVALID_MFN.
 */
static inline unsigned long mfn_to_pfn(unsigned long mfn)
{
	unsigned long pfn;

	if (unlikely(mfn >= xen_m2p_size))
		return XEN_INVALID_MFN;
	/*
	 * Holes in the M2P of a sparse host are not mapped.  Every PTE read
	 * comes through here, so the load is the bare exception-table one,
	 * not the out-of-line copy_from_kernel_nofault().
	 */
	__get_kernel_nofault(&pfn, &xen_m2p[mfn], unsigned long, hole);
	if (pfn >= xen_p2m_size || pfn_to_mfn(pfn) != mfn)
		return XEN_INVALID_MFN;
	return pfn;
hole:
	return XEN_INVALID_MFN;
}

bool xen_set_p2m(unsigned long pfn, unsigned long mfn);

static inline unsigned long virt_to_mfn(const void *va)
{
	return pfn_to_mfn(PFN_DOWN(__pa(va)));
}

static inline u64 virt_to_machine(const void *va)
{
	return ((u64)virt_to_mfn(va) << PAGE_SHIFT) |
		offset_in_page(va);
}

/* Any mapped kernel address (vmalloc, fixmap, per-CPU), by page walk. */
unsigned long xen_walk_virt_to_mfn(const void *va);

static inline u64 xen_walk_virt_to_machine(const void *va)
{
	return ((u64)xen_walk_virt_to_mfn(va) << PAGE_SHIFT) |
		offset_in_page(va);
}

static inline void *mfn_to_virt(unsigned long mfn)
{
	return __va(PFN_PHYS(mfn_to_pfn(mfn)));
}

#endif /* _ASM_X86_XEN_PAGE_H */
