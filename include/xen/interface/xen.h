/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Xen guest ABI: hypercall numbers and the structures every guest shares
 * with the hypervisor (shared_info, vcpu_info, start_info).
 *
 * Written for this kernel from Xen 4.17's public interface; names and
 * values are Xen's, so Xen's documentation applies unchanged.
 */
#ifndef __XEN_INTERFACE_XEN_H__
#define __XEN_INTERFACE_XEN_H__

#include <xen/interface/arch-x86/xen.h>

/* Hypercall numbers: the index of the 32-byte stub in the hypercall page. */
#define __HYPERVISOR_set_trap_table		0
#define __HYPERVISOR_mmu_update			1
#define __HYPERVISOR_set_gdt			2
#define __HYPERVISOR_stack_switch		3
#define __HYPERVISOR_set_callbacks		4
#define __HYPERVISOR_fpu_taskswitch		5
#define __HYPERVISOR_sched_op_compat		6
#define __HYPERVISOR_platform_op		7
#define __HYPERVISOR_set_debugreg		8
#define __HYPERVISOR_get_debugreg		9
#define __HYPERVISOR_update_descriptor		10
#define __HYPERVISOR_memory_op			12
#define __HYPERVISOR_multicall			13
#define __HYPERVISOR_update_va_mapping		14
#define __HYPERVISOR_set_timer_op		15
#define __HYPERVISOR_event_channel_op_compat	16
#define __HYPERVISOR_xen_version		17
#define __HYPERVISOR_console_io			18
#define __HYPERVISOR_physdev_op_compat		19
#define __HYPERVISOR_grant_table_op		20
#define __HYPERVISOR_vm_assist			21
#define __HYPERVISOR_update_va_mapping_otherdomain 22
#define __HYPERVISOR_iret			23
#define __HYPERVISOR_vcpu_op			24
#define __HYPERVISOR_set_segment_base		25
#define __HYPERVISOR_mmuext_op			26
#define __HYPERVISOR_xsm_op			27
#define __HYPERVISOR_nmi_op			28
#define __HYPERVISOR_sched_op			29
#define __HYPERVISOR_callback_op		30
#define __HYPERVISOR_xenoprof_op		31
#define __HYPERVISOR_event_channel_op		32
#define __HYPERVISOR_physdev_op			33
#define __HYPERVISOR_hvm_op			34
#define __HYPERVISOR_sysctl			35
#define __HYPERVISOR_domctl			36
#define __HYPERVISOR_kexec_op			37
#define __HYPERVISOR_tmem_op			38
#define __HYPERVISOR_argo_op			39
#define __HYPERVISOR_xenpmu_op			40
#define __HYPERVISOR_dm_op			41
#define __HYPERVISOR_hypfs_op			42

/* Reserved for architecture-specific hypercalls. */
#define __HYPERVISOR_arch_0			48
#define __HYPERVISOR_arch_1			49
#define __HYPERVISOR_arch_2			50
#define __HYPERVISOR_arch_3			51
#define __HYPERVISOR_arch_4			52
#define __HYPERVISOR_arch_5			53
#define __HYPERVISOR_arch_6			54
#define __HYPERVISOR_arch_7			55

/*
 * Virtual interrupts, bound to event channels with EVTCHNOP_bind_virq.
 * Per-vCPU: TIMER, DEBUG, XENOPROF, XENPMU.  The others are global and
 * only delivered to the domain that bound them.
 */
