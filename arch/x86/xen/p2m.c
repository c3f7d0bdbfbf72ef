// SPDX-License-Identifier: GPL-2.0
/*
 * The P2M (pseudo-physical -> machine) and M2P tables.
 *
 * Xen hands a domain the list of its machine frames, indexed by pfn, in
 * start_info->mfn_list; it is mapped in the bootstrap area and reserved for
 * the lifetime of the kernel, so it serves directly as our P2M.  The M2P is
 * Xen's global table, mapped read-only into every PV guest; an entry for a
 * frame that is not ours may hold anything, which is why mfn_to_pfn()
 * cross-checks it with the P2M.
 *
 * The toolstack reads our P2M to save, restore or migrate us, through a
 * three-level tree of frame lists named in shared_info: the frame-list-
 * list page holds the MFNs of frame-list pages, which hold the MFNs of
 * the P2M's own pages (Xen 4.17's save code, "tree" mode, p2m_cr3 == 0).
 * A restore gives every pfn a new MFN and rewrites the P2M itself, but
 * not the tree: xen_p2m_publish() builds it again after each resume.
 */
#include <linux/gfp.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include <asm/xen/guest.h>
#include <asm/xen/hypercall.h>
#include <asm/xen/page.h>
#include <xen/xen.h>

#include "xen-pv.h"

unsigned long *xen_p2m __ro_after_init;
EXPORT_SYMBOL_GPL(xen_p2m);
unsigned long xen_p2m_size __ro_after_init;
EXPORT_SYMBOL_GPL(xen_p2m_size);
unsigned long *xen_m2p __ro_after_init =
	(unsigned long *)MACH2PHYS_VIRT_START;
EXPORT_SYMBOL_GPL(xen_m2p);
unsigned long xen_m2p_size __ro_after_init;
EXPORT_SYMBOL_GPL(xen_m2p_size);

void __init xen_p2m_init_boot(void)
{
	struct xen_machphys_mapping m2p;

	xen_p2m = (unsigned long *)xen_start_info->mfn_list;
	xen_p2m_size = xen_start_info->nr_pages;

	if (HYPERVISOR_memory_op(XENMEM_machphys_mapping, &m2p) == 0) {
		xen_m2p = (unsigned long *)m2p.v_start;
		xen_m2p_size = m2p.max_mfn + 1;
	} else {
		xen_m2p_size = (MACH2PHYS_VIRT_END - MACH2PHYS_VIRT_START) /
			       sizeof(unsigned long);
	}
}

/* Keep Xen's P2M list out of the page allocator's hands. */
void __init xen_p2m_reserve(void)
{
	memblock_reserve(__pa(xen_p2m),
			 PAGE_ALIGN(xen_p2m_size * sizeof(unsigned long)));
}

/*
 * Make room in the P2M up to @end_pfn, for RAM the balloon will populate
 * later.  Xen's list is exactly nr_pages long and sits where nothing can
 * grow: a new list from memblock replaces it, page-aligned (the save
 * code's frame lists name its pages), the new slots invalid.  Boot, once
 * the direct map exists and before the page allocator does.
 *
 * Xen's list stays reserved: it lies in the bootstrap area, whose last
 * 2 MiB the kernel map may still alias writably (cleanup_highmap() keeps
 * the large page holding _brk_end), and a page with a writable alias
 * can never become a page table.  It costs 8 bytes per populated page.
 */
void __init xen_p2m_extend(unsigned long end_pfn)
{
	unsigned long *p2m, i;

	if (end_pfn <= xen_p2m_size)
		return;
	p2m = memblock_alloc(PAGE_ALIGN(end_pfn * sizeof(*p2m)), PAGE_SIZE);
	if (!p2m) {
		pr_warn("Xen: no memory for a P2M of %lu entries: no ballooning above %lu pages\n",
			end_pfn, xen_p2m_size);
		return;
	}
	memcpy(p2m, xen_p2m, xen_p2m_size * sizeof(*p2m));
	for (i = xen_p2m_size; i < end_pfn; i++)
		p2m[i] = XEN_INVALID_MFN;
	WRITE_ONCE(xen_p2m, p2m);
	WRITE_ONCE(xen_p2m_size, end_pfn);
}

