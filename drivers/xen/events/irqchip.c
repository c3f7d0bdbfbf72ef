// SPDX-License-Identifier: GPL-2.0
/*
 * Ports as Linux irqs: one irq_chip for every port, and a table from port
 * to irq that the upcall looks up.  The irq keeps its port in
 * irq_data->hwirq, so the chip's callbacks find it without a lookup.
 *
 * There is no irq_domain: a domain ties an irq to one hwirq for life,
 * while a guest resumed in a new domain (suspend.c) gets new ports for
 * the same sources and must keep every driver's irq.  evtchn_irq_move()
 * gives an irq its new port.
 *
 * Movable ports (interdomain, adopted, global VIRQs) take handle_edge_irq:
 * Xen latches one "pending" bit per port, exactly an edge.  Per-vCPU VIRQs
 * and IPIs are tied to their CPU by Xen and take handle_percpu_irq.  Ports
 * bound for late EOI keep the edge flow with a chip of their own whose
 * ack also masks (late-eoi.c).
 */
#include <linux/cpumask.h>
#include <linux/init.h>
#include <linux/irq.h>
#include <linux/printk.h>
#include <linux/xarray.h>
#include <asm/xen/guest.h>
#include <asm/xen/hypercall.h>

#include "evtchn.h"

/* port -> irq, as xa_mk_value(irq); written under evtchn_bind_lock. */
static DEFINE_XARRAY(evtchn_port_irqs);

static evtchn_port_t evtchn_port_of(struct irq_data *d)
{
	return irqd_to_hwirq(d);
}

static void evtchn_irq_mask(struct irq_data *d)
{
	evtchn_mask(evtchn_port_of(d));
}

static void evtchn_irq_unmask(struct irq_data *d)
{
	evtchn_unmask(evtchn_port_of(d));
}

/* Clearing "pending" before the handler runs lets the port fire again. */
static void evtchn_irq_ack(struct irq_data *d)
{
	evtchn_clear_pending(evtchn_port_of(d));
}

static void evtchn_irq_mask_ack(struct irq_data *d)
{
	evtchn_mask(evtchn_port_of(d));
	evtchn_clear_pending(evtchn_port_of(d));
}

/* Replay an event: mark it pending again and let unmask raise the upcall. */
static int evtchn_irq_retrigger(struct irq_data *d)
{
	evtchn_port_t port = evtchn_port_of(d);
	bool was_masked = evtchn_test_and_mask(port);

	evtchn_set_pending(port);
	if (!was_masked)
		evtchn_unmask(port);
	return 1;
}

static bool evtchn_kind_is_percpu(enum evtchn_kind kind)
{
	return kind == EVTCHN_KIND_VIRQ_PERCPU || kind == EVTCHN_KIND_IPI;
}

/* The CPU an affinity request picks: nr_cpu_ids if none fits. */
unsigned int evtchn_affinity_cpu(const struct cpumask *dest, bool force)
{
	return force ? cpumask_first(dest) :
		       cpumask_first_and(dest, cpu_online_mask);
}

/*
 * Tell Xen to notify vCPU @to instead of @from for @port, then hand the
 * port over to @to's set.  The port is masked meanwhile; unmasking it
 * afterwards re-raises an event that came in during the move, now on the
 * new CPU.  For a PIRQ's port Xen moves the physical interrupt too.
 */
int evtchn_port_move(evtchn_port_t port, unsigned int from, unsigned int to)
{
	struct evtchn_bind_vcpu op = { .port = port, .vcpu = xen_vcpu_nr(to) };
	bool was_masked = evtchn_test_and_mask(port);
	int rc;

	rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_vcpu, &op);
	if (!rc)
		evtchn_set_cpu(port, from, to);
	if (!was_masked)
		evtchn_unmask(port);
	return rc;
}

/* Called with the irq descriptor lock held. */
static int evtchn_irq_set_affinity(struct irq_data *d,
				   const struct cpumask *dest, bool force)
{
	struct evtchn_binding *b = irq_data_get_irq_chip_data(d);
	unsigned int cpu = evtchn_affinity_cpu(dest, force);
	int rc;

	if (!b || evtchn_kind_is_percpu(b->kind) || cpu >= nr_cpu_ids)
		return -EINVAL;
	if (cpu != b->cpu) {
		rc = evtchn_port_move(b->port, b->cpu, cpu);
		if (rc)
			return rc;
		b->cpu = cpu;
	}
	irq_data_update_effective_affinity(d, cpumask_of(cpu));
	return IRQ_SET_MASK_OK;
}

static struct irq_chip evtchn_chip = {
	.name			= "xen-evtchn",
	.irq_mask		= evtchn_irq_mask,
	.irq_unmask		= evtchn_irq_unmask,
	.irq_ack		= evtchn_irq_ack,
	.irq_mask_ack		= evtchn_irq_mask_ack,
	.irq_set_affinity	= evtchn_irq_set_affinity,
	.irq_retrigger		= evtchn_irq_retrigger,
	.flags			= IRQCHIP_SKIP_SET_WAKE,
};

/* Late EOI ports (late-eoi.c): masked from the ack to the driver's EOI. */
static struct irq_chip evtchn_late_chip = {
	.name			= "xen-evtchn",
	.irq_mask		= evtchn_late_mask,
	.irq_unmask		= evtchn_late_unmask,
	.irq_ack		= evtchn_late_ack,
	.irq_mask_ack		= evtchn_late_mask_ack,
	.irq_set_affinity	= evtchn_irq_set_affinity,
	.irq_retrigger		= evtchn_irq_retrigger,
	.flags			= IRQCHIP_SKIP_SET_WAKE,
};

