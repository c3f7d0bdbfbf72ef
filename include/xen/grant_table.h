/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Grant tables (version 1) of a PV guest.
 *
 * Offering memory: a frontend lets another domain use one of its frames by
 * filling an entry of our grant table and handing the entry's number (the
 * "grant reference") to the other end, usually through xenstore or a ring.
 * The other end maps or copies the frame by that reference; we end the
 * grant once the other end has dropped its mapping.
 *
 * Using memory offered to us: a backend maps the grants of another domain
 * into its own address space, or lets Xen copy to or from them, with the
 * batched wrappers at the end of this file.
 *
 * Frame numbers are machine frames (mfns): this is a PV-only interface.
 * Design notes: Documentation/xen/grant-tables.rst.
 */
#ifndef _XEN_GRANT_TABLE_H
#define _XEN_GRANT_TABLE_H

#include <linux/list.h>
#include <linux/types.h>
#include <xen/interface/xen.h>
#include <xen/interface/grant_table.h>

struct page;
struct vm_struct;

/* A reference no grant ever has: marks "not granted" in drivers. */
#define INVALID_GRANT_REF	((grant_ref_t)-1)

/* ------------------------------------------------ granting our frames */

/*
 * Let @domid access machine frame @mfn (read-only if @readonly).  Returns
 * the grant reference, -ENOSPC when the table is full and cannot grow, or
 * -EINVAL when @mfn does not fit a v1 entry.  Safe in any context.
 */
int gnttab_grant_access(domid_t domid, unsigned long mfn, bool readonly);

/*
 * Revoke a grant and give its reference back.  If the other end still has
 * the frame mapped the grant stays valid: the reference is parked and the
 * revoke retried from a timer until it succeeds, so it is never reused
 * while mapped.  If @page is not NULL its reference is dropped (put_page)
 * once access has really ended, so callers that cannot wait hand the page
 * over here.  Returns true if access ended at once.  Any context.
 */
bool gnttab_end_access(grant_ref_t ref, struct page *page);

/*
 * End @n grants at once, with one hold of the table's lock and one pass
 * over the waiters: the batch form of gnttab_end_access() for completion
 * paths (a request's segments).  Unlike it, the caller keeps its page
 * references: pages[i] (the frame granted through refs[i]; @pages or an
 * entry may be NULL) gains one only when the other end still maps it, and
 * the grant table drops it once access has really ended.  Returns how
 * many grants were still mapped (parked).  Any context.
 */
unsigned int gnttab_end_access_batch(const grant_ref_t *refs,
				     struct page *const *pages, unsigned int n);

/*
 * Revoke only, keeping the reference (e.g. one from gnttab_alloc_refs()):
 * false, and nothing changed, while the other end still maps the frame.
 */
bool gnttab_revoke(grant_ref_t ref);

/* Whether the other end currently maps the frame of @ref. */
bool gnttab_in_use(grant_ref_t ref);

/* ------------------------------------------------ batch reservations */

/*
 * Reserve @n references into @refs, all or nothing (0 or -ENOSPC), growing
 * the table if needed.  Fill one with gnttab_grant_access_ref(), end it
 * with gnttab_revoke() to reuse it or gnttab_end_access() to release it,
 * and release unused ones with gnttab_free_refs().
 */
int gnttab_alloc_refs(grant_ref_t *refs, unsigned int n);
void gnttab_free_refs(const grant_ref_t *refs, unsigned int n);
/* Grant through a reserved reference; -EINVAL if @mfn does not fit. */
int gnttab_grant_access_ref(grant_ref_t ref, domid_t domid,
			    unsigned long mfn, bool readonly);
/*
 * Fill one of the entries the ABI sets aside (below
 * GNTTAB_NR_RESERVED_ENTRIES: GNTTAB_RESERVED_CONSOLE, _XENSTORE), which
 * the allocator never hands out; -EINVAL for any other @ref.
 */
int gnttab_grant_abi_entry(grant_ref_t ref, domid_t domid,
			   unsigned long mfn, bool readonly);

/*
 * Frontends under pressure: ask to be told when at least @want references
 * are free.  @notify runs once, without any grant-table lock held but
 * possibly in atomic context (it runs where references were freed); it
 * typically kicks a queue that retries its allocation.  Waiters are served
 * in order.  Queueing a waiter that is already queued does nothing.
 */
struct gnttab_waiter {
	unsigned int want;
	void (*notify)(struct gnttab_waiter *waiter);
	/* private */
	struct list_head node;
	bool queued;
};

void gnttab_wait_for_refs(struct gnttab_waiter *waiter);
void gnttab_cancel_wait(struct gnttab_waiter *waiter);

/* ------------------------------------------------ using others' grants */

/*
 * Fill a map request: @flags are GNTMAP_* (GNTMAP_host_map maps the frame
 * at @va in our kernel page tables, add GNTMAP_readonly for a read-only
 * mapping).  @va must have page tables behind it: use xen_alloc_vm_area().
 */
static inline void gnttab_prep_map(struct gnttab_map_grant_ref *op, void *va,
				   u32 flags, grant_ref_t ref, domid_t dom)
{
	*op = (struct gnttab_map_grant_ref) {
		.host_addr = (unsigned long)va,
		.flags = flags,
		.ref = ref,
		.dom = dom,
	};
}

/* Undo a successful map of @va; @handle is the map request's handle. */
static inline void gnttab_prep_unmap(struct gnttab_unmap_grant_ref *op,
				     void *va, grant_handle_t handle)
{
	*op = (struct gnttab_unmap_grant_ref) {
		.host_addr = (unsigned long)va,
		.handle = handle,
	};
}

/*
 * Issue @count operations of an array in as few hypercalls as possible.
 * Each entry gets its own status (GNTST_*): the return value is a negative
 * errno when Xen refused a whole batch, otherwise the number of entries
 * whose status is not GNTST_okay (0: all done).  GNTST_eagain (frame paged
 * out) is returned as is, not retried.  Any context.
 */
int gnttab_map_grants(struct gnttab_map_grant_ref *ops, unsigned int count);
int gnttab_unmap_grants(struct gnttab_unmap_grant_ref *ops,
			unsigned int count);
int gnttab_copy_grants(struct gnttab_copy *ops, unsigned int count);

/*
 * A range of kernel virtual addresses with page tables allocated behind
 * every page but nothing mapped, for grant mappings (GNTMAP_host_map) and
 * xen_map_foreign_frames().  Sleeps.
 */
struct vm_struct *xen_alloc_vm_area(size_t size);
void xen_free_vm_area(struct vm_struct *area);

/*
 * Map machine frames that are not in our P2M (grant frames, a foreign
 * domain's pages already accessible to us) at @nr consecutive pages from
 * @va, inside an area from xen_alloc_vm_area().  0 or -errno.
 */
int xen_map_foreign_frames(void *va, const xen_pfn_t *mfns, unsigned int nr);

/* ------------------------------------------------ diagnostics, tests */

/* Entries the table has now, and how many of them are free. */
/* Suspend (drivers/xen/suspend.c), in stop_machine(). */
void gnttab_suspend(void);
void gnttab_resume(bool new_domain);

unsigned int gnttab_nr_entries(void);
unsigned int gnttab_nr_free(void);
/* The most entries the table may ever have. */
unsigned int gnttab_max_entries(void);
/* References parked because the other end still maps them. */
unsigned int gnttab_nr_deferred(void);
/* Retry the parked references now; returns how many are still parked. */
unsigned int gnttab_retry_deferred(void);

#endif /* _XEN_GRANT_TABLE_H */
