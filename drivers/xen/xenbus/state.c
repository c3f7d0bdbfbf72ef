// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers for split drivers: publishing our state, reading the other
 * end's, reporting errors to the toolstack (and a peer that broke the
 * protocol), event channels for the other end.
 *
 * Both ends of a device keep their progress in a "state" node holding a
 * decimal enum xenbus_state and watch each other's.  The usual frontend
 * walk is Initialising -> (backend InitWait) -> Initialised/Connected
 * -> ... -> Closing -> Closed.
 */
#include <linux/err.h>
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <xen/events.h>

#include "internal.h"

static const char *const xenbus_state_names[] = {
	[XenbusStateUnknown]		= "Unknown",
	[XenbusStateInitialising]	= "Initialising",
	[XenbusStateInitWait]		= "InitWait",
	[XenbusStateInitialised]	= "Initialised",
	[XenbusStateConnected]		= "Connected",
	[XenbusStateClosing]		= "Closing",
	[XenbusStateClosed]		= "Closed",
	[XenbusStateReconfiguring]	= "Reconfiguring",
	[XenbusStateReconfigured]	= "Reconfigured",
};

const char *xenbus_strstate(enum xenbus_state state)
{
	if ((unsigned int)state >= ARRAY_SIZE(xenbus_state_names))
		return "Invalid";
	return xenbus_state_names[state];
}
EXPORT_SYMBOL_GPL(xenbus_strstate);

/* A "state" value as written by the other end: decimal, in range. */
int xenbus_parse_state(const char *s, enum xenbus_state *state)
{
	unsigned int v;

	if (kstrtouint(s, 10, &v) || v > XenbusStateReconfigured)
		return -EINVAL;
	*state = v;
	return 0;
}

enum xenbus_state xenbus_read_driver_state(const char *path)
{
	enum xenbus_state state;
	char *value;

	value = xenbus_read(XBT_NIL, path, "state", NULL);
	if (IS_ERR(value))
		return XenbusStateUnknown;
	if (xenbus_parse_state(value, &state)) {
		pr_warn_ratelimited("xenbus: %s/state holds \"%.16s\", not a state\n",
				    path, value);
		state = XenbusStateUnknown;
	}
	kfree(value);
	return state;
}
EXPORT_SYMBOL_GPL(xenbus_read_driver_state);

struct xenbus_state_change {
	struct xenbus_device *dev;
	enum xenbus_state state;
};

static int xenbus_publish_state(struct xenbus_transaction t, void *arg)
{
	struct xenbus_state_change *change = arg;

	/*
	 * The toolstack removes the directory of a device it tears down;
	 * writing "state" now would bring a stray copy back.
	 */
	if (!xenbus_exists(t, change->dev->nodename, ""))
		return -ENOENT;
	return xenbus_printf(t, change->dev->nodename, "state", "%d",
			     change->state);
}

int xenbus_switch_state(struct xenbus_device *dev, enum xenbus_state state)
{
	struct xenbus_state_change change = { .dev = dev, .state = state };
	int err;

	if (state == dev->state)
		return 0;
	err = xenbus_transact(xenbus_publish_state, &change);
	if (err == -ENOENT) {
		dev_dbg(&dev->dev, "directory gone, state %s not published\n",
			xenbus_strstate(state));
		err = 0;
	}
	if (err) {
		/* Not _fatal: that would switch state again. */
		xenbus_dev_error(dev, err, "writing state %s",
				 xenbus_strstate(state));
		return err;
	}
	dev->state = state;
	return 0;
}
EXPORT_SYMBOL_GPL(xenbus_switch_state);

static __printf(3, 0)
void xenbus_report(struct xenbus_device *dev, int err, const char *fmt,
		   va_list ap)
{
	char *msg, *dir;

	msg = kvasprintf(GFP_KERNEL, fmt, ap);
	if (!msg) {
		dev_err(&dev->dev, "error %d (no memory for its message)\n",
			err);
		return;
	}
	dev_err(&dev->dev, "error %d: %s\n", err, msg);

	/* The toolstack looks for it in error/<nodename>/error. */
	dir = kasprintf(GFP_KERNEL, "error/%s", dev->nodename);
	if (!dir ||
	    xenbus_printf(XBT_NIL, dir, "error", "%d %s", err, msg))
		dev_err(&dev->dev, "could not record the error in the store\n");
	kfree(dir);
	kfree(msg);
}

void xenbus_dev_error(struct xenbus_device *dev, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	xenbus_report(dev, err, fmt, ap);
	va_end(ap);
}
EXPORT_SYMBOL_GPL(xenbus_dev_error);

void xenbus_dev_fatal(struct xenbus_device *dev, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	xenbus_report(dev, err, fmt, ap);
	va_end(ap);
	xenbus_switch_state(dev, XenbusStateClosing);
}
EXPORT_SYMBOL_GPL(xenbus_dev_fatal);

static void xenbus_peer_error_work(struct work_struct *work)
{
	struct xenbus_peer_error *pe =
		container_of(work, struct xenbus_peer_error, work);

	xenbus_dev_fatal(pe->dev, -EPROTO, "%s", pe->msg);
}

void xenbus_peer_error_init(struct xenbus_peer_error *pe,
			    struct xenbus_device *dev)
{
	pe->dev = dev;
	atomic_set(&pe->raised, 0);
	INIT_WORK(&pe->work, xenbus_peer_error_work);
}
EXPORT_SYMBOL_GPL(xenbus_peer_error_init);

bool xenbus_peer_verror(struct xenbus_peer_error *pe, const char *fmt,
			va_list ap)
{
	if (atomic_xchg(&pe->raised, 1))
		return false;
	vsnprintf(pe->msg, sizeof(pe->msg), fmt, ap);
	dev_err(&pe->dev->dev, "protocol error by the other end: %s; disconnecting\n",
		pe->msg);
	schedule_work(&pe->work);
	return true;
}
EXPORT_SYMBOL_GPL(xenbus_peer_verror);

bool xenbus_peer_error(struct xenbus_peer_error *pe, const char *fmt, ...)
{
	va_list ap;
	bool first;

	va_start(ap, fmt);
	first = xenbus_peer_verror(pe, fmt, ap);
	va_end(ap);
	return first;
}
EXPORT_SYMBOL_GPL(xenbus_peer_error);

void xenbus_peer_error_cancel(struct xenbus_peer_error *pe)
{
	cancel_work_sync(&pe->work);
}
EXPORT_SYMBOL_GPL(xenbus_peer_error_cancel);

void xenbus_peer_error_reset(struct xenbus_peer_error *pe)
{
	cancel_work_sync(&pe->work);
	atomic_set(&pe->raised, 0);
}
EXPORT_SYMBOL_GPL(xenbus_peer_error_reset);

int xenbus_alloc_evtchn(struct xenbus_device *dev, evtchn_port_t *port)
{
	int err = xen_evtchn_alloc_unbound(dev->otherend_id, port);

	if (err)
		xenbus_dev_fatal(dev, err, "allocating an event channel");
	return err;
}
EXPORT_SYMBOL_GPL(xenbus_alloc_evtchn);

void xenbus_free_evtchn(struct xenbus_device *dev, evtchn_port_t port)
{
	xen_evtchn_close(port);
}
EXPORT_SYMBOL_GPL(xenbus_free_evtchn);
