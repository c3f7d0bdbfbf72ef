/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Xen console as a boot console.
 *
 * The real console is /dev/hvc0 (drivers/xen/hvc-console.c), which the
 * hvc core registers at console_initcall time.  Before that, arch code may
 * register xen_boot_console (for earlyprintk=xen) or call
 * xen_early_console_write() directly.  Both only need the hypercall page,
 * xen_start_info and, in a domU, the M2P table (to find the console ring).
 */
#ifndef _XEN_HVC_CONSOLE_H
#define _XEN_HVC_CONSOLE_H

#include <linux/console.h>

#ifdef CONFIG_XEN_HVC_CONSOLE
/*
 * Write @n bytes to Xen's own console (HYPERVISOR_console_io) and, in a
 * domU, to the console ring as well: release builds of Xen drop console_io
 * output of unprivileged domains.  Polls; usable with interrupts off.
 */
void xen_early_console_write(const char *s, unsigned int n);

/* "xenboot": CON_PRINTBUFFER | CON_BOOT, writes with the function above. */
extern struct console xen_boot_console;

/* After a suspend: the console's port in a new domain. */
void xen_hvc_resume(bool new_domain);
#else
static inline void xen_hvc_resume(bool new_domain)
{
}

static inline void xen_early_console_write(const char *s, unsigned int n)
{
}
#endif

#endif /* _XEN_HVC_CONSOLE_H */
