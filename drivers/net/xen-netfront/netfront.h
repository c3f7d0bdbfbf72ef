/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Xen PV network frontend: shared definitions.
 *
 * The driver is split by job:
 *   bus.c    - xenbus driver: probe/remove, reaction to the backend state
 *   link.c   - building and tearing down the data path (queues, rings,
 *              event channels, grant references) and publishing it
 *   tx.c     - sending: skb -> granted slots, and completions
 *   rx.c     - receiving: posting pages, responses -> skb
 *   ndev.c   - net_device ops, NAPI poll, features, statistics
 * Design notes: Documentation/xen/netfront.rst.
 */
#ifndef _XEN_NETFRONT_H
#define _XEN_NETFRONT_H

#include <linux/netdevice.h>
#include <linux/u64_stats_sync.h>
#include <asm/xen/page.h>
#include <xen/events.h>
#include <xen/grant_table.h>
#include <xen/xenbus.h>
#include <xen/interface/io/netif.h>

#define XNF_TX_SLOTS	__CONST_RING_SIZE(netif_tx, XEN_PAGE_SIZE)
#define XNF_RX_SLOTS	__CONST_RING_SIZE(netif_rx, XEN_PAGE_SIZE)

/* Largest number of queues we ever ask for. */
#define XNF_QUEUES_MAX	8

/* Data slots one packet may use on tx: what every backend must accept.
 * Plus one slot for the GSO extra info.
 */
#define XNF_TX_PKT_SLOTS	XEN_NETIF_NR_SLOTS_MIN
#define XNF_TX_NEED		(XNF_TX_PKT_SLOTS + 1)

/* Received packets up to this size are copied and their page reposted. */
#define XNF_RX_COPYBREAK	256
/* Bytes of a larger packet pulled into the linear area for the stack. */
#define XNF_RX_PULL		128

/* One tx request in flight: the slot's grant and what it covers. */
struct xnf_tx_slot {
	struct sk_buff *skb;	/* NULL: id free */
	struct page *page;
	grant_ref_t ref;	/* reserved for this id; INVALID if handed off */
};

/* One posted rx buffer. */
struct xnf_rx_buf {
	struct page *page;	/* NULL: no page (allocate before posting) */
	grant_ref_t ref;
};

struct xnf_queue_stats {
	u64 packets;
	u64 bytes;
	u64 errors;
	u64 dropped;
	struct u64_stats_sync syncp;
};

struct xnf_info;

struct xnf_queue {
	struct xnf_info *nf;
	unsigned int index;
	struct napi_struct napi;
	bool napi_on;

	/* Event channels: one shared, or a tx and an rx one (split). */
	evtchn_port_t tx_port, rx_port;
	int tx_irq, rx_irq;
	char tx_irq_name[IFNAMSIZ + 12];
	char rx_irq_name[IFNAMSIZ + 12];
	RING_IDX ev_tx_prod, ev_rx_prod;	/* rsp_prod at the last event */

	/* --- transmit side, under tx_lock */
	spinlock_t tx_lock;
	struct netif_tx_front_ring tx;
	grant_ref_t tx_ring_ref;
	struct xnf_tx_slot tx_slot[XNF_TX_SLOTS];
	u16 tx_free[XNF_TX_SLOTS];	/* stack of free ids */
	unsigned int tx_nfree;
	struct xnf_queue_stats *tx_stats;

	/* --- receive side, in NAPI context only (or with NAPI off) */
	struct netif_rx_front_ring rx;
	grant_ref_t rx_ring_ref;
	struct xnf_rx_buf rx_buf[XNF_RX_SLOTS];
	u16 rx_posted[XNF_RX_SLOTS];	/* id posted at ring index & mask */
	u16 rx_free[XNF_RX_SLOTS];
	unsigned int rx_nfree;
	/* Private copies of one packet's responses while it is parsed. */
	struct netif_rx_response rx_copy[XNF_RX_SLOTS];
	struct timer_list refill_timer;
	/* Half a packet published: wait for responses past rx_stall_prod. */
	bool rx_stalled;
	RING_IDX rx_stall_prod;
	struct xnf_queue_stats *rx_stats;
};

/* What the backend offered (read once per connection). */
struct xnf_backend_caps {
	bool sg;
	bool gso_v4;
	bool gso_v6;
	bool csum_v4;
	bool csum_v6;
	bool split_evtchn;
	unsigned int max_queues;
};

struct xnf_info {
	struct net_device *ndev;
	struct xenbus_device *xdev;

	/* Both under rtnl_lock. */
	struct xnf_queue *queues;
	unsigned int nr_queues;
	struct xnf_backend_caps caps;
	/*
	 * The backend is not trusted (XSA-403): it sees only pages holding
	 * nothing but packet bytes and zeros (tx bounced, rx zeroed).
	 */
	bool bounce;

	/* Counters by queue index, kept across reconnections. */
	struct xnf_queue_stats tx_stats[XNF_QUEUES_MAX];
	struct xnf_queue_stats rx_stats[XNF_QUEUES_MAX];

	/* Data path usable: set once queues exist, cleared before teardown. */
	bool live;
	/* Backend broke the protocol: stop touching the rings. */
	struct xenbus_peer_error perr;
};

/* link.c */
int xnf_connect(struct xnf_info *nf);
void xnf_disconnect(struct xnf_info *nf);
void xnf_protocol_error(struct xnf_info *nf, const char *fmt, ...)
	__printf(2, 3);

/* tx.c */
netdev_tx_t xnf_start_xmit(struct sk_buff *skb, struct net_device *ndev);
void xnf_tx_complete(struct xnf_queue *q);
void xnf_tx_release_all(struct xnf_queue *q);
void xnf_tx_init(struct xnf_queue *q);

/* rx.c */
int xnf_rx_poll(struct xnf_queue *q, int budget);
void xnf_rx_refill(struct xnf_queue *q);
bool xnf_rx_rearm(struct xnf_queue *q);
void xnf_rx_init(struct xnf_queue *q);
void xnf_rx_release_all(struct xnf_queue *q);
void xnf_refill_timer(struct timer_list *t);

/* ndev.c */
struct net_device *xnf_alloc_netdev(struct xenbus_device *xdev);
int xnf_napi_poll(struct napi_struct *napi, int budget);
irqreturn_t xnf_interrupt(int irq, void *dev_id);
void xnf_queues_start(struct xnf_info *nf);
void xnf_queues_quiesce(struct xnf_info *nf);

static inline bool xnf_is_broken(struct xnf_info *nf)
{
	return xenbus_peer_error_raised(&nf->perr);
}

static inline unsigned long xnf_page_mfn(struct page *page)
{
	return pfn_to_mfn(page_to_pfn(page));
}

#endif /* _XEN_NETFRONT_H */
