// SPDX-License-Identifier: GPL-2.0
/*
 * Grant tables, version 1, for an x86-64 PV guest.
 *
 * Our grant table is an array of 8-byte entries in frames that Xen owns.
 * GNTTABOP_setup_table grows it (up to the limit GNTTABOP_query_size
 * reports) and returns the machine frames; we map them, in order, into one
 * virtual area reserved for the largest table up front, so that growing
 * never moves the entries and can be done in atomic context.
 *
 * Free references are kept on a list threaded through an array indexed by
 * reference.  A reference whose grant cannot be revoked yet because the
 * other end still maps the frame is "parked" and a delayed work retries
 * the revoke until it succeeds; only then does the reference (and, if we
 * were given it, the page) go back.
 *
 * Initialised at core_initcall, so no arch hook is needed: drivers that
 * grant memory (xenbus and its frontends) start later.
 */

#define pr_fmt(fmt) "xen-grant: " fmt

#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>

#include <asm/pgtable.h>
#include <asm/xen/hypercall.h>
#include <asm/xen/page.h>

#include <xen/grant_table.h>
#include <xen/xen.h>

#define GT_PER_FRAME	(XEN_PAGE_SIZE / sizeof(struct grant_entry_v1))
/* Our own bound on the table, whatever Xen allows: 128k references. */
#define GT_FRAMES_CAP	256U
/* Operations handed to Xen in one grant-table hypercall. */
#define GT_BATCH	256U

/* Markers in gt_next[]: end of the free list, and "not on it". */
#define GT_END		((grant_ref_t)~0U)
#define GT_TAKEN	((grant_ref_t)~1U)

/* Retry parked revokes every second; complain after a minute. */
#define GT_RETRY_DELAY	HZ
#define GT_RETRY_WARN	60

struct gt_parked {
	struct list_head node;
	grant_ref_t ref;
	struct page *page;
	unsigned int tries;
};

static DEFINE_SPINLOCK(gt_lock);
static struct vm_struct *gt_area;
static struct grant_entry_v1 *gt_entries;
static xen_pfn_t *gt_frames;		/* setup_table's answer */
static unsigned int gt_nr_frames;	/* frames mapped; only grows */
static unsigned int gt_max_frames;
static grant_ref_t *gt_next;		/* free-list links, per reference */
static grant_ref_t gt_free_head = GT_END;
static unsigned int gt_nr_free;
static unsigned int gt_nr_parked;
static LIST_HEAD(gt_parked_list);
static LIST_HEAD(gt_waiters);

static void gt_retry_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(gt_retry_work, gt_retry_fn);

static bool gt_ref_valid(grant_ref_t ref)
{
	return ref >= GNTTAB_NR_RESERVED_ENTRIES &&
	       ref < READ_ONCE(gt_nr_frames) * GT_PER_FRAME;
}

/* ---------------------------------------------------- foreign mappings */

static int gt_populate_pte(pte_t *pte, unsigned long addr, void *data)
{
	/* Nothing to do: walking the range allocated the page tables. */
	return 0;
}

struct vm_struct *xen_alloc_vm_area(size_t size)
{
	struct vm_struct *area;

	size = PAGE_ALIGN(size);
	area = get_vm_area(size, VM_IOREMAP);
	if (!area)
		return NULL;
	/*
	 * Xen writes grant mappings straight into our L1 tables, so they
	 * must exist before the range is handed to it.
	 */
	if (apply_to_page_range(&init_mm, (unsigned long)area->addr, size,
				gt_populate_pte, NULL)) {
		free_vm_area(area);
		return NULL;
	}
	return area;
}
EXPORT_SYMBOL_GPL(xen_alloc_vm_area);

void xen_free_vm_area(struct vm_struct *area)
{
	free_vm_area(area);
}
EXPORT_SYMBOL_GPL(xen_free_vm_area);

