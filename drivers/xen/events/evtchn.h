/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internal interfaces between the pieces of the event-channel core:
 *
 *   two-level.c  the 2-level ABI: pending/mask bitmaps in shared_info and
 *                which CPU each port is delivered to
 *   fifo.c       the FIFO ABI: an event word per port, per-vCPU queues
 *   upcall.c     the upcall: find pending ports and dispatch them
 *   irqchip.c    the irq_chip, the port -> irq table (port == hwirq)
 *   bind.c       the public bind/unbind/notify API
 *   late-eoi.c   ports held masked until their driver's EOI (storms)
 *   resume.c     every binding again after a restore in a new domain
 *   pirq.c       the control domain's physical interrupts (PIRQs)
 *
 * The rest of the core reaches a port's state through the evtchn_*()
 * helpers below, which pick the ABI chosen at boot.
 */
#ifndef _DRIVERS_XEN_EVENTS_EVTCHN_H
#define _DRIVERS_XEN_EVENTS_EVTCHN_H

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/spinlock.h>
#include <linux/timer.h>
#include <linux/types.h>
#include <xen/events.h>

/* How a port was obtained; decides its flow handler and if it may move. */
enum evtchn_kind {
	EVTCHN_KIND_PORT,		/* adopted local or interdomain port */
	EVTCHN_KIND_VIRQ,		/* global VIRQ: movable between CPUs */
	EVTCHN_KIND_VIRQ_PERCPU,	/* per-vCPU VIRQ (timer, debug...) */
	EVTCHN_KIND_IPI,
};

/* One bound port; hangs off the irq as its chip_data. */
struct evtchn_binding {
	struct list_head node;	/* on evtchn_bindings, under bind_lock */
	unsigned int irq;
	evtchn_port_t port;	/* 0: lost in a resume, not rebound yet */
	enum evtchn_kind kind;
	unsigned int cpu;	/* the CPU the port is delivered to */
	unsigned int index;	/* VIRQ or IPI number for those kinds */
	unsigned int users;	/* bind calls not yet undone; bind_lock */
	bool late;		/* late EOI port (late-eoi.c), fixed at bind */
	/* Late EOI state, under late_lock. */
	raw_spinlock_t late_lock;
	bool owed;		/* an event was taken, its EOI has not come */
	bool held;		/* the irq core masked the irq (disable_irq) */
	bool waiting;		/* its unmask is put off: the peer storms */
	unsigned int idle;	/* EOIs in a row that found no work */
	struct timer_list late_timer;
};

/* bind.c */
extern struct mutex evtchn_bind_lock;
extern struct list_head evtchn_bindings;
DECLARE_PER_CPU(evtchn_port_t [XEN_IPI_NR], evtchn_ipi_port);
bool evtchn_check_port(evtchn_port_t port, const char *what);
void evtchn_close_port(evtchn_port_t port);

/* resume.c */
void evtchn_resume_unmask(struct evtchn_binding *b);

/* two-level.c */
void evtchn_2l_mask(evtchn_port_t port);
bool evtchn_2l_test_and_mask(evtchn_port_t port);
void evtchn_2l_unmask(evtchn_port_t port);
void evtchn_2l_clear_pending(evtchn_port_t port);
void evtchn_2l_set_pending(evtchn_port_t port);
bool evtchn_2l_pending(evtchn_port_t port);
void evtchn_2l_mask_all(void);
void evtchn_2l_forget_cpus(void);
void evtchn_2l_set_cpu(evtchn_port_t port, unsigned int old_cpu,
		       unsigned int new_cpu);
void evtchn_2l_drop_cpu(evtchn_port_t port, unsigned int cpu);
unsigned long evtchn_2l_ready_word(unsigned int word, unsigned int cpu);

/* fifo.c */
extern bool evtchn_fifo_on;
extern bool evtchn_fifo_wanted;
bool evtchn_fifo_init(void);
int evtchn_fifo_cpu_init(unsigned int cpu);
int evtchn_fifo_setup_port(evtchn_port_t port);
void evtchn_fifo_mask(evtchn_port_t port);
bool evtchn_fifo_test_and_mask(evtchn_port_t port);
void evtchn_fifo_unmask(evtchn_port_t port);
void evtchn_fifo_clear_pending(evtchn_port_t port);
void evtchn_fifo_set_pending(evtchn_port_t port);
bool evtchn_fifo_pending(evtchn_port_t port);
void evtchn_fifo_scan(void);
void evtchn_fifo_resume(void);
bool evtchn_fifo_port_ready(evtchn_port_t port);

/* upcall.c */
void evtchn_dispatch(evtchn_port_t port);

