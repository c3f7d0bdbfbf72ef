/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Xen virtual block device frontend: shared definitions.
 *
 * One struct bfr_dev per "device/vbd/<id>" node.  It owns one or more
 * struct bfr_queue, each a shared ring with its own event channel, which
 * map one to one onto the blk-mq hardware queues of the gendisk.  Every
 * request in flight on a ring sits in a struct bfr_slot whose index is the
 * id we put on the wire, so a response names the slot it completes.
 *
 * File layout:
 *   xenbus.c   probe/remove and the state machine against the backend
 *   transport.c  rings and event channels, and publishing them
 *   connect.c  reading and checking what the backend offers, the gendisk
 *   io.c       blk-mq operations: requests onto the ring, responses off it
 *   pool.c     persistent grants: a per-queue pool of granted pages
 */
#ifndef _XEN_BLKFRONT_H
#define _XEN_BLKFRONT_H

#include <linux/blk-mq.h>
#include <linux/interrupt.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/scatterlist.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <xen/grant_table.h>
#include <xen/xenbus.h>
#include <xen/interface/io/blkif.h>

#define BFR_MINORS		16	/* per disk: the disk and 15 partitions */
#define BFR_XVD_MAJOR		202
#define BFR_NO_SLOT		UINT_MAX
/* Segments one indirect page describes. */
#define BFR_SEGS_PER_PAGE	(PAGE_SIZE / sizeof(struct blkif_request_segment))

/*
 * Most pages in a queue's persistent pool: what blkback keeps mapped per
 * ring by default (max_persistent_grants); beyond it the backend would
 * purge and remap, and the guest would pin memory for nothing.  Four
 * 1 MiB requests in flight per queue.
 */
#define BFR_POOL_MAX		1056

/* Module parameters (xenbus.c). */
extern unsigned int bfr_param_ring_order;
extern unsigned int bfr_param_queues;
extern unsigned int bfr_param_indirect;
extern bool bfr_param_persistent;
extern bool bfr_param_trusted;

/* Where a device is in its life; the I/O path looks at it under q->lock. */
enum bfr_phase {
	BFR_NEW,	/* rings may exist, no disk yet */
	BFR_LIVE,	/* requests are accepted */
	BFR_DRAINING,	/* no new requests; responses still processed */
	BFR_DEAD,	/* nothing is processed any more */
};

/* A page of the persistent pool, granted read-write for the ring's life. */
struct bfr_pg {
	struct list_head link;
	struct page *page;
	grant_ref_t ref;
};

/* One request on the ring; its index in bfr_queue.slots is the wire id. */
struct bfr_slot {
	struct request *rq;		/* NULL while the slot is free */
	unsigned int next_free;
	u8 op;				/* BLKIF_OP_* of the payload */
	bool indirect;
	unsigned short nr_sg;
	unsigned short nr_ind;
	unsigned int nr_refs;		/* non-persistent grants held */
	struct scatterlist *sg;		/* the request's data, page by page */
	grant_ref_t *refs;		/* non-persistent: data, then indirect */
	struct page **ref_pages;	/* the page behind each of refs[] */
	struct bfr_pg **pgs;		/* persistent: data, then indirect */
	struct page *ind[BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST];
};

struct bfr_dev;

struct bfr_queue {
	struct bfr_dev *bd;
	unsigned int index;
	spinlock_t lock;		/* ring, slots, pool */
	struct blkif_front_ring ring;
	void *sring;
	grant_ref_t ring_refs[XENBUS_MAX_RING_PAGES];
	evtchn_port_t port;
	int irq;
	bool broken;			/* the backend misbehaved */

	struct bfr_slot *slots;
	unsigned int nr_slots;
	unsigned int free_slot;		/* head of the free list */
	unsigned int busy;		/* slots in use */

	struct list_head pool;		/* free struct bfr_pg */
	unsigned int pool_pages;	/* all pages of the pool */
	struct gnttab_waiter gnt_wait;
	char name[32];
};

/* Per request driver data (blk-mq pdu). */
struct bfr_cmd {
	blk_status_t status;
};

struct bfr_dev {
	struct xenbus_device *xdev;
	struct mutex lock;		/* state changes, connect, teardown */
	enum bfr_phase phase;
	unsigned int vdev;		/* "virtual-device" */
	unsigned int disk_index;	/* xvd<a + index> */
	char name[DISK_NAME_LEN];

	/* Transport, fixed before we report Initialised. */
	unsigned int ring_order;
	unsigned int nr_queues;
	struct bfr_queue *queues;

	/* What the backend offers, fixed at connect. */
	u64 sectors;
	unsigned int info;
	unsigned int sector_size;
	unsigned int phys_sector_size;
	u8 flush_op;			/* 0: no cache flushes */
	bool discard;
	bool secure_discard;
	unsigned int discard_granularity;
	unsigned int discard_alignment;
	bool persistent;
	bool bounce;			/* data through the pool: persistent or untrusted */
	unsigned int max_segs;		/* per request */
	unsigned int max_ind;		/* indirect pages per request, 0: none */

	/*
	 * The disk: what exists says what to undo (bfr_disk_remove()).  The
	 * tag set is allocated while tags.tags is set, the disk is added
	 * while disk_live(), the size is watched while size_watch.node is set.
	 */
	struct blk_mq_tag_set tags;
	struct gendisk *disk;
	struct xenbus_watch size_watch;
	/* Save/restore (xenbus.c): dispatch stopped, requests to re-issue. */
	bool quiesced;
	unsigned int requeued;
	wait_queue_head_t drained;
	struct xenbus_peer_error perr;	/* the backend broke the protocol */
};

/* transport.c */
int bfr_transport_setup(struct bfr_dev *bd);
void bfr_transport_stop(struct bfr_dev *bd);
void bfr_transport_free(struct bfr_dev *bd);

/* connect.c */
int bfr_connect(struct bfr_dev *bd);
void bfr_stop_dispatch(struct bfr_dev *bd);
void bfr_resume_dispatch(struct bfr_dev *bd);
void bfr_size_unwatch(struct bfr_dev *bd);
void bfr_disk_remove(struct bfr_dev *bd);

/* io.c */
extern const struct blk_mq_ops bfr_mq_ops;
irqreturn_t bfr_interrupt(int irq, void *data);
int bfr_slots_alloc(struct bfr_queue *q);
void bfr_slots_free(struct bfr_queue *q);
void bfr_fail_inflight(struct bfr_queue *q);
unsigned int bfr_requeue_inflight(struct bfr_queue *q);
unsigned int bfr_busy(struct bfr_dev *bd);
void bfr_set_phase(struct bfr_dev *bd, enum bfr_phase phase);

/* pool.c */
struct bfr_pg *bfr_pool_get(struct bfr_queue *q);
void bfr_pool_put(struct bfr_queue *q, struct bfr_pg *pg);
void bfr_pool_destroy(struct bfr_queue *q);

#endif /* _XEN_BLKFRONT_H */