int xen_map_foreign_frames(void *va, const xen_pfn_t *mfns, unsigned int nr)
{
	const u64 prot = _PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED |
			 _PAGE_DIRTY | (_PAGE_NX & __supported_pte_mask);
	unsigned long addr = (unsigned long)va;
	unsigned int i;
	int rc;

	/*
	 * These frames are not in our P2M, so set_pte() with a pfn cannot
	 * express them: give Xen the machine PTE directly.
	 */
	for (i = 0; i < nr; i++, addr += PAGE_SIZE) {
		if (mfns[i] >> (__PHYSICAL_MASK_SHIFT - PAGE_SHIFT))
			return -EINVAL;
		rc = HYPERVISOR_update_va_mapping(addr,
						  ((u64)mfns[i] << PAGE_SHIFT) |
						  prot, UVMF_INVLPG | UVMF_ALL);
		if (rc)
			return rc;
	}
	return 0;
}
EXPORT_SYMBOL_GPL(xen_map_foreign_frames);

/* ---------------------------------------------------- the table itself */

static void gt_push_locked(grant_ref_t ref)
{
	gt_next[ref] = gt_free_head;
	gt_free_head = ref;
	gt_nr_free++;
}

static grant_ref_t gt_pop_locked(void)
{
	grant_ref_t ref = gt_free_head;

	gt_free_head = gt_next[ref];
	gt_next[ref] = GT_TAKEN;
	gt_nr_free--;
	return ref;
}

/* Ask Xen for @extra more frames, map them and free their entries. */
static int gt_grow_locked(unsigned int extra)
{
	struct gnttab_setup_table setup = { .dom = DOMID_SELF };
	unsigned int old = gt_nr_frames;
	unsigned int new = min(old + extra, gt_max_frames);
	grant_ref_t ref, first;
	int rc;

	if (new <= old)
		return -ENOSPC;

	setup.nr_frames = new;
	set_xen_guest_handle(setup.frame_list, gt_frames);
	rc = HYPERVISOR_grant_table_op(GNTTABOP_setup_table, &setup, 1);
	if (rc || setup.status != GNTST_okay) {
		pr_warn("setup_table(%u frames) failed: rc %d status %d\n",
			new, rc, setup.status);
		return -ENOSPC;
	}

	rc = xen_map_foreign_frames((char *)gt_entries + old * PAGE_SIZE,
				    gt_frames + old, new - old);
	if (rc) {
		pr_warn("mapping grant frames %u-%u failed: %d\n",
			old, new - 1, rc);
		return -ENOSPC;
	}
	WRITE_ONCE(gt_nr_frames, new);

	/* Push from the top so that low references are handed out first. */
	first = max_t(grant_ref_t, old * GT_PER_FRAME,
		      GNTTAB_NR_RESERVED_ENTRIES);
	for (ref = new * GT_PER_FRAME; ref-- > first;)
		gt_push_locked(ref);
	return 0;
}

static int gt_take(grant_ref_t *refs, unsigned int n)
{
	unsigned long flags;
	unsigned int i;

	/* Don't grow the table for a request it can never satisfy. */
	if (n > gt_max_frames * GT_PER_FRAME - GNTTAB_NR_RESERVED_ENTRIES)
		return -ENOSPC;

	spin_lock_irqsave(&gt_lock, flags);
	while (gt_nr_free < n) {
		unsigned int short_by = n - gt_nr_free;

		if (gt_grow_locked(DIV_ROUND_UP(short_by, GT_PER_FRAME))) {
			spin_unlock_irqrestore(&gt_lock, flags);
			return -ENOSPC;
		}
	}
	for (i = 0; i < n; i++)
		refs[i] = gt_pop_locked();
	spin_unlock_irqrestore(&gt_lock, flags);
	return 0;
}

