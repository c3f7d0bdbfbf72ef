// SPDX-License-Identifier: GPL-2.0
/*
 * Xen PV network frontend: the transmit path.
 *
 * A packet becomes a chain of tx requests, one per piece of the skb that
 * lies within one page: the linear area first, then each fragment.  Every
 * piece is granted read-only to the backend in place; nothing is copied,
 * unless the backend is not trusted: then the packet is first copied
 * into fresh pages holding nothing else (xnf_tx_bounce()), since a
 * backend can read the whole of a page it is granted.
 * The first request carries the size of the whole packet and the checksum
 * flags, and is followed by a GSO extra-info slot for a GSO packet.  All
 * but the last data request have NETTXF_more_data.
 *
 * Each data request uses an id with a grant reference reserved for the
 * life of the queue.  The backend answers every slot (NETIF_RSP_NULL for
 * the extra-info one); the skb is freed when the last of its slots has
 * been answered, which the count in its control block tracks.
 */
#include <linux/if_ether.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>

#include "netfront.h"

struct xnf_tx_cb {
	u16 pending;		/* slots not answered yet */
	bool failed;		/* the backend reported an error on one */
};

static inline struct xnf_tx_cb *xnf_tx_cb(struct sk_buff *skb)
{
	BUILD_BUG_ON(sizeof(struct xnf_tx_cb) > sizeof(skb->cb));
	return (struct xnf_tx_cb *)skb->cb;
}

/* A packet under construction. */
struct xnf_tx_chain {
	struct xnf_queue *q;
	struct sk_buff *skb;
	struct netif_tx_request *last;
	unsigned int nr_ids;
	u16 ids[XNF_TX_PKT_SLOTS];
	u16 first_flags;
	bool gso;
};

void xnf_tx_init(struct xnf_queue *q)
{
	unsigned int i;

	for (i = 0; i < XNF_TX_SLOTS; i++) {
		q->tx_slot[i].skb = NULL;
		q->tx_slot[i].page = NULL;
		q->tx_free[i] = XNF_TX_SLOTS - 1 - i;
	}
	q->tx_nfree = XNF_TX_SLOTS;
}

/* Page-sized pieces of @len bytes at @off within a (compound) page. */
static unsigned int xnf_pieces(unsigned int off, unsigned int len)
{
	if (!len)
		return 0;
	return DIV_ROUND_UP(offset_in_page(off) + len, XEN_PAGE_SIZE);
}

static unsigned int xnf_tx_count_slots(struct sk_buff *skb)
{
	unsigned int i, n;

	n = xnf_pieces(offset_in_page(skb->data), skb_headlen(skb));
	for (i = 0; i < skb_shinfo(skb)->nr_frags; i++) {
		const skb_frag_t *f = &skb_shinfo(skb)->frags[i];

		n += xnf_pieces(skb_frag_off(f), skb_frag_size(f));
	}
	return n;
}

/* The backend still maps the page of @slot: leave the grant (and a page
 * reference) to the grant table, which ends it once the mapping is gone,
 * and give the id a fresh reference next time.
 */
static void xnf_tx_abandon_ref(struct xnf_queue *q, struct xnf_tx_slot *slot)
{
	get_page(slot->page);
	gnttab_end_access(slot->ref, slot->page);
	slot->ref = INVALID_GRANT_REF;
	net_warn_ratelimited("%s: backend still maps a tx page of queue %u\n",
			     q->nf->ndev->name, q->index);
}

/* End the grant of an answered (or never published) slot, free its id. */
static void xnf_tx_put_slot(struct xnf_queue *q, u16 id)
{
	struct xnf_tx_slot *slot = &q->tx_slot[id];

	if (slot->ref != INVALID_GRANT_REF && !gnttab_revoke(slot->ref))
		xnf_tx_abandon_ref(q, slot);
	slot->skb = NULL;
	slot->page = NULL;
	q->tx_free[q->tx_nfree++] = id;
}

