/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gntdev: other domains' grants for processes (libxengnttab; xenstored,
 * xenconsoled and qemu use it).
 *
 *   file.c   /dev/xen/gntdev, the ioctls, the file's table of grant maps
 *   map.c    mmap(): the grants mapped into the process and into kernel
 *            pages, the MMU notifier that unmaps them first whenever the
 *            kernel is about to tear the mapping down
 *   copy.c   IOCTL_GNTDEV_GRANT_COPY
 *
 * Trust: the caller is a process of the control domain (root), and the
 * grant references it names come from guests.  Counts, offsets and
 * domain ids are bounded before they size or index anything; whether a
 * reference may be mapped is for Xen to say, and a refused one fails the
 * mapping with nothing left behind.
 *
 * Why the notifier: Xen forbids clearing a PTE that a grant map created
 * except through GNTTABOP_unmap_grant_ref; the generic teardown (munmap,
 * exit, mremap) would clear it directly and Xen would fault us.
 */
#ifndef _DRIVERS_XEN_GNTDEV_H
#define _DRIVERS_XEN_GNTDEV_H

#include <linux/list.h>
#include <linux/mmu_notifier.h>
#include <linux/mutex.h>
#include <linux/refcount.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include <uapi/xen/gntdev.h>
#include <xen/grant_table.h>

/* Grants one file may have reserved at once, and one map may hold. */
#define GNTDEV_MAX_GRANTS	65536U

#define GNTDEV_NO_HANDLE	((grant_handle_t)~0U)

struct gntdev_mm;

struct gntdev_map {
	struct list_head node;		/* file->maps, by index; file->lock */
	refcount_t users;		/* the file's table, the mapping */
	u64 index;			/* first page's file offset, in pages */
	unsigned int count;
	struct ioctl_gntdev_grant_ref *refs;

	/* While mmapped (map.c); @vma is NULL otherwise. */
	struct vm_area_struct *vma;
	struct gntdev_mm *gmm;
	struct list_head mm_node;	/* gmm->maps; gmm->lock */
	bool readonly;
	u64 *ptes;			/* machine addresses of the user PTEs */
	grant_handle_t *user;		/* per page; GNTDEV_NO_HANDLE: none */
	grant_handle_t *kern;
	struct page **pages;		/* where the kernel mappings live */

	/* IOCTL_GNTDEV_SET_UNMAP_NOTIFY; file->lock. */
	u32 notify_action;
	u32 notify_port;
	u64 notify_offset;		/* byte offset within the map */
};

struct gntdev_file {
	struct mutex lock;		/* the maps and their notify fields */
	struct list_head maps;
	unsigned int nr_grants;		/* reserved by the maps on the list */
};

/* file.c */
void gntdev_put_map(struct gntdev_map *map);

/* map.c */
int gntdev_mmap(struct file *file, struct vm_area_struct *vma);
bool gntdev_supported(void);

/* copy.c */
long gntdev_ioctl_grant_copy(void __user *udata);

#endif /* _DRIVERS_XEN_GNTDEV_H */
