// SPDX-License-Identifier: GPL-2.0
/*
 * Xen PV network frontend: the xenbus driver for "vif" devices.
 *
 * probe:   a net device with the MAC from our "mac" node, no carrier.
 * backend InitWait:  build and publish the data path, we go Connected.
 * backend Connected: carrier on.
 * backend Closing/Closed/gone: data path down, we go Closed.
 * remove:  the net device goes away (hot detach, or shutdown).
 * freeze/thaw/restore: save and restore of the domain; after a restore
 *          in a new domain the same net device connects to the new
 *          backend through the same handshake.
 */
#include <linux/etherdevice.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <xen/xen.h>

#include "netfront.h"

/* "mac" must be exactly six colon-separated hex bytes, unicast, not 0. */
static int xnf_read_mac(struct xenbus_device *xdev, u8 *mac)
{
	char *str;
	int err = 0;

	str = xenbus_read(XBT_NIL, xdev->nodename, "mac", NULL);
	if (IS_ERR(str))
		return PTR_ERR(str);
	if (strlen(str) != 3 * ETH_ALEN - 1 || !mac_pton(str, mac) ||
	    !is_valid_ether_addr(mac))
		err = -EINVAL;
	kfree(str);
	return err;
}

static int xnf_probe(struct xenbus_device *xdev,
		     const struct xenbus_device_id *id)
{
	struct net_device *ndev;
	struct xnf_info *nf;
	u8 mac[ETH_ALEN];
	int err;

	err = xnf_read_mac(xdev, mac);
	if (err) {
		xenbus_dev_fatal(xdev, err, "reading a valid unicast %s/mac",
				 xdev->nodename);
		return err;
	}
	ndev = xnf_alloc_netdev(xdev);
	if (!ndev) {
		xenbus_dev_fatal(xdev, -ENOMEM, "allocating the net device");
		return -ENOMEM;
	}
	nf = netdev_priv(ndev);
	eth_hw_addr_set(ndev, mac);
	dev_set_drvdata(&xdev->dev, nf);

	err = register_netdev(ndev);
	if (err) {
		xenbus_dev_fatal(xdev, err, "registering the net device");
		dev_set_drvdata(&xdev->dev, NULL);
		free_netdev(ndev);
		return err;
	}
	netdev_info(ndev, "Xen vif %s, MAC %pM\n", xdev->nodename, mac);
	return 0;
}

static void xnf_go_closed(struct xenbus_device *xdev, struct xnf_info *nf)
{
	xnf_disconnect(nf);
	xenbus_switch_state(xdev, XenbusStateClosed);
}

static void xnf_backend_changed(struct xenbus_device *xdev,
				enum xenbus_state state)
{
	struct xnf_info *nf = dev_get_drvdata(&xdev->dev);

	switch (state) {
	case XenbusStateInitWait:
		/* After a failure we stay down until a new Initialising. */
		if (xdev->state == XenbusStateConnected ||
		    xdev->state == XenbusStateClosing)
			break;
		if (xnf_connect(nf))
			break;
		xenbus_switch_state(xdev, XenbusStateConnected);
		break;
	case XenbusStateConnected:
		if (xdev->state != XenbusStateConnected || !nf->live ||
		    xnf_is_broken(nf))
			break;
		netif_carrier_on(nf->ndev);
		break;
	case XenbusStateClosing:
		xnf_go_closed(xdev, nf);
		break;
	case XenbusStateClosed:
		if (xdev->state != XenbusStateClosed)
			xnf_go_closed(xdev, nf);
		break;
	case XenbusStateUnknown:
		xnf_disconnect(nf);
		break;
	default:
		break;
	}
}

static void xnf_remove(struct xenbus_device *xdev)
{
	struct xnf_info *nf = dev_get_drvdata(&xdev->dev);

	if (!nf)
		return;
	unregister_netdev(nf->ndev);
	xnf_disconnect(nf);
	xenbus_peer_error_cancel(&nf->perr);
	dev_set_drvdata(&xdev->dev, NULL);
	free_netdev(nf->ndev);
}

/* ---- save and restore of the domain */

/*
 * Nothing more goes on the rings: transmit stopped, NAPI (which posts
 * receive buffers and notifies) off.  The backend may still answer.
 */
static int xnf_freeze(struct xenbus_device *xdev)
{
	struct xnf_info *nf = dev_get_drvdata(&xdev->dev);

	rtnl_lock();
	netif_device_detach(nf->ndev);
	xnf_queues_quiesce(nf);
	rtnl_unlock();
	return 0;
}

/* Same domain: the data path is intact, let it run again. */
static int xnf_thaw(struct xenbus_device *xdev)
{
	struct xnf_info *nf = dev_get_drvdata(&xdev->dev);

	rtnl_lock();
	netif_device_attach(nf->ndev);
	if (nf->live && netif_running(nf->ndev))
		xnf_queues_start(nf);
	rtnl_unlock();
	return 0;
}

/*
 * A new domain: the rings' grants, the event channels and the backend
 * are gone.  Packets in flight are dropped (TCP sends them again), the
 * net device stays with its addresses and routes, without carrier, and
 * the handshake with the new backend builds a new data path.
 */
static int xnf_restore(struct xenbus_device *xdev)
{
	struct xnf_info *nf = dev_get_drvdata(&xdev->dev);

	/* First: a report of the old backend must not fail the new device. */
	xenbus_peer_error_reset(&nf->perr);
	xnf_disconnect(nf);
	/* Transmit drops packets until the new data path is live. */
	rtnl_lock();
	netif_device_attach(nf->ndev);
	rtnl_unlock();
	return 0;
}

static const struct xenbus_device_id xnf_ids[] = {
	{ "vif" },
	{ "" }
};

static struct xenbus_driver xnf_driver = {
	.name = "vif",
	.otherend_changed = xnf_backend_changed,
	.probe = xnf_probe,
	.remove = xnf_remove,
	.freeze = xnf_freeze,
	.thaw = xnf_thaw,
	.restore = xnf_restore,
	.ids = xnf_ids,
};

static int __init xnf_init(void)
{
	int err = -ENODEV;

	if (xen_domain()) {
		err = xenbus_register_frontend(&xnf_driver);
		if (!err)
			pr_info("xen-netfront: Xen virtual network frontend\n");
	}
	return err;
}
module_init(xnf_init);

static void __exit xnf_exit(void)
{
	xenbus_unregister_driver(&xnf_driver);
}
module_exit(xnf_exit);

MODULE_DESCRIPTION("Xen virtual network device frontend");
MODULE_LICENSE("GPL");
MODULE_ALIAS("xen:vif");
