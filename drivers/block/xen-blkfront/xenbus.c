// SPDX-License-Identifier: GPL-2.0
/*
 * The vbd device on xenbus and the handshake with its backend.
 *
 *   backend InitWait   -> set up and publish the rings, we go Initialised
 *   backend Connected  -> read the disk, add it, we go Connected
 *   backend Closing    -> let in-flight requests finish (bounded), end
 *                         the rest with an error, remove the disk, Closed
 *   backend Closed/gone-> the same without waiting
 *
 * The device's directory disappearing (xl block-detach, xl destroy) ends
 * in bfr_remove(), which tears down whatever is left.
 *
 * Save/restore: freeze stops dispatch; thaw (same domain) lets it go on;
 * restore (a new domain) drops the dead transport, keeps the disk and the
 * requests it had in flight, and the handshake above runs again with the
 * new backend, ending in the requests being issued on the new rings.
 */
#include <linux/blkdev.h>
#include <linux/major.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <xen/xen.h>

#include "blkfront.h"

unsigned int bfr_param_ring_order = 2;
module_param_named(max_ring_page_order, bfr_param_ring_order, uint, 0444);
MODULE_PARM_DESC(max_ring_page_order, "Largest ring we offer, log2 of pages (default 2)");

unsigned int bfr_param_queues = 4;
module_param_named(max_queues, bfr_param_queues, uint, 0444);
MODULE_PARM_DESC(max_queues, "Most rings (blk-mq hardware queues) per disk (default 4)");

unsigned int bfr_param_indirect = 256;
module_param_named(max_indirect_segments, bfr_param_indirect, uint, 0444);
MODULE_PARM_DESC(max_indirect_segments, "Most pages per indirect request (default 256)");

bool bfr_param_persistent;
module_param_named(persistent_grants, bfr_param_persistent, bool, 0444);
MODULE_PARM_DESC(persistent_grants, "Offer persistent grants (default off)");

bool bfr_param_trusted = true;
module_param_named(trusted, bfr_param_trusted, bool, 0444);
MODULE_PARM_DESC(trusted, "Trust backends with our pages (default on; off bounces every segment)");

/* xvd<letters>: a..z, then aa..zz, and so on. */
static void bfr_disk_name(char *buf, size_t len, unsigned int index)
{
	char rev[8];
	int n = 0;

	index++;
	do {
		index--;
		rev[n++] = 'a' + index % 26;
		index /= 26;
	} while (index && n < (int)sizeof(rev));
	len = scnprintf(buf, len, "xvd");
	while (n-- > 0 && len < DISK_NAME_LEN - 1)
		buf[len++] = rev[n];
	buf[len] = '\0';
}

/*
 * Guest configurations may name a disk as if it were IDE (hda..hdt) or
 * SCSI (sda..): the toolstack then publishes that device's Linux number.
 * Such disks still show up as xvd, numbered in the order of their names
 * (hda and sda both become xvda), so the disks keep their order.
 */
static const u8 bfr_ide_majors[] = { 3, 22, 33, 34, 56, 57, 88, 89, 90, 91 };
static const u8 bfr_scsi_majors[] = { 8, 65, 66, 67, 68, 69, 70, 71,
				      128, 129, 130, 131, 132, 133, 134, 135 };

/* Disk index and partition of an IDE or SCSI number; false if neither. */
static bool bfr_legacy_vdev(unsigned int major, unsigned int minor,
			    unsigned int *index, unsigned int *part)
{
	unsigned int i;

	/* Two disks of 64 minors per IDE major. */
	for (i = 0; i < ARRAY_SIZE(bfr_ide_majors); i++) {
		if (major == bfr_ide_majors[i]) {
			*index = i * 2 + (minor >> 6);
			*part = minor & 63;
			return true;
		}
	}
	/* Sixteen disks of 16 minors per SCSI major. */
	for (i = 0; i < ARRAY_SIZE(bfr_scsi_majors); i++) {
		if (major == bfr_scsi_majors[i]) {
			*index = i * 16 + (minor >> 4);
			*part = minor & 15;
			return true;
		}
	}
	return false;
}

