/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hypercalls of the x86-64 PV ABI.
 *
 * Xen fills a page of the kernel image (hypercall_page, see xen-head.S) with
 * one 32-byte stub per hypercall number.  A call goes through that stub with
 * up to five arguments in %rdi, %rsi, %rdx, %r10 and %r8 and returns its
 * result in %rax; %rcx and %r11 are lost (the stub uses SYSCALL).  Xen may
 * also scribble over argument registers, so all five are in/out operands.
 *
 * Each hypercall the series uses gets a typed wrapper below, named after the
 * hypercall as Xen's public headers spell it.
 */
#ifndef _ASM_X86_XEN_HYPERCALL_H
#define _ASM_X86_XEN_HYPERCALL_H

#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/percpu.h>
#include <asm/asm.h>
#include <asm/nospec-branch.h>

#include <xen/interface/xen.h>
#include <xen/interface/sched.h>
#include <xen/interface/event_channel.h>
#include <xen/interface/grant_table.h>
#include <xen/interface/memory.h>
#include <xen/interface/vcpu.h>
#include <xen/interface/physdev.h>
#include <xen/interface/callback.h>
#include <xen/interface/version.h>

struct xen_hypercall_stub {
	u8 insns[32];
};

extern struct xen_hypercall_stub hypercall_page[];

/*
 * Hypercalls issued by each CPU, by hypercall number, for
 * /sys/hypervisor/pv and make bench.
 */
#define XEN_HYPERCALL_COUNTERS	64
DECLARE_PER_CPU(unsigned long [XEN_HYPERCALL_COUNTERS], xen_hypercall_count);

static __always_inline void xen_count_hypercall(unsigned long nr)
{
	this_cpu_inc(xen_hypercall_count[nr & (XEN_HYPERCALL_COUNTERS - 1)]);
}

static __always_inline long __xen_hypercall(unsigned int nr, unsigned long a1,
					    unsigned long a2, unsigned long a3,
					    unsigned long a4, unsigned long a5)
{
	register unsigned long rdi asm("rdi") = a1;
	register unsigned long rsi asm("rsi") = a2;
	register unsigned long rdx asm("rdx") = a3;
	register unsigned long r10 asm("r10") = a4;
	register unsigned long r8 asm("r8") = a5;
	long ret;

	asm volatile("call hypercall_page + %c[stub]"
		     : "=a" (ret), "+r" (rdi), "+r" (rsi), "+r" (rdx),
		       "+r" (r10), "+r" (r8), ASM_CALL_CONSTRAINT
		     : [stub] "i" (nr * sizeof(struct xen_hypercall_stub))
		     : "memory", "rcx", "r11");
	return ret;
}

/*
 * Counted, for /sys/hypervisor/pv.  Uncounted calls are for paths that run
 * while %gs does not point at per-CPU data yet (loading the GS base).
 */
static __always_inline long xen_hypercall(unsigned int nr, unsigned long a1,
					  unsigned long a2, unsigned long a3,
					  unsigned long a4, unsigned long a5)
{
	xen_count_hypercall(nr);
	return __xen_hypercall(nr, a1, a2, a3, a4, a5);
}

/* The same, for a hypercall number only known at run time. */
static inline long xen_hypercall_nr(unsigned long nr, unsigned long a1,
				    unsigned long a2, unsigned long a3,
				    unsigned long a4, unsigned long a5)
{
	register unsigned long rdi asm("rdi") = a1;
	register unsigned long rsi asm("rsi") = a2;
	register unsigned long rdx asm("rdx") = a3;
	register unsigned long r10 asm("r10") = a4;
	register unsigned long r8 asm("r8") = a5;
	void *stub = &hypercall_page[nr];
	long ret;

	xen_count_hypercall(nr);
	asm volatile(CALL_NOSPEC
		     : "=a" (ret), "+r" (rdi), "+r" (rsi), "+r" (rdx),
		       "+r" (r10), "+r" (r8), ASM_CALL_CONSTRAINT
		     : [thunk_target] "a" (stub)
		     : "memory", "rcx", "r11");
	return ret;
}

#define xen_hcall0(nr)		xen_hypercall(nr, 0, 0, 0, 0, 0)
#define xen_hcall1(nr, a)	xen_hypercall(nr, (unsigned long)(a), 0, 0, 0, 0)
#define xen_hcall2(nr, a, b)	xen_hypercall(nr, (unsigned long)(a), \
					      (unsigned long)(b), 0, 0, 0)
#define xen_hcall3(nr, a, b, c)	xen_hypercall(nr, (unsigned long)(a), \
					      (unsigned long)(b), \
					      (unsigned long)(c), 0, 0)
#define xen_hcall4(nr, a, b, c, d) \
	xen_hypercall(nr, (unsigned long)(a), (unsigned long)(b), \
		      (unsigned long)(c), (unsigned long)(d), 0)

static inline int HYPERVISOR_set_trap_table(const struct trap_info *table)
{
	return xen_hcall1(__HYPERVISOR_set_trap_table, table);
}

