/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Other domains' memory in the control domain.
 *
 * Two ways in:
 *
 *  - Foreign frames into a process (privcmd): the control domain may map
 *    any frame of a domain it controls.  xen_remap_foreign_frames() fills
 *    a range of a VM_PFNMAP mapping with them, one mmu_update hypercall
 *    per batch, and reports a result per frame.
 *
 *  - Grants into kernel pages (gntdev, backends): a grant is mapped at
 *    the kernel address of a page whose own frame was given back to Xen,
 *    so the mapping has a struct page behind it that the block and
 *    network stacks can use.  xen_foreign_pages_alloc() hands out such
 *    pages from a pool; once a grant is mapped into one,
 *    xen_foreign_page_set_mfn() records the foreign frame in the P2M so
 *    that DMA to the page reaches the other domain's memory.
 *
 * Both are PV-only and for the initial domain (or a driver domain).
 */
#ifndef _XEN_FOREIGN_H
#define _XEN_FOREIGN_H

#include <linux/mm_types.h>
#include <linux/types.h>
#include <xen/interface/xen.h>

struct vm_area_struct;
struct page;

/*
 * Map @nr frames of @dom at @addr onwards in @vma (of the current
 * process, VM_PFNMAP), frame i at page i; @contiguous: frames[0] + i
 * instead of frames[i].  errs[i] gets 0 or the -errno of frame i; a page
 * already mapped fails with -EBUSY and is left alone.  Returns the number
 * of frames that failed, or -errno when nothing could be tried.
 */
int xen_remap_foreign_frames(struct vm_area_struct *vma, unsigned long addr,
			     const xen_pfn_t *frames, bool contiguous,
			     unsigned int nr, int *errs, pgprot_t prot,
			     domid_t dom);

/*
 * The machine addresses of the PTEs for @nr pages of @vma from @addr,
 * page tables allocated where missing; for grant maps with
 * GNTMAP_contains_pte.  0 or -errno.
 */
int xen_user_pte_maddrs(struct vm_area_struct *vma, unsigned long addr,
			unsigned int nr, u64 *maddrs);

/*
 * Pages with no frame of ours behind them: not mapped in the direct map,
 * P2M entry invalid.  All or nothing: 0 or -ENOMEM.  Sleeps.
 */
int xen_foreign_pages_alloc(unsigned int nr, struct page **pages);
/* Back to the pool; no grant may still be mapped into any of them. */
void xen_foreign_pages_free(unsigned int nr, struct page **pages);
/* Pages the pool holds now, and how many are handed out. */
unsigned int xen_foreign_pages_pooled(void);
unsigned int xen_foreign_pages_in_use(void);

/* After a grant map into @page (@mfn from the map's dev_bus_addr)... */
void xen_foreign_page_set_mfn(struct page *page, unsigned long mfn);
/* ...and after its unmap. */
void xen_foreign_page_clear_mfn(struct page *page);

#endif /* _XEN_FOREIGN_H */
