// SPDX-License-Identifier: GPL-2.0
/*
 * Xen PV network frontend: building the data path with the backend.
 *
 * connect():  read what the backend offers, build one queue per CPU up
 *             to what both sides allow (two one-page rings, one or two
 *             event channels, a grant reference reserved for every ring
 *             slot), post the receive buffers and publish it all in one
 *             store transaction.
 * disconnect(): stop the data path and give everything back.
 *
 * Both run under rtnl_lock, which also serialises them with open/stop.
 */
#include <linux/cpumask.h>
#include <linux/moduleparam.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <xen/events.h>

#include "netfront.h"

static unsigned int xnf_max_queues = XNF_QUEUES_MAX;
module_param_named(max_queues, xnf_max_queues, uint, 0644);
MODULE_PARM_DESC(max_queues, "Most queues per device (default and cap: 8)");

static bool xnf_trusted = true;
module_param_named(trusted, xnf_trusted, bool, 0644);
MODULE_PARM_DESC(trusted, "Trust backends with our pages (default on; off bounces every packet)");

/* A boolean feature node: absent is 0; anything but 0 or 1 is ignored. */
static bool xnf_backend_flag(struct xnf_info *nf, const char *node)
{
	unsigned int val;

	if (xenbus_read_uint(XBT_NIL, nf->xdev->otherend, node, &val))
		return false;
	if (val > 1) {
		dev_warn(&nf->xdev->dev, "backend %s = %u is not 0/1: ignored\n",
			 node, val);
		return false;
	}
	return val;
}

static void xnf_read_caps(struct xnf_info *nf)
{
	struct xnf_backend_caps *c = &nf->caps;
	unsigned int val;

	c->sg = xnf_backend_flag(nf, "feature-sg");
	c->gso_v4 = xnf_backend_flag(nf, "feature-gso-tcpv4");
	c->gso_v6 = xnf_backend_flag(nf, "feature-gso-tcpv6");
	c->csum_v4 = !xnf_backend_flag(nf, "feature-no-csum-offload");
	c->csum_v6 = xnf_backend_flag(nf, "feature-ipv6-csum-offload");
	c->split_evtchn = xnf_backend_flag(nf, "feature-split-event-channels");
	/* Ours, not the backend's: the toolstack's word on the backend. */
	if (xenbus_read_uint(XBT_NIL, nf->xdev->nodename, "trusted", &val))
		val = 1;
	nf->bounce = !xnf_trusted || !val;
	c->max_queues = 1;
	if (!xenbus_read_uint(XBT_NIL, nf->xdev->otherend,
			      "multi-queue-max-queues", &val)) {
		if (val)
			c->max_queues = val;
		else
			dev_warn(&nf->xdev->dev,
				 "backend multi-queue-max-queues is 0: using 1\n");
	}
}

static unsigned int xnf_pick_queues(struct xnf_info *nf)
{
	unsigned int n = min3(nf->caps.max_queues, num_online_cpus(),
			      (unsigned int)XNF_QUEUES_MAX);

	n = min(n, xnf_max_queues);
	return max(n, 1U);
}

/* Reserve a grant reference for every tx id and rx buffer id. */
static int xnf_queue_reserve_refs(struct xnf_queue *q)
{
	unsigned int i;

	for (i = 0; i < XNF_TX_SLOTS; i++)
		q->tx_slot[i].ref = INVALID_GRANT_REF;
	for (i = 0; i < XNF_RX_SLOTS; i++)
		q->rx_buf[i].ref = INVALID_GRANT_REF;
	for (i = 0; i < XNF_TX_SLOTS; i++)
		if (gnttab_alloc_refs(&q->tx_slot[i].ref, 1))
			goto nospace;
	for (i = 0; i < XNF_RX_SLOTS; i++)
		if (gnttab_alloc_refs(&q->rx_buf[i].ref, 1))
			goto nospace;
	return 0;

nospace:
	/* The caller's teardown frees whatever was reserved. */
	return -ENOSPC;
}

static void xnf_queue_release_refs(struct xnf_queue *q)
{
	unsigned int i;

	for (i = 0; i < XNF_TX_SLOTS; i++)
		if (q->tx_slot[i].ref != INVALID_GRANT_REF)
			gnttab_free_refs(&q->tx_slot[i].ref, 1);
	for (i = 0; i < XNF_RX_SLOTS; i++)
		if (q->rx_buf[i].ref != INVALID_GRANT_REF)
			gnttab_free_refs(&q->rx_buf[i].ref, 1);
}

