// SPDX-License-Identifier: GPL-2.0
/*
 * Physical interrupts of the control domain (PIRQs).
 *
 * Xen owns the local APICs and the IOAPICs, so a device interrupt reaches
 * dom0 as an event: a GSI is registered with Xen (PHYSDEVOP_setup_gsi
 * programs its trigger mode and polarity, PHYSDEVOP_map_pirq gives it a
 * pirq number), and while its irq is requested the pirq is bound to an
 * event channel (EVTCHNOP_bind_pirq).  A GSI's irq number is the GSI
 * itself: the arch code keeps dynamic irqs above the GSI range
 * (gsi_top), so ACPI, ISA drivers and the PCI core all find the irq they
 * expect.
 *
 * Unlike the other kinds of port, a pirq port exists only while its irq
 * is requested, so it is not in the event channel irq domain; the upcall
 * looks ports it does not know up here (evtchn_pirq_dispatch()).
 *
 * Acknowledging: Xen keeps a level-triggered line masked in the IOAPIC
 * until we say we are done with it (PHYSDEVOP_eoi).  Which pirqs need that
 * Xen says in a bitmap page we register (PHYSDEVOP_pirq_eoi_gmfn_v2), or,
 * on a Xen without one, per pirq when asked (PHYSDEVOP_irq_status_query).
 * Level pirqs take handle_fasteoi_irq (the EOI after the handler), edge
 * ones handle_edge_irq (cleared and acknowledged before it).
 *
 * Affinity: Xen notifies the vCPU a port is bound to and moves the
 * physical interrupt after it (EVTCHNOP_bind_vcpu), so /proc/irq/N/
 * smp_affinity and irqbalance work as on bare metal, one CPU at a time.
 *
 * MSI and MSI-X work the same way, with dynamic irq numbers: Xen maps a
 * device's vectors to pirqs (PHYSDEVOP_map_pirq, MAP_PIRQ_TYPE_MSI_SEG or
 * _MULTI_MSI) and programs the device's MSI capability and MSI-X table
 * itself; dom0 neither writes MSI messages nor touches mask bits
 * (pci_msi_ignore_mask).  The PCI MSI domain (xen_pirq_create_msi_domain)
 * only allocates and frees; freeing unmaps the pirqs.
 *
 * Everything here comes from the kernel's own ACPI and PCI code or from
 * Xen; nothing from other domains.
 */
#define pr_fmt(fmt) "xen-pirq: " fmt

#include <linux/bitops.h>
#include <linux/gfp.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/msi.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/xarray.h>
#include <asm/xen/hypercall.h>
#include <asm/xen/hypervisor.h>
#include <asm/xen/page.h>

#include <xen/xen.h>

#include "evtchn.h"

struct evtchn_pirq {
	unsigned int irq;
	unsigned int pirq;
	unsigned int gsi;	/* ~0U for an MSI */
	bool level;
	bool needs_eoi;		/* from irq_status_query, without the bitmap */
	evtchn_port_t port;	/* 0 while nobody has requested the irq */
	unsigned int cpu;	/* the vCPU Xen notifies, or will once bound */
};

static DEFINE_MUTEX(pirq_lock);
/* Bound port -> irq, for the upcall (RCU-safe lookups). */
static DEFINE_XARRAY(pirq_ports);
/* Xen's "needs EOI" bit per pirq, if Xen took the page. */
static unsigned long *pirq_eoi_map;

/* ---- EOI ----------------------------------------------------------------- */

static bool pirq_needs_eoi(struct evtchn_pirq *p)
{
	if (pirq_eoi_map)
		return test_bit(p->pirq, pirq_eoi_map);
	return p->needs_eoi;
}

static void pirq_eoi(struct evtchn_pirq *p)
{
	struct physdev_eoi eoi = { .irq = p->pirq };

	if (pirq_needs_eoi(p))
		WARN_ON_ONCE(HYPERVISOR_physdev_op(PHYSDEVOP_eoi, &eoi));
}

