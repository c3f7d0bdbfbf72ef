// SPDX-License-Identifier: GPL-2.0
/*
 * Packets for the guest: skbs our stack sent through the vif, copied
 * into the buffers the frontend posted on its rx ring.
 *
 * Each rx request names one page the guest granted us; a packet fills
 * as many as it needs from offset 0 (one when the frontend cannot take
 * fragments: bigger packets were dropped in ndo_start_xmit).  A packet
 * waits at the head of the queue until enough requests are posted.
 * Requests are copied off the ring before use; their grant references
 * are checked by Xen during the copy, and a failed copy is reported to
 * the guest as NETIF_RSP_ERROR in every slot of that packet.
 *
 * A TCP GSO packet goes to a frontend that asked for that type
 * (feature-gso-tcpv4/v6) as it is: its first response carries
 * NETRXF_extra_info and the next slot, whose request we take but do not
 * fill, holds the netif_extra_info with the MSS.  GSO packets of other
 * kinds, or for a frontend that cannot take them (features change at
 * each connect, packets may already be queued), are segmented here.
 * A packet hashed for a frontend that asked (ctrl.c) carries its hash
 * the same way, in the extra slot after the MSS's if there is one.
 */
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <asm/unaligned.h>
#include <xen/events.h>
#include <asm/xen/page.h>

#include "netback.h"

/* Most copy operations one packet needs. */
#define NBK_RX_PKT_OPS		(4 * NBK_MAX_SLOTS)

/* Requests @skb takes: its data slots and its extra-info slots. */
static unsigned int nbk_rx_slots(const struct nbk_queue *q,
				 const struct sk_buff *skb)
{
	unsigned int hash = NBK_RX_CB(skb)->hashed;

	if (!q->vif->fe_sg)
		return 1 + hash;
	return DIV_ROUND_UP(skb->len, PAGE_SIZE) + skb_is_gso(skb) + hash;
}

/* Whether the guest can take GSO packet @skb in one piece. */
static bool nbk_rx_gso_ok(const struct nbk_queue *q, const struct sk_buff *skb)
{
	unsigned int type = skb_shinfo(skb)->gso_type;

	if (type & ~(SKB_GSO_TCPV4 | SKB_GSO_TCPV6 | SKB_GSO_DODGY))
		return false;
	if (!(type & SKB_GSO_TCPV4) == !(type & SKB_GSO_TCPV6))
		return false;
	if (!(type & SKB_GSO_TCPV4 ? q->vif->fe_gso_v4 : q->vif->fe_gso_v6))
		return false;
	return skb_shinfo(skb)->gso_size &&
	       nbk_rx_slots(q, skb) <= NBK_MAX_SLOTS;
}

/* From ndo_start_xmit: queue @skb for the guest, segmented if need be. */
void nbk_rx_queue(struct nbk_queue *q, struct sk_buff *skb)
{
	struct sk_buff *segs, *next;

	if (!skb_is_gso(skb) || nbk_rx_gso_ok(q, skb)) {
		skb_queue_tail(&q->rxq, skb);
		return;
	}
	segs = skb_gso_segment(skb, q->vif->ndev->features & ~NETIF_F_GSO_MASK);
	if (IS_ERR_OR_NULL(segs)) {
		q->stats->tx_dropped++;
		dev_kfree_skb_any(skb);
		return;
	}
	consume_skb(skb);
	skb_list_walk_safe(segs, skb, next) {
		skb_mark_not_on_list(skb);
		skb_queue_tail(&q->rxq, skb);
	}
}

/* Copy operations for @len bytes at our kernel address @src. */
static void nbk_rx_chunk(struct nbk_queue *q, struct nbk_rx_pkt *pkt,
			 const grant_ref_t *refs, unsigned int *nops,
			 const void *src, unsigned int len)
{
	while (len) {
		unsigned int slot = pkt->nr_slots - 1;
		unsigned int off = pkt->bytes[slot];
		unsigned int chunk;

		if (off == PAGE_SIZE) {
			pkt->bytes[++pkt->nr_slots - 1] = 0;
			continue;
		}
		chunk = min3(len, (unsigned int)(PAGE_SIZE - off),
			     (unsigned int)(PAGE_SIZE - offset_in_page(src)));
		q->ops[(*nops)++] = (struct gnttab_copy) {
			.source.u.gmfn = virt_to_mfn(src),
			.source.domid = DOMID_SELF,
			.source.offset = offset_in_page(src),
			.dest.u.ref = refs[slot],
			.dest.domid = q->vif->xdev->otherend_id,
			.dest.offset = off,
			.len = chunk,
			.flags = GNTCOPY_dest_gref,
		};
		pkt->bytes[slot] += chunk;
		src += chunk;
		len -= chunk;
	}
}

