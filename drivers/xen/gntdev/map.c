// SPDX-License-Identifier: GPL-2.0
/*
 * gntdev mappings: a reserved run of grants mapped into a process.
 *
 * mmap() of a run maps every grant twice in one batch of
 * GNTTABOP_map_grant_ref: into the process's PTE (GNTMAP_contains_pte,
 * the PTE marked special through the grant's "available" bits) and at
 * the kernel address of a page from the foreign-page pool.  The kernel
 * mapping gives each user page a struct page (find_special_page), so
 * direct I/O and anything else that pins user pages works on it.  If any
 * grant is refused, everything mapped so far is unmapped and mmap()
 * fails: EAGAIN when a frame was paged out, EINVAL otherwise.
 *
 * Teardown order matters to Xen: a grant PTE may only go away through
 * GNTTABOP_unmap_grant_ref.  One MMU notifier per address space (shared
 * by its gntdev mappings) unmaps the user side of every page in a range
 * before the kernel invalidates it (munmap, mremap, exit...), and all of
 * them when the address space is released, which happens before its page
 * tables are unpinned.  The kernel side goes at VMA close, after the
 * unmap notification's byte is cleared through it; a page someone still
 * holds (pinned for I/O) keeps its grant until the holder lets go,
 * retried from a delayed work.
 */
#define pr_fmt(fmt) "xen-gntdev: " fmt

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/mmu_notifier.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include <asm/xen/guest.h>
#include <asm/xen/page.h>
#include <xen/events.h>
#include <xen/foreign.h>
#include <xen/interface/features.h>

#include "gntdev.h"

/* Pages per grant hypercall batch (two operations each when mapping). */
#define GNTDEV_BATCH	16
/* Retry a held page's unmap every second; complain after a minute. */
#define GNTDEV_RETRY_DELAY	HZ
#define GNTDEV_RETRY_WARN	60

/* The gntdev mappings of one address space, behind its notifier. */
struct gntdev_mm {
	struct mmu_notifier mn;
	spinlock_t lock;		/* the list, the user handles */
	struct list_head maps;		/* struct gntdev_map.mm_node */
};

bool gntdev_supported(void)
{
	return xen_feature(XENFEAT_gnttab_map_avail_bits);
}

/* ---- unmapping --------------------------------------------------------- */

/* Issue @n unmaps; a failure leaves a grant Xen will not let us drop. */
static void gntdev_issue_unmaps(struct gnttab_unmap_grant_ref *ops,
				unsigned int n, const char *side)
{
	unsigned int i;

	if (!n || !gnttab_unmap_grants(ops, n))
		return;
	for (i = 0; i < n; i++)
		if (ops[i].status != GNTST_okay)
			pr_err_ratelimited("%s unmap of handle %u failed: %d\n",
					   side, ops[i].handle, ops[i].status);
}

/* The user side of pages [first, first + n); any context (notifier). */
static void gntdev_unmap_user(struct gntdev_map *map, unsigned int first,
			      unsigned int n)
{
	struct gnttab_unmap_grant_ref ops[GNTDEV_BATCH];
	unsigned int i, k = 0;

	for (i = first; i < first + n; i++) {
		if (map->user[i] == GNTDEV_NO_HANDLE)
			continue;
		ops[k] = (struct gnttab_unmap_grant_ref) {
			.host_addr = map->ptes[i],
			.handle = map->user[i],
		};
		map->user[i] = GNTDEV_NO_HANDLE;
		if (++k == GNTDEV_BATCH) {
			gntdev_issue_unmaps(ops, k, "user");
			k = 0;
		}
	}
	gntdev_issue_unmaps(ops, k, "user");
}

/* The kernel side of every page; no page may be held by anyone else. */
static void gntdev_unmap_kern(struct gntdev_map *map)
{
	struct gnttab_unmap_grant_ref ops[GNTDEV_BATCH];
	unsigned int i, k = 0;

	for (i = 0; i < map->count; i++) {
		if (map->kern[i] == GNTDEV_NO_HANDLE)
			continue;
		gnttab_prep_unmap(&ops[k], page_address(map->pages[i]),
				  map->kern[i]);
		map->kern[i] = GNTDEV_NO_HANDLE;
		xen_foreign_page_clear_mfn(map->pages[i]);
		if (++k == GNTDEV_BATCH) {
			gntdev_issue_unmaps(ops, k, "kernel");
			k = 0;
		}
	}
	gntdev_issue_unmaps(ops, k, "kernel");
}

