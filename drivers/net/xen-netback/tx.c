// SPDX-License-Identifier: GPL-2.0
/*
 * Guest transmits: packets off the frontend's tx ring, into skbs that
 * go up our stack as received on the vif.
 *
 * A packet is a first slot (its size field is the whole packet), the
 * extra-info slots its flags announce, then data slots while
 * NETTXF_more_data is set.  A packet is taken only once all its slots
 * are on the ring; each slot is copied off the ring first.  Checks, on
 * the copies:
 *   - at most NBK_MAX_SLOTS data slots and XEN_NETIF_EXTRA_TYPE_MAX
 *     extras, known extra types, each slot inside its page: otherwise
 *     the frontend is broken and is disconnected;
 *   - at least an Ethernet header, later slots not larger than the
 *     packet, at most one GSO extra, of a TCP type with an MSS: otherwise
 *     the packet is dropped and answered with an error.
 * The data of a whole batch is then copied in by Xen with one grant
 * copy hypercall: the first NBK_HDR_LEN bytes into the skb's linear
 * area, the rest into page fragments.  Every slot gets a response
 * (NETIF_RSP_NULL for extras).
 */
#include <linux/etherdevice.h>
#include <linux/gfp.h>
#include <xen/events.h>
#include <asm/xen/page.h>

#include "netback.h"

/* Most copy operations one packet needs (each slot, each destination). */
#define NBK_TX_PKT_OPS		(2 * NBK_MAX_SLOTS + 4)

enum nbk_tx_result { NBK_TX_NONE, NBK_TX_QUEUED, NBK_TX_DROPPED, NBK_TX_FATAL };

union nbk_tx_slot {
	struct netif_tx_request req;
	struct netif_extra_info extra;
};

static void nbk_tx_respond(struct nbk_queue *q, u16 id, s16 status)
{
	struct netif_tx_response *rsp;

	rsp = RING_GET_RESPONSE(&q->tx, q->tx.rsp_prod_pvt);
	rsp->id = id;
	rsp->status = status;
	q->tx.rsp_prod_pvt++;
}

static void nbk_tx_respond_pkt(struct nbk_queue *q,
			       const struct nbk_tx_pkt *pkt, s16 status)
{
	unsigned int i;

	nbk_tx_respond(q, pkt->ids[0], status);
	for (i = 0; i < pkt->nr_extras; i++)
		nbk_tx_respond(q, 0, NETIF_RSP_NULL);
	for (i = 1; i < pkt->nr_slots; i++)
		nbk_tx_respond(q, pkt->ids[i], status);
}

/*
 * Copy operations for @len bytes of a slot (@ref from @src_off) to the
 * kernel address @dst: one per destination 4 KiB page.
 */
static unsigned int nbk_tx_ops(struct nbk_queue *q, unsigned int nops,
			       grant_ref_t ref, unsigned int src_off,
			       void *dst, unsigned int len)
{
	while (len) {
		unsigned int chunk = min_t(unsigned int, len,
					   PAGE_SIZE - offset_in_page(dst));

		q->ops[nops++] = (struct gnttab_copy) {
			.source.u.ref = ref,
			.source.domid = q->vif->xdev->otherend_id,
			.source.offset = src_off,
			.dest.u.gmfn = virt_to_mfn(dst),
			.dest.domid = DOMID_SELF,
			.dest.offset = offset_in_page(dst),
			.len = chunk,
			.flags = GNTCOPY_source_gref,
		};
		src_off += chunk;
		dst += chunk;
		len -= chunk;
	}
	return nops;
}

/* The skb for a checked packet and its copy operations; false if none. */
static bool nbk_tx_prepare(struct nbk_queue *q, struct nbk_tx_pkt *pkt,
			   const struct netif_tx_request *slots,
			   unsigned int first_len, unsigned int *nops)
{
	unsigned int total = slots[0].size, linear, rest, i, f, frag_off;
	struct sk_buff *skb;

	linear = min_t(unsigned int, total, NBK_HDR_LEN);
	skb = napi_alloc_skb(&q->napi, linear);
	if (!skb)
		return false;
	skb_put(skb, linear);
	for (rest = total - linear, f = 0; rest; f++) {
		unsigned int len = min_t(unsigned int, rest, PAGE_SIZE);
		struct page *page = alloc_page(GFP_ATOMIC);

		if (!page) {
			kfree_skb(skb);
			return false;
		}
		skb_fill_page_desc(skb, f, page, 0, len);
		skb->len += len;
		skb->data_len += len;
		skb->truesize += PAGE_SIZE;
		rest -= len;
	}

	/* Walk the slots, filling the linear area, then frag after frag. */
	pkt->first_op = *nops;
	f = 0;
	frag_off = 0;
	for (i = 0; i < pkt->nr_slots; i++) {
		unsigned int len = i ? slots[i].size : first_len;
		unsigned int src = slots[i].offset;

		while (len) {
			unsigned int chunk;
			void *dst;

			if (linear) {
				chunk = min(len, linear);
				dst = skb->data + skb_headlen(skb) - linear;
				linear -= chunk;
			} else {
				skb_frag_t *frag = &skb_shinfo(skb)->frags[f];

				chunk = min(len, skb_frag_size(frag) - frag_off);
				dst = page_address(skb_frag_page(frag)) + frag_off;
				frag_off += chunk;
				if (frag_off == skb_frag_size(frag)) {
					f++;
					frag_off = 0;
				}
			}
			*nops = nbk_tx_ops(q, *nops, slots[i].gref, src, dst,
					   chunk);
			src += chunk;
			len -= chunk;
		}
	}
	pkt->nr_ops = *nops - pkt->first_op;
	pkt->skb = skb;
	return true;
}

