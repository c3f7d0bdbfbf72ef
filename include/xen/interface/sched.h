/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Xen guest ABI: HYPERVISOR_sched_op(), giving up the CPU and shutdown.
 */
#ifndef __XEN_INTERFACE_SCHED_H__
#define __XEN_INTERFACE_SCHED_H__

#include <xen/interface/event_channel.h>

#define SCHEDOP_yield		0 /* let another vCPU run */
#define SCHEDOP_block		1 /* sleep until an event is pending */
#define SCHEDOP_shutdown	2 /* struct sched_shutdown */
#define SCHEDOP_poll		3 /* struct sched_poll */
#define SCHEDOP_remote_shutdown	4 /* struct sched_remote_shutdown */
#define SCHEDOP_shutdown_code	5 /* record the reason for a later crash */
#define SCHEDOP_watchdog	6 /* struct sched_watchdog */
#define SCHEDOP_pin_override	7 /* struct sched_pin_override */

#ifndef __ASSEMBLY__

struct sched_shutdown {
	unsigned int reason;		/* SHUTDOWN_* */
};

DEFINE_GUEST_HANDLE_STRUCT(sched_shutdown);

/* Block until one of the ports is pending or timeout (ns, 0 = none). */
struct sched_poll {
	GUEST_HANDLE(evtchn_port_t) ports;
	unsigned int nr_ports;
	u64 timeout;
};

DEFINE_GUEST_HANDLE_STRUCT(sched_poll);

struct sched_remote_shutdown {
	domid_t domain_id;
	unsigned int reason;		/* SHUTDOWN_* */
};

DEFINE_GUEST_HANDLE_STRUCT(sched_remote_shutdown);

/* id 0 creates a watchdog (its id is returned); timeout 0 destroys id. */
struct sched_watchdog {
	u32 id;
	u32 timeout;		/* seconds */
};

DEFINE_GUEST_HANDLE_STRUCT(sched_watchdog);

/* dom0: temporarily pin the calling vCPU to pcpu (-1 undoes it). */
struct sched_pin_override {
	s32 pcpu;
};

DEFINE_GUEST_HANDLE_STRUCT(sched_pin_override);

#endif /* !__ASSEMBLY__ */

/* Shutdown reasons, reported to the toolstack. */
#define SHUTDOWN_poweroff	0
#define SHUTDOWN_reboot		1
#define SHUTDOWN_suspend	2 /* state saved; resume with the same id */
#define SHUTDOWN_crash		3
#define SHUTDOWN_watchdog	4
#define SHUTDOWN_soft_reset	5
#define SHUTDOWN_MAX		5

#endif /* __XEN_INTERFACE_SCHED_H__ */
