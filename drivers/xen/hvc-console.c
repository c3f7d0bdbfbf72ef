// SPDX-License-Identifier: GPL-2.0
/*
 * The Xen console as /dev/hvc0.
 *
 * A domU talks to xenconsoled in the control domain through one shared
 * page (struct xencons_interface) holding two byte rings, "out" (we
 * produce) and "in" (we consume), plus an event channel that either side
 * signals after moving its index.  The page and the port are in
 * start_info.  The indexes are free-running 32-bit counters; the other
 * side writes two of them, so every value read back is checked against
 * the ring size before use.
 *
 * The control domain has no such ring: it reads and writes Xen's own
 * console with HYPERVISOR_console_io and is told of input by VIRQ_CONSOLE.
 *
 * The hvc core does the tty and printk work.  We register vterm 0 at
 * console_initcall time (so kernel messages reach hvc0 early, by polling)
 * and create the tty at device_initcall time, when interrupts work.
 */

#define pr_fmt(fmt) "xen-console: " fmt

#include <linux/console.h>
#include <linux/init.h>
#include <linux/interrupt.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include <asm/xen/guest.h>
#include <asm/xen/hypercall.h>
#include <asm/xen/page.h>

#include <xen/events.h>
#include <xen/hvc-console.h>
#include <xen/interface/io/console.h>
#include <xen/xen.h>

#include "../tty/hvc/hvc_console.h"

/* Our only vterm: hvc0, also console slot 0. */
#define XC_VTERMNO	0
/*
 * How often a writer yields on a full ring for the backend to drain it.
 * Once that ran out, writers stop waiting until the backend moves again,
 * so a console nobody reads costs one timeout, not one per line.
 */
#define XC_FULL_SPINS	1000

static struct xencons_interface *xc_ring;
static evtchn_port_t xc_port;
static int xc_irq = -1;
static DEFINE_RAW_SPINLOCK(xc_out_lock);
static bool xc_out_stalled;		/* under xc_out_lock */
static bool xc_registered;
/*
 * One vterm, two transports: which one is fixed at console_initcall time
 * and never changes, so the hooks just dispatch on it.
 */
static bool xc_use_ring;

/* ---------------------------------------------------- the domU ring */

/* The ring page and port of a domU, or false if start_info has none. */
static bool xc_find_ring(void)
{
	unsigned long mfn;

	if (xc_ring)
		return true;
	if (!xen_start_info || xen_initial_domain())
		return false;
	mfn = xen_start_info->console.domU.mfn;
	if (!mfn || mfn_to_pfn(mfn) == XEN_INVALID_MFN)
		return false;
	xc_port = xen_start_info->console.domU.evtchn;
	xc_ring = mfn_to_virt(mfn);
	return true;
}

/* Bytes between @cons and @prod, or -1 if that cannot be in a @size ring. */
static int xc_ring_used(u32 cons, u32 prod, u32 size, const char *which)
{
	if (prod - cons > size) {
		pr_err_once("%s ring indexes out of range (cons %u prod %u): ignoring them\n",
			    which, cons, prod);
		return -1;
	}
	return prod - cons;
}

/*
 * Copy as much of @buf as fits into the out ring; returns the byte count
 * or -EIO if the backend left the indexes in an impossible state.
 * Caller holds xc_out_lock.
 */
static int xc_ring_put(const char *buf, unsigned int len)
{
	struct xencons_interface *r = xc_ring;
	u32 prod = READ_ONCE(r->out_prod);
	u32 off = MASK_XENCONS_IDX(prod, r->out);
	int used = xc_ring_used(READ_ONCE(r->out_cons), prod, sizeof(r->out),
				"output");
	unsigned int head;

	if (used < 0)
		return -EIO;
	/* Read out_cons before reusing the slots it says were consumed. */
	virt_mb();
	len = min_t(unsigned int, len, sizeof(r->out) - used);
	/* The free space may wrap: fill up to the end, then from the start. */
	head = min_t(unsigned int, len, sizeof(r->out) - off);
	memcpy(r->out + off, buf, head);
	memcpy(r->out, buf + head, len - head);
	/* The data must be visible before the index that covers it. */
	virt_wmb();
	WRITE_ONCE(r->out_prod, prod + len);
	return len;
}

