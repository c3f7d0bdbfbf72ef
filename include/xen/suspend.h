/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Suspend of a PV domU for save/restore, checkpoint and migration: the
 * arch half (arch/x86/xen/suspend.c) as drivers/xen/suspend.c calls it.
 */
#ifndef _XEN_SUSPEND_H
#define _XEN_SUSPEND_H

#include <linux/types.h>

/* Can the guest be suspended?  0 or -errno; before anything is done. */
int xen_arch_suspend_check(void);
/* CPU 0, the others stopped, interrupts off; see the arch file. */
void xen_arch_pre_suspend(void);
int xen_arch_suspend(void);
void xen_arch_post_suspend(bool cancelled);
/* Every CPU, after CPU 0's post_suspend; then, events bound, its timer. */
void xen_arch_cpu_resume(bool new_domain);
void xen_arch_timer_resume(bool new_domain);
/* CPU 0, once every CPU has resumed. */
void xen_arch_end_suspend(void);

/* drivers/xen/suspend.c: suspend now, from process context. */
int xen_suspend_domain(void);

#endif /* _XEN_SUSPEND_H */