/* Hand waiters their turn, first come first served, outside the lock. */
static void gt_serve_waiters(void)
{
	struct gnttab_waiter *w;
	unsigned long flags;

	for (;;) {
		spin_lock_irqsave(&gt_lock, flags);
		w = list_first_entry_or_null(&gt_waiters, struct gnttab_waiter,
					     node);
		if (!w || gt_nr_free < w->want) {
			spin_unlock_irqrestore(&gt_lock, flags);
			return;
		}
		list_del_init(&w->node);
		w->queued = false;
		spin_unlock_irqrestore(&gt_lock, flags);
		w->notify(w);
	}
}

static void gt_give_back(const grant_ref_t *refs, unsigned int n)
{
	unsigned long flags;
	unsigned int i;

	spin_lock_irqsave(&gt_lock, flags);
	for (i = 0; i < n; i++) {
		if (WARN_ONCE(!gt_ref_valid(refs[i]) ||
			      gt_next[refs[i]] != GT_TAKEN,
			      "freeing grant reference %u that is not in use\n",
			      refs[i]))
			continue;
		gt_push_locked(refs[i]);
	}
	spin_unlock_irqrestore(&gt_lock, flags);
	gt_serve_waiters();
}

static void gt_fill(grant_ref_t ref, domid_t domid, unsigned long mfn,
		    bool readonly)
{
	struct grant_entry_v1 *e = &gt_entries[ref];

	e->frame = mfn;
	e->domid = domid;
	/* Xen may use the entry as soon as flags say so: frame first. */
	virt_wmb();
	WRITE_ONCE(e->flags, GTF_permit_access | (readonly ? GTF_readonly : 0));
}

/*
 * The v1 revoke: clear flags only if Xen has not marked the entry as in
 * use.  Xen sets GTF_reading/GTF_writing with its own cmpxchg when the
 * other end maps, so a plain store could race with a new mapping.
 */
static bool gt_try_clear(grant_ref_t ref)
{
	u16 *flagp = &gt_entries[ref].flags;
	u16 flags = READ_ONCE(*flagp);

	/* On failure try_cmpxchg() refreshes @flags with what it found. */
	while (!(flags & (GTF_reading | GTF_writing))) {
		if (try_cmpxchg(flagp, &flags, 0))
			return true;
	}
	return false;
}

/* ---------------------------------------------------- parked references */

/*
 * Queue @ref (and @page, whose reference the list then owns) for the
 * retry work; the caller schedules it.  Under gt_lock, hence GFP_ATOMIC.
 */
static void gt_park_locked(grant_ref_t ref, struct page *page)
{
	struct gt_parked *p = kmalloc(sizeof(*p), GFP_ATOMIC);

	if (!p) {
		/* Never reuse a mapped reference: losing it is the safe side. */
		pr_warn_ratelimited("no memory to track busy grant %u: leaking it\n",
				    ref);
		return;
	}
	p->ref = ref;
	p->page = page;
	p->tries = 0;
	list_add_tail(&p->node, &gt_parked_list);
	gt_nr_parked++;
}

static void gt_park(grant_ref_t ref, struct page *page)
{
	unsigned long flags;

	spin_lock_irqsave(&gt_lock, flags);
	gt_park_locked(ref, page);
	spin_unlock_irqrestore(&gt_lock, flags);
	schedule_delayed_work(&gt_retry_work, GT_RETRY_DELAY);
}

unsigned int gnttab_retry_deferred(void)
{
	struct gt_parked *p, *tmp;
	LIST_HEAD(done);
	unsigned long flags;
	unsigned int left;

	spin_lock_irqsave(&gt_lock, flags);
	list_for_each_entry_safe(p, tmp, &gt_parked_list, node) {
		if (!gt_try_clear(p->ref)) {
			if (++p->tries == GT_RETRY_WARN)
				pr_warn("grant %u still mapped by domain %u\n",
					p->ref,
					READ_ONCE(gt_entries[p->ref].domid));
			continue;
		}
		list_move_tail(&p->node, &done);
		gt_nr_parked--;
		gt_push_locked(p->ref);
	}
	left = gt_nr_parked;
	spin_unlock_irqrestore(&gt_lock, flags);

	list_for_each_entry_safe(p, tmp, &done, node) {
		if (p->page)
			put_page(p->page);
		kfree(p);
	}
	if (!list_empty(&done))
		gt_serve_waiters();
	return left;
}

