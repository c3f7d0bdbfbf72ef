// SPDX-License-Identifier: GPL-2.0
/*
 * The x86 PV half of a suspend: what the toolstack's save and restore
 * code (Xen 4.17, tools/libs/guest/xg_sr_*_x86_pv.c) requires of the
 * guest's memory, and the per-vCPU state a new domain has forgotten.
 * drivers/xen/suspend.c runs these, on one CPU or on each, inside
 * stop_machine():
 *
 *   xen_arch_suspend_check()   before: can this guest be saved at all?
 *   xen_arch_pre_suspend()     CPU 0: every page table pinned, nothing
 *                              but our own frames mapped, start_info's
 *                              frames as pfns
 *   xen_arch_suspend()         CPU 0: the hypercall; 1 if cancelled
 *   xen_arch_post_suspend()    CPU 0: shared_info and the P2M tree again
 *   xen_arch_cpu_resume()      each CPU, new domain: its vcpu_info,
 *                              callbacks and runstate area
 *   xen_arch_timer_resume()    each CPU, its events bound again: timer
 *   xen_arch_end_suspend()     CPU 0, last: the extra pins undone
 *
 * Trusted: Xen and the toolstack, which rewrite start_info, shared_info
 * and the P2M while we are away.
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/printk.h>
#include <linux/smp.h>
#include <asm/fixmap.h>
#include <asm/xen/guest.h>
#include <asm/xen/hypercall.h>
#include <asm/xen/page.h>
#include <xen/suspend.h>
#include <xen/xen.h>

#include "xen-pv.h"

/* What HYPERVISOR_shared_info points at while the real page is unmapped. */
static struct shared_info xen_suspend_dummy_info;

int xen_arch_suspend_check(void)
{
	unsigned int cpu;

	if (xen_initial_domain())
		return -EOPNOTSUPP;
	/*
	 * A CPU whose vcpu_info is a shared_info slot would touch the page
	 * while it is unmapped; Xen 4.17 always takes our per-CPU copies.
	 */
	for_each_online_cpu(cpu)
		if (!xen_pv_vcpu_info_placed(cpu))
			return -EOPNOTSUPP;
	return 0;
}

void xen_arch_pre_suspend(void)
{
	struct shared_info *s = HYPERVISOR_shared_info;
	unsigned int i;
	int rc;

	xen_pin_all_for_suspend();
	xen_pv_time_suspend();

	/* The restore reads these as pfns and writes back the new MFNs. */
	xen_start_info->store_mfn = mfn_to_pfn(xen_start_info->store_mfn);
	xen_start_info->console.domU.mfn =
		mfn_to_pfn(xen_start_info->console.domU.mfn);

	/*
	 * The restore copies these slots into the new domain, and Xen copies
	 * a slot into our vcpu_info when we register it again: have events
	 * masked there, as they are here, until each CPU unmasks them.
	 */
	for (i = 0; i < XEN_LEGACY_MAX_VCPUS; i++)
		s->vcpu_info[i].evtchn_upcall_mask = 1;

	/* Xen's page, not ours: the save refuses a mapping of it. */
	HYPERVISOR_shared_info = &xen_suspend_dummy_info;
	rc = HYPERVISOR_update_va_mapping(fix_to_virt(FIX_PARAVIRT_BOOTMAP), 0,
					  UVMF_INVLPG | UVMF_ALL);
	if (rc)
		panic("Xen: suspend: unmapping shared_info: %d\n", rc);
}

/*
 * SCHEDOP_shutdown(SHUTDOWN_suspend) names start_info's frame in a third
 * argument: the save turns it into a pfn, the restore into the new MFN.
 * Returns 0 in a new domain, 1 if the suspend was cancelled (checkpoint,
 * failed save): the guest goes on in the same domain.
 */
int xen_arch_suspend(void)
{
	struct sched_shutdown r = { .reason = SHUTDOWN_suspend };

	return xen_hcall3(__HYPERVISOR_sched_op, SCHEDOP_shutdown, &r,
			  virt_to_mfn(xen_start_info));
}

void xen_arch_post_suspend(bool cancelled)
{
	/* A restore put the new domain's page here. */
	set_fixmap(FIX_PARAVIRT_BOOTMAP, xen_start_info->shared_info);
	HYPERVISOR_shared_info =
		(struct shared_info *)fix_to_virt(FIX_PARAVIRT_BOOTMAP);

	if (cancelled) {
		xen_start_info->store_mfn =
			pfn_to_mfn(xen_start_info->store_mfn);
		xen_start_info->console.domU.mfn =
			pfn_to_mfn(xen_start_info->console.domU.mfn);
	}
	/* A restore leaves the tree's old MFNs, and zero in shared_info. */
	xen_p2m_publish();
}

void xen_arch_cpu_resume(bool new_domain)
{
	if (!new_domain)
		return;
	xen_pv_replace_vcpu_info();
	xen_pv_compat_entries(false);
	xen_pv_steal_register(smp_processor_id());
}

void xen_arch_timer_resume(bool new_domain)
{
	xen_pv_timer_resume(new_domain);
}

void xen_arch_end_suspend(void)
{
	xen_unpin_after_suspend();
}
