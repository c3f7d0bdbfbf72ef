// SPDX-License-Identifier: GPL-2.0
/*
 * A request's data path: the frontend's grants mapped into pages with a
 * struct page, bios built straight from those pages, and on completion
 * the grants unmapped and the response queued for the ring thread.
 *
 * Mapping: all the grants of one request in one batched map hypercall,
 * into pages without a frame of ours (the foreign-page pool), whose P2M
 * entry then names the frontend's frame so the disk's DMA reaches it.
 * Reads map the frontend's pages writable, writes read-only.  A queue
 * keeps the pages of finished requests for its next ones.
 *
 * Unmapping: all the grants of a request in one batched unmap.  A page
 * the block layer still holds a reference to, or whose unmap fails, is
 * not reused: it waits on the queue's stuck list and is retried; when
 * the queue goes away first, the module-wide orphan list keeps retrying
 * it.  A page is never handed back while a grant is mapped into it.
 *
 * Checks before anything is mapped: segment bounds (first_sect <=
 * last_sect < sectors per page), the whole range inside the disk, no
 * write to a read-only disk.
 */
#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/delay.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <xen/foreign.h>
#include <asm/xen/page.h>

#include "blkback.h"

#define BBK_SECT_PER_PAGE	(PAGE_SIZE >> SECTOR_SHIFT)

/* --------------------------------------------------------- page cache */

static int bbk_get_pages(struct bbk_queue *q, unsigned int n,
			 struct page **pages)
{
	unsigned int from_cache = min(n, q->nr_cached);

	q->nr_cached -= from_cache;
	memcpy(pages, &q->cache[q->nr_cached], from_cache * sizeof(*pages));
	if (from_cache == n)
		return 0;
	if (xen_foreign_pages_alloc(n - from_cache, pages + from_cache)) {
		memcpy(&q->cache[q->nr_cached], pages,
		       from_cache * sizeof(*pages));
		q->nr_cached += from_cache;
		return -ENOMEM;
	}
	return 0;
}

static void bbk_put_pages(struct bbk_queue *q, unsigned int n,
			  struct page **pages)
{
	unsigned int to_cache = min(n, BBK_PAGE_CACHE - q->nr_cached);

	memcpy(&q->cache[q->nr_cached], pages, to_cache * sizeof(*pages));
	q->nr_cached += to_cache;
	if (n > to_cache)
		xen_foreign_pages_free(n - to_cache, pages + to_cache);
}

/* -------------------------------------------------- pages still mapped */

static LIST_HEAD(bbk_orphans);
static DEFINE_MUTEX(bbk_orphans_lock);
static void bbk_orphans_retry(struct work_struct *work);
static DECLARE_DELAYED_WORK(bbk_orphans_work, bbk_orphans_retry);

/*
 * Tries to unmap the stuck pages on @list; those that make it go to @q's
 * cache (or back to the pool if @q is NULL).  Returns how many are left.
 */
static unsigned int bbk_unstick(struct bbk_queue *q, struct list_head *list)
{
	struct gnttab_unmap_grant_ref op;
	struct bbk_stuck *s, *tmp;
	unsigned int left = 0;

	list_for_each_entry_safe(s, tmp, list, link) {
		if (page_count(s->page) != 1) {
			left++;
			continue;
		}
		gnttab_prep_unmap(&op, page_address(s->page), s->handle);
		if (gnttab_unmap_grants(&op, 1)) {
			left++;
			continue;
		}
		xen_foreign_page_clear_mfn(s->page);
		if (q)
			bbk_put_pages(q, 1, &s->page);
		else
			xen_foreign_pages_free(1, &s->page);
		list_del(&s->link);
		kfree(s);
	}
	return left;
}

static void bbk_orphans_retry(struct work_struct *work)
{
	unsigned int left;

	mutex_lock(&bbk_orphans_lock);
	left = bbk_unstick(NULL, &bbk_orphans);
	mutex_unlock(&bbk_orphans_lock);
	if (left)
		schedule_delayed_work(&bbk_orphans_work, HZ);
}

