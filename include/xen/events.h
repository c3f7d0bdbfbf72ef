/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Event channels: the PV guest's interrupts.
 *
 * Xen signals a guest through numbered "ports".  Each bound port becomes an
 * ordinary Linux irq (chip "xen-evtchn", the port number as its hwirq), so
 * drivers use request_irq() semantics, /proc/interrupts counts events, and
 * disable_irq()/enable_irq() mask and unmask the port.
 *
 * The bind helpers below open (or adopt) the port, map it to an irq and
 * request that irq with the given handler in one step; they return the irq
 * number or a negative errno.  xen_evtchn_unbind() undoes all of it,
 * including closing the port.  Binding the same VIRQ or IPI of a CPU twice
 * yields the same irq (pass IRQF_SHARED to attach a second handler).
 *
 * Design notes: Documentation/xen/events.rst.
 */
#ifndef _XEN_EVENTS_H
#define _XEN_EVENTS_H

#include <linux/interrupt.h>
#include <linux/types.h>
#include <xen/interface/xen.h>
#include <xen/interface/event_channel.h>

struct pt_regs;

/* The IPIs the x86 SMP code needs; each CPU gets one port per kind. */
enum xen_ipi {
	XEN_IPI_RESCHEDULE,
	XEN_IPI_CALL_FUNC,
	XEN_IPI_CALL_FUNC_SINGLE,
	XEN_IPI_STOP,
	XEN_IPI_NR,
};

int xen_evtchn_bind_virq(unsigned int virq, unsigned int cpu,
			 irq_handler_t handler, unsigned long irqflags,
			 const char *name, void *dev);
bool xen_evtchn_virq_bound(unsigned int virq, unsigned int cpu);
int xen_evtchn_bind_ipi(enum xen_ipi ipi, unsigned int cpu,
			irq_handler_t handler, unsigned long irqflags,
			const char *name, void *dev);
/* An already-open local port (e.g. xenstore's or the console's). */
int xen_evtchn_bind_port(evtchn_port_t port, irq_handler_t handler,
			 unsigned long irqflags, const char *name, void *dev);
int xen_evtchn_bind_interdomain(domid_t remote_dom, evtchn_port_t remote_port,
				irq_handler_t handler, unsigned long irqflags,
				const char *name, void *dev);
/*
 * Late EOI, for ports a possibly hostile peer can notify: the port is
 * masked from the moment its event is taken until the driver calls
 * xen_evtchn_eoi(irq, found_work) after consuming its ring (from the
 * handler or later, from any context; once per handler call).  EOIs that
 * found no work, many in a row, delay the unmask (up to 128 ms): a
 * notification storm costs a handful of events a second.
 */
int xen_evtchn_bind_port_late(evtchn_port_t port, irq_handler_t handler,
			      unsigned long irqflags, const char *name,
			      void *dev);
int xen_evtchn_bind_interdomain_late(domid_t remote_dom,
				     evtchn_port_t remote_port,
				     irq_handler_t handler,
				     unsigned long irqflags, const char *name,
				     void *dev);
void xen_evtchn_eoi(int irq, bool found_work);

/*
 * For found_work: did the peer move a shared ring index (a producer, say)
 * since the last event?  @seen is the driver's copy, updated here.
 */
static inline bool xen_evtchn_index_moved(unsigned int *seen,
					  const unsigned int *index)
{
	unsigned int now = READ_ONCE(*index);

	return xchg(seen, now) != now;
}

/* free_irq() plus, on the last user, closing the port. */
void xen_evtchn_unbind(int irq, void *dev);

/* Ports without an irq. */
int xen_evtchn_alloc_unbound(domid_t remote_dom, evtchn_port_t *port);
void xen_evtchn_close(evtchn_port_t port);
void xen_evtchn_notify(evtchn_port_t port);
void xen_evtchn_notify_irq(int irq);
/* The port behind one of our irqs, or 0 (never a valid port) if none. */
evtchn_port_t xen_evtchn_from_irq(int irq);

void xen_send_ipi(unsigned int cpu, enum xen_ipi ipi);

/*
 * Called by the arch upcall entry with interrupts off, after it entered irq
 * context (irqentry_enter + irq_enter or equivalent).
 */
void xen_evtchn_upcall(struct pt_regs *regs);

/*
 * Suspend (drivers/xen/suspend.c): no bind or unbind between lock and
 * unlock; in between, xen_evtchn_resume() binds every VIRQ and IPI again
 * if the guest resumed in a new domain, and xen_evtchn_rebind() gives the
 * irq of any other port its new port once its driver learns it.
 */
void xen_evtchn_suspend_lock(void);
void xen_evtchn_suspend_unlock(void);
void xen_evtchn_resume(void);
int xen_evtchn_rebind(int irq, evtchn_port_t port);

/* At init_IRQ time on CPU 0, before any bind call. */
void xen_evtchn_init(void);
/*
 * Before a secondary CPU comes up; per_cpu(xen_vcpu, cpu) must be set.
 * May sleep.  Returns 0 or -errno (the CPU cannot take events).
 */
int xen_evtchn_cpu_prepare(unsigned int cpu);

/*
 * The control domain's device interrupts: register a GSI with Xen and get
 * its irq (the same number), trigger and polarity as ACPI says.  Returns
 * the irq or -errno.  xen_pirq_init() once at init_IRQ time, first.
 */
int xen_pirq_register_gsi(unsigned int gsi, bool level, bool active_low);
void xen_pirq_init(void);
/* The PCI MSI domain whose vectors Xen maps to pirqs (x86_init hook). */
struct irq_domain *xen_pirq_create_msi_domain(void);

/* For early boot consoles that poll a port instead of taking its irq. */
bool xen_evtchn_is_pending(evtchn_port_t port);
void xen_evtchn_clear(evtchn_port_t port);

#endif /* _XEN_EVENTS_H */