static void pirq_query_eoi(struct evtchn_pirq *p)
{
	struct physdev_irq_status_query q = { .irq = p->pirq };

	if (pirq_eoi_map)
		return;
	p->needs_eoi = !HYPERVISOR_physdev_op(PHYSDEVOP_irq_status_query, &q) &&
		       (q.flags & XENIRQSTAT_needs_eoi);
}

/* ---- the irq_chip ----------------------------------------------------------- */

static struct evtchn_pirq *pirq_of(struct irq_data *d)
{
	return irq_data_get_irq_chip_data(d);
}

/*
 * The port lives from the first request_irq() to the last free_irq():
 * these two run in process context, unlike startup and shutdown, so the
 * FIFO ABI may add event words for the port here.  The port and its CPU
 * change under the descriptor's lock, which pirq_set_affinity() (a write
 * to /proc/irq/N/smp_affinity at any time) holds too.
 */
static int pirq_request_resources(struct irq_data *d)
{
	struct evtchn_pirq *p = pirq_of(d);
	struct evtchn_bind_pirq op = {
		.pirq = p->pirq,
		.flags = p->level ? BIND_PIRQ__WILL_SHARE : 0,
	};
	struct irq_desc *desc = irq_data_to_desc(d);
	struct evtchn_close close;
	unsigned long flags;
	int rc;

	rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_pirq, &op);
	if (!rc && !evtchn_port_valid(op.port))
		rc = -EIO;
	if (rc) {
		pr_warn("EVTCHNOP_bind_pirq(%u) for GSI %u: %d\n", p->pirq,
			p->gsi, rc);
		return rc;
	}
	evtchn_mask(op.port);
	rc = evtchn_setup_port(op.port) ?:
	     xa_err(xa_store(&pirq_ports, op.port, xa_mk_value(p->irq),
			     GFP_KERNEL));
	if (rc) {
		close.port = op.port;
		HYPERVISOR_event_channel_op(EVTCHNOP_close, &close);
		return rc;
	}
	pirq_query_eoi(p);
	/* Bound to vCPU 0; the startup then applies the irq's affinity. */
	raw_spin_lock_irqsave(&desc->lock, flags);
	evtchn_set_cpu(op.port, 0, 0);
	p->cpu = 0;
	irq_data_update_effective_affinity(d, cpumask_of(0));
	p->port = op.port;
	raw_spin_unlock_irqrestore(&desc->lock, flags);
	return 0;
}

static void pirq_release_resources(struct irq_data *d)
{
	struct evtchn_pirq *p = pirq_of(d);
	struct irq_desc *desc = irq_data_to_desc(d);
	struct evtchn_close close = { .port = p->port };
	unsigned long flags;

	evtchn_mask(close.port);
	xa_erase(&pirq_ports, close.port);
	raw_spin_lock_irqsave(&desc->lock, flags);
	evtchn_drop_cpu(close.port, p->cpu);
	p->port = 0;
	raw_spin_unlock_irqrestore(&desc->lock, flags);
	if (HYPERVISOR_event_channel_op(EVTCHNOP_close, &close))
		pr_warn("closing the port of pirq %u failed\n", p->pirq);
}

static unsigned int pirq_startup(struct irq_data *d)
{
	struct evtchn_pirq *p = pirq_of(d);

	evtchn_unmask(p->port);
	/* An interrupt that came before we were bound still wants its EOI. */
	pirq_eoi(p);
	return 0;
}

static void pirq_shutdown(struct irq_data *d)
{
	evtchn_mask(pirq_of(d)->port);
}

static void pirq_mask(struct irq_data *d)
{
	struct evtchn_pirq *p = pirq_of(d);

	if (p->port)
		evtchn_mask(p->port);
}

static void pirq_unmask(struct irq_data *d)
{
	struct evtchn_pirq *p = pirq_of(d);

	if (p->port)
		evtchn_unmask(p->port);
}

/* Edge: before the handler, so the next edge is caught. */
static void pirq_ack(struct irq_data *d)
{
	struct evtchn_pirq *p = pirq_of(d);

	if (!p->port)
		return;
	evtchn_clear_pending(p->port);
	pirq_eoi(p);
}

/* Level: after the handler, so the line is only unmasked once quiet. */
static void pirq_fasteoi(struct irq_data *d)
{
	pirq_ack(d);
}

