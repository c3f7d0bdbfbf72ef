/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internal interfaces between the pieces of the event-channel core:
 *
 *   two-level.c  the 2-level ABI: pending/mask bitmaps in shared_info and
 *                which CPU each port is delivered to
 *   upcall.c     the upcall: find pending ports and dispatch them
 *   irqchip.c    the irq_chip and irq_domain (port == hwirq)
 *   bind.c       the public bind/unbind/notify API
 */
#ifndef _DRIVERS_XEN_EVENTS_EVTCHN_H
#define _DRIVERS_XEN_EVENTS_EVTCHN_H

#include <linux/types.h>
#include <xen/events.h>

struct irq_domain;

/* How a port was obtained; decides its flow handler and if it may move. */
enum evtchn_kind {
	EVTCHN_KIND_PORT,		/* adopted local or interdomain port */
	EVTCHN_KIND_VIRQ,		/* global VIRQ: movable between CPUs */
	EVTCHN_KIND_VIRQ_PERCPU,	/* per-vCPU VIRQ (timer, debug...) */
	EVTCHN_KIND_IPI,
};

/* One bound port; hangs off the irq as its chip_data. */
struct evtchn_binding {
	evtchn_port_t port;
	enum evtchn_kind kind;
	unsigned int cpu;	/* the CPU the port is delivered to */
	unsigned int index;	/* VIRQ or IPI number for those kinds */
	unsigned int users;	/* bind calls not yet undone; bind_lock */
};

/* two-level.c */
bool evtchn_port_valid(evtchn_port_t port);
void evtchn_2l_mask(evtchn_port_t port);
bool evtchn_2l_test_and_mask(evtchn_port_t port);
void evtchn_2l_unmask(evtchn_port_t port);
void evtchn_2l_clear_pending(evtchn_port_t port);
void evtchn_2l_set_pending(evtchn_port_t port);
bool evtchn_2l_pending(evtchn_port_t port);
void evtchn_2l_mask_all(void);
void evtchn_2l_set_cpu(evtchn_port_t port, unsigned int old_cpu,
		       unsigned int new_cpu);
void evtchn_2l_drop_cpu(evtchn_port_t port, unsigned int cpu);
unsigned long evtchn_2l_ready_word(unsigned int word, unsigned int cpu);

/* irqchip.c */
extern struct irq_domain *evtchn_domain;
int evtchn_irq_create(struct evtchn_binding *b);
void evtchn_irq_detach(unsigned int irq);
void evtchn_irq_destroy(unsigned int irq);
struct evtchn_binding *evtchn_irq_binding(unsigned int irq);

#endif /* _DRIVERS_XEN_EVENTS_EVTCHN_H */
