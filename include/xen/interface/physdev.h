/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Xen guest ABI: HYPERVISOR_physdev_op(), physical IRQs, I/O privilege
 * and PCI devices (mostly for dom0).
 */
#ifndef __XEN_INTERFACE_PHYSDEV_H__
#define __XEN_INTERFACE_PHYSDEV_H__

#include <xen/interface/xen.h>

/* Commands; the argument is named after each. */
#define PHYSDEVOP_IRQ_UNMASK_NOTIFY	4  /* legacy */
#define PHYSDEVOP_irq_status_query	5
#define PHYSDEVOP_set_iopl		6
#define PHYSDEVOP_set_iobitmap		7
#define PHYSDEVOP_apic_read		8
#define PHYSDEVOP_apic_write		9
#define PHYSDEVOP_alloc_irq_vector	10
#define PHYSDEVOP_free_irq_vector	11
#define PHYSDEVOP_eoi			12
#define PHYSDEVOP_map_pirq		13
#define PHYSDEVOP_unmap_pirq		14
#define PHYSDEVOP_manage_pci_add	15
#define PHYSDEVOP_manage_pci_remove	16
#define PHYSDEVOP_pirq_eoi_gmfn_v1	17
#define PHYSDEVOP_restore_msi		19
#define PHYSDEVOP_manage_pci_add_ext	20
#define PHYSDEVOP_setup_gsi		21
#define PHYSDEVOP_get_free_pirq		23
#define PHYSDEVOP_pci_mmcfg_reserved	24
#define PHYSDEVOP_pci_device_add	25
#define PHYSDEVOP_pci_device_remove	26 /* physdev_pci_device */
#define PHYSDEVOP_restore_msi_ext	27 /* physdev_pci_device */
#define PHYSDEVOP_pirq_eoi_gmfn_v2	28
#define PHYSDEVOP_dbgp_op		29
#define PHYSDEVOP_prepare_msix		30 /* physdev_pci_device */
#define PHYSDEVOP_release_msix		31 /* physdev_pci_device */

#define PHYSDEVOP_pirq_eoi_gmfn		PHYSDEVOP_pirq_eoi_gmfn_v2

/* physdev_irq_status_query.flags */
#define _XENIRQSTAT_needs_eoi	(0)	/* PHYSDEVOP_eoi when handled */
#define XENIRQSTAT_needs_eoi	(1U << _XENIRQSTAT_needs_eoi)
#define _XENIRQSTAT_shared	(1)	/* shared with another domain */
#define XENIRQSTAT_shared	(1U << _XENIRQSTAT_shared)

/* physdev_map_pirq.type */
#define MAP_PIRQ_TYPE_MSI		0x0
#define MAP_PIRQ_TYPE_GSI		0x1
#define MAP_PIRQ_TYPE_UNKNOWN		0x2
#define MAP_PIRQ_TYPE_MSI_SEG		0x3
#define MAP_PIRQ_TYPE_MULTI_MSI		0x4

/* physdev_pci_mmcfg_reserved.flags */
#define XEN_PCI_MMCFG_RESERVED		0x1

/* physdev_pci_device_add.flags */
#define XEN_PCI_DEV_EXTFN		0x1
#define XEN_PCI_DEV_VIRTFN		0x2
#define XEN_PCI_DEV_PXM			0x4	/* optarr[0] is the proximity */

/* physdev_dbgp_op.op and .bus */
#define PHYSDEVOP_DBGP_RESET_PREPARE	1
#define PHYSDEVOP_DBGP_RESET_DONE	2
#define PHYSDEVOP_DBGP_BUS_UNKNOWN	0
#define PHYSDEVOP_DBGP_BUS_PCI		1

#ifndef __ASSEMBLY__

/* Tell Xen the guest finished handling irq. */
struct physdev_eoi {
	u32 irq;
};

DEFINE_GUEST_HANDLE_STRUCT(physdev_eoi);

/* A page in which Xen sets a bit for each PIRQ that needs an EOI. */
struct physdev_pirq_eoi_gmfn {
	xen_pfn_t gmfn;
};

DEFINE_GUEST_HANDLE_STRUCT(physdev_pirq_eoi_gmfn);

struct physdev_irq_status_query {
	u32 irq;
	u32 flags;			/* OUT: XENIRQSTAT_* */
};

DEFINE_GUEST_HANDLE_STRUCT(physdev_irq_status_query);

/* I/O privilege level of the guest kernel (1-3). */
struct physdev_set_iopl {
	u32 iopl;
};

DEFINE_GUEST_HANDLE_STRUCT(physdev_set_iopl);

