// SPDX-License-Identifier: GPL-2.0
/*
 * Xen virtual network backend: the device's life in xenstore.
 *
 *   probe      create vif<domid>.<id>, publish what we offer, go
 *              InitWait; the toolstack then runs vif-bridge, which
 *              renames the interface if "vifname" is set, bridges it and
 *              writes "hotplug-status" = "connected"
 *   frontend Connected, hotplug connected
 *              read and check the frontend's rings, event channels and
 *              abilities, map and bind them, carrier on, go Connected
 *   frontend Closing / Closed / gone
 *              carrier off, unmap, go Closing / Closed; the toolstack
 *              then takes the interface off the bridge and removes our
 *              directory, which removes the device and the interface
 *   frontend Initialising after Closed
 *              it starts over (guest reboot, driver reload): InitWait
 *
 * We offer a queue per CPU (multi-queue-max-queues, at most max_queues),
 * scatter-gather, checksum offload both ways, TCP segmentation offload
 * both ways (feature-gso-tcpv4/v6), copying receive and a control ring
 * for the receive hash (ctrl.c: without one, our stack picks the queue
 * of a packet for the guest by its own flow hash); no multicast control.
 * The frontend must use receive copy and rx notifications.  With one
 * queue its rings and channels are in its directory, with several in
 * queue-N/; the control ring, if any, is in its directory.
 */
#define pr_fmt(fmt) "xen-netback: " fmt

#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <xen/xen.h>

#include "netback.h"

/* Features we offer, all "1". */
static const char *const nbk_features[] = {
	"feature-sg",
	"feature-rx-copy",
	"feature-ipv6-csum-offload",
	"feature-gso-tcpv4",
	"feature-gso-tcpv6",
	"feature-split-event-channels",
	"feature-ctrl-ring",
};

static unsigned int nbk_max_queues = NBK_QUEUES_MAX;
module_param_named(max_queues, nbk_max_queues, uint, 0644);
MODULE_PARM_DESC(max_queues, "Most queues a vif offers (default and cap: 8; also at most the CPUs)");

/* What we offer a frontend: a queue per CPU, within the parameter. */
static unsigned int nbk_offered_queues(void)
{
	return clamp_t(unsigned int, min(READ_ONCE(nbk_max_queues),
					 num_online_cpus()),
		       1, NBK_QUEUES_MAX);
}

static int nbk_publish_features(struct xenbus_transaction t, void *arg)
{
	const char *dir = arg;
	unsigned int i;
	int err = 0;

	for (i = 0; !err && i < ARRAY_SIZE(nbk_features); i++)
		err = xenbus_write(t, dir, nbk_features[i], "1");
	return err ?: xenbus_write(t, dir, "feature-rx-flip", "0");
}

/* A boolean of the frontend: absent is @dflt. */
static bool nbk_fe_flag(struct nbk_vif *vif, const char *node, bool dflt)
{
	unsigned int val;

	if (xenbus_read_uint(XBT_NIL, vif->xdev->otherend, node, &val))
		return dflt;
	return val != 0;
}

static int nbk_read_uint(struct nbk_vif *vif, const char *dir,
			 const char *node, unsigned int *val)
{
	int err = xenbus_read_uint(XBT_NIL, dir, node, val);

	if (err)
		xenbus_dev_fatal(vif->xdev, err, "reading %s/%s", dir, node);
	return err;
}

/*
 * A queue's rings and channels, in @dir: the frontend's directory with
 * one queue, its queue-N subdirectory with several.
 */
static int nbk_read_queue(struct nbk_vif *vif, const char *dir,
			  struct nbk_queue_ends *e)
{
	unsigned int tx_ref, rx_ref, tx_port, rx_port;

	if (nbk_read_uint(vif, dir, "tx-ring-ref", &tx_ref) ||
	    nbk_read_uint(vif, dir, "rx-ring-ref", &rx_ref))
		return -EINVAL;
	if (xenbus_read_uint(XBT_NIL, dir, "event-channel", &tx_port)) {
		/* Split channels, which we offer. */
		if (nbk_read_uint(vif, dir, "event-channel-tx", &tx_port) ||
		    nbk_read_uint(vif, dir, "event-channel-rx", &rx_port))
			return -EINVAL;
	} else {
		rx_port = tx_port;
	}
	e->tx_ref = tx_ref;
	e->rx_ref = rx_ref;
	e->tx_port = tx_port;
	e->rx_port = rx_port;
	return 0;
}

/* How many queues the frontend uses: 1 if it does not say; 0 if bad. */
static unsigned int nbk_read_nr_queues(struct nbk_vif *vif)
{
	unsigned int n;

	if (xenbus_read_uint(XBT_NIL, vif->xdev->otherend,
			     "multi-queue-num-queues", &n))
		return 1;
	if (!n || n > vif->max_queues) {
		xenbus_dev_fatal(vif->xdev, -EINVAL,
				 "%u queues, we offer 1 to %u", n,
				 vif->max_queues);
		return 0;
	}
	return n;
}

