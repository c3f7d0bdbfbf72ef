// SPDX-License-Identifier: GPL-2.0
/*
 * Moving from Xen's bootstrap page tables onto the kernel's own.
 *
 * Xen starts us on an L4 at start_info->pt_base that maps the kernel image
 * and the bootstrap area (P2M list, start_info, the tables themselves)
 * from __START_KERNEL_map with 4K pages, all under one L2.  Linux wants
 * init_top_pgt with the kernel image at __START_KERNEL_map (through
 * level3_kernel_pgt/level2_kernel_pgt), the fixmap (level2_fixmap_pgt) and
 * a direct map of all memory at PAGE_OFFSET.
 *
 * Pfn N is mapped at __START_KERNEL_map + N pages by Xen and belongs at
 * PAGE_OFFSET + N pages in the direct map, so the same L2 contents -- the
 * same L1 pages -- serve both: we copy Xen's L2 into level2_kernel_pgt and
 * into a direct-map L2, which gives an initial direct map of everything
 * Xen mapped.  init_mem_mapping() then extends the direct map as on bare
 * metal, through the PV MMU hooks.  A side effect we rely on: a frame of
 * the kernel image has one L1 entry for both of its addresses, so making
 * it read-only once covers both.
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/memblock.h>
#include <asm/fixmap.h>
#include <asm/pgtable.h>
#include <asm/sections.h>
#include <asm/setup.h>

#include <asm/xen/guest.h>
#include <asm/xen/hypercall.h>
#include <asm/xen/page.h>

#include "xen-pv.h"

static pud_t xen_dmap_l3[PTRS_PER_PUD] __page_aligned_bss;
static pmd_t xen_dmap_l2[PTRS_PER_PMD] __page_aligned_bss;

/* Before the switch, and for image frames after it, by kernel-map address. */
static void * __init xen_boot_va(unsigned long pfn)
{
	return (void *)(__START_KERNEL_map + PFN_PHYS(pfn));
}

static void * __init xen_boot_table(u64 entry)
{
	unsigned long mfn = (entry & PTE_PFN_MASK) >> PAGE_SHIFT;

	return xen_boot_va(mfn_to_pfn(mfn));
}

static unsigned long __init xen_image_mfn(const void *kva)
{
	return pfn_to_mfn(__pa_symbol(kva) >> PAGE_SHIFT);
}

static u64 __init xen_link_to(const void *table, pteval_t flags)
{
	return ((u64)xen_image_mfn(table) << PAGE_SHIFT) | flags;
}

/* Rewrite the link-time (pseudo-physical) links of a static table. */
static void __init xen_relocate_links(u64 *table)
{
	unsigned int i;

	for (i = 0; i < PTRS_PER_PTE; i++) {
		unsigned long pfn = (table[i] & PTE_PFN_MASK) >> PAGE_SHIFT;

		if (table[i] & _PAGE_PRESENT)
			table[i] = (table[i] & ~PTE_PFN_MASK) |
				   ((u64)pfn_to_mfn(pfn) << PAGE_SHIFT);
	}
}

static void __init xen_boot_set_access(const void *kva, bool writable)
{
	unsigned long pfn = ((unsigned long)kva - __START_KERNEL_map) >>
			    PAGE_SHIFT;
	u64 pte = ((u64)pfn_to_mfn(pfn) << PAGE_SHIFT) | _PAGE_PRESENT |
		  _PAGE_ACCESSED;

	if (writable)
		pte |= _PAGE_RW | _PAGE_DIRTY;
	xen_boot_check("update_va_mapping",
		       HYPERVISOR_update_va_mapping((unsigned long)kva, pte,
						    UVMF_INVLPG));
}

static void __init xen_boot_mmuext(unsigned int cmd, unsigned long mfn,
				   const char *what)
{
	struct mmuext_op op = { .cmd = cmd, .arg1.mfn = mfn };

	xen_boot_check(what, HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF));
}