/*
 * "virtual-device": 202 << 8 | disk << 4 | partition for xvd disks,
 * 1 << 28 | disk << 8 | partition (extended), or an IDE/SCSI number as
 * above.  We drive whole disks.
 */
static int bfr_parse_vdev(struct bfr_dev *bd)
{
	struct xenbus_device *xdev = bd->xdev;
	unsigned int vdev, index, part;

	if (xenbus_read_uint(XBT_NIL, xdev->nodename, "virtual-device", &vdev)) {
		xenbus_dev_fatal(xdev, -ENOENT, "reading virtual-device");
		return -ENOENT;
	}
	if (vdev & BIT(28)) {
		index = (vdev >> 8) & 0xfffff;
		part = vdev & 0xff;
	} else if ((vdev >> 8) == BFR_XVD_MAJOR) {
		index = (vdev & 0xff) >> 4;
		part = vdev & 0xf;
	} else if (vdev >> 16 ||
		   !bfr_legacy_vdev(vdev >> 8, vdev & 0xff, &index, &part)) {
		xenbus_dev_fatal(xdev, -EINVAL,
				 "virtual-device %u is neither xvd, IDE, SCSI nor extended",
				 vdev);
		return -EINVAL;
	}
	if (part || index >= (1U << MINORBITS) / BFR_MINORS) {
		xenbus_dev_fatal(xdev, -EINVAL,
				 "virtual-device %u: not a whole disk we can number",
				 vdev);
		return -EINVAL;
	}
	bd->vdev = vdev;
	bd->disk_index = index;
	bfr_disk_name(bd->name, sizeof(bd->name), index);
	return 0;
}

/*
 * Everything down; @drain: give in-flight requests a chance to finish.
 * Each step undoes only what exists, so a second call (Closing, then the
 * device's removal) finds nothing left to do.
 */
static void bfr_teardown(struct bfr_dev *bd, bool drain)
{
	bfr_size_unwatch(bd);
	mutex_lock(&bd->lock);
	if (bd->phase == BFR_LIVE) {
		bfr_set_phase(bd, BFR_DRAINING);
		if (drain &&
		    !wait_event_timeout(bd->drained, !bfr_busy(bd), 5 * HZ))
			dev_warn(&bd->xdev->dev,
				 "%s: %u requests unanswered, failing them\n",
				 bd->name, bfr_busy(bd));
	}
	bfr_set_phase(bd, BFR_DEAD);
	bfr_transport_stop(bd);
	/* Requests put back by a restore now fail: let them through. */
	bfr_resume_dispatch(bd);
	bfr_disk_remove(bd);
	bfr_transport_free(bd);
	mutex_unlock(&bd->lock);
}

static void bfr_backend_changed(struct xenbus_device *xdev,
				enum xenbus_state be_state)
{
	struct bfr_dev *bd = dev_get_drvdata(&xdev->dev);

	switch (be_state) {
	case XenbusStateInitWait:
		mutex_lock(&bd->lock);
		if (xdev->state == XenbusStateInitialising && !bd->queues &&
		    !bfr_transport_setup(bd))
			xenbus_switch_state(xdev, XenbusStateInitialised);
		mutex_unlock(&bd->lock);
		break;
	case XenbusStateConnected:
		mutex_lock(&bd->lock);
		if (xdev->state == XenbusStateInitialised)
			bfr_connect(bd);
		mutex_unlock(&bd->lock);
		break;
	case XenbusStateClosing:
		if (xdev->state == XenbusStateClosed)
			break;
		bfr_teardown(bd, true);
		xenbus_switch_state(xdev, XenbusStateClosed);
		break;
	case XenbusStateClosed:
	case XenbusStateUnknown:
		if (xdev->state == XenbusStateClosed)
			break;
		bfr_teardown(bd, false);
		xenbus_switch_state(xdev, XenbusStateClosed);
		break;
	default:
		break;
	}
}

static int bfr_probe(struct xenbus_device *xdev,
		     const struct xenbus_device_id *id)
{
	struct bfr_dev *bd;
	int err;

	bd = kzalloc(sizeof(*bd), GFP_KERNEL);
	if (!bd) {
		xenbus_dev_fatal(xdev, -ENOMEM, "allocating the device");
		return -ENOMEM;
	}
	bd->xdev = xdev;
	mutex_init(&bd->lock);
	init_waitqueue_head(&bd->drained);
	xenbus_peer_error_init(&bd->perr, xdev);
	bd->phase = BFR_NEW;
	err = bfr_parse_vdev(bd);
	if (err) {
		kfree(bd);
		return err;
	}
	dev_set_drvdata(&xdev->dev, bd);
	xenbus_switch_state(xdev, XenbusStateInitialising);
	return 0;
}

