// SPDX-License-Identifier: GPL-2.0
/*
 * The event upcall: Xen's equivalent of an interrupt vector.
 *
 * Under the 2-level ABI Xen flags work for a vCPU in three layers: the
 * port's bit in the shared pending bitmap, the word's bit in
 * vcpu_info->evtchn_pending_sel, and vcpu_info->evtchn_upcall_pending.
 * We consume them top-down.  Clearing upcall_pending first and
 * re-checking it at the end means an event that arrives while we scan
 * makes us go round again rather than being lost.  The FIFO ABI (fifo.c)
 * keeps the outer flag and replaces the rest.
 *
 * Fairness: a port that fires continuously must not starve the others.
 * Each pass handles every ready port at most once and starts just after
 * the last port this CPU handled, wrapping round the whole port space.
 */
#include <linux/irq.h>
#include <linux/irqdesc.h>
#include <linux/percpu.h>
#include <linux/printk.h>
#include <asm/irq_regs.h>
#include <asm/xen/guest.h>

#include "evtchn.h"

#define EVTCHN_WORDS	(EVTCHN_2L_NR_CHANNELS / BITS_PER_LONG)

/* Where this CPU's next scan starts. */
static DEFINE_PER_CPU(unsigned int, evtchn_scan_from);

/*
 * A port with no irq cannot be acked by a flow handler and would fire
 * forever.  Only a bug (or a port unmasked behind our back) gets here.
 */
static void evtchn_spurious(evtchn_port_t port)
{
	evtchn_mask(port);
	evtchn_clear_pending(port);
	pr_warn_ratelimited("xen: event on unbound port %u, masked\n", port);
}

void evtchn_dispatch(evtchn_port_t port)
{
	unsigned int irq = evtchn_port_irq(port);

	if (irq)
		generic_handle_irq(irq);
	else if (!evtchn_pirq_dispatch(port))
		evtchn_spurious(port);
	__this_cpu_write(evtchn_scan_from, (port + 1) % EVTCHN_2L_NR_CHANNELS);
}

/*
 * One fair pass over the words flagged in @sel.  The word holding the
 * start port is visited twice: its upper part first, its lower part last.
 */
static void evtchn_scan(unsigned long sel, unsigned int cpu)
{
	unsigned int start = __this_cpu_read(evtchn_scan_from);
	unsigned int first = start / BITS_PER_LONG;
	unsigned long upper = ~0UL << (start % BITS_PER_LONG);
	unsigned int step;

	for (step = 0; step <= EVTCHN_WORDS; step++) {
		unsigned int word = (first + step) % EVTCHN_WORDS;
		unsigned long ready;

		if (!(sel & BIT(word)))
			continue;

		ready = evtchn_2l_ready_word(word, cpu);
		if (step == 0)
			ready &= upper;
		else if (step == EVTCHN_WORDS)
			ready &= ~upper;

		while (ready) {
			unsigned int bit = __ffs(ready);

			ready &= ready - 1;
			evtchn_dispatch(word * BITS_PER_LONG + bit);
		}
	}
}

void xen_evtchn_upcall(struct pt_regs *regs)
{
	struct pt_regs *old_regs = set_irq_regs(regs);
	struct vcpu_info *vi = __this_cpu_read(xen_vcpu);
	unsigned int cpu = smp_processor_id();
	unsigned long sel;

	do {
		WRITE_ONCE(vi->evtchn_upcall_pending, 0);
		if (evtchn_fifo_on) {
			evtchn_fifo_scan();
			continue;
		}
		/* xchg is a full barrier: the flag is clear before we look. */
		sel = xchg(&vi->evtchn_pending_sel, 0);
		evtchn_scan(sel, cpu);
	} while (READ_ONCE(vi->evtchn_upcall_pending));

	set_irq_regs(old_regs);
}

/*
 * A CPU coming (back) up starts its scans at port 0, and under the FIFO
 * ABI needs its control block registered with Xen.  Its first upcall
 * reads per_cpu(xen_vcpu, cpu): the arch code must have set that before
 * the CPU unmasks event delivery.
 */
int xen_evtchn_cpu_prepare(unsigned int cpu)
{
	per_cpu(evtchn_scan_from, cpu) = 0;
	return evtchn_fifo_on ? evtchn_fifo_cpu_init(cpu) : 0;
}