/* Grant one piece (within a page) and queue its request. */
static int xnf_tx_piece(struct xnf_tx_chain *c, struct page *page,
			unsigned int off, unsigned int len)
{
	struct xnf_queue *q = c->q;
	struct netif_tx_request *req;
	struct xnf_tx_slot *slot;
	bool first = !c->nr_ids;
	u16 id;
	int err;

	if (WARN_ON_ONCE(!q->tx_nfree || c->nr_ids == XNF_TX_PKT_SLOTS))
		return -ENOSPC;
	id = q->tx_free[--q->tx_nfree];
	slot = &q->tx_slot[id];
	if (slot->ref == INVALID_GRANT_REF &&
	    gnttab_alloc_refs(&slot->ref, 1)) {
		slot->ref = INVALID_GRANT_REF;
		q->tx_nfree++;
		return -ENOSPC;
	}
	err = gnttab_grant_access_ref(slot->ref, q->nf->xdev->otherend_id,
				      xnf_page_mfn(page), true);
	if (err) {
		q->tx_nfree++;
		return err;
	}
	slot->skb = c->skb;
	slot->page = page;
	c->ids[c->nr_ids++] = id;

	if (c->last)
		c->last->flags |= NETTXF_more_data;
	req = RING_GET_REQUEST(&q->tx, q->tx.req_prod_pvt);
	q->tx.req_prod_pvt++;
	req->gref = slot->ref;
	req->offset = off;
	req->id = id;
	req->size = first ? c->skb->len : len;
	req->flags = first ? c->first_flags : 0;
	c->last = req;

	if (first && c->gso) {
		struct netif_extra_info *gso;
		struct skb_shared_info *sh = skb_shinfo(c->skb);

		req->flags |= NETTXF_extra_info;
		gso = (struct netif_extra_info *)
			RING_GET_REQUEST(&q->tx, q->tx.req_prod_pvt);
		q->tx.req_prod_pvt++;
		memset(gso, 0, sizeof(*gso));
		gso->type = XEN_NETIF_EXTRA_TYPE_GSO;
		gso->u.gso.size = sh->gso_size;
		gso->u.gso.type = (sh->gso_type & SKB_GSO_TCPV6) ?
				  XEN_NETIF_GSO_TYPE_TCPV6 :
				  XEN_NETIF_GSO_TYPE_TCPV4;
	}
	return 0;
}

/* All the pieces of @len bytes at @off of @page (may be compound). */
static int xnf_tx_range(struct xnf_tx_chain *c, struct page *page,
			unsigned int off, unsigned int len)
{
	int err;

	page += off >> PAGE_SHIFT;
	off = offset_in_page(off);
	while (len) {
		unsigned int chunk = min_t(unsigned int, len,
					   XEN_PAGE_SIZE - off);

		err = xnf_tx_piece(c, page, off, chunk);
		if (err)
			return err;
		len -= chunk;
		off = 0;
		page++;
	}
	return 0;
}

static int xnf_tx_build(struct xnf_tx_chain *c)
{
	struct sk_buff *skb = c->skb;
	unsigned int i;
	int err;

	err = xnf_tx_range(c, virt_to_page(skb->data),
			   offset_in_page(skb->data), skb_headlen(skb));
	for (i = 0; !err && i < skb_shinfo(skb)->nr_frags; i++) {
		skb_frag_t *f = &skb_shinfo(skb)->frags[i];

		err = xnf_tx_range(c, skb_frag_page(f), skb_frag_off(f),
				   skb_frag_size(f));
	}
	return err;
}

/* Take back an unpublished chain after a failure half-way. */
static void xnf_tx_unwind(struct xnf_tx_chain *c, RING_IDX start)
{
	while (c->nr_ids)
		xnf_tx_put_slot(c->q, c->ids[--c->nr_ids]);
	c->q->tx.req_prod_pvt = start;
}

static void xnf_tx_count_drop(struct xnf_queue *q)
{
	spin_lock(&q->tx_lock);
	u64_stats_update_begin(&q->tx_stats->syncp);
	q->tx_stats->dropped++;
	u64_stats_update_end(&q->tx_stats->syncp);
	spin_unlock(&q->tx_lock);
}

/*
 * A copy of @skb in whole pages of its own, the rest of the last one
 * zeroed, for a backend that must see nothing but the packet (XSA-403);
 * @skb is consumed on success.  NULL if memory ran out.
 */
static struct sk_buff *xnf_tx_bounce(struct sk_buff *skb)
{
	unsigned int off, n, i = 0;
	struct sk_buff *b;
	struct page *page;

