// SPDX-License-Identifier: GPL-2.0
/*
 * The I/O path: blk-mq requests become ring requests, responses end them.
 *
 * A request's data is described page by page (the queue limits make
 * blk_rq_map_sg() return one entry per page); up to
 * BLKIF_MAX_SEGMENTS_PER_REQUEST pages fit in the ring slot itself, more
 * go into indirect pages when the backend accepts BLKIF_OP_INDIRECT.
 * Each page is either granted for this request only, or bounced through
 * a page of the queue's pool: with persistent grants, and for a backend
 * we do not trust, which must not see the rest of a page it is owed a
 * segment of.  Indirect pages are zeroed once, so they show nothing but
 * descriptors either.
 *
 * Responses come from another domain: an id must name a slot that is in
 * use, and the response producer must not run ahead of what we issued;
 * anything else marks the queue broken and the device is disconnected.
 */
#include <linux/blk-mq.h>
#include <linux/highmem.h>
#include <linux/interrupt.h>
#include <linux/slab.h>
#include <asm/xen/page.h>
#include <xen/events.h>

#include "blkfront.h"

/* A ring entry built in private memory, then copied to the ring. */
union bfr_wire {
	struct blkif_request rw;
	struct blkif_request_discard discard;
	struct blkif_request_indirect indirect;
};

static_assert(sizeof(union bfr_wire) == sizeof(struct blkif_request));

/* ------------------------------------------------------------ slots */

static void bfr_slot_free_mem(struct bfr_slot *s)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(s->ind); i++) {
		if (s->ind[i])
			__free_page(s->ind[i]);
		s->ind[i] = NULL;
	}
	kfree(s->sg);
	kfree(s->refs);
	kfree(s->ref_pages);
	kfree(s->pgs);
}

/* One slot per ring entry, sized for the negotiated segment count. */
int bfr_slots_alloc(struct bfr_queue *q)
{
	struct bfr_dev *bd = q->bd;
	unsigned int n = RING_SIZE(&q->ring), grants, i, j;

	grants = bd->max_segs + bd->max_ind;
	q->slots = kcalloc(n, sizeof(*q->slots), GFP_KERNEL);
	if (!q->slots)
		return -ENOMEM;
	q->nr_slots = n;
	for (i = 0; i < n; i++) {
		struct bfr_slot *s = &q->slots[i];

		s->next_free = i + 1 < n ? i + 1 : BFR_NO_SLOT;
		s->sg = kcalloc(bd->max_segs, sizeof(*s->sg), GFP_KERNEL);
		if (!s->sg)
			goto nomem;
		sg_init_table(s->sg, bd->max_segs);
		if (bd->bounce) {
			s->pgs = kcalloc(grants, sizeof(*s->pgs), GFP_KERNEL);
			if (!s->pgs)
				goto nomem;
			continue;
		}
		s->refs = kcalloc(grants, sizeof(*s->refs), GFP_KERNEL);
		s->ref_pages = kcalloc(grants, sizeof(*s->ref_pages),
				       GFP_KERNEL);
		if (!s->refs || !s->ref_pages)
			goto nomem;
		for (j = 0; j < bd->max_ind; j++) {
			s->ind[j] = alloc_page(GFP_KERNEL | __GFP_ZERO);
			if (!s->ind[j])
				goto nomem;
		}
	}
	q->free_slot = 0;
	q->busy = 0;
	return 0;

nomem:
	bfr_slots_free(q);
	return -ENOMEM;
}

void bfr_slots_free(struct bfr_queue *q)
{
	unsigned int i;

	if (!q->slots)
		return;
	for (i = 0; i < q->nr_slots; i++)
		bfr_slot_free_mem(&q->slots[i]);
	kfree(q->slots);
	q->slots = NULL;
	q->nr_slots = 0;
}

static struct bfr_slot *bfr_slot_take(struct bfr_queue *q)
{
	struct bfr_slot *s;

