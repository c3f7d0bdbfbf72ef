// SPDX-License-Identifier: GPL-2.0
/*
 * The transport: shared rings and event channels, and telling the
 * backend where they are.
 *
 * The backend announces its limits before it waits for us (InitWait):
 * "max-ring-page-order" (absent: one-page rings, published as "ring-ref")
 * and "multi-queue-max-queues" (absent: a single ring).  We pick the
 * smaller of each and our own limit, set the rings up and publish, in
 * one transaction, the ring references and event channel of each queue
 * (under "queue-<n>/" when there are several), the ABI and whether we
 * want persistent grants.
 */
#include <linux/cpumask.h>
#include <linux/interrupt.h>
#include <linux/minmax.h>
#include <linux/slab.h>
#include <xen/events.h>

#include "blkfront.h"

/* The request layout of our ABI, as the backend calls it. */
#define BFR_PROTOCOL	"x86_64-abi"

static void bfr_grants_back(struct gnttab_waiter *w)
{
	struct bfr_queue *q = container_of(w, struct bfr_queue, gnt_wait);
	struct bfr_dev *bd = q->bd;

	if (READ_ONCE(bd->phase) == BFR_LIVE && bd->disk)
		blk_mq_run_hw_queues(bd->disk->queue, true);
}

/*
 * How many rings and how big: our limits met with the backend's.  A disk
 * that outlived a restore keeps its number of hardware queues, which the
 * new backend must allow.
 */
static int bfr_pick_transport(struct bfr_dev *bd)
{
	const char *be = bd->xdev->otherend;
	unsigned int val, max_queues = 1;

	bd->ring_order = 0;
	if (!xenbus_read_uint(XBT_NIL, be, "max-ring-page-order", &val))
		bd->ring_order = min3(val, bfr_param_ring_order,
				      (unsigned int)XENBUS_MAX_RING_ORDER);

	if (!xenbus_read_uint(XBT_NIL, be, "multi-queue-max-queues", &val) &&
	    val > 1)
		max_queues = val;
	if (bd->disk) {
		bd->nr_queues = bd->tags.nr_hw_queues;
		if (bd->nr_queues <= max_queues)
			return 0;
		xenbus_dev_fatal(bd->xdev, -EINVAL,
				 "%s: the backend now allows %u queues, the disk has %u",
				 bd->name, max_queues, bd->nr_queues);
		return -EINVAL;
	}
	bd->nr_queues = min3(max_queues, bfr_param_queues, num_online_cpus());
	bd->nr_queues = max(bd->nr_queues, 1U);
	return 0;
}

static int bfr_queue_setup(struct bfr_dev *bd, struct bfr_queue *q)
{
	struct xenbus_device *xdev = bd->xdev;
	int err;

	err = xenbus_setup_ring(xdev, bd->ring_order, &q->sring, q->ring_refs);
	if (err)
		return err;
	XEN_FRONT_RING_INIT(&q->ring, (struct blkif_sring *)q->sring,
			    PAGE_SIZE << bd->ring_order);

	err = xenbus_alloc_evtchn(xdev, &q->port);
	if (err)
		return err;
	snprintf(q->name, sizeof(q->name), "blkif-%u-q%u", bd->vdev, q->index);
	err = xen_evtchn_bind_port_late(q->port, bfr_interrupt, 0, q->name, q);
	if (err < 0) {
		xenbus_free_evtchn(xdev, q->port);
		q->port = 0;
		xenbus_dev_fatal(xdev, err, "binding event channel of queue %u",
				 q->index);
		return err;
	}
	q->irq = err;
	return 0;
}

/* Ring refs and event channel of @q, under @dir relative to our node. */
static int bfr_publish_queue(struct xenbus_transaction t, struct bfr_dev *bd,
			     struct bfr_queue *q, const char *dir)
{
	const char *node = bd->xdev->nodename;
	unsigned int i, pages = 1U << bd->ring_order;
	char name[40];
	int err;