/*
 * Xen delivers the port to one vCPU and moves the physical interrupt
 * after it.  An irq not requested yet has no port: its startup calls
 * this again once bound.  Called with the irq descriptor lock held.
 */
static int pirq_set_affinity(struct irq_data *d, const struct cpumask *dest,
			     bool force)
{
	struct evtchn_pirq *p = pirq_of(d);
	unsigned int cpu = evtchn_affinity_cpu(dest, force);
	int rc;

	if (cpu >= nr_cpu_ids)
		return -EINVAL;
	if (p->port && cpu != p->cpu) {
		rc = evtchn_port_move(p->port, p->cpu, cpu);
		if (rc)
			return rc;
	}
	p->cpu = cpu;
	irq_data_update_effective_affinity(d, cpumask_of(cpu));
	return IRQ_SET_MASK_OK;
}

static struct irq_chip pirq_chip = {
	.name		= "xen-pirq",
	.irq_request_resources	= pirq_request_resources,
	.irq_release_resources	= pirq_release_resources,
	.irq_startup	= pirq_startup,
	.irq_shutdown	= pirq_shutdown,
	.irq_mask	= pirq_mask,
	.irq_unmask	= pirq_unmask,
	.irq_ack	= pirq_ack,
	.irq_eoi	= pirq_fasteoi,
	.irq_set_affinity = pirq_set_affinity,
	.flags		= IRQCHIP_SKIP_SET_WAKE,
};

/* ---- the upcall's side ------------------------------------------------------ */

bool evtchn_pirq_dispatch(evtchn_port_t port)
{
	void *entry = xa_load(&pirq_ports, port);

	if (!entry)
		return false;
	generic_handle_irq(xa_to_value(entry));
	return true;
}

/* ---- registering GSIs ------------------------------------------------------- */

/* Under pirq_lock: the pirq behind @irq if it is one of ours. */
static struct evtchn_pirq *pirq_lookup(unsigned int irq)
{
	struct irq_data *d = irq_get_irq_data(irq);

	return d && irq_data_get_irq_chip(d) == &pirq_chip ? pirq_of(d) : NULL;
}

int xen_pirq_register_gsi(unsigned int gsi, bool level, bool active_low)
{
	struct physdev_setup_gsi setup = {
		.gsi = gsi,
		.triggering = level,
		.polarity = active_low,
	};
	struct physdev_map_pirq map = {
		.domid = DOMID_SELF,
		.type = MAP_PIRQ_TYPE_GSI,
		.index = gsi,
		.pirq = gsi,
	};
	struct evtchn_pirq *p;
	int rc, irq;

	mutex_lock(&pirq_lock);
	p = pirq_lookup(gsi);
	if (p) {
		irq = p->irq;
		goto out;
	}
	/* -EEXIST: set up before (by Xen for its own needs, or by us). */
	rc = HYPERVISOR_physdev_op(PHYSDEVOP_setup_gsi, &setup);
	if (rc && rc != -EEXIST)
		pr_debug("PHYSDEVOP_setup_gsi(%u): %d\n", gsi, rc);
	rc = HYPERVISOR_physdev_op(PHYSDEVOP_map_pirq, &map);
	if (rc) {
		pr_warn("PHYSDEVOP_map_pirq(GSI %u): %d\n", gsi, rc);
		irq = rc;
		goto out;
	}
	irq = -ENOMEM;
	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		goto out;
	irq = irq_alloc_desc_at(gsi, -1);
	if (irq < 0) {
		pr_warn("GSI %u: irq %u is taken: %d\n", gsi, gsi, irq);
		kfree(p);
		goto out;
	}
	p->irq = irq;
	p->gsi = gsi;
	p->pirq = map.pirq;
	p->level = level;
	irq_set_chip_data(irq, p);
	irq_set_chip_and_handler_name(irq, &pirq_chip,
				      level ? handle_fasteoi_irq : handle_edge_irq,
				      level ? "level" : "edge");
	/* The move is a hypercall: done at once, not at the next interrupt. */
	irq_set_status_flags(irq, IRQ_MOVE_PCNTXT | (level ? IRQ_LEVEL : 0));
	pr_debug("GSI %u -> pirq %u (%s, active %s)\n", gsi, p->pirq,
		 level ? "level" : "edge", active_low ? "low" : "high");
out:
	mutex_unlock(&pirq_lock);
	return irq;
}