	if (q->free_slot == BFR_NO_SLOT)
		return NULL;
	s = &q->slots[q->free_slot];
	q->free_slot = s->next_free;
	q->busy++;
	return s;
}

static void bfr_slot_give(struct bfr_queue *q, struct bfr_slot *s)
{
	s->rq = NULL;
	s->next_free = s - q->slots;
	swap(s->next_free, q->free_slot);
	q->busy--;
	if (!q->busy)
		wake_up(&q->bd->drained);
}

/* ------------------------------------------------------------ grants */

/* Let go of the grants of a slot; copy read data out of the pool first. */
static void bfr_slot_release(struct bfr_queue *q, struct bfr_slot *s,
			     bool copy_out)
{
	struct scatterlist *sg;
	unsigned int i, busy;

	if (q->bd->bounce) {
		for_each_sg(s->sg, sg, s->nr_sg, i) {
			if (copy_out)
				memcpy_to_page(sg_page(sg), sg->offset,
					       page_address(s->pgs[i]->page) +
					       sg->offset, sg->length);
			bfr_pool_put(q, s->pgs[i]);
		}
		for (i = 0; i < s->nr_ind; i++)
			bfr_pool_put(q, s->pgs[s->nr_sg + i]);
		s->nr_sg = 0;
		s->nr_ind = 0;
		return;
	}

	/* The grant code keeps a page the backend still maps. */
	busy = gnttab_end_access_batch(s->refs, s->ref_pages, s->nr_refs);
	if (busy)
		dev_warn_ratelimited(&q->bd->xdev->dev,
				     "backend still maps %u completed pages\n",
				     busy);
	s->nr_refs = 0;
	s->nr_sg = 0;
	s->nr_ind = 0;
}

/*
 * Grant (or bounce) the data of @s and, for indirect requests, the
 * indirect pages; fill the segment list at @segs (ring slot) or in the
 * indirect pages.  Returns 0 or a blk status to retry later.
 */
/*
 * The grants a request needs, @n of them: persistent pages from the pool,
 * or fresh references (waiting for the pool of references to refill when
 * there are too few).
 */
static blk_status_t bfr_take_grants(struct bfr_queue *q, struct bfr_slot *s,
				    unsigned int n)
{
	unsigned int i;

	if (!q->bd->bounce) {
		if (gnttab_alloc_refs(s->refs, n)) {
			q->gnt_wait.want = n;
			gnttab_wait_for_refs(&q->gnt_wait);
			return BLK_STS_RESOURCE;
		}
		s->nr_refs = n;
		return BLK_STS_OK;
	}
	for (i = 0; i < n; i++) {
		s->pgs[i] = bfr_pool_get(q);
		if (!s->pgs[i]) {
			while (i--)
				bfr_pool_put(q, s->pgs[i]);
			return BLK_STS_RESOURCE;
		}
	}
	return BLK_STS_OK;
}

/*
 * The grant behind grant slot @i of the request for @len bytes at @off
 * of @page: a persistent page (the bytes copied in when they go to the
 * backend), or @page itself granted under a fresh reference, read-only
 * when the backend only reads it.
 */
static grant_ref_t bfr_grant_one(struct bfr_queue *q, struct bfr_slot *s,
				 unsigned int i, struct page *page,
				 unsigned int off, unsigned int len,
				 bool to_backend)
{
	if (q->bd->bounce) {
		if (to_backend && len)
			memcpy_from_page(page_address(s->pgs[i]->page) + off,
					 page, off, len);
		return s->pgs[i]->ref;
	}
	s->ref_pages[i] = page;
	gnttab_grant_access_ref(s->refs[i], q->bd->xdev->otherend_id,
				pfn_to_mfn(page_to_pfn(page)), to_backend);
	return s->refs[i];
}

/* The page holding the request's indirect segment page @nr. */
static struct page *bfr_ind_page(struct bfr_queue *q, struct bfr_slot *s,
				 unsigned int nr)
{
	return q->bd->bounce ? s->pgs[s->nr_sg + nr]->page : s->ind[nr];
}

