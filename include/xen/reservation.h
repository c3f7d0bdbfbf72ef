/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Frames of our own pages, given back to Xen and taken again
 * (arch/x86/xen/reservation.c).
 *
 * xen_release_pages(): each page's frame goes back to Xen; the page is
 * left with no direct mapping and an invalid P2M entry.  The caller owns
 * the pages (they came from the page allocator and are not in use).
 * xen_populate_pages(): the reverse, a fresh frame for each.  Both batch
 * their hypercalls, are all or nothing (-EBUSY / -ENOMEM) and sleep.
 */
#ifndef _XEN_RESERVATION_H
#define _XEN_RESERVATION_H

#include <linux/types.h>

struct page;

int xen_release_pages(struct page **pages, unsigned int nr);
int xen_populate_pages(struct page **pages, unsigned int nr);

/*
 * RAM the boot memory map gave us room for but Xen did not populate
 * (a guest with maxmem above memory): the i-th range of pfns, which the
 * balloon owns from boot as ballooned out.  False past the last one.
 */
bool xen_boot_extra_ram(unsigned int i, unsigned long *start_pfn,
			unsigned long *end_pfn);

/*
 * DMA: give the frames behind 2^order direct-mapped pages for one
 * machine-contiguous run below 2^address_bits (0: anywhere), its machine
 * address in *dma; address_bits < 0 gives them back for any frames.
 * Any context; at most XEN_EXCHANGE_MAX_PAGES pages.
 */
#define XEN_EXCHANGE_MAX_PAGES	64
int xen_exchange_region(void *vstart, unsigned int order, int address_bits,
			dma_addr_t *dma);

#endif /* _XEN_RESERVATION_H */