/* pirq.c: true if @port was a pirq's (and its irq has been handled). */
#ifdef CONFIG_XEN_DOM0
bool evtchn_pirq_dispatch(evtchn_port_t port);
#else
static inline bool evtchn_pirq_dispatch(evtchn_port_t port)
{
	return false;
}
#endif

/*
 * Port 0 is reserved by Xen and never bound, so it doubles as "no port".
 * Every port number that came from a caller or another domain passes here
 * before it indexes an event word, a bitmap or the irq domain.
 */
static inline bool evtchn_port_valid(evtchn_port_t port)
{
	return port != 0 && port < (evtchn_fifo_on ? EVTCHN_FIFO_NR_CHANNELS :
						     EVTCHN_2L_NR_CHANNELS);
}

static inline void evtchn_mask(evtchn_port_t port)
{
	if (unlikely(!port))	/* lost in a resume (resume.c) */
		return;
	if (evtchn_fifo_on)
		evtchn_fifo_mask(port);
	else
		evtchn_2l_mask(port);
}

static inline bool evtchn_test_and_mask(evtchn_port_t port)
{
	return evtchn_fifo_on ? evtchn_fifo_test_and_mask(port) :
				evtchn_2l_test_and_mask(port);
}

static inline void evtchn_unmask(evtchn_port_t port)
{
	if (unlikely(!port))	/* lost in a resume (resume.c) */
		return;
	if (evtchn_fifo_on)
		evtchn_fifo_unmask(port);
	else
		evtchn_2l_unmask(port);
}

static inline void evtchn_clear_pending(evtchn_port_t port)
{
	if (unlikely(!port))	/* lost in a resume (resume.c) */
		return;
	if (evtchn_fifo_on)
		evtchn_fifo_clear_pending(port);
	else
		evtchn_2l_clear_pending(port);
}

static inline void evtchn_set_pending(evtchn_port_t port)
{
	if (unlikely(!port))	/* lost in a resume (resume.c) */
		return;
	if (evtchn_fifo_on)
		evtchn_fifo_set_pending(port);
	else
		evtchn_2l_set_pending(port);
}

static inline bool evtchn_pending(evtchn_port_t port)
{
	return evtchn_fifo_on ? evtchn_fifo_pending(port) :
				evtchn_2l_pending(port);
}

/*
 * Under the FIFO ABI Xen queues a port on the vCPU it is bound to and no
 * CPU sees another's queue, so only the 2-level ABI keeps per-CPU sets.
 */
static inline void evtchn_set_cpu(evtchn_port_t port, unsigned int old_cpu,
				  unsigned int new_cpu)
{
	if (!evtchn_fifo_on)
		evtchn_2l_set_cpu(port, old_cpu, new_cpu);
}

static inline void evtchn_drop_cpu(evtchn_port_t port, unsigned int cpu)
{
	if (!evtchn_fifo_on)
		evtchn_2l_drop_cpu(port, cpu);
}

/* irqchip.c: moving a port to another vCPU (irq affinity). */
unsigned int evtchn_affinity_cpu(const struct cpumask *dest, bool force);
int evtchn_port_move(evtchn_port_t port, unsigned int from, unsigned int to);

/* Resume: can @port be used without evtchn_setup_port() (which sleeps)? */
static inline bool evtchn_port_ready(evtchn_port_t port)
{
	return !evtchn_fifo_on || evtchn_fifo_port_ready(port);
}

/* Before a newly opened port is touched: FIFO may need more event words. */
static inline int evtchn_setup_port(evtchn_port_t port)
{
	return evtchn_fifo_on ? evtchn_fifo_setup_port(port) : 0;
}

/* late-eoi.c: the late EOI chip's callbacks, and the binding's state. */
struct irq_data;
void evtchn_late_init(struct evtchn_binding *b);
void evtchn_late_release(struct evtchn_binding *b);
void evtchn_late_ack(struct irq_data *d);
void evtchn_late_mask(struct irq_data *d);
void evtchn_late_unmask(struct irq_data *d);
void evtchn_late_mask_ack(struct irq_data *d);
void evtchn_late_rearm(struct evtchn_binding *b);

/* irqchip.c */
int evtchn_irq_create(struct evtchn_binding *b);
void evtchn_irq_detach(unsigned int irq);
void evtchn_irq_destroy(unsigned int irq);
struct evtchn_binding *evtchn_irq_binding(unsigned int irq);
unsigned int evtchn_port_irq(evtchn_port_t port);
int evtchn_irq_move(unsigned int irq, evtchn_port_t port);
void evtchn_irq_forget_ports(void);

#endif /* _DRIVERS_XEN_EVENTS_EVTCHN_H */