static void gt_retry_fn(struct work_struct *work)
{
	if (gnttab_retry_deferred())
		schedule_delayed_work(&gt_retry_work, GT_RETRY_DELAY);
}

/* ---------------------------------------------------- the API */

int gnttab_grant_access(domid_t domid, unsigned long mfn, bool readonly)
{
	grant_ref_t ref;

	if (mfn > U32_MAX)
		return -EINVAL;
	if (gt_take(&ref, 1))
		return -ENOSPC;
	gt_fill(ref, domid, mfn, readonly);
	return ref;
}
EXPORT_SYMBOL_GPL(gnttab_grant_access);

int gnttab_grant_access_ref(grant_ref_t ref, domid_t domid,
			    unsigned long mfn, bool readonly)
{
	if (WARN_ON_ONCE(!gt_ref_valid(ref)) || mfn > U32_MAX)
		return -EINVAL;
	gt_fill(ref, domid, mfn, readonly);
	return 0;
}
EXPORT_SYMBOL_GPL(gnttab_grant_access_ref);

int gnttab_grant_abi_entry(grant_ref_t ref, domid_t domid,
			   unsigned long mfn, bool readonly)
{
	if (ref >= GNTTAB_NR_RESERVED_ENTRIES || mfn > U32_MAX)
		return -EINVAL;
	gt_fill(ref, domid, mfn, readonly);
	return 0;
}
EXPORT_SYMBOL_GPL(gnttab_grant_abi_entry);

bool gnttab_revoke(grant_ref_t ref)
{
	if (WARN_ON_ONCE(!gt_ref_valid(ref)))
		return false;
	return gt_try_clear(ref);
}
EXPORT_SYMBOL_GPL(gnttab_revoke);

bool gnttab_in_use(grant_ref_t ref)
{
	if (WARN_ON_ONCE(!gt_ref_valid(ref)))
		return false;
	return READ_ONCE(gt_entries[ref].flags) & (GTF_reading | GTF_writing);
}
EXPORT_SYMBOL_GPL(gnttab_in_use);

bool gnttab_end_access(grant_ref_t ref, struct page *page)
{
	/* A bad reference: keep the page, it may still be granted. */
	if (WARN_ON_ONCE(!gt_ref_valid(ref)))
		return false;

	if (!gt_try_clear(ref)) {
		gt_park(ref, page);
		return false;
	}
	gt_give_back(&ref, 1);
	if (page)
		put_page(page);
	return true;
}
EXPORT_SYMBOL_GPL(gnttab_end_access);

unsigned int gnttab_end_access_batch(const grant_ref_t *refs,
				     struct page *const *pages, unsigned int n)
{
	unsigned int i, freed = 0, parked = 0;
	unsigned long flags;
	grant_ref_t ref;

	spin_lock_irqsave(&gt_lock, flags);
	for (i = 0; i < n; i++) {
		ref = refs[i];
		if (WARN_ONCE(!gt_ref_valid(ref) || gt_next[ref] != GT_TAKEN,
			      "ending grant reference %u that is not in use\n",
			      ref))
			continue;
		if (gt_try_clear(ref)) {
			gt_push_locked(ref);
			freed++;
			continue;
		}
		/* The page stays granted: the parked entry holds it. */
		if (pages && pages[i])
			get_page(pages[i]);
		gt_park_locked(ref, pages ? pages[i] : NULL);
		parked++;
	}
	spin_unlock_irqrestore(&gt_lock, flags);

	if (parked)
		schedule_delayed_work(&gt_retry_work, GT_RETRY_DELAY);
	if (freed)
		gt_serve_waiters();
	return parked;
}
EXPORT_SYMBOL_GPL(gnttab_end_access_batch);