static int xnf_queue_bind(struct xnf_queue *q, bool split)
{
	struct xenbus_device *xdev = q->nf->xdev;
	const char *ifname = q->nf->ndev->name;
	int irq, err;

	err = xenbus_alloc_evtchn(xdev, &q->tx_port);
	if (err)
		return err;
	snprintf(q->tx_irq_name, sizeof(q->tx_irq_name), "%s-q%u%s", ifname,
		 q->index, split ? "-tx" : "");
	irq = xen_evtchn_bind_port_late(q->tx_port, xnf_interrupt, 0,
					q->tx_irq_name, q);
	if (irq < 0) {
		xenbus_free_evtchn(xdev, q->tx_port);
		return irq;
	}
	q->tx_irq = irq;
	q->rx_port = q->tx_port;
	q->rx_irq = irq;
	if (!split)
		return 0;

	err = xenbus_alloc_evtchn(xdev, &q->rx_port);
	if (err)
		return err;
	snprintf(q->rx_irq_name, sizeof(q->rx_irq_name), "%s-q%u-rx", ifname,
		 q->index);
	irq = xen_evtchn_bind_port_late(q->rx_port, xnf_interrupt, 0,
					q->rx_irq_name, q);
	if (irq < 0) {
		xenbus_free_evtchn(xdev, q->rx_port);
		q->rx_irq = -1;
		return irq;
	}
	q->rx_irq = irq;
	return 0;
}

/* Undo xnf_queue_setup(), also a partial one.  NAPI must be off. */
static void xnf_queue_teardown(struct xnf_queue *q)
{
	void *ring;

	if (q->rx_irq > 0 && q->rx_irq != q->tx_irq)
		xen_evtchn_unbind(q->rx_irq, q);
	if (q->tx_irq > 0)
		xen_evtchn_unbind(q->tx_irq, q);
	q->tx_irq = -1;
	q->rx_irq = -1;
	del_timer_sync(&q->refill_timer);
	if (q->napi.poll)
		netif_napi_del(&q->napi);
	xnf_tx_release_all(q);
	xnf_rx_release_all(q);
	xnf_queue_release_refs(q);

	ring = q->tx.sring;
	xenbus_teardown_ring(&ring, 0, &q->tx_ring_ref);
	q->tx.sring = NULL;
	ring = q->rx.sring;
	xenbus_teardown_ring(&ring, 0, &q->rx_ring_ref);
	q->rx.sring = NULL;
}

static int xnf_queue_setup(struct xnf_info *nf, struct xnf_queue *q,
			   unsigned int index)
{
	void *ring;
	int err;

	q->nf = nf;
	q->index = index;
	q->tx_irq = -1;
	q->rx_irq = -1;
	q->tx_ring_ref = INVALID_GRANT_REF;
	q->rx_ring_ref = INVALID_GRANT_REF;
	q->tx_stats = &nf->tx_stats[index];
	q->rx_stats = &nf->rx_stats[index];
	spin_lock_init(&q->tx_lock);
	timer_setup(&q->refill_timer, xnf_refill_timer, 0);
	xnf_tx_init(q);
	xnf_rx_init(q);

	err = xnf_queue_reserve_refs(q);
	if (err) {
		xenbus_dev_fatal(nf->xdev, err, "reserving grant references");
		return err;
	}

	err = xenbus_setup_ring(nf->xdev, 0, &ring, &q->tx_ring_ref);
	if (err)
		return err;
	XEN_FRONT_RING_INIT(&q->tx, (struct netif_tx_sring *)ring,
			    XEN_PAGE_SIZE);
	err = xenbus_setup_ring(nf->xdev, 0, &ring, &q->rx_ring_ref);
	if (err)
		return err;
	XEN_FRONT_RING_INIT(&q->rx, (struct netif_rx_sring *)ring,
			    XEN_PAGE_SIZE);
	q->ev_tx_prod = 0;
	q->ev_rx_prod = 0;

	netif_napi_add(nf->ndev, &q->napi, xnf_napi_poll);
	err = xnf_queue_bind(q, nf->caps.split_evtchn);
	if (err)
		xenbus_dev_fatal(nf->xdev, err, "binding event channels of queue %u",
				 index);
	return err;
}

static int xnf_write_queue(struct xenbus_transaction t, const char *dir,
			   struct xnf_queue *q, bool split)
{
	int err;

	err = xenbus_printf(t, dir, "tx-ring-ref", "%u", q->tx_ring_ref);
	if (!err)
		err = xenbus_printf(t, dir, "rx-ring-ref", "%u", q->rx_ring_ref);
	if (err)
		return err;
	if (!split)
		return xenbus_printf(t, dir, "event-channel", "%u", q->tx_port);
	err = xenbus_printf(t, dir, "event-channel-tx", "%u", q->tx_port);
	if (!err)
		err = xenbus_printf(t, dir, "event-channel-rx", "%u", q->rx_port);
	return err;
}

