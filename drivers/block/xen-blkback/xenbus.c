// SPDX-License-Identifier: GPL-2.0
/*
 * Xen virtual block device backend: the device's life in xenstore.
 *
 *   probe           publish our limits (ring order, queues, indirect
 *                   segments), watch "physical-device", go InitWait;
 *                   the toolstack then runs its hotplug script
 *   physical-device the script wrote "major:minor" (hex): open that block
 *                   device, read-only unless "mode" has a 'w'
 *   frontend Initialised/Connected, device open
 *                   map its rings (ring.c), publish the disk ("sectors",
 *                   "info", "sector-size", "physical-sector-size") and
 *                   its features, go Connected
 *   frontend Closing / Closed / gone
 *                   drain and unmap, go Closing / Closed; the toolstack
 *                   then removes our directory, which removes the device
 *   frontend Initialising after Closed
 *                   it starts over (guest reboot, driver reload): InitWait
 *
 * What the frontend writes is checked before use: the ABI it names
 * ("protocol": x86_64-abi, our own, or a 32-bit guest's x86_32-abi, see
 * abi.c), the number of queues and the ring order against the limits we
 * published.  A bad value closes the
 * device with the reason in error/<our path>/error.
 */
#define pr_fmt(fmt) "xen-blkback: " fmt

#include <linux/blkdev.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <xen/xen.h>

#include "blkback.h"

#define BBK_PROTOCOL_NATIVE	"x86_64-abi"
#define BBK_PROTOCOL_X86_32	"x86_32-abi"

static unsigned int bbk_param_ring_order = BBK_MAX_RING_ORDER;
module_param_named(max_ring_page_order, bbk_param_ring_order, uint, 0444);
MODULE_PARM_DESC(max_ring_page_order, "Largest ring offered, as a page order (0-4)");

static unsigned int bbk_param_queues = BBK_MAX_QUEUES;
module_param_named(max_queues, bbk_param_queues, uint, 0444);
MODULE_PARM_DESC(max_queues, "Most queues (rings) a frontend may use (1-4)");

/*
 * Persistent grants trade the backend's map and unmap of every segment
 * for a copy in the frontend, between its I/O pages and the pages it
 * granted once.  Which is cheaper depends on the machine: off, frontends
 * grant their I/O pages themselves, request by request.
 */
static bool bbk_param_persistent = true;
module_param_named(feature_persistent, bbk_param_persistent, bool, 0644);
MODULE_PARM_DESC(feature_persistent, "Offer persistent grants to frontends that connect from now on");

static unsigned int bbk_ring_order(void)
{
	return min_t(unsigned int, bbk_param_ring_order, BBK_MAX_RING_ORDER);
}

static unsigned int bbk_max_queues(void)
{
	return clamp_t(unsigned int, bbk_param_queues, 1, BBK_MAX_QUEUES);
}

/* ------------------------------------------------------------ the disk */

static int bbk_publish_disk(struct xenbus_transaction t, void *arg)
{
	struct bbk_vbd *vbd = arg;
	const char *dir = vbd->xdev->nodename;
	struct block_device *bdev = vbd->bdev;
	unsigned int info = 0;
	int err;

	if (!vbd->writable)
		info |= VDISK_READONLY;
	if (vbd->cdrom)
		info |= VDISK_CDROM;
	err = xenbus_printf(t, dir, "sectors", "%llu",
			    (unsigned long long)vbd->sectors) ?:
	      xenbus_printf(t, dir, "info", "%u", info) ?:
	      xenbus_printf(t, dir, "sector-size", "%u",
			    bdev_logical_block_size(bdev)) ?:
	      xenbus_printf(t, dir, "physical-sector-size", "%u",
			    bdev_physical_block_size(bdev)) ?:
	      xenbus_printf(t, dir, "feature-flush-cache", "%d", vbd->flush) ?:
	      xenbus_printf(t, dir, "feature-barrier", "%d", vbd->flush) ?:
	      xenbus_printf(t, dir, "feature-discard", "%d", vbd->discard) ?:
	      xenbus_printf(t, dir, "feature-persistent", "%d",
			    vbd->offer_persistent);
	if (err || !vbd->discard)
		return err;
	return xenbus_printf(t, dir, "discard-granularity", "%u",
			     bdev_discard_granularity(bdev)) ?:
	       xenbus_printf(t, dir, "discard-alignment", "%u",
			     bdev_discard_alignment(bdev)) ?:
	       xenbus_printf(t, dir, "discard-secure", "%d", vbd->secure);
}

static int bbk_publish_size(struct xenbus_transaction t, void *arg)
{
	struct bbk_vbd *vbd = arg;
	const char *dir = vbd->xdev->nodename;

	/* Rewriting "state" tells frontends that only watch it to look. */
	return xenbus_printf(t, dir, "sectors", "%llu",
			     (unsigned long long)vbd->sectors) ?:
	       xenbus_printf(t, dir, "state", "%d", XenbusStateConnected);
}

