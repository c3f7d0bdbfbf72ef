/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How Xen finds and enters this kernel as a PV guest.
 *
 * Xen's domain builder reads the ELF notes below from the image: they say
 * this is a 64-bit Linux kernel built for the PV ABI, where its entry point
 * and hypercall page are, and at which virtual address it expects to be
 * mapped.  Xen then maps the image, the initrd, the P2M list, start_info
 * and a set of bootstrap page tables contiguously from that base, and jumps
 * to xen_pv_entry on vCPU 0 with %rsi pointing at start_info.
 *
 * A bare-metal boot never runs any of this: it enters at startup_64.
 */
#include <linux/elfnote.h>
#include <linux/init.h>
#include <linux/linkage.h>
#include <asm/asm.h>
#include <asm/page_types.h>
#include <asm/percpu.h>
#include <asm/ptrace-abi.h>
#include <asm/pgtable_types.h>
#include <asm/unwind_hints.h>
#include <asm/thread_info.h>
#include <xen/interface/elfnote.h>
#include <xen/interface/features.h>
#include <xen/interface/xen.h>

	__INIT
SYM_CODE_START(xen_pv_entry)
	UNWIND_HINT_EMPTY
	ANNOTATE_NOENDBR
	cld
	movq	%rsi, xen_start_info(%rip)

	/* The boot task's stack, as a native boot uses it. */
	leaq	(__end_init_task - FRAME_SIZE)(%rip), %rsp

	/*
	 * Per-CPU data is reached through %gs.  A PV kernel cannot write the
	 * GS base MSR itself; ask Xen to point it at the boot CPU's copy.
	 */
	movq	$SEGBASE_GS_KERNEL, %rdi
	movq	$INIT_PER_CPU_VAR(fixed_percpu_data), %rsi
	call	hypercall_page + __HYPERVISOR_set_segment_base * 32

	call	xen_pv_start_kernel
	/* xen_pv_start_kernel() does not return. */
	ud2
SYM_CODE_END(xen_pv_entry)
	__FINIT

/*
 * Xen writes one 32-byte hypercall stub per hypercall number into this
 * page when it builds the domain (XEN_ELFNOTE_HYPERCALL_PAGE).  Until then
 * it holds traps, so a call through an unfilled page faults loudly.
 */
	.pushsection .text
	.balign PAGE_SIZE
SYM_CODE_START(hypercall_page)
	.rept (PAGE_SIZE / 32)
		UNWIND_HINT_FUNC
		ANNOTATE_NOENDBR
		ret
		.skip 31, 0xcc
	.endr
SYM_CODE_END(hypercall_page)
	.popsection

	ELFNOTE(Xen, XEN_ELFNOTE_GUEST_OS,	 .asciz "linux")
	ELFNOTE(Xen, XEN_ELFNOTE_GUEST_VERSION,	 .asciz "2.6")
	ELFNOTE(Xen, XEN_ELFNOTE_XEN_VERSION,	 .asciz "xen-3.0")
	ELFNOTE(Xen, XEN_ELFNOTE_LOADER,	 .asciz "generic")
	ELFNOTE(Xen, XEN_ELFNOTE_VIRT_BASE,	 _ASM_PTR __START_KERNEL_map)
	/* Pseudo-physical address 0 sits at VIRT_BASE. */
	ELFNOTE(Xen, XEN_ELFNOTE_PADDR_OFFSET,	 _ASM_PTR 0)
	ELFNOTE(Xen, XEN_ELFNOTE_ENTRY,		 _ASM_PTR xen_pv_entry)
	ELFNOTE(Xen, XEN_ELFNOTE_HYPERCALL_PAGE, _ASM_PTR hypercall_page)
	/*
	 * We take care of the page tables ourselves (no writable page
	 * tables); as the control domain we accept the dom0 ABI.
	 */
	ELFNOTE(Xen, XEN_ELFNOTE_FEATURES,	 .ascii "!writable_page_tables")
	ELFNOTE(Xen, XEN_ELFNOTE_SUPPORTED_FEATURES, .long (1 << XENFEAT_dom0))
	ELFNOTE(Xen, XEN_ELFNOTE_PAE_MODE,	 .asciz "yes")
	/* PTEs Xen finds in L1 tables hold valid machine frames. */
	ELFNOTE(Xen, XEN_ELFNOTE_L1_MFN_VALID,	 .quad _PAGE_PRESENT; .quad _PAGE_PRESENT)
	ELFNOTE(Xen, XEN_ELFNOTE_SUSPEND_CANCEL, .long 1)
	/* start_info->mod_start is a pfn, not a mapped address. */
	ELFNOTE(Xen, XEN_ELFNOTE_MOD_START_PFN,	 .long 1)
