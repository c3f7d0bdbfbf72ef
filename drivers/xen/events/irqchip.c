// SPDX-License-Identifier: GPL-2.0
/*
 * Ports as Linux irqs: one irq_chip for every port and a linear irq_domain
 * whose hwirq numbers are the port numbers, so the upcall turns a port
 * into an irq with one array lookup and /proc/interrupts shows the port.
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
#include <linux/irqdomain.h>
#include <linux/printk.h>
#include <asm/xen/guest.h>
#include <asm/xen/hypercall.h>

#include "evtchn.h"

struct irq_domain *evtchn_domain;

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

/*
 * Tell Xen to notify another vCPU, then hand the port over to that CPU's
 * set.  The port is masked meanwhile; unmasking it afterwards re-raises
 * an event that came in during the move, now on the new CPU.
 * Called with the irq descriptor lock held.
 */
static int evtchn_irq_set_affinity(struct irq_data *d,
				   const struct cpumask *dest, bool force)
{
	struct evtchn_binding *b = irq_data_get_irq_chip_data(d);
	struct evtchn_bind_vcpu op;
	unsigned int cpu;
	bool was_masked;
	int rc;

	if (!b || evtchn_kind_is_percpu(b->kind))
		return -EINVAL;

	if (force)
		cpu = cpumask_first(dest);
	else
		cpu = cpumask_first_and(dest, cpu_online_mask);
	if (cpu >= nr_cpu_ids)
		return -EINVAL;

	if (cpu != b->cpu) {
		op.port = b->port;
		op.vcpu = xen_vcpu_nr(cpu);

		was_masked = evtchn_test_and_mask(b->port);
		rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_vcpu, &op);
		if (!rc) {
			evtchn_set_cpu(b->port, b->cpu, cpu);
			b->cpu = cpu;
		}
		if (!was_masked)
			evtchn_unmask(b->port);
		if (rc)
			return rc;
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

/* Runs before the mapping is published: a lookup never finds a bare irq. */
static int evtchn_domain_map(struct irq_domain *dom, unsigned int irq,
			     irq_hw_number_t port)
{
	irq_set_chip_and_handler_name(irq, &evtchn_chip, handle_edge_irq,
				      "edge");
	return 0;
}

static const struct irq_domain_ops evtchn_domain_ops = {
	.map = evtchn_domain_map,
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
	unsigned int irq;

	irq = irq_create_mapping(evtchn_domain, b->port);
	if (!irq)
		return -ENOMEM;

	irq_set_chip_data(irq, b);
	if (b->late)
		irq_set_chip_and_handler_name(irq, &evtchn_late_chip,
					      handle_edge_irq, "late-eoi");
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
	irq_data_update_affinity(d, where);
	irq_data_update_effective_affinity(d, where);
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
	irq_dispose_mapping(irq);
}

static struct irq_data *evtchn_irq_data(int irq)
{
	struct irq_data *d;

	if (irq <= 0)
		return NULL;
	d = irq_get_irq_data(irq);
	if (!d || d->domain != evtchn_domain)
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

/*
 * Ports below 4096 (all of the 2-level ABI's) get a direct lookup table;
 * the FIFO ABI's higher ports, rare outside a busy dom0, a radix tree.
 */
void __init xen_evtchn_init(void)
{
	struct fwnode_handle *fwnode;
	unsigned int nr_ports;

	evtchn_2l_mask_all();
	if (evtchn_fifo_init())
		nr_ports = EVTCHN_FIFO_NR_CHANNELS;
	else
		nr_ports = EVTCHN_2L_NR_CHANNELS;

	fwnode = irq_domain_alloc_named_fwnode("xen-evtchn");
	if (!fwnode)
		panic("Xen: no memory for the event channel irq domain\n");
	evtchn_domain = __irq_domain_add(fwnode, EVTCHN_2L_NR_CHANNELS,
					 nr_ports, 0, &evtchn_domain_ops, NULL);
	if (!evtchn_domain)
		panic("Xen: cannot create the event channel irq domain\n");

	pr_info("xen: %u event channels, %s ABI\n", nr_ports,
		evtchn_fifo_on ? "FIFO" : "2-level");
}
