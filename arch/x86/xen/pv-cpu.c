// SPDX-License-Identifier: GPL-2.0
/*
 * Privileged CPU operations of a PV kernel, done through Xen.
 *
 * A 64-bit PV kernel runs in ring 3, so every instruction that touches
 * descriptor tables, control registers or MSRs either traps (and is then
 * emulated by Xen, slowly) or is replaced here by the hypercall that does
 * the same thing:
 *
 *  - GDT/LDT pages must be read-only and are registered by frame number
 *    (set_gdt, MMUEXT_SET_LDT); single descriptors change through
 *    update_descriptor.
 *  - The IDT is never loaded: its exception gates are translated into a
 *    Xen trap table whose entries point at small stubs (pv-entry.S) that
 *    undo the two extra words Xen pushes and enter the native handlers.
 *  - The kernel stack for the next user->kernel transition is passed with
 *    stack_switch; segment bases with set_segment_base.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <asm/debugreg.h>
#include <asm/desc.h>
#include <asm/fpu/api.h>
#include <asm/idtentry.h>
#include <asm/msr.h>
#include <asm/paravirt.h>
#include <asm/processor.h>
#include <asm/traps.h>

#include <asm/xen/guest.h>
#include <asm/xen/hypercall.h>
#include <asm/xen/page.h>

#include "xen-pv.h"

/* "ud2a; .ascii \"xen\"": Xen emulates the next instruction with its policy. */
#define XEN_FORCED_EMULATION	".byte 0x0f,0x0b,0x78,0x65,0x6e; "

static void xen_pv_cpuid(unsigned int *ax, unsigned int *bx,
			 unsigned int *cx, unsigned int *dx)
{
	unsigned int leaf = *ax;

	asm volatile(XEN_FORCED_EMULATION "cpuid"
		     : "=a" (*ax), "=b" (*bx), "=c" (*cx), "=d" (*dx)
		     : "0" (*ax), "2" (*cx));

	if (leaf == 1) {
		/* No local APIC, MTRRs or machine checks to drive. */
		*dx &= ~(BIT(X86_FEATURE_APIC & 31) | BIT(X86_FEATURE_MTRR & 31) |
			 BIT(X86_FEATURE_MCE & 31) | BIT(X86_FEATURE_MCA & 31) |
			 BIT(X86_FEATURE_ACC & 31));
		*cx &= ~(BIT(X86_FEATURE_X2APIC & 31) |
			 BIT(X86_FEATURE_TSC_DEADLINE_TIMER & 31));
	}
}

/* ---- segment descriptors ---------------------------------------------- */

/* The frames of the GDT each CPU has registered, to release on change. */
static DEFINE_PER_CPU(unsigned long, xen_gdt_mfn);

/*
 * What each CPU's TLS descriptors hold, as far as we know: most context
 * switches go between tasks with the same (usually empty) TLS slots, and
 * each descriptor Xen rewrites costs it a validation.  A slot whose bit
 * in .known is clear is rewritten on the next load.
 */
struct xen_tls_shadow {
	u64 desc[GDT_ENTRY_TLS_ENTRIES];
	unsigned long known;
};

static DEFINE_PER_CPU(struct xen_tls_shadow, xen_tls_shadow);

static void xen_pv_load_gdt(const struct desc_ptr *dtr)
{
	unsigned long mfn, old = this_cpu_read(xen_gdt_mfn);
	unsigned int entries = (dtr->size + 1) / LDT_ENTRY_SIZE;

	/* Linux's GDT is one page; Xen's own descriptors sit above it. */
	if (dtr->size + 1 > PAGE_SIZE)
		panic("Xen: GDT of %u bytes does not fit a page\n",
		      dtr->size + 1);

	mfn = xen_walk_virt_to_mfn((void *)dtr->address);
	if (mfn == old)
		return;
	/* Another table: what its TLS slots hold is not what we recorded. */
	this_cpu_write(xen_tls_shadow.known, 0);
	xen_make_frame_readonly(mfn);
	xen_boot_check("set_gdt", HYPERVISOR_set_gdt(&mfn, entries));
	this_cpu_write(xen_gdt_mfn, mfn);
	if (old)
		xen_make_frame_writable(old);
}

