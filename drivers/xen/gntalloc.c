// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/xen/gntalloc: a process shares its own pages with another domain
 * (libxengntshr; vchan uses it).
 *
 * IOCTL_GNTALLOC_ALLOC_GREF allocates a block of zeroed pages, grants
 * each to the domain named (read-only unless GNTALLOC_FLAG_WRITABLE) and
 * reserves a run of the file's offsets for the block; mmap() of that run
 * maps the pages into the process.  IOCTL_GNTALLOC_DEALLOC_GREF ends the
 * grants; the pages live on while mapped, and a page the other domain
 * still maps is handed to the grant table, which frees it once the other
 * side lets go (gnttab_end_access()), so it is never reused meanwhile.
 * SET_UNMAP_NOTIFY clears a byte and/or signals an event channel when the
 * block's mapping goes away, for the other side to notice.
 *
 * The caller is a process of ours; the counts and offsets it passes are
 * bounded before they size anything.
 */
#define pr_fmt(fmt) "xen-gntalloc: " fmt

#include <linux/fs.h>
#include <linux/init.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <asm/xen/page.h>
#include <uapi/xen/gntalloc.h>
#include <xen/events.h>
#include <xen/grant_table.h>
#include <xen/xen.h>

/* Pages one file may share at once. */
#define GNTALLOC_MAX_PAGES	4096U

struct gntalloc_block {
	struct list_head node;		/* file->blocks, by index */
	unsigned int users;		/* the table, a mapping; file->lock */
	bool mapped;
	u64 index;			/* in pages */
	unsigned int count;
	u32 notify_action, notify_port;
	u64 notify_offset;		/* byte offset within the block */
	grant_ref_t *refs;
	struct page **pages;
};

struct gntalloc_file {
	struct mutex lock;		/* the blocks and their fields */
	struct list_head blocks;
	unsigned int nr_pages;
};

/* Under f->lock: the grants ended, the pages given up, the block freed. */
static void gntalloc_free(struct gntalloc_block *b)
{
	unsigned int i;

	for (i = 0; i < b->count; i++) {
		if (b->refs[i] != INVALID_GRANT_REF)
			/* The grant table drops the page once access ends. */
			gnttab_end_access(b->refs[i], b->pages[i]);
		else if (b->pages[i])
			put_page(b->pages[i]);
	}
	kvfree(b->refs);
	kvfree(b->pages);
	kfree(b);
}

static void gntalloc_put(struct gntalloc_file *f, struct gntalloc_block *b)
{
	if (--b->users)
		return;
	f->nr_pages -= b->count;
	gntalloc_free(b);
}

/* Under f->lock: the first gap in the offsets that fits @count pages. */
static void gntalloc_insert(struct gntalloc_file *f, struct gntalloc_block *b)
{
	struct list_head *after = &f->blocks;
	struct gntalloc_block *o;
	u64 next = 0;

	list_for_each_entry(o, &f->blocks, node) {
		if (o->index - next >= b->count)
			break;
		next = o->index + o->count;
		after = &o->node;
	}
	b->index = next;
	list_add(&b->node, after);
}

