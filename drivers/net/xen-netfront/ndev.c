// SPDX-License-Identifier: GPL-2.0
/*
 * Xen PV network frontend: the net_device side.
 *
 * One NAPI context per queue serves both directions: an event on the
 * queue's channel(s) (late EOI, see xnf_interrupt()) schedules it, it
 * reaps tx completions, receives up to the budget and re-arms both rings
 * before sleeping.  Offload features follow what the backend offered
 * (fix_features); an MTU above 1500 needs scatter-gather since a packet
 * then spans several slots.
 */
#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/tcp.h>

#include "netfront.h"

/*
 * The channels are bound for late EOI.  NAPI does the work, so the EOI
 * comes at once; it says whether the backend produced responses on this
 * channel's ring(s) since the last event ("unconsumed" would not do: a
 * running poll often takes them before their event arrives), so that a
 * backend notifying without producing is throttled (xen_evtchn_eoi()).
 */
irqreturn_t xnf_interrupt(int irq, void *dev_id)
{
	struct xnf_queue *q = dev_id;
	bool work = false;

	if (likely(!xnf_is_broken(q->nf))) {
		if (irq == q->tx_irq)
			work |= xen_evtchn_index_moved(&q->ev_tx_prod,
						       &q->tx.sring->rsp_prod);
		if (irq == q->rx_irq)
			work |= xen_evtchn_index_moved(&q->ev_rx_prod,
						       &q->rx.sring->rsp_prod);
		napi_schedule(&q->napi);
	}
	xen_evtchn_eoi(irq, work);
	return IRQ_HANDLED;
}

int xnf_napi_poll(struct napi_struct *napi, int budget)
{
	struct xnf_queue *q = container_of(napi, struct xnf_queue, napi);
	bool more;
	int done;

	if (unlikely(xnf_is_broken(q->nf))) {
		napi_complete(napi);
		return 0;
	}
	xnf_tx_complete(q);
	done = xnf_rx_poll(q, budget);
	if (done < budget && napi_complete_done(napi, done)) {
		if (xnf_is_broken(q->nf))
			return done;
		more = xnf_rx_rearm(q);
		if (!more)
			RING_FINAL_CHECK_FOR_RESPONSES(&q->tx, more);
		if (more)
			napi_schedule(napi);
	}
	return done;
}

/* Under rtnl: let the queues run (device up and data path built). */
void xnf_queues_start(struct xnf_info *nf)
{
	unsigned int i;

	for (i = 0; i < nf->nr_queues; i++) {
		struct xnf_queue *q = &nf->queues[i];

		if (!q->napi_on) {
			napi_enable(&q->napi);
			q->napi_on = true;
		}
		napi_schedule(&q->napi);
	}
	netif_tx_wake_all_queues(nf->ndev);
}

/* Under rtnl: no NAPI poll runs after this returns. */
void xnf_queues_quiesce(struct xnf_info *nf)
{
	unsigned int i;

	for (i = 0; i < nf->nr_queues; i++) {
		struct xnf_queue *q = &nf->queues[i];

		if (q->napi_on) {
			napi_disable(&q->napi);
			q->napi_on = false;
		}
	}
}

static int xnf_open(struct net_device *ndev)
{
	struct xnf_info *nf = netdev_priv(ndev);

	if (nf->live)
		xnf_queues_start(nf);
	netif_tx_start_all_queues(ndev);
	return 0;
}

static int xnf_stop(struct net_device *ndev)
{
	netif_tx_stop_all_queues(ndev);
	xnf_queues_quiesce(netdev_priv(ndev));
	return 0;
}

static void xnf_stats_read(struct xnf_queue_stats *s, u64 *packets,
			   u64 *bytes, u64 *errors, u64 *dropped)
{
	u64 p, b, e, d;
	unsigned int start;

	do {
		start = u64_stats_fetch_begin(&s->syncp);
		p = s->packets;
		b = s->bytes;
		e = s->errors;
		d = s->dropped;
	} while (u64_stats_fetch_retry(&s->syncp, start));
	*packets += p;
	*bytes += b;
	*errors += e;
	*dropped += d;
}

static void xnf_get_stats64(struct net_device *ndev,
			    struct rtnl_link_stats64 *tot)
{
	struct xnf_info *nf = netdev_priv(ndev);
	unsigned int i;

