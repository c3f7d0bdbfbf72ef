// SPDX-License-Identifier: GPL-2.0
/*
 * The vif network interface and its rings.
 *
 * The interface exists from probe on (the toolstack's script bridges it
 * before the guest connects); its carrier is on while the frontend is
 * connected, and it has then as many tx and rx queues as the frontend
 * has ring pairs.  ndo_start_xmit only queues the packet for the guest
 * on the queue our stack chose and schedules that queue's NAPI; a
 * queue's poll moves the guest's transmits up our stack (tx.c), then
 * our queued packets into the guest's buffers (rx.c), and goes idle
 * only once both its rings have been re-armed and found empty.
 */
#include <linux/etherdevice.h>
#include <linux/interrupt.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <xen/events.h>

#include "netback.h"

void nbk_fatal(struct nbk_vif *vif, const char *fmt, ...)
{
	struct va_format vaf;
	va_list ap;

	vif->broken = true;
	vif->st_tx_fatal++;
	if (net_ratelimit()) {
		va_start(ap, fmt);
		vaf.fmt = fmt;
		vaf.va = &ap;
		netdev_warn(vif->ndev, "frontend error, disconnecting: %pV\n",
			    &vaf);
		va_end(ap);
	}
	netif_carrier_off(vif->ndev);
	/* The state machine closes the device (from process context). */
	schedule_work(&vif->fatal_work);
}

static int nbk_poll(struct napi_struct *napi, int budget)
{
	struct nbk_queue *q = container_of(napi, struct nbk_queue, napi);
	bool broken = READ_ONCE(q->vif->broken);
	int done = 0;

	if (!broken) {
		done = nbk_tx_poll(q, budget);
		nbk_rx_poll(q);
	}
	if (done < budget && napi_complete_done(napi, done) &&
	    !READ_ONCE(q->vif->broken) &&
	    (nbk_tx_pending(q) || nbk_rx_pending(q)))
		napi_schedule(napi);
	return done;
}

/*
 * The channels are bound for late EOI.  NAPI does the work, so the EOI
 * comes at once; it says whether the frontend produced anything on either
 * ring of the queue since the last event (rx requests sit unconsumed
 * until packets come, so "unconsumed" would not do), so that one
 * notifying without producing is throttled (xen_evtchn_eoi()).
 */
static irqreturn_t nbk_interrupt(int irq, void *data)
{
	struct nbk_queue *q = data;
	bool tx = xen_evtchn_index_moved(&q->ev_tx_prod,
					 &q->tx.sring->req_prod);
	bool rx = xen_evtchn_index_moved(&q->ev_rx_prod,
					 &q->rx.sring->req_prod);

	napi_schedule(&q->napi);
	xen_evtchn_eoi(irq, tx || rx);
	return IRQ_HANDLED;
}

/*
 * The queue of a packet for the guest: the frontend's if it set a hash
 * and table (ctrl.c), else our stack's choice by its own flow hash.
 */
static u16 nbk_select_queue(struct net_device *ndev, struct sk_buff *skb,
			    struct net_device *sb_dev)
{
	struct nbk_hash_result res;

	if (nbk_hash_skb(netdev_priv(ndev), skb, ndev->real_num_tx_queues,
			 &res))
		return res.queue;
	return netdev_pick_tx(ndev, skb, sb_dev);
}

/*
 * The packet goes to the guest through the rx ring of the queue chosen
 * above, with its hash if the frontend asked for one.
 */
