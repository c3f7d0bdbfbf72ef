// SPDX-License-Identifier: GPL-2.0
/*
 * Batching of hypercalls.
 *
 * Page-table updates, descriptor writes and the stack/CR3 switch of a
 * context switch are queued per CPU while the generic code says it is in a
 * lazy mode (lazy MMU: fork, munmap, mprotect walk many PTEs; lazy CPU: the
 * context switch) and go to Xen as one multicall when the mode ends or the
 * queue fills.  Consecutive mmu_update (or mmuext_op) requests share one
 * multicall entry, so a batch of N PTE writes costs one hypercall, not N.
 * Outside a lazy mode every request is issued at once.
 */
#include <linux/irqflags.h>
#include <linux/kernel.h>
#include <linux/percpu.h>
#include <asm/paravirt.h>

#include <asm/xen/hypercall.h>

#include "xen-pv.h"

#define XEN_MC_CALLS	32
#define XEN_MC_MMU	128
#define XEN_MC_EXT	16

struct xen_mc_queue {
	struct multicall_entry call[XEN_MC_CALLS];
	struct mmu_update mmu[XEN_MC_MMU];
	struct mmuext_op ext[XEN_MC_EXT];
	unsigned int ncall, nmmu, next;
};

static DEFINE_PER_CPU(struct xen_mc_queue, xen_mc);

/* Counters for the in-guest tests and make bench. */
DEFINE_PER_CPU(unsigned long, xen_mc_hypercalls);
DEFINE_PER_CPU(unsigned long, xen_mc_requests);

static const char *xen_mc_name(unsigned long op)
{
	switch (op) {
	case __HYPERVISOR_mmu_update:		return "mmu_update";
	case __HYPERVISOR_mmuext_op:		return "mmuext_op";
	case __HYPERVISOR_update_va_mapping:	return "update_va_mapping";
	case __HYPERVISOR_update_descriptor:	return "update_descriptor";
	case __HYPERVISOR_stack_switch:		return "stack_switch";
	case __HYPERVISOR_fpu_taskswitch:	return "fpu_taskswitch";
	default:				return "hypercall";
	}
}

/* Issue everything queued on this CPU.  Interrupts must be off. */
static void __xen_mc_flush(struct xen_mc_queue *q)
{
	unsigned int i;
	long rc = 0;

	if (!q->ncall)
		return;
	this_cpu_inc(xen_mc_hypercalls);
	if (q->ncall == 1) {
		struct multicall_entry *c = &q->call[0];

		c->result = xen_hypercall_nr(c->op, c->args[0], c->args[1],
					     c->args[2], c->args[3],
					     c->args[4]);
	} else {
		rc = HYPERVISOR_multicall(q->call, q->ncall);
	}
	if (rc)
		panic("Xen: multicall of %u entries failed: %ld\n", q->ncall, rc);
	for (i = 0; i < q->ncall; i++)
		if ((long)q->call[i].result < 0)
			panic("Xen: batched %s failed: %ld\n",
			      xen_mc_name(q->call[i].op),
			      (long)q->call[i].result);
	q->ncall = 0;
	q->nmmu = 0;
	q->next = 0;
	/* Any CR3 switch in the batch is now what Xen has loaded. */
	this_cpu_write(xen_cr3_queued_from, 0);
}

void xen_mc_flush(void)
{
	unsigned long flags;

	local_irq_save(flags);
	__xen_mc_flush(this_cpu_ptr(&xen_mc));
	local_irq_restore(flags);
}

/* Nesting count of xen_mc_hold(): queue, do not issue. */
static DEFINE_PER_CPU(unsigned int, xen_mc_held);

static bool xen_mc_lazy(void)
{
	return this_cpu_read(xen_mc_held) ||
	       paravirt_get_lazy_mode() != PARAVIRT_LAZY_NONE;
}

/*
 * Bracket a group of requests that should go to Xen as one batch even
 * outside a lazy mode (pinning a whole address space, for one).  Callers
 * keep interrupts off in between so the group stays on one CPU.
 */
void xen_mc_hold(void)
{
	this_cpu_inc(xen_mc_held);
}

void xen_mc_release(void)
{
	if (this_cpu_dec_return(xen_mc_held) == 0)
		xen_mc_flush_if_not_lazy();
}

void xen_mc_flush_if_not_lazy(void)
{
	if (!xen_mc_lazy())
		xen_mc_flush();
}

/*
 * May a request skip the queue and go to Xen on its own?  Only outside
 * any batching and with nothing queued before it.  A queue is only built
 * with preemption or interrupts off and is issued before a context switch
 * or the end of the hold, so an empty queue cannot fill up behind us,
 * whichever CPU we end up on.  (An interrupt handler that finds a queue
 * of the code it interrupted must add to it, to keep the order.)
 */
static bool xen_mc_direct(void)
{
	return !xen_mc_lazy() && !this_cpu_read(xen_mc.ncall);
}

static void xen_mc_direct_done(unsigned long op, long rc)
{
	this_cpu_inc(xen_mc_hypercalls);
	this_cpu_inc(xen_mc_requests);
	if (rc < 0)
		panic("Xen: %s failed: %ld\n", xen_mc_name(op), rc);
}

static struct multicall_entry *xen_mc_slot(struct xen_mc_queue *q,
					   unsigned long op)
{
	struct multicall_entry *c;

	if (q->ncall == XEN_MC_CALLS)
		__xen_mc_flush(q);
	c = &q->call[q->ncall++];
	memset(c, 0, sizeof(*c));
	c->op = op;
	return c;
}

