// SPDX-License-Identifier: GPL-2.0
/*
 * Time in a PV guest.
 *
 * Xen keeps a pvclock record per vCPU in its vcpu_info (system time in ns
 * since boot at a TSC stamp, and the TSC->ns scale), refreshed whenever the
 * vCPU is scheduled or the scale drifts, so "system time now" is that
 * record extrapolated with rdtsc -- correct on whichever physical CPU the
 * vCPU runs.  The wall clock is the system-time epoch in shared_info.
 *
 * Timer interrupts are one-shot: VCPUOP_set_singleshot_timer arms the
 * vCPU's timer at an absolute system time, and its expiry arrives as
 * VIRQ_TIMER on that vCPU.  Xen's default 100 Hz periodic tick is stopped.
 */
#include <linux/clockchips.h>
#include <linux/clocksource.h>
#include <linux/interrupt.h>
#include <linux/kernel.h>
#include <linux/percpu.h>
#include <linux/sched/clock.h>
#include <linux/sched_clock.h>
#include <linux/slab.h>
#include <asm/pvclock.h>
#include <asm/timer.h>

#include <asm/xen/guest.h>
#include <asm/xen/hypercall.h>
#include <xen/events.h>

#include "xen-pv.h"

/* Xen's vcpu_time_info and the generic pvclock record are one layout. */
static struct pvclock_vcpu_time_info *xen_this_cpu_clock(void)
{
	return (struct pvclock_vcpu_time_info *)&this_cpu_read(xen_vcpu)->time;
}

u64 xen_pv_clock_ns(void)
{
	u64 ns;

	preempt_disable_notrace();
	ns = pvclock_clocksource_read(xen_this_cpu_clock());
	preempt_enable_notrace();
	return ns;
}

static u64 xen_clocksource_read(struct clocksource *cs)
{
	return xen_pv_clock_ns();
}

/*
 * sched_clock is Xen's system time less a base.  Xen's clock counts from
 * the host's boot: unchanged, it would stamp a guest's first messages
 * with the host's uptime and jump by seconds where it takes over from
 * the TSC clock of early boot.  The base makes it go on from the value
 * it had, there and after a restore (a new domain, maybe on a host
 * whose clock started later).  u64 arithmetic wraps both ways, so a
 * base "above" Xen's time is fine.
 */
static u64 xen_sched_clock_base;
static u64 xen_sched_clock_at_suspend;

static u64 xen_sched_clock(void)
{
	return xen_pv_clock_ns() - xen_sched_clock_base;
}

/* CPU 0, the others stopped: just before the suspend hypercall. */
void xen_pv_time_suspend(void)
{
	xen_sched_clock_at_suspend = xen_sched_clock();
}

static struct clocksource xen_clocksource = {
	.name	= "xen",
	.rating	= 400,
	.read	= xen_clocksource_read,
	.mask	= CLOCKSOURCE_MASK(64),
	.flags	= CLOCK_SOURCE_IS_CONTINUOUS,
};

unsigned long xen_pv_tsc_khz(void)
{
	return pvclock_tsc_khz(xen_this_cpu_clock());
}

void xen_pv_get_wallclock(struct timespec64 *now)
{
	struct shared_info *s = HYPERVISOR_shared_info;

	preempt_disable();
	/* wc_version, wc_sec, wc_nsec have the pvclock_wall_clock layout. */
	pvclock_read_wallclock((struct pvclock_wall_clock *)&s->wc_version,
			       xen_this_cpu_clock(), now);
	preempt_enable();
}

int xen_pv_set_wallclock(const struct timespec64 *now)
{
	/* Only the control domain may set the host clock (later). */
	return -ENODEV;
}

/* ---- per-CPU one-shot timer ------------------------------------------------- */

struct xen_timer {
	struct clock_event_device evt;
	int irq;
	char name[16];
};

static DEFINE_PER_CPU(struct xen_timer, xen_timer) = { .irq = -1 };

static int xen_timer_next_event(unsigned long delta,
				struct clock_event_device *evt)
{
	struct vcpu_set_singleshot_timer t = {
		.timeout_abs_ns = xen_pv_clock_ns() + delta,
	};
	int cpu = smp_processor_id();

	/*
	 * Not VCPU_SSHOTTMR_future: an expiry already in the past must
	 * still fire, or the tick would be lost.
	 */
	if (HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, xen_vcpu_nr(cpu),
			       &t))
		return -ETIME;
	return 0;
}