	b = alloc_skb(0, GFP_ATOMIC | __GFP_NOWARN);
	if (!b)
		return NULL;
	for (off = 0; off < skb->len; off += n, i++) {
		n = min_t(unsigned int, skb->len - off, PAGE_SIZE);
		page = alloc_page(GFP_ATOMIC | __GFP_NOWARN);
		if (!page || i == MAX_SKB_FRAGS) {
			if (page)
				__free_page(page);
			kfree_skb(b);
			return NULL;
		}
		if (n < PAGE_SIZE)
			memset(page_address(page) + n, 0, PAGE_SIZE - n);
		skb_add_rx_frag(b, i, page, 0, n, PAGE_SIZE);
		if (WARN_ON_ONCE(skb_copy_bits(skb, off, page_address(page), n))) {
			kfree_skb(b);
			return NULL;
		}
	}
	skb_copy_header(b, skb);
	b->dev = skb->dev;
	dev_consume_skb_any(skb);
	return b;
}

/* Validate an skb against what we can put on the ring. */
static bool xnf_tx_fits(struct xnf_info *nf, struct sk_buff *skb)
{
	if (skb->len > XEN_NETIF_MAX_TX_SIZE || skb->len < ETH_HLEN)
		return false;
	if (skb_is_gso(skb)) {
		unsigned int type = skb_shinfo(skb)->gso_type;

		if (skb->ip_summed != CHECKSUM_PARTIAL)
			return false;
		if ((type & SKB_GSO_TCPV4) && !nf->caps.gso_v4)
			return false;
		if ((type & SKB_GSO_TCPV6) && !nf->caps.gso_v6)
			return false;
		if (!(type & (SKB_GSO_TCPV4 | SKB_GSO_TCPV6)))
			return false;
	}
	return true;
}

netdev_tx_t xnf_start_xmit(struct sk_buff *skb, struct net_device *ndev)
{
	struct xnf_info *nf = netdev_priv(ndev);
	unsigned int qi = skb_get_queue_mapping(skb);
	struct xnf_tx_chain c = { .skb = skb };
	struct netdev_queue *txq;
	struct xnf_queue *q;
	unsigned int slots;
	RING_IDX start;
	bool notify;

	if (unlikely(!READ_ONCE(nf->live) || qi >= nf->nr_queues ||
		     xnf_is_broken(nf))) {
		dev_kfree_skb_any(skb);
		return NETDEV_TX_OK;
	}
	q = &nf->queues[qi];
	c.q = q;
	txq = netdev_get_tx_queue(ndev, qi);

	if (unlikely(!xnf_tx_fits(nf, skb)))
		goto drop;
	/* A checksum the backend cannot complete: do it here. */
	if (skb->ip_summed == CHECKSUM_PARTIAL && !skb_is_gso(skb)) {
		bool v6 = skb->protocol == htons(ETH_P_IPV6);

		if ((v6 && !nf->caps.csum_v6) || (!v6 && !nf->caps.csum_v4))
			if (skb_checksum_help(skb))
				goto drop;
	}
	if (unlikely(nf->bounce)) {
		struct sk_buff *b = xnf_tx_bounce(skb);

		if (!b)
			goto drop;
		skb = b;
		c.skb = b;
	}
	slots = xnf_tx_count_slots(skb);
	if (unlikely(slots > XNF_TX_PKT_SLOTS)) {
		if (skb_linearize(skb))
			goto drop;
		slots = xnf_tx_count_slots(skb);
		if (slots > XNF_TX_PKT_SLOTS)
			goto drop;
	}

	if (skb->ip_summed == CHECKSUM_PARTIAL)
		c.first_flags = NETTXF_csum_blank | NETTXF_data_validated;
	else if (skb->ip_summed == CHECKSUM_UNNECESSARY)
		c.first_flags = NETTXF_data_validated;
	c.gso = skb_is_gso(skb);
	xnf_tx_cb(skb)->pending = slots;
	xnf_tx_cb(skb)->failed = false;

	spin_lock(&q->tx_lock);
	if (unlikely(RING_FREE_REQUESTS(&q->tx) < slots + 1 ||
		     q->tx_nfree < slots)) {
		/* We stop early, so this is only a safety net. */
		netif_tx_stop_queue(txq);
		spin_unlock(&q->tx_lock);
		return NETDEV_TX_BUSY;
	}
	start = q->tx.req_prod_pvt;
	if (xnf_tx_build(&c)) {
		xnf_tx_unwind(&c, start);
		spin_unlock(&q->tx_lock);
		goto drop;
	}
	/* The chain might have fewer pieces than counted for empty frags. */
	xnf_tx_cb(skb)->pending = c.nr_ids;

	u64_stats_update_begin(&q->tx_stats->syncp);
	q->tx_stats->packets++;
	q->tx_stats->bytes += skb->len;
	u64_stats_update_end(&q->tx_stats->syncp);
	skb_tx_timestamp(skb);

	RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&q->tx, notify);
	if (notify)
		xen_evtchn_notify(q->tx_port);
	if (RING_FREE_REQUESTS(&q->tx) < XNF_TX_NEED ||
	    q->tx_nfree < XNF_TX_PKT_SLOTS)
		netif_tx_stop_queue(txq);
	spin_unlock(&q->tx_lock);
	return NETDEV_TX_OK;

