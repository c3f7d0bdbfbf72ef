// SPDX-License-Identifier: GPL-2.0
/*
 * Connecting: what the backend offers, checked, and the disk built on it.
 *
 * Once the backend is Connected it has published the disk ("sectors" in
 * 512-byte units, "info" VDISK_* flags, "sector-size",
 * "physical-sector-size") and its optional features ("feature-flush-cache"
 * or "feature-barrier", "feature-discard" with "discard-granularity",
 * "discard-alignment" and "discard-secure", "feature-max-indirect-segments",
 * "feature-persistent").  Every value is checked before it is used; one
 * that makes no sense fails the connection.
 */
#include <linux/blkdev.h>
#include <linux/hdreg.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/slab.h>

#include "blkfront.h"

/* An optional unsigned node: @def when absent or not a number. */
static unsigned int bfr_read_in(const char *dir, const char *node,
				unsigned int def)
{
	unsigned int val;

	if (xenbus_read_uint(XBT_NIL, dir, node, &val))
		return def;
	return val;
}

static unsigned int bfr_read_opt(struct bfr_dev *bd, const char *node,
				 unsigned int def)
{
	return bfr_read_in(bd->xdev->otherend, node, def);
}

static int bfr_read_disk(struct bfr_dev *bd)
{
	struct xenbus_device *xdev = bd->xdev;
	unsigned long long sectors;
	unsigned int val;

	if (xenbus_scanf(XBT_NIL, xdev->otherend, "sectors", "%llu",
			 &sectors) != 1 ||
	    xenbus_read_uint(XBT_NIL, xdev->otherend, "info", &bd->info) ||
	    xenbus_read_uint(XBT_NIL, xdev->otherend, "sector-size", &val)) {
		xenbus_dev_fatal(xdev, -EINVAL,
				 "backend %s lacks sectors, info or sector-size",
				 xdev->otherend);
		return -EINVAL;
	}
	if (val < SECTOR_SIZE || val > PAGE_SIZE || !is_power_of_2(val)) {
		xenbus_dev_fatal(xdev, -EINVAL,
				 "backend sector-size %u is not a power of two in 512..%lu",
				 val, PAGE_SIZE);
		return -EINVAL;
	}
	bd->sector_size = val;
	if (sectors > (sector_t)-1 >> 1) {
		xenbus_dev_fatal(xdev, -EINVAL, "backend size %llu sectors is impossible",
				 sectors);
		return -EINVAL;
	}
	bd->sectors = sectors;

	val = bfr_read_opt(bd, "physical-sector-size", bd->sector_size);
	if (val < bd->sector_size || !is_power_of_2(val) || val > SZ_1M) {
		dev_warn(&xdev->dev, "ignoring physical-sector-size %u\n", val);
		val = bd->sector_size;
	}
	bd->phys_sector_size = val;
	return 0;
}

static void bfr_read_features(struct bfr_dev *bd)
{
	unsigned int segs;

	bd->flush_op = 0;
	if (bfr_read_opt(bd, "feature-flush-cache", 0))
		bd->flush_op = BLKIF_OP_FLUSH_DISKCACHE;
	else if (bfr_read_opt(bd, "feature-barrier", 0))
		bd->flush_op = BLKIF_OP_WRITE_BARRIER;

	bd->discard = bfr_read_opt(bd, "feature-discard", 0);
	if (bd->discard) {
		bd->discard_granularity =
			bfr_read_opt(bd, "discard-granularity", bd->sector_size);
		bd->discard_alignment = bfr_read_opt(bd, "discard-alignment", 0);
		bd->secure_discard = bfr_read_opt(bd, "discard-secure", 0);
		if (!bd->discard_granularity)
			bd->discard_granularity = bd->sector_size;
		if (!is_power_of_2(bd->discard_granularity) ||
		    bd->discard_granularity < bd->sector_size ||
		    bd->discard_alignment >= bd->discard_granularity ||
		    bd->discard_alignment % SECTOR_SIZE) {
			dev_warn(&bd->xdev->dev,
				 "discard-granularity %u / alignment %u unusable: no discard\n",
				 bd->discard_granularity, bd->discard_alignment);
			bd->discard = false;
		}
	}

	bd->persistent = bfr_param_persistent &&
		bfr_read_opt(bd, "feature-persistent", 0);
	/*
	 * A backend we are told not to trust (the toolstack's "trusted" = 0
	 * in our own directory, or trusted=0 on the command line) sees only
	 * pages of the pool: the bytes of the segments it is owed and
	 * nothing else of ours (XSA-403).
	 */
	bd->bounce = bd->persistent || !bfr_param_trusted ||
		     !bfr_read_in(bd->xdev->nodename, "trusted", 1);

	/* Indirect requests only if they carry more than a ring slot does. */
	segs = bfr_read_opt(bd, "feature-max-indirect-segments", 0);
	segs = min3(segs, bfr_param_indirect,
		    (unsigned int)(BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST *
				   BFR_SEGS_PER_PAGE));
	if (segs > BLKIF_MAX_SEGMENTS_PER_REQUEST) {
		bd->max_segs = segs;
		bd->max_ind = DIV_ROUND_UP(segs, BFR_SEGS_PER_PAGE);
	} else {
		bd->max_segs = BLKIF_MAX_SEGMENTS_PER_REQUEST;
		bd->max_ind = 0;
	}
}

