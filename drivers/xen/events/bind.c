// SPDX-License-Identifier: GPL-2.0
/*
 * The public face of the event-channel core: open a port with Xen, give
 * it an irq, request that irq; and the reverse.
 *
 * A port's irq is shared by every bind call that names the same source
 * (the same VIRQ or IPI of a CPU, or the same local port): each call adds
 * a user and the last xen_evtchn_unbind() closes the port.  evtchn_bind_lock
 * serialises all of this, including the hypercalls that allocate ports,
 * so a port number Xen hands out is never still mapped to a stale irq.
 */
#include <linux/cpumask.h>
#include <linux/export.h>
#include <linux/interrupt.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <asm/xen/guest.h>
#include <asm/xen/hypercall.h>

#include "evtchn.h"

/* Serialises binds, unbinds and a resume (resume.c). */
DEFINE_MUTEX(evtchn_bind_lock);
/* Every binding, for a resume to walk; under evtchn_bind_lock. */
LIST_HEAD(evtchn_bindings);

/* 0 means "none": neither irq 0 nor port 0 is ever one of ours. */
static DEFINE_PER_CPU(int [NR_VIRQS], evtchn_virq_irq);
static DEFINE_PER_CPU(int [XEN_IPI_NR], evtchn_ipi_irq);
DEFINE_PER_CPU(evtchn_port_t [XEN_IPI_NR], evtchn_ipi_port);

/*
 * Logs and refuses a port number outside what the event channel ABI in
 * use can hold; @what says where it came from.
 */
bool evtchn_check_port(evtchn_port_t port, const char *what)
{
	if (likely(evtchn_port_valid(port)))
		return true;
	pr_warn_ratelimited("xen: %s: bad event channel port %u\n", what, port);
	return false;
}

static bool evtchn_check_cpu(unsigned int cpu)
{
	return cpu < nr_cpu_ids && cpu_possible(cpu);
}

/* VIRQs that Xen delivers per vCPU; all others are global. */
static bool evtchn_virq_is_percpu(unsigned int virq)
{
	switch (virq) {
	case VIRQ_TIMER:
	case VIRQ_DEBUG:
	case VIRQ_XENOPROF:
	case VIRQ_XENPMU:
		return true;
	default:
		return false;
	}
}

void evtchn_close_port(evtchn_port_t port)
{
	struct evtchn_close op = { .port = port };
	int rc;

	rc = HYPERVISOR_event_channel_op(EVTCHNOP_close, &op);
	if (rc)
		pr_warn("xen: closing event channel %u failed: %d\n", port, rc);
}

/*
 * A port Xen just gave us.  Xen is trusted, but a port beyond the ABI's
 * range would index memory we do not have, so it is checked like any
 * other and given back.
 */
static int evtchn_check_new_port(evtchn_port_t port, const char *what)
{
	if (evtchn_check_port(port, what))
		return 0;
	evtchn_close_port(port);
	return -EIO;
}

/* Under evtchn_bind_lock: map an open, valid @port to a new irq. */
static int evtchn_adopt(evtchn_port_t port, enum evtchn_kind kind,
			unsigned int cpu, unsigned int index, bool late)
{
	struct evtchn_binding *b;
	int irq;

	irq = evtchn_setup_port(port);
	if (irq)
		return irq;
	b = kzalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return -ENOMEM;
	b->port = port;
	b->kind = kind;
	b->cpu = cpu;
	b->index = index;
	b->users = 1;
	b->late = late;
	if (late)
		evtchn_late_init(b);

	evtchn_mask(port);
	evtchn_set_cpu(port, cpu, cpu);
	irq = evtchn_irq_create(b);
	if (irq < 0) {
		evtchn_drop_cpu(port, cpu);
		kfree(b);
		return irq;
	}
	b->irq = irq;
	list_add_tail(&b->node, &evtchn_bindings);
	return irq;
}