void bbk_retry_stuck(struct bbk_queue *q)
{
	bbk_unstick(q, &q->stuck);
}

/* The queue is going away: its pages back, the stuck ones orphaned. */
void bbk_release_pages(struct bbk_queue *q)
{
	bbk_pgrants_purge(q, true);
	xa_destroy(&q->pgrants);
	if (!list_empty(&q->stuck) && bbk_unstick(q, &q->stuck)) {
		dev_warn(&q->vbd->xdev->dev,
			 "%s: pages still in use at teardown, unmapping them later\n",
			 q->name);
		mutex_lock(&bbk_orphans_lock);
		list_splice_init(&q->stuck, &bbk_orphans);
		mutex_unlock(&bbk_orphans_lock);
		schedule_delayed_work(&bbk_orphans_work, HZ);
	}
	if (q->nr_cached)
		xen_foreign_pages_free(q->nr_cached, q->cache);
	q->nr_cached = 0;
}

/* Module exit: every orphan must be gone before the code is. */
void bbk_orphans_flush(void)
{
	cancel_delayed_work_sync(&bbk_orphans_work);
	mutex_lock(&bbk_orphans_lock);
	while (bbk_unstick(NULL, &bbk_orphans)) {
		mutex_unlock(&bbk_orphans_lock);
		pr_warn_ratelimited("xen-blkback: waiting for mapped pages to be released\n");
		msleep(1000);
		mutex_lock(&bbk_orphans_lock);
	}
	mutex_unlock(&bbk_orphans_lock);
}

/* ------------------------------------------------------ map and unmap */

static void bbk_stick(struct bbk_queue *q, struct page *page,
		      grant_handle_t handle)
{
	struct bbk_stuck *s = kmalloc(sizeof(*s), GFP_NOIO | __GFP_NOFAIL);

	s->page = page;
	s->handle = handle;
	list_add_tail(&s->link, &q->stuck);
}

static void bbk_unmap(struct bbk_queue *q, struct bbk_req *req)
{
	struct gnttab_unmap_grant_ref *ops = q->unmap_ops;
	struct page **done = req->pages;
	unsigned int i, n = 0, nr_done = 0;

	for (i = 0; i < req->nr_mapped; i++) {
		if (page_count(req->pages[i]) != 1) {
			bbk_stick(q, req->pages[i], req->handles[i]);
			continue;
		}
		gnttab_prep_unmap(&ops[n++], page_address(req->pages[i]),
				  req->handles[i]);
	}
	if (n && gnttab_unmap_grants(ops, n) < 0) {
		/* Nothing was done: every page waits for a retry. */
		for (i = 0; i < n; i++)
			bbk_stick(q, virt_to_page((void *)ops[i].host_addr),
				  ops[i].handle);
		n = 0;
	}
	for (i = 0; i < n; i++) {
		struct page *page = virt_to_page((void *)ops[i].host_addr);

		if (ops[i].status != GNTST_okay) {
			bbk_stick(q, page, ops[i].handle);
			continue;
		}
		xen_foreign_page_clear_mfn(page);
		/* Packs the unmapped pages at the front of req->pages. */
		done[nr_done++] = page;
	}
	bbk_put_pages(q, nr_done, done);
	req->nr_mapped = 0;

	for (i = 0; i < req->nr_segs; i++) {
		struct bbk_pgrant *pg = req->pgrants[i];

		if (pg) {
			pg->users--;
			pg->last_used = jiffies;
			req->pgrants[i] = NULL;
		}
	}
}

