// SPDX-License-Identifier: GPL-2.0
/*
 * The vif network interface and its rings.
 *
 * The interface exists from probe on (the toolstack's script bridges it
 * before the guest connects); its carrier is on while the frontend is
 * connected.  ndo_start_xmit only queues the packet for the guest and
 * schedules NAPI; the poll moves the guest's transmits up our stack
 * (tx.c), then our queued packets into the guest's buffers (rx.c), and
 * goes idle only once both rings have been re-armed and found empty.
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
	struct nbk_vif *vif = container_of(napi, struct nbk_vif, napi);
	int done = 0;

	if (!vif->broken) {
		done = nbk_tx_poll(vif, budget);
		nbk_rx_poll(vif);
	}
	if (done < budget && napi_complete_done(napi, done) &&
	    !vif->broken && (nbk_tx_pending(vif) || nbk_rx_pending(vif)))
		napi_schedule(napi);
	return done;
}

/*
 * The channels are bound for late EOI.  NAPI does the work, so the EOI
 * comes at once; it says whether the frontend produced anything on either
 * ring since the last event (rx requests sit unconsumed until packets
 * come, so "unconsumed" would not do), so that one notifying without
 * producing is throttled (xen_evtchn_eoi()).
 */
static irqreturn_t nbk_interrupt(int irq, void *data)
{
	struct nbk_vif *vif = data;
	bool tx = xen_evtchn_index_moved(&vif->ev_tx_prod,
					 &vif->tx.sring->req_prod);
	bool rx = xen_evtchn_index_moved(&vif->ev_rx_prod,
					 &vif->rx.sring->req_prod);

	napi_schedule(&vif->napi);
	xen_evtchn_eoi(irq, tx || rx);
	return IRQ_HANDLED;
}

static netdev_tx_t nbk_start_xmit(struct sk_buff *skb, struct net_device *ndev)
{
	struct nbk_vif *vif = netdev_priv(ndev);

	if (!READ_ONCE(vif->connected) || vif->broken ||
	    (skb->len > PAGE_SIZE && !vif->fe_sg)) {
		vif->stats.tx_dropped++;
		dev_kfree_skb_any(skb);
		return NETDEV_TX_OK;
	}
	nbk_rx_queue(vif, skb);
	if (skb_queue_len(&vif->rxq) >= NBK_RXQ_MAX)
		netif_stop_queue(ndev);
	napi_schedule(&vif->napi);
	return NETDEV_TX_OK;
}

static void nbk_get_stats64(struct net_device *ndev,
			    struct rtnl_link_stats64 *s)
{
	struct nbk_vif *vif = netdev_priv(ndev);

	/* From our side: rx is what the guest sent, tx what it received. */
	s->rx_packets = READ_ONCE(vif->stats.rx_packets);
	s->rx_bytes = READ_ONCE(vif->stats.rx_bytes);
	s->rx_errors = READ_ONCE(vif->stats.rx_errors);
	s->rx_dropped = READ_ONCE(vif->stats.rx_dropped);
	s->tx_packets = READ_ONCE(vif->stats.tx_packets);
	s->tx_bytes = READ_ONCE(vif->stats.tx_bytes);
	s->tx_dropped = READ_ONCE(vif->stats.tx_dropped);
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
	netif_start_queue(ndev);
	return 0;
}

static int nbk_stop(struct net_device *ndev)
{
	netif_stop_queue(ndev);
	return 0;
}

static const struct net_device_ops nbk_netdev_ops = {
	.ndo_open		= nbk_open,
	.ndo_stop		= nbk_stop,
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

	ndev = alloc_netdev(sizeof(*vif), name, NET_NAME_PREDICTABLE,
			    ether_setup);
	if (!ndev)
		return ERR_PTR(-ENOMEM);
	SET_NETDEV_DEV(ndev, &xdev->dev);
	vif = netdev_priv(ndev);
	vif->xdev = xdev;
	vif->ndev = ndev;
	vif->handle = handle;
	mutex_init(&vif->lock);
	skb_queue_head_init(&vif->rxq);
	INIT_WORK(&vif->fatal_work, nbk_fatal_work);
	vif->ops = kvcalloc(NBK_COPY_OPS, sizeof(*vif->ops), GFP_KERNEL);
	if (!vif->ops) {
		free_netdev(ndev);
		return ERR_PTR(-ENOMEM);
	}

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
	netif_napi_add(ndev, &vif->napi, nbk_poll);
	nbk_rate_init(vif);
	netif_carrier_off(ndev);

	err = register_netdev(ndev);
	if (err) {
		netif_napi_del(&vif->napi);
		kvfree(vif->ops);
		free_netdev(ndev);
		return ERR_PTR(err);
	}
	return vif;
}

