// SPDX-License-Identifier: GPL-2.0
/*
 * Persistent grants.
 *
 * When both ends offer "feature-persistent" the backend keeps every grant
 * it was shown mapped until the ring goes away, so granting the pages of
 * each bio anew would pile up mappings.  Instead each queue owns a pool
 * of pages it granted once, read-write; requests carry data through them
 * (copied in before a write, copied out after a read).  The pool grows
 * on demand up to BFR_POOL_MAX pages (a request that finds it exhausted
 * waits for others to complete) and is released with the ring.  The
 * same pool bounces the data of a backend we do not trust, whether it
 * keeps its mappings or not.
 */
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <asm/xen/page.h>

#include "blkfront.h"

/* A free page of the pool, or a new one; NULL when none is to be had. */
struct bfr_pg *bfr_pool_get(struct bfr_queue *q)
{
	struct bfr_pg *pg;
	int ref;

	lockdep_assert_held(&q->lock);
	pg = list_first_entry_or_null(&q->pool, struct bfr_pg, link);
	if (pg) {
		list_del(&pg->link);
		return pg;
	}

	if (q->pool_pages >= BFR_POOL_MAX)
		return NULL;
	pg = kzalloc(sizeof(*pg), GFP_ATOMIC);
	if (!pg)
		return NULL;
	/* Granted for the ring's life: it shows only what we copy in. */
	pg->page = alloc_page(GFP_ATOMIC | __GFP_ZERO);
	if (!pg->page)
		goto free_pg;
	ref = gnttab_grant_access(q->bd->xdev->otherend_id,
				  pfn_to_mfn(page_to_pfn(pg->page)), false);
	if (ref < 0)
		goto free_page;
	pg->ref = ref;
	q->pool_pages++;
	return pg;

free_page:
	__free_page(pg->page);
free_pg:
	kfree(pg);
	return NULL;
}

void bfr_pool_put(struct bfr_queue *q, struct bfr_pg *pg)
{
	lockdep_assert_held(&q->lock);
	list_add(&pg->link, &q->pool);
}

/*
 * With the ring gone.  The backend may still map a page for a moment:
 * the grant code holds on to such a page and frees it when released.
 */
void bfr_pool_destroy(struct bfr_queue *q)
{
	struct bfr_pg *pg, *tmp;

	list_for_each_entry_safe(pg, tmp, &q->pool, link) {
		list_del(&pg->link);
		gnttab_end_access(pg->ref, pg->page);
		kfree(pg);
		q->pool_pages--;
	}
	WARN_ON(q->pool_pages);
}