static void xen_pv_write_gdt_entry(struct desc_struct *gdt, int entry,
				   const void *desc, int type)
{
	u64 maddr = xen_walk_virt_to_machine(&gdt[entry]);

	/* Xen keeps the TSS and LDT descriptors itself. */
	if (type == DESC_TSS || type == DESC_LDT)
		return;
	if (entry >= GDT_ENTRY_TLS_MIN && entry <= GDT_ENTRY_TLS_MAX) {
		unsigned int cpu;

		/* Not through load_tls: forget what that CPU's slots hold. */
		for_each_possible_cpu(cpu)
			if (get_cpu_gdt_rw(cpu) == gdt)
				per_cpu(xen_tls_shadow, cpu).known = 0;
	}
	xen_boot_check("update_descriptor",
		       HYPERVISOR_update_descriptor(maddr, *(const u64 *)desc));
}

static void xen_pv_write_ldt_entry(struct desc_struct *ldt, int entry,
				   const void *desc)
{
	u64 maddr = xen_walk_virt_to_machine(&ldt[entry]);

	xen_boot_check("update_descriptor",
		       HYPERVISOR_update_descriptor(maddr, *(const u64 *)desc));
}

/*
 * Xen types a frame as a descriptor table only while no writable mapping
 * of it exists.  A one-page LDT is a page of the direct map; a bigger one
 * (up to 16 pages) is vmalloc'ed, so each of its frames is mapped twice
 * and both mappings must change.
 */
static void xen_pv_ldt_access(struct desc_struct *ldt, unsigned int entries,
			      bool writable)
{
	unsigned int size = entries * LDT_ENTRY_SIZE, off;
	unsigned long va, mfn;

	for (off = 0; off < size; off += PAGE_SIZE) {
		va = (unsigned long)ldt + off;
		mfn = xen_walk_virt_to_mfn((void *)va);
		if (is_vmalloc_addr((void *)va))
			xen_set_va_access(va, mfn, writable);
		if (writable)
			xen_make_frame_writable(mfn);
		else
			xen_make_frame_readonly(mfn);
	}
}

static void xen_pv_alloc_ldt(struct desc_struct *ldt, unsigned int entries)
{
	xen_pv_ldt_access(ldt, entries, false);
}

static void xen_pv_free_ldt(struct desc_struct *ldt, unsigned int entries)
{
	xen_pv_ldt_access(ldt, entries, true);
}

static void xen_pv_set_ldt(const void *addr, unsigned int entries)
{
	struct mmuext_op op = {
		.cmd = MMUEXT_SET_LDT,
		.arg1.linear_addr = (unsigned long)addr,
		.arg2.nr_ents = entries,
	};

	xen_mmuext_queue(&op);
}

static void xen_pv_load_tls(struct thread_struct *t, unsigned int cpu)
{
	struct xen_tls_shadow *shadow = &per_cpu(xen_tls_shadow, cpu);
	struct desc_struct *gdt = get_cpu_gdt_rw(cpu);
	unsigned int i;

	for (i = 0; i < GDT_ENTRY_TLS_ENTRIES; i++) {
		struct desc_struct *slot = &gdt[GDT_ENTRY_TLS_MIN + i];
		u64 desc = *(u64 *)&t->tls_array[i];

		if ((shadow->known & BIT(i)) && shadow->desc[i] == desc)
			continue;
		xen_mc_update_descriptor(xen_walk_virt_to_machine(slot), desc);
		shadow->desc[i] = desc;
		shadow->known |= BIT(i);
	}
	xen_mc_flush_if_not_lazy();
}

static void xen_pv_load_gs_index(unsigned int sel)
{
	xen_boot_check("set_segment_base(gs selector)",
		       HYPERVISOR_set_segment_base(SEGBASE_GS_USER_SEL, sel));
}

static void xen_pv_load_tr_desc(void)
{
	/* There is no TSS of ours: Xen switches stacks on our behalf. */
}

