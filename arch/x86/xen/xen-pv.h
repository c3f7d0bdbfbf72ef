/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internal interfaces between the pieces of arch/x86/xen.
 */
#ifndef _ARCH_X86_XEN_XEN_PV_H
#define _ARCH_X86_XEN_XEN_PV_H

#include <linux/init.h>
#include <linux/percpu.h>
#include <linux/time64.h>
#include <linux/types.h>
#include <asm/pgtable_types.h>

struct mmuext_op;
struct trap_info;
struct task_struct;

/* boot.c, setup.c, dom0-memory.c */
char *xen_pv_memory_setup(void);
char *xen_dom0_memory_setup(void);

/* dom0.c */
void xen_dom0_init_irq(void);
void xen_dom0_init_pirqs(void);
void xen_dom0_init_platform(void);
void xen_pv_arch_setup(void);
void xen_pv_banner(void);
void xen_pv_pagetable_init(void);
void xen_pv_init_irq(void);
void xen_pv_place_vcpu_info(unsigned int cpu);
bool xen_pv_vcpu_info_placed(unsigned int cpu);
void xen_pv_replace_vcpu_info(void);
void xen_pv_enable_port_io(void);

/* pv-cpu.c, pv-irq.c */
void xen_pv_install_cpu_ops(void);
void xen_pv_install_irq_ops(void);
void xen_pv_install_percpu_irq_ops(void);
unsigned long xen_pv_save_fl_asm(void);
void xen_pv_irq_disable_asm(void);
void xen_pv_irq_enable_asm(void);
void xen_pv_setup_boot_gdt(void);
void xen_pv_fill_trap_ctxt(struct trap_info *ctxt, unsigned int slots);
DECLARE_PER_CPU(unsigned long, xen_cr0_shadow);

/* pv-ops-audit.c: what is wrong with a pv_ops value, and a table's scan. */
const char *xen_pv_ops_slot_fault(const void *fn);
size_t xen_pv_ops_next_fault(const void *const *tab, size_t n, size_t from);
size_t xen_pv_ops_reachable(void);

/* mmu.c, mmu-boot.c, p2m.c */
extern bool xen_pt_pages_tracked;
DECLARE_PER_CPU(unsigned long, xen_cr3);
DECLARE_PER_CPU(unsigned long, xen_cr3_queued_from);
void xen_pv_install_mmu_ops(void);
void xen_pv_adopt_pagetables(void);
void xen_pv_reserve_bootstrap(void);
void xen_pv_track_kernel_tables(void);
void xen_pv_map_shared_info(void);
void xen_p2m_init_boot(void);
void xen_p2m_reserve(void);
void xen_p2m_extend(unsigned long end_pfn);
unsigned long xen_boot_extra_end_pfn(void);
void xen_set_va_access(unsigned long va, unsigned long mfn, bool writable);
void xen_make_frame_readonly(unsigned long mfn);
void xen_make_frame_writable(unsigned long mfn);
void xen_pin_pgd(pgd_t *pgd);
void xen_pin_all_for_suspend(void);
void xen_unpin_after_suspend(void);
void xen_p2m_publish(void);
void *xen_lower_table(u64 entry);
typedef void (*xen_table_fn)(void *table, bool writable);
void xen_walk_user_tables(pgd_t *pgd, xen_table_fn fn, bool writable);

/* multicall.c */
void xen_mc_flush(void);
void xen_mc_flush_if_not_lazy(void);
void xen_mc_hold(void);
void xen_mc_release(void);
void xen_mmu_update(u64 ptr, u64 val);
void xen_mmuext_queue(const struct mmuext_op *op);
void xen_mc_update_va_mapping(unsigned long va, u64 pte, unsigned long flags);
void xen_mc_update_descriptor(u64 maddr, u64 desc);
void xen_mc_stack_switch(unsigned long ss, unsigned long sp);
void xen_mc_fpu_taskswitch(int set);
void xen_mc_install_lazy_mmu(void);
void xen_mc_enter_lazy_cpu(struct task_struct *prev);
void xen_mc_leave_lazy_cpu(struct task_struct *next);
DECLARE_PER_CPU(unsigned long, xen_mc_hypercalls);
DECLARE_PER_CPU(unsigned long, xen_mc_requests);

/* power.c */
void __noreturn xen_pv_shutdown(unsigned int reason);
void xen_pv_install_power_ops(void);

/* smp.c, smp-entry in pv-entry.S */
void xen_pv_install_smp_ops(void);
void xen_pv_count_vcpus(unsigned int early);
void xen_pv_secondary_entry(void);
asmlinkage void xen_pv_secondary_start(void);
/* Does not return; not marked so, or objtool misses its ud2 after it. */
void xen_pv_secondary_restart(unsigned long stack);

/* steal.c */
struct vcpu_runstate_info;
void xen_pv_runstate_read(unsigned int cpu, struct vcpu_runstate_info *out);
void xen_pv_steal_register(unsigned int cpu);
void xen_pv_steal_init(void);

/* time.c */
u64 xen_pv_clock_ns(void);
unsigned long xen_pv_tsc_khz(void);
void xen_pv_get_wallclock(struct timespec64 *now);
int xen_pv_set_wallclock(const struct timespec64 *now);
void xen_pv_time_init(void);
int xen_pv_timer_setup(unsigned int cpu);
void xen_pv_timer_start(unsigned int cpu);
void xen_pv_timer_teardown(unsigned int cpu);
void xen_pv_timer_resume(bool new_domain);
void xen_pv_time_suspend(void);

/* pv-entry.S, traps.c, and the hook in entry_64.S */
void xen_pv_iret(void);
void xen_pv_return_to_user(void);
void xen_pv_syscall_entry(void);
void xen_pv_syscall32_entry(void);
void xen_pv_sysenter_entry(void);
void xen_pv_compat_entries(bool boot_cpu);
void xen_pv_failsafe(void);
extern u8 xen_pv_iret_hook[];
void xen_pv_hook_iret(void);

#endif /* _ARCH_X86_XEN_XEN_PV_H */