void __init xen_pv_adopt_pagetables(void)
{
	pgd_t *xen_l4 = (pgd_t *)xen_start_info->pt_base;
	pud_t *xen_l3 = xen_boot_table(xen_l4[pgd_index(__START_KERNEL_map)].pgd);
	pmd_t *xen_l2 = xen_boot_table(xen_l3[pud_index(__START_KERNEL_map)].pud);
	const unsigned int image_pmds = KERNEL_IMAGE_SIZE / PMD_SIZE;
	unsigned int i;

	for (i = image_pmds; i < PTRS_PER_PMD; i++)
		if (xen_l2[i].pmd)
			panic("Xen: bootstrap mapping larger than %lu MiB\n",
			      (unsigned long)KERNEL_IMAGE_SIZE >> 20);

	memset(level2_kernel_pgt, 0, PAGE_SIZE);
	memcpy(level2_kernel_pgt, xen_l2, image_pmds * sizeof(pmd_t));
	memcpy(xen_dmap_l2, xen_l2, image_pmds * sizeof(pmd_t));
	xen_dmap_l3[0].pud = xen_link_to(xen_dmap_l2, _KERNPG_TABLE);

	xen_relocate_links((u64 *)level3_kernel_pgt);
	xen_relocate_links((u64 *)level2_fixmap_pgt);

	memset(init_top_pgt, 0, PAGE_SIZE);
	init_top_pgt[pgd_index(__PAGE_OFFSET)].pgd =
		xen_link_to(xen_dmap_l3, _KERNPG_TABLE);
	init_top_pgt[pgd_index(__START_KERNEL_map)].pgd =
		xen_link_to(level3_kernel_pgt, _PAGE_TABLE);

	/* Page-table pages must be read-only before Xen will use them. */
	xen_boot_set_access(init_top_pgt, false);
	xen_boot_set_access(level3_kernel_pgt, false);
	xen_boot_set_access(level2_kernel_pgt, false);
	xen_boot_set_access(level2_fixmap_pgt, false);
	for (i = 0; i < FIXMAP_PMD_NUM; i++)
		xen_boot_set_access(&level1_fixmap_pgt[i * PTRS_PER_PTE], false);
	xen_boot_set_access(xen_dmap_l3, false);
	xen_boot_set_access(xen_dmap_l2, false);

	xen_boot_mmuext(MMUEXT_PIN_L4_TABLE, xen_image_mfn(init_top_pgt),
			"mmuext_op(pin init_top_pgt)");
	xen_boot_mmuext(MMUEXT_NEW_BASEPTR, xen_image_mfn(init_top_pgt),
			"mmuext_op(new_baseptr)");
	this_cpu_write(xen_cr3, __pa_symbol(init_top_pgt));

	/*
	 * cleanup_highmap() will unmap the kernel map beyond the image, where
	 * Xen put start_info and the P2M list: use their direct-map aliases.
	 */
	xen_start_info = __va(__pa(xen_start_info));
	xen_p2m = __va(__pa(xen_p2m));

	/* Xen's L4, L3 and L2 are unused now; their L1s stay ours. */
	xen_boot_mmuext(MMUEXT_UNPIN_TABLE,
			xen_image_mfn(xen_l4), "mmuext_op(unpin bootstrap)");
	xen_boot_set_access(xen_l4, true);
	xen_boot_set_access(xen_l3, true);
	xen_boot_set_access(xen_l2, true);
}

/*
 * Keep everything Xen put after the kernel image out of the allocator:
 * the P2M list, start_info, the xenstore and console rings of a domU, the
 * bootstrap page tables (whose L1s still map the kernel) and the boot stack
 * right after them.
 */
void __init xen_pv_reserve_bootstrap(void)
{
	phys_addr_t start = PFN_PHYS(PFN_UP(__pa_symbol(_end)));
	phys_addr_t end = __pa(xen_start_info->pt_base) +
			  PFN_PHYS(xen_start_info->nr_pt_frames + 1);

	memblock_reserve(start, end - start);
	memblock_reserve(__pa(xen_start_info), PAGE_SIZE);
	xen_p2m_reserve();
}

/* Mark the kernel's own tables as pinned now that struct pages exist. */
void __init xen_pv_track_kernel_tables(void)
{
	unsigned int i, j, k;

	SetPagePinned(virt_to_page(init_top_pgt));
	for (i = pgd_index(__PAGE_OFFSET); i < PTRS_PER_PGD; i++) {
		u64 *pud = xen_lower_table(native_pgd_val(init_top_pgt[i]));

		if (!pud)
			continue;
		SetPagePinned(virt_to_page(pud));
		for (j = 0; j < PTRS_PER_PUD; j++) {
			u64 *pmd = xen_lower_table(pud[j]);

			if (!pmd)
				continue;
			SetPagePinned(virt_to_page(pmd));
			for (k = 0; k < PTRS_PER_PMD; k++) {
				void *pte = xen_lower_table(pmd[k]);

				if (pte)
					SetPagePinned(virt_to_page(pte));
			}
		}
	}
	xen_pt_pages_tracked = true;
}

void __init xen_pv_map_shared_info(void)
{
	set_fixmap(FIX_PARAVIRT_BOOTMAP, xen_start_info->shared_info);
	HYPERVISOR_shared_info =
		(struct shared_info *)fix_to_virt(FIX_PARAVIRT_BOOTMAP);
	HYPERVISOR_shared_info->vcpu_info[0].evtchn_upcall_mask = 1;
	per_cpu(xen_vcpu, 0) = &HYPERVISOR_shared_info->vcpu_info[0];
}
