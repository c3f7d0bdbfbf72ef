// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/xen/hypercall: memory for hypercall arguments.
 *
 * libxencall puts the buffers a hypercall points Xen at into mappings of
 * this device.  Xen reads them through our page tables while it runs,
 * so they must never be absent: the pages are the kernel's own, not
 * swappable or movable, never copied into a child, and freed when the
 * mapping goes.  (Without this device the library falls back to locked
 * anonymous memory, which compaction may still move.)
 */
#define pr_fmt(fmt) "xen-hypercall: " fmt

#include <linux/fs.h>
#include <linux/init.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>

#include <xen/xen.h>

/* The largest buffer set a caller may map at once. */
#define HCALL_BUF_MAX_PAGES	1024

struct hcall_buf {
	unsigned long nr;
	struct page *pages[];
};

static void hcall_buf_free(struct hcall_buf *buf)
{
	unsigned long i;

	for (i = 0; i < buf->nr; i++)
		if (buf->pages[i])
			__free_page(buf->pages[i]);
	kfree(buf);
}

/* After the pages are unmapped, which dropped the mapping's references. */
static void hcall_buf_close(struct vm_area_struct *vma)
{
	hcall_buf_free(vma->vm_private_data);
}

/* One buffer per mapping: a split would free it twice. */
static int hcall_buf_may_split(struct vm_area_struct *vma, unsigned long addr)
{
	return -EINVAL;
}

static const struct vm_operations_struct hcall_buf_vm_ops = {
	.close = hcall_buf_close,
	.may_split = hcall_buf_may_split,
};

static int hcall_buf_mmap(struct file *file, struct vm_area_struct *vma)
{
	unsigned long i, nr = vma_pages(vma);
	struct hcall_buf *buf;
	int rc;

	if (!(vma->vm_flags & VM_SHARED) || vma->vm_pgoff ||
	    nr > HCALL_BUF_MAX_PAGES)
		return -EINVAL;
	buf = kzalloc(struct_size(buf, pages, nr), GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	buf->nr = nr;
	for (i = 0; i < nr; i++) {
		buf->pages[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!buf->pages[i]) {
			hcall_buf_free(buf);
			return -ENOMEM;
		}
	}
	vma->vm_flags |= VM_DONTCOPY | VM_DONTEXPAND | VM_DONTDUMP;
	rc = vm_insert_pages(vma, vma->vm_start, buf->pages, &nr);
	if (rc) {
		/* Pages already inserted go with the failed mapping. */
		zap_vma_ptes(vma, vma->vm_start, vma->vm_end - vma->vm_start);
		hcall_buf_free(buf);
		return rc;
	}
	vma->vm_private_data = buf;
	vma->vm_ops = &hcall_buf_vm_ops;
	return 0;
}

static const struct file_operations hcall_buf_fops = {
	.owner	= THIS_MODULE,
	.mmap	= hcall_buf_mmap,
};

static struct miscdevice hcall_buf_dev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "xen/hypercall",
	.fops	= &hcall_buf_fops,
};

static int __init hcall_buf_init(void)
{
	if (!xen_initial_domain())
		return -ENODEV;
	return misc_register(&hcall_buf_dev);
}
module_init(hcall_buf_init);

static void __exit hcall_buf_exit(void)
{
	misc_deregister(&hcall_buf_dev);
}
module_exit(hcall_buf_exit);

MODULE_DESCRIPTION("Xen hypercall argument buffers");
MODULE_LICENSE("GPL");
