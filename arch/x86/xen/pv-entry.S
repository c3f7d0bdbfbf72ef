/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Entry and exit paths of a PV kernel.
 *
 * Whenever Xen bounces an exception, an event or a SYSCALL into the guest
 * kernel it builds the usual hardware frame on the kernel stack and saves
 * %rcx and %r11 (which its own return path clobbers) in two more words on
 * top.  The stubs here take those two words off again and continue in the
 * native entry code, which from then on cannot tell the difference.
 *
 * The way back out is the iret hypercall: it takes the hardware frame plus
 * a flags word, and its stub in the hypercall page saves %rax, %r11 and
 * %rcx itself.
 */
#include <linux/linkage.h>
#include <asm/asm.h>
#include <asm/segment.h>
#include <asm/unwind_hints.h>
#include <xen/interface/xen.h>

#include "../entry/calling.h"

.macro xen_take_saved_regs
	movq	(%rsp), %rcx
	movq	8(%rsp), %r11
	leaq	16(%rsp), %rsp
.endm

/* xen_asm_NAME: the trap-table entry for the native handler TARGET. */
.macro xen_trap_entry name, target
SYM_CODE_START(xen_asm_\name)
	UNWIND_HINT_EMPTY
	ENDBR
	xen_take_saved_regs
	jmp	\target
SYM_CODE_END(xen_asm_\name)
.endm

	.section .text, "ax"

xen_trap_entry exc_divide_error,	  asm_exc_divide_error
xen_trap_entry exc_int3,		  asm_exc_int3
xen_trap_entry exc_overflow,		  asm_exc_overflow
xen_trap_entry exc_bounds,		  asm_exc_bounds
xen_trap_entry exc_invalid_op,		  asm_exc_invalid_op
xen_trap_entry exc_device_not_available, asm_exc_device_not_available
xen_trap_entry exc_coproc_segment_overrun, asm_exc_coproc_segment_overrun
xen_trap_entry exc_invalid_tss,		  asm_exc_invalid_tss
xen_trap_entry exc_segment_not_present,  asm_exc_segment_not_present
xen_trap_entry exc_stack_segment,	  asm_exc_stack_segment
xen_trap_entry exc_general_protection,	  asm_exc_general_protection
xen_trap_entry exc_page_fault,		  asm_exc_page_fault
xen_trap_entry exc_spurious_interrupt_bug, asm_exc_spurious_interrupt_bug
xen_trap_entry exc_coprocessor_error,	  asm_exc_coprocessor_error
xen_trap_entry exc_alignment_check,	  asm_exc_alignment_check
xen_trap_entry exc_simd_coprocessor_error, asm_exc_simd_coprocessor_error
/* The IST exceptions of bare metal arrive on the normal stack here. */
xen_trap_entry xen_pv_debug,		  asm_xen_pv_debug
xen_trap_entry xen_pv_nmi,		  asm_xen_pv_nmi
xen_trap_entry xen_pv_double_fault,	  asm_xen_pv_double_fault
/* Event channel upcall: handled like a system vector. */
xen_trap_entry sysvec_xen_pv_upcall,	  asm_sysvec_xen_pv_upcall

/*
 * Return through Xen, to kernel or user mode, from an iret frame on the
 * stack.  Flags 0: not returning from a SYSCALL.
 */
SYM_CODE_START(xen_pv_iret)
	UNWIND_HINT_IRET_REGS
	ANNOTATE_NOENDBR
	pushq	$0
	jmp	hypercall_page + __HYPERVISOR_iret * 32
SYM_CODE_END(xen_pv_iret)

/* swapgs_restore_regs_and_return_to_usermode jumps here on Xen. */
SYM_CODE_START(xen_pv_return_to_user)
	UNWIND_HINT_REGS
	ANNOTATE_NOENDBR
	POP_REGS
	/* Drop orig_ax; what is left is the iret frame. */
	addq	$8, %rsp
	UNWIND_HINT_IRET_REGS
	jmp	xen_pv_iret
SYM_CODE_END(xen_pv_return_to_user)