enum nbk_rx_result { NBK_RX_WAIT, NBK_RX_TAKEN, NBK_RX_DROPPED };

/* Takes the requests for the packet at the head of the queue, if posted. */
static int nbk_rx_take(struct nbk_queue *q, struct nbk_rx_pkt *pkt,
		       unsigned int *nops)
{
	grant_ref_t refs[NBK_MAX_SLOTS];
	struct netif_rx_request req;
	struct sk_buff *skb;
	unsigned int need, data, i, j;

	skb = skb_peek(&q->rxq);
	if (!skb)
		return NBK_RX_WAIT;
	need = nbk_rx_slots(q, skb);
	if (need <= NBK_MAX_SLOTS &&
	    XEN_RING_NR_UNCONSUMED_REQUESTS(&q->rx) < need)
		return NBK_RX_WAIT;
	skb = skb_dequeue(&q->rxq);

	/* Packets queued before a reconnect may no longer suit the guest. */
	pkt->gso_type = XEN_NETIF_GSO_TYPE_NONE;
	if (skb_is_gso(skb)) {
		if (!nbk_rx_gso_ok(q, skb))
			goto drop;
		pkt->gso_type = skb_shinfo(skb)->gso_type & SKB_GSO_TCPV4 ?
				XEN_NETIF_GSO_TYPE_TCPV4 :
				XEN_NETIF_GSO_TYPE_TCPV6;
		pkt->gso_size = skb_shinfo(skb)->gso_size;
	}
	pkt->nr_extras = (pkt->gso_type != XEN_NETIF_GSO_TYPE_NONE) +
			 NBK_RX_CB(skb)->hashed;
	data = need - pkt->nr_extras;
	if (need > NBK_MAX_SLOTS || skb->len > data * PAGE_SIZE ||
	    skb_has_frag_list(skb))
		goto drop;
	/* Slots 1.. of a packet with extras hold them: their buffers stay. */
	for (i = 0, j = 0; i < need; i++) {
		RING_COPY_REQUEST(&q->rx, q->rx.req_cons + i, &req);
		if (i >= 1 && i <= pkt->nr_extras)
			continue;
		pkt->ids[j] = req.id;
		refs[j++] = req.gref;
	}
	q->rx.req_cons += need;

	pkt->skb = skb;
	pkt->first_op = *nops;
	pkt->nr_slots = 1;
	pkt->bytes[0] = 0;
	nbk_rx_chunk(q, pkt, refs, nops, skb->data, skb_headlen(skb));
	for (i = 0; i < skb_shinfo(skb)->nr_frags; i++) {
		const skb_frag_t *frag = &skb_shinfo(skb)->frags[i];

		nbk_rx_chunk(q, pkt, refs, nops,
			     page_address(skb_frag_page(frag)) +
			     skb_frag_off(frag), skb_frag_size(frag));
	}
	/* Requests taken but not filled (a short packet) still answer. */
	for (i = pkt->nr_slots; i < data; i++)
		pkt->bytes[i] = 0;
	pkt->nr_slots = data;
	pkt->nr_ops = *nops - pkt->first_op;
	return NBK_RX_TAKEN;

drop:
	q->stats->tx_dropped++;
	dev_kfree_skb_any(skb);
	return NBK_RX_DROPPED;
}

/* The next response slot, as an extra of @type (@more: one follows). */
static struct netif_extra_info *nbk_rx_extra(struct nbk_queue *q, u8 type,
					     bool more)
{
	struct netif_extra_info *ex;

	ex = (struct netif_extra_info *)RING_GET_RESPONSE(&q->rx,
							  q->rx.rsp_prod_pvt);
	memset(ex, 0, sizeof(*ex));
	ex->type = type;
	ex->flags = more ? XEN_NETIF_EXTRA_FLAG_MORE : 0;
	q->rx.rsp_prod_pvt++;
	return ex;
}

