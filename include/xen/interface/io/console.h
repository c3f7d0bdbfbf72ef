/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Xen PV console: the page shared with xenconsoled (start_info
 * console.domU.mfn, or the console device's ring-ref).
 */
#ifndef __XEN_INTERFACE_IO_CONSOLE_H__
#define __XEN_INTERFACE_IO_CONSOLE_H__

#include <linux/types.h>

typedef u32 XENCONS_RING_IDX;

/* Index into ring (an array whose size is a power of two). */
#define MASK_XENCONS_IDX(idx, ring)	((idx) & (sizeof(ring) - 1))

struct xencons_interface {
	char in[1024];			/* to the guest */
	char out[2048];			/* from the guest */
	XENCONS_RING_IDX in_cons, in_prod;
	XENCONS_RING_IDX out_cons, out_prod;
};

#endif /* __XEN_INTERFACE_IO_CONSOLE_H__ */
