// SPDX-License-Identifier: GPL-2.0
/*
 * privcmd mappings: other domains' frames in the toolstack's address
 * space.
 *
 * The caller first mmap()s the privcmd file, which only makes an empty
 * VM_PFNMAP area, then fills pages of it with one of three ioctls:
 *
 *   MMAP           ranges of consecutive frames (old tools);
 *   MMAPBATCH(_V2) a list of frames, one per page, with a result per
 *                  frame: a bad frame fails alone, and a paged-out one
 *                  (-ENOENT) makes the ioctl fail with ENOENT so that
 *                  the library retries just those;
 *   MMAP_RESOURCE  frames of a domain's resource (grant table, ioreq
 *                  pages) that Xen names through XENMEM_acquire_resource.
 *
 * The frames are written into the page tables by
 * xen_remap_foreign_frames(), batched.  A page that already maps a frame
 * is not mapped again.  The area is never copied on fork and never
 * faulted in: touching an unfilled page is a SIGBUS.  Frames are read
 * from the caller before the mmap lock is taken and results written back
 * after it is dropped, so a fault on the caller's buffers cannot happen
 * under the lock.
 */
#define pr_fmt(fmt) "xen-privcmd: " fmt

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <asm/xen/hypercall.h>
#include <uapi/xen/privcmd.h>
#include <xen/foreign.h>
#include <xen/xen.h>

#include "privcmd.h"

/* Most frames one MMAPBATCH may name: 4 GiB of the target's memory. */
#define PRIVCMD_MAX_FRAMES	BIT(20)
/* Frames per XENMEM_acquire_resource call. */
#define PRIVCMD_RESOURCE_BATCH	32

static vm_fault_t privcmd_fault(struct vm_fault *vmf)
{
	pr_debug("fault on an unfilled page at %#lx\n", vmf->address);
	return VM_FAULT_SIGBUS;
}

static const struct vm_operations_struct privcmd_vm_ops = {
	.fault = privcmd_fault,
};

int privcmd_mmap(struct file *file, struct vm_area_struct *vma)
{
	vma->vm_flags |= VM_IO | VM_PFNMAP | VM_DONTCOPY | VM_DONTEXPAND |
			 VM_DONTDUMP;
	vma->vm_ops = &privcmd_vm_ops;
	return 0;
}

/*
 * Under the mmap lock: the privcmd area holding [addr, addr + nr pages),
 * or NULL.
 */
static struct vm_area_struct *privcmd_find_area(unsigned long addr,
						unsigned long nr)
{
	struct vm_area_struct *vma = find_vma(current->mm, addr);

	if (!vma || vma->vm_ops != &privcmd_vm_ops || addr & ~PAGE_MASK ||
	    addr < vma->vm_start || !nr ||
	    nr > (vma->vm_end - addr) >> PAGE_SHIFT)
		return NULL;
	return vma;
}

/* Map @nr frames from @frames (or frames[0] on) at @addr; fills @errs. */
static int privcmd_map_frames(unsigned long addr, const xen_pfn_t *frames,
			      bool contiguous, unsigned int nr, int *errs,
			      domid_t dom)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	int rc;

	mmap_read_lock(mm);
	vma = privcmd_find_area(addr, nr);
	if (vma)
		rc = xen_remap_foreign_frames(vma, addr, frames, contiguous, nr,
					      errs, vma->vm_page_prot, dom);
	else
		rc = -EINVAL;
	mmap_read_unlock(mm);
	return rc;
}

/* ---- MMAP: ranges ------------------------------------------------------- */

long privcmd_ioctl_mmap(struct privcmd_file *pf, void __user *udata)
{
	struct privcmd_mmap m;
	struct privcmd_mmap_entry e;
	int i, rc = 0, *errs;
	xen_pfn_t first;

	if (copy_from_user(&m, udata, sizeof(m)))
		return -EFAULT;
	if (!privcmd_may_use(pf, m.dom))
		return -EPERM;
	if (m.num < 0 || m.num > PRIVCMD_MAX_FRAMES)
		return -EINVAL;

	for (i = 0; i < m.num && !rc; i++) {
		if (copy_from_user(&e, &m.entry[i], sizeof(e)))
			return -EFAULT;
		if (!e.npages || e.npages > PRIVCMD_MAX_FRAMES)
			return -EINVAL;
		first = e.mfn;
		errs = kvcalloc(e.npages, sizeof(*errs), GFP_KERNEL);
		if (!errs)
			return -ENOMEM;
		rc = privcmd_map_frames(e.va, &first, true, e.npages, errs,
					m.dom);
		/* This old interface has one result: the first error. */
		if (rc > 0) {
			unsigned long j;

			for (j = 0; j < e.npages && !errs[j]; j++)
				;
			rc = errs[j];
		}
		kvfree(errs);
	}
	return rc;
}

/* ---- MMAPBATCH and MMAPBATCH_V2 ----------------------------------------- */

struct privcmd_batch {
	unsigned int num;
	domid_t dom;
	u64 addr;
	xen_pfn_t __user *arr;	/* V1 writes errors back into it */
	int __user *err;	/* V2 only */
};

