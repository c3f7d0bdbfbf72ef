// SPDX-License-Identifier: GPL-2.0
/*
 * Event channels across a suspend (save/restore, migration, checkpoint).
 *
 * A checkpoint resumes in the same domain: every port is still there and
 * nothing is done.  A restore resumes in a new domain, which has none of
 * our ports: only the ones the toolstack made for xenstore and the
 * console, under numbers of its choosing.  Every binding keeps its irq,
 * so no driver has to notice, and gets its source back as it can:
 *
 *   VIRQs, IPIs    bound again here, by us, to the vCPU they had
 *   other ports    lost (port 0: the irq stays silent, its chip does
 *                  nothing) until their driver gives the irq the new port
 *                  (xen_evtchn_rebind(): xenstore, the console) or
 *                  unbinds it (a frontend reconnecting to its backend)
 *
 * xen_evtchn_resume() runs on one CPU inside stop_machine(), the others
 * spinning with interrupts off, and the task that suspends holds
 * evtchn_bind_lock: no bind or unbind runs meanwhile, nothing here sleeps
 * and the only allocation is an xarray slot for a port number never used
 * before (GFP_ATOMIC; on failure that source is lost, loudly).
 *
 * Trusted: Xen.  Its port numbers still go through the same range checks
 * as at bind time.
 */
#include <linux/export.h>
#include <linux/irq.h>
#include <linux/printk.h>
#include <asm/xen/guest.h>
#include <asm/xen/hypercall.h>

#include "evtchn.h"

void xen_evtchn_suspend_lock(void)
{
	mutex_lock(&evtchn_bind_lock);
}

void xen_evtchn_suspend_unlock(void)
{
	mutex_unlock(&evtchn_bind_lock);
}

/*
 * Unmask a binding's new port if the old one was unmasked: the irq core
 * records in IRQD_IRQ_MASKED whether the chip masked it (a lazily
 * disabled irq, as suspend_device_irqs() leaves them, is not); a late EOI
 * port is also held while an EOI is owed or put off (late-eoi.c).
 */
void evtchn_resume_unmask(struct evtchn_binding *b)
{
	if (b->late)
		evtchn_late_rearm(b);
	else if (!irqd_irq_masked(irq_get_irq_data(b->irq)))
		evtchn_unmask(b->port);
}

/* Xen's new port for @b's VIRQ or IPI, on the vCPU it was bound to. */
static int evtchn_resume_open(struct evtchn_binding *b, evtchn_port_t *port)
{
	struct evtchn_bind_virq virq;
	struct evtchn_bind_ipi ipi;
	int rc;

	switch (b->kind) {
	case EVTCHN_KIND_VIRQ:
	case EVTCHN_KIND_VIRQ_PERCPU:
		/* Global VIRQs are bound on vCPU 0, then moved. */
		virq.virq = b->index;
		virq.vcpu = xen_vcpu_nr(b->kind == EVTCHN_KIND_VIRQ ? 0 : b->cpu);
		rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &virq);
		*port = virq.port;
		return rc;
	case EVTCHN_KIND_IPI:
		ipi.vcpu = xen_vcpu_nr(b->cpu);
		rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_ipi, &ipi);
		*port = ipi.port;
		return rc;
	case EVTCHN_KIND_PORT:
		break;
	}
	return -ENOENT;
}

/* A global VIRQ arrives on vCPU 0 until it is moved where it was. */
static void evtchn_resume_move(struct evtchn_binding *b)
{
	struct evtchn_bind_vcpu op = {
		.port = b->port,
		.vcpu = xen_vcpu_nr(b->cpu),
	};
	int rc;

	if (b->kind != EVTCHN_KIND_VIRQ || b->cpu == 0)
		return;
	rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_vcpu, &op);
	if (!rc)
		return;
	pr_warn("xen: resume: VIRQ %u stays on CPU 0: %d\n", b->index, rc);
	b->cpu = 0;
	irq_data_update_effective_affinity(irq_get_irq_data(b->irq),
					   cpumask_of(0));
}