static int nbk_read_queues(struct nbk_vif *vif, unsigned int n,
			   struct nbk_queue_ends *ends)
{
	const char *fe = vif->xdev->otherend;
	unsigned int i;
	int err = 0;

	if (n == 1)
		return nbk_read_queue(vif, fe, &ends[0]);
	for (i = 0; i < n && !err; i++) {
		char *dir = kasprintf(GFP_KERNEL, "%s/queue-%u", fe, i);

		if (!dir)
			return -ENOMEM;
		err = nbk_read_queue(vif, dir, &ends[i]);
		kfree(dir);
	}
	return err;
}

/* The control ring, if the frontend gave one: both keys or neither. */
static int nbk_connect_ctrl(struct nbk_vif *vif)
{
	const char *fe = vif->xdev->otherend;
	unsigned int ref, port;

	if (xenbus_read_uint(XBT_NIL, fe, "ctrl-ring-ref", &ref))
		return 0;
	if (nbk_read_uint(vif, fe, "event-channel-ctrl", &port))
		return -EINVAL;
	return nbk_ctrl_connect(vif, ref, port);
}

/* Under vif->lock. */
static void nbk_connect(struct nbk_vif *vif)
{
	struct xenbus_device *xdev = vif->xdev;
	struct nbk_queue_ends *ends;
	unsigned int n;
	int err;

	if (vif->connected || !vif->hotplug_ok ||
	    xdev->state == XenbusStateClosing ||
	    xenbus_read_driver_state(xdev->otherend) != XenbusStateConnected)
		return;

	n = nbk_read_nr_queues(vif);
	if (!n)
		return;
	if (!nbk_fe_flag(vif, "request-rx-copy", false) ||
	    !nbk_fe_flag(vif, "feature-rx-notify", false)) {
		xenbus_dev_fatal(xdev, -EOPNOTSUPP,
				 "frontend needs rx-copy and rx-notify");
		return;
	}
	ends = kcalloc(n, sizeof(*ends), GFP_KERNEL);
	if (!ends)
		return;
	if (nbk_read_queues(vif, n, ends))
		goto out;
	vif->fe_sg = nbk_fe_flag(vif, "feature-sg", false);
	vif->fe_csum = !nbk_fe_flag(vif, "feature-no-csum-offload", false);
	vif->fe_ipv6_csum = nbk_fe_flag(vif, "feature-ipv6-csum-offload",
					false);
	/* GSO packets come in several slots: only with scatter-gather. */
	vif->fe_gso_v4 = vif->fe_sg &&
			 nbk_fe_flag(vif, "feature-gso-tcpv4", false);
	vif->fe_gso_v6 = vif->fe_sg &&
			 nbk_fe_flag(vif, "feature-gso-tcpv6", false);

	nbk_rate_read(vif);
	err = nbk_vif_connect(vif, n, ends);
	if (err)
		goto out;
	/* After the queues: the ring's table names them. */
	err = nbk_connect_ctrl(vif);
	if (err) {
		nbk_vif_disconnect(vif);
		goto out;
	}
	xenbus_switch_state(xdev, XenbusStateConnected);
	netdev_info(vif->ndev, "connected to domain %u, %u queue%s%s%s%s%s%s\n",
		    xdev->otherend_id, n, n > 1 ? "s" : "",
		    vif->fe_sg ? ", sg" : "",
		    vif->fe_csum ? ", csum offload" : "",
		    vif->fe_gso_v4 ? ", gso v4" : "",
		    vif->fe_gso_v6 ? ", gso v6" : "",
		    vif->ctrl_irq > 0 ? ", control ring" : "");
out:
	kfree(ends);
}

static void nbk_hotplug_status(struct xenbus_watch *watch, const char *path)
{
	struct nbk_vif *vif = container_of(watch, struct nbk_vif,
					   hotplug_watch);
	char *status;

	status = xenbus_read(XBT_NIL, vif->xdev->nodename, "hotplug-status",
			     NULL);
	if (IS_ERR(status))
		return;
	mutex_lock(&vif->lock);
	vif->hotplug_ok = !strcmp(status, "connected");
	if (vif->hotplug_ok)
		nbk_connect(vif);
	mutex_unlock(&vif->lock);
	kfree(status);
}

static void nbk_disconnect(struct nbk_vif *vif)
{
	nbk_vif_disconnect(vif);
}

static void nbk_frontend_changed(struct xenbus_device *xdev,
				 enum xenbus_state fstate)
{
	struct nbk_vif *vif = dev_get_drvdata(&xdev->dev);