/* Ring thread of queue 0: the block device grew or shrank under us. */
void bbk_check_resize(struct bbk_vbd *vbd)
{
	sector_t now = bdev_nr_sectors(vbd->bdev);
	int err;

	if (now == vbd->sectors)
		return;
	dev_info(&vbd->xdev->dev, "size changed from %llu to %llu sectors\n",
		 (unsigned long long)vbd->sectors, (unsigned long long)now);
	vbd->sectors = now;
	err = xenbus_transact(bbk_publish_size, vbd);
	if (err)
		xenbus_dev_error(vbd->xdev, err, "publishing the new size");
}

static void bbk_close_bdev(struct bbk_vbd *vbd)
{
	if (!vbd->bdev)
		return;
	blkdev_put(vbd->bdev, FMODE_READ | (vbd->writable ? FMODE_WRITE : 0));
	vbd->bdev = NULL;
}

static int bbk_open_bdev(struct bbk_vbd *vbd, dev_t devt)
{
	struct xenbus_device *xdev = vbd->xdev;
	struct block_device *bdev;
	char *mode, *type;

	mode = xenbus_read(XBT_NIL, xdev->nodename, "mode", NULL);
	if (IS_ERR(mode)) {
		xenbus_dev_fatal(xdev, PTR_ERR(mode), "reading mode");
		return PTR_ERR(mode);
	}
	vbd->writable = strchr(mode, 'w');
	kfree(mode);
	type = xenbus_read(XBT_NIL, xdev->nodename, "device-type", NULL);
	vbd->cdrom = !IS_ERR(type) && !strcmp(type, "cdrom");
	if (!IS_ERR(type))
		kfree(type);

	bdev = blkdev_get_by_dev(devt, FMODE_READ |
				 (vbd->writable ? FMODE_WRITE : 0), NULL);
	if (IS_ERR(bdev)) {
		xenbus_dev_fatal(xdev, PTR_ERR(bdev), "opening device %u:%u",
				 MAJOR(devt), MINOR(devt));
		return PTR_ERR(bdev);
	}
	vbd->bdev = bdev;
	vbd->devt = devt;
	vbd->sectors = bdev_nr_sectors(bdev);
	vbd->flush = bdev_write_cache(bdev);
	vbd->discard = bdev_max_discard_sectors(bdev) > 0;
	vbd->secure = bdev_max_secure_erase_sectors(bdev) > 0;
	dev_info(&xdev->dev, "device %u:%u, %llu sectors, %s%s%s%s\n",
		 MAJOR(devt), MINOR(devt), (unsigned long long)vbd->sectors,
		 vbd->writable ? "read-write" : "read-only",
		 vbd->cdrom ? ", cdrom" : "", vbd->flush ? ", flush" : "",
		 vbd->discard ? ", discard" : "");
	return 0;
}

/* ------------------------------------------------- connect/disconnect */

/* The frontend's values, checked against what we offered. */
static int bbk_read_frontend(struct bbk_vbd *vbd, unsigned int *queues,
			     unsigned int *order)
{
	struct xenbus_device *xdev = vbd->xdev;
	const char *fe = xdev->otherend;
	unsigned int val;
	char *proto;

	vbd->abi32 = false;
	proto = xenbus_read(XBT_NIL, fe, "protocol", NULL);
	if (!IS_ERR(proto)) {
		bool ok = !strcmp(proto, BBK_PROTOCOL_NATIVE);

		if (!strcmp(proto, BBK_PROTOCOL_X86_32)) {
			vbd->abi32 = true;
			ok = true;
		}

		if (!ok)
			xenbus_dev_fatal(xdev, -EPROTONOSUPPORT,
					 "frontend protocol \"%.32s\" not supported",
					 proto);
		kfree(proto);
		if (!ok)
			return -EPROTONOSUPPORT;
	}
	if (xenbus_read_uint(XBT_NIL, fe, "multi-queue-num-queues", queues))
		*queues = 1;
	if (*queues < 1 || *queues > bbk_max_queues()) {
		xenbus_dev_fatal(xdev, -EINVAL, "%u queues, we offered 1 to %u",
				 *queues, bbk_max_queues());
		return -EINVAL;
	}
	if (xenbus_read_uint(XBT_NIL, fe, "feature-persistent", &val))
		val = 0;
	vbd->persistent = vbd->offer_persistent && val == 1;
	if (xenbus_read_uint(XBT_NIL, fe, "ring-page-order", order))
		*order = 0;
	if (*order > bbk_ring_order()) {
		xenbus_dev_fatal(xdev, -EINVAL, "ring order %u, we offered %u",
				 *order, bbk_ring_order());
		return -EINVAL;
	}
	return 0;
}

