// SPDX-License-Identifier: GPL-2.0
/*
 * Xen PV network frontend: the receive path.
 *
 * We post whole pages, each granted writable to the backend, which copies
 * received packets into them (rx copy mode, the only one netback has).  A
 * buffer id names a posted page; rx_posted[] remembers which id went to
 * which ring index, because the backend answers a request in the response
 * slot of the same index, and an extra-info slot overwrites the response
 * (so its buffer comes back unused and is simply posted again).
 *
 * A packet is read in two passes: parse() copies and checks every slot of
 * the packet (ids, offsets, sizes, slot counts, extra info) before
 * anything is touched, then build() turns the checked pieces into an skb.
 * Small packets are copied out and their page stays granted for reuse;
 * larger ones take the pages as fragments and pull the headers.
 */
#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>

#include "netfront.h"

#define XNF_RX_MASK	(XNF_RX_SLOTS - 1)
/* Refill when at least this many ring slots are free (or the ring is low). */
#define XNF_RX_REFILL_BATCH	32

/* Per slot: what the parse pass found. */
struct xnf_rx_pkt {
	RING_IDX start, end;
	unsigned int nr_data;
	unsigned int len;
	u16 flags;		/* of the first slot */
	bool drop;
	bool error;
	bool has_gso;
	struct netif_extra_info gso;
};

void xnf_rx_init(struct xnf_queue *q)
{
	unsigned int i;

	for (i = 0; i < XNF_RX_SLOTS; i++) {
		q->rx_buf[i].page = NULL;
		q->rx_free[i] = XNF_RX_SLOTS - 1 - i;
	}
	q->rx_nfree = XNF_RX_SLOTS;
	q->rx_stalled = false;
}

/* Give an id a granted page; false if memory or references ran out. */
static bool xnf_rx_arm_buf(struct xnf_queue *q, struct xnf_rx_buf *buf)
{
	struct page *page;

	if (buf->page)
		return true;
	if (buf->ref == INVALID_GRANT_REF && gnttab_alloc_refs(&buf->ref, 1)) {
		buf->ref = INVALID_GRANT_REF;
		return false;
	}
	/* An untrusted backend could read what the page held before. */
	page = alloc_page(GFP_ATOMIC | __GFP_NOWARN |
			  (q->nf->bounce ? __GFP_ZERO : 0));
	if (!page)
		return false;
	if (gnttab_grant_access_ref(buf->ref, q->nf->xdev->otherend_id,
				    xnf_page_mfn(page), false)) {
		__free_page(page);
		return false;
	}
	buf->page = page;
	return true;
}

/* Post as many buffers as the ring has room for; NAPI context or NAPI off. */
void xnf_rx_refill(struct xnf_queue *q)
{
	RING_IDX start = q->rx.req_prod_pvt;
	bool notify;

	while (q->rx.req_prod_pvt - q->rx.rsp_cons < XNF_RX_SLOTS &&
	       q->rx_nfree) {
		u16 id = q->rx_free[q->rx_nfree - 1];
		struct netif_rx_request *req;
		RING_IDX pos;

		if (!xnf_rx_arm_buf(q, &q->rx_buf[id])) {
			/* Try again soon; NAPI refills when it runs. */
			mod_timer(&q->refill_timer, jiffies + HZ / 10);
			break;
		}
		q->rx_nfree--;
		pos = q->rx.req_prod_pvt++;
		req = RING_GET_REQUEST(&q->rx, pos);
		req->id = id;
		req->gref = q->rx_buf[id].ref;
		q->rx_posted[pos & XNF_RX_MASK] = id;
	}
	if (q->rx.req_prod_pvt == start)
		return;
	RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&q->rx, notify);
	if (notify)
		xen_evtchn_notify(q->rx_port);
}

void xnf_refill_timer(struct timer_list *t)
{
	struct xnf_queue *q = from_timer(q, t, refill_timer);

	napi_schedule(&q->napi);
}

/*
 * The extra-info slots that follow a packet's first response, from *@pos
 * on: 1 taken (*@pos past them), 0 not all there yet, <0 broken.  GSO is
 * the only kind we asked for; any other drops the packet.
 */
static int xnf_rx_parse_extras(struct xnf_queue *q, RING_IDX prod,
			       RING_IDX *pos, struct xnf_rx_pkt *pkt)
{
	struct netif_extra_info ex;
	unsigned int extras = 0;

	do {
		if (*pos == prod)
			return 0;
		memcpy(&ex, (void *)RING_GET_RESPONSE(&q->rx, *pos), sizeof(ex));
		q->rx_copy[*pos & XNF_RX_MASK].status = 0;
		(*pos)++;
		if (++extras > XEN_NETIF_EXTRA_TYPE_MAX) {
			xnf_protocol_error(q->nf,
					   "rx packet at slot %u of queue %u has more than %u extra-info slots",
					   pkt->start, q->index,
					   XEN_NETIF_EXTRA_TYPE_MAX);
			return -EPROTO;
		}
		if (ex.type == XEN_NETIF_EXTRA_TYPE_GSO) {
			pkt->gso = ex;
			pkt->has_gso = true;
		} else if (ex.type == XEN_NETIF_EXTRA_TYPE_NONE ||
			   ex.type >= XEN_NETIF_EXTRA_TYPE_MAX) {
			pkt->drop = true;
			pkt->error = true;
		}
	} while (ex.flags & XEN_NETIF_EXTRA_FLAG_MORE);
	return 1;
}

