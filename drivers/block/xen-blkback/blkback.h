/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Xen virtual block device backend: shared definitions.
 *
 * One struct bbk_vbd per "backend/vbd/<domid>/<id>" device: the block
 * device of ours it exports and one or more struct bbk_queue, each the
 * frontend's shared ring with its event channel and a kernel thread that
 * serves it.  A request taken off a ring lives in a struct bbk_req until
 * its response is on the ring.
 *
 * Trust: the toolstack (our backend directory, the hotplug script's
 * "physical-device") is trusted.  The frontend is not: what it writes in
 * its xenstore directory, every ring index and every request.  A request
 * is copied off the ring once and only the copy is looked at; indirect
 * segment lists are copied in by Xen (grant copy) before they are read.
 * A malformed request gets an error response; a frontend that corrupts
 * the ring itself is disconnected.
 *
 * File layout:
 *   xenbus.c  probe/remove, the state machine against the frontend,
 *             opening the block device, what we publish
 *   ring.c    mapping a queue's ring, its event channel and thread,
 *             requests off the ring and responses onto it
 *   io.c      a request's grants mapped into pages, bios built from
 *             them, completion and unmapping
 */
#ifndef _XEN_BLKBACK_H
#define _XEN_BLKBACK_H

#include <linux/blk_types.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/xarray.h>
#include <xen/grant_table.h>
#include <xen/xenbus.h>
#include <xen/interface/io/blkif.h>

/* Segments one indirect page describes. */
#define BBK_SEGS_PER_PAGE	(PAGE_SIZE / sizeof(struct blkif_request_segment))
/* What we offer as "feature-max-indirect-segments": 1 MiB requests. */
#define BBK_MAX_INDIRECT_SEGS	256
#define BBK_MAX_INDIRECT_PAGES	DIV_ROUND_UP(BBK_MAX_INDIRECT_SEGS, \
					     BBK_SEGS_PER_PAGE)
#define BBK_MAX_SEGS		BBK_MAX_INDIRECT_SEGS
/* Ring order ("max-ring-page-order") and queues we accept at most. */
#define BBK_MAX_RING_ORDER	XENBUS_MAX_RING_ORDER
#define BBK_MAX_QUEUES		4
/* Requests of one queue in flight at once, whatever the ring size. */
#define BBK_MAX_INFLIGHT	64
/* Mapped-page cache of a queue: pages kept for the next requests. */
#define BBK_PAGE_CACHE		(2 * BBK_MAX_SEGS)
/*
 * Persistent grants kept mapped per queue: four 1 MiB requests' worth,
 * what frontends size their own pools for.  Beyond it new grants are
 * mapped per request, and unused ones are purged once a second.
 */
#define BBK_MAX_PGRANTS		1056
#define BBK_PGRANT_PURGE	(BBK_MAX_PGRANTS / 8)

struct bbk_vbd;

/* A ring slot, as each operation lays it out. */
union bbk_wire_req {
	struct blkif_request rw;
	struct blkif_request_discard discard;
	struct blkif_request_indirect ind;
};

/* One segment as we keep it: already checked. */
struct bbk_seg {
	grant_ref_t gref;
	u8 first_sect, last_sect;
};

/* A request between the ring and its response. */
struct bbk_req {
	struct list_head link;		/* free list, then done list */
	struct bbk_queue *q;
	u64 id;				/* the frontend's, echoed */
	u8 op;				/* the frontend's operation, echoed */
	blk_opf_t opf;
	blkif_sector_t sector;
	blk_status_t status;
	atomic_t pending;		/* bios not yet completed */
	bool answered;			/* the completion wrote the response */
	unsigned int nr_segs;
	unsigned int nr_mapped;		/* pages[0..nr_mapped) hold grants */
	struct bbk_seg segs[BBK_MAX_SEGS];
	struct page *pages[BBK_MAX_SEGS];
	grant_handle_t handles[BBK_MAX_SEGS];
	/* Segment i's persistent grant, or NULL: not unmapped at the end. */
	struct bbk_pgrant *pgrants[BBK_MAX_SEGS];
	/* The data pages in segment order (pages[] holds the mapped ones). */
	struct page *seg_pages[BBK_MAX_SEGS];
};

/* A frontend's grant we keep mapped across requests. */
struct bbk_pgrant {
	struct page *page;
	grant_handle_t handle;
	grant_ref_t gref;
	unsigned int users;		/* requests in flight using it */
	unsigned long last_used;	/* jiffies */
};