/* A GSO extra: a known type and an MSS; false if it is unusable. */
static bool nbk_tx_gso(struct nbk_tx_pkt *pkt,
		       const struct netif_extra_info *extra)
{
	if (pkt->gso_size || !extra->u.gso.size)
		return false;
	switch (extra->u.gso.type) {
	case XEN_NETIF_GSO_TYPE_TCPV4:
		pkt->gso_type = SKB_GSO_TCPV4;
		break;
	case XEN_NETIF_GSO_TYPE_TCPV6:
		pkt->gso_type = SKB_GSO_TCPV6;
		break;
	default:
		return false;
	}
	pkt->gso_size = extra->u.gso.size;
	return true;
}

/* The extras after the first slot; *@drop if the packet must be dropped. */
static int nbk_tx_extras(struct nbk_queue *q, RING_IDX *cons, RING_IDX prod,
			 struct nbk_tx_pkt *pkt, bool *drop)
{
	union nbk_tx_slot slot;

	do {
		if (*cons == prod)
			return NBK_TX_NONE;
		if (pkt->nr_extras == XEN_NETIF_EXTRA_TYPE_MAX) {
			nbk_fatal(q->vif, "more than %u extra slots",
				  XEN_NETIF_EXTRA_TYPE_MAX);
			return NBK_TX_FATAL;
		}
		RING_COPY_REQUEST(&q->tx, (*cons)++, &slot.req);
		pkt->nr_extras++;
		if (slot.extra.type == XEN_NETIF_EXTRA_TYPE_NONE ||
		    slot.extra.type >= XEN_NETIF_EXTRA_TYPE_MAX) {
			nbk_fatal(q->vif, "extra slot of type %u", slot.extra.type);
			return NBK_TX_FATAL;
		}
		/* Multicast control was not offered: ignored. */
		if (slot.extra.type == XEN_NETIF_EXTRA_TYPE_GSO)
			*drop |= !nbk_tx_gso(pkt, &slot.extra);
	} while (slot.extra.flags & XEN_NETIF_EXTRA_FLAG_MORE);
	return NBK_TX_QUEUED;
}

/* Takes one packet off the ring if it is all there. */
static int nbk_tx_take(struct nbk_queue *q, struct nbk_tx_pkt *pkt,
		       unsigned int *nops)
{
	struct netif_tx_back_ring *ring = &q->tx;
	struct netif_tx_request slots[NBK_MAX_SLOTS];
	RING_IDX cons = ring->req_cons, prod;
	unsigned int i, rest = 0, first_len;
	bool drop = false;
	int ret;

	prod = READ_ONCE(ring->sring->req_prod);
	virt_rmb(); /* the index before the slots it covers */
	if (RING_REQUEST_PROD_OVERFLOW(ring, prod)) {
		nbk_fatal(q->vif, "tx req_prod %u is %u ahead of our responses",
			  prod, prod - ring->rsp_prod_pvt);
		return NBK_TX_FATAL;
	}
	/* Everything up to prod is looked at, even if not taken. */
	q->tx_seen = prod;
	if (cons == prod)
		return NBK_TX_NONE;

	RING_COPY_REQUEST(ring, cons++, &slots[0]);
	/* Over the rate limit: it stays on the ring until there is credit. */
	if (!nbk_rate_take(q->vif, slots[0].size))
		return NBK_TX_NONE;
	pkt->nr_slots = 1;
	pkt->nr_extras = 0;
	pkt->gso_size = 0;
	pkt->flags = slots[0].flags;
	if (slots[0].flags & NETTXF_extra_info) {
		ret = nbk_tx_extras(q, &cons, prod, pkt, &drop);
		if (ret != NBK_TX_QUEUED)
			return ret;
	}
	while (slots[pkt->nr_slots - 1].flags & NETTXF_more_data) {
		if (pkt->nr_slots == NBK_MAX_SLOTS) {
			nbk_fatal(q->vif, "packet of more than %u slots",
				  NBK_MAX_SLOTS);
			return NBK_TX_FATAL;
		}
		if (cons == prod)
			return NBK_TX_NONE;
		RING_COPY_REQUEST(ring, cons++, &slots[pkt->nr_slots]);
		pkt->nr_slots++;
	}
	/* All there: it is ours now, whatever we make of it. */
	ring->req_cons = cons;
	for (i = 0; i < pkt->nr_slots; i++)
		pkt->ids[i] = slots[i].id;

	for (i = 1; i < pkt->nr_slots; i++) {
		if (slots[i].offset + slots[i].size > PAGE_SIZE) {
			nbk_fatal(q->vif, "slot of %u bytes at offset %u",
				  slots[i].size, slots[i].offset);
			return NBK_TX_FATAL;
		}
		rest += slots[i].size;
	}
	if (rest > slots[0].size)
		drop = true;
	first_len = drop ? 0 : slots[0].size - rest;
	if (slots[0].offset + first_len > PAGE_SIZE) {
		nbk_fatal(q->vif, "first slot of %u bytes at offset %u", first_len,
			  slots[0].offset);
		return NBK_TX_FATAL;
	}
	if (slots[0].size < ETH_HLEN)
		drop = true;

	if (drop || !nbk_tx_prepare(q, pkt, slots, first_len, nops)) {
		q->stats->rx_errors += drop;
		q->stats->rx_dropped += !drop;
		nbk_tx_respond_pkt(q, pkt, drop ? NETIF_RSP_ERROR :
						    NETIF_RSP_DROPPED);
		return NBK_TX_DROPPED;
	}
	return NBK_TX_QUEUED;
}

