// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/xen/privcmd: the toolstack's hypercalls and foreign mappings.
 *
 * libxencall sends any hypercall through IOCTL_PRIVCMD_HYPERCALL;
 * libxenforeignmemory maps other domains' frames (mmap.c);
 * libxendevicemodel sends device-model operations, and restricts a file
 * to one domain before handing it to a less trusted device model.
 *
 * Probes the libraries rely on: an unknown ioctl (they try 0x50ff)
 * fails with ENOTTY, always the same errno; DM_OP with no buffers
 * succeeds without asking Xen; nothing here waits for xenstore, because
 * xenstored itself opens privcmd before the store exists.
 */
#define pr_fmt(fmt) "xen-privcmd: " fmt

#include <linux/fs.h>
#include <linux/init.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <asm/xen/hypercall.h>
#include <uapi/xen/privcmd.h>
#include <xen/interface/hvm/dm_op.h>
#include <xen/xen.h>

#include "privcmd.h"

/* Bounds for DM_OP, as device models use it: a few small buffers. */
#define PRIVCMD_DM_OP_MAX_BUFS	16
#define PRIVCMD_DM_OP_MAX_SIZE	4096

/* Entries in Xen's hypercall page. */
#define PRIVCMD_NR_HYPERCALLS	(PAGE_SIZE / sizeof(struct xen_hypercall_stub))

static long privcmd_ioctl_hypercall(struct privcmd_file *pf, void __user *udata)
{
	struct privcmd_hypercall hc;

	/* A restricted file belongs to a device model: no raw hypercalls. */
	if (READ_ONCE(pf->restrict_to) != DOMID_INVALID)
		return -EPERM;
	if (copy_from_user(&hc, udata, sizeof(hc)))
		return -EFAULT;
	/* Xen answers unknown numbers itself; these it cannot even see. */
	if (hc.op >= PRIVCMD_NR_HYPERCALLS)
		return -EINVAL;
	/* Xen reads and writes the arguments through our page tables. */
	return xen_hypercall_nr(hc.op, hc.arg[0], hc.arg[1], hc.arg[2],
				hc.arg[3], hc.arg[4]);
}

/*
 * Xen reaches each buffer through our page tables while it runs the
 * operation; pinning the pages makes sure they are there.
 */
static int privcmd_dm_pin(const struct privcmd_dm_op_buf *ubuf,
			  struct page **pages, unsigned int *nr)
{
	unsigned long start = (unsigned long)ubuf->uptr;
	unsigned int n;
	int got;

	*nr = 0;
	if (!ubuf->size)
		return 0;
	if (ubuf->size > PRIVCMD_DM_OP_MAX_SIZE ||
	    !access_ok(ubuf->uptr, ubuf->size))
		return -EFAULT;
	n = (offset_in_page(start) + ubuf->size + PAGE_SIZE - 1) >> PAGE_SHIFT;
	got = pin_user_pages_fast(start & PAGE_MASK, n, FOLL_WRITE, pages);
	if (got > 0)
		*nr = got;
	if (got != n)
		return got < 0 ? got : -EFAULT;
	return 0;
}

