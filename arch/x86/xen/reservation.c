// SPDX-License-Identifier: GPL-2.0
/*
 * Giving the frames behind pages back to Xen, and getting frames again.
 *
 * A page of ours is a pfn with a machine frame in the P2M, mapped in the
 * direct map, with the M2P pointing back at it.  Releasing unmaps it
 * from the direct map, invalidates its P2M entry and returns the frame
 * (XENMEM_decrease_reservation); the struct page stays, for a grant or a
 * foreign frame to be mapped at its kernel address later.  Populating
 * asks Xen for a fresh frame per pfn (XENMEM_populate_physmap) and
 * restores the three.  Both work in batches: one multicall for the
 * direct-map changes (when releasing, its last entry flushes the TLBs),
 * one memory_op for the frames.
 *
 * The foreign-page pool (drivers/xen/foreign-pages.c) is built on this;
 * so is a balloon driver.  Exchanging (XENMEM_exchange) trades a run of
 * pages' frames for a machine-contiguous one, for DMA (swiotlb-xen).
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include <asm/xen/guest.h>
#include <asm/xen/hypercall.h>
#include <asm/xen/page.h>
#include <xen/reservation.h>

#include "xen-pv.h"

/* Pages per hypercall batch. */
#define XEN_RSV_BATCH	16

static int xen_rsv_memory_op(unsigned int cmd, xen_pfn_t *frames,
			     unsigned int nr)
{
	struct xen_memory_reservation r = {
		.nr_extents = nr,
		.extent_order = 0,
		.domid = DOMID_SELF,
	};

	set_xen_guest_handle(r.extent_start, frames);
	return HYPERVISOR_memory_op(cmd, &r);
}

/* A direct-map entry for @mfn, or none. */
static u64 xen_rsv_pte(xen_pfn_t mfn)
{
	if (mfn == XEN_INVALID_MFN)
		return 0;
	return ((u64)mfn << PAGE_SHIFT) |
	       (pgprot_val(PAGE_KERNEL) & __supported_pte_mask);
}

static void xen_rsv_map_call(struct multicall_entry *c, unsigned long va,
			     xen_pfn_t mfn, unsigned long flags)
{
	c->op = __HYPERVISOR_update_va_mapping;
	c->args[0] = va;
	c->args[1] = xen_rsv_pte(mfn);
	c->args[2] = flags;
}

/* Issue @nr calls: the first failure's code, or 0. */
static int xen_rsv_multicall(struct multicall_entry *calls, unsigned int nr)
{
	unsigned int i;
	int rc;

	rc = HYPERVISOR_multicall(calls, nr);
	for (i = 0; !rc && i < nr; i++)
		if ((long)calls[i].result < 0)
			rc = calls[i].result;
	return rc;
}

/*
 * Point the direct-map entries of @pages at their frames, or at nothing;
 * @last_flags goes with the last one (a TLB flush, say).
 */
static int xen_rsv_set_direct_map(struct page **pages, unsigned int nr,
				  const xen_pfn_t *mfns,
				  unsigned long last_flags)
{
	struct multicall_entry calls[XEN_RSV_BATCH];
	unsigned int i;

	for (i = 0; i < nr; i++)
		xen_rsv_map_call(&calls[i], (unsigned long)page_address(pages[i]),
				 mfns ? mfns[i] : XEN_INVALID_MFN,
				 i == nr - 1 ? last_flags : UVMF_NONE);
	return xen_rsv_multicall(calls, nr);
}

