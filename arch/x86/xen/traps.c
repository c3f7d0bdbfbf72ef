// SPDX-License-Identifier: GPL-2.0
/*
 * C entry points that exist only for PV: the event upcall, and non-IST
 * versions of the exceptions bare metal takes on an IST stack (Xen always
 * delivers on the kernel stack).
 */
#include <linux/kernel.h>
#include <linux/ptrace.h>
#include <asm/idtentry.h>
#include <asm/traps.h>

#include <xen/events.h>

#include "xen-pv.h"

DEFINE_IDTENTRY_SYSVEC(sysvec_xen_pv_upcall)
{
	xen_evtchn_upcall(regs);
}

DEFINE_IDTENTRY_RAW(xen_pv_nmi)
{
	exc_nmi(regs);
}

DEFINE_IDTENTRY_RAW(xen_pv_debug)
{
	if (user_mode(regs))
		noist_exc_debug(regs);
	else
		exc_debug(regs);
}

DEFINE_IDTENTRY_RAW_ERRORCODE(xen_pv_double_fault)
{
	exc_double_fault(regs, error_code);
}

/* Send the kernel's own iret through Xen from the very first one on. */
void __init xen_pv_hook_iret(void)
{
	s32 rel = (long)xen_pv_iret - (long)(xen_pv_iret_hook + 5);

	/* Xen maps the image writable; text protection comes much later. */
	memcpy(xen_pv_iret_hook + 1, &rel, sizeof(rel));
}