void nbk_vif_destroy(struct nbk_vif *vif)
{
	struct net_device *ndev = vif->ndev;

	nbk_vif_disconnect(vif);
	cancel_work_sync(&vif->fatal_work);
	unregister_netdev(ndev);
	skb_queue_purge(&vif->rxq);
	netif_napi_del(&vif->napi);
	kvfree(vif->ops);
	free_netdev(ndev);
}

/* @which: 0 tx (or the only channel), 1 rx; @split: two channels. */
static int nbk_bind(struct nbk_vif *vif, evtchn_port_t port, int which,
		    bool split)
{
	struct xenbus_device *xdev = vif->xdev;
	const char *what = which ? "rx" : "tx";
	char *name = vif->irq_name[which];
	int irq;

	if (split)
		snprintf(name, sizeof(vif->irq_name[0]), "%s-%s",
			 vif->ndev->name, what);
	else
		strscpy(name, vif->ndev->name, sizeof(vif->irq_name[0]));
	irq = xen_evtchn_bind_interdomain_late(xdev->otherend_id, port,
					       nbk_interrupt, 0, name, vif);
	if (irq < 0)
		xenbus_dev_fatal(xdev, irq, "binding %s event channel %u", what,
				 port);
	return irq;
}

/* Under vif->lock. */
int nbk_vif_connect(struct nbk_vif *vif, grant_ref_t tx_ref,
		    grant_ref_t rx_ref, evtchn_port_t tx_port,
		    evtchn_port_t rx_port)
{
	struct xenbus_device *xdev = vif->xdev;
	int err;

	err = xenbus_map_ring(xdev, &tx_ref, 1, &vif->tx_map);
	if (err)
		return err;
	err = xenbus_map_ring(xdev, &rx_ref, 1, &vif->rx_map);
	if (err)
		goto unmap_tx;
	BACK_RING_INIT(&vif->tx, (struct netif_tx_sring *)vif->tx_map.addr,
		       PAGE_SIZE);
	BACK_RING_INIT(&vif->rx, (struct netif_rx_sring *)vif->rx_map.addr,
		       PAGE_SIZE);
	vif->ev_tx_prod = 0;
	vif->ev_rx_prod = 0;
	vif->broken = false;

	err = nbk_bind(vif, tx_port, 0, rx_port != tx_port);
	if (err < 0)
		goto unmap_rx;
	vif->tx_irq = err;
	if (rx_port != tx_port) {
		err = nbk_bind(vif, rx_port, 1, true);
		if (err < 0)
			goto unbind_tx;
		vif->rx_irq = err;
	} else {
		vif->rx_irq = vif->tx_irq;
	}

	rtnl_lock();
	netdev_update_features(vif->ndev);
	if (vif->ndev->mtu > ETH_DATA_LEN && !vif->fe_sg)
		dev_set_mtu(vif->ndev, ETH_DATA_LEN);
	rtnl_unlock();

	WRITE_ONCE(vif->connected, true);
	napi_enable(&vif->napi);
	netif_carrier_on(vif->ndev);
	napi_schedule(&vif->napi);
	return 0;

unbind_tx:
	xen_evtchn_unbind(vif->tx_irq, vif);
	vif->tx_irq = 0;
unmap_rx:
	xenbus_unmap_ring(&vif->rx_map);
unmap_tx:
	xenbus_unmap_ring(&vif->tx_map);
	return err < 0 ? err : -EINVAL;
}

/* Under vif->lock. */
void nbk_vif_disconnect(struct nbk_vif *vif)
{
	if (!vif->connected)
		return;
	netif_carrier_off(vif->ndev);
	WRITE_ONCE(vif->connected, false);
	/* Waits for a running poll; none starts after this. */
	napi_disable(&vif->napi);
	nbk_rate_stop(vif);
	if (vif->rx_irq != vif->tx_irq)
		xen_evtchn_unbind(vif->rx_irq, vif);
	xen_evtchn_unbind(vif->tx_irq, vif);
	vif->tx_irq = 0;
	vif->rx_irq = 0;
	xenbus_unmap_ring(&vif->tx_map);
	xenbus_unmap_ring(&vif->rx_map);
	skb_queue_purge(&vif->rxq);
	netif_wake_queue(vif->ndev);
}
