/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Xen guest ABI: event channels, HYPERVISOR_event_channel_op().
 *
 * An event channel is a port with a pending and a mask bit; the other end
 * is another domain, a virtual or physical IRQ, or another vCPU.
 */
#ifndef __XEN_INTERFACE_EVENT_CHANNEL_H__
#define __XEN_INTERFACE_EVENT_CHANNEL_H__

#include <xen/interface/xen.h>

#define EVTCHNOP_bind_interdomain	0
#define EVTCHNOP_bind_virq		1
#define EVTCHNOP_bind_pirq		2
#define EVTCHNOP_close			3
#define EVTCHNOP_send			4
#define EVTCHNOP_status			5
#define EVTCHNOP_alloc_unbound		6
#define EVTCHNOP_bind_ipi		7
#define EVTCHNOP_bind_vcpu		8
#define EVTCHNOP_unmask			9
#define EVTCHNOP_reset			10
#define EVTCHNOP_init_control		11
#define EVTCHNOP_expand_array		12
#define EVTCHNOP_set_priority		13

#ifndef __ASSEMBLY__

typedef u32 evtchn_port_t;
DEFINE_GUEST_HANDLE(evtchn_port_t);

/* Allocate a port in dom that remote_dom may bind to.  OUT: port. */
struct evtchn_alloc_unbound {
	domid_t dom, remote_dom;
	evtchn_port_t port;
};

/* Connect a new local port to remote_dom's unbound port. */
struct evtchn_bind_interdomain {
	domid_t remote_dom;
	evtchn_port_t remote_port;
	evtchn_port_t local_port;	/* OUT */
};

/* Bind a VIRQ_* to a new port delivered to vcpu. */
struct evtchn_bind_virq {
	u32 virq;
	u32 vcpu;
	evtchn_port_t port;		/* OUT */
};

/* Bind a physical IRQ (dom0 and driver domains). */
struct evtchn_bind_pirq {
	u32 pirq;
#define BIND_PIRQ__WILL_SHARE	1
	u32 flags;
	evtchn_port_t port;		/* OUT */
};

/* A port for signalling vcpu from this domain (an IPI). */
struct evtchn_bind_ipi {
	u32 vcpu;
	evtchn_port_t port;		/* OUT */
};

struct evtchn_close {
	evtchn_port_t port;
};

/* Signal the other end of port. */
struct evtchn_send {
	evtchn_port_t port;
};

/* What port of dom is connected to. */
struct evtchn_status {
	domid_t dom;
	evtchn_port_t port;
#define EVTCHNSTAT_closed	0
#define EVTCHNSTAT_unbound	1
#define EVTCHNSTAT_interdomain	2
#define EVTCHNSTAT_pirq		3
#define EVTCHNSTAT_virq		4
#define EVTCHNSTAT_ipi		5
	u32 status;		/* OUT: EVTCHNSTAT_* */
	u32 vcpu;			/* OUT: notified vCPU */
	union {
		struct {
			domid_t dom;
		} unbound;
		struct {
			domid_t dom;
			evtchn_port_t port;
		} interdomain;
		u32 pirq;
		u32 virq;
	} u;
};

/* Deliver port to another vCPU from now on. */
struct evtchn_bind_vcpu {
	evtchn_port_t port;
	u32 vcpu;
};

/* Clear the mask bit and deliver the event if it is pending. */
struct evtchn_unmask {
	evtchn_port_t port;
};

/* Close every port of dom. */
struct evtchn_reset {
	domid_t dom;
};

/* Switch to the FIFO ABI, with this vCPU's control block at control_gfn. */
struct evtchn_init_control {
	u64 control_gfn;
	u32 offset;
	u32 vcpu;
	u8 link_bits;		/* OUT */
	u8 _pad[7];
};

/* Add a page of event words to the FIFO event array. */
struct evtchn_expand_array {
	u64 array_gfn;
};

struct evtchn_set_priority {
	evtchn_port_t port;
	u32 priority;		/* EVTCHN_FIFO_PRIORITY_* range */
};

/* Argument of the old multiplexed event_channel_op_compat hypercall. */
struct evtchn_op {
	u32 cmd;			/* EVTCHNOP_* */
	union {
		struct evtchn_alloc_unbound alloc_unbound;
		struct evtchn_bind_interdomain bind_interdomain;
		struct evtchn_bind_virq bind_virq;
		struct evtchn_bind_pirq bind_pirq;
		struct evtchn_bind_ipi bind_ipi;
		struct evtchn_close close;
		struct evtchn_send send;
		struct evtchn_status status;
		struct evtchn_bind_vcpu bind_vcpu;
		struct evtchn_unmask unmask;
	} u;
};

DEFINE_GUEST_HANDLE_STRUCT(evtchn_op);

#endif /* !__ASSEMBLY__ */

/* Ports of the 2-level ABI: one bit in each word of shared_info. */
#define EVTCHN_2L_NR_CHANNELS	(sizeof(xen_ulong_t) * sizeof(xen_ulong_t) * 64)

/*
 * FIFO ABI: one 32-bit event word per port, in pages added with
 * EVTCHNOP_expand_array; per-vCPU queues, one per priority.
 */
#define EVTCHN_FIFO_PRIORITY_MAX	0
#define EVTCHN_FIFO_PRIORITY_DEFAULT	7
#define EVTCHN_FIFO_PRIORITY_MIN	15
#define EVTCHN_FIFO_MAX_QUEUES		(EVTCHN_FIFO_PRIORITY_MIN + 1)

/* Bit numbers in an event word; the low LINK_BITS link to the next. */
#define EVTCHN_FIFO_PENDING		31
#define EVTCHN_FIFO_MASKED		30
#define EVTCHN_FIFO_LINKED		29
#define EVTCHN_FIFO_BUSY		28

#define EVTCHN_FIFO_LINK_BITS		17
#define EVTCHN_FIFO_LINK_MASK		((1 << EVTCHN_FIFO_LINK_BITS) - 1)
#define EVTCHN_FIFO_NR_CHANNELS		(1 << EVTCHN_FIFO_LINK_BITS)

#ifndef __ASSEMBLY__
typedef u32 event_word_t;

struct evtchn_fifo_control_block {
	u32 ready;			/* bit per queue with events */
	u32 _rsvd;
	u32 head[EVTCHN_FIFO_MAX_QUEUES];
};
#endif

#endif /* __XEN_INTERFACE_EVENT_CHANNEL_H__ */