static netdev_tx_t nbk_start_xmit(struct sk_buff *skb, struct net_device *ndev)
{
	struct nbk_vif *vif = netdev_priv(ndev);
	unsigned int qi = skb_get_queue_mapping(skb);
	struct nbk_rx_cb *cb = NBK_RX_CB(skb);
	struct nbk_hash_result res = {};
	struct nbk_queue *q;

	/* Pairs with the release in nbk_vif_connect(): queues are set. */
	if (!smp_load_acquire(&vif->connected) || READ_ONCE(vif->broken) ||
	    qi >= vif->nr_queues || (skb->len > PAGE_SIZE && !vif->fe_sg)) {
		vif->stats[qi % NBK_QUEUES_MAX].tx_dropped++;
		dev_kfree_skb_any(skb);
		return NETDEV_TX_OK;
	}
	q = &vif->queues[qi];
	cb->hashed = nbk_hash_skb(vif, skb, vif->nr_queues, &res);
	cb->hash_type = res.type;
	cb->hash = res.hash;
	nbk_rx_queue(q, skb);
	if (skb_queue_len(&q->rxq) >= NBK_RXQ_MAX)
		netif_tx_stop_queue(netdev_get_tx_queue(ndev, qi));
	napi_schedule(&q->napi);
	return NETDEV_TX_OK;
}

static void nbk_get_stats64(struct net_device *ndev,
			    struct rtnl_link_stats64 *s)
{
	struct nbk_vif *vif = netdev_priv(ndev);
	unsigned int i;

	/* From our side: rx is what the guest sent, tx what it received. */
	for (i = 0; i < NBK_QUEUES_MAX; i++) {
		const struct nbk_stats *st = &vif->stats[i];

		s->rx_packets += READ_ONCE(st->rx_packets);
		s->rx_bytes += READ_ONCE(st->rx_bytes);
		s->rx_errors += READ_ONCE(st->rx_errors);
		s->rx_dropped += READ_ONCE(st->rx_dropped);
		s->tx_packets += READ_ONCE(st->tx_packets);
		s->tx_bytes += READ_ONCE(st->tx_bytes);
		s->tx_dropped += READ_ONCE(st->tx_dropped);
	}
}

/* Jumbo frames need the frontend to take packets in several slots. */
static int nbk_change_mtu(struct net_device *ndev, int mtu)
{
	const struct nbk_vif *vif = netdev_priv(ndev);
	bool one_slot = vif->connected && !vif->fe_sg;

	if (one_slot && mtu > ETH_DATA_LEN)
		return -EINVAL;
	WRITE_ONCE(ndev->mtu, mtu);
	return 0;
}

/* Only what the frontend said it takes. */
static netdev_features_t nbk_fix_features(struct net_device *ndev,
					  netdev_features_t features)
{
	const struct nbk_vif *vif = netdev_priv(ndev);
	netdev_features_t lacking = 0;

	lacking |= vif->fe_sg ? 0 : NETIF_F_SG;
	lacking |= vif->fe_csum ? 0 : NETIF_F_IP_CSUM;
	lacking |= vif->fe_ipv6_csum ? 0 : NETIF_F_IPV6_CSUM;
	lacking |= vif->fe_gso_v4 ? 0 : NETIF_F_TSO;
	lacking |= vif->fe_gso_v6 ? 0 : NETIF_F_TSO6;
	return features & ~lacking;
}

static int nbk_open(struct net_device *ndev)
{
	netif_tx_start_all_queues(ndev);
	return 0;
}

static int nbk_stop(struct net_device *ndev)
{
	netif_tx_stop_all_queues(ndev);
	return 0;
}

static const struct net_device_ops nbk_netdev_ops = {
	.ndo_open		= nbk_open,
	.ndo_stop		= nbk_stop,
	.ndo_select_queue	= nbk_select_queue,
	.ndo_start_xmit		= nbk_start_xmit,
	.ndo_get_stats64	= nbk_get_stats64,
	.ndo_change_mtu		= nbk_change_mtu,
	.ndo_fix_features	= nbk_fix_features,
	.ndo_set_mac_address	= eth_mac_addr,
	.ndo_validate_addr	= eth_validate_addr,
};

static void nbk_fatal_work(struct work_struct *work)
{
	struct nbk_vif *vif = container_of(work, struct nbk_vif, fatal_work);

	xenbus_dev_fatal(vif->xdev, -EPROTO, "frontend corrupted its rings");
}

