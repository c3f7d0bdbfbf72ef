/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Xenbus device states, written by each end to its "state" node.
 */
#ifndef __XEN_INTERFACE_IO_XENBUS_H__
#define __XEN_INTERFACE_IO_XENBUS_H__

enum xenbus_state {
	XenbusStateUnknown	 = 0,
	XenbusStateInitialising	 = 1,
	XenbusStateInitWait	 = 2, /* backend: waiting for hotplug/details */
	XenbusStateInitialised	 = 3, /* frontend: ring details written */
	XenbusStateConnected	 = 4,
	XenbusStateClosing	 = 5, /* shutting down on request */
	XenbusStateClosed	 = 6,
	XenbusStateReconfiguring = 7,
	XenbusStateReconfigured	 = 8
};

#endif /* __XEN_INTERFACE_IO_XENBUS_H__ */