/* Under vbd->lock. */
static void bbk_disconnect(struct bbk_vbd *vbd)
{
	if (!vbd->connected)
		return;
	bbk_queues_stop(vbd);
	vbd->connected = false;
}

/* Under vbd->lock: connect if both the frontend and the device are ready. */
static void bbk_connect(struct bbk_vbd *vbd)
{
	struct xenbus_device *xdev = vbd->xdev;
	unsigned int queues, order;
	enum xenbus_state fstate;
	int err;

	if (vbd->connected || !vbd->bdev || xdev->state == XenbusStateClosing)
		return;
	fstate = xenbus_read_driver_state(xdev->otherend);
	if (fstate != XenbusStateInitialised && fstate != XenbusStateConnected)
		return;
	if (bbk_read_frontend(vbd, &queues, &order))
		return;
	err = bbk_queues_start(vbd, queues, order);
	if (err)
		return;
	vbd->connected = true;

	err = xenbus_transact(bbk_publish_disk, vbd);
	if (err) {
		xenbus_dev_fatal(xdev, err, "publishing the disk");
		bbk_disconnect(vbd);
		return;
	}
	xenbus_switch_state(xdev, XenbusStateConnected);
	dev_info(&xdev->dev, "connected: %u queue%s, ring order %u%s\n", queues,
		 queues > 1 ? "s" : "", order,
		 vbd->persistent ? ", persistent grants" : "");
}

/* ----------------------------------------------------------- watches */

static void bbk_physical_device(struct xenbus_watch *watch, const char *path)
{
	struct bbk_vbd *vbd = container_of(watch, struct bbk_vbd, phys_watch);
	struct xenbus_device *xdev = vbd->xdev;
	unsigned int major, minor;
	dev_t devt;

	if (xenbus_scanf(XBT_NIL, xdev->nodename, "physical-device", "%x:%x",
			 &major, &minor) != 2)
		return;		/* not written yet */
	devt = MKDEV(major, minor);
	if (MAJOR(devt) != major || MINOR(devt) != minor) {
		xenbus_dev_fatal(xdev, -EINVAL, "physical-device %x:%x out of range",
				 major, minor);
		return;
	}

	mutex_lock(&vbd->lock);
	if (vbd->bdev) {
		if (vbd->devt != devt)
			dev_warn(&xdev->dev, "physical-device changed to %x:%x: ignored, still %x:%x\n",
				 major, minor, MAJOR(vbd->devt),
				 MINOR(vbd->devt));
	} else if (!bbk_open_bdev(vbd, devt)) {
		bbk_connect(vbd);
	}
	mutex_unlock(&vbd->lock);
}

static void bbk_frontend_changed(struct xenbus_device *xdev,
				 enum xenbus_state fstate)
{
	struct bbk_vbd *vbd = dev_get_drvdata(&xdev->dev);

	mutex_lock(&vbd->lock);
	switch (fstate) {
	case XenbusStateInitialising:
		/* A frontend starting over after it closed. */
		if (xdev->state == XenbusStateClosed)
			xenbus_switch_state(xdev, XenbusStateInitWait);
		break;
	case XenbusStateInitialised:
	case XenbusStateConnected:
		bbk_connect(vbd);
		break;
	case XenbusStateClosing:
		bbk_disconnect(vbd);
		xenbus_switch_state(xdev, XenbusStateClosing);
		break;
	case XenbusStateClosed:
	case XenbusStateUnknown:
		/* Closed, or its directory is gone with its domain. */
		bbk_disconnect(vbd);
		xenbus_switch_state(xdev, XenbusStateClosed);
		break;
	case XenbusStateInitWait:
		break;
	default:
		xenbus_dev_fatal(xdev, -EINVAL, "frontend went to state %s",
				 xenbus_strstate(fstate));
		break;
	}
	mutex_unlock(&vbd->lock);
}

/* -------------------------------------------------------- probe/remove */

static int bbk_publish_limits(struct xenbus_transaction t, void *arg)
{
	const char *dir = arg;

	return xenbus_printf(t, dir, "max-ring-page-order", "%u",
			     bbk_ring_order()) ?:
	       xenbus_printf(t, dir, "multi-queue-max-queues", "%u",
			     bbk_max_queues()) ?:
	       xenbus_printf(t, dir, "feature-max-indirect-segments", "%u",
			     BBK_MAX_INDIRECT_SEGS);
}