/* Release up to @nr pages; returns how many Xen took (the first ones). */
static unsigned int xen_release_batch(struct page **pages, unsigned int nr)
{
	xen_pfn_t frames[XEN_RSV_BATCH];
	unsigned int i, got;
	int rc;

	for (i = 0; i < nr; i++)
		frames[i] = pfn_to_mfn(page_to_pfn(pages[i]));
	/*
	 * No CPU may still reach a frame once Xen has it back: the last
	 * entry flushes the TLBs of our online vCPUs (a vcpumask, as
	 * MMUEXT_TLB_FLUSH_MULTI takes), in the same multicall.  Xen does
	 * it without running them, where flush_tlb_all() would interrupt
	 * each one and wait for it.  Xen skips the flush only if that entry
	 * failed, and then nothing is released.
	 */
	if (WARN_ON(xen_rsv_set_direct_map(pages, nr, NULL,
					   UVMF_TLB_FLUSH | UVMF_MULTI |
					   (unsigned long)cpumask_bits(cpu_online_mask))))
		goto restore;
	for (i = 0; i < nr; i++)
		xen_set_p2m(page_to_pfn(pages[i]), XEN_INVALID_MFN);
	rc = xen_rsv_memory_op(XENMEM_decrease_reservation, frames, nr);
	got = clamp(rc, 0, (int)nr);
	if (got == nr)
		return nr;
	pr_warn_ratelimited("xen: decrease_reservation took %d of %u frames\n",
			    rc, nr);
	/* Xen took the first @got frames only: the rest are still ours. */
	for (i = got; i < nr; i++)
		xen_set_p2m(page_to_pfn(pages[i]), frames[i]);
	pages += got;
	memmove(frames, frames + got, (nr - got) * sizeof(frames[0]));
	nr -= got;
	i = got;
	goto restore_some;
restore:
	i = 0;
restore_some:
	WARN_ON(xen_rsv_set_direct_map(pages, nr, frames, UVMF_NONE));
	return i;
}

/*
 * Populate up to @nr pages; returns how many got a frame (the first ones).
 * Xen writes the new frames' M2P entries itself (populate_physmap, for a
 * guest whose P2M it does not keep): ours are the P2M and the direct map.
 */
static unsigned int xen_populate_batch(struct page **pages, unsigned int nr)
{
	xen_pfn_t frames[XEN_RSV_BATCH];
	unsigned int i, got;
	int rc;

	for (i = 0; i < nr; i++)
		frames[i] = page_to_pfn(pages[i]);
	rc = xen_rsv_memory_op(XENMEM_populate_physmap, frames, nr);
	got = clamp(rc, 0, (int)nr);
	if (!got)
		return 0;
	for (i = 0; i < got; i++)
		xen_set_p2m(page_to_pfn(pages[i]), frames[i]);
	rc = xen_rsv_set_direct_map(pages, got, frames, UVMF_NONE);
	WARN(rc, "xen: cannot map %u repopulated pages: %d\n", got, rc);
	return got;
}

/*
 * Both are all or nothing: on failure whatever was done is undone as far
 * as Xen lets us (a warning says when it did not) and -EBUSY / -ENOMEM
 * returned.  Process context: a batch is a few long hypercalls.
 */
int xen_release_pages(struct page **pages, unsigned int nr)
{
	unsigned int done, n, got;

	for (done = 0; done < nr; done += n) {
		n = min_t(unsigned int, nr - done, XEN_RSV_BATCH);
		got = xen_release_batch(pages + done, n);
		if (got < n) {
			done += got;
			for (n = 0; n < done; n += got) {
				got = xen_populate_batch(pages + n,
							 min_t(unsigned int, done - n,
							       XEN_RSV_BATCH));
				if (WARN_ON(!got))
					break;
			}
			return -EBUSY;
		}
	}
	return 0;
}
EXPORT_SYMBOL_GPL(xen_release_pages);

int xen_populate_pages(struct page **pages, unsigned int nr)
{
	unsigned int done, n, got;

	for (done = 0; done < nr; done += n) {
		n = min_t(unsigned int, nr - done, XEN_RSV_BATCH);
		got = xen_populate_batch(pages + done, n);
		if (got < n) {
			done += got;
			for (n = 0; n < done; n += got) {
				got = xen_release_batch(pages + n,
							min_t(unsigned int, done - n,
							      XEN_RSV_BATCH));
				if (WARN_ON(!got))
					break;
			}
			return -ENOMEM;
		}
	}
	return 0;
}
EXPORT_SYMBOL_GPL(xen_populate_pages);

/* ---- machine-contiguous regions (DMA) ------------------------------------ */

/* Frame @i of a region: of the run at mfns[0], or of the list. */
static xen_pfn_t xen_rsv_nth(const xen_pfn_t *mfns, bool contiguous,
			     unsigned int i)
{
	if (!mfns)
		return XEN_INVALID_MFN;
	return contiguous ? mfns[0] + i : mfns[i];
}

