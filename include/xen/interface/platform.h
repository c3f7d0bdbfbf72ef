/* SPDX-License-Identifier: MIT */
/*
 * Platform operations of the control domain (HYPERVISOR_platform_op):
 * setting the host's clock and entering ACPI sleep states through Xen.
 * Only the operations this series issues are spelled out; the union keeps
 * Xen's size (its pad).
 */
#ifndef __XEN_INTERFACE_PLATFORM_H__
#define __XEN_INTERFACE_PLATFORM_H__

#include <xen/interface/xen.h>

#define XENPF_INTERFACE_VERSION	0x03000001

/* The clock reads secs.nsecs since the epoch when system time is system_time. */
#define XENPF_settime32		17
#define XENPF_settime64		62

/* Enter ACPI sleep state sleep_state; val_a/val_b: PM1a/b control values. */
#define XENPF_enter_acpi_sleep	51
#define XENPF_ACPI_SLEEP_EXTENDED	0x00000001

#ifndef __ASSEMBLY__

struct xenpf_settime32 {
	u32 secs;
	u32 nsecs;
	u64 system_time;
};

struct xenpf_settime64 {
	u64 secs;
	u32 nsecs;
	u32 mbz;
	u64 system_time;
};

struct xenpf_enter_acpi_sleep {
	u16 val_a;			/* PM1a control / sleep type A */
	u16 val_b;			/* PM1b control / sleep type B */
	u32 sleep_state;		/* ACPI S-state */
	u32 flags;			/* XENPF_ACPI_SLEEP_* */
};

struct xen_platform_op {
	u32 cmd;			/* XENPF_* */
	u32 interface_version;		/* XENPF_INTERFACE_VERSION */
	union {
		struct xenpf_settime32 settime32;
		struct xenpf_settime64 settime64;
		struct xenpf_enter_acpi_sleep enter_acpi_sleep;
		u8 pad[128];
	} u;
};

DEFINE_GUEST_HANDLE_STRUCT(xen_platform_op);

#endif /* !__ASSEMBLY__ */

#endif /* __XEN_INTERFACE_PLATFORM_H__ */