static void gntdev_free_mapping(struct gntdev_map *map)
{
	if (map->pages)
		xen_foreign_pages_free(map->count, map->pages);
	kvfree(map->pages);
	kvfree(map->kern);
	kvfree(map->user);
	kvfree(map->ptes);
	map->pages = NULL;
	map->kern = NULL;
	map->user = NULL;
	map->ptes = NULL;
}

/* ---- maps whose pages are still held: unmapped later ------------------ */

struct gntdev_held {
	struct list_head node;
	struct gntdev_map *map;
	unsigned int tries;
	u32 notify_action, notify_port;
};

static DEFINE_SPINLOCK(gntdev_held_lock);
static LIST_HEAD(gntdev_held_list);

static void gntdev_retry_held(struct work_struct *work);
static DECLARE_DELAYED_WORK(gntdev_held_work, gntdev_retry_held);

static bool gntdev_pages_free(struct gntdev_map *map)
{
	unsigned int i;

	for (i = 0; i < map->count; i++)
		if (map->kern[i] != GNTDEV_NO_HANDLE &&
		    page_ref_count(map->pages[i]) != 1)
			return false;
	return true;
}

/* The last step: kernel side gone, then the event, then the memory. */
static void gntdev_finish(struct gntdev_map *map, u32 action, u32 port)
{
	gntdev_unmap_kern(map);
	if (action & UNMAP_NOTIFY_SEND_EVENT)
		xen_evtchn_notify(port);
	gntdev_free_mapping(map);
	gntdev_put_map(map);
}

static void gntdev_retry_held(struct work_struct *work)
{
	struct gntdev_held *h, *tmp;
	LIST_HEAD(done);

	spin_lock(&gntdev_held_lock);
	list_for_each_entry_safe(h, tmp, &gntdev_held_list, node) {
		if (gntdev_pages_free(h->map)) {
			list_move(&h->node, &done);
		} else if (++h->tries == GNTDEV_RETRY_WARN) {
			pr_warn("a mapping of %u grants is still held after %u s\n",
				h->map->count, GNTDEV_RETRY_WARN);
		}
	}
	if (!list_empty(&gntdev_held_list))
		schedule_delayed_work(&gntdev_held_work, GNTDEV_RETRY_DELAY);
	spin_unlock(&gntdev_held_lock);

	list_for_each_entry_safe(h, tmp, &done, node) {
		gntdev_finish(h->map, h->notify_action, h->notify_port);
		kfree(h);
	}
}

static void gntdev_finish_or_hold(struct gntdev_map *map, u32 action,
				  u32 port)
{
	struct gntdev_held *h;

	if (gntdev_pages_free(map)) {
		gntdev_finish(map, action, port);
		return;
	}
	h = kzalloc(sizeof(*h), GFP_KERNEL | __GFP_NOFAIL);
	h->map = map;
	h->notify_action = action;
	h->notify_port = port;
	spin_lock(&gntdev_held_lock);
	list_add_tail(&h->node, &gntdev_held_list);
	schedule_delayed_work(&gntdev_held_work, GNTDEV_RETRY_DELAY);
	spin_unlock(&gntdev_held_lock);
}

/* ---- the MMU notifier ------------------------------------------------- */

static unsigned long gntdev_start(struct gntdev_map *map)
{
	return READ_ONCE(map->vma)->vm_start;
}

static int gntdev_invalidate(struct mmu_notifier *mn,
			     const struct mmu_notifier_range *range)
{
	struct gntdev_mm *gmm = container_of(mn, struct gntdev_mm, mn);
	struct gntdev_map *map;

	spin_lock(&gmm->lock);
	list_for_each_entry(map, &gmm->maps, mm_node) {
		unsigned long start = gntdev_start(map);
		unsigned long end = start + ((unsigned long)map->count << PAGE_SHIFT);
		unsigned long from = max(start, range->start);
		unsigned long to = min(end, range->end);

		if (from < to)
			gntdev_unmap_user(map, (from - start) >> PAGE_SHIFT,
					  (to - from + PAGE_SIZE - 1) >> PAGE_SHIFT);
	}
	spin_unlock(&gmm->lock);
	return 0;
}

/* The address space is going: before its page tables are unpinned. */
static void gntdev_release(struct mmu_notifier *mn, struct mm_struct *mm)
{
	struct gntdev_mm *gmm = container_of(mn, struct gntdev_mm, mn);
	struct gntdev_map *map;

	spin_lock(&gmm->lock);
	list_for_each_entry(map, &gmm->maps, mm_node)
		gntdev_unmap_user(map, 0, map->count);
	spin_unlock(&gmm->lock);
}