static struct gntalloc_block *gntalloc_new(u16 domid, bool writable,
					   unsigned int count)
{
	struct gntalloc_block *b = kzalloc(sizeof(*b), GFP_KERNEL);
	unsigned int i;
	int rc;

	if (!b)
		return ERR_PTR(-ENOMEM);
	b->count = count;
	b->users = 1;
	b->refs = kvmalloc_array(count, sizeof(*b->refs), GFP_KERNEL);
	b->pages = kvcalloc(count, sizeof(*b->pages), GFP_KERNEL);
	if (!b->refs || !b->pages) {
		kvfree(b->refs);
		kvfree(b->pages);
		kfree(b);
		return ERR_PTR(-ENOMEM);
	}
	for (i = 0; i < count; i++)
		b->refs[i] = INVALID_GRANT_REF;
	for (i = 0; i < count; i++) {
		b->pages[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		rc = -ENOMEM;
		if (!b->pages[i])
			goto fail;
		rc = gnttab_grant_access(domid, pfn_to_mfn(page_to_pfn(b->pages[i])),
					 !writable);
		if (rc < 0)
			goto fail;
		b->refs[i] = rc;
	}
	return b;
fail:
	gntalloc_free(b);
	return ERR_PTR(rc);
}

static long gntalloc_ioctl_alloc(struct gntalloc_file *f,
				 struct ioctl_gntalloc_alloc_gref __user *u)
{
	struct ioctl_gntalloc_alloc_gref op;
	struct gntalloc_block *b;
	long rc = 0;

	if (copy_from_user(&op, u, sizeof(op)))
		return -EFAULT;
	if (!op.count || op.count > GNTALLOC_MAX_PAGES ||
	    op.domid >= DOMID_FIRST_RESERVED ||
	    op.flags & ~GNTALLOC_FLAG_WRITABLE)
		return -EINVAL;

	mutex_lock(&f->lock);
	if (f->nr_pages + op.count > GNTALLOC_MAX_PAGES) {
		mutex_unlock(&f->lock);
		return -ENOSPC;
	}
	f->nr_pages += op.count;
	mutex_unlock(&f->lock);

	b = gntalloc_new(op.domid, op.flags & GNTALLOC_FLAG_WRITABLE, op.count);
	mutex_lock(&f->lock);
	if (IS_ERR(b)) {
		f->nr_pages -= op.count;
		rc = PTR_ERR(b);
	} else {
		gntalloc_insert(f, b);
		op.index = b->index << PAGE_SHIFT;
	}
	mutex_unlock(&f->lock);
	if (rc)
		return rc;

	if (put_user(op.index, &u->index) ||
	    copy_to_user(u->gref_ids, b->refs, op.count * sizeof(b->refs[0]))) {
		mutex_lock(&f->lock);
		list_del(&b->node);
		gntalloc_put(f, b);
		mutex_unlock(&f->lock);
		return -EFAULT;
	}
	return 0;
}

/* Under f->lock: the block whose run holds page @index. */
static struct gntalloc_block *gntalloc_find(struct gntalloc_file *f, u64 index)
{
	struct gntalloc_block *b;

	list_for_each_entry(b, &f->blocks, node)
		if (index >= b->index && index - b->index < b->count)
			return b;
	return NULL;
}

static long gntalloc_ioctl_dealloc(struct gntalloc_file *f, void __user *udata)
{
	struct ioctl_gntalloc_dealloc_gref op;
	struct gntalloc_block *b;
	long rc = -ENOENT;

	if (copy_from_user(&op, udata, sizeof(op)))
		return -EFAULT;
	if (op.index & ~PAGE_MASK)
		return -EINVAL;
	mutex_lock(&f->lock);
	b = gntalloc_find(f, op.index >> PAGE_SHIFT);
	if (b && b->index == op.index >> PAGE_SHIFT && b->count == op.count) {
		list_del(&b->node);
		gntalloc_put(f, b);
		rc = 0;
	}
	mutex_unlock(&f->lock);
	return rc;
}

static long gntalloc_ioctl_notify(struct gntalloc_file *f, void __user *udata)
{
	struct ioctl_gntalloc_unmap_notify op;
	struct gntalloc_block *b;
	long rc = -ENOENT;

	if (copy_from_user(&op, udata, sizeof(op)))
		return -EFAULT;
	if (op.action & ~(UNMAP_NOTIFY_CLEAR_BYTE | UNMAP_NOTIFY_SEND_EVENT))
		return -EINVAL;
	mutex_lock(&f->lock);
	b = gntalloc_find(f, op.index >> PAGE_SHIFT);
	if (b) {
		b->notify_action = op.action;
		b->notify_port = op.event_channel_port;
		b->notify_offset = op.index - (b->index << PAGE_SHIFT);
		rc = 0;
	}
	mutex_unlock(&f->lock);
	return rc;
}

static long gntalloc_ioctl(struct file *file, unsigned int cmd,
			   unsigned long arg)
{
	struct gntalloc_file *f = file->private_data;
	void __user *udata = (void __user *)arg;

	switch (cmd) {
	case IOCTL_GNTALLOC_ALLOC_GREF:
		return gntalloc_ioctl_alloc(f, udata);
	case IOCTL_GNTALLOC_DEALLOC_GREF:
		return gntalloc_ioctl_dealloc(f, udata);
	case IOCTL_GNTALLOC_SET_UNMAP_NOTIFY:
		return gntalloc_ioctl_notify(f, udata);
	default:
		return -ENOTTY;
	}
}

/* The block's pages are still ours, so the byte is written directly. */
static void gntalloc_vma_close(struct vm_area_struct *vma)
{
	struct gntalloc_file *f = vma->vm_file->private_data;
	struct gntalloc_block *b = vma->vm_private_data;
	u32 action, port;

	mutex_lock(&f->lock);
	action = b->notify_action;
	port = b->notify_port;
	if ((action & UNMAP_NOTIFY_CLEAR_BYTE) &&
	    b->notify_offset < (u64)b->count << PAGE_SHIFT)
		*((u8 *)page_address(b->pages[b->notify_offset >> PAGE_SHIFT]) +
		  offset_in_page(b->notify_offset)) = 0;
	b->mapped = false;
	gntalloc_put(f, b);
	mutex_unlock(&f->lock);
	if (action & UNMAP_NOTIFY_SEND_EVENT)
		xen_evtchn_notify(port);
}

static int gntalloc_may_split(struct vm_area_struct *vma, unsigned long addr)
{
	return -EINVAL;
}

static const struct vm_operations_struct gntalloc_vm_ops = {
	.close = gntalloc_vma_close,
	.may_split = gntalloc_may_split,
};

static int gntalloc_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct gntalloc_file *f = file->private_data;
	unsigned long nr = vma_pages(vma);
	struct gntalloc_block *b;
	int rc = -EINVAL;

	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	mutex_lock(&f->lock);
	b = gntalloc_find(f, vma->vm_pgoff);
	if (!b || b->index != vma->vm_pgoff || b->count != nr || b->mapped)
		goto out;
	vma->vm_flags |= VM_DONTCOPY | VM_DONTEXPAND | VM_DONTDUMP;
	rc = vm_insert_pages(vma, vma->vm_start, b->pages, &nr);
	if (rc)
		goto out;
	b->mapped = true;
	b->users++;
	vma->vm_private_data = b;
	vma->vm_ops = &gntalloc_vm_ops;
out:
	mutex_unlock(&f->lock);
	return rc;
}