static int bbk_probe(struct xenbus_device *xdev,
		     const struct xenbus_device_id *id)
{
	const char *last = strrchr(xdev->nodename, '/');
	struct bbk_vbd *vbd;
	int err;

	vbd = kzalloc(sizeof(*vbd), GFP_KERNEL);
	if (!vbd)
		return -ENOMEM;
	vbd->xdev = xdev;
	vbd->offer_persistent = READ_ONCE(bbk_param_persistent);
	mutex_init(&vbd->lock);
	if (!last || kstrtouint(last + 1, 10, &vbd->devid)) {
		dev_warn(&xdev->dev, "%s: device id is not a number\n",
			 xdev->nodename);
		kfree(vbd);
		return -EINVAL;
	}
	dev_set_drvdata(&xdev->dev, vbd);

	err = xenbus_transact(bbk_publish_limits, (void *)xdev->nodename);
	if (err) {
		xenbus_dev_fatal(xdev, err, "publishing our limits");
		goto fail;
	}
	vbd->phys_watch.node = kasprintf(GFP_KERNEL, "%s/physical-device",
					 xdev->nodename);
	if (!vbd->phys_watch.node) {
		err = -ENOMEM;
		goto fail;
	}
	vbd->phys_watch.callback = bbk_physical_device;
	err = register_xenbus_watch(&vbd->phys_watch);
	if (err) {
		xenbus_dev_fatal(xdev, err, "watching physical-device");
		goto fail;
	}
	/* The toolstack waits for this before it runs the hotplug script. */
	err = xenbus_switch_state(xdev, XenbusStateInitWait);
	if (err) {
		unregister_xenbus_watch(&vbd->phys_watch);
		goto fail;
	}
	return 0;

fail:
	kfree(vbd->phys_watch.node);
	dev_set_drvdata(&xdev->dev, NULL);
	kfree(vbd);
	return err;
}

static void bbk_remove(struct xenbus_device *xdev)
{
	struct bbk_vbd *vbd = dev_get_drvdata(&xdev->dev);

	unregister_xenbus_watch(&vbd->phys_watch);
	kfree(vbd->phys_watch.node);
	mutex_lock(&vbd->lock);
	bbk_disconnect(vbd);
	bbk_close_bdev(vbd);
	mutex_unlock(&vbd->lock);
	/* The directory is usually gone by now; if not, say we are done. */
	xenbus_switch_state(xdev, XenbusStateClosed);
	dev_set_drvdata(&xdev->dev, NULL);
	kfree(vbd);
}

/* ---------------------------------------------------------------- sysfs */

#define BBK_STAT(field)							\
static ssize_t field##_show(struct device *dev,				\
			    struct device_attribute *attr, char *buf)	\
{									\
	struct bbk_vbd *vbd = dev_get_drvdata(dev);			\
	u64 sum = 0;							\
	unsigned int i;							\
									\
	if (!vbd)							\
		return -ENODEV;						\
	mutex_lock(&vbd->lock);						\
	for (i = 0; i < vbd->nr_queues; i++)				\
		sum += READ_ONCE(vbd->queues[i].st_##field);		\
	mutex_unlock(&vbd->lock);					\
	return sysfs_emit(buf, "%llu\n", sum);				\
}									\
static DEVICE_ATTR_RO(field)

BBK_STAT(rd);
BBK_STAT(wr);
BBK_STAT(flush);
BBK_STAT(discard);
BBK_STAT(err);
BBK_STAT(bad);
BBK_STAT(pgrant_hits);

static struct attribute *bbk_stat_attrs[] = {
	&dev_attr_rd.attr,
	&dev_attr_wr.attr,
	&dev_attr_flush.attr,
	&dev_attr_discard.attr,
	&dev_attr_err.attr,
	&dev_attr_bad.attr,
	&dev_attr_pgrant_hits.attr,
	NULL,
};

static const struct attribute_group bbk_stat_group = {
	.name = "statistics",
	.attrs = bbk_stat_attrs,
};

static const struct attribute_group *bbk_groups[] = {
	&bbk_stat_group,
	NULL,
};

static const struct xenbus_device_id bbk_ids[] = {
	{ "vbd" },
	{ "" }
};

static struct xenbus_driver bbk_driver = {
	.ids = bbk_ids,
	.probe = bbk_probe,
	.remove = bbk_remove,
	.otherend_changed = bbk_frontend_changed,
	.driver.dev_groups = bbk_groups,
};

static int __init bbk_init(void)
{
	if (!xen_pv_domain())
		return -ENODEV;
	return xenbus_register_backend(&bbk_driver);
}
module_init(bbk_init);

static void __exit bbk_exit(void)
{
	xenbus_unregister_driver(&bbk_driver);
	bbk_orphans_flush();
}
module_exit(bbk_exit);

MODULE_DESCRIPTION("Xen virtual block device backend");
MODULE_LICENSE("GPL");
MODULE_ALIAS("xen-backend:vbd");