/*
 * Give b->port an irq.  The port must be masked and already in b->cpu's
 * set; it stays masked until request_irq() starts the irq up.
 * Returns the irq or -errno.
 */
int evtchn_irq_create(struct evtchn_binding *b)
{
	const struct cpumask *where = cpumask_of(b->cpu);
	struct irq_data *d;
	int irq, rc;

	irq = irq_alloc_desc(-1);
	if (irq < 0)
		return irq;

	irq_set_chip_data(irq, b);
	if (b->late)
		irq_set_chip_and_handler_name(irq, &evtchn_late_chip,
					      handle_edge_irq, "late-eoi");
	else
		irq_set_chip_and_handler_name(irq, &evtchn_chip,
					      handle_edge_irq, "edge");
	if (evtchn_kind_is_percpu(b->kind)) {
		irq_set_chip_and_handler_name(irq, &evtchn_chip,
					      handle_percpu_irq, "percpu");
		irq_set_status_flags(irq, IRQ_PER_CPU | IRQ_NO_BALANCING);
	} else {
		/*
		 * A move is two bit flips and a hypercall, fine in any
		 * context; without this flag the core would defer it to an
		 * irq_move_irq() call that this chip never makes.
		 */
		irq_set_status_flags(irq, IRQ_MOVE_PCNTXT);
	}

	d = irq_get_irq_data(irq);
	d->hwirq = b->port;
	irq_data_update_affinity(d, where);
	irq_data_update_effective_affinity(d, where);

	/* Published last: the upcall never finds a half-built irq. */
	rc = xa_err(xa_store(&evtchn_port_irqs, b->port, xa_mk_value(irq),
			     GFP_KERNEL));
	if (rc) {
		irq_free_desc(irq);
		return rc;
	}
	return irq;
}

/*
 * Forget the binding: irq_set_chip_data() takes the descriptor lock, so
 * an affinity change under way is finished and later ones are refused.
 */
void evtchn_irq_detach(unsigned int irq)
{
	irq_set_chip_data(irq, NULL);
}

/* The port must be masked and out of every CPU's set. */
void evtchn_irq_destroy(unsigned int irq)
{
	struct irq_data *d = irq_get_irq_data(irq);

	if (d->hwirq)
		xa_cmpxchg(&evtchn_port_irqs, d->hwirq, xa_mk_value(irq), NULL,
			   GFP_KERNEL);
	irq_free_desc(irq);
}

/* The irq bound to @port, or 0. */
unsigned int evtchn_port_irq(evtchn_port_t port)
{
	void *entry = xa_load(&evtchn_port_irqs, port);

	return entry ? xa_to_value(entry) : 0;
}

/*
 * Resume in a new domain: @irq's source now arrives on @port (0: it is
 * gone and the irq stays silent until its driver unbinds it).  The old
 * port numbers mean nothing any more; evtchn_irq_forget_ports() dropped
 * them from the table before the first move.  @port must be masked.
 * Allocates nothing when the table held @port before, which it did for
 * any port below the highest ever bound; otherwise it may fail (-ENOMEM)
 * and the source is lost.
 */
int evtchn_irq_move(unsigned int irq, evtchn_port_t port)
{
	struct irq_data *d = irq_get_irq_data(irq);

	d->hwirq = port;
	if (!port)
		return 0;
	return xa_err(xa_store(&evtchn_port_irqs, port, xa_mk_value(irq),
			       GFP_ATOMIC));
}

/*
 * Empty the table without freeing its nodes: a zero (reserved) entry
 * reads as NULL but keeps its slot, where storing NULL would erase it and
 * free the node, so the moves that follow need no memory.
 */
void evtchn_irq_forget_ports(void)
{
	XA_STATE(xas, &evtchn_port_irqs, 0);
	void *entry;

	xas_lock(&xas);
	xas_for_each(&xas, entry, ULONG_MAX)
		xas_store(&xas, XA_ZERO_ENTRY);
	xas_unlock(&xas);
}

static struct irq_data *evtchn_irq_data(int irq)
{
	struct irq_data *d;

	if (irq <= 0)
		return NULL;
	d = irq_get_irq_data(irq);
	if (!d || (d->chip != &evtchn_chip && d->chip != &evtchn_late_chip))
		return NULL;
	return d;
}

struct evtchn_binding *evtchn_irq_binding(unsigned int irq)
{
	struct irq_data *d = evtchn_irq_data(irq);

	return d ? irq_data_get_irq_chip_data(d) : NULL;
}

evtchn_port_t xen_evtchn_from_irq(int irq)
{
	struct irq_data *d = evtchn_irq_data(irq);

	return d ? evtchn_port_of(d) : 0;
}
EXPORT_SYMBOL_GPL(xen_evtchn_from_irq);

void __init xen_evtchn_init(void)
{
	unsigned int nr_ports;

	evtchn_2l_mask_all();
	if (evtchn_fifo_init())
		nr_ports = EVTCHN_FIFO_NR_CHANNELS;
	else
		nr_ports = EVTCHN_2L_NR_CHANNELS;

	pr_info("xen: %u event channels, %s ABI\n", nr_ports,
		evtchn_fifo_on ? "FIFO" : "2-level");
}
