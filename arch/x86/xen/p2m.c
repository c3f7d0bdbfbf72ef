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
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/memblock.h>

#include <asm/xen/guest.h>
#include <asm/xen/hypercall.h>
#include <asm/xen/page.h>

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
