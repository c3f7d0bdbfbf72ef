// SPDX-License-Identifier: GPL-2.0
/*
 * Steal time: how long a vCPU wanted to run but had no physical CPU.
 *
 * Told where (VCPUOP_register_runstate_memory_area), Xen keeps a
 * vcpu_runstate_info per vCPU up to date in our memory at every change of
 * the vCPU's state: nanoseconds spent running, runnable (waiting for a
 * physical CPU), blocked and offline.  Runnable and offline time are what
 * the scheduler's steal accounting wants: /proc/stat's steal column, and
 * time not charged to whatever task happened to be current.
 *
 * Xen may be updating a record while another CPU reads it.  With
 * VMASST_TYPE_runstate_update_flag it sets XEN_RUNSTATE_UPDATE in
 * state_entry_time for the duration, so a reader retries until it copies
 * a record whose stamp was clear and unchanged around the copy.
 */
#include <linux/kernel.h>
#include <linux/percpu.h>
#include <linux/static_call.h>
#include <asm/paravirt.h>

#include <asm/xen/guest.h>
#include <asm/xen/hypercall.h>

#include "xen-pv.h"

static DEFINE_PER_CPU(struct vcpu_runstate_info, xen_runstate);
static bool xen_steal_available __read_mostly;

void xen_pv_runstate_read(unsigned int cpu, struct vcpu_runstate_info *out)
{
	struct vcpu_runstate_info *rs = &per_cpu(xen_runstate, cpu);
	u64 stamp;

	do {
		stamp = READ_ONCE(rs->state_entry_time);
		/* The stamp before the record it guards. */
		rmb();
		*out = *rs;
		/* The record before the stamp is checked again. */
		rmb();
	} while ((stamp & XEN_RUNSTATE_UPDATE) ||
		 READ_ONCE(rs->state_entry_time) != stamp);
}

static u64 xen_pv_steal_clock(int cpu)
{
	struct vcpu_runstate_info rs;

	xen_pv_runstate_read(cpu, &rs);
	return rs.time[RUNSTATE_runnable] + rs.time[RUNSTATE_offline];
}

/* On @cpu itself, as it comes up (again). */
void xen_pv_steal_register(unsigned int cpu)
{
	struct vcpu_register_runstate_memory_area area = {
		.addr.v = &per_cpu(xen_runstate, cpu),
	};
	int rc;

	if (!xen_steal_available)
		return;
	rc = HYPERVISOR_vcpu_op(VCPUOP_register_runstate_memory_area,
				xen_vcpu_nr(cpu), &area);
	/* The boot CPU's failure turned the feature off already. */
	WARN_ONCE(rc, "Xen: register_runstate_memory_area for CPU %u: %d\n",
		  cpu, rc);
}

void __init xen_pv_steal_init(void)
{
	int rc;

	/* Only with the update flag can a reader tell a torn record. */
	rc = HYPERVISOR_vm_assist(VMASST_CMD_enable,
				  VMASST_TYPE_runstate_update_flag);
	if (rc) {
		pr_info("Xen: no runstate update flag (%d), no steal time\n", rc);
		return;
	}
	xen_steal_available = true;
	xen_pv_steal_register(0);
	static_call_update(pv_steal_clock, xen_pv_steal_clock);
	static_key_slow_inc(&paravirt_steal_enabled);
}
