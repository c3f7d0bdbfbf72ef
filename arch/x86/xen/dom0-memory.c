// SPDX-License-Identifier: GPL-2.0
/*
 * The memory map of the control domain.
 *
 * A domU's pseudo-physical memory is whatever the toolstack says it is.
 * The control domain drives real hardware, so its physical address space
 * must look like the machine's: firmware tables, PCI holes and device
 * memory at the addresses the hardware decodes, because ACPI, DMI and
 * drivers reach them by their machine address through ioremap().  So:
 *
 *  - the host's map (XENMEM_machine_memory_map) becomes our E820, with
 *    its RAM clipped to the frames Xen populated for us, [0, nr_pages);
 *    host RAM past that is marked unusable, never free address space for
 *    a PCI BAR;
 *  - every frame below nr_pages that the host map does not call RAM (the
 *    ISA hole, firmware areas, the PCI hole of a big dom0) gets its RAM
 *    page handed back to Xen (XENMEM_decrease_reservation) and its P2M
 *    entry made an identity entry, so mapping that pfn maps the same
 *    machine frame: the device memory that lives there.  Frames past the
 *    end of the P2M are identity too (see xen_entry_to_machine()).
 *
 * The host map comes from Xen and is trusted; it is still sorted and
 * merged by the generic E820 code before we look at it.  Released RAM is
 * not lost: it goes back to Xen's free pool, where the domain may claim it
 * again up to its reservation.
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/memblock.h>
#include <linux/minmax.h>
#include <linux/pfn.h>
#include <linux/sizes.h>
#include <asm/e820/api.h>
#include <asm/pgtable.h>
#include <asm/sections.h>

#include <asm/xen/guest.h>
#include <asm/xen/hypercall.h>
#include <asm/xen/page.h>
#include <xen/xen.h>

#include "xen-pv.h"

/* Frames released per XENMEM_decrease_reservation call. */
#define XEN_RELEASE_BATCH	256

static struct e820_entry xen_host_map[E820_MAX_ENTRIES] __initdata;

static struct {
	xen_pfn_t frames[XEN_RELEASE_BATCH];
	unsigned int nr;
	unsigned long released;
} xen_release __initdata;

static void __init xen_release_flush(void)
{
	struct xen_memory_reservation r = {
		.nr_extents = xen_release.nr,
		.extent_order = 0,
		.domid = DOMID_SELF,
	};
	int rc;

	if (!xen_release.nr)
		return;
	set_xen_guest_handle(r.extent_start, xen_release.frames);
	rc = HYPERVISOR_memory_op(XENMEM_decrease_reservation, &r);
	if (rc != xen_release.nr)
		panic("Xen: memory_op(decrease_reservation) released %d of %u frames\n",
		      rc, xen_release.nr);
	xen_release.released += xen_release.nr;
	xen_release.nr = 0;
}

/*
 * Xen's bootstrap area: the kernel image and everything Xen placed after
 * it up to the end of the initial page tables.  Never released.
 */
static bool __init xen_pfn_in_bootstrap(unsigned long pfn)
{
	unsigned long first = PFN_DOWN(__pa_symbol(_text));
	unsigned long last = PFN_DOWN(__pa(xen_start_info->pt_base)) +
			     xen_start_info->nr_pt_frames;

	return pfn >= first && pfn <= last;
}

/*
 * Xen's bootstrap tables map the low pfns from __START_KERNEL_map, and
 * the direct map goes through the same L1s.  A frame still mapped there
 * is not freed by decrease_reservation: it would stay counted as ours,
 * and the stale entry would keep the direct map of the hole on our old
 * RAM (init_mem_mapping() keeps entries that are present) instead of
 * the device memory behind it.  Unmap it before giving it back; the
 * whole local TLB goes, for both aliases.
 */
static void __init xen_boot_unmap(unsigned long pfn)
{
	unsigned long va = __START_KERNEL_map + PFN_PHYS(pfn);
	unsigned int level;
	pte_t *pte;

	if (PFN_PHYS(pfn) >= KERNEL_IMAGE_SIZE)
		return;
	pte = lookup_address(va, &level);
	if (!pte || level != PG_LEVEL_4K ||
	    !(native_pte_val(*pte) & _PAGE_PRESENT))
		return;
	xen_boot_check("update_va_mapping(unmap a host hole's frame)",
		       HYPERVISOR_update_va_mapping(va, 0, UVMF_TLB_FLUSH |
							   UVMF_LOCAL));
}

