// SPDX-License-Identifier: GPL-2.0
/*
 * The control ring (feature-ctrl-ring): the frontend's receive hash.
 *
 * A frontend that steers the packets it receives to its queues itself
 * (RSS: the same flow to the same CPU) gives us a ring of fixed-size
 * requests (ctrl-ring-ref, event-channel-ctrl) and asks for the Toeplitz
 * hash over the headers it names, with its key, and for the table that
 * maps a hash to a queue.  From then on a packet for the guest goes to
 * queue mapping[hash % size] (hash % queues without a table) and carries
 * its hash in an extra-info slot (rx.c).  Requests we do not serve (the
 * static grant mappings) are answered NOT_SUPPORTED.
 *
 *   nbk_ctrl_connect/disconnect   map the ring, bind the channel
 *   nbk_ctrl_interrupt            serve the requests, in order
 *   nbk_hash_skb                  a packet's hash under the settings
 *
 * Trust: the frontend is not trusted.  A request is copied off the ring
 * before use; key and table are copied out of its grant by Xen (a bad
 * reference fails the copy, not us); every size, offset and queue number
 * is checked against our limits; a producer index running past the ring
 * disconnects the vif.  A packet sees the settings whole: they change
 * under a seqcount, and a reader that raced a change starts again.
 */
#include <linux/bitops.h>
#include <linux/in.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <asm/unaligned.h>
#include <net/flow_dissector.h>
#include <xen/events.h>
#include <asm/xen/page.h>

#include "netback.h"

#define NBK_HASH_TYPES	(XEN_NETIF_CTRL_HASH_TYPE_IPV4 |		\
			 XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP |		\
			 XEN_NETIF_CTRL_HASH_TYPE_IPV6 |		\
			 XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP)

/* Addresses and ports of IPv6 (the largest input): 2 * 16 + 2 * 2. */
#define NBK_HASH_INPUT_MAX	36

/*
 * Toeplitz over @len bytes of @in: for each input bit that is set, XOR
 * in the 32 key bits starting at that bit's position.  A 64-bit window
 * holds the key from the current byte on; bytes past the key are zero.
 */
static u32 nbk_toeplitz(const u8 *key, const u8 *in, unsigned int len)
{
	u64 window = get_unaligned_be64(key);
	unsigned int i, bit;
	u32 hash = 0;

	for (i = 0; i < len; i++) {
		for (bit = 0; bit < 8; bit++)
			if (in[i] & (0x80 >> bit))
				hash ^= (u32)(window >> (32 - bit));
		window <<= 8;
		if (i + 8 < NBK_HASH_KEY_MAX)
			window |= key[i + 8];
	}
	return hash;
}

/*
 * The hash input of @skb for the types in @types, the widest that
 * applies (ports only for TCP, never for a fragment); its type through
 * @type, its length as the result, 0 if none applies.  The addresses
 * and the ports come out of the dissector source first, as on the wire.
 */
static unsigned int nbk_hash_input(struct sk_buff *skb, u32 types, u8 *buf,
				   u8 *type)
{
	struct flow_keys k;
	unsigned int alen;
	const void *addrs;
	u8 ip_type;

	if (!skb_flow_dissect_flow_keys(skb, &k, 0))
		return 0;
	if (k.control.addr_type == FLOW_DISSECTOR_KEY_IPV4_ADDRS) {
		addrs = &k.addrs.v4addrs;
		alen = sizeof(k.addrs.v4addrs);
		ip_type = _XEN_NETIF_CTRL_HASH_TYPE_IPV4;
	} else if (k.control.addr_type == FLOW_DISSECTOR_KEY_IPV6_ADDRS) {
		addrs = &k.addrs.v6addrs;
		alen = sizeof(k.addrs.v6addrs);
		ip_type = _XEN_NETIF_CTRL_HASH_TYPE_IPV6;
	} else {
		return 0;
	}
	memcpy(buf, addrs, alen);
	/* Each family's TCP type is the bit after its address-only one. */
	if (k.basic.ip_proto == IPPROTO_TCP &&
	    !(k.control.flags & FLOW_DIS_IS_FRAGMENT) &&
	    (types & BIT(ip_type + 1))) {
		memcpy(buf + alen, &k.ports.ports, sizeof(k.ports.ports));
		*type = ip_type + 1;
		return alen + sizeof(k.ports.ports);
	}
	*type = ip_type;
	return types & BIT(ip_type) ? alen : 0;
}

/*
 * @skb's hash under the frontend's settings, and the queue they send it
 * to (@nr_queues without a table); false if the frontend asked for no
 * hash or none of its types applies.
 */
