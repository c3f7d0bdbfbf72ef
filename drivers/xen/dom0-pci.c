// SPDX-License-Identifier: GPL-2.0
/*
 * The control domain's PCI devices, reported to Xen.
 *
 * Xen owns the interrupt hardware, so it must know every device before a
 * driver asks for MSI on it (and before a device could be passed to a
 * guest): each device the PCI core adds is reported with
 * PHYSDEVOP_pci_device_add (virtual functions with their physical
 * function, ARI functions as extended functions), before its driver
 * binds, and withdrawn when the core removes it.  MMCONFIG areas the
 * firmware reserved are passed on too, so Xen may use them.
 *
 * Older hypervisors know only the manage_pci_add_ext/manage_pci_add
 * forms; they are tried when the newer one is unknown (-XEN_ENOSYS).
 */
#define pr_fmt(fmt) "xen-pci: " fmt

#include <linux/init.h>
#include <linux/notifier.h>
#include <linux/pci.h>
#include <asm/pci_x86.h>

#include <asm/xen/hypercall.h>
#include <xen/xen.h>

static int xen_pci_add_old(struct pci_dev *pdev)
{
	struct pci_dev *pf = pci_physfn(pdev);
	struct physdev_manage_pci_ext ext = {
		.bus = pdev->bus->number,
		.devfn = pdev->devfn,
		.is_virtfn = pf != pdev,
		.physfn = { .bus = pf->bus->number, .devfn = pf->devfn },
	};
	struct physdev_manage_pci manage = {
		.bus = pdev->bus->number,
		.devfn = pdev->devfn,
	};
	int rc;

	if (pci_domain_nr(pdev->bus))
		return -EOPNOTSUPP;	/* segment 0 only */
	rc = HYPERVISOR_physdev_op(PHYSDEVOP_manage_pci_add_ext, &ext);
	if (rc == -XEN_ENOSYS && pf == pdev)
		rc = HYPERVISOR_physdev_op(PHYSDEVOP_manage_pci_add, &manage);
	return rc;
}

static void xen_pci_add(struct pci_dev *pdev)
{
	struct pci_dev *pf = pci_physfn(pdev);
	struct physdev_pci_device_add add = {
		.seg = pci_domain_nr(pdev->bus),
		.bus = pdev->bus->number,
		.devfn = pdev->devfn,
	};
	int rc;

	if (pf != pdev) {
		add.flags = XEN_PCI_DEV_VIRTFN;
		add.physfn.bus = pf->bus->number;
		add.physfn.devfn = pf->devfn;
	} else if (pci_ari_enabled(pdev->bus) && PCI_SLOT(pdev->devfn)) {
		add.flags = XEN_PCI_DEV_EXTFN;
	}
	rc = HYPERVISOR_physdev_op(PHYSDEVOP_pci_device_add, &add);
	if (rc == -XEN_ENOSYS)
		rc = xen_pci_add_old(pdev);
	if (rc)
		pci_warn(pdev, "Xen refused the device: %d (no MSI for it)\n", rc);
}

static void xen_pci_remove(struct pci_dev *pdev)
{
	struct physdev_pci_device dev = {
		.seg = pci_domain_nr(pdev->bus),
		.bus = pdev->bus->number,
		.devfn = pdev->devfn,
	};
	struct physdev_manage_pci manage = {
		.bus = pdev->bus->number,
		.devfn = pdev->devfn,
	};
	int rc;

	rc = HYPERVISOR_physdev_op(PHYSDEVOP_pci_device_remove, &dev);
	if (rc == -XEN_ENOSYS && !dev.seg)
		rc = HYPERVISOR_physdev_op(PHYSDEVOP_manage_pci_remove, &manage);
	if (rc)
		pci_warn(pdev, "Xen would not forget the device: %d\n", rc);
}

static int xen_pci_notify(struct notifier_block *nb, unsigned long action,
			  void *data)
{
	struct pci_dev *pdev = to_pci_dev(data);

	if (action == BUS_NOTIFY_ADD_DEVICE)
		xen_pci_add(pdev);
	else if (action == BUS_NOTIFY_DEL_DEVICE)
		xen_pci_remove(pdev);
	return NOTIFY_OK;
}

static struct notifier_block xen_pci_nb = {
	.notifier_call = xen_pci_notify,
};

/* Before the PCI core scans its buses (subsys_initcall). */
static int __init xen_pci_init(void)
{
	if (!xen_initial_domain())
		return 0;
	return bus_register_notifier(&pci_bus_type, &xen_pci_nb);
}
arch_initcall(xen_pci_init);

#ifdef CONFIG_PCI_MMCONFIG
/* Once the PCI core has checked the firmware's MCFG areas. */
static int __init xen_pci_mmcfg_init(void)
{
	struct pci_mmcfg_region *cfg;
	int rc;

	if (!xen_initial_domain())
		return 0;
	list_for_each_entry(cfg, &pci_mmcfg_list, list) {
		struct physdev_pci_mmcfg_reserved r = {
			.address = cfg->address,
			.segment = cfg->segment,
			.start_bus = cfg->start_bus,
			.end_bus = cfg->end_bus,
			.flags = XEN_PCI_MMCFG_RESERVED,
		};

		rc = HYPERVISOR_physdev_op(PHYSDEVOP_pci_mmcfg_reserved, &r);
		if (rc && rc != -XEN_ENOSYS)
			pr_warn("MMCONFIG %pR: Xen said %d\n", &cfg->res, rc);
	}
	return 0;
}
late_initcall(xen_pci_mmcfg_init);
#endif