int gnttab_alloc_refs(grant_ref_t *refs, unsigned int n)
{
	return gt_take(refs, n);
}
EXPORT_SYMBOL_GPL(gnttab_alloc_refs);

void gnttab_free_refs(const grant_ref_t *refs, unsigned int n)
{
	gt_give_back(refs, n);
}
EXPORT_SYMBOL_GPL(gnttab_free_refs);

void gnttab_wait_for_refs(struct gnttab_waiter *waiter)
{
	unsigned long flags;

	spin_lock_irqsave(&gt_lock, flags);
	if (!waiter->queued) {
		list_add_tail(&waiter->node, &gt_waiters);
		waiter->queued = true;
	}
	spin_unlock_irqrestore(&gt_lock, flags);
	/* Enough may have been freed before we queued. */
	gt_serve_waiters();
}
EXPORT_SYMBOL_GPL(gnttab_wait_for_refs);

void gnttab_cancel_wait(struct gnttab_waiter *waiter)
{
	unsigned long flags;

	spin_lock_irqsave(&gt_lock, flags);
	if (waiter->queued) {
		list_del_init(&waiter->node);
		waiter->queued = false;
	}
	spin_unlock_irqrestore(&gt_lock, flags);
}
EXPORT_SYMBOL_GPL(gnttab_cancel_wait);

/* ---------------------------------------------------- backend side */

/* Run @count ops of @size bytes each in chunks; 0 or Xen's error. */
static int gt_run_ops(unsigned int cmd, void *ops, size_t size,
		      unsigned int count)
{
	unsigned int done, chunk;
	int rc;

	for (done = 0; done < count; done += chunk) {
		chunk = min(count - done, GT_BATCH);
		rc = HYPERVISOR_grant_table_op(cmd, (char *)ops + done * size,
					       chunk);
		if (rc)
			return rc;
	}
	return 0;
}

int gnttab_map_grants(struct gnttab_map_grant_ref *ops, unsigned int count)
{
	unsigned int i, bad = 0;
	int rc;

	rc = gt_run_ops(GNTTABOP_map_grant_ref, ops, sizeof(*ops), count);
	if (rc)
		return rc;
	for (i = 0; i < count; i++)
		bad += ops[i].status != GNTST_okay;
	return bad;
}
EXPORT_SYMBOL_GPL(gnttab_map_grants);

int gnttab_unmap_grants(struct gnttab_unmap_grant_ref *ops,
			unsigned int count)
{
	unsigned int i, bad = 0;
	int rc;

	rc = gt_run_ops(GNTTABOP_unmap_grant_ref, ops, sizeof(*ops), count);
	if (rc)
		return rc;
	for (i = 0; i < count; i++)
		bad += ops[i].status != GNTST_okay;
	return bad;
}
EXPORT_SYMBOL_GPL(gnttab_unmap_grants);

int gnttab_copy_grants(struct gnttab_copy *ops, unsigned int count)
{
	unsigned int i, bad = 0;
	int rc;

	rc = gt_run_ops(GNTTABOP_copy, ops, sizeof(*ops), count);
	if (rc)
		return rc;
	for (i = 0; i < count; i++)
		bad += ops[i].status != GNTST_okay;
	return bad;
}
EXPORT_SYMBOL_GPL(gnttab_copy_grants);

/* ---------------------------------------------------- diagnostics */

unsigned int gnttab_nr_entries(void)
{
	return READ_ONCE(gt_nr_frames) * GT_PER_FRAME;
}
EXPORT_SYMBOL_GPL(gnttab_nr_entries);

unsigned int gnttab_nr_free(void)
{
	return READ_ONCE(gt_nr_free);
}
EXPORT_SYMBOL_GPL(gnttab_nr_free);

unsigned int gnttab_max_entries(void)
{
	return gt_max_frames * GT_PER_FRAME;
}
EXPORT_SYMBOL_GPL(gnttab_max_entries);