static struct mmu_notifier *gntdev_mm_alloc(struct mm_struct *mm)
{
	struct gntdev_mm *gmm = kzalloc(sizeof(*gmm), GFP_KERNEL);

	if (!gmm)
		return ERR_PTR(-ENOMEM);
	spin_lock_init(&gmm->lock);
	INIT_LIST_HEAD(&gmm->maps);
	return &gmm->mn;
}

static void gntdev_mm_free(struct mmu_notifier *mn)
{
	kfree(container_of(mn, struct gntdev_mm, mn));
}

static const struct mmu_notifier_ops gntdev_mn_ops = {
	.invalidate_range_start	= gntdev_invalidate,
	.release		= gntdev_release,
	.alloc_notifier		= gntdev_mm_alloc,
	.free_notifier		= gntdev_mm_free,
};

/* ---- mapping ------------------------------------------------------------ */

static int gntdev_alloc_mapping(struct gntdev_map *map)
{
	unsigned int i, n = map->count;

	map->ptes = kvcalloc(n, sizeof(*map->ptes), GFP_KERNEL);
	map->user = kvmalloc_array(n, sizeof(*map->user), GFP_KERNEL);
	map->kern = kvmalloc_array(n, sizeof(*map->kern), GFP_KERNEL);
	map->pages = kvcalloc(n, sizeof(*map->pages), GFP_KERNEL);
	if (!map->ptes || !map->user || !map->kern || !map->pages)
		goto fail;
	for (i = 0; i < n; i++) {
		map->user[i] = GNTDEV_NO_HANDLE;
		map->kern[i] = GNTDEV_NO_HANDLE;
	}
	if (xen_foreign_pages_alloc(n, map->pages))
		goto fail;
	return 0;
fail:
	kvfree(map->pages);
	map->pages = NULL;
	gntdev_free_mapping(map);
	return -ENOMEM;
}

/* Map pages [first, first + n): user and kernel side in one batch. */
static int gntdev_map_batch(struct gntdev_map *map, unsigned int first,
			    unsigned int n)
{
	struct gnttab_map_grant_ref ops[2 * GNTDEV_BATCH];
	u32 flags = GNTMAP_host_map;
	unsigned int i;
	int rc = 0;

	if (map->readonly)
		flags |= GNTMAP_readonly;
	for (i = 0; i < n; i++) {
		const struct ioctl_gntdev_grant_ref *g = &map->refs[first + i];

		/* The user PTE, marked _PAGE_SPECIAL (software bit 9). */
		ops[2 * i] = (struct gnttab_map_grant_ref) {
			.host_addr = map->ptes[first + i],
			.flags = flags | GNTMAP_application_map |
				 GNTMAP_contains_pte |
				 (1U << _GNTMAP_guest_avail0),
			.ref = g->ref,
			.dom = g->domid,
		};
		gnttab_prep_map(&ops[2 * i + 1],
				page_address(map->pages[first + i]), flags,
				g->ref, g->domid);
	}
	if (gnttab_map_grants(ops, 2 * n) < 0)
		return -EIO;

	for (i = 0; i < n; i++) {
		struct gnttab_map_grant_ref *u = &ops[2 * i], *k = &ops[2 * i + 1];

		if (u->status == GNTST_okay)
			map->user[first + i] = u->handle;
		if (k->status == GNTST_okay) {
			map->kern[first + i] = k->handle;
			xen_foreign_page_set_mfn(map->pages[first + i],
						 k->dev_bus_addr >> PAGE_SHIFT);
		}
		if (u->status == GNTST_okay && k->status == GNTST_okay)
			continue;
		if (rc != -EAGAIN)
			rc = (u->status == GNTST_eagain ||
			      k->status == GNTST_eagain) ? -EAGAIN : -EINVAL;
		pr_debug("grant %u of domain %u refused: %d/%d\n",
			 map->refs[first + i].ref, map->refs[first + i].domid,
			 u->status, k->status);
	}
	return rc;
}

static int gntdev_map_grants(struct gntdev_map *map)
{
	unsigned int done, n;
	int rc;

	rc = xen_user_pte_maddrs(map->vma, map->vma->vm_start, map->count,
				 map->ptes);
	for (done = 0; !rc && done < map->count; done += n) {
		n = min_t(unsigned int, map->count - done, GNTDEV_BATCH);
		rc = gntdev_map_batch(map, done, n);
	}
	return rc;
}

/* ---- the VMA ------------------------------------------------------------ */

