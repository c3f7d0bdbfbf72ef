// SPDX-License-Identifier: GPL-2.0
/*
 * More than one vCPU: starting secondaries, IPIs and CPU hotplug.
 *
 * There is no APIC, no INIT/SIPI and no real-mode trampoline.  Xen tells
 * us how many vCPUs the domain has; a vCPU is started by handing Xen its
 * complete initial register state (VCPUOP_initialise, once per vCPU for
 * the domain's life) and then VCPUOP_up.  It begins in 64-bit kernel mode
 * on our page tables with the GDT, trap table, callbacks and GS base we
 * chose, so the path into the common x86 code is short.
 *
 * IPIs are event channels: each CPU gets one port per kind of IPI
 * (xen_evtchn_bind_ipi), and sending one is EVTCHNOP_send.
 *
 * Going offline, a CPU takes itself down with VCPUOP_down from its idle
 * loop.  Since a vCPU cannot be given a new initial state, bringing it
 * back is VCPUOP_up, after which VCPUOP_down returns; the CPU then drops
 * its old stack and runs the start path again.  The per-CPU timer and IPI
 * ports are closed while the CPU is offline and bound anew before it
 * comes back.
 */
#define pr_fmt(fmt) "xen-smp: " fmt

#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/interrupt.h>
#include <linux/kernel.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/sched/task_stack.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <asm/apic.h>
#include <asm/cpu.h>
#include <asm/desc.h>
#include <asm/hardirq.h>
#include <asm/hw_irq.h>
#include <asm/idtentry.h>
#include <asm/mpspec.h>
#include <asm/processor.h>
#include <asm/smp.h>
#include <asm/tlbflush.h>

#include <asm/xen/guest.h>
#include <asm/xen/hypercall.h>
#include <asm/xen/page.h>
#include <xen/events.h>

#include "xen-pv.h"

/* How long cpu_up() waits for a started vCPU to report online. */
#define XEN_CPU_START_MS	20000
/* How long cpu_die() waits for Xen to see the vCPU down. */
#define XEN_CPU_DOWN_MS		5000

/* vCPUs that got their initial state; Xen takes it only once. */
static cpumask_t xen_vcpus_initialised;

/* ---- vCPU enumeration ------------------------------------------------------ */

/*
 * x86_init.mpparse.get_smp_config: there are no MP or ACPI tables to
 * enumerate CPUs, but VCPUOP_is_up answers for every vCPU the domain has
 * (up or not) and fails for the rest.  vCPU ids are dense from 0.  The
 * generic prefill_possible_map() turns the count into the possible mask,
 * capped at NR_CPUS.
 */
void __init xen_pv_count_vcpus(unsigned int early)
{
	unsigned int n;

	if (early)
		return;
	for (n = 0; n < nr_cpu_ids; n++)
		if (HYPERVISOR_vcpu_op(VCPUOP_is_up, n, NULL) < 0)
			break;
	num_processors = max(n, 1U);
	pr_info("%u vCPU%s\n", num_processors, num_processors > 1 ? "s" : "");
}

/* ---- IPIs ------------------------------------------------------------------ */

static irqreturn_t xen_ipi_resched(int irq, void *dev)
{
	inc_irq_stat(irq_resched_count);
	scheduler_ipi();
	return IRQ_HANDLED;
}

static irqreturn_t xen_ipi_call(int irq, void *dev)
{
	inc_irq_stat(irq_call_count);
	generic_smp_call_function_interrupt();
	return IRQ_HANDLED;
}

static irqreturn_t xen_ipi_call_single(int irq, void *dev)
{
	inc_irq_stat(irq_call_count);
	generic_smp_call_function_single_interrupt();
	return IRQ_HANDLED;
}

/*
 * smp_send_stop() on another CPU (panic, reboot): leave the online mask
 * so the sender can tell we are gone, then stop the vCPU.  Nothing brings
 * it back.
 */
static void __noreturn xen_stop_this_cpu(void)
{
	unsigned int cpu = smp_processor_id();

	set_cpu_online(cpu, false);
	local_irq_disable();
	for (;;)
		HYPERVISOR_vcpu_op(VCPUOP_down, xen_vcpu_nr(cpu), NULL);
}

static irqreturn_t xen_ipi_stop(int irq, void *dev)
{
	xen_stop_this_cpu();
}

static const struct {
	const char *name;
	irq_handler_t handler;
} xen_ipi_kinds[XEN_IPI_NR] = {
	[XEN_IPI_RESCHEDULE]		= { "resched", xen_ipi_resched },
	[XEN_IPI_CALL_FUNC]		= { "callfunc", xen_ipi_call },
	[XEN_IPI_CALL_FUNC_SINGLE]	= { "call1func", xen_ipi_call_single },
	[XEN_IPI_STOP]			= { "stop", xen_ipi_stop },
};

