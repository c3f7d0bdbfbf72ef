/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Xenstore client and the xenbus bus.
 *
 * Xenstore is a small hierarchical key/value database kept by the
 * control domain.  Every guest talks to it over a shared ring page; paths
 * that do not start with '/' are relative to the guest's own home,
 * /local/domain/<domid>.  Split drivers find each other through it: a
 * frontend lives under "device/<class>/<id>" and names its backend there,
 * and both ends publish their progress in a "state" node (enum
 * xenbus_state) that the other end watches.
 *
 * Values returned by the read helpers come from another domain: callers
 * must still check that a value makes sense before acting on it.
 */
#ifndef _XEN_XENBUS_H
#define _XEN_XENBUS_H

#include <linux/atomic.h>
#include <linux/bits.h>
#include <linux/compiler.h>
#include <linux/device.h>
#include <linux/list.h>
#include <linux/notifier.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <xen/interface/xen.h>
#include <xen/interface/event_channel.h>
#include <xen/interface/grant_table.h>
#include <xen/interface/io/xenbus.h>
#include <xen/interface/io/xs_wire.h>

/* ---------------------------------------------------------------- store */

/*
 * A transaction handle.  XBT_NIL means "no transaction": the request is
 * applied on its own.
 */
struct xenbus_transaction {
	u32 id;
};

#define XBT_NIL ((struct xenbus_transaction) { .id = 0 })

/*
 * Each helper names a node as @dir plus @node, joined by '/'; an empty
 * @node names @dir itself.  Errors are negative errnos; the store's own
 * error strings (ENOENT, EAGAIN, EACCES...) map to the same errno.
 */

/* The node's value, NUL-terminated, kmalloc'd (kfree it); or ERR_PTR. */
void *xenbus_read(struct xenbus_transaction t, const char *dir,
		  const char *node, unsigned int *len);
int xenbus_write(struct xenbus_transaction t, const char *dir,
		 const char *node, const char *value);
int xenbus_mkdir(struct xenbus_transaction t, const char *dir,
		 const char *node);
/* Removes the node and everything below it. */
int xenbus_rm(struct xenbus_transaction t, const char *dir, const char *node);
bool xenbus_exists(struct xenbus_transaction t, const char *dir,
		   const char *node);

/*
 * The names of the node's children: an array of *@num strings in one
 * kmalloc'd block (one kfree frees all), or ERR_PTR.
 */
char **xenbus_directory(struct xenbus_transaction t, const char *dir,
			const char *node, unsigned int *num);

__printf(4, 5)
int xenbus_printf(struct xenbus_transaction t, const char *dir,
		  const char *node, const char *fmt, ...);

/* Number of items converted (>= 1), or a negative errno (-ERANGE: none). */
__scanf(4, 5)
int xenbus_scanf(struct xenbus_transaction t, const char *dir,
		 const char *node, const char *fmt, ...);

/*
 * The whole node as an unsigned decimal number (no trailing junk):
 * 0 or -errno (-EINVAL when the value is not such a number).
 */
int xenbus_read_uint(struct xenbus_transaction t, const char *dir,
		     const char *node, unsigned int *val);

/*
 * Reads several nodes of @dir: the variable arguments are
 * (const char *node, const char *fmt, void *result) triples ended by a
 * NULL node.  A NULL @fmt stores the kmalloc'd string in *(char **)result.
 * Stops at the first node that is missing or fails to convert.
 */
int xenbus_gather(struct xenbus_transaction t, const char *dir, ...);

int xenbus_transaction_start(struct xenbus_transaction *t);
/* Commits (@abort false) or drops the transaction; -EAGAIN: retry it. */
int xenbus_transaction_end(struct xenbus_transaction t, bool abort);

/*
 * Runs @body inside a transaction and commits it, starting over when the
 * store reports a conflict (-EAGAIN), at most a bounded number of times.
 * A non-zero return from @body aborts the transaction and is returned.
 */
int xenbus_transact(int (*body)(struct xenbus_transaction t, void *arg),
		    void *arg);

/* ---------------------------------------------------------------- watches */

struct xenbus_watch {
	/* Set by the owner before registering. */
	const char *node;
	/*
	 * Runs in the xenwatch kernel thread, one event at a time, so it may
	 * sleep and issue store requests.  @path is the node that changed
	 * (@node or below it).  Also runs once right after registering.
	 */
	void (*callback)(struct xenbus_watch *watch, const char *path);