static void gntdev_vma_close(struct vm_area_struct *vma)
{
	struct gntdev_file *f = vma->vm_file->private_data;
	struct gntdev_map *map = vma->vm_private_data;
	struct gntdev_mm *gmm = map->gmm;
	u32 action, port;
	u64 off;

	spin_lock(&gmm->lock);
	list_del(&map->mm_node);
	/* Normally the notifier did this before the PTEs were zapped. */
	gntdev_unmap_user(map, 0, map->count);
	spin_unlock(&gmm->lock);
	mmu_notifier_put(&gmm->mn);

	mutex_lock(&f->lock);
	action = map->notify_action;
	port = map->notify_port;
	off = map->notify_offset;
	map->vma = NULL;
	mutex_unlock(&f->lock);

	if ((action & UNMAP_NOTIFY_CLEAR_BYTE) && !map->readonly &&
	    off < (u64)map->count << PAGE_SHIFT &&
	    map->kern[off >> PAGE_SHIFT] != GNTDEV_NO_HANDLE)
		*((u8 *)page_address(map->pages[off >> PAGE_SHIFT]) +
		  offset_in_page(off)) = 0;
	gntdev_finish_or_hold(map, action, port);
}

static struct page *gntdev_find_special_page(struct vm_area_struct *vma,
					     unsigned long addr)
{
	struct gntdev_map *map = vma->vm_private_data;
	unsigned long i = (addr - vma->vm_start) >> PAGE_SHIFT;

	if (i >= map->count || map->kern[i] == GNTDEV_NO_HANDLE)
		return NULL;
	return map->pages[i];
}

/* One map per VMA, mapped whole: no splitting, no protection changes. */
static int gntdev_may_split(struct vm_area_struct *vma, unsigned long addr)
{
	return -EINVAL;
}

static int gntdev_mprotect(struct vm_area_struct *vma, unsigned long start,
			   unsigned long end, unsigned long newflags)
{
	return -EACCES;
}

static vm_fault_t gntdev_fault(struct vm_fault *vmf)
{
	return VM_FAULT_SIGBUS;
}

static const struct vm_operations_struct gntdev_vm_ops = {
	.close			= gntdev_vma_close,
	.may_split		= gntdev_may_split,
	.mprotect		= gntdev_mprotect,
	.fault			= gntdev_fault,
	.find_special_page	= gntdev_find_special_page,
};

/* Under f->lock: the map that is exactly this VMA's run, still unmapped. */
static struct gntdev_map *gntdev_claim(struct gntdev_file *f,
				       struct vm_area_struct *vma)
{
	struct gntdev_map *map;

	list_for_each_entry(map, &f->maps, node) {
		if (map->index != vma->vm_pgoff)
			continue;
		if (map->count != vma_pages(vma) || map->vma)
			return NULL;
		refcount_inc(&map->users);
		map->vma = vma;
		map->readonly = !(vma->vm_flags & VM_WRITE);
		return map;
	}
	return NULL;
}

int gntdev_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct gntdev_file *f = file->private_data;
	struct mmu_notifier *mn;
	struct gntdev_map *map;
	int rc;

	if (!gntdev_supported())
		return -ENODEV;
	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	mutex_lock(&f->lock);
	map = gntdev_claim(f, vma);
	mutex_unlock(&f->lock);
	if (!map)
		return -EINVAL;

	rc = gntdev_alloc_mapping(map);
	if (rc)
		goto unclaim;
	/* We hold the mmap lock for writing, as the _locked variant needs. */
	mn = mmu_notifier_get_locked(&gntdev_mn_ops, vma->vm_mm);
	if (IS_ERR(mn)) {
		rc = PTR_ERR(mn);
		goto free;
	}
	map->gmm = container_of(mn, struct gntdev_mm, mn);
	spin_lock(&map->gmm->lock);
	list_add(&map->mm_node, &map->gmm->maps);
	spin_unlock(&map->gmm->lock);

	rc = gntdev_map_grants(map);
	if (rc) {
		spin_lock(&map->gmm->lock);
		list_del(&map->mm_node);
		gntdev_unmap_user(map, 0, map->count);
		spin_unlock(&map->gmm->lock);
		mmu_notifier_put(mn);
		gntdev_unmap_kern(map);
		goto free;
	}

	vma->vm_flags |= VM_DONTCOPY | VM_DONTEXPAND | VM_DONTDUMP |
			 VM_MIXEDMAP;
	if (map->readonly)
		vma->vm_flags &= ~VM_MAYWRITE;
	vma->vm_ops = &gntdev_vm_ops;
	vma->vm_private_data = map;
	return 0;
free:
	gntdev_free_mapping(map);
unclaim:
	mutex_lock(&f->lock);
	map->vma = NULL;
	mutex_unlock(&f->lock);
	gntdev_put_map(map);
	return rc;
}
