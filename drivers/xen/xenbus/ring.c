// SPDX-License-Identifier: GPL-2.0
/*
 * The xenstore ring page: a byte stream each way.
 *
 * One page holds a request ring we produce into and a response ring we
 * consume from, and an event channel kicks xenstored and is kicked by
 * it.  A domU gets both from Xen's domain builder (start_info); the
 * control domain makes them itself and hands them to xenstored (core.c).
 * Indexes are free-running 32-bit counters; only MASK_XENSTORE_IDX() of
 * them addresses the ring.
 *
 * The page is shared with the store's domain, so its indexes are read
 * once per step and checked: a producer more than a ring ahead of the
 * consumer means the page is corrupt, and from then on the ring is
 * declared broken and every transfer fails with -EIO.  The indexes that
 * are ours to move (req_prod, rsp_cons) are kept in private copies and
 * only ever written to the page.
 */
#define pr_fmt(fmt) "xenstore: " fmt

#include <linux/interrupt.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/printk.h>
#include <linux/string.h>
#include <linux/wait.h>
#include <asm/barrier.h>
#include <asm/xen/guest.h>
#include <asm/xen/page.h>
#include <xen/events.h>

#include "internal.h"

DECLARE_WAIT_QUEUE_HEAD(xs_ring_wq);

static struct xenstore_domain_interface *xs_intf;
static evtchn_port_t xs_port;
static int xs_irq = -1;
static XENSTORE_RING_IDX xs_req_prod;	/* ours: next byte we write */
static XENSTORE_RING_IDX xs_rsp_cons;	/* ours: next byte we read */
static bool xs_dead;

bool xs_ring_broken(void)
{
	return READ_ONCE(xs_dead);
}

void xs_ring_mark_broken(const char *why)
{
	if (!xchg(&xs_dead, true))
		pr_err("ring disabled: %s\n", why);
	wake_up_all(&xs_ring_wq);
}

/* Free bytes in the request ring, or -EIO when it cannot be trusted. */
static int xs_req_space(void)
{
	XENSTORE_RING_IDX used;

	if (xs_ring_broken())
		return -EIO;
	used = xs_req_prod - READ_ONCE(xs_intf->req_cons);
	if (used > XENSTORE_RING_SIZE) {
		xs_ring_mark_broken("request consumer index out of range");
		return -EIO;
	}
	return XENSTORE_RING_SIZE - used;
}

/* Unread bytes in the response ring, or -EIO when it cannot be trusted. */
static int xs_rsp_avail(void)
{
	XENSTORE_RING_IDX avail;

	if (xs_ring_broken())
		return -EIO;
	avail = READ_ONCE(xs_intf->rsp_prod) - xs_rsp_cons;
	if (avail > XENSTORE_RING_SIZE) {
		xs_ring_mark_broken("response producer index out of range");
		return -EIO;
	}
	return avail;
}

/*
 * Copies @len bytes into the request ring, sleeping while it is full.
 * Callers serialise whole messages so their bytes are not interleaved.
 */
int xs_ring_write(const void *data, unsigned int len)
{
	const char *src = data;

	while (len) {
		unsigned int off, chunk;
		int space;

		wait_event(xs_ring_wq, (space = xs_req_space()) != 0);
		if (space < 0)
			return space;
		/* Seen the consumer's index before overwriting what it freed. */
		virt_mb();

		off = MASK_XENSTORE_IDX(xs_req_prod);
		chunk = min3(len, (unsigned int)space, XENSTORE_RING_SIZE - off);
		memcpy(xs_intf->req + off, src, chunk);
		/* The bytes must be visible before the index covering them. */
		virt_wmb();
		xs_req_prod += chunk;
		WRITE_ONCE(xs_intf->req_prod, xs_req_prod);
		xen_evtchn_notify(READ_ONCE(xs_port));

		src += chunk;
		len -= chunk;
	}
	return 0;
}

/*
 * Copies @len bytes out of the response ring, sleeping until they come.
 * Only the receive thread reads, so no lock is needed.
 */
int xs_ring_read(void *data, unsigned int len)
{
	char *dst = data;

	while (len) {
		unsigned int off, chunk;
		int avail = 0;
		int err;

		err = wait_event_interruptible(xs_ring_wq,
					       (avail = xs_rsp_avail()) != 0);
		if (err)
			return err;
		if (avail < 0)
			return avail;
		/* Read the bytes only after the index that published them. */
		virt_rmb();

		off = MASK_XENSTORE_IDX(xs_rsp_cons);
		chunk = min3(len, (unsigned int)avail, XENSTORE_RING_SIZE - off);
		memcpy(dst, xs_intf->rsp + off, chunk);
		/* Done with the bytes before handing their space back. */
		virt_mb();
		xs_rsp_cons += chunk;
		WRITE_ONCE(xs_intf->rsp_cons, xs_rsp_cons);
		xen_evtchn_notify(READ_ONCE(xs_port));

		dst += chunk;
		len -= chunk;
	}
	return 0;
}