/* The irqs of each CPU's IPI ports (0: not bound) and their names. */
static DEFINE_PER_CPU(int [XEN_IPI_NR], xen_ipi_irqs);
static DEFINE_PER_CPU(char [XEN_IPI_NR][16], xen_ipi_names);

static void xen_unbind_ipis(unsigned int cpu)
{
	int *irqs = per_cpu(xen_ipi_irqs, cpu);
	unsigned int i;

	for (i = 0; i < XEN_IPI_NR; i++) {
		if (irqs[i] > 0)
			xen_evtchn_unbind(irqs[i], NULL);
		irqs[i] = 0;
	}
}

static int xen_bind_ipis(unsigned int cpu)
{
	int *irqs = per_cpu(xen_ipi_irqs, cpu);
	unsigned int i;
	int irq;

	for (i = 0; i < XEN_IPI_NR; i++) {
		char *name = per_cpu(xen_ipi_names, cpu)[i];

		snprintf(name, sizeof(per_cpu(xen_ipi_names, cpu)[i]), "%s%u",
			 xen_ipi_kinds[i].name, cpu);
		irq = xen_evtchn_bind_ipi(i, cpu, xen_ipi_kinds[i].handler,
					  IRQF_PERCPU | IRQF_NOBALANCING,
					  name, NULL);
		if (irq < 0) {
			pr_err("cannot bind IPI %s for CPU %u: %d\n",
			       xen_ipi_kinds[i].name, cpu, irq);
			xen_unbind_ipis(cpu);
			return irq;
		}
		irqs[i] = irq;
	}
	return 0;
}

static void xen_pv_send_reschedule(int cpu)
{
	xen_send_ipi(cpu, XEN_IPI_RESCHEDULE);
}

static void xen_pv_send_call_func_ipi(const struct cpumask *mask)
{
	unsigned int cpu;

	for_each_cpu(cpu, mask)
		xen_send_ipi(cpu, XEN_IPI_CALL_FUNC);
}

static void xen_pv_send_call_func_single_ipi(int cpu)
{
	xen_send_ipi(cpu, XEN_IPI_CALL_FUNC_SINGLE);
}

/*
 * Stop every other CPU for panic or reboot.  Waits a second at most
 * whatever @wait says: a CPU spinning with events masked never answers,
 * and the shutdown hypercall that follows stops all vCPUs anyway.
 */
static void xen_pv_stop_other_cpus(int wait)
{
	static atomic_t stopper = ATOMIC_INIT(-1);
	unsigned int cpu, self, waited;
	unsigned long flags;

	local_irq_save(flags);
	self = smp_processor_id();
	/* Two CPUs panicking at once must not stop each other. */
	if (atomic_cmpxchg(&stopper, -1, self) != -1) {
		local_irq_restore(flags);
		return;
	}
	for_each_online_cpu(cpu)
		if (cpu != self)
			xen_send_ipi(cpu, XEN_IPI_STOP);
	for (waited = 0; waited < MSEC_PER_SEC && num_online_cpus() > 1;
	     waited++)
		mdelay(1);
	if (num_online_cpus() > 1)
		pr_warn("%u CPU(s) did not stop\n", num_online_cpus() - 1);
	local_irq_restore(flags);
}

/* ---- starting a secondary ------------------------------------------------ */

/* Where a secondary's stack starts: empty, below its pt_regs, 16-aligned. */
static unsigned long xen_idle_stack_top(struct task_struct *idle)
{
	return ALIGN_DOWN((unsigned long)task_pt_regs(idle), 16);
}

/* First C code of a secondary CPU, entered from xen_pv_secondary_entry. */
asmlinkage __visible void __noreturn notrace xen_pv_secondary_start(void)
{
	unsigned int cpu;

	cr4_init();
	cpu_init_secondary();
	/* Not before cpu_init(): the compiler may not move it up. */
	barrier();
	cpu = smp_processor_id();
	rcu_cpu_starting(cpu);
	xen_pv_enable_port_io();
	xen_pv_compat_entries(false);

	smp_store_cpu_info(cpu);
	set_cpu_sibling_map(cpu);
	notify_cpu_starting(cpu);

	/* The vector bookkeeping of cpu_disable_common() expects this. */
	lock_vector_lock();
	set_cpu_online(cpu, true);
	lapic_online();
	unlock_vector_lock();
	cpu_set_state_online(cpu);

	local_irq_enable();
	xen_pv_timer_start(cpu);
	cpu_startup_entry(CPUHP_AP_ONLINE_IDLE);
}

