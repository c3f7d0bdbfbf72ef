// SPDX-License-Identifier: GPL-2.0
/*
 * Late EOI: ports whose peer may notify them in a tight loop.
 *
 * With the ordinary edge flow every notification is an upcall and a
 * handler call, so a peer that notifies as fast as it can keeps one of our
 * vCPUs in interrupt context.  A port bound with a xen_evtchn_bind_*_late()
 * call has its own chip: its ack masks the port as well as clearing it, and
 * the port stays masked until the driver calls xen_evtchn_eoi(), once it
 * has consumed its ring, saying whether it found work.  Notifications
 * meanwhile only leave the port pending; the unmask raises one event for
 * all of them.
 *
 * EOIs that found no work are counted.  Past EVTCHN_IDLE_FREE of them in
 * a row the unmask is put off by a timer, for 1 ms doubling up to
 * EVTCHN_DELAY_MAX_MS, so a storming peer costs us a few events a second
 * and a stale event now and then costs nothing.  One EOI with work ends
 * the penalty.
 *
 *   owed     set by the ack, cleared by the EOI (or the timer after it)
 *   held     the irq core's own mask (disable_irq); its unmask only
 *            unmasks the port if no EOI is owed
 *   waiting  the timer holds the unmask
 *
 * The port is unmasked exactly when none of the three is set.
 *
 * Trusted: nothing the peer does.  The driver is trusted to call
 * xen_evtchn_eoi() for every event its handler saw (a missing EOI leaves
 * the port masked; an extra one is ignored) and never after unbinding.
 * late_lock nests inside the irq descriptor lock, under which the chip
 * callbacks run; xen_evtchn_eoi() and the timer take it alone.
 */
#include <linux/export.h>
#include <linux/irq.h>
#include <linux/jiffies.h>
#include <linux/minmax.h>
#include <linux/printk.h>

#include "evtchn.h"

#define EVTCHN_IDLE_FREE	4
#define EVTCHN_DELAY_MAX_SHIFT	7
#define EVTCHN_DELAY_MAX_MS	128U	/* 2 ^ EVTCHN_DELAY_MAX_SHIFT */

/* Under late_lock: unmask the port if nothing else holds it. */
static void evtchn_late_try_unmask(struct evtchn_binding *b)
{
	if (!b->owed && !b->held && !b->waiting)
		evtchn_unmask(b->port);
}

static void evtchn_late_timer(struct timer_list *t)
{
	struct evtchn_binding *b = from_timer(b, t, late_timer);
	unsigned long flags;

	raw_spin_lock_irqsave(&b->late_lock, flags);
	if (b->waiting) {
		b->waiting = false;
		b->owed = false;
		evtchn_late_try_unmask(b);
	}
	raw_spin_unlock_irqrestore(&b->late_lock, flags);
}

void evtchn_late_init(struct evtchn_binding *b)
{
	raw_spin_lock_init(&b->late_lock);
	timer_setup(&b->late_timer, evtchn_late_timer, 0);
}

/* At unbind, the irq freed: no handler and no EOI can come any more. */
void evtchn_late_release(struct evtchn_binding *b)
{
	del_timer_sync(&b->late_timer);
}

/* The flow handler takes an event: hold the port for the driver's EOI. */
void evtchn_late_ack(struct irq_data *d)
{
	struct evtchn_binding *b = irq_data_get_irq_chip_data(d);
	evtchn_port_t port = irqd_to_hwirq(d);

	if (!b) {	/* being unbound */
		evtchn_mask(port);
		evtchn_clear_pending(port);
		return;
	}
	raw_spin_lock(&b->late_lock);
	b->owed = true;
	evtchn_mask(port);
	evtchn_clear_pending(port);
	raw_spin_unlock(&b->late_lock);
}

void evtchn_late_mask(struct irq_data *d)
{
	struct evtchn_binding *b = irq_data_get_irq_chip_data(d);

	if (!b) {
		evtchn_mask(irqd_to_hwirq(d));
		return;
	}
	raw_spin_lock(&b->late_lock);
	b->held = true;
	evtchn_mask(b->port);
	raw_spin_unlock(&b->late_lock);
}

/*
 * The event is not handed to a handler (the irq is disabled or busy): the
 * core remembers it and replays it at enable time, so no EOI is owed.
 */
void evtchn_late_mask_ack(struct irq_data *d)
{
	evtchn_late_mask(d);
	evtchn_clear_pending(irqd_to_hwirq(d));
}

void evtchn_late_unmask(struct irq_data *d)
{
	struct evtchn_binding *b = irq_data_get_irq_chip_data(d);

	if (!b)
		return;
	raw_spin_lock(&b->late_lock);
	b->held = false;
	evtchn_late_try_unmask(b);
	raw_spin_unlock(&b->late_lock);
}

/* Resume (resume.c): the port is new and masked; unmask it if it was. */
void evtchn_late_rearm(struct evtchn_binding *b)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&b->late_lock, flags);
	evtchn_late_try_unmask(b);
	raw_spin_unlock_irqrestore(&b->late_lock, flags);
}

/* Under late_lock: the peer notifies without work; put the unmask off. */
static void evtchn_late_delay(struct evtchn_binding *b)
{
	unsigned int shift = min(b->idle - EVTCHN_IDLE_FREE - 1,
				 (unsigned int)EVTCHN_DELAY_MAX_SHIFT);

	if (shift == 0)
		pr_warn_ratelimited("xen: event channel %u fires without work; delaying it up to %u ms\n",
				    b->port, EVTCHN_DELAY_MAX_MS);
	b->waiting = true;
	mod_timer(&b->late_timer, jiffies + msecs_to_jiffies(1U << shift));
}

/**
 * xen_evtchn_eoi - the driver has consumed what an event announced
 * @irq: an irq bound with xen_evtchn_bind_port_late() or
 *	 xen_evtchn_bind_interdomain_late()
 * @found_work: whether the ring held anything new
 *
 * Any context.  Unmasks the port, at once or, if the peer has been
 * notifying without work, after a delay.
 */
void xen_evtchn_eoi(int irq, bool found_work)
{
	struct evtchn_binding *b = evtchn_irq_binding(irq);
	unsigned long flags;

	if (WARN_ON_ONCE(!b || !b->late))
		return;
	raw_spin_lock_irqsave(&b->late_lock, flags);
	if (b->owed && !b->waiting) {
		if (found_work)
			b->idle = 0;
		else if (b->idle < UINT_MAX)
			b->idle++;
		if (b->idle > EVTCHN_IDLE_FREE) {
			evtchn_late_delay(b);
		} else {
			b->owed = false;
			evtchn_late_try_unmask(b);
		}
	}
	raw_spin_unlock_irqrestore(&b->late_lock, flags);
}
EXPORT_SYMBOL_GPL(xen_evtchn_eoi);
