/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Xen virtual block device protocol (vbd), the x86-64 layout.
 *
 * The frontend puts requests on a ring shared with the backend; each
 * segment of a request is a granted page and a sector range within it
 * (sectors are always 512 bytes here).
 */
#ifndef __XEN_INTERFACE_IO_BLKIF_H__
#define __XEN_INTERFACE_IO_BLKIF_H__

#include <xen/interface/io/ring.h>
#include <xen/interface/grant_table.h>

typedef u16 blkif_vdev_t;
typedef u64 blkif_sector_t;

/* blkif_request.operation */
#define BLKIF_OP_READ			0
#define BLKIF_OP_WRITE			1
#define BLKIF_OP_WRITE_BARRIER		2 /* "feature-barrier" */
#define BLKIF_OP_FLUSH_DISKCACHE	3 /* "feature-flush-cache" */
#define BLKIF_OP_RESERVED_1		4
#define BLKIF_OP_DISCARD		5 /* "feature-discard" */
#define BLKIF_OP_INDIRECT		6 /* "feature-max-indirect-segments" */

/* Segments that fit in a direct request. */
#define BLKIF_MAX_SEGMENTS_PER_REQUEST		11
/* Pages of segment descriptors an indirect request may carry. */
#define BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST	8

struct blkif_request_segment {
	grant_ref_t gref;		/* the page */
	u8 first_sect, last_sect;	/* inclusive, 0 to 7 */
};

/* BLKIF_OP_READ, _WRITE, _WRITE_BARRIER and _FLUSH_DISKCACHE. */
struct blkif_request {
	u8 operation;		/* BLKIF_OP_* */
	u8 nr_segments;
	blkif_vdev_t handle;
	u64 id;			/* echoed in the response */
	blkif_sector_t sector_number;	/* first sector on the disk */
	struct blkif_request_segment seg[BLKIF_MAX_SEGMENTS_PER_REQUEST];
};

/* BLKIF_OP_DISCARD: the same slot seen with another layout. */
struct blkif_request_discard {
	u8 operation;
	u8 flag;			/* BLKIF_DISCARD_* */
#define BLKIF_DISCARD_SECURE	(1 << 0)
	blkif_vdev_t handle;
	u64 id;
	blkif_sector_t sector_number;
	u64 nr_sectors;
};

/*
 * BLKIF_OP_INDIRECT: the segments are in granted pages of
 * struct blkif_request_segment, listed in indirect_grefs.
 */
struct blkif_request_indirect {
	u8 operation;
	u8 indirect_op;		/* the real BLKIF_OP_READ/WRITE */
	u16 nr_segments;
	u64 id;
	blkif_sector_t sector_number;
	blkif_vdev_t handle;
	grant_ref_t indirect_grefs[BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST];
};

struct blkif_response {
	u64 id;
	u8 operation;
	s16 status;			/* BLKIF_RSP_* */
};

#define BLKIF_RSP_EOPNOTSUPP	-2
#define BLKIF_RSP_ERROR		-1
#define BLKIF_RSP_OKAY		0

DEFINE_RING_TYPES(blkif, struct blkif_request, struct blkif_response);

/* Bits of the backend's "info" node. */
#define VDISK_CDROM		0x1
#define VDISK_REMOVABLE		0x2
#define VDISK_READONLY		0x4

#endif /* __XEN_INTERFACE_IO_BLKIF_H__ */