/* Unmaps @n persistent grants whose unmaps are prepared in q->unmap_ops. */
static void bbk_unmap_pgrants(struct bbk_queue *q, struct bbk_pgrant **batch,
			      unsigned int n)
{
	struct gnttab_unmap_grant_ref *ops = q->unmap_ops;
	bool failed = n && gnttab_unmap_grants(ops, n) < 0;
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct page *page = batch[i]->page;

		if (failed || ops[i].status != GNTST_okay) {
			bbk_stick(q, page, batch[i]->handle);
		} else {
			xen_foreign_page_clear_mfn(page);
			bbk_put_pages(q, 1, &page);
		}
		kfree(batch[i]);
	}
}

/* Segments whose grant is already mapped; the others' indexes in @idx. */
static unsigned int bbk_use_pgrants(struct bbk_queue *q, struct bbk_req *req,
				    u16 *idx)
{
	unsigned int i, n = 0;

	for (i = 0; i < req->nr_segs; i++) {
		struct bbk_pgrant *pg = NULL;

		if (q->persistent)
			pg = xa_load(&q->pgrants, req->segs[i].gref);
		req->pgrants[i] = pg;
		if (!pg) {
			idx[n++] = i;
			continue;
		}
		pg->users++;
		pg->last_used = jiffies;
		req->seg_pages[i] = pg->page;
		q->st_pgrant_hits++;
	}
	return n;
}

/* Keeps a fresh mapping for later requests; false if there is no room. */
static bool bbk_keep_pgrant(struct bbk_queue *q, struct bbk_req *req,
			    unsigned int seg, struct page *page,
			    grant_handle_t handle)
{
	struct bbk_pgrant *pg;

	if (!q->persistent || q->nr_pgrants >= BBK_MAX_PGRANTS)
		return false;
	pg = kmalloc(sizeof(*pg), GFP_NOIO);
	if (!pg)
		return false;
	*pg = (struct bbk_pgrant) {
		.page = page,
		.handle = handle,
		.gref = req->segs[seg].gref,
		.users = 1,
		.last_used = jiffies,
	};
	/* The same reference twice in one request: the second is not kept. */
	if (xa_insert(&q->pgrants, pg->gref, pg, GFP_NOIO)) {
		kfree(pg);
		return false;
	}
	q->nr_pgrants++;
	req->pgrants[seg] = pg;
	return true;
}

/* Maps the request's segments; false (and nothing left mapped) on failure. */
static bool bbk_map(struct bbk_queue *q, struct bbk_req *req)
{
	struct gnttab_map_grant_ref *ops = q->map_ops;
	domid_t dom = q->vbd->xdev->otherend_id;
	u32 flags = GNTMAP_host_map;
	u16 idx[BBK_MAX_SEGS];
	unsigned int i, n, bad = 0;
	int ret;

	req->nr_mapped = 0;
	n = bbk_use_pgrants(q, req, idx);
	if (!n)
		return true;
	if (bbk_get_pages(q, n, req->pages)) {
		dev_warn_ratelimited(&q->vbd->xdev->dev,
				     "%s: no pages for %u segments\n", q->name, n);
		bbk_unmap(q, req);
		return false;
	}
	/*
	 * The disk reads from the pages of a write: map those read-only,
	 * unless they may be kept for later reads too.
	 */
	if (op_is_write(req->opf) && !q->persistent)
		flags |= GNTMAP_readonly;
	for (i = 0; i < n; i++)
		gnttab_prep_map(&ops[i], page_address(req->pages[i]), flags,
				req->segs[idx[i]].gref, dom);
	ret = gnttab_map_grants(ops, n);
	if (ret < 0) {
		bbk_put_pages(q, n, req->pages);
		bbk_unmap(q, req);
		return false;
	}

	/* Keep what mapped, so that a partial failure unmaps it. */
	for (i = 0; i < n; i++) {
		struct page *page = req->pages[i];

		if (ops[i].status != GNTST_okay) {
			bad++;
			bbk_put_pages(q, 1, &page);
			continue;
		}
		xen_foreign_page_set_mfn(page, ops[i].dev_bus_addr >> PAGE_SHIFT);
		req->seg_pages[idx[i]] = page;
		if (bbk_keep_pgrant(q, req, idx[i], page, ops[i].handle))
			continue;
		req->pages[req->nr_mapped] = page;
		req->handles[req->nr_mapped++] = ops[i].handle;
	}
	if (!bad)
		return true;
	dev_warn_ratelimited(&q->vbd->xdev->dev,
			     "%s: %u of %u grants did not map\n", q->name, bad,
			     n);
	bbk_unmap(q, req);
	return false;
}

