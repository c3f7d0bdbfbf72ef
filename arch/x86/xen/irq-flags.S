/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The interrupt-flag pv_ops once every CPU's vcpu_info is its own per-CPU
 * copy (xen_vcpu_info).  Each is a %gs-relative access or two: written in
 * assembly they touch only %rax and the flags, which is all the callee-save
 * convention of these pv_ops allows, so the call sites need no thunk that
 * saves the other eight caller-clobbered registers -- and the kernel calls
 * these on every spin_lock_irqsave().
 */
#include <linux/linkage.h>
#include <asm/asm.h>
#include <asm/percpu.h>
#include <asm/processor-flags.h>

/* Byte offsets in struct vcpu_info (public/xen.h); pv-irq.c checks them. */
#define VCPU_UPCALL_PENDING	0
#define VCPU_UPCALL_MASK	1

	.section .text, "ax"

/* "IF" is set exactly when event delivery is not masked. */
SYM_FUNC_START(xen_pv_save_fl_asm)
	xorl	%eax, %eax
	cmpb	$0, PER_CPU_VAR(xen_vcpu_info + VCPU_UPCALL_MASK)
	jne	.Lmasked
	movl	$X86_EFLAGS_IF, %eax
.Lmasked:
	RET
SYM_FUNC_END(xen_pv_save_fl_asm)

SYM_FUNC_START(xen_pv_irq_disable_asm)
	movb	$1, PER_CPU_VAR(xen_vcpu_info + VCPU_UPCALL_MASK)
	RET
SYM_FUNC_END(xen_pv_irq_disable_asm)

/*
 * Unmask, then look for an event that arrived while masked: Xen only
 * delivers it on its next return to us, so the rare slow path makes a
 * hypercall (through the C helper's register-saving thunk) to get it now.
 */
SYM_FUNC_START(xen_pv_irq_enable_asm)
	movb	$0, PER_CPU_VAR(xen_vcpu_info + VCPU_UPCALL_MASK)
	cmpb	$0, PER_CPU_VAR(xen_vcpu_info + VCPU_UPCALL_PENDING)
	jne	.Lpending
	RET
.Lpending:
	jmp	__raw_callee_save_xen_pv_deliver_pending
SYM_FUNC_END(xen_pv_irq_enable_asm)
