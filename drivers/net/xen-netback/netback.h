/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Xen virtual network backend: shared definitions.
 *
 * One struct nbk_vif per "backend/vif/<domid>/<id>" device: a network
 * interface of ours, vif<domid>.<id>, that the toolstack's script puts
 * on a bridge, and the frontend's rings behind it, a tx and an rx ring
 * per queue (as many as the frontend chose, up to what we offer).  What
 * the guest transmits arrives on a tx ring and leaves our interface as
 * received packets; what our stack sends through the interface's tx
 * queue N is copied into the buffers the guest posted on rx ring N.
 *
 * Both directions of a queue run in the queue's NAPI poll, which alone
 * touches its rings; its event channels and ndo_start_xmit schedule it.  Data
 * moves only by grant copy, batched per poll: Xen copies between the
 * guest's granted pages and our skbs, so a guest never sees our memory
 * and we never map its pages.
 *
 * Trust: the toolstack (our backend directory, "hotplug-status") is
 * trusted; the frontend is not.  Each ring slot is copied once and only
 * the copy is used; a packet's slots are checked (count, offsets, sizes)
 * before anything is copied.  A malformed packet is answered with an
 * error and dropped; a frontend that corrupts a ring index or sends a
 * slot that runs off its page is disconnected.
 *
 * File layout:
 *   xenbus.c  probe/remove, the state machine against the frontend,
 *             what we offer and what we read back
 *   vif.c     the net_device, connect/disconnect of the rings, NAPI poll
 *   tx.c      guest -> us: tx slots into skbs
 *   rx.c      us -> guest: skbs into the guest's rx buffers
 *   rate.c    the toolstack's limit on what the guest sends ("rate")
 *   ctrl.c    the control ring: the receive hash the frontend asks for
 */
#ifndef _XEN_NETBACK_H
#define _XEN_NETBACK_H

#include <linux/hrtimer.h>
#include <linux/netdevice.h>
#include <linux/seqlock.h>
#include <linux/skbuff.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <xen/grant_table.h>
#include <xen/xenbus.h>
#include <xen/interface/io/netif.h>

/* Most slots one packet may use (what every frontend may assume). */
#define NBK_MAX_SLOTS		XEN_NETIF_NR_SLOTS_MIN
/* Bytes of a received packet in the skb's linear area. */
#define NBK_HDR_LEN		128
/* Grant copy operations in one batch (one hypercall). */
#define NBK_COPY_OPS		1024
/* Packets of one batch, each way. */
#define NBK_BATCH		64
/* Most queues a vif offers (module parameter max_queues lowers it). */
#define NBK_QUEUES_MAX		8
/* Packets waiting for the guest's rx buffers before we stop the queue. */
#define NBK_RXQ_MAX		512

/* Longest Toeplitz key we take, and most entries of the queue table. */
#define NBK_HASH_KEY_MAX	40
#define NBK_HASH_MAP_MAX	128

/*
 * ctrl.c: the receive hash the frontend set through the control ring.
 * Changed only by the ring's handler, under @seq; types 0: no hash.
 */
struct nbk_hash {
	seqcount_t seq;
	u32 alg;			/* XEN_NETIF_CTRL_HASH_ALGORITHM_* */
	u32 types;			/* XEN_NETIF_CTRL_HASH_TYPE_* masks */
	u8 key[NBK_HASH_KEY_MAX];
	u32 size;			/* entries of mapping in use */
	u32 mapping[NBK_HASH_MAP_MAX];	/* hash % size -> queue */
};

/* A packet's hash, and the queue the frontend's table sends it to. */
struct nbk_hash_result {
	u32 hash;
	u8 type;			/* _XEN_NETIF_CTRL_HASH_TYPE_* */
	u16 queue;
};

/* What ndo_start_xmit leaves in a packet for the guest (its skb->cb). */
struct nbk_rx_cb {
	bool hashed;
	u8 hash_type;
	u32 hash;
};

#define NBK_RX_CB(skb)		((struct nbk_rx_cb *)(skb)->cb)

struct nbk_stats {
	u64 rx_packets, rx_bytes;	/* from the guest */
	u64 tx_packets, tx_bytes;	/* to the guest */
	u64 rx_errors, tx_dropped, rx_dropped;
};

/* A guest transmit in the current batch. */
struct nbk_tx_pkt {
	struct sk_buff *skb;
	unsigned int first_op, nr_ops;
	u16 ids[NBK_MAX_SLOTS];
	u8 nr_slots;
	u8 nr_extras;
	u16 flags;			/* NETTXF_* of the first slot */
	u16 gso_size;			/* MSS of a GSO packet, else 0 */
	unsigned int gso_type;		/* SKB_GSO_TCPV4 or SKB_GSO_TCPV6 */
};

/*
 * A packet for the guest in the current batch: its data slots (a GSO
 * packet also took the request after its first slot for the extra-info
 * response that carries the MSS).
 */
struct nbk_rx_pkt {
	struct sk_buff *skb;
	unsigned int first_op, nr_ops;
	u16 ids[NBK_MAX_SLOTS];
	u16 bytes[NBK_MAX_SLOTS];
	u8 nr_slots;
	u8 nr_extras;			/* extra-info slots after the first */
	u8 gso_type;			/* XEN_NETIF_GSO_TYPE_*, NONE if not */
	u16 gso_size;
};