static int gntalloc_open(struct inode *inode, struct file *file)
{
	struct gntalloc_file *f = kzalloc(sizeof(*f), GFP_KERNEL);

	if (!f)
		return -ENOMEM;
	mutex_init(&f->lock);
	INIT_LIST_HEAD(&f->blocks);
	file->private_data = f;
	return 0;
}

/* Mappings hold the file open: none is left by now. */
static int gntalloc_release(struct inode *inode, struct file *file)
{
	struct gntalloc_file *f = file->private_data;
	struct gntalloc_block *b, *tmp;

	mutex_lock(&f->lock);
	list_for_each_entry_safe(b, tmp, &f->blocks, node) {
		list_del(&b->node);
		gntalloc_put(f, b);
	}
	mutex_unlock(&f->lock);
	kfree(f);
	return 0;
}

static const struct file_operations gntalloc_fops = {
	.owner		= THIS_MODULE,
	.open		= gntalloc_open,
	.release	= gntalloc_release,
	.mmap		= gntalloc_mmap,
	.unlocked_ioctl	= gntalloc_ioctl,
};

static struct miscdevice gntalloc_dev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "xen/gntalloc",
	.fops	= &gntalloc_fops,
};

static int __init gntalloc_init(void)
{
	if (!xen_pv_domain())
		return -ENODEV;
	return misc_register(&gntalloc_dev);
}
module_init(gntalloc_init);

static void __exit gntalloc_exit(void)
{
	misc_deregister(&gntalloc_dev);
}
module_exit(gntalloc_exit);

MODULE_DESCRIPTION("Sharing a process's pages with other domains");
MODULE_LICENSE("GPL");
