// SPDX-License-Identifier: GPL-2.0
/*
 * Other domains' frames in our page tables (see include/xen/foreign.h).
 *
 * A foreign frame is mapped by writing a PTE that names it through
 * mmu_update with the frame's owner as "foreign domain": Xen checks that
 * we may map that domain's memory and takes a reference on the frame
 * for as long as the PTE exists.  The PTEs are collected first (page
 * tables allocated where missing) and then written one batch of up to
 * XEN_FOREIGN_BATCH per hypercall.  mmu_update stops at the first request
 * it refuses and says how many it did: that frame gets the error and the
 * batch goes on after it, so one bad frame costs one extra hypercall.
 *
 * The caller holds the mmap lock of the mm, which keeps the VMA and its
 * page tables (and so the PTE addresses we collected) in place.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include <asm/xen/guest.h>
#include <asm/xen/hypercall.h>
#include <asm/xen/page.h>
#include <xen/foreign.h>

#include "xen-pv.h"

#define XEN_FOREIGN_BATCH	256

struct xen_pte_walk {
	u64 *maddrs;
	bool *busy;
	unsigned int n;
};

static int xen_collect_pte(pte_t *pte, unsigned long addr, void *data)
{
	struct xen_pte_walk *w = data;

	w->maddrs[w->n] = virt_to_machine(pte);
	if (w->busy)
		w->busy[w->n] = !pte_none(*pte);
	w->n++;
	return 0;
}

static int xen_walk_ptes(struct vm_area_struct *vma, unsigned long addr,
			 unsigned int nr, struct xen_pte_walk *w)
{
	int rc;

	if (vma->vm_mm != current->mm || addr < vma->vm_start ||
	    addr & ~PAGE_MASK || nr > (vma->vm_end - addr) >> PAGE_SHIFT)
		return -EINVAL;
	w->n = 0;
	rc = apply_to_page_range(vma->vm_mm, addr, (unsigned long)nr << PAGE_SHIFT,
				 xen_collect_pte, w);
	if (!rc && w->n != nr)
		rc = -EFAULT;
	return rc;
}

int xen_user_pte_maddrs(struct vm_area_struct *vma, unsigned long addr,
			unsigned int nr, u64 *maddrs)
{
	struct xen_pte_walk w = { .maddrs = maddrs };

	return xen_walk_ptes(vma, addr, nr, &w);
}
EXPORT_SYMBOL_GPL(xen_user_pte_maddrs);

/*
 * Issue @nr requests; errs of the request's page (@page_of) gets the
 * error of each request Xen refuses.  Returns the number refused.
 */
static unsigned int xen_issue_updates(struct mmu_update *req,
				      const u16 *page_of, unsigned int nr,
				      int *errs, domid_t dom)
{
	unsigned int i = 0, failed = 0;

	while (i < nr) {
		unsigned int done = 0;
		int rc = HYPERVISOR_mmu_update(req + i, nr - i, &done, dom);

		if (rc >= 0)
			break;
		i += done;
		if (i >= nr)	/* refused past the end: Xen is confused */
			break;
		errs[page_of[i]] = rc;
		failed++;
		i++;
	}
	return failed;
}

/*
 * One batch of at most XEN_FOREIGN_BATCH pages at @addr: frame i is
 * frames[i], or frames[0] + i when @contiguous; errs[i] its result.
 */
static int xen_remap_batch(struct vm_area_struct *vma, unsigned long addr,
			   const xen_pfn_t *frames, bool contiguous,
			   unsigned int nr, int *errs, pteval_t flags,
			   domid_t dom, struct xen_pte_walk *w,
			   struct mmu_update *req, u16 *page_of)
{
	unsigned int i, nreq = 0, failed = 0;
	int rc;

	rc = xen_walk_ptes(vma, addr, nr, w);
	if (rc)
		return rc;
	for (i = 0; i < nr; i++) {
		xen_pfn_t frame = contiguous ? frames[0] + i : frames[i];

		errs[i] = 0;
		if (w->busy[i])
			errs[i] = -EBUSY;
		else if (frame > PTE_PFN_MASK >> PAGE_SHIFT)
			errs[i] = -EINVAL;
		if (errs[i]) {
			failed++;
			continue;
		}
		req[nreq].ptr = w->maddrs[i] | MMU_NORMAL_PT_UPDATE;
		req[nreq].val = ((u64)frame << PAGE_SHIFT) | flags;
		page_of[nreq] = i;
		nreq++;
	}
	return failed + xen_issue_updates(req, page_of, nreq, errs, dom);
}

int xen_remap_foreign_frames(struct vm_area_struct *vma, unsigned long addr,
			     const xen_pfn_t *frames, bool contiguous,
			     unsigned int nr, int *errs, pgprot_t prot,
			     domid_t dom)
{
	pteval_t flags = (pgprot_val(prot) | _PAGE_SPECIAL | _PAGE_PRESENT) &
			 __supported_pte_mask & ~PTE_PFN_MASK;
	struct xen_pte_walk w = {};
	struct mmu_update *req;
	unsigned int done, n;
	int failed = 0, rc;
	u16 *page_of;

	if (!(vma->vm_flags & VM_PFNMAP))
		return -EINVAL;
	req = kmalloc(XEN_FOREIGN_BATCH * (sizeof(*req) + sizeof(u64) +
					   sizeof(u16) + sizeof(bool)),
		      GFP_KERNEL);
	if (!req)
		return -ENOMEM;
	w.maddrs = (u64 *)(req + XEN_FOREIGN_BATCH);
	page_of = (u16 *)(w.maddrs + XEN_FOREIGN_BATCH);
	w.busy = (bool *)(page_of + XEN_FOREIGN_BATCH);

	for (done = 0; done < nr; done += n) {
		xen_pfn_t base = contiguous ? frames[0] + done : 0;

		n = min_t(unsigned int, nr - done, XEN_FOREIGN_BATCH);
		rc = xen_remap_batch(vma, addr + ((unsigned long)done << PAGE_SHIFT),
				     contiguous ? &base : frames + done,
				     contiguous, n, errs + done, flags, dom,
				     &w, req, page_of);
		if (rc < 0 && !done) {
			failed = rc;	/* nothing was tried */
			break;
		}
		if (rc < 0) {
			/* The rest of the range cannot be tried at all. */
			for (n = done; n < nr; n++)
				errs[n] = rc;
			failed += nr - done;
			break;
		}
		failed += rc;
	}
	kfree(req);
	return failed;
}
EXPORT_SYMBOL_GPL(xen_remap_foreign_frames);

void xen_foreign_page_set_mfn(struct page *page, unsigned long mfn)
{
	WARN_ON(!xen_set_p2m(page_to_pfn(page), mfn));
}
EXPORT_SYMBOL_GPL(xen_foreign_page_set_mfn);

void xen_foreign_page_clear_mfn(struct page *page)
{
	xen_set_p2m(page_to_pfn(page), XEN_INVALID_MFN);
}
EXPORT_SYMBOL_GPL(xen_foreign_page_clear_mfn);
