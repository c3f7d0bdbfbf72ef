/* SPDX-License-Identifier: GPL-2.0 */
/*
 * State the hypervisor shares with a PV guest, and the accessors the rest
 * of the series uses for it.
 *
 *  - start_info: handed over in %rsi at entry; says where Xen put
 *    everything (page tables, P2M list, initrd, xenstore and console rings).
 *  - shared_info: one page with the event-channel bitmaps, the wall clock
 *    and the legacy vcpu_info array (first XEN_LEGACY_MAX_VCPUS vCPUs).
 *  - vcpu_info: per vCPU, the event upcall mask/pending flags and the
 *    pvclock time record.  Each CPU moves its own into per-CPU memory with
 *    VCPUOP_register_vcpu_info; xen_vcpu points at whichever is in use.
 */
#ifndef _ASM_X86_XEN_GUEST_H
#define _ASM_X86_XEN_GUEST_H

#include <linux/percpu.h>
#include <xen/interface/xen.h>

extern struct start_info *xen_start_info;
extern struct shared_info *HYPERVISOR_shared_info;

DECLARE_PER_CPU(struct vcpu_info *, xen_vcpu);
DECLARE_PER_CPU_ALIGNED(struct vcpu_info, xen_vcpu_info);
/* The vCPU number Xen knows this CPU by (== the Linux CPU number for PV). */
DECLARE_PER_CPU(u32, xen_vcpu_id);

static inline u32 xen_vcpu_nr(int cpu)
{
	return per_cpu(xen_vcpu_id, cpu);
}

/* Features Xen advertises (XENVER_get_features), one bit per XENFEAT_*. */
bool xen_feature(unsigned int flag);
void xen_read_features(void);

/* Panic with the hypercall's name and error: for failures at boot. */
#define xen_boot_check(call, rc)					\
	do {								\
		long __rc = (rc);					\
		if (unlikely(__rc < 0))					\
			panic("Xen: %s failed: %ld\n", call, __rc);	\
	} while (0)

#endif /* _ASM_X86_XEN_GUEST_H */