	mutex_lock(&vif->lock);
	switch (fstate) {
	case XenbusStateInitialising:
		if (xdev->state == XenbusStateClosed)
			xenbus_switch_state(xdev, XenbusStateInitWait);
		break;
	case XenbusStateConnected:
		nbk_connect(vif);
		break;
	case XenbusStateClosing:
		nbk_disconnect(vif);
		xenbus_switch_state(xdev, XenbusStateClosing);
		break;
	case XenbusStateClosed:
	case XenbusStateUnknown:
		nbk_disconnect(vif);
		xenbus_switch_state(xdev, XenbusStateClosed);
		break;
	case XenbusStateInitialised:
	case XenbusStateInitWait:
		break;
	default:
		xenbus_dev_fatal(xdev, -EINVAL, "frontend went to state %s",
				 xenbus_strstate(fstate));
		break;
	}
	mutex_unlock(&vif->lock);
}

static void nbk_read_mtu(struct nbk_vif *vif)
{
	unsigned int mtu;

	if (xenbus_read_uint(XBT_NIL, vif->xdev->nodename, "mtu", &mtu))
		return;
	rtnl_lock();
	if (dev_set_mtu(vif->ndev, mtu))
		dev_warn(&vif->xdev->dev, "mtu %u refused\n", mtu);
	rtnl_unlock();
}

static int nbk_probe(struct xenbus_device *xdev,
		     const struct xenbus_device_id *id)
{
	const char *last = strrchr(xdev->nodename, '/');
	struct nbk_vif *vif;
	unsigned int handle;
	char *name;
	int err;

	if (!last || kstrtouint(last + 1, 10, &handle)) {
		dev_warn(&xdev->dev, "%s: device id is not a number\n",
			 xdev->nodename);
		return -EINVAL;
	}
	err = xenbus_transact(nbk_publish_features, (void *)xdev->nodename);
	if (err) {
		xenbus_dev_fatal(xdev, err, "publishing our features");
		return err;
	}
	/* vif-bridge renames it to "vifname" itself when one is set. */
	name = kasprintf(GFP_KERNEL, "vif%u.%u", xdev->otherend_id, handle);
	if (!name)
		return -ENOMEM;
	vif = nbk_vif_create(xdev, handle, name);
	kfree(name);
	if (IS_ERR(vif)) {
		xenbus_dev_fatal(xdev, PTR_ERR(vif), "creating the interface");
		return PTR_ERR(vif);
	}
	dev_set_drvdata(&xdev->dev, vif);
	nbk_read_mtu(vif);
	vif->max_queues = nbk_offered_queues();
	err = xenbus_printf(XBT_NIL, xdev->nodename, "multi-queue-max-queues",
			    "%u", vif->max_queues);
	if (err) {
		xenbus_dev_fatal(xdev, err, "publishing our queues");
		goto fail;
	}

	vif->hotplug_watch.node = kasprintf(GFP_KERNEL, "%s/hotplug-status",
					    xdev->nodename);
	if (!vif->hotplug_watch.node) {
		err = -ENOMEM;
		goto fail;
	}
	vif->hotplug_watch.callback = nbk_hotplug_status;
	err = register_xenbus_watch(&vif->hotplug_watch);
	if (err) {
		xenbus_dev_fatal(xdev, err, "watching hotplug-status");
		goto fail;
	}
	/* The toolstack waits for this before it runs vif-bridge. */
	err = xenbus_switch_state(xdev, XenbusStateInitWait);
	if (err) {
		unregister_xenbus_watch(&vif->hotplug_watch);
		goto fail;
	}
	return 0;

fail:
	kfree(vif->hotplug_watch.node);
	dev_set_drvdata(&xdev->dev, NULL);
	nbk_vif_destroy(vif);
	return err;
}

static void nbk_remove(struct xenbus_device *xdev)
{
	struct nbk_vif *vif = dev_get_drvdata(&xdev->dev);

	unregister_xenbus_watch(&vif->hotplug_watch);
	kfree(vif->hotplug_watch.node);
	mutex_lock(&vif->lock);
	nbk_disconnect(vif);
	mutex_unlock(&vif->lock);
	xenbus_switch_state(xdev, XenbusStateClosed);
	dev_set_drvdata(&xdev->dev, NULL);
	nbk_vif_destroy(vif);
}

static const struct xenbus_device_id nbk_ids[] = {
	{ "vif" },
	{ "" }
};

static struct xenbus_driver nbk_driver = {
	.ids = nbk_ids,
	.probe = nbk_probe,
	.remove = nbk_remove,
	.otherend_changed = nbk_frontend_changed,
};

static int __init nbk_init(void)
{
	if (!xen_pv_domain())
		return -ENODEV;
	return xenbus_register_backend(&nbk_driver);
}
module_init(nbk_init);

static void __exit nbk_exit(void)
{
	xenbus_unregister_driver(&nbk_driver);
}
module_exit(nbk_exit);

MODULE_DESCRIPTION("Xen virtual network backend");
MODULE_LICENSE("GPL");
MODULE_ALIAS("xen-backend:vif");
