/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR MIT) */
/*
 * /dev/xen/gntdev: other domains' grants mapped into a process.
 *
 * MAP_GRANT_REF reserves a range of the file's offsets for a set of
 * grants; mmap() of that range maps them; munmap() unmaps them and
 * UNMAP_GRANT_REF gives the range back.  GRANT_COPY has Xen copy to or
 * from grants without mapping them.  Layouts and numbers as in Xen's
 * tools/include/xen-sys/Linux/gntdev.h.
 */
#ifndef _UAPI_XEN_GNTDEV_H
#define _UAPI_XEN_GNTDEV_H

#include <linux/ioctl.h>
#include <linux/types.h>
#include <xen/interface/grant_table.h>

struct ioctl_gntdev_grant_ref {
	__u32 domid;
	__u32 ref;
};

#define IOCTL_GNTDEV_MAP_GRANT_REF \
_IOC(_IOC_NONE, 'G', 0, sizeof(struct ioctl_gntdev_map_grant_ref))
struct ioctl_gntdev_map_grant_ref {
	__u32 count;			/* in */
	__u32 pad;
	__u64 index;			/* out: the mmap() offset */
	struct ioctl_gntdev_grant_ref refs[1];	/* in: count of them */
};

#define IOCTL_GNTDEV_UNMAP_GRANT_REF \
_IOC(_IOC_NONE, 'G', 1, sizeof(struct ioctl_gntdev_unmap_grant_ref))
struct ioctl_gntdev_unmap_grant_ref {
	__u64 index;
	__u32 count;
	__u32 pad;
};

#define IOCTL_GNTDEV_GET_OFFSET_FOR_VADDR \
_IOC(_IOC_NONE, 'G', 2, sizeof(struct ioctl_gntdev_get_offset_for_vaddr))
struct ioctl_gntdev_get_offset_for_vaddr {
	__u64 vaddr;			/* in: start of a mapping */
	__u64 offset;			/* out */
	__u32 count;			/* out: its pages */
	__u32 pad;
};

/* Obsolete; answered with ENOTTY as every recent kernel does. */
#define IOCTL_GNTDEV_SET_MAX_GRANTS \
_IOC(_IOC_NONE, 'G', 3, sizeof(struct ioctl_gntdev_set_max_grants))
struct ioctl_gntdev_set_max_grants {
	__u32 count;
};

/* What to do when the mapping of the page holding index goes away. */
#define IOCTL_GNTDEV_SET_UNMAP_NOTIFY \
_IOC(_IOC_NONE, 'G', 7, sizeof(struct ioctl_gntdev_unmap_notify))
struct ioctl_gntdev_unmap_notify {
	__u64 index;
	__u32 action;
	__u32 event_channel_port;
};

#define UNMAP_NOTIFY_CLEAR_BYTE 0x1
#define UNMAP_NOTIFY_SEND_EVENT 0x2

struct ioctl_gntdev_grant_copy_segment {
	union {
		void __user *virt;
		struct {
			grant_ref_t ref;
			__u16 offset;
			domid_t domid;
		} foreign;
	} source, dest;
	__u16 len;
	__u16 flags;			/* GNTCOPY_* */
	__s16 status;			/* out: GNTST_* */
};

#define IOCTL_GNTDEV_GRANT_COPY \
_IOC(_IOC_NONE, 'G', 8, sizeof(struct ioctl_gntdev_grant_copy))
struct ioctl_gntdev_grant_copy {
	unsigned int count;
	struct ioctl_gntdev_grant_copy_segment __user *segments;
};

#endif /* _UAPI_XEN_GNTDEV_H */
