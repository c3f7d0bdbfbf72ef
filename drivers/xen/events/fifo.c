// SPDX-License-Identifier: GPL-2.0
/*
 * The FIFO event channel ABI.
 *
 * Each port has a 32-bit event word: PENDING, MASKED, LINKED and BUSY
 * flags and, in the low EVTCHN_FIFO_LINK_BITS, the port queued after it.
 * The words live in pages the guest hands to Xen one at a time
 * (EVTCHNOP_expand_array) as it binds higher ports.  Xen appends a port
 * that becomes pending and is unmasked to a queue of the vCPU it is bound
 * to, one queue per priority; each vCPU's control block (registered with
 * EVTCHNOP_init_control) holds a "ready" bit per non-empty queue and each
 * queue's head.
 *
 * The guest consumes a queue from its head by following the links,
 * clearing each word's LINKED bit and link as it goes.  When it takes
 * the tail, Xen can no longer link behind it: Xen then starts the queue
 * afresh, writes the new head into the control block and sets the ready
 * bit again, so "link was 0" means "read the head from the control block
 * next time".  Only the vCPU owning a queue consumes it.
 *
 * Xen updates the words concurrently (setting PENDING, linking), so every
 * change here is a 32-bit locked operation on the word alone: a bitop on
 * an unsigned long would also lock the neighbouring word, and the last
 * word of a page together with the next page.
 *
 * Compared with the 2-level ABI: 2^17 ports instead of 4096, and an
 * upcall that visits only the ports that fired, in the order they fired,
 * instead of scanning bitmaps.
 */
#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/cpumask.h>
#include <linux/gfp.h>
#include <linux/init.h>
#include <linux/kstrtox.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/printk.h>
#include <linux/string.h>
#include <asm/xen/guest.h>
#include <asm/xen/hypercall.h>
#include <asm/xen/page.h>

#include "evtchn.h"

#define FIFO_WORDS_PER_PAGE	(PAGE_SIZE / sizeof(event_word_t))
#define FIFO_MAX_PAGES		(EVTCHN_FIFO_NR_CHANNELS / FIFO_WORDS_PER_PAGE)

#define W_PENDING	BIT(EVTCHN_FIFO_PENDING)
#define W_MASKED	BIT(EVTCHN_FIFO_MASKED)
#define W_LINKED	BIT(EVTCHN_FIFO_LINKED)
#define W_BUSY		BIT(EVTCHN_FIFO_BUSY)

static_assert(sizeof(event_word_t) == sizeof(atomic_t));
static_assert(sizeof(struct evtchn_fifo_control_block) <= PAGE_SIZE);

bool evtchn_fifo_on __ro_after_init;
bool evtchn_fifo_wanted __ro_after_init = true;

/* Where this CPU is in each of its queues; 0: at the control block's head. */
struct fifo_cpu {
	struct evtchn_fifo_control_block *cb;
	u32 next[EVTCHN_FIFO_MAX_QUEUES];
};

static DEFINE_PER_CPU(struct fifo_cpu, fifo_cpu);

/*
 * The event array.  Pages are only ever added, under array_lock; the
 * count is published after the page pointer, so a lock-free reader that
 * sees a page in the count also sees the pointer.
 */
static DEFINE_MUTEX(array_lock);
static atomic_t *fifo_pages[FIFO_MAX_PAGES];
static unsigned int fifo_nr_pages;

static int __init fifo_param(char *arg)
{
	return kstrtobool(arg, &evtchn_fifo_wanted);
}
early_param("xen.fifo_events", fifo_param);

/* @port's event word, or NULL while no page of the array holds it. */
static atomic_t *fifo_word(evtchn_port_t port)
{
	unsigned int page = port / FIFO_WORDS_PER_PAGE;

	/* Pairs with the release in fifo_expand(): the pointer is set. */
	if (page >= smp_load_acquire(&fifo_nr_pages))
		return NULL;
	return fifo_pages[page] + port % FIFO_WORDS_PER_PAGE;
}