#define P2M_PER_PAGE	(PAGE_SIZE / sizeof(unsigned long))

static unsigned long *p2m_fll;		/* the frame-list-list page */
static unsigned long **p2m_fl;		/* the frame-list pages */
static unsigned int p2m_nr_fl;

/*
 * Fill the tree from the P2M as it is now and name it in shared_info.
 * Any context, nothing allocated: also runs inside the suspend's
 * stop_machine(), before anything else may read the P2M.
 */
void xen_p2m_publish(void)
{
	unsigned long nr_leaves = DIV_ROUND_UP(xen_p2m_size, P2M_PER_PAGE);
	struct arch_shared_info *arch = &HYPERVISOR_shared_info->arch;
	unsigned long i;

	if (!p2m_fll)
		return;
	for (i = 0; i < nr_leaves; i++)
		p2m_fl[i / P2M_PER_PAGE][i % P2M_PER_PAGE] =
			virt_to_mfn(xen_p2m + i * P2M_PER_PAGE);
	for (i = 0; i < p2m_nr_fl; i++)
		p2m_fll[i] = virt_to_mfn(p2m_fl[i]);

	arch->p2m_cr3 = 0;
	arch->max_pfn = xen_p2m_size;
	/* The lists are complete before the toolstack can find them. */
	wmb();
	arch->pfn_to_mfn_frame_list_list = virt_to_mfn(p2m_fll);
}

static int __init xen_p2m_tree_init(void)
{
	unsigned long nr_leaves = DIV_ROUND_UP(xen_p2m_size, P2M_PER_PAGE);
	unsigned int i;

	if (!xen_pv_domain())
		return 0;
	p2m_nr_fl = DIV_ROUND_UP(nr_leaves, P2M_PER_PAGE);
	/* Its leaves are pages of their own; one list page names them all. */
	if (offset_in_page(xen_p2m) || p2m_nr_fl > P2M_PER_PAGE) {
		pr_warn("Xen: P2M of %lu entries (offset %#lx) cannot be published: no save/restore\n",
			xen_p2m_size, offset_in_page(xen_p2m));
		return 0;
	}
	p2m_fl = kcalloc(p2m_nr_fl, sizeof(*p2m_fl), GFP_KERNEL);
	if (!p2m_fl)
		goto nomem;
	for (i = 0; i < p2m_nr_fl; i++) {
		p2m_fl[i] = (unsigned long *)get_zeroed_page(GFP_KERNEL);
		if (!p2m_fl[i])
			goto nomem;
	}
	p2m_fll = (unsigned long *)get_zeroed_page(GFP_KERNEL);
	if (!p2m_fll)
		goto nomem;
	xen_p2m_publish();
	return 0;

nomem:
	pr_warn("Xen: no memory to publish the P2M: no save/restore\n");
	return 0;	/* the pages stay allocated; this is boot */
}
arch_initcall(xen_p2m_tree_init);

bool xen_set_p2m(unsigned long pfn, unsigned long mfn)
{
	if (pfn >= xen_p2m_size)
		return mfn == XEN_INVALID_MFN;
	WRITE_ONCE(xen_p2m[pfn], mfn);
	return true;
}
EXPORT_SYMBOL_GPL(xen_set_p2m);

unsigned long xen_walk_virt_to_mfn(const void *va)
{
	unsigned int level;
	pte_t *pte = lookup_address((unsigned long)va, &level);

	if (!pte || !(native_pte_val(*pte) & _PAGE_PRESENT))
		return XEN_INVALID_MFN;
	return (native_pte_val(*pte) & PTE_PFN_MASK) >> PAGE_SHIFT;
}
EXPORT_SYMBOL_GPL(xen_walk_virt_to_mfn);
