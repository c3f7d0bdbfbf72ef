/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Xen guest ABI: x86 definitions shared by the generic interface headers.
 *
 * Only the 64-bit PV ABI is provided; the kernel that includes this is an
 * x86-64 kernel.  Values follow Xen 4.17's public interface.
 */
#ifndef __XEN_INTERFACE_ARCH_X86_XEN_H__
#define __XEN_INTERFACE_ARCH_X86_XEN_H__

#include <linux/const.h>
#include <linux/types.h>

/* Typed integer constants that also work in assembly. */
#define xen_mk_uint(x)		_AC(x, U)
#define xen_mk_ulong(x)		_AC(x, UL)
#define xen_mk_ullong(x)	_AC(x, ULL)

#ifndef __ASSEMBLY__
/*
 * Guest handles: a pointer into guest memory passed to a hypercall,
 * wrapped in a structure so that handles of different types do not mix.
 */
#define __DEFINE_GUEST_HANDLE(name, type) \
	typedef struct { type *p; } __guest_handle_ ## name
#define DEFINE_GUEST_HANDLE_STRUCT(name) \
	__DEFINE_GUEST_HANDLE(name, struct name)
#define DEFINE_GUEST_HANDLE(name)	__DEFINE_GUEST_HANDLE(name, name)
#define GUEST_HANDLE(name)		__guest_handle_ ## name

#define set_xen_guest_handle(hnd, val)	((hnd).p = (val))
#endif

#include <xen/interface/arch-x86/xen-x86_64.h>

#ifndef __ASSEMBLY__
/* A guest frame number: a machine frame for PV, a physical one for HVM. */
typedef unsigned long xen_pfn_t;
#define PRI_xen_pfn		"lx"
#define PRIu_xen_pfn		"lu"

/* Natural-width field in hypercall arguments and shared structures. */
typedef unsigned long xen_ulong_t;
#define PRI_xen_ulong		"lx"

__DEFINE_GUEST_HANDLE(uchar, unsigned char);
__DEFINE_GUEST_HANDLE(uint, unsigned int);
__DEFINE_GUEST_HANDLE(ulong, unsigned long);
__DEFINE_GUEST_HANDLE(uint8, u8);
__DEFINE_GUEST_HANDLE(uint16, u16);
__DEFINE_GUEST_HANDLE(uint32, u32);
__DEFINE_GUEST_HANDLE(uint64, u64);
DEFINE_GUEST_HANDLE(char);
DEFINE_GUEST_HANDLE(int);
DEFINE_GUEST_HANDLE(void);
DEFINE_GUEST_HANDLE(uint64_t);
DEFINE_GUEST_HANDLE(xen_pfn_t);
DEFINE_GUEST_HANDLE(xen_ulong_t);
#endif

/* The PV entry point and vcpu_info.evtchn_upcall_mask exist on x86. */
#define XEN_HAVE_PV_GUEST_ENTRY		1
#define XEN_HAVE_PV_UPCALL_MASK		1

/* GDT pages from this one up belong to Xen. */
#define FIRST_RESERVED_GDT_PAGE		14
#define FIRST_RESERVED_GDT_BYTE		(FIRST_RESERVED_GDT_PAGE * 4096)
#define FIRST_RESERVED_GDT_ENTRY	(FIRST_RESERVED_GDT_BYTE / 8)

/* vCPUs whose vcpu_info sits in shared_info; others must register one. */
#define XEN_LEGACY_MAX_VCPUS		32
#define MAX_VIRT_CPUS			XEN_LEGACY_MAX_VCPUS

#ifndef __ASSEMBLY__

/*
 * One entry of the virtual IDT given to HYPERVISOR_set_trap_table().
 * flags: bits 0-1 the DPL allowed to raise the vector with INT, bit 2
 * set to have Xen mask events on delivery (an interrupt gate).
 */
#define TI_GET_DPL(_ti)		((_ti)->flags & 3)
#define TI_GET_IF(_ti)		((_ti)->flags & 4)
#define TI_SET_DPL(_ti, _dpl)	((_ti)->flags |= (_dpl))
#define TI_SET_IF(_ti, _if)	((_ti)->flags |= ((!!(_if)) << 2))

struct trap_info {
	u8 vector;		/* 0 terminates the table */
	u8 flags;
	u16 cs;
	unsigned long address;
};

DEFINE_GUEST_HANDLE_STRUCT(trap_info);

/* vcpu_guest_context.flags */
#define VGCF_I387_VALID				(1 << 0)
#define VGCF_IN_KERNEL				(1 << 2)
#define _VGCF_i387_valid			0
#define VGCF_i387_valid				(1 << _VGCF_i387_valid)
#define _VGCF_in_kernel				2
#define VGCF_in_kernel				(1 << _VGCF_in_kernel)
#define _VGCF_failsafe_disables_events		3
#define VGCF_failsafe_disables_events		(1 << _VGCF_failsafe_disables_events)
#define _VGCF_syscall_disables_events		4
#define VGCF_syscall_disables_events		(1 << _VGCF_syscall_disables_events)
#define _VGCF_online				5
#define VGCF_online				(1 << _VGCF_online)

/*
 * Initial state of a PV vCPU, for VCPUOP_initialise (the 64-bit layout).
 * ctrlreg[3] holds a page-table base built with xen_pfn_to_cr3().
 */
struct vcpu_guest_context {
	struct { char x[512]; } fpu_ctxt;	/* FXSAVE image */
	unsigned long flags;			/* VGCF_* */
	struct cpu_user_regs user_regs;
	struct trap_info trap_ctxt[256];
	unsigned long ldt_base, ldt_ents;
	unsigned long gdt_frames[16], gdt_ents;
	unsigned long kernel_ss, kernel_sp;	/* ring-1 stack (unused) */
	unsigned long ctrlreg[8];
	unsigned long debugreg[8];
	unsigned long event_callback_eip;
	unsigned long failsafe_callback_eip;
	unsigned long syscall_callback_eip;
	unsigned long vm_assist;		/* VMASST_TYPE_* bitmap */
	u64 fs_base;
	u64 gs_base_kernel;
	u64 gs_base_user;
};

DEFINE_GUEST_HANDLE_STRUCT(vcpu_guest_context);

/* x86 part of shared_info: where the guest publishes its p2m. */
struct arch_shared_info {
	unsigned long max_pfn;		/* highest pfn + 1 of the p2m */
	xen_pfn_t pfn_to_mfn_frame_list_list;
	unsigned long nmi_reason;
	unsigned long p2m_cr3;		/* page-table base of a virtual p2m */
	unsigned long p2m_vaddr;	/* its virtual address */
	unsigned long p2m_generation;	/* odd while it is being changed */
};

#endif /* !__ASSEMBLY__ */

#endif /* __XEN_INTERFACE_ARCH_X86_XEN_H__ */
