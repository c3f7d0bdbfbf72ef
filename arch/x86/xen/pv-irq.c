// SPDX-License-Identifier: GPL-2.0
/*
 * The interrupt flag of a PV vCPU.
 *
 * A PV kernel cannot execute cli/sti usefully; what stands for IF is the
 * evtchn_upcall_mask byte of the vCPU's vcpu_info.  Masking is one store.
 * Unmasking must look at evtchn_upcall_pending afterwards: an event that
 * arrived while masked is only delivered when Xen next returns to us, so we
 * make a cheap hypercall to get it delivered now.
 */
#include <linux/kernel.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <asm/paravirt.h>
#include <asm/processor-flags.h>

#include <asm/xen/guest.h>
#include <asm/xen/hypercall.h>

#include "xen-pv.h"

/* Have Xen deliver pending events: any hypercall returns through them. */
static void xen_deliver_pending_events(void)
{
	HYPERVISOR_xen_version(0, NULL);
}

__visible unsigned long xen_pv_save_fl(void)
{
	return this_cpu_read(xen_vcpu)->evtchn_upcall_mask ? 0 : X86_EFLAGS_IF;
}

PV_CALLEE_SAVE_REGS_THUNK(xen_pv_save_fl);

__visible void xen_pv_irq_disable(void)
{
	/* The per-CPU pointer read and the store must be on one CPU. */
	preempt_disable_notrace();
	this_cpu_read(xen_vcpu)->evtchn_upcall_mask = 1;
	preempt_enable_no_resched_notrace();
}

PV_CALLEE_SAVE_REGS_THUNK(xen_pv_irq_disable);

__visible void xen_pv_irq_enable(void)
{
	struct vcpu_info *v;

	preempt_disable_notrace();
	v = this_cpu_read(xen_vcpu);
	v->evtchn_upcall_mask = 0;
	/* Unmask before checking, or an event could slip in between. */
	barrier();
	if (unlikely(READ_ONCE(v->evtchn_upcall_pending)))
		xen_deliver_pending_events();
	preempt_enable_notrace();
}

PV_CALLEE_SAVE_REGS_THUNK(xen_pv_irq_enable);

/* Block until an event arrives; Xen unmasks atomically with blocking. */
static void xen_pv_safe_halt(void)
{
	xen_boot_check("sched_op(block)", HYPERVISOR_block());
}

static void xen_pv_halt(void)
{
	if (irqs_disabled())
		HYPERVISOR_vcpu_op(VCPUOP_down, xen_vcpu_nr(smp_processor_id()),
				   NULL);
	else
		xen_pv_safe_halt();
}

/* Slow path of xen_pv_irq_enable_asm (irq-flags.S). */
__visible void xen_pv_deliver_pending(void)
{
	xen_deliver_pending_events();
}

PV_CALLEE_SAVE_REGS_THUNK(xen_pv_deliver_pending);

/* The offsets irq-flags.S uses. */
static_assert(offsetof(struct vcpu_info, evtchn_upcall_pending) == 0);
static_assert(offsetof(struct vcpu_info, evtchn_upcall_mask) == 1);

/*
 * Once every CPU's vcpu_info is its own per-CPU copy (xen_vcpu_info), the
 * flag is one %gs-relative access: no pointer to follow, nothing a
 * preemption between two instructions could split.
 */
void __init xen_pv_install_percpu_irq_ops(void)
{
	pv_ops.irq.save_fl = __PV_IS_CALLEE_SAVE(xen_pv_save_fl_asm);
	pv_ops.irq.irq_disable = __PV_IS_CALLEE_SAVE(xen_pv_irq_disable_asm);
	pv_ops.irq.irq_enable = __PV_IS_CALLEE_SAVE(xen_pv_irq_enable_asm);
}

void __init xen_pv_install_irq_ops(void)
{
	pv_ops.irq.save_fl = PV_CALLEE_SAVE(xen_pv_save_fl);
	pv_ops.irq.irq_disable = PV_CALLEE_SAVE(xen_pv_irq_disable);
	pv_ops.irq.irq_enable = PV_CALLEE_SAVE(xen_pv_irq_enable);
	pv_ops.irq.safe_halt = xen_pv_safe_halt;
	pv_ops.irq.halt = xen_pv_halt;
}