static long privcmd_ioctl_dm_op(struct privcmd_file *pf, void __user *udata)
{
	struct privcmd_dm_op_buf ubufs[PRIVCMD_DM_OP_MAX_BUFS];
	struct xen_dm_op_buf xbufs[PRIVCMD_DM_OP_MAX_BUFS];
	/* A buffer of at most a page touches at most two. */
	struct page *pages[2 * PRIVCMD_DM_OP_MAX_BUFS];
	unsigned int i, npages = 0, n;
	struct privcmd_dm_op op;
	long rc = 0;

	if (copy_from_user(&op, udata, sizeof(op)))
		return -EFAULT;
	/* The libraries' probe: does this kernel have DM_OP at all? */
	if (!op.num)
		return 0;
	if (!privcmd_may_use(pf, op.dom))
		return -EPERM;
	if (op.num > PRIVCMD_DM_OP_MAX_BUFS)
		return -E2BIG;
	if (copy_from_user(ubufs, op.ubufs, op.num * sizeof(ubufs[0])))
		return -EFAULT;

	for (i = 0; i < op.num && !rc; i++) {
		rc = privcmd_dm_pin(&ubufs[i], pages + npages, &n);
		npages += n;
		set_xen_guest_handle(xbufs[i].h, ubufs[i].uptr);
		xbufs[i].size = ubufs[i].size;
	}
	if (!rc)
		rc = HYPERVISOR_dm_op(op.dom, op.num, xbufs);
	unpin_user_pages_dirty_lock(pages, npages, true);
	return rc;
}

static long privcmd_ioctl_restrict(struct privcmd_file *pf, void __user *udata)
{
	domid_t dom;

	if (copy_from_user(&dom, udata, sizeof(dom)))
		return -EFAULT;
	if (dom == DOMID_INVALID)
		return -EINVAL;
	/* Once restricted, only to the same domain again. */
	if (cmpxchg(&pf->restrict_to, DOMID_INVALID, dom) != DOMID_INVALID &&
	    READ_ONCE(pf->restrict_to) != dom)
		return -EINVAL;
	return 0;
}

static long privcmd_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	struct privcmd_file *pf = file->private_data;
	void __user *udata = (void __user *)arg;

	switch (cmd) {
	case IOCTL_PRIVCMD_HYPERCALL:
		return privcmd_ioctl_hypercall(pf, udata);
	case IOCTL_PRIVCMD_MMAP:
		return privcmd_ioctl_mmap(pf, udata);
	case IOCTL_PRIVCMD_MMAPBATCH:
		return privcmd_ioctl_mmapbatch(pf, udata, 1);
	case IOCTL_PRIVCMD_MMAPBATCH_V2:
		return privcmd_ioctl_mmapbatch(pf, udata, 2);
	case IOCTL_PRIVCMD_DM_OP:
		return privcmd_ioctl_dm_op(pf, udata);
	case IOCTL_PRIVCMD_RESTRICT:
		return privcmd_ioctl_restrict(pf, udata);
	case IOCTL_PRIVCMD_MMAP_RESOURCE:
		return privcmd_ioctl_mmap_resource(pf, udata);
	default:
		return -ENOTTY;
	}
}

static int privcmd_open(struct inode *inode, struct file *file)
{
	struct privcmd_file *pf = kzalloc(sizeof(*pf), GFP_KERNEL);

	if (!pf)
		return -ENOMEM;
	pf->restrict_to = DOMID_INVALID;
	file->private_data = pf;
	return 0;
}

static int privcmd_release(struct inode *inode, struct file *file)
{
	kfree(file->private_data);
	return 0;
}

const struct file_operations xen_privcmd_fops = {
	.owner		= THIS_MODULE,
	.open		= privcmd_open,
	.release	= privcmd_release,
	.unlocked_ioctl	= privcmd_ioctl,
	.mmap		= privcmd_mmap,
};
EXPORT_SYMBOL_GPL(xen_privcmd_fops);

static struct miscdevice privcmd_dev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "xen/privcmd",
	.fops	= &xen_privcmd_fops,
};

static int __init privcmd_init(void)
{
	int rc;

	if (!xen_initial_domain())
		return -ENODEV;
	rc = misc_register(&privcmd_dev);
	if (rc)
		pr_err("cannot register /dev/xen/privcmd: %d\n", rc);
	return rc;
}
module_init(privcmd_init);

static void __exit privcmd_exit(void)
{
	misc_deregister(&privcmd_dev);
}
module_exit(privcmd_exit);

MODULE_DESCRIPTION("Xen hypercalls and foreign mappings for the toolstack");
MODULE_LICENSE("GPL");
