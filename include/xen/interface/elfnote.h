/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Xen guest ABI: types of the ELF notes (owner "Xen") through which a
 * kernel image tells the domain builder how to load and start it.
 */
#ifndef __XEN_INTERFACE_ELFNOTE_H__
#define __XEN_INTERFACE_ELFNOTE_H__

#define XEN_ELFNOTE_INFO		0  /* unused */
#define XEN_ELFNOTE_ENTRY		1  /* virtual entry point */
#define XEN_ELFNOTE_HYPERCALL_PAGE	2  /* where to put the stubs */
#define XEN_ELFNOTE_VIRT_BASE		3  /* virtual load address */
#define XEN_ELFNOTE_PADDR_OFFSET	4  /* virtual minus physical */
#define XEN_ELFNOTE_XEN_VERSION		5  /* string, e.g. "xen-3.0" */
#define XEN_ELFNOTE_GUEST_OS		6  /* string, e.g. "linux" */
#define XEN_ELFNOTE_GUEST_VERSION	7  /* string */
#define XEN_ELFNOTE_LOADER		8  /* string, "generic" */
#define XEN_ELFNOTE_PAE_MODE		9  /* string, "yes" etc. */
#define XEN_ELFNOTE_FEATURES		10 /* string, '|'-separated XENFEATs */
#define XEN_ELFNOTE_BSD_SYMTAB		11 /* string, "yes" */
#define XEN_ELFNOTE_HV_START_LOW	12 /* lowest address Xen may use */
#define XEN_ELFNOTE_L1_MFN_VALID	13 /* mask and value of valid L1s */
#define XEN_ELFNOTE_SUSPEND_CANCEL	14 /* understands suspend cancel */
#define XEN_ELFNOTE_INIT_P2M		15 /* where to map the p2m */
#define XEN_ELFNOTE_MOD_START_PFN	16 /* mod_start may be a pfn */
#define XEN_ELFNOTE_SUPPORTED_FEATURES	17 /* bitmap of XENFEATs */
#define XEN_ELFNOTE_PHYS32_ENTRY	18 /* 32-bit PVH entry point */

#define XEN_ELFNOTE_MAX			XEN_ELFNOTE_PHYS32_ENTRY

#endif /* __XEN_INTERFACE_ELFNOTE_H__ */