/* A page whose grant could not be unmapped yet (still referenced). */
struct bbk_stuck {
	struct list_head link;
	struct page *page;
	grant_handle_t handle;
};

struct bbk_queue {
	struct bbk_vbd *vbd;
	unsigned int index;
	char name[32];			/* irq and thread: blkbk.D.N[.qQ] */

	struct xenbus_mapped_ring map;
	struct blkif_back_ring ring;
	int irq;
	bool broken;			/* the frontend corrupted the ring */

	struct task_struct *thread;
	wait_queue_head_t wq;
	/* bit 0: work for the thread; bit 1: an event awaits its EOI */
	unsigned long kick;
	RING_IDX eoi_cons;		/* req_cons at the last EOI */

	struct bbk_req *reqs;
	struct list_head free_reqs;
	unsigned int nr_inflight;	/* thread only */
	/* The thread needs completed requests back: out of them, or stopping. */
	bool starved;
	spinlock_t done_lock;		/* the done list */
	spinlock_t rsp_lock;		/* rsp_prod_pvt and the response slots */
	struct list_head done;		/* completed, not yet answered */

	/* Pages without a frame of ours, for mapping grants (thread only). */
	struct page *cache[BBK_PAGE_CACHE];
	unsigned int nr_cached;
	struct list_head stuck;
	/* Persistent grants by reference, when both ends use them. */
	struct xarray pgrants;
	unsigned int nr_pgrants;
	bool persistent;
	unsigned long purge_at;		/* jiffies of the next purge */
	/* Scratch of the thread: one request's grant operations. */
	struct gnttab_map_grant_ref map_ops[BBK_MAX_SEGS];
	struct gnttab_unmap_grant_ref unmap_ops[BBK_MAX_SEGS];
	/* Indirect segment lists, copied in by Xen (one page each). */
	void *ind_pages[BBK_MAX_INDIRECT_PAGES];

	/* Statistics (sysfs). */
	u64 st_rd, st_wr, st_flush, st_discard, st_err, st_bad;
	u64 st_pgrant_hits;		/* segments that needed no map */
};

struct bbk_vbd {
	struct xenbus_device *xdev;
	unsigned int devid;
	struct mutex lock;		/* connect/disconnect, the bdev */

	/* The block device, once the hotplug script named it. */
	struct block_device *bdev;
	dev_t devt;
	bool writable;
	bool cdrom;
	sector_t sectors;		/* what the frontend was told */
	bool flush;
	bool discard;
	bool secure;
	struct xenbus_watch phys_watch;

	struct bbk_queue *queues;
	unsigned int nr_queues;
	bool connected;
	bool offer_persistent;		/* what we advertised */
	bool persistent;		/* both ends offer persistent grants */
	bool abi32;			/* the frontend uses x86_32-abi */
};

/* abi.c */
void bbk_ring_init(struct bbk_queue *q, void *sring, size_t size);
void bbk_ring_read(struct bbk_queue *q, RING_IDX i, union bbk_wire_req *r);
void bbk_ring_answer(struct bbk_queue *q, RING_IDX i, u64 id, u8 op,
		     s16 status);

/* ring.c */
int bbk_queues_start(struct bbk_vbd *vbd, unsigned int nr_queues,
		     unsigned int ring_order);
void bbk_queues_stop(struct bbk_vbd *vbd);
void bbk_kick(struct bbk_queue *q);
void bbk_respond(struct bbk_queue *q, u64 id, u8 op, s16 status);
void bbk_respond_now(struct bbk_queue *q, u64 id, u8 op, s16 status);
void bbk_bad_request(struct bbk_queue *q, const char *what, u64 id, u8 op,
		     s16 status);

/* io.c */
void bbk_submit(struct bbk_queue *q, struct bbk_req *req);
void bbk_discard(struct bbk_queue *q, const struct blkif_request_discard *d);
int bbk_fetch_indirect(struct bbk_queue *q, struct bbk_req *req,
		       const struct blkif_request_indirect *ind);
/* Answers completed requests; returns true if any was. */
bool bbk_complete(struct bbk_queue *q);
void bbk_retry_stuck(struct bbk_queue *q);
void bbk_release_pages(struct bbk_queue *q);
void bbk_orphans_flush(void);
void bbk_pgrants_purge(struct bbk_queue *q, bool all);

/* xenbus.c */
void bbk_check_resize(struct bbk_vbd *vbd);

#endif /* _XEN_BLKBACK_H */