/*
 * The state a vCPU starts in.  Code and stack selectors are Xen's flat
 * ones, exactly what the boot vCPU started with; Linux's own GDT is loaded
 * by cpu_init() and only its data and TLS entries are ever used.  The
 * kernel stack Xen switches to on a user->kernel transition is the idle
 * task's until the first context switch sets it.
 */
static void xen_fill_vcpu_context(struct vcpu_guest_context *ctxt,
				  unsigned int cpu, struct task_struct *idle,
				  unsigned long gdt_mfn)
{
	ctxt->flags = VGCF_in_kernel | VGCF_failsafe_disables_events |
		      VGCF_syscall_disables_events;
	ctxt->vm_assist = BIT(VMASST_TYPE_writable_pagetables);

	/* How Xen enters the kernel: the boot CPU's callbacks and traps. */
	ctxt->syscall_callback_eip = (unsigned long)xen_pv_syscall_entry;
	ctxt->failsafe_callback_eip = (unsigned long)xen_pv_failsafe;
	ctxt->event_callback_eip = (unsigned long)xen_asm_sysvec_xen_pv_upcall;
	xen_pv_fill_trap_ctxt(ctxt->trap_ctxt, ARRAY_SIZE(ctxt->trap_ctxt));

	/* Address space, descriptor table and per-CPU base. */
	ctxt->ctrlreg[3] = xen_pfn_to_cr3(virt_to_mfn(swapper_pg_dir));
	ctxt->gdt_ents = GDT_ENTRIES;
	ctxt->gdt_frames[0] = gdt_mfn;
	ctxt->gs_base_kernel = per_cpu_offset(cpu);

	/* Where it starts running, and the stack for entries from user. */
	ctxt->user_regs.rflags = X86_EFLAGS_FIXED;
	ctxt->user_regs.ss = FLAT_KERNEL_SS;
	ctxt->user_regs.cs = FLAT_KERNEL_CS;
	ctxt->user_regs.rsp = xen_idle_stack_top(idle);
	ctxt->user_regs.rip = (unsigned long)xen_pv_secondary_entry;
	ctxt->kernel_sp = task_top_of_stack(idle);
	ctxt->kernel_ss = __KERNEL_DS;
}

static int xen_initialise_vcpu(unsigned int cpu, struct task_struct *idle)
{
	unsigned long gdt_mfn = xen_walk_virt_to_mfn(get_cpu_gdt_rw(cpu));
	struct vcpu_guest_context *ctxt;
	int rc;

	ctxt = kzalloc(sizeof(*ctxt), GFP_KERNEL);
	if (!ctxt)
		return -ENOMEM;

	/* Xen refuses a GDT frame that is still mapped writable. */
	xen_make_frame_readonly(gdt_mfn);
	xen_fill_vcpu_context(ctxt, cpu, idle, gdt_mfn);
	/* Checked by initialize_tlbstate_and_flush() on the new CPU. */
	per_cpu(xen_cr3, cpu) = __pa(swapper_pg_dir);

	rc = HYPERVISOR_vcpu_op(VCPUOP_initialise, xen_vcpu_nr(cpu), ctxt);
	kfree(ctxt);
	if (rc) {
		pr_err("vcpu_op(initialise) for CPU %u failed: %d\n", cpu, rc);
		return rc;
	}
	cpumask_set_cpu(cpu, &xen_vcpus_initialised);
	return 0;
}

/*
 * Everything a CPU needs bound before it runs.  A hotplug "prepare" step
 * on a surviving CPU, not part of cpu_up(): the core calls cpu_up() with
 * irq descriptor allocation locked, and binding a port allocates an irq.
 * The matching teardown, xen_cpu_unwire(), runs once the CPU is dead.
 */
static int xen_cpu_wire(unsigned int cpu)
{
	int rc;

	xen_pv_place_vcpu_info(cpu);
	/* Events stay masked until the CPU enables interrupts itself. */
	per_cpu(xen_vcpu, cpu)->evtchn_upcall_mask = 1;
	rc = xen_evtchn_cpu_prepare(cpu);
	if (rc)
		return rc;

	rc = xen_pv_timer_setup(cpu);
	if (rc)
		return rc;
	rc = xen_bind_ipis(cpu);
	if (rc)
		xen_pv_timer_teardown(cpu);
	return rc;
}

static int xen_cpu_unwire(unsigned int cpu)
{
	xen_unbind_ipis(cpu);
	xen_pv_timer_teardown(cpu);
	return 0;
}

