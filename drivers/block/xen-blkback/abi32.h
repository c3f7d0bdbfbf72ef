/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The vbd ring as a 32-bit x86 guest lays it out (x86_32-abi): Xen's
 * blkif.h compiled for i386, where 64-bit fields are 4-byte aligned.
 * Only abi.c uses it; tests/abi/blkif32.sh compares it with Xen's header
 * built with -m32.
 */
#ifndef XEN_BLKBACK_ABI32_H
#define XEN_BLKBACK_ABI32_H

#include <xen/interface/io/blkif.h>

/* A 32-bit guest's blkif structures, as its compiler lays them out. */
struct bbk_x86_32_rw {
	u8 operation;
	u8 nr_segments;
	u16 handle;
	u64 id;
	u64 sector_number;
	struct blkif_request_segment seg[BLKIF_MAX_SEGMENTS_PER_REQUEST];
} __packed;

struct bbk_x86_32_discard {
	u8 operation;
	u8 flag;
	u16 handle;
	u64 id;
	u64 sector_number;
	u64 nr_sectors;
} __packed;

struct bbk_x86_32_indirect {
	u8 operation;
	u8 indirect_op;
	u16 nr_segments;
	u64 id;
	u64 sector_number;
	u16 handle;
	u16 pad;
	grant_ref_t indirect_grefs[BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST];
	u64 pad2;
} __packed;

struct bbk_x86_32_response {
	u64 id;
	u8 operation;
	u8 pad;
	s16 status;
} __packed;

union bbk_x86_32_slot {
	struct bbk_x86_32_rw rw;
	struct bbk_x86_32_discard discard;
	struct bbk_x86_32_indirect ind;
	struct bbk_x86_32_response rsp;
};

#endif
