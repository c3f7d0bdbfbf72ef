/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR MIT) */
/*
 * /dev/xen/xenbus_backend: the control domain's store ring, for a tool
 * that starts xenstored in a domain of its own (Xen's
 * init-xenstore-domain).  Both ioctls take no structure: SETUP's argument
 * is the xenstore domain's id, and each returns an event channel port.
 * Numbers as in Xen's tools/include/xen-sys/Linux/xenbus_dev.h.
 */
#ifndef _UAPI_XEN_XENBUS_DEV_H
#define _UAPI_XEN_XENBUS_DEV_H

#include <linux/ioctl.h>

/* The port the control domain's store ring is signalled on. */
#define IOCTL_XENBUS_BACKEND_EVTCHN \
_IOC(_IOC_NONE, 'B', 0, 0)

/* Hand the ring to domain (argument): the port it is to bind. */
#define IOCTL_XENBUS_BACKEND_SETUP \
_IOC(_IOC_NONE, 'B', 1, 0)

#endif /* _UAPI_XEN_XENBUS_DEV_H */
