// SPDX-License-Identifier: GPL-2.0
/*
 * blkback's copy of the 32-bit guest's vbd ring layout
 * (drivers/block/xen-blkback/abi32.h) against Xen's blkif.h built for
 * i386.  Compiled to assembly only, once per side (blkif32.sh): each
 * check leaves a "#CHECK name value" line there, and the two lists must
 * be the same.
 */
#include <stddef.h>
#include <stdint.h>

#ifdef SIDE_OURS
#include <linux/types.h>
#define __packed __attribute__((__packed__))
#include "drivers/block/xen-blkback/abi32.h"
#define RW	struct bbk_x86_32_rw
#define DISCARD	struct bbk_x86_32_discard
#define IND	struct bbk_x86_32_indirect
#define RSP	struct bbk_x86_32_response
#define SLOT	union bbk_x86_32_slot
#else
#include <xen/xen.h>
#include <xen/io/blkif.h>
#define RW	struct blkif_request
#define DISCARD	struct blkif_request_discard
#define IND	struct blkif_request_indirect
#define RSP	struct blkif_response
#define SLOT	union blkif_sring_entry
#endif

#define SHOW(name, val)	asm volatile("#CHECK " name " %c0" : : "i" (val))
#define SIZE(t)		SHOW(#t ".size", sizeof(t))
#define OFF(t, f)	SHOW(#t "." #f, offsetof(t, f))

void blkif32_checks(void);
void blkif32_checks(void)
{
	SIZE(SLOT);
	/* The shared page's header, before the slots, is the same on both. */
	SHOW("sring.ring", offsetof(struct blkif_sring, ring));
	SIZE(RW);
	OFF(RW, operation);
	OFF(RW, nr_segments);
	OFF(RW, handle);
	OFF(RW, id);
	OFF(RW, sector_number);
	OFF(RW, seg);
	SIZE(struct blkif_request_segment);
	SIZE(DISCARD);
	OFF(DISCARD, operation);
	OFF(DISCARD, flag);
	OFF(DISCARD, handle);
	OFF(DISCARD, id);
	OFF(DISCARD, sector_number);
	OFF(DISCARD, nr_sectors);
	SIZE(IND);
	OFF(IND, operation);
	OFF(IND, indirect_op);
	OFF(IND, nr_segments);
	OFF(IND, id);
	OFF(IND, sector_number);
	OFF(IND, handle);
	OFF(IND, indirect_grefs);
	SIZE(RSP);
	OFF(RSP, id);
	OFF(RSP, operation);
	OFF(RSP, status);
}