/*
 * Where segment @i's descriptor goes: inline in the request, or in an
 * indirect page, mapped in *@ind_va (the previous one unmapped) as @i
 * reaches it.
 */
static struct blkif_request_segment *
bfr_seg_slot(struct bfr_queue *q, struct bfr_slot *s, unsigned int i,
	     struct blkif_request_segment *inline_segs, void **ind_va)
{
	if (!s->indirect)
		return &inline_segs[i];
	if (!(i % BFR_SEGS_PER_PAGE)) {
		if (*ind_va)
			kunmap_local(*ind_va);
		*ind_va = kmap_local_page(bfr_ind_page(q, s,
						       i / BFR_SEGS_PER_PAGE));
	}
	return (struct blkif_request_segment *)*ind_va + i % BFR_SEGS_PER_PAGE;
}

static blk_status_t bfr_grant_data(struct bfr_queue *q, struct bfr_slot *s,
				   bool to_backend,
				   struct blkif_request_segment *inline_segs,
				   grant_ref_t *ind_refs)
{
	struct blkif_request_segment *seg;
	struct scatterlist *sg;
	void *ind_va = NULL;
	blk_status_t ret;
	unsigned int i;

	ret = bfr_take_grants(q, s, s->nr_sg + s->nr_ind);
	if (ret != BLK_STS_OK)
		return ret;

	for_each_sg(s->sg, sg, s->nr_sg, i) {
		seg = bfr_seg_slot(q, s, i, inline_segs, &ind_va);
		seg->gref = bfr_grant_one(q, s, i, sg_page(sg), sg->offset,
					  sg->length, to_backend);
		seg->first_sect = sg->offset >> SECTOR_SHIFT;
		seg->last_sect = (sg->offset + sg->length - 1) >> SECTOR_SHIFT;
	}
	if (ind_va)
		kunmap_local(ind_va);

	/* The indirect pages themselves, read-only to the backend. */
	for (i = 0; i < s->nr_ind; i++)
		ind_refs[i] = bfr_grant_one(q, s, s->nr_sg + i,
					    bfr_ind_page(q, s, i), 0, 0, true);
	return BLK_STS_OK;
}

/* ------------------------------------------------------------ submit */

static blk_status_t bfr_build_rw(struct bfr_queue *q, struct bfr_slot *s,
				 struct request *rq, union bfr_wire *w)
{
	struct bfr_dev *bd = q->bd;
	bool to_backend = rq_data_dir(rq) == WRITE;

	s->op = to_backend ? BLKIF_OP_WRITE : BLKIF_OP_READ;
	s->nr_sg = blk_rq_map_sg(rq->q, rq, s->sg);
	s->indirect = s->nr_sg > BLKIF_MAX_SEGMENTS_PER_REQUEST;
	s->nr_ind = s->indirect ? DIV_ROUND_UP(s->nr_sg, BFR_SEGS_PER_PAGE) : 0;
	if (WARN_ON_ONCE(s->nr_sg > bd->max_segs ||
			 (s->indirect && s->nr_ind > bd->max_ind)))
		return BLK_STS_IOERR;

	if (s->indirect) {
		w->indirect.operation = BLKIF_OP_INDIRECT;
		w->indirect.indirect_op = s->op;
		w->indirect.nr_segments = s->nr_sg;
		w->indirect.sector_number = blk_rq_pos(rq);
		w->indirect.handle = bd->vdev;
		return bfr_grant_data(q, s, to_backend, NULL,
				      w->indirect.indirect_grefs);
	}
	w->rw.operation = s->op;
	w->rw.nr_segments = s->nr_sg;
	w->rw.sector_number = blk_rq_pos(rq);
	w->rw.handle = bd->vdev;
	return bfr_grant_data(q, s, to_backend, w->rw.seg, NULL);
}