struct nbk_vif *nbk_vif_create(struct xenbus_device *xdev,
			       unsigned int handle, const char *name)
{
	/* Not a real address: the bridge must not pick it as its own. */
	static const u8 nbk_addr[ETH_ALEN] = {
		0xfe, 0xff, 0xff, 0xff, 0xff, 0xff
	};
	struct net_device *ndev;
	struct nbk_vif *vif;
	int err;

	ndev = alloc_netdev_mqs(sizeof(*vif), name, NET_NAME_PREDICTABLE,
				ether_setup, NBK_QUEUES_MAX, NBK_QUEUES_MAX);
	if (!ndev)
		return ERR_PTR(-ENOMEM);
	SET_NETDEV_DEV(ndev, &xdev->dev);
	vif = netdev_priv(ndev);
	vif->xdev = xdev;
	vif->ndev = ndev;
	vif->handle = handle;
	mutex_init(&vif->lock);
	INIT_WORK(&vif->fatal_work, nbk_fatal_work);

	ndev->netdev_ops = &nbk_netdev_ops;
	ndev->hw_features = NETIF_F_SG | NETIF_F_IP_CSUM | NETIF_F_IPV6_CSUM |
			    NETIF_F_TSO | NETIF_F_TSO6;
	ndev->features = ndev->hw_features;
	/* A GSO packet and its extra-info slot fit in NBK_MAX_SLOTS. */
	netif_set_tso_max_size(ndev, (NBK_MAX_SLOTS - 2) * PAGE_SIZE);
	ndev->min_mtu = ETH_MIN_MTU;
	ndev->max_mtu = XEN_NETIF_MAX_TX_SIZE - ETH_HLEN;
	ndev->tx_queue_len = 1000;
	eth_hw_addr_set(ndev, nbk_addr);
	/* Until a frontend says how many it uses. */
	netif_set_real_num_tx_queues(ndev, 1);
	netif_set_real_num_rx_queues(ndev, 1);
	nbk_rate_init(vif);
	nbk_ctrl_init(vif);
	netif_carrier_off(ndev);

	err = register_netdev(ndev);
	if (err) {
		free_netdev(ndev);
		return ERR_PTR(err);
	}
	return vif;
}

void nbk_vif_destroy(struct nbk_vif *vif)
{
	nbk_vif_disconnect(vif);
	cancel_work_sync(&vif->fatal_work);
	unregister_netdev(vif->ndev);
	free_netdev(vif->ndev);
}

/* @which: 0 tx (or the only channel), 1 rx; @split: two channels. */
static int nbk_bind(struct nbk_queue *q, evtchn_port_t port, int which,
		    bool split)
{
	struct nbk_vif *vif = q->vif;
	const char *what = which ? "rx" : "tx";
	char *name = q->irq_name[which];
	size_t len = sizeof(q->irq_name[0]);
	int irq, n;

	n = scnprintf(name, len, "%s", vif->ndev->name);
	if (vif->nr_queues > 1)
		n += scnprintf(name + n, len - n, "-q%u", q->index);
	if (split)
		scnprintf(name + n, len - n, "-%s", what);
	irq = xen_evtchn_bind_interdomain_late(vif->xdev->otherend_id, port,
					       nbk_interrupt, 0, name, q);
	if (irq < 0)
		xenbus_dev_fatal(vif->xdev, irq,
				 "binding queue %u's %s event channel %u",
				 q->index, what, port);
	return irq;
}

/* Undo what nbk_queue_setup() did, as far as it got. */
static void nbk_queue_teardown(struct nbk_queue *q)
{
	if (q->rx_irq > 0 && q->rx_irq != q->tx_irq)
		xen_evtchn_unbind(q->rx_irq, q);
	if (q->tx_irq > 0)
		xen_evtchn_unbind(q->tx_irq, q);
	q->tx_irq = 0;
	q->rx_irq = 0;
	if (q->tx_map.addr)
		xenbus_unmap_ring(&q->tx_map);
	if (q->rx_map.addr)
		xenbus_unmap_ring(&q->rx_map);
	skb_queue_purge(&q->rxq);
	if (q->napi.poll)
		netif_napi_del(&q->napi);
	kvfree(q->ops);
	q->ops = NULL;
}

