/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DMA with machine addresses for the control domain's devices
 * (drivers/xen/swiotlb-xen.c).  xen_swiotlb_setup() runs from the x86
 * IOMMU setup of a PV domain, while memblock still hands out memory: it
 * builds the bounce pool and installs the DMA ops in the control domain,
 * and does nothing elsewhere.
 */
#ifndef _XEN_SWIOTLB_XEN_H
#define _XEN_SWIOTLB_XEN_H

#include <linux/init.h>

#ifdef CONFIG_XEN_SWIOTLB
void __init xen_swiotlb_setup(void);
#else
static inline void xen_swiotlb_setup(void)
{
}
#endif

#endif /* _XEN_SWIOTLB_XEN_H */