/* The extra-info responses after a packet's first slot: MSS, hash. */
static void nbk_rx_put_extras(struct nbk_queue *q,
			      const struct nbk_rx_pkt *pkt)
{
	const struct nbk_rx_cb *cb = NBK_RX_CB(pkt->skb);
	struct netif_extra_info *ex;

	if (pkt->gso_type != XEN_NETIF_GSO_TYPE_NONE) {
		ex = nbk_rx_extra(q, XEN_NETIF_EXTRA_TYPE_GSO, cb->hashed);
		ex->u.gso.size = pkt->gso_size;
		ex->u.gso.type = pkt->gso_type;
	}
	if (cb->hashed) {
		ex = nbk_rx_extra(q, XEN_NETIF_EXTRA_TYPE_HASH, false);
		ex->u.hash.type = cb->hash_type;
		ex->u.hash.algorithm = XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ;
		put_unaligned_le32(cb->hash, ex->u.hash.value);
	}
}

static void nbk_rx_respond(struct nbk_queue *q, struct nbk_rx_pkt *pkt,
			   bool copied)
{
	struct sk_buff *skb = pkt->skb;
	u16 csum = 0;
	unsigned int i;

	for (i = 0; copied && i < pkt->nr_ops; i++)
		copied = q->ops[pkt->first_op + i].status == GNTST_okay;
	if (skb->ip_summed == CHECKSUM_PARTIAL)
		csum = NETRXF_csum_blank | NETRXF_data_validated;
	else if (skb->ip_summed == CHECKSUM_UNNECESSARY)
		csum = NETRXF_data_validated;

	if (pkt->nr_extras)
		csum |= NETRXF_extra_info;

	for (i = 0; i < pkt->nr_slots; i++) {
		struct netif_rx_response *rsp;

		rsp = RING_GET_RESPONSE(&q->rx, q->rx.rsp_prod_pvt);
		rsp->id = pkt->ids[i];
		rsp->offset = 0;
		rsp->flags = (i + 1 < pkt->nr_slots ? NETRXF_more_data : 0) |
			     (i == 0 ? csum : 0);
		rsp->status = copied ? pkt->bytes[i] : NETIF_RSP_ERROR;
		q->rx.rsp_prod_pvt++;
		if (i == 0 && pkt->nr_extras)
			nbk_rx_put_extras(q, pkt);
	}
	if (copied) {
		q->stats->tx_packets++;
		q->stats->tx_bytes += skb->len;
	} else {
		q->stats->tx_dropped++;
	}
	dev_consume_skb_any(skb);
}

void nbk_rx_poll(struct nbk_queue *q)
{
	struct netdev_queue *txq;
	int ret = NBK_RX_TAKEN;
	unsigned int npkts, nops, i;
	bool copied, notify;
	RING_IDX prod;

	prod = READ_ONCE(q->rx.sring->req_prod);
	if (RING_REQUEST_PROD_OVERFLOW(&q->rx, prod)) {
		nbk_fatal(q->vif, "rx req_prod %u is %u ahead of our responses",
			  prod, prod - q->rx.rsp_prod_pvt);
		return;
	}
	while (ret != NBK_RX_WAIT) {
		npkts = 0;
		nops = 0;
		while (npkts < NBK_BATCH && nops + NBK_RX_PKT_OPS <= NBK_COPY_OPS) {
			ret = nbk_rx_take(q, &q->rx_pkts[npkts], &nops);
			if (ret == NBK_RX_WAIT)
				break;
			if (ret == NBK_RX_TAKEN)
				npkts++;
		}
		if (!npkts)
			continue;
		copied = !nops || gnttab_copy_grants(q->ops, nops) >= 0;
		for (i = 0; i < npkts; i++)
			nbk_rx_respond(q, &q->rx_pkts[i], copied);
		RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&q->rx, notify);
		if (notify)
			xen_evtchn_notify_irq(q->rx_irq);
	}
	txq = netdev_get_tx_queue(q->vif->ndev, q->index);
	if (netif_tx_queue_stopped(txq) &&
	    skb_queue_len(&q->rxq) < NBK_RXQ_MAX / 2)
		netif_tx_wake_queue(txq);
}

/* Going idle: ask for an event once the head packet's buffers are there. */
bool nbk_rx_pending(struct nbk_queue *q)
{
	struct sk_buff *skb = skb_peek(&q->rxq);
	unsigned int need;

	if (!skb)
		return false;
	need = nbk_rx_slots(q, skb);
	WRITE_ONCE(q->rx.sring->req_event, q->rx.req_cons + need);
	virt_mb(); /* req_event set before req_prod is read again */
	return XEN_RING_NR_UNCONSUMED_REQUESTS(&q->rx) >= need;
}