static blk_status_t bfr_issue(struct bfr_queue *q, struct request *rq)
{
	struct bfr_dev *bd = q->bd;
	blk_status_t ret = BLK_STS_OK;
	union bfr_wire w = {};
	struct bfr_slot *s;

	if (RING_FULL(&q->ring))
		return BLK_STS_RESOURCE;
	s = bfr_slot_take(q);
	if (!s)
		return BLK_STS_RESOURCE;
	s->nr_sg = 0;
	s->nr_ind = 0;
	s->nr_refs = 0;
	s->indirect = false;

	switch (req_op(rq)) {
	case REQ_OP_READ:
	case REQ_OP_WRITE:
		ret = bfr_build_rw(q, s, rq, &w);
		break;
	case REQ_OP_FLUSH:
		if (!bd->flush_op) {
			ret = BLK_STS_NOTSUPP;
			break;
		}
		s->op = bd->flush_op;
		w.rw.operation = s->op;
		w.rw.handle = bd->vdev;
		w.rw.sector_number = 0;
		break;
	case REQ_OP_DISCARD:
	case REQ_OP_SECURE_ERASE:
		if (!bd->discard) {
			ret = BLK_STS_NOTSUPP;
			break;
		}
		s->op = BLKIF_OP_DISCARD;
		w.discard.operation = BLKIF_OP_DISCARD;
		w.discard.handle = bd->vdev;
		w.discard.sector_number = blk_rq_pos(rq);
		w.discard.nr_sectors = blk_rq_sectors(rq);
		if (req_op(rq) == REQ_OP_SECURE_ERASE)
			w.discard.flag = BLKIF_DISCARD_SECURE;
		break;
	default:
		ret = BLK_STS_NOTSUPP;
		break;
	}

	if (ret != BLK_STS_OK) {
		bfr_slot_give(q, s);
		return ret;
	}

	s->rq = rq;
	/* The id is the slot number: checked against the slots on return. */
	w.rw.id = s - q->slots;
	memcpy(RING_GET_REQUEST(&q->ring, q->ring.req_prod_pvt), &w,
	       sizeof(w));
	q->ring.req_prod_pvt++;
	return BLK_STS_OK;
}

/* Publish what was queued; one event for the whole batch. */
static void bfr_push(struct bfr_queue *q)
{
	int notify;

	RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&q->ring, notify);
	if (notify)
		xen_evtchn_notify(q->port);
}

/*
 * The ring of a hardware queue, looked up on each call: a restore
 * (xenbus.c) replaces the rings.  Only while the device is live: outside
 * that phase there may be no rings at all, and the phase only leaves
 * BFR_LIVE with dispatch quiesced or the disk going away, so no call
 * holds a ring when they are freed.
 */
static struct bfr_queue *bfr_hctx_queue(struct blk_mq_hw_ctx *hctx)
{
	struct bfr_dev *bd = hctx->driver_data;

	if (READ_ONCE(bd->phase) != BFR_LIVE)
		return NULL;
	return &bd->queues[hctx->queue_num];
}

static blk_status_t bfr_queue_rq(struct blk_mq_hw_ctx *hctx,
				 const struct blk_mq_queue_data *qd)
{
	struct bfr_queue *q = bfr_hctx_queue(hctx);
	struct request *rq = qd->rq;
	unsigned long flags;
	blk_status_t ret;

	blk_mq_start_request(rq);
	if (!q)
		return BLK_STS_IOERR;
	spin_lock_irqsave(&q->lock, flags);
	if (q->bd->phase != BFR_LIVE || q->broken)
		ret = BLK_STS_IOERR;
	else
		ret = bfr_issue(q, rq);
	/*
	 * Only the last of a batch publishes.  When a request fails or is
	 * refused mid-batch, blk-mq stops there and calls commit_rqs for
	 * those already queued, so no push is needed here for them.
	 */
	if (qd->last)
		bfr_push(q);
	spin_unlock_irqrestore(&q->lock, flags);
	return ret;
}