/*
 * rate.c: a token bucket for the guest's tx, in bytes, shared by the
 * queues (the limit is the vif's).
 */
struct nbk_credit {
	spinlock_t lock;		/* the queues' polls take from it */
	u64 bytes;			/* added per interval; 0: no limit */
	u64 interval_ns;
	u64 left;			/* may be sent now */
	u64 cap;			/* most the bucket holds */
	u64 next_ns;			/* when the next interval's bytes come */
	struct hrtimer timer;		/* polls again at next_ns */
};

struct nbk_vif;

/*
 * One queue: a tx and an rx ring of the frontend, their event channels
 * and the NAPI poll that alone touches them.
 */
struct nbk_queue {
	struct nbk_vif *vif;
	unsigned int index;

	struct xenbus_mapped_ring tx_map, rx_map;
	struct netif_tx_back_ring tx;
	struct netif_rx_back_ring rx;
	int tx_irq, rx_irq;		/* equal unless split event channels */
	RING_IDX ev_tx_prod, ev_rx_prod; /* req_prod at the last event */
	char irq_name[2][IFNAMSIZ + 8];	/* "vifD.N[-qI][-tx|-rx]" */
	RING_IDX tx_seen;		/* tx req_prod we last looked at */
	struct napi_struct napi;

	struct sk_buff_head rxq;	/* waiting for the guest's buffers */

	/* The poll's scratch. */
	struct gnttab_copy *ops;
	struct nbk_tx_pkt tx_pkts[NBK_BATCH];
	struct nbk_rx_pkt rx_pkts[NBK_BATCH];

	struct nbk_stats *stats;	/* the vif's for this index */
};

/* What the frontend published for one queue. */
struct nbk_queue_ends {
	grant_ref_t tx_ref, rx_ref;
	evtchn_port_t tx_port, rx_port;
};

struct nbk_vif {
	struct xenbus_device *xdev;
	struct net_device *ndev;
	unsigned int handle;
	struct mutex lock;		/* connect/disconnect */
	struct xenbus_watch hotplug_watch;
	bool hotplug_ok;		/* the script said "connected" */
	bool connected;

	/* What the frontend can take (read at connect). */
	bool fe_sg, fe_csum, fe_ipv6_csum;
	bool fe_gso_v4, fe_gso_v6;	/* takes TCP GSO packets on rx */

	unsigned int max_queues;	/* what we offered */
	/* Connected: nr_queues of them (the frontend's choice). */
	struct nbk_queue *queues;
	unsigned int nr_queues;
	bool broken;			/* stop touching the rings */
	struct work_struct fatal_work;	/* tell the toolstack, close */

	struct nbk_credit credit;

	/* The control ring, if the frontend gave one (ctrl.c). */
	struct xenbus_mapped_ring ctrl_map;
	struct xen_netif_ctrl_back_ring ctrl;
	int ctrl_irq;
	char ctrl_irq_name[IFNAMSIZ + 8];
	void *ctrl_page;		/* what we copy out of its grants */
	struct nbk_hash hash;

	/* By queue index, kept across connections; each by its poll only. */
	struct nbk_stats stats[NBK_QUEUES_MAX];
	u64 st_tx_fatal;
};

/* vif.c */
struct nbk_vif *nbk_vif_create(struct xenbus_device *xdev,
			       unsigned int handle, const char *name);
void nbk_vif_destroy(struct nbk_vif *vif);
int nbk_vif_connect(struct nbk_vif *vif, unsigned int nr_queues,
		    const struct nbk_queue_ends *ends);
void nbk_vif_disconnect(struct nbk_vif *vif);
void nbk_fatal(struct nbk_vif *vif, const char *fmt, ...) __printf(2, 3);

/* tx.c: guest packets off the tx ring, at most @budget; how many. */
int nbk_tx_poll(struct nbk_queue *q, int budget);
bool nbk_tx_pending(struct nbk_queue *q);

/* rate.c */
void nbk_rate_init(struct nbk_vif *vif);
void nbk_rate_read(struct nbk_vif *vif);
bool nbk_rate_take(struct nbk_vif *vif, unsigned int size);
void nbk_rate_stop(struct nbk_vif *vif);

/* ctrl.c */
void nbk_ctrl_init(struct nbk_vif *vif);
int nbk_ctrl_connect(struct nbk_vif *vif, grant_ref_t ref,
		     evtchn_port_t port);
void nbk_ctrl_disconnect(struct nbk_vif *vif);
bool nbk_hash_skb(struct nbk_vif *vif, struct sk_buff *skb,
		  unsigned int nr_queues, struct nbk_hash_result *res);

/* rx.c: queued packets into the guest's buffers. */
void nbk_rx_queue(struct nbk_queue *q, struct sk_buff *skb);
void nbk_rx_poll(struct nbk_queue *q);
bool nbk_rx_pending(struct nbk_queue *q);

#endif /* _XEN_NETBACK_H */