unsigned int gnttab_nr_deferred(void)
{
	return READ_ONCE(gt_nr_parked);
}
EXPORT_SYMBOL_GPL(gnttab_nr_deferred);

/* ---------------------------------------------------- suspend */

/*
 * The table's frames are Xen's, not ours: the toolstack's save, which
 * turns every PTE of ours into a pfn, refuses a mapping of them.  They
 * are unmapped for the suspend and mapped again after it: the same frames
 * after a checkpoint, the frames of a new, empty table after a restore.
 * The grants of the old domain are gone with it; their references stay
 * with their users, whose end_access then finds them ended.
 *
 * Both run on one CPU inside stop_machine(): nothing else touches the
 * table meanwhile.  A failure leaves no way to share memory, so it
 * panics, as at boot.
 */
void gnttab_suspend(void)
{
	unsigned long va = (unsigned long)gt_entries;
	unsigned int i;
	int rc;

	for (i = 0; i < gt_nr_frames; i++, va += PAGE_SIZE) {
		rc = HYPERVISOR_update_va_mapping(va, 0, UVMF_INVLPG | UVMF_ALL);
		if (rc)
			panic("Xen: suspend: unmapping grant frame %u: %d\n",
			      i, rc);
	}
}

void gnttab_resume(bool new_domain)
{
	struct gnttab_setup_table setup = {
		.dom = DOMID_SELF,
		.nr_frames = gt_nr_frames,
	};
	int rc;

	if (!gt_nr_frames)
		return;
	if (new_domain) {
		set_xen_guest_handle(setup.frame_list, gt_frames);
		rc = HYPERVISOR_grant_table_op(GNTTABOP_setup_table, &setup, 1);
		if (rc || setup.status != GNTST_okay)
			panic("Xen: resume: GNTTABOP_setup_table(%u frames): %d status %d\n",
			      gt_nr_frames, rc, setup.status);
	}
	rc = xen_map_foreign_frames(gt_entries, gt_frames, gt_nr_frames);
	if (rc)
		panic("Xen: resume: mapping the grant frames: %d\n", rc);
}

/* ---------------------------------------------------- init */

static int __init gnttab_init(void)
{
	struct gnttab_query_size query = { .dom = DOMID_SELF };
	unsigned int initial;
	int rc;

	if (!xen_pv_domain())
		return 0;

	rc = HYPERVISOR_grant_table_op(GNTTABOP_query_size, &query, 1);
	if (rc || query.status != GNTST_okay || !query.max_nr_frames) {
		pr_err("query_size failed: rc %d status %d max %u\n",
		       rc, query.status, query.max_nr_frames);
		return -ENODEV;
	}
	gt_max_frames = min(query.max_nr_frames, GT_FRAMES_CAP);
	initial = clamp(query.nr_frames, 1U, gt_max_frames);

	gt_frames = kcalloc(gt_max_frames, sizeof(*gt_frames), GFP_KERNEL);
	gt_next = kvcalloc(gt_max_frames * GT_PER_FRAME, sizeof(*gt_next),
			   GFP_KERNEL);
	gt_area = xen_alloc_vm_area(gt_max_frames * PAGE_SIZE);
	if (!gt_frames || !gt_next || !gt_area) {
		rc = -ENOMEM;
		goto fail;
	}
	gt_entries = gt_area->addr;

	spin_lock_irq(&gt_lock);
	rc = gt_grow_locked(initial);
	spin_unlock_irq(&gt_lock);
	if (rc)
		goto fail;

	pr_info("%u of at most %u frames, %u references free\n",
		gt_nr_frames, gt_max_frames, gt_nr_free);
	return 0;

fail:
	pr_err("cannot set up the grant table: %d\n", rc);
	if (gt_area)
		xen_free_vm_area(gt_area);
	kvfree(gt_next);
	kfree(gt_frames);
	gt_area = NULL;
	gt_entries = NULL;
	gt_next = NULL;
	gt_frames = NULL;
	gt_max_frames = 0;
	return rc;
}
core_initcall(gnttab_init);
