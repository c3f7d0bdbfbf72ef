// SPDX-License-Identifier: GPL-2.0
/*
 * Whether the block layer may merge two bio segments.
 *
 * Pages that are neighbours in our pseudo-physical space are usually not
 * neighbours in machine memory, and a device (or a backend in another
 * domain) sees machine addresses.  Two segments may only become one if the
 * machine frames line up too.
 */
#include <linux/bio.h>
#include <linux/export.h>
#include <linux/io.h>

#include <asm/xen/page.h>
#include <xen/xen.h>

bool xen_biovec_phys_mergeable(const struct bio_vec *prev,
			       const struct page *next)
{
	phys_addr_t last = page_to_phys(prev->bv_page) + prev->bv_offset +
			   prev->bv_len - 1;
	unsigned long prev_mfn = pfn_to_mfn(PHYS_PFN(last));
	unsigned long next_mfn = pfn_to_mfn(page_to_pfn(next));

	if (prev_mfn == XEN_INVALID_MFN || next_mfn == XEN_INVALID_MFN)
		return false;
	return prev_mfn == next_mfn || prev_mfn + 1 == next_mfn;
}
EXPORT_SYMBOL(xen_biovec_phys_mergeable);
