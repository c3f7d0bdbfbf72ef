/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pieces of privcmd, the toolstack's way to Xen:
 *
 *   core.c     /dev/xen/privcmd, the ioctl dispatch, HYPERCALL, DM_OP
 *              and RESTRICT
 *   mmap.c     privcmd mappings: MMAP, MMAPBATCH(_V2), MMAP_RESOURCE
 *   hcall-buf.c  /dev/xen/hypercall, memory for hypercall arguments (a
 *              module of its own)
 *
 * Who is trusted: the caller is root in the control domain, but its
 * arguments are still checked before they index or size anything of
 * ours; what they ask of Xen (which domain, which frames) Xen judges.
 */
#ifndef _DRIVERS_XEN_PRIVCMD_H
#define _DRIVERS_XEN_PRIVCMD_H

#include <linux/fs.h>
#include <xen/interface/xen.h>

/* One open file: everything it may do. */
struct privcmd_file {
	/* DOMID_INVALID, or the one domain this file may still act on. */
	domid_t restrict_to;
};

static inline bool privcmd_may_use(struct privcmd_file *pf, domid_t dom)
{
	domid_t r = READ_ONCE(pf->restrict_to);

	return r == DOMID_INVALID || r == dom;
}

/* mmap.c */
int privcmd_mmap(struct file *file, struct vm_area_struct *vma);
long privcmd_ioctl_mmap(struct privcmd_file *pf, void __user *udata);
long privcmd_ioctl_mmapbatch(struct privcmd_file *pf, void __user *udata,
			     int version);
long privcmd_ioctl_mmap_resource(struct privcmd_file *pf, void __user *udata);

/* core.c, for xenfs: /proc/xen/privcmd is the same device. */
extern const struct file_operations xen_privcmd_fops;

#endif /* _DRIVERS_XEN_PRIVCMD_H */