	for (i = 0; i < XNF_QUEUES_MAX; i++) {
		xnf_stats_read(&nf->tx_stats[i], &tot->tx_packets,
			       &tot->tx_bytes, &tot->tx_errors,
			       &tot->tx_dropped);
		xnf_stats_read(&nf->rx_stats[i], &tot->rx_packets,
			       &tot->rx_bytes, &tot->rx_errors,
			       &tot->rx_dropped);
	}
}

static int xnf_change_mtu(struct net_device *ndev, int mtu)
{
	if (mtu > ETH_DATA_LEN && !(ndev->features & NETIF_F_SG)) {
		netdev_warn(ndev, "MTU %d needs scatter-gather, which is off\n",
			    mtu);
		return -EINVAL;
	}
	ndev->mtu = mtu;
	return 0;
}

static netdev_features_t xnf_fix_features(struct net_device *ndev,
					  netdev_features_t features)
{
	struct xnf_info *nf = netdev_priv(ndev);
	const struct xnf_backend_caps *c = &nf->caps;

	/* Packets above one page need scatter-gather: keep it for them. */
	if (ndev->mtu > ETH_DATA_LEN && c->sg)
		features |= NETIF_F_SG;
	if (!c->sg)
		features &= ~NETIF_F_SG;
	if (!c->csum_v4)
		features &= ~NETIF_F_IP_CSUM;
	if (!c->csum_v6)
		features &= ~NETIF_F_IPV6_CSUM;
	if (!c->gso_v4)
		features &= ~NETIF_F_TSO;
	if (!c->gso_v6)
		features &= ~NETIF_F_TSO6;
	return features;
}

static const struct net_device_ops xnf_netdev_ops = {
	.ndo_start_xmit		= xnf_start_xmit,
	.ndo_open		= xnf_open,
	.ndo_stop		= xnf_stop,
	.ndo_get_stats64	= xnf_get_stats64,
	.ndo_change_mtu		= xnf_change_mtu,
	.ndo_fix_features	= xnf_fix_features,
};

static void xnf_get_drvinfo(struct net_device *ndev,
			    struct ethtool_drvinfo *info)
{
	struct xnf_info *nf = netdev_priv(ndev);

	strscpy(info->driver, "xen-netfront", sizeof(info->driver));
	strscpy(info->bus_info, dev_name(&nf->xdev->dev),
		sizeof(info->bus_info));
}

static const struct ethtool_ops xnf_ethtool_ops = {
	.get_drvinfo	= xnf_get_drvinfo,
	.get_link	= ethtool_op_get_link,
};

struct net_device *xnf_alloc_netdev(struct xenbus_device *xdev)
{
	struct net_device *ndev;
	struct xnf_info *nf;
	unsigned int i;

	ndev = alloc_etherdev_mq(sizeof(*nf), XNF_QUEUES_MAX);
	if (!ndev)
		return NULL;
	nf = netdev_priv(ndev);
	nf->ndev = ndev;
	nf->xdev = xdev;
	xenbus_peer_error_init(&nf->perr, xdev);
	for (i = 0; i < XNF_QUEUES_MAX; i++) {
		u64_stats_init(&nf->tx_stats[i].syncp);
		u64_stats_init(&nf->rx_stats[i].syncp);
	}

	ndev->netdev_ops = &xnf_netdev_ops;
	ndev->ethtool_ops = &xnf_ethtool_ops;
	ndev->hw_features = NETIF_F_SG | NETIF_F_IP_CSUM | NETIF_F_IPV6_CSUM |
			    NETIF_F_TSO | NETIF_F_TSO6;
	ndev->features = ndev->hw_features | NETIF_F_RXCSUM;
	ndev->min_mtu = ETH_MIN_MTU;
	ndev->max_mtu = XEN_NETIF_MAX_TX_SIZE - ETH_HLEN;
	/* A whole GSO packet must fit the 16-bit size of the first slot. */
	netif_set_tso_max_size(ndev, XEN_NETIF_MAX_TX_SIZE - MAX_TCP_HEADER);
	netif_set_real_num_tx_queues(ndev, 1);
	netif_set_real_num_rx_queues(ndev, 1);
	SET_NETDEV_DEV(ndev, &xdev->dev);
	netif_carrier_off(ndev);
	return ndev;
}