static inline int HYPERVISOR_mmu_update(struct mmu_update *req, int count,
					int *done, domid_t dom)
{
	return xen_hcall4(__HYPERVISOR_mmu_update, req, count, done, dom);
}

static inline int HYPERVISOR_mmuext_op(struct mmuext_op *op, int count,
				       int *done, domid_t dom)
{
	return xen_hcall4(__HYPERVISOR_mmuext_op, op, count, done, dom);
}

static inline int HYPERVISOR_set_gdt(unsigned long *frames, int entries)
{
	return xen_hcall2(__HYPERVISOR_set_gdt, frames, entries);
}

static inline int HYPERVISOR_stack_switch(unsigned long ss, unsigned long sp)
{
	return xen_hcall2(__HYPERVISOR_stack_switch, ss, sp);
}

static inline int HYPERVISOR_fpu_taskswitch(int set)
{
	return xen_hcall1(__HYPERVISOR_fpu_taskswitch, set);
}

static inline int HYPERVISOR_update_descriptor(u64 maddr, u64 desc)
{
	return xen_hcall2(__HYPERVISOR_update_descriptor, maddr, desc);
}

static inline int HYPERVISOR_update_va_mapping(unsigned long va, u64 pte,
					       unsigned long flags)
{
	return xen_hcall3(__HYPERVISOR_update_va_mapping, va, pte, flags);
}

static inline int HYPERVISOR_set_segment_base(int reg, unsigned long value)
{
	/* Also loads the per-CPU GS base itself: no per-CPU access here. */
	return __xen_hypercall(__HYPERVISOR_set_segment_base, reg, value,
			       0, 0, 0);
}

static inline int HYPERVISOR_multicall(struct multicall_entry *calls, int nr)
{
	return xen_hcall2(__HYPERVISOR_multicall, calls, nr);
}

static inline long HYPERVISOR_set_timer_op(u64 timeout)
{
	return xen_hcall1(__HYPERVISOR_set_timer_op, timeout);
}

static inline int HYPERVISOR_sched_op(int cmd, void *arg)
{
	return xen_hcall2(__HYPERVISOR_sched_op, cmd, arg);
}

static inline int HYPERVISOR_event_channel_op(int cmd, void *arg)
{
	return xen_hcall2(__HYPERVISOR_event_channel_op, cmd, arg);
}

static inline int HYPERVISOR_grant_table_op(unsigned int cmd, void *uop,
					    unsigned int count)
{
	return xen_hcall3(__HYPERVISOR_grant_table_op, cmd, uop, count);
}

static inline int HYPERVISOR_memory_op(unsigned int cmd, void *arg)
{
	return xen_hcall2(__HYPERVISOR_memory_op, cmd, arg);
}

static inline int HYPERVISOR_vcpu_op(int cmd, int vcpuid, void *extra_args)
{
	return xen_hcall3(__HYPERVISOR_vcpu_op, cmd, vcpuid, extra_args);
}

static inline int HYPERVISOR_physdev_op(int cmd, void *arg)
{
	return xen_hcall2(__HYPERVISOR_physdev_op, cmd, arg);
}

static inline int HYPERVISOR_callback_op(int cmd, void *arg)
{
	return xen_hcall2(__HYPERVISOR_callback_op, cmd, arg);
}

static inline int HYPERVISOR_xen_version(int cmd, void *arg)
{
	return xen_hcall2(__HYPERVISOR_xen_version, cmd, arg);
}

static inline int HYPERVISOR_console_io(int cmd, int count, const char *str)
{
	return xen_hcall3(__HYPERVISOR_console_io, cmd, count, str);
}

static inline int HYPERVISOR_vm_assist(unsigned int cmd, unsigned int type)
{
	return xen_hcall2(__HYPERVISOR_vm_assist, cmd, type);
}

static inline int HYPERVISOR_nmi_op(unsigned long op, void *arg)
{
	return xen_hcall2(__HYPERVISOR_nmi_op, op, arg);
}

static inline int HYPERVISOR_sysctl(void *arg)
{
	return xen_hcall1(__HYPERVISOR_sysctl, arg);
}

static inline int HYPERVISOR_domctl(void *arg)
{
	return xen_hcall1(__HYPERVISOR_domctl, arg);
}

static inline int HYPERVISOR_platform_op(void *arg)
{
	return xen_hcall1(__HYPERVISOR_platform_op, arg);
}

static inline int HYPERVISOR_hvm_op(int op, void *arg)
{
	return xen_hcall2(__HYPERVISOR_hvm_op, op, arg);
}

static inline int HYPERVISOR_dm_op(domid_t dom, unsigned int nr_bufs,
				   void *bufs)
{
	return xen_hcall3(__HYPERVISOR_dm_op, dom, nr_bufs, bufs);
}

/* Put the calling vCPU to sleep until an event arrives. */
static inline int HYPERVISOR_block(void)
{
	return HYPERVISOR_sched_op(SCHEDOP_block, NULL);
}

static inline int HYPERVISOR_yield(void)
{
	return HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
}

#endif /* _ASM_X86_XEN_HYPERCALL_H */
