// SPDX-License-Identifier: GPL-2.0
/*
 * A queue: the frontend's ring mapped into our address space, its event
 * channel, and the kernel thread that serves it.
 *
 * The thread takes requests off the ring and hands them to io.c; only it
 * moves the request index.  Responses are written by the thread and, for
 * a request with no grant left to unmap (persistent grants, or none), by
 * the bio completion itself, which saves the frontend the thread's
 * wake-up on every I/O: q->rsp_lock orders the two writers.  The
 * completion still queues the request on q->done for the thread, which
 * owns the free list and the persistent grants' bookkeeping, but wakes it
 * only if it waits for a free request (bbk_wait_for_free()).  The thread
 * sleeps when the ring is empty and nothing is in flight; the event
 * channel and completions wake it, and a one-second timeout lets it
 * notice a resized disk.
 *
 * Every request is copied off the ring before it is looked at.  A
 * producer index further ahead than the ring is long means the frontend
 * wrote garbage into the shared page: we stop reading the ring, say so
 * once, and close the device.
 */
#include <linux/kthread.h>
#include <linux/interrupt.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <xen/events.h>

#include "blkback.h"

/* A slot is copied whole whatever its operation. */
static_assert(sizeof(union bbk_wire_req) == sizeof(struct blkif_request));

void bbk_kick(struct bbk_queue *q)
{
	if (!test_and_set_bit(0, &q->kick))
		wake_up(&q->wq);
}

/*
 * The channel is bound for late EOI: it stays masked until the thread has
 * taken what the frontend put on the ring, and a frontend that notifies
 * without putting anything there is throttled (xen_evtchn_eoi()).
 */
static irqreturn_t bbk_interrupt(int irq, void *data)
{
	struct bbk_queue *q = data;

	set_bit(1, &q->kick);
	bbk_kick(q);
	return IRQ_HANDLED;
}

/* One response into the next slot; q->rsp_lock held. */
static void bbk_put_response(struct bbk_queue *q, u64 id, u8 op, s16 status)
{
	bbk_ring_answer(q, q->ring.rsp_prod_pvt, id, op, status);
	q->ring.rsp_prod_pvt++;
	if (status != BLKIF_RSP_OKAY)
		q->st_err++;
}

/* Queues a response; bbk_push() publishes it. */
void bbk_respond(struct bbk_queue *q, u64 id, u8 op, s16 status)
{
	unsigned long flags;

	spin_lock_irqsave(&q->rsp_lock, flags);
	bbk_put_response(q, id, op, status);
	spin_unlock_irqrestore(&q->rsp_lock, flags);
}

/* Any context: one response, published and notified at once. */
void bbk_respond_now(struct bbk_queue *q, u64 id, u8 op, s16 status)
{
	unsigned long flags;
	bool notify;

	spin_lock_irqsave(&q->rsp_lock, flags);
	bbk_put_response(q, id, op, status);
	RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&q->ring, notify);
	spin_unlock_irqrestore(&q->rsp_lock, flags);
	if (notify)
		xen_evtchn_notify_irq(q->irq);
}

void bbk_bad_request(struct bbk_queue *q, const char *what, u64 id, u8 op,
		     s16 status)
{
	q->st_bad++;
	dev_warn_ratelimited(&q->vbd->xdev->dev, "%s: bad request (op %u): %s\n",
			     q->name, op, what);
	bbk_respond(q, id, op, status);
}

static void bbk_push(struct bbk_queue *q)
{
	unsigned long flags;
	bool notify;

	spin_lock_irqsave(&q->rsp_lock, flags);
	RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&q->ring, notify);
	spin_unlock_irqrestore(&q->rsp_lock, flags);
	if (notify)
		xen_evtchn_notify_irq(q->irq);
}

/* The segments of a direct read or write, checked, into @req. */
static int bbk_copy_segs(struct bbk_queue *q, struct bbk_req *req,
			 const struct blkif_request *r)
{
	unsigned int i;

	if (r->nr_segments == 0 ||
	    r->nr_segments > BLKIF_MAX_SEGMENTS_PER_REQUEST) {
		bbk_bad_request(q, "segment count out of range", r->id,
				r->operation, BLKIF_RSP_ERROR);
		return -EINVAL;
	}
	for (i = 0; i < r->nr_segments; i++) {
		req->segs[i].gref = r->seg[i].gref;
		req->segs[i].first_sect = r->seg[i].first_sect;
		req->segs[i].last_sect = r->seg[i].last_sect;
	}
	req->nr_segs = r->nr_segments;
	return 0;
}

