/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Xen guest ABI: feature flags, bit numbers in the bitmap returned by
 * XENVER_get_features.
 */
#ifndef __XEN_INTERFACE_FEATURES_H__
#define __XEN_INTERFACE_FEATURES_H__

/* Page tables may be written directly; Xen validates each write. */
#define XENFEAT_writable_page_tables		0
/* Descriptor tables may be written directly. */
#define XENFEAT_writable_descriptor_tables	1
/* Xen translates guest physical frames: no p2m is needed. */
#define XENFEAT_auto_translated_physmap		2
/* The guest kernel runs in ring 0. */
#define XENFEAT_supervisor_mode_kernel		3
/* A PAE top-level table may sit above 4GB. */
#define XENFEAT_pae_pgdir_above_4gb		4
/* MMU_PT_UPDATE_PRESERVE_AD is available. */
#define XENFEAT_mmu_pt_update_preserve_ad	5
/* x86 highmem assists are available (32-bit only). */
#define XENFEAT_highmem_assist			6
/* Grant mappings leave the PTE's available bits to the guest. */
#define XENFEAT_gnttab_map_avail_bits		7
/* HVM: event upcalls may use an IDT vector. */
#define XENFEAT_hvm_callback_vector		8
/* HVM: pvclock is safe to use. */
#define XENFEAT_hvm_safe_pvclock		9
/* HVM: interrupts may be routed as PIRQs over event channels. */
#define XENFEAT_hvm_pirqs			10
/* The domain is dom0. */
#define XENFEAT_dom0				11
/* XENMEMF_vnode is understood. */
#define XENFEAT_memory_op_vnode_supported	13
/* Arm: SMCCC calls may be made. */
#define XENFEAT_ARM_SMCCC_supported		14
/* PVH dom0: the RSDP may be anywhere. */
#define XENFEAT_linux_rsdp_unrestricted		15
/* Guest physical and machine addresses are not 1:1 (Arm). */
#define XENFEAT_not_direct_mapped		16
/* Guest physical and machine addresses are 1:1 (Arm). */
#define XENFEAT_direct_mapped			17

#define XENFEAT_NR_SUBMAPS			1

#endif /* __XEN_INTERFACE_FEATURES_H__ */
