// SPDX-License-Identifier: GPL-2.0
/*
 * Shared rings for frontends: pages we allocate and grant to the other
 * end, which maps them and uses them as the request/response ring of a
 * device (vbd, vif...).
 *
 * A ring of 2^order pages is allocated as separately refcounted pages so
 * that each page can be handed to gnttab_end_access() on teardown: if the
 * backend still maps one (a backend that hangs on to the ring after we
 * closed), that page stays allocated until the grant is really gone
 * instead of being reused under the backend's feet.
 */
#include <linux/export.h>
#include <linux/gfp.h>
#include <linux/mm.h>
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