/*
 * The P2M and direct map of the @nr pages at @va onto their frames and
 * the M2P back (@mfns NULL: no frames, unmapped), in batches of
 * XEN_RSV_BATCH pages: one mmu_update, one multicall.  The last map
 * update flushes every vCPU's TLB.
 */
static int xen_rsv_update_region(unsigned long va, unsigned int nr,
				 const xen_pfn_t *mfns, bool contiguous)
{
	struct multicall_entry calls[XEN_RSV_BATCH];
	struct mmu_update m2p[XEN_RSV_BATCH];
	unsigned long pfn = PFN_DOWN(__pa(va));
	unsigned int i, n, k, done;
	int rc = 0;

	for (done = 0; done < nr && !rc; done += n) {
		n = min_t(unsigned int, nr - done, XEN_RSV_BATCH);
		for (i = 0, k = done; i < n; i++, k++) {
			xen_pfn_t mfn = xen_rsv_nth(mfns, contiguous, k);

			xen_set_p2m(pfn + k, mfn);
			m2p[i].ptr = ((u64)mfn << PAGE_SHIFT) |
				     MMU_MACHPHYS_UPDATE;
			m2p[i].val = pfn + k;
			xen_rsv_map_call(&calls[i],
					 va + ((unsigned long)k << PAGE_SHIFT),
					 mfn, k == nr - 1 ?
					 UVMF_TLB_FLUSH | UVMF_ALL : UVMF_NONE);
		}
		if (mfns)
			rc = HYPERVISOR_mmu_update(m2p, n, NULL, DOMID_SELF);
		rc = rc ?: xen_rsv_multicall(calls, n);
	}
	return rc;
}

/*
 * Trade the frames behind the 2^@order pages at @vstart (direct-mapped
 * memory of ours) for one machine-contiguous run below 2^@address_bits
 * (0: anywhere), or, with @address_bits < 0, for any frames again.
 * *@dma gets the run's machine address.  Any context.
 */
int xen_exchange_region(void *vstart, unsigned int order, int address_bits,
			dma_addr_t *dma)
{
	unsigned int i, nr = 1U << order;
	unsigned long pfn = PFN_DOWN(__pa(vstart));
	xen_pfn_t in[XEN_EXCHANGE_MAX_PAGES], out[XEN_EXCHANGE_MAX_PAGES];
	struct xen_memory_exchange ex = {
		.in = {
			.nr_extents = nr,
			.extent_order = 0,
			.domid = DOMID_SELF,
		},
		.out = {
			.domid = DOMID_SELF,
		},
	};
	bool contiguous = address_bits >= 0;
	int rc;

	if (nr > XEN_EXCHANGE_MAX_PAGES)
		return -EINVAL;
	for (i = 0; i < nr; i++) {
		in[i] = pfn_to_mfn(pfn + i);
		out[i] = pfn + i;
	}
	if (contiguous) {
		ex.out.nr_extents = 1;
		ex.out.extent_order = order;
		ex.out.mem_flags = XENMEMF_address_bits(address_bits);
	} else {
		ex.out.nr_extents = nr;
	}
	set_xen_guest_handle(ex.in.extent_start, in);
	set_xen_guest_handle(ex.out.extent_start, out);

	/* Nothing may reach the old frames once Xen has them. */
	rc = xen_rsv_update_region((unsigned long)vstart, nr, NULL, false);
	if (WARN_ON(rc)) {
		WARN_ON(xen_rsv_update_region((unsigned long)vstart, nr, in,
					      false));
		return rc;
	}
	rc = HYPERVISOR_memory_op(XENMEM_exchange, &ex);
	if (rc || ex.nr_exchanged != nr) {
		/* Xen gives all or nothing for a single output extent. */
		WARN_ON(ex.nr_exchanged);
		WARN_ON(xen_rsv_update_region((unsigned long)vstart, nr, in,
					      false));
		return rc ?: -ENOMEM;
	}
	rc = xen_rsv_update_region((unsigned long)vstart, nr, out, contiguous);
	if (!rc && dma)
		*dma = (dma_addr_t)pfn_to_mfn(pfn) << PAGE_SHIFT;
	return rc;
}
EXPORT_SYMBOL_GPL(xen_exchange_region);