/* Under array_lock: hand Xen one more page of event words, all masked. */
static int fifo_expand(void)
{
	struct evtchn_expand_array op;
	unsigned int i, n = fifo_nr_pages;
	atomic_t *page;
	int rc;

	if (n >= FIFO_MAX_PAGES)
		return -ENOSPC;
	page = (atomic_t *)get_zeroed_page(GFP_KERNEL);
	if (!page)
		return -ENOMEM;
	for (i = 0; i < FIFO_WORDS_PER_PAGE; i++)
		atomic_set(&page[i], W_MASKED);

	/* Xen may report an already-open port of this page at once. */
	fifo_pages[n] = page;
	op.array_gfn = virt_to_mfn(page);
	rc = HYPERVISOR_event_channel_op(EVTCHNOP_expand_array, &op);
	if (rc) {
		fifo_pages[n] = NULL;
		free_page((unsigned long)page);
		return rc;
	}
	/* Readers that see the new count see the page (fifo_word()). */
	smp_store_release(&fifo_nr_pages, n + 1);
	return 0;
}

/* Make sure @port has an event word before it is bound.  May sleep. */
int evtchn_fifo_setup_port(evtchn_port_t port)
{
	int rc = 0;

	mutex_lock(&array_lock);
	while (!rc && port / FIFO_WORDS_PER_PAGE >= fifo_nr_pages)
		rc = fifo_expand();
	mutex_unlock(&array_lock);
	if (rc)
		pr_warn("xen: no event word for port %u: EVTCHNOP_expand_array: %d\n",
			port, rc);
	return rc;
}

/* Set or clear @bits of @port's word, if the port has one yet. */
static void fifo_word_set(evtchn_port_t port, u32 bits, bool set)
{
	atomic_t *w = fifo_word(port);

	if (!w)
		return;
	if (set)
		atomic_or(bits, w);
	else
		atomic_andnot(bits, w);
}

void evtchn_fifo_mask(evtchn_port_t port)
{
	fifo_word_set(port, W_MASKED, true);
}

bool evtchn_fifo_test_and_mask(evtchn_port_t port)
{
	atomic_t *w = fifo_word(port);

	return !w || (atomic_fetch_or(W_MASKED, w) & W_MASKED);
}

/*
 * A port that is pending while masked was not queued; clearing the mask
 * bit alone would strand it.  Then Xen unmasks and queues it itself.
 * While Xen holds BUSY it is linking the word and the mask must not move
 * under it: the exchange only succeeds against a value without BUSY.
 */
void evtchn_fifo_unmask(evtchn_port_t port)
{
	struct evtchn_unmask op = { .port = port };
	atomic_t *w = fifo_word(port);
	u32 old;

	if (!w)
		return;
	old = atomic_read(w);
	for (;;) {
		if (!(old & W_MASKED))
			return;
		if (old & W_PENDING)
			break;
		old &= ~W_BUSY;
		if (atomic_try_cmpxchg(w, &old, old & ~W_MASKED))
			return;
	}
	WARN_ON_ONCE(HYPERVISOR_event_channel_op(EVTCHNOP_unmask, &op));
}

void evtchn_fifo_clear_pending(evtchn_port_t port)
{
	fifo_word_set(port, W_PENDING, false);
}

/* For a replay: the unmask that follows has Xen queue the port. */
void evtchn_fifo_set_pending(evtchn_port_t port)
{
	fifo_word_set(port, W_PENDING, true);
}

bool evtchn_fifo_pending(evtchn_port_t port)
{
	atomic_t *w = fifo_word(port);

	return w && (atomic_read(w) & W_PENDING);
}

/* Take @w off its queue: clear LINKED and the link, return the link. */
static evtchn_port_t fifo_unlink(atomic_t *w)
{
	u32 old = atomic_read(w), new;

	do {
		new = old & ~(W_LINKED | EVTCHN_FIFO_LINK_MASK);
	} while (!atomic_try_cmpxchg(w, &old, new));
	return old & EVTCHN_FIFO_LINK_MASK;
}

/*
 * Handle the port at the front of queue @q.  Returns false once the
 * queue is empty: its tail was taken and Xen will start it afresh.
 */
static bool fifo_consume_one(struct fifo_cpu *fc, unsigned int q)
{
	evtchn_port_t port = fc->next[q];
	atomic_t *w;
	u32 val;

	if (!port)
		port = READ_ONCE(fc->cb->head[q]);
	w = port ? fifo_word(port) : NULL;
	if (!w) {
		if (port)
			pr_warn_ratelimited("xen: queued port %u has no event word\n",
					    port);
		fc->next[q] = 0;
		return false;
	}

	fc->next[q] = fifo_unlink(w);
	val = atomic_read(w);
	if ((val & W_PENDING) && !(val & W_MASKED))
		evtchn_dispatch(port);
	return fc->next[q] != 0;
}

