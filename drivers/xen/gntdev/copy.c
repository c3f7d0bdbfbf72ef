// SPDX-License-Identifier: GPL-2.0
/*
 * IOCTL_GNTDEV_GRANT_COPY: Xen copies between grants and the caller's
 * memory without anything being mapped (qemu's disk backend uses it for
 * every request).
 *
 * Each segment names its source and destination as either a grant
 * (reference, offset, domain) or a user address.  A user side must lie
 * within one page; that page is pinned for the copy and named to Xen by
 * its frame.  Segments are read once, into a kernel copy, before anything
 * is checked or used; each gets its own GNTST_* status back.  Xen checks
 * the grant side (offset plus length within the page, the grant's
 * permissions), so a bad segment fails alone.
 */
#define pr_fmt(fmt) "xen-gntdev: " fmt

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/uaccess.h>

#include <asm/xen/page.h>

#include "gntdev.h"

/* Segments per grant-copy hypercall. */
#define GNTDEV_COPY_BATCH	16
/* Segments one call may carry; the library sends a request's worth. */
#define GNTDEV_COPY_MAX		BIT(20)

struct gntdev_copy_batch {
	struct gnttab_copy ops[GNTDEV_COPY_BATCH];
	s16 __user *status[GNTDEV_COPY_BATCH];
	struct page *pages[GNTDEV_COPY_BATCH * 2];
	unsigned int nr_ops, nr_pages;
};

/* Pin the one page under a user side and name it to Xen. */
static int gntdev_copy_local(struct gntdev_copy_batch *b,
			     struct gnttab_copy_ptr *ptr, void __user *virt,
			     u16 len, bool writable)
{
	unsigned long addr = (unsigned long)virt;
	struct page *page;
	int rc;

	if (!len || offset_in_page(addr) + len > PAGE_SIZE)
		return -EINVAL;
	rc = pin_user_pages_fast(addr & PAGE_MASK, 1, writable ? FOLL_WRITE : 0,
				 &page);
	if (rc != 1)
		return rc < 0 ? rc : -EFAULT;
	b->pages[b->nr_pages++] = page;
	ptr->u.gmfn = pfn_to_mfn(page_to_pfn(page));
	ptr->domid = DOMID_SELF;
	ptr->offset = offset_in_page(addr);
	return 0;
}

static void gntdev_copy_foreign(struct gnttab_copy_ptr *ptr, grant_ref_t ref,
				u16 offset, domid_t domid)
{
	ptr->u.ref = ref;
	ptr->offset = offset;
	ptr->domid = domid;
}

/* Turn user segment @seg (already our copy) into the next operation. */
static int gntdev_copy_add(struct gntdev_copy_batch *b,
			   const struct ioctl_gntdev_grant_copy_segment *seg,
			   s16 __user *status)
{
	struct gnttab_copy *op = &b->ops[b->nr_ops];
	unsigned int pinned = b->nr_pages;
	int rc = -EINVAL;

	if (seg->flags & ~(GNTCOPY_source_gref | GNTCOPY_dest_gref))
		return -EINVAL;
	*op = (struct gnttab_copy) { .len = seg->len, .flags = seg->flags };
	if (seg->flags & GNTCOPY_source_gref)
		gntdev_copy_foreign(&op->source, seg->source.foreign.ref,
				    seg->source.foreign.offset,
				    seg->source.foreign.domid);
	else if (gntdev_copy_local(b, &op->source, seg->source.virt,
				   seg->len, false))
		goto fail;
	if (seg->flags & GNTCOPY_dest_gref)
		gntdev_copy_foreign(&op->dest, seg->dest.foreign.ref,
				    seg->dest.foreign.offset,
				    seg->dest.foreign.domid);
	else if (gntdev_copy_local(b, &op->dest, seg->dest.virt, seg->len,
				   true))
		goto fail;
	b->status[b->nr_ops++] = status;
	return 0;
fail:
	/* Let go of what this segment pinned before it failed. */
	unpin_user_pages(b->pages + pinned, b->nr_pages - pinned);
	b->nr_pages = pinned;
	return rc;
}

static int gntdev_copy_flush(struct gntdev_copy_batch *b)
{
	unsigned int i;
	int rc = 0;

	if (b->nr_ops && gnttab_copy_grants(b->ops, b->nr_ops) < 0)
		rc = -EIO;
	for (i = 0; !rc && i < b->nr_ops; i++)
		if (put_user(b->ops[i].status, b->status[i]))
			rc = -EFAULT;
	unpin_user_pages_dirty_lock(b->pages, b->nr_pages, true);
	b->nr_ops = 0;
	b->nr_pages = 0;
	return rc;
}

long gntdev_ioctl_grant_copy(void __user *udata)
{
	struct ioctl_gntdev_grant_copy copy;
	struct ioctl_gntdev_grant_copy_segment seg;
	struct gntdev_copy_batch *b;
	unsigned int i;
	long rc = 0;

	if (copy_from_user(&copy, udata, sizeof(copy)))
		return -EFAULT;
	if (copy.count > GNTDEV_COPY_MAX)
		return -EINVAL;
	b = kzalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return -ENOMEM;

	for (i = 0; i < copy.count && !rc; i++) {
		if (copy_from_user(&seg, &copy.segments[i], sizeof(seg))) {
			rc = -EFAULT;
			break;
		}
		rc = gntdev_copy_add(b, &seg, &copy.segments[i].status);
		if (rc) {
			/* This one fails alone, as Xen would report it. */
			if (put_user((s16)GNTST_general_error,
				     &copy.segments[i].status))
				rc = -EFAULT;
			else
				rc = 0;
		}
		if (!rc && b->nr_ops == GNTDEV_COPY_BATCH)
			rc = gntdev_copy_flush(b);
	}
	if (!rc)
		rc = gntdev_copy_flush(b);
	else
		gntdev_copy_flush(b);
	kfree(b);
	return rc;
}