	/* Private to the xenstore client. */
	struct list_head list;
	u32 token;
};

int register_xenbus_watch(struct xenbus_watch *watch);
/*
 * Once this returns the callback is not running and will not run again,
 * except when called from the callback itself.  Must not be called with a
 * lock that the callback takes.
 */
void unregister_xenbus_watch(struct xenbus_watch *watch);

/*
 * Drivers initialised before the store is connected: the notifier runs
 * once it is (at once if it already is), in process context.
 */
int register_xenstore_notifier(struct notifier_block *nb);
void unregister_xenstore_notifier(struct notifier_block *nb);
bool xenstore_ready(void);
/* Suspend of a domU (drivers/xen/suspend.c). */
int xenbus_suspend(void);
void xenbus_resume(bool new_domain);

/*
 * The control domain only: the store ring page it made for xenstored and
 * the unbound port xenstored binds to serve it (xenfs publishes both).
 * NULL elsewhere.
 */
struct xenstore_domain_interface *xenstore_local_ring(evtchn_port_t *port);
struct vm_area_struct;
int xenstore_local_ring_mmap(struct vm_area_struct *vma);
/* Hand that ring to a xenstore domain; the new port or -errno. */
int xenstore_local_move(domid_t domid);

/* /dev/xen/xenbus, the store's protocol for processes (also in xenfs). */
extern const struct file_operations xenbus_dev_fops;

/* ---------------------------------------------------------------- bus */

struct xenbus_device_id {
	/* The device class as in "device/<class>/<id>", e.g. "vbd". */
	char devicetype[32];
};

struct xenbus_device {
	const char *devicetype;		/* "vbd", "vif"... */
	const char *nodename;		/* our directory, e.g. "device/vbd/768" */
	const char *otherend;		/* the other end's directory */
	domid_t otherend_id;
	enum xenbus_state state;	/* the state we last published */
	struct xenbus_watch otherend_watch;	/* on "<otherend>/state" */
	struct device dev;
};

static inline struct xenbus_device *to_xenbus_device(struct device *dev)
{
	return container_of(dev, struct xenbus_device, dev);
}

struct xenbus_driver {
	const char *name;		/* defaults to the module name */
	const struct xenbus_device_id *ids;	/* ends with an empty entry */
	int (*probe)(struct xenbus_device *dev,
		     const struct xenbus_device_id *id);
	/* The other end's "state" node changed; called from xenwatch. */
	void (*otherend_changed)(struct xenbus_device *dev,
				 enum xenbus_state backend_state);
	void (*remove)(struct xenbus_device *dev);
	/*
	 * Save/restore of a domU (drivers/xen/suspend.c), all optional:
	 * freeze before the domain is suspended (stop feeding the ring; the
	 * other end may still answer), thaw when it resumes in the same
	 * domain (a checkpoint or a cancelled suspend: the connection is
	 * intact), restore when it resumes in a new domain: the old
	 * connection is gone with the old domain (its grants and event
	 * channels no longer exist) and a new backend waits.  restore drops
	 * the old connection without talking to the other end; the bus then
	 * publishes Initialising and watches the new other end, whose state
	 * changes drive the reconnection as at probe.
	 */
	int (*freeze)(struct xenbus_device *dev);
	int (*thaw)(struct xenbus_device *dev);
	int (*restore)(struct xenbus_device *dev);
	struct device_driver driver;
};

static inline struct xenbus_driver *to_xenbus_driver(struct device_driver *drv)
{
	return container_of(drv, struct xenbus_driver, driver);
}

int __xenbus_register_frontend(struct xenbus_driver *drv,
			       struct module *owner, const char *mod_name);
#define xenbus_register_frontend(drv) \
	__xenbus_register_frontend(drv, THIS_MODULE, KBUILD_MODNAME)
void xenbus_unregister_driver(struct xenbus_driver *drv);

/*
 * Backend drivers bind to "backend/<class>/<frontend-domid>/<id>"; the
 * device's other end is the frontend directory named in "frontend".
 */
int __xenbus_register_backend(struct xenbus_driver *drv,
			      struct module *owner, const char *mod_name);
#define xenbus_register_backend(drv) \
	__xenbus_register_backend(drv, THIS_MODULE, KBUILD_MODNAME)