/* ---- MSI and MSI-X ----------------------------------------------------------- */

#ifdef CONFIG_PCI_MSI

/* The pirqs Xen gave the device's vectors; first in *@pirq, 0 or -errno. */
static int pirq_map_msi(struct pci_dev *pdev, struct msi_desc *desc, int nvec,
			int *pirq)
{
	struct physdev_map_pirq map = {
		.domid = DOMID_SELF,
		.type = MAP_PIRQ_TYPE_MSI_SEG,
		.index = -1,
		.pirq = -1,
		.bus = pdev->bus->number | (pci_domain_nr(pdev->bus) << 16),
		.devfn = pdev->devfn,
	};
	int rc;

	if (desc->pci.msi_attrib.is_msix) {
		u32 table;
		unsigned int bir;

		pci_read_config_dword(pdev, pdev->msix_cap + PCI_MSIX_TABLE, &table);
		bir = table & PCI_MSIX_TABLE_BIR;
		map.entry_nr = desc->msi_index;
		map.table_base = pci_resource_start(pdev, bir);
	} else if (nvec > 1) {
		map.type = MAP_PIRQ_TYPE_MULTI_MSI;
		map.entry_nr = nvec;
	}
	rc = HYPERVISOR_physdev_op(PHYSDEVOP_map_pirq, &map);
	if (rc == -EINVAL && map.type == MAP_PIRQ_TYPE_MSI_SEG &&
	    !pci_domain_nr(pdev->bus)) {
		/* A Xen without segment support. */
		map.type = MAP_PIRQ_TYPE_MSI;
		map.bus = pdev->bus->number;
		rc = HYPERVISOR_physdev_op(PHYSDEVOP_map_pirq, &map);
	}
	if (rc) {
		pci_warn(pdev, "PHYSDEVOP_map_pirq(MSI%s %u): %d\n",
			 desc->pci.msi_attrib.is_msix ? "-X" : "",
			 desc->msi_index, rc);
		return rc;
	}
	*pirq = map.pirq;
	return 0;
}

static void pirq_unmap(unsigned int pirq)
{
	struct physdev_unmap_pirq unmap = { .domid = DOMID_SELF, .pirq = pirq };

	WARN_ON(HYPERVISOR_physdev_op(PHYSDEVOP_unmap_pirq, &unmap));
}

/* A dynamic irq with the pirq chip for one MSI vector. */
static int pirq_new_msi_irq(struct msi_desc *desc, unsigned int pirq)
{
	struct evtchn_pirq *p = kzalloc(sizeof(*p), GFP_KERNEL);
	int irq;

	if (!p)
		return -ENOMEM;
	irq = irq_alloc_desc(-1);
	if (irq < 0) {
		kfree(p);
		return irq;
	}
	p->irq = irq;
	p->gsi = ~0U;
	p->pirq = pirq;
	irq_set_chip_data(irq, p);
	irq_set_chip_and_handler_name(irq, &pirq_chip, handle_edge_irq, "msi");
	irq_set_status_flags(irq, IRQ_MOVE_PCNTXT);
	irq_set_msi_desc(irq, desc);
	return irq;
}

static void pirq_free_msi_irq(unsigned int irq)
{
	struct irq_data *d = irq_get_irq_data(irq);
	struct evtchn_pirq *p = d ? pirq_of(d) : NULL;

	if (!p)
		return;
	irq_set_msi_desc(irq, NULL);
	irq_free_desc(irq);
	kfree(p);
}

static void pirq_msi_free_irqs(struct irq_domain *domain, struct device *dev)
{
	struct msi_desc *desc;
	unsigned int i;

	msi_device_destroy_sysfs(dev);
	msi_for_each_desc(desc, dev, MSI_DESC_ASSOCIATED) {
		struct evtchn_pirq *p = pirq_of(irq_get_irq_data(desc->irq));
		unsigned int first = p->pirq, n = desc->nvec_used, irq = desc->irq;

		for (i = 0; i < n; i++)
			pirq_free_msi_irq(irq + i);
		/* A multi-MSI block is mapped, and unmapped, as one. */
		pirq_unmap(first);
		desc->irq = 0;
	}
}