/* Unmaps persistent grants nobody uses: stale ones, or @all at teardown. */
void bbk_pgrants_purge(struct bbk_queue *q, bool all)
{
	struct gnttab_unmap_grant_ref *ops = q->unmap_ops;
	struct bbk_pgrant *batch[32], *pg;
	unsigned int n = 0, purged = 0;
	unsigned long gref;

	if (!all) {
		if (q->nr_pgrants < BBK_MAX_PGRANTS ||
		    time_before(jiffies, q->purge_at))
			return;
		q->purge_at = jiffies + HZ;
	}
	xa_for_each(&q->pgrants, gref, pg) {
		if (pg->users ||
		    (!all && time_before(jiffies, pg->last_used + HZ)))
			continue;
		xa_erase(&q->pgrants, gref);
		q->nr_pgrants--;
		gnttab_prep_unmap(&ops[n], page_address(pg->page), pg->handle);
		batch[n++] = pg;
		purged++;
		if (n == ARRAY_SIZE(batch) || purged == BBK_PGRANT_PURGE) {
			bbk_unmap_pgrants(q, batch, n);
			n = 0;
			if (!all && purged >= BBK_PGRANT_PURGE)
				return;
		}
	}
	bbk_unmap_pgrants(q, batch, n);
}

/* ---------------------------------------------------------- completion */

static s16 bbk_status(blk_status_t status)
{
	if (status == BLK_STS_OK)
		return BLKIF_RSP_OKAY;
	return status == BLK_STS_NOTSUPP ? BLKIF_RSP_EOPNOTSUPP :
					   BLKIF_RSP_ERROR;
}

static void bbk_req_put(struct bbk_req *req)
{
	struct bbk_queue *q = req->q;
	unsigned long flags;
	bool answered;

	if (!atomic_dec_and_test(&req->pending))
		return;
	/*
	 * Nothing to unmap first: answer now rather than after the thread
	 * has woken up.  The request itself still goes back through it.
	 */
	answered = !req->nr_mapped;
	if (answered)
		bbk_respond_now(q, req->id, req->op,
				bbk_status(READ_ONCE(req->status)));
	req->answered = answered;
	spin_lock_irqsave(&q->done_lock, flags);
	list_add_tail(&req->link, &q->done);
	spin_unlock_irqrestore(&q->done_lock, flags);
	/* From here @req is the thread's: it may already be reused. */
	if (!answered) {
		bbk_kick(q);
		return;
	}
	/* The list before the flag; pairs with bbk_wait_for_free(). */
	smp_mb();
	if (READ_ONCE(q->starved))
		bbk_kick(q);
}

static void bbk_bio_done(struct bio *bio)
{
	struct bbk_req *req = bio->bi_private;

	if (bio->bi_status)
		WRITE_ONCE(req->status, bio->bi_status);
	bio_put(bio);
	bbk_req_put(req);
}

/* Thread: the response of @req, then @req back on the free list. */
static void bbk_finish(struct bbk_queue *q, struct bbk_req *req)
{
	if (req->status != BLK_STS_OK)
		dev_dbg_ratelimited(&q->vbd->xdev->dev,
				    "%s: op %u sector %llu: status %d\n",
				    q->name, req->op, req->sector, req->status);
	if (!req->answered)
		bbk_respond(q, req->id, req->op, bbk_status(req->status));
	req->answered = false;
	list_add(&req->link, &q->free_reqs);
	q->nr_inflight--;
}