/*
 * The toolstack's "online" node of a backend device: false once it wants
 * the device gone (it writes 0 before asking us to close).
 */
bool xenbus_backend_online(struct xenbus_device *dev);

/* ---------------------------------------------------------------- helpers */

/* Publishes @state in "<nodename>/state" unless the node is gone. */
int xenbus_switch_state(struct xenbus_device *dev, enum xenbus_state state);
/*
 * The state in "<path>/state"; XenbusStateUnknown when the node is
 * missing or does not hold a valid state.
 */
enum xenbus_state xenbus_read_driver_state(const char *path);
const char *xenbus_strstate(enum xenbus_state state);

/*
 * Report a failure of @dev: logged and written to
 * "error/<nodename>/error" for the toolstack.  _fatal also moves the
 * device to XenbusStateClosing.
 */
__printf(3, 4)
void xenbus_dev_error(struct xenbus_device *dev, int err, const char *fmt, ...);
__printf(3, 4)
void xenbus_dev_fatal(struct xenbus_device *dev, int err, const char *fmt, ...);

/*
 * The other end broke the protocol: it is reported once, and the device
 * failed (xenbus_dev_fatal(), which sends us Closing) from a work item,
 * since the driver finds out in any context, interrupts included.  Until
 * it is reset for a new connection the driver stops using the rings.
 */
struct xenbus_peer_error {
	struct xenbus_device *dev;
	atomic_t raised;
	struct work_struct work;
	char msg[96];
};

void xenbus_peer_error_init(struct xenbus_peer_error *pe,
			    struct xenbus_device *dev);
/* Any context.  True for the call that raised it, false for later ones. */
__printf(2, 3)
bool xenbus_peer_error(struct xenbus_peer_error *pe, const char *fmt, ...);
__printf(2, 0)
bool xenbus_peer_verror(struct xenbus_peer_error *pe, const char *fmt,
			va_list ap);
static inline bool xenbus_peer_error_raised(struct xenbus_peer_error *pe)
{
	return atomic_read(&pe->raised);
}

/*
 * Process context: waits for the work item.  _reset also clears the
 * error, for a new connection.
 */
void xenbus_peer_error_cancel(struct xenbus_peer_error *pe);
void xenbus_peer_error_reset(struct xenbus_peer_error *pe);

/* An unbound event channel the other end may bind to (dev_fatal on error). */
int xenbus_alloc_evtchn(struct xenbus_device *dev, evtchn_port_t *port);
void xenbus_free_evtchn(struct xenbus_device *dev, evtchn_port_t port);

/* ---------------------------------------------------------------- rings */

/* Largest shared ring a frontend offers: 2^4 pages. */
#define XENBUS_MAX_RING_ORDER	4
#define XENBUS_MAX_RING_PAGES	BIT(XENBUS_MAX_RING_ORDER)

/*
 * Allocate a zeroed ring of 2^@order pages and grant each page, writable,
 * to the other end: @refs[i] grants page i.  On failure nothing is left
 * allocated and the device is marked failed (xenbus_dev_fatal).
 */
int xenbus_setup_ring(struct xenbus_device *dev, unsigned int order,
		      void **ring, grant_ref_t *refs);
/*
 * End the grants and free the pages (a page the other end still maps is
 * freed when it lets go).  Sets *@ring to NULL; harmless if already NULL.
 */
void xenbus_teardown_ring(void **ring, unsigned int order, grant_ref_t *refs);

/* A ring the other end granted us, mapped in one virtual area. */
struct xenbus_mapped_ring {
	void *addr;			/* NULL when not mapped */
	struct vm_struct *area;
	unsigned int nr_pages;
	grant_handle_t handles[XENBUS_MAX_RING_PAGES];
};

/*
 * Backends: map the @nr pages granted by @refs (the frontend's values)
 * writable and contiguous at @ring->addr, in one batch.  All or nothing;
 * on failure the device is marked failed (xenbus_dev_fatal).
 */
int xenbus_map_ring(struct xenbus_device *dev, const grant_ref_t *refs,
		    unsigned int nr, struct xenbus_mapped_ring *ring);
/* Harmless on a ring that is not mapped. */
void xenbus_unmap_ring(struct xenbus_mapped_ring *ring);

#endif /* _XEN_XENBUS_H */