#define VIRQ_TIMER	0	/* timer tick or singleshot timer expiry */
#define VIRQ_DEBUG	1	/* debug key pressed on the Xen console */
#define VIRQ_CONSOLE	2	/* dom0: input on the Xen console */
#define VIRQ_DOM_EXC	3	/* dom0: a domain exited or crashed */
#define VIRQ_TBUF	4	/* dom0: trace buffers have records */
#define VIRQ_DEBUGGER	6	/* dom0: a domain hit a debug trap */
#define VIRQ_XENOPROF	7	/* profiling samples are ready */
#define VIRQ_CON_RING	8	/* dom0: new output in the console ring */
#define VIRQ_PCPU_STATE	9	/* dom0: a physical CPU changed state */
#define VIRQ_MEM_EVENT	10	/* a memory-event ring has requests */
#define VIRQ_ARGO	11	/* Argo interdomain message */
#define VIRQ_ENOMEM	12	/* Xen ran low on memory */
#define VIRQ_XENPMU	13	/* PMU interrupt */

#define VIRQ_ARCH_0	16
#define VIRQ_ARCH_1	17
#define VIRQ_ARCH_2	18
#define VIRQ_ARCH_3	19
#define VIRQ_ARCH_4	20
#define VIRQ_ARCH_5	21
#define VIRQ_ARCH_6	22
#define VIRQ_ARCH_7	23

#define NR_VIRQS	24

/*
 * HYPERVISOR_mmu_update(): the low two bits of mmu_update.ptr select the
 * command; the rest is a machine address.
 */
#define MMU_NORMAL_PT_UPDATE		0 /* *ptr = val (a page-table entry) */
#define MMU_MACHPHYS_UPDATE		1 /* m2p[ptr >> PAGE_SHIFT] = val */
#define MMU_PT_UPDATE_PRESERVE_AD	2 /* as 0, keep the A and D bits */
#define MMU_PT_UPDATE_NO_TRANSLATE	3 /* as 0, ptr is not translated */

/* HYPERVISOR_mmuext_op() commands. */
#define MMUEXT_PIN_L1_TABLE		0
#define MMUEXT_PIN_L2_TABLE		1
#define MMUEXT_PIN_L3_TABLE		2
#define MMUEXT_PIN_L4_TABLE		3
#define MMUEXT_UNPIN_TABLE		4
#define MMUEXT_NEW_BASEPTR		5
#define MMUEXT_TLB_FLUSH_LOCAL		6
#define MMUEXT_INVLPG_LOCAL		7
#define MMUEXT_TLB_FLUSH_MULTI		8
#define MMUEXT_INVLPG_MULTI		9
#define MMUEXT_TLB_FLUSH_ALL		10
#define MMUEXT_INVLPG_ALL		11
#define MMUEXT_FLUSH_CACHE		12
#define MMUEXT_SET_LDT			13
#define MMUEXT_NEW_USER_BASEPTR		15
#define MMUEXT_CLEAR_PAGE		16
#define MMUEXT_COPY_PAGE		17
#define MMUEXT_FLUSH_CACHE_GLOBAL	18
#define MMUEXT_MARK_SUPER		19
#define MMUEXT_UNMARK_SUPER		20

#ifndef __ASSEMBLY__
struct mmuext_op {
	unsigned int cmd;		/* MMUEXT_* */
	union {
		/* PIN_*, UNPIN_TABLE, NEW_*BASEPTR, CLEAR_PAGE, COPY_PAGE */
		xen_pfn_t mfn;
		/* INVLPG_*, SET_LDT */
		unsigned long linear_addr;
	} arg1;
	union {
		/* SET_LDT */
		unsigned int nr_ents;
		/* TLB_FLUSH_MULTI, INVLPG_MULTI */
		GUEST_HANDLE(void) vcpumask;
		/* COPY_PAGE */
		xen_pfn_t src_mfn;
	} arg2;
};

DEFINE_GUEST_HANDLE_STRUCT(mmuext_op);
#endif

/* update_va_mapping flags: which TLB flush follows, and where. */
#define UVMF_NONE		(xen_mk_ulong(0) << 0)
#define UVMF_TLB_FLUSH		(xen_mk_ulong(1) << 0)
#define UVMF_INVLPG		(xen_mk_ulong(2) << 0)
#define UVMF_FLUSHTYPE_MASK	(xen_mk_ulong(3) << 0)
#define UVMF_MULTI		(xen_mk_ulong(0) << 2) /* | vcpumask pointer */
#define UVMF_LOCAL		(xen_mk_ulong(0) << 2)
#define UVMF_ALL		(xen_mk_ulong(1) << 2)