/* A geometry for old tools; from the disk alone, never driver data. */
static int bfr_getgeo(struct block_device *bdev, struct hd_geometry *geo)
{
	sector_t cyls = get_capacity(bdev->bd_disk);

	geo->heads = 255;
	geo->sectors = 63;
	sector_div(cyls, 255 * 63);
	geo->cylinders = min_t(sector_t, cyls, 0xffff);
	return 0;
}

static const struct block_device_operations bfr_fops = {
	.owner = THIS_MODULE,
	.getgeo = bfr_getgeo,
};

/* Sectors one discard request may cover. */
#define BFR_MAX_DISCARD		(UINT_MAX >> SECTOR_SHIFT)

static void bfr_set_limits(struct bfr_dev *bd, struct request_queue *rq)
{
	blk_queue_logical_block_size(rq, bd->sector_size);
	blk_queue_physical_block_size(rq, bd->phys_sector_size);
	blk_queue_io_min(rq, bd->phys_sector_size);
	/* One segment per page: a ring segment cannot cross a page. */
	blk_queue_max_segments(rq, bd->max_segs);
	blk_queue_max_segment_size(rq, PAGE_SIZE);
	blk_queue_segment_boundary(rq, PAGE_SIZE - 1);
	blk_queue_max_hw_sectors(rq, bd->max_segs * (PAGE_SIZE >> SECTOR_SHIFT));
	blk_queue_dma_alignment(rq, SECTOR_SIZE - 1);
	blk_queue_write_cache(rq, bd->flush_op != 0, false);

	if (bd->discard) {
		rq->limits.discard_granularity = bd->discard_granularity;
		rq->limits.discard_alignment = bd->discard_alignment;
		blk_queue_max_discard_sectors(rq, BFR_MAX_DISCARD);
		if (bd->secure_discard)
			blk_queue_max_secure_erase_sectors(rq, BFR_MAX_DISCARD);
	}
}

static int bfr_make_disk(struct bfr_dev *bd)
{
	struct blk_mq_tag_set *set = &bd->tags;
	struct gendisk *disk;
	int err;

	memset(set, 0, sizeof(*set));
	set->ops = &bfr_mq_ops;
	set->nr_hw_queues = bd->nr_queues;
	set->queue_depth = bd->queues[0].nr_slots;
	set->numa_node = NUMA_NO_NODE;
	set->flags = BLK_MQ_F_SHOULD_MERGE;
	set->cmd_size = sizeof(struct bfr_cmd);
	set->driver_data = bd;
	err = blk_mq_alloc_tag_set(set);
	if (err)
		return err;

	disk = blk_mq_alloc_disk(set, bd);
	if (IS_ERR(disk))
		return PTR_ERR(disk);
	bd->disk = disk;
	disk->major = BFR_XVD_MAJOR;
	disk->first_minor = bd->disk_index * BFR_MINORS;
	disk->minors = BFR_MINORS;
	disk->fops = &bfr_fops;
	disk->private_data = bd;
	strscpy(disk->disk_name, bd->name, sizeof(disk->disk_name));
	if (bd->info & (VDISK_CDROM | VDISK_REMOVABLE))
		disk->flags |= GENHD_FL_REMOVABLE;
	bfr_set_limits(bd, disk->queue);
	set_capacity(disk, bd->sectors);
	set_disk_ro(disk, bd->info & VDISK_READONLY);
	return 0;
}

/* No request reaches a ring until bfr_resume_dispatch(); under bd->lock. */
void bfr_stop_dispatch(struct bfr_dev *bd)
{
	if (!bd->disk || bd->quiesced)
		return;
	blk_mq_quiesce_queue(bd->disk->queue);
	bd->quiesced = true;
}

/* Dispatch goes on after a freeze; requests put back are issued. */
void bfr_resume_dispatch(struct bfr_dev *bd)
{
	if (!bd->quiesced)
		return;
	bd->quiesced = false;
	blk_mq_unquiesce_queue(bd->disk->queue);
	blk_mq_kick_requeue_list(bd->disk->queue);
}

static int bfr_add_disk(struct bfr_dev *bd)
{
	int err;

	err = bfr_make_disk(bd);
	if (err)
		return err;
	bfr_set_phase(bd, BFR_LIVE);
	err = device_add_disk(&bd->xdev->dev, bd->disk, NULL);
	if (err)
		bfr_set_phase(bd, BFR_DEAD);
	return err;
}

/*
 * After a restore in a new domain: the disk, its queue and the requests
 * it had in flight stayed; the new backend must take what they were
 * built for (the sector size, the segments of a request; the queue count
 * is kept by bfr_pick_transport()).  Then the requests go out again.
 */