/* One request, already our copy: start it or answer it at once. */
static void bbk_dispatch(struct bbk_queue *q, const union bbk_wire_req *r)
{
	struct bbk_vbd *vbd = q->vbd;
	struct bbk_req *req;
	u8 op = r->rw.operation;

	switch (op) {
	case BLKIF_OP_DISCARD:
		bbk_discard(q, &r->discard);
		return;
	case BLKIF_OP_READ:
	case BLKIF_OP_WRITE:
	case BLKIF_OP_INDIRECT:
	case BLKIF_OP_FLUSH_DISKCACHE:
	case BLKIF_OP_WRITE_BARRIER:
		break;
	default:
		bbk_bad_request(q, "unknown operation", r->rw.id, op,
				BLKIF_RSP_EOPNOTSUPP);
		return;
	}
	if ((op == BLKIF_OP_FLUSH_DISKCACHE || op == BLKIF_OP_WRITE_BARRIER) &&
	    !vbd->flush) {
		bbk_respond(q, r->rw.id, op, BLKIF_RSP_EOPNOTSUPP);
		return;
	}

	req = list_first_entry(&q->free_reqs, struct bbk_req, link);
	list_del(&req->link);
	req->op = op;
	req->id = r->rw.id;
	req->nr_segs = 0;
	req->nr_mapped = 0;
	req->status = BLK_STS_OK;

	switch (op) {
	case BLKIF_OP_READ:
		req->opf = REQ_OP_READ;
		break;
	case BLKIF_OP_WRITE:
		req->opf = REQ_OP_WRITE | REQ_SYNC | REQ_IDLE;
		break;
	case BLKIF_OP_FLUSH_DISKCACHE:
	case BLKIF_OP_WRITE_BARRIER:
		req->opf = REQ_OP_WRITE | REQ_PREFLUSH;
		break;
	case BLKIF_OP_INDIRECT:
		req->opf = r->ind.indirect_op == BLKIF_OP_WRITE ?
			   REQ_OP_WRITE | REQ_SYNC | REQ_IDLE : REQ_OP_READ;
		break;
	}

	if (op == BLKIF_OP_INDIRECT) {
		req->sector = r->ind.sector_number;
		if (bbk_fetch_indirect(q, req, &r->ind))
			goto refuse;
		/* Frontends expect the operation inside, not "indirect". */
		req->op = r->ind.indirect_op;
	} else {
		req->sector = r->rw.sector_number;
		/* A flush may carry no data; everything else must. */
		if (!(req->opf & REQ_PREFLUSH) || r->rw.nr_segments) {
			if (bbk_copy_segs(q, req, &r->rw))
				goto refuse;
		}
		/* Data with a flush: the data must be stable too. */
		if ((req->opf & REQ_PREFLUSH) && req->nr_segs)
			req->opf |= REQ_FUA;
	}
	q->nr_inflight++;
	bbk_submit(q, req);
	return;

refuse:
	list_add(&req->link, &q->free_reqs);
}

/*
 * Takes requests off the ring while we have room for them.  Returns true
 * if it stopped with requests left (no free bbk_req).
 */
static bool bbk_consume(struct bbk_queue *q)
{
	union bbk_wire_req r;
	RING_IDX prod;
	int more;

	if (q->broken)
		return false;
	do {
		prod = READ_ONCE(q->ring.sring->req_prod);
		virt_rmb(); /* the index before the requests it covers */
		if (RING_REQUEST_PROD_OVERFLOW(&q->ring, prod)) {
			q->broken = true;
			dev_warn_ratelimited(&q->vbd->xdev->dev,
					     "%s: frontend's req_prod %u is %u ahead of our responses: disconnecting\n",
					     q->name, prod,
					     prod - q->ring.rsp_prod_pvt);
			xenbus_dev_fatal(q->vbd->xdev, -EPROTO,
					 "ring %u corrupted", q->index);
			return false;
		}
		while (q->ring.req_cons != prod) {
			if (list_empty(&q->free_reqs))
				return true;
			bbk_ring_read(q, q->ring.req_cons, &r);
			q->ring.req_cons++;
			bbk_dispatch(q, &r);
		}
		RING_FINAL_CHECK_FOR_REQUESTS(&q->ring, more);
	} while (more);
	return false;
}

/*
 * Disconnecting: what is still on the ring will not be served.  Answer it
 * with an error so that a frontend that waits for every response (rather
 * than failing its requests when it closes) does not wait forever.
 */