static void bfr_remove(struct xenbus_device *xdev)
{
	struct bfr_dev *bd = dev_get_drvdata(&xdev->dev);

	if (!bd)
		return;
	bfr_teardown(bd, false);
	xenbus_peer_error_cancel(&bd->perr);
	dev_set_drvdata(&xdev->dev, NULL);
	kfree(bd);
}

/* ---- save and restore of the domain */

/* No request reaches the ring until thaw, or a new ring after restore. */
static int bfr_freeze(struct xenbus_device *xdev)
{
	struct bfr_dev *bd = dev_get_drvdata(&xdev->dev);

	mutex_lock(&bd->lock);
	bfr_stop_dispatch(bd);
	mutex_unlock(&bd->lock);
	return 0;
}

/* Same domain: the ring, its grants and the backend are all still there. */
static int bfr_thaw(struct xenbus_device *xdev)
{
	struct bfr_dev *bd = dev_get_drvdata(&xdev->dev);

	mutex_lock(&bd->lock);
	bfr_resume_dispatch(bd);
	mutex_unlock(&bd->lock);
	return 0;
}

/*
 * A new domain: the ring pages are ours still, but their grants, the
 * event channels and the backend that mapped them went with the old
 * domain.  Requests in flight go back to blk-mq (bfr_requeue_inflight())
 * and the transport is freed without a word to anyone; the disk and its
 * queue stay, dispatch stopped, until the new backend connects
 * (bfr_connect()), when the requests are issued again.  A device that
 * had been closed starts afresh.
 */
static int bfr_restore(struct xenbus_device *xdev)
{
	struct bfr_dev *bd = dev_get_drvdata(&xdev->dev);
	unsigned int i;

	bfr_size_unwatch(bd);
	/* A report of the old backend must not fail the new connection. */
	xenbus_peer_error_reset(&bd->perr);
	mutex_lock(&bd->lock);
	bfr_stop_dispatch(bd);
	/* The handlers stop looking at the rings. */
	bfr_set_phase(bd, BFR_NEW);
	bd->requeued = 0;
	for (i = 0; i < bd->nr_queues; i++)
		bd->requeued += bfr_requeue_inflight(&bd->queues[i]);
	bfr_transport_stop(bd);
	bfr_transport_free(bd);
	mutex_unlock(&bd->lock);
	if (bd->requeued)
		dev_info(&xdev->dev, "%s: %u requests to issue again\n",
			 bd->name, bd->requeued);
	return 0;
}

static const struct xenbus_device_id bfr_ids[] = {
	{ "vbd" },
	{ "" }
};

static struct xenbus_driver bfr_driver = {
	.name = "vbd",
	.ids = bfr_ids,
	.probe = bfr_probe,
	.otherend_changed = bfr_backend_changed,
	.remove = bfr_remove,
	.freeze = bfr_freeze,
	.thaw = bfr_thaw,
	.restore = bfr_restore,
};

static int __init bfr_init(void)
{
	int err;

	if (!xen_domain())
		return -ENODEV;
	err = register_blkdev(BFR_XVD_MAJOR, "xvd");
	if (err) {
		pr_err("xen-blkfront: cannot register major %u: %d\n",
		       BFR_XVD_MAJOR, err);
		return err;
	}
	err = xenbus_register_frontend(&bfr_driver);
	if (err)
		unregister_blkdev(BFR_XVD_MAJOR, "xvd");
	return err;
}
module_init(bfr_init);

static void __exit bfr_exit(void)
{
	xenbus_unregister_driver(&bfr_driver);
	unregister_blkdev(BFR_XVD_MAJOR, "xvd");
}
module_exit(bfr_exit);

MODULE_DESCRIPTION("Xen virtual block device frontend");
MODULE_LICENSE("GPL");
MODULE_ALIAS("xen:vbd");
