// SPDX-License-Identifier: GPL-2.0
/*
 * The two ring layouts a frontend may use ("protocol" in its xenstore
 * directory): our own (x86_64-abi) and that of a 32-bit x86 guest
 * (x86_32-abi), whose 64-bit fields are only 4-byte aligned.  In the
 * 32-bit layout a request's id starts at byte 4 instead of 8, a slot is
 * 108 bytes instead of 112, and the ring's slot count follows from that.
 * A response has the same layout in both.
 *
 *   bbk_ring_init()   the back ring over the mapped shared pages
 *   bbk_ring_read()   slot i copied once and made a native request
 *   bbk_ring_answer() a response written into slot i
 *
 * Nothing read from a slot is trusted: it is copied whole with one read
 * of each byte before any field is looked at, and the native copy is
 * checked by ring.c and io.c as if the frontend were one of ours.
 */
#include <linux/log2.h>
#include <linux/stddef.h>

#include "abi32.h"
#include "blkback.h"

/* tests/abi/blkif32.sh checks every field against Xen's -m32 layout. */
static_assert(sizeof(union bbk_x86_32_slot) == 108);
static_assert(offsetof(struct bbk_x86_32_rw, seg) == 20);
static_assert(offsetof(struct bbk_x86_32_indirect, indirect_grefs) == 24);
/* One response layout serves both rings. */
static_assert(offsetof(struct blkif_response, operation) ==
	      offsetof(struct bbk_x86_32_response, operation));
static_assert(offsetof(struct blkif_response, status) ==
	      offsetof(struct bbk_x86_32_response, status));

static size_t bbk_slot_size(const struct bbk_queue *q)
{
	return q->vbd->abi32 ? sizeof(union bbk_x86_32_slot) :
			       sizeof(union blkif_sring_entry);
}

static void *bbk_slot(struct bbk_queue *q, RING_IDX i)
{
	return (u8 *)q->ring.sring->ring +
	       (i & (RING_SIZE(&q->ring) - 1)) * bbk_slot_size(q);
}

void bbk_ring_init(struct bbk_queue *q, void *sring, size_t size)
{
	size_t slots;

	BACK_RING_INIT(&q->ring, (struct blkif_sring *)sring, size);
	/* The native count is what BACK_RING_INIT works out. */
	slots = (size - offsetof(struct blkif_sring, ring)) / bbk_slot_size(q);
	q->ring.nr_ents = rounddown_pow_of_two(slots);
}

static void bbk_from_x86_32(union bbk_wire_req *r,
			    const union bbk_x86_32_slot *s)
{
	unsigned int i;

	memset(r, 0, sizeof(*r));
	r->rw.operation = s->rw.operation;
	switch (s->rw.operation) {
	case BLKIF_OP_DISCARD:
		r->discard.flag = s->discard.flag;
		r->discard.handle = s->discard.handle;
		r->discard.id = s->discard.id;
		r->discard.sector_number = s->discard.sector_number;
		r->discard.nr_sectors = s->discard.nr_sectors;
		break;
	case BLKIF_OP_INDIRECT:
		r->ind.indirect_op = s->ind.indirect_op;
		r->ind.nr_segments = s->ind.nr_segments;
		r->ind.id = s->ind.id;
		r->ind.sector_number = s->ind.sector_number;
		r->ind.handle = s->ind.handle;
		for (i = 0; i < BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST; i++)
			r->ind.indirect_grefs[i] = s->ind.indirect_grefs[i];
		break;
	default:
		/* Read, write, flush, barrier; or unknown: id for the answer. */
		r->rw.nr_segments = s->rw.nr_segments;
		r->rw.handle = s->rw.handle;
		r->rw.id = s->rw.id;
		r->rw.sector_number = s->rw.sector_number;
		for (i = 0; i < BLKIF_MAX_SEGMENTS_PER_REQUEST; i++)
			r->rw.seg[i] = s->rw.seg[i];
		break;
	}
}

void bbk_ring_read(struct bbk_queue *q, RING_IDX i, union bbk_wire_req *r)
{
	union bbk_x86_32_slot s;

	if (!q->vbd->abi32) {
		RING_COPY_REQUEST(&q->ring, i, &r->rw);
		return;
	}
	memcpy(&s, bbk_slot(q, i), sizeof(s));
	/* Only the copy is read from here on, never the slot again. */
	barrier();
	bbk_from_x86_32(r, &s);
}

void bbk_ring_answer(struct bbk_queue *q, RING_IDX i, u64 id, u8 op,
		     s16 status)
{
	struct bbk_x86_32_response *rsp = bbk_slot(q, i);

	rsp->id = id;
	rsp->operation = op;
	rsp->status = status;
}