/* Under evtchn_bind_lock: the last user is gone; forget the port and close it. */
static void evtchn_release(unsigned int irq, struct evtchn_binding *b)
{
	list_del(&b->node);
	evtchn_irq_detach(irq);
	if (b->port)
		evtchn_mask(b->port);

	switch (b->kind) {
	case EVTCHN_KIND_VIRQ:
		/* Global: listed under CPU 0 wherever it was moved since. */
		per_cpu(evtchn_virq_irq, 0)[b->index] = 0;
		break;
	case EVTCHN_KIND_VIRQ_PERCPU:
		per_cpu(evtchn_virq_irq, b->cpu)[b->index] = 0;
		break;
	case EVTCHN_KIND_IPI:
		WRITE_ONCE(per_cpu(evtchn_ipi_port, b->cpu)[b->index], 0);
		per_cpu(evtchn_ipi_irq, b->cpu)[b->index] = 0;
		break;
	case EVTCHN_KIND_PORT:
		break;
	}

	evtchn_irq_destroy(irq);
	if (b->port) {
		evtchn_drop_cpu(b->port, b->cpu);
		evtchn_close_port(b->port);
	}
	if (b->late)
		evtchn_late_release(b);
	kfree(b);
}

static void evtchn_put(unsigned int irq)
{
	struct evtchn_binding *b;

	mutex_lock(&evtchn_bind_lock);
	b = evtchn_irq_binding(irq);
	if (!WARN_ON(!b) && --b->users == 0)
		evtchn_release(irq, b);
	mutex_unlock(&evtchn_bind_lock);
}

/* Under evtchn_bind_lock: one more user of an irq found in a table. */
static int evtchn_get(int irq)
{
	struct evtchn_binding *b = evtchn_irq_binding(irq);

	if (WARN_ON(!b))
		return -EINVAL;
	b->users++;
	return irq;
}

/* Second half of every bind: the irq exists and holds a user for us. */
static int evtchn_request(int irq, irq_handler_t handler,
			  unsigned long irqflags, const char *name, void *dev)
{
	int rc;

	if (irq < 0)
		return irq;
	rc = request_irq(irq, handler, irqflags, name, dev);
	if (rc) {
		evtchn_put(irq);
		return rc;
	}
	return irq;
}

/*
 * Per-vCPU VIRQs are bound on their CPU.  Global ones must be bound on
 * vCPU 0 (one binding for the domain, kept in CPU 0's table) and are then
 * moved to @cpu like any movable irq.
 */
int xen_evtchn_bind_virq(unsigned int virq, unsigned int cpu,
			 irq_handler_t handler, unsigned long irqflags,
			 const char *name, void *dev)
{
	bool percpu = evtchn_virq_is_percpu(virq);
	unsigned int home = percpu ? cpu : 0;
	struct evtchn_bind_virq op;
	int irq, rc;

	if (virq >= NR_VIRQS || !evtchn_check_cpu(cpu))
		return -EINVAL;

	mutex_lock(&evtchn_bind_lock);
	irq = per_cpu(evtchn_virq_irq, home)[virq];
	if (irq) {
		irq = evtchn_get(irq);
		goto out;
	}

	op.virq = virq;
	op.vcpu = xen_vcpu_nr(home);
	rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &op);
	if (!rc)
		rc = evtchn_check_new_port(op.port, "bind_virq");
	if (rc) {
		irq = rc;
		goto out;
	}

	irq = evtchn_adopt(op.port,
			   percpu ? EVTCHN_KIND_VIRQ_PERCPU : EVTCHN_KIND_VIRQ,
			   home, virq, false);
	if (irq < 0)
		evtchn_close_port(op.port);
	else
		per_cpu(evtchn_virq_irq, home)[virq] = irq;
out:
	mutex_unlock(&evtchn_bind_lock);

	irq = evtchn_request(irq, handler, irqflags, name, dev);
	if (irq > 0 && home != cpu) {
		rc = irq_set_affinity(irq, cpumask_of(cpu));
		if (rc)
			pr_warn("xen: VIRQ %u stays on CPU 0: %d\n", virq, rc);
	}
	return irq;
}
EXPORT_SYMBOL_GPL(xen_evtchn_bind_virq);

/*
 * Is @virq of @cpu bound already (by anyone)?  For callers that want a
 * VIRQ to themselves and would otherwise share the existing irq.
 */
bool xen_evtchn_virq_bound(unsigned int virq, unsigned int cpu)
{
	bool bound;

	if (virq >= NR_VIRQS || !evtchn_check_cpu(cpu))
		return false;
	mutex_lock(&evtchn_bind_lock);
	bound = per_cpu(evtchn_virq_irq, evtchn_virq_is_percpu(virq) ? cpu : 0)[virq];
	mutex_unlock(&evtchn_bind_lock);
	return bound;
}
EXPORT_SYMBOL_GPL(xen_evtchn_virq_bound);

