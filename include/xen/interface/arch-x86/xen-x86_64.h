/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Xen PV guest ABI, the parts that only exist for 64-bit x86 guests.
 *
 * Included from arch-x86/xen.h; do not include directly.  Values follow
 * Xen 4.17's public interface.
 */
#ifndef __XEN_INTERFACE_ARCH_X86_XEN_X86_64_H__
#define __XEN_INTERFACE_ARCH_X86_XEN_X86_64_H__

/*
 * Selectors of the flat segments Xen installs in every PV guest's GDT.
 * A 64-bit PV kernel runs in ring 3, so kernel and user share them.
 */
#define FLAT_RING3_CS32		0xe023	/* GDT index 260 */
#define FLAT_RING3_CS64		0xe033	/* GDT index 262 */
#define FLAT_RING3_DS32		0xe02b	/* GDT index 261 */
#define FLAT_RING3_DS64		0x0000	/* null selector */
#define FLAT_RING3_SS32		0xe02b
#define FLAT_RING3_SS64		0xe02b

#define FLAT_KERNEL_CS32	FLAT_RING3_CS32
#define FLAT_KERNEL_CS64	FLAT_RING3_CS64
#define FLAT_KERNEL_CS		FLAT_KERNEL_CS64
#define FLAT_KERNEL_DS32	FLAT_RING3_DS32
#define FLAT_KERNEL_DS64	FLAT_RING3_DS64
#define FLAT_KERNEL_DS		FLAT_KERNEL_DS64
#define FLAT_KERNEL_SS32	FLAT_RING3_SS32
#define FLAT_KERNEL_SS64	FLAT_RING3_SS64
#define FLAT_KERNEL_SS		FLAT_KERNEL_SS64

#define FLAT_USER_CS32		FLAT_RING3_CS32
#define FLAT_USER_CS64		FLAT_RING3_CS64
#define FLAT_USER_CS		FLAT_USER_CS64
#define FLAT_USER_DS32		FLAT_RING3_DS32
#define FLAT_USER_DS64		FLAT_RING3_DS64
#define FLAT_USER_DS		FLAT_USER_DS64
#define FLAT_USER_SS32		FLAT_RING3_SS32
#define FLAT_USER_SS64		FLAT_RING3_SS64
#define FLAT_USER_SS		FLAT_USER_SS64

/* Virtual address range Xen reserves in every 64-bit PV address space. */
#define __HYPERVISOR_VIRT_START	0xFFFF800000000000
#define __HYPERVISOR_VIRT_END	0xFFFF880000000000
/* The read-only machine-to-physical table lives at its bottom. */
#define __MACH2PHYS_VIRT_START	0xFFFF800000000000
#define __MACH2PHYS_VIRT_END	0xFFFF804000000000

#ifndef HYPERVISOR_VIRT_START
#define HYPERVISOR_VIRT_START	xen_mk_ulong(__HYPERVISOR_VIRT_START)
#define HYPERVISOR_VIRT_END	xen_mk_ulong(__HYPERVISOR_VIRT_END)
#endif

#define MACH2PHYS_VIRT_START	xen_mk_ulong(__MACH2PHYS_VIRT_START)
#define MACH2PHYS_VIRT_END	xen_mk_ulong(__MACH2PHYS_VIRT_END)
/* One 8-byte entry per machine frame. */
#define MACH2PHYS_NR_ENTRIES	((MACH2PHYS_VIRT_END - MACH2PHYS_VIRT_START) >> 3)

/* Which base HYPERVISOR_set_segment_base() sets. */
#define SEGBASE_FS		0
#define SEGBASE_GS_USER		1
#define SEGBASE_GS_KERNEL	2
#define SEGBASE_GS_USER_SEL	3	/* load user %gs selector */

/*
 * iret_context.flags: the guest left user mode through SYSCALL, so the
 * return may use SYSRET (RCX, R11, CS and SS are not restored).
 */
#define _VGCF_in_syscall	8
#define VGCF_in_syscall		(1 << _VGCF_in_syscall)
#define VGCF_IN_SYSCALL		VGCF_in_syscall

#ifndef __ASSEMBLY__

/*
 * Frame HYPERVISOR_iret() pops off the guest kernel stack, lowest
 * address (the stack pointer at the hypercall) first.
 */
struct iret_context {
	u64 rax, r11, rcx, flags, rip, cs, rflags, rsp, ss;
};

/* Register frame as Xen saves it (e.g. in vcpu_guest_context). */
struct cpu_user_regs {
	u64 r15;
	u64 r14;
	u64 r13;
	u64 r12;
	u64 rbp;
	u64 rbx;
	u64 r11;
	u64 r10;
	u64 r9;
	u64 r8;
	u64 rax;
	u64 rcx;
	u64 rdx;
	u64 rsi;
	u64 rdi;
	u32 error_code;
	u32 entry_vector;
	u64 rip;
	u16 cs, _pad0[1];
	u8 saved_upcall_mask;
	u8 _pad1[3];
	u64 rflags;
	u64 rsp;
	u16 ss, _pad2[3];
	u16 es, _pad3[3];
	u16 ds, _pad4[3];
	u16 fs, _pad5[3];
	u16 gs, _pad6[3];
};

#define xen_pfn_to_cr3(pfn)	((unsigned long)(pfn) << 12)
#define xen_cr3_to_pfn(cr3)	((unsigned long)(cr3) >> 12)

/* Per-vCPU state in shared_info that only x86 has. */
struct arch_vcpu_info {
	unsigned long cr2;
	unsigned long pad;	/* keeps the structure 16 bytes */
};

/* A callback is just its entry address: there is one code segment. */
typedef unsigned long xen_callback_t;

#endif /* !__ASSEMBLY__ */

#endif /* __XEN_INTERFACE_ARCH_X86_XEN_X86_64_H__ */
