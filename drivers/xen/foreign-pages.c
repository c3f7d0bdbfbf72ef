// SPDX-License-Identifier: GPL-2.0
/*
 * A pool of pages with no frame of ours behind them, for mapping other
 * domains' grants at a kernel address that has a struct page (gntdev,
 * and the backends).
 *
 * A page enters the pool from the page allocator: its frame goes back to
 * Xen (xen_release_pages(), batched), leaving an unmapped kernel address
 * and an invalid P2M entry.  Pages handed back by their user stay in the
 * pool for the next user rather than paying the release again; the pool
 * only grows, in chunks, and the memory it holds is the domain's
 * reservation given back, not lost (a balloon driver may take it).
 *
 * Users must have unmapped every grant from a page before freeing it;
 * the pool cannot tell and would hand out a page Xen still maps.
 */
#define pr_fmt(fmt) "xen-foreign: " fmt

#include <linux/gfp.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/slab.h>

#include <xen/foreign.h>
#include <xen/reservation.h>
#include <xen/xen.h>

/* Pages released per refill beyond what was asked for. */
#define FP_REFILL	32

static DEFINE_MUTEX(fp_lock);
static LIST_HEAD(fp_pool);		/* linked through page->lru */
static unsigned int fp_nr_pooled;
static unsigned int fp_nr_in_use;

/* Under fp_lock: add @nr fresh pages to the pool. */
static int fp_refill(unsigned int nr)
{
	struct page **pages;
	unsigned int i;
	int rc = -ENOMEM;

	pages = kcalloc(nr, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return -ENOMEM;
	for (i = 0; i < nr; i++) {
		pages[i] = alloc_page(GFP_KERNEL);
		if (!pages[i])
			goto free;
	}
	rc = xen_release_pages(pages, nr);
	if (rc)
		goto free;
	for (i = 0; i < nr; i++)
		list_add(&pages[i]->lru, &fp_pool);
	fp_nr_pooled += nr;
	kfree(pages);
	return 0;
free:
	while (i--)
		__free_page(pages[i]);
	kfree(pages);
	pr_warn_ratelimited("cannot grow the pool by %u pages: %d\n", nr, rc);
	return rc;
}

int xen_foreign_pages_alloc(unsigned int nr, struct page **pages)
{
	unsigned int i;
	int rc = 0;

	if (!xen_pv_domain())
		return -ENODEV;
	mutex_lock(&fp_lock);
	if (fp_nr_pooled < nr)
		rc = fp_refill(nr - fp_nr_pooled + FP_REFILL);
	if (!rc) {
		for (i = 0; i < nr; i++) {
			pages[i] = list_first_entry(&fp_pool, struct page, lru);
			list_del(&pages[i]->lru);
		}
		fp_nr_pooled -= nr;
		fp_nr_in_use += nr;
	}
	mutex_unlock(&fp_lock);
	return rc;
}
EXPORT_SYMBOL_GPL(xen_foreign_pages_alloc);

void xen_foreign_pages_free(unsigned int nr, struct page **pages)
{
	unsigned int i;

	mutex_lock(&fp_lock);
	for (i = 0; i < nr; i++)
		list_add(&pages[i]->lru, &fp_pool);
	fp_nr_pooled += nr;
	fp_nr_in_use -= nr;
	mutex_unlock(&fp_lock);
}
EXPORT_SYMBOL_GPL(xen_foreign_pages_free);

unsigned int xen_foreign_pages_pooled(void)
{
	return READ_ONCE(fp_nr_pooled);
}
EXPORT_SYMBOL_GPL(xen_foreign_pages_pooled);

unsigned int xen_foreign_pages_in_use(void)
{
	return READ_ONCE(fp_nr_in_use);
}
EXPORT_SYMBOL_GPL(xen_foreign_pages_in_use);