static int pirq_msi_alloc_irqs(struct irq_domain *domain, struct device *dev,
			       int nvec)
{
	struct pci_dev *pdev = to_pci_dev(dev);
	struct msi_desc *desc;
	int pirq, irq, rc;
	unsigned int i, n;

	msi_for_each_desc(desc, dev, MSI_DESC_NOTASSOCIATED) {
		n = desc->pci.msi_attrib.is_msix ? 1 : nvec;
		rc = pirq_map_msi(pdev, desc, n, &pirq);
		if (rc)
			goto fail;
		for (i = 0; i < n; i++) {
			irq = pirq_new_msi_irq(desc, pirq + i);
			if (irq < 0) {
				while (i--)
					pirq_free_msi_irq(desc->irq + i);
				pirq_unmap(pirq);
				rc = irq;
				goto fail;
			}
			if (!i)
				desc->irq = irq;
			else if (irq != desc->irq + i)
				pci_warn(pdev, "multi-MSI irqs not consecutive\n");
		}
		desc->nvec_used = n;
	}
	/* The core fills msi_irqs/ only when it allocates the irqs itself. */
	rc = msi_device_populate_sysfs(dev);
	if (rc)
		goto fail;
	return 0;
fail:
	pirq_msi_free_irqs(domain, dev);
	return rc;
}

static struct msi_domain_ops pirq_msi_ops = {
	.domain_alloc_irqs	= pirq_msi_alloc_irqs,
	.domain_free_irqs	= pirq_msi_free_irqs,
};

static struct msi_domain_info pirq_msi_info = {
	.flags	= MSI_FLAG_PCI_MSIX | MSI_FLAG_MULTI_PCI_MSI,
	.ops	= &pirq_msi_ops,
};

struct irq_domain * __init xen_pirq_create_msi_domain(void)
{
	struct fwnode_handle *fn = irq_domain_alloc_named_fwnode("XEN-MSI");
	struct irq_domain *d;

	if (!fn)
		return NULL;
	d = msi_create_irq_domain(fn, &pirq_msi_info, NULL);
	if (!d) {
		irq_domain_free_fwnode(fn);
		return NULL;
	}
	/* Xen owns the mask bits and the messages. */
	pci_msi_ignore_mask = 1;
	return d;
}
#endif /* CONFIG_PCI_MSI */

/*
 * After a resume the PCI core would rewrite MSI messages; in the control
 * domain Xen owns them and is asked to restore them instead.  False: the
 * core must not write them itself.
 */
bool xen_dom0_restore_msi(struct pci_dev *pdev)
{
	struct physdev_pci_device dev = {
		.seg = pci_domain_nr(pdev->bus),
		.bus = pdev->bus->number,
		.devfn = pdev->devfn,
	};
	struct physdev_restore_msi old = {
		.bus = pdev->bus->number,
		.devfn = pdev->devfn,
	};
	int rc;

	if (!xen_initial_domain())
		return true;
	rc = HYPERVISOR_physdev_op(PHYSDEVOP_restore_msi_ext, &dev);
	if (rc == -XEN_ENOSYS && !dev.seg)
		rc = HYPERVISOR_physdev_op(PHYSDEVOP_restore_msi, &old);
	if (rc)
		pci_warn(pdev, "Xen did not restore its MSIs: %d\n", rc);
	return false;
}

/* Once, before any pirq is bound. */
void __init xen_pirq_init(void)
{
	struct physdev_pirq_eoi_gmfn eoi;
	void *page = (void *)get_zeroed_page(GFP_KERNEL);

	if (!page)
		return;
	eoi.gmfn = virt_to_mfn(page);
	if (HYPERVISOR_physdev_op(PHYSDEVOP_pirq_eoi_gmfn_v2, &eoi)) {
		/* An old Xen: ask per pirq instead. */
		free_page((unsigned long)page);
		return;
	}
	pirq_eoi_map = page;
}