/* First pass over one packet: 1 parsed, 0 not all there yet, <0 broken. */
static int xnf_rx_parse(struct xnf_queue *q, RING_IDX prod,
			struct xnf_rx_pkt *pkt)
{
	RING_IDX pos = q->rx.rsp_cons;
	bool first = true, more;

	memset(pkt, 0, sizeof(*pkt));
	pkt->start = pos;
	do {
		struct netif_rx_response rsp;
		struct netif_rx_response *piece;

		if (pos == prod)
			return 0;
		RING_COPY_RESPONSE(&q->rx, pos, &rsp);
		if (rsp.id != q->rx_posted[pos & XNF_RX_MASK]) {
			xnf_protocol_error(q->nf,
					   "rx response id %u at slot %u of queue %u, but we posted id %u there",
					   rsp.id, pos, q->index,
					   q->rx_posted[pos & XNF_RX_MASK]);
			return -EPROTO;
		}
		piece = &q->rx_copy[pos & XNF_RX_MASK];
		*piece = rsp;
		piece->status = 0;	/* 0: nothing to take from this slot */
		if (rsp.status < 0) {
			pkt->drop = true;
			pkt->error = true;
		} else if ((unsigned int)rsp.offset + rsp.status > XEN_PAGE_SIZE) {
			xnf_protocol_error(q->nf,
					   "rx response at slot %u of queue %u: %d bytes at offset %u overflow the page",
					   pos, q->index, rsp.status, rsp.offset);
			return -EPROTO;
		} else if (first && !rsp.status) {
			pkt->drop = true;
			pkt->error = true;
		} else if (pkt->nr_data == MAX_SKB_FRAGS) {
			/* More pieces than an skb holds: drop it. */
			pkt->drop = true;
			pkt->error = true;
		} else if (rsp.status) {
			piece->status = rsp.status;
			pkt->nr_data++;
			pkt->len += rsp.status;
		}
		pos++;
		more = rsp.flags & NETRXF_more_data;

		if (first && (rsp.flags & NETRXF_extra_info)) {
			int rc = xnf_rx_parse_extras(q, prod, &pos, pkt);

			if (rc <= 0)
				return rc;
		}
		if (first)
			pkt->flags = rsp.flags;
		first = false;
	} while (more);
	pkt->end = pos;
	return 1;
}

static void xnf_rx_count(struct xnf_queue *q, unsigned int len, bool error,
			 bool dropped)
{
	u64_stats_update_begin(&q->rx_stats->syncp);
	if (error) {
		q->rx_stats->errors++;
	} else if (dropped) {
		q->rx_stats->dropped++;
	} else {
		q->rx_stats->packets++;
		q->rx_stats->bytes += len;
	}
	u64_stats_update_end(&q->rx_stats->syncp);
}

/* Second pass: every slot's buffer goes back to the free list, its page
 * either still granted (reused as it is) or taken into @skb.
 */
static struct sk_buff *xnf_rx_build(struct xnf_queue *q,
				    struct xnf_rx_pkt *pkt)
{
	bool copy = pkt->nr_data == 1 && pkt->len <= XNF_RX_COPYBREAK;
	struct sk_buff *skb = NULL;
	RING_IDX pos;

	if (!pkt->drop) {
		skb = napi_alloc_skb(&q->napi, copy ? pkt->len : XNF_RX_PULL);
		if (!skb)
			pkt->drop = true;
	}
	for (pos = pkt->start; pos != pkt->end; pos++) {
		const struct netif_rx_response *piece =
			&q->rx_copy[pos & XNF_RX_MASK];
		u16 id = q->rx_posted[pos & XNF_RX_MASK];
		struct xnf_rx_buf *buf = &q->rx_buf[id];

		if (skb && piece->status > 0) {
			if (copy) {
				skb_put_data(skb, page_address(buf->page) +
					     piece->offset, piece->status);
			} else if (gnttab_revoke(buf->ref)) {
				skb_add_rx_frag(skb, skb_shinfo(skb)->nr_frags,
						buf->page, piece->offset,
						piece->status, PAGE_SIZE);
				buf->page = NULL;
			} else {
				/* Copy mode never maps: the backend is wrong. */
				gnttab_end_access(buf->ref, buf->page);
				buf->ref = INVALID_GRANT_REF;
				buf->page = NULL;
				xnf_protocol_error(q->nf,
						   "backend maps rx buffer %u of queue %u",
						   id, q->index);
				pkt->drop = true;
			}
		}
		q->rx_free[q->rx_nfree++] = id;
	}
	q->rx.rsp_cons = pkt->end;
	if (pkt->drop && skb) {
		dev_kfree_skb_any(skb);
		skb = NULL;
	}
	return skb;
}