int xen_evtchn_bind_ipi(enum xen_ipi ipi, unsigned int cpu,
			irq_handler_t handler, unsigned long irqflags,
			const char *name, void *dev)
{
	struct evtchn_bind_ipi op;
	int irq, rc;

	if ((unsigned int)ipi >= XEN_IPI_NR || !evtchn_check_cpu(cpu))
		return -EINVAL;

	mutex_lock(&evtchn_bind_lock);
	irq = per_cpu(evtchn_ipi_irq, cpu)[ipi];
	if (irq) {
		irq = evtchn_get(irq);
		goto out;
	}

	op.vcpu = xen_vcpu_nr(cpu);
	rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_ipi, &op);
	if (!rc)
		rc = evtchn_check_new_port(op.port, "bind_ipi");
	if (rc) {
		irq = rc;
		goto out;
	}

	irq = evtchn_adopt(op.port, EVTCHN_KIND_IPI, cpu, ipi, false);
	if (irq < 0) {
		evtchn_close_port(op.port);
	} else {
		per_cpu(evtchn_ipi_irq, cpu)[ipi] = irq;
		WRITE_ONCE(per_cpu(evtchn_ipi_port, cpu)[ipi], op.port);
	}
out:
	mutex_unlock(&evtchn_bind_lock);
	return evtchn_request(irq, handler, irqflags, name, dev);
}
EXPORT_SYMBOL_GPL(xen_evtchn_bind_ipi);

/*
 * Xen delivers a port it did not bind elsewhere to vCPU 0 (CPU 0).  A
 * second bind of the same port shares its irq, if in the same EOI mode.
 */
static int evtchn_bind_port(evtchn_port_t port, bool late,
			    irq_handler_t handler, unsigned long irqflags,
			    const char *name, void *dev)
{
	struct evtchn_binding *b;
	int irq;

	if (!evtchn_check_port(port, "bind_port"))
		return -EINVAL;

	mutex_lock(&evtchn_bind_lock);
	irq = evtchn_port_irq(port);
	if (irq) {
		b = evtchn_irq_binding(irq);
		irq = b && b->late != late ? -EBUSY : evtchn_get(irq);
	} else {
		irq = evtchn_adopt(port, EVTCHN_KIND_PORT, 0, 0, late);
	}
	mutex_unlock(&evtchn_bind_lock);

	return evtchn_request(irq, handler, irqflags, name, dev);
}

int xen_evtchn_bind_port(evtchn_port_t port, irq_handler_t handler,
			 unsigned long irqflags, const char *name, void *dev)
{
	return evtchn_bind_port(port, false, handler, irqflags, name, dev);
}
EXPORT_SYMBOL_GPL(xen_evtchn_bind_port);

int xen_evtchn_bind_port_late(evtchn_port_t port, irq_handler_t handler,
			      unsigned long irqflags, const char *name,
			      void *dev)
{
	return evtchn_bind_port(port, true, handler, irqflags, name, dev);
}
EXPORT_SYMBOL_GPL(xen_evtchn_bind_port_late);

/*
 * The remote port is the other domain's number and only Xen can judge
 * it; it is merely kept within what any event channel ABI allows.
 */
static int evtchn_bind_interdomain(domid_t remote_dom,
				   evtchn_port_t remote_port, bool late,
				   irq_handler_t handler,
				   unsigned long irqflags, const char *name,
				   void *dev)
{
	struct evtchn_bind_interdomain op;
	int irq, rc;

	if (!remote_port || remote_port >= EVTCHN_FIFO_NR_CHANNELS) {
		pr_warn_ratelimited("xen: bind_interdomain: bad remote port %u of domain %u\n",
				    remote_port, remote_dom);
		return -EINVAL;
	}

	op.remote_dom = remote_dom;
	op.remote_port = remote_port;

	mutex_lock(&evtchn_bind_lock);
	rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, &op);
	if (!rc)
		rc = evtchn_check_new_port(op.local_port, "bind_interdomain");
	if (rc) {
		irq = rc;
	} else {
		irq = evtchn_adopt(op.local_port, EVTCHN_KIND_PORT, 0, 0, late);
		if (irq < 0)
			evtchn_close_port(op.local_port);
	}
	mutex_unlock(&evtchn_bind_lock);

	return evtchn_request(irq, handler, irqflags, name, dev);
}