static void bfr_commit_rqs(struct blk_mq_hw_ctx *hctx)
{
	struct bfr_queue *q = bfr_hctx_queue(hctx);
	unsigned long flags;

	if (!q)
		return;
	spin_lock_irqsave(&q->lock, flags);
	if (q->bd->phase == BFR_LIVE && !q->broken)
		bfr_push(q);
	spin_unlock_irqrestore(&q->lock, flags);
}

static void bfr_complete(struct request *rq)
{
	struct bfr_cmd *cmd = blk_mq_rq_to_pdu(rq);

	blk_mq_end_request(rq, cmd->status);
}

static int bfr_init_hctx(struct blk_mq_hw_ctx *hctx, void *data,
			 unsigned int index)
{
	struct bfr_dev *bd = data;

	if (index >= bd->nr_queues)
		return -EINVAL;
	hctx->driver_data = bd;
	return 0;
}

const struct blk_mq_ops bfr_mq_ops = {
	.queue_rq = bfr_queue_rq,
	.commit_rqs = bfr_commit_rqs,
	.complete = bfr_complete,
	.init_hctx = bfr_init_hctx,
};

/* ------------------------------------------------------------ responses */

static blk_status_t bfr_status(struct bfr_queue *q, struct bfr_slot *s,
			       s16 status)
{
	switch (status) {
	case BLKIF_RSP_OKAY:
		return BLK_STS_OK;
	case BLKIF_RSP_EOPNOTSUPP:
		dev_warn_ratelimited(&q->bd->xdev->dev,
				     "backend does not support operation %u\n",
				     s->op);
		return BLK_STS_NOTSUPP;
	default:
		dev_err_ratelimited(&q->bd->xdev->dev,
				    "%s: operation %u failed: status %d\n",
				    q->bd->name, s->op, status);
		return BLK_STS_IOERR;
	}
}

static void bfr_finish(struct bfr_queue *q, struct bfr_slot *s,
		       blk_status_t status)
{
	struct request *rq = s->rq;
	struct bfr_cmd *cmd = blk_mq_rq_to_pdu(rq);

	bfr_slot_release(q, s, status == BLK_STS_OK && s->op == BLKIF_OP_READ);
	bfr_slot_give(q, s);
	cmd->status = status;
	if (likely(!blk_should_fake_timeout(rq->q)))
		blk_mq_complete_request(rq);
}

/* End every request still in flight on @q; q->lock held. */
static void bfr_fail_slots(struct bfr_queue *q)
{
	unsigned int i;

	for (i = 0; q->slots && i < q->nr_slots; i++) {
		struct bfr_slot *s = &q->slots[i];

		if (s->rq)
			bfr_finish(q, s, BLK_STS_IOERR);
	}
}

/*
 * Called with q->lock held: the number of responses taken, or -EPROTO if
 * the backend broke the protocol.
 */
static int bfr_reap(struct bfr_queue *q)
{
	struct blkif_response rsp;
	struct bfr_slot *s;
	RING_IDX prod, cons;
	int more, n = 0;

	do {
		prod = READ_ONCE(q->ring.sring->rsp_prod);
		virt_rmb(); /* the responses after the index */
		if (RING_RESPONSE_PROD_OVERFLOW(&q->ring, prod) ||
		    prod - q->ring.rsp_cons >
		    q->ring.req_prod_pvt - q->ring.rsp_cons) {
			xenbus_peer_error(&q->bd->perr,
					  "%s: response producer ran ahead of the requests",
					  q->bd->name);
			return -EPROTO;
		}
		for (cons = q->ring.rsp_cons; cons != prod; cons++) {
			RING_COPY_RESPONSE(&q->ring, cons, &rsp);
			if (rsp.id >= q->nr_slots || !q->slots[rsp.id].rq) {
				xenbus_peer_error(&q->bd->perr,
						  "%s: response for a request id we did not issue (%llu)",
						  q->bd->name, rsp.id);
				return -EPROTO;
			}
			s = &q->slots[rsp.id];
			if (rsp.operation != s->op &&
			    !(s->indirect && rsp.operation == BLKIF_OP_INDIRECT)) {
				xenbus_peer_error(&q->bd->perr,
						  "%s: response operation does not match its request (%u for %u)",
						  q->bd->name, rsp.operation, s->op);
				return -EPROTO;
			}
			bfr_finish(q, s, bfr_status(q, s, rsp.status));
			n++;
		}
		q->ring.rsp_cons = prod;
		RING_FINAL_CHECK_FOR_RESPONSES(&q->ring, more);
	} while (more);
	return n;
}