/* GSO and checksum state from the flags and extra info; false: drop. */
static bool xnf_rx_offloads(struct xnf_queue *q, struct sk_buff *skb,
			    const struct xnf_rx_pkt *pkt)
{
	if (pkt->has_gso) {
		const struct netif_extra_info *ex = &pkt->gso;
		unsigned int type;

		if (!ex->u.gso.size)
			return false;
		if (ex->u.gso.type == XEN_NETIF_GSO_TYPE_TCPV4)
			type = SKB_GSO_TCPV4;
		else if (ex->u.gso.type == XEN_NETIF_GSO_TYPE_TCPV6)
			type = SKB_GSO_TCPV6;
		else
			return false;
		skb_shinfo(skb)->gso_size = ex->u.gso.size;
		skb_shinfo(skb)->gso_type = type | SKB_GSO_DODGY;
		skb_shinfo(skb)->gso_segs = 0;
	}

	if ((pkt->flags & NETRXF_csum_blank) || pkt->has_gso) {
		/* The checksum is still to be filled in: find its place. */
		if (skb_checksum_setup(skb, true))
			return false;
	} else if (pkt->flags & NETRXF_data_validated) {
		skb->ip_summed = CHECKSUM_UNNECESSARY;
	}
	return true;
}

static void xnf_rx_deliver(struct xnf_queue *q, struct sk_buff *skb,
			   const struct xnf_rx_pkt *pkt)
{
	struct net_device *ndev = q->nf->ndev;
	unsigned int len = skb->len;

	if (skb_is_nonlinear(skb) &&
	    !__pskb_pull_tail(skb, min_t(unsigned int, skb->len, XNF_RX_PULL)))
		goto drop;
	if (skb->len < ETH_HLEN)
		goto drop;
	skb->protocol = eth_type_trans(skb, ndev);
	skb_reset_network_header(skb);
	if (!xnf_rx_offloads(q, skb, pkt))
		goto drop;
	skb_record_rx_queue(skb, q->index);
	xnf_rx_count(q, len, false, false);
	napi_gro_receive(&q->napi, skb);
	return;

drop:
	xnf_rx_count(q, 0, true, false);
	dev_kfree_skb_any(skb);
}

/* Receive up to @budget packets; NAPI context. */
int xnf_rx_poll(struct xnf_queue *q, int budget)
{
	struct xnf_rx_pkt pkt;
	int done = 0;
	RING_IDX prod;
	int ret;

	q->rx_stalled = false;
	while (done < budget) {
		prod = READ_ONCE(q->rx.sring->rsp_prod);
		virt_rmb(); /* read the responses after seeing the index */
		if (prod - q->rx.rsp_cons > q->rx.req_prod_pvt - q->rx.rsp_cons) {
			xnf_protocol_error(q->nf,
					   "rx response producer %u beyond requests (%u..%u) on queue %u",
					   prod, q->rx.rsp_cons,
					   q->rx.req_prod_pvt, q->index);
			return done;
		}
		if (prod == q->rx.rsp_cons)
			break;
		while (done < budget && q->rx.rsp_cons != prod) {
			struct sk_buff *skb;

			ret = xnf_rx_parse(q, prod, &pkt);
			if (ret < 0)
				return done;
			if (!ret) {
				/* The rest of the packet is not published. */
				q->rx_stalled = true;
				q->rx_stall_prod = prod;
				goto out;
			}
			skb = xnf_rx_build(q, &pkt);
			if (xnf_is_broken(q->nf)) {
				kfree_skb(skb);
				return done;
			}
			if (skb)
				xnf_rx_deliver(q, skb, &pkt);
			else
				xnf_rx_count(q, 0, pkt.error, true);
			done++;
		}
		if (XNF_RX_SLOTS - (q->rx.req_prod_pvt - q->rx.rsp_cons) >=
		    XNF_RX_REFILL_BATCH)
			xnf_rx_refill(q);
	}
out:
	xnf_rx_refill(q);
	return done;
}

/* Before NAPI sleeps: ask for an event on the next response (or, when half
 * a packet is there, on the one after what we saw) and look again.
 */
bool xnf_rx_rearm(struct xnf_queue *q)
{
	RING_IDX want = q->rx_stalled ? q->rx_stall_prod : q->rx.rsp_cons;

	WRITE_ONCE(q->rx.sring->rsp_event, want + 1);
	virt_mb(); /* publish rsp_event before looking at rsp_prod again */
	return READ_ONCE(q->rx.sring->rsp_prod) != want;
}

/* Free every posted page; the data path is down and NAPI off. */
void xnf_rx_release_all(struct xnf_queue *q)
{
	unsigned int id;

	del_timer_sync(&q->refill_timer);
	for (id = 0; id < XNF_RX_SLOTS; id++) {
		struct xnf_rx_buf *buf = &q->rx_buf[id];

		if (!buf->page)
			continue;
		if (gnttab_revoke(buf->ref)) {
			__free_page(buf->page);
		} else {
			gnttab_end_access(buf->ref, buf->page);
			buf->ref = INVALID_GRANT_REF;
		}
		buf->page = NULL;
	}
}