static int privcmd_batch_args(void __user *udata, int version,
			      struct privcmd_batch *b)
{
	if (version == 1) {
		struct privcmd_mmapbatch m;

		if (copy_from_user(&m, udata, sizeof(m)))
			return -EFAULT;
		if (m.num < 0)
			return -EINVAL;
		*b = (struct privcmd_batch) {
			.num = m.num, .dom = m.dom, .addr = m.addr, .arr = m.arr,
		};
	} else {
		struct privcmd_mmapbatch_v2 m;

		if (copy_from_user(&m, udata, sizeof(m)))
			return -EFAULT;
		*b = (struct privcmd_batch) {
			.num = m.num, .dom = m.dom, .addr = m.addr,
			.arr = (xen_pfn_t __user *)m.arr, .err = m.err,
		};
	}
	if (!b->num || b->num > PRIVCMD_MAX_FRAMES)
		return -EINVAL;
	return 0;
}

/* Hand the results back in the form the caller's version expects. */
static int privcmd_batch_results(const struct privcmd_batch *b,
				 xen_pfn_t *frames, const int *errs)
{
	unsigned int i;

	if (b->err)
		return copy_to_user(b->err, errs, b->num * sizeof(*errs)) ?
		       -EFAULT : 0;
	for (i = 0; i < b->num; i++) {
		if (errs[i] == -ENOENT)
			frames[i] |= PRIVCMD_MMAPBATCH_PAGED_ERROR;
		else if (errs[i])
			frames[i] |= PRIVCMD_MMAPBATCH_MFN_ERROR;
	}
	return copy_to_user(b->arr, frames, b->num * sizeof(*frames)) ?
	       -EFAULT : 0;
}

long privcmd_ioctl_mmapbatch(struct privcmd_file *pf, void __user *udata,
			     int version)
{
	struct privcmd_batch b;
	xen_pfn_t *frames;
	bool paged = false;
	unsigned int i;
	int *errs;
	long rc;

	rc = privcmd_batch_args(udata, version, &b);
	if (rc)
		return rc;
	if (!privcmd_may_use(pf, b.dom))
		return -EPERM;

	frames = kvmalloc_array(b.num, sizeof(*frames), GFP_KERNEL);
	errs = kvcalloc(b.num, sizeof(*errs), GFP_KERNEL);
	rc = -ENOMEM;
	if (!frames || !errs)
		goto out;
	rc = -EFAULT;
	if (copy_from_user(frames, b.arr, b.num * sizeof(*frames)))
		goto out;

	rc = privcmd_map_frames(b.addr, frames, false, b.num, errs, b.dom);
	if (rc < 0)
		goto out;
	for (i = 0; i < b.num; i++)
		paged |= errs[i] == -ENOENT;
	rc = privcmd_batch_results(&b, frames, errs);
	/* Per-frame errors are in the results; paged-out frames say retry. */
	if (!rc && paged)
		rc = -ENOENT;
out:
	kvfree(errs);
	kvfree(frames);
	return rc;
}

/* ---- MMAP_RESOURCE ------------------------------------------------------ */

static int privcmd_acquire(const struct privcmd_mmap_resource *r,
			   u64 first, unsigned int nr, xen_pfn_t *frames)
{
	struct xen_mem_acquire_resource xr = {
		.domid = r->dom,
		.type = r->type,
		.id = r->id,
		.frame = first,
		.nr_frames = nr,
	};
	int rc;

	set_xen_guest_handle(xr.frame_list, frames);
	rc = HYPERVISOR_memory_op(XENMEM_acquire_resource, &xr);
	if (!rc && xr.nr_frames != nr)
		rc = -EIO;	/* Xen gave fewer frames than asked for */
	return rc;
}

/* The resource's size in frames, for a caller that passed addr/num 0. */
static long privcmd_resource_size(struct privcmd_mmap_resource *r,
				  void __user *udata)
{
	struct xen_mem_acquire_resource xr = {
		.domid = r->dom,
		.type = r->type,
		.id = r->id,
	};
	int rc;

	set_xen_guest_handle(xr.frame_list, NULL);
	rc = HYPERVISOR_memory_op(XENMEM_acquire_resource, &xr);
	if (rc)
		return rc;
	r->num = xr.nr_frames;
	return copy_to_user(udata, r, sizeof(*r)) ? -EFAULT : 0;
}

long privcmd_ioctl_mmap_resource(struct privcmd_file *pf, void __user *udata)
{
	struct privcmd_mmap_resource r;
	unsigned int i, n;
	xen_pfn_t *frames;
	int *errs, rc;

	if (copy_from_user(&r, udata, sizeof(r)))
		return -EFAULT;
	if (!privcmd_may_use(pf, r.dom))
		return -EPERM;
	if (!r.addr && !r.num)
		return privcmd_resource_size(&r, udata);
	if (!r.num || r.num > PRIVCMD_MAX_FRAMES ||
	    (u64)r.idx + r.num > U32_MAX)
		return -EINVAL;

	frames = kvmalloc_array(r.num, sizeof(*frames), GFP_KERNEL);
	errs = kvcalloc(r.num, sizeof(*errs), GFP_KERNEL);
	rc = -ENOMEM;
	if (!frames || !errs)
		goto out;
	for (i = 0; i < r.num; i += n) {
		n = min_t(unsigned int, r.num - i, PRIVCMD_RESOURCE_BATCH);
		rc = privcmd_acquire(&r, r.idx + i, n, frames + i);
		if (rc)
			goto out;
	}
	rc = privcmd_map_frames(r.addr, frames, false, r.num, errs, r.dom);
	if (rc > 0) {
		for (i = 0; i < r.num && !errs[i]; i++)
			;
		rc = errs[i];
	}
out:
	kvfree(errs);
	kvfree(frames);
	return rc;
}