/*
 * Write all of @buf, waiting (by yielding the vCPU to Xen, so the backend
 * can run) while the ring is full, but not forever: a console with no
 * backend must not hang the kernel.  Returns what was written, or -EIO.
 */
static int xc_ring_write(const char *buf, unsigned int len)
{
	unsigned int done = 0, spins = 0;
	unsigned long flags;
	int n = 0;

	raw_spin_lock_irqsave(&xc_out_lock, flags);
	while (done < len) {
		n = xc_ring_put(buf + done, len - done);
		if (n < 0)
			break;
		if (n) {
			xen_evtchn_notify(xc_port);
			done += n;
			spins = 0;
			xc_out_stalled = false;
			continue;
		}
		if (xc_out_stalled || ++spins > XC_FULL_SPINS) {
			xc_out_stalled = true;
			break;
		}
		HYPERVISOR_yield();
	}
	raw_spin_unlock_irqrestore(&xc_out_lock, flags);
	return n < 0 ? n : done;
}

static int xc_domu_put_chars(u32 vtermno, const char *buf, int count)
{
	int n = xc_ring_write(buf, count);

	/* A broken ring: drop the output rather than retry forever. */
	return n < 0 ? count : n;
}

static int xc_domu_get_chars(u32 vtermno, char *buf, int count)
{
	struct xencons_interface *r = xc_ring;
	u32 cons = READ_ONCE(r->in_cons);
	u32 prod = READ_ONCE(r->in_prod);
	u32 off = MASK_XENCONS_IDX(cons, r->in);
	int avail = xc_ring_used(cons, prod, sizeof(r->in), "input");
	unsigned int len, head;

	if (avail < 0) {
		/* Skip whatever is there and start over from in_prod. */
		WRITE_ONCE(r->in_cons, prod);
		xen_evtchn_notify(xc_port);
		return 0;
	}
	len = min_t(unsigned int, count, avail);
	if (!len)
		return 0;
	/* Read in_prod before the bytes it covers. */
	virt_rmb();
	head = min_t(unsigned int, len, sizeof(r->in) - off);
	memcpy(buf, r->in + off, head);
	memcpy(buf + head, r->in, len - head);
	/* Finish reading the bytes before handing their slots back. */
	virt_mb();
	WRITE_ONCE(r->in_cons, cons + len);
	xen_evtchn_notify(xc_port);
	return len;
}

/* ---------------------------------------------------- dom0: console_io */

static int xc_dom0_put_chars(u32 vtermno, const char *buf, int count)
{
	int rc = HYPERVISOR_console_io(CONSOLEIO_write, count, buf);

	return rc < 0 ? rc : count;
}

static int xc_dom0_get_chars(u32 vtermno, char *buf, int count)
{
	int rc = HYPERVISOR_console_io(CONSOLEIO_read, count, buf);

	if (rc < 0 || rc > count)
		return 0;
	return rc;
}

/* ---------------------------------------------------- interrupts */

/* The peer's indexes at the last event, to tell events from noise. */
static u32 xc_seen_in_prod, xc_seen_out_cons;

/*
 * The ring's channel is bound for late EOI (VIRQ_CONSOLE comes from Xen
 * and is not): an event counts as work if the peer moved either of its
 * indexes since the last one; a console daemon notifying without doing so
 * is throttled (xen_evtchn_eoi()).
 */
static irqreturn_t xc_interrupt(int irq, void *dev)
{
	struct xencons_interface *r = xc_ring;
	bool moved;
	u32 in, out;

	/* khvcd polls every hvc; input and freed output space both matter. */
	hvc_kick();
	if (xc_use_ring) {
		in = READ_ONCE(r->in_prod);
		out = READ_ONCE(r->out_cons);
		moved = in != xc_seen_in_prod || out != xc_seen_out_cons;
		xen_evtchn_eoi(irq, moved);
		xc_seen_in_prod = in;
		xc_seen_out_cons = out;
	}
	return IRQ_HANDLED;
}

static int xc_notifier_add(struct hvc_struct *hp, int data)
{
	/* Without an irq the hvc core polls instead. */
	hp->irq_requested = xc_irq >= 0;
	return 0;
}

static void xc_notifier_del(struct hvc_struct *hp, int data)
{
	hp->irq_requested = 0;
}