static void bbk_refuse_rest(struct bbk_queue *q)
{
	union bbk_wire_req r;
	unsigned int n = 0;
	u8 op;

	if (q->broken)
		return;
	while (RING_HAS_UNCONSUMED_REQUESTS(&q->ring)) {
		bbk_ring_read(q, q->ring.req_cons, &r);
		q->ring.req_cons++;
		op = r.rw.operation == BLKIF_OP_INDIRECT ? r.ind.indirect_op :
							    r.rw.operation;
		bbk_respond(q, r.rw.id, op, BLKIF_RSP_ERROR);
		n++;
	}
	if (n)
		dev_dbg(&q->vbd->xdev->dev, "%s: %u requests refused at close\n",
			q->name, n);
	bbk_push(q);
}

/*
 * The event was work if requests were taken since the last EOI, by this
 * pass or by one a completion woke (which often finds the requests
 * before their event arrives): counting only this pass would throttle a
 * busy, honest frontend.
 */
static void bbk_eoi(struct bbk_queue *q)
{
	xen_evtchn_eoi(q->irq, q->ring.req_cons != q->eoi_cons);
	q->eoi_cons = q->ring.req_cons;
}

/*
 * A completion that answered its request itself wakes us only if we need
 * the request back: we ran out of free ones (@starved) or are draining.
 * Either it sees the flag, or we see its request on q->done.
 */
static void bbk_wait_for_free(struct bbk_queue *q, bool starved)
{
	WRITE_ONCE(q->starved, starved);
	if (!starved)
		return;
	/* The flag before the list; pairs with bbk_req_put(). */
	smp_mb();
	if (!list_empty_careful(&q->done))
		set_bit(0, &q->kick);
}

static bool bbk_has_work(struct bbk_queue *q)
{
	return test_and_clear_bit(0, &q->kick) || kthread_should_stop();
}

static int bbk_thread(void *data)
{
	struct bbk_queue *q = data;
	bool eoi;

	while (!kthread_should_stop()) {
		wait_event_interruptible_timeout(q->wq, bbk_has_work(q), HZ);
		eoi = test_and_clear_bit(1, &q->kick);
		bbk_complete(q);
		bbk_wait_for_free(q, bbk_consume(q));
		bbk_push(q);
		if (eoi)
			bbk_eoi(q);
		if (!list_empty(&q->stuck))
			bbk_retry_stuck(q);
		if (q->persistent)
			bbk_pgrants_purge(q, false);
		if (q->index == 0)
			bbk_check_resize(q->vbd);
	}

	/* Drain: the rest of what is in flight, answered while we can. */
	while (q->nr_inflight) {
		if (bbk_complete(q))
			bbk_push(q);
		else
			wait_event_timeout(q->wq,
					   test_and_clear_bit(0, &q->kick), HZ);
	}
	bbk_refuse_rest(q);
	return 0;
}

static void bbk_queue_free(struct bbk_queue *q)
{
	unsigned int i;

	/* The thread drains what is in flight and notifies the frontend. */
	if (q->thread) {
		WRITE_ONCE(q->starved, true);
		kthread_stop(q->thread);
	}
	q->thread = NULL;
	if (q->irq > 0)
		xen_evtchn_unbind(q->irq, q);
	q->irq = 0;
	bbk_release_pages(q);
	xenbus_unmap_ring(&q->map);
	kvfree(q->reqs);
	q->reqs = NULL;
	for (i = 0; i < BBK_MAX_INDIRECT_PAGES; i++) {
		free_page((unsigned long)q->ind_pages[i]);
		q->ind_pages[i] = NULL;
	}
}

/* Reads "ring-ref"/"ring-refN" and "event-channel" of queue @q from @dir. */
static int bbk_read_ring(struct bbk_queue *q, const char *dir,
			 unsigned int order, grant_ref_t *refs,
			 evtchn_port_t *port)
{
	struct xenbus_device *xdev = q->vbd->xdev;
	unsigned int i, val;
	char node[16];
	int err;

	for (i = 0; i < (1U << order); i++) {
		if (order)
			snprintf(node, sizeof(node), "ring-ref%u", i);
		else
			strscpy(node, "ring-ref", sizeof(node));
		err = xenbus_read_uint(XBT_NIL, dir, node, &val);
		if (err) {
			xenbus_dev_fatal(xdev, err, "reading %s/%s", dir, node);
			return err;
		}
		refs[i] = val;
	}
	err = xenbus_read_uint(XBT_NIL, dir, "event-channel", &val);
	if (err)
		xenbus_dev_fatal(xdev, err, "reading %s/event-channel", dir);
	*port = val;
	return err;
}