bool nbk_hash_skb(struct nbk_vif *vif, struct sk_buff *skb,
		  unsigned int nr_queues, struct nbk_hash_result *res)
{
	u8 buf[NBK_HASH_INPUT_MAX];
	struct nbk_hash *h = &vif->hash;
	unsigned int seq, len;
	u32 types;

	/* Unlocked peek: hashing is off for nearly every frontend. */
	if (!READ_ONCE(h->types))
		return false;
	do {
		seq = read_seqcount_begin(&h->seq);
		types = h->alg == XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ ?
			h->types : 0;
		len = types ? nbk_hash_input(skb, types, buf, &res->type) : 0;
		if (len) {
			res->hash = nbk_toeplitz(h->key, buf, len);
			res->queue = h->size ? h->mapping[res->hash % h->size] :
					       res->hash % nr_queues;
		}
	} while (read_seqcount_retry(&h->seq, seq));
	return len && res->queue < nr_queues;
}

/* ---- the requests ------------------------------------------------------ */

/*
 * Copy @len bytes from the start of the frontend's grant @ref into our
 * ctrl page: XEN_NETIF_CTRL_STATUS_* of the copy.
 */
static u32 nbk_ctrl_fetch(struct nbk_vif *vif, grant_ref_t ref,
			  unsigned int len)
{
	struct gnttab_copy op = {
		.source.u.ref = ref,
		.source.domid = vif->xdev->otherend_id,
		.dest.u.gmfn = virt_to_mfn(vif->ctrl_page),
		.dest.domid = DOMID_SELF,
		.len = len,
		.flags = GNTCOPY_source_gref,
	};

	if (!len)
		return XEN_NETIF_CTRL_STATUS_SUCCESS;
	if (gnttab_copy_grants(&op, 1) < 0 || op.status != GNTST_okay)
		return XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER;
	return XEN_NETIF_CTRL_STATUS_SUCCESS;
}

static u32 nbk_set_algorithm(struct nbk_hash *h, u32 alg)
{
	if (alg != XEN_NETIF_CTRL_HASH_ALGORITHM_NONE &&
	    alg != XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ)
		return XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER;
	h->alg = alg;
	/* Switching it off switches the hash off: types go with it. */
	if (alg == XEN_NETIF_CTRL_HASH_ALGORITHM_NONE)
		WRITE_ONCE(h->types, 0);
	return XEN_NETIF_CTRL_STATUS_SUCCESS;
}

static u32 nbk_set_flags(struct nbk_hash *h, u32 types)
{
	if (h->alg == XEN_NETIF_CTRL_HASH_ALGORITHM_NONE)
		return XEN_NETIF_CTRL_STATUS_NOT_SUPPORTED;
	if (types & ~NBK_HASH_TYPES)
		return XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER;
	WRITE_ONCE(h->types, types);
	return XEN_NETIF_CTRL_STATUS_SUCCESS;
}

static u32 nbk_set_key(struct nbk_vif *vif, grant_ref_t ref, u32 len)
{
	struct nbk_hash *h = &vif->hash;
	u32 st;

	if (len > NBK_HASH_KEY_MAX)
		return XEN_NETIF_CTRL_STATUS_BUFFER_OVERFLOW;
	st = nbk_ctrl_fetch(vif, ref, len);
	if (st != XEN_NETIF_CTRL_STATUS_SUCCESS)
		return st;
	/* Octets the frontend did not give are zero. */
	memset(h->key, 0, sizeof(h->key));
	memcpy(h->key, vif->ctrl_page, len);
	return st;
}

static u32 nbk_set_mapping_size(struct nbk_hash *h, u32 size)
{
	if (size > NBK_HASH_MAP_MAX)
		return XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER;
	/* A new table is all queue 0 until the frontend fills it. */
	memset(h->mapping, 0, sizeof(h->mapping));
	h->size = size;
	return XEN_NETIF_CTRL_STATUS_SUCCESS;
}

/* @len entries from @ref into the table at entry @off. */
static u32 nbk_set_mapping(struct nbk_vif *vif, grant_ref_t ref, u32 len,
			   u32 off)
{
	struct nbk_hash *h = &vif->hash;
	const u32 *entries = vif->ctrl_page;
	u32 st, i;

	if (len > h->size || off > h->size - len)
		return XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER;
	/* One grant: the table must be in its page. */
	if (len > PAGE_SIZE / sizeof(u32))
		return XEN_NETIF_CTRL_STATUS_BUFFER_OVERFLOW;
	st = nbk_ctrl_fetch(vif, ref, len * sizeof(u32));
	if (st != XEN_NETIF_CTRL_STATUS_SUCCESS)
		return st;
	for (i = 0; i < len; i++)
		if (entries[i] >= vif->nr_queues)
			return XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER;
	memcpy(h->mapping + off, entries, len * sizeof(u32));
	return st;
}

/* Serve one request (a copy of it) into @rsp. */
static void nbk_ctrl_serve(struct nbk_vif *vif,
			   const struct xen_netif_ctrl_request *req,
			   struct xen_netif_ctrl_response *rsp)
{
	struct nbk_hash *h = &vif->hash;
	u32 st = XEN_NETIF_CTRL_STATUS_NOT_SUPPORTED, data = 0;