static int xen_pv_cpu_up(unsigned int cpu, struct task_struct *idle)
{
	unsigned long deadline;
	int rc;

	rc = common_cpu_up(cpu, idle);
	if (!rc && !cpumask_test_cpu(cpu, &xen_vcpus_initialised))
		rc = xen_initialise_vcpu(cpu, idle);
	if (!rc) {
		/*
		 * cpu_init() on the new CPU marks it initialised and waits
		 * for the callout; a CPU that was offline had both cleared.
		 */
		cpumask_clear_cpu(cpu, cpu_initialized_mask);
		cpumask_set_cpu(cpu, cpu_callout_mask);
		rc = HYPERVISOR_vcpu_op(VCPUOP_up, xen_vcpu_nr(cpu), NULL);
		if (rc)
			pr_err("vcpu_op(up) for CPU %u failed: %d\n", cpu, rc);
	}
	if (rc)
		return rc;

	/* The vCPU may wait for a physical CPU: sleep, do not spin. */
	deadline = jiffies + msecs_to_jiffies(XEN_CPU_START_MS);
	while (!cpu_online(cpu)) {
		if (time_after(jiffies, deadline)) {
			pr_err("CPU %u started but never came online\n", cpu);
			return -EIO;
		}
		usleep_range(1000, 2000);
	}
	return 0;
}

/* The vCPUs are present already (xen_pv_smp_prepare_boot_cpu()). */
static void __init xen_pv_smp_prepare_cpus(unsigned int max_cpus)
{
	int rc;

	smp_prepare_cpus_common();
	if (xen_bind_ipis(0))
		panic("Xen: no IPIs for the boot CPU\n");

	/* The boot CPU is wired already: no calls for the online CPUs. */
	rc = cpuhp_setup_state_nocalls(CPUHP_BP_PREPARE_DYN, "x86/xen:prepare",
				       xen_cpu_wire, xen_cpu_unwire);
	if (rc < 0)
		panic("Xen: cannot hook CPU bring-up: %d\n", rc);
}

static void __init xen_pv_smp_cpus_done(unsigned int max_cpus)
{
	calculate_max_logical_packages();
}

/* ---- CPU hotplug ------------------------------------------------------------ */

/* On the CPU going offline, with every other CPU stopped. */
static int xen_pv_cpu_disable(void)
{
	/* CPU 0 keeps the global VIRQs and the boot-time bindings. */
	if (smp_processor_id() == 0)
		return -EBUSY;
	cpu_disable_common();
	return 0;
}

/* The idle loop of an offline CPU ends here. */
static void xen_pv_play_dead(void)
{
	unsigned int cpu = smp_processor_id();

	play_dead_common();
	HYPERVISOR_vcpu_op(VCPUOP_down, xen_vcpu_nr(cpu), NULL);
	/* cpu_up() brought the vCPU back. */
	xen_pv_secondary_restart(xen_idle_stack_top(current));
	unreachable();
}

/*
 * On a surviving CPU, once the dying one reported from play_dead.  Its
 * ports are closed later, by the teardown of xen_cpu_wire().
 */
static void xen_pv_cpu_die(unsigned int cpu)
{
	unsigned long deadline = jiffies + msecs_to_jiffies(XEN_CPU_DOWN_MS);

	if (common_cpu_die(cpu))
		return;
	/* It reports before VCPUOP_down: wait until Xen agrees it is down. */
	while (HYPERVISOR_vcpu_op(VCPUOP_is_up, xen_vcpu_nr(cpu), NULL) > 0) {
		if (time_after(jiffies, deadline)) {
			pr_err("vCPU %u does not go down\n", xen_vcpu_nr(cpu));
			return;
		}
		usleep_range(1000, 2000);
	}
}

void __init xen_pv_install_smp_ops(void)
{
	smp_ops.smp_prepare_cpus = xen_pv_smp_prepare_cpus;
	smp_ops.smp_cpus_done = xen_pv_smp_cpus_done;
	smp_ops.cpu_up = xen_pv_cpu_up;
	smp_ops.cpu_disable = xen_pv_cpu_disable;
	smp_ops.cpu_die = xen_pv_cpu_die;
	smp_ops.play_dead = xen_pv_play_dead;
	smp_ops.stop_other_cpus = xen_pv_stop_other_cpus;
	smp_ops.smp_send_reschedule = xen_pv_send_reschedule;
	smp_ops.send_call_func_ipi = xen_pv_send_call_func_ipi;
	smp_ops.send_call_func_single_ipi = xen_pv_send_call_func_single_ipi;
}