drop:
	xnf_tx_count_drop(q);
	dev_kfree_skb_any(skb);
	return NETDEV_TX_OK;
}

/* One answered slot; true if processing may go on. */
static bool xnf_tx_answer(struct xnf_queue *q, const struct netif_tx_response *rsp)
{
	struct sk_buff *skb;
	struct xnf_tx_cb *cb;

	if (rsp->status == NETIF_RSP_NULL)
		return true;
	if (rsp->id >= XNF_TX_SLOTS || !q->tx_slot[rsp->id].skb) {
		xnf_protocol_error(q->nf,
				   "tx response for id %u, which is not in flight on queue %u",
				   rsp->id, q->index);
		return false;
	}
	skb = q->tx_slot[rsp->id].skb;
	cb = xnf_tx_cb(skb);
	xnf_tx_put_slot(q, rsp->id);
	if (rsp->status != NETIF_RSP_OKAY)
		cb->failed = true;
	if (--cb->pending)
		return true;
	if (cb->failed) {
		u64_stats_update_begin(&q->tx_stats->syncp);
		q->tx_stats->errors++;
		u64_stats_update_end(&q->tx_stats->syncp);
		dev_kfree_skb_any(skb);
	} else {
		dev_consume_skb_any(skb);
	}
	return true;
}

/* Reap tx responses; called from NAPI. */
void xnf_tx_complete(struct xnf_queue *q)
{
	struct netdev_queue *txq = netdev_get_tx_queue(q->nf->ndev, q->index);
	struct netif_tx_response rsp;
	RING_IDX prod, cons;
	int more;

	spin_lock(&q->tx_lock);
	do {
		prod = READ_ONCE(q->tx.sring->rsp_prod);
		virt_rmb(); /* read the responses after seeing the index */
		if (prod - q->tx.rsp_cons > q->tx.req_prod_pvt - q->tx.rsp_cons) {
			xnf_protocol_error(q->nf,
					   "tx response producer %u beyond requests (%u..%u) on queue %u",
					   prod, q->tx.rsp_cons, q->tx.req_prod_pvt,
					   q->index);
			goto out;
		}
		for (cons = q->tx.rsp_cons; cons != prod; cons++) {
			RING_COPY_RESPONSE(&q->tx, cons, &rsp);
			if (!xnf_tx_answer(q, &rsp)) {
				q->tx.rsp_cons = cons + 1;
				goto out;
			}
		}
		q->tx.rsp_cons = prod;
		RING_FINAL_CHECK_FOR_RESPONSES(&q->tx, more);
	} while (more);

	if (netif_tx_queue_stopped(txq) && READ_ONCE(q->nf->live) &&
	    RING_FREE_REQUESTS(&q->tx) >= XNF_TX_NEED &&
	    q->tx_nfree >= XNF_TX_PKT_SLOTS)
		netif_tx_wake_queue(txq);
out:
	spin_unlock(&q->tx_lock);
}

/* The data path is down (backend disconnected or we are removing): drop
 * every packet in flight and end its grants.  A grant the backend still
 * maps is parked in the grant table with a page reference.
 */
void xnf_tx_release_all(struct xnf_queue *q)
{
	unsigned int id;

	spin_lock_bh(&q->tx_lock);
	for (id = 0; id < XNF_TX_SLOTS; id++) {
		struct xnf_tx_slot *slot = &q->tx_slot[id];
		struct sk_buff *skb = slot->skb;

		if (!skb)
			continue;
		xnf_tx_put_slot(q, id);
		if (!--xnf_tx_cb(skb)->pending)
			dev_kfree_skb_any(skb);
	}
	spin_unlock_bh(&q->tx_lock);
}