/* xenstored's indexes at the last event, to tell events from noise. */
static XENSTORE_RING_IDX xs_seen_rsp_prod, xs_seen_req_cons;

/*
 * Bound for late EOI: an event counts as work if xenstored moved one of
 * its indexes since the last one; notifying without doing so is throttled
 * (xen_evtchn_eoi()).
 */
static irqreturn_t xs_ring_interrupt(int irq, void *cookie)
{
	XENSTORE_RING_IDX rsp = READ_ONCE(xs_intf->rsp_prod);
	XENSTORE_RING_IDX req = READ_ONCE(xs_intf->req_cons);

	/* Both directions wait on the same queue: replies and free space. */
	wake_up_all(&xs_ring_wq);
	xs_ring_event();
	xen_evtchn_eoi(irq, rsp != xs_seen_rsp_prod || req != xs_seen_req_cons);
	xs_seen_rsp_prod = rsp;
	xs_seen_req_cons = req;
	return IRQ_HANDLED;
}

/*
 * Start using @intf, signalled through our local @port.  A ring someone
 * used before us (a boot loader) is picked up where its indexes stand,
 * once they are found plausible.
 */
int xs_ring_init(struct xenstore_domain_interface *intf, evtchn_port_t port)
{
	int irq;

	xs_intf = intf;
	xs_port = port;
	xs_req_prod = READ_ONCE(xs_intf->req_prod);
	xs_rsp_cons = READ_ONCE(xs_intf->rsp_cons);
	if (xs_req_prod - READ_ONCE(xs_intf->req_cons) > XENSTORE_RING_SIZE ||
	    READ_ONCE(xs_intf->rsp_prod) - xs_rsp_cons > XENSTORE_RING_SIZE) {
		pr_err("ring indexes out of range at start\n");
		return -EIO;
	}

	irq = xen_evtchn_bind_port_late(xs_port, xs_ring_interrupt, 0,
					"xenstore", &xs_ring_wq);
	if (irq < 0) {
		pr_err("cannot bind event channel %u: %d\n", xs_port, irq);
		return irq;
	}
	xs_irq = irq;
	return 0;
}

/*
 * The control domain hands its ring to a xenstore domain before anyone
 * served it (xenstore_local_move()): the same page, signalled through
 * @port from now on.  Unbinding the old port closes it.
 */
int xs_ring_move(evtchn_port_t port)
{
	int irq;

	irq = xen_evtchn_bind_port_late(port, xs_ring_interrupt, 0,
					"xenstore", &xs_ring_wq);
	if (irq < 0)
		return irq;
	xen_evtchn_unbind(xs_irq, &xs_ring_wq);
	xs_irq = irq;
	WRITE_ONCE(xs_port, port);
	return 0;
}

/*
 * Resume in a new domain: the same page, a new port, and indexes that
 * xenstored set back to 0 when the toolstack introduced the new domain
 * (the ring was idle: xs_quiesce()).  The receive thread, waiting for a
 * reply, is woken by the event the rebind raises.
 */
int xs_ring_resume(evtchn_port_t port)
{
	int rc;

	if (xs_irq < 0)
		return -ENODEV;
	xs_req_prod = READ_ONCE(xs_intf->req_prod);
	xs_rsp_cons = READ_ONCE(xs_intf->rsp_cons);
	xs_seen_rsp_prod = READ_ONCE(xs_intf->rsp_prod);
	xs_seen_req_cons = READ_ONCE(xs_intf->req_cons);
	if (xs_req_prod != xs_seen_req_cons || xs_rsp_cons != xs_seen_rsp_prod)
		pr_warn("resume: ring not idle (req %u/%u rsp %u/%u)\n",
			xs_seen_req_cons, xs_req_prod, xs_rsp_cons,
			xs_seen_rsp_prod);
	rc = xen_evtchn_rebind(xs_irq, port);
	if (rc) {
		pr_err("resume: cannot bind event channel %u: %d\n", port, rc);
		return rc;
	}
	WRITE_ONCE(xs_port, port);
	xen_evtchn_notify(port);
	return 0;
}
