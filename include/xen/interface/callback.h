/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Xen guest ABI: HYPERVISOR_callback_op(), the guest's entry points.
 */
#ifndef __XEN_INTERFACE_CALLBACK_H__
#define __XEN_INTERFACE_CALLBACK_H__

#include <xen/interface/xen.h>

#define CALLBACKTYPE_event		0 /* event upcall */
#define CALLBACKTYPE_failsafe		1 /* bad segment on return to guest */
#define CALLBACKTYPE_syscall		2 /* 64-bit SYSCALL */
#define CALLBACKTYPE_sysenter_deprecated 3
#define CALLBACKTYPE_nmi		4
#define CALLBACKTYPE_sysenter		5 /* 32-bit SYSENTER */
#define CALLBACKTYPE_syscall32		7 /* 32-bit SYSCALL */

/* Mask events (set evtchn_upcall_mask) when entering the callback. */
#define _CALLBACKF_mask_events		0
#define CALLBACKF_mask_events		(1U << _CALLBACKF_mask_events)

#define CALLBACKOP_register		0
#define CALLBACKOP_unregister		1

#ifndef __ASSEMBLY__
struct callback_register {
	u16 type;			/* CALLBACKTYPE_* */
	u16 flags;			/* CALLBACKF_* */
	xen_callback_t address;
};

DEFINE_GUEST_HANDLE_STRUCT(callback_register);

struct callback_unregister {
	u16 type;
	u16 _unused;
};

DEFINE_GUEST_HANDLE_STRUCT(callback_unregister);
#endif

#endif /* __XEN_INTERFACE_CALLBACK_H__ */
