// SPDX-License-Identifier: GPL-2.0
/*
 * Suspend of a PV domU, for "xl save" (then "xl restore"), "xl save -c"
 * (a checkpoint: the guest goes on) and migration.  The toolstack asks
 * through control/shutdown = "suspend" (control.c); we then:
 *
 *   1. freeze user space and the devices (the PM core's FREEZE)
 *   2. let the xenstore ring go idle: the store of a new domain would
 *      never answer a request of the old one
 *   3. stop_machine() on every CPU.  The first one alone:
 *        syscore suspend (timekeeping), the arch's pre-suspend (page
 *        tables pinned, Xen's pages unmapped), grant frames unmapped,
 *        SCHEDOP_shutdown(SHUTDOWN_suspend) -- which returns in a new
 *        domain (0) or, cancelled, in the same one (1) --, the arch's
 *        post-suspend, its own vCPU state, grant frames, every VIRQ and
 *        IPI bound again, syscore resume;
 *      then each of the others its vcpu_info, callbacks and runstate
 *      area, and every CPU its timer (Xen forgot it)
 *   4. xenstore's and the console's new ports, our watches again
 *   5. devices and user space thawed (RESTORE after a new domain, THAW
 *      after a cancelled suspend)
 *
 * Only the first CPU makes hypercalls while the others are stopped, and
 * they spin without touching shared_info or their vcpu_info until it is
 * done: the restore brings every vCPU back where it was, spinning.
 *
 * Trusted: Xen and the toolstack, which save and restore us.
 */
#define pr_fmt(fmt) "xen-suspend: " fmt

#include <linux/atomic.h>
#include <linux/cpumask.h>
#include <linux/freezer.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/pm.h>
#include <linux/printk.h>
#include <linux/smp.h>
#include <linux/stop_machine.h>
#include <linux/syscore_ops.h>

#include <xen/events.h>
#include <xen/grant_table.h>
#include <xen/hvc-console.h>
#include <xen/suspend.h>
#include <xen/xenbus.h>

struct xen_suspend_ctx {
	u64 down_ns;		/* CLOCK_MONOTONIC at the hypercall */
	unsigned int leader;	/* the CPU that suspends */
	atomic_t leader_done;
	int err;		/* from syscore_suspend(): nothing was done */
	bool cancelled;		/* resumed in the same domain */
};

static void xen_suspend_leader(struct xen_suspend_ctx *ctx)
{
	ctx->err = syscore_suspend();
	if (ctx->err)
		return;

	xen_arch_pre_suspend();
	gnttab_suspend();
	/* Timekeeping is suspended: the fast accessor still reads. */
	ctx->down_ns = ktime_get_mono_fast_ns();
	ctx->cancelled = xen_arch_suspend() != 0;
	xen_arch_post_suspend(ctx->cancelled);

	xen_arch_cpu_resume(!ctx->cancelled);
	gnttab_resume(!ctx->cancelled);
	if (!ctx->cancelled)
		xen_evtchn_resume();
	syscore_resume();
}

static int xen_suspend_cpu(void *data)
{
	struct xen_suspend_ctx *ctx = data;

	if (smp_processor_id() == ctx->leader) {
		xen_suspend_leader(ctx);
		atomic_set_release(&ctx->leader_done, 1);
	} else {
		while (!atomic_read_acquire(&ctx->leader_done))
			cpu_relax();
		if (!ctx->err)
			xen_arch_cpu_resume(!ctx->cancelled);
	}
	if (!ctx->err)
		xen_arch_timer_resume(!ctx->cancelled);
	return 0;
}

/* Steps 2 to 4: devices frozen, user space too. */
static int xen_suspend_frozen(struct xen_suspend_ctx *ctx)
{
	bool new_domain;
	int rc;

	rc = xenbus_suspend();
	if (rc)
		return rc;
	rc = dpm_suspend_end(PMSG_FREEZE);
	if (rc) {
		pr_err("a device refused the late freeze: %d\n", rc);
		xenbus_resume(false);
		return rc;
	}

	xen_evtchn_suspend_lock();
	rc = stop_machine(xen_suspend_cpu, ctx, cpu_online_mask);
	if (!rc)
		rc = ctx->err;
	if (!rc)
		xen_arch_end_suspend();
	xen_evtchn_suspend_unlock();

	new_domain = !rc && !ctx->cancelled;
	dpm_resume_start(new_domain ? PMSG_RESTORE : PMSG_THAW);
	xenbus_resume(new_domain);
	xen_hvc_resume(new_domain);
	return rc;
}

/**
 * xen_suspend_domain - suspend for the toolstack and resume
 *
 * Process context; returns when the guest runs again: in a new domain,
 * after a checkpoint, or after a refusal (-errno, nothing lost).
 */
int xen_suspend_domain(void)
{
	struct xen_suspend_ctx ctx = {};
	u64 start = ktime_get_ns();
	int rc;

	rc = xen_arch_suspend_check();
	if (rc) {
		pr_warn("this domain cannot be suspended: %d\n", rc);
		return rc;
	}

	pr_info("suspending\n");
	rc = freeze_processes();
	if (rc) {
		pr_err("cannot freeze tasks: %d\n", rc);
		return rc;
	}
	rc = dpm_suspend_start(PMSG_FREEZE);
	if (rc) {
		pr_err("a device refused to freeze: %d\n", rc);
	} else {
		ctx.leader = cpumask_first(cpu_online_mask);
		rc = xen_suspend_frozen(&ctx);
	}
	dpm_resume_end(!rc && !ctx.cancelled ? PMSG_RESTORE : PMSG_THAW);
	thaw_processes();

	if (rc) {
		pr_err("suspend failed: %d; running on\n", rc);
		return rc;
	}
	/* CLOCK_MONOTONIC does not count the time away. */
	pr_info("resumed %s: %llu ms to suspend, %llu ms to resume\n",
		ctx.cancelled ? "in the same domain (checkpoint or cancelled)" :
				"in a new domain",
		div_u64(ctx.down_ns - start, NSEC_PER_MSEC),
		div_u64(ktime_get_ns() - ctx.down_ns, NSEC_PER_MSEC));
	return 0;
}
