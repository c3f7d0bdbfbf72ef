/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Xen guest ABI: HYPERVISOR_nmi_op() and the NMI reason word.
 */
#ifndef __XEN_INTERFACE_NMI_H__
#define __XEN_INTERFACE_NMI_H__

#include <xen/interface/xen.h>

/* Bits of arch_shared_info.nmi_reason. */
#define _XEN_NMIREASON_io_error		0
#define XEN_NMIREASON_io_error		(1UL << _XEN_NMIREASON_io_error)
#define _XEN_NMIREASON_pci_serr		1
#define XEN_NMIREASON_pci_serr		(1UL << _XEN_NMIREASON_pci_serr)
#define _XEN_NMIREASON_unknown		2
#define XEN_NMIREASON_unknown		(1UL << _XEN_NMIREASON_unknown)

/* dom0 only: where NMIs are delivered. */
#define XENNMI_register_callback	0
#define XENNMI_unregister_callback	1

#ifndef __ASSEMBLY__
struct xennmi_callback {
	unsigned long handler_address;
	unsigned long pad;
};

DEFINE_GUEST_HANDLE_STRUCT(xennmi_callback);
#endif

#endif /* __XEN_INTERFACE_NMI_H__ */
