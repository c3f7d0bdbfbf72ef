/* SPDX-License-Identifier: MIT */
/*
 * Device-model operations (HYPERVISOR_dm_op): the control domain only
 * passes them through for its toolstack (privcmd), so only the buffer
 * descriptor is spelled out here; bufs[0] holds Xen's struct xen_dm_op.
 */
#ifndef __XEN_INTERFACE_HVM_DM_OP_H__
#define __XEN_INTERFACE_HVM_DM_OP_H__

#include <xen/interface/xen.h>

struct xen_dm_op_buf {
	GUEST_HANDLE(void) h;
	xen_ulong_t size;
};

DEFINE_GUEST_HANDLE_STRUCT(xen_dm_op_buf);

#endif /* __XEN_INTERFACE_HVM_DM_OP_H__ */