/*
 * The upcall's work: every ready queue of this vCPU, highest priority
 * (lowest number) first, one event at a time so that a higher queue that
 * fills meanwhile is served next.  The caller loops while Xen keeps
 * raising evtchn_upcall_pending, which it does whenever it sets a ready
 * bit, so bits set after the exchange below are not lost.
 */
void evtchn_fifo_scan(void)
{
	struct fifo_cpu *fc = this_cpu_ptr(&fifo_cpu);
	unsigned long ready;

	/* A full barrier: the heads are read after the bits that cover them. */
	ready = xchg(&fc->cb->ready, 0);
	while (ready) {
		unsigned int q = __ffs(ready);

		if (!fifo_consume_one(fc, q))
			ready &= ~BIT(q);
	}
}

/*
 * Register @cpu's control block.  Xen takes one per vCPU for the life of
 * the domain, so a CPU back from hotplug keeps its block and its place in
 * its queues.  The first call switches the whole domain to FIFO.
 */
int evtchn_fifo_cpu_init(unsigned int cpu)
{
	struct fifo_cpu *fc = per_cpu_ptr(&fifo_cpu, cpu);
	struct evtchn_init_control op = {};
	void *cb;
	int rc;

	if (fc->cb)
		return 0;
	cb = (void *)get_zeroed_page(GFP_KERNEL);
	if (!cb)
		return -ENOMEM;
	op.control_gfn = virt_to_mfn(cb);
	op.offset = 0;
	op.vcpu = xen_vcpu_nr(cpu);
	rc = HYPERVISOR_event_channel_op(EVTCHNOP_init_control, &op);
	if (rc) {
		free_page((unsigned long)cb);
		pr_warn("xen: EVTCHNOP_init_control for CPU%u: %d\n", cpu, rc);
		return rc;
	}
	memset(fc->next, 0, sizeof(fc->next));
	fc->cb = cb;
	return 0;
}

/*
 * Boot CPU, before any port is bound: switch to FIFO if Xen offers it
 * and nobody said xen.fifo_events=0.  false: stay on the 2-level ABI.
 */
/* For a resume, which must not sleep: has @port an event word? */
bool evtchn_fifo_port_ready(evtchn_port_t port)
{
	return !!fifo_word(port);
}

/*
 * Resume in a new domain, on one CPU with the others stopped: Xen knows
 * neither our control blocks nor our event array, and the domain is back
 * to the 2-level ABI.  Hand it the same pages again, emptied, so every
 * port we may rebind has its word and nothing needs allocating.  No way
 * back to 2-level exists for us: a failure leaves no event deliverable.
 */
void evtchn_fifo_resume(void)
{
	struct evtchn_expand_array ex;
	struct evtchn_init_control op;
	unsigned int cpu, i, n;
	int rc;

	for_each_possible_cpu(cpu) {
		struct fifo_cpu *fc = per_cpu_ptr(&fifo_cpu, cpu);

		if (!fc->cb)
			continue;
		clear_page(fc->cb);
		memset(fc->next, 0, sizeof(fc->next));
		op = (struct evtchn_init_control) {
			.control_gfn = virt_to_mfn(fc->cb),
			.vcpu = xen_vcpu_nr(cpu),
		};
		rc = HYPERVISOR_event_channel_op(EVTCHNOP_init_control, &op);
		if (rc)
			panic("Xen: resume: EVTCHNOP_init_control for CPU%u: %d\n",
			      cpu, rc);
	}

	for (n = 0; n < fifo_nr_pages; n++) {
		for (i = 0; i < FIFO_WORDS_PER_PAGE; i++)
			atomic_set(&fifo_pages[n][i], W_MASKED);
		ex.array_gfn = virt_to_mfn(fifo_pages[n]);
		rc = HYPERVISOR_event_channel_op(EVTCHNOP_expand_array, &ex);
		if (rc)
			panic("Xen: resume: EVTCHNOP_expand_array (page %u): %d\n",
			      n, rc);
	}
}

bool __init evtchn_fifo_init(void)
{
	int rc;

	if (!evtchn_fifo_wanted)
		return false;
	rc = evtchn_fifo_cpu_init(smp_processor_id());
	if (rc)
		return false;
	/*
	 * The domain is FIFO now, for good: there is no way back to the
	 * bitmaps, so without a first page of event words no port could
	 * ever be delivered.
	 */
	mutex_lock(&array_lock);
	rc = fifo_expand();
	mutex_unlock(&array_lock);
	if (rc)
		panic("xen: EVTCHNOP_expand_array failed: %d\n", rc);
	evtchn_fifo_on = true;
	return true;
}
