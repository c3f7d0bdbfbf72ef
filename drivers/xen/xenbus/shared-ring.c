// SPDX-License-Identifier: GPL-2.0
/*
 * Shared rings.  A frontend allocates the pages and grants them to the
 * other end; the backend maps those grants and uses them as the
 * request/response ring of a device (vbd, vif...).
 *
 * A ring of 2^order pages is allocated as separately refcounted pages so
 * that each page can be handed to gnttab_end_access() on teardown: if the
 * backend still maps one (a backend that hangs on to the ring after we
 * closed), that page stays allocated until the grant is really gone
 * instead of being reused under the backend's feet.
 *
 * A backend maps the frontend's references into one virtual area with a
 * single batched map.  The references come from the frontend: Xen checks
 * them, we only check how many there are.  An area whose unmap fails is
 * leaked with a message rather than handed back to vmalloc with a
 * foreign frame still mapped.
 */
#include <linux/export.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/vmalloc.h>
#include <xen/interface/grant_table.h>
#include <xen/grant_table.h>
#include <xen/xenbus.h>
#include <asm/xen/page.h>

#include "internal.h"

int xenbus_setup_ring(struct xenbus_device *dev, unsigned int order,
		      void **ring, grant_ref_t *refs)
{
	unsigned int nr = 1U << order, i;
	size_t size = (size_t)PAGE_SIZE << order;
	void *va;
	int ret;

	if (order > XENBUS_MAX_RING_ORDER)
		return -EINVAL;
	va = alloc_pages_exact(size, GFP_KERNEL | __GFP_ZERO);
	if (!va) {
		xenbus_dev_fatal(dev, -ENOMEM, "allocating a %u-page ring", nr);
		return -ENOMEM;
	}
	ret = gnttab_alloc_refs(refs, nr);
	if (ret) {
		free_pages_exact(va, size);
		xenbus_dev_fatal(dev, ret, "reserving %u grant references", nr);
		return ret;
	}
	for (i = 0; i < nr; i++) {
		ret = gnttab_grant_access_ref(refs[i], dev->otherend_id,
					      virt_to_mfn(va + i * PAGE_SIZE),
					      false);
		if (WARN_ON_ONCE(ret)) {
			/* Nothing is mapped yet: revoking cannot fail. */
			while (i--)
				gnttab_revoke(refs[i]);
			gnttab_free_refs(refs, nr);
			free_pages_exact(va, size);
			xenbus_dev_fatal(dev, ret, "granting the ring");
			return ret;
		}
	}
	*ring = va;
	return 0;
}
EXPORT_SYMBOL_GPL(xenbus_setup_ring);

void xenbus_teardown_ring(void **ring, unsigned int order, grant_ref_t *refs)
{
	unsigned int nr = 1U << order, i;
	char *va = *ring;

	if (!va)
		return;
	/* Each page's reference goes to the grant code, which frees it. */
	for (i = 0; i < nr; i++) {
		gnttab_end_access(refs[i], virt_to_page(va + i * PAGE_SIZE));
		refs[i] = INVALID_GRANT_REF;
	}
	*ring = NULL;
}
EXPORT_SYMBOL_GPL(xenbus_teardown_ring);

/* Unmaps the pages of @area that @ops mapped; false if any unmap failed. */
static bool xenbus_undo_ring_map(struct vm_struct *area,
				 const struct gnttab_map_grant_ref *ops,
				 unsigned int nr)
{
	struct gnttab_unmap_grant_ref uops[XENBUS_MAX_RING_PAGES];
	unsigned int i, n = 0;

	for (i = 0; i < nr; i++)
		if (ops[i].status == GNTST_okay)
			gnttab_prep_unmap(&uops[n++], area->addr + i * PAGE_SIZE,
					  ops[i].handle);
	return !n || !gnttab_unmap_grants(uops, n);
}

int xenbus_map_ring(struct xenbus_device *dev, const grant_ref_t *refs,
		    unsigned int nr, struct xenbus_mapped_ring *ring)
{
	struct gnttab_map_grant_ref ops[XENBUS_MAX_RING_PAGES];
	struct vm_struct *area;
	unsigned int i;
	int ret;

	if (!nr || nr > XENBUS_MAX_RING_PAGES)
		return -EINVAL;
	area = xen_alloc_vm_area(nr * PAGE_SIZE);
	if (!area) {
		xenbus_dev_fatal(dev, -ENOMEM, "allocating %u pages for the ring",
				 nr);
		return -ENOMEM;
	}
	for (i = 0; i < nr; i++)
		gnttab_prep_map(&ops[i], area->addr + i * PAGE_SIZE,
				GNTMAP_host_map, refs[i], dev->otherend_id);
	ret = gnttab_map_grants(ops, nr);
	if (ret == 0) {
		ring->area = area;
		ring->addr = area->addr;
		ring->nr_pages = nr;
		for (i = 0; i < nr; i++)
			ring->handles[i] = ops[i].handle;
		return 0;
	}

	for (i = 0; i < nr && ops[i].status == GNTST_okay; i++)
		;
	xenbus_dev_fatal(dev, -EINVAL, "mapping ring page %u (grant %u): status %d",
			 i, i < nr ? refs[i] : 0, i < nr ? ops[i].status : ret);
	if (ret < 0 || xenbus_undo_ring_map(area, ops, nr))
		xen_free_vm_area(area);
	else
		pr_warn_ratelimited("xenbus: cannot unmap a partly mapped ring: area leaked\n");
	return -EINVAL;
}
EXPORT_SYMBOL_GPL(xenbus_map_ring);

void xenbus_unmap_ring(struct xenbus_mapped_ring *ring)
{
	struct gnttab_unmap_grant_ref ops[XENBUS_MAX_RING_PAGES];
	unsigned int i;

	if (!ring->area)
		return;
	for (i = 0; i < ring->nr_pages; i++)
		gnttab_prep_unmap(&ops[i], ring->addr + i * PAGE_SIZE,
				  ring->handles[i]);
	if (gnttab_unmap_grants(ops, ring->nr_pages))
		pr_warn_ratelimited("xenbus: cannot unmap a %u-page ring: area leaked\n",
				    ring->nr_pages);
	else
		xen_free_vm_area(ring->area);
	ring->area = NULL;
	ring->addr = NULL;
	ring->nr_pages = 0;
}
EXPORT_SYMBOL_GPL(xenbus_unmap_ring);