	rsp->id = req->id;
	rsp->type = req->type;
	write_seqcount_begin(&h->seq);
	switch (req->type) {
	case XEN_NETIF_CTRL_TYPE_SET_HASH_ALGORITHM:
		st = nbk_set_algorithm(h, req->data[0]);
		break;
	case XEN_NETIF_CTRL_TYPE_GET_HASH_FLAGS:
		if (h->alg != XEN_NETIF_CTRL_HASH_ALGORITHM_NONE) {
			st = XEN_NETIF_CTRL_STATUS_SUCCESS;
			data = NBK_HASH_TYPES;
		}
		break;
	case XEN_NETIF_CTRL_TYPE_SET_HASH_FLAGS:
		st = nbk_set_flags(h, req->data[0]);
		break;
	case XEN_NETIF_CTRL_TYPE_SET_HASH_KEY:
		st = nbk_set_key(vif, req->data[0], req->data[1]);
		break;
	case XEN_NETIF_CTRL_TYPE_GET_HASH_MAPPING_SIZE:
		st = XEN_NETIF_CTRL_STATUS_SUCCESS;
		data = NBK_HASH_MAP_MAX;
		break;
	case XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING_SIZE:
		st = nbk_set_mapping_size(h, req->data[0]);
		break;
	case XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING:
		st = nbk_set_mapping(vif, req->data[0], req->data[1],
				     req->data[2]);
		break;
	}
	write_seqcount_end(&h->seq);
	rsp->status = st;
	rsp->data = data;
}

/*
 * Bound for late EOI like the data rings: the requests are few and
 * short (at most one copy of a page each), so they are served here.
 */
static irqreturn_t nbk_ctrl_interrupt(int irq, void *data)
{
	struct nbk_vif *vif = data;
	struct xen_netif_ctrl_back_ring *r = &vif->ctrl;
	struct xen_netif_ctrl_request req;
	bool work = false, notify;
	RING_IDX prod;

	prod = READ_ONCE(r->sring->req_prod);
	if (RING_REQUEST_PROD_OVERFLOW(r, prod)) {
		nbk_fatal(vif, "ctrl req_prod %u is %u ahead of our responses",
			  prod, prod - r->rsp_prod_pvt);
		xen_evtchn_eoi(irq, true);
		return IRQ_HANDLED;
	}
	virt_rmb(); /* requests up to prod are written */
	while (!READ_ONCE(vif->broken) && r->req_cons != prod) {
		RING_COPY_REQUEST(r, r->req_cons, &req);
		r->req_cons++;
		nbk_ctrl_serve(vif, &req,
			       RING_GET_RESPONSE(r, r->rsp_prod_pvt));
		r->rsp_prod_pvt++;
		work = true;
	}
	RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(r, notify);
	if (notify)
		xen_evtchn_notify_irq(irq);
	xen_evtchn_eoi(irq, work);
	return IRQ_HANDLED;
}

/* ---- connect and disconnect -------------------------------------------- */

/* Back to "our stack picks the queue", no hash extras. */
static void nbk_hash_reset(struct nbk_hash *h)
{
	h->alg = XEN_NETIF_CTRL_HASH_ALGORITHM_NONE;
	WRITE_ONCE(h->types, 0);
	memset(h->key, 0, sizeof(h->key));
	h->size = 0;
}

void nbk_ctrl_init(struct nbk_vif *vif)
{
	seqcount_init(&vif->hash.seq);
	nbk_hash_reset(&vif->hash);
}

/* Under vif->lock, before the data path runs: the ring @ref, channel @port. */
int nbk_ctrl_connect(struct nbk_vif *vif, grant_ref_t ref, evtchn_port_t port)
{
	int err, irq;

	vif->ctrl_page = (void *)get_zeroed_page(GFP_KERNEL);
	if (!vif->ctrl_page)
		return -ENOMEM;
	err = xenbus_map_ring(vif->xdev, &ref, 1, &vif->ctrl_map);
	if (err)
		return err;
	BACK_RING_INIT(&vif->ctrl,
		       (struct xen_netif_ctrl_sring *)vif->ctrl_map.addr,
		       PAGE_SIZE);
	snprintf(vif->ctrl_irq_name, sizeof(vif->ctrl_irq_name), "%s-ctrl",
		 vif->ndev->name);
	irq = xen_evtchn_bind_interdomain_late(vif->xdev->otherend_id, port,
					       nbk_ctrl_interrupt, 0,
					       vif->ctrl_irq_name, vif);
	if (irq < 0) {
		xenbus_dev_fatal(vif->xdev, irq,
				 "binding the control event channel %u", port);
		return irq;
	}
	vif->ctrl_irq = irq;
	return 0;
}

/* Under vif->lock, the data path stopped (or never started). */
void nbk_ctrl_disconnect(struct nbk_vif *vif)
{
	if (vif->ctrl_irq > 0)
		xen_evtchn_unbind(vif->ctrl_irq, vif);
	vif->ctrl_irq = 0;
	if (vif->ctrl_map.addr)
		xenbus_unmap_ring(&vif->ctrl_map);
	free_page((unsigned long)vif->ctrl_page);
	vif->ctrl_page = NULL;
	nbk_hash_reset(&vif->hash);
}
