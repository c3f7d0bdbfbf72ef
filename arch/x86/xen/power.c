// SPDX-License-Identifier: GPL-2.0
/*
 * Power off, reboot and crash of a PV guest: there is no hardware to
 * reset, so each ends with SCHEDOP_shutdown and a reason the toolstack acts
 * on (on_poweroff / on_reboot / on_crash in the domain's configuration).
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/notifier.h>
#include <linux/panic_notifier.h>
#include <asm/reboot.h>

#include <asm/xen/hypercall.h>
#include <xen/xen.h>

#include "xen-pv.h"

void __noreturn xen_pv_shutdown(unsigned int reason)
{
	struct sched_shutdown s = { .reason = reason };

	for (;;)
		HYPERVISOR_sched_op(SCHEDOP_shutdown, &s);
}

static void xen_pv_restart(char *cmd)
{
	xen_pv_shutdown(SHUTDOWN_reboot);
}

static void xen_pv_halt_machine(void)
{
	xen_pv_shutdown(SHUTDOWN_poweroff);
}

static void xen_pv_emergency_restart(void)
{
	xen_pv_shutdown(SHUTDOWN_reboot);
}

static int xen_pv_panic(struct notifier_block *nb, unsigned long event,
			void *msg)
{
	/* With on_crash=preserve the toolstack keeps us for inspection. */
	xen_pv_shutdown(SHUTDOWN_crash);
	return NOTIFY_DONE;
}

static struct notifier_block xen_pv_panic_block = {
	.notifier_call = xen_pv_panic,
	/* After everyone else has had their say. */
	.priority = INT_MIN,
};

void __init xen_pv_install_power_ops(void)
{
	machine_ops.restart = xen_pv_restart;
	machine_ops.halt = xen_pv_halt_machine;
	machine_ops.power_off = xen_pv_halt_machine;
	machine_ops.emergency_restart = xen_pv_emergency_restart;
	atomic_notifier_chain_register(&panic_notifier_list,
				       &xen_pv_panic_block);
}