static int xen_timer_shutdown(struct clock_event_device *evt)
{
	unsigned int cpu = cpumask_first(evt->cpumask);

	/*
	 * Xen stops a vCPU's timer only when that vCPU asks.  The CPU
	 * hotplug code detaches a dead CPU's device from another CPU; a
	 * late expiry then waits on a port that is about to be closed.
	 */
	if (cpu != smp_processor_id())
		return 0;
	HYPERVISOR_vcpu_op(VCPUOP_stop_singleshot_timer, xen_vcpu_nr(cpu),
			   NULL);
	return 0;
}

static irqreturn_t xen_timer_interrupt(int irq, void *dev)
{
	struct clock_event_device *evt = &this_cpu_ptr(&xen_timer)->evt;

	if (evt->event_handler)
		evt->event_handler(evt);
	return IRQ_HANDLED;
}

int xen_pv_timer_setup(unsigned int cpu)
{
	struct xen_timer *t = &per_cpu(xen_timer, cpu);
	int irq;

	snprintf(t->name, sizeof(t->name), "timer%u", cpu);
	t->evt = (struct clock_event_device) {
		.name			= "xen",
		.features		= CLOCK_EVT_FEAT_ONESHOT,
		.rating			= 500,
		.mult			= 1,
		.shift			= 0,
		.min_delta_ns		= 100000,
		.max_delta_ns		= 0xffffffff,
		.min_delta_ticks	= 100000,
		.max_delta_ticks	= 0xffffffff,
		.set_next_event		= xen_timer_next_event,
		.set_state_shutdown	= xen_timer_shutdown,
		.set_state_oneshot	= xen_timer_shutdown,
		.cpumask		= cpumask_of(cpu),
	};

	irq = xen_evtchn_bind_virq(VIRQ_TIMER, cpu, xen_timer_interrupt,
				   IRQF_PERCPU | IRQF_NOBALANCING | IRQF_TIMER,
				   t->name, NULL);
	if (irq < 0) {
		pr_err("Xen: cannot bind VIRQ_TIMER for CPU %u: %d\n", cpu, irq);
		return irq;
	}
	t->irq = irq;
	return 0;
}

/* Runs on the CPU itself once it is up. */
void xen_pv_timer_start(unsigned int cpu)
{
	/*
	 * Xen starts every vCPU with a periodic tick we do not want; only
	 * the vCPU itself may stop it.
	 */
	HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, xen_vcpu_nr(cpu), NULL);
	clockevents_register_device(&per_cpu(xen_timer, cpu).evt);
	if (cpu)
		xen_pv_steal_register(cpu);
}

/*
 * After a suspend, on each CPU, interrupts off.  A new domain's vCPU has
 * Xen's default periodic tick again and no one-shot timer: stop the one,
 * and fire the other at once so that the tick code, finding nothing
 * expired or everything, programs the next event itself.  A checkpoint
 * kept both as they were.  The timekeeping core (syscore_resume()) has
 * dealt with the clock: Xen's system time went on during the suspend.
 */
void xen_pv_timer_resume(bool new_domain)
{
	unsigned int cpu = smp_processor_id();
	struct vcpu_set_singleshot_timer t = {
		.timeout_abs_ns = xen_pv_clock_ns() + NSEC_PER_USEC * 100,
	};

	if (!new_domain)
		return;
	if (cpu == 0) {
		pvclock_resume();
		xen_sched_clock_base = xen_pv_clock_ns() -
				       xen_sched_clock_at_suspend;
	}
	HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, xen_vcpu_nr(cpu), NULL);
	if (per_cpu(xen_timer, cpu).irq >= 0)
		HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer,
				   xen_vcpu_nr(cpu), &t);
}

void xen_pv_timer_teardown(unsigned int cpu)
{
	struct xen_timer *t = &per_cpu(xen_timer, cpu);

	if (t->irq >= 0) {
		xen_evtchn_unbind(t->irq, NULL);
		t->irq = -1;
	}
}

void __init xen_pv_time_init(void)
{
	struct timespec64 now;

	clocksource_register_hz(&xen_clocksource, NSEC_PER_SEC);
	xen_sched_clock_base = xen_pv_clock_ns() - sched_clock();
	paravirt_set_sched_clock(xen_sched_clock);

	/* A clock that is not running would stall everything after this. */
	xen_pv_get_wallclock(&now);
	pr_info("Xen: clock %llu ns since boot, TSC %lu kHz\n",
		xen_pv_clock_ns(), xen_pv_tsc_khz());

	if (xen_pv_timer_setup(0))
		panic("Xen: no timer for the boot CPU\n");
	xen_pv_timer_start(0);
	xen_pv_steal_init();
}