/*
 * The port is bound for late EOI: it stays masked until the ring has been
 * reaped here, and events without a response behind them (a backend
 * notifying in a loop, or one we stopped listening to) count as such.
 */
irqreturn_t bfr_interrupt(int irq, void *data)
{
	struct bfr_queue *q = data;
	unsigned long flags;
	int n = 0;

	spin_lock_irqsave(&q->lock, flags);
	if (q->slots && !q->broken && q->bd->phase != BFR_DEAD &&
	    q->bd->phase != BFR_NEW) {
		n = bfr_reap(q);
		if (n < 0) {
			/*
			 * Nothing more is taken from this ring: fail what it
			 * holds now rather than when the backend closes,
			 * which a broken one may never do.
			 */
			q->broken = true;
			bfr_fail_slots(q);
		}
	}
	spin_unlock_irqrestore(&q->lock, flags);
	xen_evtchn_eoi(irq, n > 0);
	return IRQ_HANDLED;
}

/* ------------------------------------------------------------ teardown */

/* With the event channel unbound: end every request still in flight. */
void bfr_fail_inflight(struct bfr_queue *q)
{
	unsigned long flags;

	spin_lock_irqsave(&q->lock, flags);
	bfr_fail_slots(q);
	spin_unlock_irqrestore(&q->lock, flags);
}

/*
 * After a restore in a new domain, with the queue's handler idle (phase
 * BFR_NEW) and dispatch quiesced: the requests in flight on the dead ring
 * go back to blk-mq, to be issued again on the next ring; their grants
 * died with the old domain.  Returns how many.
 */
unsigned int bfr_requeue_inflight(struct bfr_queue *q)
{
	struct request *rq, *next;
	unsigned long flags;
	unsigned int i, n = 0;
	LIST_HEAD(again);

	spin_lock_irqsave(&q->lock, flags);
	for (i = 0; q->slots && i < q->nr_slots; i++) {
		struct bfr_slot *s = &q->slots[i];

		if (!s->rq)
			continue;
		rq = s->rq;
		bfr_slot_release(q, s, false);
		bfr_slot_give(q, s);
		/* The driver owns queuelist while the request is in flight. */
		list_add_tail(&rq->queuelist, &again);
		n++;
	}
	spin_unlock_irqrestore(&q->lock, flags);

	list_for_each_entry_safe(rq, next, &again, queuelist) {
		list_del_init(&rq->queuelist);
		blk_mq_requeue_request(rq, false);
	}
	return n;
}

unsigned int bfr_busy(struct bfr_dev *bd)
{
	unsigned int i, n = 0;
	unsigned long flags;

	for (i = 0; i < bd->nr_queues; i++) {
		struct bfr_queue *q = &bd->queues[i];

		spin_lock_irqsave(&q->lock, flags);
		n += q->broken ? 0 : q->busy;
		spin_unlock_irqrestore(&q->lock, flags);
	}
	return n;
}

void bfr_set_phase(struct bfr_dev *bd, enum bfr_phase phase)
{
	unsigned long flags;
	unsigned int i;

	WRITE_ONCE(bd->phase, phase);
	/* Wait out any submitter or handler that saw the old phase. */
	for (i = 0; i < bd->nr_queues; i++) {
		spin_lock_irqsave(&bd->queues[i].lock, flags);
		spin_unlock_irqrestore(&bd->queues[i].lock, flags);
	}
}
