/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Xen guest ABI: HYPERVISOR_vcpu_op(cmd, vcpuid, arg), per-vCPU control.
 */
#ifndef __XEN_INTERFACE_VCPU_H__
#define __XEN_INTERFACE_VCPU_H__

#include <xen/interface/xen.h>

#define VCPUOP_initialise			0 /* vcpu_guest_context */
#define VCPUOP_up				1
#define VCPUOP_down				2
#define VCPUOP_is_up				3
#define VCPUOP_get_runstate_info		4 /* vcpu_runstate_info */
#define VCPUOP_register_runstate_memory_area	5
#define VCPUOP_set_periodic_timer		6
#define VCPUOP_stop_periodic_timer		7
#define VCPUOP_set_singleshot_timer		8
#define VCPUOP_stop_singleshot_timer		9
#define VCPUOP_register_vcpu_info		10
#define VCPUOP_send_nmi				11
#define VCPUOP_get_physid			12
#define VCPUOP_register_vcpu_time_memory_area	13

/* vcpu_runstate_info.state */
#define RUNSTATE_running	0 /* on a physical CPU */
#define RUNSTATE_runnable	1 /* ready but waiting for a CPU */
#define RUNSTATE_blocked	2 /* waiting for an event */
#define RUNSTATE_offline	3 /* down, or paused by the toolstack */

/* Set in state_entry_time while Xen updates the area. */
#define XEN_RUNSTATE_UPDATE	(xen_mk_ullong(1) << 63)

#ifndef __ASSEMBLY__

/* Time (ns) spent in each RUNSTATE_* since the vCPU was created. */
struct vcpu_runstate_info {
	int state;
	u64 state_entry_time;
	u64 time[4];
};

DEFINE_GUEST_HANDLE_STRUCT(vcpu_runstate_info);

/* Have Xen keep a vcpu_runstate_info up to date at a guest address. */
struct vcpu_register_runstate_memory_area {
	union {
		GUEST_HANDLE(vcpu_runstate_info) h;
		struct vcpu_runstate_info *v;
		u64 p;
	} addr;
};

struct vcpu_set_periodic_timer {
	u64 period_ns;
};

/* Fire VIRQ_TIMER once at system time timeout_abs_ns. */
struct vcpu_set_singleshot_timer {
	u64 timeout_abs_ns;
	u32 flags;			/* VCPU_SSHOTTMR_* */
};

/* Fail with -ETIME if the timeout is already in the past. */
#define _VCPU_SSHOTTMR_future	(0)
#define VCPU_SSHOTTMR_future	(1U << _VCPU_SSHOTTMR_future)

/* Move this vCPU's vcpu_info to guest frame mfn at offset. */
struct vcpu_register_vcpu_info {
	u64 mfn;
	u32 offset;
	u32 rsvd;
};

/* dom0: identify the physical CPU (APIC and ACPI ids). */
struct vcpu_get_physid {
	u64 phys_id;
};

/* Have Xen keep a second copy of vcpu_time_info at a guest address. */
DEFINE_GUEST_HANDLE_STRUCT(vcpu_time_info);
struct vcpu_register_time_memory_area {
	union {
		GUEST_HANDLE(vcpu_time_info) h;
		struct vcpu_time_info *v;
		u64 p;
	} addr;
};

#endif /* !__ASSEMBLY__ */

#endif /* __XEN_INTERFACE_VCPU_H__ */