static unsigned long xen_pv_store_tr(void)
{
	return 0;
}

/*
 * x86 reloads sp0 (update_task_stack()) just after the context switch has
 * left its lazy mode, which would cost the stack switch a hypercall of its
 * own.  The new stack is known earlier: it goes into the batch with the
 * CR3 and TLS changes, and the load_sp0 that follows finds it done.  Only
 * a switch from user mode uses it, so loading it a little early is fine.
 */
static DEFINE_PER_CPU(unsigned long, xen_sp0_queued);

static void xen_pv_end_context_switch(struct task_struct *next)
{
	unsigned long sp0 = task_top_of_stack(next);

	xen_mc_stack_switch(__KERNEL_DS, sp0);
	this_cpu_write(xen_sp0_queued, sp0);
	xen_mc_leave_lazy_cpu(next);
}

static void xen_pv_load_sp0(unsigned long sp0)
{
	if (this_cpu_read(xen_sp0_queued) != sp0) {
		xen_mc_stack_switch(__KERNEL_DS, sp0);
		xen_mc_flush_if_not_lazy();
	}
	this_cpu_write(xen_sp0_queued, 0);
	this_cpu_write(cpu_tss_rw.x86_tss.sp0, sp0);
}

/* ---- the trap table ----------------------------------------------------- */

/*
 * Xen enters an exception handler with %rcx and %r11 pushed on top of the
 * hardware frame; each stub in pv-entry.S pops them and jumps to the
 * handler named in the same row.  The paranoid (IST) handlers get their own
 * non-IST entries, because Xen always delivers on the kernel stack.
 */
struct xen_trap_stub {
	void (*native)(void);
	void (*xen)(void);
};

#define STUB(name)	{ asm_##name, xen_asm_##name }
#define STUB_AS(native, ours)	{ asm_##native, xen_asm_##ours }

static const struct xen_trap_stub xen_trap_stubs[] = {
	STUB(exc_divide_error),
	STUB_AS(exc_debug, xen_pv_debug),
	STUB_AS(exc_nmi, xen_pv_nmi),
	STUB(exc_int3),
	STUB(exc_overflow),
	STUB(exc_bounds),
	STUB(exc_invalid_op),
	STUB(exc_device_not_available),
	STUB_AS(exc_double_fault, xen_pv_double_fault),
	STUB(exc_coproc_segment_overrun),
	STUB(exc_invalid_tss),
	STUB(exc_segment_not_present),
	STUB(exc_stack_segment),
	STUB(exc_general_protection),
	STUB(exc_page_fault),
	STUB(exc_spurious_interrupt_bug),
	STUB(exc_coprocessor_error),
	STUB(exc_alignment_check),
	STUB(exc_simd_coprocessor_error),
#ifdef CONFIG_IA32_EMULATION
	STUB(int80_emulation),
#endif
};

static void *xen_trap_stub_for(unsigned long native)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(xen_trap_stubs); i++)
		if ((unsigned long)xen_trap_stubs[i].native == native)
			return xen_trap_stubs[i].xen;
	return NULL;
}

/*
 * Translate one IDT gate.  Returns false for gates Xen has no use for:
 * device and system vectors (interrupts arrive as events, so their
 * handlers have no stub) and anything else without a stub.  The one
 * software-interrupt gate above the exceptions is the 32-bit int $0x80.
 */
static bool xen_gate_to_trap(unsigned int vector, const gate_desc *gate,
			     struct trap_info *ti)
{
	void *stub;

	if (!gate->bits.p)
		return false;
	stub = xen_trap_stub_for(gate_offset(gate));
	if (!stub)
		return false;

	ti->vector = vector;
	ti->flags = gate->bits.dpl;
	/* An interrupt gate enters with events masked, like IF=0. */
	if (gate->bits.type == GATE_INTERRUPT)
		ti->flags |= 4;
	ti->cs = __KERNEL_CS;
	ti->address = (unsigned long)stub;
	return true;
}