/* What we ask of the backend's rx side: all of it, we handle it all. */
static const char *const xnf_our_features[] = {
	"request-rx-copy",
	"feature-rx-notify",
	"feature-sg",
	"feature-gso-tcpv4",
	"feature-gso-tcpv6",
	"feature-ipv6-csum-offload",
};

static int xnf_publish(struct xenbus_transaction t, void *arg)
{
	struct xnf_info *nf = arg;
	const char *node = nf->xdev->nodename;
	bool split = nf->caps.split_evtchn;
	unsigned int i;
	int err;

	if (nf->nr_queues == 1) {
		xenbus_rm(t, node, "multi-queue-num-queues");
		err = xnf_write_queue(t, node, &nf->queues[0], split);
	} else {
		err = xenbus_printf(t, node, "multi-queue-num-queues", "%u",
				    nf->nr_queues);
		for (i = 0; !err && i < nf->nr_queues; i++) {
			char *dir = kasprintf(GFP_KERNEL, "%s/queue-%u", node, i);

			if (!dir)
				return -ENOMEM;
			err = xnf_write_queue(t, dir, &nf->queues[i], split);
			kfree(dir);
		}
	}
	for (i = 0; !err && i < ARRAY_SIZE(xnf_our_features); i++)
		err = xenbus_write(t, node, xnf_our_features[i], "1");
	return err;
}

static void xnf_free_queues(struct xnf_info *nf, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		xnf_queue_teardown(&nf->queues[i]);
	kvfree(nf->queues);
	nf->queues = NULL;
	nf->nr_queues = 0;
}

int xnf_connect(struct xnf_info *nf)
{
	struct net_device *ndev = nf->ndev;
	unsigned int i, n;
	int err;

	xnf_disconnect(nf);
	rtnl_lock();
	xnf_read_caps(nf);
	n = xnf_pick_queues(nf);
	nf->queues = kvcalloc(n, sizeof(*nf->queues), GFP_KERNEL);
	if (!nf->queues) {
		err = -ENOMEM;
		xenbus_dev_fatal(nf->xdev, err, "allocating %u queues", n);
		goto out;
	}
	for (i = 0; i < n; i++) {
		err = xnf_queue_setup(nf, &nf->queues[i], i);
		if (err) {
			xnf_free_queues(nf, i + 1);
			goto out;
		}
	}
	nf->nr_queues = n;

	err = netif_set_real_num_tx_queues(ndev, n);
	if (!err)
		err = netif_set_real_num_rx_queues(ndev, n);
	if (!err)
		err = xenbus_transact(xnf_publish, nf);
	if (err) {
		xenbus_dev_fatal(nf->xdev, err, "publishing the rings");
		xnf_free_queues(nf, n);
		goto out;
	}
	for (i = 0; i < n; i++)
		xnf_rx_refill(&nf->queues[i]);

	xenbus_peer_error_reset(&nf->perr);
	WRITE_ONCE(nf->live, true);
	netdev_update_features(ndev);
	if (netif_running(ndev))
		xnf_queues_start(nf);
	dev_info(&nf->xdev->dev,
		 "%s: %u queue(s)%s%s, sg %d gso v4 %d v6 %d csum v4 %d v6 %d\n",
		 ndev->name, n, nf->caps.split_evtchn ? ", split events" : "",
		 nf->bounce ? ", bounced (backend not trusted)" : "",
		 nf->caps.sg, nf->caps.gso_v4, nf->caps.gso_v6,
		 nf->caps.csum_v4, nf->caps.csum_v6);
out:
	rtnl_unlock();
	return err;
}

void xnf_disconnect(struct xnf_info *nf)
{
	struct net_device *ndev = nf->ndev;

	rtnl_lock();
	netif_carrier_off(ndev);
	if (nf->queues) {
		WRITE_ONCE(nf->live, false);
		netif_tx_disable(ndev);
		xnf_queues_quiesce(nf);
		xnf_free_queues(nf, nf->nr_queues);
	}
	rtnl_unlock();
}

/* The backend gave us something impossible.  Called from any context:
 * stop using the rings at once; the device is failed (which sends us
 * Closing and the backend after us) from process context.
 */
void xnf_protocol_error(struct xnf_info *nf, const char *fmt, ...)
{
	va_list ap;
	bool first;

	va_start(ap, fmt);
	first = xenbus_peer_verror(&nf->perr, fmt, ap);
	va_end(ap);
	if (first)
		netif_carrier_off(nf->ndev);
}