/*
 * SYSCALL from user mode.  Xen switched to the kernel stack and GS for us;
 * its frame names its own flat user selectors, and the native code that
 * continues expects Linux's.
 *
 * Native SYSCALL clears DF through MSR_SYSCALL_MASK and the native entry
 * code relies on that: it never executes CLD.  A PV kernel has no say in
 * that mask, and the user's DF has been seen to reach this point intact
 * (Xen 4.17 under QEMU: a 32-bit process that sets DF and makes a system
 * call under PTRACE_SYSCALL had its kernel's memset() run backwards over
 * its own return address).  So the string direction is cleared here, as
 * the exception entries do, before any C code runs.
 */
SYM_CODE_START(xen_pv_syscall_entry)
	UNWIND_HINT_EMPTY
	ENDBR
	cld
	xen_take_saved_regs
	movq	$__USER_CS, 8(%rsp)
	movq	$__USER_DS, 32(%rsp)
	jmp	entry_SYSCALL_64_after_hwframe
SYM_CODE_END(xen_pv_syscall_entry)

#ifdef CONFIG_IA32_EMULATION
/*
 * 32-bit user code: int $0x80 through the trap table, SYSCALL (AMD) and
 * SYSENTER (Intel) through their own callbacks.  As with 64-bit SYSCALL,
 * Xen's frame carries its own guess at the user selectors; the compat
 * paths expect Linux's 32-bit ones.  The SYSENTER path ignores the frame's
 * ip and sp: it rebuilds them from the vDSO landing pad and %ebp.  DF is
 * cleared for the reason given above xen_pv_syscall_entry.
 */
xen_trap_entry int80_emulation,		  asm_int80_emulation

.macro xen_compat_entry name, target
SYM_CODE_START(\name)
	UNWIND_HINT_EMPTY
	ENDBR
	cld
	xen_take_saved_regs
	movq	$__USER32_CS, 8(%rsp)
	movq	$__USER32_DS, 32(%rsp)
	jmp	\target
SYM_CODE_END(\name)
.endm

xen_compat_entry xen_pv_syscall32_entry, entry_SYSCALL_compat_after_hwframe
xen_compat_entry xen_pv_sysenter_entry,  entry_SYSENTER_compat_after_hwframe
#endif

/*
 * Xen calls this when it cannot complete a return to the guest: loading
 * a segment register failed, or the iret frame itself was bad.  The frame
 * is %rcx, %r11, then the DS/ES/FS/GS selectors being returned to, then
 * the iret frame.  Xen has already loaded what it could and zeroed the
 * rest, so if any selector now differs from the saved one the return can
 * simply be tried again.  If none differs the frame is at fault: treat it
 * as a #GP at the faulting return, which kills the task.
 */
.macro xen_seg_changed seg, slot
	movl	%\seg, %ecx
	cmpw	%cx, (16 + 8 * \slot)(%rsp)
	jne	.Lxen_failsafe_retry
.endm

SYM_CODE_START(xen_pv_failsafe)
	UNWIND_HINT_EMPTY
	ENDBR
	xen_seg_changed ds, 0
	xen_seg_changed es, 1
	xen_seg_changed fs, 2
	xen_seg_changed gs, 3
	xen_take_saved_regs
	addq	$32, %rsp
	UNWIND_HINT_IRET_REGS
	pushq	$0		/* error code */
	jmp	asm_exc_general_protection
.Lxen_failsafe_retry:
	xen_take_saved_regs
	addq	$32, %rsp
	UNWIND_HINT_IRET_REGS
	jmp	xen_pv_iret
SYM_CODE_END(xen_pv_failsafe)

/*
 * A secondary vCPU starts here, on its idle task's empty stack, with the
 * registers smp.c put in its vcpu_guest_context: %gs already points at
 * the CPU's per-CPU area and events are masked.
 */
SYM_CODE_START(xen_pv_secondary_entry)
	UNWIND_HINT_EMPTY
	ANNOTATE_NOENDBR
	cld
	call	xen_pv_secondary_start
	/* xen_pv_secondary_start() does not return. */
	ud2
SYM_CODE_END(xen_pv_secondary_entry)

/*
 * An offlined vCPU that Xen brings up again returns from VCPUOP_down in
 * the middle of its old idle loop.  Drop that stack (%rdi is its empty
 * top) and go through the start path afresh.
 */
SYM_CODE_START(xen_pv_secondary_restart)
	UNWIND_HINT_EMPTY
	ANNOTATE_NOENDBR
	movq	%rdi, %rsp
	jmp	xen_pv_secondary_entry
SYM_CODE_END(xen_pv_secondary_restart)