/* The IDT each CPU loaded last, and its number of gates. */
static DEFINE_PER_CPU(unsigned long, xen_idt_base);
static DEFINE_PER_CPU(unsigned int, xen_idt_gates);

static void xen_pv_load_idt(const struct desc_ptr *dtr)
{
	static struct trap_info table[NR_VECTORS + 1];
	static DEFINE_SPINLOCK(table_lock);
	const gate_desc *idt = (const gate_desc *)dtr->address;
	unsigned int v, n = 0, nr = (dtr->size + 1) / sizeof(gate_desc);

	spin_lock(&table_lock);
	for (v = 0; v < nr && v < NR_VECTORS; v++)
		if (xen_gate_to_trap(v, &idt[v], &table[n]))
			n++;
	memset(&table[n], 0, sizeof(table[n]));

	this_cpu_write(xen_idt_base, dtr->address);
	this_cpu_write(xen_idt_gates, nr);
	xen_boot_check("set_trap_table(NULL)", HYPERVISOR_set_trap_table(NULL));
	xen_boot_check("set_trap_table", HYPERVISOR_set_trap_table(table));
	spin_unlock(&table_lock);
}

/*
 * The trap table a new vCPU starts with.  Unlike set_trap_table's list,
 * vcpu_guest_context.trap_ctxt is indexed by vector; vectors without a
 * handler stay zero.  The gates are those of the IDT the boot CPU loaded,
 * which every CPU shares.
 */
void xen_pv_fill_trap_ctxt(struct trap_info *ctxt, unsigned int slots)
{
	const gate_desc *idt = (const gate_desc *)per_cpu(xen_idt_base, 0);
	unsigned int v, nr = per_cpu(xen_idt_gates, 0);

	memset(ctxt, 0, slots * sizeof(*ctxt));
	nr = min3(nr, slots, (unsigned int)NR_VECTORS);
	for (v = 0; v < nr; v++)
		xen_gate_to_trap(v, &idt[v], &ctxt[v]);
}

static void xen_pv_write_idt_entry(gate_desc *idt, int entry,
				   const gate_desc *gate)
{
	struct trap_info ti[2] = {};

	native_write_idt_entry(idt, entry, gate);
	/* Only the table Xen knows about needs telling. */
	if ((unsigned long)idt != this_cpu_read(xen_idt_base))
		return;
	if (xen_gate_to_trap(entry, gate, &ti[0]))
		xen_boot_check("set_trap_table", HYPERVISOR_set_trap_table(ti));
}

/* ---- control and debug registers, MSRs ---------------------------------- */

static unsigned long xen_pv_read_cr0(void)
{
	return this_cpu_read(xen_cr0_shadow);
}

static void xen_pv_write_cr0(unsigned long cr0)
{
	/* Only CR0.TS is ours to change, for lazy FPU switching. */
	this_cpu_write(xen_cr0_shadow, cr0);
	xen_mc_fpu_taskswitch(!!(cr0 & X86_CR0_TS));
	xen_mc_flush_if_not_lazy();
}

static void xen_pv_write_cr4(unsigned long cr4)
{
	/* Xen owns CR4; these bits it would refuse anyway. */
	cr4 &= ~(X86_CR4_PGE | X86_CR4_PSE | X86_CR4_PCE | X86_CR4_OSXSAVE);
	native_write_cr4(cr4);
}

static unsigned long xen_pv_get_debugreg(int reg)
{
	return xen_hcall1(__HYPERVISOR_get_debugreg, reg);
}

static void xen_pv_set_debugreg(int reg, unsigned long val)
{
	xen_hcall2(__HYPERVISOR_set_debugreg, reg, val);
}

static int xen_pv_segment_msr(unsigned int msr, u64 val, bool *handled)
{
	int which;

	switch (msr) {
	case MSR_FS_BASE:
		which = SEGBASE_FS;
		break;
	case MSR_KERNEL_GS_BASE:
		which = SEGBASE_GS_USER;
		break;
	case MSR_GS_BASE:
		which = SEGBASE_GS_KERNEL;
		break;
	default:
		*handled = false;
		return 0;
	}
	*handled = true;
	return HYPERVISOR_set_segment_base(which, val) ? -EIO : 0;
}