	for (i = 0; i < pages; i++) {
		if (bd->ring_order)
			snprintf(name, sizeof(name), "%sring-ref%u", dir, i);
		else
			snprintf(name, sizeof(name), "%sring-ref", dir);
		err = xenbus_printf(t, node, name, "%u", q->ring_refs[i]);
		if (err)
			return err;
	}
	snprintf(name, sizeof(name), "%sevent-channel", dir);
	return xenbus_printf(t, node, name, "%u", q->port);
}

static int bfr_publish(struct xenbus_transaction t, void *arg)
{
	struct bfr_dev *bd = arg;
	const char *node = bd->xdev->nodename;
	char dir[16];
	unsigned int i;
	int err;

	if (bd->ring_order) {
		err = xenbus_printf(t, node, "ring-page-order", "%u",
				    bd->ring_order);
		if (err)
			return err;
	}
	if (bd->nr_queues > 1) {
		err = xenbus_printf(t, node, "multi-queue-num-queues", "%u",
				    bd->nr_queues);
		if (err)
			return err;
	}
	for (i = 0; i < bd->nr_queues; i++) {
		if (bd->nr_queues > 1)
			snprintf(dir, sizeof(dir), "queue-%u/", i);
		else
			dir[0] = '\0';
		err = bfr_publish_queue(t, bd, &bd->queues[i], dir);
		if (err)
			return err;
	}
	err = xenbus_write(t, node, "protocol", BFR_PROTOCOL);
	if (err)
		return err;
	return xenbus_printf(t, node, "feature-persistent", "%u",
			     bfr_param_persistent ? 1 : 0);
}

int bfr_transport_setup(struct bfr_dev *bd)
{
	unsigned int i;
	int err;

	err = bfr_pick_transport(bd);
	if (err) {
		bd->nr_queues = 0;
		return err;
	}
	bd->queues = kcalloc(bd->nr_queues, sizeof(*bd->queues), GFP_KERNEL);
	if (!bd->queues) {
		bd->nr_queues = 0;
		xenbus_dev_fatal(bd->xdev, -ENOMEM, "allocating queues");
		return -ENOMEM;
	}
	for (i = 0; i < bd->nr_queues; i++) {
		struct bfr_queue *q = &bd->queues[i];

		q->bd = bd;
		q->index = i;
		spin_lock_init(&q->lock);
		INIT_LIST_HEAD(&q->pool);
		q->gnt_wait.notify = bfr_grants_back;
		q->irq = -1;
		memset(q->ring_refs, 0xff, sizeof(q->ring_refs));
	}
	for (i = 0; i < bd->nr_queues; i++) {
		err = bfr_queue_setup(bd, &bd->queues[i]);
		if (err)
			goto fail;
	}

	err = xenbus_transact(bfr_publish, bd);
	if (err) {
		xenbus_dev_fatal(bd->xdev, err, "publishing the rings");
		goto fail;
	}
	return 0;

fail:
	bfr_transport_stop(bd);
	bfr_transport_free(bd);
	return err;
}

/*
 * Unbind the event channels: afterwards no handler runs, and every request
 * still in flight is ended with an error.  The rings stay until
 * bfr_transport_free().
 */
void bfr_transport_stop(struct bfr_dev *bd)
{
	unsigned int i;

	for (i = 0; i < bd->nr_queues; i++) {
		struct bfr_queue *q = &bd->queues[i];

		gnttab_cancel_wait(&q->gnt_wait);
		if (q->irq >= 0)
			xen_evtchn_unbind(q->irq, q);
		q->irq = -1;
		q->port = 0;
	}
	for (i = 0; i < bd->nr_queues; i++)
		bfr_fail_inflight(&bd->queues[i]);
}

/* Free the rings, slots and pools; after bfr_transport_stop(). */
void bfr_transport_free(struct bfr_dev *bd)
{
	unsigned int i;

	for (i = 0; i < bd->nr_queues; i++) {
		struct bfr_queue *q = &bd->queues[i];

		WARN_ON_ONCE(q->irq >= 0);

		bfr_pool_destroy(q);
		bfr_slots_free(q);
		xenbus_teardown_ring(&q->sring, bd->ring_order, q->ring_refs);
	}
	kfree(bd->queues);
	bd->queues = NULL;
	bd->nr_queues = 0;
}
