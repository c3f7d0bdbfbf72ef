/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86 hooks that generic x86 code calls into the Xen support.
 *
 * Included from <asm/hypervisor.h> and from a few core files; each hook has
 * a native answer that is used when Xen support is compiled out or the
 * kernel runs on bare metal.
 */
#ifndef _ASM_X86_XEN_HYPERVISOR_H
#define _ASM_X86_XEN_HYPERVISOR_H

#include <linux/types.h>
#include <xen/xen.h>

struct pci_dev;

/*
 * Re-program a device's MSI/MSI-X after resume.  Natively the PCI core does
 * it (return true); in the control domain Xen owns the interrupt remapping
 * and must be asked instead.
 */
#ifdef CONFIG_XEN_DOM0
bool xen_dom0_restore_msi(struct pci_dev *dev);
#else
static inline bool xen_dom0_restore_msi(struct pci_dev *dev)
{
	return true;
}
#endif

/* The name generic x86 code (arch/x86/kernel/apic/msi.c) calls. */
static inline bool xen_initdom_restore_msi(struct pci_dev *dev)
{
	return xen_dom0_restore_msi(dev);
}

#endif /* _ASM_X86_XEN_HYPERVISOR_H */