static u64 xen_pv_read_msr_safe(unsigned int msr, int *err)
{
	/* Xen emulates the reads it allows and faults the others. */
	return native_read_msr_safe(msr, err);
}

static int xen_pv_write_msr_safe(unsigned int msr, unsigned int lo,
				 unsigned int hi)
{
	bool handled;
	int ret = xen_pv_segment_msr(msr, ((u64)hi << 32) | lo, &handled);

	if (handled)
		return ret;
	return native_write_msr_safe(msr, lo, hi);
}

static u64 xen_pv_read_msr(unsigned int msr)
{
	int err;

	return xen_pv_read_msr_safe(msr, &err);
}

static void xen_pv_write_msr(unsigned int msr, unsigned int lo,
			     unsigned int hi)
{
	xen_pv_write_msr_safe(msr, lo, hi);
}

static void xen_pv_wbinvd(void)
{
	/* Caches are Xen's business; nothing a guest flush would change. */
}

static void xen_pv_io_delay(void)
{
}

DEFINE_PER_CPU(unsigned long, xen_cr0_shadow) = X86_CR0_PE | X86_CR0_MP |
	X86_CR0_ET | X86_CR0_NE | X86_CR0_WP | X86_CR0_AM | X86_CR0_PG;

void __init xen_pv_install_cpu_ops(void)
{
	pv_info.name = "Xen PV";
	pv_info.extra_user_64bit_cs = FLAT_USER_CS64;

	pv_ops.cpu.io_delay = xen_pv_io_delay;
	pv_ops.cpu.cpuid = xen_pv_cpuid;
	pv_ops.cpu.get_debugreg = xen_pv_get_debugreg;
	pv_ops.cpu.set_debugreg = xen_pv_set_debugreg;
	pv_ops.cpu.read_cr0 = xen_pv_read_cr0;
	pv_ops.cpu.write_cr0 = xen_pv_write_cr0;
	pv_ops.cpu.write_cr4 = xen_pv_write_cr4;
	pv_ops.cpu.wbinvd = xen_pv_wbinvd;
	pv_ops.cpu.read_msr = xen_pv_read_msr;
	pv_ops.cpu.write_msr = xen_pv_write_msr;
	pv_ops.cpu.read_msr_safe = xen_pv_read_msr_safe;
	pv_ops.cpu.write_msr_safe = xen_pv_write_msr_safe;
	pv_ops.cpu.read_pmc = native_read_pmc;
	pv_ops.cpu.load_tr_desc = xen_pv_load_tr_desc;
	pv_ops.cpu.store_tr = xen_pv_store_tr;
	pv_ops.cpu.set_ldt = xen_pv_set_ldt;
	pv_ops.cpu.load_gdt = xen_pv_load_gdt;
	pv_ops.cpu.load_idt = xen_pv_load_idt;
	pv_ops.cpu.load_tls = xen_pv_load_tls;
	pv_ops.cpu.load_gs_index = xen_pv_load_gs_index;
	pv_ops.cpu.alloc_ldt = xen_pv_alloc_ldt;
	pv_ops.cpu.free_ldt = xen_pv_free_ldt;
	pv_ops.cpu.write_ldt_entry = xen_pv_write_ldt_entry;
	pv_ops.cpu.write_gdt_entry = xen_pv_write_gdt_entry;
	pv_ops.cpu.write_idt_entry = xen_pv_write_idt_entry;
	pv_ops.cpu.load_sp0 = xen_pv_load_sp0;
	pv_ops.cpu.start_context_switch = xen_mc_enter_lazy_cpu;
	pv_ops.cpu.end_context_switch = xen_pv_end_context_switch;
}

/* Switch from Xen's default GDT to the boot CPU's own one. */
void __init xen_pv_setup_boot_gdt(void)
{
	struct desc_ptr gdt = {
		.address = (unsigned long)get_cpu_gdt_rw(0),
		.size = GDT_SIZE - 1,
	};

	xen_pv_load_gdt(&gdt);
}