static int xc_get_chars(u32 vtermno, char *buf, int count)
{
	if (xc_use_ring)
		return xc_domu_get_chars(vtermno, buf, count);
	return xc_dom0_get_chars(vtermno, buf, count);
}

static int xc_put_chars(u32 vtermno, const char *buf, int count)
{
	if (xc_use_ring)
		return xc_domu_put_chars(vtermno, buf, count);
	return xc_dom0_put_chars(vtermno, buf, count);
}

/* Hangup needs no hook: the handler only kicks khvcd, open or not. */
static const struct hv_ops xc_hv_ops = {
	.put_chars = xc_put_chars,
	.get_chars = xc_get_chars,
	.notifier_add = xc_notifier_add,
	.notifier_del = xc_notifier_del,
};

/* ---------------------------------------------------- registration */

static int __init xc_console_init(void)
{
	if (!xen_pv_domain())
		return 0;
	if (!xen_initial_domain()) {
		if (!xc_find_ring())
			return 0;
		xc_use_ring = true;
	}
	xc_registered = true;
	hvc_instantiate(XC_VTERMNO, 0, &xc_hv_ops);
	return 0;
}
console_initcall(xc_console_init);

static int __init xc_tty_init(void)
{
	struct hvc_struct *hp;
	int irq;

	if (!xc_registered)
		return 0;

	hp = hvc_alloc(XC_VTERMNO, 0, &xc_hv_ops, PAGE_SIZE);
	if (IS_ERR(hp)) {
		pr_err("cannot create hvc0: %ld\n", PTR_ERR(hp));
		return PTR_ERR(hp);
	}

	/* Bound after hvc_alloc: the handler wakes khvcd, which must exist. */
	if (xc_use_ring)
		irq = xen_evtchn_bind_port_late(xc_port, xc_interrupt, 0,
						"hvc_console", NULL);
	else
		irq = xen_evtchn_bind_virq(VIRQ_CONSOLE, 0, xc_interrupt, 0,
					   "hvc_console", NULL);
	if (irq < 0)
		pr_warn("no console interrupt (%d): polling\n", irq);
	else
		xc_irq = irq;
	return 0;
}
device_initcall(xc_tty_init);

/*
 * Resume in a new domain (drivers/xen/suspend.c): the same ring page, a
 * new port, from start_info as the restore rewrote it.  Output written
 * meanwhile waits in the ring; the notify makes xenconsoled look.
 */
void xen_hvc_resume(bool new_domain)
{
	evtchn_port_t port;
	unsigned long flags;
	int rc;

	if (!new_domain || !xc_registered || !xc_use_ring)
		return;
	port = xen_start_info->console.domU.evtchn;
	raw_spin_lock_irqsave(&xc_out_lock, flags);
	xc_port = port;
	xc_out_stalled = false;
	raw_spin_unlock_irqrestore(&xc_out_lock, flags);
	if (xc_irq >= 0) {
		rc = xen_evtchn_rebind(xc_irq, port);
		if (rc)
			pr_warn("resume: console event channel %u: %d\n", port, rc);
	}
	xen_evtchn_notify(port);
}

/* ---------------------------------------------------- boot console */

/* The ring gets "\r\n" for "\n", as the hvc core does for printk. */
static void xc_early_ring_write(const char *s, unsigned int n)
{
	unsigned int len;

	while (n) {
		len = strnchrnul(s, n, '\n') - s;
		if (len && xc_ring_write(s, len) != (int)len)
			return;
		if (len == n)
			return;
		if (xc_ring_write("\r\n", 2) != 2)
			return;
		s += len + 1;
		n -= len + 1;
	}
}

void xen_early_console_write(const char *s, unsigned int n)
{
	/* Xen's serial console: always works for dom0, debug Xen for domUs. */
	HYPERVISOR_console_io(CONSOLEIO_write, n, s);
	if (xc_find_ring())
		xc_early_ring_write(s, n);
}

static void xc_boot_write(struct console *con, const char *s, unsigned int n)
{
	xen_early_console_write(s, n);
}

struct console xen_boot_console = {
	.name = "xenboot",
	.write = xc_boot_write,
	.flags = CON_PRINTBUFFER | CON_BOOT,
	.index = -1,
};