/* An I/O permission bitmap for the first nr_ports ports. */
struct physdev_set_iobitmap {
	GUEST_HANDLE(uint8) bitmap;
	u32 nr_ports;
};

DEFINE_GUEST_HANDLE_STRUCT(physdev_set_iobitmap);

struct physdev_apic {
	unsigned long apic_physbase;
	u32 reg;
	u32 value;
};

DEFINE_GUEST_HANDLE_STRUCT(physdev_apic);

struct physdev_irq {
	u32 irq;
	u32 vector;
};

DEFINE_GUEST_HANDLE_STRUCT(physdev_irq);

/* Map a GSI or MSI of domid's device to a PIRQ (pirq < 0: any). */
struct physdev_map_pirq {
	domid_t domid;
	int type;			/* MAP_PIRQ_TYPE_* */
	int index;			/* GSI, or MSI-X entry */
	int pirq;			/* IN/OUT */
	int bus;			/* MSI: the device */
	int devfn;
	int entry_nr;			/* MSI: vectors; MSI-X: entry */
	u64 table_base;		/* MSI-X: table address */
};

DEFINE_GUEST_HANDLE_STRUCT(physdev_map_pirq);

struct physdev_unmap_pirq {
	domid_t domid;
	int pirq;
};

DEFINE_GUEST_HANDLE_STRUCT(physdev_unmap_pirq);

struct physdev_manage_pci {
	u8 bus;
	u8 devfn;
};

DEFINE_GUEST_HANDLE_STRUCT(physdev_manage_pci);

struct physdev_restore_msi {
	u8 bus;
	u8 devfn;
};

DEFINE_GUEST_HANDLE_STRUCT(physdev_restore_msi);

struct physdev_manage_pci_ext {
	u8 bus;
	u8 devfn;
	u32 is_extfn;
	u32 is_virtfn;
	struct {
		u8 bus;
		u8 devfn;
	} physfn;			/* if is_virtfn */
};

DEFINE_GUEST_HANDLE_STRUCT(physdev_manage_pci_ext);

/* Argument of the old multiplexed physdev_op_compat hypercall. */
struct physdev_op {
	u32 cmd;
	union {
		struct physdev_irq_status_query irq_status_query;
		struct physdev_set_iopl set_iopl;
		struct physdev_set_iobitmap set_iobitmap;
		struct physdev_apic apic_op;
		struct physdev_irq irq_op;
	} u;
};

DEFINE_GUEST_HANDLE_STRUCT(physdev_op);

/* Register a GSI's trigger mode and polarity (from ACPI). */
struct physdev_setup_gsi {
	int gsi;
	u8 triggering;		/* 0 edge, 1 level */
	u8 polarity;		/* 0 high, 1 low */
};

DEFINE_GUEST_HANDLE_STRUCT(physdev_setup_gsi);

struct physdev_get_free_pirq {
	int type;			/* MAP_PIRQ_TYPE_* */
	u32 pirq;			/* OUT */
};

DEFINE_GUEST_HANDLE_STRUCT(physdev_get_free_pirq);

/* An MMCONFIG area that firmware reserved. */
struct physdev_pci_mmcfg_reserved {
	u64 address;
	u16 segment;
	u8 start_bus;
	u8 end_bus;
	u32 flags;			/* XEN_PCI_MMCFG_* */
};

DEFINE_GUEST_HANDLE_STRUCT(physdev_pci_mmcfg_reserved);

struct physdev_pci_device_add {
	u16 seg;
	u8 bus;
	u8 devfn;
	u32 flags;			/* XEN_PCI_DEV_* */
	struct {
		u8 bus;
		u8 devfn;
	} physfn;			/* if XEN_PCI_DEV_VIRTFN */
	u32 optarr[];		/* per flag, e.g. XEN_PCI_DEV_PXM */
};

DEFINE_GUEST_HANDLE_STRUCT(physdev_pci_device_add);

struct physdev_pci_device {
	u16 seg;
	u8 bus;
	u8 devfn;
};

DEFINE_GUEST_HANDLE_STRUCT(physdev_pci_device);

/* Reset a USB debug port controller around a host controller reset. */
struct physdev_dbgp_op {
	u8 op;			/* PHYSDEVOP_DBGP_RESET_* */
	u8 bus;			/* PHYSDEVOP_DBGP_BUS_* */
	union {
		struct physdev_pci_device pci;
	} u;
};

DEFINE_GUEST_HANDLE_STRUCT(physdev_dbgp_op);

#endif /* !__ASSEMBLY__ */

#endif /* __XEN_INTERFACE_PHYSDEV_H__ */