static void xen_mc_call(unsigned long op, unsigned long a0, unsigned long a1,
			unsigned long a2)
{
	struct xen_mc_queue *q;
	struct multicall_entry *c;
	unsigned long flags;

	local_irq_save(flags);
	q = this_cpu_ptr(&xen_mc);
	c = xen_mc_slot(q, op);
	c->args[0] = a0;
	c->args[1] = a1;
	c->args[2] = a2;
	this_cpu_inc(xen_mc_requests);
	local_irq_restore(flags);
}

/*
 * One PTE (or higher-level entry) write, addressed by the machine address
 * of the entry.  Issued now unless a lazy mode batches it.
 */
void xen_mmu_update(u64 ptr, u64 val)
{
	struct xen_mc_queue *q;
	struct multicall_entry *c;
	unsigned long flags;

	if (xen_mc_direct()) {
		struct mmu_update req = { .ptr = ptr, .val = val };

		xen_mc_direct_done(__HYPERVISOR_mmu_update,
				   HYPERVISOR_mmu_update(&req, 1, NULL,
							 DOMID_SELF));
		return;
	}

	local_irq_save(flags);
	q = this_cpu_ptr(&xen_mc);
	if (q->nmmu == XEN_MC_MMU)
		__xen_mc_flush(q);
	c = q->ncall ? &q->call[q->ncall - 1] : NULL;
	/* Extend the previous entry when it is the tail of our mmu queue. */
	if (!c || c->op != __HYPERVISOR_mmu_update ||
	    (struct mmu_update *)c->args[0] + c->args[1] != &q->mmu[q->nmmu]) {
		c = xen_mc_slot(q, __HYPERVISOR_mmu_update);
		c->args[0] = (unsigned long)&q->mmu[q->nmmu];
		c->args[2] = 0;
		c->args[3] = DOMID_SELF;
	}
	q->mmu[q->nmmu].ptr = ptr;
	q->mmu[q->nmmu].val = val;
	q->nmmu++;
	c->args[1]++;
	this_cpu_inc(xen_mc_requests);
	if (!xen_mc_lazy())
		__xen_mc_flush(q);
	local_irq_restore(flags);
}

void xen_mmuext_queue(const struct mmuext_op *op)
{
	struct xen_mc_queue *q;
	struct multicall_entry *c;
	unsigned long flags;

	if (xen_mc_direct()) {
		struct mmuext_op req = *op;

		xen_mc_direct_done(__HYPERVISOR_mmuext_op,
				   HYPERVISOR_mmuext_op(&req, 1, NULL,
							DOMID_SELF));
		return;
	}

	local_irq_save(flags);
	q = this_cpu_ptr(&xen_mc);
	if (q->next == XEN_MC_EXT)
		__xen_mc_flush(q);
	c = q->ncall ? &q->call[q->ncall - 1] : NULL;
	if (!c || c->op != __HYPERVISOR_mmuext_op ||
	    (struct mmuext_op *)c->args[0] + c->args[1] != &q->ext[q->next]) {
		c = xen_mc_slot(q, __HYPERVISOR_mmuext_op);
		c->args[0] = (unsigned long)&q->ext[q->next];
		c->args[2] = 0;
		c->args[3] = DOMID_SELF;
	}
	q->ext[q->next++] = *op;
	c->args[1]++;
	this_cpu_inc(xen_mc_requests);
	if (!xen_mc_lazy())
		__xen_mc_flush(q);
	local_irq_restore(flags);
}

void xen_mc_update_va_mapping(unsigned long va, u64 pte, unsigned long flags)
{
	xen_mc_call(__HYPERVISOR_update_va_mapping, va, pte, flags);
}

void xen_mc_update_descriptor(u64 maddr, u64 desc)
{
	xen_mc_call(__HYPERVISOR_update_descriptor, maddr, desc, 0);
}

void xen_mc_stack_switch(unsigned long ss, unsigned long sp)
{
	xen_mc_call(__HYPERVISOR_stack_switch, ss, sp, 0);
}

void xen_mc_fpu_taskswitch(int set)
{
	xen_mc_call(__HYPERVISOR_fpu_taskswitch, set, 0, 0);
}

/* Lazy MMU mode: generic code brackets PTE loops with these. */
static void xen_lazy_mmu_leave(void)
{
	preempt_disable();
	xen_mc_flush();
	paravirt_leave_lazy_mmu();
	preempt_enable();
}

static void xen_lazy_mmu_flush(void)
{
	preempt_disable();
	if (paravirt_get_lazy_mode() == PARAVIRT_LAZY_MMU)
		xen_mc_flush();
	preempt_enable();
}

void __init xen_mc_install_lazy_mmu(void)
{
	pv_ops.mmu.lazy_mode.enter = paravirt_enter_lazy_mmu;
	pv_ops.mmu.lazy_mode.leave = xen_lazy_mmu_leave;
	pv_ops.mmu.lazy_mode.flush = xen_lazy_mmu_flush;
}

/* Lazy CPU mode: a context switch's stack, TLS and CR3 changes in one go. */
void xen_mc_enter_lazy_cpu(struct task_struct *prev)
{
	paravirt_start_context_switch(prev);
}

void xen_mc_leave_lazy_cpu(struct task_struct *next)
{
	xen_mc_flush();
	paravirt_end_context_switch(next);
}