static int nbk_queue_setup(struct nbk_queue *q, const struct nbk_queue_ends *e)
{
	struct nbk_vif *vif = q->vif;
	bool split = e->rx_port != e->tx_port;
	int err;

	skb_queue_head_init(&q->rxq);
	/* Added disabled: an event before the connect schedules nothing. */
	netif_napi_add(vif->ndev, &q->napi, nbk_poll);
	q->ops = kvcalloc(NBK_COPY_OPS, sizeof(*q->ops), GFP_KERNEL);
	if (!q->ops)
		return -ENOMEM;
	err = xenbus_map_ring(vif->xdev, &e->tx_ref, 1, &q->tx_map);
	if (err)
		return err;
	err = xenbus_map_ring(vif->xdev, &e->rx_ref, 1, &q->rx_map);
	if (err)
		return err;
	BACK_RING_INIT(&q->tx, (struct netif_tx_sring *)q->tx_map.addr,
		       PAGE_SIZE);
	BACK_RING_INIT(&q->rx, (struct netif_rx_sring *)q->rx_map.addr,
		       PAGE_SIZE);

	err = nbk_bind(q, e->tx_port, 0, split);
	if (err < 0)
		return err;
	q->tx_irq = err;
	q->rx_irq = err;
	if (split) {
		err = nbk_bind(q, e->rx_port, 1, true);
		if (err < 0)
			return err;
		q->rx_irq = err;
	}
	return 0;
}

/* Under vif->lock: @nr queues, the frontend's rings and channels in @ends. */
int nbk_vif_connect(struct nbk_vif *vif, unsigned int nr,
		    const struct nbk_queue_ends *ends)
{
	struct nbk_queue *queues;
	unsigned int i;
	int err = 0;

	queues = kcalloc(nr, sizeof(*queues), GFP_KERNEL);
	if (!queues)
		return -ENOMEM;
	vif->nr_queues = nr;	/* for the irq names; not connected yet */
	for (i = 0; i < nr && !err; i++) {
		queues[i].vif = vif;
		queues[i].index = i;
		queues[i].stats = &vif->stats[i];
		err = nbk_queue_setup(&queues[i], &ends[i]);
	}
	if (!err) {
		rtnl_lock();
		err = netif_set_real_num_tx_queues(vif->ndev, nr) ?:
		      netif_set_real_num_rx_queues(vif->ndev, nr);
		if (!err) {
			netdev_update_features(vif->ndev);
			if (vif->ndev->mtu > ETH_DATA_LEN && !vif->fe_sg)
				dev_set_mtu(vif->ndev, ETH_DATA_LEN);
		}
		rtnl_unlock();
	}
	if (err) {
		while (i--)
			nbk_queue_teardown(&queues[i]);
		kfree(queues);
		vif->nr_queues = 0;
		return err;
	}

	vif->queues = queues;
	vif->broken = false;
	/* Pairs with the acquire in nbk_start_xmit(). */
	smp_store_release(&vif->connected, true);
	for (i = 0; i < nr; i++)
		napi_enable(&queues[i].napi);
	netif_carrier_on(vif->ndev);
	for (i = 0; i < nr; i++)
		napi_schedule(&queues[i].napi);
	return 0;
}

/* Under vif->lock. */
void nbk_vif_disconnect(struct nbk_vif *vif)
{
	unsigned int i;

	if (!vif->connected)
		return;
	nbk_ctrl_disconnect(vif);
	netif_carrier_off(vif->ndev);
	WRITE_ONCE(vif->connected, false);
	/* Waits for transmits in flight; none finds the queues after this. */
	netif_tx_disable(vif->ndev);
	/* Waits for a running poll; none starts after this. */
	for (i = 0; i < vif->nr_queues; i++)
		napi_disable(&vif->queues[i].napi);
	nbk_rate_stop(vif);
	for (i = 0; i < vif->nr_queues; i++)
		nbk_queue_teardown(&vif->queues[i]);
	kfree(vif->queues);
	vif->queues = NULL;
	vif->nr_queues = 0;
	/* Until the next connection, what our stack sends is dropped. */
	netif_tx_wake_all_queues(vif->ndev);
}