/* HYPERVISOR_console_io() commands. */
#define CONSOLEIO_write		0
#define CONSOLEIO_read		1

/* HYPERVISOR_vm_assist() commands and assists. */
#define VMASST_CMD_enable			0
#define VMASST_CMD_disable			1

#define VMASST_TYPE_4gb_segments		0
#define VMASST_TYPE_4gb_segments_notify		1
#define VMASST_TYPE_writable_pagetables		2
#define VMASST_TYPE_pae_extended_cr3		3
#define VMASST_TYPE_architectural_iopl		4
#define VMASST_TYPE_runstate_update_flag	5
#define VMASST_TYPE_m2p_strict			32

/* Domain ids with special meaning; real domains are below 0x7FF0. */
#define DOMID_FIRST_RESERVED	xen_mk_uint(0x7FF0)
#define DOMID_SELF		xen_mk_uint(0x7FF0)
#define DOMID_IO		xen_mk_uint(0x7FF1)
#define DOMID_XEN		xen_mk_uint(0x7FF2)
#define DOMID_COW		xen_mk_uint(0x7FF3)
#define DOMID_INVALID		xen_mk_uint(0x7FF4)
#define DOMID_IDLE		xen_mk_uint(0x7FFF)
#define DOMID_MASK		xen_mk_uint(0x7FFF)

#ifndef __ASSEMBLY__

typedef u16 domid_t;

/* One request of HYPERVISOR_mmu_update(); ptr carries MMU_* in bits 0-1. */
struct mmu_update {
	u64 ptr;
	u64 val;
};

DEFINE_GUEST_HANDLE_STRUCT(mmu_update);

/* One call of HYPERVISOR_multicall(); result is filled in by Xen. */
struct multicall_entry {
	xen_ulong_t op, result;
	xen_ulong_t args[6];
};

DEFINE_GUEST_HANDLE_STRUCT(multicall_entry);

/*
 * System time for one vCPU.  version is odd while Xen updates the rest;
 * time = system_time + ((tsc - tsc_timestamp) << tsc_shift) *
 * tsc_to_system_mul >> 32 (a right shift when tsc_shift is negative).
 */
struct vcpu_time_info {
	u32 version;
	u32 pad0;
	u64 tsc_timestamp;		/* TSC at the last update */
	u64 system_time;		/* ns since boot at that TSC */
	u32 tsc_to_system_mul;
	s8 tsc_shift;
	u8 flags;			/* XEN_PVCLOCK_* */
	u8 pad1[2];
};

#define XEN_PVCLOCK_TSC_STABLE_BIT	(1 << 0)
#define XEN_PVCLOCK_GUEST_STOPPED	(1 << 1)

/* Per-vCPU event and time state, in shared_info or registered elsewhere. */
struct vcpu_info {
	u8 evtchn_upcall_pending;	/* an event wants delivering */
	u8 evtchn_upcall_mask;	/* events blocked (like IF = 0) */
	xen_ulong_t evtchn_pending_sel;	/* which evtchn_pending words */
	struct arch_vcpu_info arch;
	struct vcpu_time_info time;
};

/* The page every domain shares with Xen (XENMAPSPACE_shared_info). */
struct shared_info {
	struct vcpu_info vcpu_info[XEN_LEGACY_MAX_VCPUS];

	/* 2-level event channels: one bit per port. */
	xen_ulong_t evtchn_pending[sizeof(xen_ulong_t) * 8];
	xen_ulong_t evtchn_mask[sizeof(xen_ulong_t) * 8];

