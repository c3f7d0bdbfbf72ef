// SPDX-License-Identifier: GPL-2.0
/*
 * The 2-level event channel ABI.
 *
 * shared_info holds two bitmaps of EVTCHN_2L_NR_CHANNELS bits: "pending",
 * which Xen sets when a port fires, and "mask", which the guest sets to
 * hold a port back.  Xen also sets one bit per pending word in the target
 * vCPU's evtchn_pending_sel, then evtchn_upcall_pending, and upcalls it.
 * Both bitmaps are shared with the hypervisor (and other vCPUs), so every
 * change is a locked bit operation.
 *
 * Xen delivers a port to one vCPU, but the bitmaps are global: each CPU
 * keeps its own bitmap of the ports bound to it and ignores the others, so
 * a port is never handled on two CPUs at once.
 */
#include <linux/bitops.h>
#include <linux/build_bug.h>
#include <linux/cpumask.h>
#include <linux/percpu.h>
#include <linux/string.h>
#include <asm/sync_bitops.h>
#include <asm/xen/guest.h>
#include <asm/xen/hypercall.h>

#include "evtchn.h"

#define EVTCHN_2L_WORDS	(EVTCHN_2L_NR_CHANNELS / BITS_PER_LONG)

static_assert(sizeof(xen_ulong_t) == sizeof(unsigned long));
/* One selector bit per word of the bitmaps. */
static_assert(EVTCHN_2L_WORDS == BITS_PER_LONG);

static DEFINE_PER_CPU(unsigned long [EVTCHN_2L_WORDS], evtchn_cpu_ports);

static inline unsigned long *pending_map(void)
{
	return (unsigned long *)HYPERVISOR_shared_info->evtchn_pending;
}

static inline unsigned long *mask_map(void)
{
	return (unsigned long *)HYPERVISOR_shared_info->evtchn_mask;
}

void evtchn_2l_mask(evtchn_port_t port)
{
	sync_set_bit(port, mask_map());
}

bool evtchn_2l_test_and_mask(evtchn_port_t port)
{
	return sync_test_and_set_bit(port, mask_map());
}

/*
 * Clearing the mask bit alone loses an event that arrived while masked:
 * Xen skipped the selector and upcall for it.  If the port is pending, let
 * Xen do the unmask; it raises the upcall on the vCPU the port is bound to,
 * which need not be this one.
 */
void evtchn_2l_unmask(evtchn_port_t port)
{
	struct evtchn_unmask op = { .port = port };

	if (!sync_test_bit(port, pending_map())) {
		sync_clear_bit(port, mask_map());
		if (!sync_test_bit(port, pending_map()))
			return;
		/* It fired in between: put the mask back for Xen to clear. */
		sync_set_bit(port, mask_map());
	}
	WARN_ON_ONCE(HYPERVISOR_event_channel_op(EVTCHNOP_unmask, &op));
}

void evtchn_2l_clear_pending(evtchn_port_t port)
{
	sync_clear_bit(port, pending_map());
}

void evtchn_2l_set_pending(evtchn_port_t port)
{
	sync_set_bit(port, pending_map());
}

bool evtchn_2l_pending(evtchn_port_t port)
{
	return sync_test_bit(port, pending_map());
}

/* Nothing is delivered until a driver binds the port and enables its irq. */
void evtchn_2l_mask_all(void)
{
	unsigned int w;

	for (w = 0; w < EVTCHN_2L_WORDS; w++)
		WRITE_ONCE(mask_map()[w], ~0UL);
	/* The mask must be visible to Xen before anything is unmasked. */
	smp_mb();
}

/* Move @port from @old_cpu's set to @new_cpu's (old_cpu may equal new_cpu). */
void evtchn_2l_set_cpu(evtchn_port_t port, unsigned int old_cpu,
		       unsigned int new_cpu)
{
	clear_bit(port, per_cpu(evtchn_cpu_ports, old_cpu));
	set_bit(port, per_cpu(evtchn_cpu_ports, new_cpu));
}

void evtchn_2l_drop_cpu(evtchn_port_t port, unsigned int cpu)
{
	clear_bit(port, per_cpu(evtchn_cpu_ports, cpu));
}

/* Ports of @word that are pending, unmasked and delivered to @cpu. */
/* Resume in a new domain: no port is delivered anywhere yet. */
void evtchn_2l_forget_cpus(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		memset(per_cpu(evtchn_cpu_ports, cpu), 0,
		       sizeof(per_cpu(evtchn_cpu_ports, cpu)));
}

unsigned long evtchn_2l_ready_word(unsigned int word, unsigned int cpu)
{
	return READ_ONCE(pending_map()[word]) & ~READ_ONCE(mask_map()[word]) &
	       READ_ONCE(per_cpu(evtchn_cpu_ports, cpu)[word]);
}