int xen_evtchn_bind_interdomain(domid_t remote_dom, evtchn_port_t remote_port,
				irq_handler_t handler, unsigned long irqflags,
				const char *name, void *dev)
{
	return evtchn_bind_interdomain(remote_dom, remote_port, false, handler,
				       irqflags, name, dev);
}
EXPORT_SYMBOL_GPL(xen_evtchn_bind_interdomain);

int xen_evtchn_bind_interdomain_late(domid_t remote_dom,
				     evtchn_port_t remote_port,
				     irq_handler_t handler,
				     unsigned long irqflags, const char *name,
				     void *dev)
{
	return evtchn_bind_interdomain(remote_dom, remote_port, true, handler,
				       irqflags, name, dev);
}
EXPORT_SYMBOL_GPL(xen_evtchn_bind_interdomain_late);

void xen_evtchn_unbind(int irq, void *dev)
{
	if (!evtchn_irq_binding(irq)) {
		WARN(1, "xen: unbinding irq %d, not an event channel\n", irq);
		return;
	}
	/* free_irq() complains by itself about a wrong @dev. */
	if (free_irq(irq, dev))
		evtchn_put(irq);
}
EXPORT_SYMBOL_GPL(xen_evtchn_unbind);

int xen_evtchn_alloc_unbound(domid_t remote_dom, evtchn_port_t *port)
{
	struct evtchn_alloc_unbound op = {
		.dom = DOMID_SELF,
		.remote_dom = remote_dom,
	};
	int rc;

	mutex_lock(&evtchn_bind_lock);
	rc = HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &op);
	if (!rc)
		rc = evtchn_check_new_port(op.port, "alloc_unbound");
	mutex_unlock(&evtchn_bind_lock);

	if (!rc)
		*port = op.port;
	return rc;
}
EXPORT_SYMBOL_GPL(xen_evtchn_alloc_unbound);

/* For ports without an irq; a bound port is closed by xen_evtchn_unbind(). */
void xen_evtchn_close(evtchn_port_t port)
{
	if (!evtchn_check_port(port, "close"))
		return;

	mutex_lock(&evtchn_bind_lock);
	if (evtchn_port_irq(port))
		WARN(1, "xen: port %u still has an irq, not closing it\n", port);
	else
		evtchn_close_port(port);
	mutex_unlock(&evtchn_bind_lock);
}
EXPORT_SYMBOL_GPL(xen_evtchn_close);

/* Any context. */
void xen_evtchn_notify(evtchn_port_t port)
{
	struct evtchn_send op = { .port = port };

	if (evtchn_check_port(port, "notify"))
		HYPERVISOR_event_channel_op(EVTCHNOP_send, &op);
}
EXPORT_SYMBOL_GPL(xen_evtchn_notify);

void xen_evtchn_notify_irq(int irq)
{
	evtchn_port_t port = xen_evtchn_from_irq(irq);

	if (port)
		xen_evtchn_notify(port);
}
EXPORT_SYMBOL_GPL(xen_evtchn_notify_irq);

void xen_send_ipi(unsigned int cpu, enum xen_ipi ipi)
{
	evtchn_port_t port;

	if (WARN_ON_ONCE(cpu >= nr_cpu_ids || (unsigned int)ipi >= XEN_IPI_NR))
		return;
	port = READ_ONCE(per_cpu(evtchn_ipi_port, cpu)[ipi]);
	if (WARN_ONCE(!port, "xen: IPI %d to CPU %u is not bound\n", ipi, cpu))
		return;
	xen_evtchn_notify(port);
}

bool xen_evtchn_is_pending(evtchn_port_t port)
{
	return evtchn_check_port(port, "is_pending") && evtchn_pending(port);
}
EXPORT_SYMBOL_GPL(xen_evtchn_is_pending);

void xen_evtchn_clear(evtchn_port_t port)
{
	if (evtchn_check_port(port, "clear"))
		evtchn_clear_pending(port);
}
EXPORT_SYMBOL_GPL(xen_evtchn_clear);
