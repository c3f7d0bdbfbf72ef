/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR MIT) */
/*
 * /dev/xen/gntalloc: a process shares its own pages with another domain.
 *
 * ALLOC_GREF allocates count zeroed pages, grants each to domid and
 * reserves a range of the file's offsets for them; mmap() of that range
 * maps them into the process.  Layouts and numbers as in Xen's
 * tools/include/xen-sys/Linux/gntalloc.h.
 */
#ifndef _UAPI_XEN_GNTALLOC_H
#define _UAPI_XEN_GNTALLOC_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define IOCTL_GNTALLOC_ALLOC_GREF \
_IOC(_IOC_NONE, 'G', 5, sizeof(struct ioctl_gntalloc_alloc_gref))
struct ioctl_gntalloc_alloc_gref {
	__u16 domid;			/* in */
	__u16 flags;			/* in: GNTALLOC_FLAG_* */
	__u32 count;			/* in */
	__u64 index;			/* out: the mmap() offset */
	__u32 gref_ids[1];		/* out: count of them */
};

#define GNTALLOC_FLAG_WRITABLE 1

#define IOCTL_GNTALLOC_DEALLOC_GREF \
_IOC(_IOC_NONE, 'G', 6, sizeof(struct ioctl_gntalloc_dealloc_gref))
struct ioctl_gntalloc_dealloc_gref {
	__u64 index;
	__u32 count;
};

#define IOCTL_GNTALLOC_SET_UNMAP_NOTIFY \
_IOC(_IOC_NONE, 'G', 7, sizeof(struct ioctl_gntalloc_unmap_notify))
struct ioctl_gntalloc_unmap_notify {
	__u64 index;
	__u32 action;
	__u32 event_channel_port;
};

/* The same values as gntdev's. */
#define UNMAP_NOTIFY_CLEAR_BYTE 0x1
#define UNMAP_NOTIFY_SEND_EVENT 0x2

#endif /* _UAPI_XEN_GNTALLOC_H */