	/* Wall clock at system time 0; wc_version is odd while updating. */
	u32 wc_version;
	u32 wc_sec;
	u32 wc_nsec;
	u32 wc_sec_hi;

	struct arch_shared_info arch;
};

/*
 * What the domain builder leaves a PV guest, pointed to by %rsi at the
 * entry point.  The initial page tables, the p2m (mfn_list), start_info,
 * the xenstore and console pages and a bootstrap stack are mapped.
 */
#define MAX_GUEST_CMDLINE	1024
struct start_info {
	char magic[32];			/* "xen-<version>-<platform>" */
	unsigned long nr_pages;		/* pages given to the domain */
	unsigned long shared_info;	/* machine address of shared_info */
	u32 flags;			/* SIF_* */
	xen_pfn_t store_mfn;		/* xenstore ring */
	u32 store_evtchn;
	union {
		struct {
			xen_pfn_t mfn;		/* console ring */
			u32 evtchn;
		} domU;
		struct {
			u32 info_off;	/* dom0_vga_console_info */
			u32 info_size;
		} dom0;
	} console;
	unsigned long pt_base;		/* virtual address of the top table */
	unsigned long nr_pt_frames;
	unsigned long mfn_list;		/* virtual address of the p2m */
	unsigned long mod_start;	/* initrd (or module list) */
	unsigned long mod_len;
	s8 cmd_line[MAX_GUEST_CMDLINE];
	/* Where the p2m is when it is not mapped (XEN_ELFNOTE_INIT_P2M). */
	unsigned long first_p2m_pfn;
	unsigned long nr_p2m_frames;
};

#endif /* !__ASSEMBLY__ */

/* start_info.flags */
#define SIF_PRIVILEGED		(1 << 0)	/* may use privileged ops */
#define SIF_INITDOMAIN		(1 << 1)	/* is the initial domain */
#define SIF_MULTIBOOT_MOD	(1 << 2)	/* mod_start is a module list */
#define SIF_MOD_START_PFN	(1 << 3)	/* mod_start is a pfn */
#define SIF_VIRT_P2M_4TOOLS	(1 << 4)	/* tools need a virtual p2m */
#define SIF_PM_MASK		(0xFF << 8)	/* power-management flags */

#ifndef __ASSEMBLY__

/* An entry of the module list when SIF_MULTIBOOT_MOD is set. */
struct xen_multiboot_mod_list {
	u32 mod_start;	/* pfn offset from the list */
	u32 mod_end;
	u32 cmdline;	/* offset of the command line from the list */
	u32 pad;
};

/* dom0's console as Xen found it, at start_info + console.dom0.info_off. */
struct dom0_vga_console_info {
	u8 video_type;	/* XEN_VGATYPE_* */
	union {
		struct {
			u16 font_height;
			u16 cursor_x, cursor_y;
			u16 rows, columns;
		} text_mode_3;
		struct {
			u16 width, height;
			u16 bytes_per_line;
			u16 bits_per_pixel;
			u32 lfb_base;
			u32 lfb_size;
			u8 red_pos, red_size;
			u8 green_pos, green_size;
			u8 blue_pos, blue_size;
			u8 rsvd_pos, rsvd_size;
			u32 gbl_caps;	/* VESA capabilities */
			u16 mode_attrs;	/* VESA mode attributes */
			u16 pad;
			u32 ext_lfb_base;	/* lfb_base bits 32-63 */
		} vesa_lfb;
	} u;
};

#define xen_vga_console_info	dom0_vga_console_info

#endif /* !__ASSEMBLY__ */

#define XEN_VGATYPE_TEXT_MODE_3	0x03
#define XEN_VGATYPE_VESA_LFB	0x23
#define XEN_VGATYPE_EFI_LFB	0x70

#ifndef __ASSEMBLY__
typedef u8 xen_domain_handle_t[16];
#endif

#endif /* __XEN_INTERFACE_XEN_H__ */