static int bfr_reconnect(struct bfr_dev *bd, unsigned int old_segs)
{
	struct request_queue *rq = bd->disk->queue;

	if (bd->sector_size != queue_logical_block_size(rq) ||
	    bd->max_segs < old_segs) {
		xenbus_dev_fatal(bd->xdev, -EINVAL,
				 "%s: after the restore the backend offers %u-byte sectors and %u segments, the disk has %u and %u",
				 bd->name, bd->sector_size, bd->max_segs,
				 queue_logical_block_size(rq), old_segs);
		return -EINVAL;
	}
	bfr_set_limits(bd, rq);
	if (get_capacity(bd->disk) != bd->sectors)
		set_capacity_and_notify(bd->disk, bd->sectors);
	bfr_set_phase(bd, BFR_LIVE);
	bfr_resume_dispatch(bd);
	dev_info(&bd->xdev->dev, "%s: connected again, %u requests issued again\n",
		 bd->name, bd->requeued);
	bd->requeued = 0;
	return 0;
}

/* The backend resized the disk: its "sectors" node changed. */
static void bfr_size_changed(struct xenbus_watch *watch, const char *path)
{
	struct bfr_dev *bd = container_of(watch, struct bfr_dev, size_watch);
	unsigned long long sectors;

	mutex_lock(&bd->lock);
	if (bd->phase != BFR_LIVE || !disk_live(bd->disk))
		goto out;
	if (xenbus_scanf(XBT_NIL, bd->xdev->otherend, "sectors", "%llu",
			 &sectors) != 1 || sectors > (sector_t)-1 >> 1)
		goto out;
	if (sectors == bd->sectors)
		goto out;
	dev_info(&bd->xdev->dev, "%s: size changed from %llu to %llu sectors\n",
		 bd->name, bd->sectors, sectors);
	bd->sectors = sectors;
	set_capacity_and_notify(bd->disk, sectors);
out:
	mutex_unlock(&bd->lock);
}

/*
 * Follow the backend's "sectors" (online resize).  Without the watch the
 * disk still works, only at its first size.
 */
static void bfr_size_watch(struct bfr_dev *bd)
{
	struct xenbus_watch *w = &bd->size_watch;

	w->node = kasprintf(GFP_KERNEL, "%s/sectors", bd->xdev->otherend);
	if (!w->node)
		return;
	w->callback = bfr_size_changed;
	if (register_xenbus_watch(w)) {
		kfree(w->node);
		w->node = NULL;
	}
}

int bfr_connect(struct bfr_dev *bd)
{
	struct xenbus_device *xdev = bd->xdev;
	unsigned int i, old_segs = bd->max_segs;
	int err;

	err = bfr_read_disk(bd);
	if (err)
		return err;
	bfr_read_features(bd);

	for (i = 0; i < bd->nr_queues; i++) {
		err = bfr_slots_alloc(&bd->queues[i]);
		if (err)
			goto fail;
	}
	if (bd->disk) {
		err = bfr_reconnect(bd, old_segs);
		if (err)
			return err;
	} else {
		err = bfr_add_disk(bd);
		if (err)
			goto fail;
	}

	/* The partition scan may already have met a broken backend. */
	if (xenbus_peer_error_raised(&bd->perr))
		return -EPROTO;
	xenbus_switch_state(xdev, XenbusStateConnected);

	bfr_size_watch(bd);

	dev_info(&xdev->dev,
		 "%s: %llu sectors of %u bytes%s, %u queue%s, ring order %u (%u slots), %u segments%s%s%s%s%s\n",
		 bd->name, bd->sectors, bd->sector_size,
		 bd->info & VDISK_READONLY ? " read-only" : "",
		 bd->nr_queues, bd->nr_queues > 1 ? "s" : "", bd->ring_order,
		 bd->queues[0].nr_slots, bd->max_segs,
		 bd->max_ind ? " indirect" : "",
		 bd->persistent ? ", persistent grants" : "",
		 bd->bounce && !bd->persistent ? ", bounced (backend not trusted)" : "",
		 bd->flush_op == BLKIF_OP_FLUSH_DISKCACHE ? ", flush" :
		 bd->flush_op == BLKIF_OP_WRITE_BARRIER ? ", barrier" : "",
		 bd->discard ? ", discard" : "");
	return 0;

fail:
	xenbus_dev_fatal(xdev, err, "setting up disk %s", bd->name);
	return err;
}

/* Stop watching the size; before bfr_disk_remove(), without bd->lock. */
void bfr_size_unwatch(struct bfr_dev *bd)
{
	if (!bd->size_watch.node)
		return;
	unregister_xenbus_watch(&bd->size_watch);
	kfree(bd->size_watch.node);
	bd->size_watch.node = NULL;
}

/*
 * Take the disk away, whatever bfr_make_disk() and bfr_add_disk() got to;
 * I/O must already fail or end.  One order is right in every case:
 * del_gendisk() (if added) is the last use of the tags by an added disk,
 * put_disk() the last by one never added (it exits the queue), and the
 * tag set goes after both.
 */
void bfr_disk_remove(struct bfr_dev *bd)
{
	if (bd->disk) {
		if (disk_live(bd->disk))
			del_gendisk(bd->disk);
		put_disk(bd->disk);
		bd->disk = NULL;
	}
	if (bd->tags.tags)
		blk_mq_free_tag_set(&bd->tags);
}
