/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pieces of the xenstore client and the xenbus bus shared between their
 * files.  The layers, bottom up:
 *
 *   ring.c   bytes in and out of the shared ring page, the event channel
 *   msg.c    framing: requests out, replies matched to callers by req_id,
 *            watch events handed to watch.c; the "xenstore-rx" thread
 *   watch.c  watch registry and the "xenwatch" thread running callbacks
 *   store.c  the public read/write/directory/transaction helpers
 *   core.c   bring-up at boot (a domU's ring from start_info, the
 *            control domain's own ring for xenstored) and the "xenstore
 *            ready" notifiers
 *   bus.c    the bus type, device objects, probe/remove; one instance per
 *            side
 *   frontend.c  "device/<class>/<id>" enumeration and hotplug
 *   backend.c   "backend/<class>/<domid>/<id>" enumeration and hotplug
 *   shared-ring.c  rings a frontend grants, rings a backend maps
 *   state.c  state machine and error reporting helpers for drivers
 *   dev.c    /dev/xen/xenbus: the store for processes
 */
#ifndef _XENBUS_INTERNAL_H
#define _XENBUS_INTERNAL_H

#include <linux/mutex.h>
#include <linux/types.h>
#include <linux/uio.h>
#include <linux/wait.h>
#include <xen/xenbus.h>

/* ring.c */
extern wait_queue_head_t xs_ring_wq;
int xs_ring_init(struct xenstore_domain_interface *intf, evtchn_port_t port);
int xs_ring_write(const void *data, unsigned int len);
int xs_ring_read(void *data, unsigned int len);
bool xs_ring_broken(void);
void xs_ring_mark_broken(const char *why);

/* msg.c */
int xs_comms_start(void);
/*
 * One request/reply exchange.  Returns the reply body (NUL-terminated,
 * kmalloc'd, length in *@len when @len is not NULL) or ERR_PTR.
 */
void *xs_talk(u32 tx_id, enum xsd_sockmsg_type type,
	      const struct kvec *iov, unsigned int nr_iov, unsigned int *len);
/*
 * The same without judging the reply: its type (XS_ERROR included) in
 * *@rtype, its length in *@len.  For passing replies on (dev.c): the wait
 * ends with -EINTR on a fatal signal.
 */
void *xs_exchange(u32 tx_id, u32 type, const struct kvec *iov,
		  unsigned int nr_iov, u32 *rtype, unsigned int *len);
int xs_error_to_errno(const char *name, unsigned int len);
/* Suspend: no request outstanding from quiesce to unquiesce (msg.c). */
int xs_quiesce(unsigned long timeout);
void xs_unquiesce(void);
/* Resume in a new domain: the store's new port (ring.c), our watches. */
int xs_ring_resume(evtchn_port_t port);
/* The control domain's ring handed to a xenstore domain (core.c). */
int xs_ring_move(evtchn_port_t port);
void xs_watch_resume(void);
/* Number of NUL-terminated strings filling @body exactly, or -EIO. */
int xs_count_strings(const char *body, unsigned int len);

/* watch.c */
int xs_watch_start(void);
int xs_parse_watch_event(const char *body, unsigned int len,
			 const char **path, u32 *token);
/* Takes ownership of @body (kfree'd once the event is dispatched). */
void xs_watch_queue_event(char *body, const char *path, u32 token);

/* core.c */
void xs_set_ready(void);
/* Every event on the store's port (hard irq context). */
void xs_ring_event(void);

/* state.c */
int xenbus_parse_state(const char *s, enum xenbus_state *state);

/*
 * One side of the bus: where its devices live in the store and how a
 * device names its other end.  The frontend side is "device" with
 * "backend"/"backend-id"; the backend side is "backend" with
 * "frontend"/"frontend-id" and one more path level (the frontend domid).
 */
struct xenbus_side {
	struct bus_type bus;
	/* Of the modalias, "<prefix>:<class>": "xen" or "xen-backend". */
	const char *alias_prefix;
	const char *root;
	const char *otherend_key;
	const char *otherend_id_key;
	/* Serialises scans and hotplug events of this side. */
	struct mutex scan_lock;
	bool registered;
};

/* bus.c */
int xenbus_side_register(struct xenbus_side *side);
int xenbus_side_add_device(struct xenbus_side *side, const char *type,
			   const char *nodename, const char *name);
struct xenbus_device *xenbus_side_find(struct xenbus_side *side,
				       const char *name);
void xenbus_side_sync(struct xenbus_side *side, const char *type,
		      const char *nodename, const char *name);
void xenbus_side_prune(struct xenbus_side *side);
int xenbus_side_register_driver(struct xenbus_side *side,
				struct xenbus_driver *drv,
				struct module *owner, const char *mod_name);
bool xenbus_valid_name(const char *name, size_t max);

/* frontend.c */
int xenbus_frontend_init(void);

/* backend.c */
#ifdef CONFIG_XEN_BACKEND
int xenbus_backend_init(void);
#else
static inline int xenbus_backend_init(void) { return 0; }
#endif

#endif /* _XENBUS_INTERNAL_H */