static int bbk_queue_start(struct bbk_queue *q, const char *dir,
			   unsigned int order)
{
	struct bbk_vbd *vbd = q->vbd;
	struct xenbus_device *xdev = vbd->xdev;
	grant_ref_t refs[XENBUS_MAX_RING_PAGES];
	unsigned int i, nr;
	evtchn_port_t port;
	int err;

	err = bbk_read_ring(q, dir, order, refs, &port);
	if (err)
		return err;
	err = xenbus_map_ring(xdev, refs, 1U << order, &q->map);
	if (err)
		return err;
	bbk_ring_init(q, q->map.addr, PAGE_SIZE << order);

	for (i = 0; i < BBK_MAX_INDIRECT_PAGES; i++) {
		q->ind_pages[i] = (void *)get_zeroed_page(GFP_KERNEL);
		if (!q->ind_pages[i]) {
			xenbus_dev_fatal(xdev, -ENOMEM, "allocating indirect pages");
			return -ENOMEM;
		}
	}
	nr = min_t(unsigned int, RING_SIZE(&q->ring), BBK_MAX_INFLIGHT);
	q->reqs = kvcalloc(nr, sizeof(*q->reqs), GFP_KERNEL);
	if (!q->reqs) {
		xenbus_dev_fatal(xdev, -ENOMEM, "allocating %u requests", nr);
		return -ENOMEM;
	}
	for (i = 0; i < nr; i++) {
		q->reqs[i].q = q;
		list_add_tail(&q->reqs[i].link, &q->free_reqs);
	}

	err = xen_evtchn_bind_interdomain_late(xdev->otherend_id, port,
					       bbk_interrupt, 0, q->name, q);
	if (err < 0) {
		xenbus_dev_fatal(xdev, err, "binding event channel %u", port);
		return err;
	}
	q->irq = err;
	q->thread = kthread_run(bbk_thread, q, "%s", q->name);
	if (IS_ERR(q->thread)) {
		err = PTR_ERR(q->thread);
		q->thread = NULL;
		xenbus_dev_fatal(xdev, err, "starting thread %s", q->name);
		return err;
	}
	return 0;
}

int bbk_queues_start(struct bbk_vbd *vbd, unsigned int nr_queues,
		     unsigned int ring_order)
{
	const char *fe = vbd->xdev->otherend;
	unsigned int i;
	int err = 0;

	vbd->queues = kvcalloc(nr_queues, sizeof(*vbd->queues), GFP_KERNEL);
	if (!vbd->queues)
		return -ENOMEM;
	vbd->nr_queues = nr_queues;
	for (i = 0; i < nr_queues; i++) {
		struct bbk_queue *q = &vbd->queues[i];
		char *dir;

		q->vbd = vbd;
		q->index = i;
		init_waitqueue_head(&q->wq);
		INIT_LIST_HEAD(&q->free_reqs);
		INIT_LIST_HEAD(&q->done);
		INIT_LIST_HEAD(&q->stuck);
		spin_lock_init(&q->done_lock);
		spin_lock_init(&q->rsp_lock);
		xa_init(&q->pgrants);
		q->persistent = vbd->persistent;
		if (nr_queues > 1)
			snprintf(q->name, sizeof(q->name), "blkbk.%u.%u.q%u",
				 vbd->xdev->otherend_id, vbd->devid, i);
		else
			snprintf(q->name, sizeof(q->name), "blkbk.%u.%u",
				 vbd->xdev->otherend_id, vbd->devid);

		dir = nr_queues > 1 ? kasprintf(GFP_KERNEL, "%s/queue-%u", fe, i) :
				      kstrdup(fe, GFP_KERNEL);
		err = dir ? bbk_queue_start(q, dir, ring_order) : -ENOMEM;
		kfree(dir);
		if (err)
			break;
	}
	if (err)
		bbk_queues_stop(vbd);
	return err;
}

/* Every queue stopped, in-flight I/O drained, rings unmapped. */
void bbk_queues_stop(struct bbk_vbd *vbd)
{
	unsigned int i;

	for (i = 0; i < vbd->nr_queues; i++)
		bbk_queue_free(&vbd->queues[i]);
	kvfree(vbd->queues);
	vbd->queues = NULL;
	vbd->nr_queues = 0;
}