bool bbk_complete(struct bbk_queue *q)
{
	struct bbk_req *req, *tmp;
	LIST_HEAD(done);

	spin_lock_irq(&q->done_lock);
	list_splice_init(&q->done, &done);
	spin_unlock_irq(&q->done_lock);
	if (list_empty(&done))
		return false;
	list_for_each_entry_safe(req, tmp, &done, link) {
		bbk_unmap(q, req);
		bbk_finish(q, req);
	}
	return true;
}

/* ---------------------------------------------------------- submission */

/* Checks the segments; the number of sectors they cover, or 0. */
static u64 bbk_check_segs(struct bbk_queue *q, const struct bbk_req *req)
{
	u64 nsect = 0;
	unsigned int i;

	for (i = 0; i < req->nr_segs; i++) {
		const struct bbk_seg *seg = &req->segs[i];

		if (seg->first_sect > seg->last_sect ||
		    seg->last_sect >= BBK_SECT_PER_PAGE)
			return 0;
		nsect += seg->last_sect - seg->first_sect + 1;
	}
	return nsect;
}

static struct bio *bbk_new_bio(struct bbk_req *req, unsigned int nr_vecs,
			       sector_t sector)
{
	struct bio *bio = bio_alloc(req->q->vbd->bdev, nr_vecs, req->opf,
				    GFP_NOIO);

	bio->bi_iter.bi_sector = sector;
	bio->bi_private = req;
	bio->bi_end_io = bbk_bio_done;
	atomic_inc(&req->pending);
	return bio;
}

static void bbk_send_bios(struct bbk_req *req)
{
	sector_t sector = req->sector;
	struct bio *bio = NULL;
	struct blk_plug plug;
	unsigned int i;

	/* One count for us until every bio is out. */
	atomic_set(&req->pending, 1);
	blk_start_plug(&plug);
	if (!req->nr_segs)
		bio = bbk_new_bio(req, 0, sector);
	for (i = 0; i < req->nr_segs; i++) {
		const struct bbk_seg *seg = &req->segs[i];
		unsigned int off = seg->first_sect << SECTOR_SHIFT;
		unsigned int len = (seg->last_sect - seg->first_sect + 1) <<
				   SECTOR_SHIFT;

		if (!bio || bio_add_page(bio, req->seg_pages[i], len, off) != len) {
			if (bio)
				submit_bio(bio);
			bio = bbk_new_bio(req,
					  min_t(unsigned int, req->nr_segs - i,
						BIO_MAX_VECS), sector);
			__bio_add_page(bio, req->seg_pages[i], len, off);
		}
		sector += len >> SECTOR_SHIFT;
	}
	submit_bio(bio);
	blk_finish_plug(&plug);
	bbk_req_put(req);
}

void bbk_submit(struct bbk_queue *q, struct bbk_req *req)
{
	struct bbk_vbd *vbd = q->vbd;
	u64 nsect = bbk_check_segs(q, req);
	u64 end;

	if (req->nr_segs && !nsect) {
		bbk_bad_request(q, "segment outside its page", req->id,
				req->op, BLKIF_RSP_ERROR);
		goto refuse;
	}
	/* A flush without data names no sectors. */
	if (req->nr_segs &&
	    (check_add_overflow(req->sector, nsect, &end) ||
	     end > bdev_nr_sectors(vbd->bdev))) {
		bbk_bad_request(q, "sectors beyond the disk", req->id, req->op,
				BLKIF_RSP_ERROR);
		goto refuse;
	}
	if (op_is_write(req->opf) && !vbd->writable) {
		bbk_respond(q, req->id, req->op, BLKIF_RSP_ERROR);
		goto refuse;
	}
	if (req->nr_segs && !bbk_map(q, req)) {
		bbk_respond(q, req->id, req->op, BLKIF_RSP_ERROR);
		goto refuse;
	}

	if (req->opf & REQ_PREFLUSH)
		q->st_flush++;
	else if (op_is_write(req->opf))
		q->st_wr++;
	else
		q->st_rd++;
	bbk_send_bios(req);
	return;

refuse:
	list_add(&req->link, &q->free_reqs);
	q->nr_inflight--;
}