static void evtchn_resume_one(struct evtchn_binding *b)
{
	evtchn_port_t port = 0;
	int rc;

	b->port = 0;
	rc = evtchn_resume_open(b, &port);
	if (rc == -ENOENT)
		goto lost;	/* its driver rebinds or unbinds it */
	if (!rc && (!evtchn_check_port(port, "resume") ||
		    !evtchn_port_ready(port)))
		rc = -EIO;
	if (!rc)
		rc = evtchn_irq_move(b->irq, port);
	if (rc) {
		pr_err("xen: resume: %s %u of CPU%u not bound again: %d\n",
		       b->kind == EVTCHN_KIND_IPI ? "IPI" : "VIRQ", b->index,
		       b->cpu, rc);
		if (port)
			evtchn_close_port(port);
		goto lost;
	}

	b->port = port;
	evtchn_resume_move(b);
	evtchn_set_cpu(port, b->cpu, b->cpu);
	/*
	 * No IPI was in flight: stop_machine() waits for every CPU, and a
	 * CPU waiting for another to take its IPI never got there.
	 */
	if (b->kind == EVTCHN_KIND_IPI)
		WRITE_ONCE(per_cpu(evtchn_ipi_port, b->cpu)[b->index], port);
	evtchn_resume_unmask(b);
	return;
lost:
	evtchn_irq_move(b->irq, 0);
	if (b->kind == EVTCHN_KIND_IPI)
		WRITE_ONCE(per_cpu(evtchn_ipi_port, b->cpu)[b->index], 0);
}

/**
 * xen_evtchn_resume - bind every VIRQ and IPI again in a new domain
 *
 * On the CPU that suspended, inside stop_machine(), before interrupts are
 * enabled anywhere, with the vCPUs' vcpu_info already registered.
 */
void xen_evtchn_resume(void)
{
	struct evtchn_binding *b;

	if (evtchn_fifo_on)
		evtchn_fifo_resume();
	else
		evtchn_2l_forget_cpus();
	evtchn_irq_forget_ports();

	list_for_each_entry(b, &evtchn_bindings, node)
		evtchn_resume_one(b);
}

/**
 * xen_evtchn_rebind - give an irq the port its source has after a resume
 * @irq: bound with xen_evtchn_bind_port*() or xen_evtchn_bind_interdomain*()
 * @port: the source's port in the new domain
 *
 * For the sources whose new port only their driver knows (xenstore and
 * the console: the toolstack puts theirs in start_info).  The irq keeps
 * its handler, its CPU and its enabled state; an event is raised at once
 * so that the driver looks at its ring.  Returns 0 or -errno, and the irq
 * stays silent then.
 */
int xen_evtchn_rebind(int irq, evtchn_port_t port)
{
	struct evtchn_binding *b;
	int rc;

	if (!evtchn_check_port(port, "rebind"))
		return -EINVAL;
	rc = evtchn_setup_port(port);
	if (rc)
		return rc;

	mutex_lock(&evtchn_bind_lock);
	b = evtchn_irq_binding(irq);
	if (!b || b->kind != EVTCHN_KIND_PORT || b->port)
		rc = -EINVAL;
	else if (evtchn_port_irq(port))
		rc = -EBUSY;
	else
		rc = evtchn_irq_move(irq, port);
	if (!rc) {
		b->port = port;
		/* Xen delivers a new port to vCPU 0; b->cpu is where it was. */
		b->cpu = 0;
		irq_data_update_effective_affinity(irq_get_irq_data(irq),
						   cpumask_of(0));
		evtchn_mask(port);
		evtchn_set_cpu(port, 0, 0);
		evtchn_set_pending(port);
		evtchn_resume_unmask(b);
	}
	mutex_unlock(&evtchn_bind_lock);
	return rc;
}
EXPORT_SYMBOL_GPL(xen_evtchn_rebind);