/* @pfn is not RAM on this machine: give its page back, map it 1:1. */
static void __init xen_make_identity(unsigned long pfn)
{
	unsigned long mfn = pfn_to_mfn(pfn);

	if (xen_pfn_in_bootstrap(pfn)) {
		pr_warn("Xen: host memory hole at pfn %#lx overlaps the kernel, kept as RAM\n",
			pfn);
		return;
	}
	if (mfn != XEN_INVALID_MFN && !(xen_p2m[pfn] & XEN_IDENTITY_BIT)) {
		xen_boot_unmap(pfn);
		xen_release.frames[xen_release.nr++] = mfn;
		if (xen_release.nr == XEN_RELEASE_BATCH)
			xen_release_flush();
	}
	xen_p2m[pfn] = pfn | XEN_IDENTITY_BIT;
}

/* Is all of [@pfn's page] RAM in the (sorted, merged) table? */
static bool __init xen_pfn_is_ram(unsigned long pfn)
{
	u64 start = PFN_PHYS(pfn), end = start + PAGE_SIZE;

	return e820__mapped_all(start, end, E820_TYPE_RAM);
}

/* Read the host map into e820_table, RAM clipped to what we have. */
static void __init xen_load_host_map(phys_addr_t populated)
{
	struct xen_memory_map map = { .nr_entries = ARRAY_SIZE(xen_host_map) };
	unsigned int i;

	set_xen_guest_handle(map.buffer, xen_host_map);
	xen_boot_check("memory_op(machine_memory_map)",
		       HYPERVISOR_memory_op(XENMEM_machine_memory_map, &map));
	if (map.nr_entries > ARRAY_SIZE(xen_host_map))
		map.nr_entries = ARRAY_SIZE(xen_host_map);

	e820_table->nr_entries = 0;
	for (i = 0; i < map.nr_entries; i++) {
		u64 start = xen_host_map[i].addr;
		u64 end = start + xen_host_map[i].size;
		u64 cut = clamp_t(u64, populated, start, end);

		if (end <= start)
			continue;
		if (xen_host_map[i].type != E820_TYPE_RAM) {
			e820__range_add(start, end - start, xen_host_map[i].type);
			continue;
		}
		if (cut > start)
			e820__range_add(start, cut - start, E820_TYPE_RAM);
		/* Not ours, and not free for the PCI core to hand out. */
		if (end > cut)
			e820__range_add(cut, end - cut, E820_TYPE_UNUSABLE);
	}
	/*
	 * The ISA hole is never RAM, whatever the firmware says: where two
	 * entries overlap, sorting keeps the higher type, and every type
	 * but RAM is above it.
	 */
	e820__range_add(ISA_START_ADDRESS, ISA_END_ADDRESS - ISA_START_ADDRESS,
			E820_TYPE_RESERVED);
	e820__update_table(e820_table);
}

/*
 * Where our RAM lies in the machine: a device limited to 32-bit DMA needs
 * swiotlb-xen's bounce pool for every frame at or above 4 GiB, which Xen
 * hands out first when the machine has memory up there.
 */
static void __init xen_report_frames(unsigned long nr_pages)
{
	unsigned long pfn, mfn, lo = ULONG_MAX, hi = 0, n = 0, low = 0;

	for (pfn = 0; pfn < nr_pages; pfn++) {
		if (xen_p2m[pfn] & XEN_IDENTITY_BIT)
			continue;
		mfn = pfn_to_mfn(pfn);
		if (mfn == XEN_INVALID_MFN)
			continue;
		n++;
		lo = min(lo, mfn);
		hi = max(hi, mfn);
		if (mfn < PFN_DOWN(SZ_4G))
			low++;
	}
	if (n)
		pr_info("Xen: %lu RAM frames at machine %#llx-%#llx, %lu below 4 GiB\n",
			n, (u64)PFN_PHYS(lo), (u64)PFN_PHYS(hi + 1) - 1, low);
}

char * __init xen_dom0_memory_setup(void)
{
	unsigned long nr_pages = xen_start_info->nr_pages, pfn;

	xen_load_host_map(PFN_PHYS(nr_pages));

	for (pfn = 0; pfn < nr_pages; pfn++)
		if (!xen_pfn_is_ram(pfn))
			xen_make_identity(pfn);
	xen_release_flush();

	if (xen_release.released)
		pr_info("Xen: %lu pages in holes of the host map given back (%lu KiB)\n",
			xen_release.released, xen_release.released << (PAGE_SHIFT - 10));
	xen_report_frames(nr_pages);
	return "Xen (host map)";
}