/* After the copy: answer the packet and pass it up, or drop it. */
static void nbk_tx_deliver(struct nbk_queue *q, struct nbk_tx_pkt *pkt,
			   bool copied)
{
	struct sk_buff *skb = pkt->skb;
	unsigned int i;

	for (i = 0; copied && i < pkt->nr_ops; i++)
		copied = q->ops[pkt->first_op + i].status == GNTST_okay;
	nbk_tx_respond_pkt(q, pkt, copied ? NETIF_RSP_OKAY : NETIF_RSP_ERROR);
	if (!copied)
		goto drop;

	skb->protocol = eth_type_trans(skb, q->vif->ndev);
	skb_reset_network_header(skb);
	if (pkt->gso_size) {
		/* From a guest: the stack re-checks the headers (DODGY). */
		skb_shinfo(skb)->gso_size = pkt->gso_size;
		skb_shinfo(skb)->gso_type = pkt->gso_type | SKB_GSO_DODGY;
		skb_shinfo(skb)->gso_segs = 0;
	}
	if ((pkt->flags & NETTXF_csum_blank) || pkt->gso_size) {
		/* The guest left the checksum to whoever sends it on. */
		if (skb_checksum_setup(skb, true))
			goto drop;
	} else if (pkt->flags & NETTXF_data_validated) {
		skb->ip_summed = CHECKSUM_UNNECESSARY;
	}
	q->stats->rx_packets++;
	q->stats->rx_bytes += skb->len;
	/* A guest's GSO packet is already as big as GRO would make it. */
	if (pkt->gso_size)
		netif_receive_skb(skb);
	else
		napi_gro_receive(&q->napi, skb);
	return;

drop:
	q->stats->rx_errors++;
	kfree_skb(skb);
}

static void nbk_tx_push(struct nbk_queue *q)
{
	bool notify;

	RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&q->tx, notify);
	if (notify)
		xen_evtchn_notify_irq(q->tx_irq);
}

int nbk_tx_poll(struct nbk_queue *q, int budget)
{
	int done = 0, ret = NBK_TX_QUEUED;

	while (done < budget && ret != NBK_TX_NONE && ret != NBK_TX_FATAL) {
		unsigned int npkts = 0, nops = 0, i;
		bool copied;

		while (npkts < NBK_BATCH && done + npkts < budget &&
		       nops + NBK_TX_PKT_OPS <= NBK_COPY_OPS) {
			ret = nbk_tx_take(q, &q->tx_pkts[npkts], &nops);
			if (ret == NBK_TX_QUEUED)
				npkts++;
			else if (ret == NBK_TX_DROPPED)
				done++;	/* dropped packets use the budget too */
			else
				break;
		}
		if (ret == NBK_TX_FATAL) {
			/* The ring is not ours to answer on any more. */
			for (i = 0; i < npkts; i++)
				kfree_skb(q->tx_pkts[i].skb);
			return done;
		}
		copied = !nops || gnttab_copy_grants(q->ops, nops) >= 0;
		for (i = 0; i < npkts; i++)
			nbk_tx_deliver(q, &q->tx_pkts[i], copied);
		nbk_tx_push(q);
		done += npkts;
	}
	return done;
}

/* Going idle: ask for an event on the next slot past what we looked at. */
bool nbk_tx_pending(struct nbk_queue *q)
{
	RING_IDX seen = q->tx_seen;

	WRITE_ONCE(q->tx.sring->req_event, seen + 1);
	virt_mb(); /* req_event set before req_prod is read again */
	return READ_ONCE(q->tx.sring->req_prod) != seen;
}
