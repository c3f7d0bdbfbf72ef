/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR MIT) */
/*
 * /dev/xen/evtchn: event channels for processes.
 *
 * Each bind ioctl returns the new local port.  read() returns the ports
 * that fired (one __u32 each); a port that fired stays masked until the
 * process write()s its number back.  Layouts and numbers as in Xen's
 * tools/include/xen-sys/Linux/evtchn.h.
 */
#ifndef _UAPI_XEN_EVTCHN_H
#define _UAPI_XEN_EVTCHN_H

#include <linux/ioctl.h>
#include <linux/types.h>
#include <xen/interface/xen.h>

/* Bind a VIRQ of the calling domain. */
#define IOCTL_EVTCHN_BIND_VIRQ				\
	_IOC(_IOC_NONE, 'E', 0, sizeof(struct ioctl_evtchn_bind_virq))
struct ioctl_evtchn_bind_virq {
	unsigned int virq;
};

/* Bind to a port another domain allocated for us. */
#define IOCTL_EVTCHN_BIND_INTERDOMAIN			\
	_IOC(_IOC_NONE, 'E', 1, sizeof(struct ioctl_evtchn_bind_interdomain))
struct ioctl_evtchn_bind_interdomain {
	unsigned int remote_domain, remote_port;
};

/* A fresh port that remote_domain may bind to. */
#define IOCTL_EVTCHN_BIND_UNBOUND_PORT			\
	_IOC(_IOC_NONE, 'E', 2, sizeof(struct ioctl_evtchn_bind_unbound_port))
struct ioctl_evtchn_bind_unbound_port {
	unsigned int remote_domain;
};

/* Close one of this file's ports. */
#define IOCTL_EVTCHN_UNBIND				\
	_IOC(_IOC_NONE, 'E', 3, sizeof(struct ioctl_evtchn_unbind))
struct ioctl_evtchn_unbind {
	unsigned int port;
};

/* Signal the other end of one of this file's ports. */
#define IOCTL_EVTCHN_NOTIFY				\
	_IOC(_IOC_NONE, 'E', 4, sizeof(struct ioctl_evtchn_notify))
struct ioctl_evtchn_notify {
	unsigned int port;
};

/* Empty the buffer of fired ports and clear an overflow. */
#define IOCTL_EVTCHN_RESET				\
	_IOC(_IOC_NONE, 'E', 5, 0)

/* From now on, bind interdomain ports of this domain only. */
#define IOCTL_EVTCHN_RESTRICT_DOMID			\
	_IOC(_IOC_NONE, 'E', 6, sizeof(struct ioctl_evtchn_restrict_domid))
struct ioctl_evtchn_restrict_domid {
	domid_t domid;
};

#endif /* _UAPI_XEN_EVTCHN_H */
