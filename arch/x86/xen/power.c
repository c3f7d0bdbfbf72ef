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
#include <linux/reboot.h>
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

/*
 * The control domain turns the machine off with ACPI S5, which Xen
 * carries out (dom0.c hooks ACPI's sleep path); a plain domain shutdown
 * would only leave Xen halted.  Without ACPI, Xen halts it anyway.
 */
static void xen_dom0_power_off(void)
{
	if (kernel_can_power_off())
		do_kernel_power_off();
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
	machine_ops.power_off = xen_initial_domain() ? xen_dom0_power_off :
						      xen_pv_halt_machine;
	machine_ops.emergency_restart = xen_pv_emergency_restart;
	atomic_notifier_chain_register(&panic_notifier_list,
				       &xen_pv_panic_block);
}