int bbk_fetch_indirect(struct bbk_queue *q, struct bbk_req *req,
		       const struct blkif_request_indirect *ind)
{
	struct gnttab_copy ops[BBK_MAX_INDIRECT_PAGES];
	unsigned int n = ind->nr_segments, pages, i;
	const struct blkif_request_segment *src;

	if (ind->indirect_op != BLKIF_OP_READ &&
	    ind->indirect_op != BLKIF_OP_WRITE) {
		bbk_bad_request(q, "indirect operation not read or write",
				ind->id, ind->operation, BLKIF_RSP_EOPNOTSUPP);
		return -EINVAL;
	}
	if (n == 0 || n > BBK_MAX_INDIRECT_SEGS) {
		bbk_bad_request(q, "indirect segment count out of range",
				ind->id, ind->operation, BLKIF_RSP_ERROR);
		return -EINVAL;
	}
	pages = DIV_ROUND_UP(n, BBK_SEGS_PER_PAGE);
	for (i = 0; i < pages; i++) {
		unsigned int segs = min_t(unsigned int, n - i * BBK_SEGS_PER_PAGE,
					  BBK_SEGS_PER_PAGE);

		ops[i] = (struct gnttab_copy) {
			.source.u.ref = ind->indirect_grefs[i],
			.source.domid = q->vbd->xdev->otherend_id,
			.dest.u.gmfn = virt_to_mfn(q->ind_pages[i]),
			.dest.domid = DOMID_SELF,
			.len = segs * sizeof(*src),
			.flags = GNTCOPY_source_gref,
		};
	}
	if (gnttab_copy_grants(ops, pages)) {
		bbk_bad_request(q, "indirect page not readable", ind->id,
				ind->operation, BLKIF_RSP_ERROR);
		return -EINVAL;
	}
	/* Our copy now: the frontend cannot change it under us. */
	for (i = 0; i < n; i++) {
		src = (const struct blkif_request_segment *)
			q->ind_pages[i / BBK_SEGS_PER_PAGE] + i % BBK_SEGS_PER_PAGE;
		req->segs[i].gref = src->gref;
		req->segs[i].first_sect = src->first_sect;
		req->segs[i].last_sect = src->last_sect;
	}
	req->nr_segs = n;
	return 0;
}

void bbk_discard(struct bbk_queue *q, const struct blkif_request_discard *d)
{
	struct bbk_vbd *vbd = q->vbd;
	bool secure = d->flag & BLKIF_DISCARD_SECURE;
	u64 end;
	int err;

	if (!vbd->discard || (secure && !vbd->secure)) {
		bbk_respond(q, d->id, d->operation, BLKIF_RSP_EOPNOTSUPP);
		return;
	}
	if (check_add_overflow(d->sector_number, d->nr_sectors, &end) ||
	    end > bdev_nr_sectors(vbd->bdev)) {
		bbk_bad_request(q, "discard beyond the disk", d->id,
				d->operation, BLKIF_RSP_ERROR);
		return;
	}
	if (!vbd->writable) {
		bbk_respond(q, d->id, d->operation, BLKIF_RSP_ERROR);
		return;
	}
	q->st_discard++;
	if (secure)
		err = blkdev_issue_secure_erase(vbd->bdev, d->sector_number,
						d->nr_sectors, GFP_KERNEL);
	else
		err = blkdev_issue_discard(vbd->bdev, d->sector_number,
					   d->nr_sectors, GFP_KERNEL);
	bbk_respond(q, d->id, d->operation,
		    err == -EOPNOTSUPP ? BLKIF_RSP_EOPNOTSUPP :
		    err ? BLKIF_RSP_ERROR : BLKIF_RSP_OKAY);
}
